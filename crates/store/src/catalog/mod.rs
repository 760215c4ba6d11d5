//! Catalog operations: the one implementation of every rule, called by every API.

mod attribute_groups;
mod attributes;
mod batch;
mod brands;
mod bulk;
mod categories;
mod classify;
mod counted;
mod create;
mod docs;
mod exchange;
mod grouping;
mod import;
mod issues;
mod media;
mod media_library;
pub(crate) mod numbers;
mod options;
mod products;
mod query;
mod removal;
mod search_index;
mod stats;
mod templates;
mod variants;
mod vendors;
mod write;

pub use bulk::{BulkStep, apply_bulk};
pub use categories::ParentFilter;
pub use exchange::{ExportNames, StoredDocs};
pub use grouping::{GroupingQuery, LabelKind, Listed};
pub use import::{ImportItem, import_items};
pub use issues::{IssuePage, IssueQuery, SCAN_BUDGET};
pub use media_library::MediaQuery;
pub use products::Saved;
pub use stats::CatalogStats;
