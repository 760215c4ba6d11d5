//! Variant options: the organization's options (`/api/v1/variant-options`) and their assignment
//! to a product (`/api/v1/products/{productId}/variant-options`).

use super::caller::Caller;
use super::params::PageSize;
use super::view::VariantOptionOut;
use super::wire::{AssignOptions, CreateOption, UpdateOption};
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, path_id};
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use crate::query::{Id, Query};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use pimento_core::ids::OptionId;
use serde::Deserialize;
use utoipa::IntoParams;

/// Get the variant options assigned to a product.
#[utoipa::path(get, path = "/api/v1/products/{productId}/variant-options", tag = "Variant options",
    params(("productId" = String, Path, description = "The product ID")),
    responses(
        (status = 200, description = "Assigned options with their values, in order", body = Vec<VariantOptionOut>),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
    ))]
pub async fn product_options(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(product): Path<String>,
) -> Result<Json<Vec<VariantOptionOut>>, ApiError> {
    let product = path_id("productId", &product)?;
    let os = state.store.product_options(&ctx, product).await?;
    Ok(Json(os.into_iter().map(Into::into).collect()))
}

/// Assign variant options to a product (already assigned ones stay).
#[utoipa::path(post, path = "/api/v1/products/{productId}/variant-options", tag = "Variant options", request_body = AssignOptions,
    params(("productId" = String, Path, description = "The product ID"), IfMatchHeader),
    responses(
        (status = 200, description = "All options now assigned", body = Vec<VariantOptionOut>),
        (status = 400, description = "Unknown option or too many", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
        (status = 412, description = "The product is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The product's current version"))),
    ))]
pub async fn assign_options(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(product): Path<String>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<AssignOptions>,
) -> Result<Json<Vec<VariantOptionOut>>, ApiError> {
    let product = path_id("productId", &product)?;
    let ids = body.variant_option_ids.into_iter().map(Into::into).collect();
    let os = state.store.assign_options(&ctx, product, if_match.get(), ids).await?;
    Ok(Json(os.into_iter().map(Into::into).collect()))
}

/// Remove a variant option from a product.
#[utoipa::path(delete, path = "/api/v1/products/{productId}/variant-options/{optionId}", tag = "Variant options",
    params(("productId" = String, Path, description = "The product ID"), ("optionId" = String, Path, description = "The option ID"), IfMatchHeader),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product not found, or option not assigned", body = ErrorBody),
        (status = 412, description = "The product is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The product's current version"))),
        (status = 409, description = "Cannot remove: variants exist", body = ErrorBody),
    ))]
pub async fn unassign_option(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path((product, option)): Path<(String, String)>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    let product = path_id("productId", &product)?;
    let option = path_id("optionId", &option)?;
    state
        .store
        .unassign_option(&ctx, product, if_match.get(), option)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Create a variant option with its values.
#[utoipa::path(post, path = "/api/v1/variant-options", tag = "Variant options", request_body = CreateOption,
    responses(
        (status = 201, description = "The new option", body = VariantOptionOut),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 409, description = "Name or value taken", body = ErrorBody),
    ))]
pub async fn create_option(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    JsonBody(body): JsonBody<CreateOption>,
) -> Result<(StatusCode, Json<VariantOptionOut>), ApiError> {
    let o = state.store.create_option(&ctx, body.into()).await?;
    Ok((StatusCode::CREATED, Json(o.into())))
}

/// What `GET /api/v1/variant-options` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListOptions {
    /// Page size, 1 to 200 (default 50)
    #[param(value_type = Option<u32>)]
    pub limit: PageSize,
    /// The X-Next-Cursor of the previous page
    #[param(value_type = Option<String>)]
    pub cursor: Option<Id<OptionId>>,
}

/// List the organization's variant options.
#[utoipa::path(get, path = "/api/v1/variant-options", tag = "Variant options",
    params(ListOptions),
    responses(
        (status = 200, description = "A page of options", body = Vec<VariantOptionOut>),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
    ))]
pub async fn list_options(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Query(q): Query<ListOptions>,
) -> Result<(HeaderMap, Json<Vec<VariantOptionOut>>), ApiError> {
    let after = q.cursor.map(|Id(id)| id);
    let page = state.store.list_options(&ctx, q.limit.0, after).await?;
    let mut headers = HeaderMap::new();
    if let Some(v) = page.next_cursor.as_deref().and_then(|n| HeaderValue::from_str(n).ok()) {
        headers.insert("x-next-cursor", v);
    }
    Ok((headers, Json(page.items.into_iter().map(Into::into).collect())))
}

/// Get a variant option.
#[utoipa::path(get, path = "/api/v1/variant-options/{optionId}", tag = "Variant options",
    params(("optionId" = String, Path, description = "The option ID")),
    responses(
        (status = 200, description = "The option", body = VariantOptionOut, headers(("ETag" = String, description = "The option's version"))),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Variant option not found", body = ErrorBody),
    ))]
pub async fn get_option(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let id = path_id("optionId", &id)?;
    let o = state.store.get_option(&ctx, id).await?;
    Ok((tagged(o.version), Json(VariantOptionOut::from(o))))
}

/// Rename an option or replace its values (a value in use by a variant cannot be removed).
#[utoipa::path(put, path = "/api/v1/variant-options/{optionId}", tag = "Variant options", request_body = UpdateOption,
    params(("optionId" = String, Path, description = "The option ID"), IfMatchHeader),
    responses(
        (status = 200, description = "The updated option", body = VariantOptionOut, headers(("ETag" = String, description = "The option's new version"))),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Variant option not found", body = ErrorBody),
        (status = 409, description = "Name taken, or a removed value is in use", body = ErrorBody),
        (status = 412, description = "The option is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The option's current version"))),
    ))]
pub async fn update_option(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<UpdateOption>,
) -> Result<impl IntoResponse, ApiError> {
    let id = path_id("optionId", &id)?;
    let o = state.store.update_option(&ctx, id, if_match.get(), body.into()).await?;
    Ok((tagged(o.version), Json(VariantOptionOut::from(o))))
}

/// Delete a variant option no variant uses.
#[utoipa::path(delete, path = "/api/v1/variant-options/{optionId}", tag = "Variant options",
    params(("optionId" = String, Path, description = "The option ID"), IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Variant option not found", body = ErrorBody),
        (status = 409, description = "Cannot remove: variants exist", body = ErrorBody),
        (status = 412, description = "The option is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The option's current version"))),
    ))]
pub async fn delete_option(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    let id = path_id("optionId", &id)?;
    state.store.delete_option(&ctx, id, if_match.get()).await?;
    Ok(StatusCode::NO_CONTENT)
}
