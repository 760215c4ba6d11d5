//! The Medusa admin API's names for the core's fields: snake_case like the core's, with
//! Medusa's own words for a few.

use crate::error::Names;
use std::borrow::Cow;

/// A product's fields, where Medusa names them otherwise.
pub const PRODUCT: Names = &[("name", "title"), ("category", "categories"), ("option_ids", "options")];

/// Core names Medusa spells otherwise wherever they appear.
const RENAMES: &[(&str, &str)] = &[
    ("media", "images"),
    ("public_url", "url"),
    ("price", "prices"),
    ("list_price", "prices"),
    ("rank", "variant_rank"),
];

/// This API's name for a core field name.
pub fn spell(core: &str) -> Cow<'static, str> {
    match RENAMES.iter().find(|(c, _)| *c == core) {
        Some((_, wire)) => Cow::Borrowed(wire),
        None => Cow::Owned(core.to_owned()),
    }
}
