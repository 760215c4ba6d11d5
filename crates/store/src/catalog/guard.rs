//! The entity a write is about, read with its version and held to the write's precondition
//! (HTTP `If-Match`) in the write's own transaction, so that two writers naming the same
//! version cannot both pass.
//!
//! The check costs no statement of its own: the version comes with the row the write reads
//! anyway. On PostgreSQL the row is read `FOR UPDATE`, with or without a precondition: a write
//! rewrites the product from what it read, so two writers of different fields that both read
//! before either wrote would lose one change. A concurrent writer waits for this transaction to
//! end and then reads what it left. A write to something a product owns locks the product's row
//! first, then the variant's, always in that order, so that two such writes cannot deadlock.
//! A write that changes a shared row (a category, an option, a media asset, a tag, …) then
//! updates its organization's row (the view cache's names version, by trigger): product rows
//! first, the organization's row last. On PostgreSQL the triggers of shared rows a write may
//! change before it locks products (an import adds attributes and option values first) run at
//! commit, after every other lock (migration `view_cache_shared_rows`).
//! On SQLite every write transaction already holds the database's one write lock
//! (`BEGIN IMMEDIATE`), so what it reads cannot change before it commits.

use crate::db::{Backend, Conn};
use crate::error::StoreError;
use crate::load;
use pimento_core::auth::Ctx;
use pimento_core::ids::{ProductId, VariantId};
use pimento_core::product::Product;
use pimento_core::sync::ExternalRef;
use pimento_core::version::{self, Precondition};
use pimento_core::{CoreError, Entity};

/// What a `SELECT` of the one row a write changes ends with so that the row is locked as it
/// is read: `FOR UPDATE` on PostgreSQL; nothing on SQLite, whose writer holds the database.
/// A taxonomy write (which answers the row it read, changed) always locks: the row's own
/// update would take the lock anyway, and the answer's version is then the stored one plus one.
pub(super) fn for_update(c: &Conn<'_>) -> &'static str {
    if matches!(c.backend(), Backend::Postgres) {
        " FOR UPDATE"
    } else {
        ""
    }
}

/// Whether rows are locked as they are read: on PostgreSQL.
fn locks(c: &Conn<'_>) -> bool {
    matches!(c.backend(), Backend::Postgres)
}

/// The product a write changes, with its primary reference, once it meets `pre`; not-found
/// when it is not the caller's, stale when its version is not the one required.
pub(super) async fn product(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: ProductId,
    pre: Option<&Precondition>,
) -> Result<(Product, Option<ExternalRef>), StoreError> {
    let tail = if locks(c) {
        "WHERE p.organization_id = $1 AND p.id = $2 FOR NO KEY UPDATE OF p"
    } else {
        "WHERE p.organization_id = $1 AND p.id = $2"
    };
    let (product, sync, _) = load::product_rows(c, tail, crate::args![ctx.org(), id])
        .await?
        .into_iter()
        .next()
        .ok_or(CoreError::NotFound(Entity::Product))?;
    version::check(pre, Entity::Product, product.version)?;
    Ok((product, sync))
}

/// Holds a product to `pre` before a write changes what it owns (its media, its options): its
/// version read (and, on PostgreSQL, its row locked) in the write's transaction. Not-found
/// when it is not the caller's.
pub(super) async fn product_version(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: ProductId,
    pre: Option<&Precondition>,
) -> Result<(), StoreError> {
    let sql = "SELECT version FROM products WHERE organization_id = $1 AND id = $2";
    hold(c, pre, Entity::Product, sql, crate::args![ctx.org(), id]).await
}

/// Holds a variant to `pre` before a write changes it: its version read (and, on PostgreSQL,
/// its row locked) in the write's transaction. Not-found when it is not the product's. The
/// caller has marked the product changed first (`touch_product`), which locked the product's
/// row: products before variants, the order every write takes.
pub(super) async fn variant(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    product: ProductId,
    id: VariantId,
    pre: Option<&Precondition>,
) -> Result<(), StoreError> {
    let sql = "SELECT version FROM variants WHERE organization_id = $1 AND product_id = $2 AND id = $3";
    hold(c, pre, Entity::Variant, sql, crate::args![ctx.org(), product, id]).await
}

/// Reads the one `version` that `sql` selects (locked on PostgreSQL) and holds it to `pre`;
/// not-found (as `entity`) when there is no row. Without a precondition SQLite has nothing to
/// read: its writer already holds the database.
async fn hold(
    c: &mut Conn<'_>,
    pre: Option<&Precondition>,
    entity: Entity,
    sql: &str,
    args: Vec<crate::db::Val>,
) -> Result<(), StoreError> {
    let lock = locks(c);
    if pre.is_none() && !lock {
        return Ok(());
    }
    // NO KEY UPDATE: writers take turns, while inserts that refer to the row (a new variant,
    // a media link) are not held up by the lock.
    let lock = if lock { " FOR NO KEY UPDATE" } else { "" };
    let row = c
        .fetch_optional(format!("{sql}{lock}"), args)
        .await?
        .ok_or(CoreError::NotFound(entity))?;
    version::check(pre, entity, version::Version(row.get("version")?))?;
    Ok(())
}
