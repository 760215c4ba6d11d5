//! The full catalog copy (`export --full`): one NDJSON record a line, each tagged with its
//! `kind`, that carries everything an organization's catalog holds so that importing it into
//! another organization gives the same catalog.
//!
//! The file is a `catalog` header line, then the definitions (attribute groups, attributes,
//! templates, categories, brands, vendors, collections, types, tags, shared options), then
//! every product, archived ones included. Records name each other by the ids they had where
//! they were exported: an import keeps a map from those to the ids it finds or makes, so the
//! ids of the copy differ while every reference stays the same. Slugs, keys and handles are
//! carried as they are and never made again from names.
//!
//! What a record keeps besides the content: each row's creation and update time and version
//! (and a product's archiving time), and the organization's numbers (CS-Cart's ids) of
//! products, categories, attributes and vendors, so that every API reads the copy with the
//! same times, ETags and ids (`Kept`, checked by [`Kept::check`] before anything is written).
//! What it leaves out: who changed what when (the audit history), and option values' numbers,
//! which no API shows. Version 1 files lack those fields; an import makes such rows at the
//! import, numbered afresh.

use crate::attribute::{Attribute, AttributeGroup, Template};
use crate::collection::Collection;
use crate::details::ProductDetails;
use crate::extension::Extensions;
use crate::ids::{
    AttributeGroupId, AttributeId, BrandId, CategoryId, CollectionId, MediaAssetId, OptionId, ProductId, ProductTypeId,
    TagId, TemplateId, VariantId, VendorId,
};
use crate::label::Label;
use crate::media::ProductMedia;
use crate::money::Money;
use crate::options::VariantOption;
use crate::product::ProductView;
use crate::sync::ExternalRef;
use crate::taxonomy::{Brand, Category};
use crate::vendor::Vendor;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

mod from_catalog;
mod kept;
pub use kept::{BadKept, MAX_KEPT};

/// The `format` of a copy's header line.
pub const FORMAT: &str = "pimento.catalog";
/// The version this code writes and reads.
pub const VERSION: u32 = 2;

/// One line of a copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Catalog(Header),
    AttributeGroup(GroupRecord),
    Attribute(AttributeRecord),
    Template(TemplateRecord),
    Category(CategoryRecord),
    Brand(BrandRecord),
    Vendor(VendorRecord),
    Collection(CollectionRecord),
    Type(LabelRecord),
    Tag(LabelRecord),
    Option(OptionRecord),
    Product(Box<ProductRecord>),
}

impl Record {
    /// Whether a file's first line opens a copy (rather than being a product document of the
    /// plain NDJSON export): a `catalog` record of a known format. Cheap enough to ask of
    /// every NDJSON file, as it only looks at the line's opening.
    pub fn opens_copy(line: &str) -> bool {
        let line = line.trim_start();
        if !line.starts_with('{') || !line.contains("\"kind\"") {
            return false;
        }
        matches!(serde_json::from_str::<Record>(line), Ok(Record::Catalog(h)) if h.format == FORMAT)
    }
}

/// The first line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    /// The record layout's version; an import refuses a later one.
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    /// How many products follow.
    pub products: u64,
}

/// An attribute group, referred to by its original id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRecord {
    pub id: AttributeGroupId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its place among the groups (groups are written in this order).
    pub rank: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// How many times it was written (its ETag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// An attribute with its key, type, SELECT values and group, as defined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeRecord {
    pub id: AttributeId,
    pub key: String,
    pub name: String,
    /// `text`, `number`, `boolean` or `select`.
    #[serde(rename = "type")]
    pub attr_type: String,
    /// A select attribute's values, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<AttributeGroupId>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extensions: Map<String, Value>,
    /// The organization's number for it (CS-Cart's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// How many times it was written (its ETag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A template with its attribute list and required flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateRecord {
    pub id: TemplateId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its attributes, in order.
    #[serde(default)]
    pub attributes: Vec<TemplateAttributeRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// How many times it was written (its ETag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// One attribute of a template, and whether products must fill it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateAttributeRecord {
    pub attribute: AttributeId,
    #[serde(default)]
    pub required: bool,
}

/// A category with its slug and parent, written before its children.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRecord {
    pub id: CategoryId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<CategoryId>,
    pub name: String,
    pub slug: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extensions: Map<String, Value>,
    /// The organization's number for it (CS-Cart's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// How many times it was written (its ETag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A brand, matched by name on import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandRecord {
    pub id: BrandId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// How many times it was written (its ETag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A vendor, matched by name on import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorRecord {
    pub id: VendorId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `active`, `pending` or `disabled`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extensions: Map<String, Value>,
    /// The organization's number for it (CS-Cart's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// How many times it was written (its ETag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A collection (Medusa's), matched by its handle on import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionRecord {
    pub id: CollectionId,
    pub title: String,
    pub handle: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// How many times it was written (its ETag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A product type or a tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelRecord {
    pub id: uuid::Uuid,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// How many times it was written (its ETag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// One of the organization's shared options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionRecord {
    pub id: OptionId,
    pub name: String,
    /// Its values, in order.
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// How many times it was written (its ETag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A product with everything it has, archived or not, referring to definitions by their original ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductRecord {
    pub id: ProductId,
    /// The organization's number for it (CS-Cart's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<i64>,
    pub handle: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub status: String,
    /// When it was archived; an archived product is imported archived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<CategoryId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<BrandId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<TemplateId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<VendorId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<CollectionId>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<ProductTypeId>,
    /// In the order the product was given them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<TagId>,
    /// Attribute values by attribute key.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub attributes: Map<String, Value>,
    #[serde(default, skip_serializing_if = "DetailsRecord::is_empty")]
    pub details: DetailsRecord,
    /// Every API's own fields: owner → fields.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extensions: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<SyncRecord>,
    /// The options assigned, in order: the product's own (with their values) and shared ones
    /// (an `option` record's id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ProductOptionRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<VariantRecord>,
    /// The default variant's place in `variants`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_variant: Option<usize>,
    /// In position order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<MediaRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// How many times it was written (its ETag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A product's details; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetailsRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seo_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta_keywords: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<f64>,
}

impl DetailsRecord {
    fn is_empty(&self) -> bool {
        *self == DetailsRecord::default()
    }

    /// As the core keeps them.
    pub fn into_details(self) -> ProductDetails {
        let mut d = ProductDetails {
            subtitle: self.subtitle,
            short_description: self.short_description,
            thumbnail: self.thumbnail,
            ..ProductDetails::default()
        };
        d.seo.name = self.seo_name;
        d.seo.page_title = self.page_title;
        d.seo.meta_description = self.meta_description;
        d.seo.meta_keywords = self.meta_keywords;
        d.dimensions.weight = self.weight;
        d.dimensions.length = self.length;
        d.dimensions.width = self.width;
        d.dimensions.height = self.height;
        d
    }
}

impl From<&ProductDetails> for DetailsRecord {
    fn from(d: &ProductDetails) -> Self {
        DetailsRecord {
            subtitle: d.subtitle.clone(),
            short_description: d.short_description.clone(),
            thumbnail: d.thumbnail.clone(),
            seo_name: d.seo.name.clone(),
            page_title: d.seo.page_title.clone(),
            meta_description: d.seo.meta_description.clone(),
            meta_keywords: d.seo.meta_keywords.clone(),
            weight: d.dimensions.weight,
            length: d.dimensions.length,
            width: d.dimensions.width,
            height: d.dimensions.height,
        }
    }
}

/// A link to the record of another system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncRecord {
    pub source: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// `pending`, `synced` or `failed`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_synced_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<&ExternalRef> for SyncRecord {
    fn from(r: &ExternalRef) -> Self {
        SyncRecord {
            source: r.sync_source.clone(),
            id: r.sync_source_id.clone(),
            vendor: r.source_vendor.clone(),
            data: r.source_data.clone(),
            status: r.sync_status.as_str().to_owned(),
            last_synced_at: r.last_synced_at,
            created_at: Some(r.created_at),
            updated_at: Some(r.updated_at),
        }
    }
}

/// An option a product has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductOptionRecord {
    /// A shared option's id (its `option` record), or the product's own option's.
    pub id: OptionId,
    pub name: String,
    /// Whether the option is the product's own (made with it, gone with it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub own: bool,
    /// An own option's values, in order (a shared option's are in its record).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// An own option's (a shared one's are in its record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// How many times it was written (its ETag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A variant of a [`ProductRecord`], with its prices and option values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantRecord {
    pub id: VariantId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<PriceRecord>,
    /// The compare-at price, in the price's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_price: Option<String>,
    /// Prices in other currencies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prices: Vec<PriceRecord>,
    #[serde(default)]
    pub inventory_quantity: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// Its value of each option it has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<SelectionRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<SyncRecord>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extensions: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// How many times it was written (its ETag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// An amount (a decimal string in major units) and its currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceRecord {
    pub amount: String,
    pub currency: String,
}

impl From<&Money> for PriceRecord {
    fn from(m: &Money) -> Self {
        PriceRecord {
            amount: m.to_decimal_string(),
            currency: m.currency.code().to_owned(),
        }
    }
}

/// A variant's value of one option: the option's place in the product's `options`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectionRecord {
    pub option: usize,
    pub value: String,
}

/// A medium of a product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaRecord {
    pub asset: AssetRecord,
    pub position: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// The variant it shows: its place in the product's `variants`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<usize>,
}

/// A media library asset. Products that share one name the same `id`; an import makes it
/// once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssetRecord {
    pub id: MediaAssetId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_catalog_header_opens_a_copy() {
        let header = Record::Catalog(Header {
            format: FORMAT.into(),
            version: VERSION,
            exported_at: chrono::Utc::now(),
            products: 3,
        });
        let line = serde_json::to_string(&header).unwrap();
        assert!(line.starts_with(r#"{"kind":"catalog","format":"pimento.catalog","version":2"#));
        assert!(Record::opens_copy(&line));
        assert!(!Record::opens_copy(r#"{"handle":"tee","title":"Tee","variants":[]}"#));
        assert!(!Record::opens_copy(
            r#"{"kind":"catalog","format":"other","version":1,"exported_at":"2026-01-01T00:00:00Z","products":0}"#
        ));
        assert!(!Record::opens_copy(""));
    }

    #[test]
    fn records_round_trip() {
        let line = r#"{"kind":"attribute","id":"0190f1a2-0000-7000-8000-000000000001","key":"material","name":"Material","type":"select","options":["Cotton","Wool"]}"#;
        let r: Record = serde_json::from_str(line).unwrap();
        assert!(matches!(&r, Record::Attribute(a) if a.attr_type == "select" && a.options.len() == 2));
        assert_eq!(serde_json::to_string(&r).unwrap(), line);
        // A misspelt field is refused, not dropped.
        assert!(serde_json::from_str::<Record>(&line.replace("\"key\"", "\"kee\"")).is_err());
    }
}
