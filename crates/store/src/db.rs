//! One interface over SQLite and PostgreSQL.
//!
//! SQL is written once with `$1`-style placeholders, which both drivers accept, and values are
//! bound through [`Val`], so business code never branches on the backend. What truly differs
//! (connection setup, how a write transaction starts, migrations) stays in this file.

use crate::error::StoreError;
use chrono::{DateTime, Utc};
use pimento_core::audit::Fields;
use serde_json::Value;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgConnectOptions, PgConnection, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::types::Json;
use sqlx::{AssertSqlSafe, Decode, PgPool, Postgres, Row as _, Sqlite, SqlitePool, Type};
use std::borrow::Cow;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;
use uuid::Uuid;

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection pool to SQLite or PostgreSQL, chosen from the URL scheme.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool, Arc<SqliteWriter>),
    Postgres(PgPool),
}

/// This process's side of SQLite's single writer.
#[derive(Debug)]
pub struct SqliteWriter {
    /// Writers queue on this mutex instead of in SQLite's busy handler, which sleeps and
    /// retries and so gives long tail latencies. It holds the commit group being written.
    turn: Arc<tokio::sync::Mutex<Writing>>,
    /// Writers queued for the turn: a commit that sees one leaves its group open for it.
    queued: AtomicUsize,
    /// Whether commits reach the disk before they are reported (`synchronous=FULL`).
    durable: bool,
    /// The one connection every write transaction runs on. A connection's page cache survives
    /// only its own commits: one that finds the database changed by another connection starts
    /// over from an empty cache. Writes spread over the pool's connections each began cold, so
    /// an import read every index page it probed from the file again (half of its lookups' time).
    pool: SqlitePool,
    /// Signalled by every commit; wakes the checkpointer (`db/upkeep.rs`).
    committed: tokio::sync::Notify,
    /// The file's WAL index header, opened at first use (`db/wal_index.rs`).
    wal_index: std::sync::OnceLock<Option<wal_index::WalIndex>>,
}

impl Db {
    /// Connects to `sqlite://FILE` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str, config: &PoolConfig) -> Result<Db, StoreError> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Config(format!("invalid SQLite URL: {e}")))?
                .create_if_missing(true)
                // For a new database only (an existing one keeps its own): half as many pages,
                // so half the WAL frames a commit writes, each frame two system calls.
                .page_size(8192)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL flushes the log at each commit, so a power loss keeps what was reported
                // written; NORMAL survives a crash of the process only (see `SqliteCommits`).
                .synchronous(match config.sqlite_commits {
                    SqliteCommits::Durable => SqliteSynchronous::Full,
                    SqliteCommits::Fast => SqliteSynchronous::Normal,
                })
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                // 16 MiB of page cache per connection; the OS page cache does the rest.
                .pragma("cache_size", "-16384")
                .pragma("temp_store", "memory")
                .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)
                .statement_cache_capacity(256)
                // Keeps the planner's statistics current as the catalog grows.
                .optimize_on_close(true, None);
            let pool = SqlitePoolOptions::new()
                // A local file does not drop connections; a ping per checkout only costs a round trip.
                .test_before_acquire(false)
                .max_connections(config.max_connections.unwrap_or(8))
                .min_connections(1)
                .acquire_timeout(config.acquire_timeout)
                .connect_with(opts)
                .await
                .map_err(StoreError::from_connect)?;
            let writes = SqlitePoolOptions::new()
                .test_before_acquire(false)
                .max_connections(1)
                .min_connections(1)
                // The writers' turn is taken first, so the connection is free whenever asked for.
                .acquire_timeout(config.acquire_timeout)
                // Kept open: its page and statement caches are the point.
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(pool.connect_options().as_ref().clone())
                .await
                .map_err(StoreError::from_connect)?;
            let writer = Arc::new(SqliteWriter {
                turn: Arc::default(),
                queued: AtomicUsize::new(0),
                durable: config.sqlite_commits == SqliteCommits::Durable,
                pool: writes,
                committed: tokio::sync::Notify::new(),
                wal_index: std::sync::OnceLock::new(),
            });
            spawn_checkpointer(pool.clone(), writer.clone());
            Ok(Db::Sqlite(pool, writer))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url)
                .map_err(|e| StoreError::Config(format!("invalid PostgreSQL URL: {e}")))?
                .statement_cache_capacity(256);
            Self::connect_postgres(opts, config).await
        } else {
            Err(StoreError::Config(format!(
                "unsupported database URL '{}': use sqlite://FILE or postgres://…",
                url.split('@').next_back().unwrap_or(url)
            )))
        }
    }

    /// Connects to PostgreSQL with explicit options (tests use this to pick a schema).
    pub async fn connect_postgres(opts: PgConnectOptions, config: &PoolConfig) -> Result<Db, StoreError> {
        // The store reads by index, a page of ids at a time, from a working set that sits in
        // memory. PostgreSQL's default random_page_cost (4, for spinning disks) made it join a
        // page of 3,000 variants to their option values by scanning all 300,000 of them;
        // at 1.1, the usual setting for SSDs, it probes the index (56 ms → 12 ms a page).
        let opts = opts.options([("random_page_cost", "1.1")]);
        let pool = PgPoolOptions::new()
            .max_connections(config.max_connections.unwrap_or(16))
            .acquire_timeout(config.acquire_timeout)
            .connect_with(opts)
            .await
            .map_err(StoreError::from_connect)?;
        // Search splits words with `[:alnum:]`, which knows letters beyond ASCII only under a
        // UTF-8 character type (migration 0007 of PostgreSQL).
        let ctype: String = sqlx::query_scalar("SHOW lc_ctype").fetch_one(&pool).await?;
        if !ctype.to_ascii_lowercase().replace('-', "").contains("utf8") {
            tracing::warn!(
                lc_ctype = %ctype,
                "the database's character type is not UTF-8: full-text search splits words at every letter beyond ASCII"
            );
        }
        Ok(Db::Postgres(pool))
    }

    /// Which engine this is.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(..) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the embedded migrations for this backend.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let result = match self {
            Db::Sqlite(p, _) => crate::migrations::sqlite().run(p).await,
            Db::Postgres(p) => crate::migrations::postgres().run(p).await,
        };
        result.map_err(|e| StoreError::Migration(e.to_string()))?;
        if let Db::Sqlite(p, _) = self {
            analyze_new_indexes(p).await?;
        }
        Ok(())
    }

    /// A pooled connection for reads.
    pub async fn acquire(&self) -> Result<PooledConn, StoreError> {
        Ok(match self {
            Db::Sqlite(p, _) => PooledConn::Sqlite(p.acquire().await?),
            Db::Postgres(p) => PooledConn::Postgres(p.acquire().await?),
        })
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so a read-then-write transaction never fails half-way on a busy lock.
    ///
    /// On SQLite with durable commits, a write joins the commit group of the writes before it
    /// while they wait to be flushed (see [`group`]).
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite(_, writer) => Tx::Sqlite(group::Member::begin(writer).await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Refreshes the query planner's statistics; worth it after a bulk load, before the planner
    /// meets tables whose size it has never seen.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        self.maintain("ANALYZE").await
    }

    /// Runs a statement that writes outside any transaction of ours (statistics): on SQLite in
    /// the writers' turn, on their connection, whose caches another connection's write would
    /// empty.
    async fn maintain(&self, sql: &'static str) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(_, writer) => {
                let mut turn = group::take_turn(writer).await;
                group::close(writer, &mut turn).await?;
                let mut conn = PooledConn::Sqlite(writer.pool.acquire().await?);
                conn.conn().execute(sql, vec![]).await.map(|_| ())
            }
            Db::Postgres(_) => self.acquire().await?.conn().execute(sql, vec![]).await.map(|_| ()),
        }
    }

    /// Refreshes the statistics of tables that grew, cheaply enough to call while a bulk
    /// load runs: SQLite's `PRAGMA optimize` analyzes only tables that changed a lot, with a
    /// bounded sample; on PostgreSQL, `ANALYZE` samples the catalog tables whose plans a load
    /// depends on. The audit log, the largest table, is left to autovacuum: sampling it took
    /// half of each refresh, and no step of a load reads it.
    ///
    /// SQLite's default looks only at tables this connection has queried, which a bulk load
    /// mostly writes: their statistics stayed those of the first chunk, and the planner then
    /// scanned a 200,000-row table it believed held 1,000. Mask 0x10012 (analyze, with the
    /// bounded sample, every table that changed) covers them.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        let sql = match self {
            Db::Sqlite(..) => "PRAGMA optimize=0x10012",
            Db::Postgres(_) => {
                "ANALYZE external_refs, products, product_options, variants, variant_option_values, \
                 media_assets, product_media"
            }
        };
        self.maintain(sql).await
    }

    /// The database file, when this is SQLite on disk: long read-only scans open their own
    /// connection to it (see `scan.rs`).
    pub(crate) fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        match self {
            Db::Sqlite(p, _) => {
                let opts = p.connect_options();
                let file = opts.get_filename();
                // An in-memory database is reachable only through the pool's own connections.
                let in_memory = file.to_str().is_some_and(|f| f.starts_with("file:") || f == ":memory:");
                (!in_memory).then(|| file.to_path_buf())
            }
            Db::Postgres(_) => None,
        }
    }

    /// The connections of this process's pools (on SQLite, the readers' and the writer's).
    pub fn pool_stats(&self) -> PoolStats {
        fn of<D: sqlx::Database>(p: &sqlx::Pool<D>) -> PoolStats {
            let open = p.size();
            let idle = u32::try_from(p.num_idle()).unwrap_or(u32::MAX).min(open);
            PoolStats {
                open,
                idle,
                max: p.options().get_max_connections(),
            }
        }
        match self {
            Db::Sqlite(readers, writer) => {
                let (r, w) = (of(readers), of(&writer.pool));
                PoolStats {
                    open: r.open + w.open,
                    idle: r.idle + w.idle,
                    max: r.max + w.max,
                }
            }
            Db::Postgres(p) => of(p),
        }
    }

    /// Writes a consistent copy of a SQLite database to `path` while it is in use
    /// (`VACUUM INTO`: one read transaction, so the copy is the database as of one commit,
    /// and writers carry on meanwhile). The copy is a complete database, WAL included,
    /// that Pimento serves as it is. `path` must not exist. PostgreSQL has `pg_dump` instead.
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<(), StoreError> {
        let Db::Sqlite(readers, _) = self else {
            return Err(StoreError::Config(
                "backup copies SQLite databases; back PostgreSQL up with pg_dump or its continuous archiving".into(),
            ));
        };
        if path.exists() {
            return Err(StoreError::Config(format!("{} exists already", path.display())));
        }
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::Config(format!("{} is not a UTF-8 path", path.display())))?;
        let mut c = readers.acquire().await?;
        sqlx::query("VACUUM INTO ?").bind(target).execute(&mut *c).await?;
        Ok(())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.acquire()
            .await?
            .conn()
            .fetch_one("SELECT 1", vec![])
            .await
            .map(|_| ())
    }

    /// Closes every connection.
    pub async fn close(&self) {
        match self {
            Db::Sqlite(p, writer) => {
                writer.pool.close().await;
                p.close().await;
                // Wakes the checkpointer to see the pool closed and end.
                writer.committed.notify_one();
            }
            Db::Postgres(p) => p.close().await,
        }
    }
}

/// A connection borrowed from the pool.
pub enum PooledConn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl PooledConn {
    /// The connection, to run statements on.
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            PooledConn::Sqlite(c) => Conn::Sqlite(c),
            PooledConn::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// An open transaction; dropped without `commit` it rolls back.
pub enum Tx {
    /// A member of this process's SQLite commit group; it holds the turn to write.
    Sqlite(group::Member),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    /// The transaction's connection, to run statements on.
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(m) => Conn::Sqlite(m.conn()),
            Tx::Postgres(t) => Conn::Postgres(t),
        }
    }

    /// Commits, and returns once the write is as durable as the database is set to make it.
    /// When the task answers a request sent with an `Idempotency-Key` and this is its first
    /// commit, the key is recorded in this same transaction (`idempotency.rs`), so that the
    /// write and its record cannot be separated.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        let claim = crate::idempotency::unrecorded();
        if let Some(claim) = &claim {
            crate::idempotency::record(claim, &mut self.conn()).await?;
        }
        match self {
            Tx::Sqlite(m) => m.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        if let Some(claim) = &claim {
            crate::idempotency::recorded(claim);
        }
        Ok(())
    }
}

/// A bindable value. `None` binds SQL NULL of the right type.
#[derive(Debug, Clone)]
pub enum Val {
    Uuid(Option<Uuid>),
    Text(Option<String>),
    /// A constant string: on SQLite, bound once per statement however many rows repeat it.
    Static(&'static str),
    /// A string many rows share (the actor): on SQLite, bound without a copy per row.
    Shared(Arc<str>),
    Int(Option<i64>),
    Float(Option<f64>),
    Bool(Option<bool>),
    Ts(Option<DateTime<Utc>>),
    Json(Option<Value>),
    /// An audit change's fields, serialized when bound (see [`Fields`]).
    Changes(Fields),
    Bytes(Vec<u8>),
}

macro_rules! val_from {
    ($($t:ty => $variant:ident),* $(,)?) => {$(
        impl From<$t> for Val {
            fn from(v: $t) -> Self { Val::$variant(Some(v.into())) }
        }
        impl From<Option<$t>> for Val {
            fn from(v: Option<$t>) -> Self { Val::$variant(v.map(Into::into)) }
        }
    )*};
}
val_from!(Uuid => Uuid, String => Text, &str => Text, i64 => Int, f64 => Float, bool => Bool, DateTime<Utc> => Ts, Value => Json);

impl From<Arc<str>> for Val {
    fn from(v: Arc<str>) -> Self {
        Val::Shared(v)
    }
}

impl From<Fields> for Val {
    fn from(v: Fields) -> Self {
        Val::Changes(v)
    }
}

impl From<&String> for Val {
    fn from(v: &String) -> Self {
        Val::Text(Some(v.clone()))
    }
}
impl From<&Option<String>> for Val {
    fn from(v: &Option<String>) -> Self {
        Val::Text(v.clone())
    }
}

macro_rules! val_from_id {
    ($($t:ty),*) => {$(
        impl From<$t> for Val {
            fn from(v: $t) -> Self { Val::Uuid(Some(v.0)) }
        }
        impl From<Option<$t>> for Val {
            fn from(v: Option<$t>) -> Self { Val::Uuid(v.map(|i| i.0)) }
        }
    )*};
}
use pimento_core::ids::*;
val_from_id!(
    TenantId,
    OrganizationId,
    ApiKeyId,
    ProductId,
    VariantId,
    OptionId,
    OptionValueId,
    MediaAssetId,
    ProductMediaId,
    ExternalRefId,
    AuditEventId,
    CategoryId,
    BrandId,
    AttributeId,
    AttributeGroupId,
    TemplateId,
    JobId,
    FileId,
    NotificationId,
    VendorId,
    CollectionId,
    ProductTypeId,
    TagId
);

/// `%text%` with the pattern characters of `text` escaped, for `LIKE … ESCAPE '\\'`.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// Builds a `Vec<Val>` from anything convertible: `args![org, name, 3_i64]`.
#[macro_export]
macro_rules! args {
    ($($v:expr),* $(,)?) => { vec![$($crate::db::Val::from($v)),*] };
}

/// SQL text: a literal, or text assembled from literals and generated placeholders only. That is
/// why passing it to sqlx as `AssertSqlSafe` is sound: input only ever travels as bound values.
pub type Sql = Cow<'static, str>;

/// Binds `args` to `sql` for PostgreSQL. (SQLite binds through `sqlite_args`, which shares the
/// values a statement repeats; PostgreSQL's driver writes every value into one buffer anyway.)
fn pg_query(sql: Sql, args: Vec<Val>) -> sqlx::query::Query<'static, Postgres, PgArguments> {
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for a in args {
        q = match a {
            Val::Uuid(v) => q.bind(v),
            Val::Text(v) => q.bind(v),
            Val::Static(v) => q.bind(v),
            Val::Shared(v) => q.bind(v),
            Val::Int(v) => q.bind(v),
            Val::Float(v) => q.bind(v),
            Val::Bool(v) => q.bind(v),
            Val::Ts(v) => q.bind(v),
            Val::Json(v) => q.bind(v.map(Json)),
            Val::Changes(v) => q.bind(Json(v)),
            Val::Bytes(v) => q.bind(v),
        };
    }
    q
}

mod config;
mod group;
mod sqlite_args;
mod statements;
mod upkeep;
mod wal_index;
pub use config::{PoolConfig, PoolStats, SqliteCommits};
use group::Writing;
pub use statements::{
    Batch, insert_rows, insert_statements, placeholders, value_rows, value_rows_for, value_rows_from,
};
use upkeep::{WAL_AUTOCHECKPOINT_PAGES, analyze_new_indexes, spawn_checkpointer};

/// Rewrites `$N` placeholders for SQLite. sqlx asks SQLite for every parameter's name, and
/// SQLite finds a named or numbered parameter by walking a list: quadratic in a multi-row insert.
/// Anonymous `?` parameters are not in that list, so when the placeholders appear in order
/// (`$1, $2, $3, …`, as in every large statement) they become `?`; otherwise `?N`, same meaning.
fn for_sqlite(sql: Sql) -> Sql {
    if !sql.contains('$') {
        return sql;
    }
    // Every run of a statement is rewritten: one pass, copying the runs between placeholders
    // whole. (Multi-row inserts skip this: they are written with `?` to begin with.)
    let rewritten = numbered_to_sqlite(&sql, true).or_else(|| numbered_to_sqlite(&sql, false));
    Cow::Owned(rewritten.unwrap_or_else(|| sql.into_owned()))
}

/// `$N` as `?` when `anonymous` (`None` as soon as a placeholder is out of order), else as `?N`.
fn numbered_to_sqlite(sql: &str, anonymous: bool) -> Option<String> {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut expected = 1_usize;
    let mut copied = 0;
    let mut from = 0;
    while let Some(at) = sql[from..].find('$').map(|k| from + k) {
        let digits = at + 1;
        let mut end = digits;
        let mut n = 0_usize;
        while let Some(d) = bytes.get(end).filter(|d| d.is_ascii_digit()) {
            n = n.saturating_mul(10).saturating_add(usize::from(d - b'0'));
            end += 1;
        }
        from = end.max(digits);
        if end == digits {
            continue; // a `$` that starts no placeholder
        }
        out.push_str(&sql[copied..at]);
        out.push('?');
        if anonymous {
            if n != expected {
                return None;
            }
            expected += 1;
        } else {
            out.push_str(&sql[digits..end]);
        }
        copied = end;
    }
    out.push_str(&sql[copied..]);
    Some(out)
}

/// A connection (or transaction) of either backend.
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Conn<'_> {
    /// The backend this connection talks to.
    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs a statement; returns the number of rows it touched.
    pub async fn execute(&mut self, sql: impl Into<Sql>, args: Vec<Val>) -> Result<u64, StoreError> {
        let sql = sql.into();
        Ok(match self {
            Conn::Sqlite(c) => sqlite_args::query(for_sqlite(sql), args)?
                .execute(&mut **c)
                .await?
                .rows_affected(),
            Conn::Postgres(c) => pg_query(sql, args).execute(&mut **c).await?.rows_affected(),
        })
    }

    /// Runs statements one after another, building each (its SQL text and bound values)
    /// while the database runs the one before. The database works on another thread (SQLite's
    /// worker) or machine (PostgreSQL), so building a large insert overlaps with executing the
    /// previous one instead of taking turns with it. Stops at the first error.
    pub async fn execute_all(&mut self, mut stmts: impl Iterator<Item = (Sql, Vec<Val>)>) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(c) => {
                let build = |(sql, args): (Sql, Vec<Val>)| sqlite_args::query(for_sqlite(sql), args);
                let mut next = stmts.next().map(build).transpose()?;
                while let Some(q) = next.take() {
                    // `join!` polls the statement first, which hands it to the worker.
                    let (done, built) = tokio::join!(q.execute(&mut **c), async { stmts.next().map(build) });
                    done?;
                    next = built.transpose()?;
                }
            }
            Conn::Postgres(c) => {
                let build = |(sql, args): (Sql, Vec<Val>)| pg_query(sql, args);
                let mut next = stmts.next().map(build);
                while let Some(q) = next.take() {
                    let (done, built) = tokio::join!(q.execute(&mut **c), async { stmts.next().map(build) });
                    done?;
                    next = built;
                }
            }
        }
        Ok(())
    }

    /// Runs a [`Batch`].
    pub async fn run(&mut self, batch: Batch) -> Result<(), StoreError> {
        match (self, batch) {
            (Conn::Sqlite(c), Batch::Sqlite(q, kept)) => {
                q.execute(&mut **c).await?;
                drop(kept);
                Ok(())
            }
            (c, Batch::Statements(stmts)) => c.execute_all(stmts.into_iter()).await,
            (Conn::Postgres(_), Batch::Sqlite(..)) => Err(StoreError::Corrupt(
                "a batch bound for SQLite was run on PostgreSQL".into(),
            )),
        }
    }

    /// Runs a query and returns every row.
    pub async fn fetch_all(&mut self, sql: impl Into<Sql>, args: Vec<Val>) -> Result<Vec<Row>, StoreError> {
        let sql = sql.into();
        Ok(match self {
            Conn::Sqlite(c) => sqlite_args::query(for_sqlite(sql), args)?
                .fetch_all(&mut **c)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Conn::Postgres(c) => pg_query(sql, args)
                .fetch_all(&mut **c)
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    /// Runs a query and returns its first row, if any.
    pub async fn fetch_optional(&mut self, sql: impl Into<Sql>, args: Vec<Val>) -> Result<Option<Row>, StoreError> {
        let sql = sql.into();
        Ok(match self {
            Conn::Sqlite(c) => sqlite_args::query(for_sqlite(sql), args)?
                .fetch_optional(&mut **c)
                .await?
                .map(Row::Sqlite),
            Conn::Postgres(c) => pg_query(sql, args).fetch_optional(&mut **c).await?.map(Row::Postgres),
        })
    }

    /// Runs a query that must return a row.
    pub async fn fetch_one(&mut self, sql: impl Into<Sql>, args: Vec<Val>) -> Result<Row, StoreError> {
        self.fetch_optional(sql, args)
            .await?
            .ok_or_else(|| StoreError::Corrupt("query returned no row".into()))
    }
}

/// A result row of either backend.
pub enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    /// Reads a column by name.
    pub fn get<T>(&self, col: &str) -> Result<T, StoreError>
    where
        T: for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>,
    {
        let r = match self {
            Row::Sqlite(r) => r.try_get::<T, _>(col),
            Row::Postgres(r) => r.try_get::<T, _>(col),
        };
        r.map_err(|e| StoreError::Corrupt(format!("column {col}: {e}")))
    }

    /// Reads a column by position.
    pub fn at<T>(&self, col: usize) -> Result<T, StoreError>
    where
        T: for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>,
    {
        let r = match self {
            Row::Sqlite(r) => r.try_get::<T, _>(col),
            Row::Postgres(r) => r.try_get::<T, _>(col),
        };
        r.map_err(|e| StoreError::Corrupt(format!("column {col}: {e}")))
    }

    /// Reads a JSON column that may be NULL.
    pub fn json(&self, col: &str) -> Result<Option<Value>, StoreError> {
        Ok(self.get::<Option<Json<Value>>>(col)?.map(|j| j.0))
    }

    /// Reads a UUID column into a typed id.
    pub fn id<T: From<Uuid>>(&self, col: &str) -> Result<T, StoreError> {
        self.get::<Uuid>(col).map(T::from)
    }

    /// Reads a nullable UUID column into a typed id.
    pub fn opt_id<T: From<Uuid>>(&self, col: &str) -> Result<Option<T>, StoreError> {
        Ok(self.get::<Option<Uuid>>(col)?.map(T::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On SQLite every write transaction runs on the writers' own connection (see
    /// [`SqliteWriter`]): a temporary table, which only its connection sees, is still there in
    /// the next transaction, and reads go elsewhere.
    #[tokio::test]
    #[allow(clippy::unwrap_used)]
    async fn sqlite_writes_share_one_connection_and_reads_do_not() {
        if crate::testing::backend() != Backend::Sqlite {
            return;
        }
        let db = crate::testing::TestDb::new().await;
        let mut tx = db.db.begin().await.unwrap();
        tx.conn()
            .execute("CREATE TEMP TABLE writer_mark (n INTEGER)", vec![])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        for _ in 0..3 {
            // Readers come and go meanwhile, as a server's do.
            let mut r = db.db.acquire().await.unwrap();
            assert!(r.conn().fetch_all("SELECT n FROM writer_mark", vec![]).await.is_err());
            let mut tx = db.db.begin().await.unwrap();
            tx.conn()
                .execute("INSERT INTO writer_mark (n) VALUES (1)", vec![])
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        let mut tx = db.db.begin().await.unwrap();
        let rows = tx.conn().fetch_all("SELECT n FROM writer_mark", vec![]).await.unwrap();
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn placeholder_lists() {
        assert_eq!(placeholders(3, 3), "$3, $4, $5");
        assert_eq!(value_rows(2, 2), "($1, $2), ($3, $4)");
        assert_eq!(value_rows_from(3, 2, 1), "($3), ($4)");
        assert_eq!(
            for_sqlite("a = $1 AND b IN ($2, $3) AND c = '$'".into()),
            "a = ? AND b IN (?, ?) AND c = '$'"
        );
        assert_eq!(
            for_sqlite("a = $1 AND b IN ($12, $3)".into()),
            "a = ?1 AND b IN (?12, ?3)"
        );
        assert_eq!(for_sqlite("a = $1 OR b = $1".into()), "a = ?1 OR b = ?1");
        assert_eq!(for_sqlite("a = $2 AND b = $1".into()), "a = ?2 AND b = ?1");
        assert_eq!(for_sqlite("a = 'x' AND b = '$y'".into()), "a = 'x' AND b = '$y'");
        assert_eq!(for_sqlite("SELECT 1".into()), "SELECT 1");
        assert_eq!(for_sqlite("VALUES ($1, $2), ($3, $4)".into()), "VALUES (?, ?), (?, ?)");
        assert_eq!(for_sqlite("x = ü$1".into()), "x = ü?");
        assert_eq!(for_sqlite("a = $ AND b = $1$$2".into()), "a = $ AND b = ?$?");
        assert_eq!(placeholders(9, 3), "$9, $10, $11");
        assert_eq!(value_rows_for(Backend::Sqlite, 2, 3), "(?, ?, ?), (?, ?, ?)");
        assert_eq!(value_rows_for(Backend::Postgres, 2, 1), "($1), ($2)");
    }
}
