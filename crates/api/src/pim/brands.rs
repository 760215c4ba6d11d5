//! `/api/v1/pim/brands`.

use super::caller::PimCaller;
use super::params::{Paging, paged};
use super::view::PimBrand;
use super::wire::{CreateBrand, UpdateBrand};
use crate::app::AppState;
use crate::error::ApiError;
use crate::error::ErrorBody;
use crate::extract::{JsonBody, path_id};
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use crate::query::Query;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;

/// List brands in creation order.
#[utoipa::path(get, path = "/api/v1/pim/brands", tag = "Brands",
    params(Paging),
    responses((status = 200, description = "Brands", body = Vec<PimBrand>)))]
pub async fn list_brands(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<Paging>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Json<Vec<PimBrand>>), ApiError> {
    let limit = q.limit.0;
    let page = state.store.list_brands(&ctx, limit, q.cursor.0.map(Into::into)).await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(paged(
        "/api/v1/pim/brands",
        raw.as_deref(),
        limit,
        page.next_cursor,
        items,
    ))
}

/// Create a brand.
#[utoipa::path(post, path = "/api/v1/pim/brands", tag = "Brands", request_body = CreateBrand,
    responses(
        (status = 201, description = "The new brand", body = PimBrand, headers(("ETag" = String, description = "The brand's version"))),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody),
    ))]
pub async fn create_brand(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    JsonBody(body): JsonBody<CreateBrand>,
) -> Result<impl IntoResponse, ApiError> {
    let b = state.store.create_brand(&ctx, body.into()).await?;
    Ok((StatusCode::CREATED, tagged(b.version), Json(PimBrand::from(b))))
}

/// One brand.
#[utoipa::path(get, path = "/api/v1/pim/brands/{id}", tag = "Brands",
    params(("id" = String, Path, description = "UUID of the brand")),
    responses(
        (status = 200, description = "The brand", body = PimBrand, headers(("ETag" = String, description = "The brand's version"))),
        (status = 404, description = "Brand not found", body = ErrorBody),
    ))]
pub async fn get_brand(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let b = state.store.get_brand(&ctx, path_id("id", &id)?).await?;
    Ok((tagged(b.version), Json(PimBrand::from(b))))
}

/// Change a brand's fields; `null` clears the description or logo.
#[utoipa::path(put, path = "/api/v1/pim/brands/{id}", tag = "Brands", request_body = UpdateBrand,
    params(("id" = String, Path, description = "UUID of the brand"), IfMatchHeader),
    responses(
        (status = 200, description = "The updated brand", body = PimBrand, headers(("ETag" = String, description = "The brand's new version"))),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 404, description = "Brand not found", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody),
        (status = 412, description = "The brand is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The brand's current version"))),
    ))]
pub async fn update_brand(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<UpdateBrand>,
) -> Result<impl IntoResponse, ApiError> {
    let b = state
        .store
        .update_brand(&ctx, path_id("id", &id)?, if_match.get(), body.into())
        .await?;
    Ok((tagged(b.version), Json(PimBrand::from(b))))
}

/// Delete a brand no product carries.
#[utoipa::path(delete, path = "/api/v1/pim/brands/{id}", tag = "Brands",
    params(("id" = String, Path, description = "UUID of the brand"), IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "Brand not found", body = ErrorBody),
        (status = 409, description = "Products carry this brand (in_use)", body = ErrorBody),
        (status = 412, description = "The brand is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The brand's current version"))),
    ))]
pub async fn delete_brand(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .delete_brand(&ctx, path_id("id", &id)?, if_match.get())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
