//! What the organization already holds that a batch refers to ([`Facts`]), loaded with one
//! query per kind over the whole batch, and what each item of the batch takes ([`Claims`]), so
//! that every item is checked in memory and two items of one batch cannot take the same thing.

use super::attributes::attributes_by_key;
use crate::db::{Conn, Row, Val, placeholders};
use crate::error::{StoreError, taken};
use crate::load;
use pimento_core::FieldPath;
use pimento_core::attribute::{Attribute, apply_values};
use pimento_core::auth::Ctx;
use pimento_core::ids::{
    BrandId, CategoryId, CollectionId, MediaAssetId, OptionId, ProductTypeId, TagId, TemplateId, VendorId,
};
use pimento_core::media::{NewMedia, NewMediaSource};
use pimento_core::options::VariantOption;
use pimento_core::patch::Patch;
use pimento_core::product::{Classification, Product};
use pimento_core::sync::SyncSource;
use pimento_core::taxonomy::CategoryRef;
use pimento_core::{CoreError, Entity};
use std::collections::{HashMap, HashSet};

/// Values per `IN (…)` list: far below both backends' bound-parameter limits.
pub(crate) const IN_LIST: usize = 1000;

/// The message when a variant id names no variant of the product.
pub const NOT_A_VARIANT: &str = "not a variant of this product";

/// What the organization already holds that a batch refers to. Items checked against it also
/// add what they take (handles, SKUs, sync sources), so two items of one batch cannot claim
/// the same one.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    options: HashMap<OptionId, VariantOption>,
    category_ids: HashSet<CategoryId>,
    category_slugs: HashMap<String, CategoryId>,
    brands: HashSet<BrandId>,
    templates: HashSet<TemplateId>,
    vendors: HashSet<VendorId>,
    collections: HashSet<CollectionId>,
    types: HashSet<ProductTypeId>,
    tags: HashSet<TagId>,
    attributes: HashMap<String, Attribute>,
    /// SKUs taken, by other variants of the organization or by earlier items.
    pub(super) skus: HashSet<String>,
    handles: HashSet<String>,
    /// Sync sources taken: (entity type, source, source id).
    refs: HashSet<(&'static str, String, String)>,
    pub(super) assets: HashSet<MediaAssetId>,
    /// The `seq` the next new product gets, where the writer numbers products (SQLite: one
    /// writer at a time, so the highest is read once inside the write transaction).
    pub(crate) next_seq: Option<i64>,
    /// Product numbers taken for the batch and not given yet, smallest first.
    pub(crate) numbers: std::collections::VecDeque<i64>,
}

/// Rows of `{head} IN (…)` for every value, at most [`IN_LIST`] values per statement. `head`
/// uses `$1…$k` for the `fixed` arguments; the list's placeholders follow.
pub(crate) async fn rows_in(
    c: &mut Conn<'_>,
    head: &str,
    fixed: Vec<Val>,
    values: Vec<Val>,
) -> Result<Vec<Row>, StoreError> {
    let mut out = Vec::new();
    for part in values.chunks(IN_LIST) {
        let mut args = fixed.clone();
        args.extend(part.iter().cloned());
        let sql = format!("{head} IN ({})", placeholders(fixed.len() + 1, part.len()));
        out.extend(c.fetch_all(sql, args).await?);
    }
    Ok(out)
}

fn distinct<T: Eq + std::hash::Hash + Clone + Into<Val>>(items: impl IntoIterator<Item = T>) -> Vec<Val> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|x| seen.insert(x.clone()))
        .map(Into::into)
        .collect()
}

/// Which of these ids rows of `table` (a literal) in the caller's organization have.
async fn found(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    table: &'static str,
    ids: impl Iterator<Item = uuid::Uuid>,
) -> Result<impl Iterator<Item = uuid::Uuid>, StoreError> {
    let ids = distinct(ids);
    let head = format!("SELECT id FROM {table} WHERE organization_id = $1 AND id");
    let rows = rows_in(c, &head, crate::args![ctx.org()], ids).await?;
    let ids = rows
        .iter()
        .map(|r| r.get::<uuid::Uuid>("id"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ids.into_iter())
}

impl Facts {
    /// The options with these ids, with their values.
    pub(crate) async fn load_options(
        &mut self,
        c: &mut Conn<'_>,
        ctx: &Ctx,
        ids: Vec<OptionId>,
    ) -> Result<(), StoreError> {
        let ids = distinct(ids);
        for part in ids.chunks(IN_LIST) {
            let mut args = crate::args![ctx.org()];
            args.extend(part.iter().cloned());
            let tail = format!(
                "WHERE o.organization_id = $1 AND o.id IN ({})",
                placeholders(2, part.len())
            );
            for o in load::options_where(c, "", &tail, args).await? {
                self.options.insert(o.id, o);
            }
        }
        Ok(())
    }

    /// An option the batch makes itself (a new product's own), known without a query.
    pub(crate) fn add_option(&mut self, o: VariantOption) {
        self.options.insert(o.id, o);
    }

    /// The categories, brands, templates and attribute definitions the classifications name.
    pub(crate) async fn load_classifications(
        &mut self,
        c: &mut Conn<'_>,
        ctx: &Ctx,
        all: &[&Classification],
    ) -> Result<(), StoreError> {
        let ids = all.iter().filter_map(|k| match &k.category {
            Patch::Set(CategoryRef::Id(id)) => Some(id.0),
            _ => None,
        });
        self.category_ids
            .extend(found(c, ctx, "categories", ids).await?.map(CategoryId));
        let slugs = distinct(all.iter().filter_map(|k| match &k.category {
            Patch::Set(CategoryRef::Slug(s)) => Some(s.clone()),
            _ => None,
        }));
        let head = "SELECT id, slug FROM categories WHERE organization_id = $1 AND slug";
        for r in rows_in(c, head, crate::args![ctx.org()], slugs).await? {
            self.category_slugs.insert(r.get("slug")?, r.id("id")?);
        }
        let brands = all.iter().filter_map(|k| match k.brand_id {
            Patch::Set(id) => Some(id.0),
            _ => None,
        });
        self.brands.extend(found(c, ctx, "brands", brands).await?.map(BrandId));
        let templates = all.iter().filter_map(|k| match k.template_id {
            Patch::Set(id) => Some(id.0),
            _ => None,
        });
        self.templates
            .extend(found(c, ctx, "templates", templates).await?.map(TemplateId));
        let vendors = all.iter().filter_map(|k| match k.vendor_id {
            Patch::Set(id) => Some(id.0),
            _ => None,
        });
        self.vendors
            .extend(found(c, ctx, "vendors", vendors).await?.map(VendorId));
        let collections = all.iter().filter_map(|k| match k.collection_id {
            Patch::Set(id) => Some(id.0),
            _ => None,
        });
        self.collections
            .extend(found(c, ctx, "collections", collections).await?.map(CollectionId));
        let types = all.iter().filter_map(|k| match k.type_id {
            Patch::Set(id) => Some(id.0),
            _ => None,
        });
        self.types
            .extend(found(c, ctx, "product_types", types).await?.map(ProductTypeId));
        let tags: Vec<uuid::Uuid> = all.iter().flat_map(|k| k.tags.iter().flatten()).map(|t| t.0).collect();
        self.tags
            .extend(found(c, ctx, "tags", tags.into_iter()).await?.map(TagId));
        let mut keys: Vec<&str> = Vec::new();
        for k in all {
            keys.extend(k.attributes.keys().map(String::as_str));
        }
        keys.sort_unstable();
        keys.dedup();
        for part in keys.chunks(IN_LIST) {
            self.attributes.extend(attributes_by_key(c, ctx.org(), part).await?);
        }
        Ok(())
    }

    /// Which of these SKUs variants of the organization already have.
    pub(crate) async fn load_skus(&mut self, c: &mut Conn<'_>, ctx: &Ctx, skus: Vec<String>) -> Result<(), StoreError> {
        let skus = distinct(skus);
        let head = "SELECT sku FROM variants WHERE organization_id = $1 AND sku";
        for r in rows_in(c, head, crate::args![ctx.org()], skus).await? {
            self.skus.insert(r.get("sku")?);
        }
        Ok(())
    }

    /// [`Facts::load_skus`] and [`Facts::load_handles`], in one query when both lists are short
    /// (a create's are): a statement fewer in the writer's turn.
    pub(crate) async fn load_skus_and_handles(
        &mut self,
        c: &mut Conn<'_>,
        ctx: &Ctx,
        skus: Vec<String>,
        handles: Vec<String>,
    ) -> Result<(), StoreError> {
        if skus.is_empty() || handles.is_empty() || skus.len() + handles.len() > IN_LIST {
            self.load_skus(c, ctx, skus).await?;
            return self.load_handles(c, ctx, handles).await;
        }
        let (skus, handles) = (distinct(skus), distinct(handles));
        let sql = format!(
            "SELECT 'sku' AS kind, sku AS taken FROM variants WHERE organization_id = $1 AND sku IN ({}) \
             UNION ALL SELECT 'handle' AS kind, handle AS taken FROM products WHERE organization_id = $1 AND handle IN ({})",
            placeholders(2, skus.len()),
            placeholders(2 + skus.len(), handles.len())
        );
        let mut args = crate::args![ctx.org()];
        args.extend(skus);
        args.extend(handles);
        for r in c.fetch_all(sql, args).await? {
            let taken: String = r.get("taken")?;
            if r.get::<String>("kind")? == "sku" {
                self.skus.insert(taken);
            } else {
                self.handles.insert(taken);
            }
        }
        Ok(())
    }

    /// Which of these handles products of the organization already have.
    pub(crate) async fn load_handles(
        &mut self,
        c: &mut Conn<'_>,
        ctx: &Ctx,
        handles: Vec<String>,
    ) -> Result<(), StoreError> {
        let handles = distinct(handles);
        let head = "SELECT handle FROM products WHERE organization_id = $1 AND handle";
        for r in rows_in(c, head, crate::args![ctx.org()], handles).await? {
            self.handles.insert(r.get("handle")?);
        }
        Ok(())
    }

    /// Which of these sync sources (of products or variants) are linked already.
    pub(crate) async fn load_refs(
        &mut self,
        c: &mut Conn<'_>,
        ctx: &Ctx,
        refs: Vec<(Entity, &SyncSource)>,
    ) -> Result<(), StoreError> {
        // One list per entity type and source, so each lookup is a range of the unique index.
        let mut groups: HashMap<(&'static str, String), Vec<String>> = HashMap::new();
        for (entity, s) in refs {
            groups
                .entry((entity.as_str(), s.sync_source.clone()))
                .or_default()
                .push(s.sync_source_id.clone());
        }
        for ((entity, source), ids) in groups {
            let head = "SELECT sync_source_id FROM external_refs WHERE organization_id = $1 AND entity_type = $2 \
                        AND sync_source = $3 AND sync_source_id";
            let fixed = crate::args![ctx.org(), entity, source.as_str()];
            for r in rows_in(c, head, fixed, distinct(ids)).await? {
                self.refs.insert((entity, source.clone(), r.get("sync_source_id")?));
            }
        }
        Ok(())
    }

    /// Which of these media assets the organization has.
    pub(crate) async fn load_assets(
        &mut self,
        c: &mut Conn<'_>,
        ctx: &Ctx,
        media: &[&NewMedia],
    ) -> Result<(), StoreError> {
        let ids = distinct(media.iter().filter_map(|m| match m.asset {
            NewMediaSource::Existing(id) => Some(id),
            NewMediaSource::New(_) => None,
        }));
        let head = "SELECT id FROM media_assets WHERE organization_id = $1 AND id";
        for r in rows_in(c, head, crate::args![ctx.org()], ids).await? {
            self.assets.insert(r.id("id")?);
        }
        Ok(())
    }

    /// The options with these ids, in this order; the index of the first unknown one otherwise.
    pub(crate) fn options_in_order(&self, ids: &[OptionId]) -> Result<Vec<VariantOption>, usize> {
        ids.iter()
            .enumerate()
            .map(|(i, id)| self.options.get(id).cloned().ok_or(i))
            .collect()
    }

    /// The category a reference names, if it is the organization's.
    pub(crate) fn category(&self, r: &CategoryRef) -> Result<CategoryId, CoreError> {
        let found = match r {
            CategoryRef::Id(id) => self.category_ids.get(id).copied(),
            CategoryRef::Slug(s) => self.category_slugs.get(s).copied(),
        };
        found.ok_or_else(|| no_category(r))
    }

    /// Applies a classification to a product about to be written. Every id and slug must belong
    /// to the caller's organization; an unknown one is refused naming the field.
    pub(crate) fn classify(&self, product: &mut Product, cls: Classification) -> Result<(), CoreError> {
        product.category_id = match cls.category {
            Patch::Keep => product.category_id,
            Patch::Clear => None,
            Patch::Set(r) => Some(self.category(&r)?),
        };
        product.brand_id = match cls.brand_id {
            Patch::Set(id) if !self.brands.contains(&id) => {
                return Err(CoreError::invalid("brand_id", "brand not found"));
            }
            other => other.apply(product.brand_id),
        };
        product.template_id = match cls.template_id {
            Patch::Set(id) if !self.templates.contains(&id) => {
                return Err(CoreError::invalid("template_id", "template not found"));
            }
            other => other.apply(product.template_id),
        };
        if !cls.attributes.is_empty() {
            product.attributes = apply_values(&self.attributes, product.attributes.take(), cls.attributes)?;
        }
        product.vendor_id = match cls.vendor_id {
            Patch::Set(id) if !self.vendors.contains(&id) => {
                return Err(CoreError::invalid("vendor_id", "vendor not found"));
            }
            other => other.apply(product.vendor_id),
        };
        product.collection_id = match cls.collection_id {
            Patch::Set(id) if !self.collections.contains(&id) => {
                return Err(CoreError::invalid("collection_id", "collection not found"));
            }
            other => other.apply(product.collection_id),
        };
        product.type_id = match cls.type_id {
            Patch::Set(id) if !self.types.contains(&id) => {
                return Err(CoreError::invalid("type_id", "product type not found"));
            }
            other => other.apply(product.type_id),
        };
        if let Some(i) = cls.tags.iter().flatten().position(|t| !self.tags.contains(t)) {
            return Err(CoreError::invalid(FieldPath::name("tags").index(i), "tag not found"));
        }
        Ok(())
    }

    /// Refuses a handle another product has.
    pub(crate) fn check_handle(&self, handle: &str) -> Result<(), CoreError> {
        if self.handles.contains(handle) {
            return Err(taken("ux_products_handle"));
        }
        Ok(())
    }

    /// Refuses a sync source that is linked already, or that `claims` holds.
    pub(crate) fn check_claim(&self, claims: &Claims, entity: Entity, s: &SyncSource) -> Result<(), CoreError> {
        let key = (entity.as_str(), s.sync_source.clone(), s.sync_source_id.clone());
        if self.refs.contains(&key) || claims.refs.contains(&key) {
            return Err(taken("ux_external_refs_source"));
        }
        Ok(())
    }

    /// Marks what an item that passed takes, so later items of the batch cannot take it too.
    pub(crate) fn take(&mut self, claims: Claims) {
        self.skus.extend(claims.skus);
        self.handles.extend(claims.handle);
        self.refs.extend(claims.refs);
    }
}

/// What one item takes that must stay unique: its handle, SKUs and sync sources.
#[derive(Debug, Default)]
pub(crate) struct Claims {
    pub(crate) handle: Option<String>,
    pub(super) skus: Vec<String>,
    refs: Vec<(&'static str, String, String)>,
}

impl Claims {
    /// Adds a sync source.
    pub(crate) fn add_ref(&mut self, entity: Entity, s: &SyncSource) {
        self.refs
            .push((entity.as_str(), s.sync_source.clone(), s.sync_source_id.clone()));
    }
}

/// The refusal for a category reference the organization does not have.
pub(crate) fn no_category(r: &CategoryRef) -> CoreError {
    match r {
        CategoryRef::Id(id) => CoreError::invalid("category_id", format!("no category '{id}' in this organization")),
        CategoryRef::Slug(s) => CoreError::invalid("category", format!("no category '{s}' in this organization")),
    }
}
