//! Uploads leave nothing behind: a refused, cut-off or abandoned upload removes the file it
//! was writing, whichever API it came through.

use crate::harness::{TestApp, spawn};
use axum::body::Body;
use axum::http::Method;
use bytes::Bytes;

/// Every file under the app's files directory.
fn files_left(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&app.files, &mut out);
    out
}

/// A body that sends `first`, then fails as a connection cut off would.
fn cut_off(first: &'static [u8]) -> Body {
    let parts: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from_static(first)),
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "cut off")),
    ];
    Body::from_stream(futures::stream::iter(parts))
}

/// A body that sends `first`, then nothing more: a client gone quiet.
fn stalled(first: &'static [u8]) -> Body {
    let first = futures::stream::once(async move { Ok::<_, std::io::Error>(Bytes::from_static(first)) });
    Body::from_stream(futures::StreamExt::chain(first, futures::stream::pending()))
}

#[tokio::test]
async fn refused_cut_off_and_abandoned_uploads_leave_no_file() {
    let app = spawn().await;
    let tenant = app.org.tenant_id.to_string();
    let org = app.org.organization_id.to_string();
    let pim = [("x-tenant-id", tenant.as_str()), ("x-org-id", org.as_str())];
    let key = Some(app.org.secret_key.as_str());

    // Empty: refused.
    app.pim_upload("/api/v1/pim/imports?format=csv", Vec::new())
        .await
        .expect(400);
    assert_eq!(files_left(&app), Vec::<std::path::PathBuf>::new());

    // Cut off part way.
    let r = app
        .raw(
            Method::POST,
            "/api/v1/pim/imports?format=csv",
            key,
            cut_off(b"handle,title\nx,"),
            &pim,
        )
        .await;
    assert_eq!(r.status.as_u16(), 400, "{}", r.body);
    assert_eq!(files_left(&app), Vec::<std::path::PathBuf>::new());

    // Abandoned: the client stops sending and the request is dropped.
    let call = app.raw(
        Method::POST,
        "/api/v1/pim/imports?format=csv",
        key,
        stalled(b"handle,title\nx,"),
        &pim,
    );
    let dropped = tokio::time::timeout(std::time::Duration::from_millis(300), call).await;
    assert!(dropped.is_err(), "the stalled upload was answered");
    assert_eq!(files_left(&app), Vec::<std::path::PathBuf>::new());

    // Medusa's multipart upload, cut off inside its file part.
    let boundary = "----pimento-test-boundary";
    let head: &'static [u8] = Box::leak(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"p.csv\"\r\nContent-Type: text/csv\r\n\r\nProduct Handle\nx\n"
        )
        .into_bytes()
        .into_boxed_slice(),
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let r = app
        .raw(
            Method::POST,
            "/admin/uploads",
            key,
            cut_off(head),
            &[("content-type", content_type.as_str())],
        )
        .await;
    assert!(r.status.is_client_error(), "{}: {}", r.status, r.body);
    // And one that ends without its closing boundary.
    let r = app
        .raw(
            Method::POST,
            "/admin/uploads",
            key,
            Body::from(head),
            &[("content-type", content_type.as_str())],
        )
        .await;
    assert!(r.status.is_client_error(), "{}: {}", r.status, r.body);
    assert_eq!(files_left(&app), Vec::<std::path::PathBuf>::new());

    // A good upload stays, finished.
    app.pim_upload("/api/v1/pim/imports?format=csv", b"handle,title\nx,X\n".to_vec())
        .await
        .expect(202);
    let left = files_left(&app);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].extension().is_none(), "{left:?}");
}

/// An upload whose import is refused (too many jobs waiting) leaves no file either.
#[tokio::test]
async fn an_upload_whose_import_is_refused_leaves_no_file() {
    let app = spawn().await;
    for _ in 0..pimento_store::jobs::MAX_QUEUED_JOBS {
        app.pim(Method::POST, "/api/v1/pim/export", None).await.expect(202);
    }
    let r = app
        .pim_upload("/api/v1/pim/imports?format=csv", b"handle,title\nx,X\n".to_vec())
        .await
        .expect(409);
    assert_eq!(r.body["code"], "too_many_jobs", "{}", r.body);
    assert_eq!(files_left(&app), Vec::<std::path::PathBuf>::new());
}
