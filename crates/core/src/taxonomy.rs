//! Categories (a tree of any depth) and brands: the taxonomies products are filed under.

use crate::CoreError;
use crate::handle::{parse_handle, slugify};
use crate::ids::{BrandId, CategoryId, OrganizationId};
use crate::patch::Patch;
use crate::validate::{long_text, opt_uri, text};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// The deepest a category may sit below a root.
pub const MAX_CATEGORY_DEPTH: i64 = 32;

/// A category as a client gives it.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    pub name: String,
    /// URL-safe and unique in the organization; derived from the name when absent.
    pub slug: Option<String>,
    pub description: Option<String>,
    pub parent_id: Option<CategoryId>,
}

/// A checked new category.
#[derive(Debug, Clone)]
pub struct NewCategory {
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    pub parent_id: Option<CategoryId>,
}

impl CategoryInput {
    /// Checks every field.
    pub fn validate(self) -> Result<NewCategory, CoreError> {
        let name = text("name", &self.name, 255)?;
        let slug = match self.slug.as_deref().map(str::trim) {
            Some(s) => parse_handle("slug", s)?,
            None => derived_slug(&name)?,
        };
        Ok(NewCategory {
            name,
            slug,
            description: long_text("description", self.description, 10_000)?,
            parent_id: self.parent_id,
        })
    }
}

fn derived_slug(name: &str) -> Result<String, CoreError> {
    let s = slugify(name);
    if s.is_empty() {
        return Err(CoreError::invalid(
            "slug",
            "is required when the name has no letters or digits",
        ));
    }
    Ok(s)
}

/// A partial update of a category.
#[derive(Debug, Clone, Default)]
pub struct CategoryPatch {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Patch<String>,
    /// `Clear` makes it a root.
    pub parent_id: Patch<CategoryId>,
}

impl CategoryPatch {
    /// Checks the fields present.
    pub fn validate(self) -> Result<CategoryPatch, CoreError> {
        Ok(CategoryPatch {
            name: self.name.map(|n| text("name", &n, 255)).transpose()?,
            slug: self.slug.map(|s| parse_handle("slug", s.trim())).transpose()?,
            description: self
                .description
                .try_map(|d| long_text("description", Some(d), 10_000).map(|d| d.unwrap_or_default()))?,
            parent_id: self.parent_id,
        })
    }
}

/// A stored category.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub id: CategoryId,
    pub organization_id: OrganizationId,
    /// The organization's number for it (see [`crate::numbers`]).
    pub number: i64,
    pub parent_id: Option<CategoryId>,
    pub name: String,
    pub slug: String,
    pub description: Option<String>,
    /// The ids from the root down to this category, each followed by `/`.
    pub path: String,
    /// 0 for a root.
    pub depth: i64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Every API's own fields of the category (see [`crate::extension`]).
    pub extensions: crate::extension::Extensions,
    /// Goes up with every change to the category (see [`crate::version`]).
    pub version: crate::version::Version,
}

impl Category {
    /// The audited fields, as JSON.
    pub fn snapshot(&self) -> Value {
        json!({
            "name": self.name,
            "slug": self.slug,
            "description": self.description,
            "parent_id": self.parent_id,
        })
    }
}

/// The materialized path of a category under `parent` (whose path is given).
pub fn category_path(parent_path: Option<&str>, id: CategoryId) -> String {
    format!("{}{}/", parent_path.unwrap_or(""), id.0.simple())
}

/// Refuses moving a category under itself or one of its descendants, or too deep.
pub fn check_move(category: &Category, new_parent: Option<&Category>, subtree_height: i64) -> Result<(), CoreError> {
    let Some(parent) = new_parent else { return Ok(()) };
    if parent.path.starts_with(&category.path) {
        return Err(CoreError::invalid(
            "parent_id",
            "a category cannot be moved under itself or one of its descendants",
        ));
    }
    check_depth(Some(parent), subtree_height)
}

/// Refuses placing a subtree of the given height under `parent` when it would nest too deep.
pub fn check_depth(parent: Option<&Category>, subtree_height: i64) -> Result<(), CoreError> {
    match parent {
        Some(p) if p.depth + 1 + subtree_height > MAX_CATEGORY_DEPTH => Err(CoreError::invalid(
            "parent_id",
            format!("categories nest at most {MAX_CATEGORY_DEPTH} levels deep"),
        )),
        _ => Ok(()),
    }
}

/// How a request names a category: by id or by slug.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryRef {
    Id(CategoryId),
    Slug(String),
}

/// The category a product is filed under, as product views show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryLink {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
}

/// A brand as a client gives it.
#[derive(Debug, Clone, Default)]
pub struct BrandInput {
    pub name: String,
    pub description: Option<String>,
    pub logo_url: Option<String>,
}

impl BrandInput {
    /// Checks every field.
    pub fn validate(self) -> Result<BrandInput, CoreError> {
        Ok(BrandInput {
            name: text("name", &self.name, 255)?,
            description: long_text("description", self.description, 10_000)?,
            logo_url: opt_uri("logo_url", self.logo_url.as_deref())?,
        })
    }
}

/// A partial update of a brand.
#[derive(Debug, Clone, Default)]
pub struct BrandPatch {
    pub name: Option<String>,
    pub description: Patch<String>,
    pub logo_url: Patch<String>,
}

impl BrandPatch {
    /// Checks the fields present.
    pub fn validate(self) -> Result<BrandPatch, CoreError> {
        Ok(BrandPatch {
            name: self.name.map(|n| text("name", &n, 255)).transpose()?,
            description: self
                .description
                .try_map(|d| long_text("description", Some(d), 10_000).map(|d| d.unwrap_or_default()))?,
            logo_url: self.logo_url.try_map(|u| crate::validate::uri("logo_url", &u))?,
        })
    }
}

/// A stored brand.
#[derive(Debug, Clone, PartialEq)]
pub struct Brand {
    pub id: BrandId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub description: Option<String>,
    pub logo_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Goes up with every change to the brand (see [`crate::version`]).
    pub version: crate::version::Version,
}

impl Brand {
    /// The audited fields, as JSON.
    pub fn snapshot(&self) -> Value {
        json!({"name": self.name, "description": self.description, "logo_url": self.logo_url})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn cat(path: &str, depth: i64) -> Category {
        Category {
            id: CategoryId(Uuid::now_v7()),
            organization_id: OrganizationId(Uuid::nil()),
            number: 1,
            parent_id: None,
            name: "n".into(),
            slug: "n".into(),
            description: None,
            path: path.into(),
            depth,
            created_at: Utc::now(),
            created_by: String::new(),
            extensions: Default::default(),
            updated_at: Utc::now(),
            updated_by: String::new(),
            version: crate::version::Version(1),
        }
    }

    #[test]
    fn a_category_cannot_move_under_its_own_subtree() {
        let root = cat("a/", 0);
        let child = cat("a/b/", 1);
        let other = cat("c/", 0);
        assert!(check_move(&root, Some(&child), 1).is_err());
        assert!(check_move(&root, Some(&root), 1).is_err());
        assert!(check_move(&child, Some(&other), 0).is_ok());
        assert!(check_move(&child, None, 0).is_ok());
        let deep = cat("x/", MAX_CATEGORY_DEPTH);
        assert!(check_move(&child, Some(&deep), 0).is_err());
    }

    #[test]
    fn slugs_are_derived_or_checked() {
        let c = CategoryInput {
            name: "Men's Outerwear".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(c.slug, "men-s-outerwear");
        let bad = CategoryInput {
            name: "x".into(),
            slug: Some("Not A Slug".into()),
            ..Default::default()
        };
        assert_eq!(
            bad.validate().unwrap_err().field().map(ToString::to_string).as_deref(),
            Some("slug")
        );
    }
}
