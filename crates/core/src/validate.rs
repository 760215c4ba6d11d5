//! Small checks shared by every input type.

use crate::CoreError;
use serde_json::Value;

/// A required, trimmed, non-blank text of at most `max` characters.
pub fn text(field: &str, raw: &str, max: usize) -> Result<String, CoreError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(CoreError::invalid(field, "must not be blank"));
    }
    if t.chars().count() > max {
        return Err(CoreError::invalid(field, format!("must be at most {max} characters")));
    }
    Ok(t.to_owned())
}

/// An optional text: blank counts as absent.
pub fn opt_text(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>, CoreError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => text(field, t, max).map(Some),
    }
}

/// A long free text (descriptions) of at most `max` characters, kept as given.
pub fn long_text(field: &str, raw: Option<String>, max: usize) -> Result<Option<String>, CoreError> {
    match raw {
        Some(t) if t.chars().count() > max => {
            Err(CoreError::invalid(field, format!("must be at most {max} characters")))
        }
        other => Ok(other),
    }
}

/// An absolute URI such as `https://example.com/p/1`.
pub fn uri(field: &str, raw: &str) -> Result<String, CoreError> {
    let t = raw.trim();
    if t.len() > 2048 {
        return Err(CoreError::invalid(field, "must be at most 2048 characters"));
    }
    match url::Url::parse(t) {
        Ok(_) => Ok(t.to_owned()),
        Err(_) => Err(CoreError::invalid(field, format!("'{raw}' is not a valid URI"))),
    }
}

/// An optional absolute URI.
pub fn opt_uri(field: &str, raw: Option<&str>) -> Result<Option<String>, CoreError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => uri(field, t).map(Some),
    }
}

/// Metadata: a JSON object of at most 64 KiB.
pub fn metadata(field: &str, value: Option<Value>) -> Result<Option<Value>, CoreError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Object(_)) => {
            if v.to_string().len() > 65_536 {
                Err(CoreError::invalid(field, "must be at most 64 KiB"))
            } else {
                Ok(Some(v))
            }
        }
        Some(_) => Err(CoreError::invalid(field, "must be an object")),
    }
}

/// Fails with the first duplicate among `items`, keyed by `key`.
pub fn no_duplicates<T, K: Eq + std::hash::Hash>(
    items: &[T],
    key: impl Fn(&T) -> Option<K>,
    err: impl Fn(usize) -> CoreError,
) -> Result<(), CoreError> {
    let mut seen = std::collections::HashSet::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(k) = key(item)
            && !seen.insert(k)
        {
            return Err(err(i));
        }
    }
    Ok(())
}
