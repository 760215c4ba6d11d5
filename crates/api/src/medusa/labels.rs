//! Product tags and product types, which the catalog keeps alike (a value unique in the
//! organization, and metadata) and Medusa serves alike: one implementation, which `tags.rs`
//! and `types.rs` mount with their own names.
//!
//! As Medusa answers: a tag or type that does not exist reads as `200 {}`, its update is a 404,
//! and its delete answers `deleted: true` all the same. `external_id` is not kept (see
//! `taxonomy.rs`).

use super::body::nullable;
use super::fields::Selection;
use super::ids;
use super::list::{ListParams, strict};
use super::qs::Qs;
use super::taxonomy::{
    creation_order, deleted, ids_param, listed, merged_metadata, new_metadata, no_external_id, texts, unsupported,
};
use super::view::ts;
use super::wire::invalid_plain;
use crate::app::AppState;
use crate::error::ApiError;
use crate::precondition::{MERGE_ATTEMPTS, is_stale, merge_guard, merge_refused, tagged};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pimento_core::auth::Ctx;
use pimento_core::error::codes;
use pimento_core::label::{Label, LabelInput, LabelPatch};
use pimento_core::version::Precondition;
use pimento_core::{CoreError, Entity};
use pimento_store::StoreError;
use pimento_store::catalog::{GroupingQuery, LabelKind};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// How Medusa names one kind of label.
pub struct Names {
    pub kind: ids::Kind,
    /// The single envelope and the delete answer's `object` (`product_tag`).
    pub single: &'static str,
    /// The list envelope (`product_tags`).
    pub plural: &'static str,
    /// In messages (`Product tag`).
    pub word: &'static str,
    /// In refusals (`product tags`).
    pub words: &'static str,
    pub default_limit: u32,
}

/// The fields a read returns when `fields` is not given.
const DEFAULTS: &[&str] = &["id", "value", "external_id", "created_at", "updated_at", "metadata"];

/// A tag or type as Medusa creates it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLabel {
    pub value: String,
    /// Not kept: only `null` is taken.
    #[serde(default, deserialize_with = "nullable")]
    pub external_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Option<Value>>,
}

/// A partial update of a tag or type.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLabel {
    pub value: Option<String>,
    /// Not kept: only `null` is taken.
    #[serde(default, deserialize_with = "nullable")]
    pub external_id: Option<Option<String>>,
    /// Merged key by key; a key set to `""` is removed; `null` clears all.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Option<Value>>,
}

fn shown<Id: LabelKind>(n: &Names, l: &Label<Id>) -> Value {
    json!({
        "id": n.kind.show(l.id.uuid()),
        "value": l.value,
        "external_id": Value::Null,
        "created_at": ts(l.created_at),
        "updated_at": ts(l.updated_at),
        "metadata": l.metadata,
        "deleted_at": Value::Null,
    })
}

/// One label in its envelope, with its version as `ETag`.
fn single<Id: LabelKind>(n: &Names, l: &Label<Id>, q: &Qs) -> Result<Response, ApiError> {
    let sel = Selection::parse(q.one("fields")?, &Selection::defaults(DEFAULTS));
    Ok((tagged(l.version), Json(json!({ n.single: sel.apply(shown(n, l)) }))).into_response())
}

/// Medusa's words for a taken value.
fn worded(n: &Names, e: StoreError, value: &str) -> ApiError {
    let e = ApiError::from(e);
    if e.code == codes::DUPLICATE_NAME {
        invalid_plain(format!("{} with value: {}, already exists.", n.word, value.trim()))
    } else {
        e
    }
}

fn missing(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Domain(CoreError::NotFound(Entity::Tag | Entity::ProductType))
    )
}

pub async fn list<Id: LabelKind>(state: &AppState, ctx: &Ctx, n: &Names, q: &Qs) -> Result<Json<Value>, ApiError> {
    strict(
        q,
        &[
            "fields",
            "offset",
            "limit",
            "order",
            "with_deleted",
            "q",
            "id",
            "value",
            "external_id",
            "created_at",
            "updated_at",
            "deleted_at",
            "$and",
            "$or",
        ],
    )?;
    unsupported(q, &["created_at", "updated_at", "deleted_at", "$and", "$or"])?;
    creation_order(q, &[])?;
    let paging = ListParams::read(q, n.default_limit)?;
    let sel = Selection::parse(q.one("fields")?, &Selection::defaults(DEFAULTS));
    let mut query = GroupingQuery {
        q: q.one("q")?.map(str::to_owned),
        ids: ids_param(q, "id", n.kind)?,
        values: texts(q, "value")?,
        handles: None,
        limit: paging.limit,
        offset: paging.offset,
    };
    if q.many("external_id")?.is_some() {
        // No tag or type has an external id here, so none matches one.
        query.ids = Some(Vec::new());
    }
    let page = state.store.list_labels::<Id>(ctx, &query).await?;
    let items = if paging.limit == 0 { Vec::new() } else { page.items };
    let items = items.iter().map(|l| sel.apply(shown(n, l))).collect();
    Ok(listed(
        n.plural,
        items,
        page.total.unwrap_or_default(),
        paging.offset,
        paging.limit,
    ))
}

pub async fn create<Id: LabelKind>(
    state: &AppState,
    ctx: &Ctx,
    n: &Names,
    q: &Qs,
    body: CreateLabel,
) -> Result<Response, ApiError> {
    strict(q, &["fields"])?;
    no_external_id(body.external_id.as_ref(), n.words)?;
    let input = LabelInput {
        value: body.value.clone(),
        metadata: new_metadata(body.metadata)?,
    };
    let created = state
        .store
        .create_label::<Id>(ctx, input)
        .await
        .map_err(|e| worded(n, e, &body.value))?;
    single(n, &created, q)
}

pub async fn get<Id: LabelKind>(
    state: &AppState,
    ctx: &Ctx,
    n: &Names,
    raw: &str,
    q: &Qs,
) -> Result<Response, ApiError> {
    strict(q, &["fields"])?;
    let Some(id) = n.kind.read(raw) else {
        return Ok(Json(json!({})).into_response());
    };
    match state.store.get_label::<Id>(ctx, Id::from(id)).await {
        Ok(l) => single(n, &l, q),
        // Medusa answers an unknown one with an empty object.
        Err(e) if missing(&e) => Ok(Json(json!({})).into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Changes a label when it meets `if_match`; its metadata is merged into what was read, and
/// read again when another write lands first ([`merge_guard`]).
pub async fn update<Id: LabelKind>(
    state: &AppState,
    ctx: &Ctx,
    n: &Names,
    raw: &str,
    if_match: Option<&Precondition>,
    q: &Qs,
    body: UpdateLabel,
) -> Result<Response, ApiError> {
    strict(q, &["fields"])?;
    no_external_id(body.external_id.as_ref(), n.words)?;
    let not_found = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{} with id \"{raw}\" not found", n.word),
        )
    };
    let id = Id::from(n.kind.read(raw).ok_or_else(not_found)?);
    let value = body.value.clone().unwrap_or_default();
    let mut attempt = 0;
    loop {
        let current = match state.store.get_label::<Id>(ctx, id).await {
            Ok(l) => l,
            Err(e) if missing(&e) => return Err(not_found()),
            Err(e) => return Err(e.into()),
        };
        let guard = merge_guard(if_match, Id::ENTITY, current.version)?;
        let patch = LabelPatch {
            value: body.value.clone(),
            metadata: merged_metadata(current.metadata.as_ref(), body.metadata.clone())?,
        };
        match state.store.update_label(ctx, id, Some(&guard), patch).await {
            Ok(changed) => return single(n, &changed, q),
            Err(e) if is_stale(&e) && attempt + 1 < MERGE_ATTEMPTS => attempt += 1,
            Err(e) if missing(&e) => return Err(not_found()),
            Err(e) if is_stale(&e) => return Err(merge_refused(e, if_match)),
            Err(e) => return Err(worded(n, e, &value)),
        }
    }
}

/// Deletes a label when it meets `if_match`; one that does not exist answers the same.
pub async fn delete<Id: LabelKind>(
    state: &AppState,
    ctx: &Ctx,
    n: &Names,
    raw: &str,
    if_match: Option<&Precondition>,
) -> Result<Json<Value>, ApiError> {
    if let Some(id) = n.kind.read(raw) {
        match state.store.delete_label::<Id>(ctx, Id::from(id), if_match).await {
            Ok(()) => {}
            // Medusa answers the same for one that does not exist.
            Err(e) if missing(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(deleted(raw, n.single))
}
