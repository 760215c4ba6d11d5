//! Bulk jobs, one chunk at a time: select the next products in id order, then change or
//! delete each through the same rules as a single write.

use super::batch::Facts;
use super::products::{remove_product, save_product};
use crate::db::{Conn, Val, placeholders};
use crate::error::StoreError;
use crate::{audit, clock, load};
use pimento_core::audit::{Action, Change};
use pimento_core::auth::Ctx;
use pimento_core::bulk::{BulkPlan, PriceRule, Selection};
use pimento_core::ids::{ProductId, VariantId};
use pimento_core::job::{JobSummary, RowError};
use pimento_core::money::{Currency, DEFAULT_CURRENCY, Money};
use pimento_core::{CoreError, Entity};
use serde_json::json;

/// What a bulk chunk did, and the last product it looked at (`None` when none were left).
#[derive(Debug, Default)]
pub struct BulkStep {
    pub summary: JobSummary,
    pub errors: Vec<RowError>,
    pub last: Option<ProductId>,
}

/// Applies a bulk plan to the next `limit` selected products after `after`, inside the caller's
/// (the job chunk's) transaction.
pub async fn apply_bulk(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    plan: &BulkPlan,
    delete: bool,
    after: Option<ProductId>,
    limit: usize,
) -> Result<BulkStep, StoreError> {
    let after = after.unwrap_or(ProductId(uuid::Uuid::nil()));
    let mut step = BulkStep::default();
    let ids = match &plan.selection {
        Selection::Ids(wanted) => {
            let mut wanted: Vec<ProductId> = wanted.iter().copied().filter(|id| *id > after).collect();
            wanted.sort();
            wanted.dedup();
            wanted.truncate(limit);
            let Some(&last) = wanted.last() else { return Ok(step) };
            step.last = Some(last);
            let mut args = crate::args![ctx.org()];
            args.extend(wanted.iter().map(|id| Val::from(*id)));
            let found: Vec<ProductId> = c
                .fetch_all(
                    format!(
                        "SELECT id FROM products WHERE organization_id = $1 AND id IN ({}) ORDER BY id",
                        placeholders(2, wanted.len())
                    ),
                    args,
                )
                .await?
                .iter()
                .map(|r| r.id("id"))
                .collect::<Result<_, _>>()?;
            for id in wanted.iter().filter(|id| !found.contains(id)) {
                step.summary.failed += 1;
                step.errors.push(RowError {
                    line: None,
                    field: Some("payload.product_ids".into()),
                    reason: format!("product {id} not found"),
                });
            }
            found
        }
        Selection::Filter(f) => {
            let ids = super::query::ids_after(c, ctx, f, after, limit)
                .await
                .map_err(|e| prefixed(e, "payload.filter"))?;
            step.last = ids.last().copied();
            ids
        }
    };
    if ids.is_empty() {
        return Ok(step);
    }
    if delete {
        for id in &ids {
            remove_product(c, ctx, *id, None).await?;
            step.summary.deleted += 1;
        }
        return Ok(step);
    }
    let mut changed: Vec<ProductId> = Vec::new();
    // A product whose change is refused keeps its prices too: it is changed whole or not at all.
    let mut refused: Vec<ProductId> = Vec::new();
    if plan.changes_products() {
        let mut args = crate::args![ctx.org()];
        args.extend(ids.iter().map(|id| Val::from(*id)));
        // Locked as read on PostgreSQL: each is written back whole (`guard.rs`).
        let lock = if super::guard::for_update(c).is_empty() {
            ""
        } else {
            " FOR NO KEY UPDATE OF p"
        };
        let tail = format!(
            "WHERE p.organization_id = $1 AND p.id IN ({}) ORDER BY p.id{lock}",
            placeholders(2, ids.len())
        );
        // Every product gets the same classification: what it names is looked up once.
        let mut facts = Facts::default();
        facts.load_classifications(c, ctx, &[&plan.classification]).await?;
        for (before, ..) in load::product_rows(c, &tail, args).await? {
            let mut after = before.clone();
            if let Some(s) = plan.status {
                after.status = s;
            }
            if let Err(d) = facts.classify(&mut after, plan.classification.clone()) {
                step.summary.failed += 1;
                step.errors.push(RowError {
                    line: None,
                    field: d.field().map(|f| format!("payload.set.{f}")),
                    reason: format!("product {}: {}", before.id, reason(&d)),
                });
                refused.push(before.id);
                continue;
            }
            if after.snapshot() != before.snapshot() {
                save_product(c, ctx, &before, &after, Action::Update).await?;
                changed.push(before.id);
            }
        }
    }
    if let Some(rule) = plan.price {
        let ids: Vec<ProductId> = ids.iter().copied().filter(|id| !refused.contains(id)).collect();
        if !ids.is_empty() {
            changed.extend(reprice(c, ctx, &ids, rule).await?);
        }
    }
    changed.sort();
    changed.dedup();
    let failed = step.summary.failed;
    step.summary.updated = changed.len() as u64;
    step.summary.unchanged = (ids.len() as u64).saturating_sub(step.summary.updated + failed);
    Ok(step)
}

fn reason(e: &CoreError) -> String {
    match e {
        CoreError::Invalid { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

fn prefixed(e: StoreError, prefix: &str) -> StoreError {
    match e {
        StoreError::Domain(CoreError::Invalid { field, message }) => {
            StoreError::Domain(CoreError::invalid(format!("{prefix}.{field}"), message))
        }
        other => other,
    }
}

/// Variants per price update statement (5 bound values each).
const PRICE_ROWS: usize = 100;

/// Applies a price rule to every variant of the products; returns the products whose prices
/// changed. New prices go in with one multi-row statement per few hundred variants.
async fn reprice(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    ids: &[ProductId],
    rule: PriceRule,
) -> Result<Vec<ProductId>, StoreError> {
    let mut args = crate::args![ctx.org()];
    args.extend(ids.iter().map(|id| Val::from(*id)));
    // On PostgreSQL the prices are read locked, products first and then their variants (the
    // order every write of a product's variant takes: `guard.rs`), so that a concurrent price
    // change is neither lost nor deadlocked with.
    let lock = if super::guard::for_update(c).is_empty() {
        ""
    } else {
        " FOR NO KEY UPDATE"
    };
    if !lock.is_empty() {
        c.fetch_all(
            format!(
                "SELECT id FROM products WHERE organization_id = $1 AND id IN ({}) ORDER BY id{lock}",
                placeholders(2, ids.len())
            ),
            args.clone(),
        )
        .await?;
    }
    let rows = c
        .fetch_all(
            format!(
                "SELECT id, product_id, price_minor, currency FROM variants WHERE organization_id = $1 \
                 AND product_id IN ({}) ORDER BY product_id, rank{lock}",
                placeholders(2, ids.len())
            ),
            args,
        )
        .await?;
    let default = Currency::parse("currency", DEFAULT_CURRENCY)?;
    let mut updates: Vec<(VariantId, Money)> = Vec::new();
    let mut changes = Vec::new();
    let mut products = Vec::new();
    for r in &rows {
        let current = match (
            r.get::<Option<i64>>("price_minor")?,
            r.get::<Option<String>>("currency")?,
        ) {
            (Some(minor), Some(code)) => Some(Money {
                minor,
                currency: Currency::parse("currency", &code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            }),
            _ => None,
        };
        let Some(new) = rule.apply(current, default)? else {
            continue;
        };
        if Some(new) == current {
            continue;
        }
        let id: VariantId = r.id("id")?;
        let snap = |m: Option<Money>| json!({"price": m.map(|m| m.to_decimal_string()), "currency": m.map(|m| m.currency.code().to_owned())});
        changes.push(Change::new(
            Entity::Variant,
            id.0,
            Action::Update,
            &snap(current),
            &snap(Some(new)),
        ));
        updates.push((id, new));
        products.push(r.id::<ProductId>("product_id")?);
    }
    let now = clock::now();
    for chunk in updates.chunks(PRICE_ROWS) {
        // A CASE keyed by id: SQLite runs `UPDATE … FROM (VALUES …)` ten times slower. The
        // placeholders appear in order, so SQLite binds them anonymously (numbered ones are
        // looked up by name, which is quadratic in their count).
        let n = chunk.len();
        let mut args: Vec<Val> = Vec::with_capacity(n * 5 + 3);
        let mut price = String::with_capacity(n * 24);
        let mut currency = String::with_capacity(n * 24);
        for (id, m) in chunk {
            args.extend(crate::args![*id, m.minor]);
            price.push_str(&format!(" WHEN ${} THEN ${}", args.len() - 1, args.len()));
        }
        for (id, m) in chunk {
            args.extend(crate::args![*id, m.currency.code()]);
            currency.push_str(&format!(" WHEN ${} THEN ${}", args.len() - 1, args.len()));
        }
        let tail = args.len();
        args.extend(crate::args![now, ctx.actor(), ctx.org()]);
        args.extend(chunk.iter().map(|(id, _)| Val::from(*id)));
        let sql = format!(
            "UPDATE variants SET price_minor = CASE id{price} END, currency = CASE id{currency} END, \
             updated_at = ${}, updated_by = ${}, version = version + 1 WHERE organization_id = ${} AND id IN ({})",
            tail + 1,
            tail + 2,
            tail + 3,
            placeholders(tail + 4, n)
        );
        c.execute(sql, args).await?;
    }
    // A variant's price is part of its product's representation: the products get a new version.
    products.sort();
    products.dedup();
    for chunk in products.chunks(PRICE_ROWS) {
        let mut args = crate::args![now, ctx.actor(), ctx.org()];
        args.extend(chunk.iter().map(|id| Val::from(*id)));
        let sql = format!(
            "UPDATE products SET updated_at = $1, updated_by = $2, version = version + 1 \
             WHERE organization_id = $3 AND id IN ({})",
            placeholders(4, chunk.len())
        );
        c.execute(sql, args).await?;
    }
    audit::record(c, ctx, changes).await?;
    Ok(products)
}
