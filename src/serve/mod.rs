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
mod listen;
mod reload;
mod respond;
mod stall;
mod watch;

use listen::{accept_loop, allowed_hosts, bind, connection_limit};

use std::net::{IpAddr, SocketAddr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Instant;

use files::{decoded_base, encode_path};
use reload::{Broadcaster, Notice};

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
pub(crate) const DEFAULT_PORT: u16 = 1111;

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
    rebuild(&shared, START);
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
        open_in_browser(&url);
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

/// Opens `url` in the default browser (`xdg-open`; `open` on macOS). When that cannot
/// be done (no `xdg-open` on a server or in a container, or no browser behind it), says
/// so in one line with the URL to open by hand, rather than leave the author waiting.
fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let not_opened = |url: &str, why: String| {
        println!("note: cannot open a browser ({why}); open {url} by hand")
    };
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            not_opened(url, format!("there is no `{opener}` on the PATH"));
        }
        Err(e) => not_opened(url, format!("`{opener}` did not start: {e}")),
        // It may take a while to find a browser, or wait for it: the server starts now.
        Ok(mut child) => {
            let url = url.to_string();
            std::thread::spawn(move || match child.wait() {
                Ok(status) if status.success() => {}
                Ok(status) => not_opened(&url, format!("`{opener}` failed, {status}")),
                Err(e) => not_opened(&url, format!("`{opener}` failed: {e}")),
            });
        }
    }
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

/// The reason of the first build, which no change caused.
const START: &str = "start";

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
            let built = format!(
                "{reason}: built {} in {} ms",
                crate::error::count(summary.pages, "page"),
                summary.elapsed.as_millis()
            );
            // At the start nothing has changed, nothing was rendered before and no
            // page is open to reload: a rebuild's figures would only puzzle.
            if reason == START {
                println!("{built}");
            } else {
                println!(
                    "{built} ({} rendered, the rest unchanged), reloading {} ({} ms after the change)",
                    summary.rendered_pages,
                    crate::error::count(shared.broadcaster.client_count(), "page"),
                    started.elapsed().as_millis()
                );
            }
        }
        Err(message) => {
            eprintln!("{reason}: the build failed; still serving the last good build\n{message}");
            state.error = Some(message.clone());
            drop(state);
            shared.broadcaster.send(&Notice::BuildError(message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_build_becomes_an_error() {
        let failed = guarded::<()>(|| panic!("index out of range"));
        let formatted = guarded::<()>(|| panic!("page {} broke", 3));
        assert!(failed.unwrap_err().contains("index out of range"));
        assert!(formatted.unwrap_err().contains("page 3 broke"));
        assert_eq!(guarded(|| Ok(7)), Ok(7));
    }
}
