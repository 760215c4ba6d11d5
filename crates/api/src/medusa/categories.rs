//! `/admin/product-categories` and `/admin/product-categories/{id}`: list, create, read,
//! update, delete, over the catalog's category tree.
//!
//! The catalog's category has a name, a slug (Medusa's `handle`), a description and a parent.
//! Medusa's other fields are answered from what the catalog does keep, and a request that
//! would set them otherwise is refused (400), never dropped:
//! - `is_active`: every category is in use here, so it is `true`; `false` is refused. (Medusa
//!   makes new categories inactive unless told otherwise.)
//! - `is_internal`: nothing is internal here, so it is `false`; `true` is refused.
//! - `rank`: siblings are ordered by creation, so a category's rank is its position among its
//!   siblings (0, 1, …). A `rank` is taken when it is the position the category gets or has.
//! - `metadata` is not kept: `null` (only `null` is taken). `external_id` likewise.
//! - `mpath` is the ids from the root down, joined by `.`.
//!
//! As Medusa answers: an unknown category reads as 404, its update as `200 {}`, its delete as
//! 404; deleting one with subcategories is refused (400 `not_allowed`). Deleting one that
//! still files products is refused too (Medusa detaches them); move the products first.

use super::body::{MedusaJson, invalid, nullable};
use super::caller::MedusaCaller;
use super::fields::Selection;
use super::ids;
use super::list::{ListParams, strict};
use super::qs::Qs;
use super::taxonomy::{deleted, flag, handle_of, ids_param, listed, no_external_id, texts, unsupported};
use super::view::ts;
use super::wire::invalid_plain;
use crate::app::AppState;
use crate::error::{ApiError, Field};
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pimento_core::auth::Ctx;
use pimento_core::error::codes;
use pimento_core::ids::CategoryId;
use pimento_core::patch::Patch;
use pimento_core::taxonomy::{Category, CategoryInput, CategoryPatch};
use pimento_core::{CoreError, Entity};
use pimento_store::StoreError;
use pimento_store::catalog::{CategoryQuery, ParentFilter};
use pimento_store::page::MAX_LIMIT;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// The fields a read returns when `fields` is not given.
const DEFAULTS: &[&str] = &[
    "id",
    "name",
    "description",
    "handle",
    "is_active",
    "is_internal",
    "rank",
    "external_id",
    "parent_category_id",
    "created_at",
    "updated_at",
    "metadata",
    "*parent_category",
    "*category_children",
];

/// The catalog's names of a category's fields, as Medusa spells them.
const NAMES: crate::error::Names = &[("slug", "handle"), ("parent_id", "parent_category_id")];

/// A category as Medusa creates it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategory {
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub description: Option<Option<String>>,
    /// Derived from the name when absent.
    pub handle: Option<String>,
    /// Only `false` is taken: nothing is internal here.
    pub is_internal: Option<bool>,
    /// Only `true` is taken: every category is active here.
    pub is_active: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub parent_category_id: Option<Option<String>>,
    /// Not kept: only `null` is taken.
    #[serde(default, deserialize_with = "nullable")]
    pub external_id: Option<Option<String>>,
    /// Not kept: only `null` is taken.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Option<Value>>,
    /// Siblings are ranked by creation: only the position the category gets is taken.
    pub rank: Option<i64>,
    /// Medusa hands it to its workflow hooks and keeps nothing; so does this API.
    #[allow(dead_code)]
    #[schema(value_type = Option<Object>)]
    pub additional_data: Option<Value>,
}

/// A partial update of a category.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategory {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub description: Option<Option<String>>,
    pub handle: Option<String>,
    /// Only `false` is taken.
    pub is_internal: Option<bool>,
    /// Only `true` is taken.
    pub is_active: Option<bool>,
    /// `null` makes it a top-level category.
    #[serde(default, deserialize_with = "nullable")]
    pub parent_category_id: Option<Option<String>>,
    /// Not kept: only `null` is taken.
    #[serde(default, deserialize_with = "nullable")]
    pub external_id: Option<Option<String>>,
    /// Not kept: only `null` is taken.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Option<Value>>,
    /// Only the category's position among its (new) siblings is taken.
    pub rank: Option<i64>,
    /// Medusa hands it to its workflow hooks and keeps nothing; so does this API.
    #[allow(dead_code)]
    #[schema(value_type = Option<Object>)]
    pub additional_data: Option<Value>,
}

/// Refuses the values of fields the catalog does not keep.
fn unkept(
    is_internal: Option<bool>,
    is_active: Option<bool>,
    external_id: Option<&Option<String>>,
    metadata: Option<&Option<Value>>,
    rank: Option<i64>,
) -> Result<(), ApiError> {
    if is_internal == Some(true) {
        return Err(invalid(
            "Field 'is_internal': internal categories are not supported here; every category is public",
        ));
    }
    if is_active == Some(false) {
        return Err(invalid(
            "Field 'is_active': inactive categories are not supported here; every category is active",
        ));
    }
    no_external_id(external_id, "product categories")?;
    if metadata.is_some_and(Option::is_some) {
        return Err(invalid(
            "Field 'metadata': product categories keep no metadata here; leave it out",
        ));
    }
    if rank.is_some_and(|r| r < 0) {
        return Err(invalid("Value for field 'rank' too small, expected at least: '0'"));
    }
    Ok(())
}

/// Refuses a `rank` other than the one the category gets.
fn ranked(given: Option<i64>, gets: usize) -> Result<(), ApiError> {
    match given {
        Some(r) if r != gets as i64 => Err(invalid(format!(
            "Field 'rank': categories are ranked by creation here; this one's rank is {gets}"
        ))),
        _ => Ok(()),
    }
}

/// The categories one request shows, read once each: every parent's children (which give the
/// ranks too) and the categories looked up by id.
struct Tree<'a> {
    state: &'a AppState,
    ctx: &'a Ctx,
    children: HashMap<Option<CategoryId>, Vec<Category>>,
    by_id: HashMap<CategoryId, Category>,
}

/// How much of the tree around a category is shown.
#[derive(Clone, Copy, Default)]
struct Reach {
    ancestors: bool,
    descendants: bool,
}

impl<'a> Tree<'a> {
    fn new(state: &'a AppState, ctx: &'a Ctx) -> Self {
        Tree {
            state,
            ctx,
            children: HashMap::new(),
            by_id: HashMap::new(),
        }
    }

    /// Reads `parent`'s children (every page) unless already read.
    async fn load_children(&mut self, parent: Option<CategoryId>) -> Result<(), ApiError> {
        if self.children.contains_key(&parent) {
            return Ok(());
        }
        let mut all = Vec::new();
        loop {
            let q = CategoryQuery {
                parent: parent.map_or(ParentFilter::Root, ParentFilter::Of),
                limit: MAX_LIMIT,
                offset: all.len() as u64,
                ..CategoryQuery::default()
            };
            let page = self.state.store.find_categories(self.ctx, &q).await?;
            let done = page.items.len() < MAX_LIMIT as usize;
            all.extend(page.items);
            if done {
                break;
            }
        }
        for c in &all {
            self.by_id.insert(c.id, c.clone());
        }
        self.children.insert(parent, all);
        Ok(())
    }

    async fn load(&mut self, id: CategoryId) -> Result<Option<Category>, ApiError> {
        if let Some(c) = self.by_id.get(&id) {
            return Ok(Some(c.clone()));
        }
        match self.state.store.get_category(self.ctx, id).await {
            Ok(c) => {
                self.by_id.insert(id, c.clone());
                Ok(Some(c))
            }
            Err(StoreError::Domain(CoreError::NotFound(Entity::Category))) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Reads what showing `c` needs: its siblings (its rank), its children, its parent (and
    /// the parent's siblings), and the ancestors or descendants `reach` asks for.
    async fn prepare(&mut self, c: &Category, reach: Reach) -> Result<(), ApiError> {
        self.by_id.insert(c.id, c.clone());
        self.load_children(c.parent_id).await?;
        self.load_children(Some(c.id)).await?;
        let mut up = c.parent_id;
        while let Some(pid) = up {
            let Some(p) = self.load(pid).await? else { break };
            self.load_children(p.parent_id).await?;
            if !reach.ancestors {
                break;
            }
            self.load_children(Some(p.id)).await?;
            up = p.parent_id;
        }
        if reach.descendants {
            let mut todo: Vec<CategoryId> = self.kids(Some(c.id)).iter().map(|k| k.id).collect();
            while let Some(id) = todo.pop() {
                self.load_children(Some(id)).await?;
                todo.extend(self.kids(Some(id)).iter().map(|k| k.id));
            }
        }
        Ok(())
    }

    fn kids(&self, parent: Option<CategoryId>) -> &[Category] {
        self.children.get(&parent).map_or(&[], Vec::as_slice)
    }

    fn rank(&self, c: &Category) -> usize {
        self.kids(c.parent_id).iter().position(|s| s.id == c.id).unwrap_or(0)
    }

    /// A category's own fields, as Medusa shows them nested.
    fn own(&self, c: &Category) -> Map<String, Value> {
        let mpath: Vec<String> = c
            .path
            .split('/')
            .filter_map(|p| Uuid::parse_str(p).ok())
            .map(|u| ids::CATEGORY.show(u))
            .collect();
        let v = json!({
            "id": ids::CATEGORY.show(c.id.0),
            "name": c.name,
            "description": c.description.clone().unwrap_or_default(),
            "handle": c.slug,
            "mpath": mpath.join("."),
            "is_active": true,
            "is_internal": false,
            "rank": self.rank(c),
            "external_id": Value::Null,
            "metadata": Value::Null,
            "parent_category_id": c.parent_id.map(|p| ids::CATEGORY.show(p.0)),
            "created_at": ts(c.created_at),
            "updated_at": ts(c.updated_at),
            "deleted_at": Value::Null,
        });
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    /// `c` with its children, each with theirs all the way down.
    fn descending(&self, c: &Category) -> Value {
        let mut m = self.own(c);
        let kids: Vec<Value> = self.kids(Some(c.id)).iter().map(|k| self.descending(k)).collect();
        m.insert("category_children".into(), Value::Array(kids));
        Value::Object(m)
    }

    /// `c`'s parent with its children, and its parent's, up to the root.
    fn ascending(&self, c: &Category) -> Value {
        let Some(p) = c.parent_id.and_then(|id| self.by_id.get(&id)) else {
            return Value::Null;
        };
        let mut m = self.own(p);
        m.insert("parent_category".into(), self.ascending(p));
        let kids: Vec<Value> = self
            .kids(Some(p.id))
            .iter()
            .map(|k| Value::Object(self.own(k)))
            .collect();
        m.insert("category_children".into(), Value::Array(kids));
        Value::Object(m)
    }

    /// A category as a read answers it, whole (the selection cuts it down).
    fn shown(&self, c: &Category, reach: Reach) -> Value {
        let mut m = self.own(c);
        if !reach.descendants {
            let parent = if reach.ancestors {
                self.ascending(c)
            } else {
                c.parent_id
                    .and_then(|id| self.by_id.get(&id))
                    .map_or(Value::Null, |p| Value::Object(self.own(p)))
            };
            m.insert("parent_category".into(), parent);
        }
        let kids: Vec<Value> = self
            .kids(Some(c.id))
            .iter()
            .map(|k| {
                if reach.descendants {
                    self.descending(k)
                } else {
                    Value::Object(self.own(k))
                }
            })
            .collect();
        m.insert("category_children".into(), Value::Array(kids));
        Value::Object(m)
    }

    /// Categories as a read answers them, cut to the selection.
    async fn render(&mut self, list: &[Category], reach: Reach, sel: &Selection) -> Result<Vec<Value>, ApiError> {
        for c in list {
            self.prepare(c, reach).await?;
        }
        Ok(list.iter().map(|c| sel.apply(self.shown(c, reach))).collect())
    }
}

fn reach(q: &Qs) -> Result<Reach, ApiError> {
    Ok(Reach {
        ancestors: flag(q, "include_ancestors_tree")?.unwrap_or(false),
        descendants: flag(q, "include_descendants_tree")?.unwrap_or(false),
    })
}

async fn single(state: &AppState, ctx: &Ctx, c: &Category, q: &Qs) -> Result<Json<Value>, ApiError> {
    let sel = Selection::parse(q.one("fields")?, &Selection::defaults(DEFAULTS));
    let mut shown = Tree::new(state, ctx)
        .render(std::slice::from_ref(c), reach(q)?, &sel)
        .await?;
    Ok(Json(json!({ "product_category": shown.pop().unwrap_or(Value::Null) })))
}

/// A parent named in a body; one that is no category id is one that does not exist.
fn parent_of(raw: &str) -> Result<CategoryId, ApiError> {
    ids::CATEGORY.read(raw).map(CategoryId).ok_or_else(|| no_parent(raw))
}

/// Medusa's words for a parent that does not exist (which Medusa answers with a 500).
fn no_parent(raw: &str) -> ApiError {
    invalid_plain(format!("Parent category with id: '{raw}' does not exist"))
}

/// Medusa's words for a refused create or update.
fn worded(e: StoreError, handle: &str, parent: Option<&str>) -> ApiError {
    let e = ApiError::from(e);
    let about_parent = matches!(&e.field, Some(Field::Core(f)) if f.to_string() == "parent_id");
    if e.code == codes::DUPLICATE_SLUG {
        invalid_plain(format!("Product category with handle: {handle}, already exists."))
    } else if about_parent && e.message.contains("no such category") {
        no_parent(parent.unwrap_or_default())
    } else {
        e.named(NAMES)
    }
}

/// How many siblings under `parent` (without `except`) were made before `id`: the rank a
/// category with that id gets there.
async fn rank_under(
    state: &AppState,
    ctx: &Ctx,
    parent: Option<CategoryId>,
    id: Option<CategoryId>,
) -> Result<usize, ApiError> {
    let mut tree = Tree::new(state, ctx);
    tree.load_children(parent).await?;
    Ok(tree
        .kids(parent)
        .iter()
        .filter(|s| id.is_none_or(|id| s.id != id && s.id < id))
        .count())
}

/// List categories.
#[utoipa::path(get, path = "/admin/product-categories", tag = "Product Categories",
    params(("fields" = Option<String>, Query, description = "Fields to return: +x adds, -x removes, bare names replace the defaults"),
        ("q" = Option<String>, Query, description = "Categories whose name or handle contains this text, ignoring case"),
        ("id" = Option<Vec<String>>, Query, description = "Only these categories"),
        ("handle" = Option<Vec<String>>, Query, description = "Only categories with these handles"),
        ("parent_category_id" = Option<String>, Query, description = "Only the children of this category; `null` for the top-level ones"),
        ("include_descendants_tree" = Option<bool>, Query, description = "Nest each category's children, all the way down"),
        ("include_ancestors_tree" = Option<bool>, Query, description = "Nest each category's parent, all the way up"),
        ("limit" = Option<u32>, Query, description = "Categories per page (50 by default, at most 200)"),
        ("offset" = Option<u64>, Query, description = "Categories to skip"),
        ("order" = Option<String>, Query, description = "Creation order only: id or created_at (rank, with parent_category_id)")),
    responses((status = 200, description = "{product_categories, count, offset, limit}"),
        (status = 400, description = "Invalid query", body = super::error::MedusaErrorBody)))]
pub async fn list_categories(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
) -> Result<Json<Value>, ApiError> {
    strict(
        &q,
        &[
            "fields",
            "offset",
            "limit",
            "order",
            "with_deleted",
            "q",
            "id",
            "description",
            "handle",
            "parent_category_id",
            "external_id",
            "include_ancestors_tree",
            "include_descendants_tree",
            "is_internal",
            "is_active",
            "created_at",
            "updated_at",
            "deleted_at",
            "$and",
            "$or",
        ],
    )?;
    unsupported(
        &q,
        &["description", "created_at", "updated_at", "deleted_at", "$and", "$or"],
    )?;
    let paging = ListParams::read(&q, 50)?;
    let sel = Selection::parse(q.one("fields")?, &Selection::defaults(DEFAULTS));
    let mut query = CategoryQuery {
        q: q.one("q")?.map(str::to_owned),
        ids: ids_param(&q, "id", ids::CATEGORY)?.map(|l| l.into_iter().map(CategoryId).collect()),
        slugs: texts(&q, "handle")?,
        limit: paging.limit,
        offset: paging.offset,
        ..CategoryQuery::default()
    };
    let nothing = Some(Vec::new());
    match q.many("parent_category_id")?.as_deref() {
        None => {}
        Some(["null"]) => query.parent = ParentFilter::Root,
        Some([one]) => match ids::CATEGORY.read(one) {
            Some(p) => query.parent = ParentFilter::Of(CategoryId(p)),
            None => query.ids = nothing.clone(),
        },
        Some(_) => return Err(invalid("Field 'parent_category_id': give one parent at a time")),
    }
    // Every category is active and public, and none has an external id.
    if flag(&q, "is_active")? == Some(false)
        || flag(&q, "is_internal")? == Some(true)
        || q.many("external_id")?.is_some()
    {
        query.ids = nothing;
    }
    match q.one("order")?.map(str::trim).filter(|o| !o.is_empty()) {
        None | Some("id" | "created_at") => {}
        // Siblings' ranks are their creation order.
        Some("rank") if !matches!(query.parent, ParentFilter::Any) => {}
        Some(o) => {
            return Err(invalid(format!(
                "Field 'order': cannot order by '{o}' here; categories come in creation order (order=id, or order=rank with parent_category_id)"
            )));
        }
    }
    let page = state.store.find_categories(&ctx, &query).await?;
    let items = if paging.limit == 0 { Vec::new() } else { page.items };
    let items = Tree::new(&state, &ctx).render(&items, reach(&q)?, &sel).await?;
    Ok(listed(
        "product_categories",
        items,
        page.total.unwrap_or_default(),
        paging.offset,
        paging.limit,
    ))
}

/// Create a category, under a parent when one is given; answers 200 with it.
#[utoipa::path(post, path = "/admin/product-categories", tag = "Product Categories", request_body = CreateCategory,
    responses((status = 200, description = "{product_category}"),
        (status = 400, description = "Invalid data, an unknown parent, or the handle is taken", body = super::error::MedusaErrorBody)))]
pub async fn create_category(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
    MedusaJson(body): MedusaJson<CreateCategory>,
) -> Result<Json<Value>, ApiError> {
    strict(&q, &["fields", "include_ancestors_tree", "include_descendants_tree"])?;
    unkept(
        body.is_internal,
        body.is_active,
        body.external_id.as_ref(),
        body.metadata.as_ref(),
        body.rank,
    )?;
    let raw_parent = body.parent_category_id.clone().flatten();
    let parent = raw_parent.as_deref().map(parent_of).transpose()?;
    if body.rank.is_some() {
        ranked(body.rank, rank_under(&state, &ctx, parent, None).await?)?;
    }
    let handle = handle_of(body.handle, &body.name);
    let input = CategoryInput {
        name: body.name,
        slug: Some(handle.clone()),
        description: body.description.flatten(),
        parent_id: parent,
    };
    let created = state
        .store
        .create_category(&ctx, input)
        .await
        .map_err(|e| worded(e, &handle, raw_parent.as_deref()))?;
    single(&state, &ctx, &created, &q).await
}

/// One category, with its parent and children (or whole trees, when asked).
#[utoipa::path(get, path = "/admin/product-categories/{id}", tag = "Product Categories",
    params(("id" = String, Path, description = "The category's id"),
        ("fields" = Option<String>, Query, description = "Fields to return"),
        ("include_descendants_tree" = Option<bool>, Query, description = "Nest the children, all the way down"),
        ("include_ancestors_tree" = Option<bool>, Query, description = "Nest the parent, all the way up")),
    responses((status = 200, description = "{product_category}", headers(("ETag" = String, description = "The category's version"))),
        (status = 404, description = "No such category", body = super::error::MedusaErrorBody)))]
pub async fn get_category(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    q: Qs,
) -> Result<impl IntoResponse, ApiError> {
    strict(&q, &["fields", "include_ancestors_tree", "include_descendants_tree"])?;
    let not_found = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("Product category with id: {raw} was not found"),
        )
    };
    let id = ids::CATEGORY.read(&raw).map(CategoryId).ok_or_else(not_found)?;
    let c = Tree::new(&state, &ctx).load(id).await?.ok_or_else(not_found)?;
    Ok((tagged(c.version), single(&state, &ctx, &c, &q).await?))
}

/// Change a category: name, handle, description, or its parent (`null`: top level), which
/// moves its whole subtree. An unknown category answers `{}`, as Medusa's does.
#[utoipa::path(post, path = "/admin/product-categories/{id}", tag = "Product Categories", request_body = UpdateCategory,
    params(("id" = String, Path, description = "The category's id"), IfMatchHeader),
    responses((status = 200, description = "{product_category}, or {} for an unknown id", headers(("ETag" = String, description = "The category's new version"))),
        (status = 400, description = "Invalid data, an unknown parent, or the handle is taken", body = super::error::MedusaErrorBody),
        (status = 412, description = "The category is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The category's current version")))))]
pub async fn update_category(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    q: Qs,
    if_match: IfMatch,
    MedusaJson(body): MedusaJson<UpdateCategory>,
) -> Result<Response, ApiError> {
    strict(&q, &["fields", "include_ancestors_tree", "include_descendants_tree"])?;
    unkept(
        body.is_internal,
        body.is_active,
        body.external_id.as_ref(),
        body.metadata.as_ref(),
        body.rank,
    )?;
    let Some(id) = ids::CATEGORY.read(&raw).map(CategoryId) else {
        return Ok(Json(json!({})).into_response());
    };
    let Some(current) = Tree::new(&state, &ctx).load(id).await? else {
        return Ok(Json(json!({})).into_response());
    };
    let raw_parent = body.parent_category_id.clone().flatten();
    let parent = match &body.parent_category_id {
        None => Patch::Keep,
        Some(None) => Patch::Clear,
        Some(Some(p)) => Patch::Set(parent_of(p)?),
    };
    if body.rank.is_some() {
        let under = match parent {
            Patch::Keep => current.parent_id,
            Patch::Clear => None,
            Patch::Set(p) => Some(p),
        };
        ranked(body.rank, rank_under(&state, &ctx, under, Some(id)).await?)?;
    }
    let handle = body.handle.clone().unwrap_or_else(|| current.slug.clone());
    let patch = CategoryPatch {
        name: body.name,
        slug: body.handle,
        description: match body.description {
            None => Patch::Keep,
            Some(None) => Patch::Clear,
            Some(Some(d)) => Patch::Set(d),
        },
        parent_id: parent,
    };
    let changed = match state.store.update_category(&ctx, id, if_match.get(), patch).await {
        Ok(c) => c,
        Err(StoreError::Domain(CoreError::NotFound(Entity::Category))) => return Ok(Json(json!({})).into_response()),
        Err(e) => return Err(worded(e, &handle, raw_parent.as_deref())),
    };
    Ok((tagged(changed.version), single(&state, &ctx, &changed, &q).await?).into_response())
}

/// Delete a category without subcategories or products.
#[utoipa::path(delete, path = "/admin/product-categories/{id}", tag = "Product Categories",
    params(("id" = String, Path, description = "The category's id"), IfMatchHeader),
    responses((status = 200, description = "{id, object: \"product_category\", deleted: true}"),
        (status = 400, description = "The category has subcategories or products", body = super::error::MedusaErrorBody),
        (status = 404, description = "No such category", body = super::error::MedusaErrorBody),
        (status = 412, description = "The category is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The category's current version")))))]
pub async fn delete_category(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
) -> Result<Json<Value>, ApiError> {
    let not_found = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("ProductCategory with id: {raw} was not found"),
        )
    };
    let id = ids::CATEGORY.read(&raw).map(CategoryId).ok_or_else(not_found)?;
    match state.store.delete_category(&ctx, id, if_match.get()).await {
        Ok(()) => Ok(deleted(&raw, "product_category")),
        Err(StoreError::Domain(CoreError::NotFound(Entity::Category))) => Err(not_found()),
        Err(e) => {
            let e = ApiError::from(e);
            if e.code == codes::CATEGORY_HAS_CHILDREN {
                Err(ApiError::new(
                    StatusCode::CONFLICT,
                    codes::CATEGORY_HAS_CHILDREN,
                    format!("Deleting ProductCategory ({raw}) with category children is not allowed"),
                ))
            } else {
                Err(e)
            }
        }
    }
}
