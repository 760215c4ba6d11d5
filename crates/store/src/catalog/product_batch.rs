//! Products created, changed and archived together, all or nothing (Medusa's product batch).

use super::product_change::{ProductChange, change_in};
use super::products::archive_in;
use crate::Store;
use crate::db::Conn;
use crate::error::StoreError;
use pimento_core::FieldPath;
use pimento_core::auth::Ctx;
use pimento_core::ids::ProductId;
use pimento_core::product::{Include, ProductInput, ProductView};
use pimento_core::{CoreError, Entity};

/// What a batch does.
#[derive(Debug, Clone, Default)]
pub struct ProductBatch {
    pub create: Vec<ProductInput>,
    pub update: Vec<(ProductId, ProductChange)>,
    /// Archived; ids the organization has no product for are passed over.
    pub archive: Vec<ProductId>,
}

/// What a batch did: the products made and changed, read back after the commit.
#[derive(Debug, Clone, Default)]
pub struct BatchDone {
    pub created: Vec<ProductView>,
    pub updated: Vec<ProductView>,
}

/// Reads the batch's products back with everything.
const ALL: Include = Include {
    variants: true,
    media: true,
    tags: true,
};

impl Store {
    /// Runs a [`ProductBatch`] in one transaction: the first refusal (its field under
    /// `create[i]` or `update[i]`) leaves everything as it was.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn batch_products(&self, ctx: &Ctx, batch: ProductBatch) -> Result<BatchDone, StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let (created, updated) = self.batch_products_in(&mut tx.conn(), ctx, batch).await?;
        tx.commit().await?;
        let mut done = BatchDone::default();
        for id in created {
            done.created.push(self.view(ctx, id, ALL).await?);
        }
        for id in updated {
            done.updated.push(self.view(ctx, id, ALL).await?);
        }
        Ok(done)
    }

    /// Tries a [`ProductBatch`] and rolls it back: the refusal it would meet, if any (an
    /// import's preview, before the import is confirmed).
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn try_batch_products(&self, ctx: &Ctx, batch: ProductBatch) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        self.batch_products_in(&mut tx.conn(), ctx, batch).await?;
        // Dropped without a commit: rolled back.
        drop(tx);
        Ok(())
    }

    /// Runs a [`ProductBatch`] inside a transaction the caller holds (an import job's chunk,
    /// or one rolled back to try the batch): the ids created and changed, in the batch's
    /// order. The first refusal is answered with its field under `create[i]` or `update[i]`;
    /// what was written before it stays in the transaction, which the caller then drops.
    pub async fn batch_products_in(
        &self,
        c: &mut Conn<'_>,
        ctx: &Ctx,
        batch: ProductBatch,
    ) -> Result<(Vec<ProductId>, Vec<ProductId>), StoreError> {
        ctx.principal.require_secret()?;
        let create = batch
            .create
            .into_iter()
            .enumerate()
            .map(|(i, p)| p.validate().map_err(|e| e.within(FieldPath::name("create").index(i))))
            .collect::<Result<Vec<_>, _>>()?;
        let outcomes = super::create::insert_products(c, ctx, create).await?;
        let mut created = Vec::with_capacity(outcomes.len());
        for (i, outcome) in outcomes.into_iter().enumerate() {
            created.push(outcome.map_err(|e| e.within(FieldPath::name("create").index(i)))?);
        }
        let mut updated = Vec::with_capacity(batch.update.len());
        for (i, (id, change)) in batch.update.into_iter().enumerate() {
            change_in(c, ctx, id, None, change).await.map_err(|e| match e {
                StoreError::Domain(d) => StoreError::Domain(d.within(FieldPath::name("update").index(i))),
                other => other,
            })?;
            updated.push(id);
        }
        for id in batch.archive {
            match archive_in(c, ctx, id, None).await {
                Ok(()) | Err(StoreError::Domain(CoreError::NotFound(Entity::Product))) => {}
                Err(e) => return Err(e),
            }
        }
        Ok((created, updated))
    }
}
