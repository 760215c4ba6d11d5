//! Medusa's `fields` query parameter: which fields and relations a read returns.
//!
//! Comma-separated entries. `+name` adds to the endpoint's defaults, `-name` takes away from
//! them, and bare names replace the defaults (`id` is always returned). A dotted name reaches
//! into a relation (`variants.sku`, `options.values`), and `*relation` (or a bare relation
//! name) takes the relation with all its fields. The answer is built whole and then cut down
//! to the selection ([`Selection::apply`]).

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
}
