//! `/admin/collections` and `/admin/collections/{id}`: list, create, read, update, delete, over
//! the catalog's collections.
//!
//! As Medusa answers: an unknown collection reads as `200 {}`, its update is a 404, and its
//! delete answers `deleted: true` all the same. The handle is derived from the title when not
//! given (see `taxonomy::handle_of`). `external_id` is not kept; a collection's `products`
//! relation is not served here (list products with `collection_id` instead).

use super::body::{MedusaJson, nullable};
use super::caller::MedusaCaller;
use super::fields::Selection;
use super::ids;
use super::list::{ListParams, strict};
use super::qs::Qs;
use super::taxonomy::{
    creation_order, deleted, handle_of, ids_param, listed, merged_metadata, new_metadata, no_external_id, texts,
    unsupported,
};
use super::view::ts;
use super::wire::invalid_plain;
use crate::app::AppState;
use crate::error::ApiError;
use crate::precondition::{IfMatch, IfMatchHeader, MERGE_ATTEMPTS, is_stale, merge_guard, merge_refused, tagged};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pimento_core::collection::{Collection, CollectionInput, CollectionPatch};
use pimento_core::error::codes;
use pimento_core::ids::CollectionId;
use pimento_core::{CoreError, Entity};
use pimento_store::StoreError;
use pimento_store::catalog::GroupingQuery;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// The fields a read returns when `fields` is not given.
const DEFAULTS: &[&str] = &[
    "id",
    "title",
    "handle",
    "external_id",
    "created_at",
    "updated_at",
    "metadata",
];

/// A collection as Medusa creates it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCollection {
    pub title: String,
    /// Derived from the title when absent.
    pub handle: Option<String>,
    /// Not kept: only `null` is taken.
    #[serde(default, deserialize_with = "nullable")]
    pub external_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Option<Value>>,
    /// Medusa hands it to its workflow hooks and keeps nothing; so does this API.
    #[allow(dead_code)]
    #[schema(value_type = Option<Object>)]
    pub additional_data: Option<Value>,
}

/// A partial update of a collection.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCollection {
    pub title: Option<String>,
    pub handle: Option<String>,
    /// Not kept: only `null` is taken.
    #[serde(default, deserialize_with = "nullable")]
    pub external_id: Option<Option<String>>,
    /// Merged key by key; a key set to `""` is removed; `null` clears all.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Option<Value>>,
    /// Medusa hands it to its workflow hooks and keeps nothing; so does this API.
    #[allow(dead_code)]
    #[schema(value_type = Option<Object>)]
    pub additional_data: Option<Value>,
}

fn shown(c: &Collection) -> Value {
    json!({
        "id": ids::COLLECTION.show(c.id.0),
        "title": c.title,
        "handle": c.handle,
        "external_id": Value::Null,
        "created_at": ts(c.created_at),
        "updated_at": ts(c.updated_at),
        "metadata": c.metadata,
        "deleted_at": Value::Null,
    })
}

/// One collection in its envelope, with its version as `ETag`.
fn single(c: &Collection, q: &Qs) -> Result<Response, ApiError> {
    let sel = Selection::parse(q.one("fields")?, &Selection::defaults(DEFAULTS));
    Ok((tagged(c.version), Json(json!({ "collection": sel.apply(shown(c)) }))).into_response())
}

/// Medusa's words for a taken handle.
fn worded(e: StoreError, handle: &str) -> ApiError {
    let e = ApiError::from(e);
    if e.code == codes::DUPLICATE_HANDLE {
        invalid_plain(format!("Product collection with handle: {handle}, already exists."))
    } else {
        e
    }
}

fn missing(e: &StoreError) -> bool {
    matches!(e, StoreError::Domain(CoreError::NotFound(Entity::Collection)))
}

/// List collections.
#[utoipa::path(get, path = "/admin/collections", tag = "Collections",
    params(("fields" = Option<String>, Query, description = "Fields to return: +x adds, -x removes, bare names replace the defaults"),
        ("q" = Option<String>, Query, description = "Collections whose title contains this text, ignoring case"),
        ("id" = Option<Vec<String>>, Query, description = "Only these collections"),
        ("title" = Option<Vec<String>>, Query, description = "Only collections with exactly these titles"),
        ("handle" = Option<Vec<String>>, Query, description = "Only collections with these handles"),
        ("limit" = Option<u32>, Query, description = "Collections per page (10 by default, at most 200)"),
        ("offset" = Option<u64>, Query, description = "Collections to skip"),
        ("order" = Option<String>, Query, description = "Creation order only: id or created_at")),
    responses((status = 200, description = "{collections, count, offset, limit}"),
        (status = 400, description = "Invalid query", body = super::error::MedusaErrorBody)))]
pub async fn list_collections(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
) -> Result<Json<Value>, ApiError> {
    strict(
        &q,
        &[
            "fields",
            "offset",
            "limit",
            "order",
            "with_deleted",
            "q",
            "id",
            "title",
            "handle",
            "external_id",
            "created_at",
            "updated_at",
            "deleted_at",
            "$and",
            "$or",
        ],
    )?;
    unsupported(&q, &["created_at", "updated_at", "deleted_at", "$and", "$or"])?;
    creation_order(&q, &[])?;
    let paging = ListParams::read(&q, 10)?;
    let sel = Selection::parse(q.one("fields")?, &Selection::defaults(DEFAULTS));
    let mut query = GroupingQuery {
        q: q.one("q")?.map(str::to_owned),
        ids: ids_param(&q, "id", ids::COLLECTION)?,
        values: texts(&q, "title")?,
        handles: texts(&q, "handle")?,
        limit: paging.limit,
        offset: paging.offset,
    };
    if q.many("external_id")?.is_some() {
        // No collection has an external id here, so none matches one.
        query.ids = Some(Vec::new());
    }
    let page = state.store.list_collections(&ctx, &query).await?;
    let items = if paging.limit == 0 { Vec::new() } else { page.items };
    let items = items.iter().map(|c| sel.apply(shown(c))).collect();
    Ok(listed(
        "collections",
        items,
        page.total.unwrap_or_default(),
        paging.offset,
        paging.limit,
    ))
}

/// Create a collection; answers 200 with it.
#[utoipa::path(post, path = "/admin/collections", tag = "Collections", request_body = CreateCollection,
    responses((status = 200, description = "{collection}", headers(("ETag" = String, description = "The new collection's version"))),
        (status = 400, description = "Invalid data, or the handle is taken", body = super::error::MedusaErrorBody)))]
pub async fn create_collection(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    q: Qs,
    MedusaJson(body): MedusaJson<CreateCollection>,
) -> Result<Response, ApiError> {
    strict(&q, &["fields"])?;
    no_external_id(body.external_id.as_ref(), "collections")?;
    let handle = handle_of(body.handle, &body.title);
    let input = CollectionInput {
        title: body.title,
        handle: Some(handle.clone()),
        metadata: new_metadata(body.metadata)?,
    };
    let created = state
        .store
        .create_collection(&ctx, input)
        .await
        .map_err(|e| worded(e, &handle))?;
    single(&created, &q)
}

/// One collection; `{}` when there is none, as Medusa answers.
#[utoipa::path(get, path = "/admin/collections/{id}", tag = "Collections",
    params(("id" = String, Path, description = "The collection's id"), ("fields" = Option<String>, Query, description = "Fields to return")),
    responses((status = 200, description = "{collection}, or {} for an unknown id", headers(("ETag" = String, description = "The collection's version, when there is one")))))]
pub async fn get_collection(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    q: Qs,
) -> Result<Response, ApiError> {
    strict(&q, &["fields"])?;
    let Some(id) = ids::COLLECTION.read(&raw).map(CollectionId) else {
        return Ok(Json(json!({})).into_response());
    };
    match state.store.get_collection(&ctx, id).await {
        Ok(c) => single(&c, &q),
        Err(e) if missing(&e) => Ok(Json(json!({})).into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Change a collection: title, handle; `metadata` merges key by key (`""` removes a key) into
/// what was read, read again when another write lands first.
#[utoipa::path(post, path = "/admin/collections/{id}", tag = "Collections", request_body = UpdateCollection,
    params(("id" = String, Path, description = "The collection's id"), IfMatchHeader),
    responses((status = 200, description = "{collection}", headers(("ETag" = String, description = "The collection's new version"))),
        (status = 400, description = "Invalid data, or the handle is taken", body = super::error::MedusaErrorBody),
        (status = 404, description = "No such collection", body = super::error::MedusaErrorBody),
        (status = 412, description = "The collection is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The collection's current version")))))]
pub async fn update_collection(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    q: Qs,
    if_match: IfMatch,
    MedusaJson(body): MedusaJson<UpdateCollection>,
) -> Result<Response, ApiError> {
    strict(&q, &["fields"])?;
    no_external_id(body.external_id.as_ref(), "collections")?;
    let not_found = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("Collection with id \"{raw}\" not found"),
        )
    };
    let id = ids::COLLECTION.read(&raw).map(CollectionId).ok_or_else(not_found)?;
    let handle = body.handle.clone().unwrap_or_default();
    let mut attempt = 0;
    loop {
        let current = match state.store.get_collection(&ctx, id).await {
            Ok(c) => c,
            Err(e) if missing(&e) => return Err(not_found()),
            Err(e) => return Err(e.into()),
        };
        let guard = merge_guard(if_match.get(), Entity::Collection, current.version)?;
        let patch = CollectionPatch {
            title: body.title.clone(),
            handle: body.handle.clone(),
            metadata: merged_metadata(current.metadata.as_ref(), body.metadata.clone())?,
        };
        match state.store.update_collection(&ctx, id, Some(&guard), patch).await {
            Ok(changed) => return single(&changed, &q),
            Err(e) if is_stale(&e) && attempt + 1 < MERGE_ATTEMPTS => attempt += 1,
            Err(e) if missing(&e) => return Err(not_found()),
            Err(e) if is_stale(&e) => return Err(merge_refused(e, if_match.get())),
            Err(e) => return Err(worded(e, &handle)),
        }
    }
}

/// Delete a collection; its products leave it. One that does not exist answers the same, as
/// Medusa's does.
#[utoipa::path(delete, path = "/admin/collections/{id}", tag = "Collections",
    params(("id" = String, Path, description = "The collection's id"), IfMatchHeader),
    responses((status = 200, description = "{id, object: \"collection\", deleted: true}"),
        (status = 412, description = "The collection is at another version than `If-Match` names", body = super::error::MedusaErrorBody, headers(("ETag" = String, description = "The collection's current version")))))]
pub async fn delete_collection(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
) -> Result<Json<Value>, ApiError> {
    if let Some(id) = ids::COLLECTION.read(&raw).map(CollectionId) {
        match state.store.delete_collection(&ctx, id, if_match.get()).await {
            Ok(()) => {}
            Err(e) if missing(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(deleted(&raw, "collection"))
}
