//! The store's error: domain refusals, an unavailable database, or a fault. Database errors are
//! translated here and nowhere else.

use pimento_core::CoreError;
use pimento_core::error::codes;

/// What can go wrong in a store operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The request broke a catalog rule (a 4xx for the caller).
    #[error(transparent)]
    Domain(#[from] CoreError),
    /// The database could not be reached or has no free connection (a 503).
    #[error("database unavailable")]
    Unavailable(#[source] sqlx::Error),
    /// Bad configuration, such as an unsupported database URL.
    #[error("{0}")]
    Config(String),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migration(String),
    /// Stored data could not be read back.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// Any other database fault (a 500).
    #[error("database error")]
    Database(#[source] sqlx::Error),
    /// A fault of a direct SQLite scan (`scan.rs`), a 500 like [`StoreError::Database`].
    #[error("database error")]
    Scan(#[source] rusqlite::Error),
    /// A worker's lease on a job ran out and another worker holds the job now; what this
    /// worker was doing is rolled back.
    #[error("the job's lease passed to another worker")]
    LeaseLost,
    /// The job was canceled while it ran.
    #[error("the job was canceled")]
    JobCanceled,
    /// A file of the blob store could not be read or written.
    #[error("file storage: {0}")]
    Files(#[from] std::io::Error),
}

/// Unique indexes and what a violation of each means to a client. SQLite names the columns in
/// its message, PostgreSQL the index; both are listed.
const UNIQUE: &[(&[&str], &str, &str, &str)] = &[
    (
        &["ux_products_handle", "products.handle"],
        codes::DUPLICATE_HANDLE,
        "handle",
        "Handle already exists",
    ),
    (
        &["ux_variants_sku", "variants.sku"],
        codes::DUPLICATE_SKU,
        "sku",
        "SKU already exists",
    ),
    (
        &["ux_variants_options_key", "variants.options_key"],
        codes::DUPLICATE_OPTION_COMBINATION,
        "options",
        "A variant with these option values already exists",
    ),
    (
        &["ux_options_name", "ux_options_product_name"],
        codes::DUPLICATE_NAME,
        "name",
        "An option with this name already exists",
    ),
    (
        &["ux_option_values_value"],
        codes::DUPLICATE_NAME,
        "values",
        "Duplicate option value",
    ),
    (
        &["ux_external_refs_source", "external_refs.sync_source"],
        codes::DUPLICATE_SYNC_SOURCE,
        "sync_source",
        "This sync source is already linked to another record",
    ),
    (
        &["ux_categories_slug", "categories.slug"],
        codes::DUPLICATE_SLUG,
        "slug",
        "A category with this slug already exists",
    ),
    (
        &["ux_brands_name"],
        codes::DUPLICATE_NAME,
        "name",
        "A brand with this name already exists",
    ),
    (
        &["ux_attributes_key", "attributes.key"],
        codes::DUPLICATE_KEY,
        "key",
        "An attribute with this key already exists",
    ),
    (
        &["ux_attribute_groups_name"],
        codes::DUPLICATE_NAME,
        "name",
        "An attribute group with this name already exists",
    ),
    (
        &["ux_templates_name"],
        codes::DUPLICATE_NAME,
        "name",
        "A template with this name already exists",
    ),
    (
        &["ux_collections_handle", "collections.handle"],
        codes::DUPLICATE_HANDLE,
        "handle",
        "A collection with this handle already exists",
    ),
    (
        &["ux_product_types_value", "product_types.value"],
        codes::DUPLICATE_NAME,
        "value",
        "A product type with this value already exists",
    ),
    (
        &["ux_tags_value", "tags.value"],
        codes::DUPLICATE_NAME,
        "value",
        "A tag with this value already exists",
    ),
];

/// The refusal a unique index gives, for checks that find the clash before the write: the
/// same code, field and message as the index's own violation.
pub(crate) fn taken(index: &str) -> CoreError {
    match UNIQUE.iter().find(|(keys, ..)| keys.contains(&index)) {
        Some((_, code, field, message)) => CoreError::conflict(code, *field, *message),
        None => CoreError::conflict(codes::CONFLICT, index, "The write conflicts with existing data"),
    }
}

impl StoreError {
    pub(crate) fn from_connect(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::Configuration(c) => StoreError::Config(c.to_string()),
            other => StoreError::Unavailable(other),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => StoreError::Unavailable(e),
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                let text = format!("{} {}", db.constraint().unwrap_or(""), db.message());
                match UNIQUE.iter().find(|(keys, ..)| keys.iter().any(|k| text.contains(k))) {
                    Some((_, code, field, message)) => StoreError::Domain(CoreError::conflict(code, *field, *message)),
                    None => StoreError::Domain(CoreError::Conflict {
                        code: codes::CONFLICT,
                        field: None,
                        message: "The write conflicts with existing data".into(),
                    }),
                }
            }
            // A row this write refers to was deleted by a concurrent transaction (or one it
            // deletes gained a reference): the caller can retry against the new state.
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::Domain(CoreError::Conflict {
                code: codes::CONFLICT,
                field: None,
                message: "The write conflicts with a concurrent change to what it refers to; try again".into(),
            }),
            sqlx::Error::Database(db)
                if db.code().as_deref() == Some("40001") || db.code().as_deref() == Some("40P01") =>
            {
                StoreError::Unavailable(e)
            }
            _ => StoreError::Database(e),
        }
    }
}
