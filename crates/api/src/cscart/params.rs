//! The query of a product list (`GET /api/products` and the scoped lists): CS-Cart's paging
//! (`page` from 1, `items_per_page`), order (`sort_by`, `sort_order`) and filters, turned into
//! the core's one product query. Every value is text, as in any query string; a value that
//! cannot mean anything is a 400 naming its parameter.

use super::own;
use super::values::{bad, currency, flag, id_number, integer, price_minor};
use super::wire::status_of;
use crate::error::ApiError;
use pimento_core::product::ProductStatus;
use pimento_core::query::{
    AnyText, Archived, CountMode, Paging, PriceRange, ProductFilter, ProductQuery, Range, Sort, SortKey, TextField,
};
use serde::Deserialize;
use utoipa::IntoParams;

/// Products a page holds when `items_per_page` is not given.
pub const DEFAULT_ITEMS_PER_PAGE: u32 = 10;
/// The most products a page holds; a larger `items_per_page` (or `0`, CS-Cart's "all") is
/// answered with this many, and `params.items_per_page` says so.
pub const MAX_ITEMS_PER_PAGE: u32 = 200;

/// The parameters of a product list.
#[derive(Debug, Default, Deserialize, serde::Serialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListProducts {
    /// The page, from 1 (default 1)
    pub page: Option<String>,
    /// Products a page, 1 to 200 (default 10; 0 or more than 200 gives 200)
    pub items_per_page: Option<String>,
    /// date (creation), status, list_price, product (default), price, code, amount; also timestamp and updated_timestamp
    pub sort_by: Option<String>,
    /// asc (default) or desc
    pub sort_order: Option<String>,
    /// Text to find; in the fields whose flag (pname, pshort, pfull, pkeywords) is Y, and in the product code with pcode_from_q=Y; with no flag given, a full-text search (every word starts a word of the name, descriptions, meta keywords, SEO name or code)
    pub q: Option<String>,
    /// Y: search q in the name; any other text: the name contains it
    pub pname: Option<String>,
    /// Y: search q in the short description; any other text: the short description contains it
    pub pshort: Option<String>,
    /// Y: search q in the full description; any other text: the full description contains it
    pub pfull: Option<String>,
    /// Y: search q in the meta keywords; any other text: the meta keywords contain it
    pub pkeywords: Option<String>,
    /// Y: search q in the product code too
    pub pcode_from_q: Option<String>,
    /// The product code contains this
    pub pcode: Option<String>,
    /// Only products in this category
    pub cid: Option<String>,
    /// With cid: Y (default) its subcategories' products too, N not
    pub subcats: Option<String>,
    /// Price at least this
    pub price_from: Option<String>,
    /// Price at most this
    pub price_to: Option<String>,
    /// Stock at least this
    pub amount_from: Option<String>,
    /// Stock at most this
    pub amount_to: Option<String>,
    /// Orders are not kept in this catalog: any value gives an empty page
    pub order_ids: Option<String>,
    /// Y or N
    pub free_shipping: Option<String>,
    /// A, D or H; several separated by commas
    pub status: Option<String>,
    /// P (a product) or V (a variation)
    pub product_type: Option<String>,
    /// Y or N
    pub is_returnable: Option<String>,
    /// Y or N
    pub age_verification: Option<String>,
    /// Exactly this age limit
    pub age_limit: Option<String>,
    /// Exactly this age warning message
    pub age_warning_message: Option<String>,
    /// Exactly this list price
    pub list_price: Option<String>,
    /// Exactly this price
    pub price: Option<String>,
    /// The name contains this
    pub product: Option<String>,
    /// The product code contains this
    pub code: Option<String>,
    /// Exactly this stock
    pub amount: Option<String>,
    /// Only products of this vendor
    pub company_id: Option<String>,
    /// Only these products (ids separated by commas)
    pub pid: Option<String>,
}

/// What the handler resolves after reading the query: numbers to look up.
#[derive(Debug, Default)]
pub struct Numbers {
    pub category: Option<i64>,
    pub vendor: Option<i64>,
    pub products: Option<Vec<i64>>,
}

/// The list's paging and order, as `params` reports them.
#[derive(Debug, Clone)]
pub struct Shown {
    pub page: u64,
    pub items_per_page: u32,
    pub sort_by: String,
    pub sort_order: &'static str,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn text_field(name: &str) -> TextField {
    match name {
        "pname" => TextField::Name,
        "pshort" => TextField::ShortDescription,
        "pfull" => TextField::Description,
        _ => TextField::MetaKeywords,
    }
}

impl ListProducts {
    /// The core query (without what needs a lookup) and the numbers to look up.
    pub fn query(&self) -> Result<(ProductQuery, Numbers, Shown), ApiError> {
        let super::pages::Page { page, per_page } = super::pages::PageParams {
            page: self.page.clone(),
            items_per_page: self.items_per_page.clone(),
        }
        .read()?;
        let sort_by = given(&self.sort_by).unwrap_or("product").to_ascii_lowercase();
        let key = match sort_by.as_str() {
            "date" | "timestamp" => SortKey::Created,
            "updated_timestamp" => SortKey::Updated,
            "status" => SortKey::Status,
            "list_price" => SortKey::ListPrice,
            "product" => SortKey::Name,
            "price" => SortKey::Price,
            "code" => SortKey::Sku,
            "amount" => SortKey::Stock,
            other => {
                return Err(bad(
                    "sort_by",
                    format!("'{other}' is not one of date, status, list_price, product, price, code, amount"),
                ));
            }
        };
        let descending = match given(&self.sort_order).map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => return Err(bad("sort_order", "must be asc or desc")),
        };
        let mut f = ProductFilter {
            archived: Archived::Exclude,
            ..ProductFilter::default()
        };
        let mut numbers = Numbers::default();
        // q, searched where the flags say; a flag's other text is a text of its own to find.
        let flags = [
            ("pname", &self.pname),
            ("pshort", &self.pshort),
            ("pfull", &self.pfull),
            ("pkeywords", &self.pkeywords),
        ];
        let mut fields = Vec::new();
        for (name, v) in flags {
            match given(v) {
                None => {}
                Some(t) if t.eq_ignore_ascii_case("y") => fields.push(text_field(name)),
                Some(t) if t.eq_ignore_ascii_case("n") => {}
                Some(t) => f.contains.push((text_field(name), t.to_owned())),
            }
        }
        if let Some(v) = given(&self.pcode_from_q)
            && flag("pcode_from_q", v)?
        {
            fields.push(TextField::Sku);
        }
        if let Some(q) = given(&self.q) {
            if fields.is_empty() {
                f.search = Some(q.to_owned());
            } else {
                f.contains_any = Some(AnyText {
                    fields,
                    text: q.to_owned(),
                });
            }
        }
        for code in [given(&self.pcode), given(&self.code)].into_iter().flatten() {
            f.contains.push((TextField::Sku, code.to_owned()));
        }
        if let Some(name) = given(&self.product) {
            f.contains.push((TextField::Name, name.to_owned()));
        }
        if let Some(cid) = given(&self.cid) {
            numbers.category = Some(id_number("cid", cid)?);
        }
        f.category_subtree = match given(&self.subcats) {
            None => true,
            Some(v) => flag("subcats", v)?,
        };
        let cur = currency()?;
        let mut price = PriceRange {
            currency: cur,
            min: given(&self.price_from)
                .map(|v| price_minor("price_from", v))
                .transpose()?,
            max: given(&self.price_to).map(|v| price_minor("price_to", v)).transpose()?,
        };
        if let Some(v) = given(&self.price) {
            let exact = price_minor("price", v)?;
            price.min = Some(price.min.map_or(exact, |m| m.max(exact)));
            price.max = Some(price.max.map_or(exact, |m| m.min(exact)));
        }
        if price.min.is_some() || price.max.is_some() {
            f.price = Some(price);
        }
        if let Some(v) = given(&self.list_price) {
            let exact = price_minor("list_price", v)?;
            f.list_price = Some(PriceRange {
                currency: cur,
                min: Some(exact),
                max: Some(exact),
            });
        }
        let mut stock = Range {
            min: given(&self.amount_from)
                .map(|v| integer("amount_from", v))
                .transpose()?,
            max: given(&self.amount_to).map(|v| integer("amount_to", v)).transpose()?,
        };
        if let Some(v) = given(&self.amount) {
            let exact = integer("amount", v)?;
            stock.min = Some(stock.min.map_or(exact, |m| m.max(exact)));
            stock.max = Some(stock.max.map_or(exact, |m| m.min(exact)));
        }
        if stock.min.is_some() || stock.max.is_some() {
            f.stock = Some(stock);
        }
        if given(&self.order_ids).is_some() {
            f.ids = Some(Vec::new());
        }
        if let Some(raw) = given(&self.status) {
            let mut statuses = Vec::new();
            for s in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                match status_of("status", s)? {
                    // CS-Cart's D is every status that is not for sale nor hidden.
                    ProductStatus::Disabled => statuses.extend([
                        ProductStatus::Disabled,
                        ProductStatus::Draft,
                        ProductStatus::Proposed,
                        ProductStatus::Rejected,
                    ]),
                    other => statuses.push(other),
                }
            }
            f.statuses = Some(statuses);
        }
        let own_filters = [
            ("free_shipping", &self.free_shipping),
            ("is_returnable", &self.is_returnable),
            ("age_verification", &self.age_verification),
            ("age_limit", &self.age_limit),
            ("product_type", &self.product_type),
        ];
        for (name, v) in own_filters {
            if let Some(raw) = given(v) {
                f.extensions.push(own::filter(name, raw)?);
            }
        }
        // A message is matched as given, spaces and all.
        if let Some(raw) = self.age_warning_message.as_deref().filter(|s| !s.is_empty()) {
            f.extensions.push(own::filter("age_warning_message", raw)?);
        }
        if let Some(v) = given(&self.company_id) {
            numbers.vendor = Some(match integer("company_id", v)? {
                n if n > 0 => n,
                _ => return Err(bad("company_id", "must be a vendor's id")),
            });
        }
        if let Some(raw) = given(&self.pid) {
            numbers.products = Some(
                raw.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| id_number("pid", s))
                    .collect::<Result<_, _>>()?,
            );
        }
        let query = ProductQuery {
            filter: f,
            sort: Sort { key, descending },
            paging: Paging::Offset((page - 1).saturating_mul(u64::from(per_page))),
            limit: per_page,
            count: CountMode::Exact,
        };
        let shown = Shown {
            page,
            items_per_page: per_page,
            sort_by,
            sort_order: if descending { "desc" } else { "asc" },
        };
        Ok((query, numbers, shown))
    }
}
