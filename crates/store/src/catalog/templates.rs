//! Product type templates: which attributes a kind of product has, and which are required.

use super::attributes::{COLUMNS as ATTRIBUTE_COLUMNS, attribute};
use super::removal::{delete_recorded, refuse_while};
use super::update_recorded::{record_update, update_row};
use crate::Store;
use crate::audit;
use crate::db::{Conn, Row, Val, placeholders};
use crate::error::StoreError;
use crate::page::{MAX_LIMIT, Page};
use pimento_core::attribute::{Template, TemplateAttribute, TemplateAttributeInput, TemplateInput};
use pimento_core::audit::Change;
use pimento_core::auth::Ctx;
use pimento_core::error::codes;
use pimento_core::ids::TemplateId;
use pimento_core::patch::Patch;
use pimento_core::version::{self, Precondition, Version};
use pimento_core::{CoreError, Entity};
use std::collections::HashMap;

const COLUMNS: &str = "id, organization_id, name, description, created_at, created_by, updated_at, updated_by, version";

fn template(r: &Row) -> Result<Template, StoreError> {
    Ok(Template {
        id: r.id("id")?,
        organization_id: r.id("organization_id")?,
        name: r.get("name")?,
        description: r.get("description")?,
        attributes: Vec::new(),
        created_at: r.get("created_at")?,
        created_by: r.get("created_by")?,
        updated_at: r.get("updated_at")?,
        updated_by: r.get("updated_by")?,
        version: Version(r.get("version")?),
    })
}

/// Templates selected by a `WHERE …` tail, with their attributes in template order.
pub(super) async fn templates_where(c: &mut Conn<'_>, tail: &str, args: Vec<Val>) -> Result<Vec<Template>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM templates {tail}");
    let mut templates = c
        .fetch_all(sql, args)
        .await?
        .iter()
        .map(template)
        .collect::<Result<Vec<_>, _>>()?;
    if templates.is_empty() {
        return Ok(templates);
    }
    let sql = format!(
        "SELECT ta.template_id, ta.required, {ATTRIBUTE_COLUMNS} FROM template_attributes ta \
         JOIN attributes a ON a.id = ta.attribute_id WHERE ta.template_id IN ({}) ORDER BY ta.template_id, ta.rank",
        placeholders(1, templates.len())
    );
    let mut by_template: HashMap<TemplateId, Vec<TemplateAttribute>> = HashMap::new();
    for r in c
        .fetch_all(sql, templates.iter().map(|t| Val::from(t.id)).collect())
        .await?
    {
        by_template
            .entry(r.id("template_id")?)
            .or_default()
            .push(TemplateAttribute {
                attribute: attribute(&r)?,
                required: r.get("required")?,
            });
    }
    for t in &mut templates {
        t.attributes = by_template.remove(&t.id).unwrap_or_default();
    }
    Ok(templates)
}

async fn one(c: &mut Conn<'_>, ctx: &Ctx, id: TemplateId) -> Result<Template, StoreError> {
    find(c, ctx, id, "").await
}

async fn find(c: &mut Conn<'_>, ctx: &Ctx, id: TemplateId, lock: &str) -> Result<Template, StoreError> {
    let tail = format!("WHERE organization_id = $1 AND id = $2{lock}");
    templates_where(c, &tail, crate::args![ctx.org(), id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| CoreError::NotFound(Entity::Template).into())
}

/// The template a write changes, locked as it is read ([`super::guard::for_update`]), once it
/// meets `pre`.
async fn to_change(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: TemplateId,
    pre: Option<&Precondition>,
) -> Result<Template, StoreError> {
    let lock = super::guard::for_update(c);
    let found = find(c, ctx, id, lock).await?;
    version::check(pre, Entity::Template, found.version)?;
    Ok(found)
}

/// Replaces a template's attribute list; each must be an attribute of the organization.
async fn set_attributes(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: TemplateId,
    attributes: &[TemplateAttributeInput],
) -> Result<(), StoreError> {
    c.execute(
        "DELETE FROM template_attributes WHERE template_id = $1",
        crate::args![id],
    )
    .await?;
    for (i, a) in attributes.iter().enumerate() {
        let n = c
            .execute(
                "INSERT INTO template_attributes (template_id, attribute_id, required, rank) \
                 SELECT $1, id, $2, $3 FROM attributes WHERE organization_id = $4 AND id = $5",
                crate::args![id, a.required, i as i64, ctx.org(), a.attribute_id],
            )
            .await?;
        if n == 0 {
            return Err(CoreError::invalid(
                format!("attributes[{i}].attribute_id"),
                "no such attribute in this organization",
            )
            .into());
        }
    }
    Ok(())
}

/// Creates a template inside the caller's transaction.
pub(super) async fn insert_template(c: &mut Conn<'_>, ctx: &Ctx, input: TemplateInput) -> Result<Template, StoreError> {
    let t = input.validate()?;
    let id = TemplateId::generate();
    let now = crate::clock::now();
    c.execute(
        "INSERT INTO templates (id, organization_id, name, description, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $5, $6)",
        crate::args![id, ctx.org(), t.name, t.description, now, ctx.actor()],
    )
    .await?;
    set_attributes(c, ctx, id, &t.attributes).await?;
    let created = one(c, ctx, id).await?;
    audit::record(
        c,
        ctx,
        vec![Change::created(Entity::Template, id.0, created.snapshot())],
    )
    .await?;
    Ok(created)
}

impl Store {
    /// Creates a template naming attributes of the organization.
    pub async fn create_template(&self, ctx: &Ctx, input: TemplateInput) -> Result<Template, StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let created = insert_template(&mut tx.conn(), ctx, input).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// A page of templates in creation order.
    pub async fn list_templates(
        &self,
        ctx: &Ctx,
        limit: u32,
        after: Option<TemplateId>,
    ) -> Result<Page<Template>, StoreError> {
        ctx.principal.require_secret()?;
        let limit = limit.clamp(1, MAX_LIMIT);
        let mut pc = self.db.acquire().await?;
        let items = templates_where(
            &mut pc.conn(),
            "WHERE organization_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            crate::args![ctx.org(), after.map(|a| a.0).unwrap_or_default(), i64::from(limit) + 1],
        )
        .await?;
        Ok(Page::from_overfetch(items, limit, |t| t.id.to_string(), None))
    }

    /// One template with its attributes.
    pub async fn get_template(&self, ctx: &Ctx, id: TemplateId) -> Result<Template, StoreError> {
        ctx.principal.require_secret()?;
        let mut pc = self.db.acquire().await?;
        one(&mut pc.conn(), ctx, id).await
    }

    /// Renames a template, changes its description, or replaces its attribute list, when it
    /// meets `pre`.
    pub async fn update_template(
        &self,
        ctx: &Ctx,
        id: TemplateId,
        pre: Option<&Precondition>,
        name: Option<String>,
        description: Patch<String>,
        attributes: Option<Vec<TemplateAttributeInput>>,
    ) -> Result<Template, StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let before = to_change(&mut c, ctx, id, pre).await?;
        let checked = TemplateInput {
            name: name.unwrap_or_else(|| before.name.clone()),
            description: description.apply(before.description.clone()),
            attributes: attributes.clone().unwrap_or_default(),
        }
        .validate()?;
        update_row(
            &mut c,
            ctx,
            "templates",
            id.0,
            &["name", "description"],
            crate::args![checked.name, checked.description],
        )
        .await?;
        if attributes.is_some() {
            set_attributes(&mut c, ctx, id, &checked.attributes).await?;
        }
        let after = one(&mut c, ctx, id).await?;
        record_update(
            &mut c,
            ctx,
            Entity::Template,
            id.0,
            &before.snapshot(),
            &after.snapshot(),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes a template no product uses (otherwise 409), when it meets `pre`.
    pub async fn delete_template(
        &self,
        ctx: &Ctx,
        id: TemplateId,
        pre: Option<&Precondition>,
    ) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let before = to_change(&mut c, ctx, id, pre).await?;
        refuse_while(
            &mut c,
            "SELECT 1 AS one FROM products WHERE template_id = $1 LIMIT 1",
            id,
            codes::IN_USE,
            "Cannot delete: products use this template; change their template first",
        )
        .await?;
        delete_recorded(&mut c, ctx, "templates", Entity::Template, id.0, &before.snapshot()).await?;
        tx.commit().await?;
        Ok(())
    }
}
