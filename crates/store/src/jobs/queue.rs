//! The job queue: enqueue, claim with a lease, work in chunks that commit with their
//! checkpoint, finish, cancel.
//!
//! A worker holds a job through a lease (an owner name and an expiry). Every chunk of work runs in
//! one transaction that first re-asserts the lease on the job row: if another worker took the job
//! over meanwhile, the chunk fails with [`StoreError::LeaseLost`] and rolls back, so no chunk is
//! ever applied twice. On PostgreSQL the row lock taken by that statement also keeps claimers
//! (`FOR UPDATE SKIP LOCKED`) away while the chunk runs.

use super::row::{JOB_COLUMNS, job};
use crate::db::{Backend, Conn, Tx, Val};
use crate::error::StoreError;
use crate::page::Page;
use crate::{Store, clock};
use chrono::{DateTime, Utc};
use pimento_core::auth::{Ctx, KeyKind, Principal};
use pimento_core::ids::{ApiKeyId, FileId, JobId, NotificationId};
use pimento_core::job::{Job, JobKind, JobParams, JobStatus, JobSummary, RowError};
use pimento_core::{CoreError, Entity};
use std::time::Duration;

/// The most jobs an organization may have waiting to run at once.
pub const MAX_QUEUED_JOBS: i64 = 100;

/// A worker's hold on a job.
#[derive(Debug, Clone)]
pub struct Lease {
    pub job_id: JobId,
    /// The worker's name, unique per process.
    pub owner: String,
    /// How long the hold lasts without a chunk or heartbeat renewing it.
    pub duration: Duration,
}

impl Lease {
    fn until(&self) -> DateTime<Utc> {
        clock::now() + chrono::Duration::from_std(self.duration).unwrap_or(chrono::Duration::seconds(30))
    }
}

/// A job a worker has claimed: the job, where to resume, and who it acts as.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub job: Job,
    /// The checkpoint of the last committed chunk, if the job ran before.
    pub checkpoint: Option<String>,
    pub lease: Lease,
    /// The job's creator, as writes record it.
    pub ctx: Ctx,
}

/// What one chunk did, committed with it.
#[derive(Debug, Clone, Default)]
pub struct ChunkReport {
    /// Where the next chunk starts.
    pub checkpoint: Option<String>,
    pub summary: JobSummary,
    pub errors: Vec<RowError>,
}

/// A chunk of work in progress: a transaction holding the job's row.
pub struct JobChunk {
    tx: Tx,
    lease: Lease,
}

impl JobChunk {
    /// The chunk's connection, for the work itself.
    pub fn conn(&mut self) -> Conn<'_> {
        self.tx.conn()
    }

    /// Records the chunk's progress, checkpoint and errors, and commits it with its work.
    pub async fn commit(mut self, report: ChunkReport) -> Result<(), StoreError> {
        let mut c = self.tx.conn();
        record_errors(&mut c, self.lease.job_id, &report.errors).await?;
        let s = report.summary;
        let n = c
            .execute(
                "UPDATE jobs SET checkpoint = COALESCE($1, checkpoint), processed = processed + $2, \
                 failed = failed + $3, updated_at = $4, lease_until = $5 \
                 WHERE id = $6 AND lease_owner = $7 AND status = 'running'",
                crate::args![
                    report.checkpoint,
                    s.items() as i64,
                    s.failed as i64,
                    clock::now(),
                    self.lease.until(),
                    self.lease.job_id,
                    self.lease.owner.as_str(),
                ],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::LeaseLost);
        }
        add_summary(&mut c, self.lease.job_id, s).await?;
        self.tx.commit().await
    }
}

async fn add_summary(c: &mut Conn<'_>, id: JobId, add: JobSummary) -> Result<(), StoreError> {
    let row = c
        .fetch_one("SELECT summary FROM jobs WHERE id = $1", crate::args![id])
        .await?;
    let mut summary: JobSummary = match row.json("summary")? {
        Some(v) => serde_json::from_value(v).map_err(|e| StoreError::Corrupt(format!("job summary: {e}")))?,
        None => JobSummary::default(),
    };
    summary.add(add);
    let v = serde_json::to_value(summary).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    c.execute("UPDATE jobs SET summary = $1 WHERE id = $2", crate::args![v, id])
        .await?;
    Ok(())
}

async fn record_errors(c: &mut Conn<'_>, id: JobId, errors: &[RowError]) -> Result<(), StoreError> {
    if errors.is_empty() {
        return Ok(());
    }
    let next: i64 = c
        .fetch_one(
            "SELECT COALESCE(MAX(seq), 0) AS n FROM job_errors WHERE job_id = $1",
            crate::args![id],
        )
        .await?
        .get("n")?;
    // Enough errors to fix a file; beyond that the count in `failed` tells the rest.
    let room = (MAX_ERRORS - next).max(0) as usize;
    for (i, e) in errors.iter().take(room).enumerate() {
        c.execute(
            "INSERT INTO job_errors (job_id, seq, line, field, reason) VALUES ($1, $2, $3, $4, $5)",
            crate::args![
                id,
                next + 1 + i as i64,
                e.line.map(|l| l as i64),
                e.field.clone(),
                e.reason.as_str()
            ],
        )
        .await?;
    }
    Ok(())
}

/// The most row errors kept per job.
pub const MAX_ERRORS: i64 = 10_000;

/// How a job ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: JobStatus,
    pub error: Option<String>,
    pub result_file_id: Option<FileId>,
}

/// A job list request.
#[derive(Debug, Clone, Default)]
pub struct JobQuery {
    pub kinds: Vec<JobKind>,
    pub status: Option<JobStatus>,
    pub limit: u32,
    /// Continue after this job (newest first).
    pub before: Option<JobId>,
}

impl Store {
    /// Queues a job for the caller's organization.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    /// Refused (409 `too_many_jobs`) when the organization already has [`MAX_QUEUED_JOBS`]
    /// jobs waiting: a key cannot fill the queue that every organization shares.
    pub async fn enqueue_job(&self, ctx: &Ctx, params: JobParams) -> Result<Job, StoreError> {
        ctx.principal.require_secret()?;
        let id = JobId::generate();
        let now = clock::now();
        let p = serde_json::to_value(&params).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.db.begin().await?;
        if self.db.backend() == Backend::Postgres {
            // Concurrent enqueues of one organization take turns, so the cap holds exactly.
            tx.conn()
                .fetch_optional(
                    "SELECT id FROM organizations WHERE id = $1 FOR UPDATE",
                    crate::args![ctx.org()],
                )
                .await?;
        }
        let waiting = tx
            .conn()
            .fetch_one(
                "SELECT COUNT(*) AS n FROM jobs WHERE organization_id = $1 AND status = 'queued'",
                crate::args![ctx.org()],
            )
            .await?
            .get::<i64>("n")?;
        if waiting >= MAX_QUEUED_JOBS {
            return Err(CoreError::Conflict {
                code: "too_many_jobs",
                field: None,
                message: format!(
                    "The organization already has {MAX_QUEUED_JOBS} jobs waiting, the most it may; try again when some have run"
                ),
            }
            .into());
        }
        tx.conn()
            .execute(
                "INSERT INTO jobs (id, organization_id, kind, params, status, created_at, created_by, updated_at) \
                 VALUES ($1, $2, $3, $4, 'queued', $5, $6, $5)",
                crate::args![id, ctx.org(), params.kind().as_str(), p, now, ctx.actor()],
            )
            .await?;
        tx.commit().await?;
        self.get_job(ctx, id).await
    }

    /// One job of the caller's organization.
    pub async fn get_job(&self, ctx: &Ctx, id: JobId) -> Result<Job, StoreError> {
        let mut pc = self.db.acquire().await?;
        let row = pc
            .conn()
            .fetch_optional(
                format!("SELECT {JOB_COLUMNS} FROM jobs j WHERE j.organization_id = $1 AND j.id = $2"),
                crate::args![ctx.org(), id],
            )
            .await?
            .ok_or(CoreError::NotFound(Entity::Job))?;
        job(&row)
    }

    /// The organization's jobs, newest first.
    pub async fn list_jobs(&self, ctx: &Ctx, q: JobQuery) -> Result<Page<Job>, StoreError> {
        let limit = q.limit.clamp(1, crate::page::MAX_LIMIT);
        let mut sql = format!("SELECT {JOB_COLUMNS} FROM jobs j WHERE j.organization_id = $1");
        let mut args = crate::args![ctx.org()];
        if !q.kinds.is_empty() {
            let start = args.len() + 1;
            args.extend(q.kinds.iter().map(|k| Val::from(k.as_str())));
            sql.push_str(&format!(
                " AND j.kind IN ({})",
                crate::db::placeholders(start, q.kinds.len())
            ));
        }
        if let Some(s) = q.status {
            args.push(Val::from(s.as_str()));
            sql.push_str(&format!(" AND j.status = ${}", args.len()));
        }
        if let Some(b) = q.before {
            args.push(Val::from(b));
            sql.push_str(&format!(" AND j.id < ${}", args.len()));
        }
        args.push(Val::from(i64::from(limit) + 1));
        sql.push_str(&format!(" ORDER BY j.id DESC LIMIT ${}", args.len()));
        let mut pc = self.db.acquire().await?;
        let jobs = pc
            .conn()
            .fetch_all(sql, args)
            .await?
            .iter()
            .map(job)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(jobs, limit, |j| j.id.to_string(), None))
    }

    /// The row errors of a job, in the order they were found, after `after_seq`.
    pub async fn job_errors(
        &self,
        ctx: &Ctx,
        id: JobId,
        limit: u32,
        after_seq: Option<i64>,
    ) -> Result<Page<(i64, RowError)>, StoreError> {
        self.get_job(ctx, id).await?;
        let limit = limit.clamp(1, 1000);
        let mut pc = self.db.acquire().await?;
        let rows = pc
            .conn()
            .fetch_all(
                "SELECT seq, line, field, reason FROM job_errors WHERE job_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                crate::args![id, after_seq.unwrap_or(0), i64::from(limit) + 1],
            )
            .await?;
        let errors = rows
            .iter()
            .map(|r| {
                Ok((
                    r.get::<i64>("seq")?,
                    RowError {
                        line: r.get::<Option<i64>>("line")?.map(|l| l as u64),
                        field: r.get("field")?,
                        reason: r.get("reason")?,
                    },
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Page::from_overfetch(errors, limit, |(seq, _)| seq.to_string(), None))
    }

    /// Cancels a job: a queued one at once, a running one at its next chunk. A finished job
    /// is a 409.
    pub async fn cancel_job(&self, ctx: &Ctx, id: JobId) -> Result<Job, StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let row = c
            .fetch_optional(
                "SELECT status FROM jobs WHERE organization_id = $1 AND id = $2",
                crate::args![ctx.org(), id],
            )
            .await?
            .ok_or(CoreError::NotFound(Entity::Job))?;
        let status: String = row.get("status")?;
        match JobStatus::parse(&status) {
            Some(JobStatus::Queued) => {
                let now = clock::now();
                c.execute(
                    "UPDATE jobs SET status = 'canceled', cancel_requested = $1, finished_at = $2, updated_at = $2 \
                     WHERE id = $3",
                    crate::args![true, now, id],
                )
                .await?;
                notify(&mut c, ctx.org().0, id, "job.canceled", None).await?;
            }
            Some(JobStatus::Running) => {
                c.execute(
                    "UPDATE jobs SET cancel_requested = $1, updated_at = $2 WHERE id = $3",
                    crate::args![true, clock::now(), id],
                )
                .await?;
            }
            _ => {
                return Err(CoreError::Conflict {
                    code: "job_finished",
                    field: None,
                    message: format!("The job has already {status}"),
                }
                .into());
            }
        }
        tx.commit().await?;
        self.get_job(ctx, id).await
    }

    /// Jobs waiting and running, in every organization (for metrics): `(queued, running)`.
    /// Reads the claimable index, which holds only those.
    pub async fn job_queue_depth(&self) -> Result<(u64, u64), StoreError> {
        let mut pc = self.db.acquire().await?;
        let rows = pc
            .conn()
            .fetch_all(
                "SELECT status, COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'running') GROUP BY status",
                vec![],
            )
            .await?;
        let (mut queued, mut running) = (0, 0);
        for r in rows {
            let n = u64::try_from(r.get::<i64>("n")?).unwrap_or(0);
            match r.get::<String>("status")?.as_str() {
                "queued" => queued = n,
                _ => running = n,
            }
        }
        Ok((queued, running))
    }

    /// Claims the oldest job that is queued, or running under a lease that ran out (its worker
    /// died). On PostgreSQL concurrent claimers skip each other's rows.
    pub async fn claim_job(&self, owner: &str, duration: Duration) -> Result<Option<ClaimedJob>, StoreError> {
        let now = clock::now();
        let lock = match self.db.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let pick = c
            .fetch_optional(
                format!(
                    "SELECT id, organization_id FROM jobs WHERE status IN ('queued', 'running') \
                     AND (status = 'queued' OR lease_until < $1) ORDER BY created_at LIMIT 1{lock}"
                ),
                crate::args![now],
            )
            .await?;
        let Some(pick) = pick else {
            return Ok(None);
        };
        let id: JobId = pick.id("id")?;
        let lease = Lease {
            job_id: id,
            owner: owner.to_owned(),
            duration,
        };
        c.execute(
            "UPDATE jobs SET status = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1, \
             started_at = COALESCE(started_at, $3), updated_at = $3 WHERE id = $4",
            crate::args![owner, lease.until(), now, id],
        )
        .await?;
        let row = c
            .fetch_one(
                format!("SELECT {JOB_COLUMNS}, j.checkpoint, o.tenant_id FROM jobs j JOIN organizations o ON o.id = j.organization_id WHERE j.id = $1"),
                crate::args![id],
            )
            .await?;
        let job = job(&row)?;
        let checkpoint: Option<String> = row.get("checkpoint")?;
        let ctx = Ctx {
            principal: Principal {
                tenant_id: row.id("tenant_id")?,
                organization_id: job.organization_id,
                key_id: ApiKeyId(uuid::Uuid::nil()),
                kind: KeyKind::Secret,
                actor: job.created_by.as_str().into(),
            },
            request_id: Some(format!("job:{id}")),
        };
        tx.commit().await?;
        Ok(Some(ClaimedJob {
            job,
            checkpoint,
            lease,
            ctx,
        }))
    }

    /// Starts a chunk of work under the lease. Fails with [`StoreError::LeaseLost`] when another
    /// worker holds the job, and [`StoreError::JobCanceled`] when a cancel was asked for.
    pub async fn job_chunk(&self, lease: &Lease) -> Result<JobChunk, StoreError> {
        let mut tx = self.db.begin().await?;
        renew(&mut tx.conn(), lease).await?;
        Ok(JobChunk {
            tx,
            lease: lease.clone(),
        })
    }

    /// Renews the lease between chunks (an export renews it as it streams).
    pub async fn heartbeat(&self, lease: &Lease) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        renew(&mut tx.conn(), lease).await?;
        tx.commit().await
    }

    /// Renews the lease whatever the job is doing, a cancel asked for included (the job sees
    /// that at its next chunk): what keeps a job its worker's while one step takes long.
    /// Fails with [`StoreError::LeaseLost`] when another worker holds the job.
    pub async fn keep_lease(&self, lease: &Lease) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        tx.conn()
            .fetch_optional(
                "UPDATE jobs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND status = 'running' \
                 RETURNING id",
                crate::args![lease.until(), lease.job_id, lease.owner.as_str()],
            )
            .await?
            .ok_or(StoreError::LeaseLost)?;
        tx.commit().await
    }

    /// Records how many items the job will process.
    pub async fn set_job_total(&self, lease: &Lease, total: u64) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        renew(&mut tx.conn(), lease).await?;
        tx.conn()
            .execute(
                "UPDATE jobs SET total = $1 WHERE id = $2",
                crate::args![total as i64, lease.job_id],
            )
            .await?;
        tx.commit().await
    }

    /// Ends a job and tells its organization. Fails with [`StoreError::LeaseLost`] when another
    /// worker holds it.
    pub async fn finish_job(&self, lease: &Lease, outcome: Outcome) -> Result<(), StoreError> {
        let now = clock::now();
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let row = c
            .fetch_optional(
                "SELECT organization_id FROM jobs WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
                crate::args![lease.job_id, lease.owner.as_str()],
            )
            .await?
            .ok_or(StoreError::LeaseLost)?;
        let org: uuid::Uuid = row.get("organization_id")?;
        c.execute(
            "UPDATE jobs SET status = $1, error = $2, result_file_id = $3, finished_at = $4, updated_at = $4, \
             lease_owner = NULL, lease_until = NULL WHERE id = $5",
            crate::args![
                outcome.status.as_str(),
                outcome.error.clone(),
                outcome.result_file_id,
                now,
                lease.job_id
            ],
        )
        .await?;
        let kind = format!("job.{}", outcome.status.as_str());
        notify(&mut c, org, lease.job_id, &kind, outcome.result_file_id).await?;
        tx.commit().await
    }
}

async fn renew(c: &mut Conn<'_>, lease: &Lease) -> Result<(), StoreError> {
    let row = c
        .fetch_optional(
            "UPDATE jobs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND status = 'running' \
             RETURNING cancel_requested",
            crate::args![lease.until(), lease.job_id, lease.owner.as_str()],
        )
        .await?
        .ok_or(StoreError::LeaseLost)?;
    if row.get::<bool>("cancel_requested")? {
        return Err(StoreError::JobCanceled);
    }
    Ok(())
}

async fn notify(
    c: &mut Conn<'_>,
    org: uuid::Uuid,
    job: JobId,
    kind: &str,
    file: Option<FileId>,
) -> Result<(), StoreError> {
    let kind_row = c
        .fetch_one("SELECT kind FROM jobs WHERE id = $1", crate::args![job])
        .await?;
    let job_kind: String = kind_row.get("kind")?;
    let what = job_kind.replace('_', " ");
    let message = match kind {
        "job.succeeded" if file.is_some() => format!("Your {what} is ready to download"),
        "job.succeeded" => format!("Your {what} has finished"),
        "job.failed" => format!("Your {what} failed"),
        _ => format!("Your {what} was canceled"),
    };
    c.execute(
        "INSERT INTO notifications (id, organization_id, job_id, kind, message, file_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        crate::args![NotificationId::generate(), org, job, kind, message, file, clock::now()],
    )
    .await?;
    Ok(())
}
