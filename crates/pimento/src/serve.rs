//! `pimento serve`: the HTTP server.

use crate::cli::DbArgs;
use anyhow::Context;
use clap::Args;
use pimento_api::{AppState, ServeConfig};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PIMENTO_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Do not apply migrations at start.
    #[arg(long)]
    pub no_migrate: bool,
    /// Do not run background jobs in this process (run `pimento worker` elsewhere).
    #[arg(long)]
    pub no_worker: bool,
    /// Seconds a client may take to send a request's headers, and a kept-alive connection
    /// may stay idle; then the connection is closed.
    #[arg(long, env = "PIMENTO_HEADER_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout: u64,
    /// The most HTTP connections served at once; more wait to be accepted. Keep it below the
    /// process's open-file limit (`ulimit -n`).
    #[arg(long, env = "PIMENTO_MAX_HTTP_CONNECTIONS", default_value_t = 4096, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_http_connections: u64,
    /// Requests a second each API key may make, in bursts of as many; a client address gets
    /// as many lookups of keys that are not valid. Past it: 429 with `Retry-After`. Off by
    /// default.
    #[arg(long, env = "PIMENTO_RATE_LIMIT")]
    pub rate_limit: Option<std::num::NonZeroU32>,
    /// An origin whose browser scripts may call the APIs (`https://admin.example.com`);
    /// repeat for several. None by default: no CORS headers are sent.
    #[arg(long = "cors-origin", env = "PIMENTO_CORS_ORIGINS", value_delimiter = ',', value_parser = cors_origin)]
    pub cors_origins: Vec<axum::http::HeaderValue>,
    /// On the first start (an empty database), write the first organization's ids and keys
    /// to this file (one JSON object, mode 0600, never overwritten) instead of standard output.
    #[arg(long, env = "PIMENTO_FIRST_KEYS_FILE")]
    pub first_keys_file: Option<std::path::PathBuf>,
    /// MiB of memory for product views served without reading the database again (each read
    /// still checks the product's version: see docs/ARCHITECTURE.md). 0 turns the cache off.
    #[arg(long, env = "PIMENTO_VIEW_CACHE_MB", default_value_t = pimento_store::DEFAULT_VIEW_CACHE_BYTES >> 20, value_parser = clap::value_parser!(u64).range(0..=1_048_576))]
    pub view_cache_mb: u64,
    #[command(flatten)]
    pub retention: RetentionArgs,
    #[command(flatten)]
    pub worker: crate::jobs::WorkerArgs,
}

/// How long products deleted for good stay restorable.
#[derive(Debug, Args)]
pub struct RetentionArgs {
    /// Days a product deleted for good (PIM, CS-Cart, bulk delete) can be restored with
    /// `POST /api/v1/pim/products/{id}/restore` or `pimento restore-product`; then it is
    /// removed for good. 0 keeps nothing restorable.
    #[arg(long, env = "PIMENTO_DELETED_RETENTION_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(0..=3650))]
    pub deleted_retention_days: u64,
}

impl RetentionArgs {
    /// The window as a duration.
    pub fn retention(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.deleted_retention_days * 24 * 3600)
    }
}

/// Logs to stderr; `RUST_LOG` filters (sqlx's own statement logs are off below `error` by default), `PIMENTO_LOG_FORMAT=json` switches to JSON lines.
pub fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=error"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour only on a terminal: a file or a journal gets plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    if std::env::var("PIMENTO_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// A CORS origin: scheme, host and optional port, nothing after.
fn cors_origin(raw: &str) -> Result<axum::http::HeaderValue, String> {
    let origin = raw.trim().trim_end_matches('/');
    let (scheme, rest) = origin
        .split_once("://")
        .ok_or_else(|| format!("{raw:?} is not an origin like https://admin.example.com"))?;
    if !matches!(scheme, "http" | "https") || rest.is_empty() || rest.contains('/') {
        return Err(format!("{raw:?} is not an origin like https://admin.example.com"));
    }
    axum::http::HeaderValue::from_str(origin).map_err(|e| format!("{raw:?}: {e}"))
}

/// Writes a new file only its owner can read; an existing file is left alone (an error).
fn write_secret_file(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

/// How often files left unfinished are looked for.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// At start and every minute, removes the unfinished files (`.partial`) no writer holds that
/// were last written longer ago than an upload may take: those of a process killed while
/// writing (a refused, failed or cut-off upload removes its own at once).
async fn sweep_unfinished(
    blobs: std::sync::Arc<dyn pimento_store::jobs::BlobStore>,
    upload_timeout: std::time::Duration,
) {
    let mut every = tokio::time::interval(SWEEP_EVERY);
    loop {
        every.tick().await;
        let blobs = blobs.clone();
        match tokio::task::spawn_blocking(move || blobs.sweep_unfinished(upload_timeout)).await {
            Ok(Ok(0)) | Err(_) => {}
            Ok(Ok(n)) => tracing::info!(files = n, "removed unfinished files left by a stopped process"),
            Ok(Err(e)) => tracing::warn!(error = %e, "looking for unfinished files failed"),
        }
    }
}

/// How often deleted products past the retention window are removed.
const PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// At start and every quarter of an hour, removes the deleted products past the retention
/// window (they are refused a restore already; this frees their space). Every node runs it: the
/// removal is one idempotent DELETE, so nodes running it at once only find less to remove.
async fn purge_deleted(store: pimento_store::Store, retention: std::time::Duration) {
    let mut every = tokio::time::interval(PURGE_EVERY);
    loop {
        every.tick().await;
        match store.purge_deleted_products(retention).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(products = n, "removed deleted products past the retention window"),
            Err(e) => tracing::warn!(error = %e, "removing deleted products past the retention window failed"),
        }
    }
}

/// At start and every quarter of an hour, forgets the `Idempotency-Key`s older than 24 hours
/// (a retry after that is a new request already; this frees their space). Every node runs it,
/// like the purge of deleted products.
async fn forget_idempotency_keys(store: pimento_store::Store) {
    let mut every = tokio::time::interval(PURGE_EVERY);
    loop {
        every.tick().await;
        match store.purge_idempotency_keys().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(keys = n, "forgot idempotency keys older than 24 hours"),
            Err(e) => tracing::warn!(error = %e, "forgetting idempotency keys older than 24 hours failed"),
        }
    }
}

pub async fn run(db: &DbArgs, args: ServeArgs) -> anyhow::Result<()> {
    let store = pimento_store::Store::with_view_cache(db.connect(!args.no_migrate).await?, args.view_cache_mb << 20);
    if store.list_organizations().await?.is_empty() {
        let org = store.create_organization("Default organization").await?;
        // Shown once: only hashes of the keys are stored.
        match &args.first_keys_file {
            Some(path) => {
                write_secret_file(path, &format!("{}\n", serde_json::to_string(&org)?)).with_context(|| {
                    format!(
                        "cannot write the first keys to {}; issue new ones with `pimento key create --organization {}`",
                        path.display(),
                        org.organization_id
                    )
                })?;
                tracing::info!(organization = %org.organization_id, file = %path.display(), "created the first organization; its keys are in the file");
            }
            None => {
                println!("Created the first organization.");
                println!("  organization:    {}", org.organization_id);
                println!("  tenant:          {}", org.tenant_id);
                println!("  secret key:      {}", org.secret_key);
                println!("  publishable key: {}", org.publishable_key);
                println!("Keep them safe; they are not shown again. More with `pimento key create`.");
            }
        }
    }
    let listener = TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    tracing::info!(address = %listener.local_addr()?, database = %crate::cli::redact(&db.database_url), "pimento is serving");
    let blobs = db.blobs()?;
    let options = pimento_api::AppOptions {
        cors_origins: args.cors_origins.clone(),
        rate_limit: args.rate_limit,
        deleted_retention: args.retention.retention(),
        ..pimento_api::AppOptions::default()
    };
    tokio::spawn(sweep_unfinished(blobs.clone(), options.request_timeout));
    tokio::spawn(purge_deleted(store.clone(), options.deleted_retention));
    tokio::spawn(forget_idempotency_keys(store.clone()));
    let state = AppState::with_options(store.clone(), blobs.clone(), options);
    if !args.no_worker {
        let worker = pimento_jobs::Worker::new(store.clone(), blobs, args.worker.settings())
            .with_tables(pimento_api::export_tables())
            .with_importers(pimento_api::importers())
            .with_observer(state.job_observer());
        tokio::spawn(worker.run(std::future::pending()));
    }
    let config = ServeConfig {
        header_timeout: std::time::Duration::from_secs(args.header_timeout),
        max_connections: usize::try_from(args.max_http_connections).unwrap_or(usize::MAX),
        ..ServeConfig::default()
    };
    pimento_api::serve(listener, state, config).await?;
    store.db().close().await;
    tracing::info!("stopped");
    Ok(())
}
