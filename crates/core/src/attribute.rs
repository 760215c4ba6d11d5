//! Typed product attributes, their groups, and product type templates; and the check of a
//! product's attribute values against their definitions.

use crate::handle::{parse_handle, slugify};
use crate::ids::{AttributeGroupId, AttributeId, OrganizationId, TemplateId};
use crate::patch::Patch;
use crate::validate::{long_text, no_duplicates, text};
use crate::{CoreError, FieldPath};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// The most allowed values a SELECT attribute may have.
pub const MAX_SELECT_OPTIONS: usize = 1000;
/// The longest TEXT attribute value.
pub const MAX_TEXT_VALUE: usize = 10_000;
/// The most attributes a template may name.
pub const MAX_TEMPLATE_ATTRIBUTES: usize = 500;

/// The data type of an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AttributeType {
    #[default]
    Text,
    Number,
    Boolean,
    Select,
}

impl AttributeType {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeType::Text => "TEXT",
            AttributeType::Number => "NUMBER",
            AttributeType::Boolean => "BOOLEAN",
            AttributeType::Select => "SELECT",
        }
    }

    /// Reads a name, case-insensitively.
    pub fn parse(field: &str, s: &str) -> Result<Self, CoreError> {
        Ok(match s.trim().to_ascii_uppercase().as_str() {
            "TEXT" => AttributeType::Text,
            "NUMBER" => AttributeType::Number,
            "BOOLEAN" => AttributeType::Boolean,
            "SELECT" => AttributeType::Select,
            _ => {
                return Err(CoreError::invalid(
                    field,
                    format!("'{s}' is not one of TEXT, NUMBER, BOOLEAN, SELECT"),
                ));
            }
        })
    }
}

/// An attribute definition as a client gives it.
#[derive(Debug, Clone, Default)]
pub struct AttributeInput {
    pub name: String,
    /// URL-safe and unique in the organization; derived from the name when absent.
    pub key: Option<String>,
    pub attr_type: AttributeType,
    /// The allowed values of a SELECT attribute.
    pub options: Vec<String>,
    pub group_id: Option<AttributeGroupId>,
}

impl AttributeInput {
    /// Checks every field; a SELECT needs at least one allowed value, other types none.
    pub fn validate(self) -> Result<AttributeInput, CoreError> {
        let name = text("name", &self.name, 255)?;
        let key = match self.key.as_deref().map(str::trim) {
            Some(k) => parse_handle("key", k)?,
            None => parse_handle("key", &slugify(&name))?,
        };
        Ok(AttributeInput {
            name,
            key: Some(key),
            options: check_options(self.attr_type, self.options)?,
            attr_type: self.attr_type,
            group_id: self.group_id,
        })
    }
}

fn check_options(attr_type: AttributeType, options: Vec<String>) -> Result<Vec<String>, CoreError> {
    if attr_type != AttributeType::Select {
        if options.is_empty() {
            return Ok(options);
        }
        return Err(CoreError::invalid("options", "only a SELECT attribute has options"));
    }
    if options.is_empty() {
        return Err(CoreError::invalid(
            "options",
            "a SELECT attribute needs at least one option",
        ));
    }
    if options.len() > MAX_SELECT_OPTIONS {
        return Err(CoreError::invalid(
            "options",
            format!("at most {MAX_SELECT_OPTIONS} options"),
        ));
    }
    let options = options
        .iter()
        .enumerate()
        .map(|(i, o)| text(&format!("options[{i}]"), o, 255))
        .collect::<Result<Vec<_>, _>>()?;
    no_duplicates(
        &options,
        |o| Some(o.to_lowercase()),
        |i| CoreError::invalid(format!("options[{i}]"), "listed twice"),
    )?;
    Ok(options)
}

/// A partial update of an attribute. Its key and type are fixed once created, so stored values
/// never change meaning.
#[derive(Debug, Clone, Default)]
pub struct AttributePatch {
    pub name: Option<String>,
    pub options: Option<Vec<String>>,
    pub group_id: Patch<AttributeGroupId>,
}

/// A stored attribute definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub id: AttributeId,
    pub organization_id: OrganizationId,
    /// The organization's number for it (see [`crate::numbers`]).
    pub number: i64,
    pub key: String,
    pub name: String,
    pub attr_type: AttributeType,
    pub options: Vec<String>,
    pub group_id: Option<AttributeGroupId>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Every API's own fields of the attribute (see [`crate::extension`]).
    pub extensions: crate::extension::Extensions,
    /// Goes up with every change to the attribute (see [`crate::version`]).
    pub version: crate::version::Version,
}

/// What becomes of the products' values of the options an update takes away from a SELECT
/// attribute.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum RemovedOptions {
    /// They stay on the products; the validation report lists them.
    #[default]
    Stay,
    /// They are removed from the products, except those of an option renamed (`(old, new)`,
    /// the new name one of the new options), whose products take the new name.
    Clear { renamed: Vec<(String, String)> },
}

/// What becomes of the products' values of an attribute that is deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DeletedValues {
    /// They stay on the products; the validation report lists them (the PIM's rule).
    #[default]
    Stay,
    /// They are removed from the products in the same transaction (CS-Cart's rule).
    Clear,
}

impl Attribute {
    /// The audited fields, as JSON.
    pub fn snapshot(&self) -> Value {
        json!({
            "name": self.name,
            "key": self.key,
            "type": self.attr_type.as_str(),
            "options": self.options,
            "group_id": self.group_id,
        })
    }

    /// Applies a checked patch.
    pub fn patched(&self, patch: AttributePatch) -> Result<Attribute, CoreError> {
        let mut after = self.clone();
        if let Some(name) = patch.name {
            after.name = text("name", &name, 255)?;
        }
        if let Some(options) = patch.options {
            after.options = check_options(self.attr_type, options)?;
        }
        after.group_id = patch.group_id.apply(after.group_id);
        Ok(after)
    }

    /// Checks one value for this attribute, returning it in its stored form (a SELECT value in
    /// the spelling of its option). The error names `attributes.<key>`.
    pub fn check_value(&self, value: &Value) -> Result<Value, CoreError> {
        let field = FieldPath::name("attributes").key(self.key.as_str());
        match (self.attr_type, value) {
            (AttributeType::Text, Value::String(s)) => {
                if s.chars().count() > MAX_TEXT_VALUE {
                    return Err(CoreError::invalid(
                        field,
                        format!("must be at most {MAX_TEXT_VALUE} characters"),
                    ));
                }
                Ok(value.clone())
            }
            (AttributeType::Number, Value::Number(_)) => Ok(value.clone()),
            (AttributeType::Boolean, Value::Bool(_)) => Ok(value.clone()),
            (AttributeType::Select, Value::String(s)) => self
                .options
                .iter()
                .find(|o| o.eq_ignore_ascii_case(s.trim()))
                .map(|o| Value::String(o.clone()))
                .ok_or_else(|| CoreError::invalid(field, format!("'{s}' is not one of the options of {}", self.key))),
            (t, _) => Err(CoreError::invalid(
                field,
                match t {
                    AttributeType::Text => "must be a string (TEXT)".to_owned(),
                    AttributeType::Number => "must be a number (NUMBER)".to_owned(),
                    AttributeType::Boolean => "must be true or false (BOOLEAN)".to_owned(),
                    AttributeType::Select => "must be one of the attribute's options (SELECT)".to_owned(),
                },
            )),
        }
    }
}

/// Applies attribute changes to a product's values: each key must name an attribute of the
/// organization, each value fit its type; `null` removes the key.
pub fn apply_values(
    defs: &HashMap<String, Attribute>,
    current: Option<Map<String, Value>>,
    changes: Map<String, Value>,
) -> Result<Option<Map<String, Value>>, CoreError> {
    let mut values = current.unwrap_or_default();
    for (key, value) in changes {
        let Some(def) = defs.get(&key) else {
            return Err(CoreError::invalid(
                FieldPath::name("attributes").key(key.as_str()),
                "is not an attribute of this organization",
            ));
        };
        if value.is_null() {
            values.remove(&key);
        } else {
            values.insert(key, def.check_value(&value)?);
        }
    }
    Ok((!values.is_empty()).then_some(values))
}

/// What becomes of the products' values of the options an update took away (`before` →
/// `after`) when they are cleared ([`RemovedOptions::Clear`]): each removed option with the
/// option its values become (the one it was renamed to, the one spelled the same but for
/// case) or none (the values go).
pub fn value_changes(
    before: &Attribute,
    after: &Attribute,
    renamed: &[(String, String)],
) -> Result<Vec<(String, Option<String>)>, CoreError> {
    let mut out = Vec::new();
    for old in &before.options {
        if after.options.contains(old) {
            continue;
        }
        let to = renamed
            .iter()
            .find(|(o, _)| o == old)
            .map(|(_, n)| n)
            .or_else(|| after.options.iter().find(|n| n.eq_ignore_ascii_case(old)));
        let to = match to {
            Some(n) => Some(
                after
                    .options
                    .iter()
                    .find(|o| o.eq_ignore_ascii_case(n))
                    .cloned()
                    .ok_or_else(|| CoreError::invalid("options", format!("'{n}' is not one of the new options")))?,
            ),
            None => None,
        };
        out.push((old.clone(), to));
    }
    Ok(out)
}

/// An attribute group as a client gives it.
#[derive(Debug, Clone, Default)]
pub struct AttributeGroupInput {
    pub name: String,
    pub description: Option<String>,
    /// Attributes to move into this group.
    pub attribute_ids: Vec<AttributeId>,
}

impl AttributeGroupInput {
    /// Checks every field.
    pub fn validate(self) -> Result<AttributeGroupInput, CoreError> {
        no_duplicates(
            &self.attribute_ids,
            |id| Some(*id),
            |i| CoreError::invalid(format!("attribute_ids[{i}]"), "listed twice"),
        )?;
        Ok(AttributeGroupInput {
            name: text("name", &self.name, 255)?,
            description: long_text("description", self.description, 10_000)?,
            attribute_ids: self.attribute_ids,
        })
    }
}

/// A stored attribute group, with the ids of its attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeGroup {
    pub id: AttributeGroupId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub description: Option<String>,
    pub rank: i64,
    pub attribute_ids: Vec<AttributeId>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Goes up with every change to the group (see [`crate::version`]).
    pub version: crate::version::Version,
}

impl AttributeGroup {
    /// The audited fields, as JSON.
    pub fn snapshot(&self) -> Value {
        json!({"name": self.name, "description": self.description, "attribute_ids": self.attribute_ids})
    }
}

/// One attribute a template names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateAttributeInput {
    pub attribute_id: AttributeId,
    pub required: bool,
}

/// A product type template as a client gives it.
#[derive(Debug, Clone, Default)]
pub struct TemplateInput {
    pub name: String,
    pub description: Option<String>,
    pub attributes: Vec<TemplateAttributeInput>,
}

impl TemplateInput {
    /// Checks every field.
    pub fn validate(self) -> Result<TemplateInput, CoreError> {
        if self.attributes.len() > MAX_TEMPLATE_ATTRIBUTES {
            return Err(CoreError::invalid(
                "attributes",
                format!("at most {MAX_TEMPLATE_ATTRIBUTES} attributes"),
            ));
        }
        no_duplicates(
            &self.attributes,
            |a| Some(a.attribute_id),
            |i| CoreError::invalid(format!("attributes[{i}]"), "listed twice"),
        )?;
        Ok(TemplateInput {
            name: text("name", &self.name, 255)?,
            description: long_text("description", self.description, 10_000)?,
            attributes: self.attributes,
        })
    }
}

/// An attribute of a template, with its definition.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateAttribute {
    pub attribute: Attribute,
    pub required: bool,
}

/// A stored template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub id: TemplateId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub description: Option<String>,
    pub attributes: Vec<TemplateAttribute>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Goes up with every change to the template or its attribute list (see [`crate::version`]).
    pub version: crate::version::Version,
}

impl Template {
    /// The audited fields, as JSON.
    pub fn snapshot(&self) -> Value {
        json!({
            "name": self.name,
            "description": self.description,
            "attributes": self.attributes.iter()
                .map(|a| json!({"attribute_id": a.attribute.id, "required": a.required}))
                .collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn def(key: &str, t: AttributeType, options: &[&str]) -> Attribute {
        Attribute {
            id: AttributeId(Uuid::now_v7()),
            organization_id: OrganizationId(Uuid::nil()),
            number: 1,
            key: key.into(),
            name: key.into(),
            attr_type: t,
            options: options.iter().map(|s| s.to_string()).collect(),
            group_id: None,
            created_at: Utc::now(),
            created_by: String::new(),
            updated_at: Utc::now(),
            updated_by: String::new(),
            extensions: Default::default(),
            version: crate::version::Version(1),
        }
    }

    #[test]
    fn removed_options_are_renamed_or_go() {
        let before = def("colour", AttributeType::Select, &["Red", "Green", "blue"]);
        let after = def("colour", AttributeType::Select, &["Crimson", "Blue"]);
        let renamed = vec![("Red".to_owned(), "crimson".to_owned())];
        assert_eq!(
            value_changes(&before, &after, &renamed).ok(),
            Some(vec![
                ("Red".to_owned(), Some("Crimson".to_owned())),
                ("Green".to_owned(), None),
                ("blue".to_owned(), Some("Blue".to_owned())),
            ])
        );
        let wrong = vec![("Red".to_owned(), "Purple".to_owned())];
        assert!(value_changes(&before, &after, &wrong).is_err());
    }

    #[test]
    fn values_are_checked_against_their_type() {
        let defs: HashMap<String, Attribute> = [
            def("weight", AttributeType::Number, &[]),
            def("color", AttributeType::Select, &["Red", "Blue"]),
            def("organic", AttributeType::Boolean, &[]),
            def("care", AttributeType::Text, &[]),
        ]
        .into_iter()
        .map(|d| (d.key.clone(), d))
        .collect();
        let ok = apply_values(
            &defs,
            None,
            json!({"weight": 1.5, "color": "red", "organic": true, "care": "Wash cold"})
                .as_object()
                .unwrap()
                .clone(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(ok["color"], json!("Red"));
        for (bad, field) in [
            (json!({"weight": "heavy"}), "attributes.weight"),
            (json!({"color": "Green"}), "attributes.color"),
            (json!({"organic": "yes"}), "attributes.organic"),
            (json!({"care": 3}), "attributes.care"),
            (json!({"nope": 1}), "attributes.nope"),
        ] {
            let err = apply_values(&defs, None, bad.as_object().unwrap().clone()).unwrap_err();
            assert_eq!(err.field().map(ToString::to_string).as_deref(), Some(field));
        }
        let removed = apply_values(&defs, Some(ok), json!({"weight": null}).as_object().unwrap().clone())
            .unwrap()
            .unwrap();
        assert!(!removed.contains_key("weight"));
    }

    #[test]
    fn select_attributes_need_options_and_others_none() {
        let select = AttributeInput {
            name: "Color".into(),
            key: Some("color".into()),
            attr_type: AttributeType::Select,
            ..Default::default()
        };
        assert_eq!(
            select
                .validate()
                .unwrap_err()
                .field()
                .map(ToString::to_string)
                .as_deref(),
            Some("options")
        );
        let text_with_options = AttributeInput {
            name: "Care".into(),
            key: Some("care".into()),
            options: vec!["x".into()],
            ..Default::default()
        };
        assert_eq!(
            text_with_options
                .validate()
                .unwrap_err()
                .field()
                .map(ToString::to_string)
                .as_deref(),
            Some("options")
        );
        let dup = AttributeInput {
            name: "Color".into(),
            key: Some("color".into()),
            attr_type: AttributeType::Select,
            options: vec!["Red".into(), "red".into()],
            ..Default::default()
        };
        assert_eq!(
            dup.validate().unwrap_err().field().map(ToString::to_string).as_deref(),
            Some("options[1]")
        );
    }
}
