//! Medusa's `fields` query parameter: which fields and relations a read returns.
//!
//! Comma-separated entries. `+name` adds to the endpoint's defaults, `-name` takes away from
//! them, and bare names replace the defaults (`id` is always returned). A dotted name reaches
//! into a relation (`variants.sku`, `options.values`), and `*relation` (or a bare relation
//! name) takes the relation with all its fields. Products and variants are written with only
//! what the selection picks ([`Pick`]); other objects are built whole and then cut down to it
//! ([`Selection::apply`]). Both follow the same rule.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A tree of selected fields; a node that is `all` keeps every field of its object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    all: bool,
    fields: BTreeMap<String, Selection>,
}

impl Selection {
    /// A selection from a default list, written as the `fields` parameter is.
    pub fn defaults(list: &[&str]) -> Self {
        let mut s = Selection::default();
        for entry in list {
            s.add(entry);
        }
        s
    }

    /// The selection `raw` (a `fields` parameter) makes from the endpoint's defaults.
    pub fn parse(raw: Option<&str>, defaults: &Selection) -> Selection {
        let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
            return defaults.clone();
        };
        // A `+` the client did not encode arrives as a space, and means the same.
        let entries: Vec<String> = raw
            .split(',')
            .filter(|e| !e.trim().is_empty())
            .map(|e| match e.strip_prefix(' ') {
                Some(rest) => format!("+{}", rest.trim()),
                None => e.trim().to_owned(),
            })
            .collect();
        let replaces = entries
            .iter()
            .any(|e| !e.starts_with(['+', '-', '*']) && !e.ends_with(".*"));
        let mut s = if replaces {
            Selection::default()
        } else {
            defaults.clone()
        };
        for entry in &entries {
            let entry = entry.as_str();
            if let Some(name) = entry.strip_prefix('-') {
                s.remove(name);
            } else {
                s.add(entry.strip_prefix('+').unwrap_or(entry));
            }
        }
        s.fields.entry("id".to_owned()).or_default();
        s
    }

    /// Adds `a.b.c` (a field), `*a.b` or `a.*` (a relation whole).
    fn add(&mut self, path: &str) {
        let (whole, path) = match path.strip_prefix('*') {
            Some(p) => (true, p),
            None => (false, path),
        };
        let mut node = self;
        let parts: Vec<&str> = path.split('.').filter(|p| !p.is_empty()).collect();
        for (i, part) in parts.iter().enumerate() {
            if *part == "*" {
                node.all = true;
                return;
            }
            node = node.fields.entry((*part).to_owned()).or_default();
            if i + 1 < parts.len() {
                // Medusa always returns a variant's id (it links prices by it) and a price's id,
                // variant and rules (it rebuilds prices); other relations reached through show
                // only the fields named.
                let always: &[&str] = match *part {
                    "variants" => &["id"],
                    "prices" => &["id", "variant_id", "rules"],
                    _ => &[],
                };
                for f in always {
                    node.fields.entry((*f).to_owned()).or_default();
                }
            }
        }
        if whole {
            node.all = true;
        }
    }

    fn remove(&mut self, path: &str) {
        let path = path.trim_start_matches('*');
        let parts: Vec<&str> = path.split('.').filter(|p| !p.is_empty()).collect();
        let Some((last, through)) = parts.split_last() else {
            return;
        };
        let mut node = self;
        for part in through {
            match node.fields.get_mut(*part) {
                Some(n) => node = n,
                None => return,
            }
        }
        node.fields.remove(*last);
    }

    /// Whether the selection reaches `name` (a relation worth loading).
    pub fn wants(&self, name: &str) -> bool {
        self.all || self.fields.contains_key(name)
    }

    /// Cuts a built object down to the selection. A selected relation with nothing named inside
    /// it (`fields=variants`) keeps every field of its objects; a selected name the object does
    /// not have is left out.
    pub fn apply(&self, mut value: Value) -> Value {
        self.apply_in_place(&mut value);
        value
    }

    /// Prunes in place: the kept entries are neither moved nor inserted again.
    fn apply_in_place(&self, value: &mut Value) {
        match value {
            Value::Object(map) => self.apply_object(map),
            Value::Array(items) => items.iter_mut().for_each(|v| self.apply_in_place(v)),
            _ => {}
        }
    }

    fn apply_object(&self, map: &mut Map<String, Value>) {
        if self.all && self.fields.is_empty() {
            return;
        }
        if !self.all {
            map.retain(|k, _| self.fields.contains_key(k));
        }
        for (name, sub) in &self.fields {
            if (!sub.fields.is_empty() || sub.all)
                && let Some(v) = map.get_mut(name)
            {
                sub.apply_in_place(v);
            }
        }
    }
}

/// What to write of one object: all of it, or the fields a selection names.
#[derive(Debug, Clone, Copy)]
pub enum Pick<'a> {
    Whole,
    Part(&'a Selection),
}

impl<'a> Pick<'a> {
    /// The pick of a selection's top object.
    pub fn of(sel: &'a Selection) -> Self {
        if sel.all && sel.fields.is_empty() {
            Pick::Whole
        } else {
            Pick::Part(sel)
        }
    }

    /// Whether `name` is written.
    pub fn has(self, name: &str) -> bool {
        match self {
            Pick::Whole => true,
            Pick::Part(s) => s.all || s.fields.contains_key(name),
        }
    }

    /// The pick inside `name` when it is written, as [`Selection::apply`] cuts it: a relation
    /// named with nothing inside it is written whole.
    pub fn field(self, name: &str) -> Option<Pick<'a>> {
        match self {
            Pick::Whole => Some(Pick::Whole),
            Pick::Part(s) => match s.fields.get(name) {
                Some(sub) if !sub.fields.is_empty() => Some(Pick::Part(sub)),
                Some(_) => Some(Pick::Whole),
                None if s.all => Some(Pick::Whole),
                None => None,
            },
        }
    }
}

/// A JSON value written through a [`Pick`], field by field, as the typed writers of products
/// and variants write: the property test and the fuzz target hold it equal to what
/// [`Selection::apply`] cuts from the same value.
pub struct Picked<'a>(pub &'a Value, pub Pick<'a>);

impl serde::Serialize for Picked<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            Value::Object(map) => {
                let mut m = s.serialize_map(None)?;
                for (k, v) in map {
                    if let Some(sub) = self.1.field(k) {
                        m.serialize_entry(k, &Picked(v, sub))?;
                    }
                }
                m.end()
            }
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items {
                    seq.serialize_element(&Picked(v, self.1))?;
                }
                seq.end()
            }
            other => other.serialize(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn product() -> Value {
        json!({
            "id": "prod_1", "title": "Shirt", "handle": "shirt", "metadata": {"a": 1},
            "variants": [{"id": "variant_1", "sku": "S-1", "title": "S", "prices": [{"id": "p", "amount": 10}]}],
            "categories": [{"id": "pcat_1", "name": "Shirts", "handle": "shirts"}],
        })
    }

    fn defaults() -> Selection {
        Selection::defaults(&["id", "title", "handle", "*variants", "*variants.prices"])
    }

    #[test]
    fn no_fields_gives_the_defaults() {
        let got = Selection::parse(None, &defaults()).apply(product());
        assert_eq!(
            got,
            json!({"id": "prod_1", "title": "Shirt", "handle": "shirt",
                "variants": [{"id": "variant_1", "sku": "S-1", "title": "S", "prices": [{"id": "p", "amount": 10}]}]})
        );
    }

    #[test]
    fn plus_adds_and_minus_takes_away() {
        let got = Selection::parse(Some("+metadata,-variants,+*categories"), &defaults()).apply(product());
        assert_eq!(
            got,
            json!({"id": "prod_1", "title": "Shirt", "handle": "shirt", "metadata": {"a": 1},
                "categories": [{"id": "pcat_1", "name": "Shirts", "handle": "shirts"}]})
        );
    }

    #[test]
    fn bare_names_replace_the_defaults_and_keep_the_id() {
        let got = Selection::parse(Some("title"), &defaults()).apply(product());
        assert_eq!(got, json!({"id": "prod_1", "title": "Shirt"}));
    }

    #[test]
    fn dotted_names_reach_into_relations() {
        let got = Selection::parse(Some("variants.sku"), &defaults()).apply(product());
        assert_eq!(
            got,
            json!({"id": "prod_1", "variants": [{"id": "variant_1", "sku": "S-1"}]})
        );
        let got = Selection::parse(Some("+variants.prices.amount,-handle"), &defaults()).apply(product());
        assert_eq!(
            got,
            json!({"id": "prod_1", "title": "Shirt",
                "variants": [{"id": "variant_1", "sku": "S-1", "title": "S", "prices": [{"id": "p", "amount": 10}]}]}),
            "prices were already whole in the defaults"
        );
        let got = Selection::parse(Some("id,variants.prices.amount"), &defaults()).apply(product());
        assert_eq!(
            got,
            json!({"id": "prod_1", "variants": [{"id": "variant_1", "prices": [{"id": "p", "amount": 10}]}]})
        );
        let got = Selection::parse(Some("categories.name"), &defaults()).apply(product());
        assert_eq!(got, json!({"id": "prod_1", "categories": [{"name": "Shirts"}]}));
    }

    #[test]
    fn relations_wanted_are_known_before_building() {
        let s = Selection::parse(Some("+categories.name"), &defaults());
        assert!(s.wants("categories") && s.wants("variants") && !s.wants("tags"));
        assert!(!Selection::parse(Some("id"), &defaults()).wants("variants"));
    }

    fn rich() -> Value {
        json!({
            "id": "prod_1", "title": "Shirt", "handle": "shirt", "metadata": {"a": {"b": 1}},
            "options": [{"id": "opt_1", "title": "Size", "values": [{"id": "v1", "value": "S", "rank": 0}]}],
            "variants": [
                {"id": "variant_1", "sku": "S-1", "title": "S",
                 "prices": [{"id": "p", "amount": 10, "variant_id": "variant_1", "rules": {}}],
                 "options": [{"id": "v1", "value": "S", "option": {"id": "opt_1", "title": "Size"}}]},
                {"id": "variant_2", "sku": null, "prices": [], "options": []}
            ],
            "categories": [{"id": "pcat_1", "name": "Shirts", "handle": "shirts"}],
            "type": null,
            "tags": [],
        })
    }

    const ENTRIES: &[&str] = &[
        "id",
        "title",
        "+metadata",
        "-variants",
        "variants.sku",
        "*variants",
        "+variants.prices.amount",
        "options.values",
        "*categories",
        "variants.options.option.title",
        "-handle",
        "+*tags",
        "variants",
        "categories.name",
        "*",
        "+options.*",
        "-variants.prices",
        "type",
        "+variants.options",
        "metadata.a",
    ];

    proptest::proptest! {
        /// Writing through a pick and cutting a built object give the same answer.
        #[test]
        fn a_pick_writes_what_apply_keeps(picks in proptest::collection::vec(0..ENTRIES.len(), 0..5)) {
            let raw: Vec<&str> = picks.iter().map(|&i| ENTRIES[i]).collect();
            let raw = raw.join(",");
            let sel = Selection::parse(Some(&raw), &defaults());
            let written = serde_json::to_value(Picked(&rich(), Pick::of(&sel))).unwrap_or_default();
            proptest::prop_assert_eq!(written, sel.apply(rich()), "fields={}", raw);
        }
    }
}
