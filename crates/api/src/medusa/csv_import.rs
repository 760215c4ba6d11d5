//! Medusa's product import CSV, read as Medusa 2.21's `CSVNormalizer` reads it, and turned into
//! one product batch by `csv_plan.rs`.
//!
//! Columns are matched without regard to case or surrounding spaces; a column Medusa does not
//! know is refused (`Invalid column name(s) "…"`), except the ones Pimento's own export writes
//! besides Medusa's (`Variant Thumbnail`, `Variant Image N`, `Variant Metadata.<key>`). Rows
//! are grouped into products by `Product Id`, else `Product Handle`. A product whose `Product
//! Id` is one of this organization's products is updated: the cells given replace, empty cells
//! leave a field as it is, and each row's variant is the one its `Variant Id` names, else the
//! product's variant with its `Variant Sku`, else a new one. Any other product is created by
//! its handle (an id of another organization's product is not kept). Row numbers count data
//! rows from 1, as Medusa's messages do.

use super::view::status_of;
use crate::error::ApiError;
use axum::http::StatusCode;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::io::Read;

/// Product columns read as text, and the field of Medusa's product body each fills.
const PRODUCT_TEXT: &[(&str, &str)] = &[
    ("product handle", "handle"),
    ("product title", "title"),
    ("product subtitle", "subtitle"),
    ("product status", "status"),
    ("product description", "description"),
    ("product external id", "external_id"),
    ("product thumbnail", "thumbnail"),
    ("product collection id", "collection_id"),
    ("product type id", "type_id"),
    ("product hs code", "hs_code"),
    ("product material", "material"),
    ("product mid code", "mid_code"),
    ("product origin country", "origin_country"),
    ("shipping profile id", "shipping_profile_id"),
];
const PRODUCT_NUMBER: &[(&str, &str)] = &[
    ("product height", "height"),
    ("product length", "length"),
    ("product weight", "weight"),
    ("product width", "width"),
];
const PRODUCT_FLAG: &[(&str, &str)] = &[
    ("product discountable", "discountable"),
    ("product is giftcard", "is_giftcard"),
];
const VARIANT_TEXT: &[(&str, &str)] = &[
    ("variant title", "title"),
    ("variant sku", "sku"),
    ("variant upc", "upc"),
    ("variant ean", "ean"),
    ("variant hs code", "hs_code"),
    ("variant mid code", "mid_code"),
    ("variant barcode", "barcode"),
    ("variant material", "material"),
    ("variant origin country", "origin_country"),
    ("variant thumbnail", "thumbnail"),
];
const VARIANT_NUMBER: &[(&str, &str)] = &[
    ("variant height", "height"),
    ("variant length", "length"),
    ("variant width", "width"),
    ("variant weight", "weight"),
];
const VARIANT_FLAG: &[(&str, &str)] = &[
    ("variant manage inventory", "manage_inventory"),
    ("variant allow backorder", "allow_backorder"),
];
/// Columns read and left alone: what the system sets, and what the row's place says.
const IGNORED: &[&str] = &[
    "product created at",
    "product updated at",
    "product deleted at",
    "variant created at",
    "variant updated at",
    "variant deleted at",
    "variant product id",
];
/// Columns known by their start (`Product Image 1`, `Variant Price EUR`, …).
const WILDCARDS: &[&str] = &[
    "product category",
    "product image",
    "product tag",
    "product sales channel",
    "variant price",
    "variant option",
    // Written by Pimento's export, not known to Medusa's import.
    "variant image",
    "variant metadata.",
];

fn known(column: &str) -> bool {
    let statics = [
        "product id",
        "product metadata",
        "variant id",
        "variant metadata",
        "variant variant rank",
    ];
    statics.contains(&column)
        || IGNORED.contains(&column)
        || [
            PRODUCT_TEXT,
            PRODUCT_NUMBER,
            PRODUCT_FLAG,
            VARIANT_TEXT,
            VARIANT_NUMBER,
            VARIANT_FLAG,
        ]
        .iter()
        .any(|list| list.iter().any(|(c, _)| *c == column))
        || WILDCARDS.iter().any(|w| column.starts_with(w))
}

/// A refusal of the file: Medusa's `invalid_data`, its message naming the row.
pub(super) fn refused(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", message)
}

pub(super) fn at_row(row: u64, message: impl std::fmt::Display) -> ApiError {
    refused(format!("Row {row}: {message}"))
}

/// The file's rows, by product.
#[derive(Debug, Default)]
pub(super) struct Sheet {
    /// Lower-cased column names, in the file's order.
    pub(super) header: Vec<String>,
    pub(super) products: Vec<Group>,
}

/// The rows of one product: their numbers and cells (by lower-cased column).
#[derive(Debug)]
pub(super) struct Group {
    pub(super) id: Option<String>,
    pub(super) handle: Option<String>,
    pub(super) rows: Vec<(u64, HashMap<String, String>)>,
}

/// Reads the file: its columns checked, its rows grouped into products. `limit`: the most
/// rows taken.
pub(super) fn read_sheet(input: impl Read, limit: usize) -> Result<Sheet, ApiError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(input);
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        None => return Err(refused("The file is empty: it has no header row")),
        Some(Err(e)) => return Err(refused(format!("The header row could not be read: {}", csv_reason(&e)))),
        Some(Ok(r)) => r
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c = if i == 0 { c.trim_start_matches('\u{feff}') } else { c };
                c.trim().to_lowercase()
            })
            .collect(),
    };
    let unknown: Vec<&str> = header.iter().map(String::as_str).filter(|c| !known(c)).collect();
    if !unknown.is_empty() {
        return Err(refused(format!("Invalid column name(s) \"{}\"", unknown.join("\",\""))));
    }
    if let Some(dup) = header
        .iter()
        .enumerate()
        .find(|(i, c)| !c.is_empty() && header[..*i].contains(c))
    {
        return Err(refused(format!("The column \"{}\" appears twice", dup.1)));
    }
    let mut sheet = Sheet {
        header,
        products: Vec::new(),
    };
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut number = 0_u64;
    for record in records {
        let record =
            record.map_err(|e| at_row(number + 1, format!("the row could not be read: {}", csv_reason(&e))))?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        number += 1;
        if number as usize > limit {
            return Err(refused(format!(
                "The file has more than {limit} rows; import it in parts"
            )));
        }
        let cells: HashMap<String, String> = sheet
            .header
            .iter()
            .zip(record.iter())
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(c, v)| (c.clone(), v.trim().to_owned()))
            .collect();
        let id = cells.get("product id").cloned();
        let handle = cells.get("product handle").cloned();
        let key = match (&id, &handle) {
            (Some(id), _) => format!("id:{id}"),
            (None, Some(h)) => format!("handle:{h}"),
            (None, None) => {
                return Err(at_row(
                    number,
                    "Missing product id and handle. One of these columns are required to process the row",
                ));
            }
        };
        let at = *by_key.entry(key).or_insert_with(|| {
            sheet.products.push(Group {
                id: id.clone(),
                handle: handle.clone(),
                rows: Vec::new(),
            });
            sheet.products.len() - 1
        });
        let group = &mut sheet.products[at];
        if group.handle.is_none() {
            group.handle = handle;
        }
        group.rows.push((number, cells));
    }
    Ok(sheet)
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("it has {len} cells where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "it is not UTF-8 text".to_owned(),
        _ => e.to_string(),
    }
}

/// The significant digits a double keeps exactly.
const MAX_DIGITS: usize = 15;

fn number(row: u64, column: &str, raw: &str) -> Result<Value, ApiError> {
    // A number travels as Medusa's JSON has it, a double: more significant digits than a double
    // keeps would be changed without a word, so they are refused.
    let mantissa = raw.trim().split(['e', 'E']).next().unwrap_or_default();
    let mantissa = if mantissa.contains('.') {
        mantissa.trim_end_matches('0')
    } else {
        mantissa
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0').len();
    if digits > MAX_DIGITS {
        return Err(at_row(
            row,
            format!("Invalid value provided for \"{column}\": \"{raw}\" has more than {MAX_DIGITS} significant digits"),
        ));
    }
    raw.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .and_then(serde_json::Number::from_f64)
        .map(|n| {
            // Whole numbers stay whole (`10`, not `10.0`).
            if n.as_f64().is_some_and(|f| f.fract() == 0.0 && f.abs() < 9e15) {
                Value::from(n.as_f64().unwrap_or_default() as i64)
            } else {
                Value::Number(n)
            }
        })
        .ok_or_else(|| {
            at_row(
                row,
                format!("Invalid value provided for \"{column}\". Expected value to be a number, received \"{raw}\""),
            )
        })
}

fn flag(row: u64, column: &str, raw: &str) -> Result<Value, ApiError> {
    match raw.to_ascii_lowercase().as_str() {
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        _ => Err(at_row(
            row,
            format!("Invalid value provided for \"{column}\". Expected true or false, received \"{raw}\""),
        )),
    }
}

fn json_cell(row: u64, column: &str, raw: &str) -> Result<Value, ApiError> {
    serde_json::from_str::<Value>(raw).map_err(|_| {
        at_row(
            row,
            format!("Invalid value provided for \"{column}\". Expected a valid JSON string, received \"{raw}\""),
        )
    })
}

/// The numbered columns starting with `prefix` (`product image 1`, `product image 2`), in
/// their numbers' order.
pub(super) fn numbered<'a>(header: &'a [String], prefix: &str) -> Vec<&'a String> {
    let mut found: Vec<(u64, &String)> = header
        .iter()
        .filter_map(|c| {
            let n = c.strip_prefix(prefix)?.trim().parse().ok()?;
            Some((n, c))
        })
        .collect();
    found.sort_by_key(|(n, _)| *n);
    found.into_iter().map(|(_, c)| c).collect()
}

/// One row's variant, in Medusa's variant body, with its option picks (`[(title, value)]`);
/// `None` when the row names no variant (a product without variants).
pub(super) struct RowVariant {
    pub(super) row: u64,
    pub(super) body: Map<String, Value>,
    pub(super) picks: Vec<(String, String)>,
}

/// What a group's rows say: the product's fields (later rows win) and a variant a row.
pub(super) struct Reading {
    pub(super) product: Map<String, Value>,
    pub(super) tags: Option<Vec<String>>,
    pub(super) variants: Vec<RowVariant>,
}

pub(super) fn read_group(header: &[String], g: &Group) -> Result<Reading, ApiError> {
    let mut product = Map::new();
    let mut tags: Option<Vec<String>> = None;
    let images_cols = numbered(header, "product image");
    let tag_cols = numbered(header, "product tag");
    let category_cols = numbered(header, "product category");
    let channel_cols = numbered(header, "product sales channel");
    let option_cols = numbered_options(header);
    let mut variants = Vec::new();
    for (row, cells) in &g.rows {
        let row = *row;
        let cell = |c: &str| cells.get(c).map(String::as_str);
        for (column, field) in PRODUCT_TEXT {
            if let Some(v) = cell(column) {
                if *field == "status" && status_of(v).is_none() {
                    return Err(at_row(
                        row,
                        format!(
                            "Invalid value provided for \"{column}\". Expected one of draft, proposed, published, rejected, received \"{v}\""
                        ),
                    ));
                }
                product.insert((*field).into(), Value::String(v.to_owned()));
            }
        }
        for (column, field) in PRODUCT_NUMBER {
            if let Some(v) = cell(column) {
                product.insert((*field).into(), number(row, column, v)?);
            }
        }
        for (column, field) in PRODUCT_FLAG {
            if let Some(v) = cell(column) {
                product.insert((*field).into(), flag(row, column, v)?);
            }
        }
        if let Some(v) = cell("product metadata") {
            let meta = json_cell(row, "product metadata", v)?;
            if !meta.is_object() {
                return Err(at_row(
                    row,
                    format!(
                        "Invalid value provided for \"product metadata\". Expected a JSON object, received \"{v}\""
                    ),
                ));
            }
            product.insert("metadata".into(), meta);
        }
        // Lists: present (possibly empty) whenever the file has their columns, as Medusa's.
        let mut list = |cols: &[&String], field: &str, key: &str| {
            if cols.is_empty() {
                return;
            }
            let entry = product.entry(field).or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = entry {
                for c in cols {
                    if let Some(v) = cells.get(c.as_str()) {
                        let item = json!({ key: v });
                        if !items.contains(&item) {
                            items.push(item);
                        }
                    }
                }
            }
        };
        list(&images_cols, "images", "url");
        list(&category_cols, "categories", "id");
        list(&channel_cols, "sales_channels", "id");
        if !tag_cols.is_empty() {
            let t = tags.get_or_insert_with(Vec::new);
            for c in &tag_cols {
                if let Some(v) = cells.get(c.as_str())
                    && !t.contains(v)
                {
                    t.push(v.clone());
                }
            }
        }
        if let Some(v) = read_variant(header, row, cells, &option_cols)? {
            variants.push(v);
        }
    }
    Ok(Reading {
        product,
        tags,
        variants,
    })
}

/// `variant option N name` columns with their `value` columns, in their numbers' order.
fn numbered_options(header: &[String]) -> Vec<(String, String)> {
    let mut found: Vec<(u64, String, String)> = header
        .iter()
        .filter_map(|c| {
            let n: u64 = c
                .strip_prefix("variant option ")?
                .strip_suffix(" name")?
                .trim()
                .parse()
                .ok()?;
            Some((n, c.clone(), format!("variant option {n} value")))
        })
        .collect();
    found.sort_by_key(|(n, _, _)| *n);
    found.into_iter().map(|(_, name, value)| (name, value)).collect()
}

fn read_variant(
    header: &[String],
    row: u64,
    cells: &HashMap<String, String>,
    option_cols: &[(String, String)],
) -> Result<Option<RowVariant>, ApiError> {
    let cell = |c: &str| cells.get(c).map(String::as_str);
    let mut body = Map::new();
    if let Some(id) = cell("variant id") {
        body.insert("id".into(), Value::String(id.to_owned()));
    }
    for (column, field) in VARIANT_TEXT {
        if let Some(v) = cell(column) {
            body.insert((*field).into(), Value::String(v.to_owned()));
        }
    }
    for (column, field) in VARIANT_NUMBER {
        if let Some(v) = cell(column) {
            body.insert((*field).into(), number(row, column, v)?);
        }
    }
    for (column, field) in VARIANT_FLAG {
        if let Some(v) = cell(column) {
            body.insert((*field).into(), flag(row, column, v)?);
        }
    }
    if let Some(v) = cell("variant variant rank") {
        let rank = v.parse::<i64>().map_err(|_| {
            at_row(
                row,
                format!(
                    "Invalid value provided for \"variant variant rank\". Expected a whole number, received \"{v}\""
                ),
            )
        })?;
        body.insert("variant_rank".into(), Value::from(rank));
    }
    let mut meta = match cell("variant metadata") {
        Some(v) => match json_cell(row, "variant metadata", v)? {
            Value::Object(m) => m,
            _ => {
                return Err(at_row(
                    row,
                    format!(
                        "Invalid value provided for \"variant metadata\". Expected a JSON object, received \"{v}\""
                    ),
                ));
            }
        },
        None => Map::new(),
    };
    for c in header {
        if let (Some(key), Some(v)) = (c.strip_prefix("variant metadata."), cells.get(c)) {
            // Pimento's export writes a key's text as is and other values as JSON.
            let value = match serde_json::from_str::<Value>(v) {
                Ok(parsed) if !parsed.is_string() => parsed,
                _ => Value::String(v.clone()),
            };
            meta.insert(key.to_owned(), value);
        }
    }
    if !meta.is_empty() {
        body.insert("metadata".into(), Value::Object(meta));
    }
    let mut prices = Vec::new();
    for c in header {
        let Some(v) = c.strip_prefix("variant price ").and_then(|_| cells.get(c)) else {
            continue;
        };
        let iso = c.rsplit(' ').next().unwrap_or_default();
        if iso.len() != 3 || !iso.chars().all(|ch| ch.is_ascii_alphabetic()) {
            return Err(at_row(
                row,
                format!(
                    "Invalid price format used by \"{c}\". Expect column name to contain the ISO code as the last segment. For example: \"Variant Price [Europe] EUR\" or \"Variant Price EUR\""
                ),
            ));
        }
        let amount = number(row, c, v)?;
        prices.push(json!({"currency_code": iso, "amount": amount}));
    }
    if !prices.is_empty() {
        body.insert("prices".into(), Value::Array(prices));
    }
    let mut picks = Vec::new();
    for (name_col, value_col) in option_cols {
        let Some(name) = cell(name_col) else { continue };
        let Some(value) = cell(value_col) else {
            return Err(at_row(row, format!("Missing option value for \"{name_col}\"")));
        };
        if picks.iter().any(|(t, _): &(String, String)| t == name) {
            return Err(at_row(row, format!("The option \"{name}\" is named twice")));
        }
        picks.push((name.to_owned(), value.to_owned()));
    }
    if !picks.is_empty() {
        let options: Map<String, Value> = picks
            .iter()
            .map(|(t, v)| (t.clone(), Value::String(v.clone())))
            .collect();
        body.insert("options".into(), Value::Object(options));
    }
    if body.is_empty() {
        return Ok(None);
    }
    Ok(Some(RowVariant { row, body, picks }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn unknown_columns_are_named() {
        let e = read_sheet("Product Handle,Colour,Size\nx,1,2\n".as_bytes(), 10).unwrap_err();
        assert_eq!(e.message, "Invalid column name(s) \"colour\",\"size\"");
    }

    #[test]
    fn rows_group_by_id_then_handle() {
        let csv = "\u{feff}Product Id,Product Handle,Variant Title\n,tee,S\n,tee,M\nprod_1,,L\n,,\n";
        let sheet = read_sheet(csv.as_bytes(), 10).unwrap();
        assert_eq!(sheet.products.len(), 2);
        assert_eq!(sheet.products[0].rows.len(), 2);
        assert_eq!(sheet.products[1].id.as_deref(), Some("prod_1"));
    }

    #[test]
    fn a_row_without_id_or_handle_is_refused() {
        let e = read_sheet("Product Handle,Product Title\ntee,Tee\n,Nameless\n".as_bytes(), 10).unwrap_err();
        assert_eq!(
            e.message,
            "Row 2: Missing product id and handle. One of these columns are required to process the row"
        );
    }

    #[test]
    fn bad_cells_name_row_and_column() {
        let sheet = read_sheet(
            "Product Handle,Variant Title,Variant Price USD\ntee,S,ten\n".as_bytes(),
            10,
        )
        .unwrap();
        let e = read_group(&sheet.header, &sheet.products[0]).err().unwrap();
        assert_eq!(
            e.message,
            "Row 1: Invalid value provided for \"variant price usd\". Expected value to be a number, received \"ten\""
        );
    }
}
