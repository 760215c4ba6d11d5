//! `POST /admin/products/batch`: products created, changed and deleted together, all or
//! nothing.

use super::body::{MedusaJson, invalid};
use super::caller::MedusaCaller;
use super::fields::Selection;
use super::ids;
use super::qs::Qs;
use super::render::{Renderer, product_defaults};
use super::variant_wire::option_titles;
use super::wire::{CreateProduct, UpdateProduct};
use crate::app::AppState;
use crate::error::{ApiError, Field};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use pimento_core::ids::ProductId;
use pimento_store::catalog::{ProductBatch, ProductChange};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// A batch: products to create, to change (each naming its `id`), and ids to delete.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductBatchIn {
    pub create: Option<Vec<CreateProduct>>,
    pub update: Option<Vec<UpdateProduct>>,
    pub delete: Option<Vec<String>>,
}

/// The index a refusal's field names under `list` (`create[2].title` → 2).
fn index_in(e: &ApiError, list: &str) -> Option<usize> {
    let field = match e.field.as_ref()? {
        Field::Core(p) => p.to_string(),
        Field::Wire(w) => w.clone(),
    };
    field
        .strip_prefix(list)?
        .strip_prefix('[')?
        .split(']')
        .next()?
        .parse()
        .ok()
}

/// Create, change and delete products in one transaction.
#[utoipa::path(post, path = "/admin/products/batch", tag = "Products", request_body = ProductBatchIn,
    responses((status = 200, description = "{created, updated, deleted: {ids, object, deleted}}"),
        (status = 400, description = "Invalid data", body = super::error::MedusaErrorBody),
        (status = 404, description = "A product to update does not exist", body = super::error::MedusaErrorBody)))]
pub async fn batch_products(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
    MedusaJson(body): MedusaJson<ProductBatchIn>,
) -> Result<Json<Value>, ApiError> {
    let sel = Selection::parse(q.one("fields")?, product_defaults());
    let creates = body.create.unwrap_or_default();
    let handles: Vec<Option<String>> = creates.iter().map(|c| c.handle.clone()).collect();
    let skus: Vec<Vec<Option<String>>> = creates
        .iter()
        .map(|c| c.variants.iter().flatten().map(|v| v.sku.clone().flatten()).collect())
        .collect();
    let mut batch = ProductBatch::default();
    for c in creates {
        batch.create.push(c.into_input()?);
    }
    let updates = body.update.unwrap_or_default();
    let mut missing = Vec::new();
    for (i, u) in updates.into_iter().enumerate() {
        let Some(raw) = u.id.clone() else {
            return Err(invalid(format!("Field 'update, {i}, id' is required")));
        };
        u.check()?;
        let Some(id) = ids::PRODUCT.read(&raw).map(ProductId) else {
            missing.push(raw);
            continue;
        };
        let current = match state.store.get_product(&ctx, id, Default::default()).await {
            Ok(v) if v.product.archived_at.is_none() => v,
            Ok(_) => {
                missing.push(raw);
                continue;
            }
            Err(e) => {
                let e = ApiError::from(e);
                if e.status == StatusCode::NOT_FOUND {
                    missing.push(raw);
                    continue;
                }
                return Err(e);
            }
        };
        let parts = u.into_parts(current.product.metadata.as_ref())?;
        let options = state.store.product_options(&ctx, id).await?;
        let titles = option_titles(&options);
        let variants = parts
            .variants
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(j, v)| super::variants::change(v, &titles, j))
            .collect::<Result<Vec<_>, _>>()?;
        batch.update.push((
            id,
            ProductChange {
                patch: parts.patch,
                media: parts.images,
                variants,
                option_ids: parts.option_ids,
                delete_variants: Vec::new(),
            },
        ));
    }
    if !missing.is_empty() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("Unable to update the products with ids: {}", missing.join(", ")),
        ));
    }
    let deleted = body.delete.unwrap_or_default();
    batch.archive = deleted
        .iter()
        .filter_map(|d| ids::PRODUCT.read(d).map(ProductId))
        .collect();
    let created_handles: Vec<Option<String>> = batch.create.iter().map(|p| p.handle.clone()).collect();
    let done = state.store.batch_products(&ctx, batch).await.map_err(|e| {
        let e = ApiError::from(e);
        match index_in(&e, "create") {
            Some(i) => {
                let handle = handles
                    .get(i)
                    .cloned()
                    .flatten()
                    .or_else(|| created_handles.get(i).cloned().flatten());
                super::products::worded(e, handle.as_deref(), skus.get(i).map_or(&[][..], Vec::as_slice))
            }
            None => super::products::worded(e, None, &[]),
        }
    })?;
    let created = Renderer::new(&state, &ctx).products(done.created, &sel).await?;
    let updated = Renderer::new(&state, &ctx).products(done.updated, &sel).await?;
    Ok(Json(json!({
        "created": created,
        "updated": updated,
        "deleted": {"ids": deleted, "object": "product", "deleted": true},
    })))
}
