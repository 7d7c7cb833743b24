//! What a build prints when it is done: [`BuildSummary`].

use crate::import::ImportSummary;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a successful build did.
#[derive(Debug)]
pub struct BuildSummary {
    /// Documents in the site, in every edition.
    pub pages: usize,
    /// Pages rendered by this build (fewer than `pages` when a previous build's were reused).
    pub rendered_pages: usize,
    /// Files written, pages included.
    pub files: usize,
    /// Wall time of the build.
    pub elapsed: Duration,
    /// Where the site was written.
    pub output_dir: PathBuf,
    /// What the import did, when `site.toml` names an article and the import ran.
    pub import: Option<ImportSummary>,
    /// Files of the output the build left alone because they are a person's now.
    pub left: Vec<String>,
    /// What readers will see that the authors probably did not mean, each at its place
    /// (as [`crate::error::Diagnostic::as_warning`] gives it: printed after `warning: `).
    pub warnings: Vec<String>,
}

impl fmt::Display for BuildSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = std::env::current_dir()
            .ok()
            .and_then(|cwd| {
                self.output_dir
                    .strip_prefix(cwd)
                    .ok()
                    .map(Path::to_path_buf)
            })
            .unwrap_or_else(|| self.output_dir.clone());
        let shown = shown.strip_prefix(".").unwrap_or(&shown).to_path_buf();
        if let Some(report) = &self.import {
            writeln!(f, "{}", report.line)?;
            for warning in &report.warnings {
                writeln!(f, "warning: {warning}")?;
            }
            for note in &report.notes {
                writeln!(f, "note: {note}")?;
            }
        }
        for left in &self.left {
            writeln!(f, "note: {left}")?;
        }
        for warning in &self.warnings {
            writeln!(f, "warning: {warning}")?;
        }
        write!(
            f,
            "built {} in {} ms → {}/",
            crate::error::count(self.pages, "page"),
            self.elapsed.as_millis(),
            shown.display().to_string().trim_end_matches('/')
        )
    }
}
