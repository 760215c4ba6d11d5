//! `--rate-limit N`: N requests a second per key (in bursts of N), and as many wrong-key
//! attempts per client address; past it a 429 in the API's own body, with `Retry-After` and
//! the `RateLimit-*` headers. Another key keeps its own bucket.

use crate::harness::{Resp, TestApp, spawn};
use axum::body::Body;
use axum::http::Method;
use base64::Engine;
use pimento_api::{AppOptions, AppState, router};
use std::num::NonZeroU32;

const LIMIT: u32 = 3;

/// Request headers, as names and values.
type Headers<'a> = Vec<(&'a str, &'a str)>;

/// The test app, limited to `LIMIT` requests a second.
async fn limited() -> TestApp {
    let mut app = spawn().await;
    let options = AppOptions {
        rate_limit: NonZeroU32::new(LIMIT),
        ..AppOptions::default()
    };
    app.router = router(AppState::with_options(app.store.clone(), app.blobs.clone(), options));
    app
}

#[track_caller]
fn assert_limited(r: &Resp, what: &str) {
    assert_eq!(r.status.as_u16(), 429, "{what}: {}", r.body);
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry), "{what}: Retry-After {retry}");
    assert_eq!(r.header("ratelimit-limit"), Some("3"), "{what}");
    assert_eq!(r.header("ratelimit-remaining"), Some("0"), "{what}");
    assert!(r.header("ratelimit-reset").is_some(), "{what}");
}

/// `n` GETs of `path` with `headers`; the statuses.
async fn burst(app: &TestApp, path: &str, headers: &[(&str, &str)], n: usize) -> Vec<Resp> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(app.raw(Method::GET, path, None, Body::empty(), headers).await);
    }
    out
}

#[tokio::test]
async fn a_key_past_its_rate_gets_429_in_each_apis_body_and_another_key_does_not() {
    let app = limited().await;
    let key = app.org.secret_key.clone();
    let bearer = format!("Bearer {key}");
    let (tenant, org) = (app.org.tenant_id.to_string(), app.org.organization_id.to_string());
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("admin@example.com:{key}"))
    );
    let apis: [(&str, &str, Headers); 4] = [
        ("products", "/api/v1/products", vec![("authorization", bearer.as_str())]),
        (
            "pim",
            "/api/v1/pim/products",
            vec![
                ("authorization", bearer.as_str()),
                ("x-tenant-id", tenant.as_str()),
                ("x-org-id", org.as_str()),
            ],
        ),
        ("medusa", "/admin/products", vec![("authorization", bearer.as_str())]),
        ("cscart", "/api/products", vec![("authorization", basic.as_str())]),
    ];
    for (name, path, headers) in &apis {
        // A fresh second: the bucket is full again.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let got = burst(&app, path, headers, LIMIT as usize + 4).await;
        let ok = got.iter().filter(|r| r.status.is_success()).count();
        assert!(ok >= LIMIT as usize, "{name}: {ok} answered");
        let refused: Vec<_> = got.iter().filter(|r| r.status.as_u16() != 200).collect();
        assert!(refused.len() >= 3, "{name}: {} refused", refused.len());
        for r in refused {
            assert_limited(r, name);
            match *name {
                "medusa" | "cscart" => assert!(r.body["message"].is_string(), "{name}: {}", r.body),
                _ => assert_eq!(r.body["code"], "rate_limited", "{name}: {}", r.body),
            }
        }
        // Another organization's key has a bucket of its own.
        let other = format!("Bearer {}", app.other.secret_key);
        let r = app
            .raw(
                Method::GET,
                "/api/v1/products",
                None,
                Body::empty(),
                &[("authorization", &other)],
            )
            .await;
        assert_eq!(r.status.as_u16(), 200, "{name}: another key: {}", r.body);
    }
    // A second later the key is served again.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    app.get("/api/v1/products").await.expect(200);
}

#[tokio::test]
async fn wrong_keys_from_one_address_get_429_without_a_lookup() {
    let app = limited().await;
    let got = burst(&app, "/api/v1/products", &[("authorization", "Bearer sk_wrong")], 8).await;
    let statuses: Vec<u16> = got.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(&statuses[..LIMIT as usize], &[401; LIMIT as usize], "{statuses:?}");
    for r in &got[LIMIT as usize..] {
        assert_limited(r, "wrong key");
        assert_eq!(r.body["code"], "rate_limited", "{}", r.body);
    }
    // A key already known keeps working from the address.
    let r = app
        .raw(
            Method::GET,
            "/api/v1/products",
            None,
            Body::empty(),
            &[("authorization", &format!("Bearer {}", app.org.secret_key))],
        )
        .await;
    assert!(matches!(r.status.as_u16(), 200 | 429), "{}", r.body);
    // Off by default: the same wrong key any number of times is 401.
    let plain = spawn().await;
    for r in burst(&plain, "/api/v1/products", &[("authorization", "Bearer sk_wrong")], 8).await {
        assert_eq!(r.status.as_u16(), 401);
    }
}

/// An organization may have at most `MAX_QUEUED_JOBS` jobs waiting; another is refused with
/// a 409 naming the cap, in each API's body, while other organizations are served.
#[tokio::test]
async fn jobs_waiting_per_organization_are_capped() {
    let app = spawn().await;
    let cap = pimento_store::jobs::MAX_QUEUED_JOBS;
    for _ in 0..cap {
        app.pim(Method::POST, "/api/v1/pim/export", None).await.expect(202);
    }
    let r = app.pim(Method::POST, "/api/v1/pim/export", None).await.expect(409);
    assert_eq!(r.body["code"], "too_many_jobs", "{}", r.body);
    assert!(
        r.body["error"].as_str().unwrap().contains(&cap.to_string()),
        "{}",
        r.body
    );
    let r = app.post("/admin/products/export", serde_json::json!({})).await;
    assert_eq!(r.status.as_u16(), 400, "{}", r.body);
    assert!(
        r.body["message"].as_str().unwrap().contains(&cap.to_string()),
        "{}",
        r.body
    );
    app.pim_as(&app.other, Method::POST, "/api/v1/pim/export", None)
        .await
        .expect(202);
    // Once one has run, there is room again.
    let worker = pimento_jobs::Worker::new(app.store.clone(), app.blobs.clone(), pimento_jobs::Settings::default());
    assert!(worker.run_next().await.unwrap());
    app.pim(Method::POST, "/api/v1/pim/export", None).await.expect(202);
}
