//! Turns product views into Medusa's JSON: loads what the selection needs beyond the view
//! (options with all their values, collection, type, category), once per distinct one in a
//! list, and hands back [`Shown`] products that the response writes straight to its body
//! with the selected fields only (`view.rs`).

use super::fields::{Pick, Selection};
use super::view::{ProductOut, Related};
use crate::app::AppState;
use crate::error::ApiError;
use pimento_core::CoreError;
use pimento_core::auth::Ctx;
use pimento_core::collection::Collection;
use pimento_core::ids::{CategoryId, CollectionId, ProductId, ProductTypeId};
use pimento_core::label::ProductType;
use pimento_core::options::VariantOption;
use pimento_core::product::{Include, ProductView};
use pimento_core::taxonomy::Category;
use pimento_store::StoreError;
use serde::ser::{Serialize, SerializeSeq, Serializer};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The product fields a read returns when `fields` is not given (Medusa's
/// `defaultAdminProductFields`).
pub const PRODUCT_DEFAULTS: &[&str] = &[
    "id",
    "title",
    "subtitle",
    "status",
    "external_id",
    "description",
    "handle",
    "is_giftcard",
    "discountable",
    "thumbnail",
    "collection_id",
    "type_id",
    "weight",
    "length",
    "height",
    "width",
    "hs_code",
    "origin_country",
    "mid_code",
    "material",
    "created_at",
    "updated_at",
    "deleted_at",
    "metadata",
    "*type",
    "*collection",
    "*options",
    "*options.values",
    "*tags",
    "*images",
    "*variants",
    "*variants.prices",
    "*variants.options",
    "*variants.images",
    "*sales_channels",
];

/// [`PRODUCT_DEFAULTS`] as a selection, made once.
pub fn product_defaults() -> &'static Selection {
    static DEFAULTS: LazyLock<Selection> = LazyLock::new(|| Selection::defaults(PRODUCT_DEFAULTS));
    &DEFAULTS
}

/// Loads what products need beyond their views to be shown with a selection.
pub struct Renderer<'a> {
    state: &'a AppState,
    ctx: &'a Ctx,
}

impl<'a> Renderer<'a> {
    pub fn new(state: &'a AppState, ctx: &'a Ctx) -> Self {
        Renderer { state, ctx }
    }

    /// The children a selection needs read with the product.
    pub fn include(sel: &Selection) -> Include {
        Include {
            variants: sel.wants("variants"),
            media: sel.wants("images") || sel.wants("variants"),
            tags: sel.wants("tags"),
        }
    }

    /// One product, as a JSON value (for answers that add to it).
    pub async fn product(self, v: ProductView, sel: &Selection) -> Result<Value, ApiError> {
        let shown = self.products(vec![v], sel).await?;
        serde_json::to_value(shown.first()).map_err(|_| ApiError::internal())
    }

    /// Several products, in order, ready to be written.
    pub async fn products(self, views: Vec<ProductView>, sel: &Selection) -> Result<Shown, ApiError> {
        let options = if sel.wants("options") || sel.wants("variants") {
            let ids: Vec<_> = views.iter().map(|v| v.product.id).collect();
            self.state.store.options_of_products(self.ctx, &ids).await?
        } else {
            HashMap::new()
        };
        let mut shown = Shown {
            sel: sel.clone(),
            views,
            options,
            collections: HashMap::new(),
            types: HashMap::new(),
            categories: HashMap::new(),
        };
        // Each distinct one once; one that is gone (deleted since the product was read) is
        // shown as none. Any other failure fails the answer: a body is kept with the cached
        // view (`rendered.rs`), so a passing error must not become a lasting `null`.
        for v in &shown.views {
            let p = &v.product;
            if let Some(id) = p.collection_id.filter(|_| sel.wants("collection"))
                && !shown.collections.contains_key(&id)
                && let Some(c) = unless_gone(self.state.store.get_collection(self.ctx, id).await)?
            {
                shown.collections.insert(id, c);
            }
            if let Some(id) = p.type_id.filter(|_| sel.wants("type"))
                && !shown.types.contains_key(&id)
                && let Some(t) = unless_gone(self.state.store.get_label(self.ctx, id).await)?
            {
                shown.types.insert(id, t);
            }
            if let Some(id) = p.category_id.filter(|_| sel.wants("categories"))
                && !shown.categories.contains_key(&id)
                && let Some(c) = unless_gone(self.state.store.get_category(self.ctx, id).await)?
            {
                shown.categories.insert(id, c);
            }
        }
        Ok(shown)
    }
}

/// What a read found, `None` when the row is gone.
fn unless_gone<T>(read: Result<T, StoreError>) -> Result<Option<T>, ApiError> {
    match read {
        Ok(t) => Ok(Some(t)),
        Err(StoreError::Domain(CoreError::NotFound(_))) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Products with what they relate to and the selection to show them with; serializes as the
/// list of them.
pub struct Shown {
    sel: Selection,
    views: Vec<ProductView>,
    options: HashMap<ProductId, Vec<VariantOption>>,
    collections: HashMap<CollectionId, Collection>,
    types: HashMap<ProductTypeId, ProductType>,
    categories: HashMap<CategoryId, Category>,
}

impl Shown {
    /// Each product's JSON, in order: as a page lists it, and as a single read holds it in
    /// `{"product": …}`.
    pub fn each_json(&self) -> Result<Vec<bytes::Bytes>, serde_json::Error> {
        self.views
            .iter()
            .map(|v| crate::rendered::json(&One(self, v)))
            .collect()
    }

    /// The first product alone (`null` when there is none).
    pub fn first(&self) -> First<'_> {
        First(self)
    }

    fn write<S: Serializer>(&self, v: &ProductView, s: S) -> Result<S::Ok, S::Error> {
        let p = &v.product;
        let related = Related {
            options: self.options.get(&p.id).map_or(&[], Vec::as_slice),
            collection: p.collection_id.and_then(|id| self.collections.get(&id)),
            product_type: p.type_id.and_then(|id| self.types.get(&id)),
            category: p.category_id.and_then(|id| self.categories.get(&id)),
        };
        ProductOut {
            view: v,
            related: &related,
            pick: Pick::of(&self.sel),
        }
        .serialize(s)
    }
}

impl Serialize for Shown {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.views.len()))?;
        for v in &self.views {
            seq.serialize_element(&One(self, v))?;
        }
        seq.end()
    }
}

struct One<'a>(&'a Shown, &'a ProductView);

impl Serialize for One<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.write(self.1, s)
    }
}

/// The first of [`Shown`] products, alone.
pub struct First<'a>(&'a Shown);

impl Serialize for First<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.views.first() {
            Some(v) => self.0.write(v, s),
            None => s.serialize_none(),
        }
    }
}
