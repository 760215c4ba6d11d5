//! The Medusa admin API's product batch, shared options and their links to products, and the
//! variant list across products.

use crate::harness::{Resp, TestApp, spawn};
use axum::body::Body;
use axum::http::Method;
use serde_json::{Value, json};

fn basic(key: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:"))
    )
}

async fn as_key(app: &TestApp, key: &str, method: Method, path: &str, body: Option<Value>) -> Resp {
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.raw(method, path, None, body, &[("authorization", &basic(key))])
        .await
}

async fn medusa(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> Resp {
    as_key(app, &app.org.secret_key, method, path, body).await
}

fn product(title: &str, sku: &str) -> Value {
    json!({"title": title, "options": [{"title": "Size", "values": ["S"]}],
           "variants": [{"title": "S", "sku": sku, "options": {"Size": "S"}, "prices": [{"currency_code": "usd", "amount": 5}]}]})
}

fn titles(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_batch_creates_updates_and_deletes_all_or_nothing() {
    let app = spawn().await;
    let first = medusa(&app, Method::POST, "/admin/products", Some(product("First", "F-1")))
        .await
        .expect(200);
    let first_id = first.body["product"]["id"].as_str().unwrap().to_owned();
    let doomed = medusa(&app, Method::POST, "/admin/products", Some(product("Doomed", "D-1")))
        .await
        .expect(200);
    let doomed_id = doomed.body["product"]["id"].as_str().unwrap().to_owned();

    let done = medusa(
        &app,
        Method::POST,
        "/admin/products/batch",
        Some(json!({
            "create": [product("Second", "S-1"), product("Third", "T-1")],
            "update": [{"id": first_id, "title": "First v2", "metadata": {"k": "v"}}],
            "delete": [doomed_id, "prod_01ARZ3NDEKTSV4RRFFQ69G5FAV"],
        })),
    )
    .await
    .expect(200)
    .body;
    assert_eq!(titles(&done["created"]), ["Second", "Third"]);
    assert_eq!(titles(&done["updated"]), ["First v2"]);
    assert_eq!(done["updated"][0]["metadata"], json!({"k": "v"}));
    assert_eq!(
        done["deleted"],
        json!({"ids": [doomed_id, "prod_01ARZ3NDEKTSV4RRFFQ69G5FAV"], "object": "product", "deleted": true})
    );
    let list = medusa(&app, Method::GET, "/admin/products?fields=title", None)
        .await
        .expect(200)
        .body;
    assert_eq!(titles(&list["products"]), ["First v2", "Second", "Third"]);

    // One refusal and nothing happens: the second create's SKU is taken.
    let refused = medusa(
        &app,
        Method::POST,
        "/admin/products/batch",
        Some(json!({"create": [product("Fourth", "X-1"), product("Fifth", "S-1")],
                    "update": [{"id": first_id, "title": "First v3"}]})),
    )
    .await
    .expect(400)
    .body;
    assert_eq!(refused["message"], "Product variant with sku: S-1, already exists.");
    let list = medusa(&app, Method::GET, "/admin/products?fields=title", None)
        .await
        .expect(200)
        .body;
    assert_eq!(titles(&list["products"]), ["First v2", "Second", "Third"]);

    let body = medusa(
        &app,
        Method::POST,
        "/admin/products/batch",
        Some(json!({"update": [{"title": "x"}]})),
    )
    .await
    .expect(400)
    .body;
    assert_eq!(body["message"], "Invalid request: Field 'update, 0, id' is required");
    let body = medusa(
        &app,
        Method::POST,
        "/admin/products/batch",
        Some(json!({"update": [{"id": "prod_01ARZ3NDEKTSV4RRFFQ69G5FAV", "title": "x"}]})),
    )
    .await
    .expect(404)
    .body;
    assert_eq!(
        body["message"],
        "Unable to update the products with ids: prod_01ARZ3NDEKTSV4RRFFQ69G5FAV"
    );
    let body = medusa(&app, Method::POST, "/admin/products/batch", Some(json!({"foo": []})))
        .await
        .expect(400)
        .body;
    assert_eq!(body["message"], "Invalid request: Unrecognized fields: 'foo'");
    let empty = medusa(&app, Method::POST, "/admin/products/batch", Some(json!({})))
        .await
        .expect(200)
        .body;
    assert_eq!(
        empty,
        json!({"created": [], "updated": [], "deleted": {"ids": [], "object": "product", "deleted": true}})
    );

    // Another organization's key cannot change or delete these.
    let theirs = as_key(
        &app,
        &app.other.secret_key,
        Method::POST,
        "/admin/products/batch",
        Some(json!({"update": [{"id": first_id, "title": "taken"}]})),
    )
    .await;
    theirs.expect(404);
    as_key(
        &app,
        &app.other.secret_key,
        Method::POST,
        "/admin/products/batch",
        Some(json!({"delete": [first_id]})),
    )
    .await
    .expect(200);
    medusa(&app, Method::GET, &format!("/admin/products/{first_id}"), None)
        .await
        .expect(200);
}

#[tokio::test]
async fn shared_options_are_made_listed_linked_and_deleted() {
    let app = spawn().await;
    let colour = medusa(
        &app,
        Method::POST,
        "/admin/product-options",
        Some(json!({"title": "Colour", "values": ["Red", "Blue"], "ranks": {"Blue": 0, "Red": 1}})),
    )
    .await
    .expect(200)
    .body["product_option"]
        .clone();
    let oid = colour["id"].as_str().unwrap().to_owned();
    assert!(oid.starts_with("opt_"));
    assert_eq!(colour["is_exclusive"], false);
    let values: Vec<&str> = colour["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["Blue", "Red"], "ranks order the values");

    let dup = medusa(
        &app,
        Method::POST,
        "/admin/product-options",
        Some(json!({"title": "colour", "values": ["X"]})),
    )
    .await
    .expect(400)
    .body;
    assert_eq!(dup["message"], "Product option with title: colour, already exists.");
    let body = medusa(&app, Method::POST, "/admin/product-options", Some(json!({})))
        .await
        .expect(400)
        .body;
    assert_eq!(
        body["message"],
        "Invalid request: Field 'title' is required; Field 'values' is required"
    );

    // A product's own option is not among the shared ones unless asked for.
    let p = medusa(&app, Method::POST, "/admin/products", Some(product("Tee", "TEE-S")))
        .await
        .expect(200)
        .body["product"]
        .clone();
    let pid = p["id"].as_str().unwrap().to_owned();
    let shared = medusa(&app, Method::GET, "/admin/product-options?is_exclusive=false", None)
        .await
        .expect(200)
        .body;
    assert_eq!(
        (shared["count"].clone(), shared["limit"].clone()),
        (json!(1), json!(20))
    );
    let all = medusa(&app, Method::GET, "/admin/product-options", None)
        .await
        .expect(200)
        .body;
    assert_eq!(all["count"], 2);
    let found = medusa(&app, Method::GET, "/admin/product-options?q=olo", None)
        .await
        .expect(200)
        .body;
    assert_eq!(found["product_options"][0]["title"], "Colour");
    medusa(&app, Method::GET, "/admin/product-options?foo=1", None)
        .await
        .expect(400);

    // Linked to the product, then its variant picks a value.
    let linked = medusa(
        &app,
        Method::POST,
        &format!("/admin/products/{pid}/options/batch"),
        Some(json!({"add": [oid]})),
    )
    .await
    .expect(200)
    .body["product"]
        .clone();
    assert_eq!(linked["options"].as_array().unwrap().len(), 2);
    let listed = medusa(&app, Method::GET, &format!("/admin/products/{pid}/options"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(listed["product_options"][1], json!({"id": oid, "title": "Colour"}));
    let vid = p["variants"][0]["id"].as_str().unwrap();
    medusa(
        &app,
        Method::POST,
        &format!("/admin/products/{pid}/variants/{vid}"),
        Some(json!({"options": {"Size": "S", "Colour": "Red"}})),
    )
    .await
    .expect(200);

    // In use: neither unlinked nor deleted.
    let body = medusa(
        &app,
        Method::POST,
        &format!("/admin/products/{pid}/options/batch"),
        Some(json!({"remove": [oid]})),
    )
    .await
    .expect(400)
    .body;
    assert_eq!(
        body["message"],
        "Cannot unassign product option from product which has variants for that option"
    );
    let body = medusa(&app, Method::DELETE, &format!("/admin/product-options/{oid}"), None)
        .await
        .expect(400)
        .body;
    assert_eq!(body["type"], "not_allowed");

    // Renamed, read, and an unknown one.
    let renamed = medusa(
        &app,
        Method::POST,
        &format!("/admin/product-options/{oid}"),
        Some(json!({"title": "Color"})),
    )
    .await
    .expect(200)
    .body;
    assert_eq!(renamed["product_option"]["title"], "Color");
    let got = medusa(
        &app,
        Method::GET,
        &format!("/admin/product-options/{oid}?fields=title"),
        None,
    )
    .await
    .expect(200)
    .body;
    assert_eq!(got, json!({"product_option": {"id": oid, "title": "Color"}}));
    let none = medusa(
        &app,
        Method::GET,
        "/admin/product-options/opt_01ARZ3NDEKTSV4RRFFQ69G5FAV",
        None,
    )
    .await
    .expect(200)
    .body;
    assert_eq!(none, json!({}));
    let body = medusa(
        &app,
        Method::POST,
        "/admin/product-options/opt_01ARZ3NDEKTSV4RRFFQ69G5FAV",
        Some(json!({"title": "x"})),
    )
    .await
    .expect(404)
    .body;
    assert_eq!(
        body["message"],
        "Product option with id \"opt_01ARZ3NDEKTSV4RRFFQ69G5FAV\" not found"
    );

    // Another organization sees none of it.
    let theirs = as_key(&app, &app.other.secret_key, Method::GET, "/admin/product-options", None)
        .await
        .expect(200);
    assert_eq!(theirs.body["count"], 0);
    let theirs = as_key(
        &app,
        &app.other.secret_key,
        Method::GET,
        &format!("/admin/product-options/{oid}"),
        None,
    )
    .await
    .expect(200);
    assert_eq!(theirs.body, json!({}));

    // A new option made through the link, then the variant no longer uses Colour and it goes.
    medusa(
        &app,
        Method::POST,
        &format!("/admin/products/{pid}/variants/{vid}"),
        Some(json!({"options": {"Size": "S"}})),
    )
    .await
    .expect(200);
    let relinked = medusa(
        &app,
        Method::POST,
        &format!("/admin/products/{pid}/options/batch"),
        Some(json!({"remove": [oid], "add": [{"title": "Fit", "values": ["Slim"]}]})),
    )
    .await
    .expect(200)
    .body["product"]
        .clone();
    let titles: Vec<&str> = relinked["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Size", "Fit"]);
    medusa(&app, Method::DELETE, &format!("/admin/product-options/{oid}"), None)
        .await
        .expect(200);
    medusa(&app, Method::DELETE, &format!("/admin/product-options/{oid}"), None)
        .await
        .expect(200);
}

#[tokio::test]
async fn variants_are_listed_across_products() {
    let app = spawn().await;
    medusa(&app, Method::POST, "/admin/products", Some(product("Mug", "MUG-1")))
        .await
        .expect(200);
    medusa(&app, Method::POST, "/admin/products", Some(product("Cap", "CAP-1")))
        .await
        .expect(200);
    let all = medusa(&app, Method::GET, "/admin/product-variants", None)
        .await
        .expect(200)
        .body;
    assert_eq!(all["count"], 2);
    assert_eq!(all["variants"][0]["sku"], "MUG-1");
    assert_eq!(all["variants"][0]["product"]["title"], "Mug");
    assert!(all["variants"][0]["product"].get("variants").is_none());
    let one = medusa(
        &app,
        Method::GET,
        "/admin/product-variants?sku%5B0%5D=CAP-1&fields=sku",
        None,
    )
    .await
    .expect(200)
    .body;
    assert_eq!(
        (one["count"].clone(), one["variants"][0]["sku"].clone()),
        (json!(1), json!("CAP-1"))
    );
    let q = medusa(
        &app,
        Method::GET,
        "/admin/product-variants?q=mug&limit=1&offset=0",
        None,
    )
    .await
    .expect(200)
    .body;
    assert_eq!(q["count"], 1);
    medusa(&app, Method::GET, "/admin/product-variants?manage_inventory=true", None)
        .await
        .expect(400);
    medusa(&app, Method::GET, "/admin/product-variants?nope=1", None)
        .await
        .expect(400);
    let theirs = as_key(
        &app,
        &app.other.secret_key,
        Method::GET,
        "/admin/product-variants",
        None,
    )
    .await
    .expect(200);
    assert_eq!(theirs.body["count"], 0);
}

#[tokio::test]
async fn a_products_variants_are_batched_all_or_nothing() {
    let app = spawn().await;
    let p = medusa(
        &app,
        Method::POST,
        "/admin/products",
        Some(json!({"title": "Sock", "options": [{"title": "Size", "values": ["S", "M", "L"]}],
                    "variants": [
                        {"title": "S", "sku": "SOCK-S", "options": {"Size": "S"}, "prices": [{"currency_code": "usd", "amount": 3}]},
                        {"title": "M", "sku": "SOCK-M", "options": {"Size": "M"}, "prices": [{"currency_code": "usd", "amount": 3}]}]})),
    )
    .await
    .expect(200)
    .body["product"]
        .clone();
    let pid = p["id"].as_str().unwrap();
    let (s, m) = (
        p["variants"][0]["id"].as_str().unwrap(),
        p["variants"][1]["id"].as_str().unwrap(),
    );
    let path = format!("/admin/products/{pid}/variants/batch");
    let done = medusa(
        &app,
        Method::POST,
        &path,
        Some(json!({
            "create": [{"title": "L", "sku": "SOCK-L", "options": {"Size": "L"}, "prices": [{"currency_code": "usd", "amount": 4}]}],
            "update": [{"id": s, "title": "Small"}],
            "delete": [m],
        })),
    )
    .await
    .expect(200)
    .body;
    assert_eq!(done["created"][0]["sku"], "SOCK-L");
    assert_eq!(done["updated"][0]["title"], "Small");
    assert_eq!(
        done["deleted"],
        json!({"ids": [m], "object": "variant", "deleted": true})
    );
    let list = medusa(
        &app,
        Method::GET,
        &format!("/admin/products/{pid}/variants?fields=sku"),
        None,
    )
    .await
    .expect(200)
    .body;
    assert_eq!(list["count"], 2);

    // A taken SKU refuses the whole batch: the update before it is not kept.
    let refused = medusa(
        &app,
        Method::POST,
        &path,
        Some(json!({"update": [{"id": s, "title": "Tiny"}, {"id": s, "sku": "SOCK-L"}]})),
    )
    .await
    .expect(400)
    .body;
    assert_eq!(refused["type"], "invalid_data");
    let one = medusa(
        &app,
        Method::GET,
        &format!("/admin/products/{pid}/variants/{s}?fields=title"),
        None,
    )
    .await
    .expect(200)
    .body;
    assert_eq!(one["variant"]["title"], "Small");
    let body = medusa(&app, Method::POST, &path, Some(json!({"update": [{"title": "x"}]})))
        .await
        .expect(400)
        .body;
    assert_eq!(body["message"], "Invalid request: Field 'update, 0, id' is required");
    as_key(
        &app,
        &app.other.secret_key,
        Method::POST,
        &path,
        Some(json!({"delete": [s]})),
    )
    .await
    .expect(404);
}
