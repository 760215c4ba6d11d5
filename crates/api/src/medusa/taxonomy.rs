//! What the four taxonomy resources (categories, collections, tags, types) share: Medusa's
//! handles, its metadata merge, the list parameters they read alike, and the refusals of what
//! the catalog does not keep.
//!
//! The catalog keeps no `external_id` on categories, collections, tags or types: each shows
//! `null`, and a request that sets one is refused (400) rather than answered as if it were kept.
//! The same goes for list parameters the catalog cannot filter by (`created_at`, `$and`, …): a
//! clear 400, never a silently wider list.

use super::body::invalid;
use super::ids;
use super::qs::Qs;
use crate::error::ApiError;
use axum::Json;
use pimento_core::handle::{parse_handle, slugify};
use pimento_core::patch::Patch;
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// Medusa's handle of a category name or collection title (lodash-like kebab case: a lower
/// letter before an upper one split by `-`, runs of spaces and `_` as one `-`, lower case).
/// Medusa keeps punctuation (`winter-sale-2024!`); a handle the catalog cannot keep (it takes
/// letters, digits and `-`) is derived the catalog's way instead (`winter-sale-2024`).
pub fn handle_of(given: Option<String>, name: &str) -> String {
    if let Some(h) = given {
        return h;
    }
    let kebab = kebab(name);
    if parse_handle("handle", &kebab).is_ok() {
        kebab
    } else {
        slugify(name)
    }
}

fn kebab(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<char> = None;
    let mut in_gap = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '_' {
            if !in_gap {
                out.push('-');
            }
            in_gap = true;
            prev = Some(c);
            continue;
        }
        in_gap = false;
        if c.is_ascii_uppercase() && prev.is_some_and(|p| p.is_ascii_lowercase()) {
            out.push('-');
        }
        out.extend(c.to_lowercase());
        prev = Some(c);
    }
    out
}

/// A metadata update the Medusa way for collections, tags and types: `null` clears it, an
/// object is merged key by key into `current`, and a key set to `""` is removed.
pub fn merged_metadata(current: Option<&Value>, given: Option<Option<Value>>) -> Result<Patch<Value>, ApiError> {
    match given {
        None => Ok(Patch::Keep),
        Some(None) => Ok(Patch::Clear),
        Some(Some(Value::Object(changes))) => {
            let mut merged = current.and_then(Value::as_object).cloned().unwrap_or_default();
            for (k, v) in changes {
                if v == Value::String(String::new()) {
                    merged.remove(&k);
                } else {
                    merged.insert(k, v);
                }
            }
            Ok(Patch::Set(Value::Object(merged)))
        }
        Some(Some(other)) => Err(not_object(&other)),
    }
}

/// Metadata given on create: an object or `null`.
pub fn new_metadata(given: Option<Option<Value>>) -> Result<Option<Value>, ApiError> {
    match given.flatten() {
        None => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v)),
        Some(other) => Err(not_object(&other)),
    }
}

fn not_object(v: &Value) -> ApiError {
    let shown = match v {
        Value::String(s) => s.clone(),
        Value::Array(_) => String::new(),
        other => other.to_string(),
    };
    invalid(format!("Expected type: 'object' for field 'metadata', got: '{shown}'"))
}

/// Refuses an `external_id` other than `null`: `what` names the resource (`product tags`).
pub fn no_external_id(given: Option<&Option<String>>, what: &str) -> Result<(), ApiError> {
    match given {
        Some(Some(_)) => Err(invalid(format!(
            "Field 'external_id': {what} keep no external id here; leave it out"
        ))),
        _ => Ok(()),
    }
}

/// A list parameter's ids of `kind` (`id=a&id=b`, `id[0]=a,b`); an id that is not one of
/// `kind` matches nothing.
pub fn ids_param(q: &Qs, name: &str, kind: ids::Kind) -> Result<Option<Vec<Uuid>>, ApiError> {
    Ok(q.many(name)?.map(|list| {
        list.iter()
            .flat_map(|v| v.split(','))
            .filter_map(|v| kind.read(v))
            .collect()
    }))
}

/// A list parameter's texts (`value=a&value=b`).
pub fn texts(q: &Qs, name: &str) -> Result<Option<Vec<String>>, ApiError> {
    Ok(q.many(name)?.map(|l| l.iter().map(|s| (*s).to_owned()).collect()))
}

/// A boolean parameter (`true` / `false`).
pub fn flag(q: &Qs, name: &str) -> Result<Option<bool>, ApiError> {
    match q.one(name)?.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(s) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(other) => Err(invalid(format!(
            "Expected type: 'boolean' for field '{name}', got: '{other}'"
        ))),
    }
}

/// Refuses the list parameters Medusa takes and this catalog cannot filter by.
pub fn unsupported(q: &Qs, names: &[&str]) -> Result<(), ApiError> {
    match names.iter().find(|n| q.names().contains(n)) {
        Some(n) => Err(invalid(format!(
            "Field '{n}': filtering by '{n}' is not supported here"
        ))),
        None => Ok(()),
    }
}

/// `order`: these lists come in creation order (Medusa's default, by id), so `id` and
/// `created_at` ascending are taken, with `also` (a field that sorts the same here); any other
/// order is refused rather than ignored.
pub fn creation_order(q: &Qs, also: &[&str]) -> Result<(), ApiError> {
    match q.one("order")?.map(str::trim).filter(|o| !o.is_empty()) {
        None => Ok(()),
        Some(o) if ["id", "created_at"].contains(&o) || also.contains(&o) => Ok(()),
        Some(o) => Err(invalid(format!(
            "Field 'order': cannot order by '{o}' here; these lists come in creation order (order=id)"
        ))),
    }
}

/// Medusa's list envelope: `{<plural>: […], count, offset, limit}`.
pub fn listed(plural: &str, items: Vec<Value>, count: i64, offset: u64, limit: u32) -> Json<Value> {
    let mut out = Map::new();
    out.insert(plural.to_owned(), Value::Array(items));
    out.insert("count".into(), json!(count));
    out.insert("offset".into(), json!(offset));
    out.insert("limit".into(), json!(limit));
    Json(Value::Object(out))
}

/// Medusa's delete answer.
pub fn deleted(id: &str, object: &str) -> Json<Value> {
    Json(json!({"id": id, "object": object, "deleted": true}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_follow_medusa_where_the_catalog_can_keep_them() {
        assert_eq!(handle_of(None, "Summer"), "summer");
        assert_eq!(handle_of(None, "New  Arrivals_2026"), "new-arrivals-2026");
        assert_eq!(handle_of(None, "fooBar"), "foo-bar");
        // Medusa: `winter-sale-2024!`; the catalog keeps no `!`.
        assert_eq!(handle_of(None, "Winter Sale 2024!"), "winter-sale-2024");
        assert_eq!(handle_of(Some("given".into()), "x"), "given");
    }

    #[test]
    fn metadata_merges_and_empty_text_removes() {
        let current = json!({"a": 1, "b": 2});
        let got = merged_metadata(Some(&current), Some(Some(json!({"a": "", "c": 3})))).unwrap_or(Patch::Keep);
        assert_eq!(got, Patch::Set(json!({"b": 2, "c": 3})));
        assert_eq!(merged_metadata(Some(&current), Some(None)).ok(), Some(Patch::Clear));
        assert!(merged_metadata(None, Some(Some(json!("x")))).is_err());
    }
}
