//! The Products API's names for the core's fields: camelCase, and three names of its own.

use std::borrow::Cow;

/// Core names this API spells otherwise than in camelCase.
const RENAMES: &[(&str, &str)] = &[
    ("media", "productMediaAssets"),
    ("option_ids", "variantOptionIds"),
    ("sync_source", "primarySyncSource"),
    ("source", "syncSource"),
    ("source_id", "syncSourceId"),
];

/// This API's name for a core field name (`inventory_quantity` is `inventoryQuantity`).
pub fn spell(core: &str) -> Cow<'static, str> {
    if let Some((_, wire)) = RENAMES.iter().find(|(c, _)| *c == core) {
        return Cow::Borrowed(wire);
    }
    let mut out = String::with_capacity(core.len());
    let mut upper = false;
    for c in core.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::spell;

    #[test]
    fn core_names_become_camel_case() {
        assert_eq!(spell("inventory_quantity"), "inventoryQuantity");
        assert_eq!(spell("sku"), "sku");
        assert_eq!(spell("media"), "productMediaAssets");
        assert_eq!(spell("source_id"), "syncSourceId");
        assert_eq!(spell("source_vendor"), "sourceVendor");
    }
}
