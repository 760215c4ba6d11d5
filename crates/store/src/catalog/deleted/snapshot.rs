//! A deleted product kept as its rows: every column of every row it owned (the product, its
//! sync links, its own options with their values, its option assignments and tags, its
//! variants with their option values, its media attachments), table by table, as JSON.
//!
//! Rows rather than the core's views because a restore must give back exactly what was there
//! (ids, numbers, ranks, creation times, who wrote it), and a view leaves some of that out.
//! Each table's columns are listed here once, with their kind, so the same list reads the rows
//! before the delete and writes them again on a restore. A migration that renames or retypes
//! one of these columns must rewrite the kept snapshots (a column added later is NULL, or its
//! default, in a snapshot taken before it).

use crate::db::{Backend, Conn, Row, Val, insert_statements};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use pimento_core::ids::{OrganizationId, ProductId};
use serde_json::{Map, Value};
use uuid::Uuid;

/// How a column is read and written.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Id,
    Text,
    Int,
    Float,
    Time,
    Json,
}

use Kind::*;

/// One table of a product's rows.
struct Table {
    name: &'static str,
    /// Which rows are the product's: `$1` is its organization, `$2` the product.
    rows: &'static str,
    columns: &'static [(&'static str, Kind)],
}

/// The product's tables, parents before children: the order of a restore's inserts.
const TABLES: &[Table] = &[
    Table {
        name: "external_refs",
        rows: "organization_id = $1 AND (entity_id = $2 OR entity_id IN \
               (SELECT id FROM variants WHERE organization_id = $1 AND product_id = $2))",
        columns: &[
            ("id", Id),
            ("organization_id", Id),
            ("entity_type", Text),
            ("entity_id", Id),
            ("sync_source", Text),
            ("sync_source_id", Text),
            ("source_vendor", Text),
            ("source_data", Json),
            ("sync_status", Text),
            ("last_synced_at", Time),
            ("created_at", Time),
            ("created_by", Text),
            ("updated_at", Time),
            ("updated_by", Text),
        ],
    },
    Table {
        name: "products",
        rows: "organization_id = $1 AND id = $2",
        columns: &[
            ("id", Id),
            ("organization_id", Id),
            ("handle", Text),
            ("name", Text),
            ("url", Text),
            ("description", Text),
            ("status", Text),
            ("metadata", Json),
            ("default_variant_id", Id),
            ("primary_ref_id", Id),
            ("created_at", Time),
            ("created_by", Text),
            ("updated_at", Time),
            ("updated_by", Text),
            ("archived_at", Time),
            ("category_id", Id),
            ("brand_id", Id),
            ("template_id", Id),
            ("attributes", Json),
            ("number", Int),
            ("vendor_id", Id),
            ("collection_id", Id),
            ("type_id", Id),
            ("subtitle", Text),
            ("short_description", Text),
            ("thumbnail", Text),
            ("seo_name", Text),
            ("page_title", Text),
            ("meta_description", Text),
            ("meta_keywords", Text),
            ("weight", Float),
            ("length", Float),
            ("width", Float),
            ("height", Float),
            ("extensions", Json),
        ],
    },
    Table {
        name: "options",
        rows: "organization_id = $1 AND product_id = $2",
        columns: &[
            ("id", Id),
            ("organization_id", Id),
            ("name", Text),
            ("created_at", Time),
            ("created_by", Text),
            ("updated_at", Time),
            ("updated_by", Text),
            ("product_id", Id),
        ],
    },
    Table {
        name: "option_values",
        rows: "option_id IN (SELECT id FROM options WHERE organization_id = $1 AND product_id = $2)",
        columns: &[
            ("id", Id),
            ("option_id", Id),
            ("value", Text),
            ("rank", Int),
            ("number", Int),
        ],
    },
    Table {
        name: "product_options",
        rows: "product_id IN (SELECT id FROM products WHERE organization_id = $1 AND id = $2)",
        columns: &[("product_id", Id), ("option_id", Id), ("rank", Int)],
    },
    Table {
        name: "product_tags",
        rows: "product_id IN (SELECT id FROM products WHERE organization_id = $1 AND id = $2)",
        columns: &[("product_id", Id), ("tag_id", Id), ("rank", Int)],
    },
    Table {
        name: "variants",
        rows: "organization_id = $1 AND product_id = $2",
        columns: &[
            ("id", Id),
            ("organization_id", Id),
            ("product_id", Id),
            ("title", Text),
            ("sku", Text),
            ("barcode", Text),
            ("price_minor", Int),
            ("currency", Text),
            ("inventory_quantity", Int),
            ("rank", Int),
            ("options_key", Text),
            ("metadata", Json),
            ("primary_ref_id", Id),
            ("created_at", Time),
            ("created_by", Text),
            ("updated_at", Time),
            ("updated_by", Text),
            ("list_price_minor", Int),
            ("prices", Json),
            ("extensions", Json),
        ],
    },
    Table {
        name: "variant_option_values",
        rows: "variant_id IN (SELECT id FROM variants WHERE organization_id = $1 AND product_id = $2)",
        columns: &[("variant_id", Id), ("option_id", Id), ("value_id", Id)],
    },
    Table {
        name: "product_media",
        rows: "organization_id = $1 AND product_id = $2",
        columns: &[
            ("id", Id),
            ("organization_id", Id),
            ("product_id", Id),
            ("variant_id", Id),
            ("media_asset_id", Id),
            ("position", Int),
            ("purpose", Text),
            ("created_at", Time),
        ],
    },
];

/// The version of the snapshot's layout, kept with it.
const VERSION: i64 = 1;

/// A deleted product's rows: `{"version": 1, "tables": {"products": [{column: value}], …}}`.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot(pub(crate) Value);

impl Snapshot {
    /// The rows of one table.
    pub(crate) fn rows(&self, table: &str) -> &[Value] {
        self.0["tables"][table].as_array().map_or(&[], Vec::as_slice)
    }

    /// The product's own row.
    pub(crate) fn product(&self) -> Option<&Map<String, Value>> {
        self.rows("products").first().and_then(Value::as_object)
    }

    /// The variants' rows, in the product's order (by rank), as a read lists them.
    pub(crate) fn variants(&self) -> Vec<&Map<String, Value>> {
        let mut v: Vec<&Map<String, Value>> = self.rows("variants").iter().filter_map(Value::as_object).collect();
        v.sort_by_key(|r| r.get("rank").and_then(Value::as_i64).unwrap_or(0));
        v
    }
}

/// Reads every row the product owns, before it is deleted.
pub(crate) async fn capture(c: &mut Conn<'_>, org: OrganizationId, id: ProductId) -> Result<Snapshot, StoreError> {
    let sqlite = c.backend() == Backend::Sqlite;
    let mut tables = Map::new();
    for t in TABLES {
        let mut cols: Vec<String> = t.columns.iter().map(|(name, _)| (*name).to_owned()).collect();
        // SQLite's search index is keyed by `seq`; a restore gives the old one back when free.
        if sqlite && t.name == "products" {
            cols.push("seq".to_owned());
        }
        let sql = format!("SELECT {} FROM {} WHERE {}", cols.join(", "), t.name, t.rows);
        let rows = c.fetch_all(sql, crate::args![org, id]).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut object = Map::new();
            for (name, kind) in t.columns {
                object.insert((*name).to_owned(), read(row, name, *kind)?);
            }
            if sqlite && t.name == "products" {
                object.insert("seq".to_owned(), read(row, "seq", Int)?);
            }
            out.push(Value::Object(object));
        }
        tables.insert(t.name.to_owned(), Value::Array(out));
    }
    Ok(Snapshot(serde_json::json!({"version": VERSION, "tables": tables})))
}

/// Writes the product's rows again, parents first. `seq` is the SQLite search order to give
/// the product back, when still free.
pub(crate) async fn replay(c: &mut Conn<'_>, snapshot: &Snapshot, seq: Option<i64>) -> Result<(), StoreError> {
    let backend = c.backend();
    for t in TABLES {
        let rows = snapshot.rows(t.name);
        if rows.is_empty() {
            continue;
        }
        let mut cols: Vec<&str> = t.columns.iter().map(|(name, _)| *name).collect();
        let with_seq = backend == Backend::Sqlite && t.name == "products" && seq.is_some();
        if with_seq {
            cols.push("seq");
        }
        let mut values = Vec::with_capacity(rows.len());
        for row in rows {
            let mut vals: Vec<Val> = t
                .columns
                .iter()
                .map(|(name, kind)| write(&row[*name], *kind))
                .collect::<Result<_, _>>()?;
            if with_seq {
                vals.push(Val::Int(seq));
            }
            values.push(vals);
        }
        let head = format!("INSERT INTO {} ({})", t.name, cols.join(", "));
        c.execute_all(insert_statements(backend, &head, cols.len(), values))
            .await?;
    }
    Ok(())
}

/// A column's value as JSON.
fn read(row: &Row, col: &str, kind: Kind) -> Result<Value, StoreError> {
    Ok(match kind {
        Id => row
            .get::<Option<Uuid>>(col)?
            .map_or(Value::Null, |u| Value::String(u.to_string())),
        Text => row.get::<Option<String>>(col)?.map_or(Value::Null, Value::String),
        // PostgreSQL keeps some ranks as `integer`.
        Int => row
            .get::<Option<i64>>(col)
            .or_else(|_| row.get::<Option<i32>>(col).map(|v| v.map(i64::from)))?
            .map_or(Value::Null, Value::from),
        Float => row.get::<Option<f64>>(col)?.map_or(Value::Null, Value::from),
        Time => row
            .get::<Option<DateTime<Utc>>>(col)?
            .map_or(Value::Null, |t| Value::String(t.to_rfc3339())),
        Json => row.json(col)?.unwrap_or(Value::Null),
    })
}

/// A kept value, bound as its column's kind.
fn write(v: &Value, kind: Kind) -> Result<Val, StoreError> {
    let bad = || StoreError::Corrupt(format!("deleted product snapshot: {kind:?} value {v}"));
    if v.is_null() {
        return Ok(match kind {
            Id => Val::Uuid(None),
            Text => Val::Text(None),
            Int => Val::Int(None),
            Float => Val::Float(None),
            Time => Val::Ts(None),
            Json => Val::Json(None),
        });
    }
    Ok(match kind {
        Id => Val::from(v.as_str().and_then(|s| Uuid::parse_str(s).ok()).ok_or_else(bad)?),
        Text => Val::from(v.as_str().ok_or_else(bad)?),
        Int => Val::from(v.as_i64().ok_or_else(bad)?),
        Float => Val::from(v.as_f64().ok_or_else(bad)?),
        Time => Val::from(
            v.as_str()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(bad)?,
        ),
        Json => Val::from(v.clone()),
    })
}
