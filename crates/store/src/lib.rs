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
mod view_cache;

pub use catalog::CachedProduct;
pub use db::{Backend, Db, PoolConfig, PoolStats, SqliteCommits};
pub use error::StoreError;
pub use view_cache::{DEFAULT_BUDGET_BYTES as DEFAULT_VIEW_CACHE_BYTES, RenderSlot, ViewCacheStats};

/// The catalog store: every operation the APIs call.
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
    views: std::sync::Arc<view_cache::ViewCache>,
}

impl Store {
    /// Wraps a connected (and migrated) database, with a product view cache of the default size.
    pub fn new(db: Db) -> Self {
        Self::with_view_cache(db, DEFAULT_VIEW_CACHE_BYTES)
    }

    /// Wraps a connected (and migrated) database, caching up to `budget_bytes` of product
    /// views (0: none).
    pub fn with_view_cache(db: Db, budget_bytes: u64) -> Self {
        let views = std::sync::Arc::new(view_cache::ViewCache::new(&db, budget_bytes));
        Store { db, views }
    }

    /// The product view cache's counts.
    pub fn view_cache_stats(&self) -> ViewCacheStats {
        self.views.stats()
    }

    /// The database behind the store.
    pub fn db(&self) -> &Db {
        &self.db
    }
}
