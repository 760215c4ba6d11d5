//! Variants: the sellable units of a product, each with a SKU, a price and option values.

use crate::extension::{ExtensionPatch, Extensions};
use crate::ids::{OptionId, OptionValueId, OrganizationId, ProductId, VariantId};
use crate::money::{Currency, DEFAULT_CURRENCY, Money};
use crate::options::OptionSelection;
use crate::patch::Patch;
use crate::sync::{ExternalRef, SyncSource, SyncSourceInput};
use crate::validate::{metadata, opt_text};
use crate::{CoreError, FieldPath};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// The longest SKU accepted.
pub const MAX_SKU_LEN: usize = 64;
/// The most prices a variant may have in currencies other than its own.
pub const MAX_PRICES: usize = 50;

/// A price in a currency, as a client gives it: a decimal string in major units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceInput {
    pub amount: String,
    pub currency: String,
}

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
    /// The compare-at price, in the price's currency.
    pub list_price: Option<String>,
    /// Prices in currencies other than the price's own.
    pub prices: Vec<PriceInput>,
    /// The calling API's own fields.
    pub extension: Option<ExtensionPatch>,
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
    pub list_price: Option<Money>,
    pub prices: Vec<Money>,
    pub extensions: Extensions,
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

/// Checks prices in several currencies: each well formed, no currency twice, at most
/// [`MAX_PRICES`].
pub fn parse_prices(field: &str, raw: &[PriceInput]) -> Result<Vec<Money>, CoreError> {
    if raw.len() > MAX_PRICES {
        return Err(CoreError::invalid(field, format!("at most {MAX_PRICES} prices")));
    }
    let prices = raw
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let at = || FieldPath::parse(field).index(i);
            let currency = Currency::parse("currency", &p.currency).map_err(|e| e.within(at()))?;
            Money::parse("amount", &p.amount, currency).map_err(|e| e.within(at()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    crate::validate::no_duplicates(
        &prices,
        |p| Some(p.currency),
        |i| CoreError::invalid(FieldPath::parse(field).index(i).field("currency"), "listed twice"),
    )?;
    Ok(prices)
}

/// The rules that tie a variant's prices together: a list price needs a price and is in its
/// currency; the other prices are in other currencies.
pub fn check_price_set(price: Option<Money>, list_price: Option<Money>, prices: &[Money]) -> Result<(), CoreError> {
    if let Some(list) = list_price {
        match price {
            None => return Err(CoreError::invalid("list_price", "needs a price")),
            Some(p) if p.currency != list.currency => {
                return Err(CoreError::invalid(
                    "list_price",
                    format!("must be in the price's currency, {}", p.currency.code()),
                ));
            }
            Some(_) => {}
        }
    }
    if let Some(p) = price
        && let Some(i) = prices.iter().position(|o| o.currency == p.currency)
    {
        return Err(CoreError::invalid(
            FieldPath::name("prices").index(i).field("currency"),
            "is the price's own currency",
        ));
    }
    Ok(())
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
        let price = self
            .price
            .as_deref()
            .map(|p| parse_price("price", p, self.currency.as_deref()))
            .transpose()?;
        let list_price = self
            .list_price
            .as_deref()
            .map(|l| parse_price("list_price", l, self.currency.as_deref()))
            .transpose()?;
        let prices = parse_prices("prices", &self.prices)?;
        check_price_set(price, list_price, &prices)?;
        let mut extensions = Extensions::default();
        if let Some(x) = self.extension {
            extensions.apply("extensions", x)?;
        }
        Ok(NewVariant {
            list_price,
            prices,
            extensions,
            title: opt_text("title", self.title.as_deref(), 255)?,
            sku: self.sku.as_deref().map(|s| parse_sku("sku", s)).transpose()?,
            barcode: self
                .barcode
                .as_deref()
                .map(|b| parse_barcode("barcode", b))
                .transpose()?,
            price,
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
    /// The compare-at price, in the price's currency.
    pub list_price: Patch<String>,
    /// The complete new set of prices in other currencies, when given.
    pub prices: Option<Vec<PriceInput>>,
    /// The calling API's own fields, merged key by key.
    pub extension: Option<ExtensionPatch>,
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
    /// In major units; read in the currency the variant's price has once the update applies.
    pub list_price: Patch<rust_decimal::Decimal>,
    pub prices: Option<Vec<Money>>,
    pub extensions: Vec<ExtensionPatch>,
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
            list_price: self
                .list_price
                .try_map(|l| crate::money::parse_amount("list_price", &l))?,
            prices: self.prices.as_deref().map(|p| parse_prices("prices", p)).transpose()?,
            extensions: self.extension.into_iter().collect(),
        })
    }
}

impl NewVariant {
    /// What a create request's variant changes in a variant it matches (by SKU, when the
    /// product is found by its sync source): the fields it gives replace, the rest stay.
    pub fn into_changes(self) -> VariantChanges {
        VariantChanges {
            title: self.title.map_or(Patch::Keep, Patch::Set),
            sku: Patch::Keep,
            barcode: self.barcode.map_or(Patch::Keep, Patch::Set),
            price: self.price.map_or(Patch::Keep, Patch::Set),
            inventory_quantity: Some(self.inventory_quantity),
            metadata: self.metadata.map_or(Patch::Keep, Patch::Set),
            options: (!self.options.is_empty()).then_some(self.options),
            list_price: self.list_price.map_or(Patch::Keep, |l| Patch::Set(l.to_decimal())),
            prices: (!self.prices.is_empty()).then_some(self.prices),
            extensions: self.extensions.into_patches(),
        }
    }
}

impl VariantChanges {
    /// Applies the changes to `v`'s own fields (its option values are the store's to resolve)
    /// and checks its prices still hold together.
    pub fn apply_to(&mut self, v: &mut Variant) -> Result<(), CoreError> {
        v.title = std::mem::take(&mut self.title).apply(v.title.take());
        v.sku = std::mem::take(&mut self.sku).apply(v.sku.take());
        v.barcode = std::mem::take(&mut self.barcode).apply(v.barcode.take());
        v.price = std::mem::take(&mut self.price).apply(v.price);
        v.metadata = std::mem::take(&mut self.metadata).apply(v.metadata.take());
        if let Some(q) = self.inventory_quantity {
            v.inventory_quantity = q;
        }
        v.list_price = match std::mem::take(&mut self.list_price) {
            Patch::Keep => v.list_price,
            Patch::Clear => None,
            Patch::Set(d) => {
                let currency = v
                    .price
                    .map(|p| p.currency)
                    .ok_or_else(|| CoreError::invalid("list_price", "needs a price"))?;
                Some(Money::from_decimal("list_price", d, currency)?)
            }
        };
        if let Some(prices) = self.prices.take() {
            v.prices = prices;
        }
        for x in std::mem::take(&mut self.extensions) {
            v.extensions.apply("extensions", x)?;
        }
        check_price_set(v.price, v.list_price, &v.prices)
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
    /// The compare-at price, in the price's currency.
    pub list_price: Option<Money>,
    /// Prices in currencies other than the price's own.
    pub prices: Vec<Money>,
    pub extensions: Extensions,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Goes up with every change to the variant (see [`crate::version`]).
    pub version: crate::version::Version,
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
            "list_price": self.list_price.map(|p| p.to_decimal_string()),
            "prices": (!self.prices.is_empty()).then(|| prices_json(&self.prices)),
            "extensions": self.extensions.to_json(),
        })
    }
}

/// Prices as stored and audited: `[{"currency": "EUR", "amount": 1999}]`, amounts in minor units.
pub fn prices_json(prices: &[Money]) -> Value {
    Value::Array(
        prices
            .iter()
            .map(|p| json!({"currency": p.currency.code(), "amount": p.minor}))
            .collect(),
    )
}

/// Reads prices as [`prices_json`] writes them.
pub fn prices_from_json(v: Option<&Value>) -> Result<Vec<Money>, CoreError> {
    let Some(Value::Array(items)) = v else {
        return Ok(Vec::new());
    };
    items
        .iter()
        .map(|p| {
            let currency = Currency::parse("prices", p.get("currency").and_then(Value::as_str).unwrap_or_default())?;
            let minor = p
                .get("amount")
                .and_then(Value::as_i64)
                .ok_or_else(|| CoreError::invalid("prices", "a stored price has no amount"))?;
            Ok(Money { minor, currency })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_sets_hold_together() {
        let input = |list: Option<&str>, prices: &[(&str, &str)]| VariantInput {
            price: Some("20".into()),
            currency: Some("USD".into()),
            list_price: list.map(str::to_owned),
            prices: prices
                .iter()
                .map(|(a, c)| PriceInput {
                    amount: (*a).into(),
                    currency: (*c).into(),
                })
                .collect(),
            ..VariantInput::default()
        };
        let v = input(Some("25"), &[("18.50", "EUR"), ("3000", "JPY")])
            .validate()
            .unwrap();
        assert_eq!(v.list_price.map(|m| m.minor), Some(2500));
        assert_eq!(v.prices.iter().map(|m| m.minor).collect::<Vec<_>>(), [1850, 3000]);
        let field = |i: VariantInput| i.validate().unwrap_err().field().map(ToString::to_string);
        assert_eq!(
            field(input(None, &[("1", "EUR"), ("2", "eur")])).as_deref(),
            Some("prices[1].currency")
        );
        assert_eq!(
            field(input(None, &[("1", "USD")])).as_deref(),
            Some("prices[0].currency")
        );
        assert_eq!(
            field(input(None, &[("1.5", "JPY")])).as_deref(),
            Some("prices[0].amount")
        );
        let no_price = VariantInput {
            list_price: Some("5".into()),
            ..VariantInput::default()
        };
        assert_eq!(field(no_price).as_deref(), Some("list_price"));
        let rt = prices_from_json(Some(&prices_json(&v.prices))).unwrap();
        assert_eq!(rt, v.prices);
    }

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
