//! Notifications: how an organization learns that a job ended without polling each job.

use crate::Store;
use crate::error::StoreError;
use crate::page::Page;
use chrono::{DateTime, Utc};
use pimento_core::auth::Ctx;
use pimento_core::ids::{FileId, JobId, NotificationId};

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
    pub created_at: DateTime<Utc>,
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
                "SELECT id, kind, message, job_id, file_id, created_at FROM notifications \
                 WHERE organization_id = $1 AND ($2 IS NULL OR id < $2) ORDER BY id DESC LIMIT $3",
                crate::args![ctx.org(), before, i64::from(limit) + 1],
            )
            .await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(Notification {
                    id: r.id("id")?,
                    kind: r.get("kind")?,
                    message: r.get("message")?,
                    job_id: r.opt_id("job_id")?,
                    file_id: r.opt_id("file_id")?,
                    created_at: r.get("created_at")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Page::from_overfetch(items, limit, |n| n.id.to_string(), None))
    }
}
