//! `/api/v1/products/{productId}/variants`: add, list, get, update, delete.

use super::caller::Caller;
use super::view::VariantOut;
use super::wire::{UpdateVariant, VariantBody};
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, path_id};
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;

/// Add a variant to a product.
#[utoipa::path(post, path = "/api/v1/products/{productId}/variants", tag = "Variants", request_body = VariantBody,
    params(("productId" = String, Path, description = "The product ID")),
    responses(
        (status = 201, description = "The new variant", body = VariantOut, headers(("ETag" = String, description = "The variant's version"))),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
        (status = 409, description = "Duplicate SKU or option combination", body = ErrorBody),
    ))]
pub async fn create_variant(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(product): Path<String>,
    JsonBody(body): JsonBody<VariantBody>,
) -> Result<impl IntoResponse, ApiError> {
    let product = path_id("productId", &product)?;
    let v = state.store.create_variant(&ctx, product, body.into_input("")?).await?;
    Ok((StatusCode::CREATED, tagged(v.version), Json(VariantOut::from(v))))
}

/// List a product's variants in order.
#[utoipa::path(get, path = "/api/v1/products/{productId}/variants", tag = "Variants",
    params(("productId" = String, Path, description = "The product ID")),
    responses(
        (status = 200, description = "The variants", body = Vec<VariantOut>),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
    ))]
pub async fn list_variants(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(product): Path<String>,
) -> Result<Json<Vec<VariantOut>>, ApiError> {
    let product = path_id("productId", &product)?;
    let vs = state.store.list_variants(&ctx, product).await?;
    Ok(Json(vs.into_iter().map(Into::into).collect()))
}

/// Get one variant.
#[utoipa::path(get, path = "/api/v1/products/{productId}/variants/{variantId}", tag = "Variants",
    params(("productId" = String, Path, description = "The product ID"), ("variantId" = String, Path, description = "The variant ID")),
    responses(
        (status = 200, description = "The variant", body = VariantOut, headers(("ETag" = String, description = "The variant's version"))),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product or variant not found", body = ErrorBody),
    ))]
pub async fn get_variant(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path((product, variant)): Path<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let product = path_id("productId", &product)?;
    let variant = path_id("variantId", &variant)?;
    let v = state.store.get_variant(&ctx, product, variant).await?;
    Ok((tagged(v.version), Json(VariantOut::from(v))))
}

/// Update a variant; `options`, when given, replaces its option values.
#[utoipa::path(put, path = "/api/v1/products/{productId}/variants/{variantId}", tag = "Variants", request_body = UpdateVariant,
    params(("productId" = String, Path, description = "The product ID"), ("variantId" = String, Path, description = "The variant ID"), IfMatchHeader),
    responses(
        (status = 200, description = "The updated variant", body = VariantOut, headers(("ETag" = String, description = "The variant's new version"))),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product or variant not found", body = ErrorBody),
        (status = 409, description = "Duplicate SKU or option combination", body = ErrorBody),
        (status = 412, description = "The variant is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The variant's current version"))),
    ))]
pub async fn update_variant(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path((product, variant)): Path<(String, String)>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<UpdateVariant>,
) -> Result<impl IntoResponse, ApiError> {
    let product = path_id("productId", &product)?;
    let variant = path_id("variantId", &variant)?;
    let v = state
        .store
        .update_variant(&ctx, product, variant, if_match.get(), body.into_patch()?)
        .await?;
    Ok((tagged(v.version), Json(VariantOut::from(v))))
}

/// Delete a variant.
#[utoipa::path(delete, path = "/api/v1/products/{productId}/variants/{variantId}", tag = "Variants",
    params(("productId" = String, Path, description = "The product ID"), ("variantId" = String, Path, description = "The variant ID"), IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product or variant not found", body = ErrorBody),
        (status = 412, description = "The variant is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The variant's current version"))),
    ))]
pub async fn delete_variant(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path((product, variant)): Path<(String, String)>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    let product = path_id("productId", &product)?;
    let variant = path_id("variantId", &variant)?;
    state
        .store
        .delete_variant(&ctx, product, variant, if_match.get())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
