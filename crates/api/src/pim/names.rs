//! The PIM API's names for the core's fields: the core's own snake_case names, except where a
//! resource names a field differently (a product's `name` is its `title`).

use crate::error::Names;
use pimento_core::FieldPath;
use std::borrow::Cow;

/// A product's fields, where this API names them differently.
pub const PRODUCT: Names = &[("name", "title"), ("tags", "tag_ids")];

/// A media attachment's fields, where this API names them differently.
pub const MEDIA: Names = &[("public_url", "url")];

/// This API's name for a core field name.
pub fn spell(core: &str) -> Cow<'static, str> {
    Cow::Owned(core.to_owned())
}

/// A core path in this API's names.
pub fn path(p: &FieldPath) -> String {
    p.spelled(|_, name| spell(name))
}
