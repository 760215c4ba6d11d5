//! Request bodies of the Products API and their translation into core inputs.

use crate::error::ApiError;
use chrono::{DateTime, Utc};
use pimento_core::media::{MediaAssetInput, MediaInput, MediaPatch, MediaSource};
use pimento_core::options::{OptionInput, OptionPatch, OptionSelection};
use pimento_core::patch::Patch;
use pimento_core::product::{ProductInput, ProductPatch, ProductStatus};
use pimento_core::sync::SyncSourceInput;
use pimento_core::variant::{VariantInput, VariantPatch};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// Body of `POST /api/v1/products`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateProduct {
    /// Display name, at least one character.
    pub name: String,
    /// The product's page, an absolute URI.
    pub url: String,
    /// Must be one of the variants created with the product; the first one by default.
    pub default_variant_id: Option<Uuid>,
    pub description: Option<String>,
    /// Unique in the organization; derived from the name when absent.
    pub handle: Option<String>,
    pub metadata: Option<Value>,
    /// Lifecycle status; `active` by default.
    #[schema(value_type = Option<String>)]
    pub status: Option<String>,
    /// When it matches a product's sync source, that product is updated instead (upsert).
    pub primary_sync_source: Option<SyncSourceBody>,
    pub product_media_assets: Option<Vec<MediaBody>>,
    /// Organization-level variant options to assign to the product.
    pub variant_option_ids: Option<Vec<Uuid>>,
    pub variants: Option<Vec<VariantBody>>,
}

/// An external system's record a product or variant comes from.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SyncSourceBody {
    /// The system, e.g. `shopify`.
    pub sync_source: String,
    /// The record's id in that system.
    pub sync_source_id: String,
    pub source_vendor: Option<String>,
    pub source_data: Option<Value>,
    /// PENDING, SYNCED (default) or FAILED.
    pub sync_status: Option<String>,
    pub last_synced_at: Option<DateTime<Utc>>,
}

/// One option value a variant picks: by value id, or by the value's text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OptionPick {
    pub option_id: Uuid,
    pub value_id: Option<Uuid>,
    pub value: Option<String>,
}

/// A variant in a request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VariantBody {
    pub sku: Option<String>,
    pub title: Option<String>,
    /// EAN-8, UPC-A, EAN-13 or GTIN-14.
    pub barcode: Option<String>,
    /// Decimal string in major units, e.g. `"19.99"`.
    pub price: Option<String>,
    /// ISO 4217 code; USD by default.
    pub currency: Option<String>,
    pub inventory_quantity: Option<i64>,
    pub metadata: Option<Value>,
    #[serde(default)]
    pub options: Vec<OptionPick>,
    pub primary_sync_source: Option<SyncSourceBody>,
}

/// Body of `PUT /api/v1/products/{productId}/variants/{variantId}`: fields present change;
/// `null` clears a nullable one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateVariant {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub sku: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub title: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub barcode: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub price: Patch<String>,
    pub currency: Option<String>,
    pub inventory_quantity: Option<i64>,
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub metadata: Patch<Value>,
    /// The complete new set of option values.
    pub options: Option<Vec<OptionPick>>,
}

/// A media asset's fields.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MediaAssetBody {
    pub name: Option<String>,
    pub public_url: Option<String>,
    pub source_url: Option<String>,
    pub thumbnail_url: Option<String>,
    pub upload_url: Option<String>,
    pub alt_text: Option<String>,
    pub description: Option<String>,
}

/// A media attachment: an existing asset by `mediaAssetId`, or a new one given as `mediaAsset`
/// (or by its fields at the top level, e.g. `{"publicUrl": …}`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MediaBody {
    pub media_asset_id: Option<Uuid>,
    pub media_asset: Option<MediaAssetBody>,
    /// Lower comes first; after the last by default.
    pub position: Option<i64>,
    pub purpose: Option<String>,
    /// Show this asset for one variant of the product.
    pub variant_id: Option<Uuid>,
    // A new asset's fields given at the top level: named here rather than flattened, so that
    // an unknown field is refused (serde cannot refuse them beside a flattened struct).
    pub name: Option<String>,
    pub public_url: Option<String>,
    pub source_url: Option<String>,
    pub thumbnail_url: Option<String>,
    pub upload_url: Option<String>,
    pub alt_text: Option<String>,
    pub description: Option<String>,
}

/// Body of `PUT /api/v1/products/{productId}`: fields present change; `null` clears the
/// description, metadata and default variant, and is refused for the fields every product has.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateProduct {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub url: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub handle: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub status: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub metadata: Patch<Value>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub default_variant_id: Patch<Uuid>,
    /// `false` restores an archived product.
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub archived: Patch<bool>,
}

/// Body of `PUT …/media-assets/{assetId}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateMedia {
    pub position: Option<i64>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub purpose: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub variant_id: Patch<Uuid>,
    pub name: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub alt_text: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub public_url: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub source_url: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub thumbnail_url: Patch<String>,
}

/// Body of `PUT …/media-assets/reorder`: every attachment (or media asset) id, in the new order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReorderMedia {
    pub asset_ids: Vec<Uuid>,
}

/// Body of `POST …/variant-options`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssignOptions {
    pub variant_option_ids: Vec<Uuid>,
}

/// Body of `POST /api/v1/variant-options`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOption {
    /// e.g. `Size`; unique in the organization.
    pub name: String,
    /// Values in display order, e.g. `["S", "M", "L"]`.
    #[serde(default)]
    pub values: Vec<String>,
}

/// Body of `PUT /api/v1/variant-options/{optionId}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOption {
    pub name: Option<String>,
    /// The complete new list of values; values kept by text keep their ids.
    pub values: Option<Vec<String>>,
}

/// Reads a status name of the Products API.
pub fn status(field: &str, raw: &str) -> Result<ProductStatus, ApiError> {
    ProductStatus::read(raw).ok_or_else(|| {
        ApiError::bad_request(
            field,
            "must be one of draft, proposed, active, hidden, disabled, rejected",
        )
    })
}

impl From<SyncSourceBody> for SyncSourceInput {
    fn from(s: SyncSourceBody) -> Self {
        SyncSourceInput {
            sync_source: s.sync_source,
            sync_source_id: s.sync_source_id,
            source_vendor: s.source_vendor,
            source_data: s.source_data,
            sync_status: s.sync_status,
            last_synced_at: s.last_synced_at,
        }
    }
}

fn picks(field: &str, options: Vec<OptionPick>) -> Result<Vec<OptionSelection>, ApiError> {
    options
        .into_iter()
        .enumerate()
        .map(|(i, o)| match (o.value_id, o.value) {
            (Some(value_id), _) => Ok(OptionSelection::ById {
                option_id: o.option_id.into(),
                value_id: value_id.into(),
            }),
            (None, Some(value)) => Ok(OptionSelection::ByValue {
                option_id: o.option_id.into(),
                value,
            }),
            (None, None) => {
                let f = format!("{field}[{i}].valueId");
                Err(ApiError::bad_request(f.clone(), "a valueId or value is required"))
            }
        })
        .collect()
}

impl VariantBody {
    /// The core input; `field` is where the variant sits in the request.
    pub fn into_input(self, field: &str) -> Result<VariantInput, ApiError> {
        Ok(VariantInput {
            title: self.title,
            sku: self.sku,
            barcode: self.barcode,
            price: self.price,
            currency: self.currency,
            inventory_quantity: self.inventory_quantity,
            metadata: self.metadata,
            options: picks(&format!("{field}options"), self.options)?,
            sync: self.primary_sync_source.map(Into::into),
            ..VariantInput::default()
        })
    }
}

impl UpdateVariant {
    /// The core patch.
    pub fn into_patch(self) -> Result<VariantPatch, ApiError> {
        Ok(VariantPatch {
            title: self.title,
            sku: self.sku,
            barcode: self.barcode,
            price: self.price,
            currency: self.currency,
            inventory_quantity: self.inventory_quantity,
            metadata: self.metadata,
            options: self.options.map(|o| picks("options", o)).transpose()?,
            ..VariantPatch::default()
        })
    }
}

impl MediaBody {
    /// The core input.
    pub fn into_input(self) -> MediaInput {
        let source = match (self.media_asset_id, self.media_asset) {
            (Some(id), _) => MediaSource::Existing(id.into()),
            (None, Some(a)) => MediaSource::New(a.into()),
            (None, None) => MediaSource::New(
                MediaAssetBody {
                    name: self.name,
                    public_url: self.public_url,
                    source_url: self.source_url,
                    thumbnail_url: self.thumbnail_url,
                    upload_url: self.upload_url,
                    alt_text: self.alt_text,
                    description: self.description,
                }
                .into(),
            ),
        };
        MediaInput {
            source,
            position: self.position,
            purpose: self.purpose,
            variant_id: self.variant_id.map(Into::into),
        }
    }
}

impl From<MediaAssetBody> for MediaAssetInput {
    fn from(a: MediaAssetBody) -> Self {
        MediaAssetInput {
            name: a.name,
            public_url: a.public_url,
            source_url: a.source_url,
            thumbnail_url: a.thumbnail_url,
            upload_url: a.upload_url,
            alt_text: a.alt_text,
            description: a.description,
        }
    }
}

impl CreateProduct {
    /// The core input.
    pub fn into_input(self) -> Result<ProductInput, ApiError> {
        let variants = self
            .variants
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, v)| v.into_input(&format!("variants[{i}].")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ProductInput {
            name: self.name,
            handle: self.handle,
            url: Some(self.url),
            description: self.description,
            status: match self.status {
                Some(s) => status("status", &s)?,
                None => ProductStatus::Active,
            },
            metadata: self.metadata,
            default_variant_id: self.default_variant_id.map(Into::into),
            option_ids: self
                .variant_option_ids
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            variants,
            media: self
                .product_media_assets
                .unwrap_or_default()
                .into_iter()
                .map(MediaBody::into_input)
                .collect(),
            sync: self.primary_sync_source.map(Into::into),
            ..ProductInput::default()
        })
    }
}

impl UpdateProduct {
    /// The core patch.
    pub fn into_patch(self) -> Result<ProductPatch, ApiError> {
        Ok(ProductPatch {
            name: required("name", self.name)?,
            handle: required("handle", self.handle)?,
            // Create requires a URL, so an update cannot take it away.
            url: required("url", self.url)?.map_or(Patch::Keep, Patch::Set),
            description: self.description,
            status: required("status", self.status)?
                .map(|s| status("status", &s))
                .transpose()?,
            metadata: self.metadata,
            default_variant_id: self.default_variant_id.map(Into::into),
            archived: required("archived", self.archived)?,
            ..ProductPatch::default()
        })
    }
}

/// A field every product has: left out, it stays; `null` is refused rather than read as
/// "leave it" or "clear it".
fn required<T>(field: &str, patch: Patch<T>) -> Result<Option<T>, ApiError> {
    match patch {
        Patch::Keep => Ok(None),
        Patch::Clear => Err(ApiError::bad_request(field, "must not be null")),
        Patch::Set(v) => Ok(Some(v)),
    }
}

impl From<UpdateMedia> for MediaPatch {
    fn from(m: UpdateMedia) -> Self {
        MediaPatch {
            position: m.position,
            purpose: m.purpose,
            variant_id: m.variant_id.map(Into::into),
            name: m.name,
            alt_text: m.alt_text,
            description: m.description,
            public_url: m.public_url,
            source_url: m.source_url,
            thumbnail_url: m.thumbnail_url,
        }
    }
}

impl From<CreateOption> for OptionInput {
    fn from(o: CreateOption) -> Self {
        OptionInput {
            name: o.name,
            values: o.values,
        }
    }
}

impl From<UpdateOption> for OptionPatch {
    fn from(o: UpdateOption) -> Self {
        OptionPatch {
            name: o.name,
            values: o.values,
        }
    }
}
