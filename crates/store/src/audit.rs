//! Writing audit events, inside the transaction of the change they describe.

use crate::db::{value_rows, Conn, Val};
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
