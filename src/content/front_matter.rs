//! Front matter: the TOML between two `+++` lines at the top of a content file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Location, Result};
use crate::toml_spans::{self, Spans};

/// The settings a content file gives itself.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The page's title.
    #[serde(default)]
    pub title: Option<String>,
    /// A one-sentence summary for link previews and search results.
    #[serde(default)]
    pub description: Option<String>,
    /// Position among its siblings: lower comes first.
    #[serde(default)]
    pub weight: i64,
    /// Publication date, for the feed and metadata.
    #[serde(default)]
    pub date: Option<toml::value::Datetime>,
    /// Drafts are built only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// The last part of the page's URL, instead of the file name.
    #[serde(default)]
    pub slug: Option<String>,
    /// The whole URL path, instead of the folder and slug.
    #[serde(default)]
    pub path: Option<String>,
    /// The template to render with, instead of `page.html` or `section.html`.
    #[serde(default)]
    pub template: Option<String>,
    /// Works this file declares for citation with `[^id]` anywhere in the site.
    #[serde(default)]
    pub references: Vec<ReferenceEntry>,
    /// How a section orders its children: `"weight"` (the default) or `"date"`.
    #[serde(default)]
    pub sort_by: super::tribute::SortBy,
    /// Makes the page a tribute: who wrote it (`[tribute]`, see [`super::TributeMeta`]).
    #[serde(default)]
    pub tribute: Option<super::tribute::TributeMeta>,
    /// Ends the page with the help block of `[help]` in `site.toml`, like the pages
    /// `[help] pages` names: for a page that speaks of suicide or depression.
    #[serde(default)]
    pub help: bool,
    /// Set by `lectern import` on the files it owns.
    #[serde(default)]
    pub generated: Option<GeneratedMark>,
    /// Free-form values for templates (`page.extra.*`).
    #[serde(default)]
    pub extra: toml::Table,
    /// Where each key is written, as offsets in the whole content file (not in the
    /// front matter alone): for the checks after parsing, here and in later stages.
    #[serde(skip)]
    pub spans: Spans,
}

impl FrontMatter {
    /// Byte offset in `text` (the content file) of the value at key path `key` (see
    /// [`Spans`]), else of the first of `fallbacks` that is written, else 0.
    pub fn offset_of(&self, text: &str, key: &str, fallbacks: &[&str]) -> usize {
        std::iter::once(key)
            .chain(fallbacks.iter().copied())
            .find_map(|key| self.spans.value_start(key, text))
            .unwrap_or(0)
    }
}

/// One cited work, as declared in front matter (`[[references]]`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ReferenceEntry {
    /// The key used to cite it: `[^id]`.
    pub id: String,
    /// The work's title as shown in the list.
    pub title: String,
    /// Where the work is.
    pub url: String,
    /// Who wrote it.
    #[serde(default)]
    pub author: Option<String>,
}

/// The importer's ownership mark on a file it wrote.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GeneratedMark {
    /// The article the file was generated from.
    pub source: String,
    /// A hash of what was written, to tell untouched files from edited ones.
    pub hash: String,
}

/// A content file split into its parsed front matter and its Markdown body.
#[derive(Debug)]
pub struct SplitFile {
    /// The parsed front matter (defaults when the file has none).
    pub front: FrontMatter,
    /// Byte offset where the Markdown body starts in the file's text.
    pub body_offset: usize,
}

/// Splits `text` (the contents of `path`) into front matter and body.
///
/// A file without front matter is allowed; a file whose `+++` is never closed is not.
pub fn split(path: &Path, text: &str) -> Result<SplitFile> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    refuse_other_formats(path, text, start)?;
    let Some(after_open) = strip_fence(rest) else {
        return Ok(SplitFile {
            front: FrontMatter::default(),
            body_offset: start,
        });
    };
    let front_start = text.len() - after_open.len();
    let mut offset = front_start;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let (mut front, spans): (FrontMatter, Spans) =
                toml_spans::parse(path, text, front_start..offset)?;
            front.spans = spans;
            check_values(path, text, &front)?;
            return Ok(SplitFile {
                front,
                body_offset: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::at(
        Location::from_offset(path, text, start),
        "the front matter opened here is never closed",
    )
    .with_help("end the front matter with a line that holds only `+++`")
    .into())
}

/// Front matter lectern does not read is an error, not a page that shows it as text:
/// YAML (`---` lines), and `+++` lines ended by a carriage return alone (old Mac line
/// endings), which would make the whole file one line.
fn refuse_other_formats(path: &Path, text: &str, start: usize) -> Result<()> {
    let rest = &text[start..];
    let first_line = |end: &[char]| rest.split(end).next().unwrap_or("").to_string();
    let at_start = |line_text: String| Location {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        line_text,
    };
    if let Some(after) = rest.strip_prefix("+++") {
        let after = after.trim_start_matches([' ', '\t']);
        if after.starts_with('\r') && !after.starts_with("\r\n") {
            return Err(Diagnostic::at(
                at_start(first_line(&['\r', '\n'])),
                "this file's lines end with a carriage return alone (old Mac line endings)",
            )
            .with_help("save the file with LF (or CRLF) line endings")
            .into());
        }
    }
    let mut lines = rest.lines();
    if lines.next().map(str::trim_end) == Some("---")
        && lines.next().is_some_and(|l| {
            l.split_once(':')
                .is_some_and(|(k, _)| !k.trim().is_empty() && !k.contains(' '))
        })
    {
        return Err(Diagnostic::at(
            at_start(first_line(&['\n'])),
            "this file starts with YAML front matter (`---`); lectern reads TOML front matter between `+++` lines",
        )
        .with_help("write `+++`, then the settings in TOML (title = \"…\"), then `+++`")
        .into());
    }
    Ok(())
}

/// Bidirectional embeddings, overrides and isolates: they reorder what a reader sees
/// (a title could show one name and be another), so titles may not hold them.
const BIDI_CONTROLS: &[std::ops::RangeInclusive<char>] =
    &['\u{202A}'..='\u{202E}', '\u{2066}'..='\u{2069}'];

/// Checks what TOML cannot: a `date` has a day, a title is not empty, and titles and
/// names hold no control or bidirectional override characters. `text` is the whole
/// content file.
fn check_values(path: &Path, text: &str, front: &FrontMatter) -> Result<()> {
    let at_key = |key: &str| Location::from_offset(path, text, front.offset_of(text, key, &[]));
    let mut errors: Vec<Error> = Vec::new();
    if let Some(date) = front.date {
        if date.date.is_none() {
            errors.push(
                Diagnostic::at(
                    at_key("date"),
                    format!("`date = {date}` is a time without a day"),
                )
                .with_help("write a date (2024-10-01) or a date and time (2024-10-01T12:00:00Z)")
                .into(),
            );
        }
    }
    if front.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        errors.push(
            Diagnostic::at(at_key("title"), "the title is empty")
                .with_help("write the title, or remove the line to use the file's name")
                .into(),
        );
    }
    // (key path, value) of every title and name shown on a page.
    let mut shown: Vec<(String, &str)> = Vec::new();
    shown.extend(front.title.as_deref().map(|t| ("title".to_string(), t)));
    if let Some(tribute) = &front.tribute {
        shown.push(("tribute.author".into(), &tribute.author));
        shown.extend(
            tribute
                .relation
                .as_deref()
                .map(|r| ("tribute.relation".into(), r)),
        );
        shown.extend(
            tribute
                .photo_alt
                .as_deref()
                .map(|a| ("tribute.photo_alt".into(), a)),
        );
    }
    for (index, reference) in front.references.iter().enumerate() {
        shown.push((format!("references.{index}.title"), &reference.title));
        shown.extend(
            reference
                .author
                .as_deref()
                .map(|a| (format!("references.{index}.author"), a)),
        );
    }
    for (key_path, value) in shown {
        let key = key_path.rsplit('.').next().unwrap_or(&key_path);
        let Some((index, c)) = value
            .char_indices()
            .find(|(_, c)| c.is_control() || BIDI_CONTROLS.iter().any(|r| r.contains(c)))
        else {
            continue;
        };
        let what = if c.is_control() {
            "a control character"
        } else {
            "a bidirectional override, which changes the order text is shown in"
        };
        // The character itself when the value is written out as it is.
        let offset = front
            .spans
            .char_offset(&key_path, text, value, index)
            .unwrap_or(0);
        errors.push(
            Diagnostic::at(
                Location::from_offset(path, text, offset),
                format!("`{key}` holds {what} ({})", c.escape_unicode()),
            )
            .with_help("remove it; a title or name is one line of plain text")
            .into(),
        );
    }
    Error::from_list(errors)
}

/// The text after an opening `+++` line, if `text` starts with one.
fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("+++")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "+++\ntitle = \"無處可逃\"\nweight = 2\n+++\n# Body\n";
        let split = split(Path::new("a.md"), text).unwrap();
        assert_eq!(split.front.title.as_deref(), Some("無處可逃"));
        assert_eq!(split.front.weight, 2);
        assert_eq!(&text[split.body_offset..], "# Body\n");
    }

    #[test]
    fn bad_toml_is_reported_at_the_files_line() {
        let text = "+++\ntitle = \"x\"\nweight = two\n+++\n";
        let err = split(Path::new("content/a.md"), text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("content/a.md:3:"), "{err}");
        assert!(err.contains("weight = two"), "{err}");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split(Path::new("a.md"), "+++\ntitle = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("never closed"));
    }

    #[test]
    fn unknown_front_matter_key_suggests_one() {
        let err = split(Path::new("a.md"), "+++\ntitel = \"x\"\n+++\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `title`?"), "{err}");
        assert!(err.contains("a.md:2:1"), "{err}");
    }

    #[test]
    fn values_toml_accepts_but_pages_cannot_use_are_errors() {
        let error = |text: &str| split(Path::new("a.md"), text).unwrap_err().to_string();
        assert!(error("+++\ndate = 12:00:00\n+++\n").contains("a.md:2:8"));
        // The reference's author, not the tribute's (or a comment's) `author` above it.
        let err = error(
            "+++\n# author = \"x\u{202e}\"\n[tribute]\nauthor = \"T\"\n[[references]]\nid = \"r\"\ntitle = \"R\"\nurl = \"https://x.org\"\nauthor = \"Ab\u{202e}c\"\n+++\n",
        );
        assert!(err.contains("a.md:9:13"), "{err}");
        assert!(error("+++\ntitle = \"\"\n+++\n").contains("the title is empty"));
        assert!(error("+++\ntitle = \"a\\u0000\"\n+++\n").contains("control character"));
        assert!(error("+++\ntitle = \"a\u{2066}b\"\n+++\n").contains("a.md:2:11"));
        assert!(error("---\ntitle: x\n---\n").contains("YAML"));
        assert!(error("+++\rtitle = \"x\"\r+++\r").contains("carriage return alone"));
        // A date, or a date and time, is fine; so is a page that starts with a rule.
        assert!(split(Path::new("a.md"), "+++\ndate = 2024-10-01T12:00:00\n+++\n").is_ok());
        assert!(split(Path::new("a.md"), "---\n\nText.\n").is_ok());
    }
}
