//! Limits the HTTP layer puts on a request, answered as errors the path's API renders
//! (`dialect::Owners`): the time a request may take, and whose fault it is when it runs out.
//! A client that has not finished sending its body when time is up gets 408; a request fully
//! received whose handler did not answer in time gets 503 (the database, most likely).

use crate::error::ApiError;
use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

/// Runs a request with at most `limit` to answer: 408 if its body was still arriving, 503 if
/// not.
pub async fn deadline(limit: Duration, req: Request, next: Next) -> Response {
    let received = Arc::new(AtomicBool::new(req.body().is_end_stream()));
    let req = req.map(|body| {
        Body::new(Tracked {
            inner: body,
            received: received.clone(),
        })
    });
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) if received.load(Ordering::Relaxed) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "The service is temporarily unavailable; try again",
        )
        .into_response(),
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            format!("The request's body was not received within {} s", limit.as_secs_f64()),
        )
        .into_response(),
    }
}

/// A request body that notes when it has been read to its end.
struct Tracked {
    inner: Body,
    received: Arc<AtomicBool>,
}

impl HttpBody for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, Poll::Ready(None)) || self.inner.is_end_stream() {
            self.received.store(true, Ordering::Relaxed);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
