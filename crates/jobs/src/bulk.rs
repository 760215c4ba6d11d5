//! Bulk update and delete: the selection walked in id order, a chunk per transaction, the last
//! product id as the checkpoint.

use crate::JobError;
use crate::chunk::Chunker;
use pimento_core::auth::Ctx;
use pimento_core::bulk::BulkRequest;
use pimento_core::ids::ProductId;
use pimento_store::Store;
use pimento_store::catalog::apply_bulk;
use pimento_store::jobs::ChunkReport;

/// Products changed per transaction.
pub(crate) const CHUNK: usize = 1000;

pub(crate) async fn run(
    store: &Store,
    ctx: &Ctx,
    request: &BulkRequest,
    delete: bool,
    checkpoint: Option<&str>,
    chunker: &Chunker,
    max_chunks: Option<usize>,
) -> Result<bool, JobError> {
    let plan = request
        .validate(delete)
        .map_err(|e| JobError::BadInput(e.to_string()))?;
    let mut after: Option<ProductId> = checkpoint.and_then(|c| c.parse().ok());
    let mut chunks = 0;
    loop {
        if max_chunks.is_some_and(|m| chunks >= m) {
            return Ok(false);
        }
        let mut chunk = chunker.begin(store).await?;
        let step = match apply_bulk(&mut chunk.conn(), ctx, &plan, delete, after, CHUNK).await {
            Ok(step) => step,
            Err(pimento_store::StoreError::Domain(e)) => return Err(JobError::BadInput(e.to_string())),
            Err(e) => return Err(e.into()),
        };
        let Some(last) = step.last else {
            chunk.commit(ChunkReport::default()).await?;
            return Ok(true);
        };
        after = Some(last);
        chunk
            .commit(ChunkReport {
                checkpoint: Some(last.to_string()),
                summary: step.summary,
                errors: step.errors,
            })
            .await?;
        chunks += 1;
    }
}
