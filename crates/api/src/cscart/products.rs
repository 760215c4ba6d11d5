//! `/api/products[/{id}]` and the scoped lists and creates (`/api/categories/{id}/products`,
//! `/api/stores/{company_id}/products`, `/api/vendors/{vendor_id}/products`): list, read,
//! create, update, delete.
//!
//! A CS-Cart product is a core product with one variant, its default: the product's
//! `product_code`, `price`, `list_price` and `amount` are that variant's SKU, price, list price
//! and stock (a product made elsewhere with several variants shows its default variant's, and
//! the stock of all). DELETE deletes the product for good, as CS-Cart's does.

use super::caller::CsCartCaller;
use super::features::value_of;
use super::images;
use super::params::ListProducts;
use super::render::Lookup;
use super::values::bad;
use super::view::{self, main_variant};
use super::wire::{ProductBody, ProductParts};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use crate::query::Query;
use crate::rendered;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pimento_core::auth::Ctx;
use pimento_core::ids::{AttributeId, CategoryId, ProductId, VendorId};
use pimento_core::numbers::Numbered;
use pimento_core::patch::Patch;
use pimento_core::product::{Classification, Include, ProductInput, ProductPatch, ProductView};
use pimento_core::taxonomy::CategoryRef;
use pimento_core::variant::{PriceInput, Variant, VariantInput, VariantPatch};
use pimento_core::{CoreError, Entity};
use pimento_store::catalog::{ProductChange, VariantChange};
use pimento_store::{CachedProduct, StoreError};
use serde_json::{Map, Value, json};
use uuid::Uuid;

const ALL: Include = Include {
    variants: true,
    media: true,
    tags: false,
};

/// CS-Cart's 404 for an object.
pub fn not_found(what: &str) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("{what} not found"))
}

/// The id of the caller's object of `kind` numbered `n`, if it has one.
pub async fn find(state: &AppState, ctx: &Ctx, kind: Numbered, n: i64) -> Result<Option<Uuid>, ApiError> {
    match state.store.id_by_number(ctx, kind, n).await {
        Ok(id) => Ok(Some(id)),
        Err(StoreError::Domain(CoreError::NotFound(_))) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The number in a path, or the 404 of `what` for anything that is not one.
pub fn path_number(raw: &str, what: &str) -> Result<i64, ApiError> {
    pimento_core::numbers::parse_number("id", raw).map_err(|_| not_found(what))
}

/// The product a path names, live, with its variants and media; 404 otherwise.
async fn load(state: &AppState, ctx: &Ctx, raw: &str) -> Result<ProductView, ApiError> {
    Ok(load_cached(state, ctx, raw).await?.into_view())
}

/// [`load`], with the bodies kept with the cached view.
async fn load_cached(state: &AppState, ctx: &Ctx, raw: &str) -> Result<CachedProduct, ApiError> {
    let n = path_number(raw, "Product")?;
    let id = find(state, ctx, Numbered::Product, n)
        .await?
        .ok_or_else(|| not_found("Product"))?;
    match state.store.get_product_cached(ctx, ProductId(id), ALL).await {
        Ok(p) if p.view().product.archived_at.is_none() => Ok(p),
        Ok(_) | Err(StoreError::Domain(CoreError::NotFound(_))) => Err(not_found("Product")),
        Err(e) => Err(e.into()),
    }
}

/// Where a list or a create is scoped.
#[derive(Debug, Default, Clone, Copy)]
struct Scope {
    category: Option<CategoryId>,
    /// The vendor and the number the path gave it by.
    vendor: Option<(VendorId, i64)>,
}

async fn vendor_scope(state: &AppState, ctx: &Ctx, raw: &str) -> Result<Scope, ApiError> {
    let n = path_number(raw, "Vendor")?;
    let id = find(state, ctx, Numbered::Vendor, n)
        .await?
        .ok_or_else(|| not_found("Vendor"))?;
    Ok(Scope {
        vendor: Some((VendorId(id), n)),
        ..Scope::default()
    })
}

async fn category_scope(state: &AppState, ctx: &Ctx, raw: &str) -> Result<Scope, ApiError> {
    let n = path_number(raw, "Category")?;
    let id = find(state, ctx, Numbered::Category, n)
        .await?
        .ok_or_else(|| not_found("Category"))?;
    Ok(Scope {
        category: Some(CategoryId(id)),
        ..Scope::default()
    })
}

async fn list(state: &AppState, ctx: &Ctx, q: &ListProducts, scope: Scope) -> Result<Response, ApiError> {
    let (mut query, numbers, shown) = q.query()?;
    let f = &mut query.filter;
    let mut nothing = false;
    match (scope.category, numbers.category) {
        (Some(c), _) => f.category = Some(CategoryRef::Id(c)),
        (None, Some(n)) => match find(state, ctx, Numbered::Category, n).await? {
            Some(id) => f.category = Some(CategoryRef::Id(CategoryId(id))),
            None => nothing = true,
        },
        (None, None) => {}
    }
    if f.category.is_none() {
        f.category_subtree = false;
    }
    let mut vendors: Vec<VendorId> = scope.vendor.map(|(v, _)| v).into_iter().collect();
    if let Some(n) = numbers.vendor {
        match find(state, ctx, Numbered::Vendor, n).await? {
            Some(id) if vendors.is_empty() || vendors.contains(&VendorId(id)) => vendors = vec![VendorId(id)],
            _ => nothing = true,
        }
    }
    if !vendors.is_empty() {
        f.vendor_ids = Some(vendors);
    }
    if let Some(list) = numbers.products {
        let mut ids = Vec::new();
        for n in list {
            ids.extend(find(state, ctx, Numbered::Product, n).await?.map(ProductId));
        }
        f.ids = Some(match f.ids.take() {
            Some(prev) => prev.into_iter().filter(|i| ids.contains(i)).collect(),
            None => ids,
        });
    }
    if nothing {
        f.ids = Some(Vec::new());
    }
    let page = state.store.list_products_cached(ctx, &query, ALL).await?;
    // Each product's JSON is the body `GET /api/products/{id}` keeps.
    let products = rendered::kept_or_rendered_each(
        state,
        ctx,
        page.items,
        Some(rendered::CSCART),
        rendered::Envelope::BARE,
        |views| async move {
            let lookup = Lookup::load(state, ctx, &views).await?;
            views
                .iter()
                .map(|v| rendered::json(&view::product(v, &lookup)).map_err(|_| ApiError::internal()))
                .collect()
        },
    )
    .await?;
    let mut params = json!({
        "area": "A",
        "page": shown.page,
        "items_per_page": shown.items_per_page,
        "sort_by": shown.sort_by,
        "sort_order": shown.sort_order,
        "sort_order_rev": if shown.sort_order == "asc" { "desc" } else { "asc" },
        "total_items": page.total.unwrap_or_default().to_string(),
    });
    if let (Value::Object(m), Ok(Value::Object(given))) = (&mut params, serde_json::to_value(q)) {
        for (k, v) in given {
            if !v.is_null() && !m.contains_key(&k) {
                m.insert(k, v);
            }
        }
    }
    // `{"params": …, "products": […]}`, the keys in the order serde_json writes a map's.
    let mut body = b"{\"params\":".to_vec();
    serde_json::to_writer(&mut body, &params).map_err(|_| ApiError::internal())?;
    body.extend_from_slice(b",\"products\":");
    let mut body = rendered::json_array_into(body, &products);
    body.push(b'}');
    Ok(rendered::respond(body.into()))
}

/// List products.
#[utoipa::path(get, path = "/api/products", tag = "Products", params(ListProducts),
    responses((status = 200, description = "{products: [...], params: {page, items_per_page, sort_by, sort_order, total_items, ...}}"),
        (status = 400, description = "A parameter that means nothing", body = super::error::CsCartErrorBody),
        (status = 401, description = "No valid key", body = super::error::CsCartErrorBody)))]
pub async fn list_products(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Query(q): Query<ListProducts>,
) -> Result<Response, ApiError> {
    list(&state, &ctx, &q, Scope::default()).await
}

/// List the products of a category (and, unless `subcats=N`, of its subcategories).
#[utoipa::path(get, path = "/api/categories/{category_id}/products", tag = "Products", params(("category_id" = String, Path, description = "The category's id"), ListProducts),
    responses((status = 200, description = "{products, params}"), (status = 404, description = "No such category", body = super::error::CsCartErrorBody)))]
pub async fn list_category_products(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(category): Path<String>,
    Query(q): Query<ListProducts>,
) -> Result<Response, ApiError> {
    let scope = category_scope(&state, &ctx, &category).await?;
    list(&state, &ctx, &q, scope).await
}

/// List the products of a store (Store Builder): the vendor numbered `company_id`.
#[utoipa::path(get, path = "/api/stores/{company_id}/products", tag = "Products", params(("company_id" = String, Path, description = "The store's (vendor's) id"), ListProducts),
    responses((status = 200, description = "{products, params}"), (status = 404, description = "No such store", body = super::error::CsCartErrorBody)))]
pub async fn list_store_products(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(company): Path<String>,
    Query(q): Query<ListProducts>,
) -> Result<Response, ApiError> {
    let scope = vendor_scope(&state, &ctx, &company).await?;
    list(&state, &ctx, &q, scope).await
}

/// List the products of a vendor (Multi-Vendor).
#[utoipa::path(get, path = "/api/vendors/{vendor_id}/products", tag = "Products", params(("vendor_id" = String, Path, description = "The vendor's id"), ListProducts),
    responses((status = 200, description = "{products, params}"), (status = 404, description = "No such vendor", body = super::error::CsCartErrorBody)))]
pub async fn list_vendor_products(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(vendor): Path<String>,
    Query(q): Query<ListProducts>,
) -> Result<Response, ApiError> {
    let scope = vendor_scope(&state, &ctx, &vendor).await?;
    list(&state, &ctx, &q, scope).await
}

/// One product.
#[utoipa::path(get, path = "/api/products/{product_id}", tag = "Products",
    params(("product_id" = String, Path, description = "The product's id")),
    responses((status = 200, description = "The product", headers(("ETag" = String, description = "The product's version"))), (status = 404, description = "No such product", body = super::error::CsCartErrorBody)))]
pub async fn get_product(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let p = load_cached(&state, &ctx, &raw).await?;
    let (state, ctx) = (&state, &ctx);
    let version = p.view().product.version;
    let body = rendered::kept_or_rendered(state, ctx, p, Some(rendered::CSCART), move |v| async move {
        let lookup = Lookup::load(state, ctx, std::slice::from_ref(&v)).await?;
        rendered::json(&view::product(&v, &lookup)).map_err(|_| ApiError::internal())
    })
    .await?;
    Ok((tagged(version), rendered::respond(body)))
}

/// One product of a category: 404 unless the product is in it (or one of its subcategories).
#[utoipa::path(get, path = "/api/categories/{category_id}/products/{product_id}", tag = "Products",
    params(("category_id" = String, Path, description = "The category's id"), ("product_id" = String, Path, description = "The product's id")),
    responses((status = 200, description = "The product", headers(("ETag" = String, description = "The product's version"))), (status = 404, description = "No such product in the category", body = super::error::CsCartErrorBody)))]
pub async fn get_category_product(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path((category, raw)): Path<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let scope = category_scope(&state, &ctx, &category).await?;
    let v = load(&state, &ctx, &raw).await?;
    let lookup = Lookup::load(&state, &ctx, std::slice::from_ref(&v)).await?;
    let within = |c: CategoryId| {
        lookup
            .categories
            .get(&c)
            .is_some_and(|c| super::render::path_ids(c).iter().any(|a| Some(*a) == scope.category))
    };
    let listed = v
        .product
        .category_id
        .into_iter()
        .chain(super::render::extra_categories(&v));
    if !listed.into_iter().any(within) {
        return Err(not_found("Product"));
    }
    Ok((tagged(v.product.version), Json(view::product(&v, &lookup))))
}

/// The core ids of a body's categories: the main one and the others.
async fn categories(
    state: &AppState,
    ctx: &Ctx,
    numbers: &[i64],
    main: Option<i64>,
) -> Result<(CategoryId, Vec<CategoryId>), ApiError> {
    let mut ids = Vec::new();
    let main = main.unwrap_or(numbers[0]);
    let all = std::iter::once(main).chain(numbers.iter().copied().filter(|n| *n != main));
    for (i, n) in all.enumerate() {
        let field = if i == 0 && Some(&main) != numbers.first() {
            "main_category"
        } else {
            "category_ids"
        };
        let id = find(state, ctx, Numbered::Category, n)
            .await?
            .ok_or_else(|| bad(field, format!("category {n} does not exist")))?;
        if !ids.contains(&CategoryId(id)) {
            ids.push(CategoryId(id));
        }
    }
    let first = ids.remove(0);
    Ok((first, ids))
}

/// The attribute values a body's `product_features` set.
async fn feature_values(
    state: &AppState,
    ctx: &Ctx,
    features: &[super::wire::FeatureEntry],
) -> Result<Map<String, Value>, ApiError> {
    let mut out = Map::new();
    for (n, entry, at) in features {
        let id = find(state, ctx, Numbered::Attribute, *n)
            .await?
            .ok_or_else(|| bad(at, format!("feature {n} does not exist")))?;
        let a = state.store.get_attribute(ctx, AttributeId(id)).await?;
        let value = value_of(at, &a, entry)?;
        // Checked here, so that a refusal names the entry as sent (by the feature's id), not
        // the attribute's key.
        if !value.is_null() {
            a.check_value(&value).map_err(|e| bad(at, e.message()))?;
        }
        out.insert(a.key.clone(), value);
    }
    Ok(out)
}

fn ids_text(ids: &[CategoryId]) -> Value {
    Value::String(ids.iter().map(|c| c.0.to_string()).collect::<Vec<_>>().join(","))
}

async fn create(state: &AppState, ctx: &Ctx, body: Map<String, Value>, scope: Scope) -> Result<Response, ApiError> {
    let parts = ProductParts::read(body, true)?;
    let (main, extra) = categories(
        state,
        ctx,
        parts.categories.as_deref().unwrap_or_default(),
        parts.main_category,
    )
    .await?;
    let vendor = match (scope.vendor, parts.company) {
        (Some((v, _)), None) => Some(v),
        (Some((v, n)), Some(sent)) if sent == Some(n) => Some(v),
        (Some((_, n)), Some(_)) => {
            return Err(bad(
                "company_id",
                format!("must be {n}, the vendor the path names, or be left out"),
            ));
        }
        (None, Some(Some(n))) => {
            Some(VendorId(find(state, ctx, Numbered::Vendor, n).await?.ok_or_else(
                || bad("company_id", format!("vendor {n} does not exist")),
            )?))
        }
        (None, _) => None,
    };
    let attributes = match &parts.features {
        Some(f) => feature_values(state, ctx, f).await?,
        None => Map::new(),
    };
    let (pairs, last_pair) = images::merge(Vec::new(), parts.main_pair.clone(), parts.image_pairs.clone(), 0);
    let (media, kept) = images::write(&pairs);
    let mut extra_fields = Map::new();
    if !extra.is_empty() {
        extra_fields.insert("extra_categories".into(), ids_text(&extra));
    }
    if !pairs.is_empty() {
        extra_fields.insert("pairs".into(), kept);
        extra_fields.insert("last_pair_id".into(), Value::from(last_pair));
    }
    let extension = parts.own_patch(extra_fields)?;
    let input = ProductInput {
        name: parts.name.clone().unwrap_or_default(),
        handle: parts.handle.clone(),
        description: parts.description.clone().apply(None),
        status: parts.status.unwrap_or_default(),
        variants: vec![VariantInput {
            sku: parts.code.clone().apply(None),
            price: parts.price.clone(),
            list_price: parts.list_price.clone().apply(None),
            inventory_quantity: parts.amount,
            ..VariantInput::default()
        }],
        media,
        classification: Classification {
            category: Patch::Set(CategoryRef::Id(main)),
            vendor_id: vendor.map_or(Patch::Keep, Patch::Set),
            attributes,
            ..Classification::default()
        },
        details: parts.details.clone(),
        extension,
        ..ProductInput::default()
    };
    let (view, _) = state.store.create_product(ctx, input).await?;
    Ok((StatusCode::CREATED, Json(json!({"product_id": view.product.number}))).into_response())
}

/// A new price in CS-Cart's currency for a variant: its own price when that is in CS-Cart's
/// currency (or it has none), else that currency's entry among its other prices, whose other
/// currencies stay as they are.
fn price_change(v: &Variant, price: Option<&str>) -> (Patch<String>, Option<Vec<PriceInput>>) {
    let Some(price) = price else {
        return (Patch::Keep, None);
    };
    let code = pimento_core::money::DEFAULT_CURRENCY;
    match &v.price {
        Some(own) if own.currency.code() != code => {
            let mut others: Vec<PriceInput> = v
                .prices
                .iter()
                .filter(|m| m.currency.code() != code)
                .map(|m| PriceInput {
                    amount: m.to_decimal_string(),
                    currency: m.currency.code().to_owned(),
                })
                .collect();
            others.push(PriceInput {
                amount: price.to_owned(),
                currency: code.to_owned(),
            });
            (Patch::Keep, Some(others))
        }
        _ => (Patch::Set(price.to_owned()), None),
    }
}

/// Create a product: `product`, `category_ids` and `price` are required. Answers 201 with its id.
#[utoipa::path(post, path = "/api/products", tag = "Products", request_body = ProductBody,
    responses((status = 201, description = "{product_id}"), (status = 400, description = "A field refused", body = super::error::CsCartErrorBody)))]
pub async fn create_product(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> Result<Response, ApiError> {
    create(&state, &ctx, body, Scope::default()).await
}

/// Create a product of a store (Store Builder).
#[utoipa::path(post, path = "/api/stores/{company_id}/products", tag = "Products", request_body = ProductBody,
    params(("company_id" = String, Path, description = "The store's (vendor's) id")),
    responses((status = 201, description = "{product_id}"), (status = 400, description = "A field refused", body = super::error::CsCartErrorBody), (status = 404, description = "No such store", body = super::error::CsCartErrorBody)))]
pub async fn create_store_product(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(company): Path<String>,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> Result<Response, ApiError> {
    let scope = vendor_scope(&state, &ctx, &company).await?;
    create(&state, &ctx, body, scope).await
}

/// Create a product of a vendor (Multi-Vendor): its `company_id` is the vendor's.
#[utoipa::path(post, path = "/api/vendors/{vendor_id}/products", tag = "Products", request_body = ProductBody,
    params(("vendor_id" = String, Path, description = "The vendor's id")),
    responses((status = 201, description = "{product_id}"), (status = 400, description = "A field refused", body = super::error::CsCartErrorBody), (status = 404, description = "No such vendor", body = super::error::CsCartErrorBody)))]
pub async fn create_vendor_product(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(vendor): Path<String>,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> Result<Response, ApiError> {
    let scope = vendor_scope(&state, &ctx, &vendor).await?;
    create(&state, &ctx, body, scope).await
}

/// Change a product: the fields given change, the others stay; `main_pair` and `image_pairs`
/// given replace those images.
#[utoipa::path(put, path = "/api/products/{product_id}", tag = "Products", request_body = ProductBody,
    params(("product_id" = String, Path, description = "The product's id"), IfMatchHeader),
    responses((status = 200, description = "{product_id}", headers(("ETag" = String, description = "The product's new version"))), (status = 400, description = "A field refused", body = super::error::CsCartErrorBody), (status = 404, description = "No such product", body = super::error::CsCartErrorBody), (status = 412, description = "The product is at another version than `If-Match` names", body = super::error::CsCartErrorBody, headers(("ETag" = String, description = "The product's current version")))))]
pub async fn update_product(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<Map<String, Value>>,
) -> Result<impl IntoResponse, ApiError> {
    let current = load(&state, &ctx, &raw).await?;
    let parts = ProductParts::read(body, false)?;
    let mut classification = Classification::default();
    let mut extra_fields = Map::new();
    if let Some(numbers) = &parts.categories {
        let (main, extra) = categories(&state, &ctx, numbers, parts.main_category).await?;
        classification.category = Patch::Set(CategoryRef::Id(main));
        extra_fields.insert(
            "extra_categories".into(),
            if extra.is_empty() {
                Value::Null
            } else {
                ids_text(&extra)
            },
        );
    } else if let Some(n) = parts.main_category {
        let id = find(&state, &ctx, Numbered::Category, n)
            .await?
            .ok_or_else(|| bad("main_category", format!("category {n} does not exist")))?;
        classification.category = Patch::Set(CategoryRef::Id(CategoryId(id)));
    }
    match parts.company {
        None => {}
        Some(None) => classification.vendor_id = Patch::Clear,
        Some(Some(n)) => {
            let id = find(&state, &ctx, Numbered::Vendor, n)
                .await?
                .ok_or_else(|| bad("company_id", format!("vendor {n} does not exist")))?;
            classification.vendor_id = Patch::Set(VendorId(id));
        }
    }
    if let Some(f) = &parts.features {
        classification.attributes = feature_values(&state, &ctx, f).await?;
    }
    let media = if parts.main_pair.is_some() || parts.image_pairs.is_some() {
        let (pairs, last_pair) = images::merge(
            images::pairs(&current),
            parts.main_pair.clone(),
            parts.image_pairs.clone(),
            images::last_pair_id(&current),
        );
        let (media, kept) = images::write(&pairs);
        extra_fields.insert("pairs".into(), kept);
        extra_fields.insert("last_pair_id".into(), Value::from(last_pair));
        Some(media)
    } else {
        None
    };
    let extension = parts.own_patch(extra_fields)?;
    let mut variants = Vec::new();
    let variant_given =
        parts.price.is_some() || !parts.list_price.is_keep() || parts.amount.is_some() || !parts.code.is_keep();
    if variant_given {
        match main_variant(&current) {
            Some(v) => {
                let (price, prices) = price_change(v, parts.price.as_deref());
                variants.push(VariantChange::Update(
                    v.id,
                    VariantPatch {
                        sku: parts.code.clone(),
                        price,
                        prices,
                        list_price: parts.list_price.clone(),
                        inventory_quantity: parts.amount,
                        ..VariantPatch::default()
                    },
                ))
            }
            None => variants.push(VariantChange::Create(VariantInput {
                sku: parts.code.clone().apply(None),
                price: parts.price.clone(),
                list_price: parts.list_price.clone().apply(None),
                inventory_quantity: parts.amount,
                ..VariantInput::default()
            })),
        }
    }
    let patch = ProductPatch {
        name: parts.name.clone(),
        handle: parts.handle.clone(),
        description: parts.description.clone(),
        status: parts.status,
        classification,
        details: parts.details.clone(),
        extensions: extension.into_iter().collect(),
        ..ProductPatch::default()
    };
    let id = current.product.id;
    let changed = state
        .store
        .change_product(
            &ctx,
            id,
            if_match.get(),
            ProductChange {
                patch,
                media,
                variants,
                option_ids: None,
                delete_variants: Vec::new(),
            },
        )
        .await?;
    Ok((
        tagged(changed.product.version),
        Json(json!({"product_id": current.product.number})),
    ))
}

/// Delete a product, for good: 204, then 404. The PIM API can restore it for the retention
/// window.
#[utoipa::path(delete, path = "/api/products/{product_id}", tag = "Products",
    params(("product_id" = String, Path, description = "The product's id"), IfMatchHeader),
    responses((status = 204, description = "Deleted"), (status = 404, description = "No such product", body = super::error::CsCartErrorBody), (status = 412, description = "The product is at another version than `If-Match` names", body = super::error::CsCartErrorBody, headers(("ETag" = String, description = "The product's current version")))))]
pub async fn delete_product(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    let v = load(&state, &ctx, &raw).await?;
    match state.store.delete_product(&ctx, v.product.id, if_match.get()).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(StoreError::Domain(CoreError::NotFound(Entity::Product))) => Err(not_found("Product")),
        Err(e) => Err(e.into()),
    }
}
