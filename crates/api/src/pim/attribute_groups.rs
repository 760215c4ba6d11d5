//! `/api/v1/pim/attribute-groups`.

use super::caller::PimCaller;
use super::params::{Paging, paged};
use super::view::PimAttributeGroup;
use super::wire::AttributeGroupBody;
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, path_id};
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use crate::query::Query;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use pimento_core::attribute::AttributeGroupInput;

fn ids(list: Option<Vec<uuid::Uuid>>) -> Option<Vec<pimento_core::ids::AttributeId>> {
    list.map(|l| l.into_iter().map(Into::into).collect())
}

/// List attribute groups in creation order.
#[utoipa::path(get, path = "/api/v1/pim/attribute-groups", tag = "Attributes",
    params(Paging),
    responses((status = 200, description = "Attribute groups", body = Vec<PimAttributeGroup>)))]
pub async fn list_groups(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<Paging>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Json<Vec<PimAttributeGroup>>), ApiError> {
    let limit = q.limit.0;
    let page = state
        .store
        .list_attribute_groups(&ctx, limit, q.cursor.0.map(Into::into))
        .await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(paged(
        "/api/v1/pim/attribute-groups",
        raw.as_deref(),
        limit,
        page.next_cursor,
        items,
    ))
}

/// Create an attribute group, moving the listed attributes into it.
#[utoipa::path(post, path = "/api/v1/pim/attribute-groups", tag = "Attributes", request_body = AttributeGroupBody,
    responses(
        (status = 201, description = "The new group", body = PimAttributeGroup, headers(("ETag" = String, description = "The group's version"))),
        (status = 400, description = "Invalid field or unknown attribute", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody),
    ))]
pub async fn create_group(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    JsonBody(body): JsonBody<AttributeGroupBody>,
) -> Result<impl IntoResponse, ApiError> {
    let name = body.name.ok_or_else(|| ApiError::bad_request("name", "is required"))?;
    let input = AttributeGroupInput {
        name,
        description: body.description.apply(None),
        attribute_ids: ids(body.attribute_ids).unwrap_or_default(),
    };
    let g = state.store.create_attribute_group(&ctx, input).await?;
    Ok((StatusCode::CREATED, tagged(g.version), Json(PimAttributeGroup::from(g))))
}

/// One attribute group.
#[utoipa::path(get, path = "/api/v1/pim/attribute-groups/{id}", tag = "Attributes",
    params(("id" = String, Path, description = "UUID of the group")),
    responses(
        (status = 200, description = "The group", body = PimAttributeGroup, headers(("ETag" = String, description = "The group's version"))),
        (status = 404, description = "Attribute group not found", body = ErrorBody),
    ))]
pub async fn get_group(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let g = state.store.get_attribute_group(&ctx, path_id("id", &id)?).await?;
    Ok((tagged(g.version), Json(PimAttributeGroup::from(g))))
}

/// Rename a group, change its description, or replace its attributes.
#[utoipa::path(put, path = "/api/v1/pim/attribute-groups/{id}", tag = "Attributes", request_body = AttributeGroupBody,
    params(("id" = String, Path, description = "UUID of the group"), IfMatchHeader),
    responses(
        (status = 200, description = "The updated group", body = PimAttributeGroup, headers(("ETag" = String, description = "The group's new version"))),
        (status = 400, description = "Invalid field or unknown attribute", body = ErrorBody),
        (status = 404, description = "Attribute group not found", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody),
        (status = 412, description = "The group is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The group's current version"))),
    ))]
pub async fn update_group(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<AttributeGroupBody>,
) -> Result<impl IntoResponse, ApiError> {
    let g = state
        .store
        .update_attribute_group(
            &ctx,
            path_id("id", &id)?,
            if_match.get(),
            body.name,
            body.description,
            ids(body.attribute_ids),
        )
        .await?;
    Ok((tagged(g.version), Json(PimAttributeGroup::from(g))))
}

/// Delete a group; its attributes stay, ungrouped.
#[utoipa::path(delete, path = "/api/v1/pim/attribute-groups/{id}", tag = "Attributes",
    params(("id" = String, Path, description = "UUID of the group"), IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "Attribute group not found", body = ErrorBody),
        (status = 412, description = "The group is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The group's current version"))),
    ))]
pub async fn delete_group(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .delete_attribute_group(&ctx, path_id("id", &id)?, if_match.get())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
