//! Variants: the sellable units of a product, each with a SKU, a price and option values.

use crate::CoreError;
use crate::ids::{OptionId, OptionValueId, OrganizationId, ProductId, VariantId};
use crate::money::{Currency, DEFAULT_CURRENCY, Money};
use crate::options::OptionSelection;
use crate::patch::Patch;
use crate::sync::{ExternalRef, SyncSource, SyncSourceInput};
use crate::validate::{metadata, opt_text};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// The longest SKU accepted.
pub const MAX_SKU_LEN: usize = 64;

/// A variant as a client gives it.
#[derive(Debug, Clone, Default)]
pub struct VariantInput {
    pub title: Option<String>,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    /// Decimal string in major units, e.g. `"19.99"`.
    pub price: Option<String>,
    pub currency: Option<String>,
    pub inventory_quantity: Option<i64>,
    pub metadata: Option<Value>,
    pub options: Vec<OptionSelection>,
    pub sync: Option<SyncSourceInput>,
}

/// A checked new variant.
#[derive(Debug, Clone)]
pub struct NewVariant {
    pub title: Option<String>,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    pub price: Option<Money>,
    pub inventory_quantity: i64,
    pub metadata: Option<Value>,
    pub options: Vec<OptionSelection>,
    pub sync: Option<SyncSource>,
}

/// Checks a SKU: trimmed, 1 to 64 characters, no control characters.
pub fn parse_sku(field: &str, raw: &str) -> Result<String, CoreError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(CoreError::invalid(field, "must not be blank"));
    }
    if t.chars().count() > MAX_SKU_LEN {
        return Err(CoreError::invalid(
            field,
            format!("must be at most {MAX_SKU_LEN} characters"),
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(CoreError::invalid(field, "must not contain control characters"));
    }
    Ok(t.to_owned())
}

/// Checks a barcode's form: 8, 12, 13 or 14 digits (EAN-8, UPC-A, EAN-13, GTIN-14).
///
/// A wrong check digit is accepted here and reported as a validation issue, so that catalogs
/// imported with legacy codes can still be stored and then fixed.
pub fn parse_barcode(field: &str, raw: &str) -> Result<String, CoreError> {
    let t = raw.trim();
    if matches!(t.len(), 8 | 12 | 13 | 14) && t.bytes().all(|b| b.is_ascii_digit()) {
        Ok(t.to_owned())
    } else {
        Err(CoreError::invalid(field, "must be a GTIN: 8, 12, 13 or 14 digits"))
    }
}

/// Whether a GTIN's last digit is its correct check digit.
pub fn gtin_check_digit_ok(code: &str) -> bool {
    let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != code.len() || digits.len() < 2 {
        return false;
    }
    let (body, check) = digits.split_at(digits.len() - 1);
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    (10 - sum % 10) % 10 == check[0]
}

/// Appends the check digit to a GTIN body (`400638133393` gives `4006381333931`).
pub fn with_check_digit(body: &str) -> String {
    let sum: u32 = body
        .chars()
        .filter_map(|c| c.to_digit(10))
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { d })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Parses a price with an optional currency (the organization default when absent).
pub fn parse_price(field: &str, amount: &str, currency: Option<&str>) -> Result<Money, CoreError> {
    let currency = Currency::parse("currency", currency.unwrap_or(DEFAULT_CURRENCY))?;
    Money::parse(field, amount, currency)
}

fn check_quantity(q: i64) -> Result<i64, CoreError> {
    if !(-1_000_000_000..=1_000_000_000_000).contains(&q) {
        return Err(CoreError::invalid("inventory_quantity", "is out of range"));
    }
    Ok(q)
}

impl VariantInput {
    /// Checks every field.
    pub fn validate(self) -> Result<NewVariant, CoreError> {
        Ok(NewVariant {
            title: opt_text("title", self.title.as_deref(), 255)?,
            sku: self.sku.as_deref().map(|s| parse_sku("sku", s)).transpose()?,
            barcode: self
                .barcode
                .as_deref()
                .map(|b| parse_barcode("barcode", b))
                .transpose()?,
            price: self
                .price
                .as_deref()
                .map(|p| parse_price("price", p, self.currency.as_deref()))
                .transpose()?,
            inventory_quantity: check_quantity(self.inventory_quantity.unwrap_or(0))?,
            metadata: metadata("metadata", self.metadata)?,
            options: self.options,
            sync: self
                .sync
                .map(|s| s.validate().map_err(|e| e.within("sync_source")))
                .transpose()?,
        })
    }
}

/// A partial update of a variant.
#[derive(Debug, Clone, Default)]
pub struct VariantPatch {
    pub title: Patch<String>,
    pub sku: Patch<String>,
    pub barcode: Patch<String>,
    pub price: Patch<String>,
    pub currency: Option<String>,
    pub inventory_quantity: Option<i64>,
    pub metadata: Patch<Value>,
    /// The complete new set of option values, when given.
    pub options: Option<Vec<OptionSelection>>,
}

/// A checked partial update of a variant.
#[derive(Debug, Clone, Default)]
pub struct VariantChanges {
    pub title: Patch<String>,
    pub sku: Patch<String>,
    pub barcode: Patch<String>,
    pub price: Patch<Money>,
    pub inventory_quantity: Option<i64>,
    pub metadata: Patch<Value>,
    pub options: Option<Vec<OptionSelection>>,
}

impl VariantPatch {
    /// Checks the fields present. A currency alone re-prices nothing: it needs a price.
    pub fn validate(self) -> Result<VariantChanges, CoreError> {
        if self.currency.is_some() && self.price.is_keep() {
            return Err(CoreError::invalid(
                "currency",
                "can only be changed together with price",
            ));
        }
        let currency = self.currency;
        Ok(VariantChanges {
            // A blank title clears it, as on create.
            title: match self.title {
                Patch::Set(t) => opt_text("title", Some(&t), 255)?.map_or(Patch::Clear, Patch::Set),
                other => other,
            },
            sku: self.sku.try_map(|s| parse_sku("sku", &s))?,
            barcode: self.barcode.try_map(|b| parse_barcode("barcode", &b))?,
            price: self.price.try_map(|p| parse_price("price", &p, currency.as_deref()))?,
            inventory_quantity: self.inventory_quantity.map(check_quantity).transpose()?,
            metadata: match self.metadata {
                Patch::Set(v) => match metadata("metadata", Some(v))? {
                    Some(v) => Patch::Set(v),
                    None => Patch::Clear,
                },
                other => other,
            },
            options: self.options,
        })
    }
}

/// One option value a variant picks, with names for display.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantOptionValue {
    pub option_id: OptionId,
    pub option_name: String,
    pub value_id: OptionValueId,
    pub value: String,
}

/// A stored variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub id: VariantId,
    pub organization_id: OrganizationId,
    pub product_id: ProductId,
    pub title: Option<String>,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    pub price: Option<Money>,
    pub inventory_quantity: i64,
    pub rank: i64,
    pub metadata: Option<Value>,
    pub options: Vec<VariantOptionValue>,
    pub sync: Option<ExternalRef>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

impl Variant {
    /// The audited fields, as JSON.
    pub fn snapshot(&self) -> Value {
        json!({
            "title": self.title,
            "sku": self.sku,
            "barcode": self.barcode,
            "price": self.price.map(|p| p.to_decimal_string()),
            "currency": self.price.map(|p| p.currency.code().to_owned()),
            "inventory_quantity": self.inventory_quantity,
            "metadata": self.metadata,
            "options": self.options.iter().map(|o| json!({"option": o.option_name, "value": o.value})).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtin_check_digits() {
        assert!(gtin_check_digit_ok("4006381333931"));
        assert!(gtin_check_digit_ok("036000291452"));
        assert!(gtin_check_digit_ok("96385074"));
        assert!(!gtin_check_digit_ok("4006381333932"));
        assert_eq!(with_check_digit("400638133393"), "4006381333931");
    }

    #[test]
    fn sku_rules() {
        assert_eq!(parse_sku("sku", "  TEE-S ").unwrap(), "TEE-S");
        assert!(parse_sku("sku", "   ").is_err());
        assert!(parse_sku("sku", &"x".repeat(65)).is_err());
        assert!(parse_sku("sku", "a\u{7}b").is_err());
    }

    #[test]
    fn barcode_form() {
        assert!(parse_barcode("barcode", "4006381333931").is_ok());
        assert!(parse_barcode("barcode", "40063813339").is_err());
        assert!(parse_barcode("barcode", "ABCDEFGH").is_err());
    }
}
