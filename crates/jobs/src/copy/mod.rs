//! The full catalog copy (`core::copy`): writing every definition and every product of an
//! organization, and reading such a file into another (or the same) organization.
//!
//! Import rule for a catalog that already holds things: a definition is matched by what names
//! it in its organization (a category by slug, an attribute by key, a collection by handle, a
//! type or tag by value, the others by name) and reused as it is, so nothing is made twice;
//! the rest are made. A product is matched by handle: one the organization has is left as it
//! is (counted unchanged), the others are made with everything the record holds. Importing a
//! file twice therefore changes nothing the second time.
//!
//! Definitions are few: they are read into memory until the first product and made one write
//! each. Products are made one write each too (plus one for what a create cannot take at
//! once: media of a variant, archiving, a default variant other than the first, a second
//! API's fields), which is slower than the plain import's batches but never touches that path.
//! Last, what the original had and the writes made afresh (times, versions, numbers) is
//! written over the rows made (`Store::stamp_copied`): one transaction for the definitions,
//! and one for each part of the file before its checkpoint (one more commit a part rather
//! than one a product). Rows matched rather than made keep their own.
//!
//! `write.rs` writes a copy, `read.rs` reads one.

mod definitions;
mod product;
mod read;
mod write;

pub(crate) use read::import_full;
pub(crate) use write::export_full;

use pimento_core::query::{Archived, ProductFilter};
use pimento_store::StoreError;
use pimento_store::catalog::GroupingQuery;
use pimento_store::page::Page;
use std::future::Future;

/// Definitions read per page.
pub(super) const LIST: u32 = 200;

/// Every item of a list read a page after another, after the last item's id.
pub(super) async fn every<T, Id: Copy, F, Fut>(mut page: F, id: impl Fn(&T) -> Id) -> Result<Vec<T>, StoreError>
where
    F: FnMut(Option<Id>) -> Fut,
    Fut: Future<Output = Result<Page<T>, StoreError>>,
{
    let mut all: Vec<T> = Vec::new();
    let mut after = None;
    loop {
        let p = page(after).await?;
        let more = p.next_cursor.is_some();
        all.extend(p.items);
        match all.last() {
            Some(last) if more => after = Some(id(last)),
            _ => return Ok(all),
        }
    }
}

/// Every item of a list paged by offset (collections, types, tags).
pub(super) async fn every_by_offset<T, F, Fut>(mut page: F) -> Result<Vec<T>, StoreError>
where
    F: FnMut(GroupingQuery) -> Fut,
    Fut: Future<Output = Result<Page<T>, StoreError>>,
{
    let mut all: Vec<T> = Vec::new();
    loop {
        let q = GroupingQuery {
            limit: LIST,
            offset: all.len() as u64,
            ..GroupingQuery::default()
        };
        let p = page(q).await?;
        let n = p.items.len();
        all.extend(p.items);
        if n < LIST as usize {
            return Ok(all);
        }
    }
}

pub(super) fn everything() -> ProductFilter {
    ProductFilter {
        archived: Archived::Include,
        ..ProductFilter::default()
    }
}
