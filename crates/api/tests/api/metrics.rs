//! `/metrics`, `/ready` when the database is gone, and CORS.

use crate::harness::{TestApp, spawn};
use axum::body::Body;
use axum::http::Method;
use pimento_api::{AppOptions, AppState, router};
use serde_json::json;
use tower::ServiceExt;

/// The value of one series (`name{labels}`) in a scrape, 0 when absent.
fn value(scrape: &str, series: &str) -> f64 {
    scrape
        .lines()
        .find_map(|l| l.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

async fn scrape(app: &TestApp) -> String {
    let r = app.call(Method::GET, "/metrics", None, None).await.expect(200);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    r.body.as_str().unwrap().to_owned()
}

#[tokio::test]
async fn metrics_are_exported_and_move_with_requests() {
    let app = spawn().await;
    let product = app.product(json!({"name": "Parka", "url": "https://x.example"})).await;
    let id = product["id"].as_str().unwrap();
    let route = r#"pimento_http_requests_total{method="GET",route="/api/v1/products/{productId}",status="200"}"#;
    let before = scrape(&app).await;
    let count = value(&before, route);
    for _ in 0..3 {
        app.get(&format!("/api/v1/products/{id}")).await.expect(200);
    }
    app.get("/api/v1/products/0190a8e2-0000-7000-8000-000000000000")
        .await
        .expect(404);
    app.get("/no/such/route").await.expect(404);
    let after = scrape(&app).await;
    assert_eq!(value(&after, route) - count, 3.0, "{after}");
    assert_eq!(
        value(
            &after,
            r#"pimento_http_requests_total{method="GET",route="/api/v1/products/{productId}",status="404"}"#
        ),
        1.0
    );
    // The route template, never the path: no id in any label.
    assert!(!after.contains(id), "a raw path leaked into a label");
    assert!(after.contains(r#"route="unmatched""#), "{after}");
    assert_eq!(
        value(
            &after,
            r#"pimento_http_request_duration_seconds_count{method="GET",route="/api/v1/products/{productId}",status="200"}"#
        ) - value(
            &before,
            r#"pimento_http_request_duration_seconds_count{method="GET",route="/api/v1/products/{productId}",status="200"}"#
        ),
        3.0
    );
    assert!(after.contains("pimento_http_request_duration_seconds_bucket{"));
    for series in [
        r#"pimento_db_connections{state="in_use"}"#,
        r#"pimento_db_connections{state="idle"}"#,
        "pimento_db_connections_max",
        r#"pimento_jobs{status="queued"}"#,
        r#"pimento_jobs{status="running"}"#,
    ] {
        assert!(
            after.lines().any(|l| l.starts_with(series)),
            "{series} missing:\n{after}"
        );
    }
    assert!(value(&after, "pimento_db_connections_max") >= 1.0);

    // The queue's depth, then a job's duration once a worker ran it.
    app.pim_post("/api/v1/pim/export", json!({"format": "ndjson"}))
        .await
        .expect(202);
    let queued = scrape(&app).await;
    assert_eq!(value(&queued, r#"pimento_jobs{status="queued"}"#), 1.0, "{queued}");
    assert_eq!(app.run_jobs().await, 1);
    let done = scrape(&app).await;
    assert_eq!(value(&done, r#"pimento_jobs{status="queued"}"#), 0.0);
    assert_eq!(
        value(
            &done,
            r#"pimento_job_duration_seconds_count{kind="export",status="succeeded"}"#
        ),
        1.0,
        "{done}"
    );
}

#[tokio::test]
async fn ready_fails_when_the_database_is_gone() {
    let app = spawn().await;
    app.call(Method::GET, "/ready", None, None).await.expect(200);
    app.store.db().close().await;
    let r = app.call(Method::GET, "/ready", None, None).await.expect(503);
    assert_eq!(r.body["status"], "unavailable");
    app.call(Method::GET, "/health", None, None).await.expect(200);
}

#[tokio::test]
async fn cors_is_off_by_default_and_answers_configured_origins() {
    let app = spawn().await;
    let preflight = |origin: &'static str| {
        axum::http::Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/v1/products")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization,content-type")
            .body(Body::empty())
            .unwrap()
    };
    let off = app
        .router
        .clone()
        .oneshot(preflight("https://admin.example.com"))
        .await
        .unwrap();
    assert!(off.headers().get("access-control-allow-origin").is_none());

    let options = AppOptions {
        cors_origins: vec!["https://admin.example.com".parse().unwrap()],
        ..AppOptions::default()
    };
    let on = router(AppState::with_options(app.store.clone(), app.blobs.clone(), options));
    let r = on
        .clone()
        .oneshot(preflight("https://admin.example.com"))
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(r.headers()["access-control-allow-origin"], "https://admin.example.com");
    let other = on.clone().oneshot(preflight("https://evil.example.com")).await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    // An actual request carries the header too, and still needs its key.
    let get = axum::http::Request::builder()
        .uri("/api/v1/products")
        .header("origin", "https://admin.example.com")
        .body(Body::empty())
        .unwrap();
    let r = on.oneshot(get).await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["access-control-allow-origin"], "https://admin.example.com");
}
