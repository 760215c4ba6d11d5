//! Binding values for SQLite.
//!
//! sqlx gives every text or blob it binds a reference-counted buffer of its own, and the
//! connection's worker thread frees them all once the statement has run. A multi-row insert
//! repeats a few values in every row (the time, the actor, an entity type, a status): each of
//! those is made once per statement and shared by reference, so binding it allocates nothing.
//! A batch's arguments are reserved in one piece rather than grown value by value.

use super::{Sql, Val};
use crate::error::StoreError;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::error::BoxDynError;
use sqlx::sqlite::SqliteArguments;
use sqlx::types::Json;
use sqlx::{Arguments, AssertSqlSafe, Sqlite};
use std::sync::Arc;

/// A statement with its values bound for SQLite.
pub type SqliteQuery = sqlx::query::Query<'static, Sqlite, SqliteArguments>;

/// Binds `args` to `sql`.
pub fn query(sql: Sql, args: Vec<Val>) -> Result<SqliteQuery, StoreError> {
    let mut binder = Binder::with_capacity(args.len());
    for v in args {
        binder.add(v)?;
    }
    Ok(sqlx::query_with(AssertSqlSafe(sql), binder.finish()))
}

/// Collects bound values, sharing the ones a statement repeats.
pub struct Binder {
    args: SqliteArguments,
    /// The last time bound and its text, as sqlx writes a `DateTime<Utc>`.
    time: Option<(DateTime<Utc>, Arc<str>)>,
    /// Constant strings already bound (a handful: entity types, actions, statuses).
    statics: Vec<(&'static str, Arc<str>)>,
}

impl Binder {
    /// A binder with room for `n` values.
    pub fn with_capacity(n: usize) -> Binder {
        let mut args = SqliteArguments::default();
        args.reserve(n, 0);
        Binder {
            args,
            time: None,
            statics: Vec::new(),
        }
    }

    /// Binds the next value.
    pub fn add(&mut self, v: Val) -> Result<(), StoreError> {
        self.bind(v).map_err(|e| StoreError::from(sqlx::Error::Encode(e)))
    }

    fn bind(&mut self, v: Val) -> Result<(), BoxDynError> {
        let args = &mut self.args;
        match v {
            Val::Uuid(v) => args.add(v),
            Val::Text(v) => args.add(v),
            Val::Static(s) => {
                let shared = match self.statics.iter().find(|(k, _)| std::ptr::eq(*k, s)) {
                    Some((_, shared)) => shared.clone(),
                    None => {
                        let shared: Arc<str> = Arc::from(s);
                        self.statics.push((s, shared.clone()));
                        shared
                    }
                };
                args.add(shared)
            }
            Val::Shared(v) => args.add(v),
            Val::Int(v) => args.add(v),
            Val::Float(v) => args.add(v),
            Val::Bool(v) => args.add(v),
            Val::Ts(None) => args.add(None::<DateTime<Utc>>),
            Val::Ts(Some(t)) => {
                let text = match &self.time {
                    Some((last, text)) if *last == t => text.clone(),
                    _ => {
                        // sqlx's own encoding of a `DateTime<Utc>`, so stored text is unchanged.
                        let text: Arc<str> = Arc::from(t.to_rfc3339_opts(SecondsFormat::AutoSi, false));
                        self.time = Some((t, text.clone()));
                        text
                    }
                };
                args.add(text)
            }
            Val::Json(v) => args.add(v.map(Json)),
            Val::Changes(v) => args.add(Json(v)),
            Val::Bytes(v) => args.add(v),
        }
    }

    /// The bound values.
    pub fn finish(self) -> SqliteArguments {
        self.args
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Connection, Row, SqliteConnection};

    /// Shared and repeated values store exactly what binding each on its own stores.
    #[tokio::test]
    async fn shared_values_store_what_plain_ones_do() {
        let mut c = SqliteConnection::connect("sqlite::memory:")
            .await
            .expect("in-memory database");
        let now = Utc::now();
        let later = now + chrono::Duration::milliseconds(1);
        let actor: Arc<str> = Arc::from("sk_test");
        let args = vec![
            Val::Ts(Some(now)),
            Val::Static("product"),
            Val::Shared(actor.clone()),
            Val::Ts(Some(now)),
            Val::Static("product"),
            Val::Shared(actor),
            Val::Ts(Some(later)),
            Val::Static("variant"),
            Val::Ts(None),
        ];
        let row = query(Sql::from("SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?"), args)
            .expect("bound")
            .fetch_one(&mut c)
            .await
            .expect("bound and run");
        let text = |i: usize| row.get::<Option<String>, _>(i);
        let plain: String = sqlx::query_scalar("SELECT ?")
            .bind(now)
            .fetch_one(&mut c)
            .await
            .expect("bound and run");
        assert_eq!(text(0).as_deref(), Some(plain.as_str()));
        assert_eq!(text(3), text(0));
        assert_eq!(text(1).as_deref(), Some("product"));
        assert_eq!(text(4).as_deref(), Some("product"));
        assert_eq!(text(2).as_deref(), Some("sk_test"));
        assert_eq!(text(5).as_deref(), Some("sk_test"));
        assert_ne!(text(6), text(0), "a different time is not taken for the last one");
        assert_eq!(text(7).as_deref(), Some("variant"));
        assert_eq!(text(8), None);
    }
}
