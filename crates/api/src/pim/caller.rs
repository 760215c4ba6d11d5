//! Who is calling the PIM API: a secret key plus the `X-Tenant-ID` and `X-Org-ID` headers,
//! which must name the key's own tenant and organization.

use super::error::PimError;
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use pimento_core::auth::{Ctx, KeyKind};
use uuid::Uuid;

/// An authenticated PIM caller.
pub struct PimCaller(pub Ctx);

fn header_uuid(parts: &Parts, name: &'static str) -> Result<Uuid, PimError> {
    let raw = parts
        .headers
        .get(name)
        .ok_or_else(|| ApiError::bad_request(name, format!("{name}: header is required")))?;
    raw.to_str()
        .ok()
        .and_then(|s| Uuid::parse_str(s.trim()).ok())
        .ok_or_else(|| ApiError::bad_request(name, format!("{name}: must be a UUID")).into())
}

impl FromRequestParts<AppState> for PimCaller {
    type Rejection = PimError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Caller(ctx) = Caller::from_request_parts(parts, state).await?;
        let tenant = header_uuid(parts, "X-Tenant-ID")?;
        let org = header_uuid(parts, "X-Org-ID")?;
        // One answer for a foreign tenant, a foreign organization and one that does not exist,
        // so the headers cannot be used to probe for other customers.
        if tenant != ctx.principal.tenant_id.0 || org != ctx.principal.organization_id.0 {
            return Err(ApiError {
                status: StatusCode::NOT_FOUND,
                code: "not_found",
                message: "Tenant or organization not found for this key".into(),
                field: None,
            }
            .into());
        }
        if ctx.principal.kind != KeyKind::Secret {
            return Err(ApiError {
                status: StatusCode::FORBIDDEN,
                code: "forbidden",
                message: "The PIM API needs a secret key".into(),
                field: None,
            }
            .into());
        }
        Ok(PimCaller(ctx))
    }
}
