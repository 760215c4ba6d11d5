//! `/admin/product-types` and `/admin/product-types/{id}`: list, create, read, update, delete
//! (the catalog's product types; see `labels.rs` for what they share with tags).

use super::body::MedusaJson;
use super::caller::MedusaCaller;
use super::ids;
use super::labels::{self, CreateLabel, Names, UpdateLabel};
use super::qs::Qs;
use crate::app::AppState;
use crate::error::ApiError;
use crate::precondition::{IfMatch, IfMatchHeader};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use pimento_core::ids::ProductTypeId;
use serde_json::Value;

const TYPES: Names = Names {
    kind: ids::TYPE,
    single: "product_type",
    plural: "product_types",
    word: "Product type",
    words: "product types",
    default_limit: 10,
};

/// List product types.
#[utoipa::path(get, path = "/admin/product-types", tag = "Product Types",
    params(("fields" = Option<String>, Query, description = "Fields to return: +x adds, -x removes, bare names replace the defaults"),
        ("q" = Option<String>, Query, description = "Types whose value contains this text, ignoring case"),
        ("id" = Option<Vec<String>>, Query, description = "Only these types"),
        ("value" = Option<Vec<String>>, Query, description = "Only types with exactly these values"),
        ("limit" = Option<u32>, Query, description = "Types per page (10 by default, at most 200)"),
        ("offset" = Option<u64>, Query, description = "Types to skip"),
        ("order" = Option<String>, Query, description = "Creation order only: id or created_at")),
    responses((status = 200, description = "{product_types, count, offset, limit}"),
        (status = 400, description = "Invalid query", body = super::error::MedusaErrorBody)))]
pub async fn list_types(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
) -> Result<Json<Value>, ApiError> {
    labels::list::<ProductTypeId>(&state, &ctx, &TYPES, &q).await
}

/// Create a product type; answers 200 with it.
#[utoipa::path(post, path = "/admin/product-types", tag = "Product Types", request_body = CreateLabel,
    responses((status = 200, description = "{product_type}", headers(("ETag" = String, description = "The new type's version"))),
        (status = 400, description = "Invalid data, or the value is taken", body = super::error::MedusaErrorBody)))]
pub async fn create_type(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
    MedusaJson(body): MedusaJson<CreateLabel>,
) -> Result<Response, ApiError> {
    labels::create::<ProductTypeId>(&state, &ctx, &TYPES, &q, body).await
}

/// One product type; `{}` when there is none, as Medusa answers.
#[utoipa::path(get, path = "/admin/product-types/{id}", tag = "Product Types",
    params(("id" = String, Path, description = "The type's id"), ("fields" = Option<String>, Query, description = "Fields to return")),
    responses((status = 200, description = "{product_type}, or {} for an unknown id", headers(("ETag" = String, description = "The type's version, when there is one")))))]
pub async fn get_type(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(id): Path<String>,
    q: Qs,
) -> Result<Response, ApiError> {
    labels::get::<ProductTypeId>(&state, &ctx, &TYPES, &id, &q).await
}

/// Change a product type: its value; `metadata` merges key by key (`""` removes a key).
#[utoipa::path(post, path = "/admin/product-types/{id}", tag = "Product Types", request_body = UpdateLabel,
    params(("id" = String, Path, description = "The type's id"), IfMatchHeader),
    responses((status = 200, description = "{product_type}", headers(("ETag" = String, description = "The type's new version"))),
        (status = 400, description = "Invalid data, or the value is taken", body = super::error::MedusaErrorBody),
        (status = 404, description = "No such type", body = super::error::MedusaErrorBody),
        (status = 412, description = "The type is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The type's current version")))))]
pub async fn update_type(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(id): Path<String>,
    q: Qs,
    if_match: IfMatch,
    MedusaJson(body): MedusaJson<UpdateLabel>,
) -> Result<Response, ApiError> {
    labels::update::<ProductTypeId>(&state, &ctx, &TYPES, &id, if_match.get(), &q, body).await
}

/// Delete a product type; the products of that type lose it. One that does not exist answers the
/// same, as Medusa's does.
#[utoipa::path(delete, path = "/admin/product-types/{id}", tag = "Product Types",
    params(("id" = String, Path, description = "The type's id"), IfMatchHeader),
    responses((status = 200, description = "{id, object: \"product_type\", deleted: true}"),
        (status = 412, description = "The type is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The type's current version")))))]
pub async fn delete_type(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
) -> Result<Json<Value>, ApiError> {
    labels::delete::<ProductTypeId>(&state, &ctx, &TYPES, &id, if_match.get()).await
}
