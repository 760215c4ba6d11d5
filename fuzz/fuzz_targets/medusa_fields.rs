//! Medusa's `fields` parameter (`pimento_api::medusa::fields`): any text makes a selection that
//! keeps the id, and the two ways of applying it agree: writing through a `Pick` (products and
//! variants) and cutting a built object with `Selection::apply` (the rest).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pimento_api::medusa::fields::{Pick, Picked, Selection};
use serde_json::{Value, json};

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
