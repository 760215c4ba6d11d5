//! `/api/v1/pim/categories`: the category tree.

use super::caller::PimCaller;
use super::params::{self, opt_id, paged};
use super::view::PimCategory;
use super::wire::{CreateCategory, UpdateCategory};
use crate::app::AppState;
use crate::error::ApiError;
use crate::error::ErrorBody;
use crate::extract::{JsonBody, QueryMap, path_id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use pimento_store::catalog::ParentFilter;

/// List categories in creation order; `parent_id` lists one category's children, `parent_id=root`
/// the top level.
#[utoipa::path(get, path = "/api/v1/pim/categories", tag = "Categories",
    params(
        ("parent_id" = Option<String>, Query, description = "A category's UUID, or `root`"),
        ("limit" = Option<u32>, Query, description = "Page size, 1 to 100 (default 100)"),
        ("cursor" = Option<String>, Query, description = "The X-Next-Cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "Categories", body = Vec<PimCategory>),
        (status = 400, description = "Invalid parameter", body = ErrorBody),
    ))]
pub async fn list_categories(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    QueryMap(q): QueryMap,
) -> Result<(HeaderMap, Json<Vec<PimCategory>>), ApiError> {
    let limit = params::limit(&q)?;
    let parent = match q.get("parent_id").map(String::as_str) {
        None | Some("") => ParentFilter::Any,
        Some("root") | Some("null") => ParentFilter::Root,
        Some(raw) => ParentFilter::Of(path_id("parent_id", raw)?),
    };
    let page = state
        .store
        .list_categories(&ctx, parent, limit, opt_id(&q, "cursor")?)
        .await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(paged("/api/v1/pim/categories", &q, limit, page.next_cursor, items))
}

/// Create a category, under a parent when `parent_id` is given.
#[utoipa::path(post, path = "/api/v1/pim/categories", tag = "Categories", request_body = CreateCategory,
    responses(
        (status = 201, description = "The new category", body = PimCategory),
        (status = 400, description = "Invalid field or unknown parent", body = ErrorBody),
        (status = 409, description = "Slug taken", body = ErrorBody),
    ))]
pub async fn create_category(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    JsonBody(body): JsonBody<CreateCategory>,
) -> Result<(StatusCode, Json<PimCategory>), ApiError> {
    let c = state.store.create_category(&ctx, body.into()).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// One category.
#[utoipa::path(get, path = "/api/v1/pim/categories/{id}", tag = "Categories",
    params(("id" = String, Path, description = "UUID of the category")),
    responses(
        (status = 200, description = "The category", body = PimCategory),
        (status = 404, description = "Category not found", body = ErrorBody),
    ))]
pub async fn get_category(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<Json<PimCategory>, ApiError> {
    Ok(Json(state.store.get_category(&ctx, path_id("id", &id)?).await?.into()))
}

/// Rename, re-slug or move a category (with its subtree). Moving it under itself or one of
/// its descendants is refused.
#[utoipa::path(put, path = "/api/v1/pim/categories/{id}", tag = "Categories", request_body = UpdateCategory,
    params(("id" = String, Path, description = "UUID of the category")),
    responses(
        (status = 200, description = "The updated category", body = PimCategory),
        (status = 400, description = "Invalid field, unknown parent or a cycle", body = ErrorBody),
        (status = 404, description = "Category not found", body = ErrorBody),
        (status = 409, description = "Slug taken", body = ErrorBody),
    ))]
pub async fn update_category(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<UpdateCategory>,
) -> Result<Json<PimCategory>, ApiError> {
    let c = state
        .store
        .update_category(&ctx, path_id("id", &id)?, body.into())
        .await?;
    Ok(Json(c.into()))
}

/// Delete a category that has no subcategories and no products.
#[utoipa::path(delete, path = "/api/v1/pim/categories/{id}", tag = "Categories",
    params(("id" = String, Path, description = "UUID of the category")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "Category not found", body = ErrorBody),
        (status = 409, description = "The category has subcategories (category_has_children) or products (in_use)", body = ErrorBody),
    ))]
pub async fn delete_category(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.store.delete_category(&ctx, path_id("id", &id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
