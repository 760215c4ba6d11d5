//! A product body as CS-Cart clients send it, read field by field so that a string or a
//! number is taken wherever CS-Cart takes one and a refusal names the field. What it changes
//! in the core is built by the handlers (`products.rs`), which look up the numbers it names.

use super::images::{self, Pair};
use super::own;
use super::values::{IdList, Text, bad, flag, id_number, integer, number};
use crate::error::ApiError;
use pimento_core::details::DetailsPatch;
use pimento_core::patch::Patch;
use pimento_core::product::ProductStatus;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A product as `POST /api/products` and `PUT /api/products/{id}` take it. Every scalar may be
/// a string or a number. On create `product`, `category_ids` and `price` are required; on
/// update every field is optional and only those given change. CS-Cart's own fields
/// (`free_shipping`, `min_qty`, `tax_ids`, …, listed in `docs/API.md`) are kept and read back.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ProductBody {
    /// The product's name.
    pub product: Option<String>,
    /// The categories it is in (an array, one id, or ids separated by commas); the first is
    /// the main one unless `main_category` says otherwise.
    #[schema(value_type = Option<Vec<String>>)]
    pub category_ids: Option<IdList>,
    pub main_category: Option<Text>,
    /// The price in the primary currency (`"30.00"`).
    pub price: Option<Text>,
    pub list_price: Option<Text>,
    /// Stock.
    pub amount: Option<Text>,
    pub product_code: Option<String>,
    /// `A` active, `D` disabled, `H` hidden (`A` on create).
    pub status: Option<String>,
    /// The vendor's id; `0` for none.
    pub company_id: Option<Text>,
    pub full_description: Option<String>,
    pub short_description: Option<String>,
    pub meta_description: Option<String>,
    pub meta_keywords: Option<String>,
    pub page_title: Option<String>,
    /// The product's unique slug; derived from the name when absent.
    pub seo_name: Option<String>,
    pub weight: Option<Text>,
    pub length: Option<Text>,
    pub width: Option<Text>,
    pub height: Option<Text>,
    /// `{feature_id: {feature_id, variant_id | value, …}}`.
    #[schema(value_type = Option<Object>)]
    pub product_features: Option<Value>,
    /// The main image pair: `{detailed: {image_path | image_url | absolute_path | relative_path, alt}}`.
    #[schema(value_type = Option<Object>)]
    pub main_pair: Option<Value>,
    /// Additional image pairs, keyed by pair id (or an array).
    #[schema(value_type = Option<Object>)]
    pub image_pairs: Option<Value>,
}

/// A feature's number, the `product_features` entry sent for it, and the path that names the
/// entry in an error (`product_features.18`, `product_features[0]`).
pub type FeatureEntry = (i64, Map<String, Value>, String);

/// What a product body says, checked.
#[derive(Debug, Default)]
pub struct ProductParts {
    pub name: Option<String>,
    pub categories: Option<Vec<i64>>,
    pub main_category: Option<i64>,
    pub price: Option<String>,
    pub list_price: Patch<String>,
    pub amount: Option<i64>,
    pub code: Patch<String>,
    pub status: Option<ProductStatus>,
    /// `Some(None)`: no vendor (`company_id: 0`).
    pub company: Option<Option<i64>>,
    pub description: Patch<String>,
    pub handle: Option<String>,
    pub details: DetailsPatch,
    /// Feature number → the entry sent for it.
    pub features: Option<Vec<FeatureEntry>>,
    pub main_pair: Option<Option<Pair>>,
    pub image_pairs: Option<Vec<Pair>>,
    /// Everything sent, for CS-Cart's own fields.
    pub given: BTreeMap<String, Value>,
}

/// CS-Cart's status letter of a core status: disabled, and what is not ready for sale
/// (draft, proposed, rejected), is `D`.
pub fn status_letter(s: ProductStatus) -> &'static str {
    match s {
        ProductStatus::Active => "A",
        ProductStatus::Hidden => "H",
        ProductStatus::Disabled | ProductStatus::Draft | ProductStatus::Proposed | ProductStatus::Rejected => "D",
    }
}

/// The core status of a CS-Cart status letter.
pub fn status_of(field: &str, raw: &str) -> Result<ProductStatus, ApiError> {
    match raw.trim().to_ascii_uppercase().as_str() {
        "A" => Ok(ProductStatus::Active),
        "D" => Ok(ProductStatus::Disabled),
        "H" => Ok(ProductStatus::Hidden),
        _ => Err(bad(field, format!("'{raw}' is not A, D or H"))),
    }
}

fn text(field: &str, v: &Value) -> Result<String, ApiError> {
    Text::deserialize(v)
        .map(|t| t.0)
        .map_err(|_| bad(field, "must be a string or a number"))
}

/// A text field: `null` or blank clears it.
fn clearable(field: &str, v: Option<&Value>) -> Result<Patch<String>, ApiError> {
    Ok(match v {
        None => Patch::Keep,
        Some(Value::Null) => Patch::Clear,
        Some(v) => match text(field, v)? {
            t if t.trim().is_empty() => Patch::Clear,
            t => Patch::Set(t),
        },
    })
}

fn measure(field: &str, v: Option<&Value>) -> Result<Patch<f64>, ApiError> {
    Ok(match v {
        None => Patch::Keep,
        Some(Value::Null) => Patch::Clear,
        Some(v) => Patch::Set(number(field, &text(field, v)?)?),
    })
}

impl ProductParts {
    /// Reads a body; `creating` requires what CS-Cart requires of a new product.
    pub fn read(body: Map<String, Value>, creating: bool) -> Result<ProductParts, ApiError> {
        let given: BTreeMap<String, Value> = body.into_iter().collect();
        let get = |k: &str| given.get(k).filter(|v| !v.is_null() || !creating);
        let mut p = ProductParts::default();
        if let Some(v) = get("product") {
            let t = text("product", v)?;
            if t.trim().is_empty() {
                return Err(bad("product", "must not be blank"));
            }
            p.name = Some(t);
        }
        if let Some(v) = get("category_ids") {
            let ids = IdList::deserialize(v).map_err(|_| bad("category_ids", "must be a list of category ids"))?;
            let numbers = ids
                .0
                .iter()
                .map(|t| id_number("category_ids", &t.0))
                .collect::<Result<Vec<_>, _>>()?;
            if numbers.is_empty() {
                return Err(bad("category_ids", "must name at least one category"));
            }
            p.categories = Some(numbers);
        }
        if let Some(v) = get("main_category") {
            p.main_category = Some(id_number("main_category", &text("main_category", v)?)?);
        }
        if let Some(v) = get("price") {
            let t = text("price", v)?;
            super::values::price_minor("price", &t)?;
            p.price = Some(t.trim().to_owned());
        }
        p.list_price = match get("list_price") {
            None => Patch::Keep,
            Some(Value::Null) => Patch::Clear,
            Some(v) => {
                let t = text("list_price", v)?;
                // CS-Cart's "no list price" is 0.
                if super::values::price_minor("list_price", &t)? == 0 {
                    Patch::Clear
                } else {
                    Patch::Set(t.trim().to_owned())
                }
            }
        };
        if let Some(v) = get("amount") {
            p.amount = Some(integer("amount", &text("amount", v)?)?);
        }
        p.code = clearable("product_code", get("product_code"))?;
        if let Some(v) = get("status") {
            p.status = Some(status_of("status", &text("status", v)?)?);
        }
        if let Some(v) = get("company_id") {
            let n = integer("company_id", &text("company_id", v)?)?;
            p.company = Some(match n {
                0 => None,
                n if n > 0 => Some(n),
                _ => return Err(bad("company_id", "must be a vendor's id, or 0")),
            });
        }
        p.description = clearable("full_description", get("full_description"))?;
        if let Some(v) = get("seo_name") {
            let t = text("seo_name", v)?;
            if !t.trim().is_empty() {
                p.handle = Some(t.trim().to_owned());
            }
        }
        p.details = DetailsPatch {
            short_description: clearable("short_description", get("short_description"))?,
            page_title: clearable("page_title", get("page_title"))?,
            meta_description: clearable("meta_description", get("meta_description"))?,
            meta_keywords: clearable("meta_keywords", get("meta_keywords"))?,
            weight: measure("weight", get("weight"))?,
            length: measure("length", get("length"))?,
            width: measure("width", get("width"))?,
            height: measure("height", get("height"))?,
            ..DetailsPatch::default()
        };
        if let Some(v) = get("product_features") {
            p.features = Some(features(v)?);
        }
        if let Some(v) = get("main_pair") {
            p.main_pair = Some(match v {
                Value::Null => None,
                v => Some(images::read_pair("main_pair", v, true)?),
            });
        }
        if let Some(v) = get("image_pairs") {
            p.image_pairs = Some(images::read_pairs("image_pairs", v)?);
        }
        if let Some(v) = given.get("free_shipping").filter(|v| !v.is_null()) {
            flag("free_shipping", &text("free_shipping", v)?)?;
        }
        if creating {
            for required in ["product", "category_ids", "price"] {
                if given.get(required).is_none_or(Value::is_null) {
                    return Err(bad(required, "is required"));
                }
            }
        }
        p.given = given;
        Ok(p)
    }

    /// The extension patch of CS-Cart's own fields in the body, with `extra` values.
    pub fn own_patch(
        &self,
        extra: Map<String, Value>,
    ) -> Result<Option<pimento_core::extension::ExtensionPatch>, ApiError> {
        own::patch(&self.given, extra)
    }
}

/// `product_features` as `{id: {...}}` or `[{feature_id, ...}]`: each feature's number and entry.
fn features(v: &Value) -> Result<Vec<FeatureEntry>, ApiError> {
    let entries: Vec<(Option<String>, String, &Value)> = match v {
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| (Some(k.clone()), format!("product_features.{k}"), v))
            .collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (None, format!("product_features[{i}]"), v))
            .collect(),
        _ => return Err(bad("product_features", "must be an object keyed by feature id")),
    };
    entries
        .into_iter()
        .map(|(key, at, entry)| {
            let entry = match entry {
                Value::Object(m) => m.clone(),
                // `{"18": "86"}`: the variant (or value) alone.
                Value::String(_) | Value::Number(_) => {
                    let mut m = Map::new();
                    m.insert("value".into(), entry.clone());
                    m
                }
                _ => return Err(bad(&at, "must be an object")),
            };
            let (raw, id_at) = match entry.get("feature_id") {
                Some(v) => (text(&format!("{at}.feature_id"), v)?, format!("{at}.feature_id")),
                None if key.is_none() => return Err(bad(&format!("{at}.feature_id"), "is required")),
                None => (key.clone().unwrap_or_default(), at.clone()),
            };
            Ok((id_number(&id_at, &raw)?, entry, at))
        })
        .collect()
}
