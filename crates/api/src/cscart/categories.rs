//! `/api/categories[/{id}]`: the catalog's category tree. A category's `category` is its name,
//! `parent_id` its parent's number (`0` for a root), `seo_name` its slug, `id_path` the
//! numbers from the root down. What the catalog has no place for (`status`, `position`,
//! `company_id`, `meta_keywords`, `meta_description`, `page_title`, …: `own::CATEGORY_FIELDS`)
//! is kept in the category's `cscart` extension and read back; it does not change which
//! products a list shows nor their order.

use super::caller::CsCartCaller;
use super::own;
use super::pages::PageParams;
use super::products::{find, not_found, path_number};
use super::render::{categories_by_id, path_ids};
use super::values::{Text, bad, integer, typed};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use crate::query::Query;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pimento_core::CoreError;
use pimento_core::auth::Ctx;
use pimento_core::error::codes;
use pimento_core::extension::ExtensionPatch;
use pimento_core::ids::CategoryId;
use pimento_core::numbers::Numbered;
use pimento_core::patch::Patch;
use pimento_core::taxonomy::{Category, CategoryInput, CategoryPatch};
use pimento_store::StoreError;
use pimento_store::catalog::{CategoryQuery, ParentFilter};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use utoipa::ToSchema;

/// How many numbered slugs a category whose derived slug is taken tries.
const MAX_SLUG_TRIES: u32 = 50;

/// A category as CS-Cart shows it; `known` holds its ancestors.
fn render(c: &Category, known: &HashMap<CategoryId, Category>) -> Value {
    let parent = c.parent_id.and_then(|p| known.get(&p)).map_or(0, |p| p.number);
    let id_path: Vec<String> = path_ids(c)
        .iter()
        .filter_map(|a| known.get(a).map(|a| a.number.to_string()))
        .collect();
    let mut out = serde_json::Map::new();
    own::render_in(own::CATEGORY_FIELDS, &c.extensions, &mut out);
    out.extend(
        [
            ("category_id", c.number.to_string()),
            ("parent_id", parent.to_string()),
            ("id_path", id_path.join("/")),
            ("category", c.name.clone()),
            ("description", c.description.clone().unwrap_or_default()),
            ("seo_name", c.slug.clone()),
            ("level", (c.depth + 1).to_string()),
            ("timestamp", c.created_at.timestamp().to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v))),
    );
    Value::Object(out)
}

async fn with_ancestors(
    state: &AppState,
    ctx: &Ctx,
    cats: &[Category],
) -> Result<HashMap<CategoryId, Category>, ApiError> {
    let mut known: HashMap<CategoryId, Category> = cats.iter().map(|c| (c.id, c.clone())).collect();
    let missing: Vec<CategoryId> = cats
        .iter()
        .flat_map(path_ids)
        .filter(|id| !known.contains_key(id))
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    if !missing.is_empty() {
        known.extend(categories_by_id(state, ctx, missing).await?);
    }
    Ok(known)
}

async fn load(state: &AppState, ctx: &Ctx, raw: &str) -> Result<Category, ApiError> {
    let n = path_number(raw, "Category")?;
    let id = find(state, ctx, Numbered::Category, n)
        .await?
        .ok_or_else(|| not_found("Category"))?;
    Ok(state.store.get_category(ctx, CategoryId(id)).await?)
}

/// List categories, in creation order.
#[utoipa::path(get, path = "/api/categories", tag = "Categories", params(PageParams),
    responses((status = 200, description = "{categories: [...], params: {page, items_per_page, total_items}}")))]
pub async fn list_categories(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Query(q): Query<PageParams>,
) -> Result<Json<Value>, ApiError> {
    let page = q.read()?;
    let found = state
        .store
        .find_categories(
            &ctx,
            &CategoryQuery {
                parent: ParentFilter::Any,
                q: None,
                ids: None,
                slugs: None,
                limit: page.per_page,
                offset: page.offset(),
            },
        )
        .await?;
    let known = with_ancestors(&state, &ctx, &found.items).await?;
    let items: Vec<Value> = found.items.iter().map(|c| render(c, &known)).collect();
    Ok(Json(
        json!({"categories": items, "params": page.params(found.total.unwrap_or_default())}),
    ))
}

/// One category.
#[utoipa::path(get, path = "/api/categories/{category_id}", tag = "Categories",
    params(("category_id" = String, Path, description = "The category's id")),
    responses((status = 200, description = "The category", headers(("ETag" = String, description = "The category's version"))), (status = 404, description = "No such category", body = super::error::CsCartErrorBody)))]
pub async fn get_category(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let c = load(&state, &ctx, &raw).await?;
    let known = with_ancestors(&state, &ctx, std::slice::from_ref(&c)).await?;
    Ok((tagged(c.version), Json(render(&c, &known))))
}

/// A category as CS-Cart sends it. Its own fields (`company_id`, `status` A/D/H, `position`,
/// `meta_keywords`, `meta_description`, `page_title`, `usergroup_ids`, `localization`,
/// `age_verification`, `age_limit`, `age_warning_message`, `product_details_view`,
/// `default_layout`, `product_columns`, `selected_views`, `use_custom_templates`) are kept as
/// sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CategoryBody {
    /// The name (required on create).
    pub category: Option<Text>,
    /// The parent's id; 0 for a root.
    pub parent_id: Option<Text>,
    pub description: Option<String>,
    /// The slug; derived from the name when absent.
    pub seo_name: Option<String>,
}

/// The extension patch of a body's own fields; a `company_id` must be a vendor's number (or 0).
async fn own_patch(
    state: &AppState,
    ctx: &Ctx,
    body: &serde_json::Map<String, Value>,
) -> Result<Option<ExtensionPatch>, ApiError> {
    let given = body.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let patch = own::patch_in(own::CATEGORY_FIELDS, &given, serde_json::Map::new())?;
    own::check_company(state, ctx, patch.as_ref()).await?;
    Ok(patch)
}

impl CategoryBody {
    /// The parent: `None` absent, `Some(None)` a root.
    async fn parent(&self, state: &AppState, ctx: &Ctx) -> Result<Option<Option<CategoryId>>, ApiError> {
        let Some(raw) = &self.parent_id else { return Ok(None) };
        match integer("parent_id", &raw.0)? {
            0 => Ok(Some(None)),
            n if n > 0 => {
                let id = find(state, ctx, Numbered::Category, n)
                    .await?
                    .ok_or_else(|| bad("parent_id", format!("category {n} does not exist")))?;
                Ok(Some(Some(CategoryId(id))))
            }
            _ => Err(bad("parent_id", "must be a category's id, or 0")),
        }
    }
}

/// Create a category; answers 201 with its id.
#[utoipa::path(post, path = "/api/categories", tag = "Categories", request_body = CategoryBody,
    responses((status = 201, description = "{category_id}"), (status = 400, description = "A field refused", body = super::error::CsCartErrorBody)))]
pub async fn create_category(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    JsonBody(raw): JsonBody<serde_json::Map<String, Value>>,
) -> Result<Response, ApiError> {
    let body: CategoryBody = typed(&raw)?;
    let extension = own_patch(&state, &ctx, &raw).await?;
    let name = body
        .category
        .as_ref()
        .map(|t| t.0.clone())
        .ok_or_else(|| bad("category", "is required"))?;
    let parent = body.parent(&state, &ctx).await?.flatten();
    let input = CategoryInput {
        name,
        slug: body.seo_name.clone(),
        description: body.description.clone().filter(|d| !d.trim().is_empty()),
        parent_id: parent,
    };
    // CS-Cart names may repeat under other parents: a slug derived from the name (none given)
    // that is taken gets a number, as product handles do.
    let derived = input.slug.is_none();
    let mut attempt = state
        .store
        .create_category_extended(&ctx, input.clone(), extension.clone())
        .await;
    if derived {
        let base = pimento_core::handle::slugify(&input.name);
        for n in 2..=MAX_SLUG_TRIES {
            match &attempt {
                Err(StoreError::Domain(CoreError::Conflict { code, .. })) if *code == codes::DUPLICATE_SLUG => {
                    let slug = Some(format!("{base}-{n}"));
                    attempt = state
                        .store
                        .create_category_extended(&ctx, CategoryInput { slug, ..input.clone() }, extension.clone())
                        .await;
                }
                _ => break,
            }
        }
    }
    let c = attempt.map_err(|e| ApiError::from(e).named(super::names::CATEGORY))?;
    Ok((StatusCode::CREATED, Json(json!({"category_id": c.number}))).into_response())
}

/// Change a category: the fields given.
#[utoipa::path(put, path = "/api/categories/{category_id}", tag = "Categories", request_body = CategoryBody,
    params(("category_id" = String, Path, description = "The category's id"), IfMatchHeader),
    responses((status = 200, description = "{category_id}", headers(("ETag" = String, description = "The category's new version"))), (status = 404, description = "No such category", body = super::error::CsCartErrorBody), (status = 412, description = "The category is at another version than `If-Match` names", body = super::error::CsCartErrorBody, headers(("ETag" = String, description = "The category's current version")))))]
pub async fn update_category(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    JsonBody(sent): JsonBody<serde_json::Map<String, Value>>,
) -> Result<impl IntoResponse, ApiError> {
    let c = load(&state, &ctx, &raw).await?;
    let body: CategoryBody = typed(&sent)?;
    let extension = own_patch(&state, &ctx, &sent).await?;
    let parent = match body.parent(&state, &ctx).await? {
        None => Patch::Keep,
        Some(None) => Patch::Clear,
        Some(Some(p)) => Patch::Set(p),
    };
    let changed = state
        .store
        .update_category_extended(
            &ctx,
            c.id,
            if_match.get(),
            CategoryPatch {
                name: body.category.as_ref().map(|t| t.0.clone()),
                slug: body.seo_name.clone(),
                description: match &body.description {
                    None => Patch::Keep,
                    Some(d) if d.trim().is_empty() => Patch::Clear,
                    Some(d) => Patch::Set(d.clone()),
                },
                parent_id: parent,
            },
            extension,
        )
        .await
        .map_err(|e| ApiError::from(e).named(super::names::CATEGORY))?;
    Ok((tagged(changed.version), Json(json!({"category_id": c.number}))))
}

/// Delete a category; one with subcategories or products is refused (400).
#[utoipa::path(delete, path = "/api/categories/{category_id}", tag = "Categories",
    params(("category_id" = String, Path, description = "The category's id"), IfMatchHeader),
    responses((status = 204, description = "Deleted"), (status = 400, description = "It has subcategories or products", body = super::error::CsCartErrorBody), (status = 404, description = "No such category", body = super::error::CsCartErrorBody), (status = 412, description = "The category is at another version than `If-Match` names", body = super::error::CsCartErrorBody, headers(("ETag" = String, description = "The category's current version")))))]
pub async fn delete_category(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    let c = load(&state, &ctx, &raw).await?;
    state
        .store
        .delete_category(&ctx, c.id, if_match.get())
        .await
        .map_err(|e| ApiError::from(e).named(super::names::CATEGORY))?;
    Ok(StatusCode::NO_CONTENT)
}
