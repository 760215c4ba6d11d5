//! `/admin/products` and `/admin/products/{id}`: list, create, read, update, delete.

use super::body::{MedusaJson, invalid};
use super::caller::MedusaCaller;
use super::fields::Selection;
use super::ids;
use super::list::{ListParams, strict};
use super::qs::Qs;
use super::render::{Renderer, Shown, product_defaults};
use super::variant_wire::option_titles;
use super::wire::{CreateProduct, UpdateProduct, invalid_plain};
use crate::app::AppState;
use crate::error::ApiError;
use crate::precondition::{IfMatch, IfMatchHeader, MERGE_ATTEMPTS, is_stale, merge_guard, merge_refused, tagged};
use crate::rendered;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use pimento_core::error::codes;
use pimento_core::ids::{CategoryId, CollectionId, ProductId, ProductTypeId, TagId};
use pimento_core::product::ProductView;
use pimento_core::query::{Archived, CountMode, Paging, ProductFilter, ProductQuery, Range, Sort, SortKey};
use pimento_core::taxonomy::CategoryRef;
use pimento_core::{CoreError, Entity};
use pimento_store::catalog::ProductChange;
use serde_json::{Value, json};

/// The product a path names, or Medusa's 404.
pub(super) fn product_id(raw: &str) -> Result<ProductId, ApiError> {
    ids::PRODUCT.read(raw).map(ProductId).ok_or_else(not_found)
}

pub(super) fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "Product not found")
}

/// Medusa's words for a refused create or update: a taken handle or SKU names the value.
pub(super) fn worded(e: ApiError, handle: Option<&str>, skus: &[Option<String>]) -> ApiError {
    let field = e.field.as_ref().map(|f| match f {
        crate::error::Field::Core(p) => p.to_string(),
        crate::error::Field::Wire(w) => w.clone(),
    });
    match e.code {
        codes::DUPLICATE_HANDLE => invalid_plain(format!(
            "Product with handle: {}, already exists.",
            handle.unwrap_or_default()
        )),
        codes::DUPLICATE_SKU => {
            // `variants[i].sku`: the SKU of that variant.
            let sku = field
                .as_deref()
                .and_then(|f| f.split("variants[").nth(1))
                .and_then(|f| f.split(']').next())
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| skus.get(i).cloned().flatten())
                .unwrap_or_default();
            if sku.is_empty() {
                invalid_plain("A product variant with this sku already exists.".into())
            } else {
                invalid_plain(format!("Product variant with sku: {sku}, already exists."))
            }
        }
        codes::DUPLICATE_OPTION_COMBINATION => invalid_plain("Variant with provided options already exists.".into()),
        // The store words this one as Medusa does.
        _ if e.message.starts_with("Cannot unassign") => invalid_plain(e.message),
        // The core refuses a classification naming nothing of the organization on its field;
        // Medusa answers that as a relationship not found.
        _ if e.status == StatusCode::BAD_REQUEST
            && (e.message.ends_with("not found") || e.message.ends_with("in this organization")) =>
        {
            let relation = match field.as_deref().and_then(|f| f.rsplit('.').next()) {
                Some("collection_id") => "collection_id",
                Some("type_id") => "type_id",
                Some("category" | "category_id") => "product_category_id",
                _ => return e.named(super::names::PRODUCT),
            };
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("You tried to set relationship {relation}, but such entity does not exist"),
            )
        }
        _ => e.named(super::names::PRODUCT),
    }
}

/// A `created_at`-style operator map as a range: `$gt`/`$gte`/`$lt`/`$lte`/`$eq`.
fn time_range(q: &Qs, name: &str) -> Result<Range<DateTime<Utc>>, ApiError> {
    let mut r = Range::default();
    for (op, raw) in q.operators(name) {
        let t = DateTime::parse_from_rfc3339(raw)
            .map(|t| t.with_timezone(&Utc))
            .or_else(|_| {
                chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
            })
            .map_err(|_| invalid(format!("Expected a date for field '{name}', got: '{raw}'")))?;
        let tick = chrono::Duration::nanoseconds(1);
        match op {
            "$gt" => r.min = Some(t + tick),
            "$gte" => r.min = Some(t),
            "$lt" => r.max = Some(t - tick),
            "$lte" => r.max = Some(t),
            "$eq" => {
                r.min = Some(t);
                r.max = Some(t);
            }
            other => {
                return Err(invalid(format!(
                    "Operator '{other}' is not supported for field '{name}'"
                )));
            }
        }
    }
    Ok(r)
}

fn ids_of<T>(q: &Qs, name: &str, kind: ids::Kind, wrap: fn(uuid::Uuid) -> T) -> Result<Option<Vec<T>>, ApiError> {
    Ok(q.many(name)?.map(|list| {
        list.iter()
            .flat_map(|v| v.split(','))
            .filter_map(|v| kind.read(v))
            .map(wrap)
            .collect()
    }))
}

/// The product query of `GET /admin/products` (and of an export): Medusa's filters, order and
/// paging. Unknown parameters are ignored, as Medusa ignores them here.
pub(super) fn product_query(q: &Qs, paging: &ListParams) -> Result<ProductQuery, ApiError> {
    let mut filter = ProductFilter {
        ids: ids_of(q, "id", ids::PRODUCT, ProductId)?,
        handles: q.many("handle")?.map(|l| l.iter().map(|s| (*s).to_owned()).collect()),
        names: q.many("title")?.map(|l| l.iter().map(|s| (*s).to_owned()).collect()),
        search: q.one("q")?.map(str::to_owned),
        collection_ids: ids_of(q, "collection_id", ids::COLLECTION, CollectionId)?,
        type_ids: ids_of(q, "type_id", ids::TYPE, ProductTypeId)?,
        tag_ids: ids_of(q, "tag_id", ids::TAG, TagId)?,
        created: time_range(q, "created_at")?,
        updated: time_range(q, "updated_at")?,
        archived: if paging.with_deleted {
            Archived::Include
        } else {
            Archived::Exclude
        },
        ..ProductFilter::default()
    };
    if let Some(list) = q.many("status")? {
        if q.one("status").is_ok_and(|s| s.is_some()) {
            let raw = q.one("status")?.unwrap_or_default();
            return Err(invalid(format!(
                "Expected type: 'array' for field 'status', got: '{raw}'"
            )));
        }
        filter.statuses = Some(
            list.iter()
                .map(|s| {
                    super::view::status_of(s).ok_or_else(|| {
                        invalid(format!(
                            "Expected: 'draft, proposed, published, rejected' for field 'status', but got: '{s}'"
                        ))
                    })
                })
                .collect::<Result<_, _>>()?,
        );
    }
    if let Some(cats) = ids_of(q, "category_id", ids::CATEGORY, CategoryId)? {
        match cats.as_slice() {
            [] => filter.ids = Some(Vec::new()),
            [one] => filter.category = Some(CategoryRef::Id(*one)),
            _ => return Err(invalid("Give one category_id at a time")),
        }
    }
    if q.many("sales_channel_id")?.is_some() {
        return Err(invalid(
            "Filtering by sales_channel_id is not supported: sales channels are not modelled",
        ));
    }
    if q.many("price_list_id")?.is_some() {
        // No product is in a price list here.
        filter.ids = Some(Vec::new());
    }
    let deleted = time_range(q, "deleted_at")?;
    if deleted.min.is_some() || deleted.max.is_some() {
        filter.archived = Archived::Only;
    }
    Ok(ProductQuery {
        filter,
        sort: order(q)?,
        paging: Paging::Offset(paging.offset),
        limit: paging.limit.max(1),
        count: CountMode::Exact,
    })
}

/// `order=title` or `order=-title`; creation (id) order by default, as Medusa's.
fn order(q: &Qs) -> Result<Sort, ApiError> {
    let Some(raw) = q.one("order")?.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(Sort::default());
    };
    let (descending, name) = raw.strip_prefix('-').map_or((false, raw), |n| (true, n));
    let key = match name {
        "id" | "created_at" => SortKey::Created,
        "updated_at" => SortKey::Updated,
        "title" => SortKey::Name,
        "handle" => SortKey::Handle,
        "status" => SortKey::Status,
        _ => {
            return Err(invalid(format!(
                "Cannot order by '{name}': order by id, created_at, updated_at, title, handle or status"
            )));
        }
    };
    Ok(Sort { key, descending })
}

/// List products.
#[utoipa::path(get, path = "/admin/products", tag = "Products",
    params(("fields" = Option<String>, Query, description = "Fields to return: +x adds, -x removes, bare names replace the defaults"),
        ("q" = Option<String>, Query, description = "Full-text search over title, description, handle and variant SKUs"),
        ("limit" = Option<u32>, Query, description = "Products per page (50 by default, at most 200)"),
        ("offset" = Option<u64>, Query, description = "Products to skip"),
        ("order" = Option<String>, Query, description = "id, created_at, updated_at, title, handle or status; - before for descending")),
    responses((status = 200, description = "{products, count, offset, limit}")))]
pub async fn list_products(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
) -> Result<Response, ApiError> {
    let paging = ListParams::read(&q, 50)?;
    let query = product_query(&q, &paging)?;
    let fields = q.one("fields")?;
    let sel = Selection::parse(fields, product_defaults());
    let page = state
        .store
        .list_products_cached(&ctx, &query, Renderer::include(&sel))
        .await?;
    let items = if paging.limit == 0 { Vec::new() } else { page.items };
    // Each product's JSON is the one `GET /admin/products/{id}` keeps (default fields only).
    let slot = fields.is_none().then_some(rendered::MEDUSA);
    let (state, ctx, sel) = (&state, &ctx, &sel);
    let products = rendered::kept_or_rendered_each(state, ctx, items, slot, ONE, move |views| async move {
        let shown = Renderer::new(state, ctx).products(views, sel).await?;
        shown.each_json().map_err(|_| ApiError::internal())
    })
    .await?;
    let mut body = rendered::json_array_into(b"{\"products\":".to_vec(), &products);
    let tail = format!(
        ",\"count\":{},\"offset\":{},\"limit\":{}}}",
        page.total.unwrap_or_default(),
        paging.offset,
        paging.limit
    );
    body.extend_from_slice(tail.as_bytes());
    Ok(rendered::respond(body.into()))
}

/// Where a product's JSON sits in the body of a single read: `{"product": …}`.
const ONE: rendered::Envelope = rendered::Envelope::new(b"{\"product\":", b"}");

/// `{"product": …}`, written without a JSON tree on the way.
pub struct OneProduct {
    product: Shown,
}

impl serde::Serialize for OneProduct {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("product", &self.product.first())?;
        m.end()
    }
}

impl OneProduct {
    /// The body of a product read or write.
    pub async fn of(
        state: &AppState,
        ctx: &pimento_core::auth::Ctx,
        view: ProductView,
        sel: &Selection,
    ) -> Result<Json<Self>, ApiError> {
        Ok(Json(OneProduct {
            product: Renderer::new(state, ctx).products(vec![view], sel).await?,
        }))
    }
}

/// Create a product (`draft` unless a status is given); answers 200 with the product.
#[utoipa::path(post, path = "/admin/products", tag = "Products", request_body = CreateProduct,
    responses((status = 200, description = "{product}"), (status = 400, description = "Invalid data", body = super::error::MedusaErrorBody)))]
pub async fn create_product(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
    MedusaJson(body): MedusaJson<CreateProduct>,
) -> Result<Json<OneProduct>, ApiError> {
    let sel = Selection::parse(q.one("fields")?, product_defaults());
    let handle = body.handle.clone();
    let skus: Vec<Option<String>> = body
        .variants
        .iter()
        .flatten()
        .map(|v| v.sku.clone().flatten())
        .collect();
    let input = body.into_input()?;
    let derived = input.handle.clone().or(handle).unwrap_or_default();
    let (view, _) = state
        .store
        .create_product(&ctx, input)
        .await
        .map_err(|e| worded(e.into(), Some(&derived), &skus))?;
    OneProduct::of(&state, &ctx, view, &sel).await
}

/// One product.
#[utoipa::path(get, path = "/admin/products/{id}", tag = "Products",
    params(("id" = String, Path, description = "The product's id"), ("fields" = Option<String>, Query, description = "Fields to return")),
    responses((status = 200, description = "{product}", headers(("ETag" = String, description = "The product's version"))), (status = 404, description = "Product not found", body = super::error::MedusaErrorBody)))]
pub async fn get_product(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(id): Path<String>,
    q: Qs,
) -> Result<impl IntoResponse, ApiError> {
    strict(&q, &["fields"])?;
    let sel = Selection::parse(q.one("fields")?, product_defaults());
    let id = product_id(&id)?;
    let p = state
        .store
        .get_product_cached(&ctx, id, Renderer::include(&sel))
        .await
        .map_err(|e| match ApiError::from(e) {
            e if e.status == StatusCode::NOT_FOUND => not_found(),
            e => e,
        })?;
    if p.view().product.archived_at.is_some() {
        return Err(not_found());
    }
    let etag = tagged(p.view().product.version);
    // Only the default shape is kept: one body per cached view.
    let slot = q.one("fields")?.is_none().then_some(rendered::MEDUSA);
    let (state, ctx, sel) = (&state, &ctx, &sel);
    let body = rendered::kept_or_rendered(state, ctx, p, slot, move |v| async move {
        let Json(one) = OneProduct::of(state, ctx, v, sel).await?;
        rendered::json(&one).map_err(|_| ApiError::internal())
    })
    .await?;
    Ok((etag, rendered::respond(body)))
}

/// Change a product: only the fields given; `metadata` merges key by key.
#[utoipa::path(post, path = "/admin/products/{id}", tag = "Products", request_body = UpdateProduct,
    params(("id" = String, Path, description = "The product's id"), IfMatchHeader),
    responses((status = 200, description = "{product}", headers(("ETag" = String, description = "The product's new version"))), (status = 404, description = "Product not found", body = super::error::MedusaErrorBody), (status = 412, description = "The product is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The product's current version")))))]
pub async fn update_product(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    q: Qs,
    if_match: IfMatch,
    MedusaJson(body): MedusaJson<UpdateProduct>,
) -> Result<impl IntoResponse, ApiError> {
    strict(&q, &["fields"])?;
    let sel = Selection::parse(q.one("fields")?, product_defaults());
    let missing = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("Product with id \"{raw}\" not found"),
        )
    };
    // The body is judged before the product is looked for, as Medusa's validator runs first.
    if body.id.is_some() {
        return Err(invalid("Unrecognized fields: 'id'"));
    }
    body.check()?;
    let id = ids::PRODUCT.read(&raw).map(ProductId).ok_or_else(missing)?;
    let handle = body.handle.clone();
    // A metadata merge is computed from the product as read, so it requires that version
    // and reads again when another write lands first.
    let merges = body.metadata.is_some();
    let mut attempt = 0;
    let view = loop {
        let current = match state.store.get_product(&ctx, id, Default::default()).await {
            Ok(v) if v.product.archived_at.is_none() => v,
            Ok(_) => return Err(missing()),
            Err(e) => {
                return Err(match ApiError::from(e) {
                    e if e.status == StatusCode::NOT_FOUND => missing(),
                    e => e,
                });
            }
        };
        let guard = if merges {
            Some(merge_guard(if_match.get(), Entity::Product, current.product.version)?)
        } else {
            None
        };
        let parts = body.clone().into_parts(current.product.metadata.as_ref())?;
        let options = state.store.product_options(&ctx, id).await?;
        let titles = option_titles(&options);
        let variants = parts
            .variants
            .map(|list| {
                list.into_iter()
                    .enumerate()
                    .map(|(i, v)| super::variants::change(v, &titles, i))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let change = ProductChange {
            patch: parts.patch,
            media: parts.images,
            variants: variants.unwrap_or_default(),
            option_ids: parts.option_ids,
            delete_variants: Vec::new(),
        };
        match state
            .store
            .change_product(&ctx, id, guard.as_ref().or(if_match.get()), change)
            .await
        {
            Ok(view) => break view,
            Err(e) if merges && is_stale(&e) && attempt + 1 < MERGE_ATTEMPTS => attempt += 1,
            Err(e) if merges && is_stale(&e) => return Err(merge_refused(e, if_match.get())),
            Err(e) => return Err(worded(e.into(), handle.as_deref(), &[])),
        }
    };
    let etag = tagged(view.product.version);
    Ok((etag, OneProduct::of(&state, &ctx, view, &sel).await?))
}

/// Delete a product: it is archived (Medusa's soft delete), listed again with `with_deleted`.
/// A product that does not exist answers the same, as Medusa's does.
#[utoipa::path(delete, path = "/admin/products/{id}", tag = "Products",
    params(("id" = String, Path, description = "The product's id"), IfMatchHeader),
    responses((status = 200, description = "{id, object: \"product\", deleted: true}"), (status = 412, description = "The product is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The product's current version")))))]
pub async fn delete_product(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
) -> Result<Json<Value>, ApiError> {
    if let Some(id) = ids::PRODUCT.read(&raw).map(ProductId) {
        match state
            .store
            .archive_product(&ctx, id, if_match.get(), Default::default())
            .await
        {
            Ok(_) => {}
            Err(pimento_store::StoreError::Domain(CoreError::NotFound(Entity::Product))) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Json(json!({"id": raw, "object": "product", "deleted": true})))
}
