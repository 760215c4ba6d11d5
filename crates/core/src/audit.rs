//! Audit events: who changed what, field by field, recorded in the same transaction as the change.

use crate::error::Entity;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};
use uuid::Uuid;

/// What happened to an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Archive,
    Delete,
    /// A product deleted for good, brought back within the retention window.
    Restore,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 5] = [
        Action::Create,
        Action::Update,
        Action::Archive,
        Action::Delete,
        Action::Restore,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Archive => "archive",
            Action::Delete => "delete",
            Action::Restore => "restore",
        }
    }
}

/// One change to record.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub entity: Entity,
    pub entity_id: Uuid,
    pub action: Action,
    /// What changed, field by field.
    pub fields: Fields,
}

/// The fields of a change: written `{field: {"before": …, "after": …}}` for each field that
/// changed.
#[derive(Debug, Clone, PartialEq)]
pub enum Fields {
    /// The changed fields, already in their written form.
    Diff(Value),
    /// A creation's snapshot: every non-null field goes from null to its value. Kept as the
    /// snapshot and written straight from it: an import creates thousands of entities a second,
    /// and building a before/after object for each of their fields was 5 % of its time.
    Created(Value),
}

impl Change {
    /// A creation: every field goes from null to its value.
    pub fn created(entity: Entity, entity_id: Uuid, after: Value) -> Self {
        Change {
            entity,
            entity_id,
            action: Action::Create,
            fields: Fields::Created(after),
        }
    }

    /// A restore: every field goes from null to its value, as in a creation.
    pub fn restored(entity: Entity, entity_id: Uuid, after: Value) -> Self {
        Change {
            entity,
            entity_id,
            action: Action::Restore,
            fields: Fields::Created(after),
        }
    }

    /// A deletion: every field goes from its value to null.
    pub fn deleted(entity: Entity, entity_id: Uuid, before: &Value) -> Self {
        Self::new(entity, entity_id, Action::Delete, before, &Value::Null)
    }

    /// A change between two snapshots.
    pub fn new(entity: Entity, entity_id: Uuid, action: Action, before: &Value, after: &Value) -> Self {
        Change {
            entity,
            entity_id,
            action,
            fields: Fields::Diff(diff(before, after)),
        }
    }

    /// Whether nothing changed (an update that set every field to its current value).
    pub fn is_empty(&self) -> bool {
        match &self.fields {
            Fields::Diff(d) => d.as_object().is_none_or(Map::is_empty),
            Fields::Created(after) => after.as_object().is_none_or(|m| m.values().all(Value::is_null)),
        }
    }
}

impl Fields {
    /// The written form as a JSON value.
    pub fn to_value(&self) -> Value {
        match self {
            Fields::Diff(d) => d.clone(),
            Fields::Created(after) => diff(&Value::Null, after),
        }
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Fields::Diff(d) => d.serialize(s),
            Fields::Created(after) => {
                let fields = after.as_object().into_iter().flatten().filter(|(_, v)| !v.is_null());
                let mut map = s.serialize_map(None)?;
                for (key, value) in fields {
                    map.serialize_entry(key, &CreatedField(value))?;
                }
                map.end()
            }
        }
    }
}

/// `{"after": value, "before": null}`, keys in the order a JSON object of them is written.
struct CreatedField<'a>(&'a Value);

impl Serialize for CreatedField<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("after", self.0)?;
        map.serialize_entry("before", &Value::Null)?;
        map.end()
    }
}

/// The fields that differ between two JSON objects (`null` stands for "no object").
pub fn diff(before: &Value, after: &Value) -> Value {
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut out = Map::new();
    for key in b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))) {
        let bv = b.get(key).unwrap_or(&Value::Null);
        let av = a.get(key).unwrap_or(&Value::Null);
        if bv != av {
            out.insert(key.clone(), pair(bv.clone(), av.clone()));
        }
    }
    Value::Object(out)
}

/// `{"before": …, "after": …}`.
fn pair(before: Value, after: Value) -> Value {
    let mut m = Map::new();
    m.insert("before".into(), before);
    m.insert("after".into(), after);
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_lists_changed_fields_only() {
        let d = diff(&json!({"a": 1, "b": 2}), &json!({"a": 1, "b": 3, "c": null}));
        assert_eq!(d, json!({"b": {"before": 2, "after": 3}}));
        let c = Change::created(Entity::Product, Uuid::nil(), json!({"name": "x", "url": null}));
        assert_eq!(c.fields.to_value(), json!({"name": {"before": null, "after": "x"}}));
        assert!(!c.is_empty());
        assert!(Change::created(Entity::Product, Uuid::nil(), json!({"url": null})).is_empty());
        assert!(
            Change::new(
                Entity::Product,
                Uuid::nil(),
                Action::Update,
                &json!({"a":1}),
                &json!({"a":1})
            )
            .is_empty()
        );
    }

    /// A creation is written straight from its snapshot, exactly as the diff from null is.
    #[test]
    fn creations_are_written_as_their_diff_from_null() {
        let after = json!({"name": "x \"q\" ✓", "url": null, "tags": ["a", null], "n": 0, "m": {"k": null}});
        let created = Change::created(Entity::Product, Uuid::nil(), after.clone());
        let written = serde_json::to_string(&created.fields).unwrap();
        assert_eq!(written, serde_json::to_string(&diff(&Value::Null, &after)).unwrap());
        assert_eq!(
            serde_json::from_str::<Value>(&written).unwrap(),
            created.fields.to_value()
        );
        let changed = Change::new(
            Entity::Product,
            Uuid::nil(),
            Action::Update,
            &json!({"a": 1}),
            &json!({"a": 2}),
        );
        assert_eq!(
            serde_json::to_string(&changed.fields).unwrap(),
            r#"{"a":{"after":2,"before":1}}"#
        );
    }
}

/// A recorded audit event.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub id: crate::ids::AuditEventId,
    /// Increases with every event; orders the organization's change feed.
    pub seq: i64,
    pub actor: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Uuid,
    pub changes: Value,
    pub request_id: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}
