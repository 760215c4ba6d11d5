//! Sending a stored file (an export's result) as a download, for every API: streamed from the
//! local disk when the blob store has it there, read whole otherwise.

use crate::app::AppState;
use crate::error::ApiError;
use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pimento_core::auth::Ctx;
use pimento_core::ids::FileId;

/// The caller's organization's file as an attachment under its stored name and media type.
pub async fn file(state: &AppState, ctx: &Ctx, file_id: FileId) -> Result<Response, ApiError> {
    let file = state.store.get_file(ctx, file_id).await?;
    let body = match state.blobs.local_path(&file.storage_key) {
        Some(path) => {
            let f = tokio::fs::File::open(path).await.map_err(io_error)?;
            Body::from_stream(tokio_util::io::ReaderStream::new(f))
        }
        None => {
            let blobs = state.blobs.clone();
            let key = file.storage_key.clone();
            let bytes = tokio::task::spawn_blocking(move || {
                let mut v = Vec::new();
                std::io::Read::read_to_end(&mut blobs.open(&key)?, &mut v).map(|_| v)
            })
            .await
            .map_err(|e| io_error(std::io::Error::other(e)))?
            .map_err(io_error)?;
            Body::from(bytes)
        }
    };
    let disposition = format!("attachment; filename=\"{}\"", file.name.replace('"', ""));
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_LENGTH, file.size.to_string()),
        ],
        body,
    )
        .into_response())
}

fn io_error(e: std::io::Error) -> ApiError {
    ApiError::from(pimento_store::StoreError::Files(e))
}
