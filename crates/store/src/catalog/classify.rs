//! Filing a product: resolving its category, brand and template, and checking its attribute
//! values against the organization's definitions.

use super::attributes::attributes_by_key;
use crate::db::Conn;
use crate::error::StoreError;
use pimento_core::CoreError;
use pimento_core::attribute::apply_values;
use pimento_core::auth::Ctx;
use pimento_core::ids::CategoryId;
use pimento_core::patch::Patch;
use pimento_core::product::{Classification, Product};
use pimento_core::taxonomy::CategoryRef;

/// Applies a classification to a product about to be written. Every id and slug must belong to
/// the caller's organization; an unknown one is a 400 naming the field.
pub(super) async fn apply(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    product: &mut Product,
    cls: Classification,
) -> Result<(), StoreError> {
    product.category_id = match cls.category {
        Patch::Keep => product.category_id,
        Patch::Clear => None,
        Patch::Set(r) => Some(category_id(c, ctx, &r).await?),
    };
    product.brand_id = match cls.brand_id {
        Patch::Set(id) => {
            exists(c, ctx, "brands", id.0, "brandId", "brand not found").await?;
            Some(id)
        }
        other => other.apply(product.brand_id),
    };
    product.template_id = match cls.template_id {
        Patch::Set(id) => {
            exists(c, ctx, "templates", id.0, "templateId", "template not found").await?;
            Some(id)
        }
        other => other.apply(product.template_id),
    };
    if !cls.attributes.is_empty() {
        let keys: Vec<&str> = cls.attributes.keys().map(String::as_str).collect();
        let defs = attributes_by_key(c, ctx.org(), &keys).await?;
        product.attributes = apply_values(&defs, product.attributes.take(), cls.attributes)?;
    }
    Ok(())
}

/// The id of a category named by id or slug.
pub(super) async fn category_id(c: &mut Conn<'_>, ctx: &Ctx, r: &CategoryRef) -> Result<CategoryId, StoreError> {
    let (sql, arg, field, what) = match r {
        CategoryRef::Id(id) => (
            "SELECT id FROM categories WHERE organization_id = $1 AND id = $2",
            crate::db::Val::from(*id),
            "categoryId",
            id.to_string(),
        ),
        CategoryRef::Slug(s) => (
            "SELECT id FROM categories WHERE organization_id = $1 AND slug = $2",
            crate::db::Val::from(s.as_str()),
            "category",
            s.clone(),
        ),
    };
    let row = c
        .fetch_optional(sql, vec![crate::db::Val::from(ctx.org()), arg])
        .await?;
    match row {
        Some(r) => r.id("id"),
        None => Err(CoreError::invalid(field, format!("no category '{what}' in this organization")).into()),
    }
}

async fn exists(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    table: &'static str,
    id: uuid::Uuid,
    field: &str,
    message: &str,
) -> Result<(), StoreError> {
    let sql = format!("SELECT 1 AS one FROM {table} WHERE organization_id = $1 AND id = $2");
    match c.fetch_optional(sql, crate::args![ctx.org(), id]).await? {
        Some(_) => Ok(()),
        None => Err(CoreError::invalid(field, message).into()),
    }
}
