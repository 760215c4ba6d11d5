//! `/api/v1/products/{productId}/variants`.

use crate::harness::{spawn, value_id};
use serde_json::json;

#[tokio::test]
async fn add_list_update_and_delete_variants() {
    let app = spawn().await;
    let size = app.option("Size", &["S", "M", "L"]).await;
    let sid = size["id"].as_str().unwrap();
    let p = app
        .product(json!({"name": "Tee", "url": "https://x.example", "variantOptionIds": [sid]}))
        .await;
    let pid = p["id"].as_str().unwrap();
    let base = format!("/api/v1/products/{pid}/variants");

    let s = app
        .post(&base, json!({"sku": "TEE-S", "title": "Small", "price": "19.99", "barcode": "4006381333931", "options": [{"optionId": sid, "value": "S"}]}))
        .await
        .expect(201)
        .body;
    assert_eq!(s["productId"], pid);
    assert_eq!(s["price"], "19.99");
    assert_eq!(s["currency"], "USD");
    assert_eq!(s["barcode"], "4006381333931");
    assert_eq!(s["options"][0]["value"], "S");
    let m = app
        .post(&base, json!({"sku": "TEE-M", "price": "1500", "currency": "jpy", "options": [{"optionId": sid, "valueId": value_id(&size, "M")}]}))
        .await
        .expect(201)
        .body;
    assert_eq!(m["price"], "1500");
    assert_eq!(m["currency"], "JPY");
    // The first variant became the default.
    assert_eq!(
        app.get(&format!("/api/v1/products/{pid}")).await.body["defaultVariantId"],
        s["id"]
    );

    let list = app.get(&base).await.expect(200).body;
    assert_eq!(
        list.as_array()
            .unwrap()
            .iter()
            .map(|v| v["sku"].clone())
            .collect::<Vec<_>>(),
        vec![json!("TEE-S"), json!("TEE-M")]
    );
    let one = app
        .get(&format!("{base}/{}", m["id"].as_str().unwrap()))
        .await
        .expect(200);
    assert_eq!(one.body["sku"], "TEE-M");

    // Same combination, same SKU: conflicts naming the field.
    app.post(
        &base,
        json!({"sku": "OTHER", "options": [{"optionId": sid, "value": "S"}]}),
    )
    .await
    .expect_error(409, "options");
    app.post(&base, json!({"sku": "TEE-S"})).await.expect_error(409, "sku");
    app.post(&base, json!({"price": "abc"}))
        .await
        .expect_error(400, "price");
    app.post(&base, json!({"price": "1.5", "currency": "JPY"}))
        .await
        .expect_error(400, "price");

    let sid_v = s["id"].as_str().unwrap();
    let u = app
        .put(&format!("{base}/{sid_v}"), json!({"price": "21.00", "title": null, "inventoryQuantity": 7, "options": [{"optionId": sid, "value": "L"}]}))
        .await
        .expect(200)
        .body;
    assert_eq!(u["price"], "21.00");
    assert_eq!(u["title"], json!(null));
    let blank = app
        .put(&format!("{base}/{}", m["id"].as_str().unwrap()), json!({"title": "  "}))
        .await
        .expect(200);
    assert_eq!(blank.body["title"], json!(null));
    assert_eq!(u["inventoryQuantity"], 7);
    assert_eq!(u["options"][0]["value"], "L");
    assert_eq!(u["sku"], "TEE-S");
    app.put(&format!("{base}/{sid_v}"), json!({"sku": "TEE-M"}))
        .await
        .expect_error(409, "sku");
    app.put(
        &format!("{base}/{sid_v}"),
        json!({"options": [{"optionId": sid, "value": "M"}]}),
    )
    .await
    .expect_error(409, "options");
    app.put(&format!("{base}/{sid_v}"), json!({"currency": "EUR"}))
        .await
        .expect_error(400, "currency");
    // Updating a variant to its own SKU is not a conflict.
    app.put(&format!("{base}/{sid_v}"), json!({"sku": "TEE-S"}))
        .await
        .expect(200);

    app.delete(&format!("{base}/{sid_v}")).await.expect(204);
    assert_eq!(app.get(&base).await.body.as_array().unwrap().len(), 1);
    // The next variant took over as default.
    assert_eq!(
        app.get(&format!("/api/v1/products/{pid}")).await.body["defaultVariantId"],
        m["id"]
    );
    app.delete(&format!("{base}/{sid_v}")).await.expect(404);
    app.put(&format!("{base}/{sid_v}"), json!({"price": "1"}))
        .await
        .expect(404);
    app.get(&format!("{base}/not-a-uuid"))
        .await
        .expect_error(400, "variantId");
}

#[tokio::test]
async fn a_variant_belongs_to_its_product() {
    let app = spawn().await;
    let a = app
        .product(json!({"name": "A", "url": "https://x.example", "variants": [{"sku": "A1"}]}))
        .await;
    let b = app.product(json!({"name": "B", "url": "https://x.example"})).await;
    let v = a["variants"][0]["id"].as_str().unwrap();
    let path = format!("/api/v1/products/{}/variants/{v}", b["id"].as_str().unwrap());
    app.get(&path).await.expect(404);
    app.put(&path, json!({"price": "2"})).await.expect(404);
    app.delete(&path).await.expect(404);
    app.post(
        "/api/v1/products/01a201bc-5f1c-7494-89e6-7cbe8270f76f/variants",
        json!({"sku": "Z"}),
    )
    .await
    .expect(404);
    app.get("/api/v1/products/01a201bc-5f1c-7494-89e6-7cbe8270f76f/variants")
        .await
        .expect(404);
}
