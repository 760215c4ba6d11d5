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
    (
        6,
        "lighter writes",
        include_str!("../migrations/sqlite/0006_lighter_writes.sql"),
    ),
    (
        7,
        "core field names",
        include_str!("../migrations/sqlite/0007_core_field_names.sql"),
    ),
    (
        8,
        "product search",
        include_str!("../migrations/sqlite/0008_product_search.sql"),
    ),
    (9, "numbers", include_str!("../migrations/sqlite/0009_numbers.sql")),
    (
        10,
        "merchandising",
        include_str!("../migrations/sqlite/0010_merchandising.sql"),
    ),
    (
        11,
        "own options",
        include_str!("../migrations/sqlite/0011_own_options.sql"),
    ),
    (
        12,
        "search order",
        include_str!("../migrations/sqlite/0012_search_order.sql"),
    ),
    (
        13,
        "key management",
        include_str!("../migrations/sqlite/0013_key_management.sql"),
    ),
    (
        14,
        "taxonomy extensions",
        include_str!("../migrations/sqlite/0014_taxonomy_extensions.sql"),
    ),
    (15, "versions", include_str!("../migrations/sqlite/0015_versions.sql")),
    (
        16,
        "deleted products",
        include_str!("../migrations/sqlite/0016_deleted_products.sql"),
    ),
    (
        17,
        "live products order",
        include_str!("../migrations/sqlite/0017_live_products_order.sql"),
    ),
    (
        18,
        "idempotency keys",
        include_str!("../migrations/sqlite/0018_idempotency_keys.sql"),
    ),
    (
        19,
        "view cache",
        include_str!("../migrations/sqlite/0019_view_cache.sql"),
    ),
    (
        20,
        "view cache shared rows",
        include_str!("../migrations/sqlite/0020_view_cache_shared_rows.sql"),
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
    (
        5,
        "lighter writes",
        include_str!("../migrations/postgres/0005_lighter_writes.sql"),
    ),
    (
        6,
        "core field names",
        include_str!("../migrations/postgres/0006_core_field_names.sql"),
    ),
    (
        7,
        "product search",
        include_str!("../migrations/postgres/0007_product_search.sql"),
    ),
    (8, "numbers", include_str!("../migrations/postgres/0008_numbers.sql")),
    (
        9,
        "merchandising",
        include_str!("../migrations/postgres/0009_merchandising.sql"),
    ),
    (
        10,
        "own options",
        include_str!("../migrations/postgres/0010_own_options.sql"),
    ),
    (
        11,
        "name order",
        include_str!("../migrations/postgres/0011_name_order.sql"),
    ),
    (
        12,
        "key management",
        include_str!("../migrations/postgres/0012_key_management.sql"),
    ),
    (
        13,
        "taxonomy extensions",
        include_str!("../migrations/postgres/0013_taxonomy_extensions.sql"),
    ),
    (14, "versions", include_str!("../migrations/postgres/0014_versions.sql")),
    (
        15,
        "deleted products",
        include_str!("../migrations/postgres/0015_deleted_products.sql"),
    ),
    (
        16,
        "live products order",
        include_str!("../migrations/postgres/0016_live_products_order.sql"),
    ),
    (
        17,
        "idempotency keys",
        include_str!("../migrations/postgres/0017_idempotency_keys.sql"),
    ),
    (
        18,
        "view cache",
        include_str!("../migrations/postgres/0018_view_cache.sql"),
    ),
    (
        19,
        "view cache shared rows",
        include_str!("../migrations/postgres/0019_view_cache_shared_rows.sql"),
    ),
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

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Connection, SqliteConnection};

    /// Migration 6 rebuilds the SQLite audit log: every event is kept with its `seq`, and new
    /// events still number after the highest, even the highest one deleted.
    #[tokio::test]
    async fn the_audit_log_rebuild_keeps_events_and_their_numbering() {
        let mut c = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::query("PRAGMA foreign_keys = ON").execute(&mut c).await.unwrap();
        migrator(&SQLITE[..5]).run(&mut c).await.unwrap();
        let event = |n: i64| {
            format!(
                "INSERT INTO audit_events (id, organization_id, actor, action, entity_type, entity_id, changes, created_at) \
                 VALUES (randomblob(16), x'01', 'sk_test', 'create', 'product', randomblob(16), '{{\"n\":{n}}}', '2026-01-01T00:00:00Z')"
            )
        };
        for sql in [
            "INSERT INTO tenants (id, name, created_at) VALUES (x'02', 't', '2026-01-01T00:00:00Z')".to_owned(),
            "INSERT INTO organizations (id, tenant_id, name, created_at) VALUES (x'01', x'02', 'o', '2026-01-01T00:00:00Z')"
                .to_owned(),
            event(1),
            event(2),
            event(3),
            "DELETE FROM audit_events WHERE seq = 3".to_owned(),
        ] {
            sqlx::query(AssertSqlSafe(sql)).execute(&mut c).await.unwrap();
        }

        sqlite().run(&mut c).await.unwrap();
        sqlx::query(AssertSqlSafe(event(4))).execute(&mut c).await.unwrap();
        let rows: Vec<(i64, String)> = sqlx::query_as("SELECT seq, changes FROM audit_events ORDER BY seq")
            .fetch_all(&mut c)
            .await
            .unwrap();
        assert_eq!(
            rows,
            [
                (1, r#"{"n":1}"#.to_owned()),
                (2, r#"{"n":2}"#.to_owned()),
                (4, r#"{"n":4}"#.to_owned())
            ]
        );
        // The log still goes when its organization does.
        sqlx::query("DELETE FROM organizations").execute(&mut c).await.unwrap();
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events")
            .fetch_one(&mut c)
            .await
            .unwrap();
        assert_eq!(left, 0);
    }

    /// Events recorded before the core's snake_case names, as the Products API spelled them.
    const LEGACY: [(&str, &str); 3] = [
        (
            "product",
            r#"{"defaultVariantId":{"after":"v1","before":null},"metadata":{"after":{"parentId":1},"before":null},"name":{"after":"Boot","before":null}}"#,
        ),
        (
            "template",
            r#"{"attributes":{"after":[{"attributeId":"a1","required":true}],"before":[]}}"#,
        ),
        ("brand", r#"{"name":{"after":"Acme","before":null}}"#),
    ];

    /// What the renaming migration makes of `LEGACY`, as JSON values.
    fn renamed() -> Vec<serde_json::Value> {
        [
            r#"{"default_variant_id":{"after":"v1","before":null},"metadata":{"after":{"parentId":1},"before":null},"name":{"after":"Boot","before":null}}"#,
            r#"{"attributes":{"after":[{"attribute_id":"a1","required":true}],"before":[]}}"#,
            r#"{"name":{"after":"Acme","before":null}}"#,
        ]
        .iter()
        .map(|s| serde_json::from_str(s).unwrap())
        .collect()
    }

    /// Migration 7 renames the field names of stored audit events, and nothing inside values.
    #[tokio::test]
    async fn stored_audit_events_take_the_core_names_on_sqlite() {
        let mut c = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        migrator(&SQLITE[..6]).run(&mut c).await.unwrap();
        for sql in [
            "INSERT INTO tenants (id, name, created_at) VALUES (x'02', 't', '2026-01-01T00:00:00Z')",
            "INSERT INTO organizations (id, tenant_id, name, created_at) VALUES (x'01', x'02', 'o', '2026-01-01T00:00:00Z')",
        ] {
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
        for (entity, changes) in LEGACY {
            sqlx::query(
                "INSERT INTO audit_events (id, organization_id, actor, action, entity_type, entity_id, changes, created_at) \
                 VALUES (randomblob(16), x'01', 'sk_test', 'update', $1, randomblob(16), $2, '2026-01-01T00:00:00Z')",
            )
            .bind(entity)
            .bind(changes)
            .execute(&mut c)
            .await
            .unwrap();
        }
        sqlite().run(&mut c).await.unwrap();
        let rows: Vec<String> = sqlx::query_scalar("SELECT changes FROM audit_events ORDER BY seq")
            .fetch_all(&mut c)
            .await
            .unwrap();
        let rows: Vec<serde_json::Value> = rows.iter().map(|r| serde_json::from_str(r).unwrap()).collect();
        assert_eq!(rows, renamed());
    }

    /// On a PostgreSQL run, a connection to the test server inside a fresh schema, and its name.
    async fn pg_schema() -> Option<(sqlx::PgConnection, String)> {
        if std::env::var("PIMENTO_TEST_BACKEND").as_deref() != Ok("postgres") {
            return None;
        }
        let url = std::env::var("PIMENTO_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let schema = format!("pimento_test_{}", uuid::Uuid::now_v7().simple());
        let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
        for sql in [
            format!("CREATE SCHEMA {schema}"),
            format!("SET search_path TO {schema}"),
        ] {
            sqlx::query(AssertSqlSafe(sql)).execute(&mut c).await.unwrap();
        }
        Some((c, schema))
    }

    /// Drops a schema [`pg_schema`] made.
    async fn drop_schema(c: &mut sqlx::PgConnection, schema: &str) {
        sqlx::query(AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
            .execute(c)
            .await
            .unwrap();
    }

    /// Migration 6 on PostgreSQL does what migration 7 does on SQLite.
    #[tokio::test]
    async fn stored_audit_events_take_the_core_names_on_postgres() {
        let Some((mut c, schema)) = pg_schema().await else {
            return;
        };
        let result = async {
            migrator(&POSTGRES[..5]).run(&mut c).await?;
            sqlx::query("INSERT INTO tenants (id, name, created_at) VALUES ('00000000-0000-0000-0000-000000000002', 't', now())")
                .execute(&mut c)
                .await?;
            sqlx::query(
                "INSERT INTO organizations (id, tenant_id, name, created_at) \
                 VALUES ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 'o', now())",
            )
            .execute(&mut c)
            .await?;
            for (entity, changes) in LEGACY {
                sqlx::query(
                    "INSERT INTO audit_events (id, organization_id, actor, action, entity_type, entity_id, changes, created_at) \
                     VALUES ($1, '00000000-0000-0000-0000-000000000001', 'sk_test', 'update', $2, $1, $3::jsonb, now())",
                )
                .bind(uuid::Uuid::now_v7())
                .bind(entity)
                .bind(changes)
                .execute(&mut c)
                .await?;
            }
            postgres().run(&mut c).await?;
            sqlx::query_scalar::<_, serde_json::Value>("SELECT changes FROM audit_events ORDER BY seq")
                .fetch_all(&mut c)
                .await
                .map_err(sqlx::migrate::MigrateError::from)
        }
        .await;
        drop_schema(&mut c, &schema).await;
        assert_eq!(result.unwrap(), renamed());
    }

    /// Products made before numbers existed, in creation order (not id order).
    const UNNUMBERED: [(&str, &str); 3] = [("b", "2026-01-02"), ("a", "2026-01-03"), ("c", "2026-01-01")];

    /// Migration 9 numbers what exists in creation order and counts on from there.
    #[tokio::test]
    async fn existing_products_are_numbered_in_creation_order_on_sqlite() {
        let mut c = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        migrator(&SQLITE[..8]).run(&mut c).await.unwrap();
        for sql in [
            "INSERT INTO tenants (id, name, created_at) VALUES (x'02', 't', '2026-01-01T00:00:00Z')",
            "INSERT INTO organizations (id, tenant_id, name, created_at) VALUES (x'01', x'02', 'o', '2026-01-01T00:00:00Z')",
        ] {
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
        for (handle, day) in UNNUMBERED {
            sqlx::query(
                "INSERT INTO products (id, organization_id, handle, name, status, created_at, created_by, updated_at, updated_by) \
                 VALUES (randomblob(16), x'01', $1, $1, 'active', $2, 'sk', $2, 'sk')",
            )
            .bind(handle)
            .bind(format!("{day}T00:00:00Z"))
            .execute(&mut c)
            .await
            .unwrap();
        }
        sqlite().run(&mut c).await.unwrap();
        let numbered: Vec<(String, i64)> = sqlx::query_as("SELECT handle, number FROM products ORDER BY number")
            .fetch_all(&mut c)
            .await
            .unwrap();
        assert_eq!(numbered, [("c".into(), 1), ("b".into(), 2), ("a".into(), 3)]);
        let last: i64 = sqlx::query_scalar("SELECT last FROM org_numbers WHERE kind = 'product'")
            .fetch_one(&mut c)
            .await
            .unwrap();
        assert_eq!(last, 3);
    }

    /// Migration 12 numbers products whose search `seq` is out of step with their ids again, in
    /// id order, and rebuilds the index under the new numbers.
    #[tokio::test]
    async fn products_out_of_id_order_in_the_search_index_are_numbered_again() {
        let mut c = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        migrator(&SQLITE[..11]).run(&mut c).await.unwrap();
        for sql in [
            "INSERT INTO tenants (id, name, created_at) VALUES (x'02', 't', '2026-01-01T00:00:00Z')",
            "INSERT INTO organizations (id, tenant_id, name, created_at) VALUES (x'01', x'02', 'o', '2026-01-01T00:00:00Z')",
        ] {
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
        // Written in the order b, c, a: `seq` 1, 2, 3 against ids 2, 3, 1.
        for (id, handle) in [(2u8, "b"), (3, "c"), (1, "a")] {
            sqlx::query(
                "INSERT INTO products (id, organization_id, handle, name, status, created_at, created_by, updated_at, updated_by) \
                 VALUES ($1, x'01', $2, 'alpine ' || $2, 'active', '2026-01-01T00:00:00Z', 'sk', '2026-01-01T00:00:00Z', 'sk')",
            )
            .bind(vec![0u8; 15].into_iter().chain([id]).collect::<Vec<u8>>())
            .bind(handle)
            .execute(&mut c)
            .await
            .unwrap();
        }
        sqlite().run(&mut c).await.unwrap();
        let renumbered: Vec<(String, i64)> = sqlx::query_as("SELECT handle, seq FROM products ORDER BY id")
            .fetch_all(&mut c)
            .await
            .unwrap();
        assert_eq!(renumbered, [("a".into(), 1), ("b".into(), 2), ("c".into(), 3)]);
        let found: Vec<i64> =
            sqlx::query_scalar("SELECT rowid FROM product_search WHERE product_search MATCH 'alpine' ORDER BY rowid")
                .fetch_all(&mut c)
                .await
                .unwrap();
        assert_eq!(found, [1, 2, 3]);
        let a: Vec<i64> = sqlx::query_scalar("SELECT rowid FROM product_search WHERE product_search MATCH 'a'")
            .fetch_all(&mut c)
            .await
            .unwrap();
        assert_eq!(a, [1]);
    }

    /// Migration 8 on PostgreSQL does what migration 9 does on SQLite, its counter a sequence.
    #[tokio::test]
    async fn existing_products_are_numbered_in_creation_order_on_postgres() {
        let Some((mut c, schema)) = pg_schema().await else {
            return;
        };
        let result = async {
            migrator(&POSTGRES[..7]).run(&mut c).await?;
            sqlx::query("INSERT INTO tenants (id, name, created_at) VALUES ('00000000-0000-0000-0000-000000000002', 't', now())")
                .execute(&mut c)
                .await?;
            sqlx::query(
                "INSERT INTO organizations (id, tenant_id, name, created_at) \
                 VALUES ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 'o', now())",
            )
            .execute(&mut c)
            .await?;
            for (handle, day) in UNNUMBERED {
                sqlx::query(
                    "INSERT INTO products (id, organization_id, handle, name, status, created_at, created_by, updated_at, updated_by) \
                     VALUES ($1, '00000000-0000-0000-0000-000000000001', $2, $2, 'active', $3::timestamptz, 'sk', $3::timestamptz, 'sk')",
                )
                .bind(uuid::Uuid::now_v7())
                .bind(handle)
                .bind(format!("{day}T00:00:00Z"))
                .execute(&mut c)
                .await?;
            }
            postgres().run(&mut c).await?;
            let numbered: Vec<(String, i64)> = sqlx::query_as("SELECT handle, number FROM products ORDER BY number")
                .fetch_all(&mut c)
                .await?;
            let next: i64 = sqlx::query_scalar(
                "SELECT nextval('pimento_n_00000000000000000000000000000001_product')",
            )
            .fetch_one(&mut c)
            .await?;
            Ok::<_, sqlx::Error>((numbered, next))
        }
        .await;
        drop_schema(&mut c, &schema).await;
        let (numbered, next) = result.unwrap();
        assert_eq!(numbered, [("c".into(), 1), ("b".into(), 2), ("a".into(), 3)]);
        assert_eq!(next, 4);
    }
}
