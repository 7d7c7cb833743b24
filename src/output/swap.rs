//! Putting a finished build in place, inside the output folder.
//!
//! The new files wait in the staging folder's `tree/`, laid out as in the output. The
//! swap writes a journal of every step it will take; then it moves the stale files
//! out, moves each new folder (one the output does not have yet, such as a new page's)
//! in whole with one rename, puts every other new file in place with one rename each,
//! and last writes the record of what lectern now owns. Each file is always whole: a
//! reader (or a kill) sees its old bytes or its new ones. A step that fails undoes
//! every earlier one; a build killed during the swap is finished by the next one, from
//! the journal ([`recover`]). A person's file is never moved: only files whose bytes
//! are the ones lectern wrote.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use rayon::prelude::*;
use rustix::fs::{self as sys, AtFlags, RenameFlags};
use serde::{Deserialize, Serialize};

use super::dir::{entry_in, hash_file_in, Entry, OutputDir, Stamp, STAGING};
use super::record::{write_replacing, OutputRecord, StateDir, WrittenFile};
use crate::error::{Diagnostic, Error, Result};

/// The journal's name in the staging folder.
pub(super) const JOURNAL: &str = "journal.json";

/// The staging folder's copy of the output's layout, holding the new files.
pub const TREE: &str = "tree";

/// One new file waiting in the staging tree, at its own path.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Placement {
    /// Where it goes (and where it waits, under the staging tree).
    pub path: String,
    /// Its hash, in hex.
    pub hash: String,
    /// Its stamp as written (a folder's rename leaves it as it is).
    pub stamp: Stamp,
    /// The stamp of the file of lectern's it replaces, if any.
    pub replaces: Option<Stamp>,
    /// Whether its folder was missing from the output when it was written.
    pub new_folder: bool,
}

/// Every step of a swap, written before the first one is taken.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Journal {
    /// New and changed files.
    pub places: Vec<Placement>,
    /// Files of the last build this one does not write, as recorded.
    pub stale: Vec<(String, WrittenFile)>,
    /// Unchanged files whose record changed (adopted, or stamped anew).
    pub kept: BTreeMap<String, WrittenFile>,
    /// New folders moved in whole, outermost only.
    pub new_folders: Vec<String>,
    /// Every folder this swap adds to the output (the new folders and all inside them).
    pub made: Vec<String>,
}

/// One step taken, kept so that it can be undone.
enum Step {
    /// A new file moved in from the staging tree.
    Moved { folder: String, name: String },
    /// A new file exchanged with the old one, which now sits in the staging tree.
    Exchanged { folder: String, name: String },
    /// A new folder moved in whole from the staging tree.
    MovedFolder(String),
    /// A stale file moved out into the staging folder as `slot`.
    MovedOut {
        folder: String,
        name: String,
        slot: String,
    },
    /// A folder of lectern's removed once empty.
    RemovedFolder(String),
}

/// What a finished swap says: files it left because they are no longer lectern's.
pub type Notes = Vec<String>;

/// Finds the new folders to move in whole: for each file whose folder the output lacked,
/// the outermost missing folder above it. `journal.places` is sorted by path, so the
/// files of one new folder follow one another.
pub fn plan_new_folders(out: &OutputDir, journal: &mut Journal) {
    let mut exists: HashMap<&str, bool> = HashMap::new();
    let mut roots: Vec<String> = Vec::new();
    let mut made: BTreeSet<String> = BTreeSet::new();
    for place in journal.places.iter().filter(|p| p.new_folder) {
        let inside = |root: &String| place.path.starts_with(&format!("{root}/"));
        let root = match roots.last().filter(|r| inside(r)) {
            Some(root) => root.clone(),
            None => {
                let missing = ancestors(&place.path).find(|&f| {
                    !*exists.entry(f).or_insert_with(|| {
                        !matches!(out.folder(f, None), Err(e) if e.kind() == io::ErrorKind::NotFound)
                    })
                });
                match missing {
                    Some(root) => {
                        roots.push(root.to_string());
                        root.to_string()
                    }
                    // Made since the file was written: it goes in on its own.
                    None => continue,
                }
            }
        };
        made.extend(
            ancestors(&place.path)
                .filter(|f| *f == root || f.starts_with(&format!("{root}/")))
                .map(str::to_string),
        );
    }
    journal.new_folders = roots;
    journal.made = made.into_iter().collect();
}

/// Swaps the staged files in and returns the new record. See the module documentation.
pub fn swap(
    out: &OutputDir,
    staging: &OwnedFd,
    tree: &OutputDir,
    state: &StateDir,
    record_name: &str,
    previous: &OutputRecord,
    journal: Journal,
) -> Result<Notes> {
    write_replacing(staging.as_fd(), JOURNAL, &to_json(&journal))
        .map_err(|e| Error::io("write", &out.shown(STAGING), e))?;
    kill_point(0);
    let mut steps = Vec::new();
    let mut notes = Vec::new();
    let moves = Moves {
        out,
        staging: staging.as_fd(),
        tree,
    };
    match apply(&moves, previous, &journal, &mut steps, &mut notes) {
        Ok(record) => {
            state.write(record_name, &to_json(&record))?;
            Ok(notes)
        }
        Err(error) => {
            for step in steps.into_iter().rev() {
                let _ = moves.undo(step);
            }
            let _ = sys::unlinkat(staging, JOURNAL, AtFlags::empty());
            Err(error)
        }
    }
}

/// The three places a swap moves files between.
struct Moves<'a> {
    out: &'a OutputDir,
    staging: BorrowedFd<'a>,
    tree: &'a OutputDir,
}

fn apply(
    moves: &Moves<'_>,
    previous: &OutputRecord,
    journal: &Journal,
    steps: &mut Vec<Step>,
    notes: &mut Notes,
) -> Result<OutputRecord> {
    let Moves { out, staging, tree } = *moves;
    let mut record = OutputRecord {
        output: out.path().to_path_buf(),
        files: previous.files.clone(),
        folders: previous.folders.clone(),
    };
    // Stale files first: a new page may need the path of an old file's folder.
    let mut walker = out.walker();
    for (n, (path, file)) in journal.stale.iter().enumerate() {
        record.files.remove(path);
        let (folder, name) = split(path);
        let Ok(dir) = walker.open(folder, None) else {
            continue; // its folder went, or became a link: nothing of ours is there
        };
        let ours = match entry_in(dir, name).map_err(|e| Error::io("read", &out.shown(path), e))? {
            Entry::File(stamp) if stamp == file.stamp => true,
            Entry::File(_) => hash_file_in(dir, name)
                .map_err(|e| Error::io("read", &out.shown(path), e))?
                .is_some_and(|h| h.to_hex().as_str() == file.hash),
            _ => false,
        };
        if !ours {
            if !matches!(entry_in(dir, name), Ok(Entry::Missing)) {
                notes.push(format!(
                    "left {}: it changed since lectern wrote it, so it is yours now",
                    out.shown(path).display()
                ));
            }
            continue;
        }
        let slot = format!("old-{n}");
        sys::renameat_with(dir, name, staging, slot.as_str(), RenameFlags::NOREPLACE)
            .map_err(|e| Error::io("remove", &out.shown(path), e.into()))?;
        steps.push(Step::MovedOut {
            folder: folder.to_string(),
            name: name.to_string(),
            slot,
        });
        kill_point(1);
    }
    drop(walker);
    // Folders lectern made that no file needs any more, deepest first; only empty ones go.
    let needed: BTreeSet<&str> = journal
        .places
        .iter()
        .flat_map(|p| ancestors(&p.path))
        .chain(journal.kept.keys().flat_map(|p| ancestors(p)))
        .chain(record.files.keys().flat_map(|p| ancestors(p)))
        .collect();
    for folder in previous.folders.iter().rev() {
        if needed.contains(folder.as_str()) {
            continue;
        }
        let (parent, name) = split(folder);
        let Ok(dir) = out.folder(parent, None) else {
            continue;
        };
        if sys::unlinkat(&dir, name, AtFlags::REMOVEDIR).is_ok() {
            steps.push(Step::RemovedFolder(folder.clone()));
            record.folders.remove(folder);
        }
    }
    record.files.extend(journal.kept.clone());
    // New folders go in whole, each with one rename: a fresh build is a few renames.
    for folder in &journal.new_folders {
        let (parent, name) = split(folder);
        let from = tree
            .folder(parent, None)
            .map_err(|e| Error::io("read", &tree.shown(parent), e))?;
        let to = out
            .folder(parent, None)
            .map_err(|e| folder_error(out, parent, e))?;
        sys::renameat_with(&from, name, &to, name, RenameFlags::NOREPLACE).map_err(
            |e| match e {
                rustix::io::Errno::EXIST => changed_during_build(out.shown(folder)),
                e => Error::io("create", &out.shown(folder), e.into()),
            },
        )?;
        steps.push(Step::MovedFolder(folder.clone()));
        kill_point(1);
    }
    record.folders.extend(journal.made.iter().cloned());
    let in_new_folder = |path: &str| {
        journal
            .new_folders
            .iter()
            .any(|f| path.starts_with(f.as_str()) && path[f.len()..].starts_with('/'))
    };
    let (whole, single): (Vec<&Placement>, Vec<&Placement>) =
        journal.places.iter().partition(|p| in_new_folder(&p.path));
    for place in whole {
        record.files.insert(
            place.path.clone(),
            WrittenFile {
                hash: place.hash.clone(),
                stamp: place.stamp,
            },
        );
    }
    // The other new files go in on every core, a block of paths per task (each with its
    // own open folders); every step taken is returned, so that a failure undoes them all.
    let placed: Vec<PlacedBlock> = single
        .par_chunks(256)
        .map(|block| {
            let mut done = PlacedBlock::default();
            let (mut outside, mut inside) = (out.walker(), tree.walker());
            for place in block {
                match place_one(out, &mut outside, &mut inside, place, &mut done.steps) {
                    Ok(stamp) => done.stamps.push((place.path.clone(), stamp)),
                    Err(error) => {
                        done.error = Some(error);
                        break;
                    }
                }
            }
            done
        })
        .collect();
    let mut failed = None;
    let hashes: BTreeMap<&str, &str> = journal
        .places
        .iter()
        .map(|p| (p.path.as_str(), p.hash.as_str()))
        .collect();
    for block in placed {
        steps.extend(block.steps);
        for (path, stamp) in block.stamps {
            let hash = hashes[path.as_str()].to_string();
            record.files.insert(path, WrittenFile { hash, stamp });
        }
        failed = failed.or(block.error);
    }
    match failed {
        Some(error) => Err(error),
        None => Ok(record),
    }
}

/// What one task of the swap did: its steps, the new files' stamps, and the error that
/// stopped it.
#[derive(Default)]
struct PlacedBlock {
    steps: Vec<Step>,
    stamps: Vec<(String, Stamp)>,
    error: Option<Error>,
}

/// Puts one staged file in place, pushing the step taken to `steps` (to be undone with
/// the others if anything fails); returns the file's new stamp.
fn place_one(
    out: &OutputDir,
    outside: &mut super::dir::FolderWalker<'_>,
    inside: &mut super::dir::FolderWalker<'_>,
    place: &Placement,
    steps: &mut Vec<Step>,
) -> Result<Stamp> {
    let (folder, name) = split(&place.path);
    let shown = || out.shown(&place.path);
    let from = inside
        .open(folder, None)
        .map_err(|e| Error::io("read", &shown(), e))?;
    let dir = outside
        .open(folder, None)
        .map_err(|e| folder_error(out, folder, e))?;
    let (folder, name_owned) = (folder.to_string(), name.to_string());
    match place.replaces {
        None => {
            sys::renameat_with(from, name, dir, name, RenameFlags::NOREPLACE).map_err(
                |e| match e {
                    rustix::io::Errno::EXIST => changed_during_build(shown()),
                    e => Error::io("create", &shown(), e.into()),
                },
            )?;
            steps.push(Step::Moved {
                folder,
                name: name_owned,
            });
        }
        Some(expected) => {
            sys::renameat_with(from, name, dir, name, RenameFlags::EXCHANGE)
                .map_err(|e| Error::io("replace", &shown(), e.into()))?;
            steps.push(Step::Exchanged {
                folder,
                name: name_owned,
            });
            // What went out must be the file checked when the build began.
            match entry_in(from, name) {
                Ok(Entry::File(old)) if old.same_bytes_as(&expected) => {}
                _ => return Err(changed_during_build(shown())),
            }
        }
    }
    kill_point(1);
    match entry_in(dir, name) {
        Ok(Entry::File(stamp)) => Ok(stamp),
        _ => Err(changed_during_build(shown())),
    }
}

/// The kill test's hook. With `LECTERN_KILL_IN_SWAP=N` in its environment, lectern kills
/// itself with SIGKILL once the swap has taken N renames (0: right after the journal is
/// written), so the test lands a kill at a chosen step of the swap on any machine, however
/// fast its disk. Unset, each call is one atomic add. `renames` is how many were just taken.
fn kill_point(renames: usize) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::OnceLock;
    static LIMIT: OnceLock<Option<usize>> = OnceLock::new();
    static TAKEN: AtomicUsize = AtomicUsize::new(0);
    let limit = LIMIT.get_or_init(|| std::env::var("LECTERN_KILL_IN_SWAP").ok()?.parse().ok());
    if let Some(limit) = *limit {
        if TAKEN.fetch_add(renames, Ordering::SeqCst) + renames >= limit {
            let _ = rustix::process::kill_process(
                rustix::process::getpid(),
                rustix::process::Signal::KILL,
            );
        }
    }
}

impl Moves<'_> {
    /// Undoes one step: each is one rename, undone by the rename the other way (or the
    /// same exchange again), or a folder removed, made again.
    fn undo(&self, step: Step) -> io::Result<()> {
        let (out, tree) = (self.out, self.tree);
        match step {
            Step::Moved { folder, name } => {
                let (to, from) = (tree.folder(&folder, None)?, out.folder(&folder, None)?);
                sys::renameat_with(
                    &from,
                    name.as_str(),
                    &to,
                    name.as_str(),
                    RenameFlags::NOREPLACE,
                )?;
            }
            Step::Exchanged { folder, name } => {
                let (a, b) = (tree.folder(&folder, None)?, out.folder(&folder, None)?);
                sys::renameat_with(&a, name.as_str(), &b, name.as_str(), RenameFlags::EXCHANGE)?;
            }
            Step::MovedFolder(folder) => {
                let (parent, name) = split(&folder);
                let (to, from) = (tree.folder(parent, None)?, out.folder(parent, None)?);
                sys::renameat_with(&from, name, &to, name, RenameFlags::NOREPLACE)?;
            }
            Step::MovedOut { folder, name, slot } => {
                let dir = out.folder(&folder, None)?;
                sys::renameat_with(
                    self.staging,
                    slot.as_str(),
                    &dir,
                    name.as_str(),
                    RenameFlags::NOREPLACE,
                )?;
            }
            Step::RemovedFolder(folder) => {
                let (parent, name) = split(&folder);
                let dir = out.folder(parent, None)?;
                sys::mkdirat(&dir, name, sys::Mode::from_raw_mode(0o777))?;
            }
        }
        Ok(())
    }
}

fn changed_during_build(path: std::path::PathBuf) -> Error {
    Diagnostic::in_file(
        &path,
        "this file changed while the build ran; nothing was replaced",
    )
    .with_help("build again")
    .into()
}

/// The error for a folder of the output that cannot be opened or made.
pub fn folder_error(out: &OutputDir, folder: &str, e: io::Error) -> Error {
    if super::dir::is_not_a_plain_folder(&e) {
        Diagnostic::in_file(
            &out.shown(folder),
            "the build needs a folder here, and this is a file or a link lectern did not write",
        )
        .with_help("move or rename it, or build into another folder with -o; lectern never follows links in its output")
        .into()
    } else {
        Error::io("create folder", &out.shown(folder), e)
    }
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("records are plain data")
}

/// `("blog/a", "index.html")` for `blog/a/index.html`.
pub(super) fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// `blog` and `blog/a` for `blog/a/index.html`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}
