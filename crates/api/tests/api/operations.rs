//! Health, readiness, the OpenAPI document and docs page, and the server on a real socket.

use crate::harness::spawn;
use axum::http::Method;
use pimento_api::{AppState, ServeConfig, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn().await;
    let r = app.call(Method::GET, "/health", None, None).await.expect(200);
    assert_eq!(r.body["status"], "ok");
    assert!(r.header("x-request-id").is_some_and(|id| !id.is_empty()));
    let r = app.call(Method::GET, "/ready", None, None).await.expect(200);
    assert_eq!(r.body["status"], "ready");
}

#[tokio::test]
async fn openapi_document_covers_every_endpoint() {
    let app = spawn().await;
    let r = app
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .expect(200);
    let doc = &r.body;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    let expected = [
        ("/api/v1/products", &["get", "post"][..]),
        ("/api/v1/products/search", &["get"]),
        ("/api/v1/products/{productId}", &["get", "put", "delete"]),
        ("/api/v1/products/{productId}/media-assets", &["get", "post"]),
        ("/api/v1/products/{productId}/media-assets/reorder", &["put"]),
        (
            "/api/v1/products/{productId}/media-assets/{assetId}",
            &["put", "delete"],
        ),
        ("/api/v1/products/{productId}/variant-options", &["get", "post"]),
        ("/api/v1/products/{productId}/variant-options/{optionId}", &["delete"]),
        ("/api/v1/products/{productId}/variants", &["get", "post"]),
        (
            "/api/v1/products/{productId}/variants/{variantId}",
            &["get", "put", "delete"],
        ),
        ("/api/v1/variant-options", &["get", "post"]),
        ("/api/v1/variant-options/{optionId}", &["get", "put", "delete"]),
    ];
    for (path, methods) in expected {
        for m in methods {
            let op = &paths[path][*m];
            assert!(op.is_object(), "{m} {path} missing from the OpenAPI document");
            assert!(op["tags"].is_array(), "{m} {path} has no tag");
            assert!(op["summary"].is_string(), "{m} {path} has no summary");
        }
    }
    assert!(doc["components"]["schemas"]["ProductOut"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let page = app.call(Method::GET, "/docs/", None, None).await.expect(200);
    assert!(
        page.body.as_str().unwrap().contains("swagger"),
        "docs page: {}",
        page.body
    );
}

#[tokio::test]
async fn serves_on_a_real_socket() {
    let app = spawn().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(serve(
        listener,
        AppState::new(app.store.clone(), app.blobs.clone()),
        ServeConfig::default(),
    ));
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "GET /api/v1/products HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
        app.org.secret_key
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).await.unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(out.ends_with("[]"), "{out}");
    server.abort();
}
