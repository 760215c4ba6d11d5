//! Reading stored rows back into domain types.

use crate::db::Row;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use pimento_core::details::{Dimensions, ProductDetails, Seo};
use pimento_core::extension::Extensions;
use pimento_core::label::Label;
use pimento_core::media::{MediaAsset, ProductMedia};
use pimento_core::money::{Currency, Money};
use pimento_core::options::{OptionValue, VariantOption};
use pimento_core::product::{Product, ProductStatus};
use pimento_core::sync::{ExternalRef, SyncStatus};
use pimento_core::variant::{Variant, prices_from_json};
use pimento_core::version::Version;

/// The product columns, with the primary external reference as `r_*`.
pub const PRODUCT_COLUMNS: &str = "p.id, p.organization_id, p.number, p.handle, p.name, p.url, p.description, p.status, \
p.metadata, p.default_variant_id, p.category_id, p.brand_id, p.template_id, p.attributes, p.created_at, p.created_by, p.updated_at, p.updated_by, p.archived_at, p.version, \
p.vendor_id, p.collection_id, p.type_id, p.subtitle, p.short_description, p.thumbnail, p.seo_name, p.page_title, \
p.meta_description, p.meta_keywords, p.weight, p.length, p.width, p.height, p.extensions, \
r.id AS r_id, r.sync_source AS r_sync_source, r.sync_source_id AS r_sync_source_id, \
r.source_vendor AS r_source_vendor, r.source_data AS r_source_data, r.sync_status AS r_sync_status, \
r.last_synced_at AS r_last_synced_at, r.created_at AS r_created_at, r.created_by AS r_created_by, \
r.updated_at AS r_updated_at, r.updated_by AS r_updated_by, cat.slug AS cat_slug, cat.name AS cat_name";

/// `FROM` clause matching [`PRODUCT_COLUMNS`].
pub const PRODUCT_FROM: &str = "FROM products p LEFT JOIN external_refs r ON r.id = p.primary_ref_id \
LEFT JOIN categories cat ON cat.id = p.category_id";

/// The variant columns, with the primary external reference as `r_*`.
pub const VARIANT_COLUMNS: &str = "v.id, v.organization_id, v.product_id, v.title, v.sku, v.barcode, \
v.price_minor, v.currency, v.inventory_quantity, v.rank, v.metadata, v.created_at, v.created_by, \
v.updated_at, v.updated_by, v.list_price_minor, v.prices, v.extensions, v.version, \
r.id AS r_id, r.sync_source AS r_sync_source, r.sync_source_id AS r_sync_source_id, \
r.source_vendor AS r_source_vendor, r.source_data AS r_source_data, r.sync_status AS r_sync_status, \
r.last_synced_at AS r_last_synced_at, r.created_at AS r_created_at, r.created_by AS r_created_by, \
r.updated_at AS r_updated_at, r.updated_by AS r_updated_by";

/// `FROM` clause matching [`VARIANT_COLUMNS`].
pub const VARIANT_FROM: &str = "FROM variants v LEFT JOIN external_refs r ON r.id = v.primary_ref_id";

/// The attachment columns as `m_*` with their asset's as `a_*`, so they can sit beside a product's.
pub const MEDIA_COLUMNS: &str = "pm.id AS m_id, pm.organization_id AS m_organization_id, \
pm.product_id AS m_product_id, pm.variant_id AS m_variant_id, pm.position AS m_position, pm.purpose AS m_purpose, \
a.id AS a_id, a.name AS a_name, a.alt_text AS a_alt_text, a.description AS a_description, \
a.public_url AS a_public_url, a.source_url AS a_source_url, a.thumbnail_url AS a_thumbnail_url, \
a.upload_url AS a_upload_url, a.created_at AS a_created_at, a.created_by AS a_created_by, \
a.updated_at AS a_updated_at, a.updated_by AS a_updated_by";

/// `FROM` clause matching [`MEDIA_COLUMNS`].
pub const MEDIA_FROM: &str = "FROM product_media pm JOIN media_assets a ON a.id = pm.media_asset_id";

pub fn product(row: &Row) -> Result<Product, StoreError> {
    let status: String = row.get("status")?;
    Ok(Product {
        id: row.id("id")?,
        organization_id: row.id("organization_id")?,
        number: row.get("number")?,
        handle: row.get("handle")?,
        name: row.get("name")?,
        url: row.get("url")?,
        description: row.get("description")?,
        status: ProductStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
        metadata: row.json("metadata")?,
        default_variant_id: row.opt_id("default_variant_id")?,
        category_id: row.opt_id("category_id")?,
        brand_id: row.opt_id("brand_id")?,
        template_id: row.opt_id("template_id")?,
        attributes: match row.json("attributes")? {
            Some(serde_json::Value::Object(m)) => Some(m),
            _ => None,
        },
        created_at: row.get("created_at")?,
        created_by: row.get("created_by")?,
        updated_at: row.get("updated_at")?,
        updated_by: row.get("updated_by")?,
        archived_at: row.get::<Option<DateTime<Utc>>>("archived_at")?,
        version: Version(row.get("version")?),
        vendor_id: row.opt_id("vendor_id")?,
        collection_id: row.opt_id("collection_id")?,
        type_id: row.opt_id("type_id")?,
        details: ProductDetails {
            subtitle: row.get("subtitle")?,
            short_description: row.get("short_description")?,
            thumbnail: row.get("thumbnail")?,
            seo: Seo {
                name: row.get("seo_name")?,
                page_title: row.get("page_title")?,
                meta_description: row.get("meta_description")?,
                meta_keywords: row.get("meta_keywords")?,
            },
            dimensions: Dimensions {
                weight: row.get("weight")?,
                length: row.get("length")?,
                width: row.get("width")?,
                height: row.get("height")?,
            },
        },
        extensions: Extensions::from_json(row.json("extensions")?),
    })
}

/// The product's category from the `cat_*` columns, when it has one.
pub fn category_link(row: &Row, product: &Product) -> Result<Option<pimento_core::taxonomy::CategoryLink>, StoreError> {
    let (Some(id), Some(slug)) = (product.category_id, row.get::<Option<String>>("cat_slug")?) else {
        return Ok(None);
    };
    Ok(Some(pimento_core::taxonomy::CategoryLink {
        id,
        slug,
        name: row.get("cat_name")?,
    }))
}

/// The `r_*` columns as an external reference, when the join found one.
pub fn joined_ref(row: &Row, organization_id: uuid::Uuid) -> Result<Option<ExternalRef>, StoreError> {
    let Some(id) = row.opt_id("r_id")? else {
        return Ok(None);
    };
    let status: String = row.get("r_sync_status")?;
    Ok(Some(ExternalRef {
        id,
        organization_id: organization_id.into(),
        sync_source: row.get("r_sync_source")?,
        sync_source_id: row.get("r_sync_source_id")?,
        source_vendor: row.get("r_source_vendor")?,
        source_data: row.json("r_source_data")?,
        sync_status: SyncStatus::parse("sync_status", &status).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        last_synced_at: row.get("r_last_synced_at")?,
        created_at: row.get("r_created_at")?,
        created_by: row.get("r_created_by")?,
        updated_at: row.get("r_updated_at")?,
        updated_by: row.get("r_updated_by")?,
    }))
}

pub fn variant(row: &Row) -> Result<Variant, StoreError> {
    let organization_id: uuid::Uuid = row.get("organization_id")?;
    let price = match (
        row.get::<Option<i64>>("price_minor")?,
        row.get::<Option<String>>("currency")?,
    ) {
        (Some(minor), Some(code)) => Some(Money {
            minor,
            currency: Currency::parse("currency", &code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        }),
        _ => None,
    };
    let list_price = match (price, row.get::<Option<i64>>("list_price_minor")?) {
        (Some(p), Some(minor)) => Some(Money {
            minor,
            currency: p.currency,
        }),
        _ => None,
    };
    Ok(Variant {
        list_price,
        prices: prices_from_json(row.json("prices")?.as_ref()).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        extensions: Extensions::from_json(row.json("extensions")?),
        id: row.id("id")?,
        organization_id: organization_id.into(),
        product_id: row.id("product_id")?,
        title: row.get("title")?,
        sku: row.get("sku")?,
        barcode: row.get("barcode")?,
        price,
        inventory_quantity: row.get("inventory_quantity")?,
        rank: row.get("rank")?,
        metadata: row.json("metadata")?,
        options: Vec::new(),
        sync: joined_ref(row, organization_id)?,
        created_at: row.get("created_at")?,
        created_by: row.get("created_by")?,
        updated_at: row.get("updated_at")?,
        updated_by: row.get("updated_by")?,
        version: Version(row.get("version")?),
    })
}

pub fn product_media(row: &Row) -> Result<ProductMedia, StoreError> {
    let organization_id = row.id("m_organization_id")?;
    Ok(ProductMedia {
        id: row.id("m_id")?,
        organization_id,
        product_id: row.id("m_product_id")?,
        variant_id: row.opt_id("m_variant_id")?,
        position: row.get("m_position")?,
        purpose: row.get("m_purpose")?,
        asset: MediaAsset {
            id: row.id("a_id")?,
            organization_id,
            name: row.get("a_name")?,
            alt_text: row.get("a_alt_text")?,
            description: row.get("a_description")?,
            public_url: row.get("a_public_url")?,
            source_url: row.get("a_source_url")?,
            thumbnail_url: row.get("a_thumbnail_url")?,
            upload_url: row.get("a_upload_url")?,
            created_at: row.get("a_created_at")?,
            created_by: row.get("a_created_by")?,
            updated_at: row.get("a_updated_at")?,
            updated_by: row.get("a_updated_by")?,
        },
    })
}

/// An option row (`id, organization_id, name, created_*, updated_*, version`), without its values.
pub fn option(row: &Row) -> Result<VariantOption, StoreError> {
    Ok(VariantOption {
        id: row.id("id")?,
        organization_id: row.id("organization_id")?,
        product_id: row.opt_id("product_id")?,
        name: row.get("name")?,
        values: Vec::new(),
        created_at: row.get("created_at")?,
        created_by: row.get("created_by")?,
        updated_at: row.get("updated_at")?,
        updated_by: row.get("updated_by")?,
        version: Version(row.get("version")?),
    })
}

pub fn option_value(row: &Row) -> Result<OptionValue, StoreError> {
    Ok(OptionValue {
        id: row.id("id")?,
        option_id: row.id("option_id")?,
        number: row.get("number")?,
        value: row.get("value")?,
        rank: row.get("rank")?,
    })
}

/// The columns of a label table (tags, product types) as `t.*`.
pub const LABEL_COLUMNS: &str =
    "t.id, t.organization_id, t.value, t.metadata, t.created_at, t.created_by, t.updated_at, t.updated_by, t.version";

/// A label (tag or product type) from [`LABEL_COLUMNS`].
pub fn label<Id: From<uuid::Uuid>>(row: &Row) -> Result<Label<Id>, StoreError> {
    Ok(Label {
        id: row.id("id")?,
        organization_id: row.id("organization_id")?,
        value: row.get("value")?,
        metadata: row.json("metadata")?,
        created_at: row.get("created_at")?,
        created_by: row.get("created_by")?,
        updated_at: row.get("updated_at")?,
        updated_by: row.get("updated_by")?,
        version: pimento_core::version::Version(row.get("version")?),
    })
}
