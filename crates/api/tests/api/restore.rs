//! Products deleted for good come back whole through `POST /api/v1/pim/products/{id}/restore`:
//! deleted through the PIM, the CS-Cart API or for good after Medusa's soft delete, each read
//! back through every API equal to the read before the deletion; refusals (another
//! organization, twice, a taken SKU, a deleted category) and the retention window.

use crate::cscart_products::{category, cs};
use crate::harness::{Resp, TestApp, id_of, spawn, value_id};
use axum::body::Body;
use axum::http::Method;
use serde_json::{Value, json};

/// `Authorization: Basic base64(<key>:)`, as Medusa's SDK sends it.
async fn medusa(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> Resp {
    use base64::Engine;
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{}:", app.org.secret_key))
    );
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.raw(method, path, None, body, &[("authorization", &auth)]).await
}

/// A product with shared options, two variants with prices, media, a category and a brand;
/// its id.
async fn rich_product(app: &TestApp) -> String {
    let size = app.option("Size", &["S", "M", "L"]).await;
    let sid = size["id"].as_str().unwrap();
    let p = app
        .product(json!({
            "name": "Rain Jacket",
            "url": "https://shop.example.com/rain-jacket",
            "description": "Keeps you dry",
            "metadata": {"season": "FW"},
            "variantOptionIds": [sid],
            "variants": [
                {"sku": "RJ-S", "price": "99.00", "inventoryQuantity": 4, "options": [{"optionId": sid, "value": "S"}]},
                {"sku": "RJ-M", "price": "99.5", "options": [{"optionId": sid, "valueId": value_id(&size, "M")}]}
            ],
            "productMediaAssets": [
                {"mediaAsset": {"publicUrl": "https://cdn.example.com/rj-front.jpg", "altText": "Front"}, "purpose": "gallery"},
                {"publicUrl": "https://cdn.example.com/rj-back.jpg"}
            ]
        }))
        .await;
    let id = id_of(&p);
    let cat = app.pim_create("/api/v1/pim/categories", json!({"name": "Coats"})).await;
    let brand = app.pim_create("/api/v1/pim/brands", json!({"name": "Acme"})).await;
    app.pim_create("/api/v1/pim/attributes", json!({"name": "Color", "key": "color"}))
        .await;
    app.pim_put(
        &format!("/api/v1/pim/products/{id}"),
        json!({"category_id": id_of(&cat), "brand_id": id_of(&brand), "attributes": {"color": "navy"},
               "subtitle": "Light", "weight": 0.8}),
    )
    .await
    .expect(200);
    id
}

/// The product as each API reads it.
async fn reads(app: &TestApp, id: &str) -> Vec<Value> {
    let pim = app
        .pim_get(&format!("/api/v1/pim/products/{id}"))
        .await
        .expect(200)
        .body;
    let number = pim["number"].as_i64().unwrap();
    vec![
        pim,
        app.get(&format!("/api/v1/products/{id}")).await.expect(200).body,
        cs(app, Method::GET, &format!("/api/products/{number}"), None)
            .await
            .expect(200)
            .body,
    ]
}

async fn restore(app: &TestApp, id: &str) -> Resp {
    app.pim_post(&format!("/api/v1/pim/products/{id}/restore"), json!({}))
        .await
}

#[tokio::test]
async fn a_product_deleted_through_the_pim_comes_back_whole() {
    let app = spawn().await;
    let id = rich_product(&app).await;
    let before = reads(&app, &id).await;
    assert_eq!(before[0]["variants"].as_array().unwrap().len(), 2);
    assert_eq!(before[0]["media"].as_array().unwrap().len(), 2, "{}", before[0]);
    assert_eq!(before[0]["attributes"]["color"], "navy", "{}", before[0]);
    let stats = app.pim_get("/api/v1/pim/stats").await.expect(200).body;
    app.pim_delete(&format!("/api/v1/pim/products/{id}")).await.expect(204);
    app.pim_get(&format!("/api/v1/pim/products/{id}")).await.expect(404);
    assert_ne!(app.pim_get("/api/v1/pim/stats").await.body, stats);

    let listed = app.pim_get("/api/v1/pim/deleted-products").await.expect(200).body;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["id"], id.as_str());
    assert_eq!(listed[0]["title"], "Rain Jacket");
    assert_eq!(listed[0]["sku"], "RJ-S");
    assert_eq!(listed[0]["number"], before[0]["number"]);
    assert!(listed[0]["restorable_until"].as_str().unwrap() > listed[0]["deleted_at"].as_str().unwrap());

    // Another organization's key finds nothing to restore, and lists nothing.
    let other = app
        .pim_as(
            &app.other,
            Method::POST,
            &format!("/api/v1/pim/products/{id}/restore"),
            None,
        )
        .await;
    assert_eq!(other.expect(404).body["code"], "not_found");
    let theirs = app
        .pim_as(&app.other, Method::GET, "/api/v1/pim/deleted-products", None)
        .await
        .expect(200);
    assert_eq!(theirs.body, json!([]));

    let restored = restore(&app, &id).await.expect(200).body;
    assert_eq!(restored, before[0]);
    assert_eq!(reads(&app, &id).await, before);
    // Counted and searchable again, by its words and its SKUs.
    assert_eq!(app.pim_get("/api/v1/pim/stats").await.body, stats);
    for q in ["rain", "rj-m"] {
        let found = app
            .pim_get(&format!("/api/v1/pim/products?q={q}"))
            .await
            .expect(200)
            .body;
        assert_eq!(found.as_array().unwrap().len(), 1, "{q}: {found}");
    }
    assert_eq!(app.pim_get("/api/v1/pim/deleted-products").await.body, json!([]));
    // Twice: nothing left to restore.
    restore(&app, &id).await.expect(404);

    // The restore is in the audit log, product and variants.
    let events = app
        .pim_get(&format!("/api/v1/pim/audit?action=restore&entity_id={id}"))
        .await
        .expect(200)
        .body;
    let events = events
        .as_array()
        .cloned()
        .unwrap_or_else(|| events["items"].as_array().unwrap().clone());
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["changes"]["name"]["after"], "Rain Jacket", "{events:?}");

    // Deleted again, it can be restored again.
    app.pim_delete(&format!("/api/v1/pim/products/{id}")).await.expect(204);
    restore(&app, &id).await.expect(200);
    assert_eq!(reads(&app, &id).await, before);
}

#[tokio::test]
async fn a_medusa_product_comes_back_after_its_deletion_for_good() {
    let app = spawn().await;
    let post = |path: &'static str, body: Value| medusa(&app, Method::POST, path, Some(body));
    let col = post("/admin/collections", json!({"title": "Summer"}))
        .await
        .expect(200)
        .body["collection"]
        .clone();
    let tag = post("/admin/product-tags", json!({"value": "sale"}))
        .await
        .expect(200)
        .body["product_tag"]
        .clone();
    let typ = post("/admin/product-types", json!({"value": "Shirt"}))
        .await
        .expect(200)
        .body["product_type"]
        .clone();
    let shirt = json!({
        "tags": [{"id": id_of(&tag)}], "collection_id": id_of(&col), "type_id": id_of(&typ),
        "title": "Red Cotton Shirt",
        "subtitle": "Comfy",
        "description": "A shirt",
        "status": "published",
        "thumbnail": "https://example.com/thumb.png",
        "images": [{"url": "https://example.com/1.png"}, {"url": "https://example.com/2.png"}],
        "metadata": {"color": "red", "n": 1},
        "weight": 100, "origin_country": "us", "hs_code": "610910", "external_id": "ext-1",
        "options": [{"title": "Size", "values": ["S", "M"]}],
        "variants": [
            {"title": "Small", "sku": "RCS-S", "options": {"Size": "S"},
             "prices": [{"currency_code": "usd", "amount": 10}, {"currency_code": "eur", "amount": 9.5}]},
            {"title": "Medium", "sku": "RCS-M", "options": {"Size": "M"},
             "prices": [{"currency_code": "usd", "amount": 12}], "barcode": "123", "metadata": {"v": 1}}
        ]
    });
    let p = medusa(&app, Method::POST, "/admin/products", Some(shirt))
        .await
        .expect(200)
        .body["product"]
        .clone();
    let mid = id_of(&p);
    let id = app.pim_get("/api/v1/pim/products").await.expect(200).body[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before_medusa = medusa(&app, Method::GET, &format!("/admin/products/{mid}"), None)
        .await
        .expect(200)
        .body;
    let before_pim = app
        .pim_get(&format!("/api/v1/pim/products/{id}"))
        .await
        .expect(200)
        .body;

    // Deleted for good through the PIM, it comes back with its own options, prices in every
    // currency, images, external id and Medusa's own fields.
    app.pim_delete(&format!("/api/v1/pim/products/{id}")).await.expect(204);
    medusa(&app, Method::GET, &format!("/admin/products/{mid}"), None)
        .await
        .expect(404);
    restore(&app, &id).await.expect(200);
    let after = medusa(&app, Method::GET, &format!("/admin/products/{mid}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(after, before_medusa);
    assert_eq!(after["product"]["variants"][0]["prices"].as_array().unwrap().len(), 2);
    assert_eq!(after["product"]["tags"][0]["value"], "sale", "{after}");
    assert_eq!(after["product"]["collection_id"], id_of(&col).as_str());
    assert_eq!(after["product"]["type_id"], id_of(&typ).as_str());
    assert_eq!(
        app.pim_get(&format!("/api/v1/pim/products/{id}")).await.body,
        before_pim
    );
    // The external id still finds it.
    let found = medusa(&app, Method::GET, "/admin/products?external_id=ext-1", None)
        .await
        .expect(200)
        .body;
    assert_eq!(found["count"], 1, "{found}");

    // Medusa's own delete archives: nothing is destroyed, so there is nothing to restore.
    medusa(&app, Method::DELETE, &format!("/admin/products/{mid}"), None)
        .await
        .expect(200);
    restore(&app, &id).await.expect(404);
    app.pim_get(&format!("/api/v1/pim/products/{id}")).await.expect(200);
}

#[tokio::test]
async fn a_product_deleted_through_cscart_comes_back_with_its_number() {
    let app = spawn().await;
    let cat = category(&app, "Pants", None).await;
    let made = cs(
        &app,
        Method::POST,
        "/api/products",
        Some(
            json!({"product": "100g Pants", "category_ids": [cat], "price": 30, "list_price": "31",
                    "amount": 10, "product_code": "PANTS-1", "age_limit": 18}),
        ),
    )
    .await
    .expect(201)
    .body;
    let number = made["product_id"].as_i64().unwrap();
    let before = cs(&app, Method::GET, &format!("/api/products/{number}"), None)
        .await
        .expect(200)
        .body;
    let id = app.pim_get("/api/v1/pim/products").await.body[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    cs(&app, Method::DELETE, &format!("/api/products/{number}"), None)
        .await
        .expect(204);
    cs(&app, Method::GET, &format!("/api/products/{number}"), None)
        .await
        .expect(404);
    let restored = restore(&app, &id).await.expect(200).body;
    assert_eq!(restored["number"], number);
    let after = cs(&app, Method::GET, &format!("/api/products/{number}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(after, before);
}

#[tokio::test]
async fn a_restore_refuses_a_taken_sku_or_handle_and_a_deleted_category() {
    let app = spawn().await;
    let id = rich_product(&app).await;
    app.pim_delete(&format!("/api/v1/pim/products/{id}")).await.expect(204);

    // Another product took a SKU: 409 naming the variant's SKU, and nothing is written.
    let taker = app
        .product(json!({"name": "Other", "url": "https://shop.example.com/other", "variants": [{"sku": "RJ-M"}]}))
        .await;
    restore(&app, &id).await.expect_error(409, "variants[1].sku");
    app.pim_get(&format!("/api/v1/pim/products/{id}")).await.expect(404);
    app.pim_delete(&format!("/api/v1/pim/products/{}", id_of(&taker)))
        .await
        .expect(204);

    // Another product took the handle.
    let taker = app
        .pim_create("/api/v1/pim/products", json!({"title": "Rain Jacket"}))
        .await;
    assert_eq!(taker["handle"], "rain-jacket");
    restore(&app, &id).await.expect_error(409, "handle");
    app.pim_delete(&format!("/api/v1/pim/products/{}", id_of(&taker)))
        .await
        .expect(204);

    // Its category was deleted since: 409 naming it; recreating it is the caller's to do.
    let listed = app.pim_get("/api/v1/pim/categories").await.expect(200).body;
    let cat = listed
        .as_array()
        .cloned()
        .unwrap_or_else(|| listed["items"].as_array().unwrap().clone())[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.pim_delete(&format!("/api/v1/pim/categories/{cat}"))
        .await
        .expect(204);
    let r = restore(&app, &id).await.expect_error(409, "category_id");
    assert_eq!(r.body["code"], "missing_reference", "{}", r.body);
    // Still restorable once nothing stands in the way any more: the refusals wrote nothing.
    let listed = app.pim_get("/api/v1/pim/deleted-products").await.body;
    assert!(
        listed.as_array().unwrap().iter().any(|d| d["id"] == id.as_str()),
        "{listed}"
    );
    app.pim_get(&format!("/api/v1/pim/products/{id}")).await.expect(404);
}

#[tokio::test]
async fn past_the_retention_window_nothing_is_restored_and_the_sweep_removes_it() {
    let mut app = spawn().await;
    let id = rich_product(&app).await;
    app.pim_delete(&format!("/api/v1/pim/products/{id}")).await.expect(204);
    // Still in the window: listed; then the same app with a window of nothing.
    assert_eq!(
        app.pim_get("/api/v1/pim/deleted-products")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let options = pimento_api::AppOptions {
        deleted_retention: std::time::Duration::ZERO,
        ..pimento_api::AppOptions::default()
    };
    let default_router = app.router.clone();
    app.router = pimento_api::router(pimento_api::AppState::with_options(
        app.store.clone(),
        app.blobs.clone(),
        options,
    ));
    assert_eq!(app.pim_get("/api/v1/pim/deleted-products").await.body, json!([]));
    restore(&app, &id).await.expect(404);

    // A sweep with the default window keeps it; one past it removes it for good.
    let day = std::time::Duration::from_secs(24 * 3600);
    assert_eq!(app.store.purge_deleted_products(30 * day).await.unwrap(), 0);
    assert_eq!(
        app.store
            .purge_deleted_products(std::time::Duration::ZERO)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app.store
            .purge_deleted_products(std::time::Duration::ZERO)
            .await
            .unwrap(),
        0
    );
    app.router = default_router;
    assert_eq!(app.pim_get("/api/v1/pim/deleted-products").await.body, json!([]));
    restore(&app, &id).await.expect(404);
}

#[tokio::test]
async fn a_bulk_delete_is_restorable_too() {
    let app = spawn().await;
    let id = rich_product(&app).await;
    let before = reads(&app, &id).await;
    let job = app
        .pim_post(
            "/api/v1/pim/bulk-jobs",
            json!({"type": "BULK_DELETE", "payload": {"product_ids": [id]}}),
        )
        .await;
    assert!(job.status.is_success(), "{}", job.body);
    app.run_jobs().await;
    app.pim_get(&format!("/api/v1/pim/products/{id}")).await.expect(404);
    restore(&app, &id).await.expect(200);
    assert_eq!(reads(&app, &id).await, before);
}

#[tokio::test]
async fn a_restore_refuses_a_sync_source_taken_since() {
    let app = spawn().await;
    let body = |name: &str| {
        json!({"name": name, "url": "https://x.example",
               "primarySyncSource": {"syncSource": "shopify", "syncSourceId": "gid-1"}})
    };
    let p = app.product(body("First")).await;
    let id = id_of(&p);
    app.pim_delete(&format!("/api/v1/pim/products/{id}")).await.expect(204);
    let taker = app.product(body("Second")).await;
    assert_ne!(id_of(&taker), id);
    let r = restore(&app, &id).await.expect(409);
    assert_eq!(r.body["code"], "duplicate_sync_source", "{}", r.body);
    app.pim_get(&format!("/api/v1/pim/products/{id}")).await.expect(404);
    // Once the link is free again, the product comes back with it.
    app.pim_delete(&format!("/api/v1/pim/products/{}", id_of(&taker)))
        .await
        .expect(204);
    restore(&app, &id).await.expect(200);
    let back = app.get(&format!("/api/v1/products/{id}")).await.expect(200).body;
    assert_eq!(back["primarySyncSource"]["syncSourceId"], "gid-1", "{back}");
}
