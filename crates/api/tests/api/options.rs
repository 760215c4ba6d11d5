//! Variant options: `/api/v1/variant-options` and `/api/v1/products/{productId}/variant-options`.

use crate::harness::spawn;
use serde_json::json;

#[tokio::test]
async fn organization_options_crud() {
    let app = spawn().await;
    let size = app.option("Size", &["S", "M"]).await;
    assert_eq!(size["name"], "Size");
    assert_eq!(size["values"][1]["value"], "M");
    assert_eq!(size["values"][1]["position"], 1);
    let id = size["id"].as_str().unwrap();
    app.post("/api/v1/variant-options", json!({"name": "size"}))
        .await
        .expect_error(409, "name");
    app.post("/api/v1/variant-options", json!({"name": " "}))
        .await
        .expect_error(400, "name");
    app.post("/api/v1/variant-options", json!({"name": "Fit", "values": ["A", "a"]}))
        .await
        .expect_error(409, "values[1]");
    app.option("Color", &[]).await;

    let list = app.get("/api/v1/variant-options?limit=1").await.expect(200);
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    let next = list.header("x-next-cursor").unwrap().to_owned();
    let rest = app
        .get(&format!("/api/v1/variant-options?cursor={next}"))
        .await
        .expect(200);
    assert_eq!(rest.body[0]["name"], "Color");

    let renamed = app
        .put(
            &format!("/api/v1/variant-options/{id}"),
            json!({"name": "Sizes", "values": ["XS", "S", "m"]}),
        )
        .await
        .expect(200);
    assert_eq!(renamed.body["name"], "Sizes");
    let values: Vec<_> = renamed.body["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].clone())
        .collect();
    assert_eq!(values, vec![json!("XS"), json!("S"), json!("m")]);
    // "S" kept its id.
    assert_eq!(renamed.body["values"][1]["id"], size["values"][0]["id"]);
    assert_eq!(
        app.get(&format!("/api/v1/variant-options/{id}")).await.expect(200).body["name"],
        "Sizes"
    );
    app.delete(&format!("/api/v1/variant-options/{id}")).await.expect(204);
    app.get(&format!("/api/v1/variant-options/{id}")).await.expect(404);
    app.delete(&format!("/api/v1/variant-options/{id}")).await.expect(404);
}

#[tokio::test]
async fn an_option_in_use_cannot_be_removed() {
    let app = spawn().await;
    let size = app.option("Size", &["S", "M"]).await;
    let sid = size["id"].as_str().unwrap();
    let p = app
        .product(json!({"name": "Tee", "url": "https://x.example", "variantOptionIds": [sid], "variants": [{"sku": "S1", "options": [{"optionId": sid, "value": "S"}]}]}))
        .await;
    let pid = p["id"].as_str().unwrap();
    let r = app
        .delete(&format!("/api/v1/products/{pid}/variant-options/{sid}"))
        .await
        .expect(409);
    assert_eq!(r.body["error"], "Cannot remove: variants exist");
    let r = app.delete(&format!("/api/v1/variant-options/{sid}")).await.expect(409);
    assert_eq!(r.body["error"], "Cannot remove: variants exist");
    app.put(&format!("/api/v1/variant-options/{sid}"), json!({"values": ["M"]}))
        .await
        .expect(409);
    // Removing an unused value is fine.
    app.put(&format!("/api/v1/variant-options/{sid}"), json!({"values": ["S"]}))
        .await
        .expect(200);

    let v = p["variants"][0]["id"].as_str().unwrap();
    app.delete(&format!("/api/v1/products/{pid}/variants/{v}"))
        .await
        .expect(204);
    app.delete(&format!("/api/v1/products/{pid}/variant-options/{sid}"))
        .await
        .expect(204);
    let assigned = app
        .get(&format!("/api/v1/products/{pid}/variant-options"))
        .await
        .expect(200);
    assert_eq!(assigned.body, json!([]));
    app.delete(&format!("/api/v1/products/{pid}/variant-options/{sid}"))
        .await
        .expect(404);
}

#[tokio::test]
async fn assign_options_to_a_product() {
    let app = spawn().await;
    let size = app.option("Size", &["S"]).await;
    let color = app.option("Color", &["Red", "Blue"]).await;
    let (sid, cid) = (size["id"].as_str().unwrap(), color["id"].as_str().unwrap());
    let p = app
        .product(json!({"name": "Tee", "url": "https://x.example", "variantOptionIds": [sid]}))
        .await;
    let pid = p["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/v1/products/{pid}/variant-options"),
            json!({"variantOptionIds": [cid, sid]}),
        )
        .await
        .expect(200);
    let names: Vec<_> = r.body.as_array().unwrap().iter().map(|o| o["name"].clone()).collect();
    assert_eq!(names, vec![json!("Size"), json!("Color")]);
    assert_eq!(r.body[1]["values"].as_array().unwrap().len(), 2);
    let got = app
        .get(&format!("/api/v1/products/{pid}/variant-options"))
        .await
        .expect(200);
    assert_eq!(got.body, r.body);
    app.post(
        &format!("/api/v1/products/{pid}/variant-options"),
        json!({"variantOptionIds": ["01a201bc-5f1c-7494-89e6-7cbe8270f76f"]}),
    )
    .await
    .expect_error(400, "variantOptionIds[0]");
    app.post(
        &format!("/api/v1/products/{pid}/variant-options"),
        json!({"variantOptionIds": [cid, cid]}),
    )
    .await
    .expect_error(400, "variantOptionIds[1]");
    app.post(&format!("/api/v1/products/{pid}/variant-options"), json!({}))
        .await
        .expect_error(400, "variantOptionIds");
    // A variant can now use both options.
    app.post(
        &format!("/api/v1/products/{pid}/variants"),
        json!({"options": [{"optionId": sid, "value": "S"}, {"optionId": cid, "value": "Blue"}]}),
    )
    .await
    .expect(201);
    app.get("/api/v1/products/01a201bc-5f1c-7494-89e6-7cbe8270f76f/variant-options")
        .await
        .expect(404);
}
