//! `pimento`: the product catalog server and its command-line tools.

mod cli;
mod dev;
mod jobs;
mod key;
mod org;
mod restore;
mod serve;

use clap::Parser;

// The default allocator spent a tenth of every import and export in malloc bookkeeping.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    serve::init_tracing();
    match cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
