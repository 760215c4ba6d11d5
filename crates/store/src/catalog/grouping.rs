//! What groups products besides categories: collections, product types and tags. Types and
//! tags are both labels (a value unique in the organization) and share one implementation.

use super::update_recorded::update_recorded;
use crate::Store;
use crate::audit;
use crate::db::{Conn, Row, Val};
use crate::error::StoreError;
use crate::page::{MAX_LIMIT, Page};
use crate::rows::{LABEL_COLUMNS, label};
use chrono::Utc;
use pimento_core::audit::Change;
use pimento_core::auth::Ctx;
use pimento_core::collection::{Collection, CollectionInput, CollectionPatch};
use pimento_core::ids::{CollectionId, ProductTypeId, TagId};
use pimento_core::label::{Label, LabelInput, LabelPatch};
use pimento_core::version::{self, Precondition, Version};
use pimento_core::{CoreError, Entity};
use uuid::Uuid;

/// Which collections, types or tags a list shows: those whose value (title) contains `q`,
/// ignoring case, `offset` in, by creation. Each list given narrows to its entries (an empty
/// list selects nothing).
#[derive(Debug, Clone, Default)]
pub struct GroupingQuery {
    pub q: Option<String>,
    /// Only these ids.
    pub ids: Option<Vec<Uuid>>,
    /// Only these values (a collection's title), exactly.
    pub values: Option<Vec<String>>,
    /// Only these handles; collections only (types and tags have none, and refuse it).
    pub handles: Option<Vec<String>>,
    pub limit: u32,
    pub offset: u64,
}

/// A label table: tags or product types.
pub trait LabelKind: Copy + From<Uuid> + Send + Sync + 'static {
    /// The id itself.
    fn uuid(self) -> Uuid;
    /// The table.
    const TABLE: &'static str;
    /// What audit events and not-found errors name.
    const ENTITY: Entity;
    /// Detaches the label from every product, marking them changed: `$1` the label, `$2` now,
    /// `$3` the actor.
    const DETACH: &'static str;
}

impl LabelKind for TagId {
    fn uuid(self) -> Uuid {
        self.0
    }
    const TABLE: &'static str = "tags";
    const ENTITY: Entity = Entity::Tag;
    const DETACH: &'static str = "UPDATE products SET updated_at = $2, updated_by = $3, version = version + 1 \
        WHERE id IN (SELECT product_id FROM product_tags WHERE tag_id = $1)";
}

impl LabelKind for ProductTypeId {
    fn uuid(self) -> Uuid {
        self.0
    }
    const TABLE: &'static str = "product_types";
    const ENTITY: Entity = Entity::ProductType;
    const DETACH: &'static str = "UPDATE products SET type_id = NULL, updated_at = $2, updated_by = $3, version = version + 1 WHERE type_id = $1";
}

/// `col IN ($n, …)` over `values`, appended to `sql` and `args`; an empty list selects nothing.
fn push_in(sql: &mut String, args: &mut Vec<Val>, col: &str, values: Vec<Val>) {
    if values.is_empty() {
        sql.push_str(" AND 1 = 0");
        return;
    }
    let start = args.len() + 1;
    let n = values.len();
    args.extend(values);
    sql.push_str(&format!(" AND t.{col} IN ({})", crate::db::placeholders(start, n)));
}

/// `WHERE …` and its arguments for a grouping list of the caller's organization; `handle` is
/// the handle column, where the table has one.
fn list_filter(
    ctx: &Ctx,
    column: &str,
    handle: Option<&str>,
    q: &GroupingQuery,
) -> Result<(String, Vec<Val>), StoreError> {
    let mut args = crate::args![ctx.org()];
    let mut sql = "WHERE t.organization_id = $1".to_owned();
    if let Some(q) = q.q.as_deref().filter(|q| !q.trim().is_empty()) {
        args.push(Val::from(crate::db::like_pattern(q.trim())));
        sql.push_str(&format!(" AND lower(t.{column}) LIKE lower($2) ESCAPE '\\'"));
    }
    if let Some(ids) = &q.ids {
        push_in(&mut sql, &mut args, "id", ids.iter().map(|id| Val::from(*id)).collect());
    }
    if let Some(values) = &q.values {
        push_in(
            &mut sql,
            &mut args,
            column,
            values.iter().map(|v| Val::from(v.as_str())).collect(),
        );
    }
    if let Some(handles) = &q.handles {
        let Some(col) = handle else {
            return Err(CoreError::invalid("handle", "types and tags have no handle to filter by").into());
        };
        push_in(
            &mut sql,
            &mut args,
            col,
            handles.iter().map(|h| Val::from(h.as_str())).collect(),
        );
    }
    Ok((sql, args))
}

async fn listed<T>(
    c: &mut Conn<'_>,
    columns: &str,
    table: &str,
    (filter, mut args): (String, Vec<Val>),
    q: &GroupingQuery,
    read: impl Fn(&Row) -> Result<T, StoreError>,
) -> Result<Page<T>, StoreError> {
    let count_sql = format!("SELECT COUNT(*) AS n FROM {table} t {filter}");
    let total: i64 = c.fetch_one(count_sql, args.clone()).await?.get("n")?;
    let n = args.len();
    args.push(Val::from(i64::from(q.limit.clamp(1, MAX_LIMIT))));
    args.push(Val::from(i64::try_from(q.offset).unwrap_or(i64::MAX)));
    let sql = format!(
        "SELECT {columns} FROM {table} t {filter} ORDER BY t.id LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let items = c
        .fetch_all(sql, args)
        .await?
        .iter()
        .map(read)
        .collect::<Result<_, _>>()?;
    Ok(Page {
        items,
        next_cursor: None,
        total: Some(total),
    })
}

/// One label of the organization; `lock` is [`super::guard::for_update`]'s suffix or "".
async fn one_label<Id: LabelKind>(c: &mut Conn<'_>, ctx: &Ctx, id: Id, lock: &str) -> Result<Label<Id>, StoreError> {
    let sql = format!(
        "SELECT {LABEL_COLUMNS} FROM {} t WHERE t.organization_id = $1 AND t.id = $2{lock}",
        Id::TABLE
    );
    c.fetch_optional(sql, crate::args![ctx.org(), id.uuid()])
        .await?
        .map(|r| label(&r))
        .transpose()?
        .ok_or_else(|| CoreError::NotFound(Id::ENTITY).into())
}

impl Store {
    /// Creates a tag or product type; values are unique in the organization.
    pub async fn create_label<Id: LabelKind>(&self, ctx: &Ctx, input: LabelInput) -> Result<Label<Id>, StoreError> {
        ctx.principal.require_secret()?;
        let l = input.validate()?;
        let now = crate::clock::now();
        let created = Label {
            id: Id::from(Uuid::now_v7()),
            organization_id: ctx.org(),
            value: l.value,
            metadata: l.metadata,
            created_at: now,
            created_by: ctx.actor().to_owned(),
            updated_at: now,
            updated_by: ctx.actor().to_owned(),
            version: Version(1),
        };
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let sql = format!(
            "INSERT INTO {} (id, organization_id, value, metadata, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $5, $6)",
            Id::TABLE
        );
        c.execute(
            sql,
            crate::args![
                created.id.uuid(),
                ctx.org(),
                created.value.clone(),
                created.metadata.clone(),
                now,
                ctx.actor()
            ],
        )
        .await?;
        audit::record(
            &mut c,
            ctx,
            vec![Change::created(Id::ENTITY, created.id.uuid(), created.snapshot())],
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// One tag or product type.
    pub async fn get_label<Id: LabelKind>(&self, ctx: &Ctx, id: Id) -> Result<Label<Id>, StoreError> {
        let mut pc = self.db.acquire().await?;
        one_label(&mut pc.conn(), ctx, id, "").await
    }

    /// A page of tags or product types, by creation.
    pub async fn list_labels<Id: LabelKind>(
        &self,
        ctx: &Ctx,
        q: &GroupingQuery,
    ) -> Result<Page<Label<Id>>, StoreError> {
        let mut pc = self.db.acquire().await?;
        listed(
            &mut pc.conn(),
            LABEL_COLUMNS,
            Id::TABLE,
            list_filter(ctx, "value", None, q)?,
            q,
            label,
        )
        .await
    }

    /// Changes the fields present, when the label meets `pre`.
    pub async fn update_label<Id: LabelKind>(
        &self,
        ctx: &Ctx,
        id: Id,
        pre: Option<&Precondition>,
        patch: LabelPatch,
    ) -> Result<Label<Id>, StoreError> {
        ctx.principal.require_secret()?;
        let patch = patch.validate()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let lock = super::guard::for_update(&c);
        let before = one_label(&mut c, ctx, id, lock).await?;
        version::check(pre, Id::ENTITY, before.version)?;
        let mut after = before.clone();
        patch.apply(&mut after);
        after.updated_by = ctx.actor().to_owned();
        // The one statement below that moves the version moves it by one.
        after.version = Version(before.version.0 + 1);
        after.updated_at = update_recorded(
            &mut c,
            ctx,
            Id::TABLE,
            Id::ENTITY,
            id.uuid(),
            &["value", "metadata"],
            crate::args![after.value.clone(), after.metadata.clone()],
            (&before.snapshot(), &after.snapshot()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes a tag or product type, when it meets `pre`; the products that carried it lose it.
    pub async fn delete_label<Id: LabelKind>(
        &self,
        ctx: &Ctx,
        id: Id,
        pre: Option<&Precondition>,
    ) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let lock = super::guard::for_update(&c);
        let before = one_label(&mut c, ctx, id, lock).await?;
        version::check(pre, Id::ENTITY, before.version)?;
        c.execute(Id::DETACH, crate::args![id.uuid(), Utc::now(), ctx.actor()])
            .await?;
        super::removal::delete_recorded(&mut c, ctx, Id::TABLE, Id::ENTITY, id.uuid(), &before.snapshot()).await?;
        tx.commit().await?;
        Ok(())
    }
}

const COLLECTION_COLUMNS: &str = "t.id, t.organization_id, t.title, t.handle, t.metadata, t.created_at, t.created_by, \
    t.updated_at, t.updated_by, t.version";

fn collection(r: &Row) -> Result<Collection, StoreError> {
    Ok(Collection {
        id: r.id("id")?,
        organization_id: r.id("organization_id")?,
        title: r.get("title")?,
        handle: r.get("handle")?,
        metadata: r.json("metadata")?,
        created_at: r.get("created_at")?,
        created_by: r.get("created_by")?,
        updated_at: r.get("updated_at")?,
        updated_by: r.get("updated_by")?,
        version: Version(r.get("version")?),
    })
}

/// One collection of the organization; `lock` is [`super::guard::for_update`]'s suffix or "".
async fn one_collection(c: &mut Conn<'_>, ctx: &Ctx, id: CollectionId, lock: &str) -> Result<Collection, StoreError> {
    let sql =
        format!("SELECT {COLLECTION_COLUMNS} FROM collections t WHERE t.organization_id = $1 AND t.id = $2{lock}");
    c.fetch_optional(sql, crate::args![ctx.org(), id])
        .await?
        .map(|r| collection(&r))
        .transpose()?
        .ok_or_else(|| CoreError::NotFound(Entity::Collection).into())
}

impl Store {
    /// Creates a collection; handles are unique in the organization.
    pub async fn create_collection(&self, ctx: &Ctx, input: CollectionInput) -> Result<Collection, StoreError> {
        ctx.principal.require_secret()?;
        let i = input.validate()?;
        let now = crate::clock::now();
        let created = Collection {
            id: CollectionId::generate(),
            organization_id: ctx.org(),
            title: i.title,
            handle: i.handle.unwrap_or_default(),
            metadata: i.metadata,
            created_at: now,
            created_by: ctx.actor().to_owned(),
            updated_at: now,
            updated_by: ctx.actor().to_owned(),
            version: Version(1),
        };
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        c.execute(
            "INSERT INTO collections (id, organization_id, title, handle, metadata, created_at, created_by, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $7)",
            crate::args![
                created.id,
                ctx.org(),
                created.title.clone(),
                created.handle.clone(),
                created.metadata.clone(),
                now,
                ctx.actor()
            ],
        )
        .await?;
        audit::record(
            &mut c,
            ctx,
            vec![Change::created(Entity::Collection, created.id.0, created.snapshot())],
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// One collection.
    pub async fn get_collection(&self, ctx: &Ctx, id: CollectionId) -> Result<Collection, StoreError> {
        let mut pc = self.db.acquire().await?;
        one_collection(&mut pc.conn(), ctx, id, "").await
    }

    /// A page of collections, by creation.
    pub async fn list_collections(&self, ctx: &Ctx, q: &GroupingQuery) -> Result<Page<Collection>, StoreError> {
        let mut pc = self.db.acquire().await?;
        listed(
            &mut pc.conn(),
            COLLECTION_COLUMNS,
            "collections",
            list_filter(ctx, "title", Some("handle"), q)?,
            q,
            collection,
        )
        .await
    }

    /// Changes the fields present, when the collection meets `pre`.
    pub async fn update_collection(
        &self,
        ctx: &Ctx,
        id: CollectionId,
        pre: Option<&Precondition>,
        patch: CollectionPatch,
    ) -> Result<Collection, StoreError> {
        ctx.principal.require_secret()?;
        let patch = patch.validate()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let lock = super::guard::for_update(&c);
        let before = one_collection(&mut c, ctx, id, lock).await?;
        version::check(pre, Entity::Collection, before.version)?;
        let mut after = before.clone();
        patch.apply(&mut after);
        after.updated_by = ctx.actor().to_owned();
        // The one statement below that moves the version moves it by one.
        after.version = Version(before.version.0 + 1);
        after.updated_at = update_recorded(
            &mut c,
            ctx,
            "collections",
            Entity::Collection,
            id.0,
            &["title", "handle", "metadata"],
            crate::args![after.title.clone(), after.handle.clone(), after.metadata.clone()],
            (&before.snapshot(), &after.snapshot()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes a collection, when it meets `pre`; its products leave it.
    pub async fn delete_collection(
        &self,
        ctx: &Ctx,
        id: CollectionId,
        pre: Option<&Precondition>,
    ) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let lock = super::guard::for_update(&c);
        let before = one_collection(&mut c, ctx, id, lock).await?;
        version::check(pre, Entity::Collection, before.version)?;
        c.execute(
            "UPDATE products SET collection_id = NULL, updated_at = $2, updated_by = $3, version = version + 1 WHERE collection_id = $1",
            crate::args![id, Utc::now(), ctx.actor()],
        )
        .await?;
        super::removal::delete_recorded(&mut c, ctx, "collections", Entity::Collection, id.0, &before.snapshot())
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
