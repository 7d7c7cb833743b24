//! `lectern serve`: builds the site in memory, serves it on loopback under
//! the path of `base_url` (so links behave as on GitHub Pages), rebuilds when a source
//! changes, and tells open pages to reload.
//!
//! Readers never see a half-written site: every build is swapped in whole by
//! [`crate::output`]. A failed build keeps the last good site and shows the error.

mod files;
mod reload;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use files::{content_type, Resolved};
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
    /// The base path of the last settings that loaded.
    base_path: String,
    /// The last good build's files, replaced whole by the next good build.
    files: Arc<SiteFiles>,
}

/// Everything the request handlers share.
struct Shared {
    root: PathBuf,
    state: RwLock<BuildState>,
    /// What the previous build made, reused for what an edit did not change.
    cache: BuildCache,
    broadcaster: Broadcaster,
    address: SocketAddr,
    drafts: bool,
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_interrupt(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

/// Runs the preview server until interrupted.
pub fn serve(root: &Path, options: &ServeOptions) -> Result<()> {
    let root = &root
        .canonicalize()
        .map_err(|e| Error::io("read", root, e))?;
    let (server, address) = bind(options)?;
    let shared = Arc::new(Shared {
        root: root.to_path_buf(),
        state: RwLock::new(BuildState {
            id: 0,
            error: None,
            base_path: "/".into(),
            files: Arc::new(SiteFiles::new()),
        }),
        cache: BuildCache::default(),
        broadcaster: Broadcaster::default(),
        address,
        drafts: options.drafts,
    });
    rebuild(&shared, "start");
    let base_path = shared.state.read().expect("state lock").base_path.clone();
    let url = format!("http://{address}{base_path}");
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

    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(
            libc::SIGINT,
            on_interrupt as *const () as libc::sighandler_t,
        );
        libc::signal(
            libc::SIGTERM,
            on_interrupt as *const () as libc::sighandler_t,
        );
    }
    while !STOP.load(Ordering::SeqCst) {
        match server.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(request)) => {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || handle(&shared, request));
            }
            Ok(None) => {}
            Err(e) => eprintln!("warning: a request failed: {e}"),
        }
    }
    println!("stopped");
    Ok(())
}

/// Binds the port asked for, or 1111 and the next nine after it when none was asked.
fn bind(options: &ServeOptions) -> Result<(tiny_http::Server, SocketAddr)> {
    let candidates: Vec<u16> = match options.port {
        Some(port) => vec![port],
        None => (DEFAULT_PORT..DEFAULT_PORT + 10).collect(),
    };
    let mut last_error = String::new();
    for port in &candidates {
        match tiny_http::Server::http(SocketAddr::new(options.interface, *port)) {
            Ok(server) => {
                let address = server
                    .server_addr()
                    .to_ip()
                    .expect("bound to an IP address");
                if options.port.is_none() && *port != DEFAULT_PORT {
                    println!("port {DEFAULT_PORT} is in use; using {port}");
                }
                return Ok((server, address));
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

/// Builds the site into the served folder and tells the pages.
fn rebuild(shared: &Shared, reason: &str) {
    let started = Instant::now();
    let options = BuildOptions {
        drafts: shared.drafts,
        ..Default::default()
    };
    let result = SiteConfig::load(&shared.root)
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
            let base_path = settings.base_path.clone();
            build_in_memory(&settings, &shared.cache)
                .map(|(summary, files)| (summary, files, base_path))
        });
    let mut state = shared.state.write().expect("state lock");
    match result {
        Ok((summary, files, base_path)) => {
            state.id += 1;
            state.error = None;
            state.base_path = base_path;
            state.files = Arc::new(files);
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
        Err(error) => {
            let message = error.to_string();
            eprintln!("{reason}: the build failed; still serving the last good build\n{message}");
            state.error = Some(message.clone());
            drop(state);
            shared.broadcaster.send(&Notice::BuildError(message));
        }
    }
}

fn handle(shared: &Shared, request: tiny_http::Request) {
    let (id, error, base_path, files) = {
        let state = shared.state.read().expect("state lock");
        (
            state.id,
            state.error.clone(),
            state.base_path.clone(),
            Arc::clone(&state.files),
        )
    };
    let url = request.url().to_string();
    if url.split('?').next() == Some(&format!("{base_path}{EVENTS_PATH}")) {
        let hello = match &error {
            Some(message) => Notice::BuildError(message.clone()),
            None => Notice::Reload(id),
        };
        shared.broadcaster.stream(request.into_writer(), hello);
        return;
    }
    let (status, path) = match files::resolve(&files, &base_path, &url) {
        Resolved::File(path) => (200, Some(path)),
        Resolved::Redirect(to) => {
            let response = tiny_http::Response::empty(302).with_header(header("Location", &to));
            let _ = request.respond(response);
            return;
        }
        Resolved::NotFound => (
            404,
            files
                .contains_key("404.html")
                .then(|| "404.html".to_string()),
        ),
    };
    let mut body = match path.as_ref().and_then(|p| files.get(p)) {
        Some(bytes) => bytes.to_vec(),
        None => b"<!DOCTYPE html><title>Not found</title><p>Not found</p>".to_vec(),
    };
    let kind = path
        .as_deref()
        .map_or("text/html; charset=utf-8", |p| content_type(Path::new(p)));
    if kind.starts_with("text/html") {
        let mut extra = reload::client_script(&base_path, id);
        if let Some(message) = &error {
            extra.push_str(&reload::overlay(message));
        }
        body = reload::inject(&String::from_utf8_lossy(&body), &extra).into_bytes();
    }
    let response = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}
