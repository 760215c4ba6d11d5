//! Response bodies kept with cached product views (`store/src/view_cache.rs`): an API whose
//! single-product body is made from the view alone (and the caller's organization) renders it
//! once per version of the product, and later reads send the same bytes. Each such API has a
//! slot of its own here, so no API can send another's body.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use pimento_store::RenderSlot;
use serde::Serialize;

/// `GET /api/v1/products/{id}` (one rendering per `include`: the cache keeps a view per `include`).
pub const PRODUCTS_API: RenderSlot = RenderSlot::new(0);
/// `GET /api/v1/pim/products/{id}`.
pub const PIM: RenderSlot = RenderSlot::new(1);

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
