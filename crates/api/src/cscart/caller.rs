//! Who is calling the CS-Cart API: HTTP Basic, as CS-Cart clients send it: the user name is an
//! administrator's e-mail (any is taken: a key belongs to one organization, not to a person)
//! and the password is the organization's secret key. A publishable key is refused (403): the
//! CS-Cart API is an administrator's.

use crate::app::AppState;
use crate::auth::authenticate;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use pimento_core::auth::{Ctx, KeyKind};

/// An authenticated CS-Cart caller (always a secret key).
pub struct CsCartCaller(pub Ctx);

/// The password of an `Authorization: Basic base64(<email>:<key>)` header.
fn basic_password(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let text = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (_, key) = text.split_once(':')?;
    Some(key.to_owned()).filter(|k| !k.is_empty())
}

impl FromRequestParts<AppState> for CsCartCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let key = basic_password(parts).ok_or_else(|| ApiError::unauthorized("Unauthorized"))?;
        let ctx = authenticate(state, &key, parts).await?;
        if ctx.principal.kind != KeyKind::Secret {
            return Err(ApiError::forbidden(
                "Access denied: a publishable key cannot use the admin API",
            ));
        }
        Ok(CsCartCaller(ctx))
    }
}

impl From<CsCartCaller> for Ctx {
    fn from(c: CsCartCaller) -> Ctx {
        c.0
    }
}
