//! A product changed whole in one transaction: its own fields, its set of images, the options
//! linked to it and its variants (changed by id or added), as Medusa's product update sends
//! them together. Either all of it is written or none.

use super::products::{apply_patch, assign, known_options};
use super::variants::{apply_changes, one_variant, remove_variant};
use super::write::{insert_media, insert_variants, next_rank};
use crate::Store;
use crate::audit;
use crate::db::Conn;
use crate::error::StoreError;
use crate::load;
use pimento_core::auth::Ctx;
use pimento_core::ids::{OptionId, ProductId, VariantId};
use pimento_core::media::MediaInput;
use pimento_core::product::{Include, ProductPatch, ProductView};
use pimento_core::variant::{VariantInput, VariantPatch};
use pimento_core::version::Precondition;
use pimento_core::{CoreError, Entity};

/// A change to one of the product's variants, or a new one.
#[derive(Debug, Clone)]
pub enum VariantChange {
    Update(VariantId, VariantPatch),
    Create(VariantInput),
}

/// Everything one request changes about a product.
#[derive(Debug, Clone, Default)]
pub struct ProductChange {
    pub patch: ProductPatch,
    /// The product's new images, replacing all it has, when given.
    pub media: Option<Vec<MediaInput>>,
    pub variants: Vec<VariantChange>,
    /// The options linked to the product, replacing the set it has, when given. An option of
    /// the product's own that is left out is deleted with its values.
    pub option_ids: Option<Vec<OptionId>>,
    /// Variants to delete, after the changes; ids that are not the product's are passed over.
    pub delete_variants: Vec<VariantId>,
}

/// What to include when reading a product back after a change.
const ALL: Include = Include {
    variants: true,
    media: true,
    tags: true,
};

impl Store {
    /// Applies a [`ProductChange`] in one transaction, when the product meets `pre`, and
    /// returns the product.
    #[tracing::instrument(skip_all, fields(org = %ctx.org(), product = %id))]
    pub async fn change_product(
        &self,
        ctx: &Ctx,
        id: ProductId,
        pre: Option<&Precondition>,
        change: ProductChange,
    ) -> Result<ProductView, StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        change_in(&mut tx.conn(), ctx, id, pre, change).await?;
        tx.commit().await?;
        self.view(ctx, id, ALL).await
    }
}

/// Applies a [`ProductChange`] inside the caller's transaction.
pub(super) async fn change_in(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: ProductId,
    pre: Option<&Precondition>,
    change: ProductChange,
) -> Result<(), StoreError> {
    let patch = change.patch.validate()?;
    let media = change
        .media
        .map(|list| {
            list.into_iter()
                .enumerate()
                .map(|(i, m)| {
                    m.validate()
                        .map_err(|e| e.within(pimento_core::FieldPath::name("media").index(i)))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let (before, _) = super::guard::product(c, ctx, id, pre).await?;
    let (_, product_change) = apply_patch(c, ctx, &before, patch).await?;
    let mut changes = vec![product_change];
    if let Some(ids) = change.option_ids {
        link_options(c, ctx, id, &ids).await?;
    }
    if let Some(media) = media {
        c.execute("DELETE FROM product_media WHERE product_id = $1", crate::args![id])
            .await?;
        let (_, added) = insert_media(c, ctx, id, media, 0, Some("media")).await?;
        changes.extend(added);
    }
    let assigned = load::assigned_options(c, ctx.org(), id).await?;
    for (i, v) in change.variants.into_iter().enumerate() {
        let at = pimento_core::FieldPath::name("variants").index(i);
        match v {
            VariantChange::Update(vid, patch) => {
                let ch = patch.validate().map_err(|e| e.within(at.clone()))?;
                let before = one_variant(c, ctx, id, vid).await?;
                changes.push(apply_changes(c, ctx, &before, &assigned, ch).await?);
            }
            VariantChange::Create(input) => {
                let v = input.validate().map_err(|e| e.within(at))?;
                let rank = next_rank(c, "SELECT MAX(rank) AS n FROM variants WHERE product_id = $1", id).await?;
                let (ids, added) = insert_variants(c, ctx, id, &assigned, vec![v], rank, None).await?;
                if let Some(first) = ids.first() {
                    c.execute(
                        "UPDATE products SET default_variant_id = $1 WHERE id = $2 AND default_variant_id IS NULL",
                        crate::args![*first, id],
                    )
                    .await?;
                }
                changes.extend(added);
            }
        }
    }
    for vid in change.delete_variants {
        match remove_variant(c, ctx, id, vid).await {
            Ok(removed) => changes.push(removed),
            Err(StoreError::Domain(CoreError::NotFound(Entity::Variant))) => {}
            Err(e) => return Err(e),
        }
    }
    audit::record(c, ctx, changes).await
}

/// Gives a product exactly the options `ids`: new ones linked after those it keeps, the others
/// unlinked (refused while a variant uses one), its own options left out deleted.
async fn link_options(c: &mut Conn<'_>, ctx: &Ctx, product: ProductId, ids: &[OptionId]) -> Result<(), StoreError> {
    pimento_core::product::check_option_ids(ids)?;
    let current = load::assigned_options(c, ctx.org(), product).await?;
    let new: Vec<OptionId> = ids
        .iter()
        .copied()
        .filter(|i| !current.iter().any(|o| o.id == *i))
        .collect();
    let found = known_options(c, ctx, &new).await?;
    if let Some(o) = found.iter().find(|o| o.product_id.is_some_and(|p| p != product)) {
        return Err(CoreError::invalid("option_ids", format!("option {} belongs to another product", o.name)).into());
    }
    for gone in current.iter().filter(|o| !ids.contains(&o.id)) {
        let used = c
            .fetch_optional(
                "SELECT 1 AS one FROM variant_option_values vov JOIN variants v ON v.id = vov.variant_id \
                 WHERE v.product_id = $1 AND vov.option_id = $2 LIMIT 1",
                crate::args![product, gone.id],
            )
            .await?;
        if used.is_some() {
            return Err(CoreError::invalid(
                "option_ids",
                "Cannot unassign product option from product which has variants for that option",
            )
            .into());
        }
        c.execute(
            "DELETE FROM product_options WHERE product_id = $1 AND option_id = $2",
            crate::args![product, gone.id],
        )
        .await?;
        if gone.product_id == Some(product) {
            c.execute("DELETE FROM options WHERE id = $1", crate::args![gone.id])
                .await?;
        }
    }
    assign(c, product, &new).await?;
    Ok(())
}
