//! Pimento's background jobs: the worker loop that claims jobs from the database queue, and
//! the export, import and bulk runners, which also serve the command line directly.

mod batch;
mod bulk;
mod chunk;
mod copy;
mod export;
mod import;
mod worker;

pub use batch::{BatchImport, BatchPlan, PlanFuture};
pub use chunk::Progress;
pub use export::{export_full_to, export_to};
pub use import::{ImportOutcome, Parsed, import_from, parse_csv, parse_ndjson};
pub use worker::{JobObserver, Settings, Worker};

/// Why a job run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Store(#[from] pimento_store::StoreError),
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
    /// The input cannot be read at all (a bad header, an unknown format).
    #[error("{0}")]
    BadInput(String),
}
