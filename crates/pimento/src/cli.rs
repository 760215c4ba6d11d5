//! The command line: one binary, one subcommand per job.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use pimento_store::{Db, PoolConfig, SqliteCommits, Store};
use std::path::PathBuf;

/// Pimento: a fast product catalog server speaking the product APIs you already use.
#[derive(Debug, Parser)]
#[command(name = "pimento", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the catalog lives.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// Database URL: sqlite://FILE (created if missing) or postgres://USER@HOST/DB.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://pimento.db", global = true)]
    pub database_url: String,
    /// Most database connections this process holds (default: 8 for SQLite, 16 for PostgreSQL).
    #[arg(long, env = "PIMENTO_MAX_CONNECTIONS", global = true)]
    pub max_connections: Option<u32>,
    /// When a SQLite commit is reported done: `durable` (on the disk; concurrent writes share one
    /// flush) or `fast` (in the log: a power loss can drop the last commits, a crash cannot).
    #[arg(long, env = "PIMENTO_SQLITE_COMMITS", value_enum, default_value_t = Commits::Durable, global = true)]
    pub sqlite_commits: Commits,
    /// Directory for uploaded files and export results (shared by every node of a cluster).
    #[arg(long, env = "PIMENTO_FILES_DIR", default_value = "pimento-files", global = true)]
    pub files_dir: PathBuf,
}

/// `--sqlite-commits`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Commits {
    Durable,
    Fast,
}

/// The APIs with an OpenAPI document.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ApiName {
    Products,
    Pim,
    Medusa,
    /// The CS-Cart / Multi-Vendor API (`/api/…`).
    Cscart,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (migrates the database first unless --no-migrate).
    Serve(crate::serve::ServeArgs),
    /// Apply the database migrations and exit.
    Migrate,
    /// Manage organizations and their API keys.
    #[command(subcommand)]
    Org(crate::org::OrgCommand),
    /// Issue, list and revoke an organization's API keys.
    #[command(subcommand)]
    Key(crate::key::KeyCommand),
    /// Print the OpenAPI 3.1 document of one of the APIs.
    Openapi {
        /// Which API: products (/api/v1) or pim (/api/v1/pim).
        #[arg(long, value_enum, default_value = "products")]
        api: ApiName,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Copy a SQLite database, consistently, while servers use it (for PostgreSQL use pg_dump).
    Backup {
        /// The copy to write; must not exist. It is a complete database: serve it with
        /// `--database-url sqlite://FILE`.
        #[arg(long)]
        out: PathBuf,
    },
    /// Bring back a product deleted for good, within the retention window, with the same id
    /// and number.
    RestoreProduct(crate::restore::RestoreArgs),
    /// Run background jobs (exports, imports, bulk jobs) without serving HTTP.
    Worker(crate::jobs::WorkerArgs),
    /// Write the catalog to a CSV or NDJSON file.
    Export(crate::jobs::ExportArgs),
    /// Read a CSV or NDJSON file into the catalog: products matched by external reference,
    /// then SKU, then handle are updated, the others created.
    Import(crate::jobs::ImportArgs),
    /// Developer tools: seed a benchmark catalog, run the baseline server.
    #[command(subcommand)]
    Dev(crate::dev::DevCommand),
}

impl DbArgs {
    /// The blob store under `--files-dir`.
    pub fn blobs(&self) -> anyhow::Result<std::sync::Arc<dyn pimento_store::jobs::BlobStore>> {
        crate::jobs::local_blobs(&self.files_dir)
    }

    /// Connects to the database and applies migrations.
    pub async fn open(&self, migrate: bool) -> anyhow::Result<Store> {
        Ok(Store::new(self.connect(migrate).await?))
    }

    /// Connects to the database and applies migrations, for a store to be built on it.
    pub async fn connect(&self, migrate: bool) -> anyhow::Result<Db> {
        let config = PoolConfig {
            max_connections: self.max_connections,
            sqlite_commits: match self.sqlite_commits {
                Commits::Durable => SqliteCommits::Durable,
                Commits::Fast => SqliteCommits::Fast,
            },
            ..PoolConfig::default()
        };
        let db = Db::connect(&self.database_url, &config)
            .await
            .with_context(|| format!("cannot open the database at {}", redact(&self.database_url)))?;
        if migrate {
            db.migrate().await.context("cannot migrate the database")?;
        }
        Ok(db)
    }
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Writes a document and a newline to standard output. A reader that stops early
/// (`pimento openapi | head`) closes the pipe: that ends the output quietly, as in other tools.
pub fn print_to_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => crate::serve::run(&cli.db, args).await,
        Command::Migrate => {
            cli.db.open(true).await?;
            eprintln!("migrations applied to {}", redact(&cli.db.database_url));
            Ok(())
        }
        Command::Org(cmd) => crate::org::run(&cli.db, cmd).await,
        Command::Key(cmd) => crate::key::run(&cli.db, cmd).await,
        Command::Openapi { api, out } => {
            let doc = match api {
                ApiName::Products => pimento_api::products_v1::openapi_json()?,
                ApiName::Pim => pimento_api::pim::openapi_json()?,
                ApiName::Medusa => pimento_api::medusa::openapi_json()?,
                ApiName::Cscart => pimento_api::cscart::openapi_json()?,
            };
            match out {
                Some(path) => std::fs::write(&path, doc).with_context(|| format!("cannot write {}", path.display()))?,
                None => print_to_stdout(&doc)?,
            }
            Ok(())
        }
        Command::Backup { out } => {
            // No migration: a backup copies the database as it is.
            let store = cli.db.open(false).await?;
            let started = std::time::Instant::now();
            store
                .db()
                .backup_to(&out)
                .await
                .with_context(|| format!("cannot back up to {}", out.display()))?;
            let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
            eprintln!(
                "backed up {} to {} ({} bytes, {:.1} s)",
                redact(&cli.db.database_url),
                out.display(),
                size,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::RestoreProduct(args) => crate::restore::run(&cli.db, args).await,
        Command::Worker(args) => crate::jobs::worker(&cli.db, args).await,
        Command::Export(args) => crate::jobs::export(&cli.db, args).await,
        Command::Import(args) => crate::jobs::import(&cli.db, args).await,
        Command::Dev(cmd) => crate::dev::run(&cli.db, cmd).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("sqlite://pimento.db"), "sqlite://pimento.db");
    }
}
