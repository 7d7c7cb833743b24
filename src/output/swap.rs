//! Putting a finished build in place of the old output, in one of two ways:
//!
//! - [`carry_over_and_swap`], for a first build into a folder: a person's files are
//!   carried over into the new tree, then the two folders are swapped in one step;
//! - [`update_in_place`], for a rebuild over output lectern owns: only the changed files
//!   are swapped in, each in one step, with every step journaled so a failure part-way
//!   puts each file back and leaves the old output as it was.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use super::{owned_files, MANIFEST};
use crate::error::{Diagnostic, Error, Result};

/// Moves every file the previous build did not write from `output` into `staging`,
/// then exchanges the folders and removes the old tree (now only lectern's files).
///
/// A file the person wrote at a path the new build also writes stops the build:
/// nothing is moved or replaced in that case.
pub fn carry_over_and_swap(
    output: &Path,
    staging: &Path,
    new_files: &BTreeSet<String>,
) -> Result<()> {
    if !output.exists() {
        return std::fs::rename(staging, output).map_err(|e| Error::io("create", output, e));
    }
    let owned = owned_files(output);
    let mut moves = Vec::new();
    collect_unowned(output, "", &owned, staging, new_files, &mut moves)?;
    let mut done: Vec<&(PathBuf, PathBuf)> = Vec::new();
    for m in &moves {
        let (from, to) = m;
        let result = to
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::rename(from, to));
        if let Err(e) = result {
            for (from, to) in done.into_iter().rev() {
                let _ = std::fs::rename(to, from);
            }
            return Err(Error::io("move", from, e));
        }
        done.push(m);
    }
    exchange(output, staging).map_err(|e| Error::io("replace", output, e))?;
    // `staging` now holds the previous build's own files: safe to remove.
    std::fs::remove_dir_all(staging).map_err(|e| Error::io("remove", staging, e))
}

/// One step of [`update_in_place`], kept so that it can be undone.
enum Step {
    /// Two files swapped places (undone by swapping them back).
    Exchanged(PathBuf, PathBuf),
    /// A file or folder moved from the first path to the second.
    Moved(PathBuf, PathBuf),
    /// A folder made in the output for a new file.
    MadeDir(PathBuf),
    /// A folder of the output removed once the stale files in it had gone.
    RemovedDir(PathBuf),
}

/// Swaps this build's changed files (those in `written` but not `unchanged`, waiting in
/// `staging`) into `output`, moves the previous build's files it no longer writes out
/// of it, and replaces the manifest, which `staging` already holds.
///
/// Nothing moves until every new path is known to be free: a file or link the person
/// made where the build wants to write stops it, as in [`carry_over_and_swap`].
pub fn update_in_place(
    output: &Path,
    staging: &Path,
    written: &BTreeSet<String>,
    unchanged: &BTreeSet<String>,
    owned: &BTreeSet<String>,
) -> Result<()> {
    let changed: Vec<&String> = written.iter().filter(|p| !unchanged.contains(*p)).collect();
    for path in &changed {
        check_free(output, path, owned)?;
    }
    let mut journal = Vec::new();
    if let Err((doing, path, e)) = apply(output, staging, written, &changed, owned, &mut journal) {
        for step in journal.into_iter().rev() {
            let _ = undo(step);
        }
        return Err(Error::io(doing, &path, e));
    }
    // `staging` now holds the replaced and stale files of the previous build.
    std::fs::remove_dir_all(staging).map_err(|e| Error::io("remove", staging, e))
}

/// A failed step: what it was doing, to which path.
type Failed = (&'static str, PathBuf, io::Error);

fn apply(
    output: &Path,
    staging: &Path,
    written: &BTreeSet<String>,
    changed: &[&String],
    owned: &BTreeSet<String>,
    journal: &mut Vec<Step>,
) -> std::result::Result<(), Failed> {
    // Stale files first: a new page may need the path of an old file's folder.
    let mut emptied = BTreeSet::new();
    for path in owned.iter().filter(|p| !written.contains(*p)) {
        let from = output.join(path);
        if std::fs::symlink_metadata(&from).is_err() {
            continue; // removed by hand since: nothing to do
        }
        let to = staging.join(path);
        to.parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::rename(&from, &to))
            .map_err(|e| ("remove", from.clone(), e))?;
        journal.push(Step::Moved(from, to));
        let mut dir = Path::new(path.as_str()).parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
            emptied.insert(d.to_path_buf());
            dir = d.parent();
        }
    }
    // Deepest folders first; a folder that still holds anything stays.
    for dir in emptied.iter().rev() {
        let full = output.join(dir);
        if std::fs::remove_dir(&full).is_ok() {
            journal.push(Step::RemovedDir(full));
        }
    }
    for path in changed.iter().map(|p| p.as_str()).chain([MANIFEST]) {
        let (new, old) = (staging.join(path), output.join(path));
        if std::fs::symlink_metadata(&old).is_ok() {
            exchange(&new, &old).map_err(|e| ("replace", old.clone(), e))?;
            journal.push(Step::Exchanged(new, old));
        } else {
            make_parents(output, path, journal).map_err(|e| ("create", old.clone(), e))?;
            std::fs::rename(&new, &old).map_err(|e| ("create", old.clone(), e))?;
            journal.push(Step::Moved(new, old));
        }
    }
    Ok(())
}

/// Makes the missing folders above `path` in `output`, journaled.
fn make_parents(output: &Path, path: &str, journal: &mut Vec<Step>) -> io::Result<()> {
    let mut missing = Vec::new();
    let mut dir = Path::new(path).parent();
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
        if output.join(d).is_dir() {
            break;
        }
        missing.push(output.join(d));
        dir = d.parent();
    }
    for dir in missing.into_iter().rev() {
        std::fs::create_dir(&dir)?;
        journal.push(Step::MadeDir(dir));
    }
    Ok(())
}

fn undo(step: Step) -> io::Result<()> {
    match step {
        Step::Exchanged(a, b) => exchange(&a, &b),
        Step::Moved(from, to) => std::fs::rename(to, from),
        Step::MadeDir(dir) => std::fs::remove_dir(dir),
        Step::RemovedDir(dir) => std::fs::create_dir(dir),
    }
}

/// A changed file may replace only a file lectern wrote, and a new one may not sit on or
/// under anything the person made (a file, a link) except real folders.
fn check_free(output: &Path, path: &str, owned: &BTreeSet<String>) -> Result<()> {
    let conflict = |at: &Path| -> Error {
        Diagnostic::in_file(
            at,
            "this file was not written by lectern, and the build wants to write a file at the same place",
        )
        .with_help("move or rename your file, or build into another folder with -o; lectern never overwrites files it did not write")
        .into()
    };
    let full = output.join(path);
    match std::fs::symlink_metadata(&full) {
        Ok(meta) if meta.is_dir() || !owned.contains(path) => return Err(conflict(&full)),
        _ => {}
    }
    let mut dir = Path::new(path).parent();
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
        let at = output.join(d);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if !meta.is_dir() => {
                // An old page of lectern's where a folder is now needed moves out first.
                let d = d.to_string_lossy();
                if !owned.contains(d.as_ref()) {
                    return Err(conflict(&at));
                }
            }
            _ => {}
        }
        dir = d.parent();
    }
    Ok(())
}

/// Finds what to carry over, moving whole folders where lectern owns nothing inside.
fn collect_unowned(
    output: &Path,
    relative: &str,
    owned: &BTreeSet<String>,
    staging: &Path,
    new_files: &BTreeSet<String>,
    moves: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<()> {
    let dir = output.join(relative);
    let entries = std::fs::read_dir(&dir).map_err(|e| Error::io("read", &dir, e))?;
    let mut names: Vec<String> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read", &dir, e))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    for name in names {
        let path = if relative.is_empty() {
            name.clone()
        } else {
            format!("{relative}/{name}")
        };
        if path == MANIFEST || owned.contains(&path) {
            continue;
        }
        let full = output.join(&path);
        let is_dir = std::fs::symlink_metadata(&full).is_ok_and(|m| m.is_dir());
        let prefix = format!("{path}/");
        let touches_owned = owned
            .range(prefix.clone()..)
            .next()
            .is_some_and(|p| p.starts_with(&prefix));
        let touches_new = new_files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|p| p.starts_with(&prefix));
        if is_dir && (touches_owned || touches_new) {
            collect_unowned(output, &path, owned, staging, new_files, moves)?;
            continue;
        }
        if new_files.contains(&path) || (is_dir && staging.join(&path).exists()) {
            return Err(Diagnostic::in_file(
                &full,
                "this file was not written by lectern, and the build wants to write a file at the same place",
            )
            .with_help("move or rename your file, or build into another folder with -o; lectern never overwrites files it did not write")
            .into());
        }
        moves.push((full, staging.join(&path)));
    }
    Ok(())
}

/// Swaps two folders in one step where the system allows it (Linux `renameat2`).
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(a.as_os_str().as_bytes())?;
        let cb = CString::new(b.as_os_str().as_bytes())?;
        // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves them as given.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        if !matches!(
            error.raw_os_error(),
            Some(libc::EINVAL) | Some(libc::ENOSYS)
        ) {
            return Err(error);
        }
    }
    // Two renames: the output folder is missing for an instant, never half-written.
    let aside = a.with_extension("lectern-old");
    std::fs::rename(a, &aside)?;
    if let Err(e) = std::fs::rename(b, a) {
        let _ = std::fs::rename(&aside, a);
        return Err(e);
    }
    std::fs::rename(&aside, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                (rel, std::fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn a_step_that_fails_puts_every_earlier_one_back() {
        let temp = tempfile::tempdir().unwrap();
        let (output, staging) = (temp.path().join("out"), temp.path().join("staging"));
        write(&output.join("a/index.html"), "old a");
        write(&output.join("gone/index.html"), "old gone");
        write(&output.join("mine.txt"), "the person's");
        write(&output.join(MANIFEST), "a/index.html\ngone/index.html\n");
        let before = tree(&output);
        // The new build changes a/, adds new/, and drops gone/; the file for z/ has
        // vanished from staging, so its step fails after all the others.
        write(&staging.join("a/index.html"), "new a");
        write(&staging.join("new/index.html"), "new");
        write(
            &staging.join(MANIFEST),
            "a/index.html\nnew/index.html\nz/index.html\n",
        );
        let written: BTreeSet<String> = ["a/index.html", "new/index.html", "z/index.html"]
            .map(String::from)
            .into();
        let owned: BTreeSet<String> = ["a/index.html", "gone/index.html"].map(String::from).into();
        let result = update_in_place(&output, &staging, &written, &BTreeSet::new(), &owned);
        assert!(result.is_err());
        assert_eq!(tree(&output), before);
        assert!(
            !output.join("new").exists(),
            "folders made for the build are removed"
        );

        // With the file back, the same update goes through.
        write(&staging.join("z/index.html"), "z");
        update_in_place(&output, &staging, &written, &BTreeSet::new(), &owned).unwrap();
        let after: Vec<String> = tree(&output).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            after,
            [
                MANIFEST,
                "a/index.html",
                "mine.txt",
                "new/index.html",
                "z/index.html"
            ]
        );
        assert!(!output.join("gone").exists());
        assert!(!staging.exists());
    }
}
