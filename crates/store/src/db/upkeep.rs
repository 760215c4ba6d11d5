//! Upkeep of a SQLite database that runs beside the requests: copying the WAL into the file,
//! and statistics for indexes that migrations add.

use super::SqliteWriter;
use crate::StoreError;
use sqlx::{AssertSqlSafe, SqlitePool};
use std::sync::Arc;
use std::time::Duration;

/// WAL pages after which a commit copies the log into the database file itself: a backstop
/// for when the checkpointer falls behind. SQLite's default of 1,000 pages (4 MB) made most
/// import commits wait for a checkpoint.
pub(super) const WAL_AUTOCHECKPOINT_PAGES: &str = "10000";

/// Copies committed WAL pages into the database file on another connection, off the writers'
/// path: a commit only appends to the log. PASSIVE checkpoints never block readers or writers.
pub(super) fn spawn_checkpointer(pool: SqlitePool, writer: Arc<SqliteWriter>) {
    tokio::spawn(async move {
        loop {
            writer.committed.notified().await;
            if pool.is_closed() {
                return;
            }
            // Lets a burst of commits land first, so one checkpoint copies them all.
            tokio::time::sleep(Duration::from_millis(50)).await;
            let Ok(mut conn) = pool.acquire().await else {
                return;
            };
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&mut *conn).await {
                tracing::warn!(error = %e, "WAL checkpoint failed; commits will checkpoint instead");
            }
        }
    });
}

/// Gives statistics to the indexes a migration added to tables that already have them.
/// SQLite's planner takes an index without statistics for a very selective one and then
/// prefers it to the right one (a list in creation order read a million products through a
/// new name index to sort them). Tables never analyzed are left alone: all their indexes are
/// judged alike until `PRAGMA optimize` first runs.
pub(super) async fn analyze_new_indexes(p: &SqlitePool) -> Result<(), StoreError> {
    let mut c = p.acquire().await?;
    let analyzed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        .fetch_one(&mut *c)
        .await?;
    if analyzed == 0 {
        return Ok(());
    }
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT m.tbl_name FROM sqlite_master m WHERE m.type = 'index' \
         AND m.tbl_name IN (SELECT tbl FROM sqlite_stat1) AND m.name NOT IN (SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL)",
    )
    .fetch_all(&mut *c)
    .await?;
    for table in tables {
        // The name is one of the schema's own tables, quoted as an identifier.
        let sql = format!("ANALYZE \"{}\"", table.replace('"', "\"\""));
        sqlx::query(AssertSqlSafe(sql)).execute(&mut *c).await?;
    }
    Ok(())
}
