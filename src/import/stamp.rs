//! The import stamp: lets `lectern build` skip an import that would change nothing.
//!
//! After an import, `.lectern-import.json` in the content folder records what went in (the
//! article's and the fixes file's bytes, and which lectern binary read them) and what
//! came out (each generated file's SHA-256), with the import's summary line and
//! warnings. The next build compares: when the inputs are the same and every file is
//! still exactly what the import wrote (or, for a file a person edited, as they left
//! it), the import would rewrite nothing, so it is not run. Anything else (an edit, a deleted file, a new lectern) runs the import as usual.
//! The content loader skips hidden files, so the stamp is never published.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::fixes::FIXES;
use super::{ImportOptions, ImportReport, ARTICLE};
use crate::content::CONTENT_FILE;
use crate::input;

/// The stamp's file name, in the content folder.
pub(crate) const STAMP: &str = ".lectern-import.json";

/// What a build shows of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// One line: what was imported and how many files changed.
    pub line: String,
    /// Non-fatal problems.
    pub warnings: Vec<String>,
    /// Generated files a person edited, one line each (see `ImportReport::edit_notes`).
    #[serde(default)]
    pub notes: Vec<String>,
}

impl ImportSummary {
    /// The summary of a finished import.
    pub fn of(report: &ImportReport) -> ImportSummary {
        ImportSummary {
            line: report.summary_line(),
            warnings: report.warnings().to_vec(),
            notes: report.edit_notes(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Stamp {
    input: String,
    summary: ImportSummary,
    files: Vec<StampedFile>,
}

#[derive(Serialize, Deserialize)]
struct StampedFile {
    path: String,
    sha256: String,
}

/// The summary of the last import when running it again would change nothing.
pub(crate) fn unchanged(options: &ImportOptions) -> Option<ImportSummary> {
    let path = options.into.join(STAMP);
    let bytes = input::read_file(&path, &path, &CONTENT_FILE).ok()?;
    let stamp: Stamp = serde_json::from_slice(&bytes).ok()?;
    if stamp.input != input_hash(options)? {
        return None;
    }
    // The stamp is a file in the site like any other: the files it names are read
    // only inside the import's folder, and only as content files are.
    let intact = stamp.files.iter().all(|file| {
        let path = options.into.join(&file.path);
        input::is_plain_relative(Path::new(&file.path))
            && input::read_file(&path, &path, &CONTENT_FILE)
                .is_ok_and(|bytes| sha256(&bytes) == file.sha256)
    });
    intact.then_some(stamp.summary)
}

/// The files the last import wrote, as its stamp names them (plain relative paths only);
/// none when there is no stamp.
pub(crate) fn previous_files(options: &ImportOptions) -> Vec<String> {
    let path = options.into.join(STAMP);
    let Some(stamp) = input::read_file(&path, &path, &CONTENT_FILE)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Stamp>(&bytes).ok())
    else {
        return Vec::new();
    };
    stamp
        .files
        .into_iter()
        .map(|file| file.path)
        .filter(|path| input::is_plain_relative(Path::new(path)))
        .collect()
}

/// Records an import that just finished; a stamp that cannot be written is left out
/// (the next build imports again).
pub(crate) fn record(options: &ImportOptions, report: &ImportReport) {
    let Some(input) = input_hash(options) else {
        return;
    };
    // Edited files too: the import left them alone, and leaves them alone again until
    // they change (then it runs, to say what the edit is now).
    let files: Option<Vec<StampedFile>> = report
        .files
        .iter()
        .chain(report.edited.iter().map(|file| &file.rel))
        .map(|path| {
            let path_in = options.into.join(path);
            let bytes = input::read_file(&path_in, &path_in, &CONTENT_FILE).ok()?;
            Some(StampedFile {
                path: path.clone(),
                sha256: sha256(&bytes),
            })
        })
        .collect();
    let Some(files) = files else {
        return;
    };
    let stamp = Stamp {
        input,
        summary: ImportSummary::of(report),
        files,
    };
    if let Ok(text) = serde_json::to_string_pretty(&stamp) {
        let _ = super::write::write_atomic(&options.into.join(STAMP), text.as_bytes());
    }
}

/// A hash of everything the import reads: the article, the fixes file, and the lectern
/// binary doing it (its version, and its own file's size and time, so that a rebuilt
/// lectern imports again). `None` when any of them cannot be read, or the article is
/// too large to import: then the import runs and says what is wrong.
fn input_hash(options: &ImportOptions) -> Option<String> {
    let mut hasher = Sha256::new();
    hasher.update(input::read_file(&options.source, &options.source, &ARTICLE).ok()?);
    hasher.update([0]);
    if let Some(fixes) = &options.fixes {
        hasher.update(input::read_file(fixes, fixes, &FIXES).ok()?);
    }
    hasher.update([0]);
    hasher.update(env!("CARGO_PKG_VERSION"));
    let exe: PathBuf = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(Path::new(&exe)).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    hasher.update(format!("{}:{}", meta.len(), modified.as_nanos()));
    Some(format!("sha256:{:x}", hasher.finalize()))
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}
