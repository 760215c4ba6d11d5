//! The application: shared state and the router with its middleware.

use crate::auth::KeyCache;
use crate::dialect::Owners;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::rate::RateLimits;
use crate::{cscart, health, idempotency, limits, medusa, metrics, pim, products_v1};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use axum::response::IntoResponse;
use axum::routing::get;
use pimento_store::Store;
use pimento_store::jobs::BlobStore;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa_swagger_ui::SwaggerUi;

/// The largest request body accepted (a product with thousands of variants fits).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Everything a handler can reach.
pub struct App {
    pub store: Store,
    /// Where uploads and export results are kept.
    pub blobs: Arc<dyn BlobStore>,
    pub(crate) keys: KeyCache,
    pub(crate) metrics: Arc<Metrics>,
    /// Requests a second per key and per address (`rate.rs`), when limited.
    pub(crate) rate: Option<RateLimits>,
    options: AppOptions,
}

/// How the app is set up beyond its store.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// Origins whose browser scripts may call the APIs (CORS); none by default, which sends
    /// no CORS headers at all.
    pub cors_origins: Vec<HeaderValue>,
    /// How long a request may take, its body's upload included: then 408 if the body was
    /// still arriving, 503 if not.
    pub request_timeout: Duration,
    /// Requests a second per API key, in bursts of as many, and the same per client address
    /// for keys that are not valid (`rate.rs`); unlimited when `None`.
    pub rate_limit: Option<std::num::NonZeroU32>,
    /// How long a product deleted for good stays restorable (`POST
    /// /api/v1/pim/products/{id}/restore`).
    pub deleted_retention: Duration,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            cors_origins: Vec::new(),
            request_timeout: Duration::from_secs(30),
            rate_limit: None,
            deleted_retention: pimento_store::catalog::DEFAULT_RETENTION,
        }
    }
}

impl App {
    /// How long a product deleted for good stays restorable.
    pub fn deleted_retention(&self) -> Duration {
        self.options.deleted_retention
    }

    /// How old an idempotency key's claim whose request never committed must be before a
    /// retry takes it over (`idempotency.rs`).
    pub(crate) fn stale_claim_after(&self) -> Duration {
        crate::idempotency::stale_after(self.options.request_timeout)
    }
}

/// Cheap-to-clone handle on the [`App`].
#[derive(Clone)]
pub struct AppState(Arc<App>);

impl AppState {
    /// Wraps a store and a blob store.
    pub fn new(store: Store, blobs: Arc<dyn BlobStore>) -> Self {
        Self::with_options(store, blobs, AppOptions::default())
    }

    /// Wraps a store and a blob store, with options.
    pub fn with_options(store: Store, blobs: Arc<dyn BlobStore>, options: AppOptions) -> Self {
        AppState(Arc::new(App {
            store,
            blobs,
            keys: KeyCache::default(),
            metrics: Arc::new(Metrics::new()),
            rate: options.rate_limit.map(RateLimits::new),
            options,
        }))
    }

    /// Records the jobs a worker finishes in this app's `/metrics` (`Worker::with_observer`).
    pub fn job_observer(&self) -> pimento_jobs::JobObserver {
        self.metrics.job_observer()
    }
}

impl Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

/// The whole HTTP app.
pub fn router(state: AppState) -> Router {
    build(state).0
}

/// The whole HTTP app, and which API owns which paths (for the answers the connection layer
/// makes itself, `server.rs`).
pub(crate) fn build(state: AppState) -> (Router, Arc<Owners>) {
    let request_id = HeaderName::from_static("x-request-id");
    // Each API: its routes, with its error body, auth and OpenAPI document (`dialect.rs`).
    let apis = [products_v1::api(), pim::api(), medusa::api(), cscart::api()];
    let cors = cors(&state.options.cors_origins);
    let request_timeout = state.options.request_timeout;
    let mut app = Router::new();
    let mut docs = SwaggerUi::new("/docs");
    let mut owners = Vec::new();
    for api in apis {
        app = app.merge(api.router);
        docs = docs.url(api.doc_path, api.doc);
        owners.push(api.owner);
    }
    let owners = Arc::new(Owners::new(owners));
    let app = app
        .merge(docs)
        .route("/health", get(health::health))
        .route("/ready", get(health::ready))
        .route("/metrics", get(metrics::metrics))
        .fallback(|| async { ApiError::no_route() })
        // Runs after routing (`Router::layer` wraps each route): sees the matched template.
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        // A write sent with an `Idempotency-Key` runs at most once (`idempotency.rs`).
        .layer(axum::middleware::from_fn_with_state(
            (state.clone(), owners.clone()),
            idempotency::guard,
        ))
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Panics inside an API are caught there, with its body; this catches the rest.
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("handler panicked");
            ApiError::internal().into_response()
        }))
        .layer(axum::middleware::from_fn(
            move |req: Request<axum::body::Body>, next: axum::middleware::Next| {
                limits::deadline(request_timeout, req, next)
            },
        ))
        // Every error answered so far without an API's body gets the body of the API whose
        // path it was (or the neutral one).
        .layer(axum::middleware::from_fn_with_state(owners.clone(), own_errors))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(cors);
    (app, owners)
}

/// Renders an error answered outside an API's own routes in the body of the API that owns
/// the path.
async fn own_errors(
    axum::extract::State(owners): axum::extract::State<Arc<Owners>>,
    req: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    owners.render(&path, response).await
}

/// CORS for the configured origins: a preflight is answered before any route or key check.
/// With no origin configured the layer is a no-op and no CORS header is sent.
fn cors(origins: &[HeaderValue]) -> tower::util::Either<CorsLayer, tower::layer::util::Identity> {
    if origins.is_empty() {
        return tower::util::Either::Right(tower::layer::util::Identity::new());
    }
    tower::util::Either::Left(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins.iter().cloned()))
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
            .allow_headers(tower_http::cors::Any)
            .expose_headers([
                HeaderName::from_static("x-request-id"),
                HeaderName::from_static("x-next-cursor"),
                HeaderName::from_static("link"),
                HeaderName::from_static("location"),
                HeaderName::from_static(idempotency::REPLAYED),
                axum::http::header::ETAG,
            ])
            .max_age(Duration::from_secs(3600)),
    )
}
