//! Who is calling the Products API: a key in `Authorization: Bearer <key>`.

use crate::app::AppState;
use crate::auth::{authenticate, bearer};
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use pimento_core::auth::Ctx;

/// The authenticated caller of a Products API request.
pub struct Caller(pub Ctx);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)
            .ok_or_else(|| ApiError::unauthorized("Missing API key: send Authorization: Bearer <secret key>"))?;
        let ctx = authenticate(state, token, parts).await?;
        // A publishable key only reads: its write is refused before its body is read, so the
        // answer does not depend on what it sent.
        if !parts.method.is_safe() {
            ctx.principal.require_secret()?;
        }
        Ok(Caller(ctx))
    }
}

impl From<Caller> for Ctx {
    fn from(c: Caller) -> Ctx {
        c.0
    }
}
