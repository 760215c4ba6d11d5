//! Deleting a taxonomy row (category, brand, attribute, template): the in-use refusal and the
//! recorded delete every one of them shares.

use crate::audit;
use crate::db::{Conn, Val};
use crate::error::StoreError;
use pimento_core::audit::Change;
use pimento_core::auth::Ctx;
use pimento_core::{CoreError, Entity};
use serde_json::Value;

/// Refuses with 409 `code` while `sql` (the id bound as `$1`) finds a row.
pub(super) async fn refuse_while(
    c: &mut Conn<'_>,
    sql: &'static str,
    id: impl Into<Val>,
    code: &'static str,
    message: &str,
) -> Result<(), StoreError> {
    match c.fetch_optional(sql, vec![id.into()]).await? {
        Some(_) => Err(CoreError::Conflict {
            code,
            field: None,
            message: message.to_owned(),
        }
        .into()),
        None => Ok(()),
    }
}

/// Deletes one row of the caller's organization from `table` and records its last state.
pub(super) async fn delete_recorded(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    table: &'static str,
    entity: Entity,
    id: uuid::Uuid,
    before: &Value,
) -> Result<(), StoreError> {
    let sql = format!("DELETE FROM {table} WHERE organization_id = $1 AND id = $2");
    c.execute(sql, crate::args![ctx.org(), id]).await?;
    audit::record(c, ctx, vec![Change::deleted(entity, id, before)]).await
}
