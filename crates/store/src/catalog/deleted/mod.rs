//! Products deleted for good, restorable for a retention window. The deleting transaction
//! keeps every row the product owned in `deleted_products` (`snapshot.rs`); a restore puts
//! them back in one transaction, with the same ids and numbers, or refuses (`checks.rs`); the
//! server's sweep removes what is past the window. A product past the window and not yet swept
//! is already gone to every caller.

mod checks;
mod snapshot;

use super::products::view_in;
use crate::Store;
use crate::audit;
use crate::db::{Conn, Val};
use crate::error::StoreError;
use crate::load;
use chrono::{DateTime, Utc};
use pimento_core::audit::Change;
use pimento_core::auth::Ctx;
use pimento_core::ids::ProductId;
use pimento_core::product::{Include, Product, ProductView};
use pimento_core::{CoreError, Entity};
use serde_json::Value;
use std::time::Duration;

/// How long a deleted product stays restorable unless configured otherwise.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(30 * 24 * 3600);

/// The most deleted products one listing returns.
pub const MAX_DELETED_LIST: u32 = 200;

/// A product that can still be restored.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedProduct {
    pub id: ProductId,
    /// The organization's number for it, which a restore gives back.
    pub number: i64,
    pub name: String,
    /// The SKU of its first variant, if it had one.
    pub sku: Option<String>,
    pub deleted_at: DateTime<Utc>,
    /// When it stops being restorable (and the sweep may remove it).
    pub restorable_until: DateTime<Utc>,
}

/// The oldest deletion still restorable at `now`.
fn window_start(now: DateTime<Utc>, retention: Duration) -> DateTime<Utc> {
    let retention = chrono::TimeDelta::from_std(retention).unwrap_or(chrono::TimeDelta::MAX);
    now.checked_sub_signed(retention).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// When a deletion stops being restorable.
fn window_end(deleted_at: DateTime<Utc>, retention: Duration) -> DateTime<Utc> {
    let retention = chrono::TimeDelta::from_std(retention).unwrap_or(chrono::TimeDelta::MAX);
    deleted_at
        .checked_add_signed(retention)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Keeps the product's rows as it is deleted, inside the deleting transaction; call before
/// the rows go.
pub(super) async fn keep(c: &mut Conn<'_>, ctx: &Ctx, product: &Product) -> Result<(), StoreError> {
    let s = snapshot::capture(c, ctx.org(), product.id).await?;
    let sku = s
        .variants()
        .iter()
        .find_map(|v| v.get("sku").and_then(Value::as_str).map(str::to_owned));
    // A product deleted, restored and deleted again keeps only its last deletion.
    c.execute(
        "DELETE FROM deleted_products WHERE organization_id = $1 AND product_id = $2",
        crate::args![ctx.org(), product.id],
    )
    .await?;
    c.execute(
        "INSERT INTO deleted_products (organization_id, product_id, number, name, sku, deleted_at, deleted_by, snapshot) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        crate::args![
            ctx.org(),
            product.id,
            product.number,
            product.name.clone(),
            sku,
            crate::clock::now(),
            ctx.actor(),
            s.0
        ],
    )
    .await?;
    Ok(())
}

impl Store {
    /// The organization's products deleted for good that can still be restored, most
    /// recently deleted first.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn deleted_products(
        &self,
        ctx: &Ctx,
        retention: Duration,
        limit: u32,
    ) -> Result<Vec<DeletedProduct>, StoreError> {
        ctx.principal.require_secret()?;
        let mut pc = self.db.acquire().await?;
        let rows = pc
            .conn()
            .fetch_all(
                "SELECT product_id, number, name, sku, deleted_at FROM deleted_products \
                 WHERE organization_id = $1 AND deleted_at >= $2 \
                 ORDER BY deleted_at DESC, product_id DESC LIMIT $3",
                crate::args![
                    ctx.org(),
                    window_start(crate::clock::now(), retention),
                    i64::from(limit.clamp(1, MAX_DELETED_LIST))
                ],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let deleted_at: DateTime<Utc> = r.get("deleted_at")?;
                Ok(DeletedProduct {
                    id: r.id("product_id")?,
                    number: r.get("number")?,
                    name: r.get("name")?,
                    sku: r.get("sku")?,
                    deleted_at,
                    restorable_until: window_end(deleted_at, retention),
                })
            })
            .collect()
    }

    /// Brings back a product deleted for good within `retention`, with the same id, number,
    /// variants, media, options, links and prices, and records it. Not found when there is
    /// nothing to restore; a conflict naming the field when its handle or a SKU is taken, or
    /// when it refers to something deleted since.
    #[tracing::instrument(skip_all, fields(org = %ctx.org(), product = %id))]
    pub async fn restore_product(
        &self,
        ctx: &Ctx,
        id: ProductId,
        retention: Duration,
    ) -> Result<ProductView, StoreError> {
        ctx.principal.require_secret()?;
        let all = Include {
            variants: true,
            media: true,
            tags: true,
        };
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        // Taking the row first: a concurrent restore of the same product waits, then finds none.
        let row = c
            .fetch_optional(
                "DELETE FROM deleted_products WHERE organization_id = $1 AND product_id = $2 AND deleted_at >= $3 \
                 RETURNING snapshot",
                crate::args![ctx.org(), id, window_start(crate::clock::now(), retention)],
            )
            .await?
            .ok_or(CoreError::NotFound(Entity::Product))?;
        let s = snapshot::Snapshot(
            row.json("snapshot")?
                .ok_or_else(|| StoreError::Corrupt("deleted product without a snapshot".into()))?,
        );
        checks::ensure_restorable(&mut c, ctx.org(), &s).await?;
        let seq = match s.product().and_then(|p| p.get("seq")).and_then(Value::as_i64) {
            Some(seq)
                if c.fetch_optional("SELECT 1 FROM products WHERE seq = $1", crate::args![seq])
                    .await?
                    .is_none() =>
            {
                Some(seq)
            }
            _ => None,
        };
        snapshot::replay(&mut c, &s, seq).await?;
        let (product, _) = load::product(&mut c, ctx.org(), id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("restored product not found".into()))?;
        let variants = load::variants_of(&mut c, ctx.org(), &[id.0])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let mut changes = vec![Change::restored(Entity::Product, id.0, product.snapshot())];
        changes.extend(
            variants
                .iter()
                .map(|v| Change::restored(Entity::Variant, v.id.0, v.snapshot())),
        );
        audit::record(&mut c, ctx, changes).await?;
        tx.commit().await?;
        let mut pc = self.db.acquire().await?;
        view_in(&mut pc.conn(), ctx, id, all).await
    }

    /// Removes, in every organization, the deleted products past `retention`; returns how
    /// many. Idempotent, so nodes sweeping at once only find less to remove.
    #[tracing::instrument(skip_all)]
    pub async fn purge_deleted_products(&self, retention: Duration) -> Result<u64, StoreError> {
        let mut tx = self.db.begin().await?;
        let n = tx
            .conn()
            .execute(
                "DELETE FROM deleted_products WHERE deleted_at < $1",
                vec![Val::from(window_start(crate::clock::now(), retention))],
            )
            .await?;
        tx.commit().await?;
        Ok(n)
    }
}
