//! `/api/v1/pim/audit`: the audit events recorded for every change through any API.

use super::caller::PimCaller;
use super::params::{self, opt, opt_id, paged};
use super::view::PimAuditEvent;
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::QueryMap;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use pimento_core::Entity;
use pimento_core::audit::Action;
use pimento_store::audit::AuditQuery;

/// A filter that must name one of `known` (the core's names), or a 400 listing them.
fn one_of(
    q: &std::collections::HashMap<String, String>,
    name: &str,
    known: &[&'static str],
) -> Result<Option<String>, ApiError> {
    match q.get(name).map(|s| s.trim().to_ascii_lowercase()) {
        None => Ok(None),
        Some(v) if known.contains(&v.as_str()) => Ok(Some(v)),
        Some(v) => Err(ApiError::bad_request(
            name,
            format!("'{v}' is not one of {}", known.join(", ")),
        )),
    }
}

/// Audit events, newest first: who changed which entity, when, and each changed field's value
/// before and after.
#[utoipa::path(get, path = "/api/v1/pim/audit", tag = "Audit",
    params(
        ("entity_type" = Option<String>, Query, description = "product, variant, category, brand, attribute, …"),
        ("entity_id" = Option<String>, Query, description = "Only events about this entity"),
        ("action" = Option<String>, Query, description = "create, update, archive or delete"),
        ("from" = Option<String>, Query, description = "Events at or after this RFC 3339 time"),
        ("to" = Option<String>, Query, description = "Events before this RFC 3339 time"),
        ("limit" = Option<u32>, Query, description = "Page size, 1 to 100 (default 100)"),
        ("cursor" = Option<String>, Query, description = "The X-Next-Cursor of the previous page"),
    ),
    responses(
        (status = 200, description = "Audit events", body = Vec<PimAuditEvent>),
        (status = 400, description = "Invalid parameter", body = ErrorBody),
    ))]
pub async fn audit(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    QueryMap(q): QueryMap,
) -> Result<(HeaderMap, Json<Vec<PimAuditEvent>>), ApiError> {
    let limit = params::limit(&q)?;
    let query = AuditQuery {
        entity_type: one_of(&q, "entity_type", &Entity::ALL.map(Entity::as_str))?,
        entity_id: opt_id(&q, "entity_id")?,
        action: one_of(&q, "action", &Action::ALL.map(Action::as_str))?,
        since: opt::<DateTime<Utc>>(&q, "from", "an RFC 3339 time")?,
        until: opt::<DateTime<Utc>>(&q, "to", "an RFC 3339 time")?,
        limit,
        before_seq: opt(&q, "cursor", "a cursor from X-Next-Cursor")?,
    };
    let page = state.store.audit_log(&ctx, query).await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(paged("/api/v1/pim/audit", &q, limit, page.next_cursor, items))
}
