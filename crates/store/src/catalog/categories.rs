//! Categories: a tree of any depth per organization, kept as materialized paths so that a
//! subtree is one index range.

use super::extended::write_extensions;
use super::numbers::{self, Numbered};
use super::removal::{delete_recorded, refuse_while};
use super::update_recorded::update_recorded;
use crate::Store;
use crate::audit;
use crate::db::{Conn, Row, Val};
use crate::error::StoreError;
use crate::page::{MAX_LIMIT, Page};
use pimento_core::audit::Change;
use pimento_core::auth::Ctx;
use pimento_core::error::codes;
use pimento_core::extension::{ExtensionPatch, Extensions};
use pimento_core::ids::CategoryId;
use pimento_core::patch::Patch;
use pimento_core::taxonomy::{Category, CategoryInput, CategoryPatch, category_path, check_depth, check_move};
use pimento_core::version::{self, Precondition, Version};
use pimento_core::{CoreError, Entity};

const COLUMNS: &str = "id, organization_id, number, parent_id, name, slug, description, path, depth, \
created_at, created_by, updated_at, updated_by, extensions, version";

/// Which categories a list shows.
#[derive(Debug, Clone, Copy, Default)]
pub enum ParentFilter {
    /// Every category.
    #[default]
    Any,
    /// Root categories only.
    Root,
    /// The direct children of one category.
    Of(CategoryId),
}

/// Which categories a counted list shows, `offset` in, by creation: those under `parent`,
/// whose name or slug contains `q` (ignoring case), narrowed by each list given (an empty list
/// selects nothing).
#[derive(Debug, Clone, Default)]
pub struct CategoryQuery {
    pub parent: ParentFilter,
    pub q: Option<String>,
    pub ids: Option<Vec<CategoryId>>,
    pub slugs: Option<Vec<String>>,
    pub limit: u32,
    pub offset: u64,
}

fn category(r: &Row) -> Result<Category, StoreError> {
    Ok(Category {
        id: r.id("id")?,
        organization_id: r.id("organization_id")?,
        number: r.get("number")?,
        parent_id: r.opt_id("parent_id")?,
        name: r.get("name")?,
        slug: r.get("slug")?,
        description: r.get("description")?,
        path: r.get("path")?,
        depth: r.get("depth")?,
        created_at: r.get("created_at")?,
        created_by: r.get("created_by")?,
        updated_at: r.get("updated_at")?,
        updated_by: r.get("updated_by")?,
        extensions: Extensions::from_json(r.json("extensions")?),
        version: Version(r.get("version")?),
    })
}

async fn find(c: &mut Conn<'_>, ctx: &Ctx, id: CategoryId) -> Result<Option<Category>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM categories WHERE organization_id = $1 AND id = $2");
    c.fetch_optional(sql, crate::args![ctx.org(), id])
        .await?
        .map(|r| category(&r))
        .transpose()
}

/// The category a write changes, locked as it is read ([`super::guard::for_update`]), once it
/// meets `pre`.
async fn to_change(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: CategoryId,
    pre: Option<&Precondition>,
) -> Result<Category, StoreError> {
    let lock = super::guard::for_update(c);
    let sql = format!("SELECT {COLUMNS} FROM categories WHERE organization_id = $1 AND id = $2{lock}");
    let found = c
        .fetch_optional(sql, crate::args![ctx.org(), id])
        .await?
        .map(|r| category(&r))
        .transpose()?
        .ok_or(CoreError::NotFound(Entity::Category))?;
    version::check(pre, Entity::Category, found.version)?;
    Ok(found)
}

async fn one(c: &mut Conn<'_>, ctx: &Ctx, id: CategoryId) -> Result<Category, StoreError> {
    find(c, ctx, id)
        .await?
        .ok_or_else(|| CoreError::NotFound(Entity::Category).into())
}

/// A parent named in a request: it must be a category of the caller's organization.
async fn parent(c: &mut Conn<'_>, ctx: &Ctx, id: CategoryId) -> Result<Category, StoreError> {
    find(c, ctx, id)
        .await?
        .ok_or_else(|| CoreError::invalid("parent_id", "no such category in this organization").into())
}

/// The exclusive upper bound of the paths under `path` (`…/` sorts just before `…0`).
fn subtree_end(path: &str) -> String {
    format!("{}0", path.trim_end_matches('/'))
}

/// Creates a Category inside the caller's transaction.
pub(super) async fn insert_category(c: &mut Conn<'_>, ctx: &Ctx, input: CategoryInput) -> Result<Category, StoreError> {
    let new = input.validate()?;
    let id = CategoryId::generate();
    let now = crate::clock::now();
    let parent = match new.parent_id {
        Some(p) => Some(parent(c, ctx, p).await?),
        None => None,
    };
    check_depth(parent.as_ref(), 0)?;
    let created = Category {
        id,
        organization_id: ctx.org(),
        number: numbers::take_one(c, ctx.org(), Numbered::Category).await?,
        parent_id: new.parent_id,
        name: new.name,
        slug: new.slug,
        description: new.description,
        path: category_path(parent.as_ref().map(|p| p.path.as_str()), id),
        depth: parent.as_ref().map_or(0, |p| p.depth + 1),
        created_at: now,
        created_by: ctx.actor().to_owned(),
        updated_at: now,
        updated_by: ctx.actor().to_owned(),
        extensions: Extensions::default(),
        version: Version(1),
    };
    c.execute(
        "INSERT INTO categories (id, organization_id, parent_id, name, slug, description, path, depth, \
         created_at, created_by, updated_at, updated_by, number) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $10, $11)",
        crate::args![
            id,
            ctx.org(),
            created.parent_id,
            created.name.clone(),
            created.slug.clone(),
            created.description.clone(),
            created.path.clone(),
            created.depth,
            now,
            ctx.actor(),
            created.number,
        ],
    )
    .await?;
    audit::record(
        c,
        ctx,
        vec![Change::created(Entity::Category, id.0, created.snapshot())],
    )
    .await?;
    Ok(created)
}

impl Store {
    /// Creates a category, under a parent of the same organization when one is given.
    pub async fn create_category(&self, ctx: &Ctx, input: CategoryInput) -> Result<Category, StoreError> {
        self.create_category_extended(ctx, input, None).await
    }

    /// [`Store::create_category`], keeping an API's own fields of it in the same transaction.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn create_category_extended(
        &self,
        ctx: &Ctx,
        input: CategoryInput,
        extension: Option<ExtensionPatch>,
    ) -> Result<Category, StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let mut created = insert_category(&mut c, ctx, input).await?;
        let id = created.id.0;
        write_extensions(
            &mut c,
            ctx,
            "categories",
            Entity::Category,
            id,
            &mut created.extensions,
            extension,
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// A page of categories in creation order.
    pub async fn list_categories(
        &self,
        ctx: &Ctx,
        parent: ParentFilter,
        limit: u32,
        after: Option<CategoryId>,
    ) -> Result<Page<Category>, StoreError> {
        ctx.principal.require_secret()?;
        let limit = limit.clamp(1, MAX_LIMIT);
        let mut sql = format!("SELECT {COLUMNS} FROM categories WHERE organization_id = $1 AND id > $2");
        let mut args = crate::args![ctx.org(), after.map(|a| a.0).unwrap_or_default()];
        match parent {
            ParentFilter::Any => {}
            ParentFilter::Root => sql.push_str(" AND parent_id IS NULL"),
            ParentFilter::Of(p) => {
                args.push(Val::from(p));
                sql.push_str(" AND parent_id = $3");
            }
        }
        args.push(Val::from(i64::from(limit) + 1));
        sql.push_str(&format!(" ORDER BY id LIMIT ${}", args.len()));
        let mut pc = self.db.acquire().await?;
        let items = pc
            .conn()
            .fetch_all(sql, args)
            .await?
            .iter()
            .map(category)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(items, limit, |c| c.id.to_string(), None))
    }

    /// A counted page of categories in creation order, `offset` in.
    pub async fn find_categories(&self, ctx: &Ctx, q: &CategoryQuery) -> Result<Page<Category>, StoreError> {
        ctx.principal.require_secret()?;
        let mut filter = "WHERE organization_id = $1".to_owned();
        let mut args = crate::args![ctx.org()];
        match q.parent {
            ParentFilter::Any => {}
            ParentFilter::Root => filter.push_str(" AND parent_id IS NULL"),
            ParentFilter::Of(p) => {
                args.push(Val::from(p));
                filter.push_str(&format!(" AND parent_id = ${}", args.len()));
            }
        }
        if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            args.push(Val::from(crate::db::like_pattern(text)));
            let n = args.len();
            filter.push_str(&format!(
                " AND (lower(name) LIKE lower(${n}) ESCAPE '\\' OR lower(slug) LIKE lower(${n}) ESCAPE '\\')"
            ));
        }
        let lists = [
            (
                "id",
                q.ids
                    .as_ref()
                    .map(|l| l.iter().map(|i| Val::from(*i)).collect::<Vec<_>>()),
            ),
            (
                "slug",
                q.slugs
                    .as_ref()
                    .map(|l| l.iter().map(|s| Val::from(s.as_str())).collect()),
            ),
        ];
        for (col, values) in lists {
            let Some(values) = values else { continue };
            if values.is_empty() {
                filter.push_str(" AND 1 = 0");
                continue;
            }
            let start = args.len() + 1;
            let n = values.len();
            args.extend(values);
            filter.push_str(&format!(" AND {col} IN ({})", crate::db::placeholders(start, n)));
        }
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        let total: i64 = c
            .fetch_one(format!("SELECT COUNT(*) AS n FROM categories {filter}"), args.clone())
            .await?
            .get("n")?;
        let n = args.len();
        args.push(Val::from(i64::from(q.limit.clamp(1, MAX_LIMIT))));
        args.push(Val::from(i64::try_from(q.offset).unwrap_or(i64::MAX)));
        let sql = format!(
            "SELECT {COLUMNS} FROM categories {filter} ORDER BY id LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let items = c
            .fetch_all(sql, args)
            .await?
            .iter()
            .map(category)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page {
            items,
            next_cursor: None,
            total: Some(total),
        })
    }

    /// One category.
    pub async fn get_category(&self, ctx: &Ctx, id: CategoryId) -> Result<Category, StoreError> {
        ctx.principal.require_secret()?;
        let mut pc = self.db.acquire().await?;
        one(&mut pc.conn(), ctx, id).await
    }

    /// Renames, re-slugs or moves a category, when it meets `pre`; a move carries its whole
    /// subtree along.
    pub async fn update_category(
        &self,
        ctx: &Ctx,
        id: CategoryId,
        pre: Option<&Precondition>,
        patch: CategoryPatch,
    ) -> Result<Category, StoreError> {
        self.update_category_extended(ctx, id, pre, patch, None).await
    }

    /// [`Store::update_category`], changing an API's own fields of it in the same transaction.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn update_category_extended(
        &self,
        ctx: &Ctx,
        id: CategoryId,
        pre: Option<&Precondition>,
        patch: CategoryPatch,
        extension: Option<ExtensionPatch>,
    ) -> Result<Category, StoreError> {
        ctx.principal.require_secret()?;
        let patch = patch.validate()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let before = to_change(&mut c, ctx, id, pre).await?;
        let mut after = before.clone();
        if let Some(n) = patch.name {
            after.name = n;
        }
        if let Some(s) = patch.slug {
            after.slug = s;
        }
        after.description = patch.description.apply(after.description);
        let moved = match patch.parent_id {
            Patch::Keep => false,
            Patch::Clear => before.parent_id.is_some(),
            Patch::Set(p) => before.parent_id != Some(p),
        };
        if moved {
            let new_parent = match patch.parent_id {
                Patch::Set(p) => Some(parent(&mut c, ctx, p).await?),
                _ => None,
            };
            let height = c
                .fetch_one(
                    "SELECT COALESCE(MAX(depth), 0) AS d FROM categories WHERE organization_id = $1 AND path >= $2 AND path < $3",
                    crate::args![ctx.org(), before.path.clone(), subtree_end(&before.path)],
                )
                .await?
                .get::<i64>("d")?
                - before.depth;
            check_move(&before, new_parent.as_ref(), height)?;
            after.parent_id = new_parent.as_ref().map(|p| p.id);
            after.path = category_path(new_parent.as_ref().map(|p| p.path.as_str()), id);
            after.depth = new_parent.as_ref().map_or(0, |p| p.depth + 1);
            // Every descendant's path starts with the old path: swap that prefix.
            c.execute(
                "UPDATE categories SET path = $1 || substr(path, CAST($2 AS INTEGER)), depth = depth + $3 \
                 WHERE organization_id = $4 AND path >= $5 AND path < $6",
                crate::args![
                    after.path.clone(),
                    before.path.len() as i64 + 1,
                    after.depth - before.depth,
                    ctx.org(),
                    before.path.clone(),
                    subtree_end(&before.path),
                ],
            )
            .await?;
        }
        after.updated_by = ctx.actor().to_owned();
        // The one statement below that moves the version moves it by one.
        after.version = Version(before.version.0 + 1);
        after.updated_at = update_recorded(
            &mut c,
            ctx,
            "categories",
            Entity::Category,
            id.0,
            &["name", "slug", "description", "parent_id"],
            crate::args![
                after.name.clone(),
                after.slug.clone(),
                after.description.clone(),
                after.parent_id
            ],
            (&before.snapshot(), &after.snapshot()),
        )
        .await?;
        write_extensions(
            &mut c,
            ctx,
            "categories",
            Entity::Category,
            id.0,
            &mut after.extensions,
            extension,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes a category that has no subcategories and no products (otherwise 409), when it
    /// meets `pre`.
    pub async fn delete_category(
        &self,
        ctx: &Ctx,
        id: CategoryId,
        pre: Option<&Precondition>,
    ) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let before = to_change(&mut c, ctx, id, pre).await?;
        refuse_while(
            &mut c,
            "SELECT 1 AS one FROM categories WHERE parent_id = $1 LIMIT 1",
            id,
            codes::CATEGORY_HAS_CHILDREN,
            "Cannot delete: the category has subcategories; move or delete them first",
        )
        .await?;
        refuse_while(
            &mut c,
            "SELECT 1 AS one FROM products WHERE category_id = $1 LIMIT 1",
            id,
            codes::IN_USE,
            "Cannot delete: products are in this category; move them first",
        )
        .await?;
        delete_recorded(&mut c, ctx, "categories", Entity::Category, id.0, &before.snapshot()).await?;
        tx.commit().await?;
        Ok(())
    }
}
