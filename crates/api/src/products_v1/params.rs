//! Query parameters of the Products API, each checked with an error naming it.

use crate::error::ApiError;
use crate::extract::parse_param;
use pimento_core::product::Include;
use pimento_store::page::{DEFAULT_LIMIT, MAX_LIMIT};
use std::collections::HashMap;

/// Parsed `?include=variants,mediaAssets`; `default` when the parameter is absent.
pub fn include(q: &HashMap<String, String>, default: Include) -> Result<Include, ApiError> {
    let Some(raw) = q.get("include") else {
        return Ok(default);
    };
    let mut inc = Include::default();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part {
            "variants" => inc.variants = true,
            "mediaAssets" | "productMediaAssets" => inc.media = true,
            other => {
                return Err(ApiError::bad_request(
                    "include",
                    format!("'{other}' is not one of variants, mediaAssets"),
                ));
            }
        }
    }
    Ok(inc)
}

/// `?limit=`: 1 to 200, 50 by default.
pub fn limit(q: &HashMap<String, String>) -> Result<u32, ApiError> {
    match q.get("limit") {
        None => Ok(DEFAULT_LIMIT),
        Some(raw) => {
            let n: u32 = parse_param("limit", raw, "a whole number")?;
            if n == 0 || n > MAX_LIMIT {
                return Err(ApiError::bad_request(
                    "limit",
                    format!("must be between 1 and {MAX_LIMIT}"),
                ));
            }
            Ok(n)
        }
    }
}
