//! `/api/v1/products/{productId}/variants`: add, list, get, update, delete.

use super::caller::Caller;
use super::view::VariantOut;
use super::wire::{UpdateVariant, VariantBody};
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, path_id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

/// Add a variant to a product.
#[utoipa::path(post, path = "/api/v1/products/{productId}/variants", tag = "Variants", request_body = VariantBody,
    params(("productId" = String, Path, description = "The product ID")),
    responses(
        (status = 201, description = "The new variant", body = VariantOut),
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
) -> Result<(StatusCode, Json<VariantOut>), ApiError> {
    let product = path_id("productId", &product)?;
    let v = state.store.create_variant(&ctx, product, body.into_input("")?).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
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
        (status = 200, description = "The variant", body = VariantOut),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product or variant not found", body = ErrorBody),
    ))]
pub async fn get_variant(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path((product, variant)): Path<(String, String)>,
) -> Result<Json<VariantOut>, ApiError> {
    let product = path_id("productId", &product)?;
    let variant = path_id("variantId", &variant)?;
    let v = state.store.get_variant(&ctx, product, variant).await?;
    Ok(Json(v.into()))
}

/// Update a variant; `options`, when given, replaces its option values.
#[utoipa::path(put, path = "/api/v1/products/{productId}/variants/{variantId}", tag = "Variants", request_body = UpdateVariant,
    params(("productId" = String, Path, description = "The product ID"), ("variantId" = String, Path, description = "The variant ID")),
    responses(
        (status = 200, description = "The updated variant", body = VariantOut),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product or variant not found", body = ErrorBody),
        (status = 409, description = "Duplicate SKU or option combination", body = ErrorBody),
    ))]
pub async fn update_variant(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path((product, variant)): Path<(String, String)>,
    JsonBody(body): JsonBody<UpdateVariant>,
) -> Result<Json<VariantOut>, ApiError> {
    let product = path_id("productId", &product)?;
    let variant = path_id("variantId", &variant)?;
    let v = state
        .store
        .update_variant(&ctx, product, variant, body.into_patch()?)
        .await?;
    Ok(Json(v.into()))
}

/// Delete a variant.
#[utoipa::path(delete, path = "/api/v1/products/{productId}/variants/{variantId}", tag = "Variants",
    params(("productId" = String, Path, description = "The product ID"), ("variantId" = String, Path, description = "The variant ID")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product or variant not found", body = ErrorBody),
    ))]
pub async fn delete_variant(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path((product, variant)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let product = path_id("productId", &product)?;
    let variant = path_id("variantId", &variant)?;
    state.store.delete_variant(&ctx, product, variant).await?;
    Ok(StatusCode::NO_CONTENT)
}
