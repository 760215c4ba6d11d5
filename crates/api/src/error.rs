//! The HTTP error: a status, a stable code, a message and the field at fault. Built once from
//! the domain and store errors; server faults are logged here and answered generically.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pimento_core::CoreError;
use pimento_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
}

/// The JSON body of every error of the Products API.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for people (`Product not found`).
    pub error: String,
    /// A stable machine-readable code (`not_found`, `invalid_field`, `duplicate_sku`, …).
    pub code: String,
    /// The request field at fault, as a path (`variants[1].price`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    /// A 400 naming a field.
    pub fn bad_request(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_field",
            message: message.into(),
            field: Some(field.into()),
        }
    }

    /// A 401.
    pub fn unauthorized(message: &str) -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: message.to_owned(),
            field: None,
        }
    }

    /// A 500 (or 503) whose cause is logged, never shown.
    fn server(status: StatusCode, err: &dyn std::error::Error) -> Self {
        tracing::error!(error = %err, source = ?err.source(), "request failed");
        ApiError {
            status,
            code: if status == StatusCode::SERVICE_UNAVAILABLE {
                "unavailable"
            } else {
                "internal"
            },
            message: if status == StatusCode::SERVICE_UNAVAILABLE {
                "The service is temporarily unavailable; try again".into()
            } else {
                "Internal server error".into()
            },
            field: None,
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
        };
        let message = match &e {
            CoreError::Invalid { field, message } => format!("{field}: {message}"),
            other => other.message(),
        };
        ApiError {
            status,
            code: e.code(),
            field: e.field().map(str::to_owned),
            message,
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

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.message,
            code: self.code.to_owned(),
            field: self.field,
        };
        (self.status, Json(body)).into_response()
    }
}

impl ApiError {
    /// The response of a caught panic, logged once.
    pub fn into_response_logged(self) -> Response {
        tracing::error!("handler panicked");
        self.into_response()
    }
}
