//! Query parameters and paging of the PIM API.

use crate::error::ApiError;
use crate::extract::parse_param;
use axum::Json;
use axum::http::{HeaderMap, HeaderValue};
use pimento_core::query::{Sort, SortKey};
use std::collections::HashMap;
use std::str::FromStr;

/// The largest (and default) page of a PIM list.
pub const MAX_PAGE: u32 = 100;

/// `?limit=`: 1 to 100, 100 by default.
pub fn limit(q: &HashMap<String, String>) -> Result<u32, ApiError> {
    match q.get("limit") {
        None => Ok(MAX_PAGE),
        Some(raw) => {
            let n: u32 = parse_param("limit", raw, "a whole number")?;
            if n == 0 || n > MAX_PAGE {
                return Err(ApiError::bad_request(
                    "limit",
                    format!("must be between 1 and {MAX_PAGE}"),
                ));
            }
            Ok(n)
        }
    }
}

/// `?sort=`: a field, descending with a leading `-` (`-updated_at`); creation order by default.
pub fn sort(q: &HashMap<String, String>) -> Result<Sort, ApiError> {
    let Some(raw) = q.get("sort").map(|s| s.trim()).filter(|s| !s.is_empty()) else {
        return Ok(Sort::default());
    };
    let (descending, name) = match raw.strip_prefix('-') {
        Some(name) => (true, name),
        None => (false, raw),
    };
    let key = match name {
        "created_at" => SortKey::Created,
        "updated_at" => SortKey::Updated,
        "title" => SortKey::Name,
        "handle" => SortKey::Handle,
        "status" => SortKey::Status,
        "price" => SortKey::Price,
        "stock" => SortKey::Stock,
        "sku" => SortKey::Sku,
        _ => {
            return Err(ApiError::bad_request(
                "sort",
                format!(
                    "'{raw}' is not one of created_at, updated_at, title, handle, status, price, stock, sku (- before one for descending)"
                ),
            ));
        }
    };
    Ok(Sort { key, descending })
}

/// An optional id-like query parameter.
pub fn opt<T: FromStr>(q: &HashMap<String, String>, name: &str, expected: &str) -> Result<Option<T>, ApiError> {
    match q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(raw) => Ok(Some(parse_param(name, raw, expected)?)),
    }
}

/// An optional UUID query parameter.
pub fn opt_id<T: FromStr>(q: &HashMap<String, String>, name: &str) -> Result<Option<T>, ApiError> {
    opt(q, name, "a valid UUID")
}

/// A list body (a plain array, as the PIM documents it) with the paging headers: `X-Next-Cursor`
/// and `Link: <…>; rel="next"` while more pages exist.
/// The link keeps the request's filters.
pub fn paged<T>(
    path: &str,
    q: &HashMap<String, String>,
    limit: u32,
    next: Option<String>,
    items: Vec<T>,
) -> (HeaderMap, Json<Vec<T>>) {
    let mut headers = HeaderMap::new();
    if let Some(next) = next {
        // An offset page continues by cursor.
        let mut filters: Vec<(&String, &String)> = q
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "cursor" | "limit" | "offset"))
            .collect();
        filters.sort();
        let mut link = format!("<{path}?limit={limit}&cursor={next}");
        for (k, v) in filters {
            let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            link.push_str(&format!("&{}={}", enc(k), enc(v)));
        }
        link.push_str(">; rel=\"next\"");
        if let Ok(v) = HeaderValue::from_str(&next) {
            headers.insert("x-next-cursor", v);
        }
        if let Ok(v) = HeaderValue::from_str(&link) {
            headers.insert("link", v);
        }
    }
    (headers, Json(items))
}
