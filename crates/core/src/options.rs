//! Variant options ("Size") and their ordered values ("S", "M", "L"), defined per organization.

use crate::CoreError;
use crate::error::codes;
use crate::ids::{OptionId, OptionValueId, OrganizationId, ProductId, VariantId};
use crate::validate::{no_duplicates, text};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// An option as a client creates it.
#[derive(Debug, Clone, Default)]
pub struct OptionInput {
    pub name: String,
    pub values: Vec<String>,
}

/// A checked option: a name and distinct, non-blank values in order.
#[derive(Debug, Clone)]
pub struct NewOption {
    pub name: String,
    pub values: Vec<String>,
}

impl OptionInput {
    /// Checks the name and the values.
    pub fn validate(self) -> Result<NewOption, CoreError> {
        Ok(NewOption {
            name: text("name", &self.name, 100)?,
            values: validate_values(&self.values)?,
        })
    }
}

/// An option made with a product and belonging to it alone, as Medusa's product options do:
/// its name need only differ from the product's other own options, it is not listed among the
/// organization's options, and it goes when the product does. The id is chosen by the caller,
/// so that the product's variants can name it in the same request.
#[derive(Debug, Clone)]
pub struct OwnOption {
    pub id: OptionId,
    pub input: OptionInput,
}

/// A change to an option: a new name, and/or the complete new list of values.
#[derive(Debug, Clone, Default)]
pub struct OptionPatch {
    pub name: Option<String>,
    pub values: Option<Vec<String>>,
}

impl OptionPatch {
    /// Checks the fields present.
    pub fn validate(self) -> Result<OptionPatch, CoreError> {
        Ok(OptionPatch {
            name: self.name.map(|n| text("name", &n, 100)).transpose()?,
            values: self.values.map(|v| validate_values(&v)).transpose()?,
        })
    }
}

fn validate_values(values: &[String]) -> Result<Vec<String>, CoreError> {
    if values.len() > 1000 {
        return Err(CoreError::invalid("values", "at most 1000 values"));
    }
    let values = values
        .iter()
        .enumerate()
        .map(|(i, v)| text(&format!("values[{i}]"), v, 255))
        .collect::<Result<Vec<_>, _>>()?;
    no_duplicates(
        &values,
        |v| Some(v.to_lowercase()),
        |i| CoreError::conflict(codes::DUPLICATE_NAME, format!("values[{i}]"), "Duplicate option value"),
    )?;
    Ok(values)
}

/// A stored option value.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionValue {
    pub id: OptionValueId,
    pub option_id: OptionId,
    /// The organization's number for it (see [`crate::numbers`]).
    pub number: i64,
    pub value: String,
    pub rank: i64,
}

/// A stored option with its values in order.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantOption {
    pub id: OptionId,
    pub organization_id: OrganizationId,
    /// The one product the option belongs to (see [`OwnOption`]); `None` for an option the
    /// organization shares among its products.
    pub product_id: Option<ProductId>,
    pub name: String,
    pub values: Vec<OptionValue>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Goes up with every change to the option or its values (see [`crate::version`]).
    pub version: crate::version::Version,
}

/// How a variant names the value it picks for one option.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionSelection {
    /// By the value's id.
    ById {
        option_id: OptionId,
        value_id: OptionValueId,
    },
    /// By the value's text, e.g. `{optionId, value: "M"}`.
    ByValue { option_id: OptionId, value: String },
}

impl OptionSelection {
    /// The option the selection is for.
    pub fn option_id(&self) -> OptionId {
        match self {
            OptionSelection::ById { option_id, .. } | OptionSelection::ByValue { option_id, .. } => *option_id,
        }
    }
}

/// Resolves a variant's selections against the options assigned to its product.
///
/// Rules: every selection names an assigned option, at most one value per option, the value
/// belongs to that option. Returns the value ids sorted by option id, the variant's combination.
pub fn resolve_selections(
    assigned: &[VariantOption],
    selections: &[OptionSelection],
) -> Result<Vec<(OptionId, OptionValueId)>, CoreError> {
    let by_id: HashMap<OptionId, &VariantOption> = assigned.iter().map(|o| (o.id, o)).collect();
    let mut out: Vec<(OptionId, OptionValueId)> = Vec::with_capacity(selections.len());
    for (i, sel) in selections.iter().enumerate() {
        let field = format!("options[{i}]");
        let option = by_id.get(&sel.option_id()).ok_or_else(|| {
            CoreError::invalid(format!("{field}.option_id"), "option is not assigned to this product")
        })?;
        if out.iter().any(|(o, _)| *o == option.id) {
            return Err(CoreError::invalid(field, "an option may be given only once"));
        }
        let value = match sel {
            OptionSelection::ById { value_id, .. } => option.values.iter().find(|v| v.id == *value_id),
            OptionSelection::ByValue { value, .. } => option
                .values
                .iter()
                .find(|v| v.value.eq_ignore_ascii_case(value.trim())),
        }
        .ok_or_else(|| {
            CoreError::invalid(
                format!("{field}.value_id"),
                format!("not a value of option '{}'", option.name),
            )
        })?;
        out.push((option.id, value.id));
    }
    out.sort();
    Ok(out)
}

/// A new variant that picks values names one of the product's combinations: a value for each
/// of its options (Medusa's rule). It may still pick none (see [`combination_key`]). Changing
/// an existing variant's picks may leave an option out: that is how a product stops using an
/// option its variants had values for.
pub fn ensure_complete(assigned: &[VariantOption], picked: &[(OptionId, OptionValueId)]) -> Result<(), CoreError> {
    let missing: Vec<&str> = assigned
        .iter()
        .filter(|o| !picked.iter().any(|(id, _)| *id == o.id))
        .map(|o| o.name.as_str())
        .collect();
    if picked.is_empty() || missing.is_empty() {
        return Ok(());
    }
    Err(CoreError::invalid(
        "options",
        format!(
            "the product has {} options and the variant picks a value for {}: no value for {}",
            assigned.len(),
            picked.len(),
            missing.join(", ")
        ),
    ))
}

/// The key that makes a variant's combination unique within its product. Picking nothing on a
/// product that has options is a combination too (the empty key), so only one variant can;
/// `None` (no uniqueness) only where the product has no options.
pub fn combination_key(values: &[(OptionId, OptionValueId)], product_has_options: bool) -> Option<String> {
    if values.is_empty() {
        return product_has_options.then(String::new);
    }
    let mut ids: Vec<String> = values.iter().map(|(_, v)| v.0.simple().to_string()).collect();
    ids.sort();
    Some(ids.join(","))
}

/// An option may leave a product (or lose a value) only while no variant uses it.
pub fn ensure_unused(variants_using: &[VariantId]) -> Result<(), CoreError> {
    if variants_using.is_empty() {
        Ok(())
    } else {
        Err(CoreError::Conflict {
            code: codes::OPTION_IN_USE,
            field: None,
            message: "Cannot remove: variants exist".into(),
        })
    }
}
