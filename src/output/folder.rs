//! Staging into a real output folder: one build at a time (a lock on the folder), what
//! each written file needs (left, replaced, or refused because it is a person's), the
//! swap's plan, and the staging folders an earlier lectern left beside the output.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::os::fd::{AsFd, BorrowedFd};
use std::path::Path;

use crate::error::{Diagnostic, Error, Result};

use super::dir::{Entry, OutputDir};
use super::record::{hex, WrittenFile};
use super::swap::{Journal, Placement};
use super::{dir, swap, FolderStaging, OutputPath, Plan, Replaces};

/// Notes for the staging folders that lectern before 0.1 left beside the output
/// (`.public.lectern-staging-<pid>`) when a build was killed.
///
/// They are outside the output, so lectern names them and leaves them: it deletes
/// nothing outside the output, and one of them may hold a person's files (a killed first
/// build had moved the output's `.git` into it).
pub(super) fn legacy_staging_notes(output_dir: &Path) -> Vec<String> {
    let (Some(parent), Some(name)) = (output_dir.parent(), output_dir.file_name()) else {
        return Vec::new();
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let prefix = format!(".{}.lectern-staging-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut notes: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let found = entry.file_name().to_string_lossy().into_owned();
            let pid = found.strip_prefix(&prefix)?;
            (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then(|| {
                format!(
                    "left {}: a killed build of an earlier lectern staged the site there; \
                     check it for files of yours (a `.git`), then delete it",
                    parent.join(&found).display()
                )
            })
        })
        .collect();
    notes.sort();
    notes
}

impl FolderStaging {
    /// Decides what `path` needs and, when its bytes are new, writes them to a slot of
    /// the staging folder. A file lectern cannot prove it wrote is never replaced.
    pub(super) fn stage(&self, path: &OutputPath, bytes: &[u8]) -> Result<()> {
        self.stage_known(path, &blake3::hash(bytes), || Ok(bytes.into()))
    }

    /// [`Self::stage`] for a file whose hash is known without its bytes (a photo from
    /// the image cache): `load` reads them only when the output does not already hold
    /// them, so an unchanged photo is neither read nor hashed on a rebuild.
    pub(super) fn stage_known<'b>(
        &self,
        path: &OutputPath,
        hash: &blake3::Hash,
        load: impl FnOnce() -> Result<std::borrow::Cow<'b, [u8]>>,
    ) -> Result<()> {
        let shown = self.out.shown(path.as_str());
        let hash = hex(hash);
        let read = |e| Error::io("read", &shown, e);
        let (replaces, new_folder) = match self.out.folder(path.folder(), None) {
            Ok(folder) => (self.replaces(path, folder.as_fd(), &hash)?, false),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Replaces::Nothing, true),
            Err(e) => return Err(swap::folder_error(&self.out, path.folder(), e)),
        };
        let replaces = match replaces {
            Replaces::Nothing => None,
            Replaces::File(stamp) => Some(stamp),
            Replaces::Same(file) => return self.plan(path, Plan::Keep(file)),
        };
        // The new file waits at its own path in the staging tree.
        let write = |e: std::io::Error| Error::io("write", &shown, e);
        let folder = match self.tree.folder(path.folder(), None) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.tree.make_folder(path.folder(), &mut Vec::new())
            }
            other => other,
        }
        .map_err(write)?;
        let fd = rustix::fs::openat(
            &folder,
            path.name(),
            rustix::fs::OFlags::WRONLY
                | rustix::fs::OFlags::CREATE
                | rustix::fs::OFlags::EXCL
                | rustix::fs::OFlags::NOFOLLOW
                | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::from_raw_mode(0o666),
        )
        .map_err(|e| write(e.into()))?;
        let mut file = std::fs::File::from(fd);
        file.write_all(&load()?).map_err(write)?;
        let stamp = match dir::entry_in(folder.as_fd(), path.name()).map_err(read)? {
            Entry::File(stamp) => stamp,
            _ => return Err(write(std::io::ErrorKind::NotFound.into())),
        };
        self.plan(
            path,
            Plan::Place(Placement {
                path: path.as_str().to_string(),
                hash,
                stamp,
                replaces,
                new_folder,
            }),
        )
    }

    /// What a new file with `hash` at `path` (in `folder`, open) would replace; a file
    /// lectern cannot prove it wrote is an error.
    fn replaces(&self, path: &OutputPath, folder: BorrowedFd<'_>, hash: &str) -> Result<Replaces> {
        let shown = self.out.shown(path.as_str());
        let read = |e| Error::io("read", &shown, e);
        let on_disk = || -> Result<Option<String>> {
            Ok(dir::hash_file_in(folder, path.name())
                .map_err(read)?
                .map(|h| hex(&h)))
        };
        let previous = self.previous.files.get(path.as_str());
        let same = |stamp| {
            Ok(Replaces::Same(WrittenFile {
                hash: hash.to_string(),
                stamp,
            }))
        };
        match dir::entry_in(folder, path.name()).map_err(read)? {
            Entry::Missing => Ok(Replaces::Nothing),
            Entry::File(stamp) => match previous {
                Some(mine) if mine.stamp == stamp || on_disk()?.as_ref() == Some(&mine.hash) => {
                    if mine.hash == hash {
                        return same(stamp);
                    }
                    Ok(Replaces::File(stamp))
                }
                Some(_) => Err(not_lecterns(&shown, true)),
                // The very bytes this build writes: taking the file changes nothing.
                None if on_disk()?.as_deref() == Some(hash) => same(stamp),
                None => Err(not_lecterns(&shown, false)),
            },
            Entry::Folder | Entry::Other => Err(not_lecterns(&shown, false)),
        }
    }

    fn plan(&self, path: &OutputPath, plan: Plan) -> Result<()> {
        self.plans
            .lock()
            .expect("no panics while holding the lock")
            .push((path.as_str().to_string(), plan));
        Ok(())
    }

    /// Swaps every staged file in (see [`swap`]).
    pub(super) fn swap<V>(&self, written: &BTreeMap<String, V>) -> Result<Vec<String>> {
        let mut plans = std::mem::take(&mut *self.plans.lock().expect("no panics"));
        plans.sort_by(|a, b| a.0.cmp(&b.0));
        let mut journal = Journal::default();
        for (path, plan) in plans {
            match plan {
                Plan::Keep(file) => {
                    if self.previous.files.get(&path) != Some(&file) {
                        journal.kept.insert(path, file);
                    }
                }
                Plan::Place(placement) => journal.places.push(placement),
            }
        }
        journal.stale = self
            .previous
            .files
            .iter()
            .filter(|(path, _)| !written.contains_key(*path))
            .map(|(path, file)| (path.clone(), file.clone()))
            .collect();
        if journal.places.is_empty() && journal.stale.is_empty() && journal.kept.is_empty() {
            return Ok(Vec::new());
        }
        swap::plan_new_folders(&self.out, &mut journal);
        swap::swap(
            &self.out,
            &self.staging,
            &self.tree,
            &self.state,
            &self.record_name,
            &self.previous,
            journal,
        )
    }
}

/// The error for a file at a path the build writes that lectern cannot prove it wrote.
fn not_lecterns(path: &Path, changed: bool) -> Error {
    let message = if changed {
        "this file changed since lectern wrote it, so it is yours now, and the build wants to write a file at the same place"
    } else {
        "this file was not written by lectern, and the build wants to write a file at the same place"
    };
    Diagnostic::in_file(path, message)
        .with_help("move or rename your file (or delete it to let lectern write it again), or build into another folder with -o; lectern never overwrites files it did not write")
        .into()
}

/// Takes the output folder's lock, waiting (and saying so) while another build has it.
/// The lock is the folder's own (`flock`), so it goes with the process that held it.
pub(super) fn lock(out: &OutputDir) -> Result<()> {
    use rustix::fs::{flock, FlockOperation};
    if flock(out.handle(), FlockOperation::NonBlockingLockExclusive).is_err() {
        let holder = lock_holder(out).map_or_else(String::new, |pid| format!(" (process {pid})"));
        eprintln!(
            "waiting: another lectern build{holder} is writing into {}",
            out.path().display()
        );
        flock(out.handle(), FlockOperation::LockExclusive)
            .map_err(|e| Error::io("lock", out.path(), e.into()))?;
    }
    Ok(())
}

/// The process holding the output folder's lock, from the system's list of locks
/// (Linux `/proc/locks`: `1: FLOCK ADVISORY WRITE <pid> <dev>:<inode> 0 EOF`).
fn lock_holder(out: &OutputDir) -> Option<u32> {
    let inode = rustix::fs::fstat(out.handle()).ok()?.st_ino;
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    locks.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let at = fields.iter().position(|f| *f == "FLOCK")?;
        let pid = fields.get(at + 3)?.parse().ok()?;
        let file = fields.get(at + 4)?;
        file.ends_with(&format!(":{inode}")).then_some(pid)
    })
}
