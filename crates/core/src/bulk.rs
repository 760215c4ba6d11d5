//! Bulk changes: which products a bulk job selects and what it does to each of them.

use crate::CoreError;
use crate::ids::{BrandId, CategoryId, ProductId};
use crate::money::{Currency, DEFAULT_CURRENCY, Money};
use crate::patch::Patch;
use crate::product::{Classification, ProductStatus};
use crate::query::{PriceRange, ProductFilter};
use crate::taxonomy::CategoryRef;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::str::FromStr;

/// The most product ids one bulk request may list; larger selections use a filter.
pub const MAX_IDS: usize = 10_000;

/// A bulk job's payload as a client sends it, and as it is kept with the job.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    /// The products to change, by id...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub product_ids: Vec<ProductId>,
    /// ...or every product matching a filter (`{}` selects the whole catalog).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<BulkFilter>,
    /// Product fields to set (updates only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<BulkSet>,
    /// A change to every variant's price (updates only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<PriceChange>,
}

/// Which products a filter selects; every criterion given must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<CategoryId>,
    /// A category slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default)]
    pub include_subcategories: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand_id: Option<BrandId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Products with a variant priced at least this (a decimal, in `currency`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_min: Option<Value>,
    /// Products with a variant priced at most this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_max: Option<Value>,
    /// The currency of the price range (USD when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// Product fields a bulk update sets on every selected product.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkSet {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// A brand id, or `null` to clear the brand.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub brand_id: Option<Option<BrandId>>,
    /// A category id, or `null` to clear the category.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub category_id: Option<Option<CategoryId>>,
    /// A category slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Attribute values merged into each product's; `null` removes one.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub attributes: Map<String, Value>,
}

/// A price change: set every variant's price, or adjust it by a percentage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<Value>,
    /// `10` raises prices by 10 %, `-15` lowers them by 15 %.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjust_percent: Option<Value>,
}

/// `Some(None)` for an explicit `null`, `None` for an absent field.
mod nullable {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(v: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// Which products a bulk job works on, checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    Ids(Vec<ProductId>),
    Filter(Box<ProductFilter>),
}

/// What happens to each variant's price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PriceRule {
    /// A new amount in major units, in the variant's own currency.
    Set(Decimal),
    /// A percentage to add (negative to take off), rounded half away from zero to the minor unit.
    AdjustPercent(Decimal),
}

impl PriceRule {
    /// The price a variant gets; a variant with no price gets one only from `Set`.
    pub fn apply(&self, current: Option<Money>, currency: Currency) -> Result<Option<Money>, CoreError> {
        match (self, current) {
            (PriceRule::Set(amount), cur) => {
                let currency = cur.map_or(currency, |m| m.currency);
                let rounded = amount
                    .round_dp_with_strategy(currency.digits(), rust_decimal::RoundingStrategy::MidpointAwayFromZero);
                Money::from_decimal("payload.price.set", rounded, currency).map(Some)
            }
            (PriceRule::AdjustPercent(_), None) => Ok(None),
            (PriceRule::AdjustPercent(pct), Some(m)) => {
                let factor = Decimal::ONE + pct / Decimal::ONE_HUNDRED;
                let minor = (Decimal::from(m.minor) * factor)
                    .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
                let minor = i64::try_from(minor)
                    .map_err(|_| CoreError::invalid("payload.price.adjust_percent", "makes a price too large"))?;
                Ok(Some(Money { minor, ..m }))
            }
        }
    }
}

/// A checked bulk job: its selection, and for updates what to change.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkPlan {
    pub selection: Selection,
    pub status: Option<ProductStatus>,
    pub classification: Classification,
    pub price: Option<PriceRule>,
}

impl BulkPlan {
    /// Whether the plan changes the products themselves (not only their prices).
    pub fn changes_products(&self) -> bool {
        let c = &self.classification;
        self.status.is_some() || !c.category.is_keep() || !c.brand_id.is_keep() || !c.attributes.is_empty()
    }
}

fn decimal(field: &str, v: &Value) -> Result<Decimal, CoreError> {
    let parsed = match v {
        Value::String(s) => Decimal::from_str(s.trim()).ok(),
        Value::Number(n) => Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .ok(),
        _ => None,
    };
    parsed.ok_or_else(|| CoreError::invalid(field, "must be a decimal number"))
}

fn status(field: &str, s: &str) -> Result<ProductStatus, CoreError> {
    ProductStatus::read(s).ok_or_else(|| CoreError::invalid(field, "is not a product status"))
}

impl BulkRequest {
    /// Checks the payload of a bulk update (`delete == false`) or delete. Fields are named as
    /// `payload.<path>`.
    pub fn validate(&self, delete: bool) -> Result<BulkPlan, CoreError> {
        let selection = match (&self.product_ids.is_empty(), &self.filter) {
            (false, Some(_)) => {
                return Err(CoreError::invalid("payload", "give product_ids or filter, not both"));
            }
            (true, None) => return Err(CoreError::invalid("payload", "give product_ids or a filter")),
            (false, None) if self.product_ids.len() > MAX_IDS => {
                return Err(CoreError::invalid(
                    "payload.product_ids",
                    format!("lists more than {MAX_IDS} ids; use a filter"),
                ));
            }
            (false, None) => Selection::Ids(self.product_ids.clone()),
            (true, Some(f)) => Selection::Filter(Box::new(f.validate()?)),
        };
        if delete {
            if self.set.is_some() || self.price.is_some() {
                return Err(CoreError::invalid("payload", "a bulk delete takes no changes"));
            }
            return Ok(BulkPlan {
                selection,
                status: None,
                classification: Classification::default(),
                price: None,
            });
        }
        let mut plan = BulkPlan {
            selection,
            status: None,
            classification: Classification::default(),
            price: None,
        };
        if let Some(set) = &self.set {
            plan.status = set
                .status
                .as_deref()
                .map(|s| status("payload.set.status", s))
                .transpose()?;
            plan.classification.brand_id = match set.brand_id {
                None => Patch::Keep,
                Some(None) => Patch::Clear,
                Some(Some(id)) => Patch::Set(id),
            };
            plan.classification.category = match (&set.category_id, &set.category) {
                (Some(_), Some(_)) => {
                    return Err(CoreError::invalid(
                        "payload.set.category",
                        "give category or category_id, not both",
                    ));
                }
                (Some(None), None) => Patch::Clear,
                (Some(Some(id)), None) => Patch::Set(CategoryRef::Id(*id)),
                (None, Some(slug)) => Patch::Set(CategoryRef::Slug(slug.clone())),
                (None, None) => Patch::Keep,
            };
            plan.classification.attributes = set.attributes.clone();
        }
        if let Some(p) = &self.price {
            plan.price = Some(match (&p.set, &p.adjust_percent) {
                (Some(_), Some(_)) | (None, None) => {
                    return Err(CoreError::invalid("payload.price", "give set or adjust_percent"));
                }
                (Some(v), None) => {
                    let d = decimal("payload.price.set", v)?;
                    if d.is_sign_negative() {
                        return Err(CoreError::invalid("payload.price.set", "must not be negative"));
                    }
                    PriceRule::Set(d)
                }
                (None, Some(v)) => {
                    let d = decimal("payload.price.adjust_percent", v)?;
                    if d <= -Decimal::ONE_HUNDRED || d > Decimal::from(1000) {
                        return Err(CoreError::invalid(
                            "payload.price.adjust_percent",
                            "must be above -100 and at most 1000",
                        ));
                    }
                    PriceRule::AdjustPercent(d)
                }
            });
        }
        if !plan.changes_products() && plan.price.is_none() {
            return Err(CoreError::invalid("payload", "a bulk update needs set or price"));
        }
        Ok(plan)
    }
}

impl BulkFilter {
    fn validate(&self) -> Result<ProductFilter, CoreError> {
        let category = match (&self.category_id, &self.category) {
            (Some(_), Some(_)) => {
                return Err(CoreError::invalid(
                    "payload.filter.category",
                    "give category or category_id, not both",
                ));
            }
            (Some(id), None) => Some(CategoryRef::Id(*id)),
            (None, Some(slug)) => Some(CategoryRef::Slug(slug.clone())),
            (None, None) => None,
        };
        let price = if self.price_min.is_some() || self.price_max.is_some() {
            let currency = Currency::parse(
                "payload.filter.currency",
                self.currency.as_deref().unwrap_or(DEFAULT_CURRENCY),
            )?;
            let minor = |field: &str, v: &Option<Value>| -> Result<Option<i64>, CoreError> {
                v.as_ref()
                    .map(|v| Money::from_decimal(field, decimal(field, v)?, currency).map(|m| m.minor))
                    .transpose()
            };
            Some(PriceRange {
                currency,
                min: minor("payload.filter.price_min", &self.price_min)?,
                max: minor("payload.filter.price_max", &self.price_max)?,
            })
        } else {
            None
        };
        Ok(ProductFilter {
            category,
            category_subtree: self.include_subcategories,
            brand_ids: self.brand_id.map(|b| vec![b]),
            statuses: self
                .status
                .as_deref()
                .map(|s| status("payload.filter.status", s).map(|s| vec![s]))
                .transpose()?,
            price,
            ..ProductFilter::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn req(v: Value) -> BulkRequest {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn selection_is_ids_or_filter() {
        assert!(req(json!({"set": {"status": "draft"}})).validate(false).is_err());
        let both = req(json!({"product_ids": [uuid::Uuid::nil()], "filter": {}, "set": {"status": "draft"}}));
        assert!(both.validate(false).is_err());
        let plan = req(json!({"filter": {}, "set": {"status": "DRAFT"}}))
            .validate(false)
            .unwrap();
        assert_eq!(plan.status, Some(ProductStatus::Draft));
        assert!(
            req(json!({"filter": {}})).validate(false).is_err(),
            "an update needs a change"
        );
        assert!(req(json!({"filter": {}})).validate(true).is_ok());
        assert!(req(json!({"filter": {}, "price": {"set": 1}})).validate(true).is_err());
    }

    #[test]
    fn bad_fields_are_named() {
        let e = req(json!({"filter": {"status": "gone"}})).validate(true).unwrap_err();
        assert_eq!(
            e.field().map(ToString::to_string).as_deref(),
            Some("payload.filter.status")
        );
        let e = req(json!({"filter": {}, "price": {"adjust_percent": "x"}}))
            .validate(false)
            .unwrap_err();
        assert_eq!(
            e.field().map(ToString::to_string).as_deref(),
            Some("payload.price.adjust_percent")
        );
        let e = req(json!({"filter": {"price_min": "1.234"}}))
            .validate(true)
            .unwrap_err();
        assert_eq!(
            e.field().map(ToString::to_string).as_deref(),
            Some("payload.filter.price_min")
        );
    }

    #[test]
    fn price_rules_round_to_the_minor_unit() {
        let usd = Currency::parse("c", "USD").unwrap();
        let m = |minor| Some(Money { minor, currency: usd });
        let up = PriceRule::AdjustPercent(Decimal::from(10));
        assert_eq!(up.apply(m(1999), usd).unwrap(), m(2199)); // 2198.9 -> 2199
        assert_eq!(up.apply(None, usd).unwrap(), None);
        let down = PriceRule::AdjustPercent(Decimal::from(-50));
        assert_eq!(down.apply(m(5), usd).unwrap(), m(3)); // 2.5 -> 3
        let set = PriceRule::Set(Decimal::from_str("9.999").unwrap());
        assert_eq!(set.apply(None, usd).unwrap(), m(1000));
    }

    #[test]
    fn null_clears_and_absent_keeps() {
        let plan = req(json!({"filter": {}, "set": {"brand_id": null}}))
            .validate(false)
            .unwrap();
        assert_eq!(plan.classification.brand_id, Patch::Clear);
        let back = serde_json::to_value(req(json!({"filter": {}, "set": {"brand_id": null}}))).unwrap();
        assert_eq!(
            back,
            json!({"filter": {"include_subcategories": false}, "set": {"brand_id": null}})
        );
    }
}
