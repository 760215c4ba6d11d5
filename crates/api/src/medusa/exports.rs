//! `POST /admin/products/export` and the file it makes, `GET /admin/exports/{transaction_id}/download`.
//!
//! Medusa runs an export as a workflow and answers its `transaction_id` at once; here the
//! export is a job of the job engine (`ExchangeFormat::MedusaCsv`, written by `csv.rs`) over the
//! products the list's filters select, and its transaction id is the job's id as Medusa writes
//! one (`auto-<ULID>`). When it ends, a notification appears in the feed (`notifications.rs`)
//! whose `data.file.url` is the download route here: Medusa's local file provider serves the
//! file at a public `/static/…` address; here it takes the same key as the rest of the API.

use super::caller::MedusaCaller;
use super::ids;
use super::list::ListParams;
use super::products::product_query;
use super::qs::Qs;
use crate::app::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use pimento_core::job::{ExchangeFormat, JobKind, JobParams};
use pimento_core::product::Include;
use pimento_core::query::{CountMode, ProductQuery};
use serde_json::{Value, json};

/// Where the file of an export is downloaded.
pub(super) fn download_url(job: pimento_core::ids::JobId) -> String {
    format!("/admin/exports/{}/download", ids::transaction(job))
}

/// Export the products the list's filters select.
#[utoipa::path(post, path = "/admin/products/export", tag = "Products",
    params(("q" = Option<String>, Query, description = "The filters of GET /admin/products (id, handle, title, status, q, collection_id, type_id, tag_id, category_id, created_at, updated_at, with_deleted); paging and order are not used: the export has every selected product, in creation order")),
    responses((status = 202, description = "{transaction_id}: the export runs in the background; a feed notification links its file when it is done"),
        (status = 400, description = "A filter could not be read", body = super::error::MedusaErrorBody)))]
pub async fn export_products(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let paging = ListParams::read(&q, 50)?;
    let filter = product_query(&q, &paging)?.filter;
    // The filter is tried once here, so a category that does not exist is refused now rather
    // than failing the job.
    let probe = ProductQuery {
        filter: filter.clone(),
        limit: 1,
        count: CountMode::None,
        ..ProductQuery::default()
    };
    state.store.list_products(&ctx, &probe, Include::default()).await?;
    let job = state
        .store
        .enqueue_job(
            &ctx,
            JobParams::Export {
                format: ExchangeFormat::MedusaCsv,
                filter: Some(Box::new(filter)),
                full: false,
            },
        )
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "transaction_id": ids::transaction(job.id) })),
    ))
}

/// Download an export's CSV file.
#[utoipa::path(get, path = "/admin/exports/{transaction_id}/download", tag = "Products",
    params(("transaction_id" = String, Path, description = "The transaction_id POST /admin/products/export answered")),
    responses((status = 200, description = "The CSV file", content_type = "text/csv"),
        (status = 400, description = "The export has not finished", body = super::error::MedusaErrorBody),
        (status = 404, description = "No such export", body = super::error::MedusaErrorBody)))]
pub async fn download_export(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let missing = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("Transaction {raw} could not be found."),
        )
    };
    let id = ids::read_transaction(&raw).ok_or_else(missing)?;
    let job = match state.store.get_job(&ctx, id).await {
        Ok(job) if job.kind() == JobKind::Export => job,
        Ok(_) => return Err(missing()),
        Err(e) => {
            return Err(match ApiError::from(e) {
                e if e.status == StatusCode::NOT_FOUND => missing(),
                e => e,
            });
        }
    };
    let Some(file) = job.result_file_id else {
        return Err(invalid_state(format!(
            "The export {raw} is {} and has no file to download",
            job.status.as_str()
        )));
    };
    crate::download::file(&state, &ctx, file).await
}

/// A refusal because of the export's state: Medusa's `not_allowed` (400).
fn invalid_state(message: String) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "not_ready", message)
}
