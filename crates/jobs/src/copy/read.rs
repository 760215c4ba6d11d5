//! Reading a copy into an organization: definitions matched or made, then products (the rule
//! is in the module above).

use super::definitions::{Definitions, Ids, apply_definitions};
use super::product::{Done, import_product};
use crate::JobError;
use crate::chunk::{Chunker, Progress};
use crate::import::ImportOutcome;
use pimento_core::auth::Ctx;
use pimento_core::copy::{self, Record};
use pimento_core::job::RowError;
use pimento_store::jobs::ChunkReport;
use pimento_store::{Store, StoreError};
use std::io::BufRead;

/// Lines handed from the reading thread at once.
const LINES: usize = 100;

type Lines = Vec<(u64, Result<Record, String>)>;

/// A refusal of one line: a catalog rule becomes the line's error, anything else stops the
/// import.
pub(super) fn refused<T>(n: u64, r: Result<T, StoreError>, errors: &mut Vec<RowError>) -> Result<Option<T>, JobError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(StoreError::Domain(e)) => {
            errors.push(RowError::from_core(Some(n), &e));
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) fn bad(n: u64, field: &str, reason: impl Into<String>) -> RowError {
    RowError {
        line: Some(n),
        field: Some(field.to_owned()),
        reason: reason.into(),
    }
}

/// Imports a copy. `first` is its first line, already read from `input`; products up to the
/// `skip`th are passed over (a resumed job: definitions are read again, and match what the
/// first run made).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn import_full(
    store: &Store,
    ctx: &Ctx,
    first: String,
    input: Box<dyn BufRead + Send>,
    dry_run: bool,
    skip: u64,
    chunker: &Chunker,
    progress: Progress<'_>,
) -> Result<ImportOutcome, JobError> {
    match serde_json::from_str::<Record>(&first) {
        Ok(Record::Catalog(h)) if h.version <= copy::VERSION => {}
        Ok(Record::Catalog(h)) => {
            return Err(JobError::BadInput(format!(
                "this catalog copy is of version {}; this Pimento reads version {} at most",
                h.version,
                copy::VERSION
            )));
        }
        _ => return Err(JobError::BadInput("line 1: not a catalog copy's header".into())),
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Lines>(4);
    let reader = tokio::task::spawn_blocking(move || {
        let mut batch: Lines = Vec::with_capacity(LINES);
        for (i, l) in input.lines().enumerate() {
            let n = i as u64 + 2;
            let parsed = match l {
                Ok(l) if l.trim().is_empty() => continue,
                Ok(l) => serde_json::from_str::<Record>(&l).map_err(|e| format!("not a catalog record: {e}")),
                Err(e) => Err(format!("cannot read the line: {e}")),
            };
            batch.push((n, parsed));
            if batch.len() >= LINES && tx.blocking_send(std::mem::take(&mut batch)).is_err() {
                return;
            }
        }
        if !batch.is_empty() {
            let _ = tx.blocking_send(batch);
        }
    });
    let mut outcome = ImportOutcome::default();
    let mut defs = Some(Definitions::default());
    let mut ids = Ids::default();
    let mut done = 0_u64;
    while let Some(batch) = rx.recv().await {
        let mut report = ChunkReport::default();
        // What the original had of the products this part makes, written in one transaction
        // before its checkpoint (one commit a part rather than one a product).
        let mut kept = Vec::new();
        for (n, parsed) in batch {
            let record = match parsed {
                Ok(r) => r,
                Err(reason) => {
                    report.errors.push(RowError {
                        line: Some(n),
                        field: None,
                        reason,
                    });
                    report.summary.failed += 1;
                    continue;
                }
            };
            match record {
                Record::Catalog(_) => {
                    report
                        .errors
                        .push(bad(n, "kind", "a catalog copy has one header, on its first line"));
                    report.summary.failed += 1;
                }
                Record::Product(p) => {
                    if let Some(d) = defs.take() {
                        let before = report.errors.len();
                        apply_definitions(store, ctx, d, dry_run, &mut ids, &mut report.errors).await?;
                        report.summary.failed += (report.errors.len() - before) as u64;
                    }
                    done += 1;
                    if done <= skip {
                        continue;
                    }
                    // A product whose times, versions or numbers no catalog holds is refused
                    // before anything of it is written.
                    if let Err(b) = p.check_kept() {
                        report.errors.push(bad(n, &b.field, b.reason));
                        report.summary.failed += 1;
                        continue;
                    }
                    match import_product(store, ctx, n, *p, dry_run, &mut ids, &mut report.errors, &mut kept).await? {
                        Done::Created => report.summary.created += 1,
                        Done::Unchanged => report.summary.unchanged += 1,
                        Done::Failed => report.summary.failed += 1,
                    }
                }
                definition => match (defs.as_mut(), definition.check_kept()) {
                    (Some(_), Err(b)) => {
                        report.errors.push(bad(n, &b.field, b.reason));
                        report.summary.failed += 1;
                    }
                    (Some(d), Ok(())) => d.add(n, definition),
                    (None, _) => {
                        report
                            .errors
                            .push(bad(n, "kind", "definitions come before the first product"));
                        report.summary.failed += 1;
                    }
                },
            }
        }
        store.stamp_copied(ctx, &kept).await?;
        report.checkpoint = Some(done.to_string());
        finish_chunk(store, chunker, report, &mut outcome).await?;
        progress(done, None);
    }
    if let Some(d) = defs.take().filter(|d| !d.is_empty()) {
        let mut report = ChunkReport {
            checkpoint: Some(done.to_string()),
            ..ChunkReport::default()
        };
        apply_definitions(store, ctx, d, dry_run, &mut ids, &mut report.errors).await?;
        report.summary.failed = report.errors.len() as u64;
        finish_chunk(store, chunker, report, &mut outcome).await?;
    }
    reader
        .await
        .map_err(|e| JobError::BadInput(format!("the file reader stopped: {e}")))?;
    Ok(outcome)
}

/// Records a part's counts and errors (with the job's checkpoint, under its lease).
async fn finish_chunk(
    store: &Store,
    chunker: &Chunker,
    mut report: ChunkReport,
    outcome: &mut ImportOutcome,
) -> Result<(), JobError> {
    report.errors.sort_by_key(|e| e.line);
    outcome.summary.add(report.summary);
    let room = crate::import::KEEP_ERRORS.saturating_sub(outcome.errors.len());
    outcome.errors.extend(report.errors.iter().take(room).cloned());
    let chunk = chunker.begin(store).await?;
    chunk.commit(report).await?;
    Ok(())
}
