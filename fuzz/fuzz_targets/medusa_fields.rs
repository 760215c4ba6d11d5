//! Medusa's `fields` parameter (`pimento_api::medusa::fields`): any text makes a selection that
//! keeps the id, and the two ways of applying it agree: writing through a `Pick` (products and
//! variants) and cutting a built object with `Selection::apply` (the rest).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pimento_api::medusa::fields::{Pick, Selection};
use serde_json::{Value, json};

/// A JSON value written through a [`Pick`], as the typed writers use it.
struct Picked<'a>(&'a Value, Pick<'a>);

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

fn product() -> Value {
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

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let defaults = Selection::defaults(&["id", "title", "handle", "*variants", "*variants.prices", "*options"]);
    let sel = Selection::parse(Some(raw), &defaults);
    let cut = sel.apply(product());
    assert_eq!(cut.get("id"), Some(&json!("prod_1")), "fields={raw:?}");
    let written = serde_json::to_value(Picked(&product(), Pick::of(&sel))).unwrap_or_default();
    assert_eq!(written, cut, "fields={raw:?}");
});
