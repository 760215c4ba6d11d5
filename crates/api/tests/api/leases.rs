//! A job cannot run twice: its worker renews the lease at a fraction of it however long a
//! step takes, so another worker cannot take a running job over; and a worker that lost the
//! lease before finishing records nothing and leaves no result file.

use crate::harness::{TestApp, spawn};
use axum::http::Method;
use pimento_core::exchange::ViewTable;
use pimento_core::job::ExchangeFormat;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

const LEASE: Duration = Duration::from_millis(600);

/// Medusa's table, taking the first pause over each product (an export that outlives its
/// lease many times over within one page), and the second over its header (written after the
/// export's last page and its last renewal of the lease).
#[derive(Debug)]
struct Slow(Arc<dyn ViewTable>, Duration, Duration, Arc<tokio::sync::Notify>);

impl ViewTable for Slow {
    fn rows(
        &self,
        product: &pimento_core::product::ProductView,
        options: &[pimento_core::options::VariantOption],
    ) -> Vec<Vec<(String, String)>> {
        // A blocking step, as a slow page is; the runtime's other work (timers) goes on.
        tokio::task::block_in_place(|| std::thread::sleep(self.1));
        self.0.rows(product, options)
    }

    fn header(&self, seen: &[String]) -> Vec<String> {
        self.3.notify_one();
        tokio::task::block_in_place(|| std::thread::sleep(self.2));
        self.0.header(seen)
    }
}

/// A worker with a short lease whose Medusa exports take `pause` a product and `header` to
/// write their header, telling `at_header` when they start it.
fn slow_worker(
    app: &TestApp,
    pause: Duration,
    header: Duration,
    at_header: Arc<tokio::sync::Notify>,
) -> pimento_jobs::Worker {
    let settings = pimento_jobs::Settings {
        lease: LEASE,
        ..pimento_jobs::Settings::default()
    };
    pimento_jobs::Worker::new(app.store.clone(), app.blobs.clone(), settings).with_table(
        ExchangeFormat::MedusaCsv,
        Arc::new(Slow(pimento_api::medusa::export_table(), pause, header, at_header)),
    )
}

/// Every file under the app's files directory.
fn files_left(app: &TestApp) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&app.files).unwrap().flatten() {
        if dir.path().is_dir() {
            out.extend(std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.path()));
        }
    }
    out
}

/// Ten products and a Medusa export of them queued.
async fn queued_export(app: &TestApp) {
    for i in 0..10 {
        app.post(
            "/admin/products",
            json!({"title": format!("P{i}"), "options": [{"title": "Default", "values": ["Default"]}]}),
        )
        .await
        .expect(200);
    }
    app.post("/admin/products/export", json!({})).await.expect(202);
}

/// The PIM's view of the one job: its status.
async fn job_status(app: &TestApp) -> String {
    let r = app.pim(Method::GET, "/api/v1/pim/jobs", None).await.expect(200);
    let jobs = r.body["data"]
        .as_array()
        .or(r.body.as_array())
        .cloned()
        .unwrap_or_default();
    assert_eq!(jobs.len(), 1, "{}", r.body);
    jobs[0]["status"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_running_job_keeps_its_lease_however_long_a_step_takes() {
    let app = spawn().await;
    queued_export(&app).await;
    let worker = slow_worker(&app, Duration::from_millis(150), Duration::ZERO, Arc::default());
    let running = tokio::spawn(async move { worker.run_next().await.unwrap() });
    // Another node looks for work all the while: the job is never free to take.
    let start = Instant::now();
    let mut looked = 0;
    while !running.is_finished() {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let stolen = app.store.claim_job("another-node", LEASE).await.unwrap();
        assert!(stolen.is_none(), "taken over after {:?}", start.elapsed());
        looked += 1;
    }
    assert!(running.await.unwrap());
    let took = start.elapsed();
    assert!(
        took > LEASE * 2 && looked >= 3,
        "the export took {took:?} ({looked} looks), not several leases"
    );
    assert_eq!(job_status(&app).await, "SUCCEEDED");
    let left = files_left(&app);
    assert_eq!(left.len(), 1, "{left:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_that_lost_its_lease_leaves_no_result() {
    let app = spawn().await;
    queued_export(&app).await;
    let at_header = Arc::new(tokio::sync::Notify::new());
    let worker = slow_worker(&app, Duration::ZERO, Duration::from_millis(1500), at_header.clone());
    let running = tokio::spawn(async move { worker.run_next().await.unwrap() });
    at_header.notified().await;
    // Another node holds the job now (as after a pause longer than the lease), while the
    // first writes its header: after its last page, before it records its file.
    let mut tx = app.store.db().begin().await.unwrap();
    let taken = tx
        .conn()
        .execute(
            "UPDATE jobs SET lease_owner = $1 WHERE status = $2",
            pimento_store::args!["another-node", "running"],
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(taken, 1);
    assert!(running.await.unwrap());
    assert_eq!(job_status(&app).await, "RUNNING", "the first worker did not finish it");
    assert_eq!(files_left(&app), Vec::<std::path::PathBuf>::new());
}
