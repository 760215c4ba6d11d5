//! Request bodies of the PIM API (snake_case) and their translation into core inputs.

use crate::error::ApiError;
use pimento_core::attribute::{AttributeInput, AttributePatch, AttributeType, TemplateAttributeInput};
use pimento_core::details::DetailsPatch;
use pimento_core::patch::Patch;
use pimento_core::product::{Classification, ProductInput, ProductPatch, ProductStatus};
use pimento_core::taxonomy::{BrandInput, BrandPatch, CategoryInput, CategoryPatch, CategoryRef};
use pimento_core::variant::{PriceInput, VariantInput, VariantPatch};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

/// Reads a PIM status (`ACTIVE`, `draft`, …).
pub fn status(raw: &str) -> Result<ProductStatus, ApiError> {
    ProductStatus::read(raw).ok_or_else(|| {
        ApiError::bad_request(
            "status",
            "must be one of ACTIVE, DRAFT, PROPOSED, HIDDEN, DISABLED, REJECTED",
        )
    })
}

/// A field a create body gives or leaves out.
fn given<T>(v: Option<T>) -> Patch<T> {
    v.map_or(Patch::Keep, Patch::Set)
}

/// A category named by slug (`category`) or by id (`category_id`), not both.
fn category(slug: Patch<String>, id: Patch<Uuid>) -> Result<Patch<CategoryRef>, ApiError> {
    match (slug, id) {
        (Patch::Set(_), Patch::Set(_)) => Err(ApiError::bad_request(
            "category",
            "give a category slug or a category_id, not both",
        )),
        (Patch::Set(s), _) => Ok(Patch::Set(CategoryRef::Slug(s.trim().to_owned()))),
        (_, Patch::Set(id)) => Ok(Patch::Set(CategoryRef::Id(id.into()))),
        (Patch::Clear, _) | (_, Patch::Clear) => Ok(Patch::Clear),
        (Patch::Keep, Patch::Keep) => Ok(Patch::Keep),
    }
}

/// Body of `POST /api/v1/pim/products`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePimProduct {
    /// Display name of the product.
    #[serde(alias = "name")]
    pub title: String,
    /// Long-form product description.
    pub description: Option<String>,
    /// Category slug to associate with the product.
    #[serde(alias = "category_slug")]
    pub category: Option<String>,
    /// The category by id, instead of by slug.
    pub category_id: Option<Uuid>,
    pub brand_id: Option<Uuid>,
    pub template_id: Option<Uuid>,
    /// Attribute values by attribute key, each checked against its definition.
    #[schema(value_type = Option<Object>)]
    pub attributes: Option<Map<String, Value>>,
    /// ACTIVE (default), DRAFT, PROPOSED, HIDDEN, DISABLED or REJECTED.
    pub status: Option<String>,
    /// Unique in the organization; derived from the title when absent.
    pub handle: Option<String>,
    pub subtitle: Option<String>,
    /// A summary for lists; searched as the description is.
    pub short_description: Option<String>,
    /// URL of the picture lists show.
    pub thumbnail: Option<String>,
    /// The product page's name in URLs.
    pub seo_name: Option<String>,
    pub page_title: Option<String>,
    pub meta_description: Option<String>,
    /// Search keywords; searched as the description is.
    pub meta_keywords: Option<String>,
    /// Shipping weight, in the organization's unit.
    pub weight: Option<f64>,
    pub length: Option<f64>,
    pub width: Option<f64>,
    pub height: Option<f64>,
    /// The vendor that owns the product.
    pub vendor_id: Option<Uuid>,
    pub collection_id: Option<Uuid>,
    /// The product type.
    pub type_id: Option<Uuid>,
    /// The tags it carries, in order.
    pub tag_ids: Option<Vec<Uuid>>,
}

impl CreatePimProduct {
    /// The core input.
    pub fn into_input(self) -> Result<ProductInput, ApiError> {
        Ok(ProductInput {
            name: self.title,
            handle: self.handle,
            url: None,
            description: self.description,
            status: self
                .status
                .as_deref()
                .map(status)
                .transpose()?
                .unwrap_or(ProductStatus::Active),
            metadata: None,
            default_variant_id: None,
            option_ids: Vec::new(),
            variants: Vec::new(),
            media: Vec::new(),
            sync: None,
            classification: Classification {
                category: category(
                    self.category.map_or(Patch::Keep, Patch::Set),
                    self.category_id.map_or(Patch::Keep, Patch::Set),
                )?,
                brand_id: self.brand_id.map_or(Patch::Keep, |b| Patch::Set(b.into())),
                template_id: self.template_id.map_or(Patch::Keep, |t| Patch::Set(t.into())),
                attributes: self.attributes.unwrap_or_default(),
                vendor_id: self.vendor_id.map_or(Patch::Keep, |v| Patch::Set(v.into())),
                collection_id: self.collection_id.map_or(Patch::Keep, |c| Patch::Set(c.into())),
                type_id: self.type_id.map_or(Patch::Keep, |t| Patch::Set(t.into())),
                tags: self.tag_ids.map(|t| t.into_iter().map(Into::into).collect()),
            },
            details: DetailsPatch {
                subtitle: given(self.subtitle),
                short_description: given(self.short_description),
                thumbnail: given(self.thumbnail),
                seo_name: given(self.seo_name),
                page_title: given(self.page_title),
                meta_description: given(self.meta_description),
                meta_keywords: given(self.meta_keywords),
                weight: given(self.weight),
                length: given(self.length),
                width: given(self.width),
                height: given(self.height),
            },
            ..ProductInput::default()
        })
    }
}

/// Body of `PUT /api/v1/pim/products/{id}`: fields present change; `null` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePimProduct {
    /// New display name.
    #[serde(alias = "name")]
    pub title: Option<String>,
    /// Updated product description.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Patch<String>,
    /// Updated category slug; `null` removes the product from its category.
    #[serde(default, alias = "category_slug")]
    #[schema(value_type = Option<String>)]
    pub category: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub category_id: Patch<Uuid>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub brand_id: Patch<Uuid>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub template_id: Patch<Uuid>,
    /// Attribute values to set, merged into the product's; `null` removes one.
    #[schema(value_type = Option<Object>)]
    pub attributes: Option<Map<String, Value>>,
    pub status: Option<String>,
    pub handle: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub subtitle: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub short_description: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub thumbnail: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub seo_name: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub page_title: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub meta_description: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub meta_keywords: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<f64>)]
    pub weight: Patch<f64>,
    #[serde(default)]
    #[schema(value_type = Option<f64>)]
    pub length: Patch<f64>,
    #[serde(default)]
    #[schema(value_type = Option<f64>)]
    pub width: Patch<f64>,
    #[serde(default)]
    #[schema(value_type = Option<f64>)]
    pub height: Patch<f64>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub vendor_id: Patch<Uuid>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub collection_id: Patch<Uuid>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub type_id: Patch<Uuid>,
    /// The complete new list of tags.
    pub tag_ids: Option<Vec<Uuid>>,
}

impl UpdatePimProduct {
    /// The core patch.
    pub fn into_patch(self) -> Result<ProductPatch, ApiError> {
        Ok(ProductPatch {
            name: self.title,
            handle: self.handle,
            description: self.description,
            status: self.status.as_deref().map(status).transpose()?,
            classification: Classification {
                category: category(self.category, self.category_id)?,
                brand_id: self.brand_id.map(Into::into),
                template_id: self.template_id.map(Into::into),
                attributes: self.attributes.unwrap_or_default(),
                vendor_id: self.vendor_id.map(Into::into),
                collection_id: self.collection_id.map(Into::into),
                type_id: self.type_id.map(Into::into),
                tags: self.tag_ids.map(|t| t.into_iter().map(Into::into).collect()),
            },
            details: DetailsPatch {
                subtitle: self.subtitle,
                short_description: self.short_description,
                thumbnail: self.thumbnail,
                seo_name: self.seo_name,
                page_title: self.page_title,
                meta_description: self.meta_description,
                meta_keywords: self.meta_keywords,
                weight: self.weight,
                length: self.length,
                width: self.width,
                height: self.height,
            },
            ..Default::default()
        })
    }
}

/// A price as a decimal string (`"19.99"`) or a JSON number (`19.99`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PriceValue {
    Text(String),
    #[schema(value_type = f64)]
    Number(serde_json::Number),
}

impl PriceValue {
    fn into_text(self) -> String {
        match self {
            PriceValue::Text(s) => s,
            PriceValue::Number(n) => n.to_string(),
        }
    }
}

/// Body of `POST /api/v1/pim/products/{product_id}/variants`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePimVariant {
    /// Stock-keeping unit, unique in the organization.
    pub sku: Option<String>,
    /// Barcode: UPC-A, EAN-8, EAN-13 or GTIN-14.
    pub barcode: Option<String>,
    /// Unit price.
    pub price: Option<PriceValue>,
    /// ISO 4217 currency code, e.g. USD (the default).
    pub currency: Option<String>,
    pub title: Option<String>,
    pub inventory_quantity: Option<i64>,
    /// Compare-at price, in the price's currency.
    pub list_price: Option<PriceValue>,
    /// Prices in other currencies.
    pub prices: Option<Vec<PimPrice>>,
}

/// A price in a currency.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PimPrice {
    /// Decimal string in major units (`"19.99"`) or a JSON number.
    #[schema(value_type = String)]
    pub amount: PriceValue,
    /// ISO 4217 code.
    pub currency: String,
}

impl From<PimPrice> for PriceInput {
    fn from(p: PimPrice) -> Self {
        PriceInput {
            amount: p.amount.into_text(),
            currency: p.currency,
        }
    }
}

impl From<CreatePimVariant> for VariantInput {
    fn from(v: CreatePimVariant) -> Self {
        VariantInput {
            title: v.title,
            sku: v.sku,
            barcode: v.barcode,
            price: v.price.map(PriceValue::into_text),
            currency: v.currency,
            inventory_quantity: v.inventory_quantity,
            list_price: v.list_price.map(PriceValue::into_text),
            prices: v.prices.unwrap_or_default().into_iter().map(Into::into).collect(),
            ..Default::default()
        }
    }
}

/// Body of `PUT /api/v1/pim/products/{product_id}/variants/{id}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePimVariant {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub sku: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub barcode: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub price: Patch<PriceValue>,
    pub currency: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub title: Patch<String>,
    pub inventory_quantity: Option<i64>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub list_price: Patch<PriceValue>,
    /// The complete new list of prices in other currencies.
    pub prices: Option<Vec<PimPrice>>,
}

impl From<UpdatePimVariant> for VariantPatch {
    fn from(v: UpdatePimVariant) -> Self {
        VariantPatch {
            title: v.title,
            sku: v.sku,
            barcode: v.barcode,
            price: v.price.map(PriceValue::into_text),
            currency: v.currency,
            inventory_quantity: v.inventory_quantity,
            list_price: v.list_price.map(PriceValue::into_text),
            prices: v.prices.map(|p| p.into_iter().map(Into::into).collect()),
            ..Default::default()
        }
    }
}

/// Body of `POST /api/v1/pim/categories`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategory {
    /// Display name of the category.
    pub name: String,
    /// URL-safe identifier, e.g. `mens-outerwear`, unique in the organization; derived from the
    /// name when absent.
    pub slug: Option<String>,
    pub description: Option<String>,
    /// A parent category for nested hierarchies.
    pub parent_id: Option<Uuid>,
}

impl From<CreateCategory> for CategoryInput {
    fn from(c: CreateCategory) -> Self {
        CategoryInput {
            name: c.name,
            slug: c.slug,
            description: c.description,
            parent_id: c.parent_id.map(Into::into),
        }
    }
}

/// Body of `PUT /api/v1/pim/categories/{id}`: `parent_id: null` makes it a root.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategory {
    pub name: Option<String>,
    pub slug: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub parent_id: Patch<Uuid>,
}

impl From<UpdateCategory> for CategoryPatch {
    fn from(c: UpdateCategory) -> Self {
        CategoryPatch {
            name: c.name,
            slug: c.slug,
            description: c.description,
            parent_id: c.parent_id.map(Into::into),
        }
    }
}

/// Body of `POST /api/v1/pim/brands`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBrand {
    /// Brand display name, unique in the organization.
    pub name: String,
    pub description: Option<String>,
    /// URL of the brand logo image.
    pub logo_url: Option<String>,
}

impl From<CreateBrand> for BrandInput {
    fn from(b: CreateBrand) -> Self {
        BrandInput {
            name: b.name,
            description: b.description,
            logo_url: b.logo_url,
        }
    }
}

/// Body of `PUT /api/v1/pim/brands/{id}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBrand {
    pub name: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub logo_url: Patch<String>,
}

impl From<UpdateBrand> for BrandPatch {
    fn from(b: UpdateBrand) -> Self {
        BrandPatch {
            name: b.name,
            description: b.description,
            logo_url: b.logo_url,
        }
    }
}

/// Body of `POST /api/v1/pim/attributes`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAttribute {
    /// Display name, e.g. Color.
    pub name: String,
    /// URL-safe key, e.g. `color`, unique in the organization; derived from the name when absent.
    pub key: Option<String>,
    /// TEXT (default), NUMBER, BOOLEAN or SELECT.
    #[serde(rename = "type")]
    pub attr_type: Option<String>,
    /// The allowed values of a SELECT attribute.
    pub options: Option<Vec<String>>,
    pub group_id: Option<Uuid>,
}

impl CreateAttribute {
    /// The core input.
    pub fn into_input(self) -> Result<AttributeInput, ApiError> {
        Ok(AttributeInput {
            name: self.name,
            key: self.key,
            attr_type: match self.attr_type {
                Some(t) => AttributeType::parse("type", &t)?,
                None => AttributeType::Text,
            },
            options: self.options.unwrap_or_default(),
            group_id: self.group_id.map(Into::into),
        })
    }
}

/// Body of `PUT /api/v1/pim/attributes/{id}`. The key and type are fixed once created.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAttribute {
    pub name: Option<String>,
    /// The complete new list of a SELECT attribute's values.
    pub options: Option<Vec<String>>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub group_id: Patch<Uuid>,
}

impl From<UpdateAttribute> for AttributePatch {
    fn from(a: UpdateAttribute) -> Self {
        AttributePatch {
            name: a.name,
            options: a.options,
            group_id: a.group_id.map(Into::into),
        }
    }
}

/// Body of `POST /api/v1/pim/attribute-groups` (and of `PUT`, where every field is optional).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributeGroupBody {
    pub name: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Patch<String>,
    /// The attributes in this group; on `PUT`, the complete new list.
    pub attribute_ids: Option<Vec<Uuid>>,
}

/// One attribute of a template.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateAttributeBody {
    pub attribute_id: Uuid,
    /// Whether products of this type must have a value (reported by `/validation`).
    #[serde(default)]
    pub required: bool,
}

impl From<TemplateAttributeBody> for TemplateAttributeInput {
    fn from(a: TemplateAttributeBody) -> Self {
        TemplateAttributeInput {
            attribute_id: a.attribute_id.into(),
            required: a.required,
        }
    }
}

/// Body of `POST /api/v1/pim/templates` (and of `PUT`, where every field is optional).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateBody {
    pub name: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Patch<String>,
    /// The attributes of this product type; on `PUT`, the complete new list.
    pub attributes: Option<Vec<TemplateAttributeBody>>,
}

/// Body of `POST /api/v1/pim/media`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePimMedia {
    /// Publicly accessible URL of the media asset.
    pub url: String,
    /// The product to attach to (may be left out when `variant_id` is given).
    pub product_id: Option<Uuid>,
    /// The variant to attach to.
    pub variant_id: Option<Uuid>,
    /// Accessible description of the image.
    pub alt_text: Option<String>,
    /// Display order (lower first); after the last by default.
    pub position: Option<i64>,
    pub name: Option<String>,
}

/// The kind of key `POST /api/v1/pim/api-keys` issues.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PimKeyKind {
    /// Reads and writes the whole catalog.
    #[default]
    Secret,
    /// Reads active products only: safe in a storefront.
    Publishable,
}

impl From<PimKeyKind> for pimento_core::auth::KeyKind {
    fn from(k: PimKeyKind) -> Self {
        match k {
            PimKeyKind::Secret => pimento_core::auth::KeyKind::Secret,
            PimKeyKind::Publishable => pimento_core::auth::KeyKind::Publishable,
        }
    }
}

/// Body of `POST /api/v1/pim/api-keys`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKey {
    #[serde(default)]
    pub kind: PimKeyKind,
    /// A name to tell the key apart ("storefront", "ci"), up to 200 characters.
    pub name: Option<String>,
}
