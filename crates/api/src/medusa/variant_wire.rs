//! Medusa's request bodies for variants and their prices, and their translation into the
//! core's variant inputs; Medusa's own variant fields go to the `medusa` extension.

use super::body::{Flag, invalid, nullable};
use super::view::EXT;
use crate::error::ApiError;
use pimento_core::extension::ExtensionPatch;
use pimento_core::ids::OptionId;
use pimento_core::options::{OptionSelection, VariantOption};
use pimento_core::patch::Patch;
use pimento_core::variant::{PriceInput, VariantInput, VariantPatch, parse_barcode};
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use utoipa::ToSchema;

/// A price of a variant, in major units (`10` is ten dollars). A variant's prices are given
/// whole and replace its set, so a price's `id` is taken and not needed. Quantity tiers and
/// price rules are not kept: giving one is refused.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceIn {
    #[allow(dead_code)]
    pub id: Option<String>,
    pub currency_code: String,
    #[schema(value_type = f64)]
    pub amount: Number,
    #[schema(value_type = Option<f64>)]
    pub min_quantity: Option<Number>,
    #[schema(value_type = Option<f64>)]
    pub max_quantity: Option<Number>,
    #[schema(value_type = Option<Object>)]
    pub rules: Option<Value>,
}

/// A variant as Medusa creates and updates it (on update every field is optional).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantIn {
    /// Names the variant to change (product update, variant batch).
    pub id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub sku: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub barcode: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub ean: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub upc: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub hs_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub mid_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub origin_country: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub material: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub thumbnail: Option<Option<String>>,
    #[schema(value_type = Option<bool>)]
    pub allow_backorder: Option<Flag>,
    #[schema(value_type = Option<bool>)]
    pub manage_inventory: Option<Flag>,
    pub variant_rank: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>)]
    pub weight: Option<Option<Number>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>)]
    pub length: Option<Option<Number>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>)]
    pub height: Option<Option<Number>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>)]
    pub width: Option<Option<Number>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Option<Value>>,
    /// `{option title: value}`.
    pub options: Option<Map<String, Value>>,
    pub prices: Option<Vec<PriceIn>>,
    /// Links to inventory items, kept as given (inventory is not modelled here).
    #[schema(value_type = Option<Vec<Object>>)]
    pub inventory_items: Option<Vec<Value>>,
    /// Stock on hand, an extension of Medusa's fields (Medusa keeps it in its inventory module).
    pub inventory_quantity: Option<i64>,
    /// Medusa hands it to its workflow hooks and keeps nothing; so does this API.
    #[allow(dead_code)]
    #[schema(value_type = Option<Object>)]
    pub additional_data: Option<Value>,
}

fn price(p: &PriceIn) -> PriceInput {
    PriceInput {
        amount: p.amount.to_string(),
        currency: p.currency_code.trim().to_ascii_uppercase(),
    }
}

/// The extension patch of a variant's Medusa fields; `None` values remove a field.
fn variant_extension(v: &VariantIn) -> Option<ExtensionPatch> {
    let mut fields = Map::new();
    let text = |f: &mut Map<String, Value>, key: &str, v: &Option<Option<String>>| {
        if let Some(v) = v {
            f.insert(key.into(), v.clone().map_or(Value::Null, Value::String));
        }
    };
    // Medusa's barcode is any text; a GTIN goes to the core's barcode, other text stays here.
    if let Some(b) = &v.barcode {
        let other = b.as_ref().filter(|b| parse_barcode("barcode", b).is_err());
        fields.insert("barcode".into(), other.cloned().map_or(Value::Null, Value::String));
    }
    text(&mut fields, "ean", &v.ean);
    text(&mut fields, "upc", &v.upc);
    text(&mut fields, "hs_code", &v.hs_code);
    text(&mut fields, "mid_code", &v.mid_code);
    text(&mut fields, "origin_country", &v.origin_country);
    text(&mut fields, "material", &v.material);
    text(&mut fields, "thumbnail", &v.thumbnail);
    for (key, n) in [
        ("weight", &v.weight),
        ("length", &v.length),
        ("height", &v.height),
        ("width", &v.width),
    ] {
        if let Some(n) = n {
            fields.insert(key.into(), n.clone().map_or(Value::Null, Value::Number));
        }
    }
    if let Some(b) = v.allow_backorder {
        fields.insert("allow_backorder".into(), Value::Bool(b.0));
    }
    if let Some(rank) = v.variant_rank {
        fields.insert("variant_rank".into(), Value::from(rank));
    }
    if let Some(items) = &v.inventory_items {
        fields.insert("inventory_items".into(), Value::Array(items.clone()));
    }
    if let Some(b) = v.manage_inventory {
        fields.insert("manage_inventory".into(), Value::Bool(b.0));
    }
    (!fields.is_empty()).then(|| ExtensionPatch {
        owner: EXT.into(),
        fields,
    })
}

/// A variant's option picks, `{title: value}`, against the product's options.
fn picks(
    given: &Map<String, Value>,
    options: &[(OptionId, String)],
    at: usize,
) -> Result<Vec<OptionSelection>, ApiError> {
    given
        .iter()
        .map(|(title, value)| {
            let value = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let (option_id, _) = options
                .iter()
                .find(|(_, t)| t.eq_ignore_ascii_case(title))
                .ok_or_else(|| invalid(format!("Option {title} does not exist for variant at position {at}")))?;
            Ok(OptionSelection::ByValue {
                option_id: *option_id,
                value,
            })
        })
        .collect()
}

impl VariantIn {
    /// Refuses what the catalog does not keep: price tiers and rules.
    fn check_prices(&self, at: usize) -> Result<(), ApiError> {
        for (i, p) in self.prices.iter().flatten().enumerate() {
            let ruled = p
                .rules
                .as_ref()
                .is_some_and(|r| r.as_object().is_none_or(|m| !m.is_empty()));
            if p.min_quantity.is_some() || p.max_quantity.is_some() || ruled {
                return Err(invalid(format!(
                    "Field 'variants, {at}, prices, {i}': quantity tiers and price rules are not supported"
                )));
            }
        }
        Ok(())
    }

    /// A new variant; `options` are the product's options by title.
    pub fn into_input(self, options: &[(OptionId, String)], at: usize) -> Result<VariantInput, ApiError> {
        self.check_prices(at)?;
        let prices = self.prices.clone().unwrap_or_default();
        let mut prices = prices.iter().map(price);
        let first = prices.next();
        Ok(VariantInput {
            title: self.title.clone().flatten(),
            sku: self.sku.clone().flatten(),
            barcode: self
                .barcode
                .clone()
                .flatten()
                .filter(|b| parse_barcode("barcode", b).is_ok()),
            price: first.as_ref().map(|p| p.amount.clone()),
            currency: first.map(|p| p.currency),
            inventory_quantity: self.inventory_quantity,
            metadata: self.metadata.clone().flatten(),
            options: match &self.options {
                Some(o) => picks(o, options, at)?,
                None => Vec::new(),
            },
            prices: prices.collect(),
            extension: variant_extension(&self),
            ..VariantInput::default()
        })
    }

    /// A change to a variant.
    pub fn into_patch(self, options: &[(OptionId, String)], at: usize) -> Result<VariantPatch, ApiError> {
        self.check_prices(at)?;
        let text = |v: Option<Option<String>>| match v {
            None => Patch::Keep,
            Some(None) => Patch::Clear,
            Some(Some(s)) => Patch::Set(s),
        };
        let mut patch = VariantPatch {
            title: text(self.title.clone()),
            sku: text(self.sku.clone()),
            barcode: match self.barcode.clone() {
                Some(Some(b)) if parse_barcode("barcode", &b).is_err() => Patch::Clear,
                other => text(other),
            },
            inventory_quantity: self.inventory_quantity,
            metadata: match self.metadata.clone() {
                None => Patch::Keep,
                Some(None) => Patch::Clear,
                Some(Some(v)) => Patch::Set(v),
            },
            options: match &self.options {
                Some(o) => Some(picks(o, options, at)?),
                None => None,
            },
            extension: variant_extension(&self),
            ..VariantPatch::default()
        };
        if let Some(prices) = &self.prices {
            // The list replaces the variant's prices: the first is its price, the rest its
            // prices in other currencies.
            let mut prices = prices.iter().map(price);
            match prices.next() {
                Some(first) => {
                    patch.price = Patch::Set(first.amount);
                    patch.currency = Some(first.currency);
                }
                None => patch.price = Patch::Clear,
            }
            patch.prices = Some(prices.collect());
        }
        Ok(patch)
    }
}

/// The product's options by title, for variants that name them (`{Size: "M"}`).
pub fn option_titles(options: &[VariantOption]) -> Vec<(OptionId, String)> {
    options.iter().map(|o| (o.id, o.name.clone())).collect()
}
