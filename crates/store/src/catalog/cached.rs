//! Product views read through the view cache (`view_cache.rs`): one product by id (as a view,
//! or as an API's rendering kept with the cached view), and the children of a page of product
//! rows.

use super::products::{ensure_readable, view_in};
use super::query::PageKey;
use crate::Store;
use crate::db::Conn;
use crate::error::StoreError;
use crate::load::{self, ProductRow};
use crate::view_cache::{Entry, Probe, RenderSlot, ViewCache, ViewStamp};
use bytes::Bytes;
use pimento_core::auth::Ctx;
use pimento_core::ids::ProductId;
use pimento_core::product::{Include, ProductView};
use pimento_core::{CoreError, Entity};
use std::collections::HashMap;
use std::sync::Arc;

/// A product read through the view cache ([`Store::get_product_cached`]): its view, and the
/// API renderings kept with it while the view is cached.
pub struct CachedProduct(Viewed);

impl CachedProduct {
    /// The product's view.
    pub fn view(&self) -> &ProductView {
        match &self.0 {
            Viewed::Cached(e) => &e.view,
            Viewed::Read(v) => v,
        }
    }

    /// The view, owned (a copy of a cached one).
    pub fn into_view(self) -> ProductView {
        match self.0 {
            Viewed::Cached(e) => e.view.clone(),
            Viewed::Read(v) => *v,
        }
    }

    /// Whether the view is held by the cache (and can keep bodies).
    pub fn is_cached(&self) -> bool {
        matches!(self.0, Viewed::Cached(_))
    }

    /// The body kept in `slot`, if one was.
    pub fn kept(&self, slot: RenderSlot) -> Option<Bytes> {
        match &self.0 {
            Viewed::Cached(e) => e.kept(slot),
            Viewed::Read(_) => None,
        }
    }

    /// Keeps `body` in `slot` with the cached view (nothing when the view is not cached). The
    /// body must be made from the view and from shared rows read after it, which every change
    /// moves the names version for (`view_cache.rs`).
    pub fn keep(&self, slot: RenderSlot, body: Bytes) {
        if let Viewed::Cached(e) = &self.0 {
            e.keep(slot, body);
        }
    }
}

/// A product's view as [`Store::viewed`] found it.
enum Viewed {
    /// From the cache, or read and cached now.
    Cached(Arc<Entry>),
    /// Read and not cached.
    Read(Box<ProductView>),
}

impl Store {
    /// One product's view, from the view cache while it is current (`view_cache.rs`).
    pub(super) async fn cached_view(
        &self,
        ctx: &Ctx,
        id: ProductId,
        include: Include,
    ) -> Result<ProductView, StoreError> {
        Ok(match self.viewed(ctx, id, include).await? {
            Viewed::Cached(e) => e.view.clone(),
            Viewed::Read(v) => *v,
        })
    }

    /// One product, with the renderings kept with its cached view. Storefront keys see
    /// active, live products only.
    #[tracing::instrument(skip_all, fields(org = %ctx.org(), product = %id))]
    pub async fn get_product_cached(
        &self,
        ctx: &Ctx,
        id: ProductId,
        include: Include,
    ) -> Result<CachedProduct, StoreError> {
        let viewed = self.viewed(ctx, id, include).await?;
        let p = CachedProduct(viewed);
        ensure_readable(ctx, &p.view().product)?;
        Ok(p)
    }

    /// Whether a cached product's stamp is still the stored one: a kept rendering that differs
    /// from a fresh one while it is means a write moved neither number (debug checks in the
    /// APIs). A product not cached is never current in this sense.
    pub async fn still_current(&self, ctx: &Ctx, p: &CachedProduct) -> Result<bool, StoreError> {
        let Viewed::Cached(e) = &p.0 else {
            return Ok(false);
        };
        let mut pc = self.db.acquire().await?;
        Ok(ViewCache::probe_on(&mut pc.conn(), ctx.org(), e.view.product.id).await? == Probe::At(e.stamp))
    }

    /// The product's cached entry while it is current (read and cached when it is not), or the
    /// view read when it cannot be cached.
    async fn viewed(&self, ctx: &Ctx, id: ProductId, include: Include) -> Result<Viewed, StoreError> {
        let views = &self.views;
        if !views.enabled() {
            return Ok(Viewed::Read(Box::new(self.view(ctx, id, include).await?)));
        }
        // Read before anything else: whatever this read finds current was current in `state`.
        let state = self.db.committed_state();
        if let Some(state) = state
            && let Some(hit) = views.get_unchanged(ctx.org(), id, include, state)
        {
            if views.verifies() {
                self.verify_unchanged(ctx, id, include, state, &hit).await?;
            }
            return Ok(Viewed::Cached(hit));
        }
        let mut pooled = None;
        let probe = match views.probe_direct(ctx.org(), id) {
            Some(p) => p,
            None => {
                let pc = pooled.insert(self.db.acquire().await?);
                ViewCache::probe_on(&mut pc.conn(), ctx.org(), id).await?
            }
        };
        let stamp = match probe {
            Probe::Gone => return Err(CoreError::NotFound(Entity::Product).into()),
            Probe::At(s) => Some(s),
            Probe::Unknown => None,
        };
        if let Some(s) = stamp
            && let Some(hit) = views.get(ctx.org(), id, include, s)
        {
            drop(pooled);
            hit.checked_at(state);
            if views.verifies() {
                let mut pc = self.db.acquire().await?;
                if let Some(fresh) = verified(&mut pc.conn(), ctx, id, include, s, &hit.view).await? {
                    return Ok(Viewed::Read(Box::new(fresh)));
                }
            }
            return Ok(Viewed::Cached(hit));
        }
        let mut pc = match pooled {
            Some(pc) => pc,
            None => self.db.acquire().await?,
        };
        let view = view_in(&mut pc.conn(), ctx, id, include).await?;
        drop(pc);
        Ok(match stamp {
            Some(s) => match views.put(ctx.org(), id, include, s, state, view) {
                Ok(e) => Viewed::Cached(e),
                Err(v) => Viewed::Read(v),
            },
            None => Viewed::Read(Box::new(view)),
        })
    }

    /// The organization's names version, when views are cached and it could be read.
    pub(super) async fn names_version(&self, c: &mut Conn<'_>, ctx: &Ctx) -> Result<Option<i64>, StoreError> {
        if !self.views.enabled() {
            return Ok(None);
        }
        match self.views.names_direct(ctx.org()) {
            Some(n) => Ok(n),
            None => ViewCache::names_on(c, ctx.org()).await,
        }
    }

    /// A page of products through the cache: those cached at the key's version and `names`
    /// from memory, the others made from the rows the keys carry or, without them, read by id
    /// (and cached). `names: None` makes every view from the rows the keys carry and caches
    /// none. `None` when a product read by id is gone or at another version than its key: it
    /// changed after the page's statement chose it, which is what decides whether it belongs
    /// to the page (filters, a storefront key's view), so the caller reads the page again with
    /// its rows.
    pub(super) async fn cached_page(
        &self,
        c: &mut Conn<'_>,
        ctx: &Ctx,
        keys: Vec<PageKey>,
        include: Include,
        names: Option<i64>,
    ) -> Result<Option<Vec<CachedProduct>>, StoreError> {
        let org = ctx.org();
        let Some(names) = names else {
            let rows = keys
                .into_iter()
                .map(|k| {
                    k.row
                        .map(|r| *r)
                        .ok_or_else(|| StoreError::Corrupt("a page read without the cache has no rows".into()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let views = load::views(c, org, rows, include).await?;
            return Ok(Some(
                views
                    .into_iter()
                    .map(|v| CachedProduct(Viewed::Read(Box::new(v))))
                    .collect(),
            ));
        };
        let views = &self.views;
        let mut out: Vec<Option<Viewed>> = Vec::with_capacity(keys.len());
        let mut missed: Vec<(usize, PageKey)> = Vec::new();
        let mut hits = Vec::new();
        for key in keys {
            let stamp = ViewStamp::new(key.version, names);
            match views.get(org, key.id, include, stamp) {
                Some(e) => {
                    hits.push((out.len(), stamp));
                    out.push(Some(Viewed::Cached(e)));
                }
                None => {
                    missed.push((out.len(), key));
                    out.push(None);
                }
            }
        }
        if !missed.is_empty() {
            let unread: Vec<ProductId> = missed
                .iter()
                .filter(|(_, k)| k.row.is_none())
                .map(|(_, k)| k.id)
                .collect();
            let mut read: HashMap<ProductId, ProductRow> = load::product_rows_by_id(c, org, &unread)
                .await?
                .into_iter()
                .map(|r| (r.0.id, r))
                .collect();
            let mut rows = Vec::with_capacity(missed.len());
            for (_, key) in &mut missed {
                let row = match key.row.take() {
                    Some(row) => *row,
                    None => match read.remove(&key.id) {
                        Some(row) if row.0.version.0 == key.version => row,
                        _ => return Ok(None),
                    },
                };
                rows.push(row);
            }
            let stamps: Vec<ViewStamp> = rows.iter().map(|r| ViewStamp::new(r.0.version.0, names)).collect();
            let loaded = load::views(c, org, rows, include).await?;
            for (((at, _), stamp), view) in missed.into_iter().zip(stamps).zip(loaded) {
                out[at] = Some(match views.put(org, view.product.id, include, stamp, None, view) {
                    Ok(e) => Viewed::Cached(e),
                    Err(v) => Viewed::Read(v),
                });
            }
        }
        if views.verifies() {
            for (at, stamp) in hits {
                if let Some(Viewed::Cached(hit)) = &out[at]
                    && let Some(fresh) = verified(c, ctx, hit.view.product.id, include, stamp, &hit.view).await?
                {
                    out[at] = Some(Viewed::Read(Box::new(fresh)));
                }
            }
        }
        out.into_iter()
            .map(|v| {
                v.map(CachedProduct)
                    .ok_or_else(|| StoreError::Corrupt("a product of the page has no view".into()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

impl Store {
    /// A hit served without a probe, because the database had not changed since its stamp was
    /// found current, checked against a fresh read (debug builds): a difference while the
    /// database still reads as unchanged means a commit left the WAL index as it was.
    async fn verify_unchanged(
        &self,
        ctx: &Ctx,
        id: ProductId,
        include: Include,
        state: u64,
        hit: &Entry,
    ) -> Result<(), StoreError> {
        let mut pc = self.db.acquire().await?;
        let fresh = view_in(&mut pc.conn(), ctx, id, include).await;
        let same = matches!(&fresh, Ok(v) if *v == hit.view);
        if !same && self.db.committed_state() == Some(state) {
            tracing::error!(product = %id, "a product view served without a probe is stale: the database changed while its WAL index did not");
            return Err(StoreError::Corrupt(format!(
                "the cached view of product {id} is stale although the database reads as unchanged"
            )));
        }
        Ok(())
    }
}

/// A cache hit checked against a fresh read (debug builds): a difference while the product
/// still probes at the hit's stamp means a write moved neither number (`view_cache.rs`).
/// Returns the fresh view when a write landed since the probe (the hit is then older than
/// this read need be), `None` when the hit is the stored product.
async fn verified(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: ProductId,
    include: Include,
    stamp: ViewStamp,
    hit: &ProductView,
) -> Result<Option<ProductView>, StoreError> {
    let fresh = view_in(c, ctx, id, include).await?;
    if fresh == *hit {
        return Ok(None);
    }
    if ViewCache::probe_on(c, ctx.org(), id).await? == Probe::At(stamp) {
        tracing::error!(product = %id, "a cached product view is stale: a write moved neither its version nor the names version");
        return Err(StoreError::Corrupt(format!(
            "the cached view of product {id} is stale: a write moved neither its version nor the names version"
        )));
    }
    Ok(Some(fresh))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::catalog::create::tests::setup;
    use pimento_core::product::ProductInput;

    /// A product that changed after a page's statement chose it, or that is gone since, is not
    /// read by id into the page (the statement's filter decided on another version of it): the
    /// caller reads the page again with its rows.
    #[tokio::test(flavor = "current_thread")]
    async fn a_product_changed_since_the_pages_statement_is_not_read_by_id() {
        let (db, ctx) = setup().await;
        let store = Store::new(db.db.clone());
        let input = ProductInput {
            name: "Parka".into(),
            ..ProductInput::default()
        };
        let (view, _) = store.create_product(&ctx, input).await.unwrap();
        let (id, version) = (view.product.id, view.product.version.0);
        let key = |id, version| PageKey { id, version, row: None };
        let mut pc = store.db.acquire().await.unwrap();
        let mut c = pc.conn();
        let names = store.names_version(&mut c, &ctx).await.unwrap();
        assert!(names.is_some());
        let all = Include::default();
        let read = store.cached_page(&mut c, &ctx, vec![key(id, version)], all, names);
        let read = read.await.unwrap().unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].view().product.id, id);
        let changed = store.cached_page(&mut c, &ctx, vec![key(id, version - 1)], all, names);
        assert!(changed.await.unwrap().is_none(), "changed since");
        let gone = key(ProductId(uuid::Uuid::now_v7()), 1);
        let gone = store.cached_page(&mut c, &ctx, vec![gone], all, names);
        assert!(gone.await.unwrap().is_none(), "gone since");
        // Read again with its rows (as the caller does then), the page needs no read by id:
        // the product is made from the row the statement read, at the row's version.
        let rename = pimento_core::product::ProductPatch {
            name: Some("Parka, renamed".into()),
            ..Default::default()
        };
        store.update_product(&ctx, id, None, rename, all).await.unwrap();
        let query = pimento_core::query::ProductQuery::default();
        let keys = super::super::query::run(&mut c, &ctx, &query, true).await.unwrap().keys;
        assert!(keys.iter().all(|k| k.row.is_some()));
        let again = store
            .cached_page(&mut c, &ctx, keys, all, names)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(again[0].view().product.name, "Parka, renamed");
        assert!(again[0].is_cached());
    }
}
