//! `/admin/product-tags` and `/admin/product-tags/{id}`: list, create, read, update, delete
//! (the catalog's tags; see `labels.rs` for what they share with types).

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
use pimento_core::ids::TagId;
use serde_json::Value;

const TAGS: Names = Names {
    kind: ids::TAG,
    single: "product_tag",
    plural: "product_tags",
    word: "Product tag",
    words: "product tags",
    default_limit: 20,
};

/// List tags.
#[utoipa::path(get, path = "/admin/product-tags", tag = "Product Tags",
    params(("fields" = Option<String>, Query, description = "Fields to return: +x adds, -x removes, bare names replace the defaults"),
        ("q" = Option<String>, Query, description = "Tags whose value contains this text, ignoring case"),
        ("id" = Option<Vec<String>>, Query, description = "Only these tags"),
        ("value" = Option<Vec<String>>, Query, description = "Only tags with exactly these values"),
        ("limit" = Option<u32>, Query, description = "Tags per page (20 by default, at most 200)"),
        ("offset" = Option<u64>, Query, description = "Tags to skip"),
        ("order" = Option<String>, Query, description = "Creation order only: id or created_at")),
    responses((status = 200, description = "{product_tags, count, offset, limit}"),
        (status = 400, description = "Invalid query", body = super::error::MedusaErrorBody)))]
pub async fn list_tags(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
) -> Result<Json<Value>, ApiError> {
    labels::list::<TagId>(&state, &ctx, &TAGS, &q).await
}

/// Create a tag; answers 200 with it.
#[utoipa::path(post, path = "/admin/product-tags", tag = "Product Tags", request_body = CreateLabel,
    responses((status = 200, description = "{product_tag}", headers(("ETag" = String, description = "The new tag's version"))),
        (status = 400, description = "Invalid data, or the value is taken", body = super::error::MedusaErrorBody)))]
pub async fn create_tag(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
    MedusaJson(body): MedusaJson<CreateLabel>,
) -> Result<Response, ApiError> {
    labels::create::<TagId>(&state, &ctx, &TAGS, &q, body).await
}

/// One tag; `{}` when there is none, as Medusa answers.
#[utoipa::path(get, path = "/admin/product-tags/{id}", tag = "Product Tags",
    params(("id" = String, Path, description = "The tag's id"), ("fields" = Option<String>, Query, description = "Fields to return")),
    responses((status = 200, description = "{product_tag}, or {} for an unknown id", headers(("ETag" = String, description = "The tag's version, when there is one")))))]
pub async fn get_tag(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(id): Path<String>,
    q: Qs,
) -> Result<Response, ApiError> {
    labels::get::<TagId>(&state, &ctx, &TAGS, &id, &q).await
}

/// Change a tag: its value; `metadata` merges key by key (`""` removes a key).
#[utoipa::path(post, path = "/admin/product-tags/{id}", tag = "Product Tags", request_body = UpdateLabel,
    params(("id" = String, Path, description = "The tag's id"), IfMatchHeader),
    responses((status = 200, description = "{product_tag}", headers(("ETag" = String, description = "The tag's new version"))),
        (status = 400, description = "Invalid data, or the value is taken", body = super::error::MedusaErrorBody),
        (status = 404, description = "No such tag", body = super::error::MedusaErrorBody),
        (status = 412, description = "The tag is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The tag's current version")))))]
pub async fn update_tag(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(id): Path<String>,
    q: Qs,
    if_match: IfMatch,
    MedusaJson(body): MedusaJson<UpdateLabel>,
) -> Result<Response, ApiError> {
    labels::update::<TagId>(&state, &ctx, &TAGS, &id, if_match.get(), &q, body).await
}

/// Delete a tag; the products that carried it lose it. One that does not exist answers the
/// same, as Medusa's does.
#[utoipa::path(delete, path = "/admin/product-tags/{id}", tag = "Product Tags",
    params(("id" = String, Path, description = "The tag's id"), IfMatchHeader),
    responses((status = 200, description = "{id, object: \"product_tag\", deleted: true}"),
        (status = 412, description = "The tag is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The tag's current version")))))]
pub async fn delete_tag(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
) -> Result<Json<Value>, ApiError> {
    labels::delete::<TagId>(&state, &ctx, &TAGS, &id, if_match.get()).await
}
