//! Every write leaves an audit event, in the same transaction, with field-level changes.

use crate::harness::spawn;
use axum::body::Body;
use axum::http::Method;
use pimento_core::auth::{Ctx, KeyKind, Principal};
use serde_json::json;

fn ctx(app: &crate::harness::TestApp) -> Ctx {
    Ctx {
        principal: Principal {
            tenant_id: app.org.tenant_id,
            organization_id: app.org.organization_id,
            key_id: pimento_core::ids::ApiKeyId::generate(),
            kind: KeyKind::Secret,
            actor: "test".into(),
        },
        request_id: None,
    }
}

#[tokio::test]
async fn writes_are_audited_with_before_and_after() {
    let app = spawn().await;
    let body = json!({"name": "Tee", "url": "https://x.example", "variants": [{"sku": "T-1", "price": "5"}]});
    let r = app
        .raw(
            Method::POST,
            "/api/v1/products",
            Some(&app.org.secret_key),
            Body::from(body.to_string()),
            &[("x-request-id", "req-42")],
        )
        .await
        .expect(201);
    assert_eq!(r.header("x-request-id"), Some("req-42"));
    let pid = r.body["id"].as_str().unwrap().to_owned();
    app.put(&format!("/api/v1/products/{pid}"), json!({"name": "Tee 2"}))
        .await
        .expect(200);
    app.delete(&format!("/api/v1/products/{pid}")).await.expect(200);

    let events = app
        .store
        .audit_events(&ctx(&app), Some(pid.parse().unwrap()), 50)
        .await
        .unwrap();
    let actions: Vec<_> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["archive", "update", "create"]);
    let create = &events[2];
    assert_eq!(create.entity_type, "product");
    assert_eq!(create.request_id.as_deref(), Some("req-42"));
    assert!(create.actor.starts_with("sk_"));
    assert_eq!(create.changes["name"], json!({"before": null, "after": "Tee"}));
    assert_eq!(events[1].changes, json!({"name": {"before": "Tee", "after": "Tee 2"}}));
    assert_eq!(events[0].changes["archived"], json!({"before": false, "after": true}));
    assert!(events[0].seq > events[1].seq && events[1].seq > events[2].seq);

    // The inline variant has its own creation event.
    let all = app.store.audit_events(&ctx(&app), None, 50).await.unwrap();
    assert!(
        all.iter()
            .any(|e| e.entity_type == "variant" && e.action == "create" && e.changes["sku"]["after"] == "T-1")
    );
    // A refused write records nothing.
    let before = all.len();
    app.post(
        "/api/v1/products",
        json!({"name": "X", "url": "https://x.example", "variants": [{"sku": "T-1"}]}),
    )
    .await
    .expect(409);
    assert_eq!(
        app.store.audit_events(&ctx(&app), None, 50).await.unwrap().len(),
        before
    );
    // Other organizations' events stay theirs.
    let mut other = ctx(&app);
    other.principal.organization_id = app.other.organization_id;
    assert!(app.store.audit_events(&other, None, 50).await.unwrap().is_empty());
}

/// What a write accepts can always be read back: metadata nested as deep as allowed is stored,
/// shown by both APIs and listed in the audit log, where the event wraps it three levels
/// deeper; one level more is refused on write, naming the field.
#[tokio::test]
async fn metadata_at_the_depth_limit_reads_back_everywhere() {
    let app = spawn().await;
    let nest = |levels: usize| (1..levels).fold(json!({"leaf": true}), |inner, _| json!({ "n": inner }));
    let max = pimento_core::validate::MAX_JSON_DEPTH;
    let r = app
        .post(
            "/api/v1/products",
            json!({"name": "Deep", "url": "https://x.example", "metadata": nest(max)}),
        )
        .await
        .expect(201);
    let id = r.body["id"].as_str().unwrap().to_owned();
    app.get(&format!("/api/v1/products/{id}")).await.expect(200);
    app.pim_get(&format!("/api/v1/pim/products/{id}")).await.expect(200);
    let events = app.pim_get("/api/v1/pim/audit?entity_type=product").await.expect(200);
    assert_eq!(events.body.as_array().map(Vec::len), Some(1));
    app.put(&format!("/api/v1/products/{id}"), json!({"metadata": nest(max + 1)}))
        .await
        .expect_error(400, "metadata");
    app.post(
        "/api/v1/products",
        json!({"name": "Deeper", "url": "https://x.example", "metadata": nest(max + 1)}),
    )
    .await
    .expect_error(400, "metadata");
    app.post(
        "/api/v1/products",
        json!({"name": "Sourced", "url": "https://x.example",
               "primarySyncSource": {"syncSource": "erp", "syncSourceId": "1", "sourceData": nest(max + 1)}}),
    )
    .await
    .expect_error(400, "primarySyncSource.sourceData");
}
