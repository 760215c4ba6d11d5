//! Medusa's product export CSV, as Medusa 2.21's admin writes it: one row per variant (a
//! product without variants gets one row), product columns repeated on each, in Medusa's
//! column names and order (`Product Id, Product Handle, …, Variant Price USD, Variant Option 1
//! Id, …`).
//!
//! This is the Medusa API's translation, so it lives here; the export job, which knows no API,
//! calls it through the core's `exchange::ViewTable` (the binary hands it to the worker for
//! `ExchangeFormat::MedusaCsv`). A row is cut from the product's Medusa JSON (`view.rs`), so
//! ids, statuses and Medusa's own fields read as the API shows them; prices are in major units.
//!
//! Columns that depend on the data (`Product Image N`, `Product Tag N`, `Variant Price <CUR>`,
//! `Variant Option N Id/Name/Value`, `Variant Image N`, `Variant Metadata.<key>`) appear when
//! some row has them. A product's metadata is not written: Medusa's export leaves it out too.

use super::view::{self, Related};
use pimento_core::exchange::ViewTable;
use pimento_core::options::VariantOption;
use pimento_core::product::ProductView;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Product columns every file has, and the product field each is read from.
const PRODUCT: &[(&str, &str)] = &[
    ("Product Id", "id"),
    ("Product Handle", "handle"),
    ("Product Title", "title"),
    ("Product Subtitle", "subtitle"),
    ("Product Status", "status"),
    ("Product External Id", "external_id"),
    ("Product Description", "description"),
    ("Product Is Giftcard", "is_giftcard"),
    ("Product Discountable", "discountable"),
    ("Product Thumbnail", "thumbnail"),
    ("Product Collection Id", "collection_id"),
    ("Product Type Id", "type_id"),
    ("Product Weight", "weight"),
    ("Product Length", "length"),
    ("Product Height", "height"),
    ("Product Width", "width"),
    ("Product Hs Code", "hs_code"),
    ("Product Origin Country", "origin_country"),
    ("Product Mid Code", "mid_code"),
    ("Product Material", "material"),
    ("Product Created At", "created_at"),
    ("Product Updated At", "updated_at"),
    ("Product Deleted At", "deleted_at"),
];

/// Variant columns every file has, and the variant field each is read from.
const VARIANT: &[(&str, &str)] = &[
    ("Variant Id", "id"),
    ("Variant Title", "title"),
    ("Variant Sku", "sku"),
    ("Variant Barcode", "barcode"),
    ("Variant Ean", "ean"),
    ("Variant Upc", "upc"),
    ("Variant Allow Backorder", "allow_backorder"),
    ("Variant Manage Inventory", "manage_inventory"),
    ("Variant Hs Code", "hs_code"),
    ("Variant Origin Country", "origin_country"),
    ("Variant Mid Code", "mid_code"),
    ("Variant Material", "material"),
    ("Variant Weight", "weight"),
    ("Variant Length", "length"),
    ("Variant Height", "height"),
    ("Variant Width", "width"),
    ("Variant Metadata", "metadata"),
    ("Variant Variant Rank", "variant_rank"),
    ("Variant Thumbnail", "thumbnail"),
    ("Variant Product Id", "product_id"),
    ("Variant Created At", "created_at"),
    ("Variant Updated At", "updated_at"),
    ("Variant Deleted At", "deleted_at"),
];

/// Medusa's export CSV.
#[derive(Debug, Default)]
pub struct MedusaCsv;

/// The table the worker writes `ExchangeFormat::MedusaCsv` with.
pub fn table() -> Arc<dyn ViewTable> {
    Arc::new(MedusaCsv)
}

/// A cell: text as is, `null` empty, a date as JavaScript's `Date.toString()` writes it (as
/// Medusa's export does), anything else as JSON (`true`, `10`, `{"v":1}`).
fn cell(field: &str, v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) if field.ends_with("_at") => js_date(s).unwrap_or_else(|| s.clone()),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `2026-12-06T21:59:52.202Z` → `Sun Dec 06 2026 21:59:52 GMT+0000 (Coordinated Universal Time)`.
fn js_date(iso: &str) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(iso).ok()?;
    Some(
        t.with_timezone(&chrono::Utc)
            .format("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")
            .to_string(),
    )
}

fn fields(obj: &Map<String, Value>, columns: &[(&str, &str)], row: &mut Vec<(String, String)>) {
    for (column, field) in columns {
        row.push((
            (*column).to_owned(),
            cell(field, obj.get(*field).unwrap_or(&Value::Null)),
        ));
    }
}

fn list<'a>(obj: &'a Map<String, Value>, name: &str) -> &'a [Value] {
    obj.get(name).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn text(v: &Value, name: &str) -> String {
    cell(name, v.get(name).unwrap_or(&Value::Null))
}

impl ViewTable for MedusaCsv {
    fn rows(&self, product: &ProductView, options: &[VariantOption]) -> Vec<Vec<(String, String)>> {
        let related = Related {
            options,
            ..Related::default()
        };
        let Value::Object(p) = view::product(product, &related) else {
            return Vec::new();
        };
        let mut head = Vec::with_capacity(PRODUCT.len() + 8);
        fields(&p, PRODUCT, &mut head);
        for (n, image) in list(&p, "images").iter().enumerate() {
            head.push((format!("Product Image {}", n + 1), text(image, "url")));
        }
        for (n, tag) in list(&p, "tags").iter().enumerate() {
            head.push((format!("Product Tag {}", n + 1), text(tag, "value")));
        }
        let variants = list(&p, "variants");
        if variants.is_empty() {
            return vec![head];
        }
        variants
            .iter()
            .filter_map(Value::as_object)
            .map(|v| {
                let mut row = head.clone();
                fields(v, VARIANT, &mut row);
                for price in list(v, "prices") {
                    let currency = text(price, "currency_code").to_ascii_uppercase();
                    row.push((format!("Variant Price {currency}"), text(price, "amount")));
                }
                for (n, pick) in list(v, "options").iter().enumerate() {
                    let option = pick.get("option").unwrap_or(&Value::Null);
                    row.push((format!("Variant Option {} Id", n + 1), text(pick, "option_id")));
                    row.push((format!("Variant Option {} Name", n + 1), text(option, "title")));
                    row.push((format!("Variant Option {} Value", n + 1), text(pick, "value")));
                }
                for (n, image) in list(v, "images").iter().enumerate() {
                    row.push((format!("Variant Image {}", n + 1), text(image, "url")));
                }
                if let Some(meta) = v.get("metadata").and_then(Value::as_object) {
                    for (key, value) in meta {
                        row.push((format!("Variant Metadata.{key}"), cell(key, value)));
                    }
                }
                row
            })
            .collect()
    }

    fn header(&self, seen: &[String]) -> Vec<String> {
        /// Where a column that depends on the data goes: its group, then its number.
        fn place(column: &str) -> Option<(u8, usize, u8)> {
            let numbered = |prefix: &str| -> Option<usize> { column.strip_prefix(prefix)?.parse().ok() };
            if let Some(n) = numbered("Product Image ") {
                return Some((0, n, 0));
            }
            if let Some(n) = numbered("Product Tag ") {
                return Some((1, n, 0));
            }
            if column.starts_with("Variant Price ") {
                return Some((2, 0, 0));
            }
            if let Some(rest) = column.strip_prefix("Variant Option ") {
                let (n, part) = rest.split_once(' ')?;
                let part = ["Id", "Name", "Value"].iter().position(|p| *p == part)?;
                return Some((3, n.parse().ok()?, part as u8));
            }
            if let Some(n) = numbered("Variant Image ") {
                return Some((4, n, 0));
            }
            if column.starts_with("Variant Metadata.") {
                return Some((5, 0, 0));
            }
            None
        }
        // Prices and metadata keys keep the order they were met in (a stable sort).
        let mut dynamic: Vec<(u8, usize, u8, &String)> = seen
            .iter()
            .filter_map(|c| place(c).map(|(g, n, part)| (g, n, part, c)))
            .collect();
        dynamic.sort_by_key(|(g, n, part, _)| (*g, *n, *part));
        let group = |g: u8| dynamic.iter().filter(move |d| d.0 == g).map(|d| d.3.clone());
        let mut out: Vec<String> = PRODUCT.iter().map(|(c, _)| (*c).to_owned()).collect();
        out.extend(group(0).chain(group(1)));
        out.extend(VARIANT.iter().map(|(c, _)| (*c).to_owned()));
        out.extend((2..=5).flat_map(group));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_javascript_writes_them() {
        assert_eq!(
            js_date("2026-12-06T21:59:52.202Z").as_deref(),
            Some("Sun Dec 06 2026 21:59:52 GMT+0000 (Coordinated Universal Time)")
        );
    }

    #[test]
    fn the_header_is_in_medusas_order() {
        let seen: Vec<String> = [
            "Variant Metadata.v",
            "Variant Option 1 Value",
            "Product Tag 1",
            "Variant Price USD",
            "Variant Image 1",
            "Variant Option 1 Id",
            "Product Image 2",
            "Product Image 1",
            "Variant Price EUR",
            "Variant Option 1 Name",
            "Variant Metadata.z",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let header = MedusaCsv.header(&seen);
        let tail: Vec<&str> = header[PRODUCT.len()..].iter().map(String::as_str).collect();
        assert_eq!(&tail[..3], &["Product Image 1", "Product Image 2", "Product Tag 1"]);
        assert_eq!(
            &tail[3 + VARIANT.len()..],
            &[
                "Variant Price USD",
                "Variant Price EUR",
                "Variant Option 1 Id",
                "Variant Option 1 Name",
                "Variant Option 1 Value",
                "Variant Image 1",
                "Variant Metadata.v",
                "Variant Metadata.z",
            ]
        );
    }
}
