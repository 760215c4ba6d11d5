//! `/api/v1/pim/audit`: the audit events recorded for every change through any API.

use super::caller::PimCaller;
use super::params::{PageSize, SeqCursor, Time, paged};
use super::view::PimAuditEvent;
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::query::{OptId, Query, from_text};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use pimento_core::Entity;
use pimento_core::audit::Action;
use pimento_store::audit::AuditQuery;
use serde::{Deserialize, Deserializer};
use utoipa::IntoParams;

/// What `GET /api/v1/pim/audit` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListAuditEvents {
    /// product, variant, category, brand, attribute, …
    #[param(value_type = Option<String>)]
    pub entity_type: Option<EntityParam>,
    /// Only events about this entity
    #[param(value_type = Option<String>)]
    pub entity_id: OptId<uuid::Uuid>,
    /// create, update, archive or delete
    #[param(value_type = Option<String>)]
    pub action: Option<ActionParam>,
    /// Events at or after this RFC 3339 time
    #[param(value_type = Option<String>)]
    pub from: Time,
    /// Events before this RFC 3339 time
    #[param(value_type = Option<String>)]
    pub to: Time,
    /// Page size, 1 to 100 (default 100)
    #[param(value_type = Option<u32>)]
    pub limit: PageSize,
    /// The X-Next-Cursor of the previous page
    #[param(value_type = Option<String>)]
    pub cursor: SeqCursor,
}

/// `?entity_type=`: one of the core's entity names, in any case.
#[derive(Debug, Clone)]
pub struct EntityParam(pub String);

impl<'de> Deserialize<'de> for EntityParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| one_of(raw, &Entity::ALL.map(Entity::as_str)).map(EntityParam))
    }
}

/// `?action=`: one of the core's audit actions, in any case.
#[derive(Debug, Clone)]
pub struct ActionParam(pub String);

impl<'de> Deserialize<'de> for ActionParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| one_of(raw, &Action::ALL.map(Action::as_str)).map(ActionParam))
    }
}

/// A value that must name one of `known` (the core's names), trimmed and lowercased, or a
/// message listing them. Blank is not one of them: a filter given is a filter meant.
fn one_of(raw: &str, known: &[&'static str]) -> Result<String, String> {
    let v = raw.trim().to_ascii_lowercase();
    if known.contains(&v.as_str()) {
        Ok(v)
    } else {
        Err(format!("'{v}' is not one of {}", known.join(", ")))
    }
}

/// Audit events, newest first: who changed which entity, when, and each changed field's value
/// before and after.
#[utoipa::path(get, path = "/api/v1/pim/audit", tag = "Audit",
    params(ListAuditEvents),
    responses(
        (status = 200, description = "Audit events", body = Vec<PimAuditEvent>),
        (status = 400, description = "Invalid parameter", body = ErrorBody),
    ))]
pub async fn audit(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<ListAuditEvents>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Json<Vec<PimAuditEvent>>), ApiError> {
    let limit = q.limit.0;
    let query = AuditQuery {
        entity_type: q.entity_type.map(|e| e.0),
        entity_id: q.entity_id.0,
        action: q.action.map(|a| a.0),
        since: q.from.0,
        until: q.to.0,
        limit,
        before_seq: q.cursor.0,
    };
    let page = state.store.audit_log(&ctx, query).await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(paged(
        "/api/v1/pim/audit",
        raw.as_deref(),
        limit,
        page.next_cursor,
        items,
    ))
}
