//! Black-box tests of the HTTP API, one binary for fast linking. Every test gets its own
//! database on the backend `PIMENTO_TEST_BACKEND` selects (SQLite by default, or PostgreSQL).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

mod harness;

mod audit;
mod auth;
mod connections;
mod cscart_kept;
mod cscart_lists;
mod cscart_model;
mod cscart_products;
mod cscart_taxonomy;
mod error_bodies;
mod errors;
mod full_copy;
mod idempotency;
mod leases;
mod media;
mod medusa_exchange;
mod medusa_import;
mod medusa_options;
mod medusa_products;
mod medusa_sdk;
mod medusa_taxonomy;
mod metrics;
mod openapi;
mod operations;
mod options;
mod pim_access;
mod pim_attributes;
mod pim_jobs;
mod pim_keys;
mod pim_media;
mod pim_merchandising;
mod pim_products;
mod pim_reports;
mod pim_taxonomy;
mod products;
mod rate_limits;
mod restore;
mod shapes;
mod tenant_matrix;
mod uploads;
mod variants;
mod versions;
mod versions_grouping;
mod versions_owned;
mod view_cache;
