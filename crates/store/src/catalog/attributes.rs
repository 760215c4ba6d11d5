//! Attribute definitions: typed (TEXT, NUMBER, BOOLEAN, SELECT), keyed, optionally grouped.

use super::extended::write_extensions;
use super::numbers::{self, Numbered};
use super::removal::{delete_recorded, refuse_while};
use super::update_recorded::update_recorded;
use crate::Store;
use crate::audit;
use crate::db::{Backend, Conn, Row, Val, placeholders};
use crate::error::StoreError;
use crate::page::{MAX_LIMIT, Page};
use pimento_core::attribute::{
    Attribute, AttributeInput, AttributePatch, AttributeType, DeletedValues, RemovedOptions, value_changes,
};
use pimento_core::audit::{Action, Change};
use pimento_core::auth::Ctx;
use pimento_core::error::codes;
use pimento_core::extension::{ExtensionPatch, Extensions};
use pimento_core::ids::{AttributeGroupId, AttributeId, OrganizationId};
use pimento_core::patch::Patch;
use pimento_core::version::{self, Precondition, Version};
use pimento_core::{CoreError, Entity};
use std::collections::HashMap;

pub(super) const COLUMNS: &str = "a.id, a.organization_id, a.number, a.key, a.name, a.type, a.options, a.group_id, \
a.created_at, a.created_by, a.updated_at, a.updated_by, a.extensions, a.version";

pub(super) fn attribute(r: &Row) -> Result<Attribute, StoreError> {
    let t: String = r.get("type")?;
    let options = match r.json("options")? {
        Some(v) => serde_json::from_value(v).map_err(|e| StoreError::Corrupt(format!("attribute options: {e}")))?,
        None => Vec::new(),
    };
    Ok(Attribute {
        id: r.id("id")?,
        organization_id: r.id("organization_id")?,
        number: r.get("number")?,
        key: r.get("key")?,
        name: r.get("name")?,
        attr_type: AttributeType::parse("type", &t).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        options,
        group_id: r.opt_id("group_id")?,
        created_at: r.get("created_at")?,
        created_by: r.get("created_by")?,
        updated_at: r.get("updated_at")?,
        updated_by: r.get("updated_by")?,
        extensions: Extensions::from_json(r.json("extensions")?),
        version: Version(r.get("version")?),
    })
}

/// Attributes selected by a `WHERE …` tail over `attributes a`.
pub(super) async fn attributes_where(
    c: &mut Conn<'_>,
    tail: &str,
    args: Vec<Val>,
) -> Result<Vec<Attribute>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM attributes a {tail}");
    c.fetch_all(sql, args).await?.iter().map(attribute).collect()
}

/// The organization's attributes with the given keys, by key.
pub(super) async fn attributes_by_key(
    c: &mut Conn<'_>,
    org: OrganizationId,
    keys: &[&str],
) -> Result<HashMap<String, Attribute>, StoreError> {
    let mut args = crate::args![org];
    args.extend(keys.iter().map(|k| Val::from(*k)));
    let tail = format!(
        "WHERE a.organization_id = $1 AND a.key IN ({})",
        placeholders(2, keys.len())
    );
    Ok(attributes_where(c, &tail, args)
        .await?
        .into_iter()
        .map(|a| (a.key.clone(), a))
        .collect())
}

async fn one(c: &mut Conn<'_>, ctx: &Ctx, id: AttributeId) -> Result<Attribute, StoreError> {
    find(c, ctx, id, "").await
}

async fn find(c: &mut Conn<'_>, ctx: &Ctx, id: AttributeId, lock: &str) -> Result<Attribute, StoreError> {
    attributes_where(
        c,
        &format!("WHERE a.organization_id = $1 AND a.id = $2{lock}"),
        crate::args![ctx.org(), id],
    )
    .await?
    .into_iter()
    .next()
    .ok_or_else(|| CoreError::NotFound(Entity::Attribute).into())
}

/// The attribute a write changes, locked as it is read ([`super::guard::for_update`]), once it
/// meets `pre`.
async fn to_change(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: AttributeId,
    pre: Option<&Precondition>,
) -> Result<Attribute, StoreError> {
    let lock = super::guard::for_update(c);
    let found = find(c, ctx, id, lock).await?;
    version::check(pre, Entity::Attribute, found.version)?;
    Ok(found)
}

/// A group named in a request: it must belong to the caller's organization.
async fn ensure_group(c: &mut Conn<'_>, ctx: &Ctx, id: AttributeGroupId) -> Result<(), StoreError> {
    c.fetch_optional(
        "SELECT 1 AS one FROM attribute_groups WHERE organization_id = $1 AND id = $2",
        crate::args![ctx.org(), id],
    )
    .await?
    .map(|_| ())
    .ok_or_else(|| CoreError::invalid("group_id", "no such attribute group in this organization").into())
}

fn options_json(a: &Attribute) -> Option<serde_json::Value> {
    (a.attr_type == AttributeType::Select).then(|| serde_json::json!(a.options))
}

/// Creates a Attribute inside the caller's transaction.
pub(super) async fn insert_attribute(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    input: AttributeInput,
) -> Result<Attribute, StoreError> {
    let a = input.validate()?;
    let now = crate::clock::now();
    let created = Attribute {
        id: AttributeId::generate(),
        organization_id: ctx.org(),
        number: numbers::take_one(c, ctx.org(), Numbered::Attribute).await?,
        key: a.key.unwrap_or_default(),
        name: a.name,
        attr_type: a.attr_type,
        options: a.options,
        group_id: a.group_id,
        created_at: now,
        created_by: ctx.actor().to_owned(),
        updated_at: now,
        updated_by: ctx.actor().to_owned(),
        extensions: Extensions::default(),
        version: Version(1),
    };
    if let Some(g) = created.group_id {
        ensure_group(c, ctx, g).await?;
    }
    c.execute(
        "INSERT INTO attributes (id, organization_id, key, name, type, options, group_id, created_at, created_by, updated_at, updated_by, number) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9, $10)",
        crate::args![
            created.id,
            ctx.org(),
            created.key.clone(),
            created.name.clone(),
            created.attr_type.as_str(),
            options_json(&created),
            created.group_id,
            now,
            ctx.actor(),
            created.number,
        ],
    )
    .await?;
    audit::record(
        c,
        ctx,
        vec![Change::created(Entity::Attribute, created.id.0, created.snapshot())],
    )
    .await?;
    Ok(created)
}

/// Every product of the organization that holds a value of attribute `key` loses it; each change
/// is recorded with the value it had.
async fn clear_values(c: &mut Conn<'_>, ctx: &Ctx, key: &str) -> Result<(), StoreError> {
    let (find, clear, path) = match c.backend() {
        Backend::Sqlite => (
            "SELECT id, attributes -> $2 AS value FROM products \
             WHERE organization_id = $1 AND json_type(attributes, $2) IS NOT NULL",
            "UPDATE products SET attributes = CASE WHEN json_remove(attributes, $2) = '{}' THEN NULL \
                 ELSE json_remove(attributes, $2) END, updated_at = $3, updated_by = $4, version = version + 1 \
             WHERE organization_id = $1 AND json_type(attributes, $2) IS NOT NULL",
            format!("$.\"{}\"", key.replace('"', "")),
        ),
        Backend::Postgres => (
            "SELECT id, attributes -> $2::text AS value FROM products WHERE organization_id = $1 AND attributes ? $2::text",
            "UPDATE products SET attributes = NULLIF(attributes - $2::text, '{}'::jsonb), \
                 updated_at = $3, updated_by = $4, version = version + 1 \
             WHERE organization_id = $1 AND attributes ? $2::text",
            key.to_owned(),
        ),
    };
    let rows = c.fetch_all(find, crate::args![ctx.org(), path.clone()]).await?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut changes = Vec::with_capacity(rows.len());
    for r in &rows {
        let value = r.json("value")?.unwrap_or(serde_json::Value::Null);
        let before = serde_json::json!({"attributes": {key: value}});
        let after = serde_json::json!({"attributes": {key: null}});
        changes.push(Change::new(
            Entity::Product,
            r.id("id")?,
            Action::Update,
            &before,
            &after,
        ));
    }
    c.execute(clear, crate::args![ctx.org(), path, crate::clock::now(), ctx.actor()])
        .await?;
    audit::record(c, ctx, changes).await
}

/// Every product of the organization whose value of attribute `key` is `old` takes `new`, or
/// loses the value when there is none; each change is recorded.
async fn change_values(c: &mut Conn<'_>, ctx: &Ctx, key: &str, old: &str, new: Option<&str>) -> Result<(), StoreError> {
    let (find, set) = match c.backend() {
        Backend::Sqlite => (
            "SELECT id FROM products WHERE organization_id = $1 AND json_extract(attributes, $2) = $3",
            match new {
                Some(_) => {
                    "UPDATE products SET attributes = json_set(attributes, $2, $4), updated_at = $5, updated_by = $6, version = version + 1 \
                            WHERE organization_id = $1 AND json_extract(attributes, $2) = $3"
                }
                None => {
                    "UPDATE products SET attributes = CASE WHEN json_remove(attributes, $2) = '{}' THEN NULL \
                         ELSE json_remove(attributes, $2) END, updated_at = $5, updated_by = $6, version = version + 1 \
                         WHERE organization_id = $1 AND json_extract(attributes, $2) = $3 AND $4 IS NULL"
                }
            },
        ),
        Backend::Postgres => (
            "SELECT id FROM products WHERE organization_id = $1 AND attributes ->> $2::text = $3::text",
            match new {
                Some(_) => {
                    "UPDATE products SET attributes = jsonb_set(attributes, ARRAY[$2::text], to_jsonb($4::text)), \
                            updated_at = $5, updated_by = $6, version = version + 1 \
                            WHERE organization_id = $1 AND attributes ->> $2::text = $3::text"
                }
                None => {
                    "UPDATE products SET attributes = NULLIF(attributes - $2::text, '{}'::jsonb), \
                         updated_at = $5, updated_by = $6, version = version + 1 \
                         WHERE organization_id = $1 AND attributes ->> $2::text = $3::text AND $4::text IS NULL"
                }
            },
        ),
    };
    let path = match c.backend() {
        Backend::Sqlite => format!("$.\"{}\"", key.replace('"', "")),
        Backend::Postgres => key.to_owned(),
    };
    let ids: Vec<uuid::Uuid> = c
        .fetch_all(find, crate::args![ctx.org(), path.clone(), old])
        .await?
        .iter()
        .map(|r| r.id("id"))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(());
    }
    let now = crate::clock::now();
    c.execute(
        set,
        crate::args![ctx.org(), path, old, new.map(str::to_owned), now, ctx.actor()],
    )
    .await?;
    let before = serde_json::json!({"attributes": {key: old}});
    let after = serde_json::json!({"attributes": {key: new}});
    let changes = ids
        .into_iter()
        .map(|id| Change::new(Entity::Product, id, Action::Update, &before, &after))
        .collect();
    audit::record(c, ctx, changes).await
}

impl Store {
    /// Creates an attribute definition; keys are unique in the organization.
    pub async fn create_attribute(&self, ctx: &Ctx, input: AttributeInput) -> Result<Attribute, StoreError> {
        self.create_attribute_extended(ctx, input, None).await
    }

    /// [`Store::create_attribute`], keeping an API's own fields of it in the same transaction.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn create_attribute_extended(
        &self,
        ctx: &Ctx,
        input: AttributeInput,
        extension: Option<ExtensionPatch>,
    ) -> Result<Attribute, StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let mut created = insert_attribute(&mut c, ctx, input).await?;
        let id = created.id.0;
        write_extensions(
            &mut c,
            ctx,
            "attributes",
            Entity::Attribute,
            id,
            &mut created.extensions,
            extension,
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// A page of attributes in creation order, optionally of one group.
    pub async fn list_attributes(
        &self,
        ctx: &Ctx,
        group: Option<AttributeGroupId>,
        limit: u32,
        after: Option<AttributeId>,
    ) -> Result<Page<Attribute>, StoreError> {
        ctx.principal.require_secret()?;
        let limit = limit.clamp(1, MAX_LIMIT);
        let mut tail = String::from("WHERE a.organization_id = $1 AND a.id > $2");
        let mut args = crate::args![ctx.org(), after.map(|a| a.0).unwrap_or_default()];
        if let Some(g) = group {
            args.push(Val::from(g));
            tail.push_str(" AND a.group_id = $3");
        }
        args.push(Val::from(i64::from(limit) + 1));
        tail.push_str(&format!(" ORDER BY a.id LIMIT ${}", args.len()));
        let mut pc = self.db.acquire().await?;
        let items = attributes_where(&mut pc.conn(), &tail, args).await?;
        Ok(Page::from_overfetch(items, limit, |a| a.id.to_string(), None))
    }

    /// One attribute.
    pub async fn get_attribute(&self, ctx: &Ctx, id: AttributeId) -> Result<Attribute, StoreError> {
        ctx.principal.require_secret()?;
        let mut pc = self.db.acquire().await?;
        one(&mut pc.conn(), ctx, id).await
    }

    /// Renames an attribute, replaces a SELECT's options, or moves it to another group, when it
    /// meets `pre`. Values
    /// that a change of options leaves invalid are reported by the validation report.
    pub async fn update_attribute(
        &self,
        ctx: &Ctx,
        id: AttributeId,
        pre: Option<&Precondition>,
        patch: AttributePatch,
    ) -> Result<Attribute, StoreError> {
        self.update_attribute_extended(ctx, id, pre, patch, None, RemovedOptions::Stay)
            .await
    }

    /// [`Store::update_attribute`], changing an API's own fields of it, and doing with the
    /// products' values of the options it removes what `removed` says, in the same transaction.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn update_attribute_extended(
        &self,
        ctx: &Ctx,
        id: AttributeId,
        pre: Option<&Precondition>,
        patch: AttributePatch,
        extension: Option<ExtensionPatch>,
        removed: RemovedOptions,
    ) -> Result<Attribute, StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let before = to_change(&mut c, ctx, id, pre).await?;
        if let Patch::Set(g) = patch.group_id {
            ensure_group(&mut c, ctx, g).await?;
        }
        let mut after = before.patched(patch)?;
        after.updated_by = ctx.actor().to_owned();
        // The one statement below that moves the version moves it by one.
        after.version = Version(before.version.0 + 1);
        after.updated_at = update_recorded(
            &mut c,
            ctx,
            "attributes",
            Entity::Attribute,
            id.0,
            &["name", "options", "group_id"],
            crate::args![after.name.clone(), options_json(&after), after.group_id],
            (&before.snapshot(), &after.snapshot()),
        )
        .await?;
        if let RemovedOptions::Clear { renamed } = removed {
            for (old, new) in value_changes(&before, &after, &renamed)? {
                change_values(&mut c, ctx, &after.key, &old, new.as_deref()).await?;
            }
        }
        write_extensions(
            &mut c,
            ctx,
            "attributes",
            Entity::Attribute,
            id.0,
            &mut after.extensions,
            extension,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes an attribute no template names (otherwise 409), when it meets `pre`. The products'
    /// values for it stay, reported by the validation report, or are removed with it (`values`).
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn delete_attribute(
        &self,
        ctx: &Ctx,
        id: AttributeId,
        pre: Option<&Precondition>,
        values: DeletedValues,
    ) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let before = to_change(&mut c, ctx, id, pre).await?;
        refuse_while(
            &mut c,
            "SELECT 1 AS one FROM template_attributes WHERE attribute_id = $1 LIMIT 1",
            id,
            codes::IN_USE,
            "Cannot delete: a template uses this attribute; remove it from the template first",
        )
        .await?;
        delete_recorded(&mut c, ctx, "attributes", Entity::Attribute, id.0, &before.snapshot()).await?;
        if values == DeletedValues::Clear {
            clear_values(&mut c, ctx, &before.key).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
