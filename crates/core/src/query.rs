//! The one product query every list of every API, bulk-job selection and export are built on:
//! which products (a filter), in which order (a sort with the id as a unique tiebreak), which
//! page (after a cursor or at an offset), and whether to count them. The store turns it into
//! SQL in one place (`store/src/catalog/query.rs`).

use crate::CoreError;
use crate::auth::Principal;
use crate::ids::{BrandId, CollectionId, ProductId, ProductTypeId, TagId, VendorId};
use crate::money::Currency;
use crate::product::{Product, ProductStatus};
use crate::taxonomy::CategoryRef;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::borrow::Cow;

/// Which products a query selects; every criterion given must hold. It is kept as JSON with a
/// job that selects by it (an export of an API's list), so its serde form is a stored format:
/// fields are added with defaults, never renamed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductFilter {
    /// Only these products.
    pub ids: Option<Vec<ProductId>>,
    /// Only products with one of these handles.
    pub handles: Option<Vec<String>>,
    /// Only products named exactly one of these.
    pub names: Option<Vec<String>>,
    /// Only products in one of these statuses.
    pub statuses: Option<Vec<ProductStatus>>,
    pub archived: Archived,
    /// Only products filed in this category (by id or slug; an unknown one is refused)...
    pub category: Option<CategoryRef>,
    /// ...or in any category below it too.
    pub category_subtree: bool,
    /// Only products of one of these brands.
    pub brand_ids: Option<Vec<BrandId>>,
    /// Only products of one of these vendors.
    pub vendor_ids: Option<Vec<VendorId>>,
    /// Only products in one of these collections.
    pub collection_ids: Option<Vec<CollectionId>>,
    /// Only products of one of these types.
    pub type_ids: Option<Vec<ProductTypeId>>,
    /// Only products carrying at least one of these tags.
    pub tag_ids: Option<Vec<TagId>>,
    /// Only products linked to this external record (a sync source, and maybe its id there).
    pub external: Option<ExternalMatch>,
    /// Attribute values each product must have.
    pub attributes: Vec<AttributeMatch>,
    /// Fields of an API's own (see [`crate::extension`]) each product must have, as text.
    pub extensions: Vec<ExtensionMatch>,
    /// Products with a variant priced within the range.
    pub price: Option<PriceRange>,
    /// Products with a variant whose list (compare-at) price is within the range.
    pub list_price: Option<PriceRange>,
    /// Products whose variants hold, together, at least `min` and at most `max` in stock.
    pub stock: Option<Range<i64>>,
    pub created: Range<DateTime<Utc>>,
    pub updated: Range<DateTime<Utc>>,
    /// Text each named field must contain (case-insensitive for ASCII letters).
    pub contains: Vec<(TextField, String)>,
    /// Text at least one of the named fields must contain (case-insensitive for ASCII letters).
    pub contains_any: Option<AnyText>,
    /// Full-text search: every word of it must start a word of the product's name,
    /// description, handle or a variant's SKU (see [`search_terms`]).
    pub search: Option<String>,
}

/// The words a search looks for: runs of letters and digits, lowercased. Anything else
/// separates words, so no search text is ever read as query syntax.
pub fn search_terms(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Text that one of several fields must contain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnyText {
    /// Never empty: an empty list selects nothing.
    pub fields: Vec<TextField>,
    pub text: String,
}

/// A product's link to a record of another system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalMatch {
    pub source: String,
    /// The record's id there; any record of the source when absent.
    pub id: Option<String>,
}

/// A condition on one attribute value, by attribute key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeMatch {
    pub key: String,
    pub condition: AttributeCondition,
}

/// What an attribute value must be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AttributeCondition {
    /// Exactly this value: a SELECT option, a BOOLEAN or a TEXT.
    Equals(Value),
    /// A NUMBER within the bounds.
    Between(Range<f64>),
}

/// A field an API keeps of its own that must be this JSON string (APIs store the fields they
/// filter on as strings): `owner` and `key` come from that API's allow-list, never from a
/// request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionMatch {
    pub owner: Cow<'static, str>,
    pub key: Cow<'static, str>,
    pub value: String,
    /// Whether a product that has no such field matches too: `value` is the API's default for
    /// it.
    #[serde(default)]
    pub or_absent: bool,
}

/// Which products a list shows, by archive state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Archived {
    /// Only products that are not archived (the default).
    #[default]
    Exclude,
    /// Archived and live products.
    Include,
    /// Only archived products.
    Only,
}

/// Variants priced within `[min, max]` minor units of `currency`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PriceRange {
    pub currency: Currency,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// Bounds, each inclusive and optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range<T> {
    pub min: Option<T>,
    pub max: Option<T>,
}

impl<T> Default for Range<T> {
    fn default() -> Self {
        Range { min: None, max: None }
    }
}

impl<T: PartialOrd> Range<T> {
    /// Whether a value lies within the bounds.
    pub fn holds(&self, v: &T) -> bool {
        self.min.as_ref().is_none_or(|m| v >= m) && self.max.as_ref().is_none_or(|m| v <= m)
    }
}

/// A text field a filter can search in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextField {
    Name,
    Description,
    ShortDescription,
    MetaKeywords,
    Handle,
    /// Any variant's SKU.
    Sku,
}

/// What a list is ordered by; the product id breaks ties, so pages never repeat or skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Creation order (ids are time-ordered).
    #[default]
    Created,
    Updated,
    Name,
    Handle,
    Status,
    /// The lowest variant price (products without a price last).
    Price,
    /// The stock of all variants together.
    Stock,
    /// The lowest variant SKU (products without one first).
    Sku,
    /// The lowest variant list price (products without one last).
    ListPrice,
}

impl SortKey {
    /// Every key.
    pub const ALL: [SortKey; 9] = [
        SortKey::Created,
        SortKey::Updated,
        SortKey::Name,
        SortKey::Handle,
        SortKey::Status,
        SortKey::Price,
        SortKey::Stock,
        SortKey::Sku,
        SortKey::ListPrice,
    ];

    /// The key's name in cursors.
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Created => "created",
            SortKey::Updated => "updated",
            SortKey::Name => "name",
            SortKey::Handle => "handle",
            SortKey::Status => "status",
            SortKey::Price => "price",
            SortKey::Stock => "stock",
            SortKey::Sku => "sku",
            SortKey::ListPrice => "list_price",
        }
    }
}

/// An order: a key and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

/// Which page.
#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    /// The page after a cursor a previous page gave (`None`: the first page). Constant cost at
    /// any depth.
    After(Option<Cursor>),
    /// The page that starts this many products in.
    Offset(u64),
}

impl Default for Paging {
    fn default() -> Self {
        Paging::After(None)
    }
}

/// Whether to count the products the filter selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CountMode {
    #[default]
    None,
    Exact,
    /// Exact where counting is cheap; the store's kept totals when the filter is the whole live
    /// catalog.
    Estimate,
}

/// A product query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProductQuery {
    pub filter: ProductFilter,
    pub sort: Sort,
    pub paging: Paging,
    /// Products per page.
    pub limit: u32,
    pub count: CountMode,
}

/// A value a product is sorted by, as cursors carry it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortValue {
    Int(i64),
    Text(String),
}

/// Where a page ended: the sort it belongs to, the last product's sort value and its id.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub sort: Sort,
    /// `None` for the creation order, where the id is the value.
    pub value: Option<SortValue>,
    pub id: ProductId,
}

impl Cursor {
    /// The opaque text given to clients. The creation order's cursor is the last product's id,
    /// as it always was.
    pub fn encode(&self) -> String {
        match &self.value {
            None if self.sort == Sort::default() => self.id.to_string(),
            value => {
                let v = match value {
                    Some(SortValue::Int(i)) => json!(i),
                    Some(SortValue::Text(t)) => json!(t),
                    None => Value::Null,
                };
                let doc = json!([self.sort.key.as_str(), self.sort.descending, v, self.id]);
                hex::encode(doc.to_string())
            }
        }
    }

    /// Reads a cursor for `sort`; one from another sort, or not from this server, is refused
    /// naming `field`.
    pub fn decode(field: &str, raw: &str, sort: Sort) -> Result<Cursor, CoreError> {
        let bad = || CoreError::invalid(field, "is not a cursor of this list and order");
        if sort == Sort::default() {
            let id = raw.trim().parse().map_err(|_| bad())?;
            return Ok(Cursor { sort, value: None, id });
        }
        let bytes = hex::decode(raw.trim()).map_err(|_| bad())?;
        let doc: (String, bool, Value, ProductId) = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        if doc.0 != sort.key.as_str() || doc.1 != sort.descending {
            return Err(bad());
        }
        let value = match (sort.key, doc.2) {
            (SortKey::Created, Value::Null) => None,
            (SortKey::Updated | SortKey::Price | SortKey::Stock | SortKey::ListPrice, Value::Number(n)) => {
                Some(SortValue::Int(n.as_i64().ok_or_else(bad)?))
            }
            (SortKey::Name | SortKey::Handle | SortKey::Status | SortKey::Sku, Value::String(s)) => {
                Some(SortValue::Text(s))
            }
            _ => return Err(bad()),
        };
        Ok(Cursor { sort, value, id: doc.3 })
    }
}

impl ProductFilter {
    /// The filter narrowed to what a caller may see: a storefront (publishable) key sees
    /// active, live products only. The one place this rule lives.
    pub fn visible_to(mut self, principal: &Principal) -> Self {
        if principal.storefront_only() {
            self.statuses = Some(match self.statuses {
                Some(s) => s.into_iter().filter(|s| *s == ProductStatus::Active).collect(),
                None => vec![ProductStatus::Active],
            });
            self.archived = Archived::Exclude;
        }
        self
    }
}

/// `(sku, price in minor units and currency, stock)` of a variant.
pub type VariantFacts = (Option<String>, Option<(i64, Currency)>, i64);

/// What the filter and sort read of a product and its variants, for checking a store's
/// answers against a plain model (the query tests).
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub product: &'a Product,
    pub category_ids: &'a [crate::ids::CategoryId],
    pub variants: &'a [VariantFacts],
    /// The list prices of the variants that have one.
    pub list_prices: &'a [(i64, Currency)],
    pub tag_ids: &'a [TagId],
    /// The product's link to another system: `(source, id there)`.
    pub external: Option<(&'a str, &'a str)>,
}

impl Facts<'_> {
    /// Whether the filter selects the product. `category_ids` must already hold the subtree
    /// when the filter asks for one.
    pub fn matches(&self, f: &ProductFilter) -> bool {
        let p = self.product;
        f.ids.as_ref().is_none_or(|ids| ids.contains(&p.id))
            && f.handles.as_ref().is_none_or(|h| h.contains(&p.handle))
            && f.names.as_ref().is_none_or(|n| n.contains(&p.name))
            && f.statuses.as_ref().is_none_or(|s| s.contains(&p.status))
            && match f.archived {
                Archived::Exclude => p.archived_at.is_none(),
                Archived::Include => true,
                Archived::Only => p.archived_at.is_some(),
            }
            && (f.category.is_none() || p.category_id.is_some_and(|c| self.category_ids.contains(&c)))
            && f.brand_ids
                .as_ref()
                .is_none_or(|b| p.brand_id.is_some_and(|id| b.contains(&id)))
            && f.vendor_ids
                .as_ref()
                .is_none_or(|v| p.vendor_id.is_some_and(|id| v.contains(&id)))
            && f.collection_ids
                .as_ref()
                .is_none_or(|c| p.collection_id.is_some_and(|id| c.contains(&id)))
            && f.type_ids
                .as_ref()
                .is_none_or(|t| p.type_id.is_some_and(|id| t.contains(&id)))
            && f.tag_ids
                .as_ref()
                .is_none_or(|t| self.tag_ids.iter().any(|id| t.contains(id)))
            && f.external.as_ref().is_none_or(|x| {
                self.external
                    .is_some_and(|(source, id)| source == x.source && x.id.as_deref().is_none_or(|want| want == id))
            })
            && f.attributes.iter().all(|m| {
                let v = p.attributes.as_ref().and_then(|a| a.get(&m.key));
                match &m.condition {
                    AttributeCondition::Equals(want) => v == Some(want),
                    AttributeCondition::Between(r) => v.and_then(Value::as_f64).is_some_and(|n| r.holds(&n)),
                }
            })
            && f.extensions.iter().all(|m| match p.extensions.get(&m.owner, &m.key) {
                Some(v) => v.as_str() == Some(m.value.as_str()),
                None => m.or_absent,
            })
            && f.price.is_none_or(|r| {
                self.variants.iter().any(|(_, price, _)| {
                    price.is_some_and(|(minor, cur)| {
                        cur == r.currency && r.min.is_none_or(|m| minor >= m) && r.max.is_none_or(|m| minor <= m)
                    })
                })
            })
            && f.list_price.is_none_or(|r| {
                self.list_prices.iter().any(|(minor, cur)| {
                    *cur == r.currency && r.min.is_none_or(|m| *minor >= m) && r.max.is_none_or(|m| *minor <= m)
                })
            })
            && f.stock.is_none_or(|r| r.holds(&self.stock()))
            && f.created.holds(&p.created_at)
            && f.updated.holds(&p.updated_at)
            && f.contains_any
                .as_ref()
                .is_none_or(|any| any.fields.iter().any(|field| self.field_contains(*field, &any.text)))
            && f.contains.iter().all(|(field, text)| self.field_contains(*field, text))
            && f.search.as_deref().is_none_or(|q| {
                let mut words = search_terms(&p.name);
                words.extend(p.description.as_deref().map(search_terms).unwrap_or_default());
                words.extend(
                    p.details
                        .short_description
                        .as_deref()
                        .map(search_terms)
                        .unwrap_or_default(),
                );
                words.extend(
                    p.details
                        .seo
                        .meta_keywords
                        .as_deref()
                        .map(search_terms)
                        .unwrap_or_default(),
                );
                words.extend(search_terms(&p.handle));
                for (sku, ..) in self.variants {
                    words.extend(sku.as_deref().map(search_terms).unwrap_or_default());
                }
                search_terms(q)
                    .iter()
                    .all(|t| words.iter().any(|w| w.starts_with(t.as_str())))
            })
    }

    /// Whether a text field of the product contains `text` (case-insensitive for ASCII).
    pub fn field_contains(&self, field: TextField, text: &str) -> bool {
        let p = self.product;
        let contains = |hay: &str| hay.to_ascii_lowercase().contains(&text.to_ascii_lowercase());
        match field {
            TextField::Name => contains(&p.name),
            TextField::Description => p.description.as_deref().is_some_and(contains),
            TextField::ShortDescription => p.details.short_description.as_deref().is_some_and(contains),
            TextField::MetaKeywords => p.details.seo.meta_keywords.as_deref().is_some_and(contains),
            TextField::Handle => contains(&p.handle),
            TextField::Sku => self
                .variants
                .iter()
                .any(|(sku, ..)| sku.as_deref().is_some_and(contains)),
        }
    }

    /// The stock of all variants together.
    pub fn stock(&self) -> i64 {
        self.variants.iter().map(|(_, _, q)| q).sum()
    }

    /// The value the product is sorted by under `key`.
    pub fn sort_value(&self, key: SortKey) -> Option<SortValue> {
        let p = self.product;
        Some(match key {
            SortKey::Created => return None,
            SortKey::Updated => SortValue::Int(updated_nanos(p)),
            SortKey::Name => SortValue::Text(p.name.clone()),
            SortKey::Handle => SortValue::Text(p.handle.clone()),
            SortKey::Status => SortValue::Text(p.status.as_str().to_owned()),
            SortKey::Price => SortValue::Int(
                self.variants
                    .iter()
                    .filter_map(|(_, price, _)| price.map(|(m, _)| m))
                    .min()
                    .unwrap_or(NO_PRICE),
            ),
            SortKey::Stock => SortValue::Int(self.stock()),
            SortKey::ListPrice => SortValue::Int(self.list_prices.iter().map(|(m, _)| *m).min().unwrap_or(NO_PRICE)),
            SortKey::Sku => SortValue::Text(
                self.variants
                    .iter()
                    .filter_map(|(sku, ..)| sku.clone())
                    .min()
                    .unwrap_or_default(),
            ),
        })
    }
}

/// A product's update time as its cursor carries it: in nanoseconds, the finest any store
/// keeps, so the cursor's bound value compares equal to the stored one.
pub fn updated_nanos(p: &Product) -> i64 {
    time_nanos(p.updated_at)
}

/// A time as a cursor carries it (see [`updated_nanos`]).
pub fn time_nanos(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_nanos_opt().unwrap_or(i64::MAX)
}

/// The price a product without one sorts by: after every real price.
pub const NO_PRICE: i64 = i64::MAX;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_terms_are_words_never_syntax() {
        assert_eq!(
            search_terms("Rain-Jacket  \"XL\"* OR NEAR(a)"),
            ["rain", "jacket", "xl", "or", "near", "a"]
        );
        assert!(search_terms(" -*\"() ").is_empty());
    }

    #[test]
    fn cursors_round_trip_and_belong_to_their_sort() {
        let id = ProductId(uuid::Uuid::now_v7());
        let plain = Cursor {
            sort: Sort::default(),
            value: None,
            id,
        };
        assert_eq!(plain.encode(), id.to_string());
        assert_eq!(
            Cursor::decode("cursor", &plain.encode(), Sort::default()).unwrap(),
            plain
        );

        let by_name = Sort {
            key: SortKey::Name,
            descending: true,
        };
        let c = Cursor {
            sort: by_name,
            value: Some(SortValue::Text("Parka \"XL\"".into())),
            id,
        };
        assert_eq!(Cursor::decode("cursor", &c.encode(), by_name).unwrap(), c);
        let by_price = Sort {
            key: SortKey::Price,
            descending: false,
        };
        assert!(Cursor::decode("cursor", &c.encode(), by_price).is_err());
        assert!(Cursor::decode("cursor", "zz", by_name).is_err());
        assert!(Cursor::decode("cursor", &plain.encode(), by_name).is_err());
    }
}
