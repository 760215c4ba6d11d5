//! Collections: curated sets of products such as "Summer 2026"; a product is in at most one.

use crate::CoreError;
use crate::handle::{parse_handle, slugify};
use crate::ids::{CollectionId, OrganizationId};
use crate::patch::Patch;
use crate::validate::{metadata, text};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// A collection as a client gives it; the handle is derived from the title when absent.
#[derive(Debug, Clone, Default)]
pub struct CollectionInput {
    pub title: String,
    pub handle: Option<String>,
    pub metadata: Option<Value>,
}

/// Changes to a collection; absent fields stay.
#[derive(Debug, Clone, Default)]
pub struct CollectionPatch {
    pub title: Option<String>,
    pub handle: Option<String>,
    pub metadata: Patch<Value>,
}

/// A stored collection.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    pub id: CollectionId,
    pub organization_id: OrganizationId,
    pub title: String,
    /// URL-safe and unique in the organization.
    pub handle: String,
    pub metadata: Option<Value>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Goes up with every change to the collection (see [`crate::version`]).
    pub version: crate::version::Version,
}

impl CollectionInput {
    /// Checks every field and settles the handle.
    pub fn validate(self) -> Result<CollectionInput, CoreError> {
        let title = text("title", &self.title, 255)?;
        let handle = match self.handle.as_deref().map(str::trim) {
            None | Some("") => slugify(&title),
            Some(h) => parse_handle("handle", h)?,
        };
        Ok(CollectionInput {
            title,
            handle: Some(handle),
            metadata: metadata("metadata", self.metadata)?,
        })
    }
}

impl CollectionPatch {
    /// Checks the fields present.
    pub fn validate(self) -> Result<CollectionPatch, CoreError> {
        Ok(CollectionPatch {
            title: self.title.map(|t| text("title", &t, 255)).transpose()?,
            handle: self.handle.map(|h| parse_handle("handle", h.trim())).transpose()?,
            metadata: match self.metadata {
                Patch::Set(v) => metadata("metadata", Some(v))?.map_or(Patch::Clear, Patch::Set),
                other => other,
            },
        })
    }

    /// Applies the (checked) changes.
    pub fn apply(self, c: &mut Collection) {
        if let Some(t) = self.title {
            c.title = t;
        }
        if let Some(h) = self.handle {
            c.handle = h;
        }
        c.metadata = self.metadata.apply(c.metadata.take());
    }
}

impl Collection {
    /// The audited fields, as JSON.
    pub fn snapshot(&self) -> Value {
        json!({"title": self.title, "handle": self.handle, "metadata": self.metadata})
    }
}
