//! A unit of work that commits atomically: under a worker's lease (with the job's checkpoint)
//! or, from the command line, as a plain transaction.

use pimento_store::db::{Conn, Tx};
use pimento_store::jobs::{ChunkReport, JobChunk, Lease};
use pimento_store::{Store, StoreError};

/// Reports progress: items done so far, and the total when known.
pub type Progress<'a> = &'a (dyn Fn(u64, Option<u64>) + Send + Sync);

/// Where chunks commit.
#[derive(Clone)]
pub(crate) enum Chunker {
    /// Inside a job, re-asserting the lease and recording the checkpoint.
    Job(Lease),
    /// Straight to the catalog (the command line).
    Direct,
}

pub(crate) enum ChunkTx {
    Job(JobChunk),
    Direct(Tx),
}

impl Chunker {
    pub(crate) async fn begin(&self, store: &Store) -> Result<ChunkTx, StoreError> {
        Ok(match self {
            Chunker::Job(lease) => ChunkTx::Job(store.job_chunk(lease).await?),
            Chunker::Direct => ChunkTx::Direct(store.db().begin().await?),
        })
    }

    /// How often a long step renews the lease itself (and sees a cancel): as often as the
    /// worker's keeper does (`worker::renewal_period`).
    pub(crate) fn renew_every(&self) -> std::time::Duration {
        match self {
            Chunker::Job(lease) => crate::worker::renewal_period(lease.duration),
            Chunker::Direct => std::time::Duration::MAX,
        }
    }

    /// Keeps the lease alive between chunks; fails when it was lost or the job canceled.
    pub(crate) async fn heartbeat(&self, store: &Store) -> Result<(), StoreError> {
        match self {
            Chunker::Job(lease) => store.heartbeat(lease).await,
            Chunker::Direct => Ok(()),
        }
    }

    pub(crate) async fn set_total(&self, store: &Store, total: u64) -> Result<(), StoreError> {
        match self {
            Chunker::Job(lease) => store.set_job_total(lease, total).await,
            Chunker::Direct => Ok(()),
        }
    }
}

impl ChunkTx {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match self {
            ChunkTx::Job(c) => c.conn(),
            ChunkTx::Direct(t) => t.conn(),
        }
    }

    pub(crate) async fn commit(self, report: ChunkReport) -> Result<(), StoreError> {
        match self {
            ChunkTx::Job(c) => c.commit(report).await,
            ChunkTx::Direct(t) => t.commit().await,
        }
    }
}
