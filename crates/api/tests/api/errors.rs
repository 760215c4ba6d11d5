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

/// Each API answers its own unknown paths, wrong methods and missing keys, in its body.
#[tokio::test]
async fn each_api_answers_its_own_unknown_routes_methods_and_missing_keys() {
    let app = spawn().await;
    for path in [
        "/api/v1/pim/nothing",
        "/api/v1/pim",
        "/api/v1/pim/products/1/nothing",
        "/api/v1",
    ] {
        let r = app.pim_get(path).await.expect(404);
        assert_eq!(r.body["code"], "not_found", "{path}: {}", r.body);
    }
    for (method, path) in [
        (Method::PATCH, "/api/v1/products"),
        (Method::PATCH, "/api/v1/pim/products"),
    ] {
        let r = app
            .call(method, path, Some(&app.org.secret_key), None)
            .await
            .expect(405);
        assert_eq!(r.body["code"], "method_not_allowed", "{path}: {}", r.body);
        assert!(r.header("allow").is_some_and(|a| a.contains("GET")), "{path}");
    }
    for path in ["/api/v1/products", "/api/v1/pim/products"] {
        let r = app.call(Method::GET, path, None, None).await.expect(401);
        assert_eq!(r.body["code"], "unauthorized", "{path}: {}", r.body);
        let r = app.call(Method::GET, path, Some("sk_wrong"), None).await.expect(401);
        assert_eq!(r.body["code"], "unauthorized", "{path}: {}", r.body);
    }
    let (tenant, org) = (app.org.tenant_id.0.to_string(), app.org.organization_id.0.to_string());
    let r = app
        .raw(
            Method::POST,
            "/api/v1/pim/products",
            Some(&app.org.secret_key),
            Body::from("{"),
            &[("X-Tenant-ID", &tenant), ("X-Org-ID", &org)],
        )
        .await;
    assert_eq!(r.status.as_u16(), 400);
    assert_eq!(r.body["code"], "invalid_json", "{}", r.body);
}

/// A refusal the core makes names the field in the API's own spelling.
#[tokio::test]
async fn core_refusals_name_fields_in_each_apis_spelling() {
    let app = spawn().await;
    let r = app
        .post(
            "/api/v1/products",
            json!({"name": "x", "url": "https://x.example", "productMediaAssets": [{"publicUrl": "not a uri"}]}),
        )
        .await
        .expect_error(400, "productMediaAssets[0].publicUrl");
    assert!(
        r.body["error"]
            .as_str()
            .unwrap()
            .starts_with("productMediaAssets[0].publicUrl: "),
        "{}",
        r.body
    );
    app.post(
        "/api/v1/products",
        json!({"name": "x", "url": "https://x.example",
               "variants": [{"sku": "A", "primarySyncSource": {"syncSource": " ", "syncSourceId": "1"}}]}),
    )
    .await
    .expect_error(400, "variants[0].primarySyncSource.syncSource");

    let r = app
        .pim_post("/api/v1/pim/products", json!({"title": "t".repeat(501)}))
        .await
        .expect_error(400, "title");
    assert!(r.body["error"].as_str().unwrap().starts_with("title: "), "{}", r.body);
    let p = app.pim_create("/api/v1/pim/products", json!({"title": "Boot"})).await;
    app.pim_post("/api/v1/pim/media", json!({"product_id": p["id"], "url": "not a uri"}))
        .await
        .expect_error(400, "url");
}

/// Each bad value answers 400 naming its parameter, with the message for that kind of value.
fn expect_bad_query(r: crate::harness::Resp, field: &str, message: &str) {
    let r = r.expect_error(400, field);
    assert_eq!(r.body["error"], format!("{field}: {message}"), "{}", r.body);
}

#[tokio::test]
async fn bad_query_values_of_the_products_api_name_the_parameter() {
    let app = spawn().await;
    let cases = [
        ("/api/v1/products?limit=abc", "limit", "'abc' is not a whole number"),
        ("/api/v1/products?limit=", "limit", "'' is not a whole number"),
        ("/api/v1/products?limit=201", "limit", "must be between 1 and 200"),
        (
            "/api/v1/products?include=variants,x",
            "include",
            "'x' is not one of variants, mediaAssets",
        ),
        ("/api/v1/products?count=maybe", "count", "'maybe' is not true or false"),
        ("/api/v1/products?archived=", "archived", "'' is not false, true or all"),
        ("/api/v1/products/search?syncSource=%20", "syncSource", "is required"),
        (
            "/api/v1/variant-options?cursor=nope",
            "cursor",
            "'nope' is not a valid UUID",
        ),
    ];
    for (path, field, message) in cases {
        expect_bad_query(app.get(path).await, field, message);
    }
    // Unknown parameters are ignored, and of a repeated one the last counts.
    app.get("/api/v1/products?colour=red&limit=abc&limit=2")
        .await
        .expect(200);
    app.get("/api/v1/products?count&include=").await.expect(200);
}

#[tokio::test]
async fn bad_query_values_of_the_pim_name_the_parameter() {
    let app = spawn().await;
    let cases = [
        ("/api/v1/pim/products?limit=101", "limit", "must be between 1 and 100"),
        ("/api/v1/pim/products?offset=-1", "offset", "'-1' is not a whole number"),
        (
            "/api/v1/pim/products?include_subcategories=yes",
            "include_subcategories",
            "'yes' is not true or false",
        ),
        (
            "/api/v1/pim/products?brand_id=acme",
            "brand_id",
            "'acme' is not a valid UUID",
        ),
        (
            "/api/v1/pim/products?sort=colour",
            "sort",
            "'colour' is not one of created_at, updated_at, title, handle, status, price, stock, sku (- before one for descending)",
        ),
        ("/api/v1/pim/brands?cursor=nope", "cursor", "'nope' is not a valid UUID"),
        (
            "/api/v1/pim/categories?parent_id=top",
            "parent_id",
            "'top' is not a valid UUID",
        ),
        (
            "/api/v1/pim/audit?from=yesterday",
            "from",
            "'yesterday' is not an RFC 3339 time",
        ),
        (
            "/api/v1/pim/audit?cursor=x",
            "cursor",
            "'x' is not a cursor from X-Next-Cursor",
        ),
        (
            "/api/v1/pim/jobs?status=done",
            "status",
            "must be QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELED",
        ),
        (
            "/api/v1/pim/bulk-jobs?type=EXPORT",
            "type",
            "must be BULK_UPDATE or BULK_DELETE",
        ),
    ];
    for (path, field, message) in cases {
        expect_bad_query(app.pim_get(path).await, field, message);
    }
    app.pim_get("/api/v1/pim/validation?code=NOPE")
        .await
        .expect_error(400, "code");
    // A blank id, offset or sort is no filter at all.
    app.pim_get("/api/v1/pim/products?cursor=&offset=&brand_id=%20&sort=")
        .await
        .expect(200);
}

/// A NUL character (`\u0000`) in any string of a JSON body, a key included, is refused with a
/// 400 in every API: PostgreSQL's JSON cannot hold it, and no catalog text has a use for it.
#[tokio::test]
async fn a_nul_in_any_json_string_is_a_400_in_every_api() {
    use crate::versions::{Api, send};
    let app = spawn().await;
    let made = app
        .product(json!({"name": "Tee", "url": "https://x.example/t", "status": "active",
            "variants": [{"sku": "T-1", "price": "1", "currency": "EUR"}]}))
        .await;
    let id = made["id"].as_str().unwrap();
    let pim = send(
        &app,
        Api::Pim,
        Method::GET,
        &format!("/api/v1/pim/products/{id}"),
        None,
        &[],
    )
    .await
    .expect(200);
    let number = pim.body["number"].as_i64().unwrap();
    let listed = send(&app, Api::Medusa, Method::GET, "/admin/products", None, &[])
        .await
        .expect(200);
    let medusa_id = listed.body["products"][0]["id"].as_str().unwrap().to_owned();
    let cases = [
        (
            Api::Products,
            Method::PUT,
            format!("/api/v1/products/{id}"),
            json!({"metadata": {"k": "a\u{0}b"}}),
        ),
        (
            Api::Products,
            Method::PUT,
            format!("/api/v1/products/{id}"),
            json!({"metadata": {"a\u{0}": 1}}),
        ),
        (
            Api::Pim,
            Method::PUT,
            format!("/api/v1/pim/products/{id}"),
            json!({"metadata": {"k": ["x\u{0}"]}}),
        ),
        (
            Api::Medusa,
            Method::POST,
            format!("/admin/products/{medusa_id}"),
            json!({"metadata": {"k": "a\u{0}b"}}),
        ),
        (
            Api::Medusa,
            Method::POST,
            "/admin/collections".to_owned(),
            json!({"title": "C", "metadata": {"k": "\u{0}"}}),
        ),
        (
            Api::CsCart,
            Method::PUT,
            format!("/api/products/{number}"),
            json!({"age_warning_message": "a\u{0}b"}),
        ),
        (
            Api::CsCart,
            Method::PUT,
            format!("/api/products/{number}"),
            json!({"product": "a\u{0}b"}),
        ),
    ];
    for (api, method, path, body) in cases {
        let r = send(&app, api, method.clone(), &path, Some(body.clone()), &[]).await;
        assert_eq!(r.status.as_u16(), 400, "{api:?} {method} {path} {body}: {}", r.body);
    }
    // Nothing of it was written.
    let after = send(
        &app,
        Api::Pim,
        Method::GET,
        &format!("/api/v1/pim/products/{id}"),
        None,
        &[],
    )
    .await
    .expect(200);
    assert_eq!(after.body["version"], pim.body["version"]);
}
