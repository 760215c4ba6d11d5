//! `/api/v1/pim/attributes`: typed attribute definitions.

use super::caller::PimCaller;
use super::params::{PageSize, paged};
use super::view::PimAttribute;
use super::wire::{CreateAttribute, UpdateAttribute};
use crate::app::AppState;
use crate::error::ApiError;
use crate::error::ErrorBody;
use crate::extract::{JsonBody, path_id};
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use crate::query::{OptId, Query};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use pimento_core::attribute::DeletedValues;
use pimento_core::ids::{AttributeGroupId, AttributeId};
use serde::Deserialize;
use utoipa::IntoParams;

/// What `GET /api/v1/pim/attributes` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListAttributes {
    /// Only attributes of this group
    #[param(value_type = Option<String>)]
    pub group_id: OptId<AttributeGroupId>,
    /// Page size, 1 to 100 (default 100)
    #[param(value_type = Option<u32>)]
    pub limit: PageSize,
    /// The X-Next-Cursor of the previous page
    #[param(value_type = Option<String>)]
    pub cursor: OptId<AttributeId>,
}

/// List attributes in creation order, optionally of one group.
#[utoipa::path(get, path = "/api/v1/pim/attributes", tag = "Attributes",
    params(ListAttributes),
    responses((status = 200, description = "Attributes", body = Vec<PimAttribute>)))]
pub async fn list_attributes(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<ListAttributes>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Json<Vec<PimAttribute>>), ApiError> {
    let limit = q.limit.0;
    let page = state
        .store
        .list_attributes(&ctx, q.group_id.0, limit, q.cursor.0)
        .await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(paged(
        "/api/v1/pim/attributes",
        raw.as_deref(),
        limit,
        page.next_cursor,
        items,
    ))
}

/// Create an attribute: TEXT (default), NUMBER, BOOLEAN, or SELECT with its `options`.
#[utoipa::path(post, path = "/api/v1/pim/attributes", tag = "Attributes", request_body = CreateAttribute,
    responses(
        (status = 201, description = "The new attribute", body = PimAttribute, headers(("ETag" = String, description = "The attribute's version"))),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 409, description = "Key taken", body = ErrorBody),
    ))]
pub async fn create_attribute(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    JsonBody(body): JsonBody<CreateAttribute>,
) -> Result<impl IntoResponse, ApiError> {
    let a = state.store.create_attribute(&ctx, body.into_input()?).await?;
    Ok((StatusCode::CREATED, tagged(a.version), Json(PimAttribute::from(a))))
}

/// One attribute.
#[utoipa::path(get, path = "/api/v1/pim/attributes/{id}", tag = "Attributes",
    params(("id" = String, Path, description = "UUID of the attribute")),
    responses(
        (status = 200, description = "The attribute", body = PimAttribute, headers(("ETag" = String, description = "The attribute's version"))),
        (status = 404, description = "Attribute not found", body = ErrorBody),
    ))]
pub async fn get_attribute(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let a = state.store.get_attribute(&ctx, path_id("id", &id)?).await?;
    Ok((tagged(a.version), Json(PimAttribute::from(a))))
}

/// Rename an attribute, replace a SELECT's options, or change its group.
#[utoipa::path(put, path = "/api/v1/pim/attributes/{id}", tag = "Attributes", request_body = UpdateAttribute,
    params(("id" = String, Path, description = "UUID of the attribute"), IfMatchHeader),
    responses(
        (status = 200, description = "The updated attribute", body = PimAttribute, headers(("ETag" = String, description = "The attribute's new version"))),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 404, description = "Attribute not found", body = ErrorBody),
        (status = 412, description = "The attribute is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The attribute's current version"))),
    ))]
pub async fn update_attribute(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<UpdateAttribute>,
) -> Result<impl IntoResponse, ApiError> {
    let a = state
        .store
        .update_attribute(&ctx, path_id("id", &id)?, if_match.get(), body.into())
        .await?;
    Ok((tagged(a.version), Json(PimAttribute::from(a))))
}

/// Delete an attribute no template names.
#[utoipa::path(delete, path = "/api/v1/pim/attributes/{id}", tag = "Attributes",
    params(("id" = String, Path, description = "UUID of the attribute"), IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "Attribute not found", body = ErrorBody),
        (status = 409, description = "A template uses it (in_use)", body = ErrorBody),
        (status = 412, description = "The attribute is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The attribute's current version"))),
    ))]
pub async fn delete_attribute(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .delete_attribute(&ctx, path_id("id", &id)?, if_match.get(), DeletedValues::Stay)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
