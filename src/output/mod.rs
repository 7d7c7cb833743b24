//! Output: writes the built site into a fresh staging folder beside the output folder
//! and, only when everything succeeded, swaps it in — or, for `lectern serve`, keeps it
//! in memory, handed over whole when the build succeeds.
//!
//! The build *owns* the files it wrote last time (listed in [`MANIFEST`]); every other
//! file in the output folder (a `.git`, a hand-written `CNAME`) is carried over into the
//! new tree untouched. A failed build removes its staging folder and leaves the previous
//! output as it was.
//!
//! A rebuild over an output folder lectern already owns writes only what changed: a page
//! whose bytes equal the file it owns there is not written again, and the commit swaps
//! the changed files in one by one, able to undo every step (see [`swap`]). Writing and
//! then deleting a whole tree of unchanged pages was most of a large site's rebuild.

mod feeds;
mod relative;
mod search;
mod swap;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use feeds::{atom_feed, robots_txt, sitemap, FeedEntry, SitemapEntry};
pub use relative::relative_urls;
pub use search::{doc_tokens, SearchDoc, SearchIndex, Tokens};

use crate::error::{fs, Diagnostic, Error, Result};

/// The list of files the last build wrote, kept in the output folder.
pub const MANIFEST: &str = ".lectern-manifest";

/// A built site held in memory: output path → bytes.
pub type SiteFiles = HashMap<String, Arc<[u8]>>;

/// Where a staging tree goes.
enum Destination {
    /// A folder beside the output folder, swapped in on commit.
    Folder {
        /// The output folder.
        output_dir: PathBuf,
        /// The staging folder.
        dir: PathBuf,
        /// The files the previous build wrote into `output_dir` (its manifest).
        owned: BTreeSet<String>,
        /// Files of this build found identical in `output_dir`, so not written again.
        unchanged: Mutex<BTreeSet<String>>,
    },
    /// Memory, handed to the caller on commit.
    Memory(Mutex<SiteFiles>),
}

/// A new output tree being written.
pub struct Staging {
    destination: Destination,
    written: Mutex<BTreeSet<String>>,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder next to `output_dir`.
    pub fn create(output_dir: &Path) -> Result<Staging> {
        let name = output_dir
            .file_name()
            .ok_or_else(|| Diagnostic::in_file(output_dir, "the output folder has no name"))?
            .to_string_lossy()
            .into_owned();
        let parent = output_dir.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        if output_dir.exists() && !output_dir.is_dir() {
            return Err(Diagnostic::in_file(
                output_dir,
                "the output path exists and is not a folder",
            )
            .with_help("choose another output folder with -o")
            .into());
        }
        let dir = parent.join(format!(".{name}.lectern-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io("remove", &dir, e))?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            destination: Destination::Folder {
                output_dir: output_dir.to_path_buf(),
                dir,
                owned: owned_files(output_dir),
                unchanged: Mutex::new(BTreeSet::new()),
            },
            written: Mutex::new(BTreeSet::new()),
            committed: false,
        })
    }

    /// A staging tree kept in memory (for `lectern serve`).
    pub fn in_memory() -> Staging {
        Staging {
            destination: Destination::Memory(Mutex::new(HashMap::new())),
            written: Mutex::new(BTreeSet::new()),
            committed: false,
        }
    }

    /// Writes one file of the new site; `path` is relative and uses `/`.
    ///
    /// Safe to call from many threads at once for different paths.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        debug_assert!(!path.starts_with('/') && !path.split('/').any(|p| p == ".."));
        let first = self
            .written
            .lock()
            .expect("no panics while holding the lock")
            .insert(path.to_string());
        if !first {
            return Err(Diagnostic::in_file(
                Path::new(path),
                format!("two things want to be written to {path} in the output"),
            )
            .with_help("a file in static/ or content/ has the same path as a generated page")
            .into());
        }
        let dir = match &self.destination {
            Destination::Memory(files) => {
                let mut files = files.lock().expect("no panics while holding the lock");
                files.insert(path.to_string(), Arc::from(bytes));
                return Ok(());
            }
            Destination::Folder {
                dir,
                output_dir,
                owned,
                unchanged,
            } => {
                if owned.contains(path) && holds_exactly(&output_dir.join(path), bytes) {
                    unchanged
                        .lock()
                        .expect("no panics while holding the lock")
                        .insert(path.to_string());
                    return Ok(());
                }
                dir
            }
        };
        // A page goes into a folder of its own (`blog/a/index.html`) that this staging
        // tree does not have yet: its folder is made first, in one step when its parent
        // exists. (Trying the write first failed once for every page.)
        let full = dir.join(path);
        if let Some(folder) = full.parent().filter(|f| f != dir) {
            match std::fs::create_dir(folder) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(_) => fs::create_dir_all(folder)?,
            }
        }
        std::fs::write(&full, bytes).map_err(|e| Error::io("write", &full, e))
    }

    /// Copies a file from disk into the new site.
    pub fn copy(&self, path: &str, from: &Path) -> Result<()> {
        let bytes = fs::read(from)?;
        self.write(path, &bytes)
    }

    /// Whether `path` has been written.
    pub fn contains(&self, path: &str) -> bool {
        self.written
            .lock()
            .expect("no panics while holding the lock")
            .contains(path)
    }

    /// The number of files written so far.
    pub fn file_count(&self) -> usize {
        self.written
            .lock()
            .expect("no panics while holding the lock")
            .len()
    }

    /// Swaps the new tree in, carrying over the files the build does not own; for a tree
    /// in memory, hands it over.
    pub fn commit(mut self) -> Result<Option<SiteFiles>> {
        self.committed = true;
        let written = std::mem::take(&mut *self.written.lock().expect("no panics"));
        match &mut self.destination {
            Destination::Memory(files) => Ok(Some(std::mem::take(
                files.get_mut().expect("no panics while holding the lock"),
            ))),
            Destination::Folder {
                output_dir,
                dir,
                owned,
                unchanged,
            } => {
                let manifest: String = written.iter().map(|p| format!("{p}\n")).collect();
                let unchanged = unchanged
                    .get_mut()
                    .expect("no panics while holding the lock");
                let result = fs::write(&dir.join(MANIFEST), manifest.as_bytes()).and_then(|()| {
                    if owned.is_empty() {
                        swap::carry_over_and_swap(output_dir, dir, &written)
                    } else {
                        swap::update_in_place(output_dir, dir, &written, unchanged, owned)
                    }
                });
                if result.is_err() {
                    let _ = std::fs::remove_dir_all(&*dir);
                }
                result.map(|()| None)
            }
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let (false, Destination::Folder { dir, .. }) = (self.committed, &self.destination) {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Whether `path` is a regular file (not a link) holding exactly `bytes`.
fn holds_exactly(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    #[cfg(unix)]
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(path)
    };
    #[cfg(not(unix))]
    let file = std::fs::File::open(path);
    let Ok(mut file) = file else {
        return false;
    };
    match file.metadata() {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {}
        _ => return false,
    }
    // Compared a block at a time: a large site's search index is megabytes, not worth
    // holding twice. Each thread keeps its block: zeroing a new one for every page
    // cost more than the comparison.
    thread_local! {
        static BLOCK: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; 64 * 1024]);
    }
    BLOCK.with_borrow_mut(|block| {
        let mut rest = bytes;
        while !rest.is_empty() {
            let n = rest.len().min(block.len());
            if file.read_exact(&mut block[..n]).is_err() || block[..n] != rest[..n] {
                return false;
            }
            rest = &rest[n..];
        }
        // Nothing more than `bytes`: the file did not grow since its length was read.
        matches!(file.read(&mut block[..1]), Ok(0))
    })
}

/// Reads the list of files the previous build wrote into `output_dir`.
pub fn owned_files(output_dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(output_dir.join(MANIFEST))
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_exactly_compares_every_block_and_the_length() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.js");
        // Longer than one compare block, so that the second block is compared too.
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert!(holds_exactly(&path, &bytes));
        let mut changed = bytes.clone();
        changed[150_000] ^= 1;
        assert!(!holds_exactly(&path, &changed));
        assert!(!holds_exactly(&path, &bytes[..bytes.len() - 1]));
        assert!(!holds_exactly(&dir.path().join("missing.js"), &bytes));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.js");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            assert!(
                !holds_exactly(&link, &bytes),
                "a link is never taken as ours"
            );
        }
    }
}
