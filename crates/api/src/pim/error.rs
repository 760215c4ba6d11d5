//! The PIM API's error: the common `{error, code, field}` body, with field paths in this API's
//! snake_case (`variants[0].inventory_quantity`).

use crate::error::ApiError;
use axum::response::{IntoResponse, Response};
use pimento_core::CoreError;
use pimento_store::StoreError;

/// An error answered by the PIM API.
#[derive(Debug)]
pub struct PimError(pub ApiError);

impl PimError {
    /// Renames a top-level field the core names differently (`name` is this API's `title`).
    pub fn rename(mut self, core: &str, wire: &str) -> Self {
        if let Some(f) = &self.0.field {
            let renamed = if f == core {
                Some(wire.to_owned())
            } else {
                f.strip_prefix(&format!("{core}.")).map(|rest| format!("{wire}.{rest}"))
            };
            if let Some(r) = renamed {
                self.0.message = self.0.message.replacen(f.as_str(), &r, 1);
                self.0.field = Some(r);
            }
        }
        self
    }
}

/// `inventoryQuantity` → `inventory_quantity`, segment by segment; attribute keys and header
/// names (which hold no lower-to-upper transitions worth changing) pass through.
pub fn snake_path(path: &str) -> String {
    if path.starts_with("X-") {
        return path.to_owned();
    }
    let mut out = String::with_capacity(path.len() + 4);
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

impl From<ApiError> for PimError {
    fn from(e: ApiError) -> Self {
        PimError(e)
    }
}

impl From<StoreError> for PimError {
    fn from(e: StoreError) -> Self {
        PimError(e.into())
    }
}

impl From<CoreError> for PimError {
    fn from(e: CoreError) -> Self {
        PimError(e.into())
    }
}

impl IntoResponse for PimError {
    fn into_response(self) -> Response {
        let mut e = self.0;
        if let Some(f) = e.field.take() {
            let snake = snake_path(&f);
            e.message = e.message.replacen(f.as_str(), &snake, 1);
            e.field = Some(snake);
        }
        e.into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::snake_path;

    #[test]
    fn paths_become_snake_case() {
        assert_eq!(
            snake_path("variants[0].inventoryQuantity"),
            "variants[0].inventory_quantity"
        );
        assert_eq!(snake_path("parentId"), "parent_id");
        assert_eq!(snake_path("attributes.color"), "attributes.color");
        assert_eq!(snake_path("X-Tenant-ID"), "X-Tenant-ID");
    }
}
