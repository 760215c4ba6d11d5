//! Long read-only scans, such as an export walking the whole catalog.
//!
//! sqlx runs each SQLite connection on a thread of its own and hands every row across to the
//! async side, copying each value on the way: at seven rows a product, the hand-offs cost more
//! than SQLite's reading. A scan of SQLite therefore opens a read-only connection of its own
//! and runs on a blocking thread, reading values in place. PostgreSQL rows arrive in batches
//! over the socket and go through sqlx as usual. Code that reads rows is written once, against
//! [`Cols`], and serves both.

use crate::db::Row;
use crate::error::StoreError;
use rusqlite::types::ValueRef;
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

/// Positional column access over a row of either driver.
pub(crate) trait Cols {
    /// A UUID column (a 16-byte blob on SQLite).
    fn uuid(&self, i: usize) -> Result<Option<Uuid>, StoreError>;
    /// An integer column.
    fn int(&self, i: usize) -> Result<Option<i64>, StoreError>;
    /// A text column.
    fn text(&self, i: usize) -> Result<Option<String>, StoreError>;
    /// A JSON object column; NULL or any other JSON value reads as an empty object.
    fn object(&self, i: usize) -> Result<serde_json::Map<String, serde_json::Value>, StoreError>;
}

impl Cols for Row {
    fn uuid(&self, i: usize) -> Result<Option<Uuid>, StoreError> {
        self.at(i)
    }
    fn int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        self.at(i)
    }
    fn text(&self, i: usize) -> Result<Option<String>, StoreError> {
        self.at(i)
    }
    fn object(&self, i: usize) -> Result<serde_json::Map<String, serde_json::Value>, StoreError> {
        Ok(match self.at::<Option<sqlx::types::Json<serde_json::Value>>>(i)? {
            Some(sqlx::types::Json(serde_json::Value::Object(m))) => m,
            _ => serde_json::Map::new(),
        })
    }
}

fn unexpected(i: usize, wanted: &str, got: ValueRef<'_>) -> StoreError {
    StoreError::Corrupt(format!("column {i}: expected {wanted}, found {:?}", got.data_type()))
}

impl Cols for rusqlite::Row<'_> {
    fn uuid(&self, i: usize) -> Result<Option<Uuid>, StoreError> {
        match self.get_ref(i).map_err(StoreError::Scan)? {
            ValueRef::Null => Ok(None),
            ValueRef::Blob(b) => Uuid::from_slice(b)
                .map(Some)
                .map_err(|e| StoreError::Corrupt(format!("column {i}: {e}"))),
            other => Err(unexpected(i, "a UUID", other)),
        }
    }
    fn int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.get_ref(i).map_err(StoreError::Scan)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(n) => Ok(Some(n)),
            other => Err(unexpected(i, "an integer", other)),
        }
    }
    fn text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.get_ref(i).map_err(StoreError::Scan)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => std::str::from_utf8(t)
                .map(|s| Some(s.to_owned()))
                .map_err(|e| StoreError::Corrupt(format!("column {i}: {e}"))),
            other => Err(unexpected(i, "text", other)),
        }
    }
    fn object(&self, i: usize) -> Result<serde_json::Map<String, serde_json::Value>, StoreError> {
        match self.get_ref(i).map_err(StoreError::Scan)? {
            ValueRef::Null => Ok(serde_json::Map::new()),
            ValueRef::Text(t) | ValueRef::Blob(t) => match serde_json::from_slice(t) {
                Ok(serde_json::Value::Object(m)) => Ok(m),
                Ok(_) => Ok(serde_json::Map::new()),
                Err(e) => Err(StoreError::Corrupt(format!("column {i}: {e}"))),
            },
            other => Err(unexpected(i, "JSON", other)),
        }
    }
}

/// A read-only connection to a SQLite database file, used from one blocking thread.
pub(crate) struct Direct {
    conn: rusqlite::Connection,
}

impl Direct {
    /// Opens the file read-only. WAL mode lets it read while the server writes; each
    /// statement sees the last commit before it started.
    pub(crate) fn open(file: &Path) -> Result<Direct, StoreError> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            file,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(StoreError::Scan)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(StoreError::Scan)?;
        // A scan reads each page once, in order, so a small page cache loses little; 4 MiB
        // holds the upper levels of the indexes its joins probe. The OS page cache does the rest.
        conn.pragma_update(None, "cache_size", -4096)
            .map_err(StoreError::Scan)?;
        Ok(Direct { conn })
    }

    /// Runs a query (written with in-order `$N` placeholders, as for the pool) and hands each
    /// row to `f` in place.
    pub(crate) fn each(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        mut f: impl FnMut(&rusqlite::Row<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(StoreError::Scan)?;
        let mut rows = stmt.query(params).map_err(StoreError::Scan)?;
        while let Some(row) = rows.next().map_err(StoreError::Scan)? {
            f(row)?;
        }
        Ok(())
    }
}
