//! Small checks shared by every input type.

use crate::CoreError;
use serde_json::Value;

/// A required, trimmed, non-blank text of at most `max` characters, with no control characters.
pub fn text(field: &str, raw: &str, max: usize) -> Result<String, CoreError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(CoreError::invalid(field, "must not be blank"));
    }
    if t.chars().count() > max {
        return Err(CoreError::invalid(field, format!("must be at most {max} characters")));
    }
    if t.chars().any(char::is_control) {
        return Err(CoreError::invalid(field, "must not contain control characters"));
    }
    Ok(t.to_owned())
}

/// Control characters a long text may hold: tab and line breaks. Any other (NUL, escape, …)
/// would end up raw in exports and in the clients that show the text.
fn long_text_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// An optional text: blank counts as absent.
pub fn opt_text(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>, CoreError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => text(field, t, max).map(Some),
    }
}

/// A long free text (descriptions) of at most `max` characters, kept as given; tabs and line
/// breaks are its only control characters.
pub fn long_text(field: &str, raw: Option<String>, max: usize) -> Result<Option<String>, CoreError> {
    match raw {
        Some(t) if t.chars().count() > max => {
            Err(CoreError::invalid(field, format!("must be at most {max} characters")))
        }
        Some(t) if t.chars().any(long_text_control) => Err(CoreError::invalid(
            field,
            "must not contain control characters other than tab and line breaks",
        )),
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

/// How deep client-given JSON (metadata, source data) may nest. Stored JSON is read back
/// inside other JSON (an audit event wraps a field's value in `{field: {before, after}}`), and
/// every JSON reader here stops at 128 levels: the write limit keeps far below the read limit.
pub const MAX_JSON_DEPTH: usize = 32;

/// How many levels of arrays and objects a JSON value nests (a scalar is 0).
pub fn json_depth(v: &Value) -> usize {
    // By hand with a stack, not by recursion: the value may be as deep as its parser allowed.
    let mut deepest = 0;
    let mut stack = vec![(v, 0)];
    while let Some((v, d)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Array(a) => Box::new(a.iter()),
            Value::Object(o) => Box::new(o.values()),
            _ => continue,
        };
        deepest = deepest.max(d + 1);
        stack.extend(children.map(|c| (c, d + 1)));
    }
    deepest
}

/// Whether a string of `v`, or a key of one of its objects, holds a NUL character: PostgreSQL's
/// JSON cannot store one, and no catalog text has a use for it.
pub fn holds_nul(v: &Value) -> bool {
    // By hand with a stack, as `json_depth`: the value may be as deep as its parser allowed.
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) if s.contains('\0') => return true,
            Value::Array(a) => stack.extend(a),
            Value::Object(o) => {
                if o.keys().any(|k| k.contains('\0')) {
                    return true;
                }
                stack.extend(o.values());
            }
            _ => {}
        }
    }
    false
}

/// Refuses client JSON holding a NUL character anywhere ([`holds_nul`]), naming `field`.
pub fn no_nul(field: &str, v: &Value) -> Result<(), CoreError> {
    if holds_nul(v) {
        Err(CoreError::invalid(
            field,
            "must not contain the NUL character (\\u0000)",
        ))
    } else {
        Ok(())
    }
}

/// Metadata: a JSON object of at most 64 KiB, nesting at most [`MAX_JSON_DEPTH`] levels.
pub fn metadata(field: &str, value: Option<Value>) -> Result<Option<Value>, CoreError> {
    json_object(field, value, 64)
}

/// A client's JSON object of at most `max_kib` KiB, nesting at most [`MAX_JSON_DEPTH`] levels;
/// `null` is none.
pub fn json_object(field: &str, value: Option<Value>, max_kib: usize) -> Result<Option<Value>, CoreError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Object(_)) => {
            if v.to_string().len() > max_kib * 1024 {
                Err(CoreError::invalid(field, format!("must be at most {max_kib} KiB")))
            } else if json_depth(&v) > MAX_JSON_DEPTH {
                Err(CoreError::invalid(
                    field,
                    format!("must nest at most {MAX_JSON_DEPTH} levels"),
                ))
            } else {
                no_nul(field, &v)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn texts_refuse_control_characters() {
        assert!(text("name", "A\u{0}B", 10).is_err());
        assert!(text("name", "A\tB", 10).is_err());
        assert!(text("name", "A\u{1b}[31m", 20).is_err());
        assert_eq!(text("name", "  Parka ", 10).unwrap(), "Parka");
        assert!(long_text("d", Some("a\u{0}b".into()), 10).is_err());
        assert_eq!(
            long_text("d", Some("line\r\n\tnext".into()), 20).unwrap().as_deref(),
            Some("line\r\n\tnext")
        );
    }

    #[test]
    fn a_nul_anywhere_in_json_is_found() {
        assert!(!holds_nul(&json!({"a": ["b", {"c": "d"}], "e": 1})));
        assert!(holds_nul(&json!({"a": ["b", {"c": "d\u{0}"}]})));
        assert!(holds_nul(&json!({"a": {"k\u{0}": 1}})));
        assert!(metadata("metadata", Some(json!({"k": "\u{0}"}))).is_err());
    }

    #[test]
    fn depth_counts_arrays_and_objects() {
        assert_eq!(json_depth(&json!(1)), 0);
        assert_eq!(json_depth(&json!({})), 1);
        assert_eq!(json_depth(&json!({"a": [1, {"b": []}]})), 4);
        let deep = (0..MAX_JSON_DEPTH).fold(json!(0), |v, _| json!([v]));
        assert_eq!(json_depth(&deep), MAX_JSON_DEPTH);
        assert!(metadata("m", Some(json!({ "a": deep }))).is_err());
    }
}
