//! Catalog exchange documents: the product document of NDJSON files, the row layout of CSV files
//! (one row per variant, product columns repeated), and how an incoming document compares with
//! what is stored.

use crate::ids::{ProductId, VariantId};
use crate::{CoreError, FieldPath};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Core field names that exchange documents name otherwise (every other name is the core's).
const NAMES: &[(&str, &str)] = &[
    ("name", "title"),
    ("sync_source", "external"),
    ("option_ids", "options"),
];

/// A core field path in the names of exchange documents (`variants[0].external`), for the
/// errors an import reports.
pub fn field_name(path: &FieldPath) -> String {
    path.spelled(|_, name| {
        let doc = NAMES
            .iter()
            .find(|(core, _)| *core == name)
            .map_or(name, |(_, doc)| doc);
        Cow::Owned(doc.to_owned())
    })
}

/// The separator between category names in a category path (`Apparel > Tops`).
pub const CATEGORY_SEPARATOR: &str = " > ";

/// A product as export files carry it and import files give it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductDoc {
    /// The product's id where it was exported from; an import does not key on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ProductId>,
    pub handle: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A product status name (`active`, `draft`, …).
    #[serde(default = "active")]
    pub status: String,
    /// The category's path of names from the root; empty when the product has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// The name of the product's template (its attribute set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub attributes: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<ExternalDoc>,
    /// Option names, in order; each variant gives one value per option.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// URLs of the product's own media (not tied to a variant), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<String>,
    #[serde(default)]
    pub variants: Vec<VariantDoc>,
}

fn active() -> String {
    "active".into()
}

/// A variant inside a [`ProductDoc`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<VariantId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barcode: Option<String>,
    /// A decimal string in major units (`"19.99"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default)]
    pub inventory_quantity: i64,
    /// One value per product option, in the product's option order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<ExternalDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<String>,
}

/// A link to a record in another system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalDoc {
    pub source: String,
    pub id: String,
}

impl ProductDoc {
    /// Whether the stored product already holds everything this document says, under the
    /// merge rules of an import: fields replaced, attribute values and media merged, variants
    /// matched by SKU. Importing a document the store satisfies changes nothing.
    pub fn is_satisfied_by(&self, stored: &ProductDoc) -> bool {
        let product_same = self.handle == stored.handle
            && self.title == stored.title
            && (self.description.is_none() || self.description == stored.description)
            && self.status.eq_ignore_ascii_case(&stored.status)
            && (self.category.is_empty() || self.category == stored.category)
            && (self.brand.is_none() || self.brand == stored.brand)
            && (self.template.is_none() || self.template == stored.template)
            && (self.external.is_none() || self.external == stored.external)
            && self.attributes.iter().all(|(k, v)| stored.attributes.get(k) == Some(v))
            && self.options.iter().all(|o| stored.options.contains(o))
            && self.media.iter().all(|m| stored.media.contains(m));
        product_same
            && self.variants.iter().all(|v| {
                let Some(s) = stored
                    .variants
                    .iter()
                    .find(|s| v.sku.is_some() && s.sku == v.sku || v.sku.is_none() && s.options == v.options)
                else {
                    return false;
                };
                (v.title.is_none() || v.title == s.title)
                    && (v.barcode.is_none() || v.barcode == s.barcode)
                    && (v.price.is_none() || same_amount(v.price.as_deref(), s.price.as_deref()))
                    && (v.price.is_none()
                        || v.currency
                            .as_deref()
                            .unwrap_or(crate::money::DEFAULT_CURRENCY)
                            .eq_ignore_ascii_case(s.currency.as_deref().unwrap_or(crate::money::DEFAULT_CURRENCY)))
                    && v.inventory_quantity == s.inventory_quantity
                    && (v.options.is_empty() || v.options == s.options)
                    && v.media.iter().all(|m| s.media.contains(m))
            })
    }
}

fn same_amount(a: Option<&str>, b: Option<&str>) -> bool {
    use std::str::FromStr;
    match (a, b) {
        (Some(a), Some(b)) => match (
            rust_decimal::Decimal::from_str(a.trim()),
            rust_decimal::Decimal::from_str(b.trim()),
        ) {
            (Ok(x), Ok(y)) => x == y,
            _ => a == b,
        },
        (a, b) => a == b,
    }
}

/// The fixed columns of a CSV file, before the option columns. Columns added later go last, so
/// the position of each stays what earlier files have.
const PRODUCT_COLUMNS: [&str; 12] = [
    "product_id",
    "handle",
    "title",
    "description",
    "status",
    "category",
    "brand",
    "attributes",
    "external_source",
    "external_id",
    "media",
    "template",
];
const VARIANT_COLUMNS: [&str; 11] = [
    "variant_id",
    "variant_title",
    "sku",
    "barcode",
    "price",
    "currency",
    "inventory_quantity",
    "variant_external_source",
    "variant_external_id",
    "variant_media",
    // Option columns follow: option1_name, option1_value, …
    "",
];

/// Where each column of a CSV file is.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvLayout {
    columns: Vec<Option<Column>>,
    option_slots: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Product(usize),
    Variant(usize),
    OptionName(usize),
    OptionValue(usize),
}

impl CsvLayout {
    /// The layout an export writes, with room for `option_slots` options per product.
    pub fn for_export(option_slots: usize) -> Self {
        let mut columns: Vec<Option<Column>> = (0..PRODUCT_COLUMNS.len()).map(|i| Some(Column::Product(i))).collect();
        columns.extend((0..VARIANT_COLUMNS.len() - 1).map(|i| Some(Column::Variant(i))));
        for n in 0..option_slots {
            columns.push(Some(Column::OptionName(n)));
            columns.push(Some(Column::OptionValue(n)));
        }
        CsvLayout { columns, option_slots }
    }

    /// The header row.
    pub fn header(&self) -> Vec<String> {
        self.columns
            .iter()
            .map(|c| match c {
                Some(Column::Product(i)) => PRODUCT_COLUMNS[*i].to_owned(),
                Some(Column::Variant(i)) => VARIANT_COLUMNS[*i].to_owned(),
                Some(Column::OptionName(n)) => format!("option{}_name", n + 1),
                Some(Column::OptionValue(n)) => format!("option{}_value", n + 1),
                None => String::new(),
            })
            .collect()
    }

    /// Reads a file's header. `handle` and `title` are required; unknown columns are refused
    /// so a misspelt column cannot be silently ignored.
    pub fn from_header(header: &[String]) -> Result<Self, CoreError> {
        let mut columns = Vec::with_capacity(header.len());
        let mut option_slots = 0;
        for (i, name) in header.iter().enumerate() {
            let name = name.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
            let col = if let Some(p) = PRODUCT_COLUMNS.iter().position(|c| *c == name) {
                Column::Product(p)
            } else if let Some(v) = VARIANT_COLUMNS.iter().position(|c| !c.is_empty() && *c == name) {
                Column::Variant(v)
            } else if let Some(n) = option_column(&name, "_name") {
                option_slots = option_slots.max(n + 1);
                Column::OptionName(n)
            } else if let Some(n) = option_column(&name, "_value") {
                option_slots = option_slots.max(n + 1);
                Column::OptionValue(n)
            } else {
                return Err(CoreError::invalid(
                    format!("header[{i}]"),
                    format!("unknown column '{name}'"),
                ));
            };
            if columns.contains(&Some(col)) {
                return Err(CoreError::invalid(
                    format!("header[{i}]"),
                    format!("column '{name}' appears twice"),
                ));
            }
            columns.push(Some(col));
        }
        for required in ["handle", "title"] {
            let p = PRODUCT_COLUMNS.iter().position(|c| *c == required).unwrap_or(0);
            if !columns.contains(&Some(Column::Product(p))) {
                return Err(CoreError::invalid(
                    "header",
                    format!("the '{required}' column is missing"),
                ));
            }
        }
        Ok(CsvLayout { columns, option_slots })
    }

    /// How many options a row can carry.
    pub fn option_slots(&self) -> usize {
        self.option_slots
    }

    /// The handle a row belongs to: rows of one product are consecutive and share it.
    pub fn handle_of<'r>(&self, row: &'r [String]) -> &'r str {
        self.product_field(row, 1).unwrap_or("")
    }

    fn product_field<'r>(&self, row: &'r [String], p: usize) -> Option<&'r str> {
        self.find(row, Column::Product(p))
    }

    fn find<'r>(&self, row: &'r [String], col: Column) -> Option<&'r str> {
        let i = self.columns.iter().position(|c| *c == Some(col))?;
        row.get(i).map(String::as_str).filter(|s| !s.is_empty())
    }

    /// The file's rows for one product: one per variant (one for a product without variants),
    /// product columns repeated.
    pub fn to_rows(&self, doc: &ProductDoc) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        self.each_row(doc, |row| {
            rows.push(row.iter().map(|f| (*f).to_owned()).collect());
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap_or_else(|never| match never {});
        rows
    }

    /// Hands each of the product's rows to `f`, fields borrowed from the document.
    pub fn each_row<E>(&self, doc: &ProductDoc, mut f: impl FnMut(&[&str]) -> Result<(), E>) -> Result<(), E> {
        let id = doc.id.map(|i| i.to_string()).unwrap_or_default();
        let category = doc.category.join(CATEGORY_SEPARATOR);
        let attributes = if doc.attributes.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&doc.attributes).unwrap_or_default()
        };
        let media = doc.media.join(" ");
        let external = doc.external.as_ref();
        let product: [&str; 12] = [
            &id,
            &doc.handle,
            &doc.title,
            doc.description.as_deref().unwrap_or_default(),
            &doc.status,
            &category,
            doc.brand.as_deref().unwrap_or_default(),
            &attributes,
            external.map(|e| e.source.as_str()).unwrap_or_default(),
            external.map(|e| e.id.as_str()).unwrap_or_default(),
            &media,
            doc.template.as_deref().unwrap_or_default(),
        ];
        let empty = VariantDoc::default();
        let variants: Vec<&VariantDoc> = if doc.variants.is_empty() {
            vec![&empty]
        } else {
            doc.variants.iter().collect()
        };
        for v in variants {
            let vid = v.id.map(|i| i.to_string()).unwrap_or_default();
            let quantity = if std::ptr::eq(v, &empty) {
                String::new()
            } else {
                v.inventory_quantity.to_string()
            };
            let vmedia = v.media.join(" ");
            let vexternal = v.external.as_ref();
            let variant: [&str; 10] = [
                &vid,
                v.title.as_deref().unwrap_or_default(),
                v.sku.as_deref().unwrap_or_default(),
                v.barcode.as_deref().unwrap_or_default(),
                v.price.as_deref().unwrap_or_default(),
                v.currency.as_deref().unwrap_or_default(),
                &quantity,
                vexternal.map(|e| e.source.as_str()).unwrap_or_default(),
                vexternal.map(|e| e.id.as_str()).unwrap_or_default(),
                &vmedia,
            ];
            let row: Vec<&str> = self
                .columns
                .iter()
                .map(|c| match c {
                    Some(Column::Product(i)) => product[*i],
                    Some(Column::Variant(i)) => variant.get(*i).copied().unwrap_or_default(),
                    Some(Column::OptionName(n)) => doc.options.get(*n).map(String::as_str).unwrap_or_default(),
                    Some(Column::OptionValue(n)) => v.options.get(*n).map(String::as_str).unwrap_or_default(),
                    None => "",
                })
                .collect();
            f(&row)?;
        }
        Ok(())
    }

    /// Builds one product from its rows (`(line, row)`); an error names the line and column.
    pub fn to_doc(&self, rows: &[(u64, Vec<String>)]) -> Result<ProductDoc, (u64, CoreError)> {
        let Some((first_line, first)) = rows.first() else {
            return Err((0, CoreError::invalid("handle", "no rows")));
        };
        let line = *first_line;
        let at = |e: CoreError| (line, e);
        let field = |p: usize| self.product_field(first, p).map(str::to_owned);
        let attributes = match field(7) {
            None => Map::new(),
            Some(text) => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(m)) => m,
                _ => return Err(at(CoreError::invalid("attributes", "must be a JSON object"))),
            },
        };
        let external = |src: Option<String>, id: Option<String>, name: &str| match (src, id) {
            (Some(source), Some(id)) => Ok(Some(ExternalDoc { source, id })),
            (None, None) => Ok(None),
            _ => Err(CoreError::invalid(name, "needs both its source and its id")),
        };
        let mut options = Vec::new();
        for n in 0..self.option_slots {
            if let Some(name) = self.find(first, Column::OptionName(n)) {
                options.push(name.to_owned());
            }
        }
        let mut doc = ProductDoc {
            id: None,
            handle: field(1).unwrap_or_default(),
            title: field(2).ok_or_else(|| at(CoreError::invalid("title", "is required")))?,
            description: field(3),
            status: field(4).unwrap_or_else(active),
            category: field(5)
                .map(|c| {
                    c.split(CATEGORY_SEPARATOR.trim())
                        .map(|s| s.trim().to_owned())
                        .collect()
                })
                .unwrap_or_default(),
            brand: field(6),
            template: field(11),
            attributes,
            external: external(field(8), field(9), "external_id").map_err(at)?,
            media: field(10)
                .map(|m| m.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
            options,
            variants: Vec::new(),
        };
        for (line, row) in rows {
            let at = |e: CoreError| (*line, e);
            let get = |i: usize| self.find(row, Column::Variant(i)).map(str::to_owned);
            let values: Vec<String> = (0..doc.options.len())
                .filter_map(|n| self.find(row, Column::OptionValue(n)).map(str::to_owned))
                .collect();
            let has_variant = (0..10).any(|i| get(i).is_some()) || !values.is_empty();
            if !has_variant {
                continue;
            }
            let inventory_quantity = match get(6) {
                None => 0,
                Some(q) => q
                    .trim()
                    .parse()
                    .map_err(|_| at(CoreError::invalid("inventory_quantity", "must be a whole number")))?,
            };
            doc.variants.push(VariantDoc {
                id: None,
                title: get(1),
                sku: get(2),
                barcode: get(3),
                // Spreadsheets pad cells; the strict price grammar is for the value inside.
                price: get(4).map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()),
                currency: get(5),
                inventory_quantity,
                options: values,
                external: external(get(7), get(8), "variant_external_id").map_err(at)?,
                media: get(9)
                    .map(|m| m.split_whitespace().map(str::to_owned).collect())
                    .unwrap_or_default(),
            });
        }
        Ok(doc)
    }
}

fn option_column(name: &str, suffix: &str) -> Option<usize> {
    let n: usize = name.strip_prefix("option")?.strip_suffix(suffix)?.parse().ok()?;
    (1..=crate::product::MAX_OPTIONS).contains(&n).then(|| n - 1)
}

/// A table an API spells itself, such as Medusa's product CSV: its rows come from the product
/// views an export selects, and its columns depend on them (Medusa writes one `Product Image N`
/// column per image of the product with the most, one `Variant Price <CUR>` per currency
/// used). The export job knows no API: it reads the products, asks the table for each one's
/// rows, and writes the header once every row is known. The API's folder implements the table
/// and whoever builds the worker hands it over for its [`crate::job::ExchangeFormat`].
pub trait ViewTable: Send + Sync + std::fmt::Debug {
    /// The rows of one product, each a list of `(column, cell)`; a column a row does not name
    /// is empty in it.
    fn rows(
        &self,
        product: &crate::product::ProductView,
        options: &[crate::options::VariantOption],
    ) -> Vec<Vec<(String, String)>>;

    /// The header: every column some row named (`seen`, in the order first met), in the
    /// table's order.
    fn header(&self, seen: &[String]) -> Vec<String>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> ProductDoc {
        ProductDoc {
            id: None,
            handle: "tee".into(),
            title: "Tee".into(),
            description: Some("Soft, \"heavy\"\ncotton".into()),
            status: "active".into(),
            category: vec!["Apparel".into(), "Tops".into()],
            brand: Some("Acme".into()),
            template: Some("Apparel".into()),
            attributes: serde_json::from_str(r#"{"color":"Red","weight":1.5}"#).unwrap(),
            external: Some(ExternalDoc {
                source: "shopify".into(),
                id: "42".into(),
            }),
            options: vec!["Size".into()],
            media: vec!["https://x/a.jpg".into(), "https://x/b.jpg".into()],
            variants: vec![
                VariantDoc {
                    sku: Some("TEE-S".into()),
                    price: Some("19.99".into()),
                    currency: Some("USD".into()),
                    inventory_quantity: 3,
                    options: vec!["S".into()],
                    media: vec!["https://x/s.jpg".into()],
                    ..VariantDoc::default()
                },
                VariantDoc {
                    sku: Some("TEE-M".into()),
                    options: vec!["M".into()],
                    ..VariantDoc::default()
                },
            ],
        }
    }

    #[test]
    fn csv_rows_round_trip() {
        let layout = CsvLayout::for_export(3);
        let header = layout.header();
        let read = CsvLayout::from_header(&header).unwrap();
        let rows: Vec<(u64, Vec<String>)> = layout
            .to_rows(&doc())
            .into_iter()
            .zip(2..)
            .map(|(r, l)| (l, r))
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(read.handle_of(&rows[1].1), "tee");
        assert_eq!(read.to_doc(&rows).unwrap(), doc());
        // A spreadsheet's padded price cell reads as the price.
        let padded: Vec<(u64, Vec<String>)> = rows
            .iter()
            .map(|(l, r)| {
                let mut r = r.clone();
                if let Some(p) = r.get_mut(layout.header().iter().position(|h| h == "price").unwrap()) {
                    *p = format!(" {p} ");
                }
                (*l, r)
            })
            .collect();
        assert_eq!(read.to_doc(&padded).unwrap(), doc());
    }

    #[test]
    fn a_product_without_variants_is_one_row() {
        let layout = CsvLayout::for_export(0);
        let mut d = doc();
        d.variants.clear();
        d.options.clear();
        let rows: Vec<_> = layout.to_rows(&d).into_iter().map(|r| (2, r)).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            CsvLayout::from_header(&layout.header()).unwrap().to_doc(&rows).unwrap(),
            d
        );
    }

    #[test]
    fn bad_headers_are_named() {
        let h = |cols: &[&str]| CsvLayout::from_header(&cols.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            h(&["handle"]).unwrap_err().to_string(),
            "header: the 'title' column is missing"
        );
        assert_eq!(
            h(&["handle", "title", "colour"])
                .unwrap_err()
                .field()
                .map(ToString::to_string)
                .as_deref(),
            Some("header[2]")
        );
        assert!(h(&["handle", "title", "handle"]).is_err());
        assert!(h(&["\u{feff}Handle", "Title", "option2_value"]).is_ok());
    }

    #[test]
    fn bad_cells_name_line_and_column() {
        let layout = CsvLayout::from_header(&["handle".into(), "title".into(), "inventory_quantity".into()]).unwrap();
        let (line, e) = layout
            .to_doc(&[(7, vec!["a".into(), "A".into(), "lots".into()])])
            .unwrap_err();
        assert_eq!(
            (line, e.field().map(ToString::to_string).as_deref()),
            (7, Some("inventory_quantity"))
        );
    }

    #[test]
    fn satisfied_means_nothing_to_change() {
        let stored = doc();
        assert!(stored.is_satisfied_by(&stored));
        let mut partial = doc();
        partial.variants.truncate(1);
        partial.attributes.remove("weight");
        partial.variants[0].price = Some("19.990".into());
        assert!(partial.is_satisfied_by(&stored));
        let mut changed = doc();
        changed.variants[1].inventory_quantity = 9;
        assert!(!changed.is_satisfied_by(&stored));
        let mut new_variant = doc();
        new_variant.variants[1].sku = Some("TEE-L".into());
        assert!(!new_variant.is_satisfied_by(&stored));
        let mut other_template = doc();
        other_template.template = Some("Footwear".into());
        assert!(!other_template.is_satisfied_by(&stored));
        let mut no_template = doc();
        no_template.template = None;
        assert!(no_template.is_satisfied_by(&stored));
    }
}
