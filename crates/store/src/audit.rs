//! Writing audit events, inside the transaction of the change they describe.

use crate::db::{Conn, Val, value_rows};
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
    let changes: Vec<Change> = changes.into_iter().filter(|c| !c.is_empty()).collect();
    let now = Utc::now();
    for chunk in changes.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO audit_events (id, organization_id, actor, action, entity_type, entity_id, changes, request_id, created_at) VALUES {}",
            value_rows(chunk.len(), COLUMNS)
        );
        let mut args: Vec<Val> = Vec::with_capacity(chunk.len() * COLUMNS);
        for c in chunk {
            args.extend(crate::args![
                AuditEventId::generate(),
                ctx.org(),
                ctx.actor(),
                c.action.as_str(),
                c.entity.as_str(),
                c.entity_id,
                c.fields.clone(),
                ctx.request_id.clone(),
                now,
            ]);
        }
        conn.execute(sql, args).await?;
    }
    Ok(())
}

impl crate::Store {
    /// The organization's audit events, newest first, optionally about one entity.
    pub async fn audit_events(
        &self,
        ctx: &Ctx,
        entity_id: Option<uuid::Uuid>,
        limit: u32,
    ) -> Result<Vec<pimento_core::audit::AuditEvent>, StoreError> {
        ctx.principal.require_secret()?;
        let mut pc = self.db().acquire().await?;
        let mut c = pc.conn();
        let mut sql = String::from(
            "SELECT seq, id, actor, action, entity_type, entity_id, changes, request_id, created_at FROM audit_events WHERE organization_id = $1",
        );
        let mut args = crate::args![ctx.org()];
        if let Some(e) = entity_id {
            args.push(Val::from(e));
            sql.push_str(" AND entity_id = $2");
        }
        args.push(Val::from(i64::from(limit.clamp(1, crate::page::MAX_LIMIT))));
        sql.push_str(&format!(" ORDER BY seq DESC LIMIT ${}", args.len()));
        c.fetch_all(sql, args)
            .await?
            .iter()
            .map(|r| {
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
            })
            .collect()
    }
}
