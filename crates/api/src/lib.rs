//! Pimento's HTTP layer: the app builder, shared middleware and extractors, and one module per
//! product API ("dialect", `dialect.rs`). A dialect translates its wire format, names, errors
//! and auth to and from the catalog core and holds no business rule of its own.

pub mod app;
mod auth;
mod dialect;
mod error;
mod extract;
mod health;
pub mod medusa;
pub mod pim;
pub mod products_v1;
mod query;
mod server;

pub use app::{AppState, router};
pub use server::{ServeConfig, serve, serve_until};
