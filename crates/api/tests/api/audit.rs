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
