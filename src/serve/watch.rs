//! Watching the site's sources (notify), with a short debounce so that an editor's
//! burst of writes makes one rebuild.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::error::{Diagnostic, Result};

/// Quiet time after the last change before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(15);

/// Folders watched with everything inside them.
const WATCHED_FOLDERS: &[&str] = &["content", "templates", "static", "sources"];

/// Watches `root`'s sources; calls `on_change` with a short description of what changed.
/// The watch stops when the returned watcher is dropped.
///
/// The root is watched by itself and each source folder recursively, rather than the
/// whole root recursively, so that `public/`, `.git/` and whatever else lives beside
/// the site cost no watches. A source folder that appears later, or is removed and made
/// again (a `git checkout`), is watched as soon as the root reports it.
pub(crate) fn watch(
    root: &Path,
    on_change: impl Fn(String) + Send + 'static,
) -> Result<Arc<Mutex<notify::RecommendedWatcher>>> {
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| {
        Diagnostic::in_file(root, format!("cannot watch the site for changes: {e}"))
    })?;
    // The root itself, not recursively: site.toml, and folders that appear later.
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| {
            Diagnostic::in_file(root, format!("cannot watch the site for changes: {e}"))
        })?;
    for folder in WATCHED_FOLDERS {
        let path = root.join(folder);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| {
                    Diagnostic::in_file(&path, format!("cannot watch this folder: {e}"))
                })?;
        }
    }
    let watcher = Arc::new(Mutex::new(watcher));
    let root = root.to_path_buf();
    let thread_watcher = Arc::downgrade(&watcher);
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            let mut changed: Vec<PathBuf> = relevant(&root, first);
            while let Ok(next) = rx.recv_timeout(DEBOUNCE) {
                changed.extend(relevant(&root, next));
            }
            if changed.is_empty() {
                continue;
            }
            changed.sort();
            changed.dedup();
            // Stopped: the server is shutting down.
            let Some(watcher) = thread_watcher.upgrade() else {
                return;
            };
            rewatch(&root, &changed, &watcher);
            drop(watcher);
            let shown: Vec<String> = changed
                .iter()
                .take(3)
                .map(|p| p.display().to_string())
                .collect();
            let more = changed.len().saturating_sub(3);
            let mut description = format!("changed {}", shown.join(", "));
            if more > 0 {
                description.push_str(&format!(" and {more} more"));
            }
            on_change(description);
        }
    });
    Ok(watcher)
}

/// Watches again every source folder named among `changed` that is now a folder: one
/// just made, or made again (the old watch went with the old folder). Done before the
/// rebuild, so whatever the new folder holds by then is built, and later edits are seen.
fn rewatch(root: &Path, changed: &[PathBuf], watcher: &Mutex<notify::RecommendedWatcher>) {
    let mut watcher = watcher.lock().unwrap_or_else(PoisonError::into_inner);
    for folder in WATCHED_FOLDERS {
        let path = root.join(folder);
        if changed.iter().any(|c| c == Path::new(folder)) && path.is_dir() {
            // Watching a folder already watched replaces the watch: no harm.
            if let Err(e) = watcher.watch(&path, RecursiveMode::Recursive) {
                eprintln!("warning: cannot watch {} for changes: {e}", path.display());
            }
        }
    }
}

/// The changed paths that are sources of the site, relative to the root.
fn relevant(root: &Path, event: notify::Result<notify::Event>) -> Vec<PathBuf> {
    let Ok(event) = event else { return Vec::new() };
    if event.kind.is_access() {
        return Vec::new();
    }
    event
        .paths
        .into_iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(root).ok()?.to_path_buf();
            let first = relative
                .components()
                .next()?
                .as_os_str()
                .to_string_lossy()
                .into_owned();
            let name = relative.file_name()?.to_string_lossy().into_owned();
            let editor_noise = name.starts_with('.')
                || name.ends_with('~')
                || name.ends_with(".swp")
                || name.starts_with(".#");
            let source = first == "site.toml" || WATCHED_FOLDERS.contains(&first.as_str());
            (source && !editor_noise).then_some(relative)
        })
        .collect()
}
