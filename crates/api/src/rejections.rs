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

impl<T: AsyncWrite + Unpin> Answering<T> {
    /// When `written` (what hyper writes next) is the head of one of hyper's own refusals,
    /// starts writing the API's answer in its place and says how much of hyper's to count as
    /// written: its head, all of it.
    fn take_over(&mut self, cx: &mut Context<'_>, written: &[u8]) -> Option<Poll<io::Result<usize>>> {
        // A response head follows the read of its request: bytes written before anything more
        // is read are the rest of the last response, whatever they look like.
        if self.next_starts || !written.starts_with(b"HTTP/1.") {
            return None;
        }
        self.next_starts = true;
        let answer = self.rejections.replacing(written, &self.start)?;
        self.pending = Some((answer, 0));
        // What is left of ours goes out on the next write or flush.
        Some(match self.drain(cx) {
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            _ => Poll::Ready(Ok(written.len())),
        })
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Answering<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        if let Some(done) = this.take_over(cx, buf) {
            return done;
        }
        Pin::new(&mut this.io).poll_write(cx, buf)
    }

    /// hyper writes a response's head and body as separate slices to a connection that takes
    /// them so; without this it would copy every body into one buffer first.
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        let first = bufs.iter().find(|b| !b.is_empty()).map_or(&[][..], |b| &b[..]);
        if let Some(done) = this.take_over(cx, first) {
            return done;
        }
        Pin::new(&mut this.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
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
    use super::{Answering, Rejections, path_of};
    use crate::dialect::Owners;
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A connection's server side behind the wrapper, and its client side.
    async fn connection() -> (Answering<tokio::io::DuplexStream>, tokio::io::DuplexStream) {
        let rejections = Arc::new(Rejections::new(Arc::new(Owners::new(Vec::new()))).await);
        let (server, client) = tokio::io::duplex(64 * 1024);
        (Answering::new(server, rejections), client)
    }

    #[tokio::test]
    async fn a_refusal_hyper_makes_gets_a_body_and_a_body_that_looks_like_one_is_left_alone() {
        let (mut server, mut client) = connection().await;
        let mut buf = [0_u8; 1024];
        client.write_all(b"GET /health HTTP/1.1\r\n\r\n").await.unwrap();
        let _ = server.read(&mut buf).await.unwrap();
        // The app's answer, then a body whose bytes look like one of hyper's refusals.
        let head = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 28\r\n\r\n";
        let body = b"HTTP/1.1 400 Bad Request\r\n\r\n";
        server.write_all(head).await.unwrap();
        server.write_all(body).await.unwrap();
        server.flush().await.unwrap();
        let mut got = vec![0_u8; head.len() + body.len()];
        client.read_exact(&mut got).await.unwrap();
        assert_eq!(got, [&head[..], &body[..]].concat());

        // The next request is refused by hyper itself: its empty answer is replaced.
        client
            .write_all(b"GET /health HTTP/1.1\r\nbad header\r\n\r\n")
            .await
            .unwrap();
        let _ = server.read(&mut buf).await.unwrap();
        server
            .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await
            .unwrap();
        server.shutdown().await.unwrap();
        let mut answer = String::new();
        client.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{answer}");
        assert!(answer.contains("content-type: application/json"), "{answer}");
        assert!(answer.ends_with('}'), "a JSON body: {answer}");
    }

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
