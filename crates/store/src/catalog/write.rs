//! Building blocks shared by the write operations; each runs inside the caller's transaction.

use crate::db::{Conn, Val, placeholders, value_rows};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use pimento_core::audit::Change;
use pimento_core::auth::Ctx;
use pimento_core::error::codes;
use pimento_core::ids::{ExternalRefId, MediaAssetId, ProductId, ProductMediaId, VariantId};
use pimento_core::media::{NewMedia, NewMediaSource};
use pimento_core::options::{VariantOption, combination_key, resolve_selections};
use pimento_core::sync::SyncSource;
use pimento_core::variant::{NewVariant, Variant, VariantOptionValue};
use pimento_core::{CoreError, Entity};
use std::collections::HashSet;

// Rows per multi-row INSERT: keeps every statement under SQLite's bound-parameter limit.
const CHUNK: usize = 500;

/// The message when a variant id names no variant of the product.
pub const NOT_A_VARIANT: &str = "not a variant of this product";

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

/// Marks a product as changed now; fails with not-found when it is not the caller's.
pub async fn touch_product(c: &mut Conn<'_>, ctx: &Ctx, product: ProductId) -> Result<(), StoreError> {
    let n = c
        .execute(
            "UPDATE products SET updated_at = $1, updated_by = $2 WHERE organization_id = $3 AND id = $4",
            crate::args![Utc::now(), ctx.actor(), ctx.org(), product],
        )
        .await?;
    if n == 0 {
        return Err(CoreError::NotFound(Entity::Product).into());
    }
    Ok(())
}

/// Stores an external reference for an entity and returns its id.
pub async fn insert_ref(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    entity: Entity,
    entity_id: uuid::Uuid,
    s: &SyncSource,
    now: DateTime<Utc>,
) -> Result<ExternalRefId, StoreError> {
    let id = ExternalRefId::generate();
    c.execute(
        "INSERT INTO external_refs (id, organization_id, entity_type, entity_id, sync_source, sync_source_id, \
         source_vendor, source_data, sync_status, last_synced_at, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $12)",
        crate::args![
            id,
            ctx.org(),
            entity.as_str(),
            entity_id,
            s.sync_source.clone(),
            s.sync_source_id.clone(),
            s.source_vendor.clone(),
            s.source_data.clone(),
            s.sync_status.as_str(),
            Some(s.last_synced_at.unwrap_or(now)),
            now,
            ctx.actor(),
        ],
    )
    .await?;
    Ok(id)
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

/// Prefixes an error with `variants[i]` when the variant came inside a product.
fn at(prefix: Option<&str>, i: usize, e: CoreError) -> CoreError {
    match prefix {
        Some(p) => e.within(&format!("{p}[{i}]")),
        None => e,
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
        return Err(at(
            prefix,
            *i,
            CoreError::conflict(codes::DUPLICATE_SKU, "sku", "SKU already exists"),
        )
        .into());
    }
    Ok(())
}

/// Resolves the option values a variant picks and the key of its combination.
pub fn resolve(
    assigned: &[VariantOption],
    v: &NewVariant,
) -> Result<(Vec<VariantOptionValue>, Option<String>), CoreError> {
    let picked = resolve_selections(assigned, &v.options)?;
    let key = combination_key(&picked);
    let values = picked
        .iter()
        .filter_map(|(option_id, value_id)| {
            let o = assigned.iter().find(|o| o.id == *option_id)?;
            let val = o.values.iter().find(|x| x.id == *value_id)?;
            Some(VariantOptionValue {
                option_id: *option_id,
                option_name: o.name.clone(),
                value_id: *value_id,
                value: val.value.clone(),
            })
        })
        .collect();
    Ok((values, key))
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
    let now = Utc::now();
    let skus: Vec<(usize, &str)> = variants
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.sku.as_deref().map(|s| (i, s)))
        .collect();
    check_skus_free(c, ctx, &skus, None, prefix).await?;

    let mut built: Vec<(Variant, Option<String>, Option<ExternalRefId>)> = Vec::with_capacity(variants.len());
    let mut keys = HashSet::new();
    for (i, v) in variants.into_iter().enumerate() {
        let (values, key) = resolve(assigned, &v).map_err(|e| at(prefix, i, e))?;
        if let Some(k) = &key
            && !keys.insert(k.clone())
        {
            return Err(at(
                prefix,
                i,
                CoreError::conflict(
                    codes::DUPLICATE_OPTION_COMBINATION,
                    "options",
                    "A variant with these option values already exists",
                ),
            )
            .into());
        }
        let id = VariantId::generate();
        let ref_id = match &v.sync {
            Some(s) => Some(insert_ref(c, ctx, Entity::Variant, id.0, s, now).await?),
            None => None,
        };
        built.push((
            Variant {
                id,
                organization_id: ctx.org(),
                product_id: product,
                title: v.title,
                sku: v.sku,
                barcode: v.barcode,
                price: v.price,
                inventory_quantity: v.inventory_quantity,
                rank: first_rank + i as i64,
                metadata: v.metadata,
                options: values,
                sync: None,
                created_at: now,
                created_by: ctx.actor().to_owned(),
                updated_at: now,
                updated_by: ctx.actor().to_owned(),
            },
            key,
            ref_id,
        ));
    }

    const COLS: usize = 17;
    for chunk in built.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO variants (id, organization_id, product_id, title, sku, barcode, price_minor, currency, \
             inventory_quantity, rank, options_key, metadata, primary_ref_id, created_at, created_by, updated_at, updated_by) VALUES {}",
            value_rows(chunk.len(), COLS)
        );
        let mut args = Vec::with_capacity(chunk.len() * COLS);
        for (v, key, ref_id) in chunk {
            args.extend(crate::args![
                v.id,
                v.organization_id,
                v.product_id,
                v.title.clone(),
                v.sku.clone(),
                v.barcode.clone(),
                v.price.map(|p| p.minor),
                v.price.map(|p| p.currency.code().to_owned()),
                v.inventory_quantity,
                v.rank,
                key.clone(),
                v.metadata.clone(),
                *ref_id,
                v.created_at,
                v.created_by.clone(),
                v.updated_at,
                v.updated_by.clone(),
            ]);
        }
        c.execute(sql, args).await?;
    }

    let picks: Vec<(VariantId, &VariantOptionValue)> = built
        .iter()
        .flat_map(|(v, ..)| v.options.iter().map(move |o| (v.id, o)))
        .collect();
    for chunk in picks.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO variant_option_values (variant_id, option_id, value_id) VALUES {}",
            value_rows(chunk.len(), 3)
        );
        let mut args = Vec::with_capacity(chunk.len() * 3);
        for (vid, o) in chunk {
            args.extend(crate::args![*vid, o.option_id, o.value_id]);
        }
        c.execute(sql, args).await?;
    }

    let ids = built.iter().map(|(v, ..)| v.id).collect();
    let changes = built
        .iter()
        .map(|(v, ..)| Change::created(Entity::Variant, v.id.0, &v.snapshot()))
        .collect();
    Ok((ids, changes))
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
    let now = Utc::now();
    // Existing assets and variants must belong to the caller (and the variant to the product).
    let existing: Vec<(usize, MediaAssetId)> = media
        .iter()
        .enumerate()
        .filter_map(|(i, m)| match m.asset {
            NewMediaSource::Existing(id) => Some((i, id)),
            NewMediaSource::New(_) => None,
        })
        .collect();
    if !existing.is_empty() {
        let sql = format!(
            "SELECT id FROM media_assets WHERE organization_id = $1 AND id IN ({})",
            placeholders(2, existing.len())
        );
        let mut args = crate::args![ctx.org()];
        args.extend(existing.iter().map(|(_, id)| Val::from(*id)));
        let found: HashSet<MediaAssetId> = c
            .fetch_all(sql, args)
            .await?
            .iter()
            .map(|r| r.id("id"))
            .collect::<Result<_, _>>()?;
        if let Some((i, _)) = existing.iter().find(|(_, id)| !found.contains(id)) {
            return Err(at(prefix, *i, CoreError::invalid("mediaAssetId", "media asset not found")).into());
        }
    }
    let variant_refs: Vec<(usize, VariantId)> = media
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.variant_id.map(|v| (i, v)))
        .collect();
    if !variant_refs.is_empty() {
        let sql = format!(
            "SELECT id FROM variants WHERE organization_id = $1 AND product_id = $2 AND id IN ({})",
            placeholders(3, variant_refs.len())
        );
        let mut args = crate::args![ctx.org(), product];
        args.extend(variant_refs.iter().map(|(_, id)| Val::from(*id)));
        let found: HashSet<VariantId> = c
            .fetch_all(sql, args)
            .await?
            .iter()
            .map(|r| r.id("id"))
            .collect::<Result<_, _>>()?;
        if let Some((i, _)) = variant_refs.iter().find(|(_, id)| !found.contains(id)) {
            return Err(at(
                prefix,
                *i,
                CoreError::invalid("variantId", "not a variant of this product"),
            )
            .into());
        }
    }

    let mut new_assets = Vec::new();
    let mut links = Vec::with_capacity(media.len());
    let mut changes = Vec::with_capacity(media.len());
    for (i, m) in media.into_iter().enumerate() {
        let asset_id = match m.asset {
            NewMediaSource::Existing(id) => id,
            NewMediaSource::New(a) => {
                let id = MediaAssetId::generate();
                new_assets.push((id, a));
                id
            }
        };
        let link = ProductMediaId::generate();
        let position = m.position.unwrap_or(first_position + i as i64);
        changes.push(Change::created(
            Entity::ProductMedia,
            link.0,
            &serde_json::json!({"mediaAssetId": asset_id, "position": position, "purpose": m.purpose, "variantId": m.variant_id}),
        ));
        links.push((link, asset_id, m.variant_id, position, m.purpose));
    }

    const ASSET_COLS: usize = 13;
    for chunk in new_assets.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO media_assets (id, organization_id, name, alt_text, description, public_url, source_url, \
             thumbnail_url, upload_url, created_at, created_by, updated_at, updated_by) VALUES {}",
            value_rows(chunk.len(), ASSET_COLS)
        );
        let mut args = Vec::with_capacity(chunk.len() * ASSET_COLS);
        for (id, a) in chunk {
            args.extend(crate::args![
                *id,
                ctx.org(),
                a.name.clone(),
                a.alt_text.clone(),
                a.description.clone(),
                a.public_url.clone(),
                a.source_url.clone(),
                a.thumbnail_url.clone(),
                a.upload_url.clone(),
                now,
                ctx.actor(),
                now,
                ctx.actor(),
            ]);
        }
        c.execute(sql, args).await?;
    }

    const LINK_COLS: usize = 8;
    for chunk in links.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO product_media (id, organization_id, product_id, variant_id, media_asset_id, position, purpose, created_at) VALUES {}",
            value_rows(chunk.len(), LINK_COLS)
        );
        let mut args = Vec::with_capacity(chunk.len() * LINK_COLS);
        for (link, asset, variant, position, purpose) in chunk {
            args.extend(crate::args![
                *link,
                ctx.org(),
                product,
                *variant,
                *asset,
                *position,
                purpose.clone(),
                now
            ]);
        }
        c.execute(sql, args).await?;
    }
    Ok((links.iter().map(|l| l.0).collect(), changes))
}

/// The next free rank (or position) after the largest in `table` for a product.
pub async fn next_rank(c: &mut Conn<'_>, sql: &'static str, product: ProductId) -> Result<i64, StoreError> {
    let row = c.fetch_one(sql, crate::args![product]).await?;
    Ok(row.get::<Option<i64>>("n")?.map_or(0, |n| n + 1))
}
