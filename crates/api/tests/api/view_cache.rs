//! The product view cache never serves a read older than the last committed write: each write
//! path below is made after the product's view was cached (read twice: the second read is a
//! hit), and the next read must show it. Reads and writes go through different APIs on purpose.
//! Debug builds also check every hit against a fresh read (`store/src/view_cache.rs`), so a
//! write path that moved neither the product's version nor the names version fails here with a
//! 500 even where the assertion would not look.

use crate::harness::{Resp, TestApp, spawn};
use crate::versions::{Api, send};
use axum::body::Body;
use axum::http::Method;
use pimento_api::{AppState, router};
use pimento_store::Store;
use serde_json::{Value, json};
use tower::ServiceExt;

async fn medusa(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> Resp {
    send(app, Api::Medusa, method, path, body, &[]).await
}

async fn cscart(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> Resp {
    send(app, Api::CsCart, method, path, body, &[]).await
}

/// A Products API read through another app (another node's, or one with a cache of its own);
/// its body once it answered 200.
async fn get_via(app: &axum::Router, key: &str, path: &str) -> Value {
    get_via_with(app, key, path, &[]).await
}

/// [`get_via`] with more headers.
async fn get_via_with(app: &axum::Router, key: &str, path: &str, headers: &[(&str, String)]) -> Value {
    let mut req = axum::http::Request::get(path).header("authorization", format!("Bearer {key}"));
    for (name, value) in headers {
        req = req.header(*name, value);
    }
    let req = req.body(Body::empty()).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), 200);
    let bytes = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

fn medusa_id(uuid: &str) -> String {
    let uuid: uuid::Uuid = uuid.parse().unwrap();
    format!("prod_{}", ulid::Ulid::from(uuid))
}

/// Reads the product twice through the Products API (the second read is served from the
/// cache) and returns the body.
async fn cached(app: &TestApp, id: &str) -> Value {
    let path = format!("/api/v1/products/{id}?include=variants,mediaAssets");
    let first = app.get(&path).await.expect(200).body;
    let again = app.get(&path).await.expect(200).body;
    assert_eq!(first, again);
    again
}

async fn jacket(app: &TestApp) -> (Value, Value) {
    let size = app.option("Size", &["S", "M", "L"]).await;
    let p = app
        .product(json!({
            "name": "Rain Jacket", "url": "https://shop.example.com/rain-jacket",
            "variantOptionIds": [size["id"]],
            "variants": [{"sku": "RJ-S", "price": "129.00", "options": [{"optionId": size["id"], "value": "S"}]}],
            "productMediaAssets": [{"publicUrl": "https://cdn.example.com/rj.jpg", "altText": "Front"}]
        }))
        .await;
    (p, size)
}

#[tokio::test]
async fn a_cached_read_shows_every_write_to_the_product_and_what_it_owns() {
    let app = spawn().await;
    let (p, size) = jacket(&app).await;
    let id = p["id"].as_str().unwrap();
    cached(&app, id).await;

    // The product's own fields, through each API.
    app.put(&format!("/api/v1/products/{id}"), json!({"name": "Storm Jacket"}))
        .await
        .expect(200);
    assert_eq!(cached(&app, id).await["name"], "Storm Jacket");
    medusa(
        &app,
        Method::POST,
        &format!("/admin/products/{}", medusa_id(id)),
        Some(json!({"title": "Gale Jacket"})),
    )
    .await
    .expect(200);
    assert_eq!(cached(&app, id).await["name"], "Gale Jacket");
    let number = app
        .pim_get(&format!("/api/v1/pim/products/{id}"))
        .await
        .expect(200)
        .body["number"]
        .clone();
    cscart(
        &app,
        Method::PUT,
        &format!("/api/products/{number}"),
        Some(json!({"product": "Squall Jacket"})),
    )
    .await
    .expect(200);
    assert_eq!(cached(&app, id).await["name"], "Squall Jacket");
    app.pim_put(
        &format!("/api/v1/pim/products/{id}"),
        json!({"title": "Tempest Jacket"}),
    )
    .await
    .expect(200);
    assert_eq!(cached(&app, id).await["name"], "Tempest Jacket");

    // Its variants: a change, an addition, a removal.
    let vid = p["variants"][0]["id"].as_str().unwrap();
    app.put(
        &format!("/api/v1/products/{id}/variants/{vid}"),
        json!({"price": "99.00"}),
    )
    .await
    .expect(200);
    assert_eq!(cached(&app, id).await["variants"][0]["price"], "99.00");
    let added = app
        .post(
            &format!("/api/v1/products/{id}/variants"),
            json!({"sku": "RJ-M", "price": "129.00", "options": [{"optionId": size["id"], "value": "M"}]}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(cached(&app, id).await["variants"].as_array().unwrap().len(), 2);
    let added_id = added["id"].as_str().unwrap();
    app.delete(&format!("/api/v1/products/{id}/variants/{added_id}"))
        .await
        .expect(204);
    assert_eq!(cached(&app, id).await["variants"].as_array().unwrap().len(), 1);

    // Its media.
    let media = &p["productMediaAssets"][0]["id"];
    app.put(
        &format!("/api/v1/products/{id}/media-assets/{}", media.as_str().unwrap()),
        json!({"altText": "Back"}),
    )
    .await
    .expect(200);
    assert_eq!(
        cached(&app, id).await["productMediaAssets"][0]["mediaAsset"]["altText"],
        "Back"
    );
    app.post(
        &format!("/api/v1/products/{id}/media-assets"),
        json!({"publicUrl": "https://cdn.example.com/rj-2.jpg"}),
    )
    .await
    .expect(201);
    assert_eq!(
        cached(&app, id).await["productMediaAssets"].as_array().unwrap().len(),
        2
    );

    // Archived, then deleted for good.
    app.delete(&format!("/api/v1/products/{id}")).await.expect(200);
    assert_eq!(cached(&app, id).await["archived"], true);
    app.pim_delete(&format!("/api/v1/pim/products/{id}")).await.expect(204);
    app.get(&format!("/api/v1/products/{id}")).await.expect(404);
}

#[tokio::test]
async fn a_cached_read_shows_renamed_options_categories_and_tags() {
    let app = spawn().await;
    let (p, size) = jacket(&app).await;
    let id = p["id"].as_str().unwrap();
    cached(&app, id).await;

    // An option value renamed (its case), then the option itself: shared rows, no product write.
    let sid = size["id"].as_str().unwrap();
    app.put(
        &format!("/api/v1/variant-options/{sid}"),
        json!({"values": ["s", "M", "L"]}),
    )
    .await
    .expect(200);
    assert_eq!(cached(&app, id).await["variants"][0]["options"][0]["value"], "s");
    app.put(&format!("/api/v1/variant-options/{sid}"), json!({"name": "Fit"}))
        .await
        .expect(200);
    assert_eq!(cached(&app, id).await["variants"][0]["options"][0]["optionName"], "Fit");

    // A category's slug, as the PIM shows it.
    let cat = app
        .pim_post(
            "/api/v1/pim/categories",
            json!({"name": "Outerwear", "slug": "outerwear"}),
        )
        .await
        .expect(201)
        .body;
    app.pim_put(&format!("/api/v1/pim/products/{id}"), json!({"category": "outerwear"}))
        .await
        .expect(200);
    let pim = format!("/api/v1/pim/products/{id}");
    assert_eq!(app.pim_get(&pim).await.expect(200).body["category"], "outerwear");
    assert_eq!(app.pim_get(&pim).await.expect(200).body["category"], "outerwear");
    app.pim_put(
        &format!("/api/v1/pim/categories/{}", cat["id"].as_str().unwrap()),
        json!({"slug": "coats"}),
    )
    .await
    .expect(200);
    assert_eq!(app.pim_get(&pim).await.expect(200).body["category"], "coats");

    // A tag's value, as Medusa shows it.
    let tag = medusa(
        &app,
        Method::POST,
        "/admin/product-tags",
        Some(json!({"value": "rain"})),
    )
    .await
    .expect(200)
    .body["product_tag"]
        .clone();
    let mid = medusa_id(id);
    medusa(
        &app,
        Method::POST,
        &format!("/admin/products/{mid}"),
        Some(json!({"tags": [{"id": tag["id"]}]})),
    )
    .await
    .expect(200);
    let path = format!("/admin/products/{mid}?fields=id,*tags");
    let tags = |r: Resp| r.expect(200).body["product"]["tags"][0]["value"].clone();
    assert_eq!(tags(medusa(&app, Method::GET, &path, None).await), "rain");
    assert_eq!(tags(medusa(&app, Method::GET, &path, None).await), "rain");
    medusa(
        &app,
        Method::POST,
        &format!("/admin/product-tags/{}", tag["id"].as_str().unwrap()),
        Some(json!({"value": "storm"})),
    )
    .await
    .expect(200);
    assert_eq!(tags(medusa(&app, Method::GET, &path, None).await), "storm");
    medusa(
        &app,
        Method::DELETE,
        &format!("/admin/product-tags/{}", tag["id"].as_str().unwrap()),
        None,
    )
    .await
    .expect(200);
    assert_eq!(
        medusa(&app, Method::GET, &path, None).await.expect(200).body["product"]["tags"],
        json!([])
    );
}

const CSV: &str = "handle,title,sku,price,currency\ntee,Classic Tee,TEE-1,19.99,USD\n";

async fn job(app: &TestApp, r: Resp) -> Value {
    let r = r.expect(202);
    app.run_jobs().await;
    let done = app
        .pim_get(&format!("/api/v1/pim/jobs/{}", r.body["id"].as_str().unwrap()))
        .await
        .expect(200)
        .body;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    done
}

#[tokio::test]
async fn a_cached_read_shows_what_imports_and_bulk_jobs_change() {
    let app = spawn().await;
    job(&app, app.pim_upload("/api/v1/pim/imports?format=csv", CSV).await).await;
    let list = app.get("/api/v1/products").await.expect(200).body;
    let id = list[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(cached(&app, &id).await["name"], "Classic Tee");

    let changed = CSV.replace("Classic Tee", "Heavy Tee").replace("19.99", "24.99");
    job(&app, app.pim_upload("/api/v1/pim/imports?format=csv", changed).await).await;
    let v = cached(&app, &id).await;
    assert_eq!(v["name"], "Heavy Tee");
    assert_eq!(v["variants"][0]["price"], "24.99");

    job(
        &app,
        app.pim_post(
            "/api/v1/pim/bulk-jobs",
            json!({"type": "BULK_UPDATE", "payload": {"filter": {}, "price": {"adjust_percent": 10}}}),
        )
        .await,
    )
    .await;
    assert_eq!(cached(&app, &id).await["variants"][0]["price"], "27.49");

    job(
        &app,
        app.pim_post(
            "/api/v1/pim/bulk-jobs",
            json!({"type": "BULK_DELETE", "payload": {"filter": {}}}),
        )
        .await,
    )
    .await;
    app.get(&format!("/api/v1/products/{id}")).await.expect(404);
}

#[tokio::test]
async fn a_second_server_on_the_same_database_sees_each_write_at_once() {
    let app = spawn().await;
    // Another node: its own store, cache and app, on the same database.
    let other = router(AppState::new(Store::new(app.store.db().clone()), app.blobs.clone()));
    let key = &app.org.secret_key;
    let (p, _) = jacket(&app).await;
    let id = p["id"].as_str().unwrap();
    let path = format!("/api/v1/products/{id}?include=variants,mediaAssets");
    for round in 0..5 {
        get_via(&other, key, &path).await;
        get_via(&other, key, &path).await;
        let name = format!("Jacket {round}");
        app.put(&format!("/api/v1/products/{id}"), json!({"name": name}))
            .await
            .expect(200);
        assert_eq!(get_via(&other, key, &path).await["name"], name);
    }
}

#[tokio::test]
async fn the_cache_keeps_to_its_byte_budget_and_counts_its_hits() {
    let app = spawn().await;
    let budget = 64 << 10;
    let store = Store::with_view_cache(app.store.db().clone(), budget);
    let small = router(AppState::new(store.clone(), app.blobs.clone()));
    let mut ids = Vec::new();
    for i in 0..60 {
        let p = app
            .product(json!({
                "name": format!("Product {i}"), "url": format!("https://shop.example.com/p/{i}"),
                "description": "x".repeat(2000),
                "variants": [{"sku": format!("SKU-{i}"), "price": "1.00"}]
            }))
            .await;
        ids.push(p["id"].as_str().unwrap().to_owned());
    }
    // Every product twice, then the first one twice more: the last read is a hit.
    for id in ids.iter().chain(ids.iter()).chain([&ids[0], &ids[0]]) {
        get_via(
            &small,
            &app.org.secret_key,
            &format!("/api/v1/products/{id}?include=variants"),
        )
        .await;
    }
    let stats = store.view_cache_stats();
    assert_eq!(stats.budget, budget);
    assert!(stats.bytes <= budget, "{stats:?}");
    assert!(stats.entries > 0 && stats.entries < 60, "{stats:?}");
    assert_eq!(stats.hits + stats.misses, 122, "{stats:?}");
    assert!(stats.hits > 0, "{stats:?}");

    // The counts are exported.
    let metrics = app.get("/metrics").await.expect(200).body;
    let text = metrics.as_str().unwrap();
    assert!(text.contains("pimento_view_cache{measure=\"hits\"}"), "{text}");
    assert!(
        text.contains("pimento_view_cache{measure=\"budget\"} 67108864"),
        "{text}"
    );
}

#[tokio::test]
async fn a_cached_list_page_shows_every_write() {
    let app = spawn().await;
    let (p, size) = jacket(&app).await;
    let id = p["id"].as_str().unwrap();
    for i in 0..3 {
        app.product(json!({"name": format!("Other {i}"), "url": format!("https://shop.example.com/o/{i}")}))
            .await;
    }
    let path = "/api/v1/products?include=variants,mediaAssets&limit=50";
    let first = app.get(path).await.expect(200).body;
    let hits = app.store.view_cache_stats().hits;
    assert_eq!(app.get(path).await.expect(200).body, first);
    assert_eq!(
        app.store.view_cache_stats().hits,
        hits + 4,
        "the second page came from the cache"
    );
    let jacket_in = |page: &Value| page.as_array().unwrap().iter().find(|p| p["id"] == id).unwrap().clone();

    let vid = p["variants"][0]["id"].as_str().unwrap();
    app.put(
        &format!("/api/v1/products/{id}/variants/{vid}"),
        json!({"price": "99.00"}),
    )
    .await
    .expect(200);
    assert_eq!(
        jacket_in(&app.get(path).await.expect(200).body)["variants"][0]["price"],
        "99.00"
    );
    let sid = size["id"].as_str().unwrap();
    app.put(
        &format!("/api/v1/variant-options/{sid}"),
        json!({"values": ["s", "M", "L"]}),
    )
    .await
    .expect(200);
    let page = app.get(path).await.expect(200).body;
    assert_eq!(jacket_in(&page)["variants"][0]["options"][0]["value"], "s");
    assert_eq!(page.as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn each_api_keeps_its_own_rendering_of_a_cached_view() {
    let app = spawn().await;
    let (p, _) = jacket(&app).await;
    let id = p["id"].as_str().unwrap();
    let v1 = format!("/api/v1/products/{id}?include=variants,mediaAssets");
    let v1_media = format!("/api/v1/products/{id}");
    let pim = format!("/api/v1/pim/products/{id}");
    for _ in 0..2 {
        let full = app.get(&v1).await.expect(200);
        assert_eq!(full.body["name"], "Rain Jacket");
        assert!(full.body["variants"].is_array(), "{}", full.body);
        assert_eq!(full.header("content-type"), Some("application/json"));
        let media_only = app.get(&v1_media).await.expect(200).body;
        assert!(media_only["variants"].is_null(), "{media_only}");
        assert!(media_only["productMediaAssets"].is_array(), "{media_only}");
        let pim = app.pim_get(&pim).await.expect(200).body;
        assert_eq!(pim["title"], "Rain Jacket");
        assert!(pim.get("name").is_none(), "{pim}");
    }
    // A publishable key is refused a draft product, cached or not.
    app.put(&format!("/api/v1/products/{id}"), json!({"status": "draft"}))
        .await
        .expect(200);
    app.get(&v1).await.expect(200);
    app.call(Method::GET, &v1, Some(&app.org.publishable_key), None)
        .await
        .expect(404);
}

/// A catalog copy sets a product's times and version back to the original's after the import
/// made it; a view cached in between is not served afterwards.
#[tokio::test]
async fn a_cached_read_shows_what_a_copy_stamps() {
    use pimento_store::catalog::{CopiedRow, Stamp};
    let app = spawn().await;
    let (p, _) = jacket(&app).await;
    let id = p["id"].as_str().unwrap();
    assert_eq!(cached(&app, id).await["version"], 1);
    let then = chrono::DateTime::parse_from_rfc3339("2024-01-02T03:04:05Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let ctx = crate::cscart_products::ctx(&app).await;
    let stamp = Stamp::new(CopiedRow::Product, id.parse().unwrap(), Some(then), Some(then), Some(1));
    app.store.stamp_copied(&ctx, &[stamp]).await.unwrap();
    let read = cached(&app, id).await;
    assert_eq!(read["version"], 1);
    assert_eq!(read["updatedAt"], "2024-01-02T03:04:05Z", "{read}");
}

/// A product made through Medusa with an option of its own ("Size": S, M) and one variant,
/// and the fields of `more`.
async fn medusa_jacket(app: &TestApp, more: Value) -> Value {
    let mut body = json!({
        "title": "Rain Jacket",
        "options": [{"title": "Size", "values": ["S", "M"]}],
        "variants": [{"title": "S", "options": {"Size": "S"}, "prices": [{"currency_code": "usd", "amount": 10}]}]
    });
    for (k, v) in more.as_object().unwrap() {
        body[k] = v.clone();
    }
    medusa(app, Method::POST, "/admin/products", Some(body))
        .await
        .expect(200)
        .body["product"]
        .clone()
}

/// Reads a body twice (the second read sends the body kept with the cached view) and returns it.
async fn kept(app: &TestApp, api: Api, path: &str) -> Value {
    let first = send(app, api, Method::GET, path, None, &[]).await.expect(200).body;
    let again = send(app, api, Method::GET, path, None, &[]).await.expect(200).body;
    assert_eq!(first, again);
    again
}

#[tokio::test]
async fn kept_medusa_bodies_show_changes_to_the_rows_a_product_refers_to() {
    let app = spawn().await;
    let made = |path: &'static str, body: Value, key: &'static str| {
        let app = &app;
        async move {
            medusa(app, Method::POST, path, Some(body)).await.expect(200).body[key]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let collection = made("/admin/collections", json!({"title": "Summer"}), "collection").await;
    let kind = made("/admin/product-types", json!({"value": "Coat"}), "product_type").await;
    let category = made(
        "/admin/product-categories",
        json!({"name": "Outerwear"}),
        "product_category",
    )
    .await;
    let product = medusa_jacket(
        &app,
        json!({"collection_id": collection, "type_id": kind, "categories": [{"id": category}]}),
    )
    .await;
    let id = product["id"].as_str().unwrap();
    let path = format!("/admin/products/{id}");
    let read = || kept(&app, Api::Medusa, &path);
    let p = read().await["product"].clone();
    assert_eq!(p["collection"]["title"], "Summer");

    let change = |path: String, body: Value| {
        let app = &app;
        async move { medusa(app, Method::POST, &path, Some(body)).await.expect(200) }
    };
    change(format!("/admin/collections/{collection}"), json!({"title": "Winter"})).await;
    assert_eq!(read().await["product"]["collection"]["title"], "Winter");
    change(format!("/admin/product-types/{kind}"), json!({"value": "Parka"})).await;
    assert_eq!(read().await["product"]["type"]["value"], "Parka");
    change(
        format!("/admin/product-categories/{category}"),
        json!({"description": "For the rain"}),
    )
    .await;
    let shown = read().await;
    let categories = format!("/admin/products/{id}?fields=id,*categories");
    let with_categories = kept(&app, Api::Medusa, &categories).await;
    assert_eq!(
        with_categories["product"]["categories"][0]["description"], "For the rain",
        "{shown}"
    );

    // A value added to a shared option the product is linked to.
    let colour = made(
        "/admin/product-options",
        json!({"title": "Colour", "values": ["Red"]}),
        "product_option",
    )
    .await;
    change(format!("/admin/products/{id}/options/batch"), json!({"add": [colour]})).await;
    let colour_values = |b: Value| {
        let options = b["product"]["options"].as_array().unwrap().clone();
        let o = options.into_iter().find(|o| o["title"] == "Colour").unwrap();
        o["values"].as_array().unwrap().len()
    };
    assert_eq!(colour_values(read().await), 1);
    change(
        format!("/admin/product-options/{colour}"),
        json!({"values": ["Red", "Blue"]}),
    )
    .await;
    assert_eq!(colour_values(read().await), 2);

    // Deleted collection and type: the product shows neither.
    medusa(&app, Method::DELETE, &format!("/admin/collections/{collection}"), None)
        .await
        .expect(200);
    medusa(&app, Method::DELETE, &format!("/admin/product-types/{kind}"), None)
        .await
        .expect(200);
    let p = read().await["product"].clone();
    assert_eq!(p["collection"], Value::Null, "{p}");
    assert_eq!(p["type"], Value::Null, "{p}");
}

#[tokio::test]
async fn kept_bodies_show_values_an_import_adds_to_a_shared_option() {
    let app = spawn().await;
    let (p, _) = jacket(&app).await;
    let path = format!("/admin/products/{}", medusa_id(p["id"].as_str().unwrap()));
    let values = |b: Value| b["product"]["options"][0]["values"].as_array().unwrap().len();
    assert_eq!(values(kept(&app, Api::Medusa, &path).await), 3);
    let nd = r#"{"handle":"parka","title":"Parka","options":["Size"],"variants":[{"sku":"PK-XL","price":"5.00","options":["XL"]}]}"#;
    job(&app, app.pim_upload("/api/v1/pim/imports?format=ndjson", nd).await).await;
    assert_eq!(values(kept(&app, Api::Medusa, &path).await), 4);
}

#[tokio::test]
async fn kept_cscart_bodies_show_changes_to_categories_and_features() {
    let app = spawn().await;
    let number = |r: Resp, key: &str| r.expect(201).body[key].as_i64().unwrap();
    let category = |name: &'static str| {
        let app = &app;
        async move { cscart(app, Method::POST, "/api/categories", Some(json!({"category": name}))).await }
    };
    let root = number(category("Apparel").await, "category_id");
    let coats = number(category("Coats").await, "category_id");
    app.pim_post(
        "/api/v1/pim/attributes",
        json!({"name": "Fabric", "key": "fabric", "type": "TEXT"}),
    )
    .await
    .expect(201);
    let product = number(
        cscart(
            &app,
            Method::POST,
            "/api/products",
            Some(json!({"product": "Rain Jacket", "price": 129, "category_ids": [coats]})),
        )
        .await,
        "product_id",
    );
    let path = format!("/api/products/{product}");
    let id = app.get("/api/v1/products?limit=1").await.expect(200).body[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.pim_put(
        &format!("/api/v1/pim/products/{id}"),
        json!({"attributes": {"fabric": "Nylon"}}),
    )
    .await
    .expect(200);
    let read = || kept(&app, Api::CsCart, &path);
    let c = read().await;
    assert_eq!(c["seo_path"], coats.to_string(), "{c}");
    let feature = |c: &Value| {
        c["product_features"]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .clone()
    };
    assert_eq!(feature(&c)["description"], "Fabric");

    // The category moved under another: the path shows both.
    cscart(
        &app,
        Method::PUT,
        &format!("/api/categories/{coats}"),
        Some(json!({"parent_id": root})),
    )
    .await
    .expect(200);
    assert_eq!(read().await["seo_path"], format!("{root}/{coats}"));

    // The feature renamed.
    let attribute = app.pim_get("/api/v1/pim/attributes").await.expect(200).body[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.pim_put(
        &format!("/api/v1/pim/attributes/{attribute}"),
        json!({"name": "Shell fabric"}),
    )
    .await
    .expect(200);
    assert_eq!(feature(&read().await)["description"], "Shell fabric");
}

#[tokio::test]
async fn hits_on_an_unchanged_sqlite_file_need_no_probe() {
    let app = spawn().await;
    let (p, _) = jacket(&app).await;
    let id = p["id"].as_str().unwrap();
    let path = format!("/api/v1/products/{id}?include=variants,mediaAssets");
    let sqlite = app.store.db().backend() == pimento_store::Backend::Sqlite;
    cached(&app, id).await;
    // Two hits in a row, unprobed on SQLite once nothing commits in between (the key's first
    // use records its time in the background, which is such a commit: hence the tries).
    let mut unprobed_pair = false;
    for _ in 0..20 {
        let before = app.store.view_cache_stats();
        cached(&app, id).await;
        let after = app.store.view_cache_stats();
        assert_eq!(after.hits - before.hits, 2, "{after:?}");
        if after.unprobed - before.unprobed == 2 {
            unprobed_pair = true;
            break;
        }
        if !sqlite {
            assert_eq!(after.unprobed, 0, "{after:?}");
        }
    }
    assert_eq!(unprobed_pair, sqlite);

    // A commit anywhere in the database: the next hit is probed first.
    app.product(json!({"name": "Other", "url": "https://shop.example.com/other"}))
        .await;
    let before = app.store.view_cache_stats();
    app.get(&path).await.expect(200);
    let after = app.store.view_cache_stats();
    assert_eq!(after.hits - before.hits, 1, "{after:?}");
    assert_eq!(after.unprobed, before.unprobed, "{after:?}");
    let metrics = app.get("/metrics").await.expect(200).body;
    assert!(
        metrics
            .as_str()
            .unwrap()
            .contains("pimento_view_cache{measure=\"unprobed\"}"),
        "{metrics}"
    );
}

#[tokio::test]
async fn an_import_leaves_a_products_own_option_alone() {
    let app = spawn().await;
    let product = medusa_jacket(&app, json!({})).await;
    let path = format!("/admin/products/{}", product["id"].as_str().unwrap());
    let values = |b: &Value| b["product"]["options"][0]["values"].as_array().unwrap().len();
    assert_eq!(values(&kept(&app, Api::Medusa, &path).await), 2);
    let nd = r#"{"handle":"parka","title":"Parka","options":["Size"],"variants":[{"sku":"PK-XL","price":"5.00","options":["XL"]}]}"#;
    job(&app, app.pim_upload("/api/v1/pim/imports?format=ndjson", nd).await).await;
    assert_eq!(values(&kept(&app, Api::Medusa, &path).await), 2);
    // The import's product has a shared option of its own name.
    let shared = medusa(&app, Method::GET, "/admin/product-options?is_exclusive=false", None)
        .await
        .expect(200)
        .body;
    assert_eq!(shared["product_options"][0]["title"], "Size", "{shared}");
    assert_eq!(shared["product_options"][0]["values"][0]["value"], "XL", "{shared}");
}

/// A list page sends each product's JSON as the API's single read keeps it: a page read first
/// keeps bodies a single read then sends, a single read first keeps bodies the page then sends,
/// and a write shows in both. Debug builds render every kept body again (`rendered.rs`).
#[tokio::test]
async fn every_api_lists_the_bodies_its_single_read_keeps() {
    let app = spawn().await;
    let (p, _) = jacket(&app).await;
    let id = p["id"].as_str().unwrap().to_owned();
    for i in 0..2 {
        app.product(json!({"name": format!("Other {i}"), "url": format!("https://shop.example.com/o/{i}")}))
            .await;
    }
    let number = cscart(&app, Method::GET, "/api/products?items_per_page=50", None)
        .await
        .expect(200)
        .body["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["product"] == "Rain Jacket")
        .unwrap()["product_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mid = medusa_id(&id);
    // (API, list path, the page's products, single path, the single body's product)
    type Pick = fn(Value) -> Value;
    let apis: [(Api, String, Pick, String, Pick); 4] = [
        (
            Api::Products,
            "/api/v1/products?include=variants,mediaAssets&limit=50".into(),
            |b| b,
            format!("/api/v1/products/{id}?include=variants,mediaAssets"),
            |b| b,
        ),
        (
            Api::Pim,
            "/api/v1/pim/products?limit=50".into(),
            |b| b,
            format!("/api/v1/pim/products/{id}"),
            |b| b,
        ),
        (
            Api::Medusa,
            "/admin/products?limit=50".into(),
            |b| b["products"].clone(),
            format!("/admin/products/{mid}"),
            |b| b["product"].clone(),
        ),
        (
            Api::CsCart,
            "/api/products?items_per_page=50".into(),
            |b| b["products"].clone(),
            format!("/api/products/{number}"),
            |b| b,
        ),
    ];
    let in_page = |page: Value, single: &Value| -> Value {
        let page = page.as_array().unwrap().clone();
        assert_eq!(page.len(), 3, "{page:?}");
        page.into_iter()
            .find(|p| p["id"] == single["id"] && p["product_id"] == single["product_id"])
            .unwrap()
    };
    for (round, name) in ["Rain Jacket", "Storm Jacket", "Gale Jacket"].into_iter().enumerate() {
        for (api, list, of_page, one, of_one) in &apis {
            let list_twice = || async {
                let first = send(&app, *api, Method::GET, list, None, &[]).await.expect(200).body;
                let again = send(&app, *api, Method::GET, list, None, &[]).await.expect(200).body;
                assert_eq!(first, again, "{api:?}");
                of_page(again)
            };
            // Even rounds read the page first, odd ones the product first.
            let (page, single) = if round % 2 == 0 {
                let page = list_twice().await;
                (page, of_one(kept(&app, *api, one).await))
            } else {
                let single = of_one(kept(&app, *api, one).await);
                (list_twice().await, single)
            };
            let listed = in_page(page, &single);
            assert_eq!(
                listed, single,
                "{api:?}: the page's product differs from its single read"
            );
            let shown = [&single["name"], &single["title"], &single["product"]];
            assert!(shown.iter().any(|v| **v == name), "{api:?}: {single}");
        }
        let next = ["Storm Jacket", "Gale Jacket", "Gale Jacket"][round];
        app.put(&format!("/api/v1/products/{id}"), json!({"name": next}))
            .await
            .expect(200);
    }
}

/// With the cache off, a page reads its products' rows in its own statement: the same pages,
/// in every order, as a node with the cache on.
#[tokio::test]
async fn pages_without_the_cache_are_the_pages_with_it() {
    let app = spawn().await;
    let off = router(AppState::new(
        Store::with_view_cache(app.store.db().clone(), 0),
        app.blobs.clone(),
    ));
    jacket(&app).await;
    for i in 0..4 {
        app.product(json!({
            "name": format!("Other {i}"), "url": format!("https://shop.example.com/o/{i}"),
            "variants": [{"sku": format!("O-{i}"), "price": format!("{}.00", 10 - i)}]
        }))
        .await;
    }
    let key = &app.org.secret_key;
    let mut followed = 0;
    let pim = [
        ("x-tenant-id", app.org.tenant_id.to_string()),
        ("x-org-id", app.org.organization_id.to_string()),
    ];
    for path in [
        "/api/v1/products?include=variants,mediaAssets&limit=2",
        "/api/v1/products?limit=50&count=true",
        "/api/v1/pim/products?sort=-updated_at&limit=3",
        "/api/v1/pim/products?sort=price&limit=2",
        "/api/v1/pim/products?sort=title&offset=1&limit=2",
        "/api/v1/pim/products?q=other&limit=50",
        "/admin/products?order=-updated_at&limit=3&offset=1",
        "/admin/products?q=other&limit=2",
    ] {
        let is_pim = path.contains("/pim/");
        let headers: &[(&str, String)] = if is_pim { &pim } else { &[] };
        let app = &app;
        let read = |path: String| async move {
            if is_pim {
                app.pim_get(&path).await.expect(200)
            } else {
                app.get(&path).await.expect(200)
            }
        };
        let cached = read(path.to_owned()).await;
        assert_eq!(get_via_with(&off, key, path, headers).await, cached.body, "{path}");
        // The next page by cursor, from either node.
        if let Some(next) = cached.header("x-next-cursor") {
            followed += 1;
            let next_path = format!("{}&cursor={next}", path.split("&offset=").next().unwrap());
            let page = read(next_path.clone()).await.body;
            assert!(!page.as_array().unwrap().is_empty(), "{next_path}");
            assert_eq!(get_via_with(&off, key, &next_path, headers).await, page, "{next_path}");
        }
    }
    assert_eq!(followed, 4, "each page with more after it gave a cursor");
}
