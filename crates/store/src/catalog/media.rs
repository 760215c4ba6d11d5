//! Media attached to a product: add, list, change, remove, reorder.

use super::products::readable_product;
use super::write::{ensure_variant_of, insert_media, next_rank, touch_product};
use crate::Store;
use crate::audit;
use crate::db::Conn;
use crate::error::StoreError;
use crate::load;
use chrono::Utc;
use pimento_core::audit::{Action, Change};
use pimento_core::auth::Ctx;
use pimento_core::ids::ProductId;
use pimento_core::media::{MediaInput, MediaPatch, ProductMedia, check_reorder, require_url};
use pimento_core::patch::Patch;
use pimento_core::version::Precondition;
use pimento_core::{CoreError, Entity};
use uuid::Uuid;

async fn all_of(c: &mut Conn<'_>, ctx: &Ctx, product: ProductId) -> Result<Vec<ProductMedia>, StoreError> {
    Ok(load::media_of(c, ctx.org(), &[product.0])
        .await?
        .remove(&product)
        .unwrap_or_default())
}

/// Finds an attachment by its own id or by its media asset's id.
fn find(media: &[ProductMedia], id: Uuid) -> Result<&ProductMedia, StoreError> {
    media
        .iter()
        .find(|m| m.id.0 == id)
        .or_else(|| media.iter().find(|m| m.asset.id.0 == id))
        .ok_or_else(|| CoreError::NotFound(Entity::MediaAsset).into())
}

impl Store {
    /// Attaches a media asset (existing or new) to a product, after the last by default, when
    /// the product meets `pre`.
    pub async fn add_media(
        &self,
        ctx: &Ctx,
        product: ProductId,
        pre: Option<&Precondition>,
        input: MediaInput,
    ) -> Result<ProductMedia, StoreError> {
        ctx.principal.require_secret()?;
        let m = input.validate()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        super::guard::product_version(&mut c, ctx, product, pre).await?;
        touch_product(&mut c, ctx, product).await?;
        let first = next_rank(
            &mut c,
            "SELECT MAX(position) AS n FROM product_media WHERE product_id = $1",
            product,
        )
        .await?;
        let (ids, changes) = insert_media(&mut c, ctx, product, vec![m], first, None).await?;
        audit::record(&mut c, ctx, changes).await?;
        let media = all_of(&mut c, ctx, product).await?;
        let id = ids.first().map(|i| i.0).unwrap_or_default();
        let added = find(&media, id)?.clone();
        tx.commit().await?;
        Ok(added)
    }

    /// A product's media in position order.
    pub async fn list_media(&self, ctx: &Ctx, product: ProductId) -> Result<Vec<ProductMedia>, StoreError> {
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        readable_product(&mut c, ctx, product).await?;
        all_of(&mut c, ctx, product).await
    }

    /// Changes an attachment (position, purpose, variant) and its asset's descriptive fields,
    /// when the product meets `pre`.
    pub async fn update_media(
        &self,
        ctx: &Ctx,
        product: ProductId,
        pre: Option<&Precondition>,
        id: Uuid,
        patch: MediaPatch,
    ) -> Result<ProductMedia, StoreError> {
        ctx.principal.require_secret()?;
        let patch = patch.validate()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        super::guard::product_version(&mut c, ctx, product, pre).await?;
        touch_product(&mut c, ctx, product).await?;
        let media = all_of(&mut c, ctx, product).await?;
        let before = find(&media, id)?.clone();
        if let Patch::Set(v) = patch.variant_id {
            ensure_variant_of(&mut c, ctx, product, v, "variant_id").await?;
        }
        let mut after = before.clone();
        if let Some(p) = patch.position {
            after.position = p;
        }
        after.purpose = patch.purpose.apply(after.purpose);
        after.variant_id = patch.variant_id.apply(after.variant_id);
        if let Some(n) = patch.name {
            after.asset.name = n;
        }
        after.asset.alt_text = patch.alt_text.apply(after.asset.alt_text);
        after.asset.description = patch.description.apply(after.asset.description);
        after.asset.public_url = patch.public_url.apply(after.asset.public_url);
        after.asset.source_url = patch.source_url.apply(after.asset.source_url);
        after.asset.thumbnail_url = patch.thumbnail_url.apply(after.asset.thumbnail_url);
        require_url(after.asset.public_url.as_deref(), after.asset.source_url.as_deref())?;
        c.execute(
            "UPDATE product_media SET position = $1, purpose = $2, variant_id = $3 WHERE id = $4",
            crate::args![after.position, after.purpose.clone(), after.variant_id, after.id],
        )
        .await?;
        let a = &after.asset;
        // Only a change to the asset itself touches it: its row is shared, and a write to it
        // moves the organization's names version (every cached view is read again).
        if a != &before.asset {
            c.execute(
                "UPDATE media_assets SET name = $1, alt_text = $2, description = $3, public_url = $4, source_url = $5, \
             thumbnail_url = $6, updated_at = $7, updated_by = $8 WHERE organization_id = $9 AND id = $10",
                crate::args![
                    a.name.clone(),
                    a.alt_text.clone(),
                    a.description.clone(),
                    a.public_url.clone(),
                    a.source_url.clone(),
                    a.thumbnail_url.clone(),
                    Utc::now(),
                    ctx.actor(),
                    ctx.org(),
                    a.id,
                ],
            )
            .await?;
        }
        audit::record(
            &mut c,
            ctx,
            vec![Change::new(
                Entity::ProductMedia,
                before.id.0,
                Action::Update,
                &before.snapshot(),
                &after.snapshot(),
            )],
        )
        .await?;
        let media = all_of(&mut c, ctx, product).await?;
        let updated = find(&media, before.id.0)?.clone();
        tx.commit().await?;
        Ok(updated)
    }

    /// Detaches a media asset from a product, when the product meets `pre`.
    pub async fn remove_media(
        &self,
        ctx: &Ctx,
        product: ProductId,
        pre: Option<&Precondition>,
        id: Uuid,
    ) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        super::guard::product_version(&mut c, ctx, product, pre).await?;
        touch_product(&mut c, ctx, product).await?;
        let media = all_of(&mut c, ctx, product).await?;
        let before = find(&media, id)?.clone();
        c.execute("DELETE FROM product_media WHERE id = $1", crate::args![before.id])
            .await?;
        audit::record(
            &mut c,
            ctx,
            vec![Change::deleted(Entity::ProductMedia, before.id.0, &before.snapshot())],
        )
        .await?;
        tx.commit().await
    }

    /// Puts a product's media in the given order (positions 0, 1, 2, …). The list must name
    /// every attachment once, by attachment id or media asset id. The product must meet `pre`.
    pub async fn reorder_media(
        &self,
        ctx: &Ctx,
        product: ProductId,
        pre: Option<&Precondition>,
        order: Vec<Uuid>,
    ) -> Result<Vec<ProductMedia>, StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        super::guard::product_version(&mut c, ctx, product, pre).await?;
        touch_product(&mut c, ctx, product).await?;
        let media = all_of(&mut c, ctx, product).await?;
        let requested = order
            .iter()
            .map(|id| find(&media, *id).map(|m| m.id))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| CoreError::invalid("asset_ids", "names a media asset that is not attached to this product"))?;
        let current: Vec<_> = media.iter().map(|m| m.id).collect();
        check_reorder(&current, &requested)?;
        let mut changes = Vec::new();
        for (pos, id) in requested.iter().enumerate() {
            let m = media
                .iter()
                .find(|m| m.id == *id)
                .ok_or(CoreError::NotFound(Entity::MediaAsset))?;
            if m.position != pos as i64 {
                c.execute(
                    "UPDATE product_media SET position = $1 WHERE id = $2",
                    crate::args![pos as i64, *id],
                )
                .await?;
                changes.push(Change::new(
                    Entity::ProductMedia,
                    id.0,
                    Action::Update,
                    &serde_json::json!({"position": m.position}),
                    &serde_json::json!({"position": pos}),
                ));
            }
        }
        audit::record(&mut c, ctx, changes).await?;
        let media = all_of(&mut c, ctx, product).await?;
        tx.commit().await?;
        Ok(media)
    }
}
