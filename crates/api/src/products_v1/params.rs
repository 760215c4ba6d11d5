//! The values of the Products API's query parameters, each read from its text with the message
//! a client sees when it is not one. The structs of each endpoint's parameters are beside their
//! handlers.

use crate::query::{Limit, from_text};
use pimento_core::product::Include;
use pimento_core::query::Archived;
use pimento_store::page::{DEFAULT_LIMIT, MAX_LIMIT};
use serde::{Deserialize, Deserializer};

/// `?limit=`: 1 to 200, 50 by default.
pub type PageSize = Limit<MAX_LIMIT, DEFAULT_LIMIT>;

/// `?include=variants,mediaAssets`: the relations a product comes with. Blank parts are
/// skipped, so `?include=` asks for none; an endpoint gives its own default when the parameter
/// is absent. `productMediaAssets` is an older spelling of `mediaAssets`.
#[derive(Debug, Clone, Copy)]
pub struct IncludeParam(pub Include);

impl<'de> Deserialize<'de> for IncludeParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| {
            let mut inc = Include::default();
            for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                match part {
                    "variants" => inc.variants = true,
                    "mediaAssets" | "productMediaAssets" => inc.media = true,
                    other => return Err(format!("'{other}' is not one of variants, mediaAssets")),
                }
            }
            Ok(IncludeParam(inc))
        })
    }
}

/// `?archived=`: `false` (live products, the default), `true` (archived only) or `all`, spelled
/// exactly.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArchivedParam(pub Archived);

impl<'de> Deserialize<'de> for ArchivedParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| match raw {
            "false" => Ok(ArchivedParam(Archived::Exclude)),
            "true" => Ok(ArchivedParam(Archived::Only)),
            "all" => Ok(ArchivedParam(Archived::Include)),
            other => Err(format!("'{other}' is not false, true or all")),
        })
    }
}
