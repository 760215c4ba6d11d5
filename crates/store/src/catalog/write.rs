//! Building blocks shared by the write operations; each runs inside the caller's transaction.

use super::batch::{Claims, Facts, Rows};
use crate::db::{Conn, Val, placeholders};
use crate::error::{StoreError, taken};
use chrono::Utc;
use pimento_core::FieldPath;
use pimento_core::audit::Change;
use pimento_core::auth::Ctx;
use pimento_core::ids::{ExternalRefId, ProductId, ProductMediaId, VariantId};
use pimento_core::media::NewMedia;
use pimento_core::options::VariantOption;
use pimento_core::sync::SyncSource;
use pimento_core::variant::{NewVariant, Variant};
use pimento_core::{CoreError, Entity};
use std::collections::HashSet;

pub use super::batch::{NOT_A_VARIANT, resolve};

/// Fails, naming `field`, unless `variant` is a variant of `product`.
pub async fn ensure_variant_of(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    product: ProductId,
    variant: VariantId,
    field: &str,
) -> Result<(), StoreError> {
    let found = c
        .fetch_optional(
            "SELECT id FROM variants WHERE organization_id = $1 AND product_id = $2 AND id = $3",
            crate::args![ctx.org(), product, variant],
        )
        .await?;
    if found.is_none() {
        return Err(CoreError::invalid(field, NOT_A_VARIANT).into());
    }
    Ok(())
}

/// Marks a product as changed now (a new version); fails with not-found when it is not the caller's.
pub async fn touch_product(c: &mut Conn<'_>, ctx: &Ctx, product: ProductId) -> Result<(), StoreError> {
    let n = c
        .execute(
            "UPDATE products SET updated_at = $1, updated_by = $2, version = version + 1 WHERE organization_id = $3 AND id = $4",
            crate::args![Utc::now(), ctx.actor(), ctx.org(), product],
        )
        .await?;
    if n == 0 {
        return Err(CoreError::NotFound(Entity::Product).into());
    }
    Ok(())
}

/// Refreshes an external reference after a sync.
pub async fn update_ref(c: &mut Conn<'_>, ctx: &Ctx, id: ExternalRefId, s: &SyncSource) -> Result<(), StoreError> {
    let now = Utc::now();
    c.execute(
        "UPDATE external_refs SET source_vendor = COALESCE($1, source_vendor), source_data = COALESCE($2, source_data), \
         sync_status = $3, last_synced_at = $4, updated_at = $5, updated_by = $6 WHERE organization_id = $7 AND id = $8",
        crate::args![
            s.source_vendor.clone(),
            s.source_data.clone(),
            s.sync_status.as_str(),
            s.last_synced_at.unwrap_or(now),
            now,
            ctx.actor(),
            ctx.org(),
            id,
        ],
    )
    .await?;
    Ok(())
}

/// Makes `s` the sync source of a stored variant (an upsert matched it by SKU): refreshes its
/// reference when it names that source already, re-points it otherwise, or adds one when the
/// variant had none. A sync source another variant of the organization has is refused.
pub async fn link_variant(c: &mut Conn<'_>, ctx: &Ctx, v: &Variant, s: &SyncSource) -> Result<(), StoreError> {
    if let Some(r) = &v.sync
        && r.sync_source == s.sync_source
        && r.sync_source_id == s.sync_source_id
    {
        return update_ref(c, ctx, r.id, s).await;
    }
    let held = c
        .fetch_optional(
            "SELECT id FROM external_refs WHERE organization_id = $1 AND entity_type = $2 AND sync_source = $3 \
             AND sync_source_id = $4",
            crate::args![
                ctx.org(),
                Entity::Variant.as_str(),
                s.sync_source.clone(),
                s.sync_source_id.clone()
            ],
        )
        .await?;
    if held.is_some() {
        return Err(taken("ux_external_refs_source").into());
    }
    match &v.sync {
        Some(r) => {
            c.execute(
                "UPDATE external_refs SET sync_source = $1, sync_source_id = $2 WHERE organization_id = $3 AND id = $4",
                crate::args![s.sync_source.clone(), s.sync_source_id.clone(), ctx.org(), r.id],
            )
            .await?;
            update_ref(c, ctx, r.id, s).await
        }
        None => {
            let mut rows = Rows::default();
            let id = rows.add_ref(ctx, Entity::Variant, v.id.0, s, Utc::now());
            rows.write_rows(c, ctx).await?;
            c.execute(
                "UPDATE variants SET primary_ref_id = $1 WHERE organization_id = $2 AND id = $3",
                crate::args![id, ctx.org(), v.id],
            )
            .await?;
            Ok(())
        }
    }
}

/// Refuses SKUs that another variant of the organization already has, naming the variant.
pub async fn check_skus_free(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    skus: &[(usize, &str)],
    except: Option<VariantId>,
    prefix: Option<&str>,
) -> Result<(), StoreError> {
    if skus.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT sku FROM variants WHERE organization_id = $1 AND id <> $2 AND sku IN ({})",
        placeholders(3, skus.len())
    );
    let mut args = crate::args![ctx.org(), except.map(|v| v.0).unwrap_or_default()];
    args.extend(skus.iter().map(|(_, s)| Val::from(*s)));
    let taken: HashSet<String> = c
        .fetch_all(sql, args)
        .await?
        .iter()
        .map(|r| r.get::<String>("sku"))
        .collect::<Result<_, _>>()?;
    if let Some((i, _)) = skus.iter().find(|(_, s)| taken.contains(*s)) {
        let e = crate::error::taken("ux_variants_sku");
        return Err(match prefix {
            Some(p) => e.within(FieldPath::parse(p).index(*i)),
            None => e,
        }
        .into());
    }
    Ok(())
}

/// Inserts new variants of a product with their option values and references; returns the
/// audit changes. `prefix` names the list the variants came in, for error fields.
pub async fn insert_variants(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    product: ProductId,
    assigned: &[VariantOption],
    variants: Vec<NewVariant>,
    first_rank: i64,
    prefix: Option<&str>,
) -> Result<(Vec<VariantId>, Vec<Change>), StoreError> {
    let mut facts = Facts::default();
    let skus = variants.iter().filter_map(|v| v.sku.clone()).collect();
    facts.load_skus(c, ctx, skus).await?;
    let refs = variants
        .iter()
        .filter_map(|v| v.sync.as_ref().map(|s| (Entity::Variant, s)))
        .collect();
    facts.load_refs(c, ctx, refs).await?;
    let mut rows = Rows::default();
    let ids = rows.add_variants(
        &facts,
        &mut Claims::default(),
        ctx,
        product,
        assigned,
        variants,
        first_rank,
        prefix,
        Utc::now(),
    )?;
    Ok((ids, rows.write_rows(c, ctx).await?))
}

/// Attaches media to a product, creating the new assets; returns the audit changes.
pub async fn insert_media(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    product: ProductId,
    media: Vec<NewMedia>,
    first_position: i64,
    prefix: Option<&str>,
) -> Result<(Vec<ProductMediaId>, Vec<Change>), StoreError> {
    if media.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut facts = Facts::default();
    facts.load_assets(c, ctx, &media.iter().collect::<Vec<_>>()).await?;
    // The variants an attachment names must be the product's.
    let named: Vec<Val> = media.iter().filter_map(|m| m.variant_id.map(Val::from)).collect();
    let mut variants = HashSet::new();
    if !named.is_empty() {
        let sql = format!(
            "SELECT id FROM variants WHERE organization_id = $1 AND product_id = $2 AND id IN ({})",
            placeholders(3, named.len())
        );
        let mut args = crate::args![ctx.org(), product];
        args.extend(named);
        for r in c.fetch_all(sql, args).await? {
            variants.insert(r.id::<VariantId>("id")?);
        }
    }
    let mut rows = Rows::default();
    let ids = rows.add_media(
        &facts,
        ctx,
        product,
        &variants,
        media,
        first_position,
        prefix,
        Utc::now(),
    )?;
    Ok((ids, rows.write_rows(c, ctx).await?))
}

/// The next free rank (or position) after the largest in `table` for a product.
pub async fn next_rank(c: &mut Conn<'_>, sql: &'static str, product: ProductId) -> Result<i64, StoreError> {
    let row = c.fetch_one(sql, crate::args![product]).await?;
    Ok(row.get::<Option<i64>>("n")?.map_or(0, |n| n + 1))
}
