//! Audit events: who changed what, field by field, recorded in the same transaction as the change.

use crate::error::Entity;
use serde_json::{Map, Value};
use uuid::Uuid;

/// What happened to an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Archive,
    Delete,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 4] = [Action::Create, Action::Update, Action::Archive, Action::Delete];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Archive => "archive",
            Action::Delete => "delete",
        }
    }
}

/// One change to record.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub entity: Entity,
    pub entity_id: Uuid,
    pub action: Action,
    /// `{field: {"before": …, "after": …}}` for each field that changed.
    pub fields: Value,
}

impl Change {
    /// A creation: every field goes from null to its value. Takes the snapshot by value: an
    /// import creates thousands of entities a second, and moving their values saves a copy.
    pub fn created(entity: Entity, entity_id: Uuid, after: Value) -> Self {
        let fields = match after {
            Value::Object(m) => m
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, pair(Value::Null, v)))
                .collect(),
            _ => Map::new(),
        };
        Change {
            entity,
            entity_id,
            action: Action::Create,
            fields: Value::Object(fields),
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
            fields: diff(before, after),
        }
    }

    /// Whether nothing changed (an update that set every field to its current value).
    pub fn is_empty(&self) -> bool {
        self.fields.as_object().is_none_or(Map::is_empty)
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
        assert_eq!(c.fields, json!({"name": {"before": null, "after": "x"}}));
        let after = json!({"name": "x", "url": null, "tags": ["a"], "n": 0});
        assert_eq!(
            Change::created(Entity::Product, Uuid::nil(), after.clone()).fields,
            diff(&Value::Null, &after)
        );
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
