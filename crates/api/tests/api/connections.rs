//! The server's connection limits over real sockets: a client that does not send its
//! request's headers in time, stalls part way, or keeps an idle connection open is closed, and
//! connections past the cap wait until a served one ends instead of taking the server's file
//! descriptors.

use crate::harness::spawn;
use pimento_api::{AppState, ServeConfig, serve_until};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Long enough for any test machine to read a reply; the limits under test are far shorter.
const PATIENCE: Duration = Duration::from_secs(10);

/// A running server: its address, what stops it, and its end.
struct Running {
    addr: std::net::SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
    _app: crate::harness::TestApp,
}

/// Starts the app with `config`.
async fn start(config: ServeConfig) -> Running {
    let app = spawn().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = AppState::new(app.store.clone(), app.blobs.clone());
    let done = tokio::spawn(serve_until(listener, state, config, async {
        let _ = stopped.await;
    }));
    Running {
        addr,
        stop,
        done,
        _app: app,
    }
}

/// Reads until the server closes the connection; returns what it sent.
async fn until_closed(conn: &mut TcpStream) -> String {
    let mut got = Vec::new();
    tokio::time::timeout(PATIENCE, conn.read_to_end(&mut got))
        .await
        .expect("the server closes the connection")
        .unwrap();
    String::from_utf8_lossy(&got).into_owned()
}

const READY: &[u8] = b"GET /ready HTTP/1.1\r\nhost: x\r\n\r\n";

#[tokio::test]
async fn silent_stalled_and_idle_connections_are_closed() {
    let config = ServeConfig {
        header_timeout: Duration::from_millis(300),
        ..ServeConfig::default()
    };
    let running = start(config).await;
    let addr = running.addr;

    // Connected, never a byte.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    assert_eq!(until_closed(&mut silent).await, "");

    // Half a request line, then nothing.
    let mut stalled = TcpStream::connect(addr).await.unwrap();
    stalled.write_all(b"GET /ready HT").await.unwrap();
    assert_eq!(until_closed(&mut stalled).await, "");

    // One request answered, then idle on a kept-alive connection.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(READY).await.unwrap();
    let answered = until_closed(&mut idle).await;
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
}

#[tokio::test]
async fn connections_past_the_cap_wait_for_a_served_one_to_end() {
    let config = ServeConfig {
        header_timeout: Duration::from_millis(500),
        max_connections: 1,
        ..ServeConfig::default()
    };
    let running = start(config).await;
    let addr = running.addr;
    let mut holder = TcpStream::connect(addr).await.unwrap();
    // Give the server time to accept it, so it holds the only place.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let waiting = tokio::spawn(async move {
        let mut conn = TcpStream::connect(addr).await.unwrap();
        conn.write_all(READY).await.unwrap();
        let mut head = [0u8; 12];
        tokio::time::timeout(PATIENCE, conn.read_exact(&mut head))
            .await
            .unwrap()
            .unwrap();
        (String::from_utf8_lossy(&head).into_owned(), std::time::Instant::now())
    });
    // The holder is closed for its silence; only then is the waiting request served.
    until_closed(&mut holder).await;
    let holder_closed = std::time::Instant::now();
    let (head, answered) = waiting.await.unwrap();
    assert_eq!(head, "HTTP/1.1 200");
    assert!(answered >= holder_closed, "served while the only place was taken");
}

/// A client that has connected but said nothing does not hold a shutdown up: the server stops
/// well before either the header timeout or the grace period, and refuses new connections.
#[tokio::test]
async fn shutdown_does_not_wait_for_silent_clients() {
    let config = ServeConfig {
        header_timeout: Duration::from_secs(60),
        shutdown_grace: Duration::from_secs(60),
        ..ServeConfig::default()
    };
    let running = start(config).await;
    let _silent = TcpStream::connect(running.addr).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    running.stop.send(()).unwrap();
    let ended = tokio::time::timeout(PATIENCE, running.done).await;
    assert!(matches!(ended, Ok(Ok(Ok(())))), "{ended:?}");
    assert!(
        TcpStream::connect(running.addr).await.is_err(),
        "the listener is closed"
    );
}
