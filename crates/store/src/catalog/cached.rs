//! Product views read through the view cache (`view_cache.rs`): one product by id (as a view,
//! or as an API's rendering kept with the cached view), and the children of a page of product
//! rows.

use super::products::{ensure_readable, view_in};
use super::query::PageKey;
use crate::Store;
use crate::db::Conn;
use crate::error::StoreError;
use crate::load;
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
    /// from memory, the others read together (and cached). `names: None` makes every view
    /// from the rows the keys carry and caches none. A product deleted since the page's
    /// statement is left out.
    pub(super) async fn cached_page(
        &self,
        c: &mut Conn<'_>,
        ctx: &Ctx,
        keys: Vec<PageKey>,
        include: Include,
        names: Option<i64>,
    ) -> Result<Vec<CachedProduct>, StoreError> {
        let read = |v: ProductView| CachedProduct(Viewed::Read(Box::new(v)));
        let Some(names) = names else {
            let rows = keys
                .into_iter()
                .map(|k| {
                    k.row
                        .map(|r| *r)
                        .ok_or_else(|| StoreError::Corrupt("a page read without the cache has no rows".into()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(load::views(c, ctx.org(), rows, include)
                .await?
                .into_iter()
                .map(read)
                .collect());
        };
        let views = &self.views;
        let org = ctx.org();
        let mut out: Vec<Option<Viewed>> = Vec::with_capacity(keys.len());
        let mut missed = Vec::new();
        let mut hits = Vec::new();
        for key in keys {
            let stamp = ViewStamp::new(key.version, names);
            match views.get(org, key.id, include, stamp) {
                Some(e) => {
                    hits.push((out.len(), stamp));
                    out.push(Some(Viewed::Cached(e)));
                }
                None => {
                    out.push(None);
                    missed.push(key.id);
                }
            }
        }
        if !missed.is_empty() {
            // Read after the page's statement: each view is stamped with the version of the
            // row it was made from, which may be newer than the key's.
            let rows = load::product_rows_by_id(c, org, &missed).await?;
            let stamps: Vec<ViewStamp> = rows.iter().map(|r| ViewStamp::new(r.0.version.0, names)).collect();
            let mut loaded: HashMap<ProductId, Viewed> = HashMap::with_capacity(rows.len());
            for (stamp, view) in stamps.into_iter().zip(load::views(c, org, rows, include).await?) {
                let id = view.product.id;
                let viewed = match views.put(org, id, include, stamp, None, view) {
                    Ok(e) => Viewed::Cached(e),
                    Err(v) => Viewed::Read(v),
                };
                loaded.insert(id, viewed);
            }
            let mut missed = missed.into_iter();
            for slot in out.iter_mut().filter(|s| s.is_none()) {
                if let Some(id) = missed.next() {
                    *slot = loaded.remove(&id);
                }
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
        Ok(out.into_iter().flatten().map(CachedProduct).collect())
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
