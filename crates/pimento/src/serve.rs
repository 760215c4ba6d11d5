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
    #[command(flatten)]
    pub worker: crate::jobs::WorkerArgs,
}

/// Logs to stderr; `RUST_LOG` filters (sqlx's own statement logs are off below `error` by default), `PIMENTO_LOG_FORMAT=json` switches to JSON lines.
pub fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=error"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("PIMENTO_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

pub async fn run(db: &DbArgs, args: ServeArgs) -> anyhow::Result<()> {
    let store = db.open(!args.no_migrate).await?;
    if store.list_organizations().await?.is_empty() {
        let org = store.create_organization("Default organization").await?;
        // Shown once: only hashes of the keys are stored.
        println!("Created the first organization {}.", org.organization_id);
        println!("  tenant:          {}", org.tenant_id);
        println!("  secret key:      {}", org.secret_key);
        println!("  publishable key: {}", org.publishable_key);
        println!("Keep them safe; they are not shown again. More with `pimento org create NAME`.");
    }
    let listener = TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    tracing::info!(address = %listener.local_addr()?, database = %crate::cli::redact(&db.database_url), "pimento is serving");
    let blobs = db.blobs()?;
    if !args.no_worker {
        let worker = pimento_jobs::Worker::new(store.clone(), blobs.clone(), args.worker.settings());
        tokio::spawn(worker.run(std::future::pending()));
    }
    pimento_api::serve(listener, AppState::new(store.clone(), blobs), ServeConfig::default()).await?;
    store.db().close().await;
    tracing::info!("stopped");
    Ok(())
}
