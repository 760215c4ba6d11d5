//! Products: the catalog's central entity.

use crate::details::{DetailsPatch, ProductDetails};
use crate::error::codes;
use crate::extension::{ExtensionPatch, Extensions};
use crate::handle::parse_handle;
use crate::ids::{
    BrandId, CollectionId, OptionId, OrganizationId, ProductId, ProductTypeId, TagId, TemplateId, VariantId, VendorId,
};
use crate::label::{MAX_TAGS, Tag};
use crate::media::{MediaInput, NewMedia, ProductMedia};
use crate::options::{NewOption, OwnOption};
use crate::patch::Patch;
use crate::sync::{ExternalRef, SyncSource, SyncSourceInput};
use crate::taxonomy::{CategoryLink, CategoryRef};
use crate::validate::{long_text, metadata, no_duplicates, text, uri};
use crate::variant::{NewVariant, Variant, VariantInput};
use crate::{CoreError, FieldPath};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// The most variants a product may have.
pub const MAX_VARIANTS: usize = 2048;
/// The most media attachments a product may have.
pub const MAX_MEDIA: usize = 250;
/// The most options a product may be assigned.
pub const MAX_OPTIONS: usize = 10;

/// The product lifecycle every API maps its own statuses onto (serialized by its stored name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    Draft,
    Proposed,
    /// What a product is when its API names no status.
    #[default]
    Active,
    Hidden,
    Disabled,
    Rejected,
}

impl ProductStatus {
    /// Every status.
    pub const ALL: [ProductStatus; 6] = [
        ProductStatus::Draft,
        ProductStatus::Proposed,
        ProductStatus::Active,
        ProductStatus::Hidden,
        ProductStatus::Disabled,
        ProductStatus::Rejected,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Draft => "draft",
            ProductStatus::Proposed => "proposed",
            ProductStatus::Active => "active",
            ProductStatus::Hidden => "hidden",
            ProductStatus::Disabled => "disabled",
            ProductStatus::Rejected => "rejected",
        }
    }

    /// Reads a status a client or a file gives: a stored name in any case, spaces around it
    /// ignored. Each API words its own refusal (the names it documents).
    pub fn read(raw: &str) -> Option<Self> {
        Self::parse(&raw.trim().to_ascii_lowercase())
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "draft" => ProductStatus::Draft,
            "proposed" => ProductStatus::Proposed,
            "active" => ProductStatus::Active,
            "hidden" => ProductStatus::Hidden,
            "disabled" => ProductStatus::Disabled,
            "rejected" => ProductStatus::Rejected,
            _ => return None,
        })
    }
}

/// A product as a client gives it, with optional inline variants, media and options.
#[derive(Debug, Clone, Default)]
pub struct ProductInput {
    pub name: String,
    pub handle: Option<String>,
    pub url: Option<String>,
    pub description: Option<String>,
    pub status: ProductStatus,
    pub metadata: Option<Value>,
    pub default_variant_id: Option<VariantId>,
    pub option_ids: Vec<OptionId>,
    /// Options made with the product and belonging to it alone; assigned first, before
    /// `option_ids`.
    pub own_options: Vec<OwnOption>,
    pub variants: Vec<VariantInput>,
    pub media: Vec<MediaInput>,
    pub sync: Option<SyncSourceInput>,
    pub classification: Classification,
    /// Subtitle, short description, thumbnail, search-engine fields, shipping size.
    pub details: DetailsPatch,
    /// The calling API's own fields.
    pub extension: Option<ExtensionPatch>,
}

/// Where a product is filed and what it is: category, brand, template and attribute values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Classification {
    pub category: Patch<CategoryRef>,
    pub brand_id: Patch<BrandId>,
    pub template_id: Patch<TemplateId>,
    /// Attribute values to set; `null` removes one. Checked against the definitions by the store.
    pub attributes: Map<String, Value>,
    pub vendor_id: Patch<VendorId>,
    pub collection_id: Patch<CollectionId>,
    pub type_id: Patch<ProductTypeId>,
    /// The tags to carry, replacing those the product has; `None` keeps them.
    pub tags: Option<Vec<TagId>>,
}

impl Classification {
    /// Checks what needs no lookup: the tag list's length and repeats.
    pub fn validate(&self) -> Result<(), CoreError> {
        if let Some(tags) = &self.tags {
            if tags.len() > MAX_TAGS {
                return Err(CoreError::invalid("tags", format!("at most {MAX_TAGS} tags")));
            }
            no_duplicates(
                tags,
                |t| Some(*t),
                |i| CoreError::invalid(FieldPath::name("tags").index(i), "listed twice"),
            )?;
        }
        Ok(())
    }
}

/// A checked new product.
#[derive(Debug, Clone)]
pub struct NewProduct {
    /// Given again by the store as it writes the product, inside the write transaction, so
    /// that ids follow the order products are written in; what is made with the product (its
    /// own options) names it from then on.
    pub id: ProductId,
    pub name: String,
    pub handle: Option<String>,
    pub url: Option<String>,
    pub description: Option<String>,
    pub status: ProductStatus,
    pub metadata: Option<Value>,
    pub default_variant_id: Option<VariantId>,
    /// Every option assigned, the product's own first.
    pub option_ids: Vec<OptionId>,
    pub own_options: Vec<(OptionId, NewOption)>,
    pub variants: Vec<NewVariant>,
    pub media: Vec<NewMedia>,
    pub sync: Option<SyncSource>,
    pub classification: Classification,
    pub details: ProductDetails,
    pub extensions: Extensions,
}

/// Checks a product name: 1 to 500 characters.
pub fn parse_name(raw: &str) -> Result<String, CoreError> {
    text("name", raw, 500)
}

impl ProductInput {
    /// Checks every field, the inline variants (no SKU twice) and the inline media.
    pub fn validate(self) -> Result<NewProduct, CoreError> {
        if self.variants.len() > MAX_VARIANTS {
            return Err(CoreError::invalid(
                "variants",
                format!("at most {MAX_VARIANTS} variants"),
            ));
        }
        if self.media.len() > MAX_MEDIA {
            return Err(CoreError::invalid("media", format!("at most {MAX_MEDIA} media assets")));
        }
        let own_options = self
            .own_options
            .into_iter()
            .enumerate()
            .map(|(i, o)| {
                let checked = o
                    .input
                    .validate()
                    .map_err(|e| e.within(FieldPath::name("options").index(i)))?;
                Ok((o.id, checked))
            })
            .collect::<Result<Vec<_>, CoreError>>()?;
        no_duplicates(
            &own_options,
            |(_, o)| Some(o.name.to_lowercase()),
            |i| {
                CoreError::conflict(
                    codes::DUPLICATE_NAME,
                    format!("options[{i}].name"),
                    "An option with this name already exists",
                )
            },
        )?;
        let option_ids: Vec<OptionId> = own_options.iter().map(|(id, _)| *id).chain(self.option_ids).collect();
        check_option_ids(&option_ids)?;
        let variants = self
            .variants
            .into_iter()
            .enumerate()
            .map(|(i, v)| v.validate().map_err(|e| e.within(FieldPath::name("variants").index(i))))
            .collect::<Result<Vec<_>, _>>()?;
        no_duplicates(
            &variants,
            |v| v.sku.clone(),
            |i| CoreError::conflict(codes::DUPLICATE_SKU, format!("variants[{i}].sku"), "SKU already exists"),
        )?;
        let media = self
            .media
            .into_iter()
            .enumerate()
            .map(|(i, m)| m.validate().map_err(|e| e.within(FieldPath::name("media").index(i))))
            .collect::<Result<Vec<_>, _>>()?;
        self.classification.validate()?;
        let mut details = ProductDetails::default();
        self.details.validate()?.apply(&mut details);
        let mut extensions = Extensions::default();
        if let Some(x) = self.extension {
            extensions.apply("extensions", x)?;
        }
        Ok(NewProduct {
            id: ProductId::generate(),
            name: parse_name(&self.name)?,
            handle: self
                .handle
                .as_deref()
                .map(|h| parse_handle("handle", h.trim()))
                .transpose()?,
            url: self.url.as_deref().map(|u| uri("url", u)).transpose()?,
            description: long_text("description", self.description, 100_000)?,
            status: self.status,
            metadata: metadata("metadata", self.metadata)?,
            default_variant_id: self.default_variant_id,
            option_ids,
            own_options,
            variants,
            media,
            sync: self
                .sync
                .map(|s| s.validate().map_err(|e| e.within("sync_source")))
                .transpose()?,
            classification: self.classification,
            details,
            extensions,
        })
    }
}

/// Checks a list of option ids to assign: distinct and not too many.
pub fn check_option_ids(ids: &[OptionId]) -> Result<(), CoreError> {
    if ids.len() > MAX_OPTIONS {
        return Err(CoreError::invalid(
            "option_ids",
            format!("at most {MAX_OPTIONS} options"),
        ));
    }
    no_duplicates(
        ids,
        |id| Some(*id),
        |i| CoreError::invalid(format!("option_ids[{i}]"), "listed twice"),
    )
}

/// A partial update of a product.
#[derive(Debug, Clone, Default)]
pub struct ProductPatch {
    pub name: Option<String>,
    pub handle: Option<String>,
    pub url: Patch<String>,
    pub description: Patch<String>,
    pub status: Option<ProductStatus>,
    pub metadata: Patch<Value>,
    pub default_variant_id: Patch<VariantId>,
    pub archived: Option<bool>,
    pub classification: Classification,
    pub details: DetailsPatch,
    /// API-owned fields, merged key by key (one patch per owning API).
    pub extensions: Vec<ExtensionPatch>,
}

impl ProductPatch {
    /// Checks the fields present.
    pub fn validate(self) -> Result<ProductPatch, CoreError> {
        Ok(ProductPatch {
            name: self.name.as_deref().map(parse_name).transpose()?,
            handle: self
                .handle
                .as_deref()
                .map(|h| parse_handle("handle", h.trim()))
                .transpose()?,
            url: self.url.try_map(|u| uri("url", &u))?,
            description: self
                .description
                .try_map(|d| long_text("description", Some(d), 100_000).map(|d| d.unwrap_or_default()))?,
            status: self.status,
            metadata: match self.metadata {
                Patch::Set(v) => match metadata("metadata", Some(v))? {
                    Some(v) => Patch::Set(v),
                    None => Patch::Clear,
                },
                other => other,
            },
            default_variant_id: self.default_variant_id,
            archived: self.archived,
            classification: {
                self.classification.validate()?;
                self.classification
            },
            details: self.details.validate()?,
            extensions: self.extensions,
        })
    }

    /// Applies the (checked) changes to the product's own fields. What needs the store is left
    /// in the patch: the classification (its references are looked up) and the default variant
    /// (it must be one of the product's).
    pub fn apply_to(&mut self, p: &mut Product, now: DateTime<Utc>) -> Result<(), CoreError> {
        if let Some(name) = self.name.take() {
            p.name = name;
        }
        if let Some(handle) = self.handle.take() {
            p.handle = handle;
        }
        p.url = std::mem::take(&mut self.url).apply(p.url.take());
        p.description = std::mem::take(&mut self.description).apply(p.description.take());
        p.metadata = std::mem::take(&mut self.metadata).apply(p.metadata.take());
        if let Some(status) = self.status.take() {
            p.status = status;
        }
        std::mem::take(&mut self.details).apply(&mut p.details);
        for x in std::mem::take(&mut self.extensions) {
            p.extensions.apply("extensions", x)?;
        }
        match self.archived.take() {
            Some(true) if p.archived_at.is_none() => p.archived_at = Some(now),
            Some(false) => p.archived_at = None,
            _ => {}
        }
        Ok(())
    }
}

impl NewProduct {
    /// What a create request changes in the product its sync source already points at: the
    /// fields it gives replace, the ones it leaves out stay, and the status stays (a create
    /// request always names one). Its options, variants, media, sync source and default
    /// variant stay in `self` for the store to match against the product's.
    pub fn take_patch(&mut self) -> ProductPatch {
        let d = std::mem::take(&mut self.details);
        let given = |v: Option<String>| v.map_or(Patch::Keep, Patch::Set);
        let measure = |v: Option<f64>| v.map_or(Patch::Keep, Patch::Set);
        ProductPatch {
            name: Some(std::mem::take(&mut self.name)),
            handle: self.handle.take(),
            url: given(self.url.take()),
            description: given(self.description.take()),
            status: None,
            metadata: self.metadata.take().map_or(Patch::Keep, Patch::Set),
            // Set by the store once the variants are matched: it must be one of them.
            default_variant_id: Patch::Keep,
            archived: None,
            classification: std::mem::take(&mut self.classification),
            details: DetailsPatch {
                subtitle: given(d.subtitle),
                short_description: given(d.short_description),
                thumbnail: given(d.thumbnail),
                seo_name: given(d.seo.name),
                page_title: given(d.seo.page_title),
                meta_description: given(d.seo.meta_description),
                meta_keywords: given(d.seo.meta_keywords),
                weight: measure(d.dimensions.weight),
                length: measure(d.dimensions.length),
                width: measure(d.dimensions.width),
                height: measure(d.dimensions.height),
            },
            extensions: std::mem::take(&mut self.extensions).into_patches(),
        }
    }
}

/// A stored product, without its children.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub id: ProductId,
    pub organization_id: OrganizationId,
    /// The organization's number for it (see [`crate::numbers`]).
    pub number: i64,
    pub handle: String,
    pub name: String,
    pub url: Option<String>,
    pub description: Option<String>,
    pub status: ProductStatus,
    pub metadata: Option<Value>,
    pub default_variant_id: Option<VariantId>,
    pub category_id: Option<crate::ids::CategoryId>,
    pub brand_id: Option<BrandId>,
    pub template_id: Option<TemplateId>,
    /// Attribute values by attribute key.
    pub attributes: Option<Map<String, Value>>,
    pub vendor_id: Option<VendorId>,
    pub collection_id: Option<CollectionId>,
    pub type_id: Option<ProductTypeId>,
    pub details: ProductDetails,
    pub extensions: Extensions,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    pub archived_at: Option<DateTime<Utc>>,
    /// Goes up with every change to the product or what it owns (see [`crate::version`]).
    pub version: crate::version::Version,
}

impl Product {
    /// The audited fields, as JSON.
    pub fn snapshot(&self) -> Value {
        json!({
            "name": self.name,
            "handle": self.handle,
            "url": self.url,
            "description": self.description,
            "status": self.status.as_str(),
            "metadata": self.metadata,
            "default_variant_id": self.default_variant_id,
            "archived": self.archived_at.is_some(),
            "category_id": self.category_id,
            "brand_id": self.brand_id,
            "template_id": self.template_id,
            "attributes": self.attributes,
            "vendor_id": self.vendor_id,
            "collection_id": self.collection_id,
            "type_id": self.type_id,
            "subtitle": self.details.subtitle,
            "short_description": self.details.short_description,
            "thumbnail": self.details.thumbnail,
            "seo_name": self.details.seo.name,
            "page_title": self.details.seo.page_title,
            "meta_description": self.details.seo.meta_description,
            "meta_keywords": self.details.seo.meta_keywords,
            "weight": self.details.dimensions.weight,
            "length": self.details.dimensions.length,
            "width": self.details.dimensions.width,
            "height": self.details.dimensions.height,
            "extensions": self.extensions.to_json(),
        })
    }

    /// Whether a storefront (publishable key) may see it.
    pub fn is_public(&self) -> bool {
        self.status == ProductStatus::Active && self.archived_at.is_none()
    }
}

/// Which children to load with a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Include {
    pub variants: bool,
    pub media: bool,
    pub tags: bool,
}

/// A product with the children that were asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductView {
    pub product: Product,
    pub sync: Option<ExternalRef>,
    /// The product's category, when it has one.
    pub category: Option<CategoryLink>,
    pub variants: Option<Vec<Variant>>,
    pub media: Option<Vec<ProductMedia>>,
    /// The product's tags in the order it was given them, when asked for.
    pub tags: Option<Vec<Tag>>,
}
