//! `/api/v1/pim/notifications`: what finished, without polling each job.

use super::caller::PimCaller;
use super::params::{Paging, paged};
use crate::app::AppState;
use crate::error::ApiError;
use crate::query::Query;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use pimento_store::jobs::Notification;
use serde::Serialize;
use utoipa::ToSchema;

/// A notification as the PIM API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PimNotification {
    pub id: String,
    /// `job.succeeded`, `job.failed` or `job.canceled`.
    pub kind: String,
    pub message: String,
    pub job_id: Option<String>,
    /// Where to download the job's file, when it made one.
    pub download_url: Option<String>,
    pub created_at: String,
}

impl From<Notification> for PimNotification {
    fn from(n: Notification) -> Self {
        PimNotification {
            id: n.id.to_string(),
            kind: n.kind,
            message: n.message,
            download_url: n
                .file_id
                .and(n.job_id)
                .map(|j| format!("/api/v1/pim/jobs/{j}/download")),
            job_id: n.job_id.map(|j| j.to_string()),
            created_at: n.created_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        }
    }
}

/// The organization's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/pim/notifications", tag = "Jobs",
    params(Paging),
    responses((status = 200, description = "Notifications", body = Vec<PimNotification>)))]
pub async fn list_notifications(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<Paging>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Json<Vec<PimNotification>>), ApiError> {
    let limit = q.limit.0;
    let page = state
        .store
        .list_notifications(&ctx, limit, q.cursor.0.map(Into::into))
        .await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(paged(
        "/api/v1/pim/notifications",
        raw.as_deref(),
        limit,
        page.next_cursor,
        items,
    ))
}
