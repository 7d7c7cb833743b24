//! What lectern wrote into an output folder: each file's hash and stamp, and the
//! folders it made. Kept in the site's own `.lectern/` folder (never published, never
//! split by an odd file name: it is JSON), one record per output folder.
//!
//! A file of the output is lectern's only while its bytes are the ones recorded: a
//! stale path whose bytes changed is a person's, and stays.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};

use rustix::fs::{self as sys, Mode, OFlags};
use rustix::io::Errno;
use serde::{Deserialize, Serialize};

use super::dir::{open_folder, Stamp};
use crate::error::{Diagnostic, Error, Result};

/// The site's folder for lectern's own state (gitignored).
pub const STATE_DIR: &str = ".lectern";

/// One file lectern wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenFile {
    /// Its BLAKE3 hash, in hex.
    pub hash: String,
    /// Its stamp just after lectern put it in place.
    pub stamp: Stamp,
}

/// Everything lectern wrote into one output folder.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OutputRecord {
    /// The output folder, for a person reading the record.
    pub output: PathBuf,
    /// Every file lectern wrote there, by output path.
    pub files: BTreeMap<String, WrittenFile>,
    /// The folders lectern made there (and may remove once empty).
    pub folders: BTreeSet<String>,
}

impl OutputRecord {
    /// Drops any entry whose path is not a plain output path: the record sits in the
    /// site, where a pull request could have written it.
    fn plain_paths_only(mut self) -> OutputRecord {
        self.files
            .retain(|path, _| super::dir::OutputPath::new(path).is_ok());
        self.folders
            .retain(|path| super::dir::OutputPath::new(path).is_ok());
        self
    }
}

/// The site's `.lectern/` folder, opened without following a link; made only when a
/// build first writes a record, so that a failed first build leaves the site as it was.
pub struct StateDir {
    site: OwnedFd,
    fd: std::sync::OnceLock<OwnedFd>,
    path: PathBuf,
}

impl StateDir {
    /// Opens `.lectern/` in the site root when it exists. A link there is refused: a
    /// pull request could point it anywhere.
    pub fn open(site_root: &Path) -> Result<StateDir> {
        let path = site_root.join(STATE_DIR);
        let site = sys::open(
            site_root,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| Error::io("open", site_root, e.into()))?;
        let state = StateDir {
            site,
            fd: std::sync::OnceLock::new(),
            path,
        };
        match open_folder(state.site.as_fd(), STATE_DIR) {
            Ok(fd) => {
                let _ = state.fd.set(fd);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(state.open_error(e)),
        }
        Ok(state)
    }

    fn open_error(&self, e: std::io::Error) -> Error {
        if super::dir::is_not_a_plain_folder(&e) {
            Diagnostic::in_file(
                &self.path,
                "this is not a folder (a link?); lectern keeps its records here",
            )
            .with_help("remove it; lectern makes the folder itself")
            .into()
        } else {
            Error::io("open", &self.path, e)
        }
    }

    /// The folder's handle, made when missing.
    fn made(&self) -> Result<std::os::fd::BorrowedFd<'_>> {
        if let Some(fd) = self.fd.get() {
            return Ok(fd.as_fd());
        }
        match sys::mkdirat(&self.site, STATE_DIR, Mode::from_raw_mode(0o777)) {
            Ok(()) | Err(Errno::EXIST) => {}
            Err(e) => return Err(Error::io("create folder", &self.path, e.into())),
        }
        let fd = open_folder(self.site.as_fd(), STATE_DIR).map_err(|e| self.open_error(e))?;
        Ok(self.fd.get_or_init(|| fd).as_fd())
    }

    /// The name of the record of `output` (its canonical path's hash).
    pub fn record_name(output: &Path) -> String {
        let hash = blake3::hash(output.as_os_str().as_encoded_bytes()).to_hex();
        format!("output-{}.json", &hash[..16])
    }

    /// Reads a file of the state folder; `None` when it is missing.
    pub fn read(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let Some(dir) = self.fd.get() else {
            return Ok(None);
        };
        super::dir::read_file_in(dir.as_fd(), name)
            .map_err(|e| Error::io("read", &self.path.join(name), e))
    }

    /// Reads the record `name`; an empty one when there is none.
    pub fn read_record(&self, name: &str) -> Result<OutputRecord> {
        match self.read(name)? {
            None => Ok(OutputRecord::default()),
            Some(bytes) => serde_json::from_slice(&bytes)
                .map(OutputRecord::plain_paths_only)
                .map_err(|e| {
                    Diagnostic::in_file(
                        &self.path.join(name),
                        format!("lectern's record of its output is damaged: {e}"),
                    )
                    .with_help(
                        "delete this file and the output folder's lectern files, then build again",
                    )
                    .into()
                }),
        }
    }

    /// Replaces the file `name` in one step (a new file renamed over the old).
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        write_replacing(self.made()?, name, bytes)
            .map_err(|e| Error::io("write", &self.path.join(name), e))
    }
}

/// Writes `bytes` to `name` in `dir` through a temporary file renamed over it, so that
/// a reader (or a kill) sees the old bytes or the new, never part of them.
pub fn write_replacing(
    dir: std::os::fd::BorrowedFd<'_>,
    name: &str,
    bytes: &[u8],
) -> std::io::Result<()> {
    let temporary = format!("{name}.{}.tmp", std::process::id());
    let fd = sys::openat(
        dir,
        temporary.as_str(),
        OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o666),
    )?;
    let mut file = std::fs::File::from(fd);
    file.write_all(bytes)?;
    drop(file);
    sys::renameat(dir, temporary.as_str(), dir, name)?;
    Ok(())
}

/// The hex form of a hash, as records keep it.
pub fn hex(hash: &blake3::Hash) -> String {
    hash.to_hex().to_string()
}
