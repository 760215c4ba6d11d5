//! `/api/v1/pim/products`: list, create, get, update, delete (permanent).

use super::caller::PimCaller;
use super::params::{self, opt_id, paged};
use super::view::PimProduct;
use super::wire::{CreatePimProduct, UpdatePimProduct};
use crate::app::AppState;
use crate::error::ApiError;
use crate::error::ErrorBody;
use crate::extract::{JsonBody, QueryMap, path_id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use pimento_core::product::Include;
use pimento_core::query::{Cursor, Paging, ProductFilter, ProductQuery};
use pimento_core::taxonomy::CategoryRef;

const ALL: Include = Include {
    variants: true,
    media: true,
    tags: true,
};

/// List products, at most 100 per page, in creation order or by `sort`.
///
/// Archived products (archived through another API) are left out. Filters: `q` (full-text
/// search), `status`, `category` (a slug) or `category_id`, with `include_subcategories=true`
/// for the whole subtree, and `brand_id`.
#[utoipa::path(get, path = "/api/v1/pim/products", tag = "Products",
    params(
        ("limit" = Option<u32>, Query, description = "Page size, 1 to 100 (default 100)"),
        ("cursor" = Option<String>, Query, description = "The X-Next-Cursor of the previous page"),
        ("status" = Option<String>, Query, description = "ACTIVE, DRAFT, …"),
        ("category" = Option<String>, Query, description = "Only products in the category with this slug"),
        ("category_id" = Option<String>, Query, description = "Only products in this category"),
        ("include_subcategories" = Option<bool>, Query, description = "With a category: its subcategories' products too"),
        ("brand_id" = Option<String>, Query, description = "Only products of this brand"),
        ("vendor_id" = Option<String>, Query, description = "Only products of this vendor"),
        ("collection_id" = Option<String>, Query, description = "Only products in this collection"),
        ("type_id" = Option<String>, Query, description = "Only products of this type"),
        ("tag_id" = Option<String>, Query, description = "Only products carrying this tag"),
        ("q" = Option<String>, Query, description = "Full-text search: every word must start a word of the title, description, short description, meta keywords, handle or a variant's SKU"),
        ("offset" = Option<u64>, Query, description = "Skip this many products (instead of a cursor); a cursor costs the same at any depth, an offset more the deeper it goes"),
        ("sort" = Option<String>, Query, description = "created_at (default), updated_at, title, handle, status, price (the lowest variant price), stock (all variants), sku; a leading - sorts descending"),
    ),
    responses(
        (status = 200, description = "Array of product objects; X-Next-Cursor and Link name the next page", body = Vec<PimProduct>),
        (status = 400, description = "Missing or malformed header or parameter", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Tenant or organization not found for this key", body = ErrorBody),
    ))]
pub async fn list_products(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    QueryMap(q): QueryMap,
) -> Result<(HeaderMap, Json<Vec<PimProduct>>), ApiError> {
    let limit = params::limit(&q)?;
    let status = q.get("status").map(|s| super::wire::status(s)).transpose()?;
    let filter = ProductFilter {
        category: match (q.get("category"), opt_id::<uuid::Uuid>(&q, "category_id")?) {
            (Some(_), Some(_)) => {
                return Err(crate::error::ApiError::bad_request(
                    "category",
                    "give a category slug or a category_id, not both",
                ));
            }
            (Some(slug), None) => Some(CategoryRef::Slug(slug.trim().to_owned())),
            (None, Some(id)) => Some(CategoryRef::Id(id.into())),
            (None, None) => None,
        },
        category_subtree: crate::extract::flag(&q, "include_subcategories")?,
        brand_ids: opt_id::<uuid::Uuid>(&q, "brand_id")?.map(|b| vec![b.into()]),
        statuses: status.map(|s| vec![s]),
        search: q.get("q").cloned(),
        vendor_ids: opt_id::<uuid::Uuid>(&q, "vendor_id")?.map(|v| vec![v.into()]),
        collection_ids: opt_id::<uuid::Uuid>(&q, "collection_id")?.map(|c| vec![c.into()]),
        type_ids: opt_id::<uuid::Uuid>(&q, "type_id")?.map(|t| vec![t.into()]),
        tag_ids: opt_id::<uuid::Uuid>(&q, "tag_id")?.map(|t| vec![t.into()]),
        ..ProductFilter::default()
    };
    let sort = params::sort(&q)?;
    let query = ProductQuery {
        filter,
        sort,
        paging: match (
            q.get("cursor").filter(|c| !c.trim().is_empty()),
            params::opt::<u64>(&q, "offset", "a whole number")?,
        ) {
            (Some(_), Some(_)) => return Err(ApiError::bad_request("offset", "give a cursor or an offset, not both")),
            (None, Some(offset)) => Paging::Offset(offset),
            (cursor, None) => Paging::After(cursor.map(|c| Cursor::decode("cursor", c, sort)).transpose()?),
        },
        limit,
        ..ProductQuery::default()
    };
    let page = state.store.list_products(&ctx, &query, ALL).await?;
    let items = page.items.into_iter().map(|v| PimProduct::new(&ctx, v)).collect();
    Ok(paged("/api/v1/pim/products", &q, limit, page.next_cursor, items))
}

/// Create a product; it is ACTIVE unless a status is given.
#[utoipa::path(post, path = "/api/v1/pim/products", tag = "Products", request_body = CreatePimProduct,
    responses(
        (status = 201, description = "The newly created product", body = PimProduct),
        (status = 400, description = "Invalid field, unknown category slug, brand, template or attribute", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Tenant or organization not found for this key", body = ErrorBody),
        (status = 409, description = "Handle taken", body = ErrorBody),
    ))]
pub async fn create_product(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    JsonBody(body): JsonBody<CreatePimProduct>,
) -> Result<(StatusCode, Json<PimProduct>), ApiError> {
    let (view, _) = state
        .store
        .create_product(&ctx, body.into_input()?)
        .await
        .map_err(|e| ApiError::from(e).named(super::names::PRODUCT))?;
    Ok((StatusCode::CREATED, Json(PimProduct::new(&ctx, view))))
}

/// Get a product with its variants and media.
#[utoipa::path(get, path = "/api/v1/pim/products/{id}", tag = "Products",
    params(("id" = String, Path, description = "UUID of the product")),
    responses(
        (status = 200, description = "The product", body = PimProduct),
        (status = 400, description = "Malformed id or header", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
    ))]
pub async fn get_product(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<Json<PimProduct>, ApiError> {
    let view = state.store.get_product(&ctx, path_id("id", &id)?, ALL).await?;
    Ok(Json(PimProduct::new(&ctx, view)))
}

/// Update the title, description, category, brand, template, attributes or status.
#[utoipa::path(put, path = "/api/v1/pim/products/{id}", tag = "Products", request_body = UpdatePimProduct,
    params(("id" = String, Path, description = "UUID of the product")),
    responses(
        (status = 200, description = "The updated product", body = PimProduct),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
        (status = 409, description = "Handle taken", body = ErrorBody),
    ))]
pub async fn update_product(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<UpdatePimProduct>,
) -> Result<Json<PimProduct>, ApiError> {
    let id = path_id("id", &id)?;
    let view = state
        .store
        .update_product(&ctx, id, body.into_patch()?, ALL)
        .await
        .map_err(|e| ApiError::from(e).named(super::names::PRODUCT))?;
    Ok(Json(PimProduct::new(&ctx, view)))
}

/// Delete a product permanently, with its variants and media attachments.
#[utoipa::path(delete, path = "/api/v1/pim/products/{id}", tag = "Products",
    params(("id" = String, Path, description = "UUID of the product")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
    ))]
pub async fn delete_product(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.store.delete_product(&ctx, path_id("id", &id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
