//! Import: a CSV or NDJSON file parsed on a blocking thread and applied in chunks, each in one
//! transaction. The checkpoint is the number of products done, so a resumed job skips them.

use crate::JobError;
use crate::chunk::{Chunker, Progress};
use pimento_core::auth::Ctx;
use pimento_core::exchange::{CsvLayout, ProductDoc};
use pimento_core::job::{ExchangeFormat, JobSummary, RowError};
use pimento_store::Store;
use pimento_store::catalog::{ImportItem, import_items};
use pimento_store::jobs::ChunkReport;
use std::io::{BufRead, BufReader, Read};

/// Products applied per transaction.
pub(crate) const CHUNK: usize = 1000;
/// Row errors an outcome keeps in memory for the command line.
pub(crate) const KEEP_ERRORS: usize = 1000;

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    pub summary: JobSummary,
    /// The first row errors, in file order.
    pub errors: Vec<RowError>,
}

/// Imports a file straight into the catalog (no job); `progress` hears of each chunk.
pub async fn import_from(
    store: &Store,
    ctx: &Ctx,
    input: Box<dyn Read + Send>,
    format: ExchangeFormat,
    dry_run: bool,
    progress: Progress<'_>,
) -> Result<ImportOutcome, JobError> {
    import(store, ctx, input, format, dry_run, 0, &Chunker::Direct, progress).await
}

/// One product read from a file, or why its line (or rows) cannot be one.
pub type Parsed = Result<ImportItem, RowError>;

enum Msg {
    Items(Vec<Parsed>),
    Fatal(String),
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn import(
    store: &Store,
    ctx: &Ctx,
    input: Box<dyn Read + Send>,
    format: ExchangeFormat,
    dry_run: bool,
    skip: u64,
    chunker: &Chunker,
    progress: Progress<'_>,
) -> Result<ImportOutcome, JobError> {
    // An NDJSON file whose first line is a catalog copy's header is a full copy
    // (`crate::copy`); any other file goes on as it is, its first line handed back.
    let input = if format == ExchangeFormat::Ndjson {
        let (first, rest) = tokio::task::spawn_blocking(move || {
            let mut rest = BufReader::with_capacity(256 * 1024, input);
            let mut first = Vec::new();
            let read = rest.read_until(b'\n', &mut first);
            read.map(|_| (first, rest))
        })
        .await
        .map_err(|e| JobError::BadInput(format!("the file reader stopped: {e}")))??;
        match std::str::from_utf8(&first) {
            Ok(line) if pimento_core::copy::Record::opens_copy(line) => {
                let first = line.to_owned();
                return crate::copy::import_full(store, ctx, first, Box::new(rest), dry_run, skip, chunker, progress)
                    .await;
            }
            _ => Box::new(std::io::Cursor::new(first).chain(rest)) as Box<dyn Read + Send>,
        }
    } else {
        input
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Msg>(2);
    let parser = tokio::task::spawn_blocking(move || {
        let mut sink = Sink {
            tx,
            batch: Vec::with_capacity(CHUNK),
            skip,
        };
        let result = match format {
            ExchangeFormat::Csv => parse_csv(input, |p| sink.push(p)),
            ExchangeFormat::Ndjson => parse_ndjson(input, |p| sink.push(p)),
            ExchangeFormat::MedusaCsv => Err("Medusa's product CSV is not imported by this job".to_owned()),
        };
        match result {
            Ok(()) => sink.flush(),
            Err(fatal) => {
                let _ = sink.tx.blocking_send(Msg::Fatal(fatal));
            }
        }
    });
    let mut stored = store.stored_docs();
    let mut outcome = ImportOutcome::default();
    let mut done = skip;
    let mut chunks = 0_u64;
    while let Some(msg) = rx.recv().await {
        let batch = match msg {
            Msg::Items(b) => b,
            Msg::Fatal(why) => return Err(JobError::BadInput(why)),
        };
        let mut report = ChunkReport::default();
        let mut items = Vec::with_capacity(batch.len());
        for p in batch {
            match p {
                Ok(item) => items.push(item),
                Err(e) => {
                    report.summary.failed += 1;
                    report.errors.push(e);
                }
            }
        }
        let count = (items.len() as u64) + report.summary.failed;
        let mut chunk = chunker.begin(store).await?;
        let (summary, errors) = import_items(&mut chunk.conn(), ctx, items, dry_run, &mut stored).await?;
        report.summary.add(summary);
        report.errors.extend(errors);
        report.errors.sort_by_key(|e| e.line);
        done += count;
        report.checkpoint = Some(done.to_string());
        outcome.summary.add(report.summary);
        let room = KEEP_ERRORS.saturating_sub(outcome.errors.len());
        outcome.errors.extend(report.errors.iter().take(room).cloned());
        let created = report.summary.created;
        chunk.commit(report).await?;
        progress(done, None);
        // The planner must see the tables grow: plans made while they were small (cached by
        // the connections) would scan them whole. Refreshed each time the import has doubled.
        chunks += 1;
        if created > 0 && chunks.is_power_of_two() {
            store.db().refresh_statistics().await?;
        }
    }
    parser
        .await
        .map_err(|e| JobError::BadInput(format!("the file reader stopped: {e}")))?;
    Ok(outcome)
}

struct Sink {
    tx: tokio::sync::mpsc::Sender<Msg>,
    batch: Vec<Parsed>,
    skip: u64,
}

impl Sink {
    /// Queues one product (or its error); false once the importer has gone away.
    fn push(&mut self, p: Parsed) -> bool {
        if self.skip > 0 {
            self.skip -= 1;
            return true;
        }
        self.batch.push(p);
        if self.batch.len() >= CHUNK {
            return self.flush_batch();
        }
        true
    }

    fn flush_batch(&mut self) -> bool {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(CHUNK));
        self.tx.blocking_send(Msg::Items(batch)).is_ok()
    }

    fn flush(mut self) {
        if !self.batch.is_empty() {
            self.flush_batch();
        }
    }
}

/// Reads a CSV file laid out as an export is (`CsvLayout`): one row per variant, the rows of a
/// product together. Hands each product, or the refusal of its rows, to `each` in file order
/// until `each` answers false; an `Err` refuses the whole file (an empty file, a bad header).
/// Public so that the fuzz targets (`fuzz/`) drive the very code an import runs.
pub fn parse_csv(input: impl Read, mut each: impl FnMut(Parsed) -> bool) -> Result<(), String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        None => return Err("the file is empty".into()),
        Some(Err(e)) => return Err(format!("line 1: {e}")),
        Some(Ok(r)) => r.iter().map(str::to_owned).collect(),
    };
    let layout = CsvLayout::from_header(&header).map_err(|e| e.to_string())?;
    let mut group: Vec<(u64, Vec<String>)> = Vec::new();
    let emit = |group: &mut Vec<(u64, Vec<String>)>, each: &mut dyn FnMut(Parsed) -> bool| -> bool {
        if group.is_empty() {
            return true;
        }
        let rows = std::mem::take(group);
        let parsed = match layout.to_doc(&rows) {
            Ok(doc) => Ok(ImportItem {
                line: rows[0].0,
                variant_lines: rows.iter().map(|(l, _)| *l).collect(),
                doc,
            }),
            Err((line, e)) => Err(RowError::from_core(Some(line), &e)),
        };
        each(parsed)
    };
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                if !emit(&mut group, &mut each)
                    || !each(Err(RowError {
                        line: Some(line),
                        field: None,
                        reason: e.to_string(),
                    }))
                {
                    return Ok(());
                }
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let row: Vec<String> = record.iter().map(str::to_owned).collect();
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let same = group.first().is_some_and(|(_, first)| {
            let h = layout.handle_of(first);
            !h.is_empty() && h == layout.handle_of(&row)
        });
        if !same && !emit(&mut group, &mut each) {
            return Ok(());
        }
        group.push((line, row));
    }
    emit(&mut group, &mut each);
    Ok(())
}

/// Reads an NDJSON file of product documents (`ProductDoc`), one a line, blank lines skipped.
/// Hands each product, or the refusal of its line, to `each` in file order until `each` answers
/// false; an `Err` (a read failure) stops the file. A full catalog copy is read elsewhere
/// (`crate::copy`). Public for the fuzz targets, as `parse_csv`.
pub fn parse_ndjson(input: impl Read, mut each: impl FnMut(Parsed) -> bool) -> Result<(), String> {
    for (i, line) in BufReader::with_capacity(256 * 1024, input).lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.map_err(|e| format!("line {n}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed = match serde_json::from_str::<ProductDoc>(&line) {
            Ok(doc) => Ok(ImportItem {
                line: n,
                variant_lines: Vec::new(),
                doc,
            }),
            Err(e) => Err(RowError {
                line: Some(n),
                field: None,
                reason: format!("not a product document: {e}"),
            }),
        };
        if !each(parsed) {
            return Ok(());
        }
    }
    Ok(())
}
