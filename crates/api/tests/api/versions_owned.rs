//! Versions of what a product owns: Medusa's variant routes send the variant's version and
//! honour `If-Match` with it; writes of a product's media and of the options linked to it, in
//! every API that has them, honour `If-Match` with the product's `ETag`.

use crate::harness::{TestApp, spawn};
use crate::versions::{Api, etag, get, send};
use axum::http::Method;
use serde_json::{Value, json};

/// A product with one variant, made through the Products API; its id.
async fn product(app: &TestApp) -> String {
    let made = app
        .product(json!({
            "name": "Rain jacket", "url": "https://x.example/rj", "status": "active",
            "variants": [{"sku": "RJ-1", "price": "10", "currency": "EUR"}]
        }))
        .await;
    made["id"].as_str().unwrap().to_owned()
}

/// The product's `ETag` as the Products API reads it.
async fn product_etag(app: &TestApp, id: &str) -> String {
    etag(&get(app, Api::Products, &format!("/api/v1/products/{id}")).await)
}

#[tokio::test]
async fn medusa_variant_routes_use_the_variants_version() {
    let app = spawn().await;
    let id = product(&app).await;
    let listed = get(&app, Api::Medusa, "/admin/products").await;
    let medusa_id = listed.body["products"][0]["id"].as_str().unwrap().to_owned();
    let variants = get(&app, Api::Medusa, &format!("/admin/products/{medusa_id}/variants")).await;
    let variant_id = variants.body["variants"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/admin/products/{medusa_id}/variants/{variant_id}");

    // The same version the Products API shows for the variant.
    let products_variant = get(&app, Api::Products, &format!("/api/v1/products/{id}?include=variants")).await;
    let version = products_variant.body["variants"][0]["version"].as_i64().unwrap();
    let current = format!("\"{version}\"");
    assert_eq!(etag(&get(&app, Api::Medusa, &path).await), current);

    let changed = send(
        &app,
        Api::Medusa,
        Method::POST,
        &path,
        Some(json!({"title": "Large"})),
        &[("if-match", current.as_str())],
    )
    .await
    .expect(200);
    let next = etag(&changed);
    assert_ne!(next, current);
    assert_eq!(changed.body["product"]["variants"][0]["title"], "Large");
    let stale = send(
        &app,
        Api::Medusa,
        Method::POST,
        &path,
        Some(json!({"title": "Lost"})),
        &[("if-match", current.as_str())],
    )
    .await
    .expect(412);
    assert_eq!((etag(&stale), &stale.body["type"]), (next.clone(), &json!("conflict")));
    let read = get(&app, Api::Medusa, &path).await;
    assert_eq!(
        (etag(&read), &read.body["variant"]["title"]),
        (next.clone(), &json!("Large"))
    );
    send(
        &app,
        Api::Medusa,
        Method::DELETE,
        &path,
        None,
        &[("if-match", current.as_str())],
    )
    .await
    .expect(412);
    let gone = send(
        &app,
        Api::Medusa,
        Method::DELETE,
        &path,
        None,
        &[("if-match", next.as_str())],
    )
    .await
    .expect(200);
    assert_eq!(gone.body["deleted"], true);
    assert_eq!(get(&app, Api::Medusa, &path).await.body, json!({}));
}

#[tokio::test]
async fn medusa_variant_creates_and_batches_use_the_products_version() {
    let app = spawn().await;
    let id = product(&app).await;
    let listed = get(&app, Api::Medusa, "/admin/products").await;
    let medusa_id = listed.body["products"][0]["id"].as_str().unwrap().to_owned();
    let stale = "\"999\"";
    let variant = json!({"title": "Spare", "sku": "RJ-2", "prices": [{"currency_code": "eur", "amount": 12}]});
    let path = format!("/admin/products/{medusa_id}/variants");
    let refused = send(
        &app,
        Api::Medusa,
        Method::POST,
        &path,
        Some(variant.clone()),
        &[("if-match", stale)],
    )
    .await
    .expect(412);
    assert_eq!(etag(&refused), product_etag(&app, &id).await);
    let current = product_etag(&app, &id).await;
    send(
        &app,
        Api::Medusa,
        Method::POST,
        &path,
        Some(variant),
        &[("if-match", current.as_str())],
    )
    .await
    .expect(200);
    assert_ne!(product_etag(&app, &id).await, current);
    send(
        &app,
        Api::Medusa,
        Method::POST,
        &format!("{path}/batch"),
        Some(json!({"delete": []})),
        &[("if-match", current.as_str())],
    )
    .await
    .expect(412);
}

#[tokio::test]
async fn media_writes_use_the_products_version_in_the_products_api_and_the_pim() {
    let app = spawn().await;
    let id = product(&app).await;
    let media = format!("/api/v1/products/{id}/media-assets");
    let asset = json!({"publicUrl": "https://cdn.example/a.jpg", "name": "front"});
    let v1 = product_etag(&app, &id).await;

    let added = send(
        &app,
        Api::Products,
        Method::POST,
        &media,
        Some(asset.clone()),
        &[("if-match", v1.as_str())],
    )
    .await
    .expect(201);
    let v2 = product_etag(&app, &id).await;
    assert_ne!(v1, v2);
    let refused = send(
        &app,
        Api::Products,
        Method::POST,
        &media,
        Some(asset),
        &[("if-match", v1.as_str())],
    )
    .await
    .expect(412);
    assert_eq!(
        (etag(&refused), &refused.body["code"]),
        (v2.clone(), &json!("precondition_failed"))
    );
    let one = format!("{media}/{}", added.body["id"].as_str().unwrap());
    send(
        &app,
        Api::Products,
        Method::PUT,
        &one,
        Some(json!({"altText": "Front"})),
        &[("if-match", v1.as_str())],
    )
    .await
    .expect(412);
    send(
        &app,
        Api::Products,
        Method::PUT,
        &format!("{media}/reorder"),
        Some(json!({"assetIds": [added.body["id"]]})),
        &[("if-match", v1.as_str())],
    )
    .await
    .expect(412);
    send(
        &app,
        Api::Products,
        Method::DELETE,
        &one,
        None,
        &[("if-match", v1.as_str())],
    )
    .await
    .expect(412);
    assert_eq!(product_etag(&app, &id).await, v2, "refused writes change nothing");
    assert_eq!(get(&app, Api::Products, &media).await.body.as_array().unwrap().len(), 1);

    // The PIM's attachments: the same rule, with the product's ETag.
    let pim = send(
        &app,
        Api::Pim,
        Method::POST,
        "/api/v1/pim/media",
        Some(json!({"product_id": id, "url": "https://cdn.example/b.jpg"})),
        &[("if-match", v1.as_str())],
    )
    .await
    .expect(412);
    assert_eq!(etag(&pim), v2);
    let made = send(
        &app,
        Api::Pim,
        Method::POST,
        "/api/v1/pim/media",
        Some(json!({"product_id": id, "url": "https://cdn.example/b.jpg"})),
        &[("if-match", v2.as_str())],
    )
    .await
    .expect(201);
    let v3 = product_etag(&app, &id).await;
    let attachment = format!("/api/v1/pim/media/{}", made.body["id"].as_str().unwrap());
    send(
        &app,
        Api::Pim,
        Method::DELETE,
        &attachment,
        None,
        &[("if-match", v2.as_str())],
    )
    .await
    .expect(412);
    send(
        &app,
        Api::Pim,
        Method::DELETE,
        &attachment,
        None,
        &[("if-match", v3.as_str())],
    )
    .await
    .expect(204);
    send(&app, Api::Products, Method::DELETE, &one, None, &[("if-match", "*")])
        .await
        .expect(204);
}

#[tokio::test]
async fn option_links_use_the_products_version() {
    let app = spawn().await;
    let made = app
        .product(json!({"name": "Plain tee", "url": "https://x.example/t", "status": "active"}))
        .await;
    let id = made["id"].as_str().unwrap().to_owned();
    let size: Value = app.option("Size", &["S", "M"]).await;
    let size_id = size["id"].as_str().unwrap();
    let links = format!("/api/v1/products/{id}/variant-options");
    let v1 = product_etag(&app, &id).await;
    let refused = send(
        &app,
        Api::Products,
        Method::POST,
        &links,
        Some(json!({"variantOptionIds": [size_id]})),
        &[("if-match", "\"999\"")],
    )
    .await
    .expect(412);
    assert_eq!(etag(&refused), v1);
    send(
        &app,
        Api::Products,
        Method::POST,
        &links,
        Some(json!({"variantOptionIds": [size_id]})),
        &[("if-match", v1.as_str())],
    )
    .await
    .expect(200);
    let v2 = product_etag(&app, &id).await;
    send(
        &app,
        Api::Products,
        Method::DELETE,
        &format!("{links}/{size_id}"),
        None,
        &[("if-match", v1.as_str())],
    )
    .await
    .expect(412);

    // Medusa's link route takes the same ETag (its product ids are Medusa-shaped).
    let listed = get(&app, Api::Medusa, "/admin/products").await;
    let medusa_id = listed.body["products"][0]["id"].as_str().unwrap().to_owned();
    let stale = send(
        &app,
        Api::Medusa,
        Method::POST,
        &format!("/admin/products/{medusa_id}/options/batch"),
        Some(json!({"remove": []})),
        &[("if-match", v1.as_str())],
    )
    .await
    .expect(412);
    assert_eq!((etag(&stale), &stale.body["type"]), (v2.clone(), &json!("conflict")));
    send(
        &app,
        Api::Products,
        Method::DELETE,
        &format!("{links}/{size_id}"),
        None,
        &[("if-match", v2.as_str())],
    )
    .await
    .expect(204);
}
