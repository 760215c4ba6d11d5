//! Reading job rows back into [`Job`]s.

use crate::db::Row;
use crate::error::StoreError;
use pimento_core::job::{Job, JobParams, JobStatus, JobSummary};

/// The job columns, for `FROM jobs j`.
pub const JOB_COLUMNS: &str = "j.id, j.organization_id, j.params, j.status, j.total, j.processed, j.failed, \
j.summary, j.result_file_id, j.error, j.cancel_requested, j.attempts, j.created_at, j.created_by, j.started_at, \
j.finished_at, j.updated_at";

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("job {what}: {e}"))
}

pub fn job(row: &Row) -> Result<Job, StoreError> {
    let params: JobParams =
        serde_json::from_value(row.json("params")?.unwrap_or_default()).map_err(|e| corrupt("params", e))?;
    let status: String = row.get("status")?;
    let summary: JobSummary = match row.json("summary")? {
        Some(v) => serde_json::from_value(v).map_err(|e| corrupt("summary", e))?,
        None => JobSummary::default(),
    };
    Ok(Job {
        id: row.id("id")?,
        organization_id: row.id("organization_id")?,
        params,
        status: JobStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        total: row.get::<Option<i64>>("total")?.map(|n| n as u64),
        processed: row.get::<i64>("processed")? as u64,
        failed: row.get::<i64>("failed")? as u64,
        summary,
        result_file_id: row.opt_id("result_file_id")?,
        error: row.get("error")?,
        cancel_requested: row.get("cancel_requested")?,
        attempts: row.get::<i64>("attempts")? as u64,
        created_at: row.get("created_at")?,
        created_by: row.get("created_by")?,
        started_at: row.get("started_at")?,
        finished_at: row.get("finished_at")?,
        updated_at: row.get("updated_at")?,
    })
}
