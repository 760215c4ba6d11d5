//! Every status the HTTP layer can answer by itself, for every API, over a real socket: a
//! wrong method (405), a body too large (413, called in-process), a body that is not JSON
//! (415), a URI too long (414), too many headers (431), a path that is not UTF-8 once decoded
//! or not HTTP at all (400), and a client too slow to send its body (408). Each comes in the
//! error body of the API whose path it was, and outside them in the neutral
//! `{error, code}` body.

use crate::harness::{TestApp, spawn};
use axum::body::Body;
use axum::http::Method;
use base64::Engine;
use pimento_api::{AppOptions, AppState, ServeConfig, serve_until};
use serde_json::Value;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PATIENCE: Duration = Duration::from_secs(10);

/// One API under test: a path it serves (GET and POST), its credentials, its body's shape.
struct Api {
    name: &'static str,
    path: &'static str,
    /// A path with an id, to give it one that is not UTF-8.
    item: &'static str,
    headers: Vec<(String, String)>,
}

fn apis(app: &TestApp) -> Vec<Api> {
    let key = &app.org.secret_key;
    let bearer = ("authorization".to_owned(), format!("Bearer {key}"));
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("admin@example.com:{key}"));
    vec![
        Api {
            name: "products",
            path: "/api/v1/products",
            item: "/api/v1/products/",
            headers: vec![bearer.clone()],
        },
        Api {
            name: "pim",
            path: "/api/v1/pim/products",
            item: "/api/v1/pim/products/",
            headers: vec![
                bearer.clone(),
                ("x-tenant-id".to_owned(), app.org.tenant_id.to_string()),
                ("x-org-id".to_owned(), app.org.organization_id.to_string()),
            ],
        },
        Api {
            name: "medusa",
            path: "/admin/products",
            item: "/admin/products/",
            headers: vec![bearer.clone()],
        },
        Api {
            name: "cscart",
            path: "/api/products",
            item: "/api/products/",
            headers: vec![("authorization".to_owned(), format!("Basic {basic}"))],
        },
        Api {
            name: "neutral",
            path: "/health",
            item: "/nothing/",
            headers: vec![],
        },
    ]
}

/// Asserts that `body` is `api`'s error body for `status`, with `code` where the body has one.
#[track_caller]
fn assert_body(api: &str, what: &str, status: u16, got: u16, body: &Value, code: Option<&str>) {
    assert_eq!(got, status, "{api} {what}: {body}");
    let object = body
        .as_object()
        .unwrap_or_else(|| panic!("{api} {what}: not an object: {body}"));
    match api {
        "medusa" => {
            assert!(body["type"].is_string(), "{api} {what}: {body}");
            assert!(
                body["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{api} {what}: {body}"
            );
        }
        "cscart" => {
            assert_eq!(object.len(), 1, "{api} {what}: {body}");
            assert!(
                body["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{api} {what}: {body}"
            );
        }
        _ => {
            assert!(
                body["error"].as_str().is_some_and(|m| !m.is_empty()),
                "{api} {what}: {body}"
            );
            if let Some(code) = code {
                assert_eq!(body["code"], code, "{api} {what}: {body}");
            }
        }
    }
}

/// Starts the app on a socket, with a request timeout of `request_timeout`.
async fn start(app: &TestApp, request_timeout: Duration) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let options = AppOptions {
        request_timeout,
        ..AppOptions::default()
    };
    let state = AppState::with_options(app.store.clone(), app.blobs.clone(), options);
    tokio::spawn(serve_until(listener, state, ServeConfig::default(), async {
        let _ = stopped.await;
    }));
    (addr, stop)
}

/// Sends raw bytes (then, after `pause`, `more`) and reads the answer until the server closes.
async fn exchange(addr: std::net::SocketAddr, head: &[u8], more: Option<(Duration, &[u8])>) -> (u16, Value) {
    let mut conn = TcpStream::connect(addr).await.unwrap();
    conn.write_all(head).await.unwrap();
    if let Some((pause, more)) = more {
        tokio::time::sleep(pause).await;
        let _ = conn.write_all(more).await;
    }
    let mut got = Vec::new();
    tokio::time::timeout(PATIENCE, conn.read_to_end(&mut got))
        .await
        .expect("an answer")
        .unwrap();
    let text = String::from_utf8_lossy(&got).into_owned();
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let body = serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_owned()));
    (status, body)
}

/// A request head: request line, the API's headers, `extra` lines.
fn head(method: &str, target: &str, api: &Api, extra: &[String]) -> Vec<u8> {
    let mut h = format!("{method} {target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n");
    for (k, v) in &api.headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    for line in extra {
        h.push_str(line);
        h.push_str("\r\n");
    }
    h.push_str("\r\n");
    h.into_bytes()
}

#[tokio::test]
async fn every_refusal_of_the_http_layer_has_the_apis_body() {
    let app = spawn().await;
    let (addr, _stop) = start(&app, Duration::from_millis(700)).await;
    for api in apis(&app) {
        let n = api.name;
        let api_ = &api;

        // 405: a method the path does not take.
        let (status, body) = exchange(addr, &head("PATCH", api.path, api_, &[]), None).await;
        assert_body(n, "405", 405, status, &body, Some("method_not_allowed"));

        // 414: a URI longer than hyper reads.
        let long = format!("{}?q={}", api.path, "a".repeat(70_000));
        let (status, body) = exchange(addr, &head("GET", &long, api_, &[]), None).await;
        assert_body(n, "414", 414, status, &body, Some("uri_too_long"));

        // 431: more headers than hyper reads.
        let many: Vec<String> = (0..120).map(|i| format!("x-h{i}: {i}")).collect();
        let (status, body) = exchange(addr, &head("GET", api.path, api_, &many), None).await;
        assert_body(n, "431", 431, status, &body, Some("headers_too_large"));

        // 400: a raw byte hyper cannot read in the request line.
        let mut raw = head("GET", &format!("{}X", api.path), api_, &[]);
        let at = raw.iter().position(|b| *b == b'X').unwrap();
        raw[at] = 0x7f;
        let (status, body) = exchange(addr, &raw, None).await;
        assert_body(n, "raw 400", 400, status, &body, None);

        if n == "neutral" {
            continue;
        }

        // 400: a path segment whose percent-encoding is not UTF-8.
        let (status, body) = exchange(addr, &head("GET", &format!("{}%FF%FE", api.item), api_, &[]), None).await;
        assert!(status == 400 || status == 404, "{n} %FF: {status} {body}");
        assert_body(n, "%FF", status, status, &body, None);

        // 415: a body declared as something other than JSON.
        let xml = b"<product/>";
        let lines = [
            "content-type: application/xml".to_owned(),
            format!("content-length: {}", xml.len()),
        ];
        let mut req = head("POST", api.path, api_, &lines);
        req.extend_from_slice(xml);
        let (status, body) = exchange(addr, &req, None).await;
        assert_body(n, "415", 415, status, &body, Some("unsupported_media_type"));

        // 408: a body that stops arriving.
        let lines = [
            "content-type: application/json".to_owned(),
            "content-length: 100".to_owned(),
        ];
        let mut req = head("POST", api.path, api_, &lines);
        req.extend_from_slice(b"{\"title\":");
        let (status, body) = exchange(addr, &req, None).await;
        assert_body(n, "408", 408, status, &body, Some("request_timeout"));

        // 413, in-process: a body over the limit.
        let big = format!("{{\"title\": \"{}\"}}", "a".repeat(9 * 1024 * 1024));
        let headers: Vec<(&str, &str)> = api.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = app.raw(Method::POST, api.path, None, Body::from(big), &headers).await;
        assert_body(n, "413", 413, r.status.as_u16(), &r.body, Some("payload_too_large"));
    }
}
