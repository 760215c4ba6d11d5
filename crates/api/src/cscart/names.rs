//! The CS-Cart API's names for the core's fields: a product's `name` is its `product`, its
//! description its `full_description`, its handle its `seo_name`; its default variant's SKU,
//! price, list price and stock are the product's own `product_code`, `price`, `list_price` and
//! `amount`.

use std::borrow::Cow;

/// Core names CS-Cart spells otherwise.
const RENAMES: &[(&str, &str)] = &[
    ("name", "product"),
    ("description", "full_description"),
    ("handle", "seo_name"),
    ("category", "category_ids"),
    ("category_id", "category_ids"),
    ("vendor_id", "company_id"),
    ("attributes", "product_features"),
    ("media", "image_pairs"),
    ("public_url", "image_path"),
    ("alt_text", "alt"),
    ("sku", "product_code"),
    ("inventory_quantity", "amount"),
    ("slug", "seo_name"),
    ("options", "variants"),
];

/// A feature's fields, where they are named otherwise than a product's.
pub const FEATURE: crate::error::Names = &[("name", "description"), ("key", "feature_code")];
/// A category's.
pub const CATEGORY: crate::error::Names = &[("name", "category"), ("description", "description")];
/// A vendor's.
pub const VENDOR: crate::error::Names = &[("name", "company"), ("description", "company_description")];

/// This API's name for a core field name.
pub fn spell(core: &str) -> Cow<'static, str> {
    match RENAMES.iter().find(|(c, _)| *c == core) {
        Some((_, wire)) => Cow::Borrowed(wire),
        None => Cow::Owned(core.to_owned()),
    }
}

/// A spelled field of a product as CS-Cart sees it: the default variant's fields are the
/// product's own (`variants[0].price` is `price`).
pub fn product_field(field: &str) -> &str {
    match field.strip_prefix("variants[") {
        Some(rest) => rest.split_once("].").map_or(field, |(_, f)| f),
        None => field,
    }
}
