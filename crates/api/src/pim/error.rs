//! How the PIM API answers errors: the `{error, code, field}` body, with fields in this API's
//! names (`names.rs`).

use super::names;
use crate::dialect::{Dialect, Spelled};
use crate::error::ErrorBody;
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;

/// The PIM API's dialect.
pub struct Pim;

impl Dialect for Pim {
    fn spell(core: &str) -> Cow<'static, str> {
        names::spell(core)
    }

    fn respond(error: Spelled) -> Response {
        ErrorBody::of(error).into_response()
    }
}
