//! Carrying a person's files over from the old output into the new one, then swapping
//! the two folders in one step.

use std::collections::BTreeSet;
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
