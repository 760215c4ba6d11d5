//! Export: the organization's live products, streamed page by page into CSV or NDJSON. Memory
//! holds three pages at most (the one being written, the next one, and the one being read),
//! whatever the catalog's size.
//!
//! An export of a filter (an API's list query) walks the filter's selection in keyset pages of
//! ids and reads those products by id; the whole catalog keeps the direct path. A table an API
//! spells itself (`ViewTable`, Medusa's CSV) is written from product views: its columns depend
//! on the rows, so the rows go to a spill file first and the file is written, header first,
//! once all are known.

use crate::JobError;
use crate::chunk::{Chunker, Progress};
use pimento_core::auth::Ctx;
use pimento_core::exchange::{CsvLayout, ProductDoc, ViewTable};
use pimento_core::ids::{OrganizationId, ProductId};
use pimento_core::job::ExchangeFormat;
use pimento_core::product::Include;
use pimento_core::query::{CountMode, ProductFilter, ProductQuery};
use pimento_store::Store;
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::time::Instant;

/// Products read per page.
const PAGE: usize = 1000;

/// Writes the organization's catalog to `out`; returns the number of products written.
pub async fn export_to(
    store: &Store,
    org: OrganizationId,
    format: ExchangeFormat,
    out: &mut (dyn Write + Send),
    progress: Progress<'_>,
) -> Result<u64, JobError> {
    export(store, org, format, out, &Chunker::Direct, progress).await
}

/// Writes the organization's full copy (`core::copy`) to `out`; returns the number of
/// products written.
pub async fn export_full_to(
    store: &Store,
    ctx: &Ctx,
    out: &mut (dyn Write + Send),
    progress: Progress<'_>,
) -> Result<u64, JobError> {
    crate::copy::export_full(store, ctx, out, &Chunker::Direct, progress).await
}

pub(crate) async fn export(
    store: &Store,
    org: OrganizationId,
    format: ExchangeFormat,
    out: &mut (dyn Write + Send),
    chunker: &Chunker,
    progress: Progress<'_>,
) -> Result<u64, JobError> {
    if format == ExchangeFormat::MedusaCsv {
        return Err(JobError::BadInput(
            "Medusa's CSV is written from its table (export_table)".into(),
        ));
    }
    let (names, total, slots) = store.export_start(org).await?;
    chunker.set_total(store, total).await?;
    progress(0, Some(total));
    let layout = CsvLayout::for_export(slots);
    if format == ExchangeFormat::Csv {
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(layout.header()).map_err(csv_io)?;
        out.write_all(&csv.into_inner().map_err(|e| e.into_error())?)?;
    }
    // The next page is read while this one is written.
    let mut pages = store.export_pages(org, names, PAGE);
    let mut written = 0_u64;
    let mut beat = Instant::now();
    while let Some(page) = pages.recv().await {
        let docs = page?;
        match format {
            ExchangeFormat::Csv | ExchangeFormat::MedusaCsv => {
                // A writer per page: the page's rows are encoded in memory, then written at once.
                let mut csv = csv::Writer::from_writer(Vec::with_capacity(docs.len() * 1024));
                for d in &docs {
                    layout.each_row(d, |row| csv.write_record(row)).map_err(csv_io)?;
                }
                out.write_all(&csv.into_inner().map_err(|e| e.into_error())?)?;
            }
            ExchangeFormat::Ndjson => {
                let mut buf = Vec::with_capacity(docs.len() * 1024);
                for d in &docs {
                    serde_json::to_writer(&mut buf, d).map_err(std::io::Error::from)?;
                    buf.push(b'\n');
                }
                out.write_all(&buf)?;
            }
        }
        written += docs.len() as u64;
        progress(written, Some(total));
        if beat.elapsed() > chunker.renew_every() {
            chunker.heartbeat(store).await?;
            beat = Instant::now();
        }
    }
    out.flush()?;
    Ok(written)
}

/// Products read per page of a filtered export.
const SELECTED_PAGE: usize = 500;

/// How many products a filter selects.
async fn count(store: &Store, ctx: &Ctx, filter: &ProductFilter) -> Result<u64, JobError> {
    let query = ProductQuery {
        filter: filter.clone(),
        limit: 1,
        count: CountMode::Exact,
        ..ProductQuery::default()
    };
    Ok(store
        .list_products(ctx, &query, Include::default())
        .await?
        .total
        .map_or(0, |n| n.max(0) as u64))
}

/// The next page of the filter's selection after `after`, and where the one after starts.
async fn next_ids(
    store: &Store,
    ctx: &Ctx,
    filter: &ProductFilter,
    after: &mut ProductId,
) -> Result<Vec<ProductId>, JobError> {
    let ids = store.select_product_ids(ctx, filter, *after, SELECTED_PAGE).await?;
    if let Some(last) = ids.last() {
        *after = *last;
    }
    Ok(ids)
}

/// Writes the products a filter selects in one of the formats the jobs crate writes itself
/// (the PIM's CSV or NDJSON), from their documents read by id.
pub(crate) async fn export_selected(
    store: &Store,
    ctx: &Ctx,
    filter: &ProductFilter,
    format: ExchangeFormat,
    out: &mut (dyn Write + Send),
    chunker: &Chunker,
) -> Result<u64, JobError> {
    let org = ctx.org();
    let (names, _, slots) = store.export_start(org).await?;
    let total = count(store, ctx, filter).await?;
    chunker.set_total(store, total).await?;
    let layout = CsvLayout::for_export(slots);
    if format == ExchangeFormat::Csv {
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(layout.header()).map_err(csv_io)?;
        out.write_all(&csv.into_inner().map_err(|e| e.into_error())?)?;
    }
    let mut after = ProductId(uuid::Uuid::nil());
    let mut written = 0_u64;
    loop {
        let ids = next_ids(store, ctx, filter, &mut after).await?;
        if ids.is_empty() {
            break;
        }
        let docs: Vec<ProductDoc> = store.export_docs(org, &names, &ids).await?;
        let mut buf = Vec::with_capacity(docs.len() * 1024);
        match format {
            ExchangeFormat::Ndjson => {
                for d in &docs {
                    serde_json::to_writer(&mut buf, d).map_err(std::io::Error::from)?;
                    buf.push(b'\n');
                }
            }
            _ => {
                let mut csv = csv::Writer::from_writer(&mut buf);
                for d in &docs {
                    layout.each_row(d, |row| csv.write_record(row)).map_err(csv_io)?;
                }
                csv.flush()?;
            }
        }
        out.write_all(&buf)?;
        written += docs.len() as u64;
        chunker.heartbeat(store).await?;
    }
    out.flush()?;
    Ok(written)
}

/// Writes the products a filter selects (the whole live catalog when `None`) as a table an
/// API spells itself. The rows go to a spill file beside the output while the columns are
/// learnt (a line of `[[column number, cell], …]` a row, columns numbered in the order first
/// met), then the header and the rows, each cell in its column, are written to `out`.
pub(crate) async fn export_table(
    store: &Store,
    ctx: &Ctx,
    filter: &ProductFilter,
    table: &dyn ViewTable,
    out: &mut (dyn Write + Send),
    chunker: &Chunker,
) -> Result<u64, JobError> {
    let total = count(store, ctx, filter).await?;
    chunker.set_total(store, total).await?;
    let spill = Spill::create()?;
    let mut rows_out = std::io::BufWriter::new(spill.file.try_clone()?);
    let mut seen: Vec<String> = Vec::new();
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut after = ProductId(uuid::Uuid::nil());
    let mut written = 0_u64;
    loop {
        let ids = next_ids(store, ctx, filter, &mut after).await?;
        if ids.is_empty() {
            break;
        }
        for (view, options) in store.export_views(ctx, &ids).await? {
            for row in table.rows(&view, &options) {
                let cells: Vec<(usize, String)> = row
                    .into_iter()
                    .map(|(column, cell)| {
                        let n = *numbers.entry(column).or_insert_with_key(|c| {
                            seen.push(c.clone());
                            seen.len() - 1
                        });
                        (n, cell)
                    })
                    .collect();
                serde_json::to_writer(&mut rows_out, &cells).map_err(std::io::Error::from)?;
                rows_out.write_all(b"\n")?;
            }
            written += 1;
        }
        chunker.heartbeat(store).await?;
    }
    rows_out.flush()?;
    drop(rows_out);
    let header = table.header(&seen);
    // Where each column met goes in the header; a column the table left out is dropped.
    let place: Vec<Option<usize>> = seen.iter().map(|c| header.iter().position(|h| h == c)).collect();
    let mut csv = csv::WriterBuilder::new().flexible(false).from_writer(&mut *out);
    csv.write_record(&header).map_err(csv_io)?;
    let mut record = vec![String::new(); header.len()];
    let reader = std::io::BufReader::new(std::fs::File::open(&spill.path)?);
    for line in reader.lines() {
        let cells: Vec<(usize, String)> = serde_json::from_str(&line?).map_err(std::io::Error::from)?;
        record.iter_mut().for_each(String::clear);
        for (n, cell) in cells {
            if let Some(Some(at)) = place.get(n) {
                record[*at] = cell;
            }
        }
        csv.write_record(&record).map_err(csv_io)?;
    }
    csv.flush()?;
    drop(csv);
    out.flush()?;
    Ok(written)
}

/// A temporary file, removed when dropped.
struct Spill {
    path: std::path::PathBuf,
    file: std::fs::File,
}

impl Spill {
    fn create() -> std::io::Result<Self> {
        let path = std::env::temp_dir().join(format!("pimento-export-{}.rows", uuid::Uuid::now_v7().simple()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(Spill { path, file })
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn csv_io(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e)
}
