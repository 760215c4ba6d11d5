//! Products created, changed and archived together, all or nothing (Medusa's product batch).

use super::product_change::{ProductChange, change_in};
use super::products::archive_in;
use crate::Store;
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
        let create = batch
            .create
            .into_iter()
            .enumerate()
            .map(|(i, p)| p.validate().map_err(|e| e.within(FieldPath::name("create").index(i))))
            .collect::<Result<Vec<_>, _>>()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let outcomes = super::create::insert_products(&mut c, ctx, create).await?;
        let mut created = Vec::with_capacity(outcomes.len());
        for (i, outcome) in outcomes.into_iter().enumerate() {
            created.push(outcome.map_err(|e| e.within(FieldPath::name("create").index(i)))?);
        }
        let mut updated = Vec::with_capacity(batch.update.len());
        for (i, (id, change)) in batch.update.into_iter().enumerate() {
            change_in(&mut c, ctx, id, change).await.map_err(|e| match e {
                StoreError::Domain(d) => StoreError::Domain(d.within(FieldPath::name("update").index(i))),
                other => other,
            })?;
            updated.push(id);
        }
        for id in batch.archive {
            match archive_in(&mut c, ctx, id).await {
                Ok(()) | Err(StoreError::Domain(CoreError::NotFound(Entity::Product))) => {}
                Err(e) => return Err(e),
            }
        }
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
}
