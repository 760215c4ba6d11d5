//! `/api/v1/pim/validation`: catalog validation issues, computed from the current data.

use super::caller::PimCaller;
use super::params::{PageSize, paged};
use super::view::PimIssue;
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::query::{OptId, Query, from_text};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use pimento_core::ids::ProductId;
use pimento_core::issues::IssueCode;
use pimento_store::catalog::IssueQuery;
use serde::{Deserialize, Deserializer};
use std::collections::HashSet;
use utoipa::IntoParams;

/// What `GET /api/v1/pim/validation` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListIssues {
    /// Only this product's issues
    #[param(value_type = Option<String>)]
    pub product_id: OptId<ProductId>,
    /// Only these codes, comma-separated (e.g. MISSING_PRICE,MISSING_MEDIA)
    #[param(value_type = Option<String>)]
    pub code: Codes,
    /// Page size, 1 to 100 (default 100)
    #[param(value_type = Option<u32>)]
    pub limit: PageSize,
    /// The X-Next-Cursor of the previous page
    pub cursor: Option<String>,
}

/// `?code=MISSING_PRICE,MISSING_MEDIA`: the issue codes asked for; blank parts are skipped, and
/// none asked for means every code.
#[derive(Debug, Clone, Default)]
pub struct Codes(pub HashSet<IssueCode>);

impl<'de> Deserialize<'de> for Codes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| {
            let mut codes = HashSet::new();
            for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let code = IssueCode::parse(part).ok_or_else(|| {
                    let all: Vec<&str> = IssueCode::ALL.iter().map(|c| c.as_str()).collect();
                    format!("'{part}' is not one of {}", all.join(", "))
                })?;
                codes.insert(code);
            }
            Ok(Codes(codes))
        })
    }
}

/// Validation issues of live products in product order: missing required attributes, invalid
/// attribute values, invalid SKUs, malformed barcodes, wrong GTIN check digits, duplicate
/// barcodes, variants without a price and products without media.
#[utoipa::path(get, path = "/api/v1/pim/validation", tag = "Validation",
    params(ListIssues),
    responses(
        (status = 200, description = "Issues", body = Vec<PimIssue>),
        (status = 400, description = "Invalid parameter", body = ErrorBody),
    ))]
pub async fn validation(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<ListIssues>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Json<Vec<PimIssue>>), ApiError> {
    let limit = q.limit.0;
    let query = IssueQuery {
        product_id: q.product_id.0,
        codes: q.code.0,
        limit,
        cursor: q.cursor,
        scan_budget: None,
    };
    let page = state.store.validation_issues(&ctx, query).await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(paged(
        "/api/v1/pim/validation",
        raw.as_deref(),
        limit,
        page.next_cursor,
        items,
    ))
}
