//! The answers hyper makes itself, before the app sees a request: a request line or headers it
//! cannot read (400), a URI over 65,534 bytes (414), more than 100 headers or a head over its
//! buffer (431). hyper sends these with an empty body and closes the connection; this wrapper
//! around the connection replaces each with the same status in the error body of the API
//! whose path the request named (`dialect::Owners`), or the neutral body when the path is
//! unknown or unreadable.
//!
//! It sees only bytes: it keeps the first bytes read since the last response head was written
//! (the start of the request being read), and a response head it is about to write of one of
//! those statuses with no `content-type` is hyper's own (every answer of the app has a JSON
//! body), so it writes its own response in its place.

use crate::dialect::{Owners, bare};
use axum::body::Body;
use axum::http::StatusCode;
use bytes::Bytes;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// How much of a request's start is kept to find its path: enough for any API's prefix.
const START_KEPT: usize = 256;

/// The statuses hyper answers by itself.
const STATUSES: [StatusCode; 3] = [
    StatusCode::BAD_REQUEST,
    StatusCode::URI_TOO_LONG,
    StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
];

/// Each API's whole response (head and body) for each status hyper answers by itself.
pub(crate) struct Rejections {
    owners: Arc<Owners>,
    /// `(prefix of the owning API, or None for the neutral body; status; response)`.
    answers: Vec<(Option<&'static str>, StatusCode, Bytes)>,
}

impl Rejections {
    /// Renders every answer once, at start.
    pub(crate) async fn new(owners: Arc<Owners>) -> Rejections {
        let mut answers = Vec::new();
        let mut paths: Vec<(Option<&'static str>, &str)> = vec![(None, "/")];
        paths.extend(owners.prefixes().map(|p| (Some(p), p)));
        for (prefix, path) in paths {
            for status in STATUSES {
                let error = bare(status, Body::empty()).await;
                let response = owners.respond(path, error);
                let status = response.status();
                let content_type = response
                    .headers()
                    .get(axum::http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("application/json")
                    .to_owned();
                let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
                    .await
                    .unwrap_or_default();
                let mut whole = format!(
                    "HTTP/1.1 {} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or(""),
                    body.len()
                )
                .into_bytes();
                whole.extend_from_slice(&body);
                answers.push((prefix, status, Bytes::from(whole)));
            }
        }
        Rejections { owners, answers }
    }

    /// The answer replacing `head` (what hyper is about to write) for a request that started
    /// with `start`, if `head` is one of hyper's own refusals.
    fn replacing(&self, head: &[u8], start: &[u8]) -> Option<Bytes> {
        let code = std::str::from_utf8(head.get(9..12)?).ok()?.parse::<u16>().ok()?;
        let status = StatusCode::from_u16(code).ok()?;
        if !STATUSES.contains(&status) {
            return None;
        }
        let end = head.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(head.len());
        let lower = head[..end].to_ascii_lowercase();
        if lower.windows(13).any(|w| w == b"content-type:") {
            return None;
        }
        let prefix = path_of(start).and_then(|p| self.owners.of(&p).map(|o| o.prefix));
        self.answers
            .iter()
            .find(|(p, s, _)| *p == prefix && *s == status)
            .map(|(_, _, answer)| answer.clone())
    }
}

/// The path of a request line's start (`GET /admin/products?… HTTP/1.1`), if readable.
fn path_of(start: &[u8]) -> Option<String> {
    let mut parts = start.split(|b| *b == b' ');
    let method = parts.next()?;
    if method.is_empty() || !method.iter().all(u8::is_ascii_uppercase) {
        return None;
    }
    let target = parts.next()?;
    let path = target.split(|b| *b == b'?').next()?;
    path.starts_with(b"/")
        .then(|| String::from_utf8_lossy(path).into_owned())
}

/// A connection whose hyper-made refusals get an API's body.
pub(crate) struct Answering<T> {
    io: T,
    rejections: Arc<Rejections>,
    /// The first bytes of the request being read.
    start: Vec<u8>,
    /// Whether the next bytes read start a request.
    next_starts: bool,
    /// An answer being written in place of hyper's, and how much of it is written.
    pending: Option<(Bytes, usize)>,
}

impl<T> Answering<T> {
    pub(crate) fn new(io: T, rejections: Arc<Rejections>) -> Self {
        Answering {
            io,
            rejections,
            start: Vec::new(),
            next_starts: true,
            pending: None,
        }
    }
}

impl<T: AsyncWrite + Unpin> Answering<T> {
    /// Writes what is left of a replacing answer.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((answer, written)) = &mut self.pending {
            if *written >= answer.len() {
                self.pending = None;
                break;
            }
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, &answer[*written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Answering<T> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.io).poll_read(cx, buf))?;
        let new = &buf.filled()[before..];
        if !new.is_empty() {
            if this.next_starts {
                this.start.clear();
                this.next_starts = false;
            }
            let room = START_KEPT.saturating_sub(this.start.len());
            this.start.extend_from_slice(&new[..new.len().min(room)]);
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Answering<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        if buf.starts_with(b"HTTP/1.") {
            this.next_starts = true;
            if let Some(answer) = this.rejections.replacing(buf, &this.start) {
                this.pending = Some((answer, 0));
                // hyper's head counts as written; what is left of ours goes out on flush.
                if let Poll::Ready(Err(e)) = this.drain(cx) {
                    return Poll::Ready(Err(e));
                }
                return Poll::Ready(Ok(buf.len()));
            }
        }
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::path_of;

    #[test]
    fn the_path_of_a_request_start() {
        assert_eq!(
            path_of(b"GET /admin/products?x=1 HTTP/1.1\r\n").as_deref(),
            Some("/admin/products")
        );
        assert_eq!(
            path_of(b"POST /api/v1/pim/products").as_deref(),
            Some("/api/v1/pim/products")
        );
        assert_eq!(path_of(b"GET http://x/ HTTP/1.1"), None);
        assert_eq!(path_of(b"\x16\x03\x01"), None);
    }
}
