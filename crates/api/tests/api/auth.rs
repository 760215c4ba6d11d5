//! Keys and tenancy: missing and unknown keys, another organization's key, publishable keys.

use crate::harness::spawn;
use axum::http::Method;
use serde_json::json;

#[tokio::test]
async fn missing_or_unknown_keys_are_refused() {
    let app = spawn().await;
    let r = app.call(Method::GET, "/api/v1/products", None, None).await.expect(401);
    assert_eq!(r.body["code"], "unauthorized");
    app.call(Method::GET, "/api/v1/products", Some("sk_nope"), None)
        .await
        .expect(401);
    app.call(
        Method::POST,
        "/api/v1/products",
        Some(""),
        Some(json!({"name": "x", "url": "https://x.example"})),
    )
    .await
    .expect(401);
    let basic = app
        .raw(
            Method::GET,
            "/api/v1/products",
            None,
            axum::body::Body::empty(),
            &[("authorization", "Basic Zm9vOmJhcg==")],
        )
        .await;
    assert_eq!(basic.status.as_u16(), 401);
}

#[tokio::test]
async fn another_organization_sees_nothing() {
    let app = spawn().await;
    let size = app.option("Size", &["S"]).await;
    let sid = size["id"].as_str().unwrap();
    let p = app
        .product(json!({
            "name": "Secret", "url": "https://x.example", "variantOptionIds": [sid],
            "variants": [{"sku": "S-1", "options": [{"optionId": sid, "value": "S"}]}],
            "productMediaAssets": [{"publicUrl": "https://c.example/s.jpg"}],
            "primarySyncSource": {"syncSource": "shopify", "syncSourceId": "77"}
        }))
        .await;
    let pid = p["id"].as_str().unwrap();
    let vid = p["variants"][0]["id"].as_str().unwrap();
    let mid = p["productMediaAssets"][0]["id"].as_str().unwrap();
    let k = Some(app.other.secret_key.as_str());
    let not_found = [
        (Method::GET, format!("/api/v1/products/{pid}"), None),
        (
            Method::PUT,
            format!("/api/v1/products/{pid}"),
            Some(json!({"name": "Mine"})),
        ),
        (Method::DELETE, format!("/api/v1/products/{pid}"), None),
        (Method::GET, format!("/api/v1/products/{pid}/variants"), None),
        (
            Method::POST,
            format!("/api/v1/products/{pid}/variants"),
            Some(json!({"sku": "X"})),
        ),
        (
            Method::PUT,
            format!("/api/v1/products/{pid}/variants/{vid}"),
            Some(json!({"price": "1"})),
        ),
        (Method::DELETE, format!("/api/v1/products/{pid}/variants/{vid}"), None),
        (Method::GET, format!("/api/v1/products/{pid}/media-assets"), None),
        (
            Method::POST,
            format!("/api/v1/products/{pid}/media-assets"),
            Some(json!({"publicUrl": "https://c.example/x.jpg"})),
        ),
        (
            Method::PUT,
            format!("/api/v1/products/{pid}/media-assets/{mid}"),
            Some(json!({"altText": "x"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/products/{pid}/media-assets/{mid}"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/products/{pid}/media-assets/reorder"),
            Some(json!({"assetIds": [mid]})),
        ),
        (Method::GET, format!("/api/v1/products/{pid}/variant-options"), None),
        (
            Method::POST,
            format!("/api/v1/products/{pid}/variant-options"),
            Some(json!({"variantOptionIds": []})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/products/{pid}/variant-options/{sid}"),
            None,
        ),
        (Method::GET, format!("/api/v1/variant-options/{sid}"), None),
        (
            Method::PUT,
            format!("/api/v1/variant-options/{sid}"),
            Some(json!({"name": "Mine"})),
        ),
        (Method::DELETE, format!("/api/v1/variant-options/{sid}"), None),
    ];
    for (method, path, body) in not_found {
        let r = app.call(method.clone(), &path, k, body).await;
        assert_eq!(r.status.as_u16(), 404, "{method} {path}: {}", r.body);
    }
    assert_eq!(
        app.call(Method::GET, "/api/v1/products", k, None)
            .await
            .expect(200)
            .body,
        json!([])
    );
    assert_eq!(
        app.call(Method::GET, "/api/v1/variant-options", k, None)
            .await
            .expect(200)
            .body,
        json!([])
    );
    let found = app
        .call(
            Method::GET,
            "/api/v1/products/search?syncSource=shopify&syncSourceId=77",
            k,
            None,
        )
        .await
        .expect(200);
    assert_eq!(found.body, json!([]));
    // Their option cannot be assigned, nor their media attached, nor the same sync source hijacked.
    let mine = app
        .call(Method::POST, "/api/v1/products", k, Some(json!({"name": "Mine", "url": "https://x.example", "primarySyncSource": {"syncSource": "shopify", "syncSourceId": "77"}})))
        .await
        .expect(201);
    assert_ne!(mine.body["id"], p["id"]);
    let mine_id = mine.body["id"].as_str().unwrap();
    app.call(
        Method::POST,
        &format!("/api/v1/products/{mine_id}/variant-options"),
        k,
        Some(json!({"variantOptionIds": [sid]})),
    )
    .await
    .expect_error(400, "variantOptionIds[0]");
    app.call(
        Method::POST,
        &format!("/api/v1/products/{mine_id}/media-assets"),
        k,
        Some(json!({"mediaAssetId": p["productMediaAssets"][0]["mediaAssetId"]})),
    )
    .await
    .expect_error(400, "mediaAssetId");
    // And the owner's product is untouched.
    let r = app
        .get(&format!("/api/v1/products/{pid}?include=variants"))
        .await
        .expect(200);
    assert_eq!(r.body["name"], "Secret");
    assert_eq!(r.body["archived"], false);
    assert_eq!(r.body["variants"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn publishable_keys_read_active_products_only() {
    let app = spawn().await;
    let pk = Some(app.org.publishable_key.as_str());
    let live = app.product(json!({"name": "Live", "url": "https://x.example"})).await;
    let draft = app
        .product(json!({"name": "Draft", "url": "https://x.example", "status": "draft"}))
        .await;
    let archived = app.product(json!({"name": "Old", "url": "https://x.example"})).await;
    app.delete(&format!("/api/v1/products/{}", archived["id"].as_str().unwrap()))
        .await
        .expect(200);

    let list = app
        .call(Method::GET, "/api/v1/products?archived=all", pk, None)
        .await
        .expect(200);
    let names: Vec<_> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("Live")]);
    app.call(
        Method::GET,
        &format!("/api/v1/products/{}", live["id"].as_str().unwrap()),
        pk,
        None,
    )
    .await
    .expect(200);
    app.call(
        Method::GET,
        &format!("/api/v1/products/{}", draft["id"].as_str().unwrap()),
        pk,
        None,
    )
    .await
    .expect(404);
    app.call(
        Method::GET,
        &format!("/api/v1/products/{}", archived["id"].as_str().unwrap()),
        pk,
        None,
    )
    .await
    .expect(404);
    app.call(
        Method::GET,
        &format!("/api/v1/products/{}/variants", draft["id"].as_str().unwrap()),
        pk,
        None,
    )
    .await
    .expect(404);
    // Variants, media and assigned options of a live product are readable.
    for part in ["variants", "media-assets", "variant-options"] {
        let path = format!("/api/v1/products/{}/{part}", live["id"].as_str().unwrap());
        app.call(Method::GET, &path, pk, None).await.expect(200);
    }

    let writes = [
        (
            Method::POST,
            "/api/v1/products".to_owned(),
            Some(json!({"name": "X", "url": "https://x.example"})),
        ),
        (
            Method::PUT,
            format!("/api/v1/products/{}", live["id"].as_str().unwrap()),
            Some(json!({"name": "X"})),
        ),
        (
            Method::DELETE,
            format!("/api/v1/products/{}", live["id"].as_str().unwrap()),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/products/{}/variants", live["id"].as_str().unwrap()),
            Some(json!({"sku": "X"})),
        ),
        (
            Method::POST,
            "/api/v1/variant-options".to_owned(),
            Some(json!({"name": "X"})),
        ),
        (Method::GET, "/api/v1/variant-options".to_owned(), None),
    ];
    for (method, path, body) in writes {
        let r = app.call(method.clone(), &path, pk, body).await;
        assert_eq!(r.status.as_u16(), 403, "{method} {path}: {}", r.body);
        assert_eq!(r.body["code"], "forbidden");
    }
    assert_eq!(app.get("/api/v1/products").await.body.as_array().unwrap().len(), 2);
}
