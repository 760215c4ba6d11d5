//! Background jobs: the durable queue, the files jobs read and write, and the notifications
//! an organization reads when a job ends.

mod files;
mod notifications;
mod queue;
mod row;

pub use files::{BlobStore, BlobWriter, FileMeta, FilePurpose, LocalBlobs, StoredFile, storage_key};
pub use notifications::Notification;
pub use queue::{ChunkReport, ClaimedJob, JobChunk, JobQuery, Lease, MAX_ERRORS, MAX_QUEUED_JOBS, Outcome};
