//! Response bodies of the PIM API (snake_case), built from core types.

use chrono::{DateTime, Utc};
use pimento_core::attribute::{Attribute, AttributeGroup, Template};
use pimento_core::audit::AuditEvent;
use pimento_core::auth::Ctx;
use pimento_core::issues::Issue;
use pimento_core::media::ProductMedia;
use pimento_core::product::ProductView;
use pimento_core::taxonomy::{Brand, Category};
use pimento_core::variant::Variant;
use pimento_store::catalog::CatalogStats;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// A product.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimProduct {
    pub id: Uuid,
    /// The organization's number for the product: a positive integer, never reused.
    pub number: i64,
    pub tenant_id: Uuid,
    pub org_id: Uuid,
    /// Display name.
    pub title: String,
    pub handle: String,
    pub description: Option<String>,
    /// ACTIVE, DRAFT, PROPOSED, HIDDEN, DISABLED or REJECTED.
    pub status: String,
    /// Archived through another API (a soft delete); archived products leave PIM lists.
    pub archived: bool,
    /// The category's slug.
    pub category: Option<String>,
    pub category_id: Option<Uuid>,
    pub brand_id: Option<Uuid>,
    pub template_id: Option<Uuid>,
    /// Attribute values by attribute key.
    #[schema(value_type = Object)]
    pub attributes: Map<String, Value>,
    pub subtitle: Option<String>,
    pub short_description: Option<String>,
    pub thumbnail: Option<String>,
    pub seo_name: Option<String>,
    pub page_title: Option<String>,
    pub meta_description: Option<String>,
    pub meta_keywords: Option<String>,
    pub weight: Option<f64>,
    pub length: Option<f64>,
    pub width: Option<f64>,
    pub height: Option<f64>,
    pub vendor_id: Option<Uuid>,
    pub collection_id: Option<Uuid>,
    pub type_id: Option<Uuid>,
    pub tag_ids: Vec<Uuid>,
    pub variants: Vec<PimVariant>,
    pub media: Vec<PimMedia>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Goes up with every change to the product, its variants, media, options or attribute
    /// values; the `ETag` of its reads is this number in quotes, for `If-Match` on its writes.
    pub version: i64,
}

impl PimProduct {
    /// The PIM shape of a product view (which should hold its variants and media).
    pub fn new(ctx: &Ctx, v: ProductView) -> Self {
        let p = v.product;
        let d = p.details;
        PimProduct {
            id: p.id.0,
            number: p.number,
            tenant_id: ctx.principal.tenant_id.0,
            org_id: p.organization_id.0,
            title: p.name,
            handle: p.handle,
            description: p.description,
            status: p.status.as_str().to_ascii_uppercase(),
            archived: p.archived_at.is_some(),
            category: v.category.map(|c| c.slug),
            category_id: p.category_id.map(|c| c.0),
            brand_id: p.brand_id.map(|b| b.0),
            template_id: p.template_id.map(|t| t.0),
            attributes: p.attributes.unwrap_or_default(),
            subtitle: d.subtitle,
            short_description: d.short_description,
            thumbnail: d.thumbnail,
            seo_name: d.seo.name,
            page_title: d.seo.page_title,
            meta_description: d.seo.meta_description,
            meta_keywords: d.seo.meta_keywords,
            weight: d.dimensions.weight,
            length: d.dimensions.length,
            width: d.dimensions.width,
            height: d.dimensions.height,
            vendor_id: p.vendor_id.map(|v| v.0),
            collection_id: p.collection_id.map(|c| c.0),
            type_id: p.type_id.map(|t| t.0),
            tag_ids: v.tags.unwrap_or_default().into_iter().map(|t| t.id.0).collect(),
            variants: v.variants.unwrap_or_default().into_iter().map(Into::into).collect(),
            media: v.media.unwrap_or_default().into_iter().map(Into::into).collect(),
            created_at: p.created_at,
            created_by: p.created_by,
            updated_at: p.updated_at,
            updated_by: p.updated_by,
            version: p.version.0,
        }
    }
}

/// A variant.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimVariant {
    pub id: Uuid,
    pub product_id: Uuid,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    /// Decimal string in major units, e.g. `"19.99"`.
    pub price: Option<String>,
    /// ISO 4217 code.
    pub currency: Option<String>,
    pub title: Option<String>,
    pub inventory_quantity: i64,
    /// Compare-at price, in the price's currency.
    pub list_price: Option<String>,
    /// Prices in other currencies.
    pub prices: Vec<PimPriceView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Goes up with every change to the variant; its reads' `ETag` is this number in quotes.
    pub version: i64,
}

/// A price in a currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimPriceView {
    /// Decimal string in major units.
    pub amount: String,
    /// ISO 4217 code.
    pub currency: String,
}

impl From<Variant> for PimVariant {
    fn from(v: Variant) -> Self {
        PimVariant {
            id: v.id.0,
            product_id: v.product_id.0,
            sku: v.sku,
            barcode: v.barcode,
            price: v.price.as_ref().map(|m| m.to_decimal_string()),
            currency: v.price.as_ref().map(|m| m.currency.code().to_owned()),
            title: v.title,
            inventory_quantity: v.inventory_quantity,
            list_price: v.list_price.map(|m| m.to_decimal_string()),
            prices: v
                .prices
                .iter()
                .map(|m| PimPriceView {
                    amount: m.to_decimal_string(),
                    currency: m.currency.code().to_owned(),
                })
                .collect(),
            created_at: v.created_at,
            updated_at: v.updated_at,
            version: v.version.0,
        }
    }
}

/// A media asset attached to a product or one of its variants.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimMedia {
    /// The attachment's id.
    pub id: Uuid,
    pub media_asset_id: Uuid,
    pub product_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub url: Option<String>,
    pub name: String,
    pub alt_text: Option<String>,
    /// Display order, lower first.
    pub position: i64,
    pub created_at: DateTime<Utc>,
}

impl From<ProductMedia> for PimMedia {
    fn from(m: ProductMedia) -> Self {
        PimMedia {
            id: m.id.0,
            media_asset_id: m.asset.id.0,
            product_id: m.product_id.0,
            variant_id: m.variant_id.map(|v| v.0),
            url: m.asset.public_url.or(m.asset.source_url),
            name: m.asset.name,
            alt_text: m.asset.alt_text,
            position: m.position,
            created_at: m.asset.created_at,
        }
    }
}

/// A category.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimCategory {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub parent_id: Option<Uuid>,
    /// 0 for a root category.
    pub depth: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Goes up with every change to the category; its reads' `ETag` is this number in quotes.
    pub version: i64,
}

impl From<Category> for PimCategory {
    fn from(c: Category) -> Self {
        PimCategory {
            id: c.id.0,
            name: c.name,
            slug: c.slug,
            description: c.description,
            parent_id: c.parent_id.map(|p| p.0),
            depth: c.depth,
            created_at: c.created_at,
            updated_at: c.updated_at,
            version: c.version.0,
        }
    }
}

/// A brand.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimBrand {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub logo_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Goes up with every change to the brand; its reads' `ETag` is this number in quotes.
    pub version: i64,
}

impl From<Brand> for PimBrand {
    fn from(b: Brand) -> Self {
        PimBrand {
            id: b.id.0,
            name: b.name,
            description: b.description,
            logo_url: b.logo_url,
            created_at: b.created_at,
            updated_at: b.updated_at,
            version: b.version.0,
        }
    }
}

/// An attribute definition.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimAttribute {
    pub id: Uuid,
    pub name: String,
    pub key: String,
    /// TEXT, NUMBER, BOOLEAN or SELECT.
    #[serde(rename = "type")]
    pub attr_type: &'static str,
    /// The allowed values of a SELECT attribute.
    pub options: Vec<String>,
    pub group_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Goes up with every change to the attribute; its reads' `ETag` is this number in quotes.
    pub version: i64,
}

impl From<Attribute> for PimAttribute {
    fn from(a: Attribute) -> Self {
        PimAttribute {
            id: a.id.0,
            name: a.name,
            key: a.key,
            attr_type: a.attr_type.as_str(),
            options: a.options,
            group_id: a.group_id.map(|g| g.0),
            created_at: a.created_at,
            updated_at: a.updated_at,
            version: a.version.0,
        }
    }
}

/// An attribute group.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimAttributeGroup {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub attribute_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Goes up with every change to the group; its reads' `ETag` is this number in quotes.
    pub version: i64,
}

impl From<AttributeGroup> for PimAttributeGroup {
    fn from(g: AttributeGroup) -> Self {
        PimAttributeGroup {
            id: g.id.0,
            name: g.name,
            description: g.description,
            attribute_ids: g.attribute_ids.into_iter().map(|a| a.0).collect(),
            created_at: g.created_at,
            updated_at: g.updated_at,
            version: g.version.0,
        }
    }
}

/// An attribute of a template.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimTemplateAttribute {
    pub attribute_id: Uuid,
    pub key: String,
    pub name: String,
    #[serde(rename = "type")]
    pub attr_type: &'static str,
    pub required: bool,
}

/// A product type template.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimTemplate {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub attributes: Vec<PimTemplateAttribute>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Goes up with every change to the template or its attribute list; its reads' `ETag` is
    /// this number in quotes.
    pub version: i64,
}

impl From<Template> for PimTemplate {
    fn from(t: Template) -> Self {
        PimTemplate {
            id: t.id.0,
            name: t.name,
            description: t.description,
            attributes: t
                .attributes
                .into_iter()
                .map(|a| PimTemplateAttribute {
                    attribute_id: a.attribute.id.0,
                    key: a.attribute.key,
                    name: a.attribute.name,
                    attr_type: a.attribute.attr_type.as_str(),
                    required: a.required,
                })
                .collect(),
            created_at: t.created_at,
            updated_at: t.updated_at,
            version: t.version.0,
        }
    }
}

/// Catalog totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimStats {
    /// Products that are not archived.
    pub products: i64,
    /// Products that are not archived, by status (every status present, zero included).
    pub products_by_status: BTreeMap<String, i64>,
    pub archived_products: i64,
    pub variants: i64,
    pub brands: i64,
    pub categories: i64,
    pub attributes: i64,
    pub attribute_groups: i64,
    pub templates: i64,
    /// Media attachments to products and variants.
    pub media: i64,
    /// Media assets in the organization's library.
    pub media_assets: i64,
}

impl From<CatalogStats> for PimStats {
    fn from(s: CatalogStats) -> Self {
        PimStats {
            products: s.products,
            products_by_status: s
                .products_by_status
                .into_iter()
                .map(|(k, v)| (k.to_ascii_uppercase(), v))
                .collect(),
            archived_products: s.archived_products,
            variants: s.variants,
            brands: s.brands,
            categories: s.categories,
            attributes: s.attributes,
            attribute_groups: s.attribute_groups,
            templates: s.templates,
            media: s.media,
            media_assets: s.media_assets,
        }
    }
}

/// A validation issue.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimIssue {
    pub product_id: Uuid,
    pub variant_id: Option<Uuid>,
    /// MISSING_REQUIRED_ATTRIBUTE, INVALID_ATTRIBUTE_VALUE, INVALID_SKU, INVALID_BARCODE,
    /// INVALID_BARCODE_CHECK_DIGIT, DUPLICATE_BARCODE, MISSING_PRICE or MISSING_MEDIA.
    pub code: &'static str,
    /// The field at fault, e.g. `attributes.color` or `variants[0].barcode`.
    pub field: String,
    pub message: String,
}

impl From<Issue> for PimIssue {
    fn from(i: Issue) -> Self {
        PimIssue {
            product_id: i.product_id.0,
            variant_id: i.variant_id.map(|v| v.0),
            code: i.code.as_str(),
            field: super::names::path(&i.field),
            message: i.message,
        }
    }
}

/// An audit event.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimAuditEvent {
    pub id: Uuid,
    /// Increases with every event of the organization.
    pub seq: i64,
    /// The key prefix of whoever made the change.
    pub actor: String,
    /// create, update, archive or delete.
    pub action: String,
    /// product, variant, category, brand, attribute, …
    pub entity_type: String,
    pub entity_id: Uuid,
    /// `{field: {before, after}}` for each field that changed.
    #[schema(value_type = Object)]
    pub changes: Value,
    pub request_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<AuditEvent> for PimAuditEvent {
    fn from(e: AuditEvent) -> Self {
        PimAuditEvent {
            id: e.id.0,
            seq: e.seq,
            actor: e.actor,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            changes: e.changes,
            request_id: e.request_id,
            created_at: e.created_at,
        }
    }
}

/// An API key as listed: its public prefix, never its token.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimApiKey {
    pub id: Uuid,
    /// The token's first characters (`sk_1a2b3c4d`), as audit actors show it.
    pub prefix: String,
    /// `SECRET` or `PUBLISHABLE`.
    pub kind: String,
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// To the minute.
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<pimento_store::orgs::KeySummary> for PimApiKey {
    fn from(k: pimento_store::orgs::KeySummary) -> Self {
        PimApiKey {
            id: k.id.0,
            prefix: k.prefix,
            kind: k.kind.to_ascii_uppercase(),
            name: k.name,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
            revoked_at: k.revoked_at,
        }
    }
}

/// A key just issued, with the token itself: shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimIssuedKey {
    pub id: Uuid,
    pub prefix: String,
    /// `SECRET` or `PUBLISHABLE`.
    pub kind: String,
    pub name: Option<String>,
    /// The token to send as `Authorization: Bearer …`; not shown again.
    pub key: String,
}

impl From<pimento_store::orgs::CreatedKey> for PimIssuedKey {
    fn from(k: pimento_store::orgs::CreatedKey) -> Self {
        PimIssuedKey {
            id: k.id.0,
            prefix: k.prefix,
            kind: k.kind.to_ascii_uppercase(),
            name: k.name,
            key: k.key,
        }
    }
}

/// A product deleted for good that can still be restored.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimDeletedProduct {
    pub id: Uuid,
    /// The organization's number for it, which a restore gives back.
    pub number: i64,
    pub title: String,
    /// Its first variant's SKU.
    pub sku: Option<String>,
    pub deleted_at: DateTime<Utc>,
    /// The end of the retention window: then it is gone for good.
    pub restorable_until: DateTime<Utc>,
}

impl From<pimento_store::catalog::DeletedProduct> for PimDeletedProduct {
    fn from(d: pimento_store::catalog::DeletedProduct) -> Self {
        PimDeletedProduct {
            id: d.id.0,
            number: d.number,
            title: d.name,
            sku: d.sku,
            deleted_at: d.deleted_at,
            restorable_until: d.restorable_until,
        }
    }
}
