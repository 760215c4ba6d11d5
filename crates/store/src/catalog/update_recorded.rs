//! Updating a taxonomy row (category, brand, attribute, attribute group, template, vendor,
//! collection, product type, tag): the write and the recorded change every one of them shares.

use crate::audit;
use crate::db::{Conn, Val};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use pimento_core::Entity;
use pimento_core::audit::{Action, Change};
use pimento_core::auth::Ctx;
use serde_json::Value;

/// Sets `columns` (names from the caller's code, never from input) of one row of the caller's
/// organization to `values`, and its `updated_at` and `updated_by` (and a new version); returns
/// the time written.
pub(super) async fn update_row(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    table: &'static str,
    id: uuid::Uuid,
    columns: &[&'static str],
    mut values: Vec<Val>,
) -> Result<DateTime<Utc>, StoreError> {
    debug_assert_eq!(columns.len(), values.len(), "{table}");
    let mut set: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, col)| format!("{col} = ${}", i + 1))
        .collect();
    let n = values.len();
    set.push(format!("updated_at = ${}", n + 1));
    set.push(format!("updated_by = ${}", n + 2));
    // Every table written here has a version, which moves with `updated_at` (`core::version`).
    set.push("version = version + 1".to_owned());
    let now = crate::clock::now();
    values.extend(crate::args![now, ctx.actor(), ctx.org(), id]);
    let sql = format!(
        "UPDATE {table} SET {} WHERE organization_id = ${} AND id = ${}",
        set.join(", "),
        n + 3,
        n + 4
    );
    c.execute(sql, values).await?;
    Ok(now)
}

/// Records that a row changed from `before` to `after` (their snapshots).
pub(super) async fn record_update(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    entity: Entity,
    id: uuid::Uuid,
    before: &Value,
    after: &Value,
) -> Result<(), StoreError> {
    audit::record(c, ctx, vec![Change::new(entity, id, Action::Update, before, after)]).await
}

/// [`update_row`] then [`record_update`]: a row whose new state is known before the write.
/// Returns the time written.
#[allow(clippy::too_many_arguments)]
pub(super) async fn update_recorded(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    table: &'static str,
    entity: Entity,
    id: uuid::Uuid,
    columns: &[&'static str],
    values: Vec<Val>,
    (before, after): (&Value, &Value),
) -> Result<DateTime<Utc>, StoreError> {
    let now = update_row(c, ctx, table, id, columns, values).await?;
    record_update(c, ctx, entity, id, before, after).await?;
    Ok(now)
}
