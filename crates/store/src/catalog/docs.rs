//! Export documents assembled from their rows: a page of products, then the page's options,
//! variants and media read by product id range, four statements a page. The statements and
//! the assembly are shared by the pool (imports, PostgreSQL exports) and by direct SQLite scans.

use super::exchange::ExportNames;
use crate::db::{Conn, Val};
use crate::error::StoreError;
use crate::scan::{Cols, Direct};
use pimento_core::exchange::{ExternalDoc, ProductDoc, VariantDoc};
use pimento_core::ids::{OptionId, OrganizationId, ProductId};
use pimento_core::money::{Currency, Money};
use std::collections::HashMap;

/// Products; a tail (`AND … ORDER BY p.id …`) selects which. Columns by position, as read below.
pub(super) const PRODUCTS: &str = "SELECT p.id, p.handle, p.name, p.description, p.status, p.category_id, \
p.brand_id, p.attributes, r.sync_source, r.sync_source_id, p.template_id FROM products p \
LEFT JOIN external_refs r ON r.id = p.primary_ref_id WHERE p.organization_id = $1 ";

/// Live products in id order after `$2`, at most `$3`.
pub(super) const PAGE_TAIL: &str = "AND p.archived_at IS NULL AND p.id > $2 ORDER BY p.id LIMIT $3";

/// Live products in id order after `$2`, up to and including `$3`.
const RANGE_TAIL: &str = "AND p.archived_at IS NULL AND p.id > $2 AND p.id <= $3 ORDER BY p.id";

/// Live product ids in order; the index holds them, so only `archived_at` is read per row.
const LIVE_IDS: &str = "SELECT p.id, p.archived_at IS NULL FROM products p WHERE p.organization_id = $1 ORDER BY p.id";

const OPTIONS: &str = "SELECT po.product_id, po.option_id, o.name FROM product_options po \
JOIN options o ON o.id = po.option_id \
WHERE o.organization_id = $1 AND po.product_id >= $2 AND po.product_id <= $3 ORDER BY po.product_id, po.rank";

const VARIANTS: &str = "SELECT v.product_id, v.id, v.title, v.sku, v.barcode, v.price_minor, v.currency, \
v.inventory_quantity, r.sync_source, r.sync_source_id, vov.option_id, ov.value FROM variants v \
LEFT JOIN external_refs r ON r.id = v.primary_ref_id \
LEFT JOIN variant_option_values vov ON vov.variant_id = v.id \
LEFT JOIN option_values ov ON ov.id = vov.value_id \
WHERE v.organization_id = $1 AND v.product_id >= $2 AND v.product_id <= $3 \
ORDER BY v.product_id, v.rank, v.id";

/// `CROSS JOIN` makes SQLite start at the page's rows, whatever its statistics say: while they
/// lagged behind an import it started at the assets instead, scanning every asset in the
/// database for each page. PostgreSQL reads it as a plain join.
const MEDIA: &str = "SELECT pm.product_id, pm.variant_id, COALESCE(a.public_url, a.source_url) FROM product_media pm \
CROSS JOIN media_assets a WHERE a.id = pm.media_asset_id AND \
pm.organization_id = $1 AND pm.product_id >= $2 AND pm.product_id <= $3 \
ORDER BY pm.product_id, pm.position, pm.id";

/// Export documents of the products a tail selects, read through the pool.
pub(super) async fn docs_where(
    c: &mut Conn<'_>,
    org: OrganizationId,
    names: &ExportNames,
    tail: &str,
    args: Vec<Val>,
) -> Result<Vec<ProductDoc>, StoreError> {
    let mut page = Page::new(names);
    for r in c.fetch_all(format!("{PRODUCTS}{tail}"), args).await? {
        page.product(&r)?;
    }
    let Some((lo, hi)) = page.bounds() else {
        return Ok(Vec::new());
    };
    let range = crate::args![org, lo, hi];
    for r in c.fetch_all(OPTIONS, range.clone()).await? {
        page.option(&r)?;
    }
    for r in c.fetch_all(VARIANTS, range.clone()).await? {
        page.variant(&r)?;
    }
    for r in c.fetch_all(MEDIA, range).await? {
        page.media(&r)?;
    }
    Ok(page.docs)
}

/// Where the pages of `size` live products begin and end, read on a direct SQLite connection:
/// page `k` holds the ids after `bounds[k]` up to and including `bounds[k + 1]`. Fixing them up
/// front lets several readers take pages at once; the last bound is the last live product, so
/// products created after the scan began are left out and no page grows past `size`.
pub(super) fn page_bounds(db: &Direct, org: OrganizationId, size: usize) -> Result<Vec<ProductId>, StoreError> {
    let mut bounds = vec![ProductId(uuid::Uuid::nil())];
    let (mut live, mut last) = (0_usize, None);
    db.each(LIVE_IDS, (org.0.as_bytes(),), |r| {
        if r.int(1)? == Some(1) {
            let id = r.uuid(0)?.map(ProductId);
            live += 1;
            last = id;
            if live % size == 0 {
                bounds.extend(id);
            }
        }
        Ok(())
    })?;
    if live % size != 0 {
        bounds.extend(last);
    }
    Ok(bounds)
}

/// The live products after `after` up to and including `upto`, read on a direct SQLite
/// connection.
pub(super) fn page_direct(
    db: &Direct,
    org: OrganizationId,
    names: &ExportNames,
    after: ProductId,
    upto: ProductId,
) -> Result<Vec<ProductDoc>, StoreError> {
    let params = (org.0.as_bytes(), after.0.as_bytes(), upto.0.as_bytes());
    docs_direct(db, org, names, RANGE_TAIL, params)
}

/// Export documents of the products a tail selects (in id order, with `$1` the
/// organization), read on a direct SQLite connection.
pub(super) fn docs_direct(
    db: &Direct,
    org: OrganizationId,
    names: &ExportNames,
    tail: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<ProductDoc>, StoreError> {
    let mut page = Page::new(names);
    let org_bytes = org.0.as_bytes();
    db.each(&format!("{PRODUCTS}{tail}"), params, |r| page.product(r))?;
    let Some((lo, hi)) = page.bounds() else {
        return Ok(Vec::new());
    };
    let range = (org_bytes, lo.0.as_bytes(), hi.0.as_bytes());
    db.each(OPTIONS, range, |r| page.option(r))?;
    db.each(VARIANTS, range, |r| page.variant(r))?;
    db.each(MEDIA, range, |r| page.media(r))?;
    Ok(page.docs)
}

/// A page of documents being assembled; child rows arrive ordered by product.
struct Page<'n> {
    names: &'n ExportNames,
    docs: Vec<ProductDoc>,
    index: HashMap<ProductId, usize>,
    /// Option order per product, to line each variant's values up with it.
    option_order: HashMap<ProductId, Vec<OptionId>>,
    /// Where each variant's document is, for the media attached to it.
    variant_pos: HashMap<uuid::Uuid, (usize, usize)>,
    /// The last currency read: a catalog has few, so most prices skip the lookup.
    currency: Option<(String, Currency)>,
}

impl<'n> Page<'n> {
    fn new(names: &'n ExportNames) -> Self {
        Page {
            names,
            docs: Vec::new(),
            index: HashMap::new(),
            option_order: HashMap::new(),
            variant_pos: HashMap::new(),
            currency: None,
        }
    }

    fn bounds(&self) -> Option<(ProductId, ProductId)> {
        Some((self.docs.first()?.id?, self.docs.last()?.id?))
    }

    fn position(&self, r: &impl Cols) -> Result<Option<usize>, StoreError> {
        Ok(self.index.get(&ProductId(required(r.uuid(0)?, 0)?)).copied())
    }

    fn product(&mut self, r: &impl Cols) -> Result<(), StoreError> {
        let id = ProductId(required(r.uuid(0)?, 0)?);
        let doc = ProductDoc {
            id: Some(id),
            handle: required(r.text(1)?, 1)?,
            title: required(r.text(2)?, 2)?,
            description: r.text(3)?,
            status: required(r.text(4)?, 4)?,
            category: r
                .uuid(5)?
                .and_then(|c| self.names.categories.get(&c.into()).cloned())
                .unwrap_or_default(),
            brand: r.uuid(6)?.and_then(|b| self.names.brands.get(&b.into()).cloned()),
            template: r.uuid(10)?.and_then(|t| self.names.templates.get(&t.into()).cloned()),
            attributes: r.object(7)?,
            external: external(r, 8)?,
            options: Vec::new(),
            media: Vec::new(),
            variants: Vec::new(),
        };
        self.index.insert(id, self.docs.len());
        self.docs.push(doc);
        Ok(())
    }

    fn option(&mut self, r: &impl Cols) -> Result<(), StoreError> {
        let Some(i) = self.position(r)? else { return Ok(()) };
        let doc = &mut self.docs[i];
        doc.options.push(required(r.text(2)?, 2)?);
        let pid = doc.id.unwrap_or(ProductId(uuid::Uuid::nil()));
        let option = OptionId(required(r.uuid(1)?, 1)?);
        self.option_order.entry(pid).or_default().push(option);
        Ok(())
    }

    /// A variant row, once per option value it has (or once with none).
    fn variant(&mut self, r: &impl Cols) -> Result<(), StoreError> {
        let Some(i) = self.position(r)? else { return Ok(()) };
        let vid = required(r.uuid(1)?, 1)?;
        if self.docs[i].variants.last().and_then(|v| v.id).map(|v| v.0) != Some(vid) {
            let price = match (r.int(5)?, r.text(6)?) {
                (Some(minor), Some(code)) => Some((self.currency(code)?, minor)),
                _ => None,
            };
            let n_options = self.docs[i].options.len();
            let doc = VariantDoc {
                id: Some(vid.into()),
                title: r.text(2)?,
                sku: r.text(3)?,
                barcode: r.text(4)?,
                price: price.map(|(c, minor)| Money { minor, currency: c }.to_decimal_string()),
                currency: price.map(|(c, _)| c.code().to_owned()),
                inventory_quantity: r.int(7)?.unwrap_or(0),
                options: vec![String::new(); n_options],
                external: external(r, 8)?,
                media: Vec::new(),
            };
            self.docs[i].variants.push(doc);
            self.variant_pos.insert(vid, (i, self.docs[i].variants.len() - 1));
        }
        if let (Some(option), Some(value)) = (r.uuid(10)?, r.text(11)?) {
            let pid = self.docs[i].id.unwrap_or(ProductId(uuid::Uuid::nil()));
            let slot = self
                .option_order
                .get(&pid)
                .and_then(|o| o.iter().position(|x| x.0 == option));
            if let (Some(slot), Some(v)) = (slot, self.docs[i].variants.last_mut()) {
                v.options[slot] = value;
            }
        }
        Ok(())
    }

    fn media(&mut self, r: &impl Cols) -> Result<(), StoreError> {
        let Some(i) = self.position(r)? else { return Ok(()) };
        let Some(url) = r.text(2)? else { return Ok(()) };
        match r.uuid(1)?.and_then(|v| self.variant_pos.get(&v)) {
            Some(&(pi, vi)) => self.docs[pi].variants[vi].media.push(url),
            None => self.docs[i].media.push(url),
        }
        Ok(())
    }

    fn currency(&mut self, code: String) -> Result<Currency, StoreError> {
        if let Some((last, c)) = &self.currency
            && *last == code
        {
            return Ok(*c);
        }
        let c = Currency::parse("currency", &code).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.currency = Some((code, c));
        Ok(c)
    }
}

fn required<T>(v: Option<T>, col: usize) -> Result<T, StoreError> {
    v.ok_or_else(|| StoreError::Corrupt(format!("column {col} is NULL")))
}

/// The external reference in columns `at` (source) and `at + 1` (id), when there is one.
fn external(r: &impl Cols, at: usize) -> Result<Option<ExternalDoc>, StoreError> {
    Ok(match (r.text(at)?, r.text(at + 1)?) {
        (Some(source), Some(id)) => Some(ExternalDoc { source, id }),
        _ => None,
    })
}
