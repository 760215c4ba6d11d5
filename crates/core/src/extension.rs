//! Fields only one API knows (CS-Cart's `age_limit`, Medusa's `hs_code`, …), kept per product
//! and variant under that API's name, so that what a client writes it reads back. The core
//! stores them and never looks inside; each API owns the shape of its own part.

use crate::CoreError;
use serde_json::{Map, Value};

/// The most a product's or variant's extensions may take, as JSON.
pub const MAX_EXTENSION_BYTES: usize = 16_384;
/// The most a category's, attribute's or vendor's extensions may take, as JSON: more than a
/// product's, as an API may keep something for each of a SELECT attribute's options.
pub const MAX_DEFINITION_EXTENSION_BYTES: usize = 65_536;
/// How deep an extension's JSON may nest.
pub const MAX_EXTENSION_DEPTH: usize = 4;

/// Every API's own fields of one product or variant: owner name → that API's fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extensions(pub Map<String, Value>);

/// Fields one API sets on a product or variant: each key replaces the stored one, `null`
/// removes it, and the keys left out stay.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtensionPatch {
    /// The API that owns the fields, such as `cscart`.
    pub owner: String,
    pub fields: Map<String, Value>,
}

impl Extensions {
    /// The fields `owner` stored, if any.
    pub fn of(&self, owner: &str) -> Option<&Map<String, Value>> {
        self.0.get(owner).and_then(Value::as_object)
    }

    /// One field `owner` stored.
    pub fn get(&self, owner: &str, key: &str) -> Option<&Value> {
        self.of(owner).and_then(|m| m.get(key))
    }

    /// As stored: `None` when empty.
    pub fn to_json(&self) -> Option<Value> {
        (!self.0.is_empty()).then(|| Value::Object(self.0.clone()))
    }

    /// Reads what was stored.
    pub fn from_json(v: Option<Value>) -> Extensions {
        match v {
            Some(Value::Object(m)) => Extensions(m),
            _ => Extensions::default(),
        }
    }

    /// The stored fields as patches that set them, one per owner.
    pub fn into_patches(self) -> Vec<ExtensionPatch> {
        self.0
            .into_iter()
            .filter_map(|(owner, v)| match v {
                Value::Object(fields) => Some(ExtensionPatch { owner, fields }),
                _ => None,
            })
            .collect()
    }

    /// Merges a patch, then checks the result's size and depth; `field` names the whole.
    pub fn apply(&mut self, field: &str, patch: ExtensionPatch) -> Result<(), CoreError> {
        self.apply_within(field, patch, MAX_EXTENSION_BYTES)
    }

    /// [`Extensions::apply`] with another size limit (`max_bytes` of JSON).
    pub fn apply_within(&mut self, field: &str, patch: ExtensionPatch, max_bytes: usize) -> Result<(), CoreError> {
        let mut own = self.of(&patch.owner).cloned().unwrap_or_default();
        for (k, v) in &patch.fields {
            crate::validate::no_nul(k, v)?;
            if k.contains('\0') {
                return Err(CoreError::invalid(
                    field,
                    "a field's name must not contain the NUL character",
                ));
            }
        }
        for (k, v) in patch.fields {
            if v.is_null() {
                own.remove(&k);
            } else {
                own.insert(k, v);
            }
        }
        if own.is_empty() {
            self.0.remove(&patch.owner);
        } else {
            self.0.insert(patch.owner, Value::Object(own));
        }
        let whole = Value::Object(self.0.clone());
        if crate::validate::json_depth(&whole) > MAX_EXTENSION_DEPTH + 1 {
            return Err(CoreError::invalid(
                field,
                format!("nests deeper than {MAX_EXTENSION_DEPTH} levels"),
            ));
        }
        if whole.to_string().len() > max_bytes {
            return Err(CoreError::invalid(field, format!("must be at most {max_bytes} bytes")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn patch(owner: &str, v: Value) -> ExtensionPatch {
        ExtensionPatch {
            owner: owner.to_owned(),
            fields: v.as_object().unwrap().clone(),
        }
    }

    #[test]
    fn owners_merge_key_by_key_and_stay_apart() {
        let mut e = Extensions::default();
        e.apply("x", patch("cscart", json!({"age_limit": "18", "min_qty": "2"})))
            .unwrap();
        e.apply("x", patch("medusa", json!({"hs_code": "6109"}))).unwrap();
        e.apply("x", patch("cscart", json!({"min_qty": null, "tax_ids": "6"})))
            .unwrap();
        assert_eq!(
            e.to_json().unwrap(),
            json!({"cscart": {"age_limit": "18", "tax_ids": "6"}, "medusa": {"hs_code": "6109"}})
        );
        e.apply("x", patch("medusa", json!({"hs_code": null}))).unwrap();
        assert!(e.of("medusa").is_none());
        assert!(e.apply("x", patch("medusa", json!({"a": [[[[[1]]]]]}))).is_err());
        let big = "x".repeat(MAX_EXTENSION_BYTES);
        assert!(e.apply("x", patch("medusa", json!({ "a": big }))).is_err());
    }
}
