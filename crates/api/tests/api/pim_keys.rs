//! `/api/v1/pim/api-keys`: keys issued, listed and revoked over HTTP.

use crate::harness::{Resp, TestApp, spawn};
use axum::body::Body;
use axum::http::Method;
use serde_json::{Value, json};

/// A PIM request as the test organization, with the given key in place of its own.
async fn with_key(app: &TestApp, key: &str, method: Method, path: &str, body: Option<Value>) -> Resp {
    let tenant = app.org.tenant_id.to_string();
    let org = app.org.organization_id.to_string();
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.raw(
        method,
        path,
        Some(key),
        body,
        &[("x-tenant-id", &tenant), ("x-org-id", &org)],
    )
    .await
}

#[tokio::test]
async fn a_key_issued_over_http_works_until_it_is_revoked() {
    let app = spawn().await;
    let issued = app
        .pim_post("/api/v1/pim/api-keys", json!({"name": "ci"}))
        .await
        .expect(201)
        .body;
    assert_eq!(issued["kind"], "SECRET");
    assert_eq!(issued["name"], "ci");
    let token = issued["key"].as_str().unwrap().to_owned();
    assert!(token.starts_with(issued["prefix"].as_str().unwrap()), "{issued}");
    let id = issued["id"].as_str().unwrap().to_owned();

    // The new key reads and writes; it is now cached on this node.
    with_key(&app, &token, Method::GET, "/api/v1/pim/stats", None)
        .await
        .expect(200);

    let listed = app.pim_get("/api/v1/pim/api-keys").await.expect(200).body;
    let mine = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == id.as_str())
        .expect("listed");
    assert_eq!(mine["prefix"], issued["prefix"]);
    assert!(mine["revoked_at"].is_null());
    assert!(mine.get("key").is_none(), "a listed key shows no token: {mine}");
    // The organization's first key is listed too.
    assert_eq!(listed.as_array().unwrap().len(), 3, "{listed}");

    let revoked = app
        .pim_delete(&format!("/api/v1/pim/api-keys/{id}"))
        .await
        .expect(200)
        .body;
    assert!(revoked["revoked_at"].is_string(), "{revoked}");
    // Refused at once on the node that revoked it, cache or not.
    with_key(&app, &token, Method::GET, "/api/v1/pim/stats", None)
        .await
        .expect(401);
    // Revoking again changes nothing.
    let again = app
        .pim_delete(&format!("/api/v1/pim/api-keys/{id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(again["revoked_at"], revoked["revoked_at"]);
}

#[tokio::test]
async fn a_publishable_key_issued_over_http_cannot_use_the_pim() {
    let app = spawn().await;
    let issued = app
        .pim_post(
            "/api/v1/pim/api-keys",
            json!({"kind": "PUBLISHABLE", "name": "storefront"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(issued["kind"], "PUBLISHABLE");
    let token = issued["key"].as_str().unwrap();
    assert!(token.starts_with("pk_"), "{issued}");
    let refused = with_key(&app, token, Method::GET, "/api/v1/pim/api-keys", None).await;
    assert!(matches!(refused.status.as_u16(), 401 | 403), "{refused:?}");
    // It reads the storefront's products through the Products API.
    app.call(Method::GET, "/api/v1/products", Some(token), None)
        .await
        .expect(200);
}

#[tokio::test]
async fn bad_key_requests_name_the_field() {
    let app = spawn().await;
    app.pim_post("/api/v1/pim/api-keys", json!({"kind": "ROOT"}))
        .await
        .expect(400);
    app.pim_post("/api/v1/pim/api-keys", json!({"nmae": "typo"}))
        .await
        .expect(400);
    app.pim_post("/api/v1/pim/api-keys", json!({"name": "x".repeat(201)}))
        .await
        .expect_error(400, "name");
    app.pim_delete("/api/v1/pim/api-keys/not-a-uuid")
        .await
        .expect_error(400, "id");
    app.pim_delete(&format!("/api/v1/pim/api-keys/{}", uuid::Uuid::now_v7()))
        .await
        .expect(404);
    app.call(Method::GET, "/api/v1/pim/api-keys", None, None)
        .await
        .expect(401);
}

#[tokio::test]
async fn another_organizations_keys_are_neither_listed_nor_revoked() {
    let app = spawn().await;
    let theirs = app
        .pim_as(
            &app.other,
            Method::POST,
            "/api/v1/pim/api-keys",
            Some(json!({"name": "theirs"})),
        )
        .await
        .expect(201)
        .body;
    let id = theirs["id"].as_str().unwrap();
    let mine = app.pim_get("/api/v1/pim/api-keys").await.expect(200).body;
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|k| k["id"] != id && k["name"] != "theirs"),
        "{mine}"
    );
    app.pim_delete(&format!("/api/v1/pim/api-keys/{id}")).await.expect(404);
    // Still works for its own organization.
    let tenant = app.other.tenant_id.to_string();
    let org = app.other.organization_id.to_string();
    app.raw(
        Method::GET,
        "/api/v1/pim/stats",
        theirs["key"].as_str(),
        Body::empty(),
        &[("x-tenant-id", &tenant), ("x-org-id", &org)],
    )
    .await
    .expect(200);
}
