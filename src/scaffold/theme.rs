//! `lectern theme export`: the built-in theme's templates and static files, copied into
//! a site to start a theme of its own from (as a Zola user starts from a theme's files).
//! A file of the same name in `templates/` or `static/` replaces the built-in one, so
//! the site builds the same until a copy is edited.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::render::theme::{STATIC_FILES, TEMPLATES};

/// What an export did: the files it wrote, and the ones already there, left as they are.
#[derive(Debug, Default)]
pub struct ThemeExport {
    /// Files written, relative to the site.
    pub written: Vec<PathBuf>,
    /// Files the site has already: never overwritten.
    pub kept: Vec<PathBuf>,
}

/// Copies every built-in template into `root/templates/` and every built-in static file
/// into `root/static/`, leaving any file the site already has.
pub fn export_theme(root: &Path) -> Result<ThemeExport> {
    if !root.join("site.toml").is_file() {
        return Err(Diagnostic::in_file(
            &root.join("site.toml"),
            "there is no site.toml here: the theme is exported into a site",
        )
        .with_help("run it in the site's folder, or pass --root DIR")
        .into());
    }
    let mut export = ThemeExport::default();
    for (folder, files) in [("templates", TEMPLATES), ("static", STATIC_FILES)] {
        let dir = root.join(folder);
        // A folder that is a link could lead the copies out of the site.
        match std::fs::symlink_metadata(&dir) {
            Ok(meta) if !meta.is_dir() => {
                return Err(Diagnostic::in_file(
                    &PathBuf::from(folder),
                    format!(
                        "{folder} is not a folder (a link, or a file): nothing was written into it"
                    ),
                )
                .into())
            }
            Ok(_) => {}
            Err(_) => std::fs::create_dir(&dir).map_err(|e| Error::io("create folder", &dir, e))?,
        }
        for (name, text) in files {
            let shown = Path::new(folder).join(name);
            // `create_new` never follows a link and never replaces a file.
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(dir.join(name))
            {
                Ok(mut file) => {
                    file.write_all(text.as_bytes())
                        .map_err(|e| Error::io("write", &shown, e))?;
                    export.written.push(shown);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => export.kept.push(shown),
                Err(e) => return Err(Error::io("create", &shown, e)),
            }
        }
    }
    Ok(export)
}

impl std::fmt::Display for ThemeExport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exported the built-in theme: {} written",
            crate::error::count(self.written.len(), "file")
        )?;
        if !self.kept.is_empty() {
            let kept: Vec<String> = self.kept.iter().map(|p| p.display().to_string()).collect();
            write!(f, "; kept the site's own {}", kept.join(", "))?;
        }
        write!(
            f,
            "\nedit them in templates/ and static/: a file there replaces the built-in one of the same name"
        )
    }
}
