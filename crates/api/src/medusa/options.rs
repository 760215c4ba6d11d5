//! `/admin/product-options` (the organization's options, shared by products) and a product's
//! options: `GET /admin/products/{id}/options`, `POST /admin/products/{id}/options/batch`.

use super::body::{Flag, MedusaJson, invalid};
use super::caller::MedusaCaller;
use super::fields::Selection;
use super::ids;
use super::list::{ListParams, strict};
use super::products::{not_found, product_id, worded};
use super::qs::Qs;
use super::render::{Renderer, product_defaults};
use super::view;
use crate::app::AppState;
use crate::error::ApiError;
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pimento_core::ids::OptionId;
use pimento_core::options::{OptionInput, OptionPatch};
use pimento_store::catalog::{OptionQuery, ProductChange};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

/// The option fields a read returns when `fields` is not given. Medusa also lists the
/// option's products; this API does not (see docs/API.md).
const OPTION_DEFAULTS: &[&str] = &[
    "id",
    "title",
    "is_exclusive",
    "created_at",
    "updated_at",
    "metadata",
    "*values",
];

/// A product's options list only these by default, as Medusa's.
const PRODUCT_OPTION_DEFAULTS: &[&str] = &["id", "title"];

const LIST_PARAMS: &[&str] = &[
    "fields",
    "offset",
    "limit",
    "order",
    "with_deleted",
    "q",
    "id",
    "title",
    "is_exclusive",
    "created_at",
    "updated_at",
    "deleted_at",
];

/// An option as Medusa creates one (`title` and `values` required) or changes one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionBody {
    pub title: Option<String>,
    pub values: Option<Vec<String>>,
    /// `{value: rank}`: the values' order.
    #[schema(value_type = Option<Object>)]
    pub ranks: Option<Map<String, Value>>,
    #[schema(value_type = Option<bool>)]
    pub is_exclusive: Option<Flag>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
}

impl OptionBody {
    /// The values in the order of their ranks (unranked ones after, as given). Options carry
    /// no metadata and a shared option is never exclusive here: asking for either is refused.
    fn values(&mut self) -> Result<Option<Vec<String>>, ApiError> {
        if self.metadata.as_ref().is_some_and(|m| !m.is_null()) {
            return Err(invalid("Field 'metadata': options carry no metadata here"));
        }
        if self.is_exclusive.is_some_and(|f| f.0) {
            return Err(invalid(
                "Field 'is_exclusive': an option of a product's own is made with the product (its options in POST /admin/products)",
            ));
        }
        let Some(mut values) = self.values.take() else {
            return Ok(None);
        };
        if let Some(ranks) = &self.ranks {
            let rank = |v: &String| ranks.get(v).and_then(Value::as_f64).unwrap_or(f64::MAX);
            values.sort_by(|a, b| rank(a).total_cmp(&rank(b)));
        }
        Ok(Some(values))
    }
}

fn option_id(raw: &str) -> Option<OptionId> {
    ids::OPTION.read(raw).map(OptionId)
}

fn defaults() -> Selection {
    Selection::defaults(OPTION_DEFAULTS)
}

/// Medusa's option JSON, without the per-value `deleted_at` Medusa leaves out here.
fn option_json(o: &pimento_core::options::VariantOption, sel: &Selection) -> Value {
    sel.apply(view::option(o))
}

/// Create an option the organization's products can share.
#[utoipa::path(post, path = "/admin/product-options", tag = "Options", request_body = OptionBody,
    responses((status = 200, description = "{product_option}"), (status = 400, description = "Invalid data", body = super::error::MedusaErrorBody)))]
pub async fn create_option(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
    MedusaJson(mut body): MedusaJson<OptionBody>,
) -> Result<Json<Value>, ApiError> {
    let sel = Selection::parse(q.one("fields")?, &defaults());
    let missing: Vec<String> = [("title", body.title.is_none()), ("values", body.values.is_none())]
        .iter()
        .filter(|(_, absent)| *absent)
        .map(|(n, _)| format!("Field '{n}' is required"))
        .collect();
    if !missing.is_empty() {
        return Err(invalid(missing.join("; ")));
    }
    let values = body.values()?.unwrap_or_default();
    let name = body.title.unwrap_or_default();
    let created = state
        .store
        .create_option(
            &ctx,
            OptionInput {
                name: name.clone(),
                values,
            },
        )
        .await
        .map_err(|e| match ApiError::from(e) {
            e if e.code == pimento_core::error::codes::DUPLICATE_NAME => {
                super::wire::invalid_plain(format!("Product option with title: {name}, already exists."))
            }
            e => e,
        })?;
    Ok(Json(json!({"product_option": option_json(&created, &sel)})))
}

/// The organization's options, shared and (with `is_exclusive=true`) products' own.
#[utoipa::path(get, path = "/admin/product-options", tag = "Options",
    responses((status = 200, description = "{product_options, count, offset, limit}")))]
pub async fn list_options(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
) -> Result<Json<Value>, ApiError> {
    strict(&q, LIST_PARAMS)?;
    let paging = ListParams::read(&q, 20)?;
    let sel = Selection::parse(q.one("fields")?, &defaults());
    let own = match q.one("is_exclusive")? {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(other) => {
            return Err(invalid(format!(
                "Expected type: 'boolean' for field 'is_exclusive', got: '{other}'"
            )));
        }
    };
    let query = OptionQuery {
        ids: q
            .many("id")?
            .map(|l| l.iter().flat_map(|v| v.split(',')).filter_map(option_id).collect()),
        names: q.many("title")?.map(|l| l.iter().map(|s| (*s).to_owned()).collect()),
        contains: q.one("q")?.map(str::to_owned),
        own,
        limit: paging.limit.max(1),
        offset: paging.offset,
    };
    let page = state.store.page_options(&ctx, &query).await?;
    let items: Vec<Value> = if paging.limit == 0 {
        Vec::new()
    } else {
        page.items.iter().map(|o| option_json(o, &sel)).collect()
    };
    Ok(Json(json!({
        "product_options": items,
        "count": page.total.unwrap_or_default(),
        "offset": paging.offset,
        "limit": paging.limit,
    })))
}

/// One option; an unknown one answers `{}`, as Medusa's does.
#[utoipa::path(get, path = "/admin/product-options/{id}", tag = "Options",
    params(("id" = String, Path, description = "The option's id")),
    responses((status = 200, description = "{product_option}, or {} when there is none", headers(("ETag" = String, description = "The option's version")))))]
pub async fn get_option(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    q: Qs,
) -> Result<Response, ApiError> {
    strict(&q, &["fields"])?;
    let sel = Selection::parse(q.one("fields")?, &defaults());
    let Some(id) = option_id(&raw) else {
        return Ok(Json(json!({})).into_response());
    };
    match state.store.get_option(&ctx, id).await {
        Ok(o) => Ok((
            tagged(o.version),
            Json(json!({"product_option": option_json(&o, &sel)})),
        )
            .into_response()),
        Err(e) => match ApiError::from(e) {
            e if e.status == StatusCode::NOT_FOUND => Ok(Json(json!({})).into_response()),
            e => Err(e),
        },
    }
}

/// Rename an option or replace its values (values kept keep their ids).
#[utoipa::path(post, path = "/admin/product-options/{id}", tag = "Options", request_body = OptionBody,
    params(("id" = String, Path, description = "The option's id"), IfMatchHeader),
    responses((status = 200, description = "{product_option}", headers(("ETag" = String, description = "The option's new version"))), (status = 404, description = "No such option", body = super::error::MedusaErrorBody), (status = 412, description = "The option is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The option's current version")))))]
pub async fn update_option(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    q: Qs,
    if_match: IfMatch,
    MedusaJson(mut body): MedusaJson<OptionBody>,
) -> Result<impl IntoResponse, ApiError> {
    strict(&q, &["fields"])?;
    let sel = Selection::parse(q.one("fields")?, &defaults());
    let values = body.values()?;
    let missing = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("Product option with id \"{raw}\" not found"),
        )
    };
    let id = option_id(&raw).ok_or_else(missing)?;
    let patch = OptionPatch {
        name: body.title,
        values,
    };
    match state.store.update_option(&ctx, id, if_match.get(), patch).await {
        Ok(o) => Ok((
            tagged(o.version),
            Json(json!({"product_option": option_json(&o, &sel)})),
        )),
        Err(e) => Err(match ApiError::from(e) {
            e if e.status == StatusCode::NOT_FOUND => missing(),
            e => e,
        }),
    }
}

/// Delete an option no variant uses (its products lose it); an unknown one answers the same.
#[utoipa::path(delete, path = "/admin/product-options/{id}", tag = "Options",
    params(("id" = String, Path, description = "The option's id"), IfMatchHeader),
    responses((status = 200, description = "{id, object: \"product_option\", deleted: true}"),
        (status = 400, description = "A variant uses the option", body = super::error::MedusaErrorBody),
        (status = 412, description = "The option is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The option's current version")))))]
pub async fn delete_option(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
) -> Result<Json<Value>, ApiError> {
    if let Some(id) = option_id(&raw) {
        match state.store.delete_option(&ctx, id, if_match.get()).await {
            Ok(()) => {}
            Err(e) => {
                let e = ApiError::from(e);
                if e.status != StatusCode::NOT_FOUND {
                    return Err(e);
                }
            }
        }
    }
    Ok(Json(json!({"id": raw, "object": "product_option", "deleted": true})))
}

/// A product's options.
#[utoipa::path(get, path = "/admin/products/{id}/options", tag = "Options",
    params(("id" = String, Path, description = "The product's id")),
    responses((status = 200, description = "{product_options, count, offset, limit}")))]
pub async fn product_options(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    q: Qs,
) -> Result<Json<Value>, ApiError> {
    strict(&q, LIST_PARAMS)?;
    let paging = ListParams::read(&q, 50)?;
    let sel = Selection::parse(q.one("fields")?, &Selection::defaults(PRODUCT_OPTION_DEFAULTS));
    let options = match product_id(&raw) {
        Ok(id) => match state.store.product_options(&ctx, id).await {
            Ok(o) => o,
            Err(e) => match ApiError::from(e) {
                e if e.status == StatusCode::NOT_FOUND => Vec::new(),
                e => return Err(e),
            },
        },
        Err(_) => Vec::new(),
    };
    let count = options.len();
    let items: Vec<Value> = options
        .iter()
        .skip(paging.offset as usize)
        .take(paging.limit as usize)
        .map(|o| option_json(o, &sel))
        .collect();
    Ok(Json(
        json!({"product_options": items, "count": count, "offset": paging.offset, "limit": paging.limit}),
    ))
}

/// An option to link: an id, an existing option with some of its values, or a new one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum LinkOption {
    Id(String),
    Existing { id: String, value_ids: Option<Vec<String>> },
    New(OptionBody),
}

/// Links and unlinks options of a product.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkOptions {
    pub add: Option<Vec<LinkOption>>,
    pub remove: Option<Vec<String>>,
    /// Changing an option's values through a product is not supported here; refused.
    #[schema(value_type = Option<Vec<Object>>)]
    pub update: Option<Vec<Value>>,
}

/// Link options to a product (by id, or new ones made for the organization) and unlink
/// others; answers the product.
#[utoipa::path(post, path = "/admin/products/{id}/options/batch", tag = "Options", request_body = LinkOptions,
    params(("id" = String, Path, description = "The product's id"), IfMatchHeader),
    responses((status = 200, description = "{product}"), (status = 404, description = "No such product", body = super::error::MedusaErrorBody), (status = 412, description = "The product is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The product's current version")))))]
pub async fn link_options(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    MedusaJson(body): MedusaJson<LinkOptions>,
) -> Result<Json<Value>, ApiError> {
    if body.update.as_ref().is_some_and(|u| !u.is_empty()) {
        return Err(invalid(
            "Field 'update': change an option's values with POST /admin/product-options/{id}",
        ));
    }
    let id = product_id(&raw)?;
    let current = state
        .store
        .product_options(&ctx, id)
        .await
        .map_err(|e| match ApiError::from(e) {
            e if e.status == StatusCode::NOT_FOUND => not_found(),
            e => e,
        })?;
    let mut ids: Vec<OptionId> = current.iter().map(|o| o.id).collect();
    for (i, add) in body.add.unwrap_or_default().into_iter().enumerate() {
        let id = match add {
            LinkOption::Id(raw)
            | LinkOption::Existing {
                id: raw,
                value_ids: None,
            } => option_id(&raw).ok_or_else(|| invalid(format!("Product option with id {raw} not found")))?,
            LinkOption::Existing {
                id: raw,
                value_ids: Some(v),
            } => {
                if !v.is_empty() {
                    return Err(invalid(format!(
                        "Field 'add, {i}, value_ids': an option is linked with all its values here"
                    )));
                }
                option_id(&raw).ok_or_else(|| invalid(format!("Product option with id {raw} not found")))?
            }
            LinkOption::New(mut o) => {
                let values = o.values()?.unwrap_or_default();
                let name = o
                    .title
                    .ok_or_else(|| invalid(format!("Field 'add, {i}, title' is required")))?;
                state.store.create_option(&ctx, OptionInput { name, values }).await?.id
            }
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let remove: Vec<OptionId> = body
        .remove
        .unwrap_or_default()
        .iter()
        .filter_map(|r| option_id(r))
        .collect();
    ids.retain(|i| !remove.contains(i));
    state
        .store
        .change_product(
            &ctx,
            id,
            if_match.get(),
            ProductChange {
                option_ids: Some(ids),
                ..ProductChange::default()
            },
        )
        .await
        .map_err(|e| worded(e.into(), None, &[]))?;
    let sel = product_defaults();
    let view = state.store.get_product(&ctx, id, Renderer::include(sel)).await?;
    let product = Renderer::new(&state, &ctx).product(view, sel).await?;
    Ok(Json(json!({ "product": product })))
}
