//! Listening on loopback: the socket, the host names answered, a bounded number of
//! connections with time and size limits on each, and stopping on Ctrl+C.

use super::respond::respond;
use super::{stall, ServeOptions, Shared, DEFAULT_PORT};
use crate::error::{Diagnostic, Error, Result};
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Connections served at once; more wait in the listen queue. Kept below the number of
/// files the process may open (see [`connection_limit`]). Above what one browser opens
/// in all (a few hundred sockets), so no web page can fill it with slow requests, and
/// cheap: a waiting connection is a small task, not a thread.
const MAX_CONNECTIONS: usize = 1024;

/// Time a client has to send a request's head (and, between requests, to start one).
pub(super) const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The most a request's head (request line and headers) may take: hyper answers 431
/// past it. The minimum hyper allows is 8 KiB.
pub(super) const MAX_HEAD: usize = 64 * 1024;

/// Time a response may wait on a client that does not read before the connection is
/// dropped (the event stream's pings are written every 10 s, so it is checked too).
pub(super) const WRITE_STALL: Duration = Duration::from_secs(20);

/// Accepts connections until interrupted, at most `limit` at a time.
pub(super) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    limit: usize,
) -> Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)
        .map_err(|e| Diagnostic::in_file(Path::new("--port"), format!("cannot listen: {e}")))?;
    let permits = Arc::new(Semaphore::new(limit));
    let stop = stop_signal()?;
    let stopped = || {
        let mut stop = stop.clone();
        async move {
            let _ = stop.wait_for(|&stopped| stopped).await;
        }
    };
    let mut failing = false;
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => permit.expect("never closed"),
            () = stopped() => return Ok(()),
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = stopped() => return Ok(()),
        };
        match accepted {
            Ok((stream, _)) => {
                failing = false;
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    serve_connection(stream, shared).await;
                    drop(permit);
                });
            }
            Err(e) => {
                // Out of file descriptors, a connection reset before it was taken…: the
                // listener is still good. Said once per run of failures, then retried.
                if !failing {
                    eprintln!("warning: cannot accept a connection ({e}); retrying");
                    failing = true;
                }
                drop(permit);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// A flag that turns true when Ctrl+C (SIGINT) or SIGTERM arrives.
fn stop_signal() -> Result<tokio::sync::watch::Receiver<bool>> {
    use tokio::signal::unix::{signal, SignalKind};
    let listen = |kind: SignalKind| {
        signal(kind).map_err(|e| {
            Error::from(Diagnostic::in_file(
                Path::new("--port"),
                format!("cannot listen for Ctrl+C: {e}"),
            ))
        })
    };
    let mut interrupt = listen(SignalKind::interrupt())?;
    let mut terminate = listen(SignalKind::terminate())?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        let _ = stop.send(true);
    });
    Ok(stopped)
}

/// [`MAX_CONNECTIONS`], or fewer when the process may not open that many files (each
/// connection is one, and the build and watcher need some).
pub(super) fn connection_limit() -> usize {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    // `None` is unlimited.
    let mut current = limit.current.unwrap_or(u64::MAX);
    // The soft limit is often 1024 while the hard one is far higher: ask for enough.
    let wanted = (MAX_CONNECTIONS as u64 + 256).min(limit.maximum.unwrap_or(u64::MAX));
    if current < wanted {
        let raised = Rlimit {
            current: Some(wanted),
            maximum: limit.maximum,
        };
        if setrlimit(Resource::Nofile, raised).is_ok() {
            current = wanted;
        }
    }
    let files = usize::try_from(current).unwrap_or(usize::MAX);
    MAX_CONNECTIONS.min(files.saturating_sub(256)).max(16)
}

/// Serves one connection: HTTP/1.1 with keep-alive, a time and size limit on each
/// request's head, and a time limit on a client that stops reading.
async fn serve_connection(stream: tokio::net::TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let response = respond(&shared, &request);
        async move { Ok::<_, Infallible>(response) }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(MAX_HEAD)
        // As most servers write them, and as tools and tests people write expect.
        .title_case_headers(true)
        .serve_connection(
            TokioIo::new(stall::StallGuard::new(stream, WRITE_STALL)),
            service,
        );
    // A client that goes away or breaks the protocol ends only its own connection.
    let _ = connection.await;
}

/// Binds the port asked for, or the first free one of 1111 and the nine after it when
/// none was asked (a second preview of another site takes the next one).
pub(super) fn bind(options: &ServeOptions) -> Result<(TcpListener, SocketAddr)> {
    let candidates: Vec<u16> = match options.port {
        Some(port) => vec![port],
        None => (DEFAULT_PORT..DEFAULT_PORT + 10).collect(),
    };
    let mut last_error = String::new();
    for port in &candidates {
        let bound =
            TcpListener::bind(SocketAddr::new(options.interface, *port)).and_then(|listener| {
                listener.set_nonblocking(true)?;
                let address = listener.local_addr()?;
                Ok((listener, address))
            });
        match bound {
            Ok(bound) => {
                if options.port.is_none() && *port != DEFAULT_PORT {
                    println!("port {DEFAULT_PORT} is in use; using {port}");
                }
                return Ok(bound);
            }
            Err(e) => last_error = e.to_string(),
        }
    }
    let (shown, help) = if candidates.len() == 1 {
        (
            format!("port {}", candidates[0]),
            "another program is using it; choose another port with --port (-p), or \
             --port 0 for any free port",
        )
    } else {
        (
            format!(
                "any of the ports {}–{} (lectern tries each of them)",
                candidates[0],
                candidates[candidates.len() - 1]
            ),
            "other programs are using all of them; choose a port with --port (-p), or \
             --port 0 for any free port",
        )
    };
    Err(Diagnostic::in_file(
        Path::new("--port"),
        format!(
            "cannot listen on {} {shown}: {last_error}",
            options.interface
        ),
    )
    .with_help(help)
    .into())
}

/// The `Host` values (lowercase) that name this server: `localhost`, `127.0.0.1`,
/// `[::1]` and the address listened on, each with the port, and alone too on port 80.
/// Any other name could be a DNS name rebound to 127.0.0.1 by a page the author visits.
pub(super) fn allowed_hosts(address: SocketAddr) -> Vec<String> {
    let port = address.port();
    let mut names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "[::1]".to_string(),
    ];
    let own = match address.ip() {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    };
    if !names.contains(&own) {
        names.push(own);
    }
    let mut hosts: Vec<String> = names.iter().map(|name| format!("{name}:{port}")).collect();
    if port == 80 {
        hosts.extend(names);
    }
    hosts
}

/// Whether `host` (a `Host` header or the authority of the request line) names this
/// server. Listening on every address (`-i 0.0.0.0`), any IP address with the port is
/// accepted too: an address, unlike a name, cannot be rebound.
pub(super) fn host_allowed(shared: &Shared, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if shared.hosts.contains(&host) {
        return true;
    }
    shared.address.ip().is_unspecified()
        && host
            .parse::<SocketAddr>()
            .is_ok_and(|at| at.port() == shared.address.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_hosts_name_this_server_only() {
        let hosts = allowed_hosts("127.0.0.1:1111".parse().unwrap());
        assert_eq!(
            hosts,
            ["localhost:1111", "127.0.0.1:1111", "[::1]:1111"].map(String::from)
        );
        let hosts = allowed_hosts("192.0.2.7:80".parse().unwrap());
        for host in ["localhost", "192.0.2.7", "192.0.2.7:80", "[::1]:80"] {
            assert!(hosts.contains(&host.to_string()), "{host}");
        }
        let hosts = allowed_hosts("[::1]:8080".parse().unwrap());
        assert_eq!(hosts.len(), 3);
    }
}
