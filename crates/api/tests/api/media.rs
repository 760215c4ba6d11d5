//! `/api/v1/products/{productId}/media-assets`.

use crate::harness::spawn;
use serde_json::json;

#[tokio::test]
async fn add_list_update_reorder_and_remove_media() {
    let app = spawn().await;
    let p = app
        .product(json!({"name": "P", "url": "https://x.example", "variants": [{"sku": "V"}]}))
        .await;
    let pid = p["id"].as_str().unwrap();
    let base = format!("/api/v1/products/{pid}/media-assets");
    let a = app
        .post(
            &base,
            json!({"mediaAsset": {"publicUrl": "https://c.example/a.jpg", "name": "A"}}),
        )
        .await
        .expect(201)
        .body;
    let b = app
        .post(
            &base,
            json!({"publicUrl": "https://c.example/b.jpg", "altText": "Bee", "purpose": "thumbnail"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(a["position"], 0);
    assert_eq!(b["position"], 1);
    assert_eq!(b["mediaAsset"]["altText"], "Bee");
    assert_eq!(b["purpose"], "thumbnail");
    // An existing asset can be attached to another product by id.
    let q = app.product(json!({"name": "Q", "url": "https://x.example"})).await;
    let shared = app
        .post(
            &format!("/api/v1/products/{}/media-assets", q["id"].as_str().unwrap()),
            json!({"mediaAssetId": a["mediaAssetId"]}),
        )
        .await
        .expect(201);
    assert_eq!(shared.body["mediaAsset"]["publicUrl"], "https://c.example/a.jpg");

    let list = app.get(&base).await.expect(200).body;
    assert_eq!(
        list.as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].clone())
            .collect::<Vec<_>>(),
        vec![a["id"].clone(), b["id"].clone()]
    );

    let aid = a["id"].as_str().unwrap();
    let variant = p["variants"][0]["id"].clone();
    let u = app
        .put(
            &format!("{base}/{aid}"),
            json!({"altText": "Front", "variantId": variant, "purpose": null}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(u["mediaAsset"]["altText"], "Front");
    assert_eq!(u["variantId"], variant);
    assert_eq!(u["purpose"], json!(null));
    // The path may name the media asset instead of the attachment.
    app.put(
        &format!("{base}/{}", a["mediaAssetId"].as_str().unwrap()),
        json!({"name": "Front view"}),
    )
    .await
    .expect(200);
    app.put(&format!("{base}/{aid}"), json!({"position": -1}))
        .await
        .expect_error(400, "position");
    app.put(&format!("{base}/{aid}"), json!({"publicUrl": "no"}))
        .await
        .expect_error(400, "publicUrl");
    app.put(
        &format!("{base}/{aid}"),
        json!({"variantId": "01a201bc-5f1c-7494-89e6-7cbe8270f76f"}),
    )
    .await
    .expect_error(400, "variantId");

    let r = app
        .put(&format!("{base}/reorder"), json!({"assetIds": [b["id"], a["id"]]}))
        .await
        .expect(200)
        .body;
    assert_eq!(r[0]["id"], b["id"]);
    assert_eq!(r[0]["position"], 0);
    assert_eq!(r[1]["position"], 1);
    app.put(&format!("{base}/reorder"), json!({"assetIds": [b["id"]]}))
        .await
        .expect_error(400, "assetIds");
    app.put(&format!("{base}/reorder"), json!({"assetIds": [b["id"], b["id"]]}))
        .await
        .expect_error(400, "assetIds");
    app.put(
        &format!("{base}/reorder"),
        json!({"assetIds": [b["id"], "01a201bc-5f1c-7494-89e6-7cbe8270f76f"]}),
    )
    .await
    .expect_error(400, "assetIds");

    app.delete(&format!("{base}/{aid}")).await.expect(204);
    assert_eq!(app.get(&base).await.body.as_array().unwrap().len(), 1);
    app.delete(&format!("{base}/{aid}")).await.expect(404);
    app.post(&base, json!({"altText": "no url"}))
        .await
        .expect_error(400, "publicUrl");
    app.post(&base, json!({"mediaAssetId": "01a201bc-5f1c-7494-89e6-7cbe8270f76f"}))
        .await
        .expect_error(400, "mediaAssetId");
    app.post(
        "/api/v1/products/01a201bc-5f1c-7494-89e6-7cbe8270f76f/media-assets",
        json!({"publicUrl": "https://c.example/x.jpg"}),
    )
    .await
    .expect(404);
}
