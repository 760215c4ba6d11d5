//! CS-Cart's own fields: what only CS-Cart knows of a product (`free_shipping`, `age_limit`,
//! `min_qty`, `tax_ids`, `tracking`, …), a feature (`prefix`, `suffix`, `position`, …), a
//! category (`meta_keywords`, `company_id`, …) and a company (`phone`, `address`, …). They are
//! kept in the object's `cscart` extension as the canonical text of what the client sent
//! (`Y`/`N` upper-case, whole numbers without padding), so what a client writes it reads back
//! and a list can filter on them; an object that never had one (made through another API)
//! reads and filters as its default.

use super::values::{Text, bad, flag, integer, letter, number};
use crate::error::ApiError;
use pimento_core::extension::{ExtensionPatch, Extensions};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The extension owner of CS-Cart's own fields.
pub const EXT: &str = "cscart";

/// What a field holds, and how its text is checked.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// `Y` or `N`.
    Flag,
    /// One of these letters.
    Letters(&'static [&'static str]),
    /// A whole number.
    Int,
    /// A decimal, written with two places.
    Decimal,
    /// Free text.
    Text,
    /// Ids separated by commas (an array is taken too).
    Ids,
}

/// Own fields of one kind of object: name, kind, and the value an object that never had the
/// field reads as.
pub type Table = &'static [(&'static str, Kind, &'static str)];

/// A feature's own fields. `internal_name` and `purpose` have no fixed default: absent, they
/// read as the feature's name and as what its type suggests.
pub const FEATURE_FIELDS: Table = &[
    ("status", Kind::Letters(&["A", "D", "H"]), "A"),
    ("position", Kind::Int, "0"),
    ("prefix", Kind::Text, ""),
    ("suffix", Kind::Text, ""),
    ("parent_id", Kind::Int, "0"),
    ("company_id", Kind::Int, "0"),
    ("display_on_header", Kind::Flag, "N"),
    ("display_on_catalog", Kind::Flag, "N"),
    ("display_on_product", Kind::Flag, "Y"),
    ("comparison", Kind::Flag, "N"),
    ("categories_path", Kind::Ids, ""),
    ("feature_style", Kind::Text, ""),
    ("filter_style", Kind::Text, ""),
    ("full_description", Kind::Text, ""),
    ("internal_name", Kind::Text, ""),
    ("purpose", Kind::Text, ""),
];

/// A feature variant's own fields, kept in its feature's extension by the variant's number
/// (`variant_fields`). `position` reads as the variant's place until one is written.
pub const VARIANT_FIELDS: Table = &[
    ("position", Kind::Int, "0"),
    ("description", Kind::Text, ""),
    ("page_title", Kind::Text, ""),
    ("meta_keywords", Kind::Text, ""),
    ("meta_description", Kind::Text, ""),
    ("url", Kind::Text, ""),
    ("color", Kind::Text, ""),
];

/// A category's own fields. `company_id` is a vendor's number, checked by the handler.
pub const CATEGORY_FIELDS: Table = &[
    ("company_id", Kind::Int, "0"),
    ("status", Kind::Letters(&["A", "D", "H"]), "A"),
    ("position", Kind::Int, "0"),
    ("meta_keywords", Kind::Text, ""),
    ("meta_description", Kind::Text, ""),
    ("page_title", Kind::Text, ""),
    ("usergroup_ids", Kind::Ids, "0"),
    ("localization", Kind::Text, ""),
    ("age_verification", Kind::Flag, "N"),
    ("age_limit", Kind::Int, "0"),
    ("age_warning_message", Kind::Text, ""),
    ("product_details_view", Kind::Text, "default"),
    ("default_layout", Kind::Text, ""),
    ("product_columns", Kind::Int, "0"),
    ("selected_views", Kind::Text, ""),
    ("use_custom_templates", Kind::Flag, "N"),
];

/// A company's (vendor's) own fields: its contact details.
pub const VENDOR_FIELDS: Table = &[
    ("phone", Kind::Text, ""),
    ("fax", Kind::Text, ""),
    ("url", Kind::Text, ""),
    ("address", Kind::Text, ""),
    ("city", Kind::Text, ""),
    ("state", Kind::Text, ""),
    ("country", Kind::Text, ""),
    ("zipcode", Kind::Text, ""),
    ("tax_number", Kind::Text, ""),
    ("lang_code", Kind::Text, "en"),
];

/// CS-Cart's own fields of a product, with the value a product that never had one reads as.
pub const FIELDS: Table = &[
    ("product_type", Kind::Letters(&["P", "V", "C"]), "P"),
    ("parent_product_id", Kind::Int, "0"),
    ("shipping_freight", Kind::Decimal, "0.00"),
    ("low_avail_limit", Kind::Int, "0"),
    ("usergroup_ids", Kind::Ids, "0"),
    ("is_edp", Kind::Flag, "N"),
    ("edp_shipping", Kind::Flag, "N"),
    ("unlimited_download", Kind::Flag, "N"),
    ("tracking", Kind::Letters(&["B", "D"]), "B"),
    ("free_shipping", Kind::Flag, "N"),
    ("zero_price_action", Kind::Letters(&["R", "P", "A"]), "R"),
    ("is_pbp", Kind::Flag, "Y"),
    ("is_op", Kind::Flag, "N"),
    ("is_oper", Kind::Flag, "N"),
    ("is_returnable", Kind::Flag, "Y"),
    ("return_period", Kind::Int, "10"),
    ("avail_since", Kind::Int, "0"),
    ("out_of_stock_actions", Kind::Letters(&["N", "B", "S"]), "N"),
    ("localization", Kind::Text, ""),
    ("min_qty", Kind::Int, "0"),
    ("max_qty", Kind::Int, "0"),
    ("qty_step", Kind::Int, "0"),
    ("list_qty_count", Kind::Int, "0"),
    ("tax_ids", Kind::Ids, ""),
    ("age_verification", Kind::Flag, "N"),
    ("age_limit", Kind::Int, "0"),
    ("age_warning_message", Kind::Text, ""),
    ("options_type", Kind::Letters(&["P", "S"]), "P"),
    ("exceptions_type", Kind::Letters(&["A", "F"]), "F"),
    ("details_layout", Kind::Text, "default"),
    ("promo_text", Kind::Text, ""),
    ("search_words", Kind::Text, ""),
    ("point_price", Kind::Decimal, "0.00"),
    ("popularity", Kind::Int, "0"),
    ("sales_amount", Kind::Int, "0"),
    ("shared_product", Kind::Flag, "N"),
    ("min_items_in_box", Kind::Int, "0"),
    ("max_items_in_box", Kind::Int, "0"),
    ("box_length", Kind::Int, "0"),
    ("box_width", Kind::Int, "0"),
    ("box_height", Kind::Int, "0"),
];

/// The field's kind and default.
pub fn field(name: &str) -> Option<(Kind, &'static str)> {
    FIELDS.iter().find(|(n, ..)| *n == name).map(|(_, k, d)| (*k, *d))
}

/// The canonical text of a value sent for `name`.
pub fn canonical(name: &str, kind: Kind, raw: &str) -> Result<String, ApiError> {
    Ok(match kind {
        Kind::Flag => if flag(name, raw)? { "Y" } else { "N" }.to_owned(),
        Kind::Letters(allowed) => letter(name, raw, allowed)?,
        Kind::Int => integer(name, raw)?.to_string(),
        Kind::Decimal => {
            let n = number(name, raw)?;
            if n < 0.0 {
                return Err(bad(name, "must not be negative"));
            }
            format!("{n:.2}")
        }
        Kind::Text => raw.to_owned(),
        Kind::Ids => raw
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| integer(name, s).map(|n| n.to_string()))
            .collect::<Result<Vec<_>, _>>()?
            .join(","),
    })
}

/// The stored value of a product's `name`, or its default.
pub fn read(ext: &Extensions, name: &str) -> String {
    read_in(FIELDS, ext, name)
}

/// The stored value of `name`, one of `table`'s, or its default.
pub fn read_in(table: Table, ext: &Extensions, name: &str) -> String {
    stored(ext, name).unwrap_or_else(|| {
        table
            .iter()
            .find(|(n, ..)| *n == name)
            .map(|(.., d)| (*d).to_owned())
            .unwrap_or_default()
    })
}

/// The stored value of `name`, if one was written.
pub fn stored(ext: &Extensions, name: &str) -> Option<String> {
    match ext.get(EXT, name)? {
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Every field of `table` as its stored value or default, into `out`.
pub fn render_in(table: Table, ext: &Extensions, out: &mut Map<String, Value>) {
    for (name, ..) in table {
        out.insert((*name).to_owned(), Value::String(read_in(table, ext, name)));
    }
}

/// The patch that stores the fields of a body that are CS-Cart's own, and the other values
/// this API keeps (`extra`: already checked, such as the extra categories and the images).
pub fn patch(
    given: &std::collections::BTreeMap<String, Value>,
    extra: Map<String, Value>,
) -> Result<Option<ExtensionPatch>, ApiError> {
    patch_in(FIELDS, given, extra)
}

/// The patch that stores the fields of a body that are `table`'s, and `extra` values.
pub fn patch_in(
    table: Table,
    given: &std::collections::BTreeMap<String, Value>,
    extra: Map<String, Value>,
) -> Result<Option<ExtensionPatch>, ApiError> {
    let mut fields = extra;
    for (name, kind, _) in table {
        let Some(v) = given.get(*name) else { continue };
        let raw = match v {
            Value::Null => {
                fields.insert((*name).to_owned(), Value::Null);
                continue;
            }
            Value::Array(items) if matches!(kind, Kind::Ids) => items
                .iter()
                .map(|i| text_of(name, i))
                .collect::<Result<Vec<_>, _>>()?
                .join(","),
            other => text_of(name, other)?,
        };
        fields.insert((*name).to_owned(), Value::String(canonical(name, *kind, &raw)?));
    }
    Ok((!fields.is_empty()).then(|| ExtensionPatch {
        owner: EXT.to_owned(),
        fields,
    }))
}

/// A `company_id` a patch keeps must be 0 or one of the caller's vendors.
pub async fn check_company(
    state: &crate::app::AppState,
    ctx: &pimento_core::auth::Ctx,
    patch: Option<&ExtensionPatch>,
) -> Result<(), ApiError> {
    let Some(n) = patch
        .and_then(|p| p.fields.get("company_id"))
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<i64>().ok())
    else {
        return Ok(());
    };
    if n < 0 {
        return Err(bad("company_id", "must be a vendor's id, or 0"));
    }
    let numbered = pimento_core::numbers::Numbered::Vendor;
    if n > 0 && super::products::find(state, ctx, numbered, n).await?.is_none() {
        return Err(bad("company_id", format!("vendor {n} does not exist")));
    }
    Ok(())
}

fn text_of(name: &str, v: &Value) -> Result<String, ApiError> {
    serde_json::from_value::<Text>(v.clone())
        .map(|t| t.0)
        .map_err(|_| bad(name, "must be a string or a number"))
}

/// The extension match of a list filter on one of [`FILTERED`]: the value's canonical text,
/// matching products that never had the field when it is the default.
pub fn filter(name: &'static str, raw: &str) -> Result<pimento_core::query::ExtensionMatch, ApiError> {
    let (kind, default) = field(name).ok_or_else(|| bad(name, "is not a filter"))?;
    let value = canonical(name, kind, raw)?;
    Ok(pimento_core::query::ExtensionMatch {
        owner: Cow::Borrowed(EXT),
        key: Cow::Borrowed(name),
        or_absent: value == default,
        value,
    })
}

/// CS-Cart's `shipping_params`: the box fields, serialized as PHP does.
pub fn shipping_params(ext: &Extensions) -> String {
    let keys = [
        "min_items_in_box",
        "max_items_in_box",
        "box_length",
        "box_width",
        "box_height",
    ];
    let mut out = format!("a:{}:{{", keys.len());
    for k in keys {
        let n: i64 = read(ext, k).parse().unwrap_or(0);
        out.push_str(&format!("s:{}:\"{k}\";i:{n};", k.len()));
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn values_are_kept_in_canonical_text() {
        assert_eq!(canonical("f", Kind::Flag, "y").unwrap(), "Y");
        assert_eq!(canonical("n", Kind::Int, "18").unwrap(), "18");
        assert_eq!(canonical("n", Kind::Int, "18.0").unwrap(), "18");
        assert_eq!(canonical("t", Kind::Ids, "6, 7").unwrap(), "6,7");
        assert_eq!(canonical("d", Kind::Decimal, "1.5").unwrap(), "1.50");
        assert!(canonical("f", Kind::Flag, "yes").is_err());
        assert!(canonical("l", Kind::Letters(&["B", "D"]), "X").is_err());
        assert_eq!(
            shipping_params(&Extensions::default()),
            "a:5:{s:16:\"min_items_in_box\";i:0;s:16:\"max_items_in_box\";i:0;s:10:\"box_length\";i:0;s:9:\"box_width\";i:0;s:10:\"box_height\";i:0;}"
        );
    }
}
