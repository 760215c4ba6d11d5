//! `/api/features[/{id}]`: CS-Cart's product features are the catalog's typed attributes, and
//! a select feature's variants its options. Types: text `T`; number `O` (and `N`, a number
//! select, kept as a number); checkbox `C` (yes/no); select `S`, and brand `E` and multiple
//! checkbox `M` kept as a select of one value (they read back as `S`). A variant's id is its
//! place among the feature's variants (from 1): options have no numbers of their own.

use super::caller::CsCartCaller;
use super::pages::PageParams;
use super::products::{find, not_found, path_number};
use super::values::{Text, bad, number};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::query::Query;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pimento_core::attribute::{Attribute, AttributeType};
use pimento_core::attribute::{AttributeInput, AttributePatch};
use pimento_core::auth::Ctx;
use pimento_core::ids::AttributeId;
use pimento_core::numbers::Numbered;
use serde::Deserialize;
use serde_json::{Map, Value};

fn text(v: &Value) -> Option<String> {
    Text::deserialize(v).ok().map(|t| t.0.trim().to_owned())
}

/// The attribute value a `product_features` entry sets for `a` (`null` removes it): a select's
/// `variant_id` (or its `variant` text, or `variants`' one), a checkbox's `value` `Y`/`N`, a
/// number's `value_int` or `value`, a text's `value`.
pub fn value_of(at: &str, a: &Attribute, entry: &Map<String, Value>) -> Result<Value, ApiError> {
    // A list or object where a value belongs is refused, not read as no value.
    if let Some((k, _)) = entry
        .iter()
        .find(|(k, v)| k.as_str() != "variants" && matches!(v, Value::Array(_) | Value::Object(_)))
    {
        return Err(bad(&format!("{at}.{k}"), "must be a string or a number"));
    }
    let get = |k: &str| entry.get(k).and_then(text).filter(|t| !t.is_empty());
    match a.attr_type {
        AttributeType::Select => {
            let variant_text = get("variant").or_else(|| {
                entry
                    .get("variants")
                    .and_then(Value::as_object)
                    .and_then(|m| m.values().next())
                    .and_then(|v| v.get("variant"))
                    .and_then(text)
            });
            let by_id = get("variant_id").filter(|v| v != "0").or_else(|| {
                entry
                    .get("variants")
                    .and_then(Value::as_object)
                    .and_then(|m| m.keys().next().cloned())
            });
            if let Some(id) = by_id {
                let i: usize = id
                    .parse()
                    .map_err(|_| bad(&format!("{at}.variant_id"), format!("'{id}' is not a variant id")))?;
                return a
                    .options
                    .get(i.wrapping_sub(1))
                    .map(|o| Value::String(o.clone()))
                    .ok_or_else(|| {
                        bad(
                            &format!("{at}.variant_id"),
                            format!("feature {} has no variant {id}", a.number),
                        )
                    });
            }
            match variant_text.or_else(|| get("value")) {
                Some(t) => Ok(Value::String(t)),
                None => Ok(Value::Null),
            }
        }
        AttributeType::Boolean => match get("value").as_deref() {
            None => Ok(Value::Null),
            Some("Y" | "y") => Ok(Value::Bool(true)),
            Some("N" | "n") => Ok(Value::Bool(false)),
            Some(other) => Err(bad(&format!("{at}.value"), format!("'{other}' is not Y or N"))),
        },
        AttributeType::Number => match get("value_int").or_else(|| get("value")) {
            None => Ok(Value::Null),
            Some(t) => {
                let n = number(&format!("{at}.value"), &t)?;
                Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
            }
        },
        AttributeType::Text => Ok(get("value").map_or(Value::Null, Value::String)),
    }
}

/// A feature's CS-Cart type letter: text `T`, number `O`, checkbox `C`, select `S`.
pub fn feature_type(t: AttributeType) -> &'static str {
    match t {
        AttributeType::Text => "T",
        AttributeType::Number => "O",
        AttributeType::Boolean => "C",
        AttributeType::Select => "S",
    }
}

fn type_of(raw: &str) -> Result<AttributeType, ApiError> {
    match raw.trim().to_ascii_uppercase().as_str() {
        "T" => Ok(AttributeType::Text),
        "O" | "N" => Ok(AttributeType::Number),
        "C" => Ok(AttributeType::Boolean),
        "S" | "E" | "M" => Ok(AttributeType::Select),
        "D" => Err(bad("feature_type", "dates (D) are not kept as features here; use T")),
        _ => Err(bad(
            "feature_type",
            format!("'{raw}' is not one of T, O, N, C, S, E, M"),
        )),
    }
}

/// A feature's variants (a select attribute's options), each numbered by its place (from 1).
pub fn variants(a: &Attribute) -> Map<String, Value> {
    a.options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let id = (i + 1).to_string();
            (
                id.clone(),
                serde_json::json!({"variant_id": id, "variant": o, "position": i.to_string()}),
            )
        })
        .collect()
}

fn render(a: &Attribute) -> Value {
    serde_json::json!({
        "feature_id": a.number.to_string(),
        "description": a.name,
        "internal_name": a.name,
        "feature_code": a.key,
        "feature_type": feature_type(a.attr_type),
        "parent_id": "0",
        "status": "A",
        "position": "0",
        "company_id": "0",
        "purpose": if a.attr_type == AttributeType::Select { "organize_catalog" } else { "describe_product" },
        "variants": variants(a),
    })
}

/// A feature as CS-Cart sends it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct FeatureBody {
    /// The name (required on create).
    pub description: Option<Text>,
    /// T, O (or N), C, S (or E, M); fixed once made.
    pub feature_type: Option<Text>,
    /// The key; derived from the name when absent.
    pub feature_code: Option<String>,
    /// A select's variants: `[{variant}]` or `{id: {variant}}`; given, they replace the list.
    #[schema(value_type = Option<Object>)]
    pub variants: Option<Value>,
}

fn variant_names(v: &Value) -> Result<Vec<String>, ApiError> {
    let items: Vec<&Value> = match v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(m) => m.values().collect(),
        _ => return Err(bad("variants", "must be a list of variants")),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::Object(m) => m
                .get("variant")
                .and_then(text)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| bad(&format!("variants[{i}].variant"), "is required")),
            other => text(other).ok_or_else(|| bad(&format!("variants[{i}]"), "must be a variant")),
        })
        .collect()
}

async fn load(state: &AppState, ctx: &Ctx, raw: &str) -> Result<Attribute, ApiError> {
    let n = path_number(raw, "Feature")?;
    let id = find(state, ctx, Numbered::Attribute, n)
        .await?
        .ok_or_else(|| not_found("Feature"))?;
    Ok(state.store.get_attribute(ctx, AttributeId(id)).await?)
}

/// List features, in creation order.
#[utoipa::path(get, path = "/api/features", tag = "Features", params(PageParams),
    responses((status = 200, description = "{features: [...], params: {page, items_per_page, total_items}}")))]
pub async fn list_features(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Query(q): Query<PageParams>,
) -> Result<Json<Value>, ApiError> {
    let page = q.read()?;
    let mut everything: Vec<Attribute> = super::render::all_attributes(&state, &ctx)
        .await?
        .into_values()
        .collect();
    everything.sort_by_key(|a| a.id);
    let total = everything.len() as i64;
    let items: Vec<Value> = page.of(everything).iter().map(render).collect();
    Ok(Json(
        serde_json::json!({"features": items, "params": page.params(total)}),
    ))
}

/// One feature with its variants.
#[utoipa::path(get, path = "/api/features/{feature_id}", tag = "Features",
    params(("feature_id" = String, Path, description = "The feature's id")),
    responses((status = 200, description = "The feature"), (status = 404, description = "No such feature", body = super::error::CsCartErrorBody)))]
pub async fn get_feature(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(render(&load(&state, &ctx, &raw).await?)))
}

/// Create a feature; answers 201 with its id.
#[utoipa::path(post, path = "/api/features", tag = "Features", request_body = FeatureBody,
    responses((status = 201, description = "{feature_id}"), (status = 400, description = "A field refused", body = super::error::CsCartErrorBody)))]
pub async fn create_feature(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    JsonBody(body): JsonBody<FeatureBody>,
) -> Result<Response, ApiError> {
    let name = body
        .description
        .map(|t| t.0)
        .ok_or_else(|| bad("description", "is required"))?;
    let attr_type = match &body.feature_type {
        Some(t) => type_of(&t.0)?,
        None => AttributeType::Text,
    };
    let options = body
        .variants
        .as_ref()
        .map(variant_names)
        .transpose()?
        .unwrap_or_default();
    let a = state
        .store
        .create_attribute(
            &ctx,
            AttributeInput {
                name,
                key: body.feature_code.filter(|k| !k.trim().is_empty()),
                attr_type,
                options,
                group_id: None,
            },
        )
        .await
        .map_err(|e| ApiError::from(e).named(super::names::FEATURE))?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({"feature_id": a.number}))).into_response())
}

/// Change a feature: its name, or a select's variants (the list given replaces the list).
#[utoipa::path(put, path = "/api/features/{feature_id}", tag = "Features", request_body = FeatureBody,
    params(("feature_id" = String, Path, description = "The feature's id")),
    responses((status = 200, description = "{feature_id}"), (status = 400, description = "A field refused", body = super::error::CsCartErrorBody), (status = 404, description = "No such feature", body = super::error::CsCartErrorBody)))]
pub async fn update_feature(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody<FeatureBody>,
) -> Result<Json<Value>, ApiError> {
    let a = load(&state, &ctx, &raw).await?;
    if let Some(t) = &body.feature_type
        && type_of(&t.0)? != a.attr_type
    {
        return Err(bad("feature_type", "a feature's type is fixed once it is made"));
    }
    state
        .store
        .update_attribute(
            &ctx,
            a.id,
            AttributePatch {
                name: body.description.map(|t| t.0),
                options: body.variants.as_ref().map(variant_names).transpose()?,
                group_id: pimento_core::patch::Patch::Keep,
            },
        )
        .await
        .map_err(|e| ApiError::from(e).named(super::names::FEATURE))?;
    Ok(Json(serde_json::json!({"feature_id": a.number})))
}

/// Delete a feature.
#[utoipa::path(delete, path = "/api/features/{feature_id}", tag = "Features",
    params(("feature_id" = String, Path, description = "The feature's id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "No such feature", body = super::error::CsCartErrorBody)))]
pub async fn delete_feature(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
) -> Result<StatusCode, ApiError> {
    let a = load(&state, &ctx, &raw).await?;
    state
        .store
        .delete_attribute(&ctx, a.id)
        .await
        .map_err(|e| ApiError::from(e).named(super::names::FEATURE))?;
    Ok(StatusCode::NO_CONTENT)
}
