//! Errors that reach the user: every one names the file, and where the input has a
//! place to point at, the line and column, and shows that line.
//!
//! A [`Diagnostic`] is the single shape of a user-facing problem; [`Error`] wraps it
//! together with I/O failures (which always carry their path) and lists of problems
//! found in one pass (so a build reports every broken link, not just the first).

use std::fmt;
use std::path::{Path, PathBuf};

/// The result type of every fallible lectern function.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A place in a text file: 1-based line and column (in characters), plus the line itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user would type it (relative to the site root when possible).
    pub path: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters, not bytes.
    pub column: usize,
    /// The text of that line, without its line ending.
    pub line_text: String,
}

impl Location {
    /// Locates byte offset `offset` of `text`, which is the content of `path`.
    pub fn from_offset(path: &Path, text: &str, offset: usize) -> Location {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[..line_start].matches('\n').count() + 1;
        let column = text[line_start..offset].chars().count() + 1;
        Location {
            path: path.to_path_buf(),
            line,
            column,
            line_text: text[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
        }
    }

    /// Locates 1-based `line` and `column` of `text`, the content of `path`.
    pub fn from_line_column(path: &Path, text: &str, line: usize, column: usize) -> Location {
        let line_text = text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string();
        Location {
            path: path.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
            line_text,
        }
    }
}

/// One problem, worded for the person who has to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where it is, when the problem has a place in a file.
    pub location: Option<Location>,
    /// The file concerned, when there is no line to point at.
    pub path: Option<PathBuf>,
    /// How to fix it, when lectern can tell.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem at a place in a file.
    pub fn at(location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            location: Some(location),
            path: None,
            help: None,
        }
    }

    /// A problem with a whole file.
    pub fn in_file(path: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            location: None,
            path: Some(path.to_path_buf()),
            help: None,
        }
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
}

impl Diagnostic {
    /// The diagnostic as one of a list of warnings, whose printer writes `warning: `
    /// before each: as it shows alone, place and help included, without `error: `.
    pub fn as_warning(&self) -> String {
        let mut text = String::new();
        let _ = self.write(&mut text);
        text
    }

    /// Writes the message, then where it is and the help, each on lines of their own.
    fn write(&self, f: &mut impl fmt::Write) -> fmt::Result {
        writeln!(f, "{}", terminal_safe(&self.message))?;
        if let Some(loc) = &self.location {
            let number = loc.line.to_string();
            let pad = " ".repeat(number.len());
            writeln!(
                f,
                "{pad}--> {}:{}:{}",
                terminal_safe(&loc.path.display().to_string()),
                loc.line,
                loc.column
            )?;
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {}", terminal_safe(&loc.line_text))?;
            // The caret goes under the column as the line is shown: wide (CJK)
            // characters take two columns, an escaped one its escape's width, and a tab
            // is copied so the terminal moves as far as it did above.
            let mut caret_pad = String::new();
            for c in loc.line_text.chars().take(loc.column.saturating_sub(1)) {
                if c == '\t' {
                    caret_pad.push('\t');
                } else {
                    caret_pad.extend(std::iter::repeat_n(' ', shown_width(c)));
                }
            }
            write!(f, "{pad} | {caret_pad}^")?;
        } else if let Some(path) = &self.path {
            write!(f, "  --> {}", terminal_safe(&path.display().to_string()))?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {}", terminal_safe(help))?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: ")?;
        self.write(f)
    }
}

/// Whether `c` must not reach a terminal as it is: control characters other than tab
/// (an ESC sequence in a file could retitle or clear the author's terminal) and
/// bidirectional overrides (which reorder what the line appears to say).
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `text` with every character [`needs_escape`] names written as `\u{1b}`.
pub(crate) fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if needs_escape(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// How many terminal columns `c` takes as [`terminal_safe`] shows it.
fn shown_width(c: char) -> usize {
    if needs_escape(c) {
        c.escape_unicode().count()
    } else {
        display_width(c)
    }
}

/// Terminal width of a character: 2 for East Asian wide and full-width forms.
fn display_width(c: char) -> usize {
    let c = c as u32;
    let wide = (0x1100..=0x115F).contains(&c)
        || (0x2E80..=0xA4CF).contains(&c)
        || (0xAC00..=0xD7A3).contains(&c)
        || (0xF900..=0xFAFF).contains(&c)
        || (0xFE30..=0xFE4F).contains(&c)
        || (0xFF00..=0xFF60).contains(&c)
        || (0xFFE0..=0xFFE6).contains(&c)
        || (0x20000..=0x3FFFD).contains(&c);
    if wide {
        2
    } else {
        1
    }
}

/// Everything that can go wrong in lectern.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem in the user's input, with its place.
    #[error("{0}")]
    Input(Box<Diagnostic>),
    /// Several input problems found in one pass.
    #[error("{}", join_errors(.0))]
    Many(Vec<Error>),
    /// The tables that convert text into an edition's script could not be loaded: a
    /// fault in lectern, reported at the edition's entry in `site.toml`.
    #[error("{diagnostic}")]
    ConversionTables {
        /// The problem, at the edition's place in `site.toml`.
        diagnostic: Box<Diagnostic>,
        /// Why the tables did not load.
        cause: String,
    },
    /// Reading or writing a file failed.
    #[error("error: cannot {action} {}: {source}", terminal_safe(&.path.display().to_string()))]
    Io {
        /// What lectern was doing ("read", "write", "create folder" …).
        action: &'static str,
        /// The file or folder concerned.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

/// `n` with `noun` (a regular English noun) in the number it takes: `1 problem`,
/// `2 problems`, `0 problems`. Every count lectern prints goes through it.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn join_errors(errors: &[Error]) -> String {
    let mut text = errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n\n");
    text.push_str(&format!("\n\n{}", count(errors.len(), "error")));
    text
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Error {
        Error::Input(Box::new(d))
    }
}

impl Error {
    /// Wraps an I/O error with what was being done to which path.
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// Collapses a list of errors: none is `Ok`, one is itself, more are [`Error::Many`].
    pub fn from_list(mut errors: Vec<Error>) -> Result<()> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.pop().expect("one error")),
            _ => Err(Error::Many(errors)),
        }
    }

    /// Every value, or every error at once (see [`Error::from_list`]): so that one
    /// broken document hides no other's problem.
    pub fn collect_all<T>(results: impl IntoIterator<Item = Result<T>>) -> Result<Vec<T>> {
        let mut values = Vec::new();
        let mut errors = Vec::new();
        for result in results {
            match result {
                Ok(value) => values.push(value),
                Err(error) => errors.push(error),
            }
        }
        Error::from_list(errors)?;
        Ok(values)
    }

    /// The diagnostics inside this error, flattened (I/O errors have none).
    pub fn diagnostics(&self) -> Vec<&Diagnostic> {
        match self {
            Error::Input(d) => vec![d],
            Error::Many(list) => list.iter().flat_map(Error::diagnostics).collect(),
            Error::ConversionTables { diagnostic, .. } => vec![diagnostic],
            Error::Io { .. } => Vec::new(),
        }
    }
}

/// File helpers that put the path into every error.
pub mod fs {
    use super::{Error, Result};
    use std::path::Path;

    /// Reads a whole file as bytes.
    pub fn read(path: &Path) -> Result<Vec<u8>> {
        std::fs::read(path).map_err(|e| Error::io("read", path, e))
    }

    /// Writes a whole file, creating its parent folders.
    pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
        if let Some(parent) = path.parent() {
            create_dir_all(parent)?;
        }
        std::fs::write(path, bytes).map_err(|e| Error::io("write", path, e))
    }

    /// Creates a folder and its parents.
    pub fn create_dir_all(path: &Path) -> Result<()> {
        std::fs::create_dir_all(path).map_err(|e| Error::io("create folder", path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_characters_not_bytes() {
        let text = "一\n菲利克斯 = x\n";
        let offset = text.find('=').unwrap();
        let loc = Location::from_offset(Path::new("a.md"), text, offset);
        assert_eq!((loc.line, loc.column), (2, 6));
        assert_eq!(loc.line_text, "菲利克斯 = x");
    }

    #[test]
    fn diagnostic_shows_file_line_and_caret_under_wide_text() {
        let loc = Location::from_line_column(Path::new("c/x.md"), "a\n漢字 bad\n", 2, 4);
        let shown = Diagnostic::at(loc, "oops").with_help("fix it").to_string();
        assert!(shown.contains("--> c/x.md:2:4"), "{shown}");
        assert!(shown.contains("2 | 漢字 bad"), "{shown}");
        // two wide characters and a space: five columns before the caret
        assert!(shown.contains("  |      ^"), "{shown}");
        assert!(shown.contains("help: fix it"));
    }

    #[test]
    fn control_characters_from_the_input_never_reach_the_terminal() {
        let text = "title = \"\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}x\"\t= y\n";
        let column = text
            .chars()
            .collect::<Vec<_>>()
            .iter()
            .rposition(|&c| c == '=')
            .unwrap()
            + 1;
        let loc = Location::from_line_column(Path::new("a\u{1b}.md"), text, 1, column);
        let shown = Diagnostic::at(loc, "bad `\u{1b}[31m`")
            .with_help("x\u{9b}y")
            .to_string();
        assert!(
            !shown.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}']),
            "{shown:?}"
        );
        assert!(
            shown.contains(r"\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}x"),
            "{shown}"
        );
        assert!(shown.contains("a\\u{1b}.md:1:"), "{shown}");
        assert!(shown.contains("bad `\\u{1b}[31m`"), "{shown}");
        // The tab is kept, and the caret still sits under the `=` after it.
        let lines: Vec<&str> = shown.lines().collect();
        let source = lines[3].split_once(" | ").unwrap().1;
        let caret = lines[4].split_once(" | ").unwrap().1;
        assert_eq!(
            caret.find('^').unwrap(),
            source.find("\t=").unwrap() + 1,
            "{shown}"
        );
    }
}
