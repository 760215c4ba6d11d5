//! Request bodies as Medusa reads them: unknown fields refused, and refusals worded as Medusa's
//! validator words them (`Invalid request: Field 'title' is required`, `Unrecognized fields:
//! 'foo'`, `Expected type: 'string' for field 'title', got: '1'`), with paths written as Medusa
//! writes them (`variants, 0, prices`).

use crate::error::ApiError;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// A JSON body read the Medusa way; an empty body is an empty object.
pub struct MedusaJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for MedusaJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        crate::extract::declared_json(&req)?;
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(e.status(), "payload_too_large", "request entity too large")
            } else {
                ApiError::new(e.status(), "invalid_body", "The request body could not be read")
            }
        })?;
        parse(&bytes).map(MedusaJson)
    }
}

/// Medusa's way of writing a path: its parts joined by `, ` (`variants, 0, prices`).
pub fn path_words(path: &str) -> String {
    path.replace('[', ".")
        .replace(']', "")
        .split('.')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A 400 with Medusa's validator wording.
pub fn invalid(message: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "invalid_field",
        format!("Invalid request: {message}"),
    )
}

/// Decodes a body.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let text = inner.to_string();
        let text = text.split(" at line ").next().unwrap_or(&text).to_owned();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", text);
        }
        let within = |name: &str| {
            let full = if path == "." {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            };
            path_words(&full)
        };
        let quoted = |t: &str| t.split('`').nth(1).unwrap_or_default().to_owned();
        if text.starts_with("unknown field `") {
            return invalid(format!("Unrecognized fields: '{}'", quoted(&text)));
        }
        if text.starts_with("missing field `") {
            return invalid(format!("Field '{}' is required", within(&quoted(&text))));
        }
        if let Some(rest) = text.strip_prefix("invalid type: ") {
            // `integer `1`, expected a string`
            let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
            let got = got.split('`').nth(1).unwrap_or(got);
            let expected = expected
                .trim_start_matches("a ")
                .trim_start_matches("an ")
                .replace("sequence", "array")
                .replace("map", "object");
            return invalid(format!(
                "Expected type: '{expected}' for field '{}', got: '{got}'",
                path_words(&path)
            ));
        }
        if path == "." {
            invalid(text)
        } else {
            invalid(format!("{text} for field '{}'", path_words(&path)))
        }
    })
}

/// A field that may be absent (`None`), `null` (`Some(None)`) or given.
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A boolean, or its text (`"true"`, `"FALSE"`), as Medusa's boolean fields take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            B(bool),
            S(String),
        }
        match Raw::deserialize(d)? {
            Raw::B(b) => Ok(Flag(b)),
            Raw::S(s) if s.eq_ignore_ascii_case("true") => Ok(Flag(true)),
            Raw::S(s) if s.eq_ignore_ascii_case("false") => Ok(Flag(false)),
            Raw::S(s) => Err(serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&s),
                &"a boolean",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Thing {
        title: String,
        variants: Option<Vec<Inner>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        title: String,
    }

    fn message(body: &str) -> String {
        parse::<Thing>(body.as_bytes()).unwrap_err().message
    }

    #[test]
    fn refusals_read_like_medusas() {
        assert_eq!(message(""), "Invalid request: Field 'title' is required");
        assert_eq!(
            message(r#"{"title":"x","foo":1}"#),
            "Invalid request: Unrecognized fields: 'foo'"
        );
        assert_eq!(
            message(r#"{"title":1}"#),
            "Invalid request: Expected type: 'string' for field 'title', got: '1'"
        );
        assert_eq!(
            message(r#"{"title":"x","variants":[{}]}"#),
            "Invalid request: Field 'variants, 0, title' is required"
        );
        assert_eq!(
            path_words("variants[0].prices[1].amount"),
            "variants, 0, prices, 1, amount"
        );
    }
}
