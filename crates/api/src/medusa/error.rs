//! How the Medusa admin API answers errors: Medusa's `{type, message}` body (with `code` where
//! Medusa sends one) and its statuses: `invalid_data` and `not_allowed` 400, `not_found` 404,
//! `conflict` 409 (and 412 for a stale `If-Match`), `duplicate_error` 422, `unknown_error` 500;
//! a missing or unknown key is 401 `{"message": "Unauthorized"}`.

use super::names;
use crate::dialect::{Dialect, Spelled};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::borrow::Cow;
use utoipa::ToSchema;

/// The Medusa admin API's dialect.
pub struct Medusa;

/// Medusa's error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct MedusaErrorBody {
    /// `invalid_data`, `not_found`, `duplicate_error`, `not_allowed`, `conflict` or
    /// `unknown_error`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    /// What went wrong, for people.
    pub message: String,
    /// `invalid_request_error`, `invalid_state_error` or `unknown_error`, where Medusa sends one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
}

impl Dialect for Medusa {
    fn spell(core: &str) -> Cow<'static, str> {
        names::spell(core)
    }

    fn respond(e: Spelled) -> Response {
        let (status, kind, code, message) = match e.status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                (StatusCode::UNAUTHORIZED, None, None, "Unauthorized".to_owned())
            }
            StatusCode::NOT_FOUND => (e.status, Some("not_found"), None, e.message),
            StatusCode::CONFLICT if e.code.starts_with("duplicate_") => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("duplicate_error"),
                Some("invalid_request_error"),
                e.message,
            ),
            // Medusa has no preconditions; a write that lost the race to another is what it
            // calls a conflict. The status stays 412 so HTTP clients know to read again.
            // An `Idempotency-Key` refused: its first request is running or was applied (409),
            // or the key came with another request (422).
            StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY if e.code.starts_with("idempotency_") => {
                if e.status == StatusCode::CONFLICT {
                    (e.status, Some("conflict"), Some("invalid_state_error"), e.message)
                } else {
                    (e.status, Some("invalid_data"), None, e.message)
                }
            }
            StatusCode::PRECONDITION_FAILED => (e.status, Some("conflict"), Some("invalid_state_error"), e.message),
            StatusCode::CONFLICT if e.code == pimento_core::error::codes::CONFLICT => {
                (e.status, Some("conflict"), Some("invalid_state_error"), e.message)
            }
            // A refusal because of what else is stored (an option in use, a category with
            // children) is what Medusa calls not allowed.
            StatusCode::CONFLICT => (StatusCode::BAD_REQUEST, Some("not_allowed"), None, e.message),
            s if s.is_server_error() => (
                s,
                Some("unknown_error"),
                Some("unknown_error"),
                if s == StatusCode::SERVICE_UNAVAILABLE {
                    e.message
                } else {
                    "An unknown error occurred.".to_owned()
                },
            ),
            s => {
                let message = match &e.field {
                    Some(f) => format!(
                        "Invalid request: Field '{}' {}",
                        super::body::path_words(f),
                        lower_first(&e.message)
                    ),
                    None => e.message,
                };
                (s, Some("invalid_data"), None, message)
            }
        };
        (status, Json(MedusaErrorBody { kind, message, code })).into_response()
    }
}

/// `Must be …` → `must be …`, to follow the field's name.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if c.as_str().chars().next().is_some_and(char::is_lowercase) => f.to_lowercase().chain(c).collect(),
        _ => s.to_owned(),
    }
}
