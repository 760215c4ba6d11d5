//! Notifications: how an organization learns that a job ended without polling each job.

use crate::Store;
use crate::error::StoreError;
use crate::page::Page;
use chrono::{DateTime, Utc};
use pimento_core::auth::Ctx;
use pimento_core::ids::{FileId, JobId, NotificationId};
use pimento_core::job::JobKind;

/// The columns a notification is read from: its row, its job's kind, its file's name.
const COLUMNS: &str = "SELECT n.id, n.kind, n.message, n.job_id, n.file_id, n.created_at, j.kind AS job_kind, \
    f.name AS file_name FROM notifications n LEFT JOIN jobs j ON j.id = n.job_id \
    LEFT JOIN files f ON f.id = n.file_id AND f.organization_id = n.organization_id";

/// A notification, such as "your export is ready to download".
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: NotificationId,
    /// `job.succeeded`, `job.failed` or `job.canceled`.
    pub kind: String,
    pub message: String,
    pub job_id: Option<JobId>,
    /// The file to download, for a finished export.
    pub file_id: Option<FileId>,
    /// What the job did (export, import, …), while the job is kept.
    pub job_kind: Option<JobKind>,
    /// The name a download of the file offers.
    pub file_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

fn read(r: &crate::db::Row) -> Result<Notification, StoreError> {
    Ok(Notification {
        id: r.id("id")?,
        kind: r.get("kind")?,
        message: r.get("message")?,
        job_id: r.opt_id("job_id")?,
        file_id: r.opt_id("file_id")?,
        job_kind: r.get::<Option<String>>("job_kind")?.as_deref().and_then(JobKind::parse),
        file_name: r.get("file_name")?,
        created_at: r.get("created_at")?,
    })
}

impl Store {
    /// The organization's notifications, newest first.
    pub async fn list_notifications(
        &self,
        ctx: &Ctx,
        limit: u32,
        before: Option<NotificationId>,
    ) -> Result<Page<Notification>, StoreError> {
        let limit = limit.clamp(1, crate::page::MAX_LIMIT);
        let mut pc = self.db.acquire().await?;
        let rows = pc
            .conn()
            .fetch_all(
                format!(
                    "{COLUMNS} WHERE n.organization_id = $1 AND ($2 IS NULL OR n.id < $2) ORDER BY n.id DESC LIMIT $3"
                ),
                crate::args![ctx.org(), before, i64::from(limit) + 1],
            )
            .await?;
        let items = rows.iter().map(read).collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Page::from_overfetch(items, limit, |n| n.id.to_string(), None))
    }

    /// A page of the organization's notifications at an offset, in creation order (newest
    /// first when `newest_first`), with how many there are in all: for APIs that page by
    /// offset.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn notifications_at(
        &self,
        ctx: &Ctx,
        offset: u64,
        limit: u32,
        newest_first: bool,
    ) -> Result<(Vec<Notification>, u64), StoreError> {
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        let total: i64 = c
            .fetch_one(
                "SELECT COUNT(*) AS n FROM notifications WHERE organization_id = $1",
                crate::args![ctx.org()],
            )
            .await?
            .get("n")?;
        if limit == 0 {
            return Ok((Vec::new(), total as u64));
        }
        let order = if newest_first { "DESC" } else { "ASC" };
        let rows = c
            .fetch_all(
                format!("{COLUMNS} WHERE n.organization_id = $1 ORDER BY n.id {order} LIMIT $2 OFFSET $3"),
                crate::args![
                    ctx.org(),
                    i64::from(limit.min(crate::page::MAX_LIMIT)),
                    i64::try_from(offset).unwrap_or(i64::MAX)
                ],
            )
            .await?;
        let items = rows.iter().map(read).collect::<Result<Vec<_>, StoreError>>()?;
        Ok((items, total as u64))
    }

    /// One notification of the organization, if it has it.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn get_notification(&self, ctx: &Ctx, id: NotificationId) -> Result<Option<Notification>, StoreError> {
        let mut pc = self.db.acquire().await?;
        let row = pc
            .conn()
            .fetch_optional(
                format!("{COLUMNS} WHERE n.organization_id = $1 AND n.id = $2"),
                crate::args![ctx.org(), id],
            )
            .await?;
        row.as_ref().map(read).transpose()
    }
}
