//! SQL text for many rows at once: placeholder lists, multi-row inserts, and batches of
//! statements bound ahead of running them.

use super::sqlite_args::{Binder, SqliteQuery};
use super::{Backend, Conn, Sql, Val};
use crate::error::StoreError;
use sqlx::AssertSqlSafe;
use sqlx::sqlite::SqliteArguments;

/// `$start, $start+1, …` for `n` values: the placeholders of an `IN (…)` list.
pub fn placeholders(start: usize, n: usize) -> String {
    let mut s = String::with_capacity(n * 8);
    push_placeholders(&mut s, start, n);
    s
}

/// Appends [`placeholders`] to `s`, writing the numbers in place: a multi-row insert has tens of
/// thousands of them.
fn push_placeholders(s: &mut String, start: usize, n: usize) {
    use std::fmt::Write;
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "${}", start + i);
    }
}

/// The VALUES rows of a multi-row insert as `backend` takes them: `($1, $2), ($3, $4), …` for
/// PostgreSQL, `(?, ?), (?, ?), …` for SQLite, which then needs no rewriting (a chunk's inserts
/// hold some 90,000 placeholders; numbering and renumbering them was 5 % of an import's work).
pub fn value_rows_for(backend: Backend, rows: usize, cols: usize) -> String {
    match backend {
        Backend::Postgres => value_rows(rows, cols),
        Backend::Sqlite => {
            let row = format!("({})", vec!["?"; cols].join(", "));
            vec![row; rows].join(", ")
        }
    }
}

/// `($1, $2), ($3, $4), …`: the VALUES rows of a multi-row insert.
pub fn value_rows(rows: usize, cols: usize) -> String {
    value_rows_from(1, rows, cols)
}

/// VALUES rows whose placeholders start at `$start`.
pub fn value_rows_from(start: usize, rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * (cols * 8 + 4));
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        push_placeholders(&mut s, start + r * cols, cols);
        s.push(')');
    }
    s
}

/// Statements built and bound ahead of running them, so that the building can overlap with the
/// database running the batch before (see `create::insert_products`).
pub enum Batch {
    /// On SQLite, every statement in one command: SQLite's worker thread runs them all without
    /// waiting for this one between statements. The arguments are kept here too (sharing the
    /// values, not copies), so the worker only lets go of its references and the values are
    /// freed on this thread: freeing them there was a twentieth of the worker's time.
    Sqlite(SqliteQuery, SqliteArguments),
    /// Statements run one after another ([`Conn::execute_all`]): PostgreSQL takes one
    /// statement with arguments at a time.
    Statements(Vec<(Sql, Vec<Val>)>),
}

impl Batch {
    /// Builds and binds the statements for `backend`. SQLite binds the `?` placeholders of a
    /// multi-statement command in order across its statements, so any statement written with
    /// `$N` keeps the batch to one statement at a time.
    pub fn new(backend: Backend, stmts: impl Iterator<Item = (Sql, Vec<Val>)>) -> Result<Batch, StoreError> {
        let stmts: Vec<(Sql, Vec<Val>)> = stmts.collect();
        if backend == Backend::Postgres || stmts.is_empty() || stmts.iter().any(|(sql, _)| sql.contains('$')) {
            return Ok(Batch::Statements(stmts));
        }
        let mut sql = String::with_capacity(stmts.iter().map(|(s, _)| s.len() + 2).sum());
        let mut binder = Binder::with_capacity(stmts.iter().map(|(_, a)| a.len()).sum());
        for (s, a) in stmts {
            sql.push_str(&s);
            sql.push_str(";\n");
            for v in a {
                binder.add(v)?;
            }
        }
        let args = binder.finish();
        let kept = args.clone();
        Ok(Batch::Sqlite(sqlx::query_with(AssertSqlSafe(sql), args), kept))
    }
}

/// Bound values per multi-row statement: under SQLite's limit of 32,766.
const MAX_BOUND: usize = 30_000;

/// Inserts rows of `cols` values each with as few multi-row statements as the backends' limits
/// on bound values allow. `head` is `INSERT INTO table (columns…)`.
pub async fn insert_rows(c: &mut Conn<'_>, head: &str, cols: usize, rows: Vec<Vec<Val>>) -> Result<(), StoreError> {
    let backend = c.backend();
    c.execute_all(insert_statements(backend, head, cols, rows)).await
}

/// The multi-row statements of [`insert_rows`], built one at a time as they are asked for (see
/// [`Conn::execute_all`]).
pub fn insert_statements(
    backend: Backend,
    head: &str,
    cols: usize,
    rows: Vec<Vec<Val>>,
) -> impl Iterator<Item = (Sql, Vec<Val>)> {
    let per = (MAX_BOUND / cols).max(1);
    let mut rows = rows.into_iter().peekable();
    std::iter::from_fn(move || {
        rows.peek()?;
        let chunk: Vec<Vec<Val>> = rows.by_ref().take(per).collect();
        let sql = format!("{head} VALUES {}", value_rows_for(backend, chunk.len(), cols));
        // Sized once: grown value by value, the list was copied into ever larger fresh memory.
        let mut values = Vec::with_capacity(chunk.len() * cols);
        chunk.into_iter().for_each(|row| {
            // SQLite would bind the missing values as NULL without a word.
            debug_assert_eq!(row.len(), cols, "{head}");
            values.extend(row);
        });
        Some((Sql::from(sql), values))
    })
}
