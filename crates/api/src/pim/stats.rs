//! `/api/v1/pim/stats`: catalog totals.

use super::caller::PimCaller;
use super::view::PimStats;
use crate::app::AppState;
use crate::error::ApiError;
use crate::error::ErrorBody;
use axum::Json;
use axum::extract::State;

/// Aggregate counts of the catalog: products (by status), variants, brands, categories,
/// attributes, attribute groups, templates and media. Kept current by every write; reading
/// them costs the same at any catalog size.
#[utoipa::path(get, path = "/api/v1/pim/stats", tag = "Stats",
    responses(
        (status = 200, description = "Catalog totals", body = PimStats),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
    ))]
pub async fn stats(State(state): State<AppState>, PimCaller(ctx): PimCaller) -> Result<Json<PimStats>, ApiError> {
    Ok(Json(state.store.catalog_stats(&ctx).await?.into()))
}
