//! `/api/v1/pim/api-keys`: the organization's API keys, issued and revoked over HTTP by a
//! secret key of the same organization. A token is shown once, in the answer that issues it.

use super::caller::PimCaller;
use super::view::{PimApiKey, PimIssuedKey};
use super::wire::CreateApiKey;
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, path_id};
use crate::idempotency::NotKept;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use pimento_core::ids::ApiKeyId;
use pimento_store::orgs::Revocation;

/// The organization's keys, revoked ones included, oldest first; never their tokens.
#[utoipa::path(get, path = "/api/v1/pim/api-keys", tag = "API keys",
    responses(
        (status = 200, description = "Keys", body = Vec<PimApiKey>),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
    ))]
pub async fn list_keys(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
) -> Result<Json<Vec<PimApiKey>>, ApiError> {
    let keys = state.store.list_keys(ctx.principal.organization_id).await?;
    Ok(Json(keys.into_iter().map(Into::into).collect()))
}

/// Issue a key: `SECRET` (the default) or `PUBLISHABLE`. The answer is the only time the
/// token is shown.
#[utoipa::path(post, path = "/api/v1/pim/api-keys", tag = "API keys", request_body = CreateApiKey,
    responses(
        (status = 201, description = "The new key with its token", body = PimIssuedKey),
        (status = 400, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn create_key(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    JsonBody(body): JsonBody<CreateApiKey>,
) -> Result<(StatusCode, Extension<NotKept>, Json<PimIssuedKey>), ApiError> {
    let created = state
        .store
        .create_key(ctx.principal.organization_id, body.kind.into(), body.name.as_deref())
        .await?;
    // The token is stored hashed only: an answer kept for an `Idempotency-Key` would keep it.
    Ok((StatusCode::CREATED, Extension(NotKept), Json(created.into())))
}

/// Revoke a key: every request with it is refused at once on this server and within 5 seconds
/// on every other. The key stays listed, with `revoked_at`; revoking it again changes nothing.
#[utoipa::path(delete, path = "/api/v1/pim/api-keys/{id}", tag = "API keys",
    params(("id" = String, Path, description = "UUID of the key")),
    responses(
        (status = 200, description = "The revoked key", body = PimApiKey),
        (status = 404, description = "No such key in this organization", body = ErrorBody),
    ))]
pub async fn revoke_key(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<Json<PimApiKey>, ApiError> {
    let id: ApiKeyId = path_id("id", &id)?;
    match state
        .store
        .revoke_key(&id.to_string(), Some(ctx.principal.organization_id))
        .await?
    {
        Revocation::Revoked(key) | Revocation::AlreadyRevoked(key) => {
            state.keys.forget(key.id);
            Ok(Json(key.into()))
        }
        // An id names one key; an ambiguous answer cannot come from it.
        Revocation::NotFound | Revocation::Ambiguous(_) => {
            Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", "API key not found"))
        }
    }
}
