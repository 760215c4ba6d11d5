//! Reading one product's line of a copy into an organization, its references mapped to this
//! organization's ids.

use super::definitions::{Ids, split};
use super::everything;
use super::read::{bad, refused};
use crate::JobError;
use pimento_core::auth::Ctx;
use pimento_core::copy::{self, ProductRecord};
use pimento_core::details::DetailsPatch;
use pimento_core::ids::{MediaAssetId, OptionId};
use pimento_core::job::RowError;
use pimento_core::media::{MediaAssetInput, MediaInput, MediaSource};
use pimento_core::options::{OptionInput, OptionSelection, OwnOption};
use pimento_core::patch::Patch;
use pimento_core::product::{Classification, Include, ProductInput, ProductPatch, ProductStatus};
use pimento_core::query::{CountMode, ProductFilter, ProductQuery};
use pimento_core::sync::SyncSourceInput;
use pimento_core::taxonomy::CategoryRef;
use pimento_core::variant::{PriceInput, VariantInput, VariantPatch};
use pimento_store::Store;
use pimento_store::catalog::{CopiedRow, OnExisting, Stamp};
use std::collections::HashMap;
use std::hash::Hash;
use uuid::Uuid;

/// A reference to a definition, mapped; an error names the field when the file lacks it.
pub(super) fn mapped<K: Eq + Hash + Copy, V: Copy>(
    n: u64,
    field: &str,
    old: Option<K>,
    map: &HashMap<K, V>,
) -> Result<Patch<V>, RowError> {
    match old {
        None => Ok(Patch::Keep),
        Some(k) => map
            .get(&k)
            .map(|v| Patch::Set(*v))
            .ok_or_else(|| bad(n, field, "is not defined in the file")),
    }
}

pub(super) fn sync_input(s: copy::SyncRecord) -> SyncSourceInput {
    SyncSourceInput {
        sync_source: s.source,
        sync_source_id: s.id,
        source_vendor: s.vendor,
        source_data: s.data,
        sync_status: Some(s.status),
        last_synced_at: s.last_synced_at,
    }
}

pub(super) fn asset_input(a: &copy::AssetRecord) -> MediaAssetInput {
    MediaAssetInput {
        name: Some(a.name.clone()),
        public_url: a.public_url.clone(),
        source_url: a.source_url.clone(),
        thumbnail_url: a.thumbnail_url.clone(),
        upload_url: a.upload_url.clone(),
        alt_text: a.alt_text.clone(),
        description: a.description.clone(),
    }
}

pub(super) fn details_patch(d: copy::DetailsRecord) -> DetailsPatch {
    let set = |v: Option<String>| v.map_or(Patch::Keep, Patch::Set);
    let num = |v: Option<f64>| v.map_or(Patch::Keep, Patch::Set);
    DetailsPatch {
        subtitle: set(d.subtitle),
        short_description: set(d.short_description),
        thumbnail: set(d.thumbnail),
        seo_name: set(d.seo_name),
        page_title: set(d.page_title),
        meta_description: set(d.meta_description),
        meta_keywords: set(d.meta_keywords),
        weight: num(d.weight),
        length: num(d.length),
        width: num(d.width),
        height: num(d.height),
    }
}

/// What one product line did.
pub(super) enum Done {
    Created,
    Unchanged,
    Failed,
}

/// Makes one product (unless its handle is taken, which leaves it as it is), and adds what
/// the original had of the rows made to `kept`, for the caller to write with the rest of its
/// part of the file.
#[allow(clippy::too_many_arguments)]
pub(super) async fn import_product(
    store: &Store,
    ctx: &Ctx,
    n: u64,
    p: ProductRecord,
    dry_run: bool,
    ids: &mut Ids,
    errors: &mut Vec<RowError>,
    kept: &mut Vec<Stamp>,
) -> Result<Done, JobError> {
    let same = ProductQuery {
        filter: ProductFilter {
            handles: Some(vec![p.handle.clone()]),
            ..everything()
        },
        limit: 1,
        count: CountMode::None,
        ..ProductQuery::default()
    };
    if !store
        .list_products(ctx, &same, Include::default())
        .await?
        .items
        .is_empty()
    {
        return Ok(Done::Unchanged);
    }
    if dry_run {
        return Ok(Done::Created);
    }
    let Some(status) = ProductStatus::parse(&p.status) else {
        errors.push(bad(n, "status", format!("'{}' is not a product status", p.status)));
        return Ok(Done::Failed);
    };
    let classification = match classification(n, &p, ids) {
        Ok(c) => c,
        Err(e) => {
            errors.push(e);
            return Ok(Done::Failed);
        }
    };
    // What the original had of the product's own rows, written over the new ones at the end.
    let mut stamps = vec![Stamp {
        archived_at: p.archived_at,
        ..Stamp::new(CopiedRow::Product, Uuid::nil(), p.created_at, p.updated_at, p.version).numbered(p.number)
    }];
    let sync_times = |s: &Option<copy::SyncRecord>| s.as_ref().map(|s| (s.created_at, s.updated_at));
    let product_sync = sync_times(&p.sync);
    let variant_kept: Vec<_> = p
        .variants
        .iter()
        .map(|v| (v.created_at, v.updated_at, v.version, sync_times(&v.sync)))
        .collect();
    // Option ids by their place in the record: own options get new ones, shared ones the
    // organization's.
    let mut option_ids = Vec::with_capacity(p.options.len());
    let mut own_options = Vec::new();
    let mut shared = Vec::new();
    for (i, o) in p.options.iter().enumerate() {
        if o.own {
            let id = OptionId::generate();
            stamps.push(Stamp::new(
                CopiedRow::Option,
                id.0,
                o.created_at,
                o.updated_at,
                o.version,
            ));
            own_options.push(OwnOption {
                id,
                input: OptionInput {
                    name: o.name.clone(),
                    values: o.values.clone(),
                },
            });
            option_ids.push(id);
        } else if let Some(id) = ids.options.get(&o.id) {
            shared.push(*id);
            option_ids.push(*id);
        } else {
            errors.push(bad(n, &format!("options[{i}]"), "is not an option of the file"));
            return Ok(Done::Failed);
        }
    }
    let mut later_variant_extensions = Vec::new();
    let mut variants = Vec::with_capacity(p.variants.len());
    for (i, v) in p.variants.into_iter().enumerate() {
        let mut options = Vec::with_capacity(v.options.len());
        for s in v.options {
            let Some(option_id) = option_ids.get(s.option) else {
                errors.push(bad(
                    n,
                    &format!("variants[{i}].options"),
                    "names an option the product lacks",
                ));
                return Ok(Done::Failed);
            };
            options.push(OptionSelection::ByValue {
                option_id: *option_id,
                value: s.value,
            });
        }
        let (first, rest) = split(v.extensions);
        later_variant_extensions.push(rest);
        let (price, currency) = match v.price {
            Some(pr) => (Some(pr.amount), Some(pr.currency)),
            None => (None, None),
        };
        variants.push(VariantInput {
            title: v.title,
            sku: v.sku,
            barcode: v.barcode,
            price,
            currency,
            inventory_quantity: Some(v.inventory_quantity),
            metadata: v.metadata,
            options,
            sync: v.sync.map(sync_input),
            list_price: v.list_price,
            prices: v
                .prices
                .into_iter()
                .map(|pr| PriceInput {
                    amount: pr.amount,
                    currency: pr.currency,
                })
                .collect(),
            extension: first,
        });
    }
    // Media of the product go with the create; a variant's once the variant exists.
    let source = |a: &copy::AssetRecord, ids: &Ids| match ids.assets.get(&a.id) {
        Some(id) => MediaSource::Existing(*id),
        None => MediaSource::New(asset_input(a)),
    };
    let (now_media, variant_media): (Vec<_>, Vec<_>) = p.media.into_iter().partition(|m| m.variant.is_none());
    let media: Vec<MediaInput> = now_media
        .iter()
        .map(|m| MediaInput {
            source: source(&m.asset, ids),
            position: Some(m.position),
            purpose: m.purpose.clone(),
            variant_id: None,
        })
        .collect();
    let (first, rest) = split(p.extensions);
    let input = ProductInput {
        name: p.name,
        handle: Some(p.handle),
        url: p.url,
        description: p.description,
        status,
        metadata: p.metadata,
        default_variant_id: None,
        option_ids: shared,
        own_options,
        variants,
        media,
        sync: p.sync.map(sync_input),
        classification,
        details: details_patch(p.details),
        extension: first,
    };
    let Some((view, _)) = refused(n, store.create_product_or(ctx, OnExisting::Refuse, input).await, errors)? else {
        return Ok(Done::Failed);
    };
    let id = view.product.id;
    stamps[0].id = id.0;
    let mut asset_stamp = |old: &copy::AssetRecord, made: MediaAssetId, ids: &mut Ids| {
        if let std::collections::hash_map::Entry::Vacant(e) = ids.assets.entry(old.id) {
            e.insert(made);
            stamps.push(Stamp::new(
                CopiedRow::MediaAsset,
                made.0,
                old.created_at,
                old.updated_at,
                None,
            ));
        }
    };
    for m in &now_media {
        if let Some(made) = view.media.iter().flatten().find(|x| x.position == m.position) {
            asset_stamp(&m.asset, made.asset.id, ids);
        }
    }
    let made_variants: Vec<_> = view.variants.iter().flatten().map(|v| v.id).collect();
    for m in variant_media {
        let input = MediaInput {
            source: source(&m.asset, ids),
            position: Some(m.position),
            purpose: m.purpose.clone(),
            variant_id: m.variant.and_then(|i| made_variants.get(i).copied()),
        };
        let Some(made) = refused(n, store.add_media(ctx, id, None, input).await, errors)? else {
            return Ok(Done::Failed);
        };
        asset_stamp(&m.asset, made.asset.id, ids);
    }
    for (vid, rest) in made_variants.iter().zip(later_variant_extensions) {
        for x in rest {
            let patch = VariantPatch {
                extension: Some(x),
                ..VariantPatch::default()
            };
            if refused(n, store.update_variant(ctx, id, *vid, None, patch).await, errors)?.is_none() {
                return Ok(Done::Failed);
            }
        }
    }
    let default = p.default_variant.and_then(|i| made_variants.get(i).copied());
    let patch = ProductPatch {
        archived: p.archived_at.is_some().then_some(true),
        default_variant_id: match default {
            Some(d) if view.product.default_variant_id != Some(d) => Patch::Set(d),
            _ => Patch::Keep,
        },
        extensions: rest,
        ..ProductPatch::default()
    };
    if patch.archived.is_some() || !matches!(patch.default_variant_id, Patch::Keep) || !patch.extensions.is_empty() {
        let r = store.update_product(ctx, id, None, patch, Include::default()).await;
        if refused(n, r, errors)?.is_none() {
            return Ok(Done::Failed);
        }
    }
    if let (Some(r), Some((created, updated))) = (&view.sync, product_sync) {
        stamps.push(Stamp::new(CopiedRow::ExternalRef, r.id.0, created, updated, None));
    }
    for (v, (created, updated, version, sync)) in view.variants.iter().flatten().zip(variant_kept) {
        stamps.push(Stamp::new(CopiedRow::Variant, v.id.0, created, updated, version));
        if let (Some(r), Some((created, updated))) = (&v.sync, sync) {
            stamps.push(Stamp::new(CopiedRow::ExternalRef, r.id.0, created, updated, None));
        }
    }
    kept.extend(stamps);
    Ok(Done::Created)
}

pub(super) fn classification(n: u64, p: &ProductRecord, ids: &Ids) -> Result<Classification, RowError> {
    let tags = p
        .tags
        .iter()
        .enumerate()
        .map(|(i, t)| {
            ids.tags
                .get(&t.0)
                .copied()
                .ok_or_else(|| bad(n, &format!("tags[{i}]"), "is not defined in the file"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Classification {
        category: match mapped(n, "category", p.category, &ids.categories)? {
            Patch::Set(id) => Patch::Set(CategoryRef::Id(id)),
            _ => Patch::Keep,
        },
        brand_id: mapped(n, "brand", p.brand, &ids.brands)?,
        template_id: mapped(n, "template", p.template, &ids.templates)?,
        attributes: p.attributes.clone(),
        vendor_id: mapped(n, "vendor", p.vendor, &ids.vendors)?,
        collection_id: mapped(n, "collection", p.collection, &ids.collections)?,
        type_id: mapped(n, "type", p.product_type.map(|t| t.0), &ids.types)?,
        tags: (!tags.is_empty()).then_some(tags),
    })
}
