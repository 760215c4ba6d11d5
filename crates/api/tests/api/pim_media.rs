//! `/api/v1/pim/media`.

use crate::harness::{id_of, spawn};
use serde_json::{Value, json};

#[tokio::test]
async fn seed_example_attach_media_to_products_and_variants() {
    let app = spawn().await;
    let p = app.pim_create("/api/v1/pim/products", json!({"title": "Tee"})).await;
    let pid = id_of(&p);
    let v = app
        .pim_create(
            &format!("/api/v1/pim/products/{pid}/variants"),
            json!({"sku": "TEE-RED"}),
        )
        .await;
    let back = app
        .pim_create(
            "/api/v1/pim/media",
            json!({"url": "https://cdn.example/back.jpg", "product_id": pid, "alt_text": "Back", "position": 2}),
        )
        .await;
    let front = app
        .pim_create(
            "/api/v1/pim/media",
            json!({"url": "https://cdn.example/front.jpg", "product_id": pid, "alt_text": "Front", "position": 1}),
        )
        .await;
    // A variant's media: its product is found from the variant.
    let red = app
        .pim_create(
            "/api/v1/pim/media",
            json!({"url": "https://cdn.example/red.jpg", "variant_id": v["id"]}),
        )
        .await;
    assert_eq!(red["product_id"], p["id"]);
    assert_eq!(red["variant_id"], v["id"]);
    assert_eq!(front["url"], "https://cdn.example/front.jpg");
    assert_eq!(front["alt_text"], "Front");
    // Lower positions first.
    let listed = app
        .pim_get(&format!("/api/v1/pim/media?product_id={pid}"))
        .await
        .expect(200)
        .body;
    let urls: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls[..2],
        ["https://cdn.example/front.jpg", "https://cdn.example/back.jpg"]
    );
    assert_eq!(urls.len(), 3);
    let of_variant = app
        .pim_get(&format!("/api/v1/pim/media?variant_id={}", id_of(&v)))
        .await
        .body;
    assert_eq!(of_variant, json!([red.clone()]));
    // The same attachments the Products API shows.
    let v1 = app.get(&format!("/api/v1/products/{pid}")).await.body;
    assert_eq!(v1["productMediaAssets"].as_array().unwrap().len(), 3);
    assert_eq!(v1["productMediaAssets"][0]["id"], front["id"]);
    // Every attachment, a page at a time.
    let page = app.pim_get("/api/v1/pim/media?limit=2").await.expect(200);
    assert_eq!(page.body.as_array().unwrap().len(), 2);
    let next = page.header("x-next-cursor").unwrap().to_owned();
    let rest = app
        .pim_get(&format!("/api/v1/pim/media?limit=2&cursor={next}"))
        .await
        .body;
    assert_eq!(rest.as_array().unwrap().len(), 1);
    // Get and delete one.
    let path = format!("/api/v1/pim/media/{}", id_of(&back));
    assert_eq!(app.pim_get(&path).await.expect(200).body, back);
    app.pim_delete(&path).await.expect(204);
    app.pim_get(&path).await.expect(404);
    assert_eq!(
        app.get(&format!("/api/v1/products/{pid}")).await.body["productMediaAssets"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn media_input_errors() {
    let app = spawn().await;
    let p = app.pim_create("/api/v1/pim/products", json!({"title": "Tee"})).await;
    let m = "/api/v1/pim/media";
    app.pim_post(m, json!({"url": "not a url", "product_id": p["id"]}))
        .await
        .expect_error(400, "url");
    app.pim_post(m, json!({"product_id": p["id"]}))
        .await
        .expect_error(400, "url");
    app.pim_post(m, json!({"url": "https://cdn.example/a.jpg"}))
        .await
        .expect_error(400, "product_id");
    app.pim_post(
        m,
        json!({"url": "https://cdn.example/a.jpg", "product_id": uuid::Uuid::now_v7()}),
    )
    .await
    .expect(404);
    app.pim_post(
        m,
        json!({"url": "https://cdn.example/a.jpg", "variant_id": uuid::Uuid::now_v7()}),
    )
    .await
    .expect(404);
    app.pim_post(
        m,
        json!({"url": "https://cdn.example/a.jpg", "product_id": p["id"], "position": -1}),
    )
    .await
    .expect_error(400, "position");
    // A variant of another product is refused.
    let q = app.pim_create("/api/v1/pim/products", json!({"title": "Other"})).await;
    let qv = app
        .pim_create(
            &format!("/api/v1/pim/products/{}/variants", id_of(&q)),
            json!({"sku": "Q-1"}),
        )
        .await;
    app.pim_post(
        m,
        json!({"url": "https://cdn.example/a.jpg", "product_id": p["id"], "variant_id": qv["id"]}),
    )
    .await
    .expect_error(400, "variant_id");
    app.pim_get("/api/v1/pim/media?product_id=nope")
        .await
        .expect_error(400, "product_id");
    assert_eq!(app.pim_get(m).await.body, Value::Array(vec![]));
}
