//! Handles: URL-safe, lower-case identifiers unique within an organization (`mens-outerwear`).

use crate::CoreError;

/// The longest handle accepted.
pub const MAX_HANDLE_LEN: usize = 255;

/// Checks a handle given by a client: lower-case letters, digits and single hyphens.
pub fn parse_handle(field: &str, raw: &str) -> Result<String, CoreError> {
    let ok = !raw.is_empty()
        && raw.len() <= MAX_HANDLE_LEN
        && raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !raw.starts_with('-')
        && !raw.ends_with('-');
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(CoreError::invalid(
            field,
            "must be 1 to 255 lower-case letters, digits, '-' or '_', not starting or ending with '-'",
        ))
    }
}

/// Derives a handle from a name: "Men's Rain Jacket" becomes `men-s-rain-jacket`.
pub fn slugify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= MAX_HANDLE_LEN - 16 {
            break;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("product");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_folds_to_hyphens() {
        assert_eq!(slugify("Men's Rain Jacket!"), "men-s-rain-jacket");
        assert_eq!(slugify("  ***  "), "product");
        assert_eq!(slugify("Ünïcode Tee"), "n-code-tee");
    }

    #[test]
    fn handle_rules() {
        assert!(parse_handle("handle", "mens-outerwear").is_ok());
        assert!(parse_handle("handle", "Mens").is_err());
        assert!(parse_handle("handle", "-x").is_err());
        assert!(parse_handle("handle", "").is_err());
        assert!(parse_handle("handle", "a b").is_err());
    }
}
