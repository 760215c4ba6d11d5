//! `/api/v1/products`: create, upsert, get, list, search, update, archive.

use crate::harness::{spawn, value_id};
use serde_json::json;

#[tokio::test]
async fn create_with_the_seed_example_body() {
    let app = spawn().await;
    // The seed's own example: only the two required fields.
    let r = app
        .post(
            "/api/v1/products",
            json!({"name": "<string>", "url": "https://example.com/p"}),
        )
        .await
        .expect(201);
    let p = &r.body;
    assert_eq!(p["archived"], false);
    assert_eq!(p["name"], "<string>");
    assert_eq!(p["url"], "https://example.com/p");
    assert_eq!(p["organizationId"], app.org.organization_id.to_string());
    assert_eq!(p["handle"], "string");
    assert!(p["createdBy"].as_str().unwrap().starts_with("sk_"));
    assert!(p["createdAt"].as_str().is_some());
    assert_eq!(p["variants"], json!([]));
    assert_eq!(p["productMediaAssets"], json!([]));
    assert_eq!(p["primarySyncSource"], json!(null));
    assert_eq!(p["defaultVariantId"], json!(null));
    for key in [
        "description",
        "metadata",
        "primaryExternalId",
        "primaryLastSyncedAt",
        "primarySourceVendor",
        "primarySyncSourceId",
        "updatedAt",
        "updatedBy",
    ] {
        assert!(p.get(key).is_some(), "response lacks {key}");
    }
}

#[tokio::test]
async fn create_with_inline_options_variants_and_media() {
    let app = spawn().await;
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
    let variants = p["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    assert_eq!(p["defaultVariantId"], variants[0]["id"]);
    assert_eq!(variants[0]["price"], "99.00");
    assert_eq!(variants[1]["price"], "99.50");
    assert_eq!(variants[0]["inventoryQuantity"], 4);
    assert_eq!(variants[0]["productId"], p["id"]);
    assert_eq!(
        variants[0]["options"],
        json!([{"optionId": sid, "optionName": "Size", "value": "S", "valueId": value_id(&size, "S")}])
    );
    let media = p["productMediaAssets"].as_array().unwrap();
    assert_eq!(media.len(), 2);
    assert_eq!(media[0]["position"], 0);
    assert_eq!(media[0]["purpose"], "gallery");
    assert_eq!(media[0]["mediaAsset"]["altText"], "Front");
    assert_eq!(media[0]["mediaAssetId"], media[0]["mediaAsset"]["id"]);
    assert_eq!(media[1]["mediaAsset"]["name"], "rj-back.jpg");
    assert_eq!(p["metadata"], json!({"season": "FW"}));
}

#[tokio::test]
async fn handles_are_derived_unique_and_checked() {
    let app = spawn().await;
    let a = app
        .product(json!({"name": "Merino Tee", "url": "https://x.example/a"}))
        .await;
    let b = app
        .product(json!({"name": "Merino Tee", "url": "https://x.example/b"}))
        .await;
    assert_eq!(a["handle"], "merino-tee");
    assert_eq!(b["handle"], "merino-tee-2");
    app.post(
        "/api/v1/products",
        json!({"name": "Other", "url": "https://x.example/c", "handle": "merino-tee"}),
    )
    .await
    .expect_error(409, "handle");
    app.post(
        "/api/v1/products",
        json!({"name": "Other", "url": "https://x.example/c", "handle": "Not Valid"}),
    )
    .await
    .expect_error(400, "handle");
}

#[tokio::test]
async fn skus_are_unique_per_organization() {
    let app = spawn().await;
    app.product(json!({"name": "A", "url": "https://x.example/a", "variants": [{"sku": "SKU-1", "price": "1"}]}))
        .await;
    app.post(
        "/api/v1/products",
        json!({"name": "B", "url": "https://x.example/b", "variants": [{"sku": "SKU-2"}, {"sku": "SKU-1"}]}),
    )
    .await
    .expect_error(409, "variants[1].sku");
    app.post(
        "/api/v1/products",
        json!({"name": "B", "url": "https://x.example/b", "variants": [{"sku": "D"}, {"sku": "D"}]}),
    )
    .await
    .expect_error(409, "variants[1].sku");
    // The same SKU is fine in another organization.
    app.call(
        axum::http::Method::POST,
        "/api/v1/products",
        Some(&app.other.secret_key),
        Some(json!({"name": "A", "url": "https://x.example/a", "variants": [{"sku": "SKU-1"}]})),
    )
    .await
    .expect(201);
    // Nothing of the refused products was written.
    let all = app.get("/api/v1/products?archived=all").await.expect(200);
    assert_eq!(all.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bad_fields_are_named() {
    let app = spawn().await;
    let cases = [
        (json!({"url": "https://x.example"}), "name"),
        (json!({"name": "X"}), "url"),
        (json!({"name": "", "url": "https://x.example"}), "name"),
        (json!({"name": 5, "url": "https://x.example"}), "name"),
        (json!({"name": "X", "url": "not a uri"}), "url"),
        (
            json!({"name": "X", "url": "https://x.example", "variants": [{"price": "1.999"}]}),
            "variants[0].price",
        ),
        (
            json!({"name": "X", "url": "https://x.example", "variants": [{"price": "-1"}]}),
            "variants[0].price",
        ),
        (
            json!({"name": "X", "url": "https://x.example", "variants": [{"price": 12}]}),
            "variants[0].price",
        ),
        (
            json!({"name": "X", "url": "https://x.example", "variants": [{"price": "12", "currency": "ABC"}]}),
            "variants[0].currency",
        ),
        (
            json!({"name": "X", "url": "https://x.example", "variants": [{"sku": "   "}]}),
            "variants[0].sku",
        ),
        (
            json!({"name": "X", "url": "https://x.example", "variants": [{"barcode": "12AB"}]}),
            "variants[0].barcode",
        ),
        (
            json!({"name": "X", "url": "https://x.example", "metadata": [1, 2]}),
            "metadata",
        ),
        (
            json!({"name": "X", "url": "https://x.example", "status": "gone"}),
            "status",
        ),
        (
            json!({"name": "X", "url": "https://x.example", "variantOptionIds": ["nope"]}),
            "variantOptionIds[0]",
        ),
        (
            json!({"name": "X", "url": "https://x.example", "variantOptionIds": ["01a201bc-5f1c-7494-89e6-7cbe8270f76f"]}),
            "variantOptionIds[0]",
        ),
        (
            json!({"name": "X", "url": "https://x.example", "productMediaAssets": [{"altText": "no url"}]}),
            "productMediaAssets[0].publicUrl",
        ),
        (
            json!({"name": "X", "url": "https://x.example", "primarySyncSource": {"syncSource": "shopify"}}),
            "primarySyncSource.syncSourceId",
        ),
        (
            json!({"name": "X", "url": "https://x.example", "defaultVariantId": "01a201bc-5f1c-7494-89e6-7cbe8270f76f"}),
            "defaultVariantId",
        ),
        // Control characters would end up raw in exports; a long text keeps tabs and line breaks.
        (json!({"name": "Rain\u{0}Jacket", "url": "https://x.example"}), "name"),
        (
            json!({"name": "X", "url": "https://x.example", "description": "a\u{0}b"}),
            "description",
        ),
        // A misspelt field is refused, not dropped: the client's data would be lost.
        (json!({"name": "X", "url": "https://x.example", "nmae": "typo"}), "nmae"),
        (
            json!({"name": "X", "url": "https://x.example", "variants": [{"prcie": "1.00"}]}),
            "variants[0].prcie",
        ),
        (
            json!({"name": "X", "url": "https://x.example", "productMediaAssets": [{"publicUrl": "https://x.example/a.jpg", "alt": "x"}]}),
            "productMediaAssets[0].alt",
        ),
    ];
    for (body, field) in cases {
        let r = app.post("/api/v1/products", body.clone()).await;
        assert_eq!(r.status.as_u16(), 400, "{body} gave {}", r.body);
        assert_eq!(r.body["field"], field, "{body} gave {}", r.body);
    }
    let all = app.get("/api/v1/products?archived=all").await.expect(200);
    assert_eq!(all.body, json!([]), "a refused request wrote something");
}

#[tokio::test]
async fn a_variant_must_pick_values_of_assigned_options() {
    let app = spawn().await;
    let size = app.option("Size", &["S", "M"]).await;
    let color = app.option("Color", &["Red"]).await;
    let (sid, cid) = (size["id"].as_str().unwrap(), color["id"].as_str().unwrap());
    let base = |variants: serde_json::Value| json!({"name": "T", "url": "https://x.example", "variantOptionIds": [sid], "variants": variants});
    app.post(
        "/api/v1/products",
        base(json!([{"options": [{"optionId": cid, "value": "Red"}]}])),
    )
    .await
    .expect_error(400, "variants[0].options[0].optionId");
    app.post(
        "/api/v1/products",
        base(json!([{"options": [{"optionId": sid, "value": "XL"}]}])),
    )
    .await
    .expect_error(400, "variants[0].options[0].valueId");
    app.post("/api/v1/products", base(json!([{"options": [{"optionId": sid}]}])))
        .await
        .expect_error(400, "variants[0].options[0].valueId");
    app.post(
        "/api/v1/products",
        base(json!([{"options": [{"optionId": sid, "value": "S"}]}, {"options": [{"optionId": sid, "value": "s"}]}])),
    )
    .await
    .expect_error(409, "variants[1].options");
}

#[tokio::test]
async fn upsert_by_sync_source_updates_the_same_product() {
    let app = spawn().await;
    let first = app
        .post(
            "/api/v1/products",
            json!({
                "name": "Tee", "url": "https://x.example/tee",
                "primarySyncSource": {"syncSource": "shopify", "syncSourceId": "gid-1", "sourceData": {"v": 1}},
                "variants": [{"sku": "TEE-1", "price": "10.00"}],
                "productMediaAssets": [{"publicUrl": "https://cdn.example.com/tee.jpg"}]
            }),
        )
        .await
        .expect(201);
    assert_eq!(first.body["primaryExternalId"], "gid-1");
    assert_eq!(first.body["primarySourceVendor"], "shopify");
    assert_eq!(first.body["primarySyncSource"]["syncSource"], "shopify");
    assert_eq!(first.body["primarySyncSource"]["syncStatus"], "SYNCED");
    assert_eq!(first.body["primarySyncSourceId"], first.body["primarySyncSource"]["id"]);
    let second = app
        .post(
            "/api/v1/products",
            json!({
                "name": "Tee v2", "url": "https://x.example/tee",
                "primarySyncSource": {"syncSource": "shopify", "syncSourceId": "gid-1", "sourceData": {"v": 2}},
                "variants": [{"sku": "TEE-1", "price": "12.00"}, {"sku": "TEE-2", "price": "12.00"}],
                "productMediaAssets": [{"publicUrl": "https://cdn.example.com/tee.jpg"}, {"publicUrl": "https://cdn.example.com/tee-2.jpg"}]
            }),
        )
        .await
        .expect(200);
    let p = &second.body;
    assert_eq!(p["id"], first.body["id"]);
    assert_eq!(p["name"], "Tee v2");
    assert_eq!(p["primarySyncSource"]["sourceData"], json!({"v": 2}));
    let variants = p["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[0]["sku"], "TEE-1");
    assert_eq!(variants[0]["price"], "12.00");
    assert_eq!(variants[0]["id"], first.body["variants"][0]["id"]);
    assert_eq!(p["productMediaAssets"].as_array().unwrap().len(), 2);
    // The same external id in another source is another product.
    let other = app
        .post(
            "/api/v1/products",
            json!({"name": "Tee", "url": "https://x.example/tee", "primarySyncSource": {"syncSource": "erp", "syncSourceId": "gid-1"}}),
        )
        .await
        .expect(201);
    assert_ne!(other.body["id"], first.body["id"]);
}

/// An upsert carries a matched variant's sync source too: the same one is refreshed, a new
/// one replaces it, and one another variant has is refused naming the field.
#[tokio::test]
async fn upsert_refreshes_the_sync_source_of_a_matched_variant() {
    let app = spawn().await;
    let product = |variant_sync: serde_json::Value| {
        json!({
            "name": "Tee", "url": "https://x.example/tee",
            "primarySyncSource": {"syncSource": "shopify", "syncSourceId": "gid-1"},
            "variants": [{"sku": "TEE-1", "price": "10.00", "primarySyncSource": variant_sync}]
        })
    };
    let first = app
        .post(
            "/api/v1/products",
            product(json!({"syncSource": "shopify", "syncSourceId": "v-1", "lastSyncedAt": "2026-01-01T00:00:00Z"})),
        )
        .await
        .expect(201);
    let id = first.body["id"].as_str().unwrap().to_owned();
    let variant = first.body["variants"][0].clone();
    assert_eq!(variant["primaryExternalId"], "v-1");
    assert_eq!(variant["primaryLastSyncedAt"], "2026-01-01T00:00:00Z");

    let second = app
        .post(
            "/api/v1/products",
            product(
                json!({"syncSource": "shopify", "syncSourceId": "v-1", "sourceVendor": "Shopify Plus",
                           "lastSyncedAt": "2026-02-01T00:00:00Z"}),
            ),
        )
        .await
        .expect(200);
    let refreshed = &second.body["variants"][0];
    assert_eq!(refreshed["primaryLastSyncedAt"], "2026-02-01T00:00:00Z");
    assert_eq!(refreshed["primarySourceVendor"], "Shopify Plus");
    assert_eq!(refreshed["primarySyncSourceId"], variant["primarySyncSourceId"]);

    // Another id in the source: the variant is linked to it.
    let third = app
        .post(
            "/api/v1/products",
            product(json!({"syncSource": "shopify", "syncSourceId": "v-9"})),
        )
        .await
        .expect(200);
    assert_eq!(third.body["variants"][0]["primaryExternalId"], "v-9");
    let got = app
        .get(&format!("/api/v1/products/{id}?include=variants"))
        .await
        .expect(200);
    assert_eq!(got.body["variants"][0]["primaryExternalId"], "v-9");

    // A sync source another variant has is refused, and nothing of the upsert is written.
    app.post(
        "/api/v1/products",
        json!({"name": "Other", "url": "https://x.example/o",
               "variants": [{"sku": "O-1", "primarySyncSource": {"syncSource": "shopify", "syncSourceId": "v-taken"}}]}),
    )
    .await
    .expect(201);
    let mut taken = product(json!({"syncSource": "shopify", "syncSourceId": "v-taken"}));
    taken["name"] = json!("Tee renamed");
    app.post("/api/v1/products", taken)
        .await
        .expect_error(409, "variants[0].primarySyncSource");
    let got = app
        .get(&format!("/api/v1/products/{id}?include=variants"))
        .await
        .expect(200);
    assert_eq!(got.body["name"], "Tee");
    assert_eq!(got.body["variants"][0]["primaryExternalId"], "v-9");
}

#[tokio::test]
async fn search_by_sync_source() {
    let app = spawn().await;
    for (id, source) in [("1", "shopify"), ("2", "shopify"), ("1", "erp")] {
        app.product(json!({"name": format!("P{id}{source}"), "url": "https://x.example", "primarySyncSource": {"syncSource": source, "syncSourceId": id}}))
            .await;
    }
    let r = app
        .get("/api/v1/products/search?syncSource=shopify&syncSourceId=2")
        .await
        .expect(200);
    let found = r.body.as_array().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["name"], "P2shopify");
    assert!(found[0]["productMediaAssets"].is_array());
    let r = app.get("/api/v1/products/search?syncSource=shopify").await.expect(200);
    assert_eq!(r.body.as_array().unwrap().len(), 2);
    let r = app
        .get("/api/v1/products/search?syncSource=shopify&syncSourceId=9")
        .await
        .expect(200);
    assert_eq!(r.body, json!([]));
    app.get("/api/v1/products/search?syncSourceId=2")
        .await
        .expect_error(400, "syncSource");
}

#[tokio::test]
async fn get_includes_media_by_default_and_variants_on_request() {
    let app = spawn().await;
    let p = app
        .product(json!({"name": "P", "url": "https://x.example", "variants": [{"sku": "A"}], "productMediaAssets": [{"publicUrl": "https://c.example/1.png"}]}))
        .await;
    let id = p["id"].as_str().unwrap();
    let r = app.get(&format!("/api/v1/products/{id}")).await.expect(200);
    assert_eq!(r.body["productMediaAssets"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["variants"], json!(null));
    let r = app
        .get(&format!("/api/v1/products/{id}?include=variants,mediaAssets"))
        .await
        .expect(200);
    assert_eq!(r.body["variants"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["productMediaAssets"].as_array().unwrap().len(), 1);
    let r = app
        .get(&format!("/api/v1/products/{id}?include=variants"))
        .await
        .expect(200);
    assert_eq!(r.body["productMediaAssets"], json!(null));
    app.get(&format!("/api/v1/products/{id}?include=owners"))
        .await
        .expect_error(400, "include");
    let r = app
        .get("/api/v1/products/01a201bc-5f1c-7494-89e6-7cbe8270f76f")
        .await
        .expect(404);
    assert_eq!(r.body["error"], "Product not found");
    app.get("/api/v1/products/12345").await.expect_error(400, "productId");
}

#[tokio::test]
async fn list_pages_with_a_cursor() {
    let app = spawn().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            app.product(json!({"name": format!("P{i}"), "url": "https://x.example"}))
                .await["id"]
                .clone(),
        );
    }
    let first = app.get("/api/v1/products?limit=2&count=true").await.expect(200);
    assert_eq!(first.header("x-total-count"), Some("5"));
    let page: Vec<_> = first.body.as_array().unwrap().iter().map(|p| p["id"].clone()).collect();
    assert_eq!(page, ids[..2]);
    let cursor = first.header("x-next-cursor").unwrap().to_owned();
    assert!(first.header("link").unwrap().contains(&format!("cursor={cursor}")));
    let second = app
        .get(&format!("/api/v1/products?limit=2&cursor={cursor}"))
        .await
        .expect(200);
    let page: Vec<_> = second
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].clone())
        .collect();
    assert_eq!(page, ids[2..4]);
    let cursor = second.header("x-next-cursor").unwrap().to_owned();
    let third = app
        .get(&format!("/api/v1/products?limit=2&cursor={cursor}"))
        .await
        .expect(200);
    assert_eq!(third.body.as_array().unwrap().len(), 1);
    assert_eq!(third.header("x-next-cursor"), None);
    // Relations are left out unless asked for.
    assert_eq!(third.body[0]["variants"], json!(null));
    let with = app
        .get("/api/v1/products?include=variants,mediaAssets&limit=1")
        .await
        .expect(200);
    assert_eq!(with.body[0]["variants"], json!([]));
    app.get("/api/v1/products?limit=0").await.expect_error(400, "limit");
    app.get("/api/v1/products?limit=1000000")
        .await
        .expect_error(400, "limit");
    app.get("/api/v1/products?limit=abc").await.expect_error(400, "limit");
    app.get("/api/v1/products?cursor=zzz").await.expect_error(400, "cursor");
    app.get("/api/v1/products?archived=maybe")
        .await
        .expect_error(400, "archived");
}

#[tokio::test]
async fn delete_archives_and_lists_leave_archived_out() {
    let app = spawn().await;
    let keep = app.product(json!({"name": "Keep", "url": "https://x.example"})).await;
    let gone = app.product(json!({"name": "Gone", "url": "https://x.example"})).await;
    let id = gone["id"].as_str().unwrap();
    let r = app.delete(&format!("/api/v1/products/{id}")).await.expect(200);
    assert_eq!(r.body["archived"], true);
    // Archiving twice is harmless.
    app.delete(&format!("/api/v1/products/{id}")).await.expect(200);
    let r = app.get(&format!("/api/v1/products/{id}")).await.expect(200);
    assert_eq!(r.body["archived"], true);
    let live = app.get("/api/v1/products").await.expect(200);
    assert_eq!(live.body.as_array().unwrap().len(), 1);
    assert_eq!(live.body[0]["id"], keep["id"]);
    let archived = app.get("/api/v1/products?archived=true").await.expect(200);
    assert_eq!(archived.body.as_array().unwrap().len(), 1);
    assert_eq!(archived.body[0]["id"], gone["id"]);
    assert_eq!(
        app.get("/api/v1/products?archived=all")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Restoring brings it back.
    app.put(&format!("/api/v1/products/{id}"), json!({"archived": false}))
        .await
        .expect(200);
    assert_eq!(app.get("/api/v1/products").await.body.as_array().unwrap().len(), 2);
    app.delete("/api/v1/products/01a201bc-5f1c-7494-89e6-7cbe8270f76f")
        .await
        .expect(404);
}

#[tokio::test]
async fn update_changes_and_clears_fields() {
    let app = spawn().await;
    let p = app
        .product(json!({"name": "Old", "url": "https://x.example/old", "description": "d", "metadata": {"a": 1}, "variants": [{"sku": "A"}, {"sku": "B"}]}))
        .await;
    app.product(json!({"name": "Taken", "url": "https://x.example", "handle": "taken"}))
        .await;
    let id = p["id"].as_str().unwrap();
    let second_variant = p["variants"][1]["id"].clone();
    let r = app
        .put(
            &format!("/api/v1/products/{id}"),
            json!({"name": "New", "url": "https://x.example/new", "description": null, "metadata": {"b": 2}, "defaultVariantId": second_variant, "handle": "new-handle", "status": "draft"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["name"], "New");
    assert_eq!(r.body["url"], "https://x.example/new");
    assert_eq!(r.body["description"], json!(null));
    assert_eq!(r.body["metadata"], json!({"b": 2}));
    assert_eq!(r.body["defaultVariantId"], second_variant);
    assert_eq!(r.body["handle"], "new-handle");
    assert_eq!(r.body["status"], "draft");
    assert_eq!(r.body["createdAt"], p["createdAt"]);
    // Fields left out stay.
    let r = app.put(&format!("/api/v1/products/{id}"), json!({})).await.expect(200);
    assert_eq!(r.body["name"], "New");
    app.put(&format!("/api/v1/products/{id}"), json!({"handle": "taken"}))
        .await
        .expect_error(409, "handle");
    app.put(&format!("/api/v1/products/{id}"), json!({"name": ""}))
        .await
        .expect_error(400, "name");
    app.put(&format!("/api/v1/products/{id}"), json!({"url": "::"}))
        .await
        .expect_error(400, "url");
    // A field every product has cannot be cleared, nor its null read as "leave it".
    for field in ["name", "url", "handle", "status", "archived"] {
        app.put(&format!("/api/v1/products/{id}"), json!({ field: null }))
            .await
            .expect_error(400, field);
    }
    let kept = app.get(&format!("/api/v1/products/{id}")).await.expect(200).body;
    assert_eq!(kept["url"], "https://x.example/new");
    assert_eq!(kept["name"], "New");
    app.put(
        &format!("/api/v1/products/{id}"),
        json!({"defaultVariantId": "01a201bc-5f1c-7494-89e6-7cbe8270f76f"}),
    )
    .await
    .expect_error(400, "defaultVariantId");
    app.put(
        "/api/v1/products/01a201bc-5f1c-7494-89e6-7cbe8270f76f",
        json!({"name": "X"}),
    )
    .await
    .expect(404);
}

#[tokio::test]
async fn upsert_can_change_the_default_variant() {
    let app = spawn().await;
    let source = json!({"syncSource": "erp", "syncSourceId": "A-7"});
    let first = app
        .product(json!({"name": "A", "url": "https://x.example", "primarySyncSource": source, "variants": [{"sku": "A-1"}, {"sku": "A-2"}]}))
        .await;
    let second_variant = first["variants"][1]["id"].clone();
    let r = app
        .post("/api/v1/products", json!({"name": "A", "url": "https://x.example", "primarySyncSource": source, "defaultVariantId": second_variant}))
        .await
        .expect(200);
    assert_eq!(r.body["defaultVariantId"], second_variant);
    app.post(
        "/api/v1/products",
        json!({"name": "A", "url": "https://x.example", "primarySyncSource": source, "defaultVariantId": "01a201bc-5f1c-7494-89e6-7cbe8270f76f"}),
    )
    .await
    .expect_error(400, "defaultVariantId");
}
