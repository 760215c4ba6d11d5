//! Catalog exchange: reading products as export documents, page by page (imports compare
//! with them too). The documents themselves are assembled in `docs.rs`.
//!
//! An export of the whole live catalog walks the id index directly (the fast path below). An
//! export of a filter (an API's list query) selects keyset pages of ids with the one product
//! query (`query.rs`) and then reads those products by id: as documents, or as views with
//! their options for a table an API spells itself.

use super::docs::{self, PAGE_TAIL, docs_where};
use crate::Store;
use crate::db::{Conn, Val, placeholders};
use crate::error::StoreError;
use crate::scan::Direct;
use pimento_core::auth::Ctx;
use pimento_core::exchange::ProductDoc;
use pimento_core::ids::{BrandId, CategoryId, OrganizationId, ProductId, TemplateId};
use pimento_core::options::VariantOption;
use pimento_core::product::{Include, ProductView};
use pimento_core::query::ProductFilter;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Names the export needs beside each product: category paths, brands and templates.
#[derive(Debug, Clone, Default)]
pub struct ExportNames {
    pub(super) categories: HashMap<CategoryId, Vec<String>>,
    pub(super) brands: HashMap<BrandId, String>,
    pub(super) templates: HashMap<TemplateId, String>,
}

/// The `(id, name)` rows of a query, by id.
async fn names_of<K: From<uuid::Uuid> + Eq + std::hash::Hash>(
    c: &mut Conn<'_>,
    sql: &'static str,
    org: OrganizationId,
) -> Result<HashMap<K, String>, StoreError> {
    c.fetch_all(sql, crate::args![org])
        .await?
        .iter()
        .map(|r| Ok((r.id("id")?, r.get("name")?)))
        .collect()
}

impl ExportNames {
    pub(super) async fn load(c: &mut Conn<'_>, org: OrganizationId) -> Result<Self, StoreError> {
        let rows = c
            .fetch_all(
                "SELECT id, name, path FROM categories WHERE organization_id = $1",
                crate::args![org],
            )
            .await?;
        let mut names: HashMap<String, String> = HashMap::new();
        let mut paths: Vec<(CategoryId, String)> = Vec::new();
        for r in &rows {
            let id: CategoryId = r.id("id")?;
            names.insert(id.0.simple().to_string(), r.get("name")?);
            paths.push((id, r.get("path")?));
        }
        let categories = paths
            .into_iter()
            .map(|(id, path)| {
                let chain = path
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .filter_map(|seg| names.get(seg).cloned())
                    .collect();
                (id, chain)
            })
            .collect();
        let brands = names_of(c, "SELECT id, name FROM brands WHERE organization_id = $1", org).await?;
        let templates = names_of(c, "SELECT id, name FROM templates WHERE organization_id = $1", org).await?;
        Ok(ExportNames {
            categories,
            brands,
            templates,
        })
    }
}

impl Store {
    /// What an export of the organization needs up front: the names of its categories and
    /// brands, the number of products it will write, and the most options any product has.
    pub async fn export_start(&self, org: OrganizationId) -> Result<(ExportNames, u64, usize), StoreError> {
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        let names = ExportNames::load(&mut c, org).await?;
        let total: i64 = c
            .fetch_one(
                "SELECT COUNT(*) AS n FROM products WHERE organization_id = $1 AND archived_at IS NULL",
                crate::args![org],
            )
            .await?
            .get("n")?;
        let slots: i64 = c
            .fetch_one(
                "SELECT CAST(COALESCE(MAX(n), 0) AS BIGINT) AS n FROM (SELECT COUNT(*) AS n FROM product_options po \
                 JOIN products p ON p.id = po.product_id WHERE p.organization_id = $1 GROUP BY po.product_id) t",
                crate::args![org],
            )
            .await?
            .get("n")?;
        Ok((names, total as u64, slots as usize))
    }

    /// The organization's live products as export documents, in id order, `page` at a time.
    /// The next page is read while the caller handles this one; dropping the receiver stops
    /// the reading. On a SQLite file the pages are read on a blocking thread of their own
    /// (`scan.rs`).
    pub fn export_pages(
        &self,
        org: OrganizationId,
        names: ExportNames,
        page: usize,
    ) -> mpsc::Receiver<Result<Vec<ProductDoc>, StoreError>> {
        let (tx, rx) = mpsc::channel(1);
        match self.db.sqlite_file() {
            Some(file) => scan_pages(file, org, names, page, tx),
            None => {
                // A page shorter than asked for is the last; so is an error.
                let last = move |r: &Result<Vec<ProductDoc>, StoreError>| r.as_ref().map_or(true, |d| d.len() < page);
                let next =
                    |r: &Result<Vec<ProductDoc>, StoreError>| r.as_ref().ok().and_then(|d| d.last()).and_then(|d| d.id);
                let mut after = ProductId(uuid::Uuid::nil());
                let store = self.clone();
                tokio::spawn(async move {
                    loop {
                        let docs = store.export_page(org, &names, after, page).await;
                        let done = last(&docs);
                        after = next(&docs).unwrap_or(after);
                        if tx.send(docs).await.is_err() || done {
                            break;
                        }
                    }
                });
            }
        }
        rx
    }

    async fn export_page(
        &self,
        org: OrganizationId,
        names: &ExportNames,
        after: ProductId,
        limit: usize,
    ) -> Result<Vec<ProductDoc>, StoreError> {
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        docs_where(&mut c, org, names, PAGE_TAIL, crate::args![org, after, limit as i64]).await
    }
}

impl Store {
    /// The ids of the next `limit` products the filter selects after `after` (the nil id to
    /// start), in id order: how an export of a filter walks its selection.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn select_product_ids(
        &self,
        ctx: &Ctx,
        filter: &ProductFilter,
        after: ProductId,
        limit: usize,
    ) -> Result<Vec<ProductId>, StoreError> {
        let mut pc = self.db.acquire().await?;
        super::query::ids_after(&mut pc.conn(), ctx, filter, after, limit).await
    }

    /// These products of the organization as export documents, in id order (archived ones
    /// too: the filter that selected them decided).
    #[tracing::instrument(skip_all, fields(org = %org))]
    pub async fn export_docs(
        &self,
        org: OrganizationId,
        names: &ExportNames,
        ids: &[ProductId],
    ) -> Result<Vec<ProductDoc>, StoreError> {
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        let mut out = Vec::with_capacity(ids.len());
        for part in ids.chunks(super::batch::IN_LIST) {
            let mut args = crate::args![org];
            args.extend(part.iter().map(|id| Val::from(*id)));
            out.extend(docs_where(&mut c, org, names, &ids_tail(part.len()), args).await?);
        }
        Ok(out)
    }

    /// These products of the caller's organization whole (variants, media, tags), each with
    /// the options assigned to it, in id order: what a table an API spells itself is written
    /// from.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn export_views(
        &self,
        ctx: &Ctx,
        ids: &[ProductId],
    ) -> Result<Vec<(ProductView, Vec<VariantOption>)>, StoreError> {
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        let include = Include {
            variants: true,
            media: true,
            tags: true,
        };
        let mut out = Vec::with_capacity(ids.len());
        for part in ids.chunks(super::batch::IN_LIST) {
            let mut args = crate::args![ctx.org()];
            args.extend(part.iter().map(|id| Val::from(*id)));
            let tail = format!(
                "WHERE p.organization_id = $1 AND p.id IN ({}) ORDER BY p.id",
                placeholders(2, part.len())
            );
            let rows = crate::load::product_rows(&mut c, &tail, args).await?;
            let mut options = crate::load::assigned_options_of(&mut c, ctx.org(), part).await?;
            for view in crate::load::views(&mut c, ctx.org(), rows, include).await? {
                let own = options.remove(&view.product.id).unwrap_or_default();
                out.push((view, own));
            }
        }
        Ok(out)
    }
}

/// Direct readers of a SQLite file: reading and assembling documents is what an export spends
/// its time on, so one reader per core takes every other page.
const READERS: usize = 2;

type PageResult = Result<Vec<ProductDoc>, StoreError>;

/// Reads the pages of a SQLite file on [`READERS`] blocking threads, each on a read-only
/// connection of its own (`scan.rs`), and passes them on in order.
fn scan_pages(
    file: std::path::PathBuf,
    org: OrganizationId,
    names: ExportNames,
    page: usize,
    out: mpsc::Sender<PageResult>,
) {
    let names = Arc::new(names);
    let (senders, mut receivers): (Vec<_>, Vec<_>) = (0..READERS).map(|_| mpsc::channel::<PageResult>(1)).unzip();
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let first = Direct::open(&file).and_then(|d| Ok((docs::page_bounds(&d, org, page)?, d)));
        let (bounds, direct) = match first {
            Ok(found) => found,
            // Reported by the first reader; the others' channels close, which ends the export.
            Err(e) => return drop(senders[0].blocking_send(Err(e))),
        };
        let bounds = Arc::new(bounds);
        let mut readers = senders.into_iter().enumerate();
        let Some((_, own)) = readers.next() else {
            return;
        };
        for (r, tx) in readers {
            let (file, names, bounds) = (file.clone(), names.clone(), bounds.clone());
            runtime.spawn_blocking(move || {
                let direct = match Direct::open(&file) {
                    Ok(d) => d,
                    Err(e) => return drop(tx.blocking_send(Err(e))),
                };
                read_pages(&direct, org, &names, &bounds, r, &tx);
            });
        }
        read_pages(&direct, org, &names, &bounds, 0, &own);
    });
    // Page k comes from reader k % READERS; the first closed channel is the end.
    tokio::spawn(async move {
        for r in (0..READERS).cycle() {
            let Some(docs) = receivers[r].recv().await else {
                return;
            };
            let failed = docs.is_err();
            if out.send(docs).await.is_err() || failed {
                return;
            }
        }
    });
}

/// Reads pages `first`, `first + READERS`, … of `bounds` and sends them, stopping at an error
/// or when nobody listens.
fn read_pages(
    direct: &Direct,
    org: OrganizationId,
    names: &ExportNames,
    bounds: &[ProductId],
    first: usize,
    tx: &mpsc::Sender<PageResult>,
) {
    for k in (first..bounds.len().saturating_sub(1)).step_by(READERS) {
        let docs = docs::page_direct(direct, org, names, bounds[k], bounds[k + 1]);
        let failed = docs.is_err();
        if tx.blocking_send(docs).is_err() || failed {
            return;
        }
    }
}

/// Reads the stored documents an import compares its own with. On a SQLite file that is a
/// direct read-only connection on a blocking thread (`scan.rs`): the import's transaction holds
/// the write lock and has written no catalog row yet when it reads them, so the last commit,
/// which that connection sees, is what the transaction sees. Elsewhere it is the transaction.
pub struct StoredDocs {
    file: Option<std::path::PathBuf>,
    /// Opened on first use, then kept for the whole import.
    direct: Option<Direct>,
}

impl Store {
    /// A reader of stored documents for one import.
    pub fn stored_docs(&self) -> StoredDocs {
        StoredDocs {
            file: self.db.sqlite_file(),
            direct: None,
        }
    }
}

impl StoredDocs {
    /// The stored export documents of these products, by id.
    pub(super) async fn read(
        &mut self,
        c: &mut Conn<'_>,
        org: OrganizationId,
        names: &ExportNames,
        mut ids: Vec<ProductId>,
    ) -> Result<HashMap<ProductId, ProductDoc>, StoreError> {
        // Children are read by id range, so sorted runs of ids keep each read tight.
        ids.sort_unstable();
        let mut out = HashMap::with_capacity(ids.len());
        if ids.is_empty() {
            return Ok(out);
        }
        let Some(file) = self.file.clone() else {
            for part in ids.chunks(super::batch::IN_LIST) {
                let mut args = crate::args![org];
                args.extend(part.iter().map(|id| Val::from(*id)));
                let tail = ids_tail(part.len());
                out.extend(
                    docs_where(c, org, names, &tail, args)
                        .await?
                        .into_iter()
                        .filter_map(keyed),
                );
            }
            return Ok(out);
        };
        let direct = self.direct.take();
        let names = names.clone();
        let (direct, docs) = tokio::task::spawn_blocking(move || {
            let direct = match direct.map_or_else(|| Direct::open(&file), Ok) {
                Ok(d) => d,
                Err(e) => return (None, Err(e)),
            };
            let mut docs = Vec::with_capacity(ids.len());
            for part in ids.chunks(super::batch::IN_LIST) {
                let tail = ids_tail(part.len());
                let params = std::iter::once(org.0).chain(part.iter().map(|id| id.0));
                let params = rusqlite::params_from_iter(params.map(|u| u.as_bytes().to_vec()));
                match docs::docs_direct(&direct, org, &names, &tail, params) {
                    Ok(d) => docs.extend(d),
                    Err(e) => return (Some(direct), Err(e)),
                }
            }
            (Some(direct), Ok(docs))
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("the stored-document reader stopped: {e}")))?;
        self.direct = direct;
        out.extend(docs?.into_iter().filter_map(keyed));
        Ok(out)
    }
}

/// The tail selecting `n` products by id (`$2…`), in id order.
fn ids_tail(n: usize) -> String {
    format!("AND p.id IN ({}) ORDER BY p.id", placeholders(2, n))
}

fn keyed(d: ProductDoc) -> Option<(ProductId, ProductDoc)> {
    Some((d.id?, d))
}
