//! Pimento's HTTP layer: the app builder, shared middleware and extractors, and one module per
//! product API ("dialect", `dialect.rs`). A dialect translates its wire format, names, errors
//! and auth to and from the catalog core and holds no business rule of its own.

pub mod app;
mod auth;
pub mod cscart;
mod dialect;
mod download;
mod error;
mod extract;
mod health;
mod idempotency;
mod limits;
pub mod medusa;
mod metrics;
pub mod pim;
mod precondition;
pub mod products_v1;
mod query;
mod rate;
mod rejections;
mod rendered;
mod server;

pub use app::{AppOptions, AppState, router};

/// The export tables the APIs spell themselves, by the format that names each: whoever builds
/// a worker hands them to it (`pimento_jobs::Worker::with_tables`), since the jobs crate knows
/// no API.
pub fn export_tables() -> Vec<(
    pimento_core::job::ExchangeFormat,
    std::sync::Arc<dyn pimento_core::exchange::ViewTable>,
)> {
    vec![(pimento_core::job::ExchangeFormat::MedusaCsv, medusa::export_table())]
}
/// The import formats the APIs read themselves, by the format that names each: whoever builds
/// a worker hands them to it (`pimento_jobs::Worker::with_importers`).
pub fn importers() -> Vec<(
    pimento_core::job::ExchangeFormat,
    std::sync::Arc<dyn pimento_jobs::BatchImport>,
)> {
    vec![(pimento_core::job::ExchangeFormat::MedusaCsv, medusa::importer())]
}
pub use server::{ServeConfig, serve, serve_until};
