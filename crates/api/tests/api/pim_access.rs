//! The PIM API's headers and keys: `Authorization`, `X-Tenant-ID`, `X-Org-ID`.

use crate::harness::{id_of, spawn};
use axum::body::Body;
use axum::http::Method;
use serde_json::json;

const ENDPOINTS: &[&str] = &[
    "/api/v1/pim/products",
    "/api/v1/pim/categories",
    "/api/v1/pim/brands",
    "/api/v1/pim/attributes",
    "/api/v1/pim/attribute-groups",
    "/api/v1/pim/templates",
    "/api/v1/pim/media",
    "/api/v1/pim/stats",
    "/api/v1/pim/validation",
    "/api/v1/pim/audit",
];

#[tokio::test]
async fn every_endpoint_needs_a_key_and_both_headers() {
    let app = spawn().await;
    let tenant = app.org.tenant_id.to_string();
    let org = app.org.organization_id.to_string();
    for path in ENDPOINTS {
        app.pim_get(path).await.expect(200);
        // No key at all.
        app.raw(
            Method::GET,
            path,
            None,
            Body::empty(),
            &[("x-tenant-id", &tenant), ("x-org-id", &org)],
        )
        .await
        .expect(401);
        // A header missing.
        app.raw(
            Method::GET,
            path,
            Some(&app.org.secret_key),
            Body::empty(),
            &[("x-org-id", &org)],
        )
        .await
        .expect_error(400, "X-Tenant-ID");
        app.raw(
            Method::GET,
            path,
            Some(&app.org.secret_key),
            Body::empty(),
            &[("x-tenant-id", &tenant)],
        )
        .await
        .expect_error(400, "X-Org-ID");
        // Not a UUID.
        app.raw(
            Method::GET,
            path,
            Some(&app.org.secret_key),
            Body::empty(),
            &[("x-tenant-id", "acme"), ("x-org-id", &org)],
        )
        .await
        .expect_error(400, "X-Tenant-ID");
    }
}

#[tokio::test]
async fn headers_naming_another_tenant_or_organization_are_refused_alike() {
    let app = spawn().await;
    let key = &app.org.secret_key;
    let mine_t = app.org.tenant_id.to_string();
    let mine_o = app.org.organization_id.to_string();
    let other_t = app.other.tenant_id.to_string();
    let other_o = app.other.organization_id.to_string();
    let unknown = uuid::Uuid::now_v7().to_string();
    let mut bodies = Vec::new();
    for (t, o) in [
        (&other_t, &other_o),
        (&mine_t, &other_o),
        (&other_t, &mine_o),
        (&unknown, &mine_o),
        (&mine_t, &unknown),
    ] {
        let r = app
            .raw(
                Method::GET,
                "/api/v1/pim/products",
                Some(key),
                Body::empty(),
                &[("x-tenant-id", t), ("x-org-id", o)],
            )
            .await
            .expect(404);
        bodies.push(r.body);
    }
    // Existing and unknown ids get the very same answer.
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{bodies:?}");
    assert_eq!(bodies[0]["code"], "not_found");
}

#[tokio::test]
async fn publishable_keys_cannot_use_the_pim_api() {
    let app = spawn().await;
    let tenant = app.org.tenant_id.to_string();
    let org = app.org.organization_id.to_string();
    let r = app
        .raw(
            Method::GET,
            "/api/v1/pim/products",
            Some(&app.org.publishable_key),
            Body::empty(),
            &[("x-tenant-id", &tenant), ("x-org-id", &org)],
        )
        .await
        .expect(403);
    assert_eq!(r.body["code"], "forbidden");
}

#[tokio::test]
async fn another_organization_sees_none_of_this_organizations_data() {
    let app = spawn().await;
    let cat = app
        .pim_create(
            "/api/v1/pim/categories",
            json!({"name": "Outerwear", "slug": "outerwear"}),
        )
        .await;
    let brand = app.pim_create("/api/v1/pim/brands", json!({"name": "Acme"})).await;
    let attr = app
        .pim_create("/api/v1/pim/attributes", json!({"name": "Color", "key": "color"}))
        .await;
    let group = app
        .pim_create("/api/v1/pim/attribute-groups", json!({"name": "Look"}))
        .await;
    let template = app
        .pim_create(
            "/api/v1/pim/templates",
            json!({"name": "Jacket", "attributes": [{"attribute_id": attr["id"], "required": true}]}),
        )
        .await;
    let p = app
        .pim_create(
            "/api/v1/pim/products",
            json!({"title": "Parka", "category": "outerwear", "brand_id": brand["id"]}),
        )
        .await;
    let pid = id_of(&p);
    let v = app
        .pim_create(
            &format!("/api/v1/pim/products/{pid}/variants"),
            json!({"sku": "PARKA-M", "price": 100}),
        )
        .await;
    let m = app
        .pim_create(
            "/api/v1/pim/media",
            json!({"url": "https://cdn.example/parka.jpg", "product_id": pid}),
        )
        .await;
    let other = &app.other;
    for path in [
        format!("/api/v1/pim/products/{pid}"),
        format!("/api/v1/pim/products/{pid}/variants"),
        format!("/api/v1/pim/products/{pid}/variants/{}", id_of(&v)),
        format!("/api/v1/pim/categories/{}", id_of(&cat)),
        format!("/api/v1/pim/brands/{}", id_of(&brand)),
        format!("/api/v1/pim/attributes/{}", id_of(&attr)),
        format!("/api/v1/pim/attribute-groups/{}", id_of(&group)),
        format!("/api/v1/pim/templates/{}", id_of(&template)),
        format!("/api/v1/pim/media/{}", id_of(&m)),
    ] {
        app.pim_as(other, Method::GET, &path, None).await.expect(404);
        if !path.ends_with("/variants") {
            app.pim_as(other, Method::DELETE, &path, None).await.expect(404);
        }
        app.pim_get(&path).await.expect(200);
    }
    app.pim_as(
        other,
        Method::PUT,
        &format!("/api/v1/pim/products/{pid}"),
        Some(json!({"title": "Mine"})),
    )
    .await
    .expect(404);
    app.pim_as(
        other,
        Method::POST,
        &format!("/api/v1/pim/products/{pid}/variants"),
        Some(json!({"sku": "X"})),
    )
    .await
    .expect(404);
    // Their lists, stats, validation and audit are empty.
    for path in ENDPOINTS {
        let r = app.pim_as(other, Method::GET, path, None).await.expect(200);
        if let Some(list) = r.body.as_array() {
            assert!(list.is_empty(), "{path}: {}", r.body);
        }
    }
    let stats = app.pim_as(other, Method::GET, "/api/v1/pim/stats", None).await.body;
    assert_eq!(stats["products"], 0);
    // Nor can they file their products under this organization's taxonomy.
    app.pim_as(
        other,
        Method::POST,
        "/api/v1/pim/products",
        Some(json!({"title": "X", "category": "outerwear"})),
    )
    .await
    .expect_error(400, "category");
    app.pim_as(
        other,
        Method::POST,
        "/api/v1/pim/products",
        Some(json!({"title": "X", "brand_id": brand["id"]})),
    )
    .await
    .expect_error(400, "brand_id");
    app.pim_as(
        other,
        Method::POST,
        "/api/v1/pim/categories",
        Some(json!({"name": "Sub", "parent_id": cat["id"]})),
    )
    .await
    .expect_error(400, "parent_id");
    app.pim_as(
        other,
        Method::POST,
        "/api/v1/pim/media",
        Some(json!({"url": "https://cdn.example/x.jpg", "product_id": pid})),
    )
    .await
    .expect(404);
}

#[tokio::test]
async fn the_pim_openapi_document_is_served() {
    let app = spawn().await;
    let r = app.get("/api/v1/pim/openapi.json").await.expect(200);
    let paths = r.body["paths"].as_object().unwrap();
    for p in ENDPOINTS {
        assert!(paths.contains_key(*p), "{p} missing");
    }
    assert!(paths.contains_key("/api/v1/pim/products/{product_id}/variants"));
}
