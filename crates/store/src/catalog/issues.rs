//! The validation report: issues computed by the core from the products as stored now, a page
//! at a time, walking products in id order.

use super::attributes::attributes_where;
use super::templates::templates_where;
use crate::Store;
use crate::db::{Conn, Val, placeholders};
use crate::error::StoreError;
use crate::load;
use crate::page::MAX_LIMIT;
use pimento_core::CoreError;
use pimento_core::auth::Ctx;
use pimento_core::ids::ProductId;
use pimento_core::issues::{Issue, IssueCode, IssueContext, product_issues};
use pimento_core::product::Include;
use std::collections::HashSet;

/// Products read per batch while filling a page.
const BATCH: i64 = 500;

/// A validation report request.
#[derive(Debug, Clone, Default)]
pub struct IssueQuery {
    /// Only this product's issues.
    pub product_id: Option<ProductId>,
    /// Only issues with these codes (all when empty).
    pub codes: HashSet<IssueCode>,
    pub limit: u32,
    /// The previous page's cursor.
    pub cursor: Option<String>,
}

/// One page of the report.
#[derive(Debug, Clone)]
pub struct IssuePage {
    pub items: Vec<Issue>,
    pub next_cursor: Option<String>,
}

/// Where a page starts: a product, and how many of its issues earlier pages showed.
fn parse_cursor(raw: &str) -> Result<(ProductId, usize), CoreError> {
    let bad = || CoreError::invalid("cursor", "is not a cursor this report gave");
    let (id, skip) = raw.split_once('.').ok_or_else(bad)?;
    Ok((id.parse().map_err(|_| bad())?, skip.parse().map_err(|_| bad())?))
}

async fn context(c: &mut Conn<'_>, ctx: &Ctx) -> Result<IssueContext, StoreError> {
    let attributes = attributes_where(c, "WHERE a.organization_id = $1", crate::args![ctx.org()])
        .await?
        .into_iter()
        .map(|a| (a.key.clone(), a))
        .collect();
    let templates = templates_where(c, "WHERE organization_id = $1", crate::args![ctx.org()])
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    Ok(IssueContext {
        attributes,
        templates,
        duplicate_barcodes: HashSet::new(),
    })
}

/// The barcodes among `codes` that more than one variant of the organization carries.
async fn duplicated(c: &mut Conn<'_>, ctx: &Ctx, codes: &[String]) -> Result<HashSet<String>, StoreError> {
    let mut out = HashSet::new();
    for chunk in codes.chunks(500) {
        let sql = format!(
            "SELECT barcode FROM variants WHERE barcode IN ({}) AND organization_id = $1 \
             GROUP BY barcode HAVING COUNT(*) > 1",
            placeholders(2, chunk.len())
        );
        let mut args = crate::args![ctx.org()];
        args.extend(chunk.iter().map(Val::from));
        for r in c.fetch_all(sql, args).await? {
            out.insert(r.get::<String>("barcode")?);
        }
    }
    Ok(out)
}

impl Store {
    /// A page of the organization's validation issues, in product order. Archived products are
    /// left out.
    pub async fn validation_issues(&self, ctx: &Ctx, q: IssueQuery) -> Result<IssuePage, StoreError> {
        ctx.principal.require_secret()?;
        let limit = q.limit.clamp(1, MAX_LIMIT) as usize;
        let (mut from, mut skip) = match &q.cursor {
            Some(c) => {
                let (p, s) = parse_cursor(c)?;
                (Some(p), s)
            }
            None => (None, 0),
        };
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        let mut ictx = context(&mut c, ctx).await?;
        let mut items: Vec<Issue> = Vec::new();
        loop {
            let mut tail = String::from("WHERE p.organization_id = $1 AND p.archived_at IS NULL");
            let mut args = crate::args![ctx.org()];
            if let Some(p) = q.product_id {
                args.push(Val::from(p));
                tail.push_str(&format!(" AND p.id = ${}", args.len()));
            }
            if let Some(f) = from {
                args.push(Val::from(f));
                tail.push_str(&format!(" AND p.id >= ${}", args.len()));
            }
            args.push(Val::from(BATCH));
            tail.push_str(&format!(" ORDER BY p.id LIMIT ${}", args.len()));
            let rows = load::product_rows(&mut c, &tail, args).await?;
            let exhausted = (rows.len() as i64) < BATCH;
            let Some(last) = rows.last().map(|(p, _)| p.id) else {
                break;
            };
            let views = load::views(
                &mut c,
                ctx.org(),
                rows,
                Include {
                    variants: true,
                    media: true,
                },
            )
            .await?;
            let barcodes: Vec<String> = views
                .iter()
                .flat_map(|v| v.variants.iter().flatten())
                .filter_map(|v| v.barcode.clone())
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            ictx.duplicate_barcodes = duplicated(&mut c, ctx, &barcodes).await?;
            for view in &views {
                let found: Vec<Issue> = product_issues(view, &ictx)
                    .into_iter()
                    .filter(|i| q.codes.is_empty() || q.codes.contains(&i.code))
                    .collect();
                let start = if Some(view.product.id) == from { skip } else { 0 };
                for (n, issue) in found.into_iter().enumerate().skip(start) {
                    if items.len() == limit {
                        return Ok(IssuePage {
                            items,
                            next_cursor: Some(format!("{}.{n}", issue.product_id)),
                        });
                    }
                    items.push(issue);
                }
            }
            if exhausted {
                break;
            }
            // The next batch starts after this one's last product.
            from = Some(next_id(last));
            skip = 0;
        }
        Ok(IssuePage {
            items,
            next_cursor: None,
        })
    }
}

/// The smallest id greater than `id`: a `>=` bound that means "after".
fn next_id(id: ProductId) -> ProductId {
    ProductId(uuid::Uuid::from_u128(id.0.as_u128().wrapping_add(1)))
}
