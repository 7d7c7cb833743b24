//! Output: writes the built site into its output folder, or, for `lectern serve`, keeps
//! it in memory, handed over whole when the build succeeds.
//!
//! Every change to the output folder goes through one handle that cannot leave it
//! ([`dir::OutputDir`]): new files wait in a staging folder inside the output, and only
//! when the whole build succeeded are they swapped in, one rename each ([`swap`]). The
//! output folder itself is never replaced, and a person's file in it is never moved.
//!
//! lectern *owns* only the files whose bytes are the ones it wrote: its record of them
//! (each file's hash) is kept in the site's `.lectern/` folder ([`record`]), not in the
//! output. A rebuild writes only the files whose bytes changed. One build at a time
//! writes into an output folder: a second waits for the first's lock.

mod dir;
mod feeds;
mod folder;
mod links;
mod record;
mod recover;
mod search;
mod swap;

use folder::{legacy_staging_notes, lock};

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use dir::{open_folder, read_file_in, OutputPath, STAGING};
pub use feeds::{atom_feed, robots_txt, sitemap, FeedEntry, SitemapEntry};
pub use links::BrokenLink;
pub use search::{doc_tokens, SearchDoc, SearchIndex, Tokens, LARGE_SITE};

use crate::error::{Diagnostic, Error, Location, Result};
use dir::{OutputDir, Stamp};
pub use record::STATE_DIR;
use record::{OutputRecord, StateDir, WrittenFile};
use swap::Placement;

/// The largest static file or content asset lectern copies: a long video belongs on a
/// video host, and a file far beyond this is a mistake that would fill the output.
pub const MAX_COPIED_FILE: crate::input::Limit = crate::input::Limit {
    bytes: 256 * 1024 * 1024,
    what: "static files and content assets",
    help: "make it smaller, or host it elsewhere and link to it",
};

/// A built site held in memory: output path → bytes.
pub type SiteFiles = HashMap<String, Arc<[u8]>>;

/// Where a new output tree goes.
enum Destination {
    /// The output folder, through its staging folder.
    Folder(Box<FolderStaging>),
    /// Memory, handed to the caller on commit.
    Memory(Mutex<SiteFiles>),
}

/// A build's hold on its output folder: the folder, its lock (held as long as the
/// handle is open), the staging folder and the record of the last build.
struct FolderStaging {
    out: OutputDir,
    staging: OwnedFd,
    /// The staging folder's `tree/`: the new files, laid out as in the output.
    tree: OutputDir,
    state: StateDir,
    record_name: String,
    previous: OutputRecord,
    /// What each path written needs: left as it is, or a new file put in place.
    plans: Mutex<Vec<(String, Plan)>>,
}

/// What a new file would replace in the output.
enum Replaces {
    /// Nothing: the path is free.
    Nothing,
    /// A file of lectern's, with this stamp.
    File(Stamp),
    /// A file of lectern's with these very bytes: nothing to write.
    Same(WrittenFile),
}

/// What the swap does for one file of the new build.
enum Plan {
    /// The file there holds these bytes already.
    Keep(WrittenFile),
    /// A new file, waiting in the staging folder.
    Place(Placement),
}

/// Where a file of the new site comes from, for the error when two want one path: a
/// site file, and the place in it a person would change.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The site file, as messages name it: `content/_index.md`, `static/index.html`.
    pub file: PathBuf,
    /// Whether it is a page (rendered from a content file) rather than a file copied
    /// as it is.
    pub is_page: bool,
    /// For a page, where its address is decided: its front matter's `path` or `slug`,
    /// else its first line; `None` when there is no line to show (the home page lectern
    /// makes for a site without `content/_index.md`) and for a copied file, which is
    /// changed as a whole.
    pub at: Option<Box<Location>>,
}

impl Origin {
    /// A file copied as it is (a static file, a content asset).
    pub fn file(file: &Path) -> Origin {
        Origin {
            file: file.to_path_buf(),
            is_page: false,
            at: None,
        }
    }
}

/// A new output tree being written.
pub struct Staging {
    destination: Destination,
    /// Every path written, with the source it came from (for collisions).
    written: Mutex<BTreeMap<String, Option<Origin>>>,
    /// Files the swap left because they are a person's now.
    notes: Vec<String>,
    /// The links of the pages and stylesheets written, when they are checked.
    links: Option<links::LinkScan>,
}

impl Staging {
    /// Opens the output folder (making it when missing), takes its lock, finishes or
    /// clears what a killed build left there, and makes an empty staging folder.
    /// `site_root` holds lectern's record of the folder.
    pub fn create(output_dir: &Path, site_root: &Path) -> Result<Staging> {
        let out = OutputDir::open(output_dir)?;
        let state = StateDir::open(site_root)?;
        let canonical = output_dir
            .canonicalize()
            .map_err(|e| Error::io("open", output_dir, e))?;
        let record_name = StateDir::record_name(&canonical);
        lock(&out)?;
        let mut previous = state.read_record(&record_name)?;
        let stage_error = |e| Error::io("create folder", &out.shown(STAGING), e);
        if let Ok(leftover) = out.folder(STAGING, None) {
            // A build that was killed: finish its swap if it had begun, then clear it.
            if let Some(record) = recover::recover(&out, &leftover, &previous)? {
                state.write(
                    &record_name,
                    &serde_json::to_vec(&record).expect("plain data"),
                )?;
                previous = record;
            }
            drop(leftover);
            recover::remove_staging(&out).map_err(stage_error)?;
        }
        rustix::fs::mkdirat(
            out.handle(),
            STAGING,
            rustix::fs::Mode::from_raw_mode(0o700),
        )
        .map_err(|e| stage_error(e.into()))?;
        let staging = out.folder(STAGING, None).map_err(stage_error)?;
        rustix::fs::mkdirat(&staging, swap::TREE, rustix::fs::Mode::from_raw_mode(0o700))
            .map_err(|e| stage_error(e.into()))?;
        let tree = dir::open_folder(staging.as_fd(), swap::TREE).map_err(stage_error)?;
        let tree = OutputDir::from_handle(tree, out.shown(STAGING).join(swap::TREE));
        Ok(Staging {
            destination: Destination::Folder(Box::new(FolderStaging {
                out,
                staging,
                tree,
                state,
                record_name,
                previous,
                plans: Mutex::new(Vec::new()),
            })),
            written: Mutex::new(BTreeMap::new()),
            notes: legacy_staging_notes(output_dir),
            links: None,
        })
    }

    /// A staging tree kept in memory (for `lectern serve`).
    pub fn in_memory() -> Staging {
        Staging {
            destination: Destination::Memory(Mutex::new(HashMap::new())),
            written: Mutex::new(BTreeMap::new()),
            notes: Vec::new(),
            links: None,
        }
    }

    /// Checks the links of every page and stylesheet written from now on, for a site
    /// served under `base_path` (see [`Staging::broken_links`]).
    pub fn checking_links(mut self, base_path: &str) -> Staging {
        self.links = Some(links::LinkScan::new(base_path));
        self
    }

    /// The links of the pages and stylesheets written that lead to no file of the
    /// output (none when links are not checked).
    pub fn broken_links(&self) -> Vec<BrokenLink> {
        match &self.links {
            Some(scan) => scan.broken(&self.written.lock().expect("no panics")),
            None => Vec::new(),
        }
    }

    /// Writes one file of the new site; `path` is relative and uses `/`.
    ///
    /// Safe to call from many threads at once for different paths.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.write_from(path, bytes, None)
    }

    /// Writes one file of the new site that comes from `origin`, which a collision then
    /// names.
    pub fn write_from(&self, path: &str, bytes: &[u8], origin: Option<Origin>) -> Result<()> {
        let source = origin.as_ref().map(|o| o.file.clone());
        let checked = self.claim(path, origin)?;
        if let Some(scan) = &self.links {
            scan.scan(path, bytes, source.as_deref());
        }
        match &self.destination {
            Destination::Memory(files) => {
                let mut files = files.lock().expect("no panics while holding the lock");
                files.insert(path.to_string(), Arc::from(bytes));
                Ok(())
            }
            Destination::Folder(folder) => folder.stage(&checked, bytes),
        }
    }

    /// Writes a file of the new site whose hash is known without its bytes (a photo the
    /// image stage has cached): `load` reads them only when the output folder does not
    /// already hold that file, so an unchanged photo costs a look at its entry, not a read
    /// and a hash. Not for pages or stylesheets, whose links are checked from their bytes.
    pub fn write_known<'b>(
        &self,
        path: &str,
        hash: &blake3::Hash,
        load: impl FnOnce() -> Result<std::borrow::Cow<'b, [u8]>>,
    ) -> Result<()> {
        debug_assert!(!path.ends_with(".html") && !path.ends_with(".css"));
        let checked = self.claim(path, None)?;
        match &self.destination {
            Destination::Memory(files) => {
                let bytes = load()?;
                let mut files = files.lock().expect("no panics while holding the lock");
                files.insert(path.to_string(), Arc::from(&*bytes));
                Ok(())
            }
            Destination::Folder(folder) => folder.stage_known(&checked, hash, load),
        }
    }

    /// Takes `path` for one file of the new site: it must be a name lectern can write,
    /// and no other file (nor folder) may have it.
    fn claim(&self, path: &str, origin: Option<Origin>) -> Result<OutputPath> {
        let source = origin.as_ref().map(|o| o.file.clone());
        let source = source.as_deref();
        let checked = OutputPath::new(path).map_err(|why| {
            Diagnostic::in_file(
                source.unwrap_or(Path::new(path)),
                format!(
                    "lectern cannot write `{}` into the output: {why}",
                    path.escape_debug()
                ),
            )
            .with_help("rename the file")
        })?;
        {
            let mut written = self
                .written
                .lock()
                .expect("no panics while holding the lock");
            if let Some(first) = written.get(path) {
                let message = format!(
                    "two things want to be written to {path} in the output: {} and {}",
                    named(first.as_ref()),
                    named(origin.as_ref()),
                );
                return Err(collision([first.as_ref(), origin.as_ref()], path, message).into());
            }
            // A name is a file or a folder, not both: a page with `path = "style.css"`
            // (written as style.css/index.html) and the theme's style.css.
            if let Some((file, inside)) = file_and_folder(&written, path) {
                let origin_of = |p: &str| match p == path {
                    true => origin.as_ref(),
                    false => written[p].as_ref(),
                };
                let (file_origin, inside_origin) = (origin_of(file), origin_of(inside));
                let message = format!(
                    "{file} in the output would be both a file and a folder: {} is \
                     written to {file}, and {} to {inside}",
                    named(file_origin),
                    named(inside_origin),
                );
                return Err(collision([file_origin, inside_origin], path, message).into());
            }
            written.insert(path.to_string(), origin);
        }
        Ok(checked)
    }

    /// Copies the site file `from` (named `shown` in messages: `static/a.png`) into the
    /// new site: a regular file of at most [`MAX_COPIED_FILE`], read without blocking.
    pub fn copy(&self, path: &str, from: &Path, shown: &Path) -> Result<()> {
        let bytes = crate::input::read_file(from, shown, &MAX_COPIED_FILE)?;
        self.write_from(path, &bytes, Some(Origin::file(shown)))
    }

    /// Whether `path` has been written.
    pub fn contains(&self, path: &str) -> bool {
        self.written
            .lock()
            .expect("no panics while holding the lock")
            .contains_key(path)
    }

    /// The number of files written so far.
    pub fn file_count(&self) -> usize {
        self.written
            .lock()
            .expect("no panics while holding the lock")
            .len()
    }

    /// Swaps the new tree in; for a tree in memory, hands it over. Also returns what
    /// the swap left in place because it is no longer lectern's.
    pub fn commit(mut self) -> Result<(Option<SiteFiles>, Vec<String>)> {
        let written = std::mem::take(&mut *self.written.lock().expect("no panics"));
        let destination = std::mem::replace(
            &mut self.destination,
            Destination::Memory(Mutex::new(HashMap::new())),
        );
        match destination {
            Destination::Memory(files) => Ok((
                Some(
                    files
                        .into_inner()
                        .expect("no panics while holding the lock"),
                ),
                std::mem::take(&mut self.notes),
            )),
            Destination::Folder(folder) => {
                let result = folder.swap(&written);
                let _ = recover::remove_staging(&folder.out);
                let mut notes = result?;
                notes.append(&mut self.notes);
                Ok((None, notes))
            }
        }
    }
}

/// How a collision names where a file comes from.
fn named(origin: Option<&Origin>) -> String {
    match origin {
        Some(origin) => origin.file.display().to_string(),
        None => "a file lectern makes".to_string(),
    }
}

/// The error for two files that cannot both be written (`message` says which), at the
/// place a person would change: a page's `path`, `slug` or first line, which decides
/// its address, else the copied file whole, else the page's file, else the output path.
fn collision(origins: [Option<&Origin>; 2], path: &str, message: String) -> Diagnostic {
    let origins: Vec<&Origin> = origins.into_iter().flatten().collect();
    let page = origins.iter().find(|o| o.is_page);
    let copied = origins.iter().find(|o| !o.is_page);
    let diagnostic = match (page.and_then(|p| p.at.as_deref()), copied, page) {
        (Some(at), _, _) => Diagnostic::at(at.clone(), message),
        (None, Some(copied), _) => Diagnostic::in_file(&copied.file, message),
        (None, None, Some(page)) => Diagnostic::in_file(&page.file, message),
        (None, None, None) => Diagnostic::in_file(Path::new(path), message),
    };
    let pages = origins.iter().filter(|o| o.is_page).count();
    let copies = origins.len() - pages;
    diagnostic.with_help(match (page, copied) {
        (Some(page), Some(copied)) => format!(
            "move or rename {}, or give {} another `path` or `slug`",
            copied.file.display(),
            page.file.display()
        ),
        (Some(_), None) if pages == 2 => "give one of them another `path` or `slug`".into(),
        (Some(page), None) => format!("give {} another `path` or `slug`", page.file.display()),
        (None, Some(copied)) if copies == 1 => format!(
            "move or rename {}: the other is a file lectern makes",
            copied.file.display()
        ),
        _ => "rename one of them".to_string(),
    })
}

/// A path written before that `path` would make both a file and a folder: as (the
/// file, a file inside the folder of the same name), one of which is `path`.
fn file_and_folder<'a, V>(
    written: &'a BTreeMap<String, V>,
    path: &'a str,
) -> Option<(&'a str, &'a str)> {
    // One of the folders `path` is in, written as a file.
    for (end, _) in path.match_indices('/') {
        if let Some((file, _)) = written.get_key_value(&path[..end]) {
            return Some((file, path));
        }
    }
    // A file inside a folder named `path`: such paths sort right after `path/`.
    let folder = format!("{path}/");
    written
        .range::<str, _>((Bound::Included(folder.as_str()), Bound::Unbounded))
        .next()
        .filter(|(inside, _)| inside.starts_with(&folder))
        .map(|(inside, _)| (path, inside.as_str()))
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A build that failed: its staged files go; the output is as it was.
        if let Destination::Folder(folder) = &self.destination {
            let _ = recover::remove_staging(&folder.out);
            if folder.out.was_made() {
                // Only while empty: a failed first build leaves no output folder.
                let _ = std::fs::remove_dir(folder.out.path());
            }
        }
    }
}

/// The files lectern's record says it wrote into `output_dir`.
#[cfg(test)]
fn owned_files(output_dir: &Path, site_root: &Path) -> std::collections::BTreeSet<String> {
    let Ok(canonical) = output_dir.canonicalize() else {
        return Default::default();
    };
    StateDir::open(site_root)
        .and_then(|state| state.read_record(&StateDir::record_name(&canonical)))
        .map(|record| record.files.into_keys().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    fn build(site: &Path, files: &[(&str, &str)]) -> Staging {
        let staging = Staging::create(&site.join("public"), site).unwrap();
        for (path, text) in files {
            staging.write(path, text.as_bytes()).unwrap();
        }
        staging
    }

    #[test]
    fn a_name_is_a_file_or_a_folder_in_either_order_but_never_both() {
        let page = || {
            Some(Origin {
                file: PathBuf::from("content/s.md"),
                is_page: true,
                at: Some(Box::new(Location::from_offset(
                    Path::new("content/s.md"),
                    "+++\nslug = \"s\"\n+++\n",
                    11,
                ))),
            })
        };
        let staging = Staging::in_memory();
        staging.write_from("s/index.html", b"page", page()).unwrap();
        // Neighbours that only start alike are no folder of `s`.
        for path in ["s.css", "s-b/index.html", "st", "a/s"] {
            staging.write(path, b"x").unwrap();
        }
        let error = staging.write("s", b"file").unwrap_err().to_string();
        assert!(error.contains("s in the output would be both a file and a folder"));
        assert!(error.contains("--> content/s.md:2:8"), "{error}");
        let error = staging
            .write_from("s.css/x/index.html", b"page", page())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("s.css in the output would be both"),
            "{error}"
        );
        assert!(
            error.contains("and content/s.md to s.css/x/index.html"),
            "{error}"
        );
        assert_eq!(staging.file_count(), 5, "a refused file is not written");
    }

    #[test]
    fn a_swap_step_that_fails_puts_every_earlier_one_back() {
        let temp = tempfile::tempdir().unwrap();
        let site = temp.path();
        let first = [
            ("a/index.html", "old a"),
            ("gone/index.html", "old gone"),
            ("same.txt", "same"),
        ];
        build(site, &first).commit().unwrap();
        std::fs::write(site.join("public/mine.txt"), "the person's").unwrap();
        let before = tree(&site.join("public"));
        // The next build changes a/, adds new/ and z/, drops gone/; a's staged file
        // vanishes, so its step fails after the stale file and the new folders moved.
        let second = [
            ("a/index.html", "new a"),
            ("new/index.html", "new"),
            ("same.txt", "same"),
            ("z/index.html", "z"),
        ];
        let staging = build(site, &second);
        let slots = site.join("public").join(STAGING);
        std::fs::remove_file(slots.join("tree/a/index.html")).unwrap();
        assert!(staging.commit().is_err());
        assert_eq!(tree(&site.join("public")), before);
        assert!(
            !site.join("public/new").exists(),
            "folders made for the build go"
        );
        assert!(!slots.exists(), "no staging is left");

        // The same build again goes through, and the record owns what it wrote.
        build(site, &second).commit().unwrap();
        let after: Vec<String> = tree(&site.join("public"))
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(
            after,
            [
                "a/index.html",
                "mine.txt",
                "new/index.html",
                "same.txt",
                "z/index.html"
            ]
        );
        let owned = owned_files(&site.join("public"), site);
        assert_eq!(
            owned.into_iter().collect::<Vec<_>>(),
            ["a/index.html", "new/index.html", "same.txt", "z/index.html"]
        );
    }

    #[test]
    fn an_unchanged_file_is_neither_written_nor_read_again() {
        use std::os::unix::fs::MetadataExt;
        let temp = tempfile::tempdir().unwrap();
        let site = temp.path();
        build(site, &[("x.html", "x"), ("y.html", "y")])
            .commit()
            .unwrap();
        let inode = |p: &str| {
            std::fs::metadata(site.join("public").join(p))
                .unwrap()
                .ino()
        };
        let (x, y) = (inode("x.html"), inode("y.html"));
        build(site, &[("x.html", "x"), ("y.html", "y2")])
            .commit()
            .unwrap();
        assert_eq!(inode("x.html"), x);
        assert_ne!(inode("y.html"), y);
    }
}
