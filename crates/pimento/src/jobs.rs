//! `pimento worker`, `pimento export` and `pimento import`: background jobs and catalog files
//! from the command line, against the configured database.

use crate::cli::DbArgs;
use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pimento_core::auth::{Ctx, KeyKind, Principal};
use pimento_core::ids::{ApiKeyId, OrganizationId};
use pimento_core::job::ExchangeFormat;
use pimento_jobs::{Settings, Worker};
use pimento_store::Store;
use pimento_store::orgs::OrganizationSummary;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A file format on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Ndjson,
}

impl From<Format> for ExchangeFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Csv => ExchangeFormat::Csv,
            Format::Ndjson => ExchangeFormat::Ndjson,
        }
    }
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Seconds a claimed job stays this worker's without renewal; after that another worker
    /// may take it over.
    #[arg(long, env = "PIMENTO_JOB_LEASE_SECS", default_value_t = 30)]
    pub lease_secs: u64,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// The file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// The organization to export; may be left out when the database holds only one.
    #[arg(long)]
    pub organization: Option<OrganizationId>,
    /// A full copy of the catalog (NDJSON only): every definition, then every product,
    /// archived ones included; `pimento import` of it into an empty organization gives the
    /// same catalog.
    #[arg(long)]
    pub full: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV or NDJSON file to import.
    pub file: PathBuf,
    /// The file's format, when its name does not tell.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Report what would change without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// The organization to import into; may be left out when the database holds only one.
    #[arg(long)]
    pub organization: Option<OrganizationId>,
}

impl WorkerArgs {
    pub fn settings(&self) -> Settings {
        Settings {
            lease: Duration::from_secs(self.lease_secs.max(1)),
            ..Settings::default()
        }
    }
}

/// Runs jobs until interrupted.
pub async fn worker(db: &DbArgs, args: WorkerArgs) -> anyhow::Result<()> {
    let store = db.open(true).await?;
    let worker = Worker::new(store.clone(), db.blobs()?, args.settings())
        .with_tables(pimento_api::export_tables())
        .with_importers(pimento_api::importers());
    tracing::info!(worker = worker.name(), "worker is running");
    worker
        .run(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    store.db().close().await;
    Ok(())
}

pub(crate) async fn organization(store: &Store, wanted: Option<OrganizationId>) -> anyhow::Result<OrganizationSummary> {
    let orgs = store.list_organizations().await?;
    match wanted {
        Some(id) => orgs
            .into_iter()
            .find(|o| o.organization_id == id)
            .with_context(|| format!("unknown organization {id}")),
        None if orgs.len() == 1 => Ok(orgs.into_iter().next().context("no organization")?),
        None if orgs.is_empty() => bail!("the database holds no organization yet"),
        None => bail!(
            "the database holds {} organizations: choose one with --organization (see `pimento org list`)",
            orgs.len()
        ),
    }
}

fn bar(total: Option<u64>, unit: &str) -> ProgressBar {
    let pb = match total {
        Some(t) => ProgressBar::new(t),
        None => ProgressBar::new_spinner(),
    };
    let template = if total.is_some() {
        format!("{{bar:40}} {{pos}}/{{len}} {unit} ({{per_sec}}, {{eta}} left)")
    } else {
        format!("{{spinner}} {{pos}} {unit} ({{per_sec}})")
    };
    if let Ok(style) = ProgressStyle::with_template(&template) {
        pb.set_style(style);
    }
    if !std::io::stderr().is_terminal() {
        pb.set_draw_target(ProgressDrawTarget::hidden());
    }
    pb
}

/// The command line acting on an organization with a secret key's rights.
fn cli_ctx(org: &OrganizationSummary, request_id: String) -> Ctx {
    Ctx {
        principal: Principal {
            tenant_id: org.tenant_id,
            organization_id: org.organization_id,
            key_id: ApiKeyId(uuid::Uuid::nil()),
            kind: KeyKind::Secret,
            actor: "cli".into(),
        },
        request_id: Some(request_id),
    }
}

/// Writes the catalog to a file.
pub async fn export(db: &DbArgs, args: ExportArgs) -> anyhow::Result<()> {
    if args.full && !matches!(args.format, Format::Ndjson) {
        bail!("a full copy is written in NDJSON: give --format ndjson");
    }
    let store = db.open(true).await?;
    let org = organization(&store, args.organization).await?;
    let file = std::fs::File::create(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let pb = bar(None, "products");
    let progress = |done: u64, total: Option<u64>| {
        if let Some(t) = total {
            pb.set_length(t);
        }
        pb.set_position(done);
    };
    let started = Instant::now();
    let n = if args.full {
        let ctx = cli_ctx(&org, format!("export:{}", args.out.display()));
        pimento_jobs::export_full_to(&store, &ctx, &mut out, &progress).await?
    } else {
        pimento_jobs::export_to(&store, org.organization_id, args.format.into(), &mut out, &progress).await?
    };
    std::io::Write::flush(&mut out)?;
    pb.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "exported {n} products to {} in {secs:.1} s ({:.0} products/s)",
        args.out.display(),
        n as f64 / secs.max(1e-9)
    );
    Ok(())
}

/// Reads a catalog file into the database.
pub async fn import(db: &DbArgs, args: ImportArgs) -> anyhow::Result<()> {
    let format: ExchangeFormat = match args.format {
        Some(f) => f.into(),
        None => match ExchangeFormat::from_file_name(&args.file.to_string_lossy()) {
            Some(f) => f,
            None => sniff(&args.file)?,
        },
    };
    let input = std::fs::File::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let store = db.open(true).await?;
    let org = organization(&store, args.organization).await?;
    let ctx = cli_ctx(&org, format!("import:{}", args.file.display()));
    let pb = bar(None, "products");
    let progress = |done: u64, _: Option<u64>| pb.set_position(done);
    let started = Instant::now();
    let outcome = pimento_jobs::import_from(
        &store,
        &ctx,
        Box::new(std::io::BufReader::with_capacity(1 << 20, input)),
        format,
        args.dry_run,
        &progress,
    )
    .await
    .with_context(|| format!("cannot import {}", args.file.display()))?;
    pb.finish_and_clear();
    let s = outcome.summary;
    let secs = started.elapsed().as_secs_f64();
    for e in &outcome.errors {
        let line = e.line.map(|l| format!("line {l}: ")).unwrap_or_default();
        let field = e.field.as_deref().map(|f| format!("{f}: ")).unwrap_or_default();
        eprintln!("{line}{field}{}", e.reason);
    }
    let what = if args.dry_run {
        "dry run, nothing written: would have"
    } else {
        "imported:"
    };
    eprintln!(
        "{what} created {}, updated {}, unchanged {}, failed {} ({} products in {secs:.1} s, {:.0}/s)",
        s.created,
        s.updated,
        s.unchanged,
        s.failed,
        s.items(),
        s.items() as f64 / secs.max(1e-9)
    );
    if s.failed > 0 {
        bail!("{} products failed", s.failed);
    }
    Ok(())
}

/// The format from the first byte of the file: `{` starts NDJSON, anything else is CSV.
fn sniff(path: &PathBuf) -> anyhow::Result<ExchangeFormat> {
    let mut first = [0_u8; 1];
    let mut f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let n = f.read(&mut first)?;
    Ok(if n == 1 && first[0] == b'{' {
        ExchangeFormat::Ndjson
    } else {
        ExchangeFormat::Csv
    })
}

/// The blob store a server or worker keeps files in.
pub fn local_blobs(dir: &PathBuf) -> anyhow::Result<Arc<dyn pimento_store::jobs::BlobStore>> {
    let blobs =
        pimento_store::jobs::LocalBlobs::new(dir).with_context(|| format!("cannot use {} for files", dir.display()))?;
    Ok(Arc::new(blobs))
}
