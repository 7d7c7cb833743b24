//! Putting a finished build in place, inside the output folder, one file at a time.
//!
//! The new files wait in the output's [`STAGING`] folder, and the folders they need
//! were made while they were written. The swap writes a journal of every step it will
//! take, then moves the
//! stale files out, puts each new file in place with one rename, and last writes the
//! record of what lectern now owns. Each file is always whole: a reader (or a kill) sees
//! its old bytes or its new ones. A step that fails undoes every earlier one; a build
//! killed during the swap is finished by the next one, from the journal ([`recover`]).
//! A person's file is never moved: only files whose bytes are the ones lectern wrote.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use rayon::prelude::*;
use rustix::fs::{self as sys, AtFlags, RenameFlags};
use serde::{Deserialize, Serialize};

use super::dir::{entry_in, hash_file_in, Entry, OutputDir, OutputPath, Stamp, STAGING};
use super::record::{write_replacing, OutputRecord, StateDir, WrittenFile};
use crate::error::{Diagnostic, Error, Result};

/// The journal's name in the staging folder.
const JOURNAL: &str = "journal.json";

/// One new file waiting in the staging folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Placement {
    /// Its name in the staging folder.
    pub slot: String,
    /// Where it goes.
    pub path: String,
    /// Its hash, in hex.
    pub hash: String,
    /// The stamp of the file of lectern's it replaces, if any.
    pub replaces: Option<Stamp>,
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
    /// Folders this swap made.
    pub made: Vec<String>,
}

/// One step taken, kept so that it can be undone.
enum Step {
    /// A new file moved in from its slot.
    Moved {
        folder: String,
        name: String,
        slot: String,
    },
    /// A new file exchanged with the old one, which now sits in the slot.
    Exchanged {
        folder: String,
        name: String,
        slot: String,
    },
    /// A stale file moved out into the slot.
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

/// Swaps the staged files in and returns the new record. See the module documentation.
pub fn swap(
    out: &OutputDir,
    staging: &OwnedFd,
    state: &StateDir,
    record_name: &str,
    previous: &OutputRecord,
    journal: Journal,
) -> Result<Notes> {
    write_replacing(staging.as_fd(), JOURNAL, &to_json(&journal))
        .map_err(|e| Error::io("write", &out.shown(STAGING), e))?;
    let mut steps = Vec::new();
    let mut notes = Vec::new();
    match apply(
        out,
        staging.as_fd(),
        previous,
        &journal,
        &mut steps,
        &mut notes,
    ) {
        Ok(record) => {
            state.write(record_name, &to_json(&record))?;
            Ok(notes)
        }
        Err(error) => {
            for step in steps.into_iter().rev() {
                let _ = undo(out, staging.as_fd(), step);
            }
            remove_folders(out, &journal.made);
            let _ = sys::unlinkat(staging, JOURNAL, AtFlags::empty());
            Err(error)
        }
    }
}

fn apply(
    out: &OutputDir,
    staging: BorrowedFd<'_>,
    previous: &OutputRecord,
    journal: &Journal,
    steps: &mut Vec<Step>,
    notes: &mut Notes,
) -> Result<OutputRecord> {
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
    }
    drop(walker);
    // Folders lectern made that no new file needs, deepest first; only empty ones go.
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
    record.folders.extend(journal.made.iter().cloned());
    record.files.extend(journal.kept.clone());
    // The new files go in on every core, a block of paths per task (each with its own
    // open folders); every step taken is returned, so that a failure undoes them all.
    let placed: Vec<PlacedBlock> = journal
        .places
        .par_chunks(256)
        .map(|block| {
            let mut done = PlacedBlock::default();
            let mut walker = out.walker();
            for place in block {
                match place_one(out, staging, &mut walker, place, &mut done.steps) {
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
    staging: BorrowedFd<'_>,
    walker: &mut super::dir::FolderWalker<'_>,
    place: &Placement,
    steps: &mut Vec<Step>,
) -> Result<Stamp> {
    let (folder, name) = split(&place.path);
    let shown = || out.shown(&place.path);
    let dir = walker
        .open(folder, None)
        .map_err(|e| folder_error(out, folder, e))?;
    let step = match place.replaces {
        None => {
            sys::renameat_with(
                staging,
                place.slot.as_str(),
                dir,
                name,
                RenameFlags::NOREPLACE,
            )
            .map_err(|e| match e {
                rustix::io::Errno::EXIST => changed_during_build(shown()),
                e => Error::io("create", &shown(), e.into()),
            })?;
            Step::Moved {
                folder: folder.to_string(),
                name: name.to_string(),
                slot: place.slot.clone(),
            }
        }
        Some(expected) => {
            sys::renameat_with(
                staging,
                place.slot.as_str(),
                dir,
                name,
                RenameFlags::EXCHANGE,
            )
            .map_err(|e| Error::io("replace", &shown(), e.into()))?;
            steps.push(Step::Exchanged {
                folder: folder.to_string(),
                name: name.to_string(),
                slot: place.slot.clone(),
            });
            // What went out must be the file checked when the build began.
            match entry_in(staging, &place.slot) {
                Ok(Entry::File(old)) if old.same_bytes_as(&expected) => {}
                _ => return Err(changed_during_build(shown())),
            }
            return stamp_of(dir, name).ok_or_else(|| changed_during_build(shown()));
        }
    };
    steps.push(step);
    stamp_of(dir, name).ok_or_else(|| changed_during_build(shown()))
}

fn stamp_of(dir: BorrowedFd<'_>, name: &str) -> Option<Stamp> {
    match entry_in(dir, name) {
        Ok(Entry::File(stamp)) => Some(stamp),
        _ => None,
    }
}

fn undo(out: &OutputDir, staging: BorrowedFd<'_>, step: Step) -> io::Result<()> {
    // Each file step is one rename between the output and a slot; undone by the rename
    // the other way (or the same exchange again).
    let (folder, name, slot, back_to_slot, flags) = match step {
        Step::Moved { folder, name, slot } => (folder, name, slot, true, RenameFlags::NOREPLACE),
        Step::Exchanged { folder, name, slot } => {
            (folder, name, slot, false, RenameFlags::EXCHANGE)
        }
        Step::MovedOut { folder, name, slot } => {
            (folder, name, slot, false, RenameFlags::NOREPLACE)
        }
        Step::RemovedFolder(folder) => {
            let (parent, name) = split(&folder);
            let dir = out.folder(parent, None)?;
            sys::mkdirat(&dir, name, sys::Mode::from_raw_mode(0o777))?;
            return Ok(());
        }
    };
    let dir = out.folder(&folder, None)?;
    let (in_output, in_staging) = ((dir.as_fd(), name.as_str()), (staging, slot.as_str()));
    let ((from_dir, from), (to_dir, to)) = if back_to_slot {
        (in_output, in_staging)
    } else {
        (in_staging, in_output)
    };
    sys::renameat_with(from_dir, from, to_dir, to, flags)?;
    Ok(())
}

/// Finishes a swap that a killed build left half done: its journal is in the staging
/// folder. Each step is taken again only where it has not been: a stale file goes if
/// its bytes are still lectern's, a new file goes in if the one there is not it yet and
/// the one it replaces is still lectern's. Returns the record of the finished swap.
pub fn recover(
    out: &OutputDir,
    staging: &OwnedFd,
    previous: &OutputRecord,
) -> Result<Option<OutputRecord>> {
    let Some(journal) = read_journal(staging)? else {
        return Ok(None);
    };
    let staging = staging.as_fd();
    let mut record = OutputRecord {
        output: out.path().to_path_buf(),
        files: previous.files.clone(),
        folders: previous.folders.clone(),
    };
    record.folders.extend(journal.made.iter().cloned());
    let read = |path: &str, e| Error::io("read", &out.shown(path), e);
    for (path, file) in &journal.stale {
        record.files.remove(path);
        let (folder, name) = split(path);
        let Ok(dir) = out.folder(folder, None) else {
            continue;
        };
        let ours = hash_file_in(dir.as_fd(), name)
            .map_err(|e| read(path, e))?
            .is_some_and(|h| h.to_hex().as_str() == file.hash);
        if ours {
            sys::unlinkat(&dir, name, AtFlags::empty())
                .map_err(|e| Error::io("remove", &out.shown(path), e.into()))?;
        }
    }
    record.files.extend(journal.kept);
    for place in &journal.places {
        let (folder, name) = split(&place.path);
        let Ok(dir) = out.folder(folder, None) else {
            record.files.remove(&place.path);
            continue;
        };
        let is_new = |fd: BorrowedFd<'_>, name: &str| -> Result<bool> {
            Ok(hash_file_in(fd, name)
                .map_err(|e| read(&place.path, e))?
                .is_some_and(|h| h.to_hex().as_str() == place.hash))
        };
        if !is_new(dir.as_fd(), name)? && is_new(staging, &place.slot)? {
            let flags = match (entry_in(dir.as_fd(), name), place.replaces) {
                (Ok(Entry::Missing), _) => Some(RenameFlags::NOREPLACE),
                (Ok(Entry::File(now)), Some(old)) if now.same_bytes_as(&old) => {
                    Some(RenameFlags::empty())
                }
                _ => None,
            };
            if let Some(flags) = flags {
                sys::renameat_with(staging, place.slot.as_str(), &dir, name, flags)
                    .map_err(|e| Error::io("replace", &out.shown(&place.path), e.into()))?;
            }
        }
        match entry_in(dir.as_fd(), name) {
            Ok(Entry::File(stamp)) if is_new(dir.as_fd(), name)? => {
                record.files.insert(
                    place.path.clone(),
                    WrittenFile {
                        hash: place.hash.clone(),
                        stamp,
                    },
                );
            }
            // Not finished, and no longer lectern's to finish: the person's now.
            _ => {
                record.files.remove(&place.path);
            }
        }
    }
    Ok(Some(record))
}

fn read_journal(staging: &OwnedFd) -> Result<Option<Journal>> {
    let fd = match sys::openat(
        staging,
        JOURNAL,
        sys::OFlags::RDONLY | sys::OFlags::NOFOLLOW | sys::OFlags::CLOEXEC,
        sys::Mode::empty(),
    ) {
        Ok(fd) => fd,
        Err(rustix::io::Errno::NOENT) => return Ok(None),
        Err(e) => return Err(Error::io("read", std::path::Path::new(JOURNAL), e.into())),
    };
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut std::fs::File::from(fd), &mut bytes)
        .map_err(|e| Error::io("read", std::path::Path::new(JOURNAL), e))?;
    // A journal is written whole (renamed into place) or not at all; one whose paths
    // are not plain output paths is not lectern's, and is ignored.
    let journal: Option<Journal> = serde_json::from_slice(&bytes).ok();
    Ok(journal.filter(|j| {
        let places = j
            .places
            .iter()
            .all(|p| OutputPath::new(&p.path).is_ok() && super::dir::plain(&p.slot).is_ok());
        let stale = j
            .stale
            .iter()
            .all(|(path, _)| OutputPath::new(path).is_ok());
        let kept = j.kept.keys().all(|path| OutputPath::new(path).is_ok());
        let made = j.made.iter().all(|path| OutputPath::new(path).is_ok());
        places && stale && kept && made
    }))
}

/// Removes folders this build made (deepest first); only empty ones go.
pub fn remove_folders(out: &OutputDir, made: &[String]) {
    for folder in made.iter().rev() {
        let (parent, name) = split(folder);
        if let Ok(dir) = out.folder(parent, None) {
            let _ = sys::unlinkat(&dir, name, AtFlags::REMOVEDIR);
        }
    }
}

/// Removes the staging folder and everything in it: only lectern ever writes there.
pub fn remove_staging(out: &OutputDir) -> io::Result<()> {
    let fd = match out.folder(STAGING, None) {
        Ok(fd) => fd,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let names: Vec<std::ffi::CString> = sys::Dir::read_from(&fd)?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_owned())
        .filter(|name| name.as_bytes() != b"." && name.as_bytes() != b"..")
        .collect();
    for name in names {
        let _ = sys::unlinkat(&fd, name.as_c_str(), AtFlags::empty());
    }
    sys::unlinkat(out.handle(), STAGING, AtFlags::REMOVEDIR)?;
    Ok(())
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
fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// `blog` and `blog/a` for `blog/a/index.html`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}
