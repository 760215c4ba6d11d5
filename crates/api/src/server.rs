//! The HTTP server: accepting connections and serving the app on them, with the limits that
//! keep a client from holding the server's resources. A connection must send a request's
//! headers within `header_timeout`, including between requests on a kept-alive connection, or
//! it is closed; at most `max_connections` are served at once and the rest wait in the
//! listen queue, so idle or stalled clients cannot exhaust file descriptors. (An HTTP/2
//! connection, which only a client configured for plaintext HTTP/2 opens, is pinged while idle
//! and closed when the pings go unanswered; one whose client answers stays open.)

use crate::app::{AppState, build};
use crate::rejections::{Answering, Rejections};
use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Server settings.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// How long in-flight requests get to finish after a shutdown signal.
    pub shutdown_grace: Duration,
    /// How long a client may take to send a request's headers, and how long a kept-alive
    /// connection may sit idle before its next request.
    pub header_timeout: Duration,
    /// The most connections served at once; further ones wait to be accepted.
    pub max_connections: usize,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            shutdown_grace: Duration::from_secs(20),
            header_timeout: Duration::from_secs(30),
            max_connections: 4096,
        }
    }
}

/// How long accepting pauses after the operating system refuses a connection (out of file
/// descriptors, say), instead of spinning on the error.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves the app on a bound listener until SIGTERM or Ctrl-C, then lets in-flight requests
/// finish for at most `shutdown_grace` before returning.
pub async fn serve(listener: TcpListener, state: AppState, config: ServeConfig) -> std::io::Result<()> {
    serve_until(listener, state, config, shutdown_signal()).await
}

/// [`serve`], stopping when `stop` completes.
pub async fn serve_until(
    listener: TcpListener,
    state: AppState,
    config: ServeConfig,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let (app, owners) = build(state);
    let rejections = Arc::new(Rejections::new(owners).await);
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout);
    // An idle HTTP/2 connection is pinged, and closed when the ping goes unanswered.
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(config.header_timeout)
        .keep_alive_timeout(config.header_timeout);
    let builder = Arc::new(builder);
    let permits = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let stopping = tokio::sync::watch::Sender::new(false);
    let mut stop = std::pin::pin!(stop);
    loop {
        // A permit first: past the cap, connections wait in the kernel's queue, not in memory.
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p.map_err(std::io::Error::other)?,
            () = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // A connection that went away before it was accepted is no reason to pause.
                Err(e) if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionRefused
                ) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let service = TowerToHyperService::new(app.clone().map_request(move |req: hyper::Request<Incoming>| {
            let mut req = req.map(Body::new);
            // The client's address, for the rate limit of wrong keys (`rate.rs`).
            req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            req
        }));
        let builder = builder.clone();
        let rejections = rejections.clone();
        let watcher = graceful.watcher();
        let header_timeout = config.header_timeout;
        let mut stopping = stopping.subscribe();
        tokio::spawn(async move {
            // Telling HTTP/1 from HTTP/2 waits for the first bytes, with no timeout of its own;
            // a client still silent when shutdown starts does not hold the drain up.
            let speaks = tokio::select! {
                speaks = speaks_within(&stream, header_timeout) => speaks,
                _ = stopping.changed() => false,
            };
            if speaks {
                let io = TokioIo::new(Answering::new(stream, rejections));
                let conn = builder.serve_connection_with_upgrades(io, service);
                if let Err(e) = watcher.watch(conn.into_owned()).await {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
            }
            drop(permit);
        });
    }
    // New clients are refused at once (and retry elsewhere) rather than queued and reset.
    drop(listener);
    let _ = stopping.send(true);
    tracing::info!("shutdown signal received; draining requests");
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(config.shutdown_grace) => {
            tracing::warn!(grace = ?config.shutdown_grace, "requests still running after the grace period; stopping");
        }
    }
    Ok(())
}

/// The first bytes of HTTP/2's connection preface: a client that sends these asks for HTTP/2.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Whether a client sends enough within `limit` to tell which HTTP it speaks: any byte that
/// leaves HTTP/2's preface, or the whole preface. Only peeks: the bytes stay for hyper.
async fn speaks_within(stream: &tokio::net::TcpStream, limit: Duration) -> bool {
    let decided = async {
        let mut buf = [0u8; H2_PREFACE.len()];
        let mut pause = Duration::from_millis(5);
        loop {
            match stream.peek(&mut buf).await {
                Ok(0) | Err(_) => return false,
                Ok(n) if n == buf.len() || buf[..n] != H2_PREFACE[..n] => return true,
                // Part of the preface so far; peeking again at once would spin.
                Ok(_) => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_millis(500));
                }
            }
        }
    };
    tokio::time::timeout(limit, decided).await.unwrap_or(false)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
