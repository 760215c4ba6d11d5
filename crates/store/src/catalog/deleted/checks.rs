//! What a restore refuses: anything that now stands in the way of putting the product's rows
//! back as they were. A restore never changes what it gives back (no new handle, no SKU
//! dropped, no reference left out): a clash or a missing reference is a conflict naming the
//! field, and the caller fixes it (renames the other product, recreates the category) and
//! tries again. Attribute values are the one exception: they are kept by attribute key, as
//! they are on the product, and the validation report lists those whose attribute is gone.

use super::snapshot::Snapshot;
use crate::db::{Conn, Val};
use crate::error::{StoreError, taken};
use pimento_core::error::codes;
use pimento_core::ids::OrganizationId;
use pimento_core::{CoreError, FieldPath};
use serde_json::{Map, Value};
use std::collections::HashSet;
use uuid::Uuid;

/// The product's references to the organization's other entities: its field and the table.
const REFERENCES: [(&str, &str, &str); 6] = [
    ("category_id", "categories", "category"),
    ("brand_id", "brands", "brand"),
    ("template_id", "templates", "template"),
    ("vendor_id", "vendors", "vendor"),
    ("collection_id", "collections", "collection"),
    ("type_id", "product_types", "product type"),
];

/// Refuses the restore when the product, its handle or one of its SKUs is taken, or when it
/// refers to something the organization no longer has.
pub(super) async fn ensure_restorable(c: &mut Conn<'_>, org: OrganizationId, s: &Snapshot) -> Result<(), StoreError> {
    let product = s
        .product()
        .ok_or_else(|| StoreError::Corrupt("deleted product snapshot without its product".into()))?;
    let id = uuid(product, "id").ok_or_else(|| StoreError::Corrupt("deleted product snapshot without an id".into()))?;
    if found(c, "SELECT 1 FROM products WHERE id = $1", vec![Val::from(id)]).await? {
        return Err(CoreError::conflict(codes::CONFLICT, "id", "A product with this id exists").into());
    }
    if let Some(handle) = product.get("handle").and_then(Value::as_str)
        && found(
            c,
            "SELECT 1 FROM products WHERE organization_id = $1 AND handle = $2",
            crate::args![org, handle],
        )
        .await?
    {
        return Err(taken("ux_products_handle").into());
    }
    for (i, v) in s.variants().iter().enumerate() {
        if let Some(sku) = v.get("sku").and_then(Value::as_str)
            && found(
                c,
                "SELECT 1 FROM variants WHERE organization_id = $1 AND sku = $2",
                crate::args![org, sku],
            )
            .await?
        {
            return Err(taken("ux_variants_sku")
                .within(FieldPath::name("variants").index(i))
                .into());
        }
    }
    for (field, table, what) in REFERENCES {
        if let Some(target) = uuid(product, field)
            && !found(
                c,
                format!("SELECT 1 FROM {table} WHERE organization_id = $1 AND id = $2"),
                crate::args![org, target],
            )
            .await?
        {
            return Err(missing(field, format!("The product's {what} no longer exists")));
        }
    }
    // The product's own options come back with it; the organization's shared ones must remain.
    let own: HashSet<Uuid> = s.rows("options").iter().filter_map(|r| uuid_of(r, "id")).collect();
    for option in s.rows("product_options").iter().filter_map(|r| uuid_of(r, "option_id")) {
        if !own.contains(&option)
            && !found(
                c,
                "SELECT 1 FROM options WHERE organization_id = $1 AND id = $2",
                crate::args![org, option],
            )
            .await?
        {
            return Err(missing("option_ids", "One of the product's options no longer exists"));
        }
    }
    let own_values: HashSet<Uuid> = s
        .rows("option_values")
        .iter()
        .filter_map(|r| uuid_of(r, "id"))
        .collect();
    let variant_index: Vec<Option<Uuid>> = s.variants().iter().map(|v| uuid(v, "id")).collect();
    for pick in s.rows("variant_option_values") {
        let Some(value) = uuid_of(pick, "value_id") else {
            continue;
        };
        if !own_values.contains(&value)
            && !found(
                c,
                "SELECT 1 FROM option_values WHERE id = $2 AND option_id IN \
                 (SELECT id FROM options WHERE organization_id = $1)",
                crate::args![org, value],
            )
            .await?
        {
            let i = variant_index
                .iter()
                .position(|v| *v == uuid_of(pick, "variant_id"))
                .unwrap_or(0);
            return Err(missing(
                FieldPath::name("variants").index(i).field("options"),
                "One of the variant's option values no longer exists",
            ));
        }
    }
    for tag in s.rows("product_tags").iter().filter_map(|r| uuid_of(r, "tag_id")) {
        if !found(
            c,
            "SELECT 1 FROM tags WHERE organization_id = $1 AND id = $2",
            crate::args![org, tag],
        )
        .await?
        {
            return Err(missing("tags", "One of the product's tags no longer exists"));
        }
    }
    let mut media: Vec<&Map<String, Value>> = s.rows("product_media").iter().filter_map(Value::as_object).collect();
    media.sort_by_key(|m| m.get("position").and_then(Value::as_i64).unwrap_or(0));
    for (i, m) in media.iter().enumerate() {
        if let Some(asset) = uuid(m, "media_asset_id")
            && !found(
                c,
                "SELECT 1 FROM media_assets WHERE organization_id = $1 AND id = $2",
                crate::args![org, asset],
            )
            .await?
        {
            return Err(missing(
                FieldPath::name("media").index(i).field("media_asset_id"),
                "The media asset no longer exists",
            ));
        }
    }
    Ok(())
}

/// A conflict: the product refers to something that is gone.
fn missing(field: impl Into<FieldPath>, message: impl Into<String>) -> StoreError {
    CoreError::conflict(codes::MISSING_REFERENCE, field, message).into()
}

/// Whether the query finds a row.
async fn found(c: &mut Conn<'_>, sql: impl Into<crate::db::Sql>, args: Vec<Val>) -> Result<bool, StoreError> {
    Ok(c.fetch_optional(sql, args).await?.is_some())
}

/// A kept id column.
fn uuid(row: &Map<String, Value>, col: &str) -> Option<Uuid> {
    row.get(col)
        .and_then(Value::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
}

/// A kept id column of a row that should be an object.
fn uuid_of(row: &Value, col: &str) -> Option<Uuid> {
    row.as_object().and_then(|r| uuid(r, col))
}
