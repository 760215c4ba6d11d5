//! `/api/v1/pim/bulk-jobs`: bulk updates and deletes.

use super::caller::PimCaller;
use super::jobs::{self, JobStatusParam, JobTypeParam, PimJob, accepted, parse_type};
use super::params::PageSize;
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::JsonBody;
use crate::query::{OptId, Query};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use pimento_core::bulk::BulkRequest;
use pimento_core::ids::JobId;
use pimento_core::job::{JobKind, JobParams};
use pimento_store::jobs::JobQuery;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// A bulk job request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBulkJob {
    /// `BULK_UPDATE` or `BULK_DELETE`.
    #[serde(rename = "type")]
    pub job_type: String,
    /// Which products (`product_ids`, or `filter` with `category_id`/`category`,
    /// `include_subcategories`, `brand_id`, `status`, `price_min`, `price_max`, `currency`) and,
    /// for updates, what to change (`set` with `status`, `brand_id`, `category_id`/`category`,
    /// `attributes`; `price` with `set` or `adjust_percent`).
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

/// What `GET /api/v1/pim/bulk-jobs` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListBulkJobs {
    /// BULK_UPDATE (default) or BULK_DELETE
    #[serde(rename = "type")]
    #[param(value_type = Option<String>)]
    pub kind: Option<JobTypeParam>,
    /// QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELED
    #[param(value_type = Option<String>)]
    pub status: Option<JobStatusParam>,
    /// Page size, 1 to 100 (default 100)
    #[param(value_type = Option<u32>)]
    pub limit: PageSize,
    /// The X-Next-Cursor of the previous page
    #[param(value_type = Option<String>)]
    pub cursor: OptId<JobId>,
}

/// List bulk jobs of one type (`BULK_UPDATE` by default), newest first.
#[utoipa::path(get, path = "/api/v1/pim/bulk-jobs", tag = "Bulk jobs",
    params(ListBulkJobs),
    responses((status = 200, description = "Bulk jobs", body = Vec<PimJob>)))]
pub async fn list_bulk_jobs(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<ListBulkJobs>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Json<Vec<PimJob>>), ApiError> {
    let kind = match q.kind {
        Some(JobTypeParam(kind)) => only_bulk(kind)?,
        None => JobKind::BulkUpdate,
    };
    let query = JobQuery {
        kinds: vec![kind],
        status: q.status.map(|s| s.0),
        limit: q.limit.0,
        before: q.cursor.0,
    };
    jobs::list(&state, &ctx, "/api/v1/pim/bulk-jobs", raw.as_deref(), query).await
}

/// Create a bulk job. The payload is checked at once (400 naming the field); the job runs in
/// the background in chunks of 1,000 products.
#[utoipa::path(post, path = "/api/v1/pim/bulk-jobs", tag = "Bulk jobs", request_body = CreateBulkJob,
    responses(
        (status = 202, description = "The queued job", body = PimJob),
        (status = 400, description = "Invalid type or payload", body = ErrorBody),
    ))]
pub async fn create_bulk_job(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    JsonBody(body): JsonBody<CreateBulkJob>,
) -> Result<(StatusCode, HeaderMap, Json<PimJob>), ApiError> {
    let kind = bulk_type(&body.job_type)?;
    let request: BulkRequest =
        serde_json::from_value(body.payload).map_err(|e| ApiError::bad_request("payload", e.to_string()))?;
    request.validate(kind == JobKind::BulkDelete)?;
    let params = match kind {
        JobKind::BulkDelete => JobParams::BulkDelete(request),
        _ => JobParams::BulkUpdate(request),
    };
    Ok(accepted(state.store.enqueue_job(&ctx, params).await?))
}

fn bulk_type(s: &str) -> Result<JobKind, ApiError> {
    only_bulk(parse_type("type", s)?)
}

/// The kind if it is a bulk job's, or a 400 on `type`.
fn only_bulk(kind: JobKind) -> Result<JobKind, ApiError> {
    match kind {
        JobKind::BulkUpdate | JobKind::BulkDelete => Ok(kind),
        _ => Err(ApiError::bad_request("type", "must be BULK_UPDATE or BULK_DELETE")),
    }
}
