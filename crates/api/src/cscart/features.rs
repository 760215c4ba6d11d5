//! `/api/features[/{id}]`: CS-Cart's product features are the catalog's typed attributes, and
//! a select feature's variants its options. Types: text `T`; number `O` (and `N`, a number
//! select, kept as a number); checkbox `C` (yes/no); select `S`, and brand `E` and multiple
//! checkbox `M` kept as a select of one value (the letter sent is read back). What the catalog
//! has no place for (`status`, `position`, `prefix`, `suffix`, `display_on_*`, …:
//! `own::FEATURE_FIELDS`) is kept in the attribute's `cscart` extension.
//!
//! A variant's id is a number of its feature's, kept in the same extension (`variant_ids`, by
//! the option's name in lower case, and `last_variant_id`): given once, never given again, so
//! removing a variant shifts no other. Options another API added since this API last wrote
//! the feature read with the numbers after the last one, in their order, and keep them when
//! this API next writes it. Removing a variant removes it from the products that had it, as
//! CS-Cart does; renaming one (its id sent with a new `variant`) renames it on them. A
//! variant's own fields (`position`, `url`, …: `own::VARIANT_FIELDS`) are kept by its number
//! (`variant_fields`).

use super::caller::CsCartCaller;
use super::own::{self, EXT};
use super::pages::PageParams;
use super::products::{find, not_found, path_number};
use super::values::{Text, bad, number, typed};
use crate::app::AppState;
use crate::error::{ApiError, Field};
use crate::extract::JsonBody;
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use crate::query::Query;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pimento_core::attribute::{Attribute, AttributeType};
use pimento_core::attribute::{AttributeInput, AttributePatch, DeletedValues, RemovedOptions};
use pimento_core::auth::Ctx;
use pimento_core::extension::ExtensionPatch;
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
                let field = if get("variant_id").is_some_and(|v| v != "0") {
                    format!("{at}.variant_id")
                } else {
                    format!("{at}.variants.{id}")
                };
                let n: i64 = id
                    .parse()
                    .map_err(|_| bad(&field, format!("'{id}' is not a variant id")))?;
                return option_of(a, n)
                    .map(|o| Value::String(o.to_owned()))
                    .ok_or_else(|| bad(&field, format!("feature {} has no variant {id}", a.number)));
            }
            if variant_text.is_none()
                && let Some(v) = get("value")
                && !a.options.iter().any(|o| o.eq_ignore_ascii_case(&v))
                && let Some(o) = v.parse::<i64>().ok().and_then(|n| option_of(a, n))
            {
                // `{"18": "86"}`: a variant's id alone, when no variant is named so.
                return Ok(Value::String(o.to_owned()));
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
        AttributeType::Number => match get("value_int")
            .map(|t| ("value_int", t))
            .or_else(|| get("value").map(|t| ("value", t)))
        {
            None => Ok(Value::Null),
            Some((field, t)) => {
                let n = number(&format!("{at}.{field}"), &t)?;
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

/// The key of a variant's number in the feature's extension: its name in lower case (options
/// are unique in any case).
fn variant_key(option: &str) -> String {
    option.to_lowercase()
}

/// The numbers of a feature's variants, in the order of its options: those kept in its
/// extension, and for options without one the numbers after the last given, in order.
pub fn variant_ids(a: &Attribute) -> Vec<i64> {
    let kept = a.extensions.get(EXT, "variant_ids").and_then(Value::as_object);
    let mut last = last_variant_id(a);
    a.options
        .iter()
        .map(|o| {
            match kept
                .and_then(|m| m.get(&variant_key(o)))
                .and_then(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
            {
                Some(n) => n,
                None => {
                    last += 1;
                    last
                }
            }
        })
        .collect()
}

/// The highest variant number the feature has given.
fn last_variant_id(a: &Attribute) -> i64 {
    let kept_max = a
        .extensions
        .get(EXT, "variant_ids")
        .and_then(Value::as_object)
        .and_then(|m| m.values().filter_map(Value::as_i64).max())
        .unwrap_or(0);
    a.extensions
        .get(EXT, "last_variant_id")
        .and_then(Value::as_i64)
        .unwrap_or(0)
        .max(kept_max)
}

/// The option whose variant number is `n`.
pub fn option_of(a: &Attribute, n: i64) -> Option<&str> {
    variant_ids(a)
        .iter()
        .position(|id| *id == n)
        .map(|i| a.options[i].as_str())
}

/// The variant number of a stored option value, or 0.
pub fn variant_id_of(a: &Attribute, value: &str) -> i64 {
    a.options
        .iter()
        .position(|o| o == value)
        .and_then(|i| variant_ids(a).get(i).copied())
        .unwrap_or(0)
}

/// A feature's variants (a select attribute's options), keyed by their numbers, with their own
/// fields as kept (a variant's `position` is its place until one is written).
pub fn variants(a: &Attribute) -> Map<String, Value> {
    let kept = a.extensions.get(EXT, "variant_fields").and_then(Value::as_object);
    a.options
        .iter()
        .zip(variant_ids(a))
        .enumerate()
        .map(|(i, (o, n))| {
            let id = n.to_string();
            let mut out = Map::new();
            for (name, _, default) in own::VARIANT_FIELDS {
                let stored = kept
                    .and_then(|m| m.get(&id))
                    .and_then(|f| f.get(*name))
                    .and_then(Value::as_str);
                let value = match (stored, *name) {
                    (Some(s), _) => s.to_owned(),
                    (None, "position") => i.to_string(),
                    (None, _) => (*default).to_owned(),
                };
                out.insert((*name).to_owned(), Value::String(value));
            }
            out.insert("variant_id".into(), Value::String(id.clone()));
            out.insert("variant".into(), Value::String(o.clone()));
            (id, Value::Object(out))
        })
        .collect()
}

/// The type letter a feature reads as: the one sent when it was kept as another (`E`, `M`,
/// `N`), else its type's.
fn type_letter(a: &Attribute) -> String {
    own::stored(&a.extensions, "feature_type").unwrap_or_else(|| feature_type(a.attr_type).to_owned())
}

/// A feature's own fields as CS-Cart shows them, with their defaults.
pub fn own_fields(a: &Attribute) -> Map<String, Value> {
    let mut out = Map::new();
    own::render_in(own::FEATURE_FIELDS, &a.extensions, &mut out);
    if own::stored(&a.extensions, "internal_name").is_none() {
        out.insert("internal_name".into(), Value::String(a.name.clone()));
    }
    if own::stored(&a.extensions, "purpose").is_none() {
        let purpose = if a.attr_type == AttributeType::Select {
            "organize_catalog"
        } else {
            "describe_product"
        };
        out.insert("purpose".into(), Value::String(purpose.into()));
    }
    out.insert("feature_type".into(), Value::String(type_letter(a)));
    out
}

fn render(a: &Attribute) -> Value {
    let mut out = own_fields(a);
    out.insert("feature_id".into(), Value::String(a.number.to_string()));
    out.insert("description".into(), Value::String(a.name.clone()));
    out.insert("feature_code".into(), Value::String(a.key.clone()));
    out.insert("variants".into(), Value::Object(variants(a)));
    Value::Object(out)
}

/// A feature as CS-Cart sends it. Its own fields (`status` A/D/H, `position`, `prefix`,
/// `suffix`, `parent_id`, `company_id`, `display_on_header`, `display_on_catalog`,
/// `display_on_product`, `comparison`, `categories_path`, `feature_style`, `filter_style`,
/// `full_description`, `internal_name`, `purpose`) are kept as sent.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct FeatureBody {
    /// The name (required on create).
    pub description: Option<Text>,
    /// T, O (or N), C, S (or E, M); fixed once made.
    pub feature_type: Option<Text>,
    /// The key; derived from the name when absent.
    pub feature_code: Option<String>,
    /// A select's variants: `[{variant_id, variant}]` or `{variant_id: {variant}}`; given, they
    /// replace the list (a variant left out is removed, from products too; one with its id
    /// and another `variant` is renamed).
    #[schema(value_type = Option<Object>)]
    pub variants: Option<Value>,
}

/// One variant sent: the id it was sent with (its `variant_id`, or its key), its name, and
/// the field that names it in an error.
struct SentVariant {
    id: Option<i64>,
    name: String,
    at: String,
    /// Its own fields as sent (`position`, `description`, …), when it was sent as an object.
    fields: Map<String, Value>,
}

fn sent_variants(v: &Value) -> Result<Vec<SentVariant>, ApiError> {
    let items: Vec<(String, Option<&str>, &Value)> = match v {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("variants[{i}]"), None, v))
            .collect(),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| (format!("variants.{k}"), Some(k.as_str()), v))
            .collect(),
        _ => return Err(bad("variants", "must be a list of variants")),
    };
    items
        .into_iter()
        .map(|(at, key, item)| {
            let fields = item.as_object().cloned().unwrap_or_default();
            let (name, id) = match item {
                Value::Object(m) => {
                    let name = m
                        .get("variant")
                        .and_then(text)
                        .filter(|t| !t.is_empty())
                        .ok_or_else(|| bad(&format!("{at}.variant"), "is required"))?;
                    let id = match m.get("variant_id").and_then(text).filter(|t| !t.is_empty()) {
                        Some(t) => Some(
                            t.parse::<i64>()
                                .map_err(|_| bad(&format!("{at}.variant_id"), format!("'{t}' is not a variant id")))?,
                        ),
                        None => key.and_then(|k| k.trim().parse::<i64>().ok()),
                    };
                    (name, id)
                }
                other => (
                    text(other)
                        .filter(|t| !t.is_empty())
                        .ok_or_else(|| bad(&at, "must be a variant"))?,
                    None,
                ),
            };
            Ok(SentVariant {
                id: id.filter(|n| *n > 0),
                name,
                at,
                fields,
            })
        })
        .collect()
}

/// A refusal of a field of the variant at `at`, named under it (`variants.86.position`).
fn within(at: &str, mut e: ApiError) -> ApiError {
    if let Some(Field::Wire(f)) = &e.field {
        e.field = Some(Field::Wire(format!("{at}.{f}")));
    }
    e
}

/// What writing `sent` variants over the feature `current` (none on create) does: the new
/// options, the extension fields that number them, and the options renamed.
struct VariantPlan {
    options: Vec<String>,
    numbering: Map<String, Value>,
    renamed: Vec<(String, String)>,
}

fn plan_variants(current: Option<&Attribute>, sent: Option<Vec<SentVariant>>) -> Result<VariantPlan, ApiError> {
    let existing: Vec<(i64, String)> = current
        .map(|a| variant_ids(a).into_iter().zip(a.options.iter().cloned()).collect())
        .unwrap_or_default();
    let mut last = current.map_or(0, |a| {
        last_variant_id(a).max(variant_ids(a).into_iter().max().unwrap_or(0))
    });
    let sent = match sent {
        Some(s) => s,
        // Variants not sent stay; only their numbering is written down.
        None => existing
            .iter()
            .map(|(n, o)| SentVariant {
                id: Some(*n),
                name: o.clone(),
                at: String::new(),
                fields: Map::new(),
            })
            .collect(),
    };
    let kept_fields = current
        .and_then(|a| a.extensions.get(EXT, "variant_fields"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut fields = Map::new();
    let mut plan = VariantPlan {
        options: Vec::new(),
        numbering: Map::new(),
        renamed: Vec::new(),
    };
    let mut ids = Map::new();
    let mut taken: Vec<i64> = Vec::new();
    for v in sent {
        let by_id = v.id.and_then(|n| existing.iter().find(|(e, _)| *e == n));
        let by_name = existing.iter().find(|(_, o)| o.eq_ignore_ascii_case(&v.name));
        let n = match (by_id, by_name) {
            (Some((n, old)), _) => {
                if !old.eq_ignore_ascii_case(&v.name) {
                    // Renames happen on the products one after another: a name another
                    // variant has now would mix their products up.
                    if let Some((other, _)) = by_name {
                        return Err(bad(
                            &format!("{}.variant", v.at),
                            format!(
                                "'{}' is variant {other}'s name; rename or remove that one first",
                                v.name
                            ),
                        ));
                    }
                    plan.renamed.push((old.clone(), v.name.clone()));
                }
                *n
            }
            (None, Some((n, _))) => *n,
            (None, None) => {
                last += 1;
                last
            }
        };
        if taken.contains(&n) {
            return Err(bad(&v.at, format!("variant {n} is given twice")));
        }
        if plan.options.iter().any(|o| o.eq_ignore_ascii_case(&v.name)) {
            return Err(bad(
                &format!("{}.variant", v.at),
                format!("'{}' is given twice", v.name),
            ));
        }
        if v.name.chars().count() > 255 {
            return Err(bad(&format!("{}.variant", v.at), "must be at most 255 characters"));
        }
        taken.push(n);
        ids.insert(variant_key(&v.name), Value::from(n));
        // Its own fields: those sent replace, the others stay as kept.
        let mut own_fields = kept_fields
            .get(&n.to_string())
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let given = v.fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let patch = own::patch_in(own::VARIANT_FIELDS, &given, Map::new()).map_err(|e| within(&v.at, e))?;
        for (k, value) in patch.map(|p| p.fields).unwrap_or_default() {
            if value.is_null() {
                own_fields.remove(&k);
            } else {
                own_fields.insert(k, value);
            }
        }
        if !own_fields.is_empty() {
            fields.insert(n.to_string(), Value::Object(own_fields));
        }
        plan.options.push(v.name);
    }
    plan.numbering.insert(
        "variant_fields".into(),
        if fields.is_empty() {
            Value::Null
        } else {
            Value::Object(fields)
        },
    );
    plan.numbering.insert("variant_ids".into(), Value::Object(ids));
    plan.numbering.insert("last_variant_id".into(), Value::from(last));
    Ok(plan)
}

/// The extension patch of a feature body's own fields and of `numbering`; `letter` is the
/// type letter sent, kept when the catalog keeps the feature as another type.
fn own_patch(
    body: &Map<String, Value>,
    mut numbering: Map<String, Value>,
    letter: Option<&str>,
) -> Result<Option<ExtensionPatch>, ApiError> {
    let given = body.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if let Some(l) = letter.map(|l| l.trim().to_ascii_uppercase()) {
        let kept = matches!(l.as_str(), "E" | "M" | "N");
        numbering.insert("feature_type".into(), if kept { Value::String(l) } else { Value::Null });
    }
    own::patch_in(own::FEATURE_FIELDS, &given, numbering)
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
    responses((status = 200, description = "The feature", headers(("ETag" = String, description = "The feature's version"))), (status = 404, description = "No such feature", body = super::error::CsCartErrorBody)))]
pub async fn get_feature(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let a = load(&state, &ctx, &raw).await?;
    Ok((tagged(a.version), Json(render(&a))))
}

/// Create a feature; answers 201 with its id.
#[utoipa::path(post, path = "/api/features", tag = "Features", request_body = FeatureBody,
    responses((status = 201, description = "{feature_id}"), (status = 400, description = "A field refused", body = super::error::CsCartErrorBody)))]
pub async fn create_feature(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    JsonBody(raw): JsonBody<Map<String, Value>>,
) -> Result<Response, ApiError> {
    let body: FeatureBody = typed(&raw)?;
    let name = body
        .description
        .map(|t| t.0)
        .ok_or_else(|| bad("description", "is required"))?;
    let attr_type = match &body.feature_type {
        Some(t) => type_of(&t.0)?,
        None => AttributeType::Text,
    };
    let plan = plan_variants(None, body.variants.as_ref().map(sent_variants).transpose()?)?;
    let numbering = if attr_type == AttributeType::Select {
        plan.numbering
    } else {
        Map::new()
    };
    let extension = own_patch(&raw, numbering, body.feature_type.as_ref().map(|t| t.0.as_str()))?;
    own::check_company(&state, &ctx, extension.as_ref()).await?;
    let a = state
        .store
        .create_attribute_extended(
            &ctx,
            AttributeInput {
                name,
                key: body.feature_code.filter(|k| !k.trim().is_empty()),
                attr_type,
                options: plan.options,
                group_id: None,
            },
            extension,
        )
        .await
        .map_err(|e| ApiError::from(e).named(super::names::FEATURE))?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({"feature_id": a.number}))).into_response())
}

/// Change a feature: its name, or a select's variants (the list given replaces the list).
#[utoipa::path(put, path = "/api/features/{feature_id}", tag = "Features", request_body = FeatureBody,
    params(("feature_id" = String, Path, description = "The feature's id"), IfMatchHeader),
    responses((status = 200, description = "{feature_id}", headers(("ETag" = String, description = "The feature's new version"))), (status = 400, description = "A field refused", body = super::error::CsCartErrorBody), (status = 404, description = "No such feature", body = super::error::CsCartErrorBody), (status = 412, description = "The feature is at another version than `If-Match` names", body = super::error::CsCartErrorBody, headers(("ETag" = String, description = "The feature's current version")))))]
pub async fn update_feature(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    JsonBody(sent): JsonBody<Map<String, Value>>,
) -> Result<impl IntoResponse, ApiError> {
    let a = load(&state, &ctx, &raw).await?;
    let body: FeatureBody = typed(&sent)?;
    if let Some(t) = &body.feature_type
        && type_of(&t.0)? != a.attr_type
    {
        return Err(bad("feature_type", "a feature's type is fixed once it is made"));
    }
    let variants_given = body.variants.is_some();
    let plan = plan_variants(Some(&a), body.variants.as_ref().map(sent_variants).transpose()?)?;
    let numbering = if a.attr_type == AttributeType::Select {
        plan.numbering
    } else {
        Map::new()
    };
    let extension = own_patch(&sent, numbering, body.feature_type.as_ref().map(|t| t.0.as_str()))?;
    own::check_company(&state, &ctx, extension.as_ref()).await?;
    let changed = state
        .store
        .update_attribute_extended(
            &ctx,
            a.id,
            if_match.get(),
            AttributePatch {
                name: body.description.map(|t| t.0),
                options: variants_given.then_some(plan.options),
                group_id: pimento_core::patch::Patch::Keep,
            },
            extension,
            RemovedOptions::Clear { renamed: plan.renamed },
        )
        .await
        .map_err(|e| ApiError::from(e).named(super::names::FEATURE))?;
    Ok((
        tagged(changed.version),
        Json(serde_json::json!({"feature_id": a.number})),
    ))
}

/// Delete a feature.
#[utoipa::path(delete, path = "/api/features/{feature_id}", tag = "Features",
    params(("feature_id" = String, Path, description = "The feature's id"), IfMatchHeader),
    responses((status = 204, description = "Deleted"), (status = 404, description = "No such feature", body = super::error::CsCartErrorBody), (status = 412, description = "The feature is at another version than `If-Match` names", body = super::error::CsCartErrorBody, headers(("ETag" = String, description = "The feature's current version")))))]
pub async fn delete_feature(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    let a = load(&state, &ctx, &raw).await?;
    state
        .store
        .delete_attribute(&ctx, a.id, if_match.get(), DeletedValues::Clear)
        .await
        .map_err(|e| ApiError::from(e).named(super::names::FEATURE))?;
    Ok(StatusCode::NO_CONTENT)
}
