//! `/api/v1/pim/categories`: the category tree.

use super::caller::PimCaller;
use super::params::{PageSize, paged};
use super::view::PimCategory;
use super::wire::{CreateCategory, UpdateCategory};
use crate::app::AppState;
use crate::error::ApiError;
use crate::error::ErrorBody;
use crate::extract::{JsonBody, path_id};
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use crate::query::{OptId, Query, from_text, parse_as};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use pimento_core::ids::CategoryId;
use pimento_store::catalog::ParentFilter;
use serde::{Deserialize, Deserializer};
use utoipa::IntoParams;

/// What `GET /api/v1/pim/categories` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListCategories {
    /// A category's UUID, or `root`
    #[param(value_type = Option<String>)]
    pub parent_id: ParentParam,
    /// Page size, 1 to 100 (default 100)
    #[param(value_type = Option<u32>)]
    pub limit: PageSize,
    /// The X-Next-Cursor of the previous page
    #[param(value_type = Option<String>)]
    pub cursor: OptId<CategoryId>,
}

/// `?parent_id=`: a category's UUID for its children, `root` (or `null`) for the top level;
/// blank or absent lists every category.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParentParam(pub ParentFilter);

impl<'de> Deserialize<'de> for ParentParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| match raw {
            "" => Ok(ParentParam(ParentFilter::Any)),
            "root" | "null" => Ok(ParentParam(ParentFilter::Root)),
            raw => parse_as(raw, "a valid UUID").map(|id| ParentParam(ParentFilter::Of(id))),
        })
    }
}

/// List categories in creation order; `parent_id` lists one category's children, `parent_id=root`
/// the top level.
#[utoipa::path(get, path = "/api/v1/pim/categories", tag = "Categories",
    params(ListCategories),
    responses(
        (status = 200, description = "Categories", body = Vec<PimCategory>),
        (status = 400, description = "Invalid parameter", body = ErrorBody),
    ))]
pub async fn list_categories(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<ListCategories>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Json<Vec<PimCategory>>), ApiError> {
    let limit = q.limit.0;
    let page = state
        .store
        .list_categories(&ctx, q.parent_id.0, limit, q.cursor.0)
        .await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(paged(
        "/api/v1/pim/categories",
        raw.as_deref(),
        limit,
        page.next_cursor,
        items,
    ))
}

/// Create a category, under a parent when `parent_id` is given.
#[utoipa::path(post, path = "/api/v1/pim/categories", tag = "Categories", request_body = CreateCategory,
    responses(
        (status = 201, description = "The new category", body = PimCategory, headers(("ETag" = String, description = "The category's version"))),
        (status = 400, description = "Invalid field or unknown parent", body = ErrorBody),
        (status = 409, description = "Slug taken", body = ErrorBody),
    ))]
pub async fn create_category(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    JsonBody(body): JsonBody<CreateCategory>,
) -> Result<impl IntoResponse, ApiError> {
    let c = state.store.create_category(&ctx, body.into()).await?;
    Ok((StatusCode::CREATED, tagged(c.version), Json(PimCategory::from(c))))
}

/// One category.
#[utoipa::path(get, path = "/api/v1/pim/categories/{id}", tag = "Categories",
    params(("id" = String, Path, description = "UUID of the category")),
    responses(
        (status = 200, description = "The category", body = PimCategory, headers(("ETag" = String, description = "The category's version"))),
        (status = 404, description = "Category not found", body = ErrorBody),
    ))]
pub async fn get_category(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let c = state.store.get_category(&ctx, path_id("id", &id)?).await?;
    Ok((tagged(c.version), Json(PimCategory::from(c))))
}

/// Rename, re-slug or move a category (with its subtree). Moving it under itself or one of
/// its descendants is refused.
#[utoipa::path(put, path = "/api/v1/pim/categories/{id}", tag = "Categories", request_body = UpdateCategory,
    params(("id" = String, Path, description = "UUID of the category"), IfMatchHeader),
    responses(
        (status = 200, description = "The updated category", body = PimCategory, headers(("ETag" = String, description = "The category's new version"))),
        (status = 400, description = "Invalid field, unknown parent or a cycle", body = ErrorBody),
        (status = 404, description = "Category not found", body = ErrorBody),
        (status = 409, description = "Slug taken", body = ErrorBody),
        (status = 412, description = "The category is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The category's current version"))),
    ))]
pub async fn update_category(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<UpdateCategory>,
) -> Result<impl IntoResponse, ApiError> {
    let c = state
        .store
        .update_category(&ctx, path_id("id", &id)?, if_match.get(), body.into())
        .await?;
    Ok((tagged(c.version), Json(PimCategory::from(c))))
}

/// Delete a category that has no subcategories and no products.
#[utoipa::path(delete, path = "/api/v1/pim/categories/{id}", tag = "Categories",
    params(("id" = String, Path, description = "UUID of the category"), IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "Category not found", body = ErrorBody),
        (status = 409, description = "The category has subcategories (category_has_children) or products (in_use)", body = ErrorBody),
        (status = 412, description = "The category is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The category's current version"))),
    ))]
pub async fn delete_category(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .delete_category(&ctx, path_id("id", &id)?, if_match.get())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
