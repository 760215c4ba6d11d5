//! `/api/v1/pim/jobs`: every background job of the organization (exports, imports, bulk jobs):
//! list, get, cancel, row errors and the result download.

use super::caller::PimCaller;
use super::params::{PageSize, SeqCursor, paged};
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::path_id;
use crate::query::{OptId, Query, from_text};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use pimento_core::ids::JobId;
use pimento_core::job::{Job, JobKind, JobParams, JobStatus, JobSummary, RowError};
use pimento_store::jobs::JobQuery;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A job as the PIM API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimJob {
    pub id: String,
    /// `EXPORT`, `IMPORT`, `BULK_UPDATE` or `BULK_DELETE`.
    #[serde(rename = "type")]
    pub job_type: String,
    /// `QUEUED`, `RUNNING`, `SUCCEEDED`, `FAILED` or `CANCELED`.
    pub status: String,
    pub progress: PimProgress,
    #[schema(value_type = Object)]
    pub summary: JobSummary,
    /// The job's parameters (a bulk job's payload, an export's format, …).
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub error: Option<String>,
    pub cancel_requested: bool,
    pub attempts: u64,
    /// Where to download the result, once an export has succeeded.
    pub download_url: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

/// How far a job has come.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimProgress {
    pub total: Option<u64>,
    pub processed: u64,
    pub failed: u64,
}

/// One item a job could not process.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimJobError {
    pub line: Option<u64>,
    pub field: Option<String>,
    pub reason: String,
}

/// The PIM name of a job kind.
pub fn type_name(k: JobKind) -> &'static str {
    match k {
        JobKind::Export => "EXPORT",
        JobKind::Import => "IMPORT",
        JobKind::BulkUpdate => "BULK_UPDATE",
        JobKind::BulkDelete => "BULK_DELETE",
    }
}

/// Reads a PIM job type name.
pub fn parse_type(field: &str, s: &str) -> Result<JobKind, ApiError> {
    JobKind::ALL
        .into_iter()
        .find(|k| type_name(*k).eq_ignore_ascii_case(s))
        .ok_or_else(|| ApiError::bad_request(field, "must be EXPORT, IMPORT, BULK_UPDATE or BULK_DELETE"))
}

fn ts(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

impl From<Job> for PimJob {
    fn from(j: Job) -> Self {
        let payload = match &j.params {
            JobParams::BulkUpdate(r) | JobParams::BulkDelete(r) => serde_json::to_value(r).unwrap_or_default(),
            other => {
                let mut v = serde_json::to_value(other).unwrap_or_default();
                if let Some(m) = v.as_object_mut() {
                    m.remove("kind");
                }
                v
            }
        };
        PimJob {
            id: j.id.to_string(),
            job_type: type_name(j.kind()).to_owned(),
            status: j.status.as_str().to_ascii_uppercase(),
            progress: PimProgress {
                total: j.total,
                processed: j.processed,
                failed: j.failed,
            },
            summary: j.summary,
            payload,
            error: j.error,
            cancel_requested: j.cancel_requested,
            attempts: j.attempts,
            download_url: j.result_file_id.map(|_| format!("/api/v1/pim/jobs/{}/download", j.id)),
            created_by: j.created_by,
            created_at: ts(j.created_at),
            started_at: j.started_at.map(ts),
            finished_at: j.finished_at.map(ts),
        }
    }
}

/// A 202 with the queued job and its address.
pub fn accepted(job: Job) -> (StatusCode, HeaderMap, Json<PimJob>) {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/pim/jobs/{}", job.id)) {
        headers.insert(header::LOCATION, v);
    }
    (StatusCode::ACCEPTED, headers, Json(job.into()))
}

/// `?type=`: a PIM job type name, in any case.
#[derive(Debug, Clone, Copy)]
pub struct JobTypeParam(pub JobKind);

impl<'de> Deserialize<'de> for JobTypeParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| {
            parse_type("type", raw).map(JobTypeParam).map_err(|e| e.message)
        })
    }
}

/// `?status=`: a job status name, in any case.
#[derive(Debug, Clone, Copy)]
pub struct JobStatusParam(pub JobStatus);

impl<'de> Deserialize<'de> for JobStatusParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| {
            JobStatus::parse(&raw.to_ascii_lowercase())
                .map(JobStatusParam)
                .ok_or_else(|| "must be QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELED".to_owned())
        })
    }
}

/// Lists the jobs `query` selects, newest first, with the paging headers.
pub async fn list(
    state: &AppState,
    ctx: &pimento_core::auth::Ctx,
    path: &str,
    raw_query: Option<&str>,
    query: JobQuery,
) -> Result<(HeaderMap, Json<Vec<PimJob>>), ApiError> {
    let limit = query.limit;
    let page = state.store.list_jobs(ctx, query).await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(paged(path, raw_query, limit, page.next_cursor, items))
}

/// What `GET /api/v1/pim/jobs` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListJobs {
    /// EXPORT, IMPORT, BULK_UPDATE or BULK_DELETE
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

/// List the organization's jobs of every kind, newest first.
#[utoipa::path(get, path = "/api/v1/pim/jobs", tag = "Jobs",
    params(ListJobs),
    responses((status = 200, description = "Jobs", body = Vec<PimJob>)))]
pub async fn list_jobs(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<ListJobs>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Json<Vec<PimJob>>), ApiError> {
    let query = JobQuery {
        kinds: q.kind.map(|k| k.0).into_iter().collect(),
        status: q.status.map(|s| s.0),
        limit: q.limit.0,
        before: q.cursor.0,
    };
    list(&state, &ctx, "/api/v1/pim/jobs", raw.as_deref(), query).await
}

/// One job, with its progress.
#[utoipa::path(get, path = "/api/v1/pim/jobs/{id}", tag = "Jobs",
    params(("id" = String, Path, description = "UUID of the job")),
    responses(
        (status = 200, description = "The job", body = PimJob),
        (status = 404, description = "Job not found", body = ErrorBody),
    ))]
pub async fn get_job(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<Json<PimJob>, ApiError> {
    let id: JobId = path_id("id", &id)?;
    Ok(Json(state.store.get_job(&ctx, id).await?.into()))
}

/// Cancel a job: a queued job at once, a running one after its current chunk (what earlier
/// chunks did stays done).
#[utoipa::path(post, path = "/api/v1/pim/jobs/{id}/cancel", tag = "Jobs",
    params(("id" = String, Path, description = "UUID of the job")),
    responses(
        (status = 200, description = "The job", body = PimJob),
        (status = 404, description = "Job not found", body = ErrorBody),
        (status = 409, description = "The job has already finished", body = ErrorBody),
    ))]
pub async fn cancel_job(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<Json<PimJob>, ApiError> {
    let id: JobId = path_id("id", &id)?;
    Ok(Json(state.store.cancel_job(&ctx, id).await?.into()))
}

/// What `GET /api/v1/pim/jobs/{id}/errors` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListJobErrors {
    /// Page size, 1 to 100 (default 100)
    #[param(value_type = Option<u32>)]
    pub limit: PageSize,
    /// The X-Next-Cursor of the previous page
    #[param(value_type = Option<String>)]
    pub cursor: SeqCursor,
}

/// The items a job could not process, in the order it met them: the input line, the field and
/// the reason.
#[utoipa::path(get, path = "/api/v1/pim/jobs/{id}/errors", tag = "Jobs",
    params(
        ("id" = String, Path, description = "UUID of the job"),
        ListJobErrors,
    ),
    responses(
        (status = 200, description = "Row errors", body = Vec<PimJobError>),
        (status = 404, description = "Job not found", body = ErrorBody),
    ))]
pub async fn job_errors(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    Query(q): Query<ListJobErrors>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Json<Vec<PimJobError>>), ApiError> {
    let id: JobId = path_id("id", &id)?;
    let limit = q.limit.0;
    let page = state.store.job_errors(&ctx, id, limit, q.cursor.0).await?;
    let items = page
        .items
        .into_iter()
        .map(|(_, RowError { line, field, reason })| PimJobError { line, field, reason })
        .collect();
    Ok(paged(
        &format!("/api/v1/pim/jobs/{id}/errors"),
        raw.as_deref(),
        limit,
        page.next_cursor,
        items,
    ))
}

/// Download a job's result file (an export). 409 while the job has none yet.
#[utoipa::path(get, path = "/api/v1/pim/jobs/{id}/download", tag = "Jobs",
    params(("id" = String, Path, description = "UUID of the job")),
    responses(
        (status = 200, description = "The file", content_type = "text/csv"),
        (status = 404, description = "Job not found", body = ErrorBody),
        (status = 409, description = "The job has no result yet", body = ErrorBody),
    ))]
pub async fn download(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: JobId = path_id("id", &id)?;
    let job = state.store.get_job(&ctx, id).await?;
    let Some(file_id) = job.result_file_id else {
        return Err(pimento_core::CoreError::Conflict {
            code: "not_ready",
            field: None,
            message: format!("The job is {} and has no file to download", job.status.as_str()),
        }
        .into());
    };
    crate::download::file(&state, &ctx, file_id).await
}
