//! Versions over HTTP, the same in every API: an entity's `ETag` is its version as a strong
//! entity tag (`"7"`), and a write's `If-Match` becomes the core's [`Precondition`], which the
//! store checks in the write's transaction. `If-None-Match: *` asks a create not to land on
//! an existing entity.
//!
//! Tags are compared strongly, as RFC 9110 has `If-Match` do: a weak tag (`W/"7"`) or one this
//! server never sent matches nothing, so a write naming only such tags is refused with a 412
//! rather than applied.

use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::header::{ETAG, IF_MATCH, IF_NONE_MATCH};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use pimento_core::version::{self, Precondition, Version};
use pimento_core::{CoreError, Entity};

/// The `ETag` header for a version.
pub fn etag(v: Version) -> (HeaderName, HeaderValue) {
    // Quotes and digits are always a valid header value.
    let value = HeaderValue::from_str(&format!("\"{v}\"")).unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
    (ETAG, value)
}

/// The `ETag` header for a version, as a response part (`(tagged(v), Json(body))`).
pub fn tagged(v: Version) -> [(HeaderName, HeaderValue); 1] {
    [etag(v)]
}

/// The `If-Match` header, as the OpenAPI documents list it.
#[derive(utoipa::IntoParams)]
#[into_params(names("If-Match"), parameter_in = Header)]
#[allow(dead_code)]
pub struct IfMatchHeader(
    /// Write only if the entity's `ETag` is one of these (or `*`: if it exists); otherwise 412
    /// with the current `ETag`.
    Option<String>,
);

/// The `If-None-Match` header of a create, as the OpenAPI documents list it.
#[derive(utoipa::IntoParams)]
#[into_params(names("If-None-Match"), parameter_in = Header)]
#[allow(dead_code)]
pub struct IfNoneMatchHeader(
    /// `*`: create only; when the entity already exists, 412 with its `ETag`.
    Option<String>,
);

/// What a request's `If-Match` requires, if it has one.
pub struct IfMatch(pub Option<Precondition>);

impl IfMatch {
    /// The precondition to hand the store.
    pub fn get(&self) -> Option<&Precondition> {
        self.0.as_ref()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(IfMatch(if_match(&parts.headers)))
    }
}

/// How many times a merging write reads and merges again when another write lands between
/// its read and its write ([`merge_guard`]): each round one of the contenders wins, so this
/// many writes merging into one entity at once all land.
pub const MERGE_ATTEMPTS: usize = 64;

/// The precondition for a write whose change was computed from the entity as read at `read`
/// (a metadata merge): the request's own `If-Match` must hold for what was read, and the write
/// then requires the version read, so that a write landing in between refuses this one (the
/// caller reads and merges again, at most [`MERGE_ATTEMPTS`] times) instead of being lost.
pub fn merge_guard(if_match: Option<&Precondition>, entity: Entity, read: Version) -> Result<Precondition, ApiError> {
    version::check(if_match, entity, read)?;
    Ok(Precondition::OneOf(vec![read]))
}

/// Whether a store error is a refused precondition (another write landed first).
pub fn is_stale(e: &pimento_store::StoreError) -> bool {
    matches!(e, pimento_store::StoreError::Domain(CoreError::Stale { .. }))
}

/// What a merging write answers when it lost [`MERGE_ATTEMPTS`] rounds to other writes: the
/// request's own `If-Match` failing is a 412 (with the current `ETag`); without one, the
/// request named no version, so it is a 409 to retry, not a 412.
pub fn merge_refused(e: pimento_store::StoreError, if_match: Option<&Precondition>) -> ApiError {
    if if_match.is_none() && is_stale(&e) {
        ApiError::new(
            axum::http::StatusCode::CONFLICT,
            pimento_core::error::codes::CONFLICT,
            "Too many writes changed this at once; try again",
        )
    } else {
        e.into()
    }
}

/// Whether a request says `If-None-Match: *`: it wants to create, never to change what exists.
pub struct IfNoneMatch(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for IfNoneMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let any = parts
            .headers
            .get_all(IF_NONE_MATCH)
            .iter()
            .any(|v| v.to_str().is_ok_and(|s| s.trim() == "*"));
        Ok(IfNoneMatch(any))
    }
}

/// Reads every `If-Match` header: `*`, or a list of entity tags of which only strong ones that
/// this server could have sent count.
fn if_match(headers: &HeaderMap) -> Option<Precondition> {
    let mut values = headers.get_all(IF_MATCH).iter().peekable();
    values.peek()?;
    let mut versions = Vec::new();
    for value in values {
        let Ok(text) = value.to_str() else { continue };
        for tag in text.split(',').map(str::trim) {
            if tag == "*" {
                return Some(Precondition::Exists);
            }
            if let Some(v) = tag
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .and_then(|t| t.parse::<i64>().ok())
            {
                versions.push(Version(v));
            }
        }
    }
    Some(Precondition::OneOf(versions))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(values: &[&str]) -> Option<Precondition> {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(IF_MATCH, HeaderValue::from_str(v).unwrap());
        }
        if_match(&h)
    }

    #[test]
    fn reads_if_match() {
        assert_eq!(read(&[]), None);
        assert_eq!(read(&["*"]), Some(Precondition::Exists));
        assert_eq!(read(&["\"3\""]), Some(Precondition::OneOf(vec![Version(3)])));
        assert_eq!(
            read(&["\"3\", W/\"4\"", "\"5\""]),
            Some(Precondition::OneOf(vec![Version(3), Version(5)]))
        );
        assert_eq!(read(&["nonsense"]), Some(Precondition::OneOf(vec![])));
        assert_eq!(etag(Version(12)).1, "\"12\"");
    }
}
