//! `/api/v1/pim/products`: list, create, get, update, delete (permanent).

use super::caller::PimCaller;
use super::params::{Offset, PageSize, SortParam, page_headers};
use super::view::PimProduct;
use super::wire::{CreatePimProduct, UpdatePimProduct};
use crate::app::AppState;
use crate::error::ApiError;
use crate::error::ErrorBody;
use crate::extract::{JsonBody, path_id};
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use crate::query::{Flag, OptId, Query, from_text};
use crate::rendered;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use pimento_core::ids::{BrandId, CollectionId, ProductTypeId, TagId, VendorId};
use pimento_core::product::{Include, ProductStatus};
use pimento_core::query::{Cursor, Paging, ProductFilter, ProductQuery, Sort};
use pimento_core::taxonomy::CategoryRef;
use serde::{Deserialize, Deserializer};
use utoipa::IntoParams;

const ALL: Include = Include {
    variants: true,
    media: true,
    tags: true,
};

/// What `GET /api/v1/pim/products` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListProducts {
    /// Page size, 1 to 100 (default 100)
    #[param(value_type = Option<u32>)]
    pub limit: PageSize,
    /// The X-Next-Cursor of the previous page
    pub cursor: Option<String>,
    /// ACTIVE, DRAFT, …
    #[param(value_type = Option<String>)]
    pub status: Option<StatusParam>,
    /// Only products in the category with this slug
    pub category: Option<String>,
    /// Only products in this category
    #[param(value_type = Option<String>)]
    pub category_id: OptId<uuid::Uuid>,
    /// With a category: its subcategories' products too
    #[param(value_type = Option<bool>)]
    pub include_subcategories: Flag,
    /// Only products of this brand
    #[param(value_type = Option<String>)]
    pub brand_id: OptId<BrandId>,
    /// Only products of this vendor
    #[param(value_type = Option<String>)]
    pub vendor_id: OptId<VendorId>,
    /// Only products in this collection
    #[param(value_type = Option<String>)]
    pub collection_id: OptId<CollectionId>,
    /// Only products of this type
    #[param(value_type = Option<String>)]
    pub type_id: OptId<ProductTypeId>,
    /// Only products carrying this tag
    #[param(value_type = Option<String>)]
    pub tag_id: OptId<TagId>,
    /// Full-text search: every word must start a word of the title, description, short description, meta keywords, handle or a variant's SKU
    pub q: Option<String>,
    /// Skip this many products (instead of a cursor); a cursor costs the same at any depth, an offset more the deeper it goes
    #[param(value_type = Option<u64>)]
    pub offset: Offset,
    /// created_at (default), updated_at, title, handle, status, price (the lowest variant price), stock (all variants), sku; a leading - sorts descending
    #[param(value_type = Option<String>)]
    pub sort: SortParam,
}

impl ListProducts {
    /// The category asked for, by slug or by id; both at once is refused.
    fn category(&self) -> Result<Option<CategoryRef>, ApiError> {
        match (&self.category, self.category_id.0) {
            (Some(_), Some(_)) => Err(ApiError::bad_request(
                "category",
                "give a category slug or a category_id, not both",
            )),
            (Some(slug), None) => Ok(Some(CategoryRef::Slug(slug.trim().to_owned()))),
            (None, Some(id)) => Ok(Some(CategoryRef::Id(id.into()))),
            (None, None) => Ok(None),
        }
    }

    /// Where the page starts: after a cursor (blank counts as none) or at an offset, not both.
    fn paging(&self, sort: Sort) -> Result<Paging, ApiError> {
        let cursor = self.cursor.as_deref().filter(|c| !c.trim().is_empty());
        match (cursor, self.offset.0) {
            (Some(_), Some(_)) => Err(ApiError::bad_request("offset", "give a cursor or an offset, not both")),
            (None, Some(offset)) => Ok(Paging::Offset(offset)),
            (cursor, None) => Ok(Paging::After(
                cursor.map(|c| Cursor::decode("cursor", c, sort)).transpose()?,
            )),
        }
    }
}

/// `?status=`: a product status, as a product body spells it.
#[derive(Debug, Clone, Copy)]
pub struct StatusParam(pub ProductStatus);

impl<'de> Deserialize<'de> for StatusParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| {
            super::wire::status(raw).map(StatusParam).map_err(|e| e.message)
        })
    }
}

/// List products, at most 100 per page, in creation order or by `sort`.
///
/// Archived products (archived through another API) are left out. Filters: `q` (full-text
/// search), `status`, `category` (a slug) or `category_id`, with `include_subcategories=true`
/// for the whole subtree, and `brand_id`.
#[utoipa::path(get, path = "/api/v1/pim/products", tag = "Products",
    params(ListProducts),
    responses(
        (status = 200, description = "Array of product objects; X-Next-Cursor and Link name the next page", body = Vec<PimProduct>),
        (status = 400, description = "Missing or malformed header or parameter", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Tenant or organization not found for this key", body = ErrorBody),
    ))]
pub async fn list_products(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<ListProducts>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Response), ApiError> {
    let limit = q.limit.0;
    let sort = q.sort.0;
    let filter = ProductFilter {
        category: q.category()?,
        category_subtree: q.include_subcategories.0,
        brand_ids: q.brand_id.0.map(|b| vec![b]),
        statuses: q.status.map(|s| vec![s.0]),
        search: q.q.clone(),
        vendor_ids: q.vendor_id.0.map(|v| vec![v]),
        collection_ids: q.collection_id.0.map(|c| vec![c]),
        type_ids: q.type_id.0.map(|t| vec![t]),
        tag_ids: q.tag_id.0.map(|t| vec![t]),
        ..ProductFilter::default()
    };
    let query = ProductQuery {
        filter,
        sort,
        paging: q.paging(sort)?,
        limit,
        ..ProductQuery::default()
    };
    let page = state.store.list_products_cached(&ctx, &query, ALL).await?;
    let ctx = &ctx;
    let items = rendered::kept_or_rendered_each(
        &state,
        ctx,
        page.items,
        Some(rendered::PIM),
        rendered::Envelope::BARE,
        |views| async move { rendered::json_each(views, |v| PimProduct::new(ctx, v)) },
    )
    .await?;
    let headers = page_headers("/api/v1/pim/products", raw.as_deref(), limit, page.next_cursor);
    Ok((headers, rendered::respond(rendered::json_array(&items).into())))
}

/// Create a product; it is ACTIVE unless a status is given.
#[utoipa::path(post, path = "/api/v1/pim/products", tag = "Products", request_body = CreatePimProduct,
    responses(
        (status = 201, description = "The newly created product", body = PimProduct, headers(("ETag" = String, description = "The product's version"))),
        (status = 400, description = "Invalid field, unknown category slug, brand, template or attribute", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Tenant or organization not found for this key", body = ErrorBody),
        (status = 409, description = "Handle taken", body = ErrorBody),
    ))]
pub async fn create_product(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    JsonBody(body): JsonBody<CreatePimProduct>,
) -> Result<impl IntoResponse, ApiError> {
    let (view, _) = state
        .store
        .create_product(&ctx, body.into_input()?)
        .await
        .map_err(|e| ApiError::from(e).named(super::names::PRODUCT))?;
    let etag = tagged(view.product.version);
    Ok((StatusCode::CREATED, etag, Json(PimProduct::new(&ctx, view))))
}

/// Get a product with its variants and media.
#[utoipa::path(get, path = "/api/v1/pim/products/{id}", tag = "Products",
    params(("id" = String, Path, description = "UUID of the product")),
    responses(
        (status = 200, description = "The product", body = PimProduct, headers(("ETag" = String, description = "The product's version"))),
        (status = 400, description = "Malformed id or header", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
    ))]
pub async fn get_product(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let p = state.store.get_product_cached(&ctx, path_id("id", &id)?, ALL).await?;
    let ctx = &ctx;
    let version = p.view().product.version;
    let body = rendered::kept_or_rendered(&state, ctx, p, Some(rendered::PIM), |v| async move {
        rendered::json(&PimProduct::new(ctx, v)).map_err(|_| ApiError::internal())
    })
    .await?;
    Ok((tagged(version), rendered::respond(body)))
}

/// Update the title, description, category, brand, template, attributes or status.
#[utoipa::path(put, path = "/api/v1/pim/products/{id}", tag = "Products", request_body = UpdatePimProduct,
    params(("id" = String, Path, description = "UUID of the product"), IfMatchHeader),
    responses(
        (status = 200, description = "The updated product", body = PimProduct, headers(("ETag" = String, description = "The product's new version"))),
        (status = 400, description = "Invalid field", body = ErrorBody),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
        (status = 409, description = "Handle taken", body = ErrorBody),
        (status = 412, description = "The product is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The product's current version"))),
    ))]
pub async fn update_product(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<UpdatePimProduct>,
) -> Result<impl IntoResponse, ApiError> {
    let id = path_id("id", &id)?;
    let view = state
        .store
        .update_product(&ctx, id, if_match.get(), body.into_patch()?, ALL)
        .await
        .map_err(|e| ApiError::from(e).named(super::names::PRODUCT))?;
    let etag = tagged(view.product.version);
    Ok((etag, Json(PimProduct::new(&ctx, view))))
}

/// Delete a product permanently, with its variants and media attachments; it can be restored
/// for the retention window (`POST /api/v1/pim/products/{id}/restore`).
#[utoipa::path(delete, path = "/api/v1/pim/products/{id}", tag = "Products",
    params(("id" = String, Path, description = "UUID of the product"), IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid key", body = ErrorBody),
        (status = 404, description = "Product not found", body = ErrorBody),
        (status = 412, description = "The product is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The product's current version"))),
    ))]
pub async fn delete_product(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .delete_product(&ctx, path_id("id", &id)?, if_match.get())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
