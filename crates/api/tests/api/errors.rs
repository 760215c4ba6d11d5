//! Malformed requests: every one a 4xx JSON body, never a 500.

use crate::harness::spawn;
use axum::body::Body;
use axum::http::Method;
use serde_json::json;

#[tokio::test]
async fn malformed_bodies_are_400_with_a_json_error() {
    let app = spawn().await;
    let key = Some(app.org.secret_key.as_str());
    for raw in ["{", "not json", "[1, 2", "{\"name\": \"x\",}", ""] {
        let r = app
            .raw(Method::POST, "/api/v1/products", key, Body::from(raw), &[])
            .await;
        assert_eq!(r.status.as_u16(), 400, "{raw:?}: {}", r.body);
        assert!(r.body["error"].is_string(), "{raw:?}: {}", r.body);
    }
    let r = app
        .raw(Method::POST, "/api/v1/products", key, Body::from("[]"), &[])
        .await;
    assert_eq!(r.status.as_u16(), 400, "{}", r.body);
    let r = app
        .raw(
            Method::POST,
            "/api/v1/products",
            key,
            Body::from("{\"name\": \"x\", \"url\": \"https://x.example\", \"variants\": {}}"),
            &[],
        )
        .await;
    assert_eq!(r.status.as_u16(), 400);
    assert_eq!(r.body["field"], "variants");
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let app = spawn().await;
    let big = json!({"name": "x", "url": "https://x.example", "description": "a".repeat(9 * 1024 * 1024)});
    let r = app.post("/api/v1/products", big).await;
    assert_eq!(r.status.as_u16(), 413, "{}", r.body);
    assert_eq!(r.body["code"], "payload_too_large");
}

#[tokio::test]
async fn overlong_and_out_of_range_values_are_400() {
    let app = spawn().await;
    app.post(
        "/api/v1/products",
        json!({"name": "x".repeat(501), "url": "https://x.example"}),
    )
    .await
    .expect_error(400, "name");
    app.post(
        "/api/v1/products",
        json!({"name": "x", "url": "https://x.example", "variants": [{"sku": "x".repeat(65)}]}),
    )
    .await
    .expect_error(400, "variants[0].sku");
    app.post(
        "/api/v1/products",
        json!({"name": "x", "url": "https://x.example", "variants": [{"inventoryQuantity": 1e300}]}),
    )
    .await
    .expect_error(400, "variants[0].inventoryQuantity");
    app.post(
        "/api/v1/products",
        json!({"name": "x", "url": "https://x.example", "variants": [{"price": "99999999999999999999999"}]}),
    )
    .await
    .expect_error(400, "variants[0].price");
    let many: Vec<_> = (0..3000).map(|i| json!({"sku": format!("S{i}")})).collect();
    app.post(
        "/api/v1/products",
        json!({"name": "x", "url": "https://x.example", "variants": many}),
    )
    .await
    .expect_error(400, "variants");
}

#[tokio::test]
async fn unknown_routes_and_methods_are_4xx() {
    let app = spawn().await;
    let r = app.get("/api/v1/nothing").await.expect(404);
    assert_eq!(r.body["code"], "not_found");
    let r = app
        .call(Method::PATCH, "/api/v1/products", Some(&app.org.secret_key), None)
        .await;
    assert_eq!(r.status.as_u16(), 405);
}
