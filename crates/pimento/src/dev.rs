//! `pimento dev`: tools for benchmarks and demos.

use crate::cli::DbArgs;
use anyhow::{Context, bail};
use axum::http::header;
use axum::routing::get;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use pimento_core::ids::OrganizationId;
use std::time::Instant;

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Add a realistic catalog: each product with 3 variants (sizes S, M, L), 2 media assets.
    Seed {
        /// How many products to add.
        #[arg(long)]
        products: u64,
        /// The organization to fill; may be left out when the database holds exactly one.
        #[arg(long)]
        organization: Option<uuid::Uuid>,
    },
    /// Serve a fixed 2 KB JSON body at /baseline: the reference a benchmark compares against.
    Baseline {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8090")]
        listen: String,
    },
}

pub async fn run(db: &DbArgs, cmd: DevCommand) -> anyhow::Result<()> {
    match cmd {
        DevCommand::Seed { products, organization } => seed(db, products, organization).await,
        DevCommand::Baseline { listen } => baseline(&listen).await,
    }
}

async fn seed(db: &DbArgs, count: u64, organization: Option<uuid::Uuid>) -> anyhow::Result<()> {
    let store = db.open(true).await?;
    let orgs = store.list_organizations().await?;
    let org: OrganizationId = match organization {
        Some(id) => {
            if !orgs.iter().any(|o| o.organization_id.0 == id) {
                bail!("no organization {id} in this database");
            }
            id.into()
        }
        None => match orgs.as_slice() {
            [one] => one.organization_id,
            [] => bail!("the database has no organization yet: create one with `pimento org create NAME`"),
            _ => bail!("the database has several organizations: choose one with --organization"),
        },
    };
    let bar = ProgressBar::new(count);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} products  {per_sec}  eta {eta}")
            .context("progress bar template")?,
    );
    let started = Instant::now();
    let report = store.seed(org, count, |done| bar.set_position(done)).await?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "seeded {} products, {} variants, {} media in {:.1} s ({:.0} products/s)",
        report.products,
        report.variants,
        report.media,
        secs,
        report.products as f64 / secs.max(1e-9)
    );
    Ok(())
}

async fn baseline(listen: &str) -> anyhow::Result<()> {
    let item = r#"{"id":"0192f1c2-7a4b-7c3d-9e8f-0a1b2c3d4e5f","name":"Classic Black Tee","price":"19.99"},"#;
    let mut body = String::from(r#"{"items":["#);
    while body.len() + item.len() < 2040 {
        body.push_str(item);
    }
    body.pop();
    body.push_str("]}");
    let body: &'static str = Box::leak(body.into_boxed_str());
    let app = axum::Router::new().route(
        "/baseline",
        get(move || async move { ([(header::CONTENT_TYPE, "application/json")], body) }),
    );
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    eprintln!(
        "baseline serving {} bytes at http://{}/baseline",
        body.len(),
        listener.local_addr()?
    );
    axum::serve(listener, app).await?;
    Ok(())
}
