//! What a page of products needs besides the products themselves, loaded for the whole page
//! in a few queries: the numbers of their vendors, their categories with the ancestors of each
//! (for `seo_path`), and the definitions of the features they have values of.

use super::own::EXT;
use crate::app::AppState;
use crate::error::ApiError;
use pimento_core::attribute::Attribute;
use pimento_core::auth::Ctx;
use pimento_core::ids::{CategoryId, VendorId};
use pimento_core::product::ProductView;
use pimento_core::taxonomy::Category;
use pimento_store::catalog::{CategoryQuery, ParentFilter};
use pimento_store::page::MAX_LIMIT;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The numbers and definitions a page of products is shown with.
#[derive(Default)]
pub struct Lookup {
    pub vendors: HashMap<VendorId, i64>,
    pub categories: HashMap<CategoryId, Category>,
    pub attributes: HashMap<String, Attribute>,
}

/// The extra categories a product was given (the core keeps one, the main one).
pub fn extra_categories(view: &ProductView) -> Vec<CategoryId> {
    view.product
        .extensions
        .get(EXT, "extra_categories")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .split(',')
        .filter_map(|s| s.parse::<Uuid>().ok())
        .map(CategoryId)
        .collect()
}

/// The ids of a category's ancestors, from its path (root first), itself last.
pub fn path_ids(c: &Category) -> Vec<CategoryId> {
    c.path
        .split('/')
        .filter_map(|s| Uuid::parse_str(s).ok())
        .map(CategoryId)
        .collect()
}

/// Every attribute definition of the organization, by key.
pub async fn all_attributes(state: &AppState, ctx: &Ctx) -> Result<HashMap<String, Attribute>, ApiError> {
    let mut out = HashMap::new();
    let mut after = None;
    loop {
        let page = state.store.list_attributes(ctx, None, MAX_LIMIT, after).await?;
        let more = page.next_cursor.is_some();
        after = page.items.last().map(|a| a.id);
        out.extend(page.items.into_iter().map(|a| (a.key.clone(), a)));
        if !more {
            return Ok(out);
        }
    }
}

/// Categories by id, in pages of the store's largest.
pub async fn categories_by_id(
    state: &AppState,
    ctx: &Ctx,
    ids: Vec<CategoryId>,
) -> Result<HashMap<CategoryId, Category>, ApiError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(MAX_LIMIT as usize) {
        let q = CategoryQuery {
            parent: ParentFilter::Any,
            q: None,
            ids: Some(chunk.to_vec()),
            slugs: None,
            limit: MAX_LIMIT,
            offset: 0,
        };
        let page = state.store.find_categories(ctx, &q).await?;
        out.extend(page.items.into_iter().map(|c| (c.id, c)));
    }
    Ok(out)
}

impl Lookup {
    /// Loads what `views` are shown with.
    pub async fn load(state: &AppState, ctx: &Ctx, views: &[ProductView]) -> Result<Lookup, ApiError> {
        let mut l = Lookup::default();
        let vendor_ids: HashSet<VendorId> = views.iter().filter_map(|v| v.product.vendor_id).collect();
        for id in vendor_ids {
            let v = state.store.get_vendor(ctx, id).await?;
            l.vendors.insert(id, v.number);
        }
        let mut wanted: HashSet<CategoryId> = HashSet::new();
        for v in views {
            wanted.extend(v.product.category_id);
            wanted.extend(extra_categories(v));
        }
        if !wanted.is_empty() {
            l.categories = categories_by_id(state, ctx, wanted.into_iter().collect()).await?;
            let ancestors: Vec<CategoryId> = l
                .categories
                .values()
                .flat_map(path_ids)
                .filter(|id| !l.categories.contains_key(id))
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            if !ancestors.is_empty() {
                let more = categories_by_id(state, ctx, ancestors).await?;
                l.categories.extend(more);
            }
        }
        if views
            .iter()
            .any(|v| v.product.attributes.as_ref().is_some_and(|a| !a.is_empty()))
        {
            l.attributes = all_attributes(state, ctx).await?;
        }
        Ok(l)
    }

    /// The numbers of a category's path, root first, joined by `/` (`223/224`).
    pub fn seo_path(&self, id: CategoryId) -> String {
        let Some(c) = self.categories.get(&id) else {
            return String::new();
        };
        path_ids(c)
            .iter()
            .filter_map(|a| self.categories.get(a))
            .map(|a| a.number.to_string())
            .collect::<Vec<_>>()
            .join("/")
    }
}
