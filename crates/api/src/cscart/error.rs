//! How the CS-Cart API answers errors: CS-Cart's `{"message": "..."}` body. A refused field is
//! named at the start of the message (`price: 'abc' is not a number`). Statuses are the ones
//! the document gives: 400 for any refused request (a taken product code or a rule about
//! stored data included: CS-Cart has no 409 or 422), 401 without a valid key, 403 for a key
//! that may not write, 404 for an unknown object or path, 405, and a generic 500.

use super::names;
use crate::dialect::{Dialect, Spelled};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::borrow::Cow;
use utoipa::ToSchema;

/// The CS-Cart API's dialect.
pub struct CsCart;

/// CS-Cart's error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct CsCartErrorBody {
    /// What went wrong; a refused field's name comes first (`product: is required`).
    pub message: String,
}

impl Dialect for CsCart {
    fn spell(core: &str) -> Cow<'static, str> {
        names::spell(core)
    }

    fn respond(e: Spelled) -> Response {
        let status = match e.status {
            StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
            s => s,
        };
        let message = if status.is_server_error() {
            if status == StatusCode::SERVICE_UNAVAILABLE {
                e.message
            } else {
                "Internal Server Error".to_owned()
            }
        } else {
            match e.field.as_deref().map(names::product_field) {
                // No field of the client's: the fields this API keeps in the object's extension
                // (CS-Cart's own fields, image paths) take too much together.
                Some("extensions") => format!("CS-Cart's own fields of this object together {}", e.message),
                Some(f) => format!("{f}: {}", e.message),
                None => e.message,
            }
        };
        (status, Json(CsCartErrorBody { message })).into_response()
    }
}
