//! The worker: claims jobs from the queue and runs them, in `serve` or as `pimento worker`.

use crate::batch::BatchImport;
use crate::chunk::Chunker;
use crate::{JobError, batch, bulk, export, import};
use pimento_core::exchange::ViewTable;
use pimento_core::ids::FileId;
use pimento_core::job::{ExchangeFormat, JobKind, JobParams, JobStatus};
use pimento_core::query::ProductFilter;
use pimento_store::jobs::{BlobStore, ClaimedJob, FileMeta, FilePurpose, Lease, Outcome, storage_key};
use pimento_store::{Store, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// Told of every job a worker finishes: its kind, its end status and how long this worker ran
/// it (what `serve` turns into its job duration metrics; the jobs crate keeps none itself).
#[derive(Clone)]
pub struct JobObserver(pub Arc<dyn Fn(JobKind, JobStatus, Duration) + Send + Sync>);

impl std::fmt::Debug for JobObserver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JobObserver")
    }
}

/// How often a running job's lease is renewed: a third of it, so two renewals can fail (a
/// busy database) before another worker may take the job over.
pub fn renewal_period(lease: Duration) -> Duration {
    (lease / 3).max(Duration::from_millis(50))
}

/// Aborts a task when dropped (a job's lease keeper, whatever way the job ends).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// How a worker behaves.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a claimed job stays this worker's without renewal.
    pub lease: Duration,
    /// How long to wait before looking again when the queue is empty.
    pub poll: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lease: Duration::from_secs(30),
            poll: Duration::from_millis(500),
        }
    }
}

/// Claims and runs jobs.
#[derive(Debug, Clone)]
pub struct Worker {
    store: Store,
    blobs: Arc<dyn BlobStore>,
    settings: Settings,
    /// This worker's name in leases: unique per process.
    name: String,
    /// The tables APIs spell themselves, by the format that names them (Medusa's CSV): the
    /// jobs crate knows no API, so whoever builds the worker hands them over.
    tables: Vec<(ExchangeFormat, Arc<dyn ViewTable>)>,
    /// The import formats APIs read themselves (Medusa's CSV), likewise handed over.
    importers: Vec<(ExchangeFormat, Arc<dyn BatchImport>)>,
    observer: Option<JobObserver>,
}

impl Worker {
    /// A worker over the store and blob store.
    pub fn new(store: Store, blobs: Arc<dyn BlobStore>, settings: Settings) -> Self {
        let name = format!("{}-{}", std::process::id(), uuid::Uuid::now_v7().simple());
        Worker {
            store,
            blobs,
            settings,
            name,
            tables: Vec::new(),
            importers: Vec::new(),
            observer: None,
        }
    }

    /// The worker, telling `observer` of every job it finishes.
    pub fn with_observer(mut self, observer: JobObserver) -> Self {
        self.observer = Some(observer);
        self
    }

    /// The worker, writing exports in `format` through `table`.
    pub fn with_table(mut self, format: ExchangeFormat, table: Arc<dyn ViewTable>) -> Self {
        self.tables.retain(|(f, _)| *f != format);
        self.tables.push((format, table));
        self
    }

    /// The worker with each of these tables (see [`Worker::with_table`]).
    pub fn with_tables(self, tables: impl IntoIterator<Item = (ExchangeFormat, Arc<dyn ViewTable>)>) -> Self {
        tables.into_iter().fold(self, |w, (f, t)| w.with_table(f, t))
    }

    /// The worker, importing files in `format` through `importer`.
    pub fn with_importer(mut self, format: ExchangeFormat, importer: Arc<dyn BatchImport>) -> Self {
        self.importers.retain(|(f, _)| *f != format);
        self.importers.push((format, importer));
        self
    }

    /// The worker with each of these importers (see [`Worker::with_importer`]).
    pub fn with_importers(self, importers: impl IntoIterator<Item = (ExchangeFormat, Arc<dyn BatchImport>)>) -> Self {
        importers.into_iter().fold(self, |w, (f, i)| w.with_importer(f, i))
    }

    fn importer(&self, format: ExchangeFormat) -> Option<&dyn BatchImport> {
        self.importers
            .iter()
            .find(|(f, _)| *f == format)
            .map(|(_, i)| i.as_ref())
    }

    fn table(&self, format: ExchangeFormat) -> Option<&dyn ViewTable> {
        self.tables.iter().find(|(f, _)| *f == format).map(|(_, t)| t.as_ref())
    }

    /// This worker's lease name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs jobs until `stop` resolves; a job in progress when it does is left to its lease.
    pub async fn run(self, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            let ran = tokio::select! {
                _ = &mut stop => return,
                r = self.run_next() => r,
            };
            match ran {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "job queue unavailable"),
            }
            tokio::select! {
                _ = &mut stop => return,
                _ = tokio::time::sleep(self.settings.poll) => {}
            }
        }
    }

    /// Claims one job and runs it to its end; false when the queue had none.
    pub async fn run_next(&self) -> Result<bool, StoreError> {
        let Some(job) = self.store.claim_job(&self.name, self.settings.lease).await? else {
            return Ok(false);
        };
        self.run_claimed(job, None).await?;
        Ok(true)
    }

    /// Claims one job and runs at most `max_chunks` of it, then stops as if the process had
    /// died: the job keeps its lease until it runs out. For tests of crash recovery.
    pub async fn run_partly(&self, max_chunks: usize) -> Result<bool, StoreError> {
        let Some(job) = self.store.claim_job(&self.name, self.settings.lease).await? else {
            return Ok(false);
        };
        self.run_claimed(job, Some(max_chunks)).await?;
        Ok(true)
    }

    /// Runs a job this worker has claimed, to its end or for at most `max_chunks` chunks.
    pub async fn run_claimed(&self, claimed: ClaimedJob, max_chunks: Option<usize>) -> Result<(), StoreError> {
        let lease = claimed.lease.clone();
        let id = claimed.job.id;
        tracing::info!(job = %id, kind = claimed.job.kind().as_str(), attempt = claimed.job.attempts, "job started");
        let started = std::time::Instant::now();
        // The lease is renewed on its own while the job runs, however long one of its steps
        // takes; aborted when this returns.
        let keeper = AbortOnDrop(self.keep_lease(lease.clone()));
        let result = self.execute(&claimed, max_chunks).await;
        drop(keeper);
        let outcome = match result {
            Ok(Some(file)) => Outcome {
                status: JobStatus::Succeeded,
                error: None,
                result_file_id: file,
            },
            Ok(None) => return Ok(()), // stopped part way (run_partly)
            Err(JobError::Store(StoreError::LeaseLost)) => {
                tracing::warn!(job = %id, "job lease lost to another worker; its last chunk was rolled back");
                return Ok(());
            }
            Err(JobError::Store(StoreError::JobCanceled)) => Outcome {
                status: JobStatus::Canceled,
                error: None,
                result_file_id: None,
            },
            Err(JobError::Store(e @ (StoreError::Unavailable(_) | StoreError::Database(_) | StoreError::Scan(_)))) => {
                // The database is the problem, not the job: leave it to its lease and a retry.
                tracing::error!(job = %id, error = %e, "job interrupted");
                return Err(e);
            }
            Err(e) => Outcome {
                status: JobStatus::Failed,
                error: Some(e.to_string()),
                result_file_id: None,
            },
        };
        let (status, result_file) = (outcome.status, outcome.result_file_id);
        match self.store.finish_job(&lease, outcome).await {
            Err(StoreError::LeaseLost) => {
                // Another worker holds the job: whatever this run made is no one's.
                tracing::warn!(job = %id, "job lease lost to another worker before it finished; its result is discarded");
                if let Some(file) = result_file {
                    self.discard_result(claimed.job.organization_id, file).await;
                }
                Ok(())
            }
            Err(e) => Err(e),
            Ok(()) => {
                tracing::info!(job = %id, status = status.as_str(), "job finished");
                if let Some(JobObserver(observe)) = &self.observer {
                    observe(claimed.job.kind(), status, started.elapsed());
                }
                Ok(())
            }
        }
    }

    /// Renews `lease` every [`renewal_period`] until the lease is lost or the task aborted.
    fn keep_lease(&self, lease: Lease) -> tokio::task::JoinHandle<()> {
        let store = self.store.clone();
        tokio::spawn(async move {
            let every = renewal_period(lease.duration);
            loop {
                tokio::time::sleep(every).await;
                match store.keep_lease(&lease).await {
                    Ok(()) => {}
                    Err(StoreError::LeaseLost) => return,
                    // Tried again next period; the job's own chunks renew it too.
                    Err(e) => tracing::warn!(job = %lease.job_id, error = %e, "renewing a job's lease failed"),
                }
            }
        })
    }

    /// Removes a result file and its record.
    async fn discard_result(&self, org: pimento_core::ids::OrganizationId, file: FileId) {
        if let Err(e) = self.store.remove_file_record(org, file).await {
            tracing::warn!(file = %file, error = %e, "removing a discarded result's record failed");
        }
        if let Err(e) = self.blobs.remove(&storage_key(org, file)) {
            tracing::warn!(file = %file, error = %e, "removing a discarded result failed");
        }
    }

    /// Runs the job; `Ok(None)` when it stopped early, `Ok(Some(file))` when it finished.
    async fn execute(
        &self,
        claimed: &ClaimedJob,
        max_chunks: Option<usize>,
    ) -> Result<Option<Option<FileId>>, JobError> {
        let chunker = Chunker::Job(claimed.lease.clone());
        let org = claimed.job.organization_id;
        let quiet = |_: u64, _: Option<u64>| {};
        match &claimed.job.params {
            JobParams::Export { format, filter, full } => {
                if *full && (*format != ExchangeFormat::Ndjson || filter.is_some()) {
                    return Err(JobError::BadInput(
                        "a full copy is written in NDJSON, of the whole catalog".into(),
                    ));
                }
                let file = FileId::generate();
                let key = storage_key(org, file);
                let mut out = self.blobs.create(&key)?;
                let ctx = &claimed.ctx;
                let written = match (self.table(*format), filter) {
                    _ if *full => crate::copy::export_full(&self.store, ctx, &mut out, &chunker, &quiet).await,
                    (Some(table), f) => {
                        let whole = ProductFilter::default();
                        let f = f.as_deref().unwrap_or(&whole);
                        export::export_table(&self.store, ctx, f, table, &mut out, &chunker).await
                    }
                    (None, _) if *format == ExchangeFormat::MedusaCsv => Err(JobError::BadInput(
                        "this worker was built without the table of Medusa's CSV".into(),
                    )),
                    (None, Some(f)) => export::export_selected(&self.store, ctx, f, *format, &mut out, &chunker).await,
                    (None, None) => export::export(&self.store, org, *format, &mut out, &chunker, &quiet).await,
                };
                if let Err(e) = written {
                    drop(out);
                    let _ = self.blobs.remove(&key);
                    return Err(e);
                }
                let size = out.finish()?;
                // The lease is checked before the result is recorded: a worker that lost the
                // job leaves no file behind.
                if let Err(e) = self.store.keep_lease(&claimed.lease).await {
                    let _ = self.blobs.remove(&key);
                    return Err(e.into());
                }
                let name = match format {
                    // Medusa names its exports `<time>-product-exports.csv`.
                    ExchangeFormat::MedusaCsv => format!("product-exports-{}.csv", claimed.job.id),
                    _ if *full => format!("catalog-{}.{}", claimed.job.id, format.extension()),
                    _ => format!("products-{}.{}", claimed.job.id, format.extension()),
                };
                let meta = FileMeta {
                    purpose: FilePurpose::Export,
                    name,
                    content_type: format.content_type().to_owned(),
                };
                self.store
                    .add_file(org, &claimed.job.created_by, file, meta, size)
                    .await?;
                Ok(Some(Some(file)))
            }
            JobParams::Import {
                format,
                file_id,
                dry_run,
            } => {
                let file = self.store.file_of(org, *file_id).await?;
                let input = self.blobs.open(&file.storage_key)?;
                if let Some(importer) = self.importer(*format) {
                    let checkpoint = claimed.checkpoint.as_deref();
                    batch::run(&self.store, &claimed.ctx, importer, input, checkpoint, &chunker).await?;
                    return Ok(Some(None));
                }
                if *format == ExchangeFormat::MedusaCsv {
                    return Err(JobError::BadInput(
                        "this worker was built without the importer of Medusa's CSV".into(),
                    ));
                }
                let skip = claimed.checkpoint.as_deref().and_then(|c| c.parse().ok()).unwrap_or(0);
                import::import(
                    &self.store,
                    &claimed.ctx,
                    input,
                    *format,
                    *dry_run,
                    skip,
                    &chunker,
                    &quiet,
                )
                .await?;
                Ok(Some(None))
            }
            JobParams::BulkUpdate(req) | JobParams::BulkDelete(req) => {
                let delete = matches!(claimed.job.params, JobParams::BulkDelete(_));
                let finished = bulk::run(
                    &self.store,
                    &claimed.ctx,
                    req,
                    delete,
                    claimed.checkpoint.as_deref(),
                    &chunker,
                    max_chunks,
                )
                .await?;
                Ok(finished.then_some(None))
            }
        }
    }
}
