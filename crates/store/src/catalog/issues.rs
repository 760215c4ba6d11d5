//! The validation report: issues computed by the core from the products as stored now, a page
//! at a time, walking products in id order.

use super::attributes::attributes_where;
use super::templates::templates_where;
use crate::Store;
use crate::db::{Conn, Val, placeholders};
use crate::error::StoreError;
use crate::page::MAX_LIMIT;
use pimento_core::CoreError;
use pimento_core::auth::Ctx;
use pimento_core::ids::ProductId;
use pimento_core::issues::{Issue, IssueCode, IssueContext, ProductFacts, VariantFacts, product_issues};
use std::collections::{HashMap, HashSet};

/// Products read per batch while filling a page.
const BATCH: i64 = 1000;
/// The most products one request reads by default: a page over a catalog with few issues ends
/// early, with a cursor to continue, so no request scans a whole large catalog.
pub const SCAN_BUDGET: i64 = 20_000;

/// A condition on `products p` that holds for every product that may have an issue of this
/// code: when a report asks for some codes only, the database skips the other products.
fn candidates(code: IssueCode) -> &'static str {
    match code {
        IssueCode::MissingRequiredAttribute => "p.template_id IS NOT NULL",
        IssueCode::InvalidAttributeValue => "p.attributes IS NOT NULL",
        IssueCode::InvalidSku => {
            "EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id \
             AND (trim(v.sku) = '' OR trim(v.sku) <> v.sku OR length(v.sku) > 64))"
        }
        IssueCode::InvalidBarcode | IssueCode::InvalidBarcodeCheckDigit => {
            "EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.barcode IS NOT NULL)"
        }
        IssueCode::DuplicateBarcode => {
            "EXISTS (SELECT 1 FROM variants v JOIN variants w ON w.barcode = v.barcode AND w.barcode IS NOT NULL \
             AND w.organization_id = v.organization_id AND w.id <> v.id WHERE v.product_id = p.id)"
        }
        IssueCode::MissingPrice => {
            "EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.price_minor IS NULL)"
        }
        IssueCode::MissingMedia => "NOT EXISTS (SELECT 1 FROM product_media pm WHERE pm.product_id = p.id)",
    }
}

/// The facts the checks read, for the products a `WHERE …` tail over `products p` selects:
/// two queries per batch.
async fn facts(c: &mut Conn<'_>, ctx: &Ctx, tail: &str, args: Vec<Val>) -> Result<Vec<ProductFacts>, StoreError> {
    let sql = format!(
        "SELECT p.id, p.template_id, p.attributes, \
         EXISTS (SELECT 1 FROM product_media pm WHERE pm.product_id = p.id) AS has_media FROM products p {tail}"
    );
    let mut products = c
        .fetch_all(sql, args)
        .await?
        .iter()
        .map(|r| {
            Ok(ProductFacts {
                id: r.id("id")?,
                template_id: r.opt_id("template_id")?,
                attributes: match r.json("attributes")? {
                    Some(serde_json::Value::Object(m)) => Some(m),
                    _ => None,
                },
                has_media: r.get("has_media")?,
                variants: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    if products.is_empty() {
        return Ok(products);
    }
    let sql = format!(
        "SELECT product_id, id, sku, barcode, price_minor IS NOT NULL AS has_price FROM variants \
         WHERE organization_id = $1 AND product_id IN ({}) ORDER BY product_id, rank, id",
        placeholders(2, products.len())
    );
    let mut args = crate::args![ctx.org()];
    args.extend(products.iter().map(|p| Val::from(p.id)));
    let mut by_product: HashMap<ProductId, Vec<VariantFacts>> = HashMap::new();
    for r in c.fetch_all(sql, args).await? {
        by_product.entry(r.id("product_id")?).or_default().push(VariantFacts {
            id: r.id("id")?,
            sku: r.get("sku")?,
            barcode: r.get("barcode")?,
            has_price: r.get("has_price")?,
        });
    }
    for p in &mut products {
        p.variants = by_product.remove(&p.id).unwrap_or_default();
    }
    Ok(products)
}

/// A validation report request.
#[derive(Debug, Clone, Default)]
pub struct IssueQuery {
    /// Only this product's issues.
    pub product_id: Option<ProductId>,
    /// Only issues with these codes (all when empty).
    pub codes: HashSet<IssueCode>,
    pub limit: u32,
    /// The previous page's cursor.
    pub cursor: Option<String>,
    /// The most products to read for this page; [`SCAN_BUDGET`] when `None`.
    pub scan_budget: Option<i64>,
}

/// One page of the report.
#[derive(Debug, Clone)]
pub struct IssuePage {
    pub items: Vec<Issue>,
    pub next_cursor: Option<String>,
}

/// Where a page starts: a product, and how many of its issues earlier pages showed.
fn parse_cursor(raw: &str) -> Result<(ProductId, usize), CoreError> {
    let bad = || CoreError::invalid("cursor", "is not a cursor this report gave");
    let (id, skip) = raw.split_once('.').ok_or_else(bad)?;
    Ok((id.parse().map_err(|_| bad())?, skip.parse().map_err(|_| bad())?))
}

async fn context(c: &mut Conn<'_>, ctx: &Ctx) -> Result<IssueContext, StoreError> {
    let attributes = attributes_where(c, "WHERE a.organization_id = $1", crate::args![ctx.org()])
        .await?
        .into_iter()
        .map(|a| (a.key.clone(), a))
        .collect();
    let templates = templates_where(c, "WHERE organization_id = $1", crate::args![ctx.org()])
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    Ok(IssueContext {
        attributes,
        templates,
        duplicate_barcodes: HashSet::new(),
    })
}

/// The barcodes among `codes` that more than one variant of the organization carries.
async fn duplicated(c: &mut Conn<'_>, ctx: &Ctx, codes: &[String]) -> Result<HashSet<String>, StoreError> {
    let mut out = HashSet::new();
    for chunk in codes.chunks(500) {
        let sql = format!(
            "SELECT barcode FROM variants WHERE organization_id = $1 AND barcode IN ({}) \
             GROUP BY barcode HAVING COUNT(*) > 1",
            placeholders(2, chunk.len())
        );
        let mut args = crate::args![ctx.org()];
        args.extend(chunk.iter().map(Val::from));
        for r in c.fetch_all(sql, args).await? {
            out.insert(r.get::<String>("barcode")?);
        }
    }
    Ok(out)
}

impl Store {
    /// A page of the organization's validation issues, in product order. Archived products are
    /// left out.
    pub async fn validation_issues(&self, ctx: &Ctx, q: IssueQuery) -> Result<IssuePage, StoreError> {
        ctx.principal.require_secret()?;
        let limit = q.limit.clamp(1, MAX_LIMIT) as usize;
        let (mut from, mut skip) = match &q.cursor {
            Some(c) => {
                let (p, s) = parse_cursor(c)?;
                (Some(p), s)
            }
            None => (None, 0),
        };
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        let mut ictx = context(&mut c, ctx).await?;
        let mut items: Vec<Issue> = Vec::new();
        let budget = q.scan_budget.unwrap_or(SCAN_BUDGET).max(1);
        let batch_size = budget.min(BATCH);
        let mut scanned = 0;
        while scanned < budget {
            // The next window of products in id order: the work per batch is bounded by the
            // window, however few of its products match the codes asked for.
            let mut window =
                String::from("SELECT p.id FROM products p WHERE p.organization_id = $1 AND p.archived_at IS NULL");
            let mut args = crate::args![ctx.org()];
            if let Some(p) = q.product_id {
                args.push(Val::from(p));
                window.push_str(&format!(" AND p.id = ${}", args.len()));
            }
            if let Some(f) = from {
                args.push(Val::from(f));
                window.push_str(&format!(" AND p.id >= ${}", args.len()));
            }
            args.push(Val::from(batch_size));
            window.push_str(&format!(" ORDER BY p.id LIMIT ${}", args.len()));
            let ids = c.fetch_all(window, args).await?;
            scanned += batch_size;
            let exhausted = (ids.len() as i64) < batch_size;
            let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
                return Ok(IssuePage {
                    items,
                    next_cursor: None,
                });
            };
            let (first, last): (ProductId, ProductId) = (first.id("id")?, last.id("id")?);
            let mut tail =
                String::from("WHERE p.organization_id = $1 AND p.archived_at IS NULL AND p.id >= $2 AND p.id <= $3");
            if !q.codes.is_empty() {
                let mut codes: Vec<IssueCode> = q.codes.iter().copied().collect();
                codes.sort();
                let any: Vec<&str> = codes.into_iter().map(candidates).collect();
                tail.push_str(&format!(" AND ({})", any.join(" OR ")));
            }
            tail.push_str(" ORDER BY p.id");
            let batch = facts(&mut c, ctx, &tail, crate::args![ctx.org(), first, last]).await?;
            let barcodes: Vec<String> = batch
                .iter()
                .flat_map(|p| p.variants.iter())
                .filter_map(|v| v.barcode.clone())
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            ictx.duplicate_barcodes = duplicated(&mut c, ctx, &barcodes).await?;
            for product in &batch {
                let found: Vec<Issue> = product_issues(product, &ictx)
                    .into_iter()
                    .filter(|i| q.codes.is_empty() || q.codes.contains(&i.code))
                    .collect();
                let start = if Some(product.id) == from { skip } else { 0 };
                for (n, issue) in found.into_iter().enumerate().skip(start) {
                    if items.len() == limit {
                        return Ok(IssuePage {
                            items,
                            next_cursor: Some(format!("{}.{n}", issue.product_id)),
                        });
                    }
                    items.push(issue);
                }
            }
            if exhausted {
                return Ok(IssuePage {
                    items,
                    next_cursor: None,
                });
            }
            // The next batch starts after this one's last product.
            from = Some(next_id(last));
            skip = 0;
        }
        Ok(IssuePage {
            items,
            next_cursor: from.map(|f| format!("{f}.0")),
        })
    }
}

/// The smallest id greater than `id`: a `>=` bound that means "after".
fn next_id(id: ProductId) -> ProductId {
    ProductId(uuid::Uuid::from_u128(id.0.as_u128().wrapping_add(1)))
}
