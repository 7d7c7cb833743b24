//! After a killed build: its swap finished from the journal it wrote before the first
//! step, or, when the swap had not begun, its staging removed.

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use rustix::fs::{self as sys, AtFlags, RenameFlags};

use crate::error::{Error, Result};

use super::dir::{entry_in, hash_file_in, Entry, OutputDir, OutputPath, STAGING};
use super::record::{OutputRecord, WrittenFile};
use super::swap::{split, Journal, JOURNAL, TREE};

/// Finishes a swap that a killed build left half done: its journal is in the staging
/// folder. Each step is taken again only where it has not been: a stale file goes if
/// its bytes are still lectern's, a new file goes in (its folder made if need be) if
/// the one there is not it yet and the one it replaces is still lectern's. Returns the
/// record of the finished swap.
pub fn recover(
    out: &OutputDir,
    staging: &OwnedFd,
    previous: &OutputRecord,
) -> Result<Option<OutputRecord>> {
    let Some(journal) = read_journal(staging)? else {
        return Ok(None);
    };
    let tree = match out.folder(&format!("{STAGING}/{TREE}"), None) {
        Ok(fd) => Some(OutputDir::from_handle(fd, out.shown(STAGING).join(TREE))),
        Err(_) => None,
    };
    let mut record = OutputRecord {
        output: out.path().to_path_buf(),
        files: previous.files.clone(),
        folders: previous.folders.clone(),
    };
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
    let mut made = Vec::new();
    for place in &journal.places {
        let (folder, name) = split(&place.path);
        let is_new = |fd: BorrowedFd<'_>| -> Result<bool> {
            Ok(hash_file_in(fd, name)
                .map_err(|e| read(&place.path, e))?
                .is_some_and(|h| h.to_hex().as_str() == place.hash))
        };
        let waiting = match &tree {
            Some(tree) => match tree.folder(folder, None) {
                Ok(fd) if is_new(fd.as_fd())? => Some(fd),
                _ => None,
            },
            None => None,
        };
        let dir = match (out.folder(folder, None), &waiting) {
            (Ok(dir), _) => dir,
            (Err(_), Some(_)) => match out.make_folder(folder, &mut made) {
                Ok(dir) => dir,
                Err(_) => {
                    record.files.remove(&place.path);
                    continue;
                }
            },
            (Err(_), None) => {
                record.files.remove(&place.path);
                continue;
            }
        };
        if let (false, Some(from)) = (is_new(dir.as_fd())?, &waiting) {
            let flags = match (entry_in(dir.as_fd(), name), place.replaces) {
                (Ok(Entry::Missing), _) => Some(RenameFlags::NOREPLACE),
                (Ok(Entry::File(now)), Some(old)) if now.same_bytes_as(&old) => {
                    Some(RenameFlags::empty())
                }
                _ => None,
            };
            if let Some(flags) = flags {
                sys::renameat_with(from, name, &dir, name, flags)
                    .map_err(|e| Error::io("replace", &out.shown(&place.path), e.into()))?;
            }
        }
        match entry_in(dir.as_fd(), name) {
            Ok(Entry::File(stamp)) if is_new(dir.as_fd())? => {
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
    // The folders this swap added, as far as they are there.
    for folder in journal.made.iter().chain(&made) {
        if out.folder(folder, None).is_ok() {
            record.folders.insert(folder.clone());
        }
    }
    Ok(Some(record))
}

fn read_journal(staging: &OwnedFd) -> Result<Option<Journal>> {
    let Some(bytes) = super::dir::read_file_in(staging.as_fd(), JOURNAL)
        .map_err(|e| Error::io("read", std::path::Path::new(JOURNAL), e))?
    else {
        return Ok(None);
    };
    // A journal is written whole (renamed into place) or not at all; one whose paths
    // are not plain output paths is not lectern's, and is ignored.
    let journal: Option<Journal> = serde_json::from_slice(&bytes).ok();
    let plain = |path: &String| OutputPath::new(path).is_ok();
    Ok(journal.filter(|j| {
        j.places.iter().all(|p| plain(&p.path))
            && j.stale.iter().all(|(path, _)| plain(path))
            && j.kept.keys().all(plain)
            && j.made.iter().all(plain)
            && j.new_folders.iter().all(plain)
    }))
}

/// Removes the staging folder and everything in it: only lectern ever writes there.
/// Nothing is followed: links are removed as links.
pub fn remove_staging(out: &OutputDir) -> io::Result<()> {
    let fd = match out.folder(STAGING, None) {
        Ok(fd) => fd,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    empty_folder(fd.as_fd())?;
    sys::unlinkat(out.handle(), STAGING, AtFlags::REMOVEDIR)?;
    Ok(())
}

/// Removes everything inside the folder `dir`, depth first, never through a link.
fn empty_folder(dir: BorrowedFd<'_>) -> io::Result<()> {
    let names: Vec<std::ffi::CString> = sys::Dir::read_from(dir)?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_owned())
        .filter(|name| name.as_bytes() != b"." && name.as_bytes() != b"..")
        .collect();
    for name in names {
        if sys::unlinkat(dir, name.as_c_str(), AtFlags::empty()) == Err(rustix::io::Errno::ISDIR) {
            if let Ok(inner) = sys::openat(
                dir,
                name.as_c_str(),
                sys::OFlags::RDONLY
                    | sys::OFlags::DIRECTORY
                    | sys::OFlags::NOFOLLOW
                    | sys::OFlags::CLOEXEC,
                sys::Mode::empty(),
            ) {
                empty_folder(inner.as_fd())?;
            }
            sys::unlinkat(dir, name.as_c_str(), AtFlags::REMOVEDIR)?;
        }
    }
    Ok(())
}
