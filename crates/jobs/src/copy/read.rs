//! Reading a copy into an organization: definitions matched or made, then products (the rule
//! is in the module above).

use super::{LIST, every, every_by_offset, everything};
use crate::JobError;
use crate::chunk::{Chunker, Progress};
use crate::import::ImportOutcome;
use pimento_core::attribute::{
    AttributeGroupInput, AttributeInput, AttributeType, TemplateAttributeInput, TemplateInput,
};
use pimento_core::auth::Ctx;
use pimento_core::collection::CollectionInput;
use pimento_core::copy::{self, ProductRecord, Record};
use pimento_core::details::DetailsPatch;
use pimento_core::extension::{ExtensionPatch, Extensions};
use pimento_core::ids::{
    AttributeGroupId, AttributeId, BrandId, CategoryId, CollectionId, MediaAssetId, OptionId, ProductTypeId, TagId,
    TemplateId, VendorId,
};
use pimento_core::job::RowError;
use pimento_core::label::LabelInput;
use pimento_core::media::{MediaAssetInput, MediaInput, MediaSource};
use pimento_core::options::{OptionInput, OptionSelection, OwnOption};
use pimento_core::patch::Patch;
use pimento_core::product::{Classification, Include, ProductInput, ProductPatch, ProductStatus};
use pimento_core::query::{CountMode, ProductFilter, ProductQuery};
use pimento_core::sync::SyncSourceInput;
use pimento_core::taxonomy::{BrandInput, CategoryInput, CategoryPatch, CategoryRef};
use pimento_core::variant::{PriceInput, VariantInput, VariantPatch};
use pimento_core::vendor::{VendorInput, VendorStatus};
use pimento_store::catalog::{CopiedRow, OnExisting, ParentFilter, Stamp};
use pimento_store::jobs::ChunkReport;
use pimento_store::{Store, StoreError};
use std::collections::HashMap;
use std::hash::Hash;
use std::io::BufRead;
use uuid::Uuid;

/// Old ids (the file's) to new ones (this organization's).
#[derive(Default)]
struct Ids {
    groups: HashMap<AttributeGroupId, AttributeGroupId>,
    attributes: HashMap<AttributeId, AttributeId>,
    templates: HashMap<TemplateId, TemplateId>,
    categories: HashMap<CategoryId, CategoryId>,
    brands: HashMap<BrandId, BrandId>,
    vendors: HashMap<VendorId, VendorId>,
    collections: HashMap<CollectionId, CollectionId>,
    types: HashMap<Uuid, ProductTypeId>,
    tags: HashMap<Uuid, TagId>,
    options: HashMap<OptionId, OptionId>,
    assets: HashMap<MediaAssetId, MediaAssetId>,
    /// What the original had of the definitions made, written once they all are.
    stamps: Vec<Stamp>,
}

/// A definition line and where it was.
type Lined<T> = (u64, T);

/// The definitions read so far.
#[derive(Default)]
struct Definitions {
    groups: Vec<Lined<copy::GroupRecord>>,
    attributes: Vec<Lined<copy::AttributeRecord>>,
    templates: Vec<Lined<copy::TemplateRecord>>,
    categories: Vec<Lined<copy::CategoryRecord>>,
    brands: Vec<Lined<copy::BrandRecord>>,
    vendors: Vec<Lined<copy::VendorRecord>>,
    collections: Vec<Lined<copy::CollectionRecord>>,
    types: Vec<Lined<copy::LabelRecord>>,
    tags: Vec<Lined<copy::LabelRecord>>,
    options: Vec<Lined<copy::OptionRecord>>,
}

impl Definitions {
    fn is_empty(&self) -> bool {
        self.groups.is_empty()
            && self.attributes.is_empty()
            && self.templates.is_empty()
            && self.categories.is_empty()
            && self.brands.is_empty()
            && self.vendors.is_empty()
            && self.collections.is_empty()
            && self.types.is_empty()
            && self.tags.is_empty()
            && self.options.is_empty()
    }

    fn add(&mut self, n: u64, r: Record) {
        match r {
            Record::AttributeGroup(g) => self.groups.push((n, g)),
            Record::Attribute(a) => self.attributes.push((n, a)),
            Record::Template(t) => self.templates.push((n, t)),
            Record::Category(c) => self.categories.push((n, c)),
            Record::Brand(b) => self.brands.push((n, b)),
            Record::Vendor(v) => self.vendors.push((n, v)),
            Record::Collection(c) => self.collections.push((n, c)),
            Record::Type(t) => self.types.push((n, t)),
            Record::Tag(t) => self.tags.push((n, t)),
            Record::Option(o) => self.options.push((n, o)),
            Record::Catalog(_) | Record::Product(_) => {}
        }
    }
}

/// A refusal of one line: a catalog rule becomes the line's error, anything else stops the
/// import.
fn refused<T>(n: u64, r: Result<T, StoreError>, errors: &mut Vec<RowError>) -> Result<Option<T>, JobError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(StoreError::Domain(e)) => {
            errors.push(RowError::from_core(Some(n), &e));
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

fn bad(n: u64, field: &str, reason: impl Into<String>) -> RowError {
    RowError {
        line: Some(n),
        field: Some(field.to_owned()),
        reason: reason.into(),
    }
}

/// The first patch goes with a create, the others after it.
fn split(extensions: serde_json::Map<String, serde_json::Value>) -> (Option<ExtensionPatch>, Vec<ExtensionPatch>) {
    let mut patches = Extensions(extensions).into_patches().into_iter();
    let first = patches.next();
    (first, patches.collect())
}

/// Makes the definitions this organization lacks and maps every file id to its own.
async fn apply_definitions(
    store: &Store,
    ctx: &Ctx,
    defs: Definitions,
    dry_run: bool,
    ids: &mut Ids,
    errors: &mut Vec<RowError>,
) -> Result<(), JobError> {
    // Attribute groups, by name.
    let have = every(|a| store.list_attribute_groups(ctx, LIST, a), |g| g.id).await?;
    let mut groups = defs.groups;
    groups.sort_by_key(|(_, g)| (g.rank, g.id));
    for (n, g) in groups {
        if let Some(found) = have.iter().find(|h| h.name == g.name) {
            ids.groups.insert(g.id, found.id);
        } else if !dry_run {
            let input = AttributeGroupInput {
                name: g.name,
                description: g.description,
                attribute_ids: Vec::new(),
            };
            if let Some(made) = refused(n, store.create_attribute_group(ctx, input).await, errors)? {
                ids.groups.insert(g.id, made.id);
                ids.stamps.push(Stamp::new(
                    CopiedRow::AttributeGroup,
                    made.id.0,
                    g.created_at,
                    g.updated_at,
                    g.version,
                ));
            }
        }
    }
    // Attributes, by key.
    let have = every(|a| store.list_attributes(ctx, None, LIST, a), |x| x.id).await?;
    for (n, a) in defs.attributes {
        if let Some(found) = have.iter().find(|h| h.key == a.key) {
            ids.attributes.insert(a.id, found.id);
            continue;
        }
        if dry_run {
            continue;
        }
        let attr_type = match AttributeType::parse("type", &a.attr_type) {
            Ok(t) => t,
            Err(e) => {
                errors.push(RowError::from_core(Some(n), &e));
                continue;
            }
        };
        let group_id = match a.group {
            None => None,
            Some(g) => match ids.groups.get(&g) {
                Some(id) => Some(*id),
                None => {
                    errors.push(bad(n, "group", "is not an attribute group of the file"));
                    continue;
                }
            },
        };
        let (first, rest) = split(a.extensions);
        let stamp = |id: AttributeId| {
            Stamp::new(CopiedRow::Attribute, id.0, a.created_at, a.updated_at, a.version).numbered(a.number)
        };
        let input = AttributeInput {
            name: a.name,
            key: Some(a.key),
            attr_type,
            options: a.options,
            group_id,
        };
        let Some(made) = refused(n, store.create_attribute_extended(ctx, input, first).await, errors)? else {
            continue;
        };
        ids.attributes.insert(a.id, made.id);
        ids.stamps.push(stamp(made.id));
        for x in rest {
            let r = store
                .update_attribute_extended(ctx, made.id, None, Default::default(), Some(x), Default::default())
                .await;
            refused(n, r, errors)?;
        }
    }
    // Templates, by name.
    let have = every(|a| store.list_templates(ctx, LIST, a), |t| t.id).await?;
    for (n, t) in defs.templates {
        if let Some(found) = have.iter().find(|h| h.name == t.name) {
            ids.templates.insert(t.id, found.id);
            continue;
        }
        if dry_run {
            continue;
        }
        let mut attributes = Vec::with_capacity(t.attributes.len());
        for (i, a) in t.attributes.iter().enumerate() {
            match ids.attributes.get(&a.attribute) {
                Some(id) => attributes.push(TemplateAttributeInput {
                    attribute_id: *id,
                    required: a.required,
                }),
                None => errors.push(bad(n, &format!("attributes[{i}]"), "is not an attribute of the file")),
            }
        }
        if attributes.len() != t.attributes.len() {
            continue;
        }
        let input = TemplateInput {
            name: t.name,
            description: t.description,
            attributes,
        };
        if let Some(made) = refused(n, store.create_template(ctx, input).await, errors)? {
            ids.templates.insert(t.id, made.id);
            ids.stamps.push(Stamp::new(
                CopiedRow::Template,
                made.id.0,
                t.created_at,
                t.updated_at,
                t.version,
            ));
        }
    }
    categories(store, ctx, defs.categories, dry_run, ids, errors).await?;
    // Brands, by name.
    let have = every(|a| store.list_brands(ctx, LIST, a), |b| b.id).await?;
    for (n, b) in defs.brands {
        if let Some(found) = have.iter().find(|h| h.name == b.name) {
            ids.brands.insert(b.id, found.id);
        } else if !dry_run {
            let input = BrandInput {
                name: b.name,
                description: b.description,
                logo_url: b.logo_url,
            };
            if let Some(made) = refused(n, store.create_brand(ctx, input).await, errors)? {
                ids.brands.insert(b.id, made.id);
                ids.stamps.push(Stamp::new(
                    CopiedRow::Brand,
                    made.id.0,
                    b.created_at,
                    b.updated_at,
                    b.version,
                ));
            }
        }
    }
    // Vendors, by name.
    let have = every(|a| store.list_vendors(ctx, LIST, a), |v| v.id).await?;
    for (n, v) in defs.vendors {
        if let Some(found) = have.iter().find(|h| h.name == v.name) {
            ids.vendors.insert(v.id, found.id);
            continue;
        }
        if dry_run {
            continue;
        }
        let Some(status) = VendorStatus::parse(&v.status) else {
            errors.push(bad(n, "status", "must be active, pending or disabled"));
            continue;
        };
        let (first, rest) = split(v.extensions);
        let input = VendorInput {
            name: v.name,
            email: v.email,
            description: v.description,
            status,
            metadata: v.metadata,
        };
        let Some(made) = refused(n, store.create_vendor_extended(ctx, input, first).await, errors)? else {
            continue;
        };
        ids.vendors.insert(v.id, made.id);
        ids.stamps
            .push(Stamp::new(CopiedRow::Vendor, made.id.0, v.created_at, v.updated_at, v.version).numbered(v.number));
        for x in rest {
            let r = store
                .update_vendor_extended(ctx, made.id, None, Default::default(), Some(x))
                .await;
            refused(n, r, errors)?;
        }
    }
    // Collections, by handle.
    let have = every_by_offset(|q| async move { store.list_collections(ctx, &q).await }).await?;
    for (n, c) in defs.collections {
        if let Some(found) = have.iter().find(|h| h.handle == c.handle) {
            ids.collections.insert(c.id, found.id);
        } else if !dry_run {
            let input = CollectionInput {
                title: c.title,
                handle: Some(c.handle),
                metadata: c.metadata,
            };
            if let Some(made) = refused(n, store.create_collection(ctx, input).await, errors)? {
                ids.collections.insert(c.id, made.id);
                ids.stamps.push(Stamp::new(
                    CopiedRow::Collection,
                    made.id.0,
                    c.created_at,
                    c.updated_at,
                    c.version,
                ));
            }
        }
    }
    // Types and tags, by value.
    let have = every_by_offset(|q| async move { store.list_labels::<ProductTypeId>(ctx, &q).await }).await?;
    for (n, t) in defs.types {
        if let Some(found) = have.iter().find(|h| h.value == t.value) {
            ids.types.insert(t.id, found.id);
        } else if !dry_run {
            let input = LabelInput {
                value: t.value,
                metadata: t.metadata,
            };
            if let Some(made) = refused(n, store.create_label::<ProductTypeId>(ctx, input).await, errors)? {
                ids.types.insert(t.id, made.id);
                ids.stamps.push(Stamp::new(
                    CopiedRow::ProductType,
                    made.id.0,
                    t.created_at,
                    t.updated_at,
                    t.version,
                ));
            }
        }
    }
    let have = every_by_offset(|q| async move { store.list_labels::<TagId>(ctx, &q).await }).await?;
    for (n, t) in defs.tags {
        if let Some(found) = have.iter().find(|h| h.value == t.value) {
            ids.tags.insert(t.id, found.id);
        } else if !dry_run {
            let input = LabelInput {
                value: t.value,
                metadata: t.metadata,
            };
            if let Some(made) = refused(n, store.create_label::<TagId>(ctx, input).await, errors)? {
                ids.tags.insert(t.id, made.id);
                ids.stamps.push(Stamp::new(
                    CopiedRow::Tag,
                    made.id.0,
                    t.created_at,
                    t.updated_at,
                    t.version,
                ));
            }
        }
    }
    // Shared options, by name.
    let have = every(|a| store.list_options(ctx, LIST, a), |o| o.id).await?;
    for (n, o) in defs.options {
        if let Some(found) = have.iter().find(|h| h.name == o.name) {
            ids.options.insert(o.id, found.id);
        } else if !dry_run {
            let input = OptionInput {
                name: o.name,
                values: o.values,
            };
            if let Some(made) = refused(n, store.create_option(ctx, input).await, errors)? {
                ids.options.insert(o.id, made.id);
                ids.stamps.push(Stamp::new(
                    CopiedRow::Option,
                    made.id.0,
                    o.created_at,
                    o.updated_at,
                    o.version,
                ));
            }
        }
    }
    // What the original had of each definition made, over what the writes above made.
    let stamps = std::mem::take(&mut ids.stamps);
    store.stamp_copied(ctx, &stamps).await?;
    Ok(())
}

/// Categories, by slug, in the order of the file's ids so that siblings keep their order
/// (a category's place among its siblings is its creation's). One whose parent is not made
/// yet is made at the root and moved under it once every category exists.
async fn categories(
    store: &Store,
    ctx: &Ctx,
    mut list: Vec<Lined<copy::CategoryRecord>>,
    dry_run: bool,
    ids: &mut Ids,
    errors: &mut Vec<RowError>,
) -> Result<(), JobError> {
    let have = every(|a| store.list_categories(ctx, ParentFilter::Any, LIST, a), |c| c.id).await?;
    list.sort_by_key(|(_, c)| c.id);
    let mut moves: Vec<(u64, CategoryId, CategoryId)> = Vec::new();
    for (n, c) in list {
        if let Some(found) = have.iter().find(|h| h.slug == c.slug) {
            ids.categories.insert(c.id, found.id);
            continue;
        }
        if dry_run {
            continue;
        }
        let parent_id = c.parent.and_then(|p| ids.categories.get(&p).copied());
        let (first, rest) = split(c.extensions);
        let stamp = |id: CategoryId| {
            Stamp::new(CopiedRow::Category, id.0, c.created_at, c.updated_at, c.version).numbered(c.number)
        };
        let input = CategoryInput {
            name: c.name,
            slug: Some(c.slug),
            description: c.description,
            parent_id,
        };
        let Some(made) = refused(n, store.create_category_extended(ctx, input, first).await, errors)? else {
            continue;
        };
        ids.categories.insert(c.id, made.id);
        ids.stamps.push(stamp(made.id));
        if let (Some(p), None) = (c.parent, parent_id) {
            moves.push((n, made.id, p));
        }
        for x in rest {
            let r = store
                .update_category_extended(ctx, made.id, None, CategoryPatch::default(), Some(x))
                .await;
            refused(n, r, errors)?;
        }
    }
    for (n, id, parent) in moves {
        let Some(parent_id) = ids.categories.get(&parent).copied() else {
            errors.push(bad(n, "parent", "is not a category of the file"));
            continue;
        };
        let patch = CategoryPatch {
            parent_id: Patch::Set(parent_id),
            ..CategoryPatch::default()
        };
        let r = store.update_category_extended(ctx, id, None, patch, None).await;
        refused(n, r, errors)?;
    }
    Ok(())
}

/// A reference to a definition, mapped; an error names the field when the file lacks it.
fn mapped<K: Eq + Hash + Copy, V: Copy>(
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

fn sync_input(s: copy::SyncRecord) -> SyncSourceInput {
    SyncSourceInput {
        sync_source: s.source,
        sync_source_id: s.id,
        source_vendor: s.vendor,
        source_data: s.data,
        sync_status: Some(s.status),
        last_synced_at: s.last_synced_at,
    }
}

fn asset_input(a: &copy::AssetRecord) -> MediaAssetInput {
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

fn details_patch(d: copy::DetailsRecord) -> DetailsPatch {
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
enum Done {
    Created,
    Unchanged,
    Failed,
}

/// Makes one product (unless its handle is taken, which leaves it as it is), and adds what
/// the original had of the rows made to `kept`, for the caller to write with the rest of its
/// part of the file.
#[allow(clippy::too_many_arguments)]
async fn import_product(
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

fn classification(n: u64, p: &ProductRecord, ids: &Ids) -> Result<Classification, RowError> {
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

/// Lines handed from the reading thread at once.
const LINES: usize = 100;

type Lines = Vec<(u64, Result<Record, String>)>;

/// Imports a copy. `first` is its first line, already read from `input`; products up to the
/// `skip`th are passed over (a resumed job: definitions are read again, and match what the
/// first run made).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn import_full(
    store: &Store,
    ctx: &Ctx,
    first: String,
    input: Box<dyn BufRead + Send>,
    dry_run: bool,
    skip: u64,
    chunker: &Chunker,
    progress: Progress<'_>,
) -> Result<ImportOutcome, JobError> {
    match serde_json::from_str::<Record>(&first) {
        Ok(Record::Catalog(h)) if h.version <= copy::VERSION => {}
        Ok(Record::Catalog(h)) => {
            return Err(JobError::BadInput(format!(
                "this catalog copy is of version {}; this Pimento reads version {} at most",
                h.version,
                copy::VERSION
            )));
        }
        _ => return Err(JobError::BadInput("line 1: not a catalog copy's header".into())),
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Lines>(4);
    let reader = tokio::task::spawn_blocking(move || {
        let mut batch: Lines = Vec::with_capacity(LINES);
        for (i, l) in input.lines().enumerate() {
            let n = i as u64 + 2;
            let parsed = match l {
                Ok(l) if l.trim().is_empty() => continue,
                Ok(l) => serde_json::from_str::<Record>(&l).map_err(|e| format!("not a catalog record: {e}")),
                Err(e) => Err(format!("cannot read the line: {e}")),
            };
            batch.push((n, parsed));
            if batch.len() >= LINES && tx.blocking_send(std::mem::take(&mut batch)).is_err() {
                return;
            }
        }
        if !batch.is_empty() {
            let _ = tx.blocking_send(batch);
        }
    });
    let mut outcome = ImportOutcome::default();
    let mut defs = Some(Definitions::default());
    let mut ids = Ids::default();
    let mut done = 0_u64;
    while let Some(batch) = rx.recv().await {
        let mut report = ChunkReport::default();
        // What the original had of the products this part makes, written in one transaction
        // before its checkpoint (one commit a part rather than one a product).
        let mut kept = Vec::new();
        for (n, parsed) in batch {
            let record = match parsed {
                Ok(r) => r,
                Err(reason) => {
                    report.errors.push(RowError {
                        line: Some(n),
                        field: None,
                        reason,
                    });
                    report.summary.failed += 1;
                    continue;
                }
            };
            match record {
                Record::Catalog(_) => {
                    report
                        .errors
                        .push(bad(n, "kind", "a catalog copy has one header, on its first line"));
                    report.summary.failed += 1;
                }
                Record::Product(p) => {
                    if let Some(d) = defs.take() {
                        let before = report.errors.len();
                        apply_definitions(store, ctx, d, dry_run, &mut ids, &mut report.errors).await?;
                        report.summary.failed += (report.errors.len() - before) as u64;
                    }
                    done += 1;
                    if done <= skip {
                        continue;
                    }
                    // A product whose times, versions or numbers no catalog holds is refused
                    // before anything of it is written.
                    if let Err(b) = p.check_kept() {
                        report.errors.push(bad(n, &b.field, b.reason));
                        report.summary.failed += 1;
                        continue;
                    }
                    match import_product(store, ctx, n, *p, dry_run, &mut ids, &mut report.errors, &mut kept).await? {
                        Done::Created => report.summary.created += 1,
                        Done::Unchanged => report.summary.unchanged += 1,
                        Done::Failed => report.summary.failed += 1,
                    }
                }
                definition => match (defs.as_mut(), definition.check_kept()) {
                    (Some(_), Err(b)) => {
                        report.errors.push(bad(n, &b.field, b.reason));
                        report.summary.failed += 1;
                    }
                    (Some(d), Ok(())) => d.add(n, definition),
                    (None, _) => {
                        report
                            .errors
                            .push(bad(n, "kind", "definitions come before the first product"));
                        report.summary.failed += 1;
                    }
                },
            }
        }
        store.stamp_copied(ctx, &kept).await?;
        report.checkpoint = Some(done.to_string());
        finish_chunk(store, chunker, report, &mut outcome).await?;
        progress(done, None);
    }
    if let Some(d) = defs.take().filter(|d| !d.is_empty()) {
        let mut report = ChunkReport {
            checkpoint: Some(done.to_string()),
            ..ChunkReport::default()
        };
        apply_definitions(store, ctx, d, dry_run, &mut ids, &mut report.errors).await?;
        report.summary.failed = report.errors.len() as u64;
        finish_chunk(store, chunker, report, &mut outcome).await?;
    }
    reader
        .await
        .map_err(|e| JobError::BadInput(format!("the file reader stopped: {e}")))?;
    Ok(outcome)
}

/// Records a part's counts and errors (with the job's checkpoint, under its lease).
async fn finish_chunk(
    store: &Store,
    chunker: &Chunker,
    mut report: ChunkReport,
    outcome: &mut ImportOutcome,
) -> Result<(), JobError> {
    report.errors.sort_by_key(|e| e.line);
    outcome.summary.add(report.summary);
    let room = crate::import::KEEP_ERRORS.saturating_sub(outcome.errors.len());
    outcome.errors.extend(report.errors.iter().take(room).cloned());
    let chunk = chunker.begin(store).await?;
    chunk.commit(report).await?;
    Ok(())
}
