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
            ("version", Int),
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
            ("version", Int),
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
            ("version", Int),
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The columns each table has in the migrated database, in their order.
    async fn columns(c: &mut Conn<'_>, table: &str) -> Vec<String> {
        let sql = match c.backend() {
            Backend::Sqlite => "SELECT name FROM pragma_table_info($1) ORDER BY cid",
            Backend::Postgres => {
                "SELECT column_name::text AS name FROM information_schema.columns \
                 WHERE table_name = $1 AND table_schema = current_schema() ORDER BY ordinal_position"
            }
        };
        let rows = c.fetch_all(sql, crate::args![table]).await.unwrap();
        rows.iter().map(|r| r.get::<String>("name").unwrap()).collect()
    }

    /// A snapshot holds every column of every table it keeps: a migration that adds one to
    /// these tables must add it here too, or a restore would bring the product back without it.
    #[tokio::test]
    async fn every_column_of_a_products_tables_is_kept() {
        let db = crate::testing::TestDb::new().await;
        let mut pc = db.db.acquire().await.unwrap();
        let mut c = pc.conn();
        for t in TABLES {
            let mut stored = columns(&mut c, t.name).await;
            // SQLite's search order, kept apart (see `capture`).
            stored.retain(|col| !(t.name == "products" && col == "seq"));
            let mut kept: Vec<String> = t.columns.iter().map(|(name, _)| (*name).to_owned()).collect();
            stored.sort();
            kept.sort();
            assert_eq!(kept, stored, "the columns of {}", t.name);
        }
    }

    /// Every table whose rows belong to a product or a variant (a foreign key to either) is
    /// kept, but the search index, which the triggers rebuild.
    #[tokio::test]
    async fn every_table_of_a_product_is_kept() {
        let db = crate::testing::TestDb::new().await;
        let mut pc = db.db.acquire().await.unwrap();
        let mut c = pc.conn();
        let sql = match c.backend() {
            Backend::Sqlite => {
                "SELECT DISTINCT m.name AS name FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
                 WHERE m.type = 'table' AND f.\"table\" IN ('products', 'variants')"
            }
            Backend::Postgres => {
                "SELECT DISTINCT tc.table_name::text AS name FROM information_schema.table_constraints tc \
                 JOIN information_schema.constraint_column_usage u ON u.constraint_name = tc.constraint_name \
                 AND u.constraint_schema = tc.constraint_schema \
                 WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() \
                 AND u.table_name IN ('products', 'variants')"
            }
        };
        let rows = c.fetch_all(sql, vec![]).await.unwrap();
        let kept: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        let mut owning: Vec<String> = rows.iter().map(|r| r.get::<String>("name").unwrap()).collect();
        owning.retain(|t| t != "product_search" && t != "products" && t != "variants");
        assert!(!owning.is_empty());
        for table in owning {
            assert!(
                kept.contains(&table.as_str()),
                "{table} refers to products or variants but is not kept"
            );
        }
    }
}
