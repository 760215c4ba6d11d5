//! Media assets (images and other files reachable by URL) and their attachment to products.

use crate::CoreError;
use crate::ids::{MediaAssetId, OrganizationId, ProductId, ProductMediaId, VariantId};
use crate::patch::Patch;
use crate::validate::{long_text, opt_text, opt_uri, text, uri};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// A new media asset as a client describes it.
#[derive(Debug, Clone, Default)]
pub struct MediaAssetInput {
    pub name: Option<String>,
    pub public_url: Option<String>,
    pub source_url: Option<String>,
    pub thumbnail_url: Option<String>,
    pub upload_url: Option<String>,
    pub alt_text: Option<String>,
    pub description: Option<String>,
}

/// A checked new media asset.
#[derive(Debug, Clone)]
pub struct NewMediaAsset {
    pub name: String,
    pub public_url: Option<String>,
    pub source_url: Option<String>,
    pub thumbnail_url: Option<String>,
    pub upload_url: Option<String>,
    pub alt_text: Option<String>,
    pub description: Option<String>,
}

/// A media asset needs a public or a source URL; returns the one that names it.
pub fn require_url<'a>(public_url: Option<&'a str>, source_url: Option<&'a str>) -> Result<&'a str, CoreError> {
    public_url
        .or(source_url)
        .ok_or_else(|| CoreError::invalid("public_url", "a public or source URL is required"))
}

impl MediaAssetInput {
    /// Checks the URLs; at least a public or a source URL is needed. The name defaults to the
    /// URL's last path segment.
    pub fn validate(self) -> Result<NewMediaAsset, CoreError> {
        let public_url = opt_uri("public_url", self.public_url.as_deref())?;
        let source_url = opt_uri("source_url", self.source_url.as_deref())?;
        let main = require_url(public_url.as_deref(), source_url.as_deref())?;
        let name = match opt_text("name", self.name.as_deref(), 255)? {
            Some(n) => n,
            None => default_name(main),
        };
        Ok(NewMediaAsset {
            name,
            public_url,
            source_url,
            thumbnail_url: opt_uri("thumbnail_url", self.thumbnail_url.as_deref())?,
            upload_url: opt_uri("upload_url", self.upload_url.as_deref())?,
            alt_text: opt_text("alt_text", self.alt_text.as_deref(), 1000)?,
            description: long_text("description", self.description, 10_000)?,
        })
    }
}

fn default_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    if last.is_empty() || last.contains(':') {
        "media".to_owned()
    } else {
        last.chars().take(255).collect()
    }
}

/// What to attach: an existing asset by id, or a new one.
#[derive(Debug, Clone)]
pub enum MediaSource {
    Existing(MediaAssetId),
    New(MediaAssetInput),
}

/// An attachment request.
#[derive(Debug, Clone)]
pub struct MediaInput {
    pub source: MediaSource,
    pub position: Option<i64>,
    pub purpose: Option<String>,
    pub variant_id: Option<VariantId>,
}

/// A checked attachment request.
#[derive(Debug, Clone)]
pub struct NewMedia {
    pub asset: NewMediaSource,
    pub position: Option<i64>,
    pub purpose: Option<String>,
    pub variant_id: Option<VariantId>,
}

/// A checked media source.
#[derive(Debug, Clone)]
pub enum NewMediaSource {
    Existing(MediaAssetId),
    New(NewMediaAsset),
}

fn check_position(p: i64) -> Result<i64, CoreError> {
    if !(0..=1_000_000).contains(&p) {
        return Err(CoreError::invalid("position", "must be between 0 and 1000000"));
    }
    Ok(p)
}

impl MediaInput {
    /// Checks the asset, the position and the purpose.
    pub fn validate(self) -> Result<NewMedia, CoreError> {
        Ok(NewMedia {
            asset: match self.source {
                MediaSource::Existing(id) => NewMediaSource::Existing(id),
                MediaSource::New(a) => NewMediaSource::New(a.validate()?),
            },
            position: self.position.map(check_position).transpose()?,
            purpose: opt_text("purpose", self.purpose.as_deref(), 100)?,
            variant_id: self.variant_id,
        })
    }
}

/// A partial update of an attachment and its asset.
#[derive(Debug, Clone, Default)]
pub struct MediaPatch {
    pub position: Option<i64>,
    pub purpose: Patch<String>,
    pub variant_id: Patch<VariantId>,
    pub name: Option<String>,
    pub alt_text: Patch<String>,
    pub description: Patch<String>,
    pub public_url: Patch<String>,
    pub source_url: Patch<String>,
    pub thumbnail_url: Patch<String>,
}

impl MediaPatch {
    /// Checks the fields present.
    pub fn validate(self) -> Result<MediaPatch, CoreError> {
        Ok(MediaPatch {
            position: self.position.map(check_position).transpose()?,
            purpose: self.purpose.try_map(|p| text("purpose", &p, 100))?,
            variant_id: self.variant_id,
            name: self.name.map(|n| text("name", &n, 255)).transpose()?,
            alt_text: self.alt_text.try_map(|a| text("alt_text", &a, 1000))?,
            description: self
                .description
                .try_map(|d| long_text("description", Some(d), 10_000).map(|d| d.unwrap_or_default()))?,
            public_url: self.public_url.try_map(|u| uri("public_url", &u))?,
            source_url: self.source_url.try_map(|u| uri("source_url", &u))?,
            thumbnail_url: self.thumbnail_url.try_map(|u| uri("thumbnail_url", &u))?,
        })
    }
}

/// A stored media asset.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaAsset {
    pub id: MediaAssetId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub alt_text: Option<String>,
    pub description: Option<String>,
    pub public_url: Option<String>,
    pub source_url: Option<String>,
    pub thumbnail_url: Option<String>,
    pub upload_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// A media asset attached to a product (and optionally to one of its variants).
#[derive(Debug, Clone, PartialEq)]
pub struct ProductMedia {
    pub id: ProductMediaId,
    pub organization_id: OrganizationId,
    pub product_id: ProductId,
    pub variant_id: Option<VariantId>,
    pub position: i64,
    pub purpose: Option<String>,
    pub asset: MediaAsset,
}

impl ProductMedia {
    /// The audited fields, as JSON.
    pub fn snapshot(&self) -> Value {
        json!({
            "media_asset_id": self.asset.id,
            "variant_id": self.variant_id,
            "position": self.position,
            "purpose": self.purpose,
            "name": self.asset.name,
            "alt_text": self.asset.alt_text,
            "public_url": self.asset.public_url,
            "source_url": self.asset.source_url,
        })
    }
}

/// Checks a reorder request: it must list every attachment exactly once.
pub fn check_reorder<T: PartialEq + Copy>(current: &[T], requested: &[T]) -> Result<(), CoreError> {
    let complete = requested.len() == current.len()
        && current
            .iter()
            .all(|c| requested.iter().filter(|r| *r == c).count() == 1);
    if complete {
        Ok(())
    } else {
        Err(CoreError::invalid(
            "asset_ids",
            "must list every media asset of the product exactly once",
        ))
    }
}
