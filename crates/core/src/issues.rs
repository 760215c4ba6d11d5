//! Catalog validation issues: problems computed from a product as it is stored now, so a
//! report is never stale. Writes refuse what is invalid outright; these are the gaps a catalog
//! may still have (a required attribute not filled in yet, a legacy barcode, no image).

use crate::FieldPath;
use crate::attribute::{Attribute, Template};
use crate::ids::{ProductId, TemplateId, VariantId};
use crate::variant::{MAX_SKU_LEN, gtin_check_digit_ok};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// What the checks read of a product: little, so a report can walk a large catalog.
#[derive(Debug, Clone)]
pub struct ProductFacts {
    pub id: ProductId,
    pub template_id: Option<TemplateId>,
    pub attributes: Option<Map<String, Value>>,
    pub has_media: bool,
    /// In rank order.
    pub variants: Vec<VariantFacts>,
}

/// What the checks read of a variant.
#[derive(Debug, Clone)]
pub struct VariantFacts {
    pub id: VariantId,
    pub sku: Option<String>,
    pub barcode: Option<String>,
    pub has_price: bool,
}

/// What kind of problem an issue is. The names are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IssueCode {
    MissingRequiredAttribute,
    InvalidAttributeValue,
    InvalidSku,
    InvalidBarcode,
    InvalidBarcodeCheckDigit,
    DuplicateBarcode,
    MissingPrice,
    MissingMedia,
}

impl IssueCode {
    /// Every code, in report order.
    pub const ALL: [IssueCode; 8] = [
        IssueCode::MissingRequiredAttribute,
        IssueCode::InvalidAttributeValue,
        IssueCode::InvalidSku,
        IssueCode::InvalidBarcode,
        IssueCode::InvalidBarcodeCheckDigit,
        IssueCode::DuplicateBarcode,
        IssueCode::MissingPrice,
        IssueCode::MissingMedia,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::MissingRequiredAttribute => "MISSING_REQUIRED_ATTRIBUTE",
            IssueCode::InvalidAttributeValue => "INVALID_ATTRIBUTE_VALUE",
            IssueCode::InvalidSku => "INVALID_SKU",
            IssueCode::InvalidBarcode => "INVALID_BARCODE",
            IssueCode::InvalidBarcodeCheckDigit => "INVALID_BARCODE_CHECK_DIGIT",
            IssueCode::DuplicateBarcode => "DUPLICATE_BARCODE",
            IssueCode::MissingPrice => "MISSING_PRICE",
            IssueCode::MissingMedia => "MISSING_MEDIA",
        }
    }

    /// Reads a wire name, case-insensitively.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// One problem with one product (and maybe one of its variants).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub product_id: ProductId,
    pub variant_id: Option<VariantId>,
    pub code: IssueCode,
    /// The field at fault (`attributes.color`, `variants[2].barcode`).
    pub field: FieldPath,
    pub message: String,
}

/// What the checks need to know beyond the product itself.
#[derive(Debug, Default)]
pub struct IssueContext {
    /// The organization's attributes by key.
    pub attributes: HashMap<String, Attribute>,
    /// The organization's templates by id.
    pub templates: HashMap<TemplateId, Template>,
    /// Barcodes carried by more than one variant of the organization.
    pub duplicate_barcodes: HashSet<String>,
}

/// The issues of one product, in a stable order: product-level first, then by variant rank.
pub fn product_issues(p: &ProductFacts, ctx: &IssueContext) -> Vec<Issue> {
    let mut out = Vec::new();
    let mut push = |variant_id: Option<VariantId>, code: IssueCode, field: FieldPath, message: String| {
        out.push(Issue {
            product_id: p.id,
            variant_id,
            code,
            field,
            message,
        });
    };
    if let Some(template) = p.template_id.and_then(|t| ctx.templates.get(&t)) {
        for ta in template.attributes.iter().filter(|a| a.required) {
            let key = &ta.attribute.key;
            let filled = p
                .attributes
                .as_ref()
                .and_then(|a| a.get(key))
                .is_some_and(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()));
            if !filled {
                push(
                    None,
                    IssueCode::MissingRequiredAttribute,
                    FieldPath::name("attributes").key(key.as_str()),
                    format!("Template '{}' requires the attribute '{key}'", template.name),
                );
            }
        }
    }
    if let Some(values) = &p.attributes {
        for (key, value) in values {
            let problem = match ctx.attributes.get(key) {
                None => Some(format!("'{key}' is no longer an attribute of this organization")),
                Some(def) => def.check_value(value).err().map(|e| e.message()),
            };
            if let Some(message) = problem {
                push(
                    None,
                    IssueCode::InvalidAttributeValue,
                    FieldPath::name("attributes").key(key.as_str()),
                    message,
                );
            }
        }
    }
    if !p.has_media {
        push(
            None,
            IssueCode::MissingMedia,
            "media".into(),
            "The product has no media".into(),
        );
    }
    for (i, v) in p.variants.iter().enumerate() {
        if let Some(sku) = &v.sku
            && let Some(problem) = sku_problem(sku)
        {
            push(
                Some(v.id),
                IssueCode::InvalidSku,
                FieldPath::name("variants").index(i).field("sku"),
                problem.into(),
            );
        }
        if let Some(code) = &v.barcode {
            let well_formed = matches!(code.len(), 8 | 12 | 13 | 14) && code.bytes().all(|b| b.is_ascii_digit());
            if !well_formed {
                push(
                    Some(v.id),
                    IssueCode::InvalidBarcode,
                    FieldPath::name("variants").index(i).field("barcode"),
                    format!("'{code}' is not a GTIN of 8, 12, 13 or 14 digits"),
                );
            } else if !gtin_check_digit_ok(code) {
                push(
                    Some(v.id),
                    IssueCode::InvalidBarcodeCheckDigit,
                    FieldPath::name("variants").index(i).field("barcode"),
                    format!("'{code}' has a wrong check digit"),
                );
            }
            if ctx.duplicate_barcodes.contains(code) {
                push(
                    Some(v.id),
                    IssueCode::DuplicateBarcode,
                    FieldPath::name("variants").index(i).field("barcode"),
                    format!("Another variant has the barcode '{code}'"),
                );
            }
        }
        if !v.has_price {
            push(
                Some(v.id),
                IssueCode::MissingPrice,
                FieldPath::name("variants").index(i).field("price"),
                "The variant has no price".into(),
            );
        }
    }
    out
}

/// Why a stored SKU is unusable, if it is.
fn sku_problem(sku: &str) -> Option<&'static str> {
    if sku.trim().is_empty() {
        Some("The SKU is empty")
    } else if sku.trim() != sku {
        Some("The SKU starts or ends with whitespace")
    } else if sku.chars().count() > MAX_SKU_LEN {
        Some("The SKU is longer than 64 characters")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus_with_whitespace_or_overlong_are_flagged() {
        assert_eq!(sku_problem("TEE-S"), None);
        assert!(sku_problem("   ").is_some());
        assert!(sku_problem(" TEE").is_some());
        assert!(sku_problem(&"x".repeat(65)).is_some());
    }

    #[test]
    fn codes_round_trip() {
        for c in IssueCode::ALL {
            assert_eq!(IssueCode::parse(c.as_str()), Some(c));
        }
        assert_eq!(IssueCode::parse("missing_media"), Some(IssueCode::MissingMedia));
    }
}
