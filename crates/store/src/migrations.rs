//! The embedded, versioned schema of each backend.

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AssertSqlSafe, SqlSafeStr};

const SQLITE: &[(i64, &str, &str)] = &[
    (1, "catalog", include_str!("../migrations/sqlite/0001_catalog.sql")),
    (
        2,
        "variant sku index",
        include_str!("../migrations/sqlite/0002_variant_sku_index.sql"),
    ),
    (3, "pim", include_str!("../migrations/sqlite/0003_pim.sql")),
    (4, "jobs", include_str!("../migrations/sqlite/0004_jobs.sql")),
    (
        5,
        "batch counts",
        include_str!("../migrations/sqlite/0005_batch_counts.sql"),
    ),
];
const POSTGRES: &[(i64, &str, &str)] = &[
    (1, "catalog", include_str!("../migrations/postgres/0001_catalog.sql")),
    (
        2,
        "variant sku index",
        include_str!("../migrations/postgres/0002_variant_sku_index.sql"),
    ),
    (3, "pim", include_str!("../migrations/postgres/0003_pim.sql")),
    (4, "jobs", include_str!("../migrations/postgres/0004_jobs.sql")),
];

fn migrator(list: &[(i64, &'static str, &'static str)]) -> Migrator {
    Migrator::with_migrations(
        list.iter()
            .map(|(version, name, sql)| {
                Migration::new(
                    *version,
                    (*name).into(),
                    MigrationType::Simple,
                    AssertSqlSafe(*sql).into_sql_str(),
                    false,
                )
            })
            .collect(),
    )
}

/// The SQLite migrations.
pub fn sqlite() -> Migrator {
    migrator(SQLITE)
}

/// The PostgreSQL migrations.
pub fn postgres() -> Migrator {
    migrator(POSTGRES)
}
