//! Front matter: the TOML between two `+++` lines at the top of a content file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::parse_toml;
use crate::error::{Diagnostic, Location, Result};

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
    /// Set by `lectern import` on the files it owns.
    #[serde(default)]
    pub generated: Option<GeneratedMark>,
    /// Free-form values for templates (`page.extra.*`).
    #[serde(default)]
    pub extra: toml::Table,
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
    /// The raw TOML, for pointing at a key's line.
    pub front_text_range: std::ops::Range<usize>,
}

/// Splits `text` (the contents of `path`) into front matter and body.
///
/// A file without front matter is allowed; a file whose `+++` is never closed is not.
pub fn split(path: &Path, text: &str) -> Result<SplitFile> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let Some(after_open) = strip_fence(rest) else {
        return Ok(SplitFile {
            front: FrontMatter::default(),
            body_offset: start,
            front_text_range: start..start,
        });
    };
    let front_start = text.len() - after_open.len();
    let mut offset = front_start;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let toml_text = &text[front_start..offset];
            let front: FrontMatter = parse_toml(path, toml_text, 1)?;
            return Ok(SplitFile {
                front,
                body_offset: offset + line.len(),
                front_text_range: front_start..offset,
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
}
