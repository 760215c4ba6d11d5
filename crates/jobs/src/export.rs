//! Export: the organization's live products, streamed page by page into CSV or NDJSON. Memory
//! holds three pages at most (the one being written, the next one, and the one being read),
//! whatever the catalog's size.

use crate::JobError;
use crate::chunk::{Chunker, Progress};
use pimento_core::exchange::CsvLayout;
use pimento_core::ids::OrganizationId;
use pimento_core::job::ExchangeFormat;
use pimento_store::Store;
use std::io::Write;
use std::time::{Duration, Instant};

/// Products read per page.
const PAGE: usize = 1000;
/// How often a running export renews its lease.
const HEARTBEAT: Duration = Duration::from_secs(5);

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

pub(crate) async fn export(
    store: &Store,
    org: OrganizationId,
    format: ExchangeFormat,
    out: &mut (dyn Write + Send),
    chunker: &Chunker,
    progress: Progress<'_>,
) -> Result<u64, JobError> {
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
            ExchangeFormat::Csv => {
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
        if beat.elapsed() > HEARTBEAT {
            chunker.heartbeat(store).await?;
            beat = Instant::now();
        }
    }
    out.flush()?;
    Ok(written)
}

fn csv_io(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e)
}
