//! `lectern serve`: builds the site in memory, serves it on loopback under
//! the path of `base_url` (so links behave as on GitHub Pages), rebuilds when a source
//! changes, and tells open pages to reload.
//!
//! Readers never see a half-written site: every build is swapped in whole by
//! [`crate::output`]. A failed build (or one that panicked) keeps the last good site and
//! shows the error.
//!
//! The preview may hold drafts, and any web page the author visits can make the browser
//! send requests to loopback: only the server's own host names, GET and HEAD are
//! answered, and connections, request heads and their time are bounded (README: serve).

mod conditional;
mod files;
mod reload;
mod stall;
mod watch;

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{
    HeaderValue, ACCEPT_RANGES, ALLOW, CACHE_CONTROL, CONNECTION, CONTENT_RANGE, CONTENT_TYPE,
    ETAG, HOST, IF_NONE_MATCH, IF_RANGE, LOCATION, RANGE,
};
use hyper::{Method, Request, Response, StatusCode, Version};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::Semaphore;

use files::{content_type, decoded_base, encode_path, Resolved};
use reload::{Broadcaster, Notice, EVENTS_PATH};

use crate::build::{build_in_memory, BuildCache};
use crate::config::{base_path_of, BuildOptions, Settings, SiteConfig};
use crate::error::{Diagnostic, Error, Result};
use crate::output::SiteFiles;

/// Options of `lectern serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to listen on; loopback unless the user asks otherwise.
    pub interface: IpAddr,
    /// The port; `None` means 1111, or the next free one.
    pub port: Option<u16>,
    /// Open the site in the default browser.
    pub open: bool,
    /// Build drafts too.
    pub drafts: bool,
}

/// The port used when none is given.
pub const DEFAULT_PORT: u16 = 1111;

/// The latest build as the server sees it.
struct BuildState {
    /// Increases with every successful build; pages compare it to know they are stale.
    id: u64,
    /// Why the last build failed, while it stays failed.
    error: Option<String>,
    /// The base path of the last settings that loaded, decoded (see
    /// [`files::decoded_base`]).
    base_path: String,
    /// The last good build's files, replaced whole by the next good build.
    files: Arc<SiteFiles>,
    /// Their hashes, for `ETag`s; replaced with them.
    tags: Arc<conditional::Tags>,
    /// Counts every build, failed ones too: what is served around a page (the reload
    /// script's build id, the error overlay) changes with each, so a page's `ETag`
    /// carries it.
    generation: u64,
}

/// Everything the request handlers share.
struct Shared {
    root: PathBuf,
    state: RwLock<BuildState>,
    /// What the previous build made, reused for what an edit did not change.
    cache: BuildCache,
    broadcaster: Broadcaster,
    address: SocketAddr,
    /// The `Host` values this server answers to; see [`allowed_hosts`].
    hosts: Vec<String>,
    drafts: bool,
}

impl Shared {
    /// The build state for reading; a panic elsewhere while it was held leaves it usable.
    fn state(&self) -> RwLockReadGuard<'_, BuildState> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The build state for replacing, as [`Shared::state`].
    fn state_mut(&self) -> RwLockWriteGuard<'_, BuildState> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Connections served at once; more wait in the listen queue. Kept below the number of
/// files the process may open (see [`connection_limit`]). Above what one browser opens
/// in all (a few hundred sockets), so no web page can fill it with slow requests, and
/// cheap: a waiting connection is a small task, not a thread.
const MAX_CONNECTIONS: usize = 1024;

/// Time a client has to send a request's head (and, between requests, to start one).
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The most a request's head (request line and headers) may take: hyper answers 431
/// past it. The minimum hyper allows is 8 KiB.
const MAX_HEAD: usize = 64 * 1024;

/// Time a response may wait on a client that does not read before the connection is
/// dropped (the event stream's pings are written every 10 s, so it is checked too).
const WRITE_STALL: Duration = Duration::from_secs(20);

/// A response body: a whole file, or an event stream.
type ResponseBody = BoxBody<Bytes, Infallible>;

/// Runs the preview server until interrupted.
pub fn serve(root: &Path, options: &ServeOptions) -> Result<()> {
    let root = &root
        .canonicalize()
        .map_err(|e| Error::io("read", root, e))?;
    let (listener, address) = bind(options)?;
    // Before the address is printed: from then on the server is ready.
    let limit = connection_limit();
    let shared = Arc::new(Shared {
        root: root.to_path_buf(),
        state: RwLock::new(BuildState {
            id: 0,
            error: None,
            base_path: "/".into(),
            files: Arc::new(SiteFiles::new()),
            tags: Arc::default(),
            generation: 0,
        }),
        cache: BuildCache::default(),
        broadcaster: Broadcaster::default(),
        address,
        hosts: allowed_hosts(address),
        drafts: options.drafts,
    });
    rebuild(&shared, "start");
    let base_path = shared.state().base_path.clone();
    let url = format!("http://{address}{}", encode_path(&base_path));
    println!("serving the site at {url} (Ctrl+C to stop)");
    if !address.ip().is_loopback() {
        println!(
            "warning: {} is reachable from other machines on the network",
            address.ip()
        );
    }
    if options.open {
        let _ = std::process::Command::new("xdg-open")
            .arg(&url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
    let watcher_shared = Arc::clone(&shared);
    let _watcher = watch::watch(root, move |changed| rebuild(&watcher_shared, &changed))?;

    // One thread answers every connection: a preview has few readers, and the pages are
    // in memory, so nothing here waits on the disk.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| {
            Diagnostic::in_file(Path::new("--port"), format!("cannot start the server: {e}"))
        })?;
    runtime.block_on(accept_loop(listener, shared, limit))?;
    println!("stopped");
    Ok(())
}

/// Accepts connections until interrupted, at most `limit` at a time.
async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, limit: usize) -> Result<()> {
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
fn connection_limit() -> usize {
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

/// Binds the port asked for, or 1111 and the next nine after it when none was asked.
fn bind(options: &ServeOptions) -> Result<(TcpListener, SocketAddr)> {
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
    let shown = if candidates.len() == 1 {
        format!("port {}", candidates[0])
    } else {
        format!(
            "ports {}–{}",
            candidates[0],
            candidates[candidates.len() - 1]
        )
    };
    Err(Diagnostic::in_file(
        Path::new("--port"),
        format!(
            "cannot listen on {} {shown}: {last_error}",
            options.interface
        ),
    )
    .with_help("another program is using it; choose a port with -p, or -p 0 for any free port")
    .into())
}

/// The `Host` values (lowercase) that name this server: `localhost`, `127.0.0.1`,
/// `[::1]` and the address listened on, each with the port, and alone too on port 80.
/// Any other name could be a DNS name rebound to 127.0.0.1 by a page the author visits.
fn allowed_hosts(address: SocketAddr) -> Vec<String> {
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
fn host_allowed(shared: &Shared, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if shared.hosts.contains(&host) {
        return true;
    }
    shared.address.ip().is_unspecified()
        && host
            .parse::<SocketAddr>()
            .is_ok_and(|at| at.port() == shared.address.port())
}

/// Runs `build`, turning a panic inside it into an error message, so that one bad edit
/// cannot stop the watcher (the panic message itself is printed by the panic hook).
fn guarded<T>(build: impl FnOnce() -> Result<T>) -> std::result::Result<T, String> {
    match catch_unwind(AssertUnwindSafe(build)) {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".into());
            Err(format!(
                "error: lectern crashed while building the site: {what}\n(this is a bug in lectern; the last good build is still served)"
            ))
        }
    }
}

/// Builds the site into the served folder and tells the pages.
fn rebuild(shared: &Shared, reason: &str) {
    let started = Instant::now();
    let options = BuildOptions {
        drafts: shared.drafts,
        ..Default::default()
    };
    let result = guarded(|| {
        SiteConfig::load(&shared.root)
            .and_then(|config| {
                // Links must lead to this server, under the same path as on the real host
                // (site.toml's base_url was checked as it loaded).
                let path = base_path_of(&config.base_url).unwrap_or_else(|_| "/".into());
                let base_url = Some(format!("http://{}{path}", shared.address));
                Settings::from_config(
                    &shared.root,
                    config,
                    &BuildOptions {
                        base_url,
                        ..options
                    },
                )
            })
            .and_then(|settings| {
                let base_path = decoded_base(&settings.base_path);
                build_in_memory(&settings, &shared.cache)
                    .map(|(summary, files)| (summary, files, base_path))
            })
    });
    let mut state = shared.state_mut();
    state.generation += 1;
    match result {
        Ok((summary, files, base_path)) => {
            state.id += 1;
            state.error = None;
            state.base_path = base_path;
            state.files = Arc::new(files);
            state.tags = Arc::default();
            let notice = Notice::Reload(state.id);
            drop(state);
            shared.broadcaster.send(&notice);
            println!(
                "{reason}: built {} pages in {} ms ({} rendered, the rest unchanged), reloading {} page(s) ({} ms after the change)",
                summary.pages,
                summary.elapsed.as_millis(),
                summary.rendered_pages,
                shared.broadcaster.client_count(),
                started.elapsed().as_millis()
            );
        }
        Err(message) => {
            eprintln!("{reason}: the build failed; still serving the last good build\n{message}");
            state.error = Some(message.clone());
            drop(state);
            shared.broadcaster.send(&Notice::BuildError(message));
        }
    }
}

/// A short plain-text answer.
fn text(status: StatusCode, message: &str) -> Response<ResponseBody> {
    let mut response = Response::new(Full::new(Bytes::from(format!("{message}\n"))).boxed());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Answers one request.
fn respond(shared: &Shared, request: &Request<Incoming>) -> Response<ResponseBody> {
    let mut response = answer(shared, request);
    // The body of a request is never read (only GET and HEAD are answered): the
    // connection cannot be reused after one, so it is closed.
    let has_body = request
        .headers()
        .contains_key(hyper::header::TRANSFER_ENCODING)
        || request
            .headers()
            .get(hyper::header::CONTENT_LENGTH)
            .is_some_and(|length| length != "0");
    if has_body {
        response
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// The answer to `request`, refusing other hosts and methods first.
fn answer(shared: &Shared, request: &Request<Incoming>) -> Response<ResponseBody> {
    // The request line's authority wins over Host when both are there (RFC 9112 3.2.2).
    let host = match request.uri().authority() {
        Some(authority) => Some(authority.as_str().to_string()),
        None => request
            .headers()
            .get(HOST)
            .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned()),
    };
    match host {
        Some(host) if !host_allowed(shared, &host) => {
            return text(
                StatusCode::MISDIRECTED_REQUEST,
                &format!(
                    "lectern serve answers only to http://localhost:{port}, http://127.0.0.1:{port} and the address it listens on, not to {host}",
                    port = shared.address.port(),
                    host = host.escape_debug()
                ),
            );
        }
        None if request.version() >= Version::HTTP_11 => {
            return text(StatusCode::BAD_REQUEST, "a request needs a Host header");
        }
        _ => {}
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "lectern serve answers only GET and HEAD",
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let (id, error, base_path, files, tags, generation) = {
        let state = shared.state();
        (
            state.id,
            state.error.clone(),
            state.base_path.clone(),
            Arc::clone(&state.files),
            Arc::clone(&state.tags),
            state.generation,
        )
    };
    let url = request.uri().path();
    let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
    if decoded == format!("{base_path}{EVENTS_PATH}") {
        let hello = match &error {
            Some(message) => Notice::BuildError(message.clone()),
            None => Notice::Reload(id),
        };
        let mut response = Response::new(shared.broadcaster.stream(hello).boxed());
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    let (status, path) = match files::resolve(&files, &base_path, url) {
        Resolved::File(path) => (StatusCode::OK, Some(path)),
        Resolved::Redirect(to) => {
            let mut response = Response::new(Full::new(Bytes::new()).boxed());
            *response.status_mut() = StatusCode::FOUND;
            if let Ok(location) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(LOCATION, location);
            }
            return response;
        }
        Resolved::NotFound => (
            StatusCode::NOT_FOUND,
            files
                .contains_key("404.html")
                .then(|| "404.html".to_string()),
        ),
    };
    let stored = path.as_ref().and_then(|p| files.get(p));
    let kind = path
        .as_deref()
        .map_or("text/html; charset=utf-8", |p| content_type(Path::new(p)));
    let page = kind.starts_with("text/html");
    // Only a file that was found has a validator: the 404 page is never kept.
    let etag = match (&path, stored) {
        (Some(path), Some(bytes)) if status == StatusCode::OK => {
            let hash = tags.hash(path, bytes);
            // A page is served with the reload script (and the error overlay) of this
            // build added: its tag names the build too.
            Some(if page {
                format!("\"{hash}-{generation}\"")
            } else {
                format!("\"{hash}\"")
            })
        }
        _ => None,
    };
    let header = |name| request.headers().get(name).and_then(|h| h.to_str().ok());
    if let Some(etag) = &etag {
        if conditional::none_match(header(IF_NONE_MATCH), etag) {
            return not_modified(etag);
        }
    }
    let body = if page {
        let html = match stored {
            Some(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            None => "<!DOCTYPE html><title>Not found</title><p>Not found</p>".to_string(),
        };
        let mut extra = reload::client_script(&encode_path(&base_path), id);
        if let Some(message) = &error {
            extra.push_str(&reload::overlay(message));
        }
        Bytes::from(reload::inject(&html, &extra))
    } else {
        // Shared with the build, not copied.
        stored.map_or_else(Bytes::new, |bytes| Bytes::from_owner(Arc::clone(bytes)))
    };
    if let Some(etag) = etag {
        // Audio and video seek by asking for part of the file; a part is cut only from
        // the version the client holds the rest of.
        let range = if conditional::range_allowed(header(IF_RANGE), &etag) {
            files::range(header(RANGE), body.len())
        } else {
            files::Range::Whole
        };
        return partial(body, kind, range, &etag);
    }
    let mut response = Response::new(Full::new(body).boxed());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// What every answer with a file carries: its tag, and that the browser may keep it but
/// must ask again before showing it (a preview must never show a page from before an
/// edit).
fn validated(headers: &mut hyper::HeaderMap, etag: &str) {
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(ETAG, value);
    }
}

/// `304 Not Modified`: the client's copy, tagged `etag`, is current.
fn not_modified(etag: &str) -> Response<ResponseBody> {
    let mut response = Response::new(Full::new(Bytes::new()).boxed());
    *response.status_mut() = StatusCode::NOT_MODIFIED;
    validated(response.headers_mut(), etag);
    response
}

/// A file, whole or the part that `range` asks for.
fn partial(
    whole: Bytes,
    kind: &'static str,
    range: files::Range,
    etag: &str,
) -> Response<ResponseBody> {
    let len = whole.len();
    let (status, body, content_range) = match range {
        files::Range::Whole => (StatusCode::OK, whole, None),
        files::Range::Part(start, end) => (
            StatusCode::PARTIAL_CONTENT,
            whole.slice(start..end),
            Some(format!("bytes {start}-{}/{len}", end - 1)),
        ),
        files::Range::Unsatisfiable => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            Bytes::new(),
            Some(format!("bytes */{len}")),
        ),
    };
    let mut response = Response::new(Full::new(body).boxed());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    validated(headers, etag);
    headers.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Some(value) = content_range.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(CONTENT_RANGE, value);
    }
    response
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

    #[test]
    fn a_panicking_build_becomes_an_error() {
        let failed = guarded::<()>(|| panic!("index out of range"));
        let formatted = guarded::<()>(|| panic!("page {} broke", 3));
        assert!(failed.unwrap_err().contains("index out of range"));
        assert!(formatted.unwrap_err().contains("page 3 broke"));
        assert_eq!(guarded(|| Ok(7)), Ok(7));
    }
}
