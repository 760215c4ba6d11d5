//! `/api/v1/pim/stats`, `/api/v1/pim/validation` and `/api/v1/pim/audit`.

use crate::harness::{TestApp, id_of, spawn};
use serde_json::{Value, json};

async fn stats(app: &TestApp) -> Value {
    app.pim_get("/api/v1/pim/stats").await.expect(200).body
}

#[tokio::test]
async fn stats_follow_every_write_through_any_api() {
    let app = spawn().await;
    let s = stats(&app).await;
    assert_eq!(s["products"], 0);
    assert_eq!(s["products_by_status"]["ACTIVE"], 0);
    app.pim_create("/api/v1/pim/categories", json!({"name": "C"})).await;
    let brand = app.pim_create("/api/v1/pim/brands", json!({"name": "B"})).await;
    let attr = app.pim_create("/api/v1/pim/attributes", json!({"name": "A"})).await;
    app.pim_create("/api/v1/pim/attribute-groups", json!({"name": "G"}))
        .await;
    app.pim_create(
        "/api/v1/pim/templates",
        json!({"name": "T", "attributes": [{"attribute_id": attr["id"]}]}),
    )
    .await;
    let p = app.pim_create("/api/v1/pim/products", json!({"title": "P"})).await;
    let d = app
        .pim_create("/api/v1/pim/products", json!({"title": "D", "status": "DRAFT"}))
        .await;
    app.pim_create(
        &format!("/api/v1/pim/products/{}/variants", id_of(&p)),
        json!({"sku": "P-1"}),
    )
    .await;
    app.pim_create(
        "/api/v1/pim/media",
        json!({"url": "https://cdn.example/p.jpg", "product_id": p["id"]}),
    )
    .await;
    let v1 = app
        .product(json!({"name": "V1", "url": "https://x.example", "variants": [{"sku": "V-1"}, {"sku": "V-2"}]}))
        .await;
    let s = stats(&app).await;
    let expect = json!({
        "products": 3, "archived_products": 0, "variants": 3, "brands": 1, "categories": 1,
        "attributes": 1, "attribute_groups": 1, "templates": 1, "media": 1, "media_assets": 1,
        "products_by_status": {"ACTIVE": 2, "DRAFT": 1, "PROPOSED": 0, "HIDDEN": 0, "DISABLED": 0, "REJECTED": 0},
    });
    assert_eq!(s, expect);
    // Archive one, publish the draft, delete one for good, delete a brand.
    app.delete(&format!("/api/v1/products/{}", id_of(&v1)))
        .await
        .expect(200);
    app.pim_put(
        &format!("/api/v1/pim/products/{}", id_of(&d)),
        json!({"status": "ACTIVE"}),
    )
    .await
    .expect(200);
    app.pim_delete(&format!("/api/v1/pim/products/{}", id_of(&p)))
        .await
        .expect(204);
    app.pim_delete(&format!("/api/v1/pim/brands/{}", id_of(&brand)))
        .await
        .expect(204);
    let s = stats(&app).await;
    assert_eq!(s["products"], 1);
    assert_eq!(s["archived_products"], 1);
    assert_eq!(s["products_by_status"]["ACTIVE"], 1);
    assert_eq!(s["products_by_status"]["DRAFT"], 0);
    assert_eq!(s["variants"], 2);
    assert_eq!(s["media"], 0);
    assert_eq!(s["media_assets"], 1);
    assert_eq!(s["brands"], 0);
    // A refused write changes no count.
    app.pim_post("/api/v1/pim/products", json!({"title": "X", "category": "nope"}))
        .await
        .expect(400);
    assert_eq!(stats(&app).await, s);
}

async fn issues(app: &TestApp, query: &str) -> Vec<Value> {
    let r = app.pim_get(&format!("/api/v1/pim/validation{query}")).await.expect(200);
    r.body.as_array().unwrap().clone()
}

fn codes(list: &[Value]) -> Vec<(String, String)> {
    list.iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap().to_owned(),
                i["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn validation_reports_the_catalogs_problems_from_current_data() {
    let app = spawn().await;
    let color = app
        .pim_create(
            "/api/v1/pim/attributes",
            json!({"name": "Color", "key": "color", "type": "SELECT", "options": ["Red", "Blue"]}),
        )
        .await;
    let t = app
        .pim_create(
            "/api/v1/pim/templates",
            json!({"name": "Tee", "attributes": [{"attribute_id": color["id"], "required": true}]}),
        )
        .await;
    // A clean product: template satisfied, priced, valid barcode, has media.
    let good = app
        .pim_create(
            "/api/v1/pim/products",
            json!({"title": "Good", "template_id": t["id"], "attributes": {"color": "Red"}}),
        )
        .await;
    let gid = id_of(&good);
    app.pim_create(
        &format!("/api/v1/pim/products/{gid}/variants"),
        json!({"sku": "GOOD-1", "price": 10, "barcode": "4006381333931"}),
    )
    .await;
    app.pim_create(
        "/api/v1/pim/media",
        json!({"url": "https://cdn.example/g.jpg", "product_id": gid}),
    )
    .await;
    assert_eq!(issues(&app, "").await, Vec::<Value>::new());

    // A product with every problem.
    let bad = app
        .pim_create("/api/v1/pim/products", json!({"title": "Bad", "template_id": t["id"]}))
        .await;
    let bid = id_of(&bad);
    let base = format!("/api/v1/pim/products/{bid}/variants");
    let unpriced = app
        .pim_create(&base, json!({"sku": "BAD-1", "barcode": "4006381333932"}))
        .await;
    let dup = app
        .pim_create(&base, json!({"sku": "BAD-2", "price": 5, "barcode": "4006381333931"}))
        .await;
    // The good product now shares a barcode: both variants carrying it are reported.
    let dups = issues(&app, "?code=DUPLICATE_BARCODE").await;
    assert_eq!(dups.len(), 2);
    assert_eq!(dups[0]["product_id"], good["id"]);
    assert_eq!(dups[1]["variant_id"], dup["id"]);
    let found = issues(&app, &format!("?product_id={bid}")).await;
    let expected = [
        ("MISSING_REQUIRED_ATTRIBUTE", "attributes.color"),
        ("MISSING_MEDIA", "media"),
        ("INVALID_BARCODE_CHECK_DIGIT", "variants[0].barcode"),
        ("MISSING_PRICE", "variants[0].price"),
        ("DUPLICATE_BARCODE", "variants[1].barcode"),
    ];
    assert_eq!(
        codes(&found),
        expected
            .iter()
            .map(|(c, f)| (c.to_string(), f.to_string()))
            .collect::<Vec<_>>()
    );
    assert!(found.iter().all(|i| i["product_id"] == bad["id"]), "{found:?}");
    assert_eq!(found[3]["variant_id"], unpriced["id"]);
    assert_eq!(found[0]["variant_id"], Value::Null);
    assert!(found[0]["message"].as_str().unwrap().contains("color"));

    // Legacy data written before the rules (or by a bulk tool): an unusable SKU and barcode.
    let mut pc = app.store.db().acquire().await.unwrap();
    pc.conn()
        .execute(
            "UPDATE variants SET sku = $1, barcode = $2 WHERE id = $3",
            pimento_store::args![
                " BAD-1 ",
                "12AB",
                uuid::Uuid::parse_str(unpriced["id"].as_str().unwrap()).unwrap()
            ],
        )
        .await
        .unwrap();
    drop(pc);
    let found = codes(&issues(&app, &format!("?product_id={bid}&code=INVALID_SKU,INVALID_BARCODE")).await);
    assert_eq!(
        found,
        vec![
            ("INVALID_SKU".to_owned(), "variants[0].sku".to_owned()),
            ("INVALID_BARCODE".to_owned(), "variants[0].barcode".to_owned())
        ]
    );
    // The good product's duplicate barcode disappears once the other variant moves off it.
    let dup_path = format!("{base}/{}", id_of(&dup));
    app.pim_put(&dup_path, json!({"barcode": null})).await.expect(200);
    assert!(issues(&app, &format!("?product_id={gid}")).await.is_empty());
    // Removing an option in use makes the stored value invalid, and the report says so.
    app.pim_put(
        &format!("/api/v1/pim/attributes/{}", id_of(&color)),
        json!({"options": ["Blue"]}),
    )
    .await
    .expect(200);
    let found = codes(&issues(&app, &format!("?product_id={gid}")).await);
    assert_eq!(
        found,
        vec![("INVALID_ATTRIBUTE_VALUE".to_owned(), "attributes.color".to_owned())]
    );

    // Fixing the data clears the report: it is never stale.
    app.pim_put(
        &format!("/api/v1/pim/products/{gid}"),
        json!({"attributes": {"color": "Blue"}}),
    )
    .await
    .expect(200);
    app.pim_put(
        &format!("/api/v1/pim/products/{bid}"),
        json!({"attributes": {"color": "Blue"}}),
    )
    .await
    .expect(200);
    app.pim_put(
        &format!("{base}/{}", id_of(&unpriced)),
        json!({"sku": "BAD-1", "barcode": null, "price": 3}),
    )
    .await
    .expect(200);
    app.pim_create(
        "/api/v1/pim/media",
        json!({"url": "https://cdn.example/b.jpg", "product_id": bid}),
    )
    .await;
    assert_eq!(issues(&app, "").await, Vec::<Value>::new());
}

#[tokio::test]
async fn validation_pages_walk_every_issue_once() {
    let app = spawn().await;
    for i in 0..4 {
        let p = app
            .pim_create("/api/v1/pim/products", json!({"title": format!("P{i}")}))
            .await;
        for j in 0..2 {
            app.pim_create(
                &format!("/api/v1/pim/products/{}/variants", id_of(&p)),
                json!({"sku": format!("P{i}-{j}")}),
            )
            .await;
        }
    }
    // Each product: no media, and two variants without a price.
    let all = issues(&app, "").await;
    assert_eq!(all.len(), 12);
    let mut walked = Vec::new();
    let mut path = "/api/v1/pim/validation?limit=5".to_owned();
    loop {
        let r = app.pim_get(&path).await.expect(200);
        assert!(r.body.as_array().unwrap().len() <= 5);
        walked.extend(r.body.as_array().unwrap().clone());
        match r.header("x-next-cursor") {
            Some(c) => path = format!("/api/v1/pim/validation?limit=5&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(walked, all);
    assert_eq!(issues(&app, "?code=missing_media").await.len(), 4);
    app.pim_get("/api/v1/pim/validation?code=BROKEN")
        .await
        .expect_error(400, "code");
    app.pim_get("/api/v1/pim/validation?cursor=zzz")
        .await
        .expect_error(400, "cursor");
    app.pim_get("/api/v1/pim/validation?product_id=zzz")
        .await
        .expect_error(400, "product_id");
}

#[tokio::test]
async fn audit_lists_every_change_newest_first_with_filters() {
    let app = spawn().await;
    let cat = app.pim_create("/api/v1/pim/categories", json!({"name": "Shoes"})).await;
    let p = app
        .pim_create("/api/v1/pim/products", json!({"title": "Boot", "category": "shoes"}))
        .await;
    let pid = id_of(&p);
    app.pim_put(&format!("/api/v1/pim/products/{pid}"), json!({"title": "Tall Boot"}))
        .await
        .expect(200);
    app.put(&format!("/api/v1/products/{pid}"), json!({"description": "Leather"}))
        .await
        .expect(200);
    app.pim_delete(&format!("/api/v1/pim/products/{pid}")).await.expect(204);

    let all = app.pim_get("/api/v1/pim/audit").await.expect(200).body;
    let all = all.as_array().unwrap();
    let actions: Vec<(&str, &str)> = all
        .iter()
        .map(|e| (e["entity_type"].as_str().unwrap(), e["action"].as_str().unwrap()))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("product", "delete"),
            ("product", "update"),
            ("product", "update"),
            ("product", "create"),
            ("category", "create")
        ]
    );
    assert!(all.windows(2).all(|w| w[0]["seq"].as_i64() > w[1]["seq"].as_i64()));
    let rename = &all[2];
    assert_eq!(
        rename["changes"]["name"],
        json!({"before": "Boot", "after": "Tall Boot"})
    );
    assert_eq!(rename["entity_id"], p["id"]);
    assert!(rename["actor"].as_str().unwrap().starts_with("sk_"));
    assert_eq!(
        all[1]["changes"]["description"],
        json!({"before": null, "after": "Leather"})
    );
    assert_eq!(all[3]["changes"]["category_id"]["after"], cat["id"]);

    // Filters.
    let only = |q: &str| {
        let app = &app;
        let q = q.to_owned();
        async move {
            app.pim_get(&format!("/api/v1/pim/audit{q}"))
                .await
                .expect(200)
                .body
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(only("?entity_type=category").await, 1);
    assert_eq!(only(&format!("?entity_id={pid}")).await, 4);
    assert_eq!(only("?action=update").await, 2);
    assert_eq!(only("?entity_type=product&action=delete").await, 1);
    let future = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let past = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let enc = |t: &str| t.replace('+', "%2B");
    assert_eq!(only(&format!("?from={}", enc(&future))).await, 0);
    assert_eq!(only(&format!("?from={}&to={}", enc(&past), enc(&future))).await, 5);
    assert_eq!(only(&format!("?to={}", enc(&past))).await, 0);
    // Pages newest first, each event once.
    let first = app.pim_get("/api/v1/pim/audit?limit=2").await.expect(200);
    let cursor = first.header("x-next-cursor").unwrap().to_owned();
    let second = app
        .pim_get(&format!("/api/v1/pim/audit?limit=2&cursor={cursor}"))
        .await
        .body;
    assert_eq!(second[0], all[2]);
    // Bad parameters.
    app.pim_get("/api/v1/pim/audit?action=explode")
        .await
        .expect_error(400, "action");
    app.pim_get("/api/v1/pim/audit?entity_type=planet")
        .await
        .expect_error(400, "entity_type");
    app.pim_get("/api/v1/pim/audit?from=yesterday")
        .await
        .expect_error(400, "from");
    app.pim_get("/api/v1/pim/audit?entity_id=1")
        .await
        .expect_error(400, "entity_id");
    app.pim_get("/api/v1/pim/audit?cursor=abc")
        .await
        .expect_error(400, "cursor");
}

#[tokio::test]
async fn concurrent_writers_all_succeed_and_counts_stay_exact() {
    let app = std::sync::Arc::new(spawn().await);
    let mut tasks = Vec::new();
    for t in 0..8 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..5 {
                let body = json!({"name": format!("T{t}-{i}"), "url": "https://x.example",
                    "variants": [{"sku": format!("T{t}-{i}-S")}, {"sku": format!("T{t}-{i}-M")}, {"sku": format!("T{t}-{i}-L")}],
                    "productMediaAssets": [{"publicUrl": format!("https://cdn.example/{t}/{i}.jpg")}]});
                app.post("/api/v1/products", body).await.expect(201);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let s = stats(&app).await;
    assert_eq!(s["products"], 40);
    assert_eq!(s["variants"], 120);
    assert_eq!(s["media"], 40);
}
