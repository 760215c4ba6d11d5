//! `/admin/products/{id}/variants…` and `/admin/product-variants`: a product's variants, as
//! Medusa lists, reads, creates, changes and deletes them.

use super::body::{MedusaJson, invalid};
use super::caller::MedusaCaller;
use super::fields::{Pick, Selection};
use super::ids;
use super::list::{ListParams, strict};
use super::products::{not_found, product_id, worded};
use super::qs::Qs;
use super::render::{Renderer, product_defaults};
use super::variant_wire::{VariantIn, option_titles};
use super::view;
use crate::app::AppState;
use crate::error::ApiError;
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pimento_core::ids::{OptionId, ProductId, VariantId};
use pimento_core::product::Include;
use pimento_core::version::Version;
use pimento_store::catalog::{ProductChange, VariantChange};
use serde_json::{Value, json};

/// The variant fields a read returns when `fields` is not given.
pub const VARIANT_DEFAULTS: &[&str] = &[
    "id",
    "title",
    "sku",
    "thumbnail",
    "barcode",
    "ean",
    "upc",
    "allow_backorder",
    "manage_inventory",
    "hs_code",
    "origin_country",
    "mid_code",
    "material",
    "weight",
    "length",
    "height",
    "width",
    "metadata",
    "variant_rank",
    "product_id",
    "created_at",
    "updated_at",
    "deleted_at",
    "*prices",
    "options.id",
    "options.value",
    "options.rank",
    "options.metadata",
    "options.option_id",
    "options.created_at",
    "options.updated_at",
    "options.deleted_at",
    "options.option.id",
];

/// The query parameters a variant list takes.
const LIST_PARAMS: &[&str] = &[
    "fields",
    "offset",
    "limit",
    "order",
    "with_deleted",
    "q",
    "id",
    "manage_inventory",
    "allow_backorder",
    "sku",
    "ean",
    "upc",
    "barcode",
    "created_at",
    "updated_at",
    "deleted_at",
];

/// A variant of a product update or batch: changed when it names an id, added otherwise.
pub fn change(v: VariantIn, titles: &[(OptionId, String)], at: usize) -> Result<VariantChange, ApiError> {
    match v.id.clone() {
        Some(raw) => {
            let id = ids::VARIANT
                .read(&raw)
                .map(VariantId)
                .ok_or_else(|| invalid(format!("Variant with id {raw} not found")))?;
            Ok(VariantChange::Update(id, v.into_patch(titles, at)?))
        }
        None => {
            if v.title.is_none() {
                return Err(invalid(format!("Field 'variants, {at}, title' is required")));
            }
            if v.prices.is_none() {
                return Err(invalid(format!("Field 'variants, {at}, prices' is required")));
            }
            Ok(VariantChange::Create(v.into_input(titles, at)?))
        }
    }
}

fn variant_id(raw: &str) -> Option<VariantId> {
    ids::VARIANT.read(raw).map(VariantId)
}

/// The product's variants as Medusa shows them on their own.
async fn variants_json(
    state: &AppState,
    ctx: &pimento_core::auth::Ctx,
    product: ProductId,
    sel: &Selection,
) -> Result<Vec<(VariantId, Version, Value)>, ApiError> {
    let variants = state.store.list_variants(ctx, product).await?;
    let options = state.store.product_options(ctx, product).await?;
    Ok(variants
        .iter()
        .map(|v| (v.id, v.version, view::variant(v, &options, Pick::of(sel))))
        .collect())
}

/// The product, rendered with the default product fields (what variant writes answer).
async fn product_json(state: &AppState, ctx: &pimento_core::auth::Ctx, id: ProductId) -> Result<Value, ApiError> {
    let sel = product_defaults();
    let view = state.store.get_product(ctx, id, Renderer::include(sel)).await?;
    Renderer::new(state, ctx).product(view, sel).await
}

/// A product's variants.
#[utoipa::path(get, path = "/admin/products/{id}/variants", tag = "Variants",
    params(("id" = String, Path, description = "The product's id")),
    responses((status = 200, description = "{variants, count, offset, limit}")))]
pub async fn list_variants(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    q: Qs,
) -> Result<Json<Value>, ApiError> {
    strict(&q, LIST_PARAMS)?;
    let paging = ListParams::read(&q, 50)?;
    let sel = Selection::parse(q.one("fields")?, &Selection::defaults(VARIANT_DEFAULTS));
    // An unknown product has no variants, as Medusa answers.
    let all = match product_id(&raw) {
        Ok(id) => match variants_json(&state, &ctx, id, &sel).await {
            Ok(v) => v,
            Err(e) if e.status == StatusCode::NOT_FOUND => Vec::new(),
            Err(e) => return Err(e),
        },
        Err(_) => Vec::new(),
    };
    let count = all.len();
    let page: Vec<Value> = all
        .into_iter()
        .map(|(_, _, v)| v)
        .skip(paging.offset as usize)
        .take(paging.limit as usize)
        .collect();
    Ok(Json(
        json!({"variants": page, "count": count, "offset": paging.offset, "limit": paging.limit}),
    ))
}

/// Add a variant; answers the product.
#[utoipa::path(post, path = "/admin/products/{id}/variants", tag = "Variants", request_body = VariantIn,
    params(("id" = String, Path, description = "The product's id"), IfMatchHeader),
    responses((status = 200, description = "{product}"), (status = 404, description = "No such product", body = super::error::MedusaErrorBody), (status = 412, description = "The product is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The product's current version")))))]
pub async fn create_variant(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    MedusaJson(body): MedusaJson<VariantIn>,
) -> Result<Json<Value>, ApiError> {
    let missing = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("You tried to set relationship product_id: {raw}, but such entity does not exist"),
        )
    };
    let id = product_id(&raw).map_err(|_| missing())?;
    if body.id.is_some() {
        return Err(invalid("Unrecognized fields: 'id'"));
    }
    let required: Vec<String> = [("title", body.title.is_none()), ("prices", body.prices.is_none())]
        .iter()
        .filter(|(_, absent)| *absent)
        .map(|(name, _)| format!("Field '{name}' is required"))
        .collect();
    if !required.is_empty() {
        return Err(invalid(required.join("; ")));
    }
    let options = match state.store.product_options(&ctx, id).await {
        Ok(o) => o,
        Err(e) => {
            let e = ApiError::from(e);
            return Err(if e.status == StatusCode::NOT_FOUND {
                missing()
            } else {
                e
            });
        }
    };
    let sku = body.sku.clone().flatten();
    let change = change(body, &option_titles(&options), 0)?;
    let result = state
        .store
        .change_product(
            &ctx,
            id,
            if_match.get(),
            ProductChange {
                variants: vec![change],
                ..ProductChange::default()
            },
        )
        .await;
    match result {
        Ok(_) => {}
        Err(e) => {
            let e = ApiError::from(e);
            return Err(if e.status == StatusCode::NOT_FOUND {
                missing()
            } else {
                worded(e, None, &[sku])
            });
        }
    }
    Ok(Json(json!({"product": product_json(&state, &ctx, id).await?})))
}

/// One variant; Medusa answers an empty object for a variant it does not find, and so does
/// this API. A variant found carries its version as `ETag`.
#[utoipa::path(get, path = "/admin/products/{id}/variants/{variant_id}", tag = "Variants",
    params(("id" = String, Path, description = "The product's id"), ("variant_id" = String, Path, description = "The variant's id")),
    responses((status = 200, description = "{variant}, or {} when there is no such variant", headers(("ETag" = String, description = "The variant's version, when there is one")))))]
pub async fn get_variant(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path((raw, vid)): Path<(String, String)>,
    q: Qs,
) -> Result<Response, ApiError> {
    strict(&q, &["fields"])?;
    let sel = Selection::parse(q.one("fields")?, &Selection::defaults(VARIANT_DEFAULTS));
    let (Ok(id), Some(vid)) = (product_id(&raw), variant_id(&vid)) else {
        return Ok(Json(json!({})).into_response());
    };
    let found = match variants_json(&state, &ctx, id, &sel).await {
        Ok(all) => all.into_iter().find(|(v, _, _)| *v == vid),
        Err(e) if e.status == StatusCode::NOT_FOUND => None,
        Err(e) => return Err(e),
    };
    Ok(match found {
        Some((_, version, v)) => (tagged(version), Json(json!({ "variant": v }))).into_response(),
        None => Json(json!({})).into_response(),
    })
}

/// Change a variant, when it meets `If-Match` (its `ETag`); answers the product (unchanged
/// when the variant is not the product's) with the variant's new `ETag`.
#[utoipa::path(post, path = "/admin/products/{id}/variants/{variant_id}", tag = "Variants", request_body = VariantIn,
    params(("id" = String, Path, description = "The product's id"), ("variant_id" = String, Path, description = "The variant's id"), IfMatchHeader),
    responses((status = 200, description = "{product}", headers(("ETag" = String, description = "The variant's new version"))),
        (status = 404, description = "No such product", body = super::error::MedusaErrorBody),
        (status = 412, description = "The variant is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The variant's current version")))))]
pub async fn update_variant(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path((raw, vid)): Path<(String, String)>,
    if_match: IfMatch,
    MedusaJson(body): MedusaJson<VariantIn>,
) -> Result<Response, ApiError> {
    let id = product_id(&raw)?;
    if body.id.is_some() {
        return Err(invalid("Unrecognized fields: 'id'"));
    }
    let options = state
        .store
        .product_options(&ctx, id)
        .await
        .map_err(|e| match ApiError::from(e) {
            e if e.status == StatusCode::NOT_FOUND => not_found(),
            e => e,
        })?;
    let mut version = None;
    if let Some(v) = variant_id(&vid) {
        let sku = body.sku.clone().flatten();
        let patch = body.into_patch(&option_titles(&options), 0)?;
        match state.store.update_variant(&ctx, id, v, if_match.get(), patch).await {
            Ok(updated) => version = Some(updated.version),
            Err(e) => {
                let e = ApiError::from(e);
                // A variant of another product leaves this one as it is, as Medusa does.
                let not_ours = e.status == StatusCode::NOT_FOUND && state.store.get_variant(&ctx, id, v).await.is_err();
                if !not_ours {
                    return Err(worded(e, None, &[sku]));
                }
            }
        }
    }
    let product = Json(json!({"product": product_json(&state, &ctx, id).await?}));
    Ok(match version {
        Some(v) => (tagged(v), product).into_response(),
        None => product.into_response(),
    })
}

/// Delete a variant; answers with the product as `parent`.
#[utoipa::path(delete, path = "/admin/products/{id}/variants/{variant_id}", tag = "Variants",
    params(("id" = String, Path, description = "The product's id"), ("variant_id" = String, Path, description = "The variant's id"), IfMatchHeader),
    responses((status = 200, description = "{id, object: \"variant\", deleted: true, parent}"),
        (status = 404, description = "A malformed product id", body = super::error::MedusaErrorBody),
        (status = 412, description = "The variant is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The variant's current version")))))]
pub async fn delete_variant(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path((raw, vid)): Path<(String, String)>,
    if_match: IfMatch,
) -> Result<Json<Value>, ApiError> {
    let id = product_id(&raw)?;
    if let Some(v) = variant_id(&vid) {
        match state.store.delete_variant(&ctx, id, v, if_match.get()).await {
            Ok(()) => {}
            Err(e) => {
                let e = ApiError::from(e);
                if e.status != StatusCode::NOT_FOUND {
                    return Err(e);
                }
            }
        }
    }
    let parent = match state.store.get_product(&ctx, id, Include::default()).await {
        Ok(_) => product_json(&state, &ctx, id).await?,
        Err(_) => Value::Null,
    };
    Ok(Json(
        json!({"id": vid, "object": "variant", "deleted": true, "parent": parent}),
    ))
}

/// The product fields shown with a variant listed across products.
const PRODUCT_SCALARS: &[&str] = &[
    "id",
    "title",
    "subtitle",
    "status",
    "external_id",
    "description",
    "handle",
    "is_giftcard",
    "discountable",
    "thumbnail",
    "collection_id",
    "type_id",
    "weight",
    "length",
    "height",
    "width",
    "hs_code",
    "origin_country",
    "mid_code",
    "material",
    "created_at",
    "updated_at",
    "deleted_at",
    "metadata",
];

/// Variants across the organization's products, each with its product.
#[utoipa::path(get, path = "/admin/product-variants", tag = "Variants",
    params(("q" = Option<String>, Query, description = "Text the title or SKU contains"),
        ("id" = Option<Vec<String>>, Query, description = "Only these variants"),
        ("sku" = Option<Vec<String>>, Query, description = "Only these SKUs"),
        ("limit" = Option<u32>, Query, description = "Variants per page (50 by default, at most 200)"),
        ("offset" = Option<u64>, Query, description = "Variants to skip")),
    responses((status = 200, description = "{variants, count, offset, limit}")))]
pub async fn all_variants(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
) -> Result<Json<Value>, ApiError> {
    strict(&q, LIST_PARAMS)?;
    for unsupported in [
        "manage_inventory",
        "allow_backorder",
        "ean",
        "upc",
        "barcode",
        "created_at",
        "updated_at",
        "deleted_at",
    ] {
        if q.many(unsupported)?.is_some() {
            return Err(invalid(format!(
                "Filtering variants by '{unsupported}' is not supported"
            )));
        }
    }
    let paging = ListParams::read(&q, 50)?;
    let product_fields: Vec<String> = PRODUCT_SCALARS.iter().map(|f| format!("product.{f}")).collect();
    let mut defaults = VARIANT_DEFAULTS.to_vec();
    defaults.extend(product_fields.iter().map(String::as_str));
    let sel = Selection::parse(q.one("fields")?, &Selection::defaults(&defaults));
    let query = pimento_store::catalog::VariantQuery {
        ids: q
            .many("id")?
            .map(|l| l.iter().flat_map(|v| v.split(',')).filter_map(variant_id).collect()),
        skus: q.many("sku")?.map(|l| l.iter().map(|s| (*s).to_owned()).collect()),
        contains: q.one("q")?.map(str::to_owned),
        limit: paging.limit.max(1),
        offset: paging.offset,
    };
    let page = state.store.page_variants(&ctx, &query).await?;
    let mut products: Vec<ProductId> = page.items.iter().map(|v| v.product_id).collect();
    products.dedup();
    let views = if products.is_empty() {
        Vec::new()
    } else {
        let q = pimento_core::query::ProductQuery {
            filter: pimento_core::query::ProductFilter {
                ids: Some(products),
                ..Default::default()
            },
            limit: pimento_store::page::MAX_LIMIT,
            ..Default::default()
        };
        state.store.list_products(&ctx, &q, Include::default()).await?.items
    };
    let ids: Vec<ProductId> = views.iter().map(|p| p.product.id).collect();
    let options = state.store.options_of_products(&ctx, &ids).await?;
    let mut out = Vec::new();
    for v in page.items.iter().take(if paging.limit == 0 { 0 } else { usize::MAX }) {
        let options = options.get(&v.product_id).map_or(&[][..], Vec::as_slice);
        let mut json = view::variant(v, options, Pick::Whole);
        if sel.wants("product")
            && let Some(p) = views.iter().find(|p| p.product.id == v.product_id)
        {
            json["product"] = view::product(p, &view::Related::default());
        }
        out.push(sel.apply(json));
    }
    Ok(Json(json!({
        "variants": out,
        "count": page.total.unwrap_or_default(),
        "offset": paging.offset,
        "limit": paging.limit,
    })))
}

/// A product's variants created, changed and deleted together.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantBatch {
    pub create: Option<Vec<VariantIn>>,
    /// Each names the variant it changes (`id`).
    pub update: Option<Vec<VariantIn>>,
    pub delete: Option<Vec<String>>,
}

/// Create, change and delete a product's variants in one transaction.
#[utoipa::path(post, path = "/admin/products/{id}/variants/batch", tag = "Variants", request_body = VariantBatch,
    params(("id" = String, Path, description = "The product's id"), IfMatchHeader),
    responses((status = 200, description = "{created, updated, deleted: {ids, object, deleted}}"),
        (status = 404, description = "No such product", body = super::error::MedusaErrorBody),
        (status = 412, description = "The product is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The product's current version")))))]
pub async fn batch_variants(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    q: Qs,
    if_match: IfMatch,
    MedusaJson(body): MedusaJson<VariantBatch>,
) -> Result<Json<Value>, ApiError> {
    let sel = Selection::parse(q.one("fields")?, &Selection::defaults(VARIANT_DEFAULTS));
    let id = product_id(&raw)?;
    let options = state
        .store
        .product_options(&ctx, id)
        .await
        .map_err(|e| match ApiError::from(e) {
            e if e.status == StatusCode::NOT_FOUND => not_found(),
            e => e,
        })?;
    let titles = option_titles(&options);
    let before: Vec<VariantId> = state
        .store
        .list_variants(&ctx, id)
        .await?
        .iter()
        .map(|v| v.id)
        .collect();
    let mut changes = Vec::new();
    let mut skus = Vec::new();
    for (i, mut v) in body.create.unwrap_or_default().into_iter().enumerate() {
        if v.id.is_some() {
            return Err(invalid(format!("Unrecognized fields: 'create, {i}, id'")));
        }
        v.id = None;
        skus.push(v.sku.clone().flatten());
        changes.push(change(v, &titles, i)?);
    }
    let mut updated = Vec::new();
    for (i, v) in body.update.unwrap_or_default().into_iter().enumerate() {
        let Some(vid) = v.id.as_deref().and_then(variant_id) else {
            return Err(invalid(format!("Field 'update, {i}, id' is required")));
        };
        updated.push(vid);
        skus.push(v.sku.clone().flatten());
        changes.push(change(v, &titles, i)?);
    }
    let deleted = body.delete.unwrap_or_default();
    state
        .store
        .change_product(
            &ctx,
            id,
            if_match.get(),
            ProductChange {
                variants: changes,
                delete_variants: deleted.iter().filter_map(|d| variant_id(d)).collect(),
                ..ProductChange::default()
            },
        )
        .await
        .map_err(|e| worded(e.into(), None, &skus))?;
    let all = variants_json(&state, &ctx, id, &sel).await?;
    let created: Vec<&Value> = all
        .iter()
        .filter(|(v, _, _)| !before.contains(v))
        .map(|(_, _, j)| j)
        .collect();
    let changed: Vec<&Value> = all
        .iter()
        .filter(|(v, _, _)| updated.contains(v))
        .map(|(_, _, j)| j)
        .collect();
    Ok(Json(json!({
        "created": created,
        "updated": changed,
        "deleted": {"ids": deleted, "object": "variant", "deleted": true},
    })))
}
