//! Serves a built site folder over HTTP on 127.0.0.1, the way GitHub Pages serves a project
//! site: under a path prefix such as `/repo/`, `index.html` for folders, a redirect from
//! `/dir` to `/dir/`, and the site's `404.html` with status 404 for anything missing.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use tiny_http::{Header, Request, Response, Server};

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
        let tools = Tools::require(test, needs)?;
        let site = build();
        let served = Served::folder(&site.path("public"), prefix);
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

/// A running server; dropping it stops the server and joins its thread.
pub struct Served {
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
    /// `http://127.0.0.1:PORT/repo/`
    pub base: String,
}

impl Served {
    /// Serves `root` at `http://127.0.0.1:<free port><prefix>`; `prefix` starts and ends
    /// with `/`.
    pub fn folder(root: &Path, prefix: &str) -> Served {
        assert!(
            prefix.starts_with('/') && prefix.ends_with('/'),
            "prefix {prefix} must start and end with /"
        );
        let server = Arc::new(must(
            Server::http("127.0.0.1:0"),
            "bind a server on 127.0.0.1",
        ));
        let port = server
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .unwrap_or_else(|| panic!("the server has no IP address"));
        let root = root.to_path_buf();
        let prefix_owned = prefix.to_string();
        let requests = Arc::clone(&server);
        let thread = std::thread::spawn(move || {
            // Ends when Drop calls unblock().
            for request in requests.incoming_requests() {
                respond(&root, &prefix_owned, request);
            }
        });
        Served {
            server,
            thread: Some(thread),
            base: format!("http://127.0.0.1:{port}{prefix}"),
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one request. Errors writing the answer (the browser went away) are ignored.
fn respond(root: &Path, prefix: &str, request: Request) {
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let path = percent_decode(path);
    let file = path
        .strip_prefix(prefix)
        .or_else(|| (path == prefix.trim_end_matches('/')).then_some(""))
        .and_then(|rest| safe_join(root, rest));
    let result = match file {
        Some(file) if file.is_dir() && !path.ends_with('/') => {
            // Like GitHub Pages: `/repo/about` → `/repo/about/`, so relative URLs resolve.
            let location = format!("{}/", url.split(['?', '#']).next().unwrap_or_default());
            let response = Response::empty(301).with_header(header("Location", &location));
            request.respond(response)
        }
        Some(file) if file.is_dir() && file.join("index.html").is_file() => {
            send_file(request, &file.join("index.html"), 200)
        }
        Some(file) if file.is_file() => send_file(request, &file, 200),
        _ => not_found(root, request),
    };
    let _ = result;
}

/// The site's own `404.html` with status 404, or a plain 404 if the site has none.
fn not_found(root: &Path, request: Request) -> std::io::Result<()> {
    let page = root.join("404.html");
    if page.is_file() {
        send_file(request, &page, 404)
    } else {
        request.respond(Response::from_string("404 and no 404.html").with_status_code(404))
    }
}

fn send_file(request: Request, file: &Path, status: u16) -> std::io::Result<()> {
    let body = std::fs::read(file)?;
    let response = Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type(file)));
    request.respond(response)
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

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|()| panic!("bad header {name}: {value}"))
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
