//! Imports whose file an API reads itself (Medusa's product CSV): the API translates the whole
//! file into one product batch, which the job applies in one chunk, all or nothing.

use crate::JobError;
use crate::chunk::Chunker;
use pimento_core::auth::Ctx;
use pimento_core::job::JobSummary;
use pimento_store::catalog::ProductBatch;
use pimento_store::jobs::ChunkReport;
use pimento_store::{Store, StoreError};
use std::future::Future;
use std::io::Read;
use std::pin::Pin;

/// What a [`BatchImport`] answers: a future, boxed so the trait stays object-safe.
pub type PlanFuture<'a> = Pin<Box<dyn Future<Output = Result<BatchPlan, String>> + Send + 'a>>;

/// An import format an API reads and translates itself. The jobs crate knows no API, so
/// whoever builds a worker hands it the importers (`Worker::with_importer`), as it does
/// export tables.
pub trait BatchImport: Send + Sync + std::fmt::Debug {
    /// Reads the file and translates it into one batch, reading from the store what the
    /// translation needs; a refusal is the reason, naming the file's row.
    fn plan<'a>(&'a self, store: &'a Store, ctx: &'a Ctx, file: Box<dyn Read + Send>) -> PlanFuture<'a>;
}

/// A file translated into a batch.
pub struct BatchPlan {
    pub batch: ProductBatch,
    /// Words the store's refusal of the batch in the file's terms (its row and column).
    pub explain: Box<dyn Fn(StoreError) -> String + Send + Sync>,
}

impl std::fmt::Debug for BatchPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchPlan")
            .field("batch", &self.batch)
            .finish_non_exhaustive()
    }
}

/// The checkpoint of an import whose batch is written.
const DONE: &str = "done";

/// Runs an import through `importer`: the batch is written in one chunk, with the job's
/// checkpoint, so a resumed job that finds it written does nothing again.
pub(crate) async fn run(
    store: &Store,
    ctx: &Ctx,
    importer: &dyn BatchImport,
    input: Box<dyn Read + Send>,
    checkpoint: Option<&str>,
    chunker: &Chunker,
) -> Result<JobSummary, JobError> {
    if checkpoint == Some(DONE) {
        return Ok(JobSummary::default());
    }
    let plan = importer.plan(store, ctx, input).await.map_err(JobError::BadInput)?;
    let mut chunk = chunker.begin(store).await?;
    let written = store.batch_products_in(&mut chunk.conn(), ctx, plan.batch).await;
    let (created, updated) = match written {
        Ok(done) => done,
        // The catalog refused it: the chunk is rolled back whole and the job fails with why.
        Err(e @ StoreError::Domain(_)) => return Err(JobError::BadInput((plan.explain)(e))),
        Err(e) => return Err(e.into()),
    };
    let summary = JobSummary {
        created: created.len() as u64,
        updated: updated.len() as u64,
        ..JobSummary::default()
    };
    chunk
        .commit(ChunkReport {
            checkpoint: Some(DONE.to_owned()),
            summary,
            errors: Vec::new(),
        })
        .await?;
    Ok(summary)
}
