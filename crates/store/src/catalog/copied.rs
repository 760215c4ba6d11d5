//! What a catalog copy keeps that a create makes afresh: a row's creation and update time, its
//! version, a product's archiving time, and the organization's number of a product, category,
//! attribute or vendor. The copy's import makes each row through the ordinary writes (so every
//! rule holds), then hands what the original had here, and one transaction writes it over what
//! the writes made. No audit event is recorded: the copy's rows are the original's as they
//! were, and the import job itself is the record of the import.
//!
//! A number is kept only when the organization has not given it to another row of the kind
//! (into an empty organization that is every number, gaps included); otherwise the row keeps
//! the number its create took. Either way the organization's counter is raised to at least the
//! kept number first, so a row created later takes one above it.

use super::numbers::{self, Numbered};
use crate::Store;
use crate::db::Conn;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use pimento_core::auth::Ctx;
use pimento_core::ids::OrganizationId;
use uuid::Uuid;

/// A table whose rows a copy stamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopiedRow {
    Product,
    Variant,
    Option,
    MediaAsset,
    ExternalRef,
    AttributeGroup,
    Attribute,
    Template,
    Category,
    Brand,
    Vendor,
    Collection,
    ProductType,
    Tag,
}

impl CopiedRow {
    /// The table, and whether its rows carry a version and a number.
    fn table(self) -> (&'static str, bool, Option<Numbered>) {
        match self {
            CopiedRow::Product => ("products", true, Some(Numbered::Product)),
            CopiedRow::Variant => ("variants", true, None),
            CopiedRow::Option => ("options", true, None),
            CopiedRow::MediaAsset => ("media_assets", false, None),
            CopiedRow::ExternalRef => ("external_refs", false, None),
            CopiedRow::AttributeGroup => ("attribute_groups", true, None),
            CopiedRow::Attribute => ("attributes", true, Some(Numbered::Attribute)),
            CopiedRow::Template => ("templates", true, None),
            CopiedRow::Category => ("categories", true, Some(Numbered::Category)),
            CopiedRow::Brand => ("brands", true, None),
            CopiedRow::Vendor => ("vendors", true, Some(Numbered::Vendor)),
            CopiedRow::Collection => ("collections", true, None),
            CopiedRow::ProductType => ("product_types", true, None),
            CopiedRow::Tag => ("tags", true, None),
        }
    }
}

/// What the original had of one row; `None` leaves the row's own value.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    pub row: CopiedRow,
    pub id: Uuid,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    /// Only for a row that carries a version (ignored for media assets and sync links).
    pub version: Option<i64>,
    /// Only for a product (already archived by the import).
    pub archived_at: Option<DateTime<Utc>>,
    /// Only for a numbered row (products, categories, attributes, vendors).
    pub number: Option<i64>,
}

impl Stamp {
    /// A row's times and version.
    pub fn new(
        row: CopiedRow,
        id: Uuid,
        created_at: Option<DateTime<Utc>>,
        updated_at: Option<DateTime<Utc>>,
        version: Option<i64>,
    ) -> Self {
        Stamp {
            row,
            id,
            created_at,
            updated_at,
            version,
            archived_at: None,
            number: None,
        }
    }

    /// With the organization's number the original had.
    pub fn numbered(mut self, number: Option<i64>) -> Self {
        self.number = number;
        self
    }
}

/// A number the organization had given to another row, so the stamped row kept its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberTaken {
    pub id: Uuid,
    pub wanted: i64,
    pub kept: i64,
}

impl Store {
    /// Writes `stamps` over the caller's organization's rows, in one transaction; the numbers
    /// that another row already had are answered (those rows keep a number of their own).
    #[tracing::instrument(skip_all, fields(org = %ctx.org(), rows = stamps.len()))]
    pub async fn stamp_copied(&self, ctx: &Ctx, stamps: &[Stamp]) -> Result<Vec<NumberTaken>, StoreError> {
        ctx.principal.require_secret()?;
        if stamps.is_empty() {
            return Ok(Vec::new());
        }
        let org = ctx.org();
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        // Rows made by one import took numbers in the order they were made, which need not be
        // the original's: their numbers are first set aside (negated, which the unique index
        // allows and no API shows), so that one row's wanted number is never held by another
        // row of the same batch.
        let numbered: Vec<(&Stamp, &'static str, Numbered, i64)> = stamps
            .iter()
            .filter_map(|s| {
                let (table, _, kind) = s.row.table();
                Some((s, table, kind?, s.number?))
            })
            .collect();
        for (s, table, kind, n) in &numbered {
            numbers::raise(&mut c, org, *kind, *n).await?;
            c.execute(
                format!("UPDATE {table} SET number = -number WHERE organization_id = $1 AND id = $2 AND number > 0"),
                crate::args![org, s.id],
            )
            .await?;
        }
        let mut taken = Vec::new();
        for (s, table, kind, n) in &numbered {
            let Some(row) = c
                .fetch_optional(
                    format!("SELECT number FROM {table} WHERE organization_id = $1 AND id = $2"),
                    crate::args![org, s.id],
                )
                .await?
            else {
                continue;
            };
            let own = -row.get::<i64>("number")?;
            let number = if free(&mut c, org, table, *n).await? {
                *n
            } else {
                // Its own number again, unless a row of the batch now has it.
                let kept = if free(&mut c, org, table, own).await? {
                    own
                } else {
                    numbers::take_one(&mut c, org, *kind).await?
                };
                taken.push(NumberTaken {
                    id: s.id,
                    wanted: *n,
                    kept,
                });
                kept
            };
            c.execute(
                format!("UPDATE {table} SET number = $3 WHERE organization_id = $1 AND id = $2"),
                crate::args![org, s.id, number],
            )
            .await?;
        }
        for s in stamps {
            stamp(&mut c, org, s).await?;
        }
        forget_cached_views(&mut c, org).await?;
        tx.commit().await?;
        Ok(taken)
    }
}

/// Whether no row of `table` in `org` has `number`.
async fn free(c: &mut Conn<'_>, org: OrganizationId, table: &str, number: i64) -> Result<bool, StoreError> {
    let row = c
        .fetch_optional(
            format!("SELECT 1 AS one FROM {table} WHERE organization_id = $1 AND number = $2"),
            crate::args![org, number],
        )
        .await?;
    Ok(row.is_none())
}

/// Moves the organization's names version: stamping sets times, numbers and versions (which
/// may go back to the copied ones), so no cached product view read before it stays current.
async fn forget_cached_views(c: &mut Conn<'_>, org: OrganizationId) -> Result<(), StoreError> {
    c.execute(
        "UPDATE organizations SET names_version = names_version + 1 WHERE id = $1",
        crate::args![org],
    )
    .await?;
    Ok(())
}

/// A row's times, version and archiving time.
async fn stamp(c: &mut Conn<'_>, org: OrganizationId, s: &Stamp) -> Result<(), StoreError> {
    let (table, versioned, _) = s.row.table();
    // COALESCE keeps the row's own value where the copy has none; `archived_at` is only ever
    // replaced on a row the import archived, so the archive counters stay as they are.
    let mut sql =
        format!("UPDATE {table} SET created_at = COALESCE($3, created_at), updated_at = COALESCE($4, updated_at)");
    let mut args = crate::args![org, s.id, s.created_at, s.updated_at];
    if versioned {
        sql.push_str(", version = COALESCE($5, version)");
        args.push(s.version.into());
    }
    if s.row == CopiedRow::Product {
        // Products carry a version, so `$6` follows `$5`.
        sql.push_str(", archived_at = CASE WHEN archived_at IS NULL THEN NULL ELSE COALESCE($6, archived_at) END");
        args.push(s.archived_at.into());
    }
    sql.push_str(" WHERE organization_id = $1 AND id = $2");
    c.execute(sql, args).await?;
    Ok(())
}
