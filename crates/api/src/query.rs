//! The query string, typed. Each endpoint that takes parameters declares a struct of exactly
//! those (`#[derive(Deserialize, IntoParams)]`, in its API's folder), which also lists them in
//! the OpenAPI document; [`Query`] reads the string into it.
//!
//! A struct's fields are the small value types here and in each API's `params.rs`. They read
//! the parameter's text themselves, so a bad value is a 400 naming the parameter with our
//! message (`'abc' is not a whole number`) instead of serde's, and the rule for a blank value
//! is the type's. Parameters an endpoint does not know are ignored, and of a repeated one the
//! last counts, as when the string was read into a map.

use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use url::form_urlencoded;

/// An endpoint's query parameters, read into its struct `T`.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parse(parts.uri.query().unwrap_or_default()).map(Query)
    }
}

/// Refuses a query string with a NUL character (`%00`) in a parameter's name or value, naming
/// the parameter: PostgreSQL text cannot hold one (a filter bound with it failed there, as a
/// 500), so it is refused alike on both databases before anything reads it.
pub fn refuse_nul(raw: &str) -> Result<(), ApiError> {
    match form_urlencoded::parse(raw.as_bytes()).find(|(k, v)| k.contains('\0') || v.contains('\0')) {
        Some((name, _)) => Err(ApiError::bad_request(
            name.replace('\0', "%00"),
            "must not contain the NUL character (%00)",
        )),
        None => Ok(()),
    }
}

/// Reads a query string into `T`; a bad value is a 400 naming its parameter.
pub fn parse<T: DeserializeOwned>(raw: &str) -> Result<T, ApiError> {
    refuse_nul(raw)?;
    let deduplicated = last_of_each(raw);
    let raw = deduplicated.as_deref().unwrap_or(raw);
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(raw.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let message = e.into_inner().to_string();
        // A value fails at its parameter; anything else is about the string as a whole.
        if field == "." {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                format!("The query string is malformed: {message}"),
            )
        } else {
            ApiError::bad_request(field, message)
        }
    })
}

/// The string keeping only the last of each repeated parameter, or `None` when none repeats:
/// serde refuses a field given twice, where the map parameters were once read into kept the last.
fn last_of_each(raw: &str) -> Option<String> {
    let pairs: Vec<_> = form_urlencoded::parse(raw.as_bytes()).collect();
    let last: HashMap<&str, usize> = pairs.iter().enumerate().map(|(i, (k, _))| (k.as_ref(), i)).collect();
    if last.len() == pairs.len() {
        return None;
    }
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (i, (k, v)) in pairs.iter().enumerate() {
        if last.get(k.as_ref()) == Some(&i) {
            out.append_pair(k, v);
        }
    }
    Some(out.finish())
}

/// Every parameter of a raw query string by name (the last of a repeated one), in name order:
/// what a link to the next page carries over.
pub fn pairs(raw: Option<&str>) -> BTreeMap<String, String> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// Reads a parameter's text with `parse`, whose error is the message the client sees.
pub fn from_text<'de, D, T>(d: D, parse: impl FnOnce(&str) -> Result<T, String>) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let raw = String::deserialize(d)?;
    parse(&raw).map_err(D::Error::custom)
}

/// Parses a value whose blank text (`?cursor=`) means it was not given; spaces around it are
/// ignored.
pub fn unless_blank<T>(raw: &str, parse: impl FnOnce(&str) -> Result<T, String>) -> Result<Option<T>, String> {
    match raw.trim() {
        "" => Ok(None),
        raw => parse(raw).map(Some),
    }
}

/// Parses `raw` with `FromStr`, saying what it should have been (`"a whole number"`) if not.
pub fn parse_as<T: FromStr>(raw: &str, expected: &str) -> Result<T, String> {
    raw.parse().map_err(|_| format!("'{raw}' is not {expected}"))
}

/// `?limit=`: a page size from 1 to `MAX`, `DEFAULT` when the parameter is absent. A blank or
/// out-of-range value is refused, not clamped, so a client learns its page is not what it asked.
#[derive(Debug, Clone, Copy)]
pub struct Limit<const MAX: u32, const DEFAULT: u32>(pub u32);

impl<const MAX: u32, const DEFAULT: u32> Default for Limit<MAX, DEFAULT> {
    fn default() -> Self {
        Limit(DEFAULT)
    }
}

impl<'de, const MAX: u32, const DEFAULT: u32> Deserialize<'de> for Limit<MAX, DEFAULT> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| {
            let n: u32 = parse_as(raw, "a whole number")?;
            if n == 0 || n > MAX {
                return Err(format!("must be between 1 and {MAX}"));
            }
            Ok(Limit(n))
        })
    }
}

/// A switch (`?count=true`): `true`, `1` or the bare name turn it on; `false`, `0` or leaving it
/// out keep it off. Anything else is refused rather than read as off.
#[derive(Debug, Clone, Copy, Default)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| match raw {
            "false" | "0" => Ok(Flag(false)),
            "true" | "1" | "" => Ok(Flag(true)),
            other => Err(format!("'{other}' is not true or false")),
        })
    }
}

/// A UUID (of an entity's id type `T`) taken as given, like one in a path: a blank or padded
/// value is refused.
#[derive(Debug, Clone, Copy)]
pub struct Id<T>(pub T);

impl<'de, T: FromStr> Deserialize<'de> for Id<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| parse_as(raw, "a valid UUID").map(Id))
    }
}

/// An optional UUID (of an entity's id type `T`) whose blank value counts as not given, so a
/// first page may be asked for with `?cursor=`; spaces around it are ignored.
#[derive(Debug, Clone, Copy)]
pub struct OptId<T>(pub Option<T>);

impl<T> Default for OptId<T> {
    fn default() -> Self {
        OptId(None)
    }
}

impl<'de, T: FromStr> Deserialize<'de> for OptId<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_text(d, |raw| {
            unless_blank(raw, |raw| parse_as(raw, "a valid UUID")).map(OptId)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct Params {
        limit: Limit<100, 20>,
        count: Flag,
        id: Option<Id<Uuid>>,
        cursor: OptId<Uuid>,
    }

    fn refusal(raw: &str) -> (String, String) {
        let e = parse::<Params>(raw)
            .err()
            .unwrap_or_else(|| panic!("{raw} was accepted"));
        let field = match e.field {
            Some(crate::error::Field::Wire(f)) => f,
            other => panic!("{raw}: field {other:?}"),
        };
        (field, e.message)
    }

    #[test]
    fn absent_parameters_take_their_defaults_and_unknown_ones_are_ignored() {
        let p: Params = parse("other=1&another").unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(p.limit.0, 20);
        assert!(!p.count.0);
        assert!(p.id.is_none());
        assert!(p.cursor.0.is_none());
    }

    #[test]
    fn bad_values_name_their_parameter_with_our_message() {
        let cases = [
            ("limit=abc", "limit", "'abc' is not a whole number"),
            ("limit=", "limit", "'' is not a whole number"),
            ("limit=0", "limit", "must be between 1 and 100"),
            ("limit=101", "limit", "must be between 1 and 100"),
            ("count=maybe", "count", "'maybe' is not true or false"),
            ("id=", "id", "'' is not a valid UUID"),
            ("cursor=nope", "cursor", "'nope' is not a valid UUID"),
        ];
        for (raw, field, message) in cases {
            assert_eq!(refusal(raw), (field.to_owned(), message.to_owned()), "{raw}");
        }
    }

    #[test]
    fn blank_optional_ids_are_absent_and_bare_flags_are_on() {
        let p: Params = parse("cursor=%20&count").unwrap_or_else(|e| panic!("{}", e.message));
        assert!(p.cursor.0.is_none());
        assert!(p.count.0);
    }

    #[test]
    fn the_last_of_a_repeated_parameter_counts() {
        let p: Params = parse("limit=abc&limit=5&count=1&count=0").unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(p.limit.0, 5);
        assert!(!p.count.0);
        let pairs = pairs(Some("b=1&a=2&b=3"));
        assert_eq!(
            pairs.into_iter().collect::<Vec<_>>(),
            [("a".into(), "2".into()), ("b".into(), "3".into())]
        );
    }
}
