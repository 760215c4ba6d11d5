//! Applying import documents through the same write path as every API, a chunk at a time.
//!
//! A chunk finds the products its documents name with one lookup per key kind (external
//! reference, SKU, handle), compares the existing ones with their stored documents (read
//! together), and creates the new ones in one batch (`create::insert_products`). Products that
//! change, and documents that name a product an earlier document of the chunk also names, go
//! one at a time under a savepoint, so one that fails is rolled back and reported while the
//! others go in. In a dry run the whole chunk is rolled back after it has been applied, so the
//! report is exact.

use super::batch::rows_in;
use super::docs::docs_where;
use super::exchange::{ExportNames, StoredDocs};
use super::products::upsert_existing;
use crate::db::{Conn, Val, placeholders};
use crate::error::StoreError;
use crate::load;
use pimento_core::attribute::{AttributeInput, AttributeType, TemplateInput};
use pimento_core::auth::Ctx;
use pimento_core::exchange::{ExternalDoc, ProductDoc};
use pimento_core::field::Step;
use pimento_core::ids::{BrandId, CategoryId, OptionId, ProductId, TemplateId};
use pimento_core::job::{JobSummary, RowError};
use pimento_core::media::{MediaAssetInput, MediaInput, MediaSource};
use pimento_core::options::{OptionInput, OptionSelection};
use pimento_core::patch::Patch;
use pimento_core::product::{Classification, NewProduct, ProductInput, ProductStatus};
use pimento_core::sync::SyncSourceInput;
use pimento_core::taxonomy::{BrandInput, CategoryInput, CategoryRef};
use pimento_core::variant::VariantInput;
use pimento_core::{CoreError, FieldPath};
use std::collections::{HashMap, HashSet};

/// One document to import, with the input lines it came from (one per variant for CSV).
#[derive(Debug, Clone)]
pub struct ImportItem {
    pub line: u64,
    /// The line of each variant, when the file gives each its own.
    pub variant_lines: Vec<u64>,
    pub doc: ProductDoc,
}

/// What importing one document did.
enum Imported {
    Created,
    Updated,
    Unchanged,
}

/// Tallies outcomes and row errors.
#[derive(Default)]
struct Report {
    summary: JobSummary,
    errors: Vec<RowError>,
}

impl Report {
    fn add(&mut self, item: &ImportItem, outcome: Result<Imported, StoreError>) -> Result<(), StoreError> {
        match outcome {
            Ok(Imported::Created) => self.summary.created += 1,
            Ok(Imported::Updated) => self.summary.updated += 1,
            Ok(Imported::Unchanged) => self.summary.unchanged += 1,
            Err(StoreError::Domain(e)) => {
                self.summary.failed += 1;
                self.errors.push(RowError::from_core(Some(line_of(item, &e)), &e));
            }
            Err(other) => return Err(other),
        }
        Ok(())
    }
}

/// Applies import documents inside a job chunk's transaction; `stored` reads the documents of
/// the products they name (`Store::stored_docs`, one for the whole import).
pub async fn import_items(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    items: Vec<ImportItem>,
    dry_run: bool,
    stored: &mut StoredDocs,
) -> Result<(JobSummary, Vec<RowError>), StoreError> {
    if dry_run {
        c.execute("SAVEPOINT import_dry_run", vec![]).await?;
    }
    let mut report = Report::default();
    let result = import_chunk(c, ctx, &items, &mut report, stored).await;
    if dry_run {
        // Rolled back whatever happened; released only after the rollback, as both backends want.
        c.execute("ROLLBACK TO SAVEPOINT import_dry_run", vec![]).await?;
        c.execute("RELEASE SAVEPOINT import_dry_run", vec![]).await?;
    }
    result?;
    Ok((report.summary, report.errors))
}

async fn import_chunk(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    items: &[ImportItem],
    report: &mut Report,
    reader: &mut StoredDocs,
) -> Result<(), StoreError> {
    // Documents that cannot be imported whatever the catalog holds.
    let mut checked: Vec<(&ImportItem, ProductStatus)> = Vec::with_capacity(items.len());
    for item in items {
        match check(&item.doc) {
            Ok(status) => checked.push((item, status)),
            Err(e) => report.add(item, Err(e.into()))?,
        }
    }
    let existing = find_all(c, ctx, &checked).await?;
    let names = ExportNames::load(c, ctx.org()).await?;
    let ids: Vec<ProductId> = existing.iter().flatten().copied().collect();
    let stored = reader.read(c, ctx.org(), &names, ids).await?;

    // A document naming what an earlier one of the chunk names waits until that one is in.
    let mut seen = Keys::default();
    let mut fresh: Vec<(&ImportItem, ProductStatus)> = Vec::new();
    let mut one_by_one: Vec<(&ImportItem, ProductStatus, Option<ProductId>)> = Vec::new();
    let mut later: Vec<&ImportItem> = Vec::new();
    for ((item, status), found) in checked.into_iter().zip(existing) {
        if !seen.insert(&item.doc) {
            later.push(item);
            continue;
        }
        match found {
            Some(id) if stored.get(&id).is_some_and(|s| item.doc.is_satisfied_by(s)) => {
                report.add(item, Ok(Imported::Unchanged))?;
            }
            Some(id) => one_by_one.push((item, status, Some(id))),
            None => fresh.push((item, status)),
        }
    }

    create_all(c, ctx, fresh, report).await?;
    for (item, status, id) in one_by_one {
        let outcome = savepoint(c, ctx, &item.doc, Alone::Apply(status, id)).await;
        report.add(item, outcome)?;
    }
    for item in later {
        let outcome = savepoint(c, ctx, &item.doc, Alone::Import).await;
        report.add(item, outcome)?;
    }
    Ok(())
}

/// Creates the new products of a chunk in one batch. Should the batch's write be refused all
/// the same (a row another transaction took meanwhile), it is rolled back and its products go
/// one at a time instead.
async fn create_all(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    fresh: Vec<(&ImportItem, ProductStatus)>,
    report: &mut Report,
) -> Result<(), StoreError> {
    if fresh.is_empty() {
        return Ok(());
    }
    c.execute("SAVEPOINT import_batch", vec![]).await?;
    match create_batch(c, ctx, &fresh).await {
        Ok(outcomes) => {
            c.execute("RELEASE SAVEPOINT import_batch", vec![]).await?;
            for ((item, _), outcome) in fresh.iter().zip(outcomes) {
                report.add(item, outcome)?;
            }
        }
        Err(StoreError::Domain(_)) => {
            c.execute("ROLLBACK TO SAVEPOINT import_batch", vec![]).await?;
            c.execute("RELEASE SAVEPOINT import_batch", vec![]).await?;
            for (item, status) in fresh {
                let outcome = savepoint(c, ctx, &item.doc, Alone::Apply(status, None)).await;
                report.add(item, outcome)?;
            }
        }
        Err(other) => return Err(other),
    }
    Ok(())
}

async fn create_batch(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    fresh: &[(&ImportItem, ProductStatus)],
) -> Result<Vec<Result<Imported, StoreError>>, StoreError> {
    let mut taxa = Taxa::default();
    let mut outcomes: Vec<Option<Result<Imported, StoreError>>> = Vec::with_capacity(fresh.len());
    let mut inputs: Vec<NewProduct> = Vec::with_capacity(fresh.len());
    let mut slots: Vec<usize> = Vec::with_capacity(fresh.len());
    for (i, (item, status)) in fresh.iter().enumerate() {
        match product_input(c, ctx, &mut taxa, &item.doc, *status).await {
            Ok(input) => match input.validate() {
                Ok(p) => {
                    inputs.push(p);
                    slots.push(i);
                    outcomes.push(None);
                }
                Err(e) => outcomes.push(Some(Err(e.into()))),
            },
            Err(StoreError::Domain(e)) => outcomes.push(Some(Err(e.into()))),
            Err(other) => return Err(other),
        }
    }
    let created = super::create::insert_products(c, ctx, inputs).await?;
    for (slot, result) in slots.into_iter().zip(created) {
        outcomes[slot] = Some(match result {
            Ok(id) => attach_variant_media(c, ctx, id, &fresh[slot].0.doc)
                .await
                .map(|()| Imported::Created),
            Err(e) => Err(e.into()),
        });
    }
    Ok(outcomes
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Err(StoreError::Corrupt("an import item had no outcome".into()))))
        .collect())
}

/// How one item goes in on its own.
#[derive(Clone, Copy)]
enum Alone {
    /// Its product is known (or known to be new).
    Apply(ProductStatus, Option<ProductId>),
    /// Found by its keys first.
    Import,
}

/// Imports one item under a savepoint: kept when it succeeds, rolled back when not.
async fn savepoint(c: &mut Conn<'_>, ctx: &Ctx, doc: &ProductDoc, how: Alone) -> Result<Imported, StoreError> {
    c.execute("SAVEPOINT import_item", vec![]).await?;
    let result = match how {
        Alone::Apply(status, existing) => apply_one(c, ctx, doc, status, existing).await,
        Alone::Import => import_one(c, ctx, doc).await,
    };
    if result.is_err() {
        c.execute("ROLLBACK TO SAVEPOINT import_item", vec![]).await?;
    }
    // Released only after the rollback: both backends keep the savepoint until then.
    c.execute("RELEASE SAVEPOINT import_item", vec![]).await?;
    result
}

/// The input line an error belongs to: a variant's own line when the error names a variant.
fn line_of(item: &ImportItem, e: &CoreError) -> u64 {
    let variant = e.field().and_then(|f| match f.steps() {
        [Step::Name(n), Step::Index(i), ..] if n == "variants" => Some(*i),
        _ => None,
    });
    variant
        .and_then(|i| item.variant_lines.get(i).copied())
        .unwrap_or(item.line)
}

/// What a document must hold before anything is looked up: a handle, a known status, and one
/// value per option in every variant.
fn check(doc: &ProductDoc) -> Result<ProductStatus, CoreError> {
    if doc.handle.trim().is_empty() {
        return Err(CoreError::invalid("handle", "is required"));
    }
    let status = ProductStatus::read(&doc.status)
        .ok_or_else(|| CoreError::invalid("status", format!("'{}' is not a product status", doc.status)))?;
    for (i, v) in doc.variants.iter().enumerate() {
        if v.options.len() != doc.options.len() {
            return Err(CoreError::invalid(
                format!("variants[{i}].options"),
                format!("gives {} values for {} options", v.options.len(), doc.options.len()),
            ));
        }
    }
    Ok(status)
}

/// The keys a document is found by; `insert` is false when an earlier document had one. The
/// keys of a document that waits are kept too, so one naming it waits behind it, in file order.
#[derive(Default)]
struct Keys<'a> {
    refs: HashSet<(&'a str, &'a str)>,
    skus: HashSet<&'a str>,
    handles: HashSet<&'a str>,
}

impl<'a> Keys<'a> {
    fn insert(&mut self, doc: &'a ProductDoc) -> bool {
        let skus: Vec<&str> = doc.variants.iter().filter_map(|v| v.sku.as_deref()).collect();
        let clash = doc
            .external
            .as_ref()
            .is_some_and(|e| self.refs.contains(&(e.source.as_str(), e.id.as_str())))
            || skus.iter().any(|s| self.skus.contains(s))
            || self.handles.contains(doc.handle.as_str());
        if let Some(e) = &doc.external {
            self.refs.insert((e.source.as_str(), e.id.as_str()));
        }
        self.skus.extend(skus);
        self.handles.insert(doc.handle.as_str());
        !clash
    }
}

/// The product each document names: by its external reference, then a variant's SKU, then its
/// handle; one lookup per key kind for the whole chunk.
async fn find_all(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    items: &[(&ImportItem, ProductStatus)],
) -> Result<Vec<Option<ProductId>>, StoreError> {
    let mut by_source: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut skus: Vec<&str> = Vec::new();
    let mut handles: Vec<&str> = Vec::new();
    for (item, _) in items {
        if let Some(e) = &item.doc.external {
            by_source.entry(e.source.as_str()).or_default().push(e.id.as_str());
        }
        skus.extend(item.doc.variants.iter().filter_map(|v| v.sku.as_deref()));
        handles.push(item.doc.handle.as_str());
    }
    let mut refs: HashMap<(String, String), ProductId> = HashMap::new();
    for (source, ids) in by_source {
        let head = "SELECT sync_source_id, entity_id FROM external_refs WHERE organization_id = $1 \
                    AND entity_type = 'product' AND sync_source = $2 AND sync_source_id";
        let values = ids.iter().map(|s| Val::from(*s)).collect();
        for r in rows_in(c, head, crate::args![ctx.org(), source], values).await? {
            refs.insert((source.to_owned(), r.get("sync_source_id")?), r.id("entity_id")?);
        }
    }
    // The unique index holds SKUs but not products: it answers which SKUs are taken on its
    // own, and only those are looked up in the table.
    let head = "SELECT sku FROM variants WHERE organization_id = $1 AND sku";
    let values = skus.iter().map(|s| Val::from(*s)).collect();
    let taken = rows_in(c, head, crate::args![ctx.org()], values)
        .await?
        .iter()
        .map(|r| r.get::<String>("sku").map(Val::from))
        .collect::<Result<Vec<_>, _>>()?;
    let mut by_sku: HashMap<String, ProductId> = HashMap::new();
    let head = "SELECT sku, product_id FROM variants WHERE organization_id = $1 AND sku";
    for r in rows_in(c, head, crate::args![ctx.org()], taken).await? {
        by_sku.insert(r.get("sku")?, r.id("product_id")?);
    }
    let mut by_handle: HashMap<String, ProductId> = HashMap::new();
    let head = "SELECT handle, id FROM products WHERE organization_id = $1 AND handle";
    let values = handles.iter().map(|s| Val::from(*s)).collect();
    for r in rows_in(c, head, crate::args![ctx.org()], values).await? {
        by_handle.insert(r.get("handle")?, r.id("id")?);
    }
    Ok(items
        .iter()
        .map(|(item, _)| {
            let doc = &item.doc;
            doc.external
                .as_ref()
                .and_then(|e| refs.get(&(e.source.clone(), e.id.clone())).copied())
                .or_else(|| {
                    doc.variants
                        .iter()
                        .find_map(|v| v.sku.as_ref().and_then(|s| by_sku.get(s).copied()))
                })
                .or_else(|| by_handle.get(&doc.handle).copied())
        })
        .collect())
}

/// Imports one document on its own: found by its keys, compared, then created or updated.
async fn import_one(c: &mut Conn<'_>, ctx: &Ctx, doc: &ProductDoc) -> Result<Imported, StoreError> {
    let status = check(doc)?;
    let existing = find_existing(c, ctx, doc).await?;
    if let Some(id) = existing {
        let names = ExportNames::load(c, ctx.org()).await?;
        let stored = docs_where(c, ctx.org(), &names, "AND p.id = $2", crate::args![ctx.org(), id])
            .await?
            .pop();
        if stored.is_some_and(|s| doc.is_satisfied_by(&s)) {
            return Ok(Imported::Unchanged);
        }
    }
    apply_one(c, ctx, doc, status, existing).await
}

/// Creates the product a document describes, or brings the existing one in line with it.
async fn apply_one(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    doc: &ProductDoc,
    status: ProductStatus,
    existing: Option<ProductId>,
) -> Result<Imported, StoreError> {
    let input = product_input(c, ctx, &mut Taxa::default(), doc, status).await?;
    let p = input.validate()?;
    match existing {
        Some(id) => {
            upsert_existing(c, ctx, id, p, Some(status)).await?;
            attach_variant_media(c, ctx, id, doc).await?;
            Ok(Imported::Updated)
        }
        None => {
            let id = super::products::insert_product(c, ctx, p).await?;
            attach_variant_media(c, ctx, id, doc).await?;
            Ok(Imported::Created)
        }
    }
}

/// The product one document names, looked up on its own.
async fn find_existing(c: &mut Conn<'_>, ctx: &Ctx, doc: &ProductDoc) -> Result<Option<ProductId>, StoreError> {
    if let Some(e) = &doc.external {
        let row = c
            .fetch_optional(
                "SELECT entity_id FROM external_refs WHERE organization_id = $1 AND entity_type = 'product' \
                 AND sync_source = $2 AND sync_source_id = $3",
                crate::args![ctx.org(), e.source.as_str(), e.id.as_str()],
            )
            .await?;
        if let Some(r) = row {
            return Ok(Some(r.id("entity_id")?));
        }
    }
    let skus: Vec<&str> = doc.variants.iter().filter_map(|v| v.sku.as_deref()).collect();
    if !skus.is_empty() {
        let mut args = crate::args![ctx.org()];
        args.extend(skus.iter().map(|s| Val::from(*s)));
        let row = c
            .fetch_optional(
                format!(
                    "SELECT product_id FROM variants WHERE organization_id = $1 AND sku IN ({}) LIMIT 1",
                    placeholders(2, skus.len())
                ),
                args,
            )
            .await?;
        if let Some(r) = row {
            return Ok(Some(r.id("product_id")?));
        }
    }
    let row = c
        .fetch_optional(
            "SELECT id FROM products WHERE organization_id = $1 AND handle = $2",
            crate::args![ctx.org(), doc.handle.as_str()],
        )
        .await?;
    row.map(|r| r.id("id")).transpose()
}

/// The taxonomy a chunk has found or created by name, so each name is looked up once.
#[derive(Default)]
struct Taxa {
    categories: HashMap<Vec<String>, CategoryId>,
    /// By lower-cased name.
    brands: HashMap<String, BrandId>,
    /// By lower-cased name.
    templates: HashMap<String, TemplateId>,
    /// Attribute keys known to be defined.
    attributes: HashSet<String>,
    /// By lower-cased name: the option and its lower-cased values.
    options: HashMap<String, (OptionId, HashSet<String>)>,
}

/// The id `cache` holds for this name (ignoring case), or the one `find` gives, then kept.
async fn by_name<T: Copy>(
    cache: &mut HashMap<String, T>,
    name: &str,
    find: impl AsyncFnOnce() -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let key = name.to_lowercase();
    if let Some(id) = cache.get(&key) {
        return Ok(*id);
    }
    let id = find().await?;
    cache.insert(key, id);
    Ok(id)
}

/// The create request a document amounts to, with the categories, brand, attributes and
/// options it names found or created.
async fn product_input(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    taxa: &mut Taxa,
    doc: &ProductDoc,
    status: ProductStatus,
) -> Result<ProductInput, StoreError> {
    let category = if doc.category.is_empty() {
        Patch::Keep
    } else if let Some(id) = taxa.categories.get(&doc.category) {
        Patch::Set(CategoryRef::Id(*id))
    } else {
        let id = category_path(c, ctx, &doc.category).await?;
        taxa.categories.insert(doc.category.clone(), id);
        Patch::Set(CategoryRef::Id(id))
    };
    let brand_id = match &doc.brand {
        Some(name) => Patch::Set(by_name(&mut taxa.brands, name, async || brand(c, ctx, name).await).await?),
        None => Patch::Keep,
    };
    let template_id = match &doc.template {
        Some(name) => Patch::Set(by_name(&mut taxa.templates, name, async || template(c, ctx, name).await).await?),
        None => Patch::Keep,
    };
    let unknown: serde_json::Map<String, serde_json::Value> = doc
        .attributes
        .iter()
        .filter(|(k, _)| !taxa.attributes.contains(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    ensure_attributes(c, ctx, &unknown).await?;
    taxa.attributes
        .extend(unknown.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, _)| k));
    let mut option_ids = Vec::with_capacity(doc.options.len());
    for (n, name) in doc.options.iter().enumerate() {
        let values: Vec<&str> = doc.variants.iter().map(|v| v.options[n].as_str()).collect();
        let key = name.to_lowercase();
        let known = taxa
            .options
            .get(&key)
            .filter(|(_, have)| values.iter().all(|v| v.is_empty() || have.contains(&v.to_lowercase())));
        let id = match known {
            Some((id, _)) => *id,
            None => {
                let id = option(c, ctx, name, &values).await?;
                let entry = taxa.options.entry(key).or_insert_with(|| (id, HashSet::new()));
                entry.1.extend(values.iter().map(|v| v.to_lowercase()));
                id
            }
        };
        option_ids.push(id);
    }
    let variants = doc
        .variants
        .iter()
        .map(|v| VariantInput {
            title: v.title.clone(),
            sku: v.sku.clone(),
            barcode: v.barcode.clone(),
            price: v.price.clone(),
            currency: v.currency.clone(),
            inventory_quantity: Some(v.inventory_quantity),
            metadata: None,
            options: option_ids
                .iter()
                .zip(&v.options)
                .map(|(id, value)| OptionSelection::ByValue {
                    option_id: *id,
                    value: value.clone(),
                })
                .collect(),
            sync: v.external.as_ref().map(sync_input),
            ..VariantInput::default()
        })
        .collect();
    Ok(ProductInput {
        name: doc.title.clone(),
        handle: Some(doc.handle.clone()),
        url: None,
        description: doc.description.clone(),
        status,
        metadata: None,
        default_variant_id: None,
        option_ids,
        variants,
        media: doc.media.iter().map(|u| media_input(u, None)).collect(),
        sync: doc.external.as_ref().map(sync_input),
        classification: Classification {
            category,
            brand_id,
            template_id,
            attributes: doc.attributes.clone(),
            ..Classification::default()
        },
        ..ProductInput::default()
    })
}

fn sync_input(e: &ExternalDoc) -> SyncSourceInput {
    SyncSourceInput {
        sync_source: e.source.clone(),
        sync_source_id: e.id.clone(),
        source_vendor: None,
        source_data: None,
        sync_status: None,
        last_synced_at: None,
    }
}

fn media_input(url: &str, variant: Option<pimento_core::ids::VariantId>) -> MediaInput {
    MediaInput {
        source: MediaSource::New(MediaAssetInput {
            name: None,
            public_url: Some(url.to_owned()),
            source_url: None,
            thumbnail_url: None,
            upload_url: None,
            alt_text: None,
            description: None,
        }),
        position: None,
        purpose: None,
        variant_id: variant,
    }
}

/// Attaches each variant's media (variants found by SKU) that is not attached yet.
async fn attach_variant_media(c: &mut Conn<'_>, ctx: &Ctx, id: ProductId, doc: &ProductDoc) -> Result<(), StoreError> {
    if doc.variants.iter().all(|v| v.media.is_empty()) {
        return Ok(());
    }
    let variants = load::variants_of(c, ctx.org(), &[id.0])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let attached = load::media_of(c, ctx.org(), &[id.0])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let mut next = attached.iter().map(|m| m.position + 1).max().unwrap_or(0);
    for (i, v) in doc.variants.iter().enumerate() {
        let Some(found) = v
            .sku
            .as_ref()
            .and_then(|s| variants.iter().find(|x| x.sku.as_ref() == Some(s)))
        else {
            continue;
        };
        let new: Vec<_> = v
            .media
            .iter()
            .filter(|u| {
                !attached
                    .iter()
                    .any(|m| m.variant_id == Some(found.id) && m.asset.public_url.as_deref() == Some(u.as_str()))
            })
            .map(|u| media_input(u, Some(found.id)).validate())
            .collect::<Result<_, _>>()
            .map_err(|e| e.within(FieldPath::name("variants").index(i).field("media")))?;
        let (ids, changes) =
            super::write::insert_media(c, ctx, id, new, next, Some(&format!("variants[{i}].media"))).await?;
        next += ids.len() as i64;
        crate::audit::record(c, ctx, changes).await?;
    }
    Ok(())
}

/// The category at the end of a path of names, creating the missing ones.
async fn category_path(c: &mut Conn<'_>, ctx: &Ctx, path: &[String]) -> Result<CategoryId, StoreError> {
    let mut parent: Option<CategoryId> = None;
    for name in path {
        let row = c
            .fetch_optional(
                "SELECT id FROM categories WHERE organization_id = $1 AND name = $2 \
                 AND (parent_id = $3 OR ($3 IS NULL AND parent_id IS NULL))",
                crate::args![ctx.org(), name.as_str(), parent],
            )
            .await?;
        parent = Some(match row {
            Some(r) => r.id("id")?,
            None => {
                let input = CategoryInput {
                    name: name.clone(),
                    parent_id: parent,
                    ..CategoryInput::default()
                };
                super::categories::insert_category(c, ctx, input)
                    .await
                    .map_err(|e| within(e, "category"))?
                    .id
            }
        });
    }
    parent.ok_or_else(|| CoreError::invalid("category", "is empty").into())
}

fn within(e: StoreError, field: &str) -> StoreError {
    match e {
        StoreError::Domain(d) => StoreError::Domain(d.within(field)),
        other => other,
    }
}

/// The id of the organization's row of `table` (a literal) with this name, ignoring case.
async fn id_by_name<T: From<uuid::Uuid>>(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    table: &'static str,
    name: &str,
) -> Result<Option<T>, StoreError> {
    let sql = format!("SELECT id FROM {table} WHERE organization_id = $1 AND lower(name) = lower($2)");
    c.fetch_optional(sql, crate::args![ctx.org(), name])
        .await?
        .map(|r| r.id("id"))
        .transpose()
}

/// The brand with this name, created when the organization lacks it.
async fn brand(c: &mut Conn<'_>, ctx: &Ctx, name: &str) -> Result<BrandId, StoreError> {
    if let Some(id) = id_by_name(c, ctx, "brands", name).await? {
        return Ok(id);
    }
    let input = BrandInput {
        name: name.to_owned(),
        ..BrandInput::default()
    };
    Ok(super::brands::insert_brand(c, ctx, input)
        .await
        .map_err(|e| within(e, "brand"))?
        .id)
}

/// The template with this name, created (with no attributes) when the organization lacks it.
async fn template(c: &mut Conn<'_>, ctx: &Ctx, name: &str) -> Result<TemplateId, StoreError> {
    if let Some(id) = id_by_name(c, ctx, "templates", name).await? {
        return Ok(id);
    }
    let input = TemplateInput {
        name: name.to_owned(),
        description: None,
        attributes: Vec::new(),
    };
    Ok(super::templates::insert_template(c, ctx, input)
        .await
        .map_err(|e| within(e, "template"))?
        .id)
}

/// Defines the attributes a document uses that the organization lacks, typed from the value.
async fn ensure_attributes(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    values: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), StoreError> {
    if values.is_empty() {
        return Ok(());
    }
    let keys: Vec<&str> = values.keys().map(String::as_str).collect();
    let known = super::attributes::attributes_by_key(c, ctx.org(), &keys).await?;
    for (key, value) in values {
        if known.iter().any(|(k, _)| k.as_str() == key.as_str()) || value.is_null() {
            continue;
        }
        let attr_type = match value {
            serde_json::Value::Number(_) => AttributeType::Number,
            serde_json::Value::Bool(_) => AttributeType::Boolean,
            _ => AttributeType::Text,
        };
        let input = AttributeInput {
            key: Some(key.clone()),
            name: key.clone(),
            attr_type,
            ..AttributeInput::default()
        };
        super::attributes::insert_attribute(c, ctx, input)
            .await
            .map_err(|e| within(e, &format!("attributes.{key}")))?;
    }
    Ok(())
}

/// The option with this name, created with the values given or extended with new ones.
async fn option(c: &mut Conn<'_>, ctx: &Ctx, name: &str, values: &[&str]) -> Result<OptionId, StoreError> {
    // A shared option only: a product's own option of the same name is that product's alone.
    let found: Option<OptionId> = c
        .fetch_optional(
            "SELECT id FROM options WHERE organization_id = $1 AND product_id IS NULL AND lower(name) = lower($2)",
            crate::args![ctx.org(), name],
        )
        .await?
        .map(|r| r.id("id"))
        .transpose()?;
    let mut distinct: Vec<String> = Vec::new();
    for v in values {
        if !v.is_empty() && !distinct.iter().any(|d| d.eq_ignore_ascii_case(v)) {
            distinct.push((*v).to_owned());
        }
    }
    match found {
        Some(id) => {
            super::options::add_missing_values(c, ctx, id, &distinct).await?;
            Ok(id)
        }
        None => {
            let input = OptionInput {
                name: name.to_owned(),
                values: distinct,
            };
            Ok(super::options::insert_option(c, ctx, input)
                .await
                .map_err(|e| within(e, "options"))?
                .id)
        }
    }
}
