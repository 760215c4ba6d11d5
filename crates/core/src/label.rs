//! Labels: a value products are grouped by. A product has one type (such as "Shirt") and any
//! number of tags; both are the same shape, a unique value per organization and metadata.

use crate::CoreError;
use crate::ids::{OrganizationId, ProductTypeId, TagId};
use crate::patch::Patch;
use crate::validate::{metadata, text};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// The most tags a product may carry.
pub const MAX_TAGS: usize = 100;

/// A stored label, identified by `Id`.
#[derive(Debug, Clone, PartialEq)]
pub struct Label<Id> {
    pub id: Id,
    pub organization_id: OrganizationId,
    /// Unique in the organization.
    pub value: String,
    pub metadata: Option<Value>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Goes up with every change to the label (see [`crate::version`]).
    pub version: crate::version::Version,
}

/// A product type.
pub type ProductType = Label<ProductTypeId>;
/// A tag.
pub type Tag = Label<TagId>;

/// A label as a client gives it.
#[derive(Debug, Clone, Default)]
pub struct LabelInput {
    pub value: String,
    pub metadata: Option<Value>,
}

/// Changes to a label; absent fields stay.
#[derive(Debug, Clone, Default)]
pub struct LabelPatch {
    pub value: Option<String>,
    pub metadata: Patch<Value>,
}

impl LabelInput {
    /// Checks every field.
    pub fn validate(self) -> Result<LabelInput, CoreError> {
        Ok(LabelInput {
            value: text("value", &self.value, 255)?,
            metadata: metadata("metadata", self.metadata)?,
        })
    }
}

impl LabelPatch {
    /// Checks the fields present.
    pub fn validate(self) -> Result<LabelPatch, CoreError> {
        Ok(LabelPatch {
            value: self.value.map(|v| text("value", &v, 255)).transpose()?,
            metadata: match self.metadata {
                Patch::Set(v) => metadata("metadata", Some(v))?.map_or(Patch::Clear, Patch::Set),
                other => other,
            },
        })
    }

    /// Applies the (checked) changes.
    pub fn apply<Id>(self, l: &mut Label<Id>) {
        if let Some(v) = self.value {
            l.value = v;
        }
        l.metadata = self.metadata.apply(l.metadata.take());
    }
}

impl<Id> Label<Id> {
    /// The audited fields, as JSON.
    pub fn snapshot(&self) -> Value {
        json!({"value": self.value, "metadata": self.metadata})
    }
}
