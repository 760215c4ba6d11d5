//! Reading a copy's definitions into an organization: each matched (by slug, key, handle,
//! value or name) or made, and the map from the file's ids to this organization's.

use super::read::{bad, refused};
use super::{LIST, every, every_by_offset};
use crate::JobError;
use pimento_core::attribute::{
    AttributeGroupInput, AttributeInput, AttributeType, TemplateAttributeInput, TemplateInput,
};
use pimento_core::auth::Ctx;
use pimento_core::collection::CollectionInput;
use pimento_core::copy::{self, Record};
use pimento_core::extension::{ExtensionPatch, Extensions};
use pimento_core::ids::{
    AttributeGroupId, AttributeId, BrandId, CategoryId, CollectionId, MediaAssetId, OptionId, ProductTypeId, TagId,
    TemplateId, VendorId,
};
use pimento_core::job::RowError;
use pimento_core::label::LabelInput;
use pimento_core::options::OptionInput;
use pimento_core::patch::Patch;
use pimento_core::taxonomy::{BrandInput, CategoryInput, CategoryPatch};
use pimento_core::vendor::{VendorInput, VendorStatus};
use pimento_store::Store;
use pimento_store::catalog::{CopiedRow, ParentFilter, Stamp};
use std::collections::HashMap;
use uuid::Uuid;

/// Old ids (the file's) to new ones (this organization's).
#[derive(Default)]
pub(super) struct Ids {
    pub(super) groups: HashMap<AttributeGroupId, AttributeGroupId>,
    pub(super) attributes: HashMap<AttributeId, AttributeId>,
    pub(super) templates: HashMap<TemplateId, TemplateId>,
    pub(super) categories: HashMap<CategoryId, CategoryId>,
    pub(super) brands: HashMap<BrandId, BrandId>,
    pub(super) vendors: HashMap<VendorId, VendorId>,
    pub(super) collections: HashMap<CollectionId, CollectionId>,
    pub(super) types: HashMap<Uuid, ProductTypeId>,
    pub(super) tags: HashMap<Uuid, TagId>,
    pub(super) options: HashMap<OptionId, OptionId>,
    pub(super) assets: HashMap<MediaAssetId, MediaAssetId>,
    /// What the original had of the definitions made, written once they all are.
    pub(super) stamps: Vec<Stamp>,
}

/// A definition line and where it was.
type Lined<T> = (u64, T);

/// The definitions read so far.
#[derive(Default)]
pub(super) struct Definitions {
    pub(super) groups: Vec<Lined<copy::GroupRecord>>,
    pub(super) attributes: Vec<Lined<copy::AttributeRecord>>,
    pub(super) templates: Vec<Lined<copy::TemplateRecord>>,
    pub(super) categories: Vec<Lined<copy::CategoryRecord>>,
    pub(super) brands: Vec<Lined<copy::BrandRecord>>,
    pub(super) vendors: Vec<Lined<copy::VendorRecord>>,
    pub(super) collections: Vec<Lined<copy::CollectionRecord>>,
    pub(super) types: Vec<Lined<copy::LabelRecord>>,
    pub(super) tags: Vec<Lined<copy::LabelRecord>>,
    pub(super) options: Vec<Lined<copy::OptionRecord>>,
}

impl Definitions {
    pub(super) fn is_empty(&self) -> bool {
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

    pub(super) fn add(&mut self, n: u64, r: Record) {
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

/// The first patch goes with a create, the others after it.
pub(super) fn split(
    extensions: serde_json::Map<String, serde_json::Value>,
) -> (Option<ExtensionPatch>, Vec<ExtensionPatch>) {
    let mut patches = Extensions(extensions).into_patches().into_iter();
    let first = patches.next();
    (first, patches.collect())
}

/// Makes the definitions this organization lacks and maps every file id to its own.
pub(super) async fn apply_definitions(
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
pub(super) async fn categories(
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
