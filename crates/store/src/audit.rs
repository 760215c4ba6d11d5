//! Writing audit events, inside the transaction of the change they describe.

use crate::db::{Backend, Conn, Sql, Val, value_rows_for};
use crate::error::StoreError;
use chrono::Utc;
use pimento_core::audit::Change;
use pimento_core::auth::Ctx;
use pimento_core::ids::AuditEventId;

const COLUMNS: usize = 9;
// Keeps each statement under SQLite's bound-parameter limit.
const CHUNK: usize = 1000;

/// Records the changes, skipping updates that changed nothing.
pub async fn record(conn: &mut Conn<'_>, ctx: &Ctx, changes: Vec<Change>) -> Result<(), StoreError> {
    let backend = conn.backend();
    conn.execute_all(statements(backend, ctx, changes)).await
}

/// The inserts that record the changes, built as they are run (see `Conn::execute_all`).
pub fn statements(backend: Backend, ctx: &Ctx, changes: Vec<Change>) -> impl Iterator<Item = (Sql, Vec<Val>)> {
    let now = Utc::now();
    let mut changes = changes.into_iter().filter(|c| !c.is_empty()).peekable();
    std::iter::from_fn(move || {
        changes.peek()?;
        let mut args: Vec<Val> = Vec::with_capacity(changes.size_hint().1.unwrap_or(CHUNK).min(CHUNK) * COLUMNS);
        let mut rows = 0;
        for c in changes.by_ref().take(CHUNK) {
            rows += 1;
            args.extend(crate::args![
                AuditEventId::generate(),
                ctx.org(),
                ctx.shared_actor(),
                Val::Static(c.action.as_str()),
                Val::Static(c.entity.as_str()),
                c.entity_id,
                c.fields,
                ctx.request_id.clone(),
                now,
            ]);
        }
        let sql = format!(
            "INSERT INTO audit_events (id, organization_id, actor, action, entity_type, entity_id, changes, request_id, created_at) VALUES {}",
            value_rows_for(backend, rows, COLUMNS)
        );
        Some((Sql::from(sql), args))
    })
}

/// The entity types most events are about; the type index leaves them out (migration 0003).
const COMMON_TYPES: [&str; 4] = ["product", "variant", "product_media", "media_asset"];
/// The conditions of the partial audit indexes, repeated word for word so the planners use them.
const RARE_TYPE: &str = " AND entity_type NOT IN ('product', 'variant', 'product_media', 'media_asset')";
const NOT_CREATE: &str = " AND action <> 'create'";

/// An audit log request: newest first, every filter optional.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// `product`, `variant`, `category`, …
    pub entity_type: Option<String>,
    pub entity_id: Option<uuid::Uuid>,
    /// `create`, `update`, `archive` or `delete`.
    pub action: Option<String>,
    /// Events at or after this time.
    pub since: Option<chrono::DateTime<Utc>>,
    /// Events before this time.
    pub until: Option<chrono::DateTime<Utc>>,
    pub limit: u32,
    /// Events older than this sequence number (the previous page's cursor).
    pub before_seq: Option<i64>,
}

impl crate::Store {
    /// A page of the organization's audit events, newest first.
    pub async fn audit_log(
        &self,
        ctx: &Ctx,
        q: AuditQuery,
    ) -> Result<crate::page::Page<pimento_core::audit::AuditEvent>, StoreError> {
        ctx.principal.require_secret()?;
        let limit = q.limit.clamp(1, crate::page::MAX_LIMIT);
        let mut sql = String::from(
            "SELECT seq, id, actor, action, entity_type, entity_id, changes, request_id, created_at FROM audit_events WHERE organization_id = $1",
        );
        let mut args = crate::args![ctx.org()];
        let mut filter = |sql: &mut String, clause: &str, v: Val| {
            args.push(v);
            sql.push_str(&format!(" AND {clause} ${}", args.len()));
        };
        if let Some(t) = q.entity_type {
            if !COMMON_TYPES.contains(&t.as_str()) {
                sql.push_str(RARE_TYPE);
            }
            filter(&mut sql, "entity_type =", Val::from(t));
        }
        if let Some(e) = q.entity_id {
            filter(&mut sql, "entity_id =", Val::from(e));
        }
        if let Some(a) = q.action {
            if a != "create" {
                sql.push_str(NOT_CREATE);
            }
            filter(&mut sql, "action =", Val::from(a));
        }
        if let Some(t) = q.since {
            filter(&mut sql, "created_at >=", Val::from(t));
        }
        if let Some(t) = q.until {
            filter(&mut sql, "created_at <", Val::from(t));
        }
        if let Some(s) = q.before_seq {
            filter(&mut sql, "seq <", Val::from(s));
        }
        args.push(Val::from(i64::from(limit) + 1));
        sql.push_str(&format!(" ORDER BY seq DESC LIMIT ${}", args.len()));
        let mut pc = self.db().acquire().await?;
        let items = pc
            .conn()
            .fetch_all(sql, args)
            .await?
            .iter()
            .map(event)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(crate::page::Page::from_overfetch(
            items,
            limit,
            |e| e.seq.to_string(),
            None,
        ))
    }

    /// The organization's audit events, newest first, optionally about one entity.
    pub async fn audit_events(
        &self,
        ctx: &Ctx,
        entity_id: Option<uuid::Uuid>,
        limit: u32,
    ) -> Result<Vec<pimento_core::audit::AuditEvent>, StoreError> {
        let q = AuditQuery {
            entity_id,
            limit,
            ..Default::default()
        };
        Ok(self.audit_log(ctx, q).await?.items)
    }
}

fn event(r: &crate::db::Row) -> Result<pimento_core::audit::AuditEvent, StoreError> {
    Ok(pimento_core::audit::AuditEvent {
        id: r.id("id")?,
        seq: r.get("seq")?,
        actor: r.get("actor")?,
        action: r.get("action")?,
        entity_type: r.get("entity_type")?,
        entity_id: r.get("entity_id")?,
        changes: r.json("changes")?.unwrap_or_default(),
        request_id: r.get("request_id")?,
        created_at: r.get("created_at")?,
    })
}
