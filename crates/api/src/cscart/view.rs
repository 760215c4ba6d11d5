//! CS-Cart's shape of a product: every scalar a string, ids the organization's numbers, Y/N
//! flags, UNIX-second timestamps, the default variant's price, list price and code as the
//! product's own, stock as the whole of its variants', and CS-Cart's own fields from its
//! extension (`own.rs`). Fields CS-Cart computes from things this catalog does not have
//! (options, discounts from promotions, variations) are answered as CS-Cart answers for a
//! product without them.

use super::images;
use super::own;
use super::render::{Lookup, extra_categories};
use super::values::plain_number;
use super::wire::status_letter;
use pimento_core::attribute::{Attribute, AttributeType};
use pimento_core::money::Money;
use pimento_core::product::ProductView;
use pimento_core::variant::Variant;
use serde_json::{Map, Value, json};

/// The variant whose price, list price and code are the product's: the default one, else the
/// first.
pub fn main_variant(view: &ProductView) -> Option<&Variant> {
    let variants = view.variants.as_deref()?;
    view.product
        .default_variant_id
        .and_then(|id| variants.iter().find(|v| v.id == id))
        .or_else(|| variants.first())
}

/// The variant's price in CS-Cart's currency, wherever the variant keeps it (its own price or
/// one of its other currencies'); its own price when it has none in that currency.
pub fn primary_price(v: &Variant) -> Option<&Money> {
    let code = pimento_core::money::DEFAULT_CURRENCY;
    v.price
        .as_ref()
        .filter(|m| m.currency.code() == code)
        .or_else(|| v.prices.iter().find(|m| m.currency.code() == code))
        .or(v.price.as_ref())
}

/// An amount in hundredths of its major unit, whatever its currency's digits.
fn cents(m: &Money) -> i64 {
    let digits = m.currency.digits();
    let minor = i128::from(m.minor);
    let c = if digits <= 2 {
        minor * 10_i128.pow(2 - digits)
    } else {
        let div = 10_i128.pow(digits - 2);
        (minor + minor.signum() * div / 2) / div
    };
    i64::try_from(c).unwrap_or(i64::MAX)
}

/// A price as CS-Cart writes one: two decimals, whatever the currency's own digits (`"30.00"`
/// for 30 yen too; a third digit rounds half away from zero).
pub fn money(m: Option<&Money>) -> String {
    let cents = m.map_or(0, cents);
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

fn feature_value(a: &Attribute, v: &Value) -> Value {
    let (value, value_int, variant_id, variant) = match (a.attr_type, v) {
        (AttributeType::Select, Value::String(s)) => {
            let n = super::features::variant_id_of(a, s);
            (String::new(), Value::Null, n.to_string(), s.clone())
        }
        (AttributeType::Boolean, Value::Bool(b)) => (
            if *b { "Y" } else { "N" }.to_owned(),
            Value::Null,
            "0".to_owned(),
            String::new(),
        ),
        (AttributeType::Number, Value::Number(n)) => {
            let f = n.as_f64().unwrap_or_default();
            (
                String::new(),
                Value::String(format!("{f:.2}")),
                "0".to_owned(),
                String::new(),
            )
        }
        (_, Value::String(s)) => (s.clone(), Value::Null, "0".to_owned(), String::new()),
        (_, other) => (other.to_string(), Value::Null, "0".to_owned(), String::new()),
    };
    let mut selected = Map::new();
    if a.attr_type == AttributeType::Select && variant_id != "0" {
        selected.insert(
            variant_id.clone(),
            json!({"value": "", "value_int": null, "variant_id": variant_id, "variant": variant}),
        );
    }
    let own = super::features::own_fields(a);
    let own_field = |k: &str| own.get(k).cloned().unwrap_or(Value::String(String::new()));
    json!({
        "feature_id": a.number.to_string(),
        "value": value,
        "value_int": value_int,
        "variant_id": variant_id,
        "feature_type": own_field("feature_type"),
        "internal_name": own_field("internal_name"),
        "description": a.name,
        "prefix": own_field("prefix"),
        "suffix": own_field("suffix"),
        "variant": variant,
        "parent_id": own_field("parent_id"),
        "display_on_header": own_field("display_on_header"),
        "display_on_catalog": own_field("display_on_catalog"),
        "display_on_product": own_field("display_on_product"),
        "feature_code": a.key,
        "purpose": own_field("purpose"),
        "features_hash": if variant_id == "0" { String::new() } else { format!("{}-{variant_id}", a.number) },
        "variants": selected,
    })
}

/// A product's features: an object keyed by feature id, or `[]` when it has none (as CS-Cart
/// writes an empty list).
fn features(view: &ProductView, l: &Lookup) -> Value {
    let mut out = Map::new();
    for (key, v) in view.product.attributes.iter().flatten() {
        if let Some(a) = l.attributes.get(key) {
            out.insert(a.number.to_string(), feature_value(a, v));
        }
    }
    if out.is_empty() { json!([]) } else { Value::Object(out) }
}

/// A product as `GET /api/products/{id}` and the lists show it.
pub fn product(view: &ProductView, l: &Lookup) -> Value {
    let p = &view.product;
    let ext = &p.extensions;
    let v = main_variant(view);
    let price = money(v.and_then(primary_price));
    let list_price = money(v.and_then(|v| v.list_price.as_ref()));
    let amount: i64 = view.variants.iter().flatten().map(|v| v.inventory_quantity).sum();
    let dims = p.details.dimensions;
    let main_category = p.category_id.and_then(|c| l.categories.get(&c)).map(|c| c.number);
    let mut category_ids: Vec<i64> = main_category.into_iter().collect();
    for c in extra_categories(view) {
        if let Some(n) = l.categories.get(&c).map(|c| c.number)
            && !category_ids.contains(&n)
        {
            category_ids.push(n);
        }
    }
    let pairs = images::pairs(view);
    let main_pair = pairs
        .iter()
        .position(|p| p.main)
        .map(|i| images::render(&pairs[i], i, p.number));
    let image_pairs: Map<String, Value> = pairs
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.main)
        .map(|(i, pair)| {
            let id = pair.id.unwrap_or(i as i64 + 1);
            (id.to_string(), images::render(pair, i, p.number))
        })
        .collect();
    let list_minor = v.and_then(|v| v.list_price.as_ref()).map_or(0, cents);
    let price_minor = v.and_then(primary_price).map_or(0, cents);
    let mut out = json!({
        "product_id": p.number.to_string(),
        "product": p.name,
        "product_code": v.and_then(|v| v.sku.clone()).unwrap_or_default(),
        "status": status_letter(p.status),
        "company_id": p.vendor_id.and_then(|id| l.vendors.get(&id)).map_or_else(|| "0".to_owned(), i64::to_string),
        "list_price": list_price,
        "amount": amount.to_string(),
        "weight": format!("{:.3}", dims.weight.unwrap_or(0.0)),
        "length": plain_number(dims.length.unwrap_or(0.0)),
        "width": plain_number(dims.width.unwrap_or(0.0)),
        "height": plain_number(dims.height.unwrap_or(0.0)),
        "timestamp": p.created_at.timestamp().to_string(),
        "updated_timestamp": p.updated_at.timestamp().to_string(),
        "shipping_params": own::shipping_params(ext),
        "price": price,
        "base_price": price,
        "category_ids": category_ids,
        "main_category": main_category.unwrap_or(0),
        "seo_name": p.handle,
        "seo_path": p.category_id.map(|c| l.seo_path(c)).unwrap_or_default(),
        "short_description": p.details.short_description.clone().unwrap_or_default(),
        "full_description": p.description.clone().unwrap_or_default(),
        "meta_keywords": p.details.seo.meta_keywords.clone().unwrap_or_default(),
        "meta_description": p.details.seo.meta_description.clone().unwrap_or_default(),
        "page_title": p.details.seo.page_title.clone().unwrap_or_default(),
    });
    let rest = json!({
        "options_type_raw": null,
        "exceptions_type_raw": null,
        "tracking_raw": null,
        "zero_price_action_raw": null,
        "min_qty_raw": null,
        "max_qty_raw": null,
        "qty_step_raw": null,
        "list_qty_count_raw": null,
        "details_layout_raw": own::read(ext, "details_layout"),
        "variation_features": [],
        "main_pair": main_pair.unwrap_or_else(|| json!([])),
        "image_pairs": if image_pairs.is_empty() { json!([]) } else { Value::Object(image_pairs) },
        "selected_options": [],
        "has_options": false,
        "product_options": [],
        "discounts": {"A": 0, "P": 0},
        "product_features": features(view, l),
        "qty_content": [],
    });
    if let (Value::Object(m), Value::Object(rest)) = (&mut out, rest) {
        m.extend(rest);
        for (name, ..) in own::FIELDS {
            m.insert((*name).to_owned(), Value::String(own::read(ext, name)));
        }
        // As CS-Cart: a list price above the price is a discount, in money and in percent.
        if list_minor > price_minor && list_minor > 0 {
            let off = list_minor - price_minor;
            let whole = if off % 100 == 0 {
                json!(off / 100)
            } else {
                json!(off as f64 / 100.0)
            };
            m.insert("list_discount".into(), whole);
            m.insert(
                "list_discount_prc".into(),
                json!(((off as f64 / list_minor as f64) * 100.0).round().to_string()),
            );
        }
    }
    out
}
