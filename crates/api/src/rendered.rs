//! Response bodies kept with cached product views (`store/src/view_cache.rs`): an API whose
//! single-product body is made from the view (and the caller's organization, and shared rows
//! the names version covers) renders it once per version of the product, and later reads send
//! the same bytes. Each such API has a slot of its own here, so no API can send another's body.

use crate::app::AppState;
use crate::error::ApiError;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use pimento_core::auth::Ctx;
use pimento_core::product::ProductView;
use pimento_store::{CachedProduct, RenderSlot};
use serde::Serialize;

/// `GET /api/v1/products/{id}` (one rendering per `include`: the cache keeps a view per `include`).
pub const PRODUCTS_API: RenderSlot = RenderSlot::new(0);
/// `GET /api/v1/pim/products/{id}`.
pub const PIM: RenderSlot = RenderSlot::new(1);
/// `GET /admin/products/{id}` without `fields` (the body adds the options, collection, type
/// and category the product refers to).
pub const MEDUSA: RenderSlot = RenderSlot::new(2);
/// `GET /api/products/{id}` (the body adds vendor, category and feature numbers).
pub const CSCART: RenderSlot = RenderSlot::new(3);

/// The body `render` makes of a product, kept in `slot` with its cached view (none: rendered
/// each time). `render` may read shared rows the product refers to: every change to one moves
/// the names version, which retires the view and its bodies. Debug builds render a kept body
/// again and fail the read when the two differ while the product's stamp is unchanged, so the
/// test suite proves that claim for every write path.
pub async fn kept_or_rendered<F, Fut>(
    state: &AppState,
    ctx: &Ctx,
    p: CachedProduct,
    slot: Option<RenderSlot>,
    render: F,
) -> Result<Bytes, ApiError>
where
    F: Fn(ProductView) -> Fut,
    Fut: Future<Output = Result<Bytes, ApiError>>,
{
    // A view that is not cached, or a body not to keep, is rendered from the view as read
    // (no copy of a large uncached view).
    let Some(slot) = slot.filter(|_| p.is_cached()) else {
        return render(p.into_view()).await;
    };
    if let Some(kept) = p.kept(slot) {
        if cfg!(debug_assertions)
            && render(p.view().clone()).await? != kept
            && state.store.still_current(ctx, &p).await?
        {
            let id = p.view().product.id;
            tracing::error!(product = %id, "a kept product body is stale: a write moved neither its version nor the names version");
            return Err(ApiError::internal());
        }
        return Ok(kept);
    }
    let body = render(p.view().clone()).await?;
    p.keep(slot, body.clone());
    Ok(body)
}

/// Where a product's own JSON sits in an API's kept single-product body: between a fixed
/// prefix and suffix (Medusa's `{"product": …}`), or the whole body ([`Envelope::BARE`]). A
/// page of products sends the product's own JSON of each.
#[derive(Debug, Clone, Copy)]
pub struct Envelope {
    prefix: &'static [u8],
    suffix: &'static [u8],
}

impl Envelope {
    /// The body is the product's JSON itself.
    pub const BARE: Envelope = Envelope::new(b"", b"");

    /// The product's JSON between `prefix` and `suffix`.
    pub const fn new(prefix: &'static [u8], suffix: &'static [u8]) -> Self {
        Envelope { prefix, suffix }
    }

    /// The single-product body around a product's JSON (the same bytes when bare).
    pub fn wrap(&self, item: &Bytes) -> Bytes {
        if self.prefix.is_empty() && self.suffix.is_empty() {
            return item.clone();
        }
        let mut out = Vec::with_capacity(self.prefix.len() + item.len() + self.suffix.len());
        out.extend_from_slice(self.prefix);
        out.extend_from_slice(item);
        out.extend_from_slice(self.suffix);
        out.into()
    }

    /// The product's JSON in a single-product body, without a copy.
    fn item(&self, body: &Bytes) -> Option<Bytes> {
        let inner = body.len().checked_sub(self.prefix.len() + self.suffix.len())?;
        (body.starts_with(self.prefix) && body.ends_with(self.suffix))
            .then(|| body.slice(self.prefix.len()..self.prefix.len() + inner))
    }
}

/// The JSON of each product of a page, in order: from the bodies kept in `slot` with cached
/// views (see [`kept_or_rendered`]), the others rendered together by `render` (one JSON per
/// view, in order), and kept in `slot` wrapped in `envelope` for the next read of either the
/// page or the product. `render` must make each product's JSON exactly as the single read
/// does; debug builds render kept ones again and fail the page when one differs while its
/// product's stamp is unchanged.
pub async fn kept_or_rendered_each<F, Fut>(
    state: &AppState,
    ctx: &Ctx,
    items: Vec<CachedProduct>,
    slot: Option<RenderSlot>,
    envelope: Envelope,
    render: F,
) -> Result<Vec<Bytes>, ApiError>
where
    F: Fn(Vec<ProductView>) -> Fut,
    Fut: Future<Output = Result<Vec<Bytes>, ApiError>>,
{
    let mut out: Vec<Option<Bytes>> = Vec::with_capacity(items.len());
    // Products to render: where each goes, and the cached one to keep the body with.
    let mut missed: Vec<(usize, Option<CachedProduct>)> = Vec::new();
    let mut views = Vec::new();
    let mut kept_at = Vec::new();
    for p in items {
        let kept = match slot {
            Some(slot) if p.is_cached() => p.kept(slot).and_then(|b| envelope.item(&b)),
            _ => None,
        };
        match kept {
            Some(body) => {
                if cfg!(debug_assertions) {
                    kept_at.push((out.len(), p));
                }
                out.push(Some(body));
            }
            None if p.is_cached() && slot.is_some() => {
                views.push(p.view().clone());
                missed.push((out.len(), Some(p)));
                out.push(None);
            }
            None => {
                views.push(p.into_view());
                missed.push((out.len(), None));
                out.push(None);
            }
        }
    }
    if !views.is_empty() {
        let rendered = render(views).await?;
        if rendered.len() != missed.len() {
            return Err(ApiError::internal());
        }
        for ((at, cached), body) in missed.into_iter().zip(rendered) {
            if let (Some(p), Some(slot)) = (cached, slot) {
                p.keep(slot, envelope.wrap(&body));
            }
            out[at] = Some(body);
        }
    }
    if !kept_at.is_empty() {
        let again = render(kept_at.iter().map(|(_, p)| p.view().clone()).collect()).await?;
        if again.len() != kept_at.len() {
            return Err(ApiError::internal());
        }
        for ((at, p), fresh) in kept_at.iter().zip(again) {
            if out[*at].as_ref() != Some(&fresh) && state.store.still_current(ctx, p).await? {
                let id = p.view().product.id;
                tracing::error!(product = %id, "a kept product body is stale: a write moved neither its version nor the names version");
                return Err(ApiError::internal());
            }
        }
    }
    out.into_iter().map(|b| b.ok_or_else(ApiError::internal)).collect()
}

/// Each view made into `T` and written as JSON: the `render` of [`kept_or_rendered_each`] for
/// an API whose product body is made from the view alone.
pub fn json_each<T: Serialize>(views: Vec<ProductView>, to: impl Fn(ProductView) -> T) -> Result<Vec<Bytes>, ApiError> {
    views
        .into_iter()
        .map(|v| json(&to(v)).map_err(|_| ApiError::internal()))
        .collect()
}

/// JSON bodies written as one JSON array.
pub fn json_array(items: &[Bytes]) -> Vec<u8> {
    json_array_into(Vec::new(), items)
}

/// JSON bodies written as one JSON array at the end of `out`.
pub fn json_array_into(mut out: Vec<u8>, items: &[Bytes]) -> Vec<u8> {
    // Room for the array and a short tail after it (Medusa's count, offset and limit).
    out.reserve(items.iter().map(|b| b.len() + 1).sum::<usize>() + 64);
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(item);
    }
    out.push(b']');
    out
}

/// A value as JSON bytes, written into a buffer sized for a product with a few variants (axum's
/// `Json` starts at 128 bytes and grows six times for a typical product).
pub fn json<T: Serialize>(value: &T) -> Result<Bytes, serde_json::Error> {
    let mut out = Vec::with_capacity(4096);
    serde_json::to_writer(&mut out, value)?;
    Ok(out.into())
}

/// A rendered JSON body as a response.
pub fn respond(body: Bytes) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body,
    )
        .into_response()
}
