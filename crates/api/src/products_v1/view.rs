//! Response bodies of the Products API, built from core views.

use chrono::{DateTime, Utc};
use pimento_core::media::{MediaAsset, ProductMedia};
use pimento_core::options::VariantOption;
use pimento_core::product::ProductView;
use pimento_core::sync::ExternalRef;
use pimento_core::variant::Variant;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// A product.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductOut {
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub id: Uuid,
    pub name: String,
    pub organization_id: Uuid,
    /// The product's page; null for products created through an API that has no URL.
    pub url: Option<String>,
    pub default_variant_id: Option<Uuid>,
    pub description: Option<String>,
    pub handle: Option<String>,
    /// Lifecycle status: draft, proposed, active, hidden, disabled or rejected.
    pub status: &'static str,
    pub metadata: Option<Value>,
    /// The product's id in its primary sync source.
    pub primary_external_id: Option<String>,
    pub primary_last_synced_at: Option<DateTime<Utc>>,
    pub primary_source_vendor: Option<String>,
    pub primary_sync_source: Option<SyncSourceOut>,
    /// The id of the primary sync source record.
    pub primary_sync_source_id: Option<String>,
    /// Present when `include` names `mediaAssets`.
    pub product_media_assets: Option<Vec<ProductMediaOut>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
    /// Present when `include` names `variants`.
    pub variants: Option<Vec<VariantOut>>,
    /// Goes up with every change to the product, its variants, media or options; the `ETag`
    /// of the product's reads is this number in quotes, for `If-Match` on its writes.
    pub version: i64,
}

/// The link between a record and its source system.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncSourceOut {
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub id: Uuid,
    pub organization_id: Uuid,
    pub sync_source: String,
    pub sync_source_id: String,
    pub source_vendor: Option<String>,
    pub last_synced_at: Option<DateTime<Utc>>,
    pub source_data: Option<Value>,
    /// PENDING, SYNCED or FAILED.
    pub sync_status: &'static str,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
}

/// One option value a variant has.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VariantOptionValueOut {
    pub option_id: Uuid,
    pub option_name: String,
    pub value: String,
    pub value_id: Uuid,
}

/// A variant.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VariantOut {
    pub options: Vec<VariantOptionValueOut>,
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub id: Uuid,
    pub inventory_quantity: i64,
    pub organization_id: Uuid,
    /// Decimal string in major units (`"19.99"`); null when the variant has no price.
    pub price: Option<String>,
    /// ISO 4217 code of the price.
    pub currency: Option<String>,
    pub product_id: Uuid,
    pub sku: Option<String>,
    pub title: Option<String>,
    pub barcode: Option<String>,
    pub metadata: Option<Value>,
    pub primary_external_id: Option<String>,
    pub primary_last_synced_at: Option<DateTime<Utc>>,
    pub primary_source_vendor: Option<String>,
    pub primary_sync_source_id: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
    /// Goes up with every change to the variant; its reads' `ETag` is this number in quotes.
    pub version: i64,
}

/// A media asset.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MediaAssetOut {
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub id: Uuid,
    pub name: String,
    pub organization_id: Uuid,
    pub alt_text: Option<String>,
    pub description: Option<String>,
    pub public_url: Option<String>,
    pub source_url: Option<String>,
    pub thumbnail_url: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
    pub upload_url: Option<String>,
}

/// A media asset attached to a product.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductMediaOut {
    pub id: Uuid,
    pub media_asset: MediaAssetOut,
    pub media_asset_id: Uuid,
    pub organization_id: Uuid,
    /// Lower comes first.
    pub position: i64,
    pub product_id: Uuid,
    pub purpose: Option<String>,
    /// Set when the asset shows one variant.
    pub variant_id: Option<Uuid>,
}

/// A value of a variant option.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OptionValueOut {
    pub id: Uuid,
    pub value: String,
    pub position: i64,
}

/// A variant option and its values.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VariantOptionOut {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub values: Vec<OptionValueOut>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Goes up with every change to the option or its values; its reads' `ETag` is this number
    /// in quotes.
    pub version: i64,
}

fn primary(r: Option<&ExternalRef>) -> (Option<String>, Option<DateTime<Utc>>, Option<String>, Option<String>) {
    match r {
        Some(r) => (
            Some(r.sync_source_id.clone()),
            r.last_synced_at,
            Some(r.source_vendor.clone().unwrap_or_else(|| r.sync_source.clone())),
            Some(r.id.to_string()),
        ),
        None => (None, None, None, None),
    }
}

impl From<&ExternalRef> for SyncSourceOut {
    fn from(r: &ExternalRef) -> Self {
        SyncSourceOut {
            archived: false,
            created_at: r.created_at,
            created_by: r.created_by.clone(),
            id: r.id.0,
            organization_id: r.organization_id.0,
            sync_source: r.sync_source.clone(),
            sync_source_id: r.sync_source_id.clone(),
            source_vendor: r.source_vendor.clone(),
            last_synced_at: r.last_synced_at,
            source_data: r.source_data.clone(),
            sync_status: r.sync_status.as_str(),
            updated_at: Some(r.updated_at),
            updated_by: Some(r.updated_by.clone()),
        }
    }
}

impl From<Variant> for VariantOut {
    fn from(v: Variant) -> Self {
        let (ext, synced, vendor, ref_id) = primary(v.sync.as_ref());
        VariantOut {
            options: v
                .options
                .into_iter()
                .map(|o| VariantOptionValueOut {
                    option_id: o.option_id.0,
                    option_name: o.option_name,
                    value: o.value,
                    value_id: o.value_id.0,
                })
                .collect(),
            archived: false,
            created_at: v.created_at,
            created_by: v.created_by,
            id: v.id.0,
            inventory_quantity: v.inventory_quantity,
            organization_id: v.organization_id.0,
            price: v.price.map(|p| p.to_decimal_string()),
            currency: v.price.map(|p| p.currency.code().to_owned()),
            product_id: v.product_id.0,
            sku: v.sku,
            title: v.title,
            barcode: v.barcode,
            metadata: v.metadata,
            primary_external_id: ext,
            primary_last_synced_at: synced,
            primary_source_vendor: vendor,
            primary_sync_source_id: ref_id,
            updated_at: Some(v.updated_at),
            updated_by: Some(v.updated_by),
            version: v.version.0,
        }
    }
}

impl From<MediaAsset> for MediaAssetOut {
    fn from(a: MediaAsset) -> Self {
        MediaAssetOut {
            archived: false,
            created_at: a.created_at,
            created_by: a.created_by,
            id: a.id.0,
            name: a.name,
            organization_id: a.organization_id.0,
            alt_text: a.alt_text,
            description: a.description,
            public_url: a.public_url,
            source_url: a.source_url,
            thumbnail_url: a.thumbnail_url,
            updated_at: Some(a.updated_at),
            updated_by: Some(a.updated_by),
            upload_url: a.upload_url,
        }
    }
}

impl From<ProductMedia> for ProductMediaOut {
    fn from(m: ProductMedia) -> Self {
        ProductMediaOut {
            id: m.id.0,
            media_asset_id: m.asset.id.0,
            media_asset: m.asset.into(),
            organization_id: m.organization_id.0,
            position: m.position,
            product_id: m.product_id.0,
            purpose: m.purpose,
            variant_id: m.variant_id.map(|v| v.0),
        }
    }
}

impl From<ProductView> for ProductOut {
    fn from(v: ProductView) -> Self {
        let p = v.product;
        let (ext, synced, vendor, ref_id) = primary(v.sync.as_ref());
        ProductOut {
            archived: p.archived_at.is_some(),
            created_at: p.created_at,
            created_by: p.created_by,
            id: p.id.0,
            name: p.name,
            organization_id: p.organization_id.0,
            url: p.url,
            default_variant_id: p.default_variant_id.map(|i| i.0),
            description: p.description,
            handle: Some(p.handle),
            status: p.status.as_str(),
            metadata: p.metadata,
            primary_external_id: ext,
            primary_last_synced_at: synced,
            primary_source_vendor: vendor,
            primary_sync_source: v.sync.as_ref().map(SyncSourceOut::from),
            primary_sync_source_id: ref_id,
            product_media_assets: v.media.map(|m| m.into_iter().map(Into::into).collect()),
            updated_at: Some(p.updated_at),
            updated_by: Some(p.updated_by),
            variants: v.variants.map(|vs| vs.into_iter().map(Into::into).collect()),
            version: p.version.0,
        }
    }
}

impl From<VariantOption> for VariantOptionOut {
    fn from(o: VariantOption) -> Self {
        VariantOptionOut {
            id: o.id.0,
            organization_id: o.organization_id.0,
            name: o.name,
            values: o
                .values
                .into_iter()
                .map(|v| OptionValueOut {
                    id: v.id.0,
                    value: v.value,
                    position: v.rank,
                })
                .collect(),
            created_at: o.created_at,
            created_by: o.created_by,
            updated_at: o.updated_at,
            updated_by: o.updated_by,
            version: o.version.0,
        }
    }
}
