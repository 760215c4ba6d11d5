//! CS-Cart's values: every scalar travels as a string (`"30.00"`, `"10"`, `"Y"`), and a client
//! may send a number instead. [`Text`] takes either; the readers here turn its text into the
//! value a field needs, refusing it with a message the field's name is put before.

use crate::error::ApiError;
use pimento_core::money::{Currency, DEFAULT_CURRENCY, Money};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

/// A scalar sent as a string or a number (a boolean reads as `Y`/`N`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(value_type = String)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(if v { "Y" } else { "N" }.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A list of ids sent as an array, as one id, or as ids separated by commas (`"166,167"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, ToSchema)]
#[schema(value_type = Vec<String>)]
pub struct IdList(pub Vec<Text>);

impl<'de> Deserialize<'de> for IdList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Many(Vec<Text>),
            One(Text),
        }
        Ok(IdList(match Raw::deserialize(d)? {
            Raw::Many(v) => v,
            Raw::One(t) => {
                t.0.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Text(s.to_owned()))
                    .collect()
            }
        }))
    }
}

/// A 400 naming `field`.
pub fn bad(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::bad_request(field, message)
}

/// The currency CS-Cart's prices are in: its primary currency, the catalog's default.
pub fn currency() -> Result<Currency, ApiError> {
    Ok(Currency::parse("currency", DEFAULT_CURRENCY)?)
}

/// A price in major units (`"30"`, `"30.00"`, `30.5`), in minor units of the primary currency.
pub fn price_minor(field: &str, raw: &str) -> Result<i64, ApiError> {
    Money::parse(field, raw.trim(), currency()?)
        .map(|m| m.minor)
        .map_err(|_| bad(field, format!("'{raw}' is not a price")))
}

/// A whole number (`"10"`, `10`, `"10.0"`).
pub fn integer(field: &str, raw: &str) -> Result<i64, ApiError> {
    let t = raw.trim();
    t.parse::<i64>()
        .ok()
        .or_else(|| {
            t.parse::<f64>()
                .ok()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9e15)
                .map(|f| f as i64)
        })
        .ok_or_else(|| bad(field, format!("'{raw}' is not a whole number")))
}

/// A number (`"0.5"`, `2`).
pub fn number(field: &str, raw: &str) -> Result<f64, ApiError> {
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .ok_or_else(|| bad(field, format!("'{raw}' is not a number")))
}

/// A `Y`/`N` flag, in either case.
pub fn flag(field: &str, raw: &str) -> Result<bool, ApiError> {
    match raw.trim() {
        "Y" | "y" => Ok(true),
        "N" | "n" => Ok(false),
        _ => Err(bad(field, format!("'{raw}' is not Y or N"))),
    }
}

/// One of the letters a field takes (`tracking`: `B` or `D`), upper-cased.
pub fn letter(field: &str, raw: &str, allowed: &[&str]) -> Result<String, ApiError> {
    let t = raw.trim().to_ascii_uppercase();
    if allowed.contains(&t.as_str()) {
        Ok(t)
    } else {
        Err(bad(field, format!("'{raw}' is not one of {}", allowed.join(", "))))
    }
}

/// A positive id number.
pub fn id_number(field: &str, raw: &str) -> Result<i64, ApiError> {
    pimento_core::numbers::parse_number(field, raw).map_err(|_| bad(field, format!("'{raw}' is not an id")))
}

/// A number as CS-Cart writes a size: `0`, `12`, `2.5`.
pub fn plain_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A JSON object body read as `T`, a serde error naming its field as a body read so would.
pub fn typed<T: serde::de::DeserializeOwned>(body: &serde_json::Map<String, serde_json::Value>) -> Result<T, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(|_| bad("body", "is not JSON"))?;
    crate::extract::parse_json(&bytes)
}
