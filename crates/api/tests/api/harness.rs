//! Starts the real app on a fresh database and calls it in-process.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use pimento_api::{AppState, router};
use pimento_store::Store;
use pimento_store::orgs::CreatedOrganization;
use pimento_store::testing::TestDb;
use serde_json::Value;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    /// The app's state (its metrics, for a worker's observer).
    pub state: AppState,
    pub store: Store,
    /// The organization the tests act as.
    pub org: CreatedOrganization,
    /// Another organization, whose data must stay invisible.
    pub other: CreatedOrganization,
    /// Where this app keeps uploads and exports; removed with the app.
    pub files: std::path::PathBuf,
    pub blobs: std::sync::Arc<dyn pimento_store::jobs::BlobStore>,
    _db: TestDb,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.files);
    }
}

/// A response: status, headers and the body as JSON (`Null` when empty).
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    /// The header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a status, showing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.body);
        self
    }

    /// Asserts an error status with the field it names.
    #[track_caller]
    pub fn expect_error(self, status: u16, field: &str) -> Self {
        let r = self.expect(status);
        assert_eq!(r.body["field"], field, "error body: {}", r.body);
        assert!(
            r.body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "error body: {}",
            r.body
        );
        r
    }
}

pub async fn spawn() -> TestApp {
    let db = TestDb::new().await;
    let store = Store::new(db.db.clone());
    let org = store.create_organization("Acme").await.unwrap();
    let other = store.create_organization("Other Co").await.unwrap();
    let files = std::env::temp_dir().join(format!("pimento-test-files-{}", uuid::Uuid::now_v7()));
    let blobs: std::sync::Arc<dyn pimento_store::jobs::BlobStore> =
        std::sync::Arc::new(pimento_store::jobs::LocalBlobs::new(&files).unwrap());
    let state = AppState::new(store.clone(), blobs.clone());
    TestApp {
        router: router(state.clone()),
        state,
        store,
        org,
        other,
        files,
        blobs,
        _db: db,
    }
}

impl TestApp {
    /// Sends a request with any key (or none) and a raw body.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Body,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = Request::builder().method(method).uri(path);
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
            req = req.header("content-type", "application/json");
        }
        if let Some(k) = key {
            req = req.header("authorization", format!("Bearer {k}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self.router.clone().oneshot(req.body(body).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Resp { status, headers, body }
    }

    /// Sends JSON with the given key.
    pub async fn call(&self, method: Method, path: &str, key: Option<&str>, body: Option<Value>) -> Resp {
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        self.raw(method, path, key, body, &[]).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.call(Method::GET, path, Some(&self.org.secret_key), None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.call(Method::POST, path, Some(&self.org.secret_key), Some(body))
            .await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.call(Method::PUT, path, Some(&self.org.secret_key), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.call(Method::DELETE, path, Some(&self.org.secret_key), None).await
    }

    /// Creates an option `name` with `values` and returns its body.
    pub async fn option(&self, name: &str, values: &[&str]) -> Value {
        self.post(
            "/api/v1/variant-options",
            serde_json::json!({"name": name, "values": values}),
        )
        .await
        .expect(201)
        .body
    }

    /// Creates a product from a body and returns the response body.
    pub async fn product(&self, body: Value) -> Value {
        self.post("/api/v1/products", body).await.expect(201).body
    }
}

/// The id of the value `value` of an option body.
pub fn value_id(option: &Value, value: &str) -> String {
    option["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == value)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

impl TestApp {
    /// Sends a PIM request as `org` (its secret key, tenant and organization headers).
    pub async fn pim_as(&self, org: &CreatedOrganization, method: Method, path: &str, body: Option<Value>) -> Resp {
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        let tenant = org.tenant_id.to_string();
        let org_id = org.organization_id.to_string();
        self.raw(
            method,
            path,
            Some(&org.secret_key),
            body,
            &[("x-tenant-id", &tenant), ("x-org-id", &org_id)],
        )
        .await
    }

    /// Runs queued jobs to their end, as a worker would; returns how many ran.
    pub async fn run_jobs(&self) -> usize {
        let worker = pimento_jobs::Worker::new(
            self.store.clone(),
            self.blobs.clone(),
            pimento_jobs::Settings::default(),
        )
        .with_tables(pimento_api::export_tables())
        .with_importers(pimento_api::importers())
        .with_observer(self.state.job_observer());
        let mut n = 0;
        while worker.run_next().await.unwrap() {
            n += 1;
        }
        n
    }

    /// Uploads raw bytes to a PIM path as the test organization.
    pub async fn pim_upload(&self, path: &str, bytes: impl Into<Vec<u8>>) -> Resp {
        let tenant = self.org.tenant_id.to_string();
        let org_id = self.org.organization_id.to_string();
        self.raw(
            Method::POST,
            path,
            Some(&self.org.secret_key),
            Body::from(bytes.into()),
            &[("x-tenant-id", &tenant), ("x-org-id", &org_id)],
        )
        .await
    }

    /// A PIM request as the test organization.
    pub async fn pim(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        self.pim_as(&self.org, method, path, body).await
    }

    pub async fn pim_get(&self, path: &str) -> Resp {
        self.pim(Method::GET, path, None).await
    }

    pub async fn pim_post(&self, path: &str, body: Value) -> Resp {
        self.pim(Method::POST, path, Some(body)).await
    }

    pub async fn pim_put(&self, path: &str, body: Value) -> Resp {
        self.pim(Method::PUT, path, Some(body)).await
    }

    pub async fn pim_delete(&self, path: &str) -> Resp {
        self.pim(Method::DELETE, path, None).await
    }

    /// Creates something through the PIM API and returns its body.
    pub async fn pim_create(&self, path: &str, body: Value) -> Value {
        self.pim_post(path, body).await.expect(201).body
    }
}

/// The `id` of a body, as text.
pub fn id_of(body: &Value) -> String {
    body["id"].as_str().unwrap().to_owned()
}
