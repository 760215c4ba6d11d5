//! `/api/v1/products/{productId}/media-assets`: attach, list, update, reorder, remove. A
//! product's media are the product's: writes take `If-Match` with the product's `ETag`.

use super::caller::Caller;
use super::view::ProductMediaOut;
use super::wire::{MediaBody, ReorderMedia, UpdateMedia};
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, path_id};
use crate::precondition::{IfMatch, IfMatchHeader};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

/// Add a media asset to a product.
#[utoipa::path(post, path = "/api/v1/products/{productId}/media-assets", tag = "Media assets", request_body = MediaBody,
    params(("productId" = String, Path, description = "The product ID"), IfMatchHeader),
    responses(
        (status = 201, description = "The attachment", body = ProductMediaOut),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
        (status = 412, description = "The product is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The product's current version"))),
    ))]
pub async fn add_media(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(product): Path<String>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<MediaBody>,
) -> Result<(StatusCode, Json<ProductMediaOut>), ApiError> {
    let product = path_id("productId", &product)?;
    let m = state
        .store
        .add_media(&ctx, product, if_match.get(), body.into_input())
        .await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

/// List a product's media assets in position order.
#[utoipa::path(get, path = "/api/v1/products/{productId}/media-assets", tag = "Media assets",
    params(("productId" = String, Path, description = "The product ID")),
    responses(
        (status = 200, description = "The attachments", body = Vec<ProductMediaOut>),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
    ))]
pub async fn list_media(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(product): Path<String>,
) -> Result<Json<Vec<ProductMediaOut>>, ApiError> {
    let product = path_id("productId", &product)?;
    let ms = state.store.list_media(&ctx, product).await?;
    Ok(Json(ms.into_iter().map(Into::into).collect()))
}

/// Update an attachment and its asset. `assetId` is the attachment id or the media asset id.
#[utoipa::path(put, path = "/api/v1/products/{productId}/media-assets/{assetId}", tag = "Media assets", request_body = UpdateMedia,
    params(("productId" = String, Path, description = "The product ID"), ("assetId" = String, Path, description = "Attachment or media asset ID"), IfMatchHeader),
    responses(
        (status = 200, description = "The updated attachment", body = ProductMediaOut),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product or media asset not found", body = ErrorBody),
        (status = 412, description = "The product is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The product's current version"))),
    ))]
pub async fn update_media(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path((product, asset)): Path<(String, String)>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<UpdateMedia>,
) -> Result<Json<ProductMediaOut>, ApiError> {
    let product = path_id("productId", &product)?;
    let asset = path_id("assetId", &asset)?;
    let m = state
        .store
        .update_media(&ctx, product, if_match.get(), asset, body.into())
        .await?;
    Ok(Json(m.into()))
}

/// Put all of a product's media assets in a new order.
#[utoipa::path(put, path = "/api/v1/products/{productId}/media-assets/reorder", tag = "Media assets", request_body = ReorderMedia,
    params(("productId" = String, Path, description = "The product ID"), IfMatchHeader),
    responses(
        (status = 200, description = "The attachments in their new order", body = Vec<ProductMediaOut>),
        (status = 400, description = "The list does not name every attachment once", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
        (status = 412, description = "The product is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The product's current version"))),
    ))]
pub async fn reorder_media(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(product): Path<String>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<ReorderMedia>,
) -> Result<Json<Vec<ProductMediaOut>>, ApiError> {
    let product = path_id("productId", &product)?;
    let ms = state
        .store
        .reorder_media(&ctx, product, if_match.get(), body.asset_ids)
        .await?;
    Ok(Json(ms.into_iter().map(Into::into).collect()))
}

/// Remove a media asset from a product.
#[utoipa::path(delete, path = "/api/v1/products/{productId}/media-assets/{assetId}", tag = "Media assets",
    params(("productId" = String, Path, description = "The product ID"), ("assetId" = String, Path, description = "Attachment or media asset ID"), IfMatchHeader),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product or media asset not found", body = ErrorBody),
        (status = 412, description = "The product is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The product's current version"))),
    ))]
pub async fn remove_media(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path((product, asset)): Path<(String, String)>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    let product = path_id("productId", &product)?;
    let asset = path_id("assetId", &asset)?;
    state.store.remove_media(&ctx, product, if_match.get(), asset).await?;
    Ok(StatusCode::NO_CONTENT)
}
