//! Extractors that turn bad input into a 400 naming the field, instead of axum's plain-text
//! rejections (the query string's is in `query.rs`). They answer with the neutral [`ApiError`];
//! the API the request was for gives it its body (`dialect.rs`).

use crate::error::ApiError;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use bytes::Bytes;
use serde::de::DeserializeOwned;
use std::str::FromStr;

/// A JSON body whose decoding errors name the offending field (`variants[0].price`).
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        declared_json(&req)?;
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(e.status(), "payload_too_large", "The request body is too large")
            } else {
                ApiError::new(e.status(), "invalid_body", "The request body could not be read")
            }
        })?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Refuses (415) a body its sender says is not JSON: a `Content-Type` other than
/// `application/json` or a `…+json` type. A body without one, or an empty body, is read as JSON.
pub fn declared_json(req: &Request) -> Result<(), ApiError> {
    use axum::body::HttpBody;
    let Some(declared) = req.headers().get(axum::http::header::CONTENT_TYPE) else {
        return Ok(());
    };
    if req.body().size_hint().exact() == Some(0) {
        return Ok(());
    }
    let media = declared
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media == "application/json" || media.ends_with("+json") {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "The request body must be JSON (Content-Type: application/json)",
    ))
}

/// Decodes JSON, reporting the path of the first bad field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_body",
            "A JSON body is required",
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let text = inner.to_string();
        // serde_json appends " at line L column C"; the field path says more.
        let text = text.split(" at line ").next().unwrap_or(&text).to_owned();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("The request body is not valid JSON: {text}"),
            );
        }
        // A missing field is reported at its parent; name the field itself.
        let field = match text.strip_prefix("missing field `").and_then(|t| t.split('`').next()) {
            Some(name) if path == "." => name.to_owned(),
            Some(name) => format!("{path}.{name}"),
            None => path,
        };
        ApiError::bad_request(field, text)
    })
}

/// Parses an id from the path, naming the path parameter in the error.
pub fn path_id<T: FromStr>(name: &str, raw: &str) -> Result<T, ApiError> {
    crate::query::parse_as(raw, "a valid UUID").map_err(|message| ApiError::bad_request(name, message))
}
