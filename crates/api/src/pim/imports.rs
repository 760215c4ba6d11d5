//! `POST /api/v1/pim/imports`: upload a CSV or NDJSON file and queue its import.

use super::caller::PimCaller;
use super::jobs::{PimJob, accepted};
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::query::{Flag, Query};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use futures::StreamExt;
use pimento_core::ids::FileId;
use pimento_core::job::{ExchangeFormat, JobParams};
use pimento_store::jobs::{FileMeta, FilePurpose, storage_key};
use serde::Deserialize;
use std::io::Write;
use utoipa::IntoParams;

/// The largest file an import accepts.
pub const MAX_UPLOAD_BYTES: usize = 1024 * 1024 * 1024;

/// What `POST /api/v1/pim/imports` accepts besides the file.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// csv or ndjson; otherwise from the file name or Content-Type
    pub format: Option<String>,
    /// The file's name, kept with the upload
    pub filename: Option<String>,
    /// Report what would change without writing
    #[param(value_type = Option<bool>)]
    pub dry_run: Flag,
}

/// Upload a file (the raw request body) and queue its import. Products are matched by external
/// reference, then SKU, then handle: matches are updated, others created. `dry_run=true` reports
/// what would happen without writing. Answers 202 with the job; row errors are at
/// `/jobs/{id}/errors`.
#[utoipa::path(post, path = "/api/v1/pim/imports", tag = "Import",
    params(ImportParams),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 202, description = "The queued import job", body = PimJob),
        (status = 400, description = "Empty body or unknown format", body = ErrorBody),
        (status = 413, description = "File too large", body = ErrorBody),
    ))]
pub async fn import(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<ImportParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, HeaderMap, Json<PimJob>), ApiError> {
    ctx.principal.require_secret()?;
    let name = q.filename.unwrap_or_else(|| "upload".into());
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    // The format is read here, not by the struct: absent, it comes from the name or the type.
    let format = match q.format.as_deref() {
        Some(f) => ExchangeFormat::parse("format", f)?,
        None => ExchangeFormat::from_file_name(&name)
            .or_else(|| content_type.contains("csv").then_some(ExchangeFormat::Csv))
            .or_else(|| content_type.contains("ndjson").then_some(ExchangeFormat::Ndjson))
            .ok_or_else(|| {
                ApiError::bad_request(
                    "format",
                    "give format=csv or format=ndjson, or a file name that ends so",
                )
            })?,
    };
    let dry_run = q.dry_run.0;
    let id = FileId::generate();
    let key = storage_key(ctx.org(), id);
    let mut out = state.blobs.create(&key).map_err(files)?;
    let mut stream = body.into_data_stream();
    let mut size = 0_usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| ApiError::bad_request("body", "the upload was cut off"))?;
        size += chunk.len();
        if size > MAX_UPLOAD_BYTES {
            drop(out);
            let _ = state.blobs.remove(&key);
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("The file is larger than {} MiB", MAX_UPLOAD_BYTES >> 20),
            ));
        }
        out.write_all(&chunk).map_err(files)?;
    }
    if size == 0 {
        drop(out);
        let _ = state.blobs.remove(&key);
        return Err(ApiError::bad_request("body", "the file is empty"));
    }
    let size = out.finish().map_err(files)?;
    let meta = FileMeta {
        purpose: FilePurpose::Upload,
        name,
        content_type: format.content_type().to_owned(),
    };
    if let Err(e) = state.store.add_file(ctx.org(), ctx.actor(), id, meta, size).await {
        // A file no record names would stay forever.
        let _ = state.blobs.remove(&key);
        return Err(e.into());
    }
    let job = state
        .store
        .enqueue_job(
            &ctx,
            JobParams::Import {
                format,
                file_id: id,
                dry_run,
            },
        )
        .await;
    match job {
        Ok(job) => Ok(accepted(job)),
        Err(e) => {
            // Refused (too many jobs waiting): the file no job will read goes too.
            let _ = state.store.remove_file_record(ctx.org(), id).await;
            let _ = state.blobs.remove(&key);
            Err(e.into())
        }
    }
}

fn files(e: std::io::Error) -> ApiError {
    ApiError::from(pimento_store::StoreError::Files(e))
}
