//! Who is calling the PIM API: a secret key in `Authorization: Bearer <key>` plus the
//! `X-Tenant-ID` and `X-Org-ID` headers, which must name the key's own tenant and organization.

use crate::app::AppState;
use crate::auth::{authenticate, bearer};
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use pimento_core::auth::{Ctx, KeyKind};
use uuid::Uuid;

/// An authenticated PIM caller.
pub struct PimCaller(pub Ctx);

fn header_uuid(parts: &Parts, name: &'static str) -> Result<Uuid, ApiError> {
    let raw = parts
        .headers
        .get(name)
        .ok_or_else(|| ApiError::bad_request(name, "header is required"))?;
    raw.to_str()
        .ok()
        .and_then(|s| Uuid::parse_str(s.trim()).ok())
        .ok_or_else(|| ApiError::bad_request(name, "must be a UUID"))
}

impl FromRequestParts<AppState> for PimCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)
            .ok_or_else(|| ApiError::unauthorized("Missing API key: send Authorization: Bearer <secret key>"))?;
        let ctx = authenticate(state, token, parts).await?;
        let tenant = header_uuid(parts, "X-Tenant-ID")?;
        let org = header_uuid(parts, "X-Org-ID")?;
        // One answer for a foreign tenant, a foreign organization and one that does not exist,
        // so the headers cannot be used to probe for other customers.
        if tenant != ctx.principal.tenant_id.0 || org != ctx.principal.organization_id.0 {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "Tenant or organization not found for this key",
            ));
        }
        if ctx.principal.kind != KeyKind::Secret {
            return Err(ApiError::forbidden("The PIM API needs a secret key"));
        }
        Ok(PimCaller(ctx))
    }
}

impl From<PimCaller> for Ctx {
    fn from(c: PimCaller) -> Ctx {
        c.0
    }
}
