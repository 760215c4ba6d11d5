//! The values of the PIM API's query parameters, each read from its text with the message a
//! client sees when it is not one, and its paging: the parameters of a list that only pages
//! and the headers that point at the next page. The structs of other endpoints' parameters are
//! beside their handlers.

use crate::query::{self, Limit, OptId, from_text, parse_as, unless_blank};
use axum::Json;
use axum::http::{HeaderMap, HeaderValue};
use chrono::{DateTime, Utc};
use pimento_core::query::{Sort, SortKey};
use serde::{Deserialize, Deserializer};
use utoipa::IntoParams;
use uuid::Uuid;

/// The largest (and default) page of a PIM list.
pub const MAX_PAGE: u32 = 100;

/// `?limit=`: 1 to 100, 100 by default.
pub type PageSize = Limit<MAX_PAGE, MAX_PAGE>;

/// What a list that only pages accepts (brands, templates, attribute groups, notifications):
/// its page size and the id of the previous page's last item, which the handler gives its
/// entity's id type.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page size, 1 to 100 (default 100)
    #[param(value_type = Option<u32>)]
    pub limit: PageSize,
    /// The X-Next-Cursor of the previous page
    #[param(value_type = Option<String>)]
    pub cursor: OptId<Uuid>,
}

/// `?sort=`: a field, descending with a leading `-` (`-updated_at`); creation order when
/// absent or blank.
#[derive(Debug, Clone, Copy, Default)]
pub struct SortParam(pub Sort);

impl<'de> Deserialize<'de> for SortParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| {
            let sort = unless_blank(raw, |raw| {
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
                        return Err(format!(
                            "'{raw}' is not one of created_at, updated_at, title, handle, status, price, stock, sku (- before one for descending)"
                        ));
                    }
                };
                Ok(Sort { key, descending })
            })?;
            Ok(SortParam(sort.unwrap_or_default()))
        })
    }
}

/// `?offset=`: how many products to skip; blank counts as not given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Offset(pub Option<u64>);

impl<'de> Deserialize<'de> for Offset {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| {
            unless_blank(raw, |raw| parse_as(raw, "a whole number")).map(Offset)
        })
    }
}

/// A bound of a time range (`?from=`, `?to=`) in RFC 3339; blank counts as not given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Time(pub Option<DateTime<Utc>>);

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| {
            unless_blank(raw, |raw| parse_as(raw, "an RFC 3339 time")).map(Time)
        })
    }
}

/// The cursor of a list ordered by a sequence number (audit events, a job's row errors): the
/// number the previous page's `X-Next-Cursor` gave; blank counts as not given.
#[derive(Debug, Clone, Copy, Default)]
pub struct SeqCursor(pub Option<i64>);

impl<'de> Deserialize<'de> for SeqCursor {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| {
            unless_blank(raw, |raw| parse_as(raw, "a cursor from X-Next-Cursor")).map(SeqCursor)
        })
    }
}

/// A list body (a plain array, as the PIM documents it) with the paging headers: `X-Next-Cursor`
/// and `Link: <…>; rel="next"` while more pages exist.
/// The link keeps the request's filters: every parameter of the raw query string but the paging
/// ones, in name order.
pub fn paged<T>(
    path: &str,
    raw_query: Option<&str>,
    limit: u32,
    next: Option<String>,
    items: Vec<T>,
) -> (HeaderMap, Json<Vec<T>>) {
    (page_headers(path, raw_query, limit, next), Json(items))
}

/// The `x-next-cursor` and `link` headers of a page (none on the last page), as [`paged`]
/// sets them.
pub fn page_headers(path: &str, raw_query: Option<&str>, limit: u32, next: Option<String>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(next) = next {
        // An offset page continues by cursor.
        let filters = query::pairs(raw_query)
            .into_iter()
            .filter(|(k, _)| !matches!(k.as_str(), "cursor" | "limit" | "offset"));
        let mut link = format!("<{path}?limit={limit}&cursor={next}");
        for (k, v) in filters {
            let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
            link.push_str(&format!("&{}={}", enc(&k), enc(&v)));
        }
        link.push_str(">; rel=\"next\"");
        if let Ok(v) = HeaderValue::from_str(&next) {
            headers.insert("x-next-cursor", v);
        }
        if let Ok(v) = HeaderValue::from_str(&link) {
            headers.insert("link", v);
        }
    }
    headers
}
