//! Serves a built site folder over HTTP on 127.0.0.1, the way GitHub Pages serves a project
//! site: under a path prefix such as `/repo/`, `index.html` for folders, a redirect from
//! `/dir` to `/dir/`, and the site's `404.html` with status 404 for anything missing.

use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE, LOCATION};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

use crate::harness::{must, Browser, Need, Tools};
use crate::util::TestSite;

/// A test's browser looking at a built site served on loopback.
pub struct Reader {
    // Fields drop in order: the browser goes before the server and the site's folder.
    pub browser: Browser,
    _served: Served,
    pub site: TestSite,
    pub tools: Tools,
}

impl Reader {
    /// Builds a site with `build`, serves its `public/` under `prefix` and opens a browser
    /// on it, or returns `None` when the test is skipped for missing tools.
    pub async fn serve(
        test: &str,
        needs: &[Need],
        prefix: &str,
        build: impl FnOnce() -> TestSite,
    ) -> Option<Reader> {
        Reader::serve_slow_scripts(test, needs, prefix, Duration::ZERO, build).await
    }

    /// As [`Reader::serve`], with every `.js` file answered `script_delay` late: what a
    /// phone on a slow network sees (a loopback server runs scripts before the first paint).
    pub async fn serve_slow_scripts(
        test: &str,
        needs: &[Need],
        prefix: &str,
        script_delay: Duration,
        build: impl FnOnce() -> TestSite,
    ) -> Option<Reader> {
        let tools = Tools::require(test, needs)?;
        let site = build();
        let served = Served::folder_slow_scripts(&site.path("public"), prefix, script_delay);
        let browser = Browser::start(&tools, test, &served.base).await;
        Some(Reader {
            browser,
            _served: served,
            site,
            tools,
        })
    }

    /// Runs axe-core on each of `pages` (paths under the served prefix) as the browser is
    /// set up now, and fails listing every violation. On each page `expect`, a JavaScript
    /// expression, must hold first: the setting under test (`label`) is in effect.
    pub async fn axe_every_page(&self, pages: &[String], label: &str, expect: &str) {
        let axe = must(
            std::fs::read_to_string(&self.tools.axe_js),
            "read axe.min.js",
        );
        let mut report = Vec::new();
        for page in pages {
            self.browser.goto(page).await;
            assert_eq!(
                self.browser.js(&format!("return Boolean({expect});")).await,
                true,
                "{label} is not in effect on {page}"
            );
            for violation in self.browser.axe(&axe).await {
                report.push(format!("{page}: {violation}"));
            }
        }
        assert!(
            report.is_empty(),
            "axe-core found {} violation(s) ({label}) over {} pages:\n{}",
            report.len(),
            pages.len(),
            report.join("\n")
        );
    }

    /// Ends the browser session.
    pub async fn close(self) {
        self.browser.close().await;
    }
}

/// How late the server answers some kinds of file: what a phone on a slow network sees,
/// where a loopback server would otherwise deliver everything before the first paint.
#[derive(Clone, Copy, Debug, Default)]
pub struct Latency {
    /// Added to every `.js` file.
    pub scripts: Duration,
    /// Added to every image (a path whose content type is `image/…`).
    pub images: Duration,
}

/// A running server; dropping it stops the server and joins its thread.
pub struct Served {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    /// Every request's path (as sent, percent-encoded), in the order they arrived.
    requests: Arc<Mutex<Vec<String>>>,
    /// `http://127.0.0.1:PORT/repo/`
    pub base: String,
}

impl Served {
    /// Serves `root` at `http://127.0.0.1:<free port><prefix>`; `prefix` starts and ends
    /// with `/`.
    pub fn folder(root: &Path, prefix: &str) -> Served {
        Served::folder_slow_scripts(root, prefix, Duration::ZERO)
    }

    /// As [`Served::folder`], answering each `.js` file `script_delay` late.
    pub fn folder_slow_scripts(root: &Path, prefix: &str, script_delay: Duration) -> Served {
        let latency = Latency {
            scripts: script_delay,
            ..Latency::default()
        };
        Served::folder_with_latency(root, prefix, latency)
    }

    /// As [`Served::folder`], answering scripts and images as late as `latency` says.
    pub fn folder_with_latency(root: &Path, prefix: &str, latency: Latency) -> Served {
        assert!(
            prefix.starts_with('/') && prefix.ends_with('/'),
            "prefix {prefix} must start and end with /"
        );
        let listener = must(
            std::net::TcpListener::bind("127.0.0.1:0"),
            "bind a server on 127.0.0.1",
        );
        must(
            listener.set_nonblocking(true),
            "make the listener non-blocking",
        );
        let port = must(listener.local_addr(), "the server's address").port();
        let root: Arc<Path> = Arc::from(root);
        let prefix_owned: Arc<str> = Arc::from(prefix);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        let (stop, mut stopped) = oneshot::channel::<()>();
        // Its own thread and runtime, so that the test's runtime never has to serve.
        let thread = std::thread::spawn(move || {
            let runtime = must(
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build(),
                "start the server's runtime",
            );
            runtime.block_on(async move {
                let listener = must(
                    tokio::net::TcpListener::from_std(listener),
                    "listen on 127.0.0.1",
                );
                loop {
                    let stream = tokio::select! {
                        accepted = listener.accept() => match accepted {
                            Ok((stream, _)) => stream,
                            Err(_) => continue,
                        },
                        _ = &mut stopped => return,
                    };
                    let (root, prefix) = (Arc::clone(&root), Arc::clone(&prefix_owned));
                    let log = Arc::clone(&log);
                    tokio::spawn(async move {
                        let service = service_fn(move |request: Request<Incoming>| {
                            let path = request.uri().path();
                            // Logged on arrival, so a request still being delayed counts.
                            if let Ok(mut log) = log.lock() {
                                log.push(path.to_string());
                            }
                            let delay = if path.ends_with(".js") {
                                latency.scripts
                            } else if content_type(Path::new(path)).starts_with("image/") {
                                latency.images
                            } else {
                                Duration::ZERO
                            };
                            let response = respond(&root, &prefix, path);
                            async move {
                                if !delay.is_zero() {
                                    tokio::time::sleep(delay).await;
                                }
                                Ok::<_, Infallible>(response)
                            }
                        });
                        // Errors (the browser went away) end only this connection.
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            });
        });
        Served {
            stop: Some(stop),
            thread: Some(thread),
            requests,
            base: format!("http://127.0.0.1:{port}{prefix}"),
        }
    }

    /// The paths requested so far (as sent, percent-encoded), in the order they arrived.
    pub fn requested(&self) -> Vec<String> {
        self.requests
            .lock()
            .map(|log| log.clone())
            .unwrap_or_default()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one request for `path` (still percent-encoded).
fn respond(root: &Path, prefix: &str, url_path: &str) -> Response<Full<Bytes>> {
    let path = percent_decode(url_path);
    let file = path
        .strip_prefix(prefix)
        .or_else(|| (path == prefix.trim_end_matches('/')).then_some(""))
        .and_then(|rest| safe_join(root, rest));
    match file {
        Some(file) if file.is_dir() && !path.ends_with('/') => {
            // Like GitHub Pages: `/repo/about` → `/repo/about/`, so relative URLs resolve.
            let mut response = Response::new(Full::new(Bytes::new()));
            *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
            if let Ok(location) = HeaderValue::from_str(&format!("{url_path}/")) {
                response.headers_mut().insert(LOCATION, location);
            }
            response
        }
        Some(file) if file.is_dir() && file.join("index.html").is_file() => {
            send_file(&file.join("index.html"), StatusCode::OK)
        }
        Some(file) if file.is_file() => send_file(&file, StatusCode::OK),
        _ => not_found(root),
    }
}

/// The site's own `404.html` with status 404, or a plain 404 if the site has none.
fn not_found(root: &Path) -> Response<Full<Bytes>> {
    let page = root.join("404.html");
    if page.is_file() {
        send_file(&page, StatusCode::NOT_FOUND)
    } else {
        let mut response = Response::new(Full::new(Bytes::from_static(b"404 and no 404.html")));
        *response.status_mut() = StatusCode::NOT_FOUND;
        response
    }
}

fn send_file(file: &Path, status: StatusCode) -> Response<Full<Bytes>> {
    let Ok(body) = std::fs::read(file) else {
        let mut response = Response::new(Full::new(Bytes::new()));
        *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        return response;
    };
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type(file)));
    response
}

/// Content types for what a lectern site holds; browsers refuse a stylesheet or script that
/// comes with the wrong one, so this matters to the tests.
fn content_type(file: &Path) -> &'static str {
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `root/rest`, or `None` if `rest` tries to leave `root` (`..`, absolute parts).
fn safe_join(root: &Path, rest: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for component in Path::new(rest).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(path)
}

/// Decodes `%XX` escapes as UTF-8 (browsers send CJK paths that way).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
