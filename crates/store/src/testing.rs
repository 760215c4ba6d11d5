//! A fresh, migrated database per test: a temporary SQLite file, or a new schema in PostgreSQL.
//!
//! `PIMENTO_TEST_BACKEND=postgres` selects PostgreSQL at `PIMENTO_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); anything else, SQLite. An unreachable PostgreSQL
//! fails the test: a suite asked to run there must not pass by skipping.

use crate::db::{Backend, Db, PoolConfig};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};
use std::path::PathBuf;
use std::str::FromStr;

/// The PostgreSQL server tests use.
pub fn postgres_url() -> String {
    std::env::var("PIMENTO_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// The backend the suite runs on.
pub fn backend() -> Backend {
    match std::env::var("PIMENTO_TEST_BACKEND").as_deref() {
        Ok("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// A test database, removed when dropped.
pub struct TestDb {
    pub db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Schema(String),
    Database(String),
}

impl TestDb {
    /// Creates and migrates a fresh database on the selected backend.
    #[allow(clippy::expect_used)] // test support: failing loudly is the point
    pub async fn new() -> TestDb {
        let config = PoolConfig {
            max_connections: Some(4),
            ..PoolConfig::default()
        };
        let (db, cleanup) = match backend() {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("pimento-test-{}.db", uuid::Uuid::now_v7().simple()));
                let db = Db::connect(&format!("sqlite://{}", path.display()), &config)
                    .await
                    .expect("open test SQLite database");
                (db, Cleanup::File(path))
            }
            Backend::Postgres => {
                let url = postgres_url();
                let schema = format!("pimento_test_{}", uuid::Uuid::now_v7().simple());
                let mut admin = PgConnection::connect(&url)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {url} is unreachable: {e}"));
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(&mut admin)
                    .await
                    .expect("create test schema");
                let opts = PgConnectOptions::from_str(&url)
                    .expect("PostgreSQL URL")
                    .options([("search_path", schema.as_str())])
                    .application_name(&schema);
                let db = Db::connect_postgres(opts, &config)
                    .await
                    .expect("connect to test schema");
                (db, Cleanup::Schema(schema))
            }
        };
        db.migrate().await.expect("migrate test database");
        TestDb { db, cleanup }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Schema(schema) => {
                // Drop runs outside async code: use a short-lived runtime on its own thread.
                let schema = schema.clone();
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                        return;
                    };
                    rt.block_on(async move {
                        if let Ok(mut c) = PgConnection::connect(&postgres_url()).await {
                            // The test's pool may still hold connections (some inside a transaction
                            // whose rollback never ran): end them so their locks go.
                            let _ = sqlx::query(
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
                            )
                            .bind(&schema)
                            .execute(&mut c)
                            .await;
                            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {schema} CASCADE")))
                                .execute(&mut c)
                                .await;
                        }
                    });
                })
                .join();
            }
            Cleanup::Database(_) => {}
        }
    }
}

/// A database URL of its own for a test that runs other processes (the `pimento` binary) on
/// it: a temporary SQLite file, or a new PostgreSQL database (a process cannot be given a
/// schema through a plain URL). Removed when dropped; nothing is migrated.
pub struct TestUrl {
    pub url: String,
    cleanup: Cleanup,
}

impl TestUrl {
    /// A fresh, empty database on the selected backend.
    #[allow(clippy::expect_used)] // test support: failing loudly is the point
    pub async fn new() -> TestUrl {
        let name = format!("pimento_test_{}", uuid::Uuid::now_v7().simple());
        match backend() {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                TestUrl {
                    url: format!("sqlite://{}", path.display()),
                    cleanup: Cleanup::File(path),
                }
            }
            Backend::Postgres => {
                let url = postgres_url();
                let mut admin = PgConnection::connect(&url)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {url} is unreachable: {e}"));
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await
                    .expect("create test database");
                let base = url.split('?').next().unwrap_or(&url);
                let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
                TestUrl {
                    url: format!("{server}/{name}"),
                    cleanup: Cleanup::Database(name),
                }
            }
        }
    }
}

impl Drop for TestUrl {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Database(name) => {
                let name = name.clone();
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                        return;
                    };
                    rt.block_on(async move {
                        if let Ok(mut c) = PgConnection::connect(&postgres_url()).await {
                            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            )))
                            .execute(&mut c)
                            .await;
                        }
                    });
                })
                .join();
            }
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Schema(_) => {}
        }
    }
}
