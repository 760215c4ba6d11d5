//! Black-box tests of the HTTP API, one binary for fast linking. Every test gets its own
//! database on the backend `PIMENTO_TEST_BACKEND` selects (SQLite by default, or PostgreSQL).

mod harness;

mod audit;
mod auth;
mod errors;
mod media;
mod operations;
mod options;
mod products;
mod variants;
