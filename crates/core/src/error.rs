//! The domain error: what went wrong, in terms every API can translate into its own body.

use crate::field::FieldPath;
use std::fmt;

/// A kind of catalog entity, named in not-found errors and audit events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Organization,
    Product,
    Variant,
    VariantOption,
    OptionValue,
    MediaAsset,
    ProductMedia,
    ExternalRef,
    Category,
    Brand,
    Attribute,
    AttributeGroup,
    Template,
    Tenant,
    Job,
    File,
    Vendor,
    Collection,
    ProductType,
    Tag,
}

impl Entity {
    /// Every kind of entity.
    pub const ALL: [Entity; 20] = [
        Entity::Organization,
        Entity::Product,
        Entity::Variant,
        Entity::VariantOption,
        Entity::OptionValue,
        Entity::MediaAsset,
        Entity::ProductMedia,
        Entity::ExternalRef,
        Entity::Category,
        Entity::Brand,
        Entity::Attribute,
        Entity::AttributeGroup,
        Entity::Template,
        Entity::Tenant,
        Entity::Job,
        Entity::File,
        Entity::Vendor,
        Entity::Collection,
        Entity::ProductType,
        Entity::Tag,
    ];

    /// The machine name used in audit events.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Organization => "organization",
            Entity::Product => "product",
            Entity::Variant => "variant",
            Entity::VariantOption => "variant_option",
            Entity::OptionValue => "option_value",
            Entity::MediaAsset => "media_asset",
            Entity::ProductMedia => "product_media",
            Entity::ExternalRef => "external_ref",
            Entity::Category => "category",
            Entity::Brand => "brand",
            Entity::Attribute => "attribute",
            Entity::AttributeGroup => "attribute_group",
            Entity::Template => "template",
            Entity::Tenant => "tenant",
            Entity::Job => "job",
            Entity::File => "file",
            Entity::Vendor => "vendor",
            Entity::Collection => "collection",
            Entity::ProductType => "product_type",
            Entity::Tag => "tag",
        }
    }

    /// The name people read in messages.
    pub fn label(self) -> &'static str {
        match self {
            Entity::Organization => "Organization",
            Entity::Product => "Product",
            Entity::Variant => "Variant",
            Entity::VariantOption => "Variant option",
            Entity::OptionValue => "Option value",
            Entity::MediaAsset => "Media asset",
            Entity::ProductMedia => "Media asset",
            Entity::ExternalRef => "Sync source",
            Entity::Category => "Category",
            Entity::Brand => "Brand",
            Entity::Attribute => "Attribute",
            Entity::AttributeGroup => "Attribute group",
            Entity::Template => "Template",
            Entity::Tenant => "Tenant",
            Entity::Job => "Job",
            Entity::File => "File",
            Entity::Vendor => "Vendor",
            Entity::Collection => "Collection",
            Entity::ProductType => "Product type",
            Entity::Tag => "Tag",
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Why a catalog operation was refused. Every variant is the caller's fault (a 4xx).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoreError {
    /// Input that breaks a rule about one field; the message does not repeat the field.
    #[error("{field}: {message}")]
    Invalid { field: FieldPath, message: String },
    /// The entity does not exist in the caller's organization.
    #[error("{0} not found")]
    NotFound(Entity),
    /// The write would break a uniqueness or referential rule.
    #[error("{message}")]
    Conflict {
        code: &'static str,
        field: Option<FieldPath>,
        message: String,
    },
    /// The caller's key may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The write required another version of the entity than the stored one (HTTP 412).
    #[error("{entity} has changed: it is at version {current}, not one the request names")]
    Stale {
        entity: Entity,
        current: crate::version::Version,
    },
    /// A create that may only create found the entity it would have changed (HTTP 412).
    #[error("{entity} already exists (at version {current}) and the request only creates")]
    Exists {
        entity: Entity,
        current: crate::version::Version,
    },
}

impl CoreError {
    /// An invalid-field error.
    pub fn invalid(field: impl Into<FieldPath>, message: impl Into<String>) -> Self {
        CoreError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A conflict naming the field at fault.
    pub fn conflict(code: &'static str, field: impl Into<FieldPath>, message: impl Into<String>) -> Self {
        CoreError::Conflict {
            code,
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// The stable machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Invalid { .. } => "invalid_field",
            CoreError::NotFound(_) => "not_found",
            CoreError::Conflict { code, .. } => code,
            CoreError::Forbidden(_) => "forbidden",
            CoreError::Stale { .. } | CoreError::Exists { .. } => codes::PRECONDITION_FAILED,
        }
    }

    /// The field the error is about, when there is one.
    pub fn field(&self) -> Option<&FieldPath> {
        match self {
            CoreError::Invalid { field, .. } => Some(field),
            CoreError::Conflict { field, .. } => field.as_ref(),
            _ => None,
        }
    }

    /// The message without the field prefix.
    pub fn message(&self) -> String {
        match self {
            CoreError::Invalid { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }

    /// Prefixes the field with a path, e.g. `sku` becomes `variants[2].sku`.
    pub fn within(self, prefix: impl Into<FieldPath>) -> Self {
        match self {
            CoreError::Invalid { field, message } => CoreError::Invalid {
                field: field.within(prefix.into()),
                message,
            },
            CoreError::Conflict {
                code,
                field: Some(field),
                message,
            } => CoreError::Conflict {
                code,
                field: Some(field.within(prefix.into())),
                message,
            },
            other => other,
        }
    }
}

/// Conflict codes, stable across releases.
pub mod codes {
    pub const DUPLICATE_HANDLE: &str = "duplicate_handle";
    pub const DUPLICATE_SKU: &str = "duplicate_sku";
    pub const DUPLICATE_OPTION_COMBINATION: &str = "duplicate_option_combination";
    pub const DUPLICATE_NAME: &str = "duplicate_name";
    pub const DUPLICATE_SYNC_SOURCE: &str = "duplicate_sync_source";
    pub const OPTION_IN_USE: &str = "option_in_use";
    pub const CONFLICT: &str = "conflict";
    pub const DUPLICATE_SLUG: &str = "duplicate_slug";
    pub const DUPLICATE_KEY: &str = "duplicate_key";
    pub const CATEGORY_HAS_CHILDREN: &str = "category_has_children";
    pub const IN_USE: &str = "in_use";
    /// A restore would bring back a reference to something deleted since.
    pub const MISSING_REFERENCE: &str = "missing_reference";
    /// A write named a version the entity no longer has, or a create found the entity.
    pub const PRECONDITION_FAILED: &str = "precondition_failed";
    /// An `Idempotency-Key` came back with another request (method, path or body) than the
    /// one it was first sent with (HTTP 422).
    pub const IDEMPOTENCY_KEY_REUSED: &str = "idempotency_key_reused";
    /// An `Idempotency-Key` whose first request is still running (HTTP 409).
    pub const IDEMPOTENCY_KEY_IN_USE: &str = "idempotency_key_in_use";
    /// An `Idempotency-Key` whose request was applied but whose answer was not kept (HTTP 409):
    /// the write is not run again; read the resource to see its result.
    pub const IDEMPOTENCY_RESPONSE_LOST: &str = "idempotency_response_lost";
}
