//! `POST /api/v1/pim/export`: queue an export of the whole catalog.

use super::caller::PimCaller;
use super::jobs::{PimJob, accepted};
use crate::app::AppState;
use crate::error::ApiError;
use crate::error::ErrorBody;
use crate::extract::parse_json;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use pimento_core::CoreError;
use pimento_core::job::{ExchangeFormat, JobParams};
use serde::Deserialize;
use utoipa::ToSchema;

/// An export request; the body may be left out.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportRequest {
    /// `csv` (the default: one row per variant) or `ndjson` (one product per line).
    pub format: Option<String>,
    /// A full copy of the catalog (NDJSON, the default when `full` is set): every definition
    /// (categories, attributes, templates, options, brands, vendors, collections, types,
    /// tags), then every product, archived ones included. An import into another
    /// organization reproduces the catalog (docs/API.md, "Full catalog copy").
    #[serde(default)]
    pub full: bool,
}

/// Queue an asynchronous export of the catalog. Answers 202 at once with the job; when it
/// succeeds, the file is at the job's `download_url` and a notification says so.
#[utoipa::path(post, path = "/api/v1/pim/export", tag = "Export", request_body = Option<ExportRequest>,
    responses(
        (status = 202, description = "The queued export job", body = PimJob),
        (status = 400, description = "Unknown format, or a full copy asked in CSV", body = ErrorBody),
    ))]
pub async fn export(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    body: axum::body::Bytes,
) -> Result<(StatusCode, HeaderMap, Json<PimJob>), ApiError> {
    let req: ExportRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ExportRequest::default()
    } else {
        parse_json(&body)?
    };
    let format = match req.format.as_deref() {
        None if req.full => ExchangeFormat::Ndjson,
        None => ExchangeFormat::Csv,
        Some(f) => ExchangeFormat::parse("format", f)?,
    };
    if req.full && format != ExchangeFormat::Ndjson {
        return Err(CoreError::invalid("format", "a full copy is written in ndjson").into());
    }
    let job = state
        .store
        .enqueue_job(
            &ctx,
            JobParams::Export {
                format,
                filter: None,
                full: req.full,
            },
        )
        .await?;
    Ok(accepted(job))
}
