//! The PIM's product fields beyond the first release: per-organization numbers, details (SEO,
//! shipping size, short description), vendor, collection, type and tags, and variant list
//! prices and prices in other currencies.

use crate::harness::{TestApp, id_of, spawn};
use pimento_core::auth::Ctx;
use pimento_core::collection::CollectionInput;
use pimento_core::ids::TagId;
use pimento_core::label::LabelInput;
use pimento_core::vendor::VendorInput;
use serde_json::json;

async fn ctx(app: &TestApp, key: &str) -> Ctx {
    Ctx {
        principal: app.store.authenticate(key).await.unwrap().unwrap(),
        request_id: None,
    }
}

#[tokio::test]
async fn products_carry_numbers_details_and_groupings() {
    let app = spawn().await;
    let mine = ctx(&app, &app.org.secret_key).await;
    let vendor = app
        .store
        .create_vendor(
            &mine,
            VendorInput {
                name: "Acme".into(),
                ..VendorInput::default()
            },
        )
        .await
        .unwrap();
    let summer = app
        .store
        .create_collection(
            &mine,
            CollectionInput {
                title: "Summer".into(),
                ..CollectionInput::default()
            },
        )
        .await
        .unwrap();
    let tag = app
        .store
        .create_label::<TagId>(
            &mine,
            LabelInput {
                value: "linen".into(),
                metadata: None,
            },
        )
        .await
        .unwrap();

    let first = app.pim_create("/api/v1/pim/products", json!({"title": "Plain"})).await;
    assert_eq!(first["number"], 1);
    let p = app
        .pim_create(
            "/api/v1/pim/products",
            json!({
                "title": "Linen Shirt",
                "subtitle": "Breathes",
                "short_description": "Light and airy",
                "meta_keywords": "summer beach",
                "seo_name": "linen-shirt",
                "page_title": "Linen Shirt",
                "meta_description": "A linen shirt",
                "thumbnail": "https://cdn.example.com/linen.jpg",
                "weight": 0.25, "length": 30, "width": 20.5, "height": 2,
                "vendor_id": vendor.id, "collection_id": summer.id, "tag_ids": [tag.id],
            }),
        )
        .await;
    assert_eq!(p["number"], 2);
    assert_eq!(p["subtitle"], "Breathes");
    assert_eq!(p["width"], 20.5);
    assert_eq!(p["vendor_id"], json!(vendor.id));
    assert_eq!(p["tag_ids"], json!([tag.id]));
    let id = id_of(&p);
    assert_eq!(
        app.pim_get(&format!("/api/v1/pim/products/{id}"))
            .await
            .expect(200)
            .body,
        p
    );

    // Found by its short description and keywords, and by what groups it.
    for query in [
        "q=airy",
        "q=beach",
        &format!("vendor_id={}", vendor.id),
        &format!("tag_id={}", tag.id),
        &format!("collection_id={}", summer.id),
    ] {
        let r = app.pim_get(&format!("/api/v1/pim/products?{query}")).await.expect(200);
        let ids: Vec<String> = r.body.as_array().unwrap().iter().map(id_of).collect();
        assert_eq!(ids, std::slice::from_ref(&id), "{query}");
    }

    // null clears; what is left out stays.
    let u = app
        .pim_put(
            &format!("/api/v1/pim/products/{id}"),
            json!({"subtitle": null, "weight": 0.3, "tag_ids": [], "collection_id": null}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(u["subtitle"], json!(null));
    assert_eq!(u["weight"], 0.3);
    assert_eq!(u["short_description"], "Light and airy");
    assert_eq!(u["tag_ids"], json!([]));
    assert_eq!(u["collection_id"], json!(null));
    assert_eq!(u["number"], 2, "a number never changes");

    // Bad values name their field; another organization's vendor is unknown here.
    app.pim_post("/api/v1/pim/products", json!({"title": "X", "weight": -1}))
        .await
        .expect_error(400, "weight");
    app.pim_post("/api/v1/pim/products", json!({"title": "X", "thumbnail": "not a url"}))
        .await
        .expect_error(400, "thumbnail");
    let theirs = ctx(&app, &app.other.secret_key).await;
    let their_vendor = app
        .store
        .create_vendor(
            &theirs,
            VendorInput {
                name: "Theirs".into(),
                ..VendorInput::default()
            },
        )
        .await
        .unwrap();
    app.pim_post(
        "/api/v1/pim/products",
        json!({"title": "X", "vendor_id": their_vendor.id}),
    )
    .await
    .expect_error(400, "vendor_id");
    app.pim_post(
        "/api/v1/pim/products",
        json!({"title": "X", "tag_ids": [tag.id, tag.id]}),
    )
    .await
    .expect_error(400, "tag_ids[1]");
    let their_first = app
        .pim_as(
            &app.other,
            axum::http::Method::POST,
            "/api/v1/pim/products",
            Some(json!({"title": "T"})),
        )
        .await
        .expect(201);
    assert_eq!(their_first.body["number"], 1, "each organization counts on its own");
}

#[tokio::test]
async fn variants_carry_a_list_price_and_prices_in_other_currencies() {
    let app = spawn().await;
    let p = app.pim_create("/api/v1/pim/products", json!({"title": "Tee"})).await;
    let path = format!("/api/v1/pim/products/{}/variants", id_of(&p));
    let v = app
        .pim_create(
            &path,
            json!({"sku": "TEE-1", "price": "20", "currency": "USD", "list_price": 25,
                   "prices": [{"amount": "18.50", "currency": "EUR"}]}),
        )
        .await;
    assert_eq!(v["list_price"], "25.00");
    assert_eq!(v["prices"], json!([{"amount": "18.50", "currency": "EUR"}]));
    let u = app
        .pim_put(
            &format!("{path}/{}", id_of(&v)),
            json!({"list_price": null, "prices": [{"amount": 3000, "currency": "JPY"}]}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(u["list_price"], json!(null));
    assert_eq!(u["prices"], json!([{"amount": "3000", "currency": "JPY"}]));
    app.pim_post(
        &path,
        json!({"sku": "TEE-2", "price": "20", "prices": [{"amount": "1", "currency": "usd"}]}),
    )
    .await
    .expect_error(400, "prices[0].currency");
    app.pim_post(&path, json!({"sku": "TEE-3", "list_price": "5"}))
        .await
        .expect_error(400, "list_price");
    app.pim_post(
        &path,
        json!({"sku": "TEE-4", "price": "1", "prices": [{"amount": "x", "currency": "EUR"}]}),
    )
    .await
    .expect_error(400, "prices[0].amount");
}
