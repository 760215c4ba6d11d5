//! `/api/v1/pim/attributes`, `/attribute-groups`, `/templates`, and typed attribute values on
//! products.

use crate::harness::{TestApp, id_of, spawn};
use serde_json::{Value, json};

async fn catalog_attributes(app: &TestApp) -> (Value, Value, Value, Value) {
    let a = "/api/v1/pim/attributes";
    let color = app
        .pim_create(
            a,
            json!({"name": "Color", "key": "color", "type": "SELECT", "options": ["Red", "Blue"]}),
        )
        .await;
    let weight = app
        .pim_create(a, json!({"name": "Weight", "key": "weight", "type": "NUMBER"}))
        .await;
    let organic = app
        .pim_create(a, json!({"name": "Organic", "key": "organic", "type": "BOOLEAN"}))
        .await;
    let care = app.pim_create(a, json!({"name": "Care"})).await;
    (color, weight, organic, care)
}

#[tokio::test]
async fn seed_example_attributes_of_each_type() {
    let app = spawn().await;
    let (color, weight, organic, care) = catalog_attributes(&app).await;
    assert_eq!(color["type"], "SELECT");
    assert_eq!(color["options"], json!(["Red", "Blue"]));
    assert_eq!(weight["type"], "NUMBER");
    assert_eq!(organic["type"], "BOOLEAN");
    // TEXT is the default type; the key is derived from the name when left out.
    assert_eq!(care["type"], "TEXT");
    assert_eq!(care["key"], "care");
    let listed = app.pim_get("/api/v1/pim/attributes").await.expect(200).body;
    assert_eq!(listed.as_array().unwrap().len(), 4);
    let path = format!("/api/v1/pim/attributes/{}", id_of(&color));
    assert_eq!(app.pim_get(&path).await.expect(200).body, color);
    let u = app
        .pim_put(&path, json!({"name": "Colour", "options": ["Red", "Blue", "Green"]}))
        .await
        .expect(200)
        .body;
    assert_eq!(u["name"], "Colour");
    assert_eq!(u["key"], "color");
    assert_eq!(u["options"], json!(["Red", "Blue", "Green"]));
}

#[tokio::test]
async fn attribute_input_errors() {
    let app = spawn().await;
    let a = "/api/v1/pim/attributes";
    app.pim_create(a, json!({"name": "Color", "key": "color"})).await;
    let dup = app
        .pim_post(a, json!({"name": "Colour", "key": "color"}))
        .await
        .expect_error(409, "key");
    assert_eq!(dup.body["code"], "duplicate_key");
    app.pim_post(a, json!({"name": "X", "key": "Bad Key"}))
        .await
        .expect_error(400, "key");
    app.pim_post(a, json!({"name": "X", "type": "DATE"}))
        .await
        .expect_error(400, "type");
    app.pim_post(a, json!({"name": "X", "type": "SELECT"}))
        .await
        .expect_error(400, "options");
    app.pim_post(a, json!({"name": "X", "type": "NUMBER", "options": ["1"]}))
        .await
        .expect_error(400, "options");
    app.pim_post(a, json!({"name": "X", "type": "SELECT", "options": ["a", "A"]}))
        .await
        .expect_error(400, "options[1]");
    app.pim_post(a, json!({"key": "x"})).await.expect_error(400, "name");
    app.pim_post(a, json!({"name": "X", "group_id": uuid::Uuid::now_v7()}))
        .await
        .expect_error(400, "group_id");
    app.pim_get(&format!("{a}/{}", uuid::Uuid::now_v7())).await.expect(404);
    assert_eq!(app.pim_get(a).await.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn attribute_groups_hold_attributes() {
    let app = spawn().await;
    let (color, weight, _, care) = catalog_attributes(&app).await;
    let g = app
        .pim_create(
            "/api/v1/pim/attribute-groups",
            json!({"name": "Look", "description": "How it looks", "attribute_ids": [color["id"], care["id"]]}),
        )
        .await;
    assert_eq!(g["name"], "Look");
    assert_eq!(g["attribute_ids"], json!([color["id"], care["id"]]));
    let in_group = app
        .pim_get(&format!("/api/v1/pim/attributes?group_id={}", id_of(&g)))
        .await
        .body;
    assert_eq!(in_group.as_array().unwrap().len(), 2);
    assert_eq!(
        app.pim_get(&format!("/api/v1/pim/attributes/{}", id_of(&color)))
            .await
            .body["group_id"],
        g["id"]
    );
    let path = format!("/api/v1/pim/attribute-groups/{}", id_of(&g));
    let u = app
        .pim_put(&path, json!({"attribute_ids": [weight["id"]]}))
        .await
        .expect(200)
        .body;
    assert_eq!(u["attribute_ids"], json!([weight["id"]]));
    assert_eq!(u["name"], "Look");
    let listed = app.pim_get("/api/v1/pim/attribute-groups").await.expect(200).body;
    assert_eq!(listed, json!([u.clone()]));
    app.pim_post("/api/v1/pim/attribute-groups", json!({"name": "look"}))
        .await
        .expect_error(409, "name");
    app.pim_post(
        "/api/v1/pim/attribute-groups",
        json!({"name": "X", "attribute_ids": [uuid::Uuid::now_v7()]}),
    )
    .await
    .expect_error(400, "attribute_ids[0]");
    app.pim_post("/api/v1/pim/attribute-groups", json!({"description": "no name"}))
        .await
        .expect_error(400, "name");
    // Deleting the group leaves its attributes, ungrouped.
    app.pim_delete(&path).await.expect(204);
    let w = app
        .pim_get(&format!("/api/v1/pim/attributes/{}", id_of(&weight)))
        .await
        .expect(200)
        .body;
    assert_eq!(w["group_id"], Value::Null);
}

#[tokio::test]
async fn templates_name_attributes_and_which_are_required() {
    let app = spawn().await;
    let (color, weight, _, _) = catalog_attributes(&app).await;
    let t = app
        .pim_create(
            "/api/v1/pim/templates",
            json!({"name": "Jacket", "description": "Outerwear", "attributes": [
                {"attribute_id": color["id"], "required": true},
                {"attribute_id": weight["id"]}
            ]}),
        )
        .await;
    assert_eq!(t["attributes"][0]["key"], "color");
    assert_eq!(t["attributes"][0]["required"], true);
    assert_eq!(t["attributes"][1]["key"], "weight");
    assert_eq!(t["attributes"][1]["required"], false);
    assert_eq!(app.pim_get("/api/v1/pim/templates").await.body, json!([t.clone()]));
    let path = format!("/api/v1/pim/templates/{}", id_of(&t));
    assert_eq!(app.pim_get(&path).await.expect(200).body, t);
    app.pim_post(
        "/api/v1/pim/templates",
        json!({"name": "Bad", "attributes": [{"attribute_id": uuid::Uuid::now_v7()}]}),
    )
    .await
    .expect_error(400, "attributes[0].attribute_id");
    app.pim_post(
        "/api/v1/pim/templates",
        json!({"name": "Twice", "attributes": [{"attribute_id": color["id"]}, {"attribute_id": color["id"]}]}),
    )
    .await
    .expect_error(400, "attributes[1]");
    app.pim_post("/api/v1/pim/templates", json!({"name": "jacket"}))
        .await
        .expect_error(409, "name");
    // An attribute a template names cannot be deleted.
    let r = app
        .pim_delete(&format!("/api/v1/pim/attributes/{}", id_of(&color)))
        .await
        .expect(409);
    assert_eq!(r.body["code"], "in_use");
    // A template products use cannot be deleted.
    let p = app
        .pim_create(
            "/api/v1/pim/products",
            json!({"title": "Parka", "template_id": t["id"]}),
        )
        .await;
    assert_eq!(p["template_id"], t["id"]);
    assert_eq!(app.pim_delete(&path).await.expect(409).body["code"], "in_use");
    // Replacing the attribute list frees the attribute.
    let u = app
        .pim_put(
            &path,
            json!({"attributes": [{"attribute_id": weight["id"], "required": true}]}),
        )
        .await;
    assert_eq!(u.expect(200).body["attributes"].as_array().unwrap().len(), 1);
    app.pim_delete(&format!("/api/v1/pim/attributes/{}", id_of(&color)))
        .await
        .expect(204);
    app.pim_put(
        &format!("/api/v1/pim/products/{}", id_of(&p)),
        json!({"template_id": null}),
    )
    .await
    .expect(200);
    app.pim_delete(&path).await.expect(204);
}

#[tokio::test]
async fn product_attribute_values_are_checked_against_their_definitions() {
    let app = spawn().await;
    catalog_attributes(&app).await;
    let p = app
        .pim_create(
            "/api/v1/pim/products",
            json!({"title": "Tee", "attributes": {"color": "red", "weight": 0.2, "organic": true, "care": "Cold wash"}}),
        )
        .await;
    // A SELECT value is stored in its option's spelling.
    assert_eq!(
        p["attributes"],
        json!({"color": "Red", "weight": 0.2, "organic": true, "care": "Cold wash"})
    );
    let pp = "/api/v1/pim/products";
    for (bad, field) in [
        (json!({"weight": "heavy"}), "attributes.weight"),
        (json!({"color": "Green"}), "attributes.color"),
        (json!({"organic": "yes"}), "attributes.organic"),
        (json!({"care": 3}), "attributes.care"),
        (json!({"fabric": "cotton"}), "attributes.fabric"),
    ] {
        let r = app
            .pim_post(pp, json!({"title": "Bad", "attributes": bad}))
            .await
            .expect_error(400, field);
        assert!(r.body["error"].as_str().unwrap().contains(field), "{}", r.body);
    }
    // PUT merges; null removes one value; a bad value changes nothing.
    let path = format!("{pp}/{}", id_of(&p));
    let u = app
        .pim_put(&path, json!({"attributes": {"weight": 0.3, "care": null}}))
        .await
        .expect(200)
        .body;
    assert_eq!(u["attributes"], json!({"color": "Red", "weight": 0.3, "organic": true}));
    app.pim_put(&path, json!({"title": "Changed", "attributes": {"weight": "x"}}))
        .await
        .expect_error(400, "attributes.weight");
    let same = app.pim_get(&path).await.body;
    assert_eq!(same["title"], "Tee");
    assert_eq!(same["attributes"], u["attributes"]);
    // Only the first product exists.
    assert_eq!(app.pim_get(pp).await.body.as_array().unwrap().len(), 1);
}
