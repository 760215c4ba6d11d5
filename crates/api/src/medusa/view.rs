//! Medusa's shapes of the catalog: a product with its type, collection, options, tags, images,
//! variants (with prices and option values) and categories, built whole as JSON and then cut
//! down to the request's `fields` (`fields.rs`).
//!
//! Fields Medusa has and the core does not (`is_giftcard`, `hs_code`, a variant's `ean`, …) are
//! kept in the product's and variants' `medusa` extension (`EXT`) and read back from there.

use super::ids;
use chrono::{DateTime, Utc};
use pimento_core::collection::Collection;
use pimento_core::extension::Extensions;
use pimento_core::label::{ProductType, Tag};
use pimento_core::money::Money;
use pimento_core::options::VariantOption;
use pimento_core::product::{ProductStatus, ProductView};
use pimento_core::taxonomy::Category;
use pimento_core::variant::Variant;
use serde_json::{Map, Value, json};

/// The extension owner of Medusa's own fields.
pub const EXT: &str = "medusa";

/// Medusa's timestamp form: UTC with milliseconds (`2026-12-06T21:59:52.202Z`). Written
/// without a format string, which chrono would parse again at every call.
pub fn ts(t: DateTime<Utc>) -> Value {
    Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

fn opt_ts(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, ts)
}

/// Medusa's statuses of the core's lifecycle; a status only other APIs have (hidden, disabled)
/// shows as `draft`, the one Medusa status that is not for sale either.
pub fn status_name(s: ProductStatus) -> &'static str {
    match s {
        ProductStatus::Draft | ProductStatus::Hidden | ProductStatus::Disabled => "draft",
        ProductStatus::Proposed => "proposed",
        ProductStatus::Active => "published",
        ProductStatus::Rejected => "rejected",
    }
}

/// The core status of a Medusa status.
pub fn status_of(name: &str) -> Option<ProductStatus> {
    Some(match name {
        "draft" => ProductStatus::Draft,
        "proposed" => ProductStatus::Proposed,
        "published" => ProductStatus::Active,
        "rejected" => ProductStatus::Rejected,
        _ => return None,
    })
}

/// An amount in major units as a JSON number (`10`, `9.5`), as Medusa shows prices.
pub fn amount(m: &Money) -> Value {
    let unit = 10_i64.pow(m.currency.digits());
    if m.minor % unit == 0 {
        Value::from(m.minor / unit)
    } else {
        Value::from(m.minor as f64 / unit as f64)
    }
}

fn ext(e: &Extensions, key: &str) -> Value {
    e.get(EXT, key).cloned().unwrap_or(Value::Null)
}

fn ext_or(e: &Extensions, key: &str, default: Value) -> Value {
    e.get(EXT, key).cloned().unwrap_or(default)
}

fn measure(v: Option<f64>) -> Value {
    v.map_or(Value::Null, |n| {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            Value::from(n as i64)
        } else {
            Value::from(n)
        }
    })
}

/// A product type, as it appears inside a product and on its own.
pub fn product_type(t: &ProductType) -> Value {
    json!({
        "id": ids::TYPE.show(t.id.0),
        "value": t.value,
        "external_id": Value::Null,
        "metadata": t.metadata,
        "created_at": ts(t.created_at),
        "updated_at": ts(t.updated_at),
        "deleted_at": Value::Null,
    })
}

/// A tag.
pub fn tag(t: &Tag) -> Value {
    json!({
        "id": ids::TAG.show(t.id.0),
        "value": t.value,
        "external_id": Value::Null,
        "metadata": t.metadata,
        "created_at": ts(t.created_at),
        "updated_at": ts(t.updated_at),
        "deleted_at": Value::Null,
    })
}

/// A collection.
pub fn collection(c: &Collection) -> Value {
    json!({
        "id": ids::COLLECTION.show(c.id.0),
        "title": c.title,
        "handle": c.handle,
        "external_id": Value::Null,
        "metadata": c.metadata,
        "created_at": ts(c.created_at),
        "updated_at": ts(c.updated_at),
        "deleted_at": Value::Null,
    })
}

/// A category as a product lists it.
pub fn category(c: &Category) -> Value {
    json!({
        "id": ids::CATEGORY.show(c.id.0),
        "name": c.name,
        "description": c.description.clone().unwrap_or_default(),
        "handle": c.slug,
        "is_active": true,
        "is_internal": false,
        "rank": 0,
        "parent_category_id": c.parent_id.map(|p| ids::CATEGORY.show(p.0)),
        "metadata": Value::Null,
        "created_at": ts(c.created_at),
        "updated_at": ts(c.updated_at),
        "deleted_at": Value::Null,
    })
}

/// An option with its values.
pub fn option(o: &VariantOption) -> Value {
    let oid = ids::OPTION.show(o.id.0);
    let values: Vec<Value> = o
        .values
        .iter()
        .map(|v| {
            json!({
                "id": ids::OPTION_VALUE.show(v.id.0),
                "value": v.value,
                "rank": v.rank,
                "metadata": Value::Null,
                "option_id": oid,
                "created_at": ts(o.created_at),
                "updated_at": ts(o.updated_at),
                "deleted_at": Value::Null,
            })
        })
        .collect();
    let mut out = option_head(o);
    out.insert("values".into(), Value::Array(values));
    Value::Object(out)
}

fn option_head(o: &VariantOption) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), Value::String(ids::OPTION.show(o.id.0)));
    m.insert("title".into(), Value::String(o.name.clone()));
    m.insert("is_exclusive".into(), Value::Bool(o.product_id.is_some()));
    m.insert("metadata".into(), Value::Null);
    m.insert("created_at".into(), ts(o.created_at));
    m.insert("updated_at".into(), ts(o.updated_at));
    m.insert("deleted_at".into(), Value::Null);
    m
}

/// What a product's JSON is built from, besides the product view itself.
#[derive(Default)]
pub struct Related<'a> {
    /// The product's options, each with all its values.
    pub options: &'a [VariantOption],
    pub collection: Option<&'a Collection>,
    pub product_type: Option<&'a ProductType>,
    pub category: Option<&'a Category>,
}

/// A variant; `images` are the product's images shown with it.
pub fn variant(v: &Variant, options: &[VariantOption], images: &[Value]) -> Value {
    let vid = ids::VARIANT.show(v.id.0);
    let mut prices = Vec::new();
    for m in v.price.iter().chain(v.prices.iter()) {
        prices.push(json!({
            "id": price_id(v, m),
            "amount": amount(m),
            "currency_code": m.currency.code().to_ascii_lowercase(),
            "min_quantity": Value::Null,
            "max_quantity": Value::Null,
            "variant_id": vid,
            "created_at": ts(v.created_at),
            "updated_at": ts(v.updated_at),
            "rules": {},
        }));
    }
    let picked: Vec<Value> = v
        .options
        .iter()
        .map(|pick| {
            let option = options.iter().find(|o| o.id == pick.option_id);
            json!({
                "id": ids::OPTION_VALUE.show(pick.value_id.0),
                "value": pick.value,
                "rank": option.and_then(|o| o.values.iter().find(|x| x.id == pick.value_id)).map(|x| x.rank),
                "metadata": Value::Null,
                "option_id": ids::OPTION.show(pick.option_id.0),
                "option": option.map_or_else(
                    || json!({"id": ids::OPTION.show(pick.option_id.0), "title": pick.option_name}),
                    |o| Value::Object(option_head(o)),
                ),
                "created_at": ts(v.created_at),
                "updated_at": ts(v.updated_at),
                "deleted_at": Value::Null,
            })
        })
        .collect();
    let e = &v.extensions;
    json!({
        "id": vid,
        "title": v.title,
        "sku": v.sku,
        "barcode": v.barcode.clone().map_or_else(|| ext(e, "barcode"), Value::String),
        "ean": ext(e, "ean"),
        "upc": ext(e, "upc"),
        "allow_backorder": ext_or(e, "allow_backorder", Value::Bool(false)),
        "manage_inventory": ext_or(e, "manage_inventory", Value::Bool(true)),
        "inventory_quantity": v.inventory_quantity,
        "hs_code": ext(e, "hs_code"),
        "origin_country": ext(e, "origin_country"),
        "mid_code": ext(e, "mid_code"),
        "material": ext(e, "material"),
        "weight": ext(e, "weight"),
        "length": ext(e, "length"),
        "height": ext(e, "height"),
        "width": ext(e, "width"),
        "metadata": v.metadata,
        "variant_rank": ext_or(e, "variant_rank", Value::from(v.rank)),
        "thumbnail": ext(e, "thumbnail"),
        "product_id": ids::PRODUCT.show(v.product_id.0),
        "created_at": ts(v.created_at),
        "updated_at": ts(v.updated_at),
        "deleted_at": Value::Null,
        "images": images,
        "options": picked,
        "prices": prices,
    })
}

/// A price's id: the variant's, with the currency (a variant has one price per currency).
pub fn price_id(v: &Variant, m: &Money) -> String {
    format!("{}_{}", ids::PRICE.show(v.id.0), m.currency.code().to_ascii_lowercase())
}

/// A product, whole.
pub fn product(view: &ProductView, related: &Related) -> Value {
    let p = &view.product;
    let pid = ids::PRODUCT.show(p.id.0);
    let images: Vec<Value> = view
        .media
        .iter()
        .flatten()
        .map(|m| {
            json!({
                "id": ids::IMAGE.show(m.id.0),
                "url": m.asset.public_url.clone().or_else(|| m.asset.source_url.clone()),
                "metadata": Value::Null,
                "rank": m.position,
                "product_id": pid,
                "created_at": ts(m.asset.created_at),
                "updated_at": ts(m.asset.updated_at),
                "deleted_at": Value::Null,
            })
        })
        .collect();
    let variants: Vec<Value> = view
        .variants
        .iter()
        .flatten()
        .map(|v| variant(v, related.options, &images))
        .collect();
    let e = &p.extensions;
    let d = &p.details;
    json!({
        "id": pid,
        "title": p.name,
        "subtitle": d.subtitle,
        "status": status_name(p.status),
        "external_id": ext(e, "external_id"),
        "description": p.description,
        "handle": p.handle,
        "is_giftcard": ext_or(e, "is_giftcard", Value::Bool(false)),
        "discountable": ext_or(e, "discountable", Value::Bool(true)),
        "thumbnail": d.thumbnail,
        "collection_id": p.collection_id.map(|c| ids::COLLECTION.show(c.0)),
        "type_id": p.type_id.map(|t| ids::TYPE.show(t.0)),
        "weight": measure(d.dimensions.weight),
        "length": measure(d.dimensions.length),
        "height": measure(d.dimensions.height),
        "width": measure(d.dimensions.width),
        "hs_code": ext(e, "hs_code"),
        "origin_country": ext(e, "origin_country"),
        "mid_code": ext(e, "mid_code"),
        "material": ext(e, "material"),
        "created_at": ts(p.created_at),
        "updated_at": ts(p.updated_at),
        "deleted_at": opt_ts(p.archived_at),
        "metadata": p.metadata,
        "type": related.product_type.map(product_type),
        "collection": related.collection.map(collection),
        "options": related.options.iter().map(option).collect::<Vec<_>>(),
        "tags": view.tags.iter().flatten().map(tag).collect::<Vec<_>>(),
        "images": images,
        "variants": variants,
        "categories": related.category.map(category).into_iter().collect::<Vec<_>>(),
        "shipping_profile": e.get(EXT, "shipping_profile_id").map(|id| json!({ "id": id })),
        "sales_channels": e
            .get(EXT, "sales_channels")
            .and_then(Value::as_array)
            .map(|ids| ids.iter().map(|id| json!({ "id": id })).collect::<Vec<_>>())
            .unwrap_or_default(),
    })
}
