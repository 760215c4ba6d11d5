//! Catalog exchange: reading products as export documents, page by page (imports compare
//! with them too).

use crate::Store;
use crate::db::{Conn, Row, Val, placeholders};
use crate::error::StoreError;
use pimento_core::exchange::{ExternalDoc, ProductDoc, VariantDoc};
use pimento_core::ids::{BrandId, CategoryId, OptionId, OrganizationId, ProductId};
use pimento_core::money::{Currency, Money};
use std::collections::HashMap;

/// Names the export needs beside each product: category paths and brands.
#[derive(Debug, Clone, Default)]
pub struct ExportNames {
    categories: HashMap<CategoryId, Vec<String>>,
    brands: HashMap<BrandId, String>,
}

impl ExportNames {
    pub(super) async fn load(c: &mut Conn<'_>, org: OrganizationId) -> Result<Self, StoreError> {
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

/// The stored export documents of these products, by id.
pub(super) async fn stored_docs(
    c: &mut Conn<'_>,
    org: OrganizationId,
    names: &ExportNames,
    ids: &mut [ProductId],
) -> Result<HashMap<ProductId, ProductDoc>, StoreError> {
    ids.sort_unstable();
    let mut out = HashMap::with_capacity(ids.len());
    // Children are read by id range, so sorted runs of ids keep each read tight.
    for part in ids.chunks(super::batch::IN_LIST) {
        let mut args = crate::args![org];
        args.extend(part.iter().map(|id| Val::from(*id)));
        let tail = format!("AND p.id IN ({}) ORDER BY p.id", placeholders(2, part.len()));
        for d in docs_where(c, org, names, &tail, args).await? {
            if let Some(id) = d.id {
                out.insert(id, d);
            }
        }
    }
    Ok(out)
}

const DOC_PRODUCT: &str = "SELECT p.id, p.handle, p.name, p.description, p.status, p.category_id, p.brand_id, \
p.attributes, r.sync_source, r.sync_source_id FROM products p LEFT JOIN external_refs r ON r.id = p.primary_ref_id \
WHERE p.organization_id = $1 ";

/// Export documents of the products a tail selects (`AND … ORDER BY p.id`), with their options,
/// variants and media read by id range: four statements per page.
pub(super) async fn docs_where(
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
