//! Versions of what groups products: Medusa's tags, types and collections, the PIM's attribute
//! groups and CS-Cart's vendors send their version as `ETag` and honour `If-Match`; and a
//! Medusa metadata merge, computed from what it read, loses no concurrent merge.

use crate::harness::{TestApp, spawn};
use crate::versions::{Api, etag, get, send};
use axum::http::Method;
use serde_json::{Value, json};

/// One entity's round: created (its `ETag` "1" when the create sends one), read, changed with
/// a matching `If-Match`, refused with a stale one (412 in the API's body with the current
/// `ETag`), and deleted only with the current one.
struct Round {
    api: Api,
    collection: &'static str,
    create: Value,
    created: u16,
    /// The new entity's path, from the create's answer.
    path: fn(&Value) -> String,
    change: Value,
    update: Method,
    deleted: u16,
}

async fn round(app: &TestApp, r: Round) {
    let made = send(app, r.api, Method::POST, r.collection, Some(r.create), &[])
        .await
        .expect(r.created);
    let path = (r.path)(&made.body);
    if r.api != Api::CsCart {
        assert_eq!(etag(&made), "\"1\"", "{path}");
    }
    assert_eq!(etag(&get(app, r.api, &path).await), "\"1\"", "{path}");
    let changed = send(
        app,
        r.api,
        r.update.clone(),
        &path,
        Some(r.change.clone()),
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(200);
    assert_eq!(etag(&changed), "\"2\"", "{path}");
    let stale = send(app, r.api, r.update, &path, Some(r.change), &[("if-match", "\"1\"")])
        .await
        .expect(412);
    assert_eq!(etag(&stale), "\"2\"", "{path}");
    match r.api {
        Api::Medusa => assert_eq!(stale.body["type"], "conflict", "{path}"),
        Api::CsCart => assert!(stale.body["message"].is_string(), "{path}: {}", stale.body),
        _ => assert_eq!(stale.body["code"], "precondition_failed", "{path}"),
    }
    assert_eq!(etag(&get(app, r.api, &path).await), "\"2\"", "{path}");
    send(app, r.api, Method::DELETE, &path, None, &[("if-match", "\"1\"")])
        .await
        .expect(412);
    send(app, r.api, Method::DELETE, &path, None, &[("if-match", "\"2\"")])
        .await
        .expect(r.deleted);
}

#[tokio::test]
async fn medusa_tags_types_and_collections_have_versions() {
    let app = spawn().await;
    round(
        &app,
        Round {
            api: Api::Medusa,
            collection: "/admin/product-tags",
            create: json!({"value": "summer"}),
            created: 200,
            path: |b| format!("/admin/product-tags/{}", b["product_tag"]["id"].as_str().unwrap()),
            change: json!({"value": "winter"}),
            update: Method::POST,
            deleted: 200,
        },
    )
    .await;
    round(
        &app,
        Round {
            api: Api::Medusa,
            collection: "/admin/product-types",
            create: json!({"value": "Jacket"}),
            created: 200,
            path: |b| format!("/admin/product-types/{}", b["product_type"]["id"].as_str().unwrap()),
            change: json!({"metadata": {"k": "v"}}),
            update: Method::POST,
            deleted: 200,
        },
    )
    .await;
    round(
        &app,
        Round {
            api: Api::Medusa,
            collection: "/admin/collections",
            create: json!({"title": "Summer"}),
            created: 200,
            path: |b| format!("/admin/collections/{}", b["collection"]["id"].as_str().unwrap()),
            change: json!({"title": "Summer sale"}),
            update: Method::POST,
            deleted: 200,
        },
    )
    .await;
}

#[tokio::test]
async fn pim_attribute_groups_have_versions() {
    let app = spawn().await;
    round(
        &app,
        Round {
            api: Api::Pim,
            collection: "/api/v1/pim/attribute-groups",
            create: json!({"name": "Dimensions"}),
            created: 201,
            path: |b| format!("/api/v1/pim/attribute-groups/{}", b["id"].as_str().unwrap()),
            change: json!({"name": "Sizes"}),
            update: Method::PUT,
            deleted: 204,
        },
    )
    .await;
    let made = send(
        &app,
        Api::Pim,
        Method::POST,
        "/api/v1/pim/attribute-groups",
        Some(json!({"name": "Care"})),
        &[],
    )
    .await
    .expect(201);
    assert_eq!(made.body["version"], 1);
}

#[tokio::test]
async fn cscart_vendors_have_versions() {
    let app = spawn().await;
    round(
        &app,
        Round {
            api: Api::CsCart,
            collection: "/api/vendors",
            create: json!({"company": "North Supply", "email": "n@example.com"}),
            created: 201,
            path: |b| format!("/api/vendors/{}", b["company_id"]),
            change: json!({"company": "North Supply Co"}),
            update: Method::PUT,
            deleted: 204,
        },
    )
    .await;
}

/// Sixteen clients each merge their own metadata key into one entity at once, without
/// `If-Match`: every key is kept.
async fn merges_keep_every_key(app: &TestApp, path: &str, envelope: &str) {
    let clients = (0..16).map(|i| {
        let path = path.to_owned();
        async move {
            send(
                app,
                Api::Medusa,
                Method::POST,
                &path,
                Some(json!({"metadata": {format!("k{i}"): i}})),
                &[],
            )
            .await
            .expect(200);
        }
    });
    futures::future::join_all(clients).await;
    let got = get(app, Api::Medusa, path).await;
    let metadata = got.body[envelope]["metadata"].as_object().cloned().unwrap_or_default();
    assert_eq!(metadata.len(), 16, "{path}: {metadata:?}");
}

#[tokio::test]
async fn concurrent_medusa_metadata_merges_lose_no_key() {
    let app = spawn().await;
    let made = send(
        &app,
        Api::Medusa,
        Method::POST,
        "/admin/collections",
        Some(json!({"title": "Merged"})),
        &[],
    )
    .await
    .expect(200);
    let collection = format!("/admin/collections/{}", made.body["collection"]["id"].as_str().unwrap());
    merges_keep_every_key(&app, &collection, "collection").await;
    let made = send(
        &app,
        Api::Medusa,
        Method::POST,
        "/admin/product-tags",
        Some(json!({"value": "merged"})),
        &[],
    )
    .await
    .expect(200);
    let tag = format!(
        "/admin/product-tags/{}",
        made.body["product_tag"]["id"].as_str().unwrap()
    );
    merges_keep_every_key(&app, &tag, "product_tag").await;
    let made = send(
        &app,
        Api::Medusa,
        Method::POST,
        "/admin/products",
        Some(json!({"title": "Merged", "options": [{"title": "Size", "values": ["M"]}],
            "variants": [{"title": "M", "options": {"Size": "M"}, "prices": [{"currency_code": "eur", "amount": 10}]}]})),
        &[],
    )
    .await
    .expect(200);
    let product = format!("/admin/products/{}", made.body["product"]["id"].as_str().unwrap());
    merges_keep_every_key(&app, &product, "product").await;
}
