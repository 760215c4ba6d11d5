//! `/api/v1/products`: create (with upsert by sync source), list, search, get, update, archive.

use super::caller::Caller;
use super::params;
use super::view::ProductOut;
use super::wire::{CreateProduct, UpdateProduct};
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, QueryMap, path_id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use pimento_core::product::Include;
use pimento_core::query::{Archived, CountMode, Cursor, Paging, ProductFilter, ProductQuery, Sort};
use pimento_store::catalog::Saved;

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
#[utoipa::path(post, path = "/api/v1/products", tag = "Products", request_body = CreateProduct,
    responses(
        (status = 201, description = "Product created", body = ProductOut),
        (status = 200, description = "Existing product with the same sync source updated", body = ProductOut),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 409, description = "Duplicate SKU, handle or option combination", body = ErrorBody),
    ))]
pub async fn create_product(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    JsonBody(body): JsonBody<CreateProduct>,
) -> Result<(StatusCode, Json<ProductOut>), ApiError> {
    let (view, saved) = state.store.create_product(&ctx, body.into_input()?).await?;
    let status = match saved {
        Saved::Created => StatusCode::CREATED,
        Saved::Updated => StatusCode::OK,
    };
    Ok((status, Json(view.into())))
}

/// List the organization's products in creation order, a page at a time.
///
/// Query: `include` (variants, mediaAssets), `limit` (1–200, default 50), `cursor` (from the
/// previous page's `X-Next-Cursor` header), `archived` (`false` by default, `true` for archived
/// products only, `all` for both), `count=true` for an `X-Total-Count` header.
#[utoipa::path(get, path = "/api/v1/products", tag = "Products",
    params(
        ("include" = Option<String>, Query, description = "Relations to include: variants, mediaAssets"),
        ("limit" = Option<u32>, Query, description = "Page size, 1 to 200 (default 50)"),
        ("cursor" = Option<String>, Query, description = "The X-Next-Cursor of the previous page"),
        ("archived" = Option<String>, Query, description = "false (default), true (only archived) or all"),
        ("count" = Option<bool>, Query, description = "Also return X-Total-Count"),
    ),
    responses(
        (status = 200, description = "A page of products; X-Next-Cursor and a Link header point at the next", body = Vec<ProductOut>),
        (status = 400, description = "Invalid parameter", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
    ))]
pub async fn list_products(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    QueryMap(q): QueryMap,
) -> Result<(HeaderMap, Json<Vec<ProductOut>>), ApiError> {
    let archived = match q.get("archived").map(String::as_str) {
        None | Some("false") => Archived::Exclude,
        Some("true") => Archived::Only,
        Some("all") => Archived::Include,
        Some(other) => {
            return Err(ApiError::bad_request(
                "archived",
                format!("'{other}' is not false, true or all"),
            ));
        }
    };
    let limit = params::limit(&q)?;
    let query = ProductQuery {
        filter: ProductFilter {
            archived,
            ..ProductFilter::default()
        },
        paging: Paging::After(
            q.get("cursor")
                .map(|c| Cursor::decode("cursor", c, Sort::default()))
                .transpose()?,
        ),
        limit,
        count: if crate::extract::flag(&q, "count")? {
            CountMode::Exact
        } else {
            CountMode::None
        },
        ..ProductQuery::default()
    };
    let include = params::include(&q, Include::default())?;
    let page = state.store.list_products(&ctx, &query, include).await?;
    let mut headers = HeaderMap::new();
    if let Some(next) = &page.next_cursor {
        let mut link = format!("</api/v1/products?limit={limit}&cursor={next}");
        for key in ["include", "archived"] {
            if let Some(v) = q.get(key) {
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
    Ok((headers, Json(page.items.into_iter().map(Into::into).collect())))
}

/// Find products by sync source (and external id).
#[utoipa::path(get, path = "/api/v1/products/search", tag = "Products",
    params(
        ("syncSource" = String, Query, description = "Sync source type, e.g. shopify"),
        ("syncSourceId" = Option<String>, Query, description = "External id in the sync source"),
        ("include" = Option<String>, Query, description = "Relations to include: variants, mediaAssets (default mediaAssets)"),
        ("limit" = Option<u32>, Query, description = "At most this many results, 1 to 200 (default 50)"),
    ),
    responses(
        (status = 200, description = "Matching products", body = Vec<ProductOut>),
        (status = 400, description = "Missing syncSource", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
    ))]
pub async fn search_products(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    QueryMap(q): QueryMap,
) -> Result<Json<Vec<ProductOut>>, ApiError> {
    let source = q
        .get("syncSource")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::bad_request("syncSource", "is required"))?;
    let id = q.get("syncSourceId").map(|s| s.trim()).filter(|s| !s.is_empty());
    let found = state
        .store
        .find_products_by_sync(&ctx, source, id, params::include(&q, DEFAULT_ONE)?, params::limit(&q)?)
        .await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

/// Get one product.
#[utoipa::path(get, path = "/api/v1/products/{productId}", tag = "Products",
    params(
        ("productId" = String, Path, description = "The product ID"),
        ("include" = Option<String>, Query, description = "Relations to include (default: mediaAssets)"),
    ),
    responses(
        (status = 200, description = "The product", body = ProductOut),
        (status = 400, description = "Invalid id or parameter", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
    ))]
pub async fn get_product(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    QueryMap(q): QueryMap,
) -> Result<Json<ProductOut>, ApiError> {
    let id = path_id("productId", &id)?;
    let view = state
        .store
        .get_product(&ctx, id, params::include(&q, DEFAULT_ONE)?)
        .await?;
    Ok(Json(view.into()))
}

/// Update a product's own fields.
#[utoipa::path(put, path = "/api/v1/products/{productId}", tag = "Products", request_body = UpdateProduct,
    params(("productId" = String, Path, description = "The product ID")),
    responses(
        (status = 200, description = "The updated product, with variants and media", body = ProductOut),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
        (status = 409, description = "Handle taken", body = ErrorBody),
    ))]
pub async fn update_product(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<UpdateProduct>,
) -> Result<Json<ProductOut>, ApiError> {
    let id = path_id("productId", &id)?;
    let view = state.store.update_product(&ctx, id, body.into_patch()?, ALL).await?;
    Ok(Json(view.into()))
}

/// Archive a product (`archived: true`); it leaves lists unless `archived` is asked for.
#[utoipa::path(delete, path = "/api/v1/products/{productId}", tag = "Products",
    params(("productId" = String, Path, description = "The product ID")),
    responses(
        (status = 200, description = "The archived product", body = ProductOut),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 403, description = "Publishable key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
    ))]
pub async fn archive_product(
    State(state): State<AppState>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> Result<Json<ProductOut>, ApiError> {
    let id = path_id("productId", &id)?;
    let view = state.store.archive_product(&ctx, id, DEFAULT_ONE).await?;
    Ok(Json(view.into()))
}
