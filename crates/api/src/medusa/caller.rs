//! Who is calling the Medusa admin API: the organization's secret key, as the official
//! `@medusajs/js-sdk` sends its `apiKey` (HTTP Basic, the key as the user name and no
//! password), or as `Authorization: Bearer <key>`.

use crate::app::AppState;
use crate::auth::{authenticate, bearer};
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use pimento_core::auth::{Ctx, KeyKind};

/// An authenticated Medusa admin caller (always a secret key).
pub struct MedusaCaller(pub Ctx);

/// The key of an `Authorization: Basic base64(<key>:)` header (the colon and the encoding are
/// optional, as Medusa's are).
fn basic(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let encoded = encoded.trim();
    // Medusa also takes the key itself, unencoded, as some clients send it.
    let text = if encoded.starts_with("sk_") {
        encoded.to_owned()
    } else {
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded).ok()?).ok()?
    };
    let key = text.split_once(':').map_or(text.as_str(), |(user, _)| user);
    Some(key.to_owned()).filter(|k| !k.is_empty())
}

impl FromRequestParts<AppState> for MedusaCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let unauthorized = || ApiError::unauthorized("Unauthorized");
        let key = match basic(parts) {
            Some(k) => k,
            None => bearer(parts).ok_or_else(unauthorized)?.to_owned(),
        };
        let ctx = authenticate(state, &key, parts).await?;
        // The admin API takes secret keys only, as Medusa's does.
        if ctx.principal.kind != KeyKind::Secret {
            return Err(unauthorized());
        }
        Ok(MedusaCaller(ctx))
    }
}

impl From<MedusaCaller> for Ctx {
    fn from(c: MedusaCaller) -> Ctx {
        c.0
    }
}
