//! `/api/v1/products`: create (with upsert by sync source), list, search, get, update, archive.

use super::caller::Caller;
use super::params::{ArchivedParam, IncludeParam, PageSize};
use super::view::ProductOut;
use super::wire::{CreateProduct, UpdateProduct};
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, path_id};
use crate::precondition::{IfMatch, IfMatchHeader, IfNoneMatch, IfNoneMatchHeader, tagged};
use crate::query::{self, Flag, Query};
use crate::rendered;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pimento_core::product::Include;
use pimento_core::query::{CountMode, Cursor, Paging, ProductFilter, ProductQuery, Sort};
use pimento_store::catalog::{OnExisting, Saved};
use serde::Deserialize;
use utoipa::IntoParams;

const DEFAULT_ONE: Include = Include {
    variants: false,
    media: true,
    tags: false,
};
const ALL: Include = Include {
    variants: true,
    media: true,
    tags: false,
};

/// Create a product, or update the one whose sync source matches (upsert).
///
/// With `If-None-Match: *`, a create whose sync source names an existing product is refused
/// (412, with that product's `ETag`) instead of updating it.
#[utoipa::path(post, path = "/api/v1/products", tag = "Products", request_body = CreateProduct,
    params(IfNoneMatchHeader),
    responses(
        (status = 201, description = "Product created", body = ProductOut, headers(("ETag" = String, description = "The product's version"))),
        (status = 200, description = "Existing product with the same sync source updated", body = ProductOut, headers(("ETag" = String, description = "The product's version"))),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 409, description = "Duplicate SKU, handle or option combination", body = ErrorBody),
        (status = 412, description = "`If-None-Match: *` and the sync source's product exists", body = ErrorBody, headers(("ETag" = String, description = "The product's current version"))),
    ))]
pub async fn create_product(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    IfNoneMatch(only_new): IfNoneMatch,
    JsonBody(body): JsonBody<CreateProduct>,
) -> Result<impl IntoResponse, ApiError> {
    let found = if only_new {
        OnExisting::Refuse
    } else {
        OnExisting::Update
    };
    let (view, saved) = state.store.create_product_or(&ctx, found, body.into_input()?).await?;
    let status = match saved {
        Saved::Created => StatusCode::CREATED,
        Saved::Updated => StatusCode::OK,
    };
    Ok((status, tagged(view.product.version), Json(ProductOut::from(view))))
}

/// What `GET /api/v1/products` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListProducts {
    /// Relations to include: variants, mediaAssets
    #[param(value_type = Option<String>)]
    pub include: Option<IncludeParam>,
    /// Page size, 1 to 200 (default 50)
    #[param(value_type = Option<u32>)]
    pub limit: PageSize,
    /// The X-Next-Cursor of the previous page
    pub cursor: Option<String>,
    /// false (default), true (only archived) or all
    #[param(value_type = Option<String>)]
    pub archived: ArchivedParam,
    /// Also return X-Total-Count
    #[param(value_type = Option<bool>)]
    pub count: Flag,
}

/// List the organization's products in creation order, a page at a time.
///
/// Query: `include` (variants, mediaAssets), `limit` (1–200, default 50), `cursor` (from the
/// previous page's `X-Next-Cursor` header), `archived` (`false` by default, `true` for archived
/// products only, `all` for both), `count=true` for an `X-Total-Count` header.
#[utoipa::path(get, path = "/api/v1/products", tag = "Products",
    params(ListProducts),
    responses(
        (status = 200, description = "A page of products; X-Next-Cursor and a Link header point at the next", body = Vec<ProductOut>),
        (status = 400, description = "Invalid parameter", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
    ))]
pub async fn list_products(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Query(q): Query<ListProducts>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Response), ApiError> {
    let limit = q.limit.0;
    let query = ProductQuery {
        filter: ProductFilter {
            archived: q.archived.0,
            ..ProductFilter::default()
        },
        paging: Paging::After(
            q.cursor
                .as_deref()
                .map(|c| Cursor::decode("cursor", c, Sort::default()))
                .transpose()?,
        ),
        limit,
        count: if q.count.0 { CountMode::Exact } else { CountMode::None },
        ..ProductQuery::default()
    };
    let include = q.include.map_or(Include::default(), |i| i.0);
    let page = state.store.list_products_cached(&ctx, &query, include).await?;
    let mut headers = HeaderMap::new();
    if let Some(next) = &page.next_cursor {
        // The next page keeps what the client asked for, as it spelled it.
        let given = query::pairs(raw.as_deref());
        let mut link = format!("</api/v1/products?limit={limit}&cursor={next}");
        for key in ["include", "archived"] {
            if let Some(v) = given.get(key) {
                link.push_str(&format!(
                    "&{key}={}",
                    v.replace(|c: char| !c.is_ascii_alphanumeric() && c != ',', "")
                ));
            }
        }
        link.push_str(">; rel=\"next\"");
        if let Ok(v) = HeaderValue::from_str(next) {
            headers.insert("x-next-cursor", v);
        }
        if let Ok(v) = HeaderValue::from_str(&link) {
            headers.insert("link", v);
        }
    }
    if let Some(total) = page.total {
        headers.insert("x-total-count", HeaderValue::from(total));
    }
    let items = rendered::kept_or_rendered_each(
        &state,
        &ctx,
        page.items,
        Some(rendered::PRODUCTS_API),
        rendered::Envelope::BARE,
        |views| async move { rendered::json_each(views, ProductOut::from) },
    )
    .await?;
    Ok((headers, rendered::respond(rendered::json_array(&items).into())))
}

/// What `GET /api/v1/products/search` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SearchProducts {
    /// Sync source type, e.g. shopify
    #[param(value_type = String, required = true)]
    pub sync_source: Option<String>,
    /// External id in the sync source
    pub sync_source_id: Option<String>,
    /// Relations to include: variants, mediaAssets (default mediaAssets)
    #[param(value_type = Option<String>)]
    pub include: Option<IncludeParam>,
    /// At most this many results, 1 to 200 (default 50)
    #[param(value_type = Option<u32>)]
    pub limit: PageSize,
}

/// Find products by sync source (and external id).
#[utoipa::path(get, path = "/api/v1/products/search", tag = "Products",
    params(SearchProducts),
    responses(
        (status = 200, description = "Matching products", body = Vec<ProductOut>),
        (status = 400, description = "Missing syncSource", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
    ))]
pub async fn search_products(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Query(q): Query<SearchProducts>,
) -> Result<Json<Vec<ProductOut>>, ApiError> {
    // Blank counts as absent: `syncSource=` names no source.
    let source = q
        .sync_source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::bad_request("syncSource", "is required"))?;
    let id = q.sync_source_id.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let include = q.include.map_or(DEFAULT_ONE, |i| i.0);
    let found = state
        .store
        .find_products_by_sync(&ctx, source, id, include, q.limit.0)
        .await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

/// What `GET /api/v1/products/{productId}` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct GetProduct {
    /// Relations to include (default: mediaAssets)
    #[param(value_type = Option<String>)]
    pub include: Option<IncludeParam>,
}

/// Get one product.
#[utoipa::path(get, path = "/api/v1/products/{productId}", tag = "Products",
    params(
        ("productId" = String, Path, description = "The product ID"),
        GetProduct,
    ),
    responses(
        (status = 200, description = "The product", body = ProductOut, headers(("ETag" = String, description = "The product's version"))),
        (status = 400, description = "Invalid id or parameter", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
    ))]
pub async fn get_product(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    Query(q): Query<GetProduct>,
) -> Result<impl IntoResponse, ApiError> {
    let id = path_id("productId", &id)?;
    let include = q.include.map_or(DEFAULT_ONE, |i| i.0);
    let p = state.store.get_product_cached(&ctx, id, include).await?;
    let version = p.view().product.version;
    let body = rendered::kept_or_rendered(&state, &ctx, p, Some(rendered::PRODUCTS_API), |v| async move {
        rendered::json(&ProductOut::from(v)).map_err(|_| ApiError::internal())
    })
    .await?;
    Ok((tagged(version), rendered::respond(body)))
}

/// Update a product's own fields.
#[utoipa::path(put, path = "/api/v1/products/{productId}", tag = "Products", request_body = UpdateProduct,
    params(("productId" = String, Path, description = "The product ID"), IfMatchHeader),
    responses(
        (status = 200, description = "The updated product, with variants and media", body = ProductOut, headers(("ETag" = String, description = "The product's new version"))),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
        (status = 409, description = "Handle taken", body = ErrorBody),
        (status = 412, description = "The product is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The product's current version"))),
    ))]
pub async fn update_product(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<UpdateProduct>,
) -> Result<impl IntoResponse, ApiError> {
    let id = path_id("productId", &id)?;
    let view = state
        .store
        .update_product(&ctx, id, if_match.get(), body.into_patch()?, ALL)
        .await?;
    Ok((tagged(view.product.version), Json(ProductOut::from(view))))
}

/// Archive a product (`archived: true`); it leaves lists unless `archived` is asked for.
#[utoipa::path(delete, path = "/api/v1/products/{productId}", tag = "Products",
    params(("productId" = String, Path, description = "The product ID"), IfMatchHeader),
    responses(
        (status = 200, description = "The archived product", body = ProductOut, headers(("ETag" = String, description = "The product's new version"))),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
        (status = 412, description = "The product is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The product's current version"))),
    ))]
pub async fn archive_product(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    if_match: IfMatch,
) -> Result<impl IntoResponse, ApiError> {
    let id = path_id("productId", &id)?;
    let view = state
        .store
        .archive_product(&ctx, id, if_match.get(), DEFAULT_ONE)
        .await?;
    Ok((tagged(view.product.version), Json(ProductOut::from(view))))
}
