//! `/api/v1/pim/products/{product_id}/variants`: create, list, get, update, delete.

use super::caller::PimCaller;
use super::view::PimVariant;
use super::wire::{CreatePimVariant, UpdatePimVariant};
use crate::app::AppState;
use crate::error::ApiError;
use crate::error::ErrorBody;
use crate::extract::{JsonBody, path_id};
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;

/// Add a variant (e.g. a size and color combination) to a product.
#[utoipa::path(post, path = "/api/v1/pim/products/{product_id}/variants", tag = "Variants", request_body = CreatePimVariant,
    params(("product_id" = String, Path, description = "UUID of the parent product")),
    responses(
        (status = 201, description = "The new variant", body = PimVariant, headers(("ETag" = String, description = "The variant's version"))),
        (status = 400, description = "Invalid SKU, barcode, price or currency", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
        (status = 409, description = "Duplicate SKU", body = ErrorBody),
    ))]
pub async fn create_variant(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(product_id): Path<String>,
    JsonBody(body): JsonBody<CreatePimVariant>,
) -> Result<impl IntoResponse, ApiError> {
    let product = path_id("product_id", &product_id)?;
    let v = state.store.create_variant(&ctx, product, body.into()).await?;
    Ok((StatusCode::CREATED, tagged(v.version), Json(PimVariant::from(v))))
}

/// The variants of a product, in order.
#[utoipa::path(get, path = "/api/v1/pim/products/{product_id}/variants", tag = "Variants",
    params(("product_id" = String, Path, description = "UUID of the parent product")),
    responses(
        (status = 200, description = "The variants", body = Vec<PimVariant>),
        (status = 404, description = "Product not found", body = ErrorBody),
    ))]
pub async fn list_variants(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(product_id): Path<String>,
) -> Result<Json<Vec<PimVariant>>, ApiError> {
    let product = path_id("product_id", &product_id)?;
    let list = state.store.list_variants(&ctx, product).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// One variant.
#[utoipa::path(get, path = "/api/v1/pim/products/{product_id}/variants/{id}", tag = "Variants",
    params(
        ("product_id" = String, Path, description = "UUID of the parent product"),
        ("id" = String, Path, description = "UUID of the variant"),
    ),
    responses(
        (status = 200, description = "The variant", body = PimVariant, headers(("ETag" = String, description = "The variant's version"))),
        (status = 404, description = "Product or variant not found", body = ErrorBody),
    ))]
pub async fn get_variant(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path((product_id, id)): Path<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let v = state
        .store
        .get_variant(&ctx, path_id("product_id", &product_id)?, path_id("id", &id)?)
        .await?;
    Ok((tagged(v.version), Json(PimVariant::from(v))))
}

/// Change a variant's fields; `null` clears a field.
#[utoipa::path(put, path = "/api/v1/pim/products/{product_id}/variants/{id}", tag = "Variants", request_body = UpdatePimVariant,
    params(
        ("product_id" = String, Path, description = "UUID of the parent product"),
        ("id" = String, Path, description = "UUID of the variant"),
        IfMatchHeader,
    ),
    responses(
        (status = 200, description = "The updated variant", body = PimVariant, headers(("ETag" = String, description = "The variant's new version"))),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 404, description = "Product or variant not found", body = ErrorBody),
        (status = 409, description = "Duplicate SKU", body = ErrorBody),
        (status = 412, description = "The variant is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The variant's current version"))),
    ))]
pub async fn update_variant(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path((product_id, id)): Path<(String, String)>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<UpdatePimVariant>,
) -> Result<impl IntoResponse, ApiError> {
    let v = state
        .store
        .update_variant(
            &ctx,
            path_id("product_id", &product_id)?,
            path_id("id", &id)?,
            if_match.get(),
            body.into(),
        )
        .await?;
    Ok((tagged(v.version), Json(PimVariant::from(v))))
}

/// Delete a variant.
#[utoipa::path(delete, path = "/api/v1/pim/products/{product_id}/variants/{id}", tag = "Variants",
    params(
        ("product_id" = String, Path, description = "UUID of the parent product"),
        ("id" = String, Path, description = "UUID of the variant"),
        IfMatchHeader,
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "Product or variant not found", body = ErrorBody),
        (status = 412, description = "The variant is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The variant's current version"))),
    ))]
pub async fn delete_variant(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path((product_id, id)): Path<(String, String)>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .delete_variant(
            &ctx,
            path_id("product_id", &product_id)?,
            path_id("id", &id)?,
            if_match.get(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
