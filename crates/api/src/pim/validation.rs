//! `/api/v1/pim/validation`: catalog validation issues, computed from the current data.

use super::caller::PimCaller;
use super::params::{self, opt_id, paged};
use super::view::PimIssue;
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::QueryMap;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use pimento_core::issues::IssueCode;
use pimento_store::catalog::IssueQuery;

/// Validation issues of live products in product order: missing required attributes, invalid
/// attribute values, invalid SKUs, malformed barcodes, wrong GTIN check digits, duplicate
/// barcodes, variants without a price and products without media.
#[utoipa::path(get, path = "/api/v1/pim/validation", tag = "Validation",
    params(
        ("product_id" = Option<String>, Query, description = "Only this product's issues"),
        ("code" = Option<String>, Query, description = "Only these codes, comma-separated (e.g. MISSING_PRICE,MISSING_MEDIA)"),
        ("limit" = Option<u32>, Query, description = "Page size, 1 to 100 (default 100)"),
        ("cursor" = Option<String>, Query, description = "The X-Next-Cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "Issues", body = Vec<PimIssue>),
        (status = 400, description = "Invalid parameter", body = ErrorBody),
    ))]
pub async fn validation(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    QueryMap(q): QueryMap,
) -> Result<(HeaderMap, Json<Vec<PimIssue>>), ApiError> {
    let limit = params::limit(&q)?;
    let mut codes = std::collections::HashSet::new();
    for part in q.get("code").map(String::as_str).unwrap_or("").split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let code = IssueCode::parse(part).ok_or_else(|| {
            let all: Vec<&str> = IssueCode::ALL.iter().map(|c| c.as_str()).collect();
            ApiError::bad_request("code", format!("'{part}' is not one of {}", all.join(", ")))
        })?;
        codes.insert(code);
    }
    let query = IssueQuery {
        product_id: opt_id(&q, "product_id")?,
        codes,
        limit,
        cursor: q.get("cursor").cloned(),
        scan_budget: None,
    };
    let page = state.store.validation_issues(&ctx, query).await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(paged("/api/v1/pim/validation", &q, limit, page.next_cursor, items))
}
