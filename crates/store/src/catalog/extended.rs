//! The fields only one API knows of a category, attribute or vendor (`extensions`): merged
//! into the row inside the transaction that creates or changes it, with the change recorded,
//! so a refused write keeps none of them.

use super::update_recorded::record_update;
use crate::db::Conn;
use crate::error::StoreError;
use pimento_core::Entity;
use pimento_core::auth::Ctx;
use pimento_core::extension::{ExtensionPatch, Extensions, MAX_DEFINITION_EXTENSION_BYTES};
use serde_json::json;

/// Merges `patch` into `current` and writes the result to the row `id` of `table` (a name
/// from the caller's code); records the change when there is one.
pub(super) async fn write_extensions(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    table: &'static str,
    entity: Entity,
    id: uuid::Uuid,
    current: &mut Extensions,
    patch: Option<ExtensionPatch>,
) -> Result<(), StoreError> {
    let Some(patch) = patch else { return Ok(()) };
    let before = current.clone();
    current.apply_within("extensions", patch, MAX_DEFINITION_EXTENSION_BYTES)?;
    if *current == before {
        return Ok(());
    }
    c.execute(
        format!("UPDATE {table} SET extensions = $1 WHERE organization_id = $2 AND id = $3"),
        crate::args![current.to_json(), ctx.org(), id],
    )
    .await?;
    record_update(
        c,
        ctx,
        entity,
        id,
        &json!({"extensions": before.to_json()}),
        &json!({"extensions": current.to_json()}),
    )
    .await
}
