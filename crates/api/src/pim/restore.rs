//! `/api/v1/pim/deleted-products` and `POST /api/v1/pim/products/{id}/restore`: products
//! deleted for good (by this API, a PIM bulk job or the CS-Cart API) are kept for the
//! retention window (`pimento serve --deleted-retention-days`) and can be brought back whole,
//! with the same id and number, through this API alone.

use super::caller::PimCaller;
use super::view::{PimDeletedProduct, PimProduct};
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::path_id;
use crate::query::{Limit, Query};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa::IntoParams;

/// What `GET /api/v1/pim/deleted-products` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListDeleted {
    /// How many, 1 to 200 (default 50)
    #[param(value_type = Option<u32>)]
    pub limit: Limit<200, 50>,
}

/// The products deleted for good that can still be restored, most recently deleted first.
#[utoipa::path(get, path = "/api/v1/pim/deleted-products", tag = "Products", params(ListDeleted),
    responses(
        (status = 200, description = "Restorable products", body = Vec<PimDeletedProduct>),
        (status = 400, description = "Invalid parameter", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
    ))]
pub async fn list_deleted(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<ListDeleted>,
) -> Result<Json<Vec<PimDeletedProduct>>, ApiError> {
    let items = state
        .store
        .deleted_products(&ctx, state.deleted_retention(), q.limit.0)
        .await?;
    Ok(Json(items.into_iter().map(Into::into).collect()))
}

/// Restore a product deleted for good, within the retention window: the same id, number,
/// variants, media, options, categories, links and prices as before its deletion.
#[utoipa::path(post, path = "/api/v1/pim/products/{id}/restore", tag = "Products",
    params(("id" = String, Path, description = "UUID of the deleted product")),
    responses(
        (status = 200, description = "The restored product", body = PimProduct),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Nothing to restore: unknown, restored already, or past the retention window", body = ErrorBody),
        (status = 409, description = "Its handle or a SKU is taken, or it refers to something deleted since (the field says what)", body = ErrorBody),
    ))]
pub async fn restore_product(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<Json<PimProduct>, ApiError> {
    let view = state
        .store
        .restore_product(&ctx, path_id("id", &id)?, state.deleted_retention())
        .await
        .map_err(|e| ApiError::from(e).named(super::names::PRODUCT))?;
    Ok(Json(PimProduct::new(&ctx, view)))
}
