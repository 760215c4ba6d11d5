//! Turns product views into Medusa's JSON: loads what the selection needs beyond the view
//! (options with all their values, collection, type, category), once per distinct one in a
//! list, builds each product whole (`view.rs`) and cuts it to the selection (`fields.rs`).

use super::fields::Selection;
use super::view::{self, Related};
use crate::app::AppState;
use crate::error::ApiError;
use pimento_core::auth::Ctx;
use pimento_core::collection::Collection;
use pimento_core::ids::{CategoryId, CollectionId, ProductTypeId};
use pimento_core::label::ProductType;
use pimento_core::options::VariantOption;
use pimento_core::product::{Include, ProductView};
use pimento_core::taxonomy::Category;
use serde_json::Value;
use std::collections::HashMap;

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

/// [`PRODUCT_DEFAULTS`] as a selection.
pub fn product_defaults() -> Selection {
    Selection::defaults(PRODUCT_DEFAULTS)
}

/// Renders products for one request.
pub struct Renderer<'a> {
    state: &'a AppState,
    ctx: &'a Ctx,
    collections: HashMap<CollectionId, Option<Collection>>,
    types: HashMap<ProductTypeId, Option<ProductType>>,
    categories: HashMap<CategoryId, Option<Category>>,
}

impl<'a> Renderer<'a> {
    pub fn new(state: &'a AppState, ctx: &'a Ctx) -> Self {
        Renderer {
            state,
            ctx,
            collections: HashMap::new(),
            types: HashMap::new(),
            categories: HashMap::new(),
        }
    }

    /// The children a selection needs read with the product.
    pub fn include(sel: &Selection) -> Include {
        Include {
            variants: sel.wants("variants"),
            media: sel.wants("images") || sel.wants("variants"),
            tags: sel.wants("tags"),
        }
    }

    /// One product.
    pub async fn product(&mut self, v: ProductView, sel: &Selection) -> Result<Value, ApiError> {
        let options = if sel.wants("options") || sel.wants("variants") {
            self.state.store.product_options(self.ctx, v.product.id).await?
        } else {
            Vec::new()
        };
        self.render(&v, &options, sel).await
    }

    /// A product with its options already read.
    async fn render(&mut self, v: &ProductView, options: &[VariantOption], sel: &Selection) -> Result<Value, ApiError> {
        let p = &v.product;
        let collection = match p.collection_id.filter(|_| sel.wants("collection")) {
            Some(id) => match self.collections.get(&id) {
                Some(c) => c.clone(),
                None => {
                    let c = self.state.store.get_collection(self.ctx, id).await.ok();
                    self.collections.insert(id, c.clone());
                    c
                }
            },
            None => None,
        };
        let product_type = match p.type_id.filter(|_| sel.wants("type")) {
            Some(id) => match self.types.get(&id) {
                Some(t) => t.clone(),
                None => {
                    let t = self.state.store.get_label(self.ctx, id).await.ok();
                    self.types.insert(id, t.clone());
                    t
                }
            },
            None => None,
        };
        let category = match p.category_id.filter(|_| sel.wants("categories")) {
            Some(id) => match self.categories.get(&id) {
                Some(c) => c.clone(),
                None => {
                    let c = self.state.store.get_category(self.ctx, id).await.ok();
                    self.categories.insert(id, c.clone());
                    c
                }
            },
            None => None,
        };
        let related = Related {
            options,
            collection: collection.as_ref(),
            product_type: product_type.as_ref(),
            category: category.as_ref(),
        };
        Ok(sel.apply(view::product(v, &related)))
    }

    /// Several products, in order.
    pub async fn products(&mut self, views: Vec<ProductView>, sel: &Selection) -> Result<Vec<Value>, ApiError> {
        let mut options = if sel.wants("options") || sel.wants("variants") {
            let ids: Vec<_> = views.iter().map(|v| v.product.id).collect();
            self.state.store.options_of_products(self.ctx, &ids).await?
        } else {
            Default::default()
        };
        let mut out = Vec::with_capacity(views.len());
        for v in &views {
            let own = options.remove(&v.product.id).unwrap_or_default();
            out.push(self.render(v, &own, sel).await?);
        }
        Ok(out)
    }
}
