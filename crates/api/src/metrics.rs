//! `GET /metrics`: the process's metrics in Prometheus text.
//!
//! Requests are counted and timed by the route they matched (its template, such as
//! `/api/v1/products/{id}`, never the path asked for: ids would make a series per product),
//! with the method and status. Requests no route matched share the route label `unmatched`.
//! The pool's connections and the job queue's depth are read when scraped; job durations are
//! observed by the worker `serve` runs (`Metrics::job_observer`); the product view cache's
//! counts are read when scraped too. Each app has a registry of its own, so tests that start
//! many apps in one process do not share counts.

use crate::app::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pimento_core::job::{JobKind, JobStatus};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Request latencies (seconds): the catalog's reads take a millisecond or less, exports and
/// imports through HTTP up to the 30 s timeout.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Job durations (seconds): from a small bulk change to an import of a million products.
const JOB_BUCKETS: &[f64] = &[0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0];

/// The app's metrics.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
    pool_max: IntGauge,
    jobs: IntGaugeVec,
    job_seconds: HistogramVec,
    view_cache: IntGaugeVec,
}

impl Metrics {
    /// A registry with every series Pimento exports. Their names and labels are constants:
    /// `metrics_are_exported` in the tests builds it, so it cannot fail at run time.
    #[allow(clippy::expect_used)]
    pub fn new() -> Metrics {
        Self::build().expect("the metric definitions are valid")
    }

    fn build() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "pimento_http_requests_total",
                "HTTP requests answered, by route template, method and status.",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "pimento_http_request_duration_seconds",
                "Time to answer an HTTP request (to its response head), by route template, method and status.",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["route", "method", "status"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new(
                "pimento_db_connections",
                "Database connections this process holds, by state (in_use, idle).",
            ),
            &["state"],
        )?;
        let pool_max = IntGauge::new(
            "pimento_db_connections_max",
            "The most database connections this process may hold.",
        )?;
        let jobs = IntGaugeVec::new(
            Opts::new(
                "pimento_jobs",
                "Background jobs in the queue (all processes), by status (queued, running).",
            ),
            &["status"],
        )?;
        let job_seconds = HistogramVec::new(
            HistogramOpts::new(
                "pimento_job_duration_seconds",
                "Time this process's worker ran a job, by kind and end status.",
            )
            .buckets(JOB_BUCKETS.to_vec()),
            &["kind", "status"],
        )?;
        let view_cache = IntGaugeVec::new(
            Opts::new(
                "pimento_view_cache",
                "The product view cache: reads served from it (hits) and from the database (misses) since the \
                 process started, views held (entries), their estimated bytes and the byte budget.",
            ),
            &["measure"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        registry.register(Box::new(pool_max.clone()))?;
        registry.register(Box::new(jobs.clone()))?;
        registry.register(Box::new(job_seconds.clone()))?;
        registry.register(Box::new(view_cache.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            pool,
            pool_max,
            jobs,
            job_seconds,
            view_cache,
        })
    }

    fn observe_request(&self, route: &str, method: &str, status: StatusCode, elapsed: Duration) {
        let status = status.as_str();
        let labels = [route, method, status];
        self.requests.with_label_values(&labels).inc();
        self.latency.with_label_values(&labels).observe(elapsed.as_secs_f64());
    }

    /// Records a finished job; hand it to the worker (`Worker::with_observer`).
    pub fn job_observer(self: &Arc<Self>) -> pimento_jobs::JobObserver {
        let metrics = Arc::clone(self);
        pimento_jobs::JobObserver(Arc::new(move |kind: JobKind, status: JobStatus, took: Duration| {
            metrics
                .job_seconds
                .with_label_values(&[kind.as_str(), status.as_str()])
                .observe(took.as_secs_f64());
        }))
    }
}

/// Counts and times every request by the route it matched (a layer of `app::router`).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = req.method().clone();
    let response = next.run(req).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    state
        .metrics
        .observe_request(route, method.as_str(), response.status(), started.elapsed());
    response
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let m = &state.metrics;
    let pool = state.store.db().pool_stats();
    m.pool
        .with_label_values(&["in_use"])
        .set(i64::from(pool.open - pool.idle));
    m.pool.with_label_values(&["idle"]).set(i64::from(pool.idle));
    m.pool_max.set(i64::from(pool.max));
    let views = state.store.view_cache_stats();
    for (measure, n) in [
        ("hits", views.hits),
        ("unprobed", views.unprobed),
        ("misses", views.misses),
        ("entries", views.entries),
        ("bytes", views.bytes),
        ("budget", views.budget),
    ] {
        m.view_cache
            .with_label_values(&[measure])
            .set(i64::try_from(n).unwrap_or(i64::MAX));
    }
    // The queue is read from the database: a scrape while it is unreachable leaves the last values.
    match tokio::time::timeout(Duration::from_secs(2), state.store.job_queue_depth()).await {
        Ok(Ok((queued, running))) => {
            m.jobs
                .with_label_values(&["queued"])
                .set(i64::try_from(queued).unwrap_or(i64::MAX));
            m.jobs
                .with_label_values(&["running"])
                .set(i64::try_from(running).unwrap_or(i64::MAX));
        }
        Ok(Err(e)) => tracing::warn!(error = %e, "metrics: cannot read the job queue"),
        Err(_) => tracing::warn!("metrics: reading the job queue timed out"),
    }
    let mut body = Vec::new();
    if let Err(e) = TextEncoder::new().encode(&m.registry.gather(), &mut body) {
        tracing::error!(error = %e, "metrics: cannot encode");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}
