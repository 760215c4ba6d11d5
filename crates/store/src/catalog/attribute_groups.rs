//! Attribute groups: named sets of attributes ("Dimensions", "Materials").

use super::removal::delete_recorded;
use super::update_recorded::{record_update, update_row};
use crate::Store;
use crate::audit;
use crate::db::{Conn, Row, Val, placeholders};
use crate::error::StoreError;
use crate::page::{MAX_LIMIT, Page};
use pimento_core::attribute::{AttributeGroup, AttributeGroupInput};
use pimento_core::audit::Change;
use pimento_core::auth::Ctx;
use pimento_core::ids::{AttributeGroupId, AttributeId};
use pimento_core::version::{self, Precondition, Version};
use pimento_core::{CoreError, Entity};
use std::collections::HashMap;

const COLUMNS: &str =
    "id, organization_id, name, description, rank, created_at, created_by, updated_at, updated_by, version";

fn group(r: &Row) -> Result<AttributeGroup, StoreError> {
    Ok(AttributeGroup {
        id: r.id("id")?,
        organization_id: r.id("organization_id")?,
        name: r.get("name")?,
        description: r.get("description")?,
        rank: r.get("rank")?,
        attribute_ids: Vec::new(),
        created_at: r.get("created_at")?,
        created_by: r.get("created_by")?,
        updated_at: r.get("updated_at")?,
        updated_by: r.get("updated_by")?,
        version: Version(r.get("version")?),
    })
}

/// Groups selected by a `WHERE …` tail, with their members.
async fn groups_where(c: &mut Conn<'_>, tail: &str, args: Vec<Val>) -> Result<Vec<AttributeGroup>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM attribute_groups {tail}");
    let mut groups = c
        .fetch_all(sql, args)
        .await?
        .iter()
        .map(group)
        .collect::<Result<Vec<_>, _>>()?;
    if groups.is_empty() {
        return Ok(groups);
    }
    let sql = format!(
        "SELECT id, group_id FROM attributes WHERE group_id IN ({}) ORDER BY id",
        placeholders(1, groups.len())
    );
    let mut members: HashMap<AttributeGroupId, Vec<AttributeId>> = HashMap::new();
    for r in c
        .fetch_all(sql, groups.iter().map(|g| Val::from(g.id)).collect())
        .await?
    {
        members.entry(r.id("group_id")?).or_default().push(r.id("id")?);
    }
    for g in &mut groups {
        g.attribute_ids = members.remove(&g.id).unwrap_or_default();
    }
    Ok(groups)
}

async fn one(c: &mut Conn<'_>, ctx: &Ctx, id: AttributeGroupId) -> Result<AttributeGroup, StoreError> {
    groups_where(c, "WHERE organization_id = $1 AND id = $2", crate::args![ctx.org(), id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| CoreError::NotFound(Entity::AttributeGroup).into())
}

/// The group a write changes, locked as it is read ([`super::guard::for_update`]), once it
/// meets `pre`.
async fn to_change(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: AttributeGroupId,
    pre: Option<&Precondition>,
) -> Result<AttributeGroup, StoreError> {
    let tail = format!("WHERE organization_id = $1 AND id = $2{}", super::guard::for_update(c));
    let found = groups_where(c, &tail, crate::args![ctx.org(), id])
        .await?
        .into_iter()
        .next()
        .ok_or(CoreError::NotFound(Entity::AttributeGroup))?;
    version::check(pre, Entity::AttributeGroup, found.version)?;
    Ok(found)
}

/// Makes `ids` exactly the members of the group: each must be an attribute of the organization.
async fn set_members(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    group: AttributeGroupId,
    ids: &[AttributeId],
) -> Result<(), StoreError> {
    c.execute(
        "UPDATE attributes SET group_id = NULL, version = version + 1 WHERE organization_id = $1 AND group_id = $2",
        crate::args![ctx.org(), group],
    )
    .await?;
    for (i, id) in ids.iter().enumerate() {
        let n = c
            .execute(
                "UPDATE attributes SET group_id = $1, version = version + 1 WHERE organization_id = $2 AND id = $3",
                crate::args![group, ctx.org(), *id],
            )
            .await?;
        if n == 0 {
            return Err(
                CoreError::invalid(format!("attribute_ids[{i}]"), "no such attribute in this organization").into(),
            );
        }
    }
    Ok(())
}

impl Store {
    /// Creates a group and moves the listed attributes into it.
    pub async fn create_attribute_group(
        &self,
        ctx: &Ctx,
        input: AttributeGroupInput,
    ) -> Result<AttributeGroup, StoreError> {
        ctx.principal.require_secret()?;
        let g = input.validate()?;
        let id = AttributeGroupId::generate();
        let now = crate::clock::now();
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let rank: i64 = c
            .fetch_one(
                "SELECT COALESCE(MAX(rank) + 1, 0) AS n FROM attribute_groups WHERE organization_id = $1",
                crate::args![ctx.org()],
            )
            .await?
            .get("n")?;
        c.execute(
            "INSERT INTO attribute_groups (id, organization_id, name, description, rank, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $7)",
            crate::args![id, ctx.org(), g.name, g.description, rank, now, ctx.actor()],
        )
        .await?;
        set_members(&mut c, ctx, id, &g.attribute_ids).await?;
        let created = one(&mut c, ctx, id).await?;
        audit::record(
            &mut c,
            ctx,
            vec![Change::created(Entity::AttributeGroup, id.0, created.snapshot())],
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// A page of groups in creation order.
    pub async fn list_attribute_groups(
        &self,
        ctx: &Ctx,
        limit: u32,
        after: Option<AttributeGroupId>,
    ) -> Result<Page<AttributeGroup>, StoreError> {
        ctx.principal.require_secret()?;
        let limit = limit.clamp(1, MAX_LIMIT);
        let mut pc = self.db.acquire().await?;
        let items = groups_where(
            &mut pc.conn(),
            "WHERE organization_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            crate::args![ctx.org(), after.map(|a| a.0).unwrap_or_default(), i64::from(limit) + 1],
        )
        .await?;
        Ok(Page::from_overfetch(items, limit, |g| g.id.to_string(), None))
    }

    /// One group with its members.
    pub async fn get_attribute_group(&self, ctx: &Ctx, id: AttributeGroupId) -> Result<AttributeGroup, StoreError> {
        ctx.principal.require_secret()?;
        let mut pc = self.db.acquire().await?;
        one(&mut pc.conn(), ctx, id).await
    }

    /// Renames a group, changes its description, or (with `attribute_ids`) replaces its members,
    /// when the group meets `pre`.
    pub async fn update_attribute_group(
        &self,
        ctx: &Ctx,
        id: AttributeGroupId,
        pre: Option<&Precondition>,
        name: Option<String>,
        description: pimento_core::patch::Patch<String>,
        attribute_ids: Option<Vec<AttributeId>>,
    ) -> Result<AttributeGroup, StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let before = to_change(&mut c, ctx, id, pre).await?;
        let checked = AttributeGroupInput {
            name: name.unwrap_or_else(|| before.name.clone()),
            description: description.apply(before.description.clone()),
            attribute_ids: attribute_ids.clone().unwrap_or_default(),
        }
        .validate()?;
        update_row(
            &mut c,
            ctx,
            "attribute_groups",
            id.0,
            &["name", "description"],
            crate::args![checked.name, checked.description],
        )
        .await?;
        if attribute_ids.is_some() {
            set_members(&mut c, ctx, id, &checked.attribute_ids).await?;
        }
        let after = one(&mut c, ctx, id).await?;
        record_update(
            &mut c,
            ctx,
            Entity::AttributeGroup,
            id.0,
            &before.snapshot(),
            &after.snapshot(),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes a group, when it meets `pre`; its attributes stay, ungrouped.
    pub async fn delete_attribute_group(
        &self,
        ctx: &Ctx,
        id: AttributeGroupId,
        pre: Option<&Precondition>,
    ) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let before = to_change(&mut c, ctx, id, pre).await?;
        c.execute(
            "UPDATE attributes SET group_id = NULL, version = version + 1 WHERE organization_id = $1 AND group_id = $2",
            crate::args![ctx.org(), id],
        )
        .await?;
        delete_recorded(
            &mut c,
            ctx,
            "attribute_groups",
            Entity::AttributeGroup,
            id.0,
            &before.snapshot(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
