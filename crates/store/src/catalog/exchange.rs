//! Catalog exchange: reading products as export documents, page by page, and applying import
//! documents through the same write path as every API.

use super::products::{insert_product, save_product, upsert_existing};
use crate::Store;
use crate::db::{Conn, Row, Val, placeholders};
use crate::error::StoreError;
use crate::load;
use pimento_core::CoreError;
use pimento_core::attribute::{AttributeInput, AttributeType};
use pimento_core::audit::Action;
use pimento_core::auth::Ctx;
use pimento_core::exchange::{ExternalDoc, ProductDoc, VariantDoc};
use pimento_core::ids::{BrandId, CategoryId, OptionId, OrganizationId, ProductId};
use pimento_core::job::{JobSummary, RowError};
use pimento_core::media::{MediaAssetInput, MediaInput, MediaSource};
use pimento_core::money::{Currency, Money};
use pimento_core::options::{OptionInput, OptionSelection};
use pimento_core::patch::Patch;
use pimento_core::product::{Classification, ProductInput, ProductStatus};
use pimento_core::sync::SyncSourceInput;
use pimento_core::taxonomy::{BrandInput, CategoryInput, CategoryRef};
use pimento_core::variant::VariantInput;
use std::collections::HashMap;

/// Names the export needs beside each product: category paths and brands.
#[derive(Debug, Clone, Default)]
pub struct ExportNames {
    categories: HashMap<CategoryId, Vec<String>>,
    brands: HashMap<BrandId, String>,
}

impl ExportNames {
    async fn load(c: &mut Conn<'_>, org: OrganizationId) -> Result<Self, StoreError> {
        let rows = c
            .fetch_all(
                "SELECT id, name, path FROM categories WHERE organization_id = $1",
                crate::args![org],
            )
            .await?;
        let mut names: HashMap<String, String> = HashMap::new();
        let mut paths: Vec<(CategoryId, String)> = Vec::new();
        for r in &rows {
            let id: CategoryId = r.id("id")?;
            names.insert(id.0.simple().to_string(), r.get("name")?);
            paths.push((id, r.get("path")?));
        }
        let categories = paths
            .into_iter()
            .map(|(id, path)| {
                let chain = path
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .filter_map(|seg| names.get(seg).cloned())
                    .collect();
                (id, chain)
            })
            .collect();
        let brands = c
            .fetch_all(
                "SELECT id, name FROM brands WHERE organization_id = $1",
                crate::args![org],
            )
            .await?
            .iter()
            .map(|r| Ok((r.id("id")?, r.get("name")?)))
            .collect::<Result<_, StoreError>>()?;
        Ok(ExportNames { categories, brands })
    }
}

impl Store {
    /// What an export of the organization needs up front: the names of its categories and
    /// brands, the number of products it will write, and the most options any product has.
    pub async fn export_start(&self, org: OrganizationId) -> Result<(ExportNames, u64, usize), StoreError> {
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        let names = ExportNames::load(&mut c, org).await?;
        let total: i64 = c
            .fetch_one(
                "SELECT COUNT(*) AS n FROM products WHERE organization_id = $1 AND archived_at IS NULL",
                crate::args![org],
            )
            .await?
            .get("n")?;
        let slots: i64 = c
            .fetch_one(
                "SELECT CAST(COALESCE(MAX(n), 0) AS BIGINT) AS n FROM (SELECT COUNT(*) AS n FROM product_options po \
                 JOIN products p ON p.id = po.product_id WHERE p.organization_id = $1 GROUP BY po.product_id) t",
                crate::args![org],
            )
            .await?
            .get("n")?;
        Ok((names, total as u64, slots as usize))
    }

    /// The next page of live products as export documents, in id order after `after`.
    pub async fn export_page(
        &self,
        org: OrganizationId,
        names: &ExportNames,
        after: Option<ProductId>,
        limit: usize,
    ) -> Result<Vec<ProductDoc>, StoreError> {
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        let tail = "AND p.archived_at IS NULL AND p.id > $2 ORDER BY p.id LIMIT $3";
        let after = after.unwrap_or(ProductId(uuid::Uuid::nil()));
        docs_where(&mut c, org, names, tail, crate::args![org, after, limit as i64]).await
    }
}

const DOC_PRODUCT: &str = "SELECT p.id, p.handle, p.name, p.description, p.status, p.category_id, p.brand_id, \
p.attributes, r.sync_source, r.sync_source_id FROM products p LEFT JOIN external_refs r ON r.id = p.primary_ref_id \
WHERE p.organization_id = $1 ";

/// Export documents of the products a tail selects (`AND … ORDER BY p.id`), with their options,
/// variants and media read by id range: four statements per page.
async fn docs_where(
    c: &mut Conn<'_>,
    org: OrganizationId,
    names: &ExportNames,
    tail: &str,
    args: Vec<Val>,
) -> Result<Vec<ProductDoc>, StoreError> {
    let rows = c.fetch_all(format!("{DOC_PRODUCT}{tail}"), args).await?;
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Ok(Vec::new());
    };
    let lo: ProductId = first.id("id")?;
    let hi: ProductId = last.id("id")?;
    let mut docs = Vec::with_capacity(rows.len());
    let mut index: HashMap<ProductId, usize> = HashMap::with_capacity(rows.len());
    for r in &rows {
        let id: ProductId = r.id("id")?;
        index.insert(id, docs.len());
        docs.push(product_doc(r, names)?);
    }
    let range = crate::args![org, lo, hi];
    // Option order per product, to line each variant's values up with it.
    let mut option_order: HashMap<ProductId, Vec<OptionId>> = HashMap::new();
    for r in c
        .fetch_all(
            "SELECT po.product_id, po.option_id, o.name FROM product_options po JOIN options o ON o.id = po.option_id \
             WHERE o.organization_id = $1 AND po.product_id >= $2 AND po.product_id <= $3 ORDER BY po.product_id, po.rank",
            range.clone(),
        )
        .await?
    {
        let pid: ProductId = r.id("product_id")?;
        if let Some(&i) = index.get(&pid) {
            docs[i].options.push(r.get("name")?);
            option_order.entry(pid).or_default().push(r.id("option_id")?);
        }
    }
    let mut variant_pos: HashMap<uuid::Uuid, (usize, usize)> = HashMap::new();
    let mut current: Option<uuid::Uuid> = None;
    for r in c
        .fetch_all(
            "SELECT v.product_id, v.id, v.title, v.sku, v.barcode, v.price_minor, v.currency, v.inventory_quantity, \
             r.sync_source, r.sync_source_id, vov.option_id, ov.value FROM variants v \
             LEFT JOIN external_refs r ON r.id = v.primary_ref_id \
             LEFT JOIN variant_option_values vov ON vov.variant_id = v.id \
             LEFT JOIN option_values ov ON ov.id = vov.value_id \
             WHERE v.organization_id = $1 AND v.product_id >= $2 AND v.product_id <= $3 \
             ORDER BY v.product_id, v.rank, v.id",
            range.clone(),
        )
        .await?
    {
        let pid: ProductId = r.id("product_id")?;
        let Some(&i) = index.get(&pid) else { continue };
        let vid: uuid::Uuid = r.get("id")?;
        if current != Some(vid) {
            current = Some(vid);
            let n_options = docs[i].options.len();
            docs[i].variants.push(variant_doc(&r, n_options)?);
            variant_pos.insert(vid, (i, docs[i].variants.len() - 1));
        }
        if let (Some(oid), Some(value)) = (r.opt_id::<OptionId>("option_id")?, r.get::<Option<String>>("value")?) {
            let slot = option_order.get(&pid).and_then(|o| o.iter().position(|x| *x == oid));
            if let (Some(slot), Some(v)) = (slot, docs[i].variants.last_mut()) {
                v.options[slot] = value;
            }
        }
    }
    for r in c
        .fetch_all(
            "SELECT pm.product_id, pm.variant_id, COALESCE(a.public_url, a.source_url) AS url FROM product_media pm \
             JOIN media_assets a ON a.id = pm.media_asset_id \
             WHERE pm.organization_id = $1 AND pm.product_id >= $2 AND pm.product_id <= $3 \
             ORDER BY pm.product_id, pm.position, pm.id",
            range,
        )
        .await?
    {
        let pid: ProductId = r.id("product_id")?;
        let Some(&i) = index.get(&pid) else { continue };
        let Some(url) = r.get::<Option<String>>("url")? else {
            continue;
        };
        match r.opt_id::<uuid::Uuid>("variant_id")?.and_then(|v| variant_pos.get(&v)) {
            Some(&(pi, vi)) => docs[pi].variants[vi].media.push(url),
            None => docs[i].media.push(url),
        }
    }
    Ok(docs)
}

fn external(r: &Row) -> Result<Option<ExternalDoc>, StoreError> {
    Ok(
        match (
            r.get::<Option<String>>("sync_source")?,
            r.get::<Option<String>>("sync_source_id")?,
        ) {
            (Some(source), Some(id)) => Some(ExternalDoc { source, id }),
            _ => None,
        },
    )
}

fn product_doc(r: &Row, names: &ExportNames) -> Result<ProductDoc, StoreError> {
    let category: Option<CategoryId> = r.opt_id("category_id")?;
    let brand: Option<BrandId> = r.opt_id("brand_id")?;
    Ok(ProductDoc {
        id: Some(r.id("id")?),
        handle: r.get("handle")?,
        title: r.get("name")?,
        description: r.get("description")?,
        status: r.get("status")?,
        category: category
            .and_then(|c| names.categories.get(&c).cloned())
            .unwrap_or_default(),
        brand: brand.and_then(|b| names.brands.get(&b).cloned()),
        attributes: match r.json("attributes")? {
            Some(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        },
        external: external(r)?,
        options: Vec::new(),
        media: Vec::new(),
        variants: Vec::new(),
    })
}

fn variant_doc(r: &Row, n_options: usize) -> Result<VariantDoc, StoreError> {
    let price = match (
        r.get::<Option<i64>>("price_minor")?,
        r.get::<Option<String>>("currency")?,
    ) {
        (Some(minor), Some(code)) => {
            let currency = Currency::parse("currency", &code).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Some((Money { minor, currency }.to_decimal_string(), code))
        }
        _ => None,
    };
    Ok(VariantDoc {
        id: Some(r.id("id")?),
        title: r.get("title")?,
        sku: r.get("sku")?,
        barcode: r.get("barcode")?,
        price: price.as_ref().map(|p| p.0.clone()),
        currency: price.map(|p| p.1),
        inventory_quantity: r.get("inventory_quantity")?,
        options: vec![String::new(); n_options],
        external: external(r)?,
        media: Vec::new(),
    })
}

/// One document to import, with the input lines it came from (one per variant for CSV).
#[derive(Debug, Clone)]
pub struct ImportItem {
    pub line: u64,
    /// The line of each variant, when the file gives each its own.
    pub variant_lines: Vec<u64>,
    pub doc: ProductDoc,
}

/// Applies import documents inside a job chunk's transaction. Each product goes in under a
/// savepoint: one that fails is rolled back and reported while the others go in. In a dry run
/// every product is rolled back after it has been applied, so the report is exact.
pub async fn import_items(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    items: Vec<ImportItem>,
    dry_run: bool,
) -> Result<(JobSummary, Vec<RowError>), StoreError> {
    let mut summary = JobSummary::default();
    let mut errors = Vec::new();
    for item in items {
        c.execute("SAVEPOINT import_item", vec![]).await?;
        let result = import_one(c, ctx, &item.doc).await;
        let keep = result.is_ok() && !dry_run;
        c.execute(
            if keep {
                "RELEASE SAVEPOINT import_item"
            } else {
                "ROLLBACK TO SAVEPOINT import_item"
            },
            vec![],
        )
        .await?;
        if !keep {
            // Released only after the rollback: both backends keep the savepoint until then.
            c.execute("RELEASE SAVEPOINT import_item", vec![]).await?;
        }
        match result {
            Ok(Imported::Created) => summary.created += 1,
            Ok(Imported::Updated) => summary.updated += 1,
            Ok(Imported::Unchanged) => summary.unchanged += 1,
            Err(StoreError::Domain(e)) => {
                summary.failed += 1;
                errors.push(RowError::from_core(Some(line_of(&item, &e)), &e));
            }
            Err(other) => return Err(other),
        }
    }
    Ok((summary, errors))
}

/// The input line an error belongs to: a variant's own line when the error names a variant.
fn line_of(item: &ImportItem, e: &CoreError) -> u64 {
    let variant = e
        .field()
        .and_then(|f| f.strip_prefix("variants["))
        .and_then(|f| f.split(']').next())
        .and_then(|n| n.parse::<usize>().ok());
    variant
        .and_then(|i| item.variant_lines.get(i).copied())
        .unwrap_or(item.line)
}

enum Imported {
    Created,
    Updated,
    Unchanged,
}

async fn import_one(c: &mut Conn<'_>, ctx: &Ctx, doc: &ProductDoc) -> Result<Imported, StoreError> {
    if doc.handle.trim().is_empty() {
        return Err(CoreError::invalid("handle", "is required").into());
    }
    let status = ProductStatus::parse(&doc.status.to_ascii_lowercase())
        .ok_or_else(|| CoreError::invalid("status", format!("'{}' is not a product status", doc.status)))?;
    for (i, v) in doc.variants.iter().enumerate() {
        if v.options.len() != doc.options.len() {
            return Err(CoreError::invalid(
                format!("variants[{i}].options"),
                format!("gives {} values for {} options", v.options.len(), doc.options.len()),
            )
            .into());
        }
    }
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
    let input = product_input(c, ctx, doc, status).await?;
    let p = input.validate()?;
    match existing {
        Some(id) => {
            upsert_existing(c, ctx, id, p).await?;
            let (before, _) = load::product(c, ctx.org(), id)
                .await?
                .ok_or(CoreError::NotFound(pimento_core::Entity::Product))?;
            if before.status != status {
                let mut after = before.clone();
                after.status = status;
                save_product(c, ctx, &before, &after, Action::Update).await?;
            }
            attach_variant_media(c, ctx, id, doc).await?;
            Ok(Imported::Updated)
        }
        None => {
            let id = insert_product(c, ctx, p).await?;
            attach_variant_media(c, ctx, id, doc).await?;
            Ok(Imported::Created)
        }
    }
}

/// The product an import document names: by its external reference, then a variant's SKU,
/// then its handle.
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

/// The create request a document amounts to, with the categories, brand, attributes and
/// options it names found or created.
async fn product_input(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    doc: &ProductDoc,
    status: ProductStatus,
) -> Result<ProductInput, StoreError> {
    let category = if doc.category.is_empty() {
        Patch::Keep
    } else {
        Patch::Set(CategoryRef::Id(category_path(c, ctx, &doc.category).await?))
    };
    let brand_id = match &doc.brand {
        Some(name) => Patch::Set(brand(c, ctx, name).await?),
        None => Patch::Keep,
    };
    ensure_attributes(c, ctx, &doc.attributes).await?;
    let mut option_ids = Vec::with_capacity(doc.options.len());
    for (n, name) in doc.options.iter().enumerate() {
        let values: Vec<&str> = doc.variants.iter().map(|v| v.options[n].as_str()).collect();
        option_ids.push(option(c, ctx, name, &values).await?);
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
            template_id: Patch::Keep,
            attributes: doc.attributes.clone(),
        },
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
            .map_err(|e| e.within(&format!("variants[{i}].media")))?;
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

async fn brand(c: &mut Conn<'_>, ctx: &Ctx, name: &str) -> Result<BrandId, StoreError> {
    let row = c
        .fetch_optional(
            "SELECT id FROM brands WHERE organization_id = $1 AND lower(name) = lower($2)",
            crate::args![ctx.org(), name],
        )
        .await?;
    match row {
        Some(r) => r.id("id"),
        None => {
            let input = BrandInput {
                name: name.to_owned(),
                ..BrandInput::default()
            };
            Ok(super::brands::insert_brand(c, ctx, input)
                .await
                .map_err(|e| within(e, "brand"))?
                .id)
        }
    }
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
    let row = c
        .fetch_optional(
            "SELECT id FROM options WHERE organization_id = $1 AND lower(name) = lower($2)",
            crate::args![ctx.org(), name],
        )
        .await?;
    let mut distinct: Vec<String> = Vec::new();
    for v in values {
        if !v.is_empty() && !distinct.iter().any(|d| d.eq_ignore_ascii_case(v)) {
            distinct.push((*v).to_owned());
        }
    }
    match row {
        Some(r) => {
            let id: OptionId = r.id("id")?;
            super::options::add_missing_values(c, id, &distinct).await?;
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
