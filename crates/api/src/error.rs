//! The error every handler and extractor returns: what went wrong, in neutral terms and the
//! core's field names. It gets its body only when the API that answers renders it
//! (`dialect.rs`), in that API's shape and spelling. Server faults are logged here and
//! answered generically.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pimento_core::{CoreError, FieldPath};
use pimento_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// Renames of a resource's top-level fields, for an API whose names differ by resource (the
/// PIM's product `name` is `title`): `(core name, this API's name)`.
pub type Names = &'static [(&'static str, &'static str)];

/// The field an error is about.
#[derive(Debug, Clone)]
pub enum Field {
    /// A path in the core's names, which the answering API spells.
    Core(FieldPath),
    /// A name already in the API's spelling: a JSON path of the request body, a query
    /// parameter, a header.
    Wire(String),
}

/// An error answer, before an API gives it its body.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    /// A stable machine-readable code (`not_found`, `invalid_field`, `duplicate_sku`, …).
    pub code: &'static str,
    /// What went wrong, for people; never repeats the field.
    pub message: String,
    pub field: Option<Field>,
    /// How the answering API names this resource's top-level fields, when not by its table.
    pub names: Names,
    /// Headers the answer carries whatever its body (a 429's `Retry-After`).
    pub headers: Vec<(axum::http::HeaderName, axum::http::HeaderValue)>,
}

impl ApiError {
    /// An error with no field.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            names: &[],
            headers: Vec::new(),
        }
    }

    /// A 400 about a field named as the request names it (a query parameter, a header).
    pub fn bad_request(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            field: Some(Field::Wire(field.into())),
            ..ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", message)
        }
    }

    /// A 401.
    pub fn unauthorized(message: &str) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// A 403.
    pub fn forbidden(message: &str) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// A 404 for a path no endpoint serves.
    pub fn no_route() -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "No such endpoint")
    }

    /// A 500 whose cause was logged where it happened.
    pub fn internal() -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal server error")
    }

    /// Names this resource's top-level fields with `names` where they differ from the API's
    /// table.
    pub fn named(mut self, names: Names) -> Self {
        self.names = names;
        self
    }

    /// A 500 (or 503) whose cause is logged, never shown.
    fn server(status: StatusCode, err: &dyn std::error::Error) -> Self {
        tracing::error!(error = %err, source = ?err.source(), "request failed");
        if status == StatusCode::SERVICE_UNAVAILABLE {
            ApiError::new(
                status,
                "unavailable",
                "The service is temporarily unavailable; try again",
            )
        } else {
            ApiError::internal()
        }
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        let status = match &e {
            CoreError::Invalid { .. } => StatusCode::BAD_REQUEST,
            CoreError::NotFound(_) => StatusCode::NOT_FOUND,
            CoreError::Conflict { .. } => StatusCode::CONFLICT,
            CoreError::Forbidden(_) => StatusCode::FORBIDDEN,
            CoreError::Stale { .. } | CoreError::Exists { .. } => StatusCode::PRECONDITION_FAILED,
        };
        // A 412 tells the client the version it should have named, whatever the API's body.
        let headers = match &e {
            CoreError::Stale { current, .. } | CoreError::Exists { current, .. } => {
                vec![crate::precondition::etag(*current)]
            }
            _ => Vec::new(),
        };
        ApiError {
            field: e.field().cloned().map(Field::Core),
            headers,
            ..ApiError::new(status, e.code(), e.message())
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => d.into(),
            StoreError::Unavailable(_) => ApiError::server(StatusCode::SERVICE_UNAVAILABLE, &e),
            other => ApiError::server(StatusCode::INTERNAL_SERVER_ERROR, &other),
        }
    }
}

/// The `{error, code, field}` body, which the Products and PIM APIs both chose.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for people (`Product not found`); a refused field's message starts
    /// with the field.
    pub error: String,
    /// A stable machine-readable code (`not_found`, `invalid_field`, `duplicate_sku`, …).
    pub code: String,
    /// The request field at fault, as a path (`variants[1].price`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ErrorBody {
    /// The body of an error whose field is spelled: a 400's message names its field first.
    pub fn of(e: crate::dialect::Spelled) -> (StatusCode, Json<ErrorBody>) {
        let error = match &e.field {
            Some(f) if e.status == StatusCode::BAD_REQUEST => format!("{f}: {}", e.message),
            _ => e.message,
        };
        let body = ErrorBody {
            error,
            code: e.code.to_owned(),
            field: e.field,
        };
        (e.status, Json(body))
    }
}

impl IntoResponse for ApiError {
    /// The status, with the error kept in the response for the answering API's renderer
    /// (`dialect::render`), which replaces the body. Outside every API (an unknown path) the
    /// body stays the `{error, code, field}` one, fields in the core's spelling.
    fn into_response(self) -> Response {
        let spelled = crate::dialect::Spelled {
            status: self.status,
            code: self.code,
            message: self.message.clone(),
            field: self.field.as_ref().map(|f| match f {
                Field::Core(p) => p.to_string(),
                Field::Wire(w) => w.clone(),
            }),
        };
        let mut response = ErrorBody::of(spelled).into_response();
        for (name, value) in &self.headers {
            response.headers_mut().insert(name.clone(), value.clone());
        }
        response.extensions_mut().insert(self);
        response
    }
}
