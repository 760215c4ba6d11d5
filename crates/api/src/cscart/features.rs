//! `/api/features[/{id}]`: CS-Cart's product features are the catalog's typed attributes, and
//! a select feature's variants its options. Types: text `T`; number `O` (and `N`, a number
//! select, kept as a number); checkbox `C` (yes/no); select `S`, and brand `E` and multiple
//! checkbox `M` kept as a select of one value (they read back as `S`). A variant's id is its
//! place among the feature's variants (from 1): options have no numbers of their own.

use super::values::{Text, bad, number};
use crate::error::ApiError;
use pimento_core::attribute::{Attribute, AttributeType};
use serde::Deserialize;
use serde_json::{Map, Value};

fn text(v: &Value) -> Option<String> {
    Text::deserialize(v).ok().map(|t| t.0.trim().to_owned())
}

/// The attribute value a `product_features` entry sets for `a` (`null` removes it): a select's
/// `variant_id` (or its `variant` text, or `variants`' one), a checkbox's `value` `Y`/`N`, a
/// number's `value_int` or `value`, a text's `value`.
pub fn value_of(at: &str, a: &Attribute, entry: &Map<String, Value>) -> Result<Value, ApiError> {
    let get = |k: &str| entry.get(k).and_then(text).filter(|t| !t.is_empty());
    match a.attr_type {
        AttributeType::Select => {
            let variant_text = get("variant").or_else(|| {
                entry
                    .get("variants")
                    .and_then(Value::as_object)
                    .and_then(|m| m.values().next())
                    .and_then(|v| v.get("variant"))
                    .and_then(text)
            });
            let by_id = get("variant_id").filter(|v| v != "0").or_else(|| {
                entry
                    .get("variants")
                    .and_then(Value::as_object)
                    .and_then(|m| m.keys().next().cloned())
            });
            if let Some(id) = by_id {
                let i: usize = id
                    .parse()
                    .map_err(|_| bad(&format!("{at}.variant_id"), format!("'{id}' is not a variant id")))?;
                return a
                    .options
                    .get(i.wrapping_sub(1))
                    .map(|o| Value::String(o.clone()))
                    .ok_or_else(|| {
                        bad(
                            &format!("{at}.variant_id"),
                            format!("feature {} has no variant {id}", a.number),
                        )
                    });
            }
            match variant_text.or_else(|| get("value")) {
                Some(t) => Ok(Value::String(t)),
                None => Ok(Value::Null),
            }
        }
        AttributeType::Boolean => match get("value").as_deref() {
            None => Ok(Value::Null),
            Some("Y" | "y") => Ok(Value::Bool(true)),
            Some("N" | "n") => Ok(Value::Bool(false)),
            Some(other) => Err(bad(&format!("{at}.value"), format!("'{other}' is not Y or N"))),
        },
        AttributeType::Number => match get("value_int").or_else(|| get("value")) {
            None => Ok(Value::Null),
            Some(t) => {
                let n = number(&format!("{at}.value"), &t)?;
                Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
            }
        },
        AttributeType::Text => Ok(get("value").map_or(Value::Null, Value::String)),
    }
}
