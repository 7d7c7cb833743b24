//! Tributes: pages whose front matter has a `[tribute]` table, words someone wrote in
//! memory of the person. Each is one Markdown file, usually in `content/tributes/`,
//! shown in full and in date order on its section's page (see `sort_by = "date"`).

use serde::{Deserialize, Serialize};

use super::{DocId, DocKind, Document, Site};
use crate::error::{Diagnostic, Error, Location, Result};

/// The template that marks a section as the site's tributes section.
pub const TRIBUTES_TEMPLATE: &str = "tributes.html";

/// The start of the placeholder paragraph `lectern new-tribute` writes ("Write your
/// tribute here, in Markdown. …"): a tribute that still holds it was never written, and
/// the build refuses it.
pub const PLACEHOLDER: &str = "Write your tribute here";

/// `[tribute]` in a page's front matter: who wrote it, and where it first appeared.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TributeMeta {
    /// The name of the person who wrote it, as they want it shown.
    pub author: String,
    /// Where the tribute first appeared, or the author's page (`http://` or `https://`).
    #[serde(default)]
    pub link: Option<String>,
    /// How the author knew the person, e.g. "colleague at DeepMind".
    #[serde(default)]
    pub relation: Option<String>,
    /// A photo shown with the tribute: a JPEG or PNG beside the file (`photo.jpg`) or in
    /// `static/` (`/img/photo.jpg`), published like every photo.
    #[serde(default)]
    pub photo: Option<String>,
    /// What the photo shows, for readers who cannot see it: required with `photo`.
    #[serde(default)]
    pub photo_alt: Option<String>,
}

/// How a section orders its pages and subsections (`sort_by` in its front matter).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// By `weight`, then file name (the default).
    #[default]
    Weight,
    /// By `date`, oldest first, then `weight` and file name; undated documents last.
    Date,
}

/// The offset in `doc.text` of the value at key path `key`, else of the `[tribute]`
/// table (its header, or its `{` when inline).
fn offset_of(doc: &Document, key: &str) -> usize {
    doc.front.offset_of(&doc.text, key, &["tribute"])
}

/// Checks what TOML alone cannot: a tribute is a dated page with a name, a web link and
/// words of its own (not [`PLACEHOLDER`]).
/// `unsafe_html` is the site's `markdown.unsafe_html` (see [`crate::address::check_url`]).
pub fn check_tribute(doc: &Document, unsafe_html: bool) -> Result<()> {
    let Some(tribute) = &doc.front.tribute else {
        return Ok(());
    };
    let at = |offset: usize| Location::from_offset(&doc.source, &doc.text, offset);
    let mut errors: Vec<Error> = Vec::new();
    if doc.kind == DocKind::Section {
        errors.push(
            Diagnostic::at(
                at(offset_of(doc, "tribute")),
                "a section's _index.md cannot be a tribute",
            )
            .with_help("put each tribute in a file of its own beside the section's _index.md")
            .into(),
        );
    }
    if doc.front.date.is_none() {
        errors.push(
            Diagnostic::at(at(offset_of(doc, "tribute")), "a tribute needs a `date`")
                .with_help("add `date = YYYY-MM-DD` above `[tribute]`: the day it was written")
                .into(),
        );
    }
    if tribute.author.trim().is_empty() {
        errors.push(
            Diagnostic::at(
                at(offset_of(doc, "tribute.author")),
                "a tribute's `author` is empty",
            )
            .with_help("write the name the author wants shown, e.g. author = \"Jane Doe\"")
            .into(),
        );
    }
    if let Some(found) = doc.body().find(PLACEHOLDER) {
        errors.push(
            Diagnostic::at(
                at(doc.body_offset + found),
                "this tribute still holds the placeholder `lectern new-tribute` wrote",
            )
            .with_help(format!(
                "replace \"{PLACEHOLDER}…\" with the tribute itself, or delete the file"
            ))
            .into(),
        );
    }
    if let Some(link) = &tribute.link {
        let link_at = || at(offset_of(doc, "tribute.link"));
        if let Err(refused) = crate::address::check_url(link, unsafe_html, link_at) {
            errors.push(refused);
            return Error::from_list(errors);
        }
        let web = (link.starts_with("https://") || link.starts_with("http://"))
            && link.len() > "https://".len()
            && !link.contains(char::is_whitespace);
        if !web {
            errors.push(
                Diagnostic::at(
                    link_at(),
                    format!("a tribute's `link` must be a web address, not `{link}`"),
                )
                .with_help("write the whole address, e.g. link = \"https://example.org/post\"")
                .into(),
            );
        }
    }
    if let Some(photo) = &tribute.photo {
        let photo_at = || at(offset_of(doc, "tribute.photo"));
        if let Err(refused) = crate::address::check_url(photo, false, photo_at) {
            errors.push(refused);
        } else if doc.tribute_photo_path().is_none() {
            errors.push(
                Diagnostic::at(
                    photo_at(),
                    format!("a tribute's `photo` must be a file of the site, not `{photo}`"),
                )
                .with_help("put the photo beside the tribute's file and name it, e.g. photo = \"jane.jpg\"")
                .into(),
            );
        }
        if tribute
            .photo_alt
            .as_deref()
            .is_none_or(|alt| alt.trim().is_empty())
        {
            errors.push(
                Diagnostic::at(photo_at(), "this tribute's photo has no `photo_alt`")
                    .with_help(
                        "describe what the photo shows for readers who cannot see it, e.g. \
                         photo_alt = \"Felix and Jane at the 2019 summer school\"",
                    )
                    .into(),
            );
        }
    }
    Error::from_list(errors)
}

impl Document {
    /// The output path of this tribute's `photo`, which is named from the tribute's own
    /// folder (`jane.jpg` beside `tributes/jane.md` is `tributes/jane.jpg`) or from the
    /// site's root (`/img/jane.jpg`); `None` without one, or for a path that leaves the
    /// site.
    pub fn tribute_photo_path(&self) -> Option<String> {
        let photo = self.front.tribute.as_ref()?.photo.as_deref()?;
        let folder = self
            .content_path
            .rsplit_once('/')
            .map_or("", |(folder, _)| folder);
        let base = if folder.is_empty() {
            "/".to_string()
        } else {
            format!("/{folder}/")
        };
        super::image_output_path(&base, photo)
    }
}

impl Site {
    /// The site's tributes section: the first section in reading order rendered with
    /// `tributes.html`, else the first holding a tribute.
    pub fn tributes_section(&self) -> Option<DocId> {
        let sections = || {
            self.reading_order
                .iter()
                .copied()
                .filter(|&id| self.docs[id].is_section())
        };
        sections()
            .find(|&id| self.docs[id].front.template.as_deref() == Some(TRIBUTES_TEMPLATE))
            .or_else(|| {
                sections().find(|&id| {
                    self.docs[id]
                        .children
                        .iter()
                        .any(|&c| self.docs[c].front.tribute.is_some())
                })
            })
    }

    /// The tributes among a section's children, in its reading order.
    pub fn tributes_in(&self, section: DocId) -> Vec<DocId> {
        self.docs[section]
            .children
            .iter()
            .copied()
            .filter(|&c| self.docs[c].front.tribute.is_some())
            .collect()
    }
}

/// Chronological order of two documents by `date`, undated ones last.
pub(super) fn date_order(a: &Document, b: &Document) -> std::cmp::Ordering {
    fn key(doc: &Document) -> Option<(Option<toml::value::Date>, Option<toml::value::Time>)> {
        doc.front.date.map(|d| (d.date, d.time))
    }
    match (key(a), key(b)) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}
