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
