//! The official `@medusajs/js-sdk` (npm, 2.21.2), unchanged, driving a real server: the test
//! scripts in `tests/medusa-sdk/` run under Node against the app on a local port, as this
//! organization and as another one. npm installs the SDK there on first use (`npm ci`, from the
//! lock file), outside `target/`.

use crate::harness::spawn;
use pimento_api::{AppState, ServeConfig, serve_until};
use std::path::{Path, PathBuf};
use std::process::Command;

fn sdk_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/medusa-sdk")
}

/// Installs the SDK unless it is there already.
fn install(dir: &Path) {
    if dir.join("node_modules/@medusajs/js-sdk/package.json").exists() {
        return;
    }
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .output()
        .expect("npm runs (Node.js and npm are needed for the Medusa SDK tests)");
    assert!(
        out.status.success(),
        "npm ci failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_medusa_sdk_works_unchanged() {
    let dir = sdk_dir();
    tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || install(&dir)
    })
    .await
    .unwrap();
    let app = spawn().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = AppState::new(app.store.clone(), app.blobs.clone());
    let server = tokio::spawn(serve_until(listener, state, ServeConfig::default(), async {
        let _ = stopped.await;
    }));
    // A worker beside the server, as `serve` runs one, so exports finish while the SDK waits.
    let (halt, halted) = tokio::sync::oneshot::channel::<()>();
    let settings = pimento_jobs::Settings {
        poll: std::time::Duration::from_millis(50),
        ..pimento_jobs::Settings::default()
    };
    let worker = pimento_jobs::Worker::new(app.store.clone(), app.blobs.clone(), settings)
        .with_tables(pimento_api::export_tables())
        .with_importers(pimento_api::importers());
    let worker = tokio::spawn(worker.run(async {
        let _ = halted.await;
    }));
    let (key, other) = (app.org.secret_key.clone(), app.other.secret_key.clone());
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .args(["--test", "--test-reporter=spec", "sdk.test.mjs"])
            .current_dir(&dir)
            .env("PIMENTO_URL", format!("http://{addr}"))
            .env("PIMENTO_KEY", key)
            .env("PIMENTO_OTHER_KEY", other)
            .output()
            .expect("node runs")
    })
    .await
    .unwrap();
    let _ = stop.send(());
    let _ = halt.send(());
    let _ = server.await;
    let _ = worker.await;
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the SDK tests failed:\n{report}");
    println!("{report}");
}
