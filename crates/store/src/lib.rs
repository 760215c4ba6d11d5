//! Pimento's storage and catalog operations. Every operation takes the caller's [`Ctx`] first,
//! so no query can be written without the organization it is scoped to.
//!
//! [`Ctx`]: pimento_core::auth::Ctx

pub mod audit;
pub mod catalog;
mod clock;
pub mod db;
pub mod error;
pub mod idempotency;
pub mod jobs;
pub mod keys;
mod load;
mod migrations;
pub mod orgs;
pub mod page;
mod rows;
mod scan;
pub mod seed;
#[cfg(feature = "testing")]
pub mod testing;

pub use db::{Backend, Db, PoolConfig, PoolStats, SqliteCommits};
pub use error::StoreError;

/// The catalog store: every operation the APIs call.
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
}

impl Store {
    /// Wraps a connected (and migrated) database.
    pub fn new(db: Db) -> Self {
        Store { db }
    }

    /// The database behind the store.
    pub fn db(&self) -> &Db {
        &self.db
    }
}
