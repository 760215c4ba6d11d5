//! `/api/v1/pim/products` and their variants, and the one catalog behind both product APIs.

use crate::harness::{id_of, spawn};
use serde_json::{Value, json};

#[tokio::test]
async fn seed_example_create_a_product_in_a_category() {
    let app = spawn().await;
    app.pim_create(
        "/api/v1/pim/categories",
        json!({"name": "Men's Outerwear", "slug": "mens-outerwear"}),
    )
    .await;
    let p = app
        .pim_create(
            "/api/v1/pim/products",
            json!({"title": "Rain Jacket", "description": "Keeps you dry.", "category": "mens-outerwear"}),
        )
        .await;
    assert_eq!(p["title"], "Rain Jacket");
    assert_eq!(p["description"], "Keeps you dry.");
    assert_eq!(p["category"], "mens-outerwear");
    assert_eq!(p["status"], "ACTIVE");
    assert_eq!(p["tenant_id"], app.org.tenant_id.to_string());
    assert_eq!(p["org_id"], app.org.organization_id.to_string());
    assert_eq!(p["variants"], json!([]));
    let got = app
        .pim_get(&format!("/api/v1/pim/products/{}", id_of(&p)))
        .await
        .expect(200);
    assert_eq!(got.body, p);
}

#[tokio::test]
async fn list_in_creation_order_at_most_100_per_page() {
    let app = spawn().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(id_of(
            &app.pim_create("/api/v1/pim/products", json!({"title": format!("P{i}")}))
                .await,
        ));
    }
    let all = app.pim_get("/api/v1/pim/products").await.expect(200);
    let listed: Vec<String> = all.body.as_array().unwrap().iter().map(id_of).collect();
    assert_eq!(listed, ids);
    assert!(all.header("x-next-cursor").is_none());
    // Pages of two, following the cursor.
    let mut seen = Vec::new();
    let mut path = "/api/v1/pim/products?limit=2".to_owned();
    loop {
        let r = app.pim_get(&path).await.expect(200);
        seen.extend(r.body.as_array().unwrap().iter().map(id_of));
        match r.header("x-next-cursor") {
            Some(c) => path = format!("/api/v1/pim/products?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ids);
    app.pim_get("/api/v1/pim/products?limit=101")
        .await
        .expect_error(400, "limit");
    app.pim_get("/api/v1/pim/products?limit=0")
        .await
        .expect_error(400, "limit");
    app.pim_get("/api/v1/pim/products?cursor=nope")
        .await
        .expect_error(400, "cursor");
    app.pim_get("/api/v1/pim/products?status=SOLD")
        .await
        .expect_error(400, "status");
}

#[tokio::test]
async fn lists_filter_by_status_category_and_brand() {
    let app = spawn().await;
    let cat = app.pim_create("/api/v1/pim/categories", json!({"name": "Shoes"})).await;
    let brand = app.pim_create("/api/v1/pim/brands", json!({"name": "Acme"})).await;
    let a = app
        .pim_create(
            "/api/v1/pim/products",
            json!({"title": "A", "category": "shoes", "brand_id": brand["id"]}),
        )
        .await;
    let b = app
        .pim_create("/api/v1/pim/products", json!({"title": "B", "status": "DRAFT"}))
        .await;
    let only = |r: crate::harness::Resp| r.body.as_array().unwrap().iter().map(id_of).collect::<Vec<_>>();
    assert_eq!(
        only(app.pim_get("/api/v1/pim/products?status=DRAFT").await),
        vec![id_of(&b)]
    );
    assert_eq!(
        only(
            app.pim_get(&format!("/api/v1/pim/products?category_id={}", id_of(&cat)))
                .await
        ),
        vec![id_of(&a)]
    );
    assert_eq!(
        only(
            app.pim_get(&format!("/api/v1/pim/products?brand_id={}", id_of(&brand)))
                .await
        ),
        vec![id_of(&a)]
    );
    // A category's subtree.
    let boots = app
        .pim_create(
            "/api/v1/pim/categories",
            json!({"name": "Boots", "parent_id": cat["id"]}),
        )
        .await;
    app.pim_create("/api/v1/pim/categories", json!({"name": "Shoestrings"}))
        .await;
    let c = app
        .pim_create("/api/v1/pim/products", json!({"title": "C", "category": "boots"}))
        .await;
    app.pim_create("/api/v1/pim/products", json!({"title": "D", "category": "shoestrings"}))
        .await;
    assert_eq!(
        only(app.pim_get("/api/v1/pim/products?category=shoes").await),
        vec![id_of(&a)]
    );
    assert_eq!(
        only(
            app.pim_get("/api/v1/pim/products?category=shoes&include_subcategories=true")
                .await
        ),
        vec![id_of(&a), id_of(&c)]
    );
    assert_eq!(
        only(
            app.pim_get(&format!(
                "/api/v1/pim/products?category_id={}&include_subcategories=true",
                id_of(&boots)
            ))
            .await
        ),
        vec![id_of(&c)]
    );
    // A category the organization does not have selects nothing, by slug or by id, alone or
    // with its subtree: as an unknown brand does.
    for filter in [
        "category=nowhere".to_owned(),
        "category=nowhere&include_subcategories=true".to_owned(),
        format!("category_id={}", uuid::Uuid::now_v7()),
        format!("category_id={}&include_subcategories=true", uuid::Uuid::now_v7()),
        format!("brand_id={}", uuid::Uuid::now_v7()),
    ] {
        let r = app.pim_get(&format!("/api/v1/pim/products?{filter}")).await;
        assert_eq!(only(r), Vec::<String>::new(), "{filter}");
    }
    app.pim_get(&format!(
        "/api/v1/pim/products?category=shoes&category_id={}",
        id_of(&boots)
    ))
    .await
    .expect_error(400, "category");
    app.pim_get("/api/v1/pim/products?category=shoes&include_subcategories=maybe")
        .await
        .expect_error(400, "include_subcategories");
    // Lists show each product's category slug, read with the product rows.
    let listed = app.pim_get("/api/v1/pim/products").await.body;
    let slugs: Vec<&Value> = listed.as_array().unwrap().iter().map(|p| &p["category"]).collect();
    assert_eq!(
        slugs,
        [&json!("shoes"), &Value::Null, &json!("boots"), &json!("shoestrings")]
    );
}

#[tokio::test]
async fn update_title_description_and_category() {
    let app = spawn().await;
    app.pim_create("/api/v1/pim/categories", json!({"name": "A", "slug": "cat-a"}))
        .await;
    let b = app
        .pim_create("/api/v1/pim/categories", json!({"name": "B", "slug": "cat-b"}))
        .await;
    let p = app
        .pim_create(
            "/api/v1/pim/products",
            json!({"title": "Old", "description": "d", "category": "cat-a"}),
        )
        .await;
    let path = format!("/api/v1/pim/products/{}", id_of(&p));
    let u = app
        .pim_put(
            &path,
            json!({"title": "New", "description": "Long form.", "category": "cat-b"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(u["title"], "New");
    assert_eq!(u["description"], "Long form.");
    assert_eq!(u["category"], "cat-b");
    assert_eq!(u["category_id"], b["id"]);
    // Fields left out stay; null clears.
    let u = app.pim_put(&path, json!({"category": null})).await.expect(200).body;
    assert_eq!(u["category"], serde_json::Value::Null);
    assert_eq!(u["title"], "New");
    let u = app
        .pim_put(&path, json!({"status": "HIDDEN", "description": null}))
        .await
        .expect(200)
        .body;
    assert_eq!(u["status"], "HIDDEN");
    assert_eq!(u["description"], serde_json::Value::Null);
}

#[tokio::test]
async fn bad_product_input_names_the_field() {
    let app = spawn().await;
    let pp = "/api/v1/pim/products";
    app.pim_post(pp, json!({"description": "no title"}))
        .await
        .expect_error(400, "title");
    app.pim_post(pp, json!({"title": "  "}))
        .await
        .expect_error(400, "title");
    app.pim_post(pp, json!({"title": 5})).await.expect_error(400, "title");
    app.pim_post(pp, json!({"title": "T", "category": "nowhere"}))
        .await
        .expect_error(400, "category");
    app.pim_post(pp, json!({"title": "T", "status": "SOLD"}))
        .await
        .expect_error(400, "status");
    app.pim_post(pp, json!({"title": "T", "brand_id": uuid::Uuid::now_v7()}))
        .await
        .expect_error(400, "brand_id");
    app.pim_post(pp, json!({"title": "T", "template_id": uuid::Uuid::now_v7()}))
        .await
        .expect_error(400, "template_id");
    app.pim_post(pp, json!({"title": "T", "colour": "red"}))
        .await
        .expect(400);
    let r = app
        .pim_post(
            pp,
            json!({"title": "T", "category": "x", "category_id": uuid::Uuid::now_v7()}),
        )
        .await;
    r.expect_error(400, "category");
    app.pim_get("/api/v1/pim/products/not-a-uuid")
        .await
        .expect_error(400, "id");
    let missing = format!("{pp}/{}", uuid::Uuid::now_v7());
    app.pim_get(&missing).await.expect(404);
    app.pim_put(&missing, json!({"title": "x"})).await.expect(404);
    app.pim_delete(&missing).await.expect(404);
    // Nothing was written by the refused requests.
    assert_eq!(app.pim_get(pp).await.body, json!([]));
}

#[tokio::test]
async fn delete_is_permanent_and_takes_the_variants_along() {
    let app = spawn().await;
    let p = app.pim_create("/api/v1/pim/products", json!({"title": "Gone"})).await;
    let pid = id_of(&p);
    app.pim_create(
        &format!("/api/v1/pim/products/{pid}/variants"),
        json!({"sku": "GONE-1"}),
    )
    .await;
    app.pim_create(
        "/api/v1/pim/media",
        json!({"url": "https://cdn.example/g.jpg", "product_id": pid}),
    )
    .await;
    let r = app.pim_delete(&format!("/api/v1/pim/products/{pid}")).await.expect(204);
    assert_eq!(r.body, serde_json::Value::Null);
    app.pim_get(&format!("/api/v1/pim/products/{pid}")).await.expect(404);
    app.get(&format!("/api/v1/products/{pid}")).await.expect(404);
    app.get("/api/v1/products?archived=all").await.expect(200);
    assert_eq!(app.get("/api/v1/products?archived=all").await.body, json!([]));
    // The SKU is free again.
    let q = app.pim_create("/api/v1/pim/products", json!({"title": "Again"})).await;
    app.pim_create(
        &format!("/api/v1/pim/products/{}/variants", id_of(&q)),
        json!({"sku": "GONE-1"}),
    )
    .await;
    app.pim_get(&format!("/api/v1/pim/media?product_id={pid}"))
        .await
        .expect(200);
    assert_eq!(
        app.pim_get(&format!("/api/v1/pim/media?product_id={pid}")).await.body,
        json!([])
    );
}

#[tokio::test]
async fn seed_example_create_a_variant() {
    let app = spawn().await;
    let p = app.pim_create("/api/v1/pim/products", json!({"title": "Tee"})).await;
    let base = format!("/api/v1/pim/products/{}/variants", id_of(&p));
    let v = app
        .pim_create(
            &base,
            json!({"sku": "TEE-M", "barcode": "4006381333931", "price": 19.99, "currency": "EUR"}),
        )
        .await;
    assert_eq!(v["sku"], "TEE-M");
    assert_eq!(v["barcode"], "4006381333931");
    assert_eq!(v["price"], "19.99");
    assert_eq!(v["currency"], "EUR");
    assert_eq!(v["product_id"], p["id"]);
    // A price may be a decimal string too; the currency defaults to USD.
    let w = app.pim_create(&base, json!({"sku": "TEE-L", "price": "1500"})).await;
    assert_eq!(w["price"], "1500.00");
    assert_eq!(w["currency"], "USD");
    let jpy = app
        .pim_create(&base, json!({"sku": "TEE-XL", "price": 1500, "currency": "JPY"}))
        .await;
    assert_eq!(jpy["price"], "1500");
    let got = app.pim_get(&format!("/api/v1/pim/products/{}", id_of(&p))).await.body;
    assert_eq!(got["variants"].as_array().unwrap().len(), 3);
    assert_eq!(got["variants"][0], v);
    let listed = app.pim_get(&base).await.expect(200).body;
    assert_eq!(listed.as_array().unwrap().len(), 3);
    // Get, update, delete one.
    let one = format!("{base}/{}", id_of(&v));
    assert_eq!(app.pim_get(&one).await.expect(200).body, v);
    let u = app
        .pim_put(&one, json!({"price": "17.50", "barcode": null}))
        .await
        .expect(200)
        .body;
    assert_eq!(u["price"], "17.50");
    assert_eq!(u["barcode"], serde_json::Value::Null);
    app.pim_delete(&one).await.expect(204);
    app.pim_get(&one).await.expect(404);
}

#[tokio::test]
async fn bad_variant_input_is_a_clear_4xx() {
    let app = spawn().await;
    let p = app.pim_create("/api/v1/pim/products", json!({"title": "Tee"})).await;
    let base = format!("/api/v1/pim/products/{}/variants", id_of(&p));
    app.pim_create(&base, json!({"sku": "TEE-M"})).await;
    let dup = app
        .pim_post(&base, json!({"sku": "TEE-M"}))
        .await
        .expect_error(409, "sku");
    assert_eq!(dup.body["code"], "duplicate_sku");
    app.pim_post(&base, json!({"sku": "X1", "currency": "XYZ", "price": 1}))
        .await
        .expect_error(400, "currency");
    app.pim_post(&base, json!({"sku": "X2", "barcode": "12AB"}))
        .await
        .expect_error(400, "barcode");
    app.pim_post(&base, json!({"sku": "X3", "price": "1.999"}))
        .await
        .expect_error(400, "price");
    app.pim_post(&base, json!({"sku": "X4", "price": true}))
        .await
        .expect_error(400, "price");
    app.pim_post(&base, json!({"sku": "   "}))
        .await
        .expect_error(400, "sku");
    app.pim_post(&base, json!({"sku": "X5", "inventory_quantity": "many"}))
        .await
        .expect_error(400, "inventory_quantity");
    app.pim_post(
        &format!("/api/v1/pim/products/{}/variants", uuid::Uuid::now_v7()),
        json!({"sku": "X6"}),
    )
    .await
    .expect(404);
    app.pim_post("/api/v1/pim/products/nope/variants", json!({"sku": "X7"}))
        .await
        .expect_error(400, "product_id");
    // Only the first variant exists.
    assert_eq!(app.pim_get(&base).await.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn one_catalog_behind_the_products_api_and_the_pim() {
    let app = spawn().await;
    // Made with the Products API, read through the PIM.
    let made = app
        .product(json!({"name": "Boot", "url": "https://shop.example/boot",
            "variants": [{"sku": "BOOT-42", "price": "89.00", "currency": "EUR", "barcode": "4006381333931"}],
            "productMediaAssets": [{"publicUrl": "https://cdn.example/boot.jpg", "altText": "Boot"}]}))
        .await;
    let pim = app
        .pim_get(&format!("/api/v1/pim/products/{}", id_of(&made)))
        .await
        .expect(200)
        .body;
    assert_eq!(pim["title"], "Boot");
    assert_eq!(pim["variants"][0]["sku"], "BOOT-42");
    assert_eq!(pim["variants"][0]["price"], "89.00");
    assert_eq!(pim["variants"][0]["currency"], "EUR");
    assert_eq!(pim["media"][0]["url"], "https://cdn.example/boot.jpg");
    assert_eq!(pim["media"][0]["alt_text"], "Boot");
    let listed = app.pim_get("/api/v1/pim/products").await.body;
    assert_eq!(listed[0]["id"], made["id"]);

    // Made with the PIM, read through the Products API.
    app.pim_create("/api/v1/pim/categories", json!({"name": "Hats"})).await;
    let hat = app
        .pim_create(
            "/api/v1/pim/products",
            json!({"title": "Hat", "description": "Warm", "category": "hats"}),
        )
        .await;
    let hid = id_of(&hat);
    app.pim_create(
        &format!("/api/v1/pim/products/{hid}/variants"),
        json!({"sku": "HAT-1", "price": 25}),
    )
    .await;
    app.pim_create(
        "/api/v1/pim/media",
        json!({"url": "https://cdn.example/hat.jpg", "product_id": hid, "alt_text": "A hat"}),
    )
    .await;
    let v1 = app
        .get(&format!("/api/v1/products/{hid}?include=variants,mediaAssets"))
        .await
        .expect(200)
        .body;
    assert_eq!(v1["name"], "Hat");
    assert_eq!(v1["description"], "Warm");
    assert_eq!(v1["status"], "active");
    assert_eq!(v1["variants"][0]["sku"], "HAT-1");
    assert_eq!(v1["variants"][0]["price"], "25.00");
    assert_eq!(v1["productMediaAssets"][0]["mediaAsset"]["altText"], "A hat");
    // A SKU is unique across both APIs.
    app.pim_post(
        &format!("/api/v1/pim/products/{hid}/variants"),
        json!({"sku": "BOOT-42"}),
    )
    .await
    .expect_error(409, "sku");
    // A change through one API shows through the other.
    app.put(&format!("/api/v1/products/{hid}"), json!({"name": "Wool Hat"}))
        .await
        .expect(200);
    let again = app.pim_get(&format!("/api/v1/pim/products/{hid}")).await.body;
    assert_eq!(again["title"], "Wool Hat");
    assert_eq!(again["category"], "hats");
    // Archived through the Products API: still readable in the PIM, gone from its list.
    app.delete(&format!("/api/v1/products/{}", id_of(&made)))
        .await
        .expect(200);
    let got = app
        .pim_get(&format!("/api/v1/pim/products/{}", id_of(&made)))
        .await
        .expect(200)
        .body;
    assert_eq!(got["archived"], true);
    let listed = app.pim_get("/api/v1/pim/products").await.body;
    assert_eq!(
        listed.as_array().unwrap().iter().map(id_of).collect::<Vec<_>>(),
        vec![hid]
    );
}

/// `q` finds products by words of their title, description, handle and SKUs the moment they
/// are written; `sort` orders them and its cursor pages through; other tenants see nothing.
#[tokio::test]
async fn products_are_searched_and_sorted() {
    let app = spawn().await;
    for (title, sku) in [("Rain Jacket", "RJ-1"), ("Rain Boots", "RB-1"), ("Sun Hat", "SH-1")] {
        let p = app.pim_create("/api/v1/pim/products", json!({"title": title})).await;
        app.pim_create(
            &format!("/api/v1/pim/products/{}/variants", id_of(&p)),
            json!({"sku": sku, "price": 10, "currency": "EUR"}),
        )
        .await;
    }
    let titles = |body: &Value| -> Vec<String> {
        body.as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let found = app.pim_get("/api/v1/pim/products?q=rain%20jack").await.expect(200).body;
    assert_eq!(titles(&found), ["Rain Jacket"]);
    let found = app.pim_get("/api/v1/pim/products?q=rb").await.expect(200).body;
    assert_eq!(titles(&found), ["Rain Boots"], "by SKU");
    let found = app.pim_get("/api/v1/pim/products?q=%22-*OR").await.expect(200).body;
    assert_eq!(
        titles(&found),
        Vec::<String>::new(),
        "search text is never query syntax"
    );

    // A renamed product is found by its new name at once.
    let hat = app.pim_get("/api/v1/pim/products?q=sun").await.expect(200).body;
    app.pim_put(
        &format!("/api/v1/pim/products/{}", id_of(&hat[0])),
        json!({"title": "Straw Hat"}),
    )
    .await
    .expect(200);
    assert_eq!(
        titles(&app.pim_get("/api/v1/pim/products?q=straw").await.body),
        ["Straw Hat"]
    );
    // Its handle stays `sun-hat`, and handles are searched too.
    assert_eq!(
        titles(&app.pim_get("/api/v1/pim/products?q=sun").await.body),
        ["Straw Hat"]
    );

    // Sorted by title, descending, one a page: the cursors walk the whole list in order.
    let mut seen = Vec::new();
    let mut url = "/api/v1/pim/products?sort=-title&limit=1".to_owned();
    loop {
        let r = app.pim_get(&url).await.expect(200);
        seen.extend(titles(&r.body));
        match r.header("link") {
            Some(link) => url = link.trim_start_matches('<').split('>').next().unwrap().to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, ["Straw Hat", "Rain Jacket", "Rain Boots"]);

    app.pim_get("/api/v1/pim/products?sort=colour")
        .await
        .expect_error(400, "sort");
    let r = app.pim_get("/api/v1/pim/products?sort=title&limit=1").await.expect(200);
    let cursor = r.header("x-next-cursor").unwrap().to_owned();
    app.pim_get(&format!("/api/v1/pim/products?sort=price&cursor={cursor}"))
        .await
        .expect_error(400, "cursor");

    let other = app
        .pim_as(&app.other, axum::http::Method::GET, "/api/v1/pim/products?q=rain", None)
        .await
        .expect(200);
    assert_eq!(other.body, json!([]));
}
