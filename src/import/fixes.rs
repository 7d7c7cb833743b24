//! The fixes file (`sources/fixes.toml`): hand data for what no rule can infer.
//!
//! Takes the file's path and hands on validated [`Fixes`]: titles the article does
//! not contain, ASCII slugs for section pages, reference titles, and corrections of
//! garbled spans. Every correction is verified when the file is loaded: pushed
//! through the damage model it must give back the garbled text exactly, or the
//! import stops with an error pointing at the entry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::damage::{damage, Annotations};
use crate::error::{Diagnostic, Location, Result};
use crate::input::{self, Limit};

/// How the fixes file is read: a regular file, no larger than an article.
pub(crate) const FIXES: Limit = Limit {
    bytes: super::MAX_ARTICLE_BYTES,
    what: "fixes files",
    help: "the fixes file holds a few corrections: check that this is the right file",
};

/// The parsed fixes file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Fixes {
    /// The home page's title (the article has none).
    #[serde(default)]
    pub title: Option<String>,
    /// The blog section's title.
    #[serde(default)]
    pub blog_title: Option<String>,
    /// The file name (without `.md`) of the publisher's article, when the site's home
    /// page is one of its own (a memorial's landing page); without it the article is the
    /// home page (`_index.md`).
    #[serde(default)]
    pub article_page: Option<Spanned<String>>,
    /// Section heading → ASCII file name (without `.md`).
    #[serde(default)]
    pub slugs: BTreeMap<String, Spanned<String>>,
    /// Extra data about the article's reference URLs.
    #[serde(default)]
    pub references: Vec<ReferenceFix>,
    /// Text the Simplified-residue rule leaves as written (a name such as 于謙, where
    /// the rule would write 於謙).
    #[serde(default)]
    pub keep_simplified: Vec<String>,
    /// Garbled span → corrected text.
    #[serde(default)]
    pub repairs: Vec<RepairFix>,
    /// Where the file is, as the user gave it.
    #[serde(skip)]
    pub path: PathBuf,
    /// The file's text, for locating entries in warnings.
    #[serde(skip)]
    pub text: String,
}

/// Hand data about one reference URL.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReferenceFix {
    /// The URL exactly as in the article.
    pub url: String,
    /// The site-wide reference id (default: from the URL).
    #[serde(default)]
    pub id: Option<String>,
    /// The reference's title.
    #[serde(default)]
    pub title: Option<String>,
    /// Its author.
    #[serde(default)]
    pub author: Option<String>,
    /// Put the marker after the first occurrence of this text (default: by rule).
    #[serde(default)]
    pub cite_after: Option<String>,
}

/// One hand correction of a garbled span.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RepairFix {
    /// The garbled text exactly as in the article.
    pub garbled: Spanned<String>,
    /// The clean text (full-width punctuation, no annotations).
    pub corrected: String,
    /// Why this correction is right (for people; ignored by the importer, which only
    /// accepts the key).
    #[serde(default)]
    #[allow(dead_code)]
    pub note: Option<String>,
}

impl Fixes {
    /// Reads, parses and verifies a fixes file.
    pub fn load(path: &Path, table: &Annotations) -> Result<Fixes> {
        let bytes = input::read_file(path, path, &FIXES)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Diagnostic::at(
                Location::from_offset(path, &lossy, e.utf8_error().valid_up_to()),
                "the fixes file is not valid UTF-8",
            )
        })?;
        let mut fixes: Fixes = toml::from_str(&text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            Diagnostic::at(
                Location::from_offset(path, &text, offset),
                format!("the fixes file is not valid: {}", e.message()),
            )
        })?;
        fixes.path = path.to_path_buf();
        fixes.text = text;
        fixes.verify(table)?;
        Ok(fixes)
    }

    fn verify(&self, table: &Annotations) -> Result<()> {
        let mut errors = Vec::new();
        for fix in &self.repairs {
            let produced = damage(&fix.corrected, table);
            if produced != *fix.garbled.get_ref() {
                let at = self.locate(fix.garbled.span().start);
                errors.push(
                    Diagnostic::at(
                        at,
                        "this correction does not explain the garbled text: pushed through \
                         the damage model it gives something else",
                    )
                    .with_help(format!(
                        "the damage model turns `corrected` into {produced:?}"
                    ))
                    .into(),
                );
            }
        }
        let named = self
            .slugs
            .iter()
            .map(|(heading, slug)| (format!("the slug for {heading:?}"), slug));
        let article = self
            .article_page
            .iter()
            .map(|slug| ("article_page".to_string(), slug));
        for (what, slug) in named.chain(article) {
            let ok = !slug.get_ref().is_empty()
                && slug
                    .get_ref()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok {
                errors.push(
                    Diagnostic::at(
                        self.locate(slug.span().start),
                        format!("{what} must be ASCII: a-z, 0-9 and -"),
                    )
                    .into(),
                );
            }
        }
        crate::Error::from_list(errors)
    }

    /// The slug the file gives a section heading. A key matches the heading as written,
    /// or as the Simplified-residue rule writes it (a fixes file written before that
    /// rule says `為什么`; the heading now says `為什麼`).
    pub fn slug_for(&self, heading: &str) -> Option<String> {
        self.slugs
            .get(heading)
            .or_else(|| {
                self.slugs.iter().find_map(|(key, slug)| {
                    (super::residue::traditional_text(key, &self.keep_simplified) == heading)
                        .then_some(slug)
                })
            })
            .map(|slug| slug.get_ref().clone())
    }

    /// The place of byte `offset` in the fixes file.
    pub fn locate(&self, offset: usize) -> Location {
        Location::from_offset(&self.path, &self.text, offset)
    }
}
