//! How the Products API answers errors: the `{error, code, field}` body, with fields in this
//! API's camelCase names (`names.rs`).

use super::names;
use crate::dialect::{Dialect, Spelled};
use crate::error::ErrorBody;
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;

/// The Products API's dialect.
pub struct ProductsV1;

impl Dialect for ProductsV1 {
    fn spell(core: &str) -> Cow<'static, str> {
        names::spell(core)
    }

    fn respond(error: Spelled) -> Response {
        ErrorBody::of(error).into_response()
    }
}
