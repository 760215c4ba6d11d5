//! One newtype per entity id, so a variant id can never be passed where a product id belongs.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new time-ordered (UUIDv7) id.
            pub fn generate() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }
    )*};
}

id_type!(
    /// A tenant: the account that owns one or more organizations.
    TenantId,
    /// An organization: the scope every catalog row belongs to.
    OrganizationId,
    /// An API key.
    ApiKeyId,
    /// A product.
    ProductId,
    /// A product variant.
    VariantId,
    /// An organization-level variant option such as "Size".
    OptionId,
    /// One value of a variant option such as "M".
    OptionValueId,
    /// A media asset (an image or other file reachable by URL).
    MediaAssetId,
    /// The attachment of a media asset to a product.
    ProductMediaId,
    /// A link between a catalog entity and a record of an external system.
    ExternalRefId,
    /// An audit event.
    AuditEventId,
    /// A category in the organization's category tree.
    CategoryId,
    /// A brand.
    BrandId,
    /// A typed product attribute definition such as "Color".
    AttributeId,
    /// A named group of attributes.
    AttributeGroupId,
    /// A product type template: the attributes a kind of product has.
    TemplateId,
    /// A background job (export, import, bulk change).
    JobId,
    /// A stored file: an upload or a job's result.
    FileId,
    /// A notification to an organization, such as a finished job.
    NotificationId,
    /// A vendor (a marketplace's company) that owns products.
    VendorId,
    /// A curated collection of products, such as "Summer 2026".
    CollectionId,
    /// A product type such as "Shirt": one per product, for grouping and filtering.
    ProductTypeId,
    /// A tag: a free label products carry any number of.
    TagId,
);
