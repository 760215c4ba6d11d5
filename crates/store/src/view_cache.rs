//! Product views served from memory, checked against the database on every read.
//!
//! A single-product read is the catalog's hottest request. Loading a view takes two or three
//! statements (the product with its media, its variants with their option values, its tags),
//! each a hand-off to a database thread and back. A cached view instead costs one probe of two
//! numbers, and the view is served only while both are what they were when it was read:
//! - the product's `version`, which moves with every change to the product and what it owns
//!   (variants, media links, option links, tags, its reference);
//! - its organization's `names_version`, which triggers move with every change to a shared row a
//!   view or an API's kept rendering shows (categories, options and their values, collections,
//!   product types, vendors, attribute definitions, media assets, tags: migrations `view_cache`
//!   and `view_cache_shared_rows`).
//!
//! On a SQLite file a hit skips even the probe while the file's WAL index header is what it was
//! when the entry's stamp was last found current (nothing has committed since, in any process:
//! `db/wal_index.rs`; [`Entry::checked_at`], [`ViewCache::get_unchanged`]).
//!
//! So a write made by any process or node is seen by the next read: there is no staleness to
//! bound. Both numbers only ever grow (a catalog copy, which sets versions back to the copied
//! ones, moves the names version in the same transaction). On a SQLite file the probe runs on a
//! direct read-only connection in the caller's thread (a few microseconds, no hand-off); on
//! PostgreSQL it is one round trip. That probe is a deliberate exception to never blocking the
//! runtime: it never waits for a lock (a busy database is read without the cache), and the two
//! index pages it reads are among the most used of the file, so in the OS page cache.
//!
//! The cache holds at most a byte budget of views (an estimate of their heap size), evicting
//! the least useful (quick_cache's CLOCK-Pro). Debug builds (every test) check each hit against
//! a fresh read and fail a read that a write left stale, so the whole test suite proves that
//! every write path moves one of the two numbers.

use crate::db::{Conn, Db};
use crate::error::StoreError;
use bytes::Bytes;
use pimento_core::ids::{OrganizationId, ProductId};
use pimento_core::product::{Include, ProductView};
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The default byte budget: some 12,000 views of a product with three variants and two media,
/// with room for each API's rendering of them.
pub const DEFAULT_BUDGET_BYTES: u64 = 64 << 20;

/// Views with more variants than this are read from the database each time: they would
/// crowd out hundreds of others, and cloning one costs as much as reading it.
const MAX_CACHED_VARIANTS: usize = 1_000;

const PROBE_SQL: &str = "SELECT p.version, o.names_version FROM products p \
     JOIN organizations o ON o.id = p.organization_id WHERE p.id = $1 AND p.organization_id = $2";
const NAMES_SQL: &str = "SELECT names_version FROM organizations WHERE id = $1";
/// [`NAMES_SQL`] as rusqlite takes it.
const NAMES_SQL_SQLITE: &str = "SELECT names_version FROM organizations WHERE id = ?1";
/// A product's id by its number, as rusqlite takes it (the catalog's one other lookup that
/// comes before a cached read: CS-Cart names products by number).
const NUMBER_SQL_SQLITE: &str = "SELECT id FROM products WHERE organization_id = ?1 AND number = ?2";
/// [`PROBE_SQL`] as rusqlite takes it.
const PROBE_SQL_SQLITE: &str = "SELECT p.version, o.names_version FROM products p \
     JOIN organizations o ON o.id = p.organization_id WHERE p.id = ?1 AND p.organization_id = ?2";

/// What a view was read at: the product's version and its organization's names version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ViewStamp {
    version: i64,
    names: i64,
}

impl ViewStamp {
    /// The stamp of a product row read with the organization's names version.
    pub(crate) fn new(version: i64, names: i64) -> ViewStamp {
        ViewStamp { version, names }
    }
}

/// What a probe found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Probe {
    /// The organization has no such product.
    Gone,
    /// The product, at this stamp.
    At(ViewStamp),
    /// The direct probe could not run (say, the database was busy recovering): read as if
    /// there were no cache.
    Unknown,
}

/// The cache's counts since the process started, for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ViewCacheStats {
    /// Reads served from memory.
    pub hits: u64,
    /// Of those, the ones served without a probe: the SQLite file had not changed since the
    /// view's stamp was last found current (`db/wal_index.rs`).
    pub unprobed: u64,
    /// Reads that loaded the view from the database (not cached, or changed since).
    pub misses: u64,
    /// Views held now.
    pub entries: u64,
    /// Their estimated size, in bytes.
    pub bytes: u64,
    /// The byte budget (0: the cache is off).
    pub budget: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    org: OrganizationId,
    product: ProductId,
    /// Which children the view holds ([`Include`] as three bits).
    include: u8,
}

impl Key {
    fn new(org: OrganizationId, product: ProductId, include: Include) -> Key {
        Key {
            org,
            product,
            include: u8::from(include.variants) | u8::from(include.media) << 1 | u8::from(include.tags) << 2,
        }
    }
}

/// A cached view and what the APIs rendered of it.
pub(crate) struct Entry {
    pub(crate) stamp: ViewStamp,
    /// The database's committed state (`Db::committed_state`) when the stamp was last found
    /// current; 0 when unknown. While the database is still in that state the entry is
    /// current without a probe.
    checked: AtomicU64,
    bytes: u64,
    pub(crate) view: ProductView,
    /// An API's rendering of the view (its response body), by the slot it was given.
    rendered: [OnceLock<Bytes>; RENDER_SLOTS],
}

impl Entry {
    /// Records that the stamp was current while the database was in `state`.
    pub(crate) fn checked_at(&self, state: Option<u64>) {
        if let Some(state) = state {
            self.checked.store(state, Ordering::Relaxed);
        }
    }

    /// The rendering kept in `slot`, if any.
    pub(crate) fn kept(&self, slot: RenderSlot) -> Option<Bytes> {
        self.rendered.get(slot.0).and_then(|c| c.get().cloned())
    }

    /// Keeps `body` in `slot` (another request may have kept the same meanwhile).
    pub(crate) fn keep(&self, slot: RenderSlot, body: Bytes) {
        if let Some(cell) = self.rendered.get(slot.0) {
            let _ = cell.set(body);
        }
    }
}

/// How many renderings of one view are kept.
const RENDER_SLOTS: usize = 4;

/// Which rendering of a view an API keeps: one slot per way a response body is made from a
/// view (and the organization, and shared rows the names version covers), never from anything
/// else the request says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderSlot(usize);

impl RenderSlot {
    /// Slot `n`, of the few an entry has; another number fails to compile where it is a constant.
    pub const fn new(n: usize) -> RenderSlot {
        assert!(n < RENDER_SLOTS, "a view keeps only RENDER_SLOTS renderings");
        RenderSlot(n)
    }
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<Key, Arc<Entry>> for ByBytes {
    fn weight(&self, _key: &Key, entry: &Arc<Entry>) -> u64 {
        entry.bytes
    }
}

/// The cache of product views (see the module's documentation).
pub(crate) struct ViewCache {
    entries: Option<Cache<Key, Arc<Entry>, ByBytes>>,
    budget: u64,
    direct: Option<Probes>,
    verify: bool,
    hits: AtomicU64,
    unprobed: AtomicU64,
    misses: AtomicU64,
}

impl std::fmt::Debug for ViewCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewCache")
            .field("budget", &self.budget)
            .field("direct", &self.direct.is_some())
            .finish_non_exhaustive()
    }
}

impl ViewCache {
    /// A cache of at most `budget` bytes of views of `db`'s products; 0 turns it off.
    pub(crate) fn new(db: &Db, budget: u64) -> ViewCache {
        // quick_cache sizes its table from an item count: one per 3 KiB of budget.
        let entries = (budget > 0).then(|| {
            Cache::with_weighter(
                usize::try_from(budget / 3072).unwrap_or(usize::MAX).max(16),
                budget,
                ByBytes,
            )
        });
        ViewCache {
            entries,
            budget,
            direct: db.sqlite_file().map(|file| Probes {
                file,
                idle: Mutex::new(Vec::new()),
                // One per thread that may probe at once, and as many again.
                max_idle: std::thread::available_parallelism().map_or(16, |n| 2 * n.get()),
            }),
            verify: cfg!(debug_assertions),
            hits: AtomicU64::new(0),
            unprobed: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// Whether views are cached at all.
    pub(crate) fn enabled(&self) -> bool {
        self.entries.is_some()
    }

    /// Whether each hit is checked against a fresh read (debug builds).
    pub(crate) fn verifies(&self) -> bool {
        self.verify
    }

    /// The product's stamp read in this thread, on a SQLite file; `None` where the probe must
    /// go through a pooled connection ([`ViewCache::probe_on`]).
    pub(crate) fn probe_direct(&self, org: OrganizationId, id: ProductId) -> Option<Probe> {
        let probes = self.direct.as_ref()?;
        Some(match probes.stamp(org, id) {
            Ok(Some(s)) => Probe::At(s),
            Ok(None) => Probe::Gone,
            Err(e) => {
                tracing::debug!(error = %e, "view cache: the direct probe failed; reading without the cache");
                Probe::Unknown
            }
        })
    }

    /// The product's stamp read on a pooled connection.
    pub(crate) async fn probe_on(c: &mut Conn<'_>, org: OrganizationId, id: ProductId) -> Result<Probe, StoreError> {
        Ok(match c.fetch_optional(PROBE_SQL, crate::args![id, org]).await? {
            Some(row) => Probe::At(ViewStamp {
                version: row.get("version")?,
                names: row.get("names_version")?,
            }),
            None => Probe::Gone,
        })
    }

    /// The organization's names version (for a page of products, whose versions come with
    /// their rows), read in this thread on a SQLite file; `None` where it must go through a
    /// pooled connection ([`ViewCache::names_on`]), `Some(None)` when the direct read failed.
    pub(crate) fn names_direct(&self, org: OrganizationId) -> Option<Option<i64>> {
        let probes = self.direct.as_ref()?;
        Some(match probes.names(org) {
            Ok(n) => n,
            Err(e) => {
                tracing::debug!(error = %e, "view cache: the direct probe failed; reading without the cache");
                None
            }
        })
    }

    /// The id of the organization's product numbered `number`, read in this thread on a SQLite
    /// file; `None` where it must go through a pooled connection, or when the direct read
    /// failed.
    pub(crate) fn product_by_number_direct(&self, org: OrganizationId, number: i64) -> Option<Option<ProductId>> {
        let probes = self.direct.as_ref()?;
        match probes.product_by_number(org, number) {
            Ok(found) => Some(found),
            Err(e) => {
                tracing::debug!(error = %e, "view cache: the direct lookup failed; reading on the pool");
                None
            }
        }
    }

    /// The organization's names version read on a pooled connection.
    pub(crate) async fn names_on(c: &mut Conn<'_>, org: OrganizationId) -> Result<Option<i64>, StoreError> {
        match c.fetch_optional(NAMES_SQL, crate::args![org]).await? {
            Some(row) => Ok(Some(row.get("names_version")?)),
            None => Ok(None),
        }
    }

    /// The cached view of the product with `include`, when it was read at `stamp`.
    pub(crate) fn get(
        &self,
        org: OrganizationId,
        id: ProductId,
        include: Include,
        stamp: ViewStamp,
    ) -> Option<Arc<Entry>> {
        let entries = self.entries.as_ref()?;
        match entries.get(&Key::new(org, id, include)) {
            Some(e) if e.stamp == stamp => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(e)
            }
            _ => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// The cached view of the product with `include`, when its stamp was found current while
    /// the database was in `state` (nothing has committed since): no probe is needed.
    pub(crate) fn get_unchanged(
        &self,
        org: OrganizationId,
        id: ProductId,
        include: Include,
        state: u64,
    ) -> Option<Arc<Entry>> {
        let entries = self.entries.as_ref()?;
        let e = entries.get(&Key::new(org, id, include))?;
        if e.checked.load(Ordering::Relaxed) != state {
            return None;
        }
        self.hits.fetch_add(1, Ordering::Relaxed);
        self.unprobed.fetch_add(1, Ordering::Relaxed);
        Some(e)
    }

    /// Keeps a view read after a probe found `stamp`. A write that landed between the probe and
    /// the read made the view newer than its stamp: the next probe differs and reads again.
    /// Returns the entry, or the view back when it is not cached (the cache is off, or the
    /// view too large).
    pub(crate) fn put(
        &self,
        org: OrganizationId,
        id: ProductId,
        include: Include,
        stamp: ViewStamp,
        state: Option<u64>,
        view: ProductView,
    ) -> Result<Arc<Entry>, Box<ProductView>> {
        let Some(entries) = &self.entries else {
            return Err(Box::new(view));
        };
        if view.variants.as_ref().is_some_and(|v| v.len() > MAX_CACHED_VARIANTS) {
            return Err(Box::new(view));
        }
        // Weighed at five times the view: room for the renderings an entry can hold (one per
        // API, each about the view's size), so the budget holds even when every API reads the
        // same products. quick_cache refuses an entry heavier than its shard's share of the
        // budget.
        let bytes = (1 + RENDER_SLOTS as u64) * estimate(&view);
        let entry = Arc::new(Entry {
            stamp,
            checked: AtomicU64::new(state.unwrap_or(0)),
            bytes,
            view,
            rendered: Default::default(),
        });
        entries.insert(Key::new(org, id, include), entry.clone());
        Ok(entry)
    }

    /// The counts so far.
    pub(crate) fn stats(&self) -> ViewCacheStats {
        let (entries, bytes) = self.entries.as_ref().map_or((0, 0), |c| (c.len() as u64, c.weight()));
        ViewCacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            unprobed: self.unprobed.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries,
            bytes,
            budget: self.budget,
        }
    }
}

/// Read-only connections to the SQLite file, each used by one thread at a time.
struct Probes {
    file: PathBuf,
    idle: Mutex<Vec<rusqlite::Connection>>,
    /// Connections kept open between reads; more are opened when as many read at once.
    max_idle: usize,
}

impl Probes {
    fn stamp(&self, org: OrganizationId, id: ProductId) -> Result<Option<ViewStamp>, rusqlite::Error> {
        self.with(|conn| {
            let mut stmt = conn.prepare_cached(PROBE_SQL_SQLITE)?;
            let mut rows = stmt.query((id.0.as_bytes().as_slice(), org.0.as_bytes().as_slice()))?;
            rows.next()?
                .map(|row| {
                    Ok(ViewStamp {
                        version: row.get(0)?,
                        names: row.get(1)?,
                    })
                })
                .transpose()
        })
    }

    fn names(&self, org: OrganizationId) -> Result<Option<i64>, rusqlite::Error> {
        self.with(|conn| {
            let mut stmt = conn.prepare_cached(NAMES_SQL_SQLITE)?;
            let mut rows = stmt.query([org.0.as_bytes().as_slice()])?;
            rows.next()?.map(|row| row.get(0)).transpose()
        })
    }

    fn product_by_number(&self, org: OrganizationId, number: i64) -> Result<Option<ProductId>, rusqlite::Error> {
        self.with(|conn| {
            let mut stmt = conn.prepare_cached(NUMBER_SQL_SQLITE)?;
            let mut rows = stmt.query((org.0.as_bytes().as_slice(), number))?;
            match rows.next()? {
                Some(row) => {
                    let bytes: [u8; 16] = row.get(0)?;
                    Ok(Some(ProductId(uuid::Uuid::from_bytes(bytes))))
                }
                None => Ok(None),
            }
        })
    }

    /// Runs `f` on an idle connection (or a new one), then keeps it for the next caller.
    fn with<T>(
        &self,
        f: impl FnOnce(&rusqlite::Connection) -> Result<T, rusqlite::Error>,
    ) -> Result<T, rusqlite::Error> {
        let taken = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match taken {
            Some(c) => c,
            None => self.open()?,
        };
        let out = f(&conn)?;
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < self.max_idle
        {
            idle.push(conn);
        }
        Ok(out)
    }

    fn open(&self) -> Result<rusqlite::Connection, rusqlite::Error> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            &self.file,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        // Never wait in the caller's thread: a busy database reads without the cache instead.
        conn.busy_timeout(std::time::Duration::ZERO)?;
        // The probe touches two index paths; the OS page cache holds the rest.
        conn.pragma_update(None, "cache_size", -1024)?;
        Ok(conn)
    }
}

/// Roughly the heap a view takes: its structs and the text and JSON they hold.
fn estimate(view: &ProductView) -> u64 {
    use std::mem::size_of;
    let p = &view.product;
    let mut n = size_of::<ProductView>()
        + text(&p.handle)
        + text(&p.name)
        + opt(&p.url)
        + opt(&p.description)
        + p.metadata.as_ref().map_or(0, json)
        + p.attributes.as_ref().map_or(0, map)
        + map(&p.extensions.0)
        + sync(view.sync.as_ref())
        + 512; // details, category link
    for v in view.variants.iter().flatten() {
        n += size_of::<pimento_core::variant::Variant>()
            + opt(&v.title)
            + opt(&v.sku)
            + opt(&v.barcode)
            + v.metadata.as_ref().map_or(0, json)
            + map(&v.extensions.0)
            + sync(v.sync.as_ref())
            + v.options.len() * (size_of::<pimento_core::variant::VariantOptionValue>() + 32)
            + v.prices.len() * 32;
    }
    for m in view.media.iter().flatten() {
        let a = &m.asset;
        n += size_of::<pimento_core::media::ProductMedia>()
            + text(&a.name)
            + opt(&a.alt_text)
            + opt(&a.description)
            + opt(&a.public_url)
            + opt(&a.source_url)
            + opt(&a.thumbnail_url)
            + opt(&a.upload_url);
    }
    for t in view.tags.iter().flatten() {
        n += size_of::<pimento_core::label::Tag>() + text(&t.value) + t.metadata.as_ref().map_or(0, json);
    }
    n as u64
}

/// A sync reference: its vendor's data can be any JSON.
fn sync(r: Option<&pimento_core::sync::ExternalRef>) -> usize {
    r.map_or(0, |r| {
        std::mem::size_of::<pimento_core::sync::ExternalRef>()
            + r.sync_source.len()
            + r.sync_source_id.len()
            + opt(&r.source_vendor)
            + r.source_data.as_ref().map_or(0, json)
    })
}

fn text(s: &str) -> usize {
    s.len()
}

fn opt(s: &Option<String>) -> usize {
    s.as_deref().map_or(0, str::len)
}

fn map(m: &serde_json::Map<String, Value>) -> usize {
    m.iter().map(|(k, v)| 48 + k.len() + json(v)).sum()
}

fn json(v: &Value) -> usize {
    match v {
        Value::String(s) => 32 + s.len(),
        Value::Array(a) => 32 + a.iter().map(json).sum::<usize>(),
        Value::Object(m) => 32 + map(m),
        _ => 32,
    }
}
