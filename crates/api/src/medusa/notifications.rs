//! `/admin/notifications` and `/admin/notifications/{id}`: the admin's feed, which Medusa's
//! admin reads to learn that an export or import is done.
//!
//! These are the organization's notifications of the job engine (one when any job ends,
//! whichever API queued it), in Medusa's shape: all on the `feed` channel with the
//! `admin-ui` template, their `data` a title and description by the job's kind and outcome
//! ("Product export" / "Product export completed successfully!") and, for an export, its file
//! (`data.file.url` is `GET /admin/exports/{transaction_id}/download`).

use super::body::invalid;
use super::caller::MedusaCaller;
use super::exports::download_url;
use super::fields::Selection;
use super::ids;
use super::list::{ListParams, strict};
use super::qs::Qs;
use super::view::ts;
use crate::app::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Path, State};
use pimento_core::ids::NotificationId;
use pimento_core::job::JobKind;
use pimento_store::jobs::Notification;
use serde_json::{Value, json};

/// Fields a notification has, in Medusa's order.
const DEFAULTS: &[&str] = &[
    "id",
    "to",
    "channel",
    "template",
    "data",
    "trigger_type",
    "resource_id",
    "resource_type",
    "receiver_id",
    "created_at",
    "updated_at",
];

/// Medusa's words for what a job did.
fn title(kind: Option<JobKind>) -> &'static str {
    match kind {
        Some(JobKind::Export) => "Product export",
        Some(JobKind::Import) => "Product import",
        Some(JobKind::BulkUpdate) => "Product bulk update",
        Some(JobKind::BulkDelete) => "Product bulk delete",
        None => "Job",
    }
}

/// A notification in Medusa's shape; `import` is the file name of an import's upload and why
/// the import failed.
fn notification(n: &Notification, import: Option<&(String, Option<String>)>) -> Value {
    let imported = import.map(|(name, _)| name.as_str());
    let title = title(n.job_kind);
    let description = match (n.kind.as_str(), imported) {
        // Medusa's import workflow words its notifications so.
        ("job.succeeded", Some(file)) => format!("Product import of file {file} completed successfully!"),
        ("job.failed", Some(file)) => format!("Failed to import products from file {file}"),
        ("job.succeeded", None) => format!("{title} completed successfully!"),
        ("job.failed", None) => format!("{title} failed"),
        _ => format!("{title} was canceled"),
    };
    let mut data = serde_json::Map::new();
    if let (Some(_), Some(job)) = (n.file_id, n.job_id) {
        data.insert(
            "file".into(),
            json!({
                "url": download_url(job),
                "filename": n.file_name,
                "mimeType": "text/csv",
            }),
        );
    }
    data.insert("title".into(), Value::from(title));
    data.insert("description".into(), Value::from(description));
    if let Some((_, Some(why))) = import.filter(|_| n.kind == "job.failed") {
        // Why, naming the file's row: Medusa says nothing more; this is Pimento's.
        data.insert("error".into(), Value::from(why.clone()));
    }
    json!({
        "id": ids::NOTIFICATION.show(n.id.0),
        "to": "",
        "channel": "feed",
        "template": "admin-ui",
        "data": data,
        "trigger_type": Value::Null,
        "resource_id": Value::Null,
        "resource_type": Value::Null,
        "receiver_id": Value::Null,
        "created_at": ts(n.created_at),
        "updated_at": ts(n.created_at),
    })
}

/// `order`: by creation (`created_at` or `id`), newest first (`-`) by default.
fn newest_first(q: &Qs) -> Result<bool, ApiError> {
    match q.one("order")?.map(str::trim) {
        None | Some("") | Some("-created_at") | Some("-id") => Ok(true),
        Some("created_at") | Some("id") => Ok(false),
        Some(other) => Err(invalid(format!(
            "Cannot order notifications by '{other}': order by created_at or id"
        ))),
    }
}

/// List the admin's feed.
#[utoipa::path(get, path = "/admin/notifications", tag = "Notifications",
    params(("channel" = Option<String>, Query, description = "feed (every notification here is in the feed)"),
        ("limit" = Option<u32>, Query, description = "Notifications per page (50 by default)"),
        ("offset" = Option<u64>, Query, description = "Notifications to skip"),
        ("order" = Option<String>, Query, description = "-created_at (the default) or created_at"),
        ("fields" = Option<String>, Query, description = "Fields to return")),
    responses((status = 200, description = "{notifications, count, offset, limit}"),
        (status = 400, description = "An unknown parameter", body = super::error::MedusaErrorBody)))]
pub async fn list_notifications(
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
            "channel",
            "to",
            "$and",
            "$or",
        ],
    )?;
    let paging = ListParams::read(&q, 50)?;
    let newest = newest_first(&q)?;
    let sel = Selection::parse(q.one("fields")?, &Selection::defaults(DEFAULTS));
    // Every notification is in the feed, to nobody in particular.
    let elsewhere =
        q.many("channel")?.is_some_and(|c| !c.contains(&"feed")) || q.many("to")?.is_some_and(|t| !t.contains(&""));
    let (items, count) = if elsewhere {
        (Vec::new(), 0)
    } else if let Some(wanted) = q.many("id")? {
        let mut found = Vec::new();
        for id in wanted.iter().flat_map(|v| v.split(',')) {
            if let Some(id) = ids::NOTIFICATION.read(id) {
                found.extend(state.store.get_notification(&ctx, NotificationId(id)).await?);
            }
        }
        found.sort_by_key(|n| n.id);
        if newest {
            found.reverse();
        }
        let count = found.len() as u64;
        let page = found
            .into_iter()
            .skip(usize::try_from(paging.offset).unwrap_or(usize::MAX))
            .take(paging.limit as usize)
            .collect();
        (page, count)
    } else {
        state
            .store
            .notifications_at(&ctx, paging.offset, paging.limit, newest)
            .await?
    };
    let mut notifications = Vec::with_capacity(items.len());
    for n in &items {
        let name = imported(&state, &ctx, n).await;
        notifications.push(sel.apply(notification(n, name.as_ref())));
    }
    Ok(Json(json!({
        "notifications": notifications,
        "count": count,
        "offset": paging.offset,
        "limit": paging.limit,
    })))
}

/// One notification; one that does not exist answers `{}`, as Medusa's does.
#[utoipa::path(get, path = "/admin/notifications/{id}", tag = "Notifications",
    params(("id" = String, Path, description = "The notification's id"), ("fields" = Option<String>, Query, description = "Fields to return")),
    responses((status = 200, description = "{notification}, or {} when there is none")))]
pub async fn get_notification(
    State(state): State<AppState>,
    MedusaCaller(ctx): MedusaCaller,
    Path(raw): Path<String>,
    q: Qs,
) -> Result<Json<Value>, ApiError> {
    strict(&q, &["fields"])?;
    let sel = Selection::parse(q.one("fields")?, &Selection::defaults(DEFAULTS));
    let found = match ids::NOTIFICATION.read(&raw) {
        Some(id) => state.store.get_notification(&ctx, NotificationId(id)).await?,
        None => None,
    };
    Ok(Json(match found {
        Some(n) => {
            let name = imported(&state, &ctx, &n).await;
            json!({ "notification": sel.apply(notification(&n, name.as_ref())) })
        }
        None => json!({}),
    }))
}

/// The file an import's notification is about, and why it failed.
async fn imported(
    state: &AppState,
    ctx: &pimento_core::auth::Ctx,
    n: &Notification,
) -> Option<(String, Option<String>)> {
    match (n.job_kind, n.job_id) {
        (Some(JobKind::Import), Some(job)) => super::imports::import_facts(&state.store, ctx, job).await,
        _ => None,
    }
}
