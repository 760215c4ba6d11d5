//! Per-organization numbers: besides its UUID, every product, category, attribute, option value
//! and vendor has a positive integer, unique within its organization and kind and never given
//! twice (not even after a delete), for the APIs whose ids are integers. Numbers grow with
//! creation but may skip: a refused or rolled-back create can leave a gap.

use crate::{CoreError, Entity};

/// What is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbered {
    Product,
    Category,
    Attribute,
    OptionValue,
    Vendor,
}

impl Numbered {
    /// The stored name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Numbered::Product => "product",
            Numbered::Category => "category",
            Numbered::Attribute => "attribute",
            Numbered::OptionValue => "option_value",
            Numbered::Vendor => "vendor",
        }
    }

    /// What a number of this kind that is not found is reported as.
    pub fn entity(self) -> Entity {
        match self {
            Numbered::Product => Entity::Product,
            Numbered::Category => Entity::Category,
            Numbered::Attribute => Entity::Attribute,
            Numbered::OptionValue => Entity::OptionValue,
            Numbered::Vendor => Entity::Vendor,
        }
    }
}

/// Reads a number a client sent as an id: a positive integer, with or without quotes.
pub fn parse_number(field: &str, raw: &str) -> Result<i64, CoreError> {
    match raw.trim().parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(CoreError::invalid(field, "must be a positive integer")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_positive_integers() {
        assert_eq!(parse_number("id", "12").ok(), Some(12));
        assert_eq!(parse_number("id", " 7 ").ok(), Some(7));
        for bad in ["0", "-3", "1.5", "", "x", "99999999999999999999"] {
            assert!(parse_number("id", bad).is_err(), "{bad}");
        }
    }
}
