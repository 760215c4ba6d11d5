//! Medusa's product import, as `@medusajs/js-sdk` 2.21 drives it, and the uploads it takes.
//!
//! `sdk.admin.product.createImport(file)`: `POST /admin/uploads/presigned-urls` answers the
//! local file provider's `url: "/admin/uploads"`, so the SDK sends the file to
//! `POST /admin/uploads` (multipart, `files`), then `POST /admin/products/imports` with the
//! upload's id as `file_key`. `sdk.admin.product.import(file)` sends the file itself to
//! `POST /admin/products/import` (multipart, `file`). Either reads the whole CSV and tries it
//! (`csv_import.rs`) in a transaction rolled back, and answers 202 `{transaction_id, summary:
//! {toCreate, toUpdate}}`; nothing is written until `POST /admin/products/imports/{id}/confirm`
//! (or `/admin/products/import/{id}/confirm`) queues the import job, which writes the whole
//! file in one transaction and ends with a feed notification, as Medusa's workflow does.

use super::body::{MedusaJson, invalid};
use super::caller::MedusaCaller;
use super::csv_import::{self, refused};
use super::csv_plan::{self, Plan};
use super::ids;
use crate::app::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use pimento_core::auth::Ctx;
use pimento_core::ids::FileId;
use pimento_core::job::{ExchangeFormat, JobKind, JobParams};
use pimento_jobs::{BatchImport, BatchPlan, PlanFuture};
use pimento_store::jobs::{FileMeta, FilePurpose, JobQuery, StoredFile, storage_key};
use pimento_store::{Store, StoreError};
use serde::Deserialize;
use serde_json::{Value, json};
use std::io::{Read, Write};
use utoipa::ToSchema;

/// The largest upload taken (all files of one request together).
pub const MAX_UPLOAD_BYTES: u64 = 32 * 1024 * 1024;
/// The most data rows an import file may have.
pub const MAX_ROWS: usize = 100_000;

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!("The upload is larger than {} MiB", MAX_UPLOAD_BYTES >> 20),
    )
}

fn files_error(e: std::io::Error) -> ApiError {
    ApiError::from(StoreError::Files(e))
}

/// A file of a multipart body, stored and recorded.
struct Uploaded {
    file: StoredFile,
}

/// Stores the files of a multipart body's `field` fields; none stored when any is refused.
async fn receive(
    state: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    body: Body,
    field: &str,
) -> Result<Vec<Uploaded>, ApiError> {
    let none = || {
        invalid_plain_data(if field == "file" {
            "No file was uploaded for importing"
        } else {
            "No files were uploaded"
        })
    };
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok())
        .ok_or_else(none)?;
    let limits = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(MAX_UPLOAD_BYTES)
            .per_field(MAX_UPLOAD_BYTES),
    );
    let mut form = multer::Multipart::with_constraints(body.into_data_stream(), boundary, limits);
    let mut done: Vec<(FileId, FileMeta, u64)> = Vec::new();
    let result = async {
        while let Some(mut part) = form.next_field().await.map_err(multipart_error)? {
            if part.name() != Some(field) || (part.file_name().is_none() && part.content_type().is_none()) {
                // Other fields (text) are read past, as multer's `array(field)` ignores them.
                while part.chunk().await.map_err(multipart_error)?.is_some() {}
                continue;
            }
            let name = part.file_name().map(str::to_owned).unwrap_or_else(|| "upload".into());
            let content_type = part
                .content_type()
                .map(ToString::to_string)
                .unwrap_or_else(|| "application/octet-stream".into());
            let id = FileId::generate();
            let mut out = state.blobs.create(&storage_key(ctx.org(), id)).map_err(files_error)?;
            // A refusal or a cut-off upload drops `out`, which removes its partial file.
            while let Some(chunk) = part.chunk().await.map_err(multipart_error)? {
                out.write_all(&chunk).map_err(files_error)?;
            }
            let size = out.finish().map_err(files_error)?;
            let meta = FileMeta {
                purpose: FilePurpose::Upload,
                name,
                content_type,
            };
            done.push((id, meta, size));
        }
        Ok::<(), ApiError>(())
    }
    .await;
    if let Err(e) = result {
        for (id, _, _) in &done {
            let _ = state.blobs.remove(&storage_key(ctx.org(), *id));
        }
        return Err(e);
    }
    if done.is_empty() {
        return Err(none());
    }
    let mut stored = Vec::with_capacity(done.len());
    let ids: Vec<FileId> = done.iter().map(|(id, _, _)| *id).collect();
    for (id, meta, size) in done {
        match state.store.add_file(ctx.org(), ctx.actor(), id, meta, size).await {
            Ok(file) => stored.push(Uploaded { file }),
            Err(e) => {
                // The files not yet recorded would stay forever.
                for id in &ids[stored.len()..] {
                    let _ = state.blobs.remove(&storage_key(ctx.org(), *id));
                }
                return Err(e.into());
            }
        }
    }
    Ok(stored)
}

fn multipart_error(e: multer::Error) -> ApiError {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => too_large(),
        other => invalid_plain_data(&format!("The multipart body could not be read: {other}")),
    }
}

/// Medusa's `invalid_data` with a message of its own.
fn invalid_plain_data(message: &str) -> ApiError {
    refused(message.to_owned())
}

/// An upload as Medusa answers it: `{id, url}`.
fn file_json(f: &StoredFile) -> Value {
    let id = ids::FILE.show(f.id.0);
    json!({ "id": id, "url": format!("/admin/uploads/{id}") })
}

/// Upload files.
#[utoipa::path(post, path = "/admin/uploads", tag = "Uploads",
    request_body(content = String, content_type = "multipart/form-data", description = "One or more `files` fields"),
    responses((status = 200, description = "{files: [{id, url}]}"),
        (status = 400, description = "No files were uploaded", body = super::error::MedusaErrorBody),
        (status = 413, description = "The files are larger than 32 MiB together", body = super::error::MedusaErrorBody)))]
pub async fn upload_files(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    ctx.principal.require_secret()?;
    let files = receive(&state, &ctx, &headers, body, "files").await?;
    let files: Vec<Value> = files.iter().map(|u| file_json(&u.file)).collect();
    Ok(Json(json!({ "files": files })))
}

/// An upload's record.
#[utoipa::path(get, path = "/admin/uploads/{id}", tag = "Uploads",
    params(("id" = String, Path, description = "The upload's id")),
    responses((status = 200, description = "{file: {id, url}}"),
        (status = 404, description = "No such upload", body = super::error::MedusaErrorBody)))]
pub async fn get_upload(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
) -> Result<Json<Value>, ApiError> {
    ctx.principal.require_secret()?;
    let file = upload_of(&state, &ctx, &raw).await?;
    Ok(Json(json!({ "file": file_json(&file) })))
}

async fn upload_of(state: &AppState, ctx: &Ctx, raw: &str) -> Result<StoredFile, ApiError> {
    let missing = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("File with id: {raw} not found"),
        )
    };
    let id = ids::FILE.read(raw).map(FileId).ok_or_else(missing)?;
    match state.store.get_file(ctx, id).await {
        Ok(f) => Ok(f),
        Err(StoreError::Domain(pimento_core::CoreError::NotFound(_))) => Err(missing()),
        Err(e) => Err(e.into()),
    }
}

/// What `POST /admin/uploads/presigned-urls` takes.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PresignIn {
    pub originalname: String,
    pub mime_type: String,
    #[schema(value_type = f64)]
    pub size: serde_json::Number,
    /// `public` or `private`.
    pub access: Option<String>,
}

/// Where to upload a file: as Medusa's local file provider answers, `url` is
/// `/admin/uploads`, so the SDK uploads the file there.
#[utoipa::path(post, path = "/admin/uploads/presigned-urls", tag = "Uploads", request_body = PresignIn,
    responses((status = 200, description = "{url, filename, mime_type, size, extension, originalname}"),
        (status = 400, description = "Invalid data", body = super::error::MedusaErrorBody)))]
pub async fn presigned_url(
    MedusaCaller(ctx): MedusaCaller,
    MedusaJson(body): MedusaJson<PresignIn>,
) -> Result<Json<Value>, ApiError> {
    ctx.principal.require_secret()?;
    if let Some(a) = body.access.as_deref().filter(|a| !["public", "private"].contains(a)) {
        return Err(invalid(format!(
            "Expected: 'public, private' for field 'access', but got: '{a}'"
        )));
    }
    let mime = body.mime_type.trim();
    let (kind, sub) = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .split_once('/')
        .filter(|(k, s)| !k.trim().is_empty() && !s.trim().is_empty())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_field",
                format!("Invalid file type \"{}\"", body.mime_type),
            )
        })?;
    let extension = sub.trim().to_ascii_lowercase();
    Ok(Json(json!({
        "url": "/admin/uploads",
        "filename": format!("{}.{extension}", ulid::Ulid::new()),
        "mime_type": format!("{}/{extension}", kind.trim().to_ascii_lowercase()),
        "size": body.size,
        "extension": extension,
        "originalname": body.originalname,
    })))
}

/// What `POST /admin/products/imports` takes: the upload and what the SDK knows of it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ImportIn {
    /// The upload's id (`files[0].id` of `POST /admin/uploads`).
    pub file_key: String,
    /// Required as Medusa requires them; the upload's own name and type are the ones kept.
    #[allow(dead_code)]
    pub originalname: String,
    #[allow(dead_code)]
    pub extension: String,
    #[allow(dead_code)]
    #[schema(value_type = f64)]
    pub size: serde_json::Number,
    #[allow(dead_code)]
    pub mime_type: String,
}

/// Reads and tries an uploaded file: its plan, or the refusal naming its row.
async fn preview(state: &AppState, ctx: &Ctx, file: &StoredFile) -> Result<Plan, ApiError> {
    let input = state.blobs.open(&file.storage_key).map_err(files_error)?;
    let sheet = tokio::task::spawn_blocking(move || csv_import::read_sheet(input, MAX_ROWS))
        .await
        .map_err(|_| ApiError::internal())??;
    let plan = csv_plan::plan(&state.store, ctx, &sheet).await?;
    match state.store.try_batch_products(ctx, plan.batch.clone()).await {
        Ok(()) => Ok(plan),
        Err(e @ StoreError::Domain(_)) => Err(plan.explain(e)),
        Err(e) => Err(e.into()),
    }
}

fn accepted(file: &StoredFile, plan: &Plan) -> (StatusCode, Json<Value>) {
    (
        StatusCode::ACCEPTED,
        Json(json!({
            "transaction_id": ids::import_transaction(file.id),
            "summary": plan.summary(),
        })),
    )
}

/// Read an uploaded CSV of products and answer what importing it would do.
#[utoipa::path(post, path = "/admin/products/imports", tag = "Products", request_body = ImportIn,
    responses((status = 202, description = "{transaction_id, summary: {toCreate, toUpdate}}: confirm the transaction to import"),
        (status = 400, description = "The file cannot be imported: the message names its row", body = super::error::MedusaErrorBody),
        (status = 404, description = "No such upload", body = super::error::MedusaErrorBody)))]
pub async fn create_import(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    MedusaJson(body): MedusaJson<ImportIn>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    ctx.principal.require_secret()?;
    let file = upload_of(&state, &ctx, &body.file_key).await?;
    let plan = preview(&state, &ctx, &file).await?;
    Ok(accepted(&file, &plan))
}

/// Upload a CSV of products and answer what importing it would do (Medusa's older route).
#[utoipa::path(post, path = "/admin/products/import", tag = "Products",
    request_body(content = String, content_type = "multipart/form-data", description = "The CSV as the `file` field"),
    responses((status = 202, description = "{transaction_id, summary: {toCreate, toUpdate}}: confirm the transaction to import"),
        (status = 400, description = "No file, or the file cannot be imported: the message names its row", body = super::error::MedusaErrorBody),
        (status = 413, description = "The file is larger than 32 MiB", body = super::error::MedusaErrorBody)))]
pub async fn upload_import(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    ctx.principal.require_secret()?;
    let mut files = receive(&state, &ctx, &headers, body, "file").await?;
    let file = files.swap_remove(0).file;
    for extra in &files {
        let _ = state.blobs.remove(&extra.file.storage_key);
    }
    let plan = preview(&state, &ctx, &file).await?;
    Ok(accepted(&file, &plan))
}

/// Confirm an import: its job is queued.
#[utoipa::path(post, path = "/admin/products/imports/{transaction_id}/confirm", tag = "Products",
    params(("transaction_id" = String, Path, description = "The transaction_id the import answered")),
    responses((status = 202, description = "{}: the import runs in the background; a feed notification says when it is done"),
        (status = 404, description = "No such import", body = super::error::MedusaErrorBody)))]
pub async fn confirm_import(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    confirm(&state, &ctx, &raw).await
}

/// Confirm an import made with `POST /admin/products/import` (Medusa's older route).
#[utoipa::path(post, path = "/admin/products/import/{transaction_id}/confirm", tag = "Products",
    params(("transaction_id" = String, Path, description = "The transaction_id the import answered")),
    responses((status = 202, description = "{}: the import runs in the background; a feed notification says when it is done"),
        (status = 404, description = "No such import", body = super::error::MedusaErrorBody)))]
pub async fn confirm_upload_import(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    confirm(&state, &ctx, &raw).await
}

async fn confirm(state: &AppState, ctx: &Ctx, raw: &str) -> Result<(StatusCode, Json<Value>), ApiError> {
    ctx.principal.require_secret()?;
    let missing = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("Transaction {raw} could not be found."),
        )
    };
    let id = ids::read_import_transaction(raw).ok_or_else(missing)?;
    let file = match state.store.get_file(ctx, id).await {
        Ok(f) => f,
        Err(StoreError::Domain(pimento_core::CoreError::NotFound(_))) => return Err(missing()),
        Err(e) => return Err(e.into()),
    };
    // Confirmed once: a second confirmation queues nothing more.
    if !already_queued(&state.store, ctx, &file).await? {
        state
            .store
            .enqueue_job(
                ctx,
                JobParams::Import {
                    format: ExchangeFormat::MedusaCsv,
                    file_id: file.id,
                    dry_run: false,
                },
            )
            .await?;
    }
    Ok((StatusCode::ACCEPTED, Json(json!({}))))
}

/// Whether an import of this file is queued already: the import jobs made since the file was.
async fn already_queued(store: &Store, ctx: &Ctx, file: &StoredFile) -> Result<bool, ApiError> {
    let mut before = None;
    loop {
        let page = store
            .list_jobs(
                ctx,
                JobQuery {
                    kinds: vec![JobKind::Import],
                    status: None,
                    limit: 200,
                    before,
                },
            )
            .await?;
        for job in &page.items {
            if job.created_at < file.created_at {
                return Ok(false);
            }
            if matches!(job.params, JobParams::Import { file_id, .. } if file_id == file.id) {
                return Ok(true);
            }
        }
        match (page.next_cursor, page.items.last()) {
            (Some(_), Some(last)) => before = Some(last.id),
            _ => return Ok(false),
        }
    }
}

/// The file name of an import job and why it failed, if it did: for its notification.
pub(super) async fn import_facts(
    store: &Store,
    ctx: &Ctx,
    job: pimento_core::ids::JobId,
) -> Option<(String, Option<String>)> {
    let job = store.get_job(ctx, job).await.ok()?;
    let JobParams::Import { file_id, .. } = job.params else {
        return None;
    };
    let name = store.get_file(ctx, file_id).await.ok()?.name;
    Some((name, job.error))
}

/// The job engine's reader of Medusa's CSV (`ExchangeFormat::MedusaCsv`).
#[derive(Debug, Default)]
pub struct MedusaImport;

impl BatchImport for MedusaImport {
    fn plan<'a>(&'a self, store: &'a Store, ctx: &'a Ctx, file: Box<dyn Read + Send>) -> PlanFuture<'a> {
        Box::pin(async move {
            let sheet = tokio::task::spawn_blocking(move || csv_import::read_sheet(file, MAX_ROWS))
                .await
                .map_err(|e| format!("the file reader stopped: {e}"))?
                .map_err(|e| e.message)?;
            let mut plan = csv_plan::plan(store, ctx, &sheet).await.map_err(|e| e.message)?;
            plan.make_tags(store, ctx).await.map_err(|e| e.message)?;
            let batch = std::mem::take(&mut plan.batch);
            Ok(BatchPlan {
                batch,
                explain: Box::new(move |e| plan.explain(e).message),
            })
        })
    }
}
