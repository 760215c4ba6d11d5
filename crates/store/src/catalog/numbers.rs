//! Per-organization numbers: the integer ids of the APIs that speak in numbers. Each kind of
//! object counts on its own per organization, and a number is never given twice.

use crate::db::{Backend, Conn};
use crate::error::StoreError;
use pimento_core::ids::OrganizationId;
pub use pimento_core::numbers::Numbered;
use uuid::Uuid;

/// The last product number given in organization `$1` on SQLite: products take no counter
/// write on the hottest create path, only a read (see migration 0009).
pub(crate) const SQLITE_LAST_PRODUCT: &str = "MAX(\
COALESCE((SELECT MAX(number) FROM products WHERE organization_id = $1), 0), \
COALESCE((SELECT last FROM org_numbers WHERE organization_id = $1 AND kind = 'product'), 0))";

/// The PostgreSQL sequence that counts `kind` for `org` (made by [`create_counters`]).
fn sequence(org: OrganizationId, kind: Numbered) -> String {
    format!("pimento_n_{}_{}", org.0.simple(), kind.as_str())
}

/// Takes `n` new numbers of `kind` for `org`, in increasing order, inside the caller's
/// transaction. On SQLite the counter row is written with the rest of the transaction (writes
/// are one at a time anyway); on PostgreSQL the numbers come from the organization's sequence,
/// which holds no lock to commit, so a rolled-back write leaves a gap rather than a queue.
pub(crate) async fn take(
    c: &mut Conn<'_>,
    org: OrganizationId,
    kind: Numbered,
    n: usize,
) -> Result<Vec<i64>, StoreError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let count = i64::try_from(n).map_err(|_| StoreError::Corrupt("too many numbers asked for".into()))?;
    match c.backend() {
        Backend::Sqlite if kind == Numbered::Product => {
            let row = c
                .fetch_one(format!("SELECT {SQLITE_LAST_PRODUCT} AS last"), crate::args![org])
                .await?;
            let last: i64 = row.get("last")?;
            Ok((last + 1..=last + count).collect())
        }
        Backend::Sqlite => {
            let row = c
                .fetch_one(
                    "INSERT INTO org_numbers (organization_id, kind, last) VALUES ($1, $2, $3) \
                     ON CONFLICT (organization_id, kind) DO UPDATE SET last = org_numbers.last + excluded.last \
                     RETURNING last",
                    crate::args![org, kind.as_str(), count],
                )
                .await?;
            let last: i64 = row.get("last")?;
            Ok((last - count + 1..=last).collect())
        }
        Backend::Postgres => {
            let rows = c
                .fetch_all(
                    "SELECT nextval($1::text::regclass) AS n FROM generate_series(1, $2::bigint) ORDER BY 1",
                    crate::args![sequence(org, kind), count],
                )
                .await?;
            rows.iter().map(|r| r.get::<i64>("n")).collect()
        }
    }
}

/// Takes one new number of `kind` for `org` (see [`take`]).
pub(crate) async fn take_one(c: &mut Conn<'_>, org: OrganizationId, kind: Numbered) -> Result<i64, StoreError> {
    take(c, org, kind, 1)
        .await?
        .pop()
        .ok_or_else(|| StoreError::Corrupt("no number was given".into()))
}

/// Raises `org`'s counter of `kind` to `number` when it is below, so that the next number
/// given is above it (a catalog copy keeping the original's numbers). On SQLite the counter
/// row is written in the caller's transaction; on PostgreSQL the sequence is set at once
/// (`setval` is not transactional, and a rolled-back import leaves the gap a rolled-back
/// create would).
pub(crate) async fn raise(
    c: &mut Conn<'_>,
    org: OrganizationId,
    kind: Numbered,
    number: i64,
) -> Result<(), StoreError> {
    match c.backend() {
        Backend::Sqlite => {
            c.execute(
                "INSERT INTO org_numbers (organization_id, kind, last) VALUES ($1, $2, $3) \
                 ON CONFLICT (organization_id, kind) DO UPDATE SET last = max(org_numbers.last, excluded.last)",
                crate::args![org, kind.as_str(), number],
            )
            .await?;
        }
        Backend::Postgres => {
            // `last_value` is NULL until the sequence first gives a number.
            c.execute(
                "SELECT setval($1::text::regclass, $2::bigint) FROM pg_sequences \
                 WHERE schemaname = current_schema() AND sequencename::text = $1::text AND COALESCE(last_value, 0) < $2::bigint",
                crate::args![sequence(org, kind), number],
            )
            .await?;
        }
    }
    Ok(())
}

/// Makes a new organization's counters, inside the transaction that creates it.
pub(crate) async fn create_counters(c: &mut Conn<'_>, org: OrganizationId) -> Result<(), StoreError> {
    if c.backend() == Backend::Postgres {
        c.execute("SELECT pimento_number_sequences($1, 1, 1, 1, 1)", crate::args![org])
            .await?;
    }
    Ok(())
}

/// The id of the object of `kind` that has `number` in `org`, if there is one.
pub(crate) async fn find(
    c: &mut Conn<'_>,
    org: OrganizationId,
    kind: Numbered,
    number: i64,
) -> Result<Option<Uuid>, StoreError> {
    let sql = match kind {
        Numbered::Product => "SELECT id FROM products WHERE organization_id = $1 AND number = $2",
        Numbered::Category => "SELECT id FROM categories WHERE organization_id = $1 AND number = $2",
        Numbered::Attribute => "SELECT id FROM attributes WHERE organization_id = $1 AND number = $2",
        Numbered::OptionValue => {
            "SELECT v.id FROM option_values v JOIN options o ON o.id = v.option_id \
             WHERE o.organization_id = $1 AND v.number = $2"
        }
        Numbered::Vendor => "SELECT id FROM vendors WHERE organization_id = $1 AND number = $2",
    };
    let row = c.fetch_optional(sql, crate::args![org, number]).await?;
    row.map(|r| r.id("id")).transpose()
}

impl crate::Store {
    /// The id of the caller's object of `kind` numbered `number`; not found for another
    /// organization's number.
    pub async fn id_by_number(
        &self,
        ctx: &pimento_core::auth::Ctx,
        kind: Numbered,
        number: i64,
    ) -> Result<Uuid, StoreError> {
        let not_found = || pimento_core::CoreError::NotFound(kind.entity()).into();
        if kind == Numbered::Product
            && let Some(found) = self.views.product_by_number_direct(ctx.org(), number)
        {
            return found.map(|p| p.0).ok_or_else(not_found);
        }
        let mut pc = self.db.acquire().await?;
        find(&mut pc.conn(), ctx.org(), kind, number)
            .await?
            .ok_or_else(not_found)
    }
}
