//! Markdown: a document's body → an HTML fragment, its table of contents, its anchors,
//! the references it cites, and its plain text (for reading time and search).
//!
//! pulldown-cmark parses; this module rewrites the event stream (never the HTML):
//! headings get stable ids and anchor links, fenced code is highlighted, footnotes are
//! numbered by first use, `[^id]` cites a declared reference, `@/` links are resolved,
//! `{學|xué}` becomes ruby, and raw HTML is shown as text unless the site opts in.

mod anchors;
mod edition;
mod figure;
mod highlight;
mod links;
mod ruby;
pub(crate) mod text;
mod toc;
mod typeset;
mod verbatim;
mod writer;

#[cfg(test)]
mod commonmark_spec;
#[cfg(test)]
mod snapshot_tests;

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, Options, Parser};
use serde::Serialize;

use crate::config::Settings;
use crate::content::{DocId, Site};
use crate::error::{Diagnostic, Error, Result};

pub(crate) use anchors::check_anchors;
pub(crate) use highlight::syntax_stylesheet;

pub use text::{PlainText, TextStats};
pub use toc::{heading_id, PageIds, TocEntry};

/// A link to an anchor in another (or the same) document, checked once all are rendered.
#[derive(Debug, Clone)]
pub struct AnchorLink {
    /// The document linked to.
    pub target: DocId,
    /// The `#fragment`, without `#`.
    pub anchor: String,
    /// Where the link is written: a byte offset into its document's file (a
    /// [`crate::error::Location`], with its line's text, is made only for an error).
    pub offset: usize,
}

/// One place where a document cites a reference.
#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    /// The reference's site-wide number.
    pub number: usize,
    /// The id of the marker in the page, for back-links.
    pub marker_id: String,
}

/// What the Markdown stage hands on for one document.
#[derive(Debug, Default, Clone)]
pub struct RenderedMarkdown {
    /// The body as an HTML fragment.
    pub html: String,
    /// The body up to `<!-- more -->`, as HTML, when it has one.
    pub summary: Option<String>,
    /// What the reader will see that the author probably did not mean, such as a Zola
    /// shortcode shown as text: `lectern build` prints these, `lectern check` fails on them.
    pub warnings: Vec<Diagnostic>,
    /// Nested table of contents.
    pub toc: Vec<TocEntry>,
    /// Every id a link can point at in this fragment.
    pub anchors: HashSet<String>,
    /// Links to anchors, to check when every document is rendered.
    pub anchor_links: Vec<AnchorLink>,
    /// Links to other sites: where each is written (a byte offset into the document's
    /// file), and the URL.
    pub external_links: Vec<(usize, String)>,
    /// The references cited, in order of citation.
    pub citations: Vec<Citation>,
    /// Whether the fragment holds highlighted code (and so needs the stylesheet).
    pub has_highlighted_code: bool,
    /// The visible text, with counts for reading time.
    pub text: PlainText,
    /// What an edition's conversion did to each character of the text (empty in the
    /// source's edition): the search index's map between the scripts is made from it.
    pub conversion: crate::conversion::CharPairs,
}

/// How ids and internal links are written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum View<'a> {
    /// Each document on a page of its own.
    Pages,
    /// Every document on one page, in reading order: ids get a per-document prefix
    /// (`p3-…`) so they stay unique, and links between documents become in-page links.
    /// The slice gives each document's position in the reading order.
    SinglePage(&'a [usize]),
}

impl View<'_> {
    /// The id of a document's top in the single-page view: `p3`.
    pub fn document_anchor(&self, doc: DocId) -> String {
        match self {
            View::Pages => String::new(),
            View::SinglePage(positions) => format!("p{}", positions[doc] + 1),
        }
    }

    /// The level of a document's title on the single page: `h2` for the home page and
    /// top-level documents, one deeper for each section above that.
    pub fn title_level(site: &Site, doc: DocId) -> u8 {
        let depth = site.depth_of(doc).clamp(1, 5) as u8;
        1 + depth
    }

    /// How many levels a document's own headings move down: on its own page none; on
    /// the single page enough to rank below the document's title.
    pub fn heading_shift(&self, site: &Site, doc: DocId) -> u8 {
        match self {
            View::Pages => 0,
            View::SinglePage(_) => Self::title_level(site, doc) - 1,
        }
    }

    /// The prefix of every id inside a document.
    pub fn id_prefix(&self, doc: DocId) -> String {
        match self {
            View::Pages => String::new(),
            View::SinglePage(_) => format!("{}-", self.document_anchor(doc)),
        }
    }
}

/// Renders one document's body for its own page.
pub fn render(site: &Site, settings: &Settings, doc_id: DocId) -> Result<RenderedMarkdown> {
    render_view(site, settings, doc_id, View::Pages)
}

/// Renders one document's body for the given view.
pub(crate) fn render_view(
    site: &Site,
    settings: &Settings,
    doc_id: DocId,
    view: View,
) -> Result<RenderedMarkdown> {
    let (rendered, errors) = render_all(site, settings, doc_id, view);
    Error::from_list(errors)?;
    Ok(rendered)
}

/// Renders one document's body for its own page, going on past problems: the fragment
/// as far as it could be made (anchors, links, citations), with every problem found.
/// `lectern check` uses it to report every problem of every file in one run.
pub(crate) fn render_with_problems(
    site: &Site,
    settings: &Settings,
    doc_id: DocId,
) -> (RenderedMarkdown, Vec<Error>) {
    render_all(site, settings, doc_id, View::Pages)
}

/// [`render_with_problems`] for any view: how `lectern check` runs the build's Markdown
/// stages past their problems.
pub(crate) fn render_view_with_problems(
    site: &Site,
    settings: &Settings,
    doc_id: DocId,
    view: View,
) -> (RenderedMarkdown, Vec<Error>) {
    render_all(site, settings, doc_id, view)
}

fn render_all(
    site: &Site,
    settings: &Settings,
    doc_id: DocId,
    view: View,
) -> (RenderedMarkdown, Vec<Error>) {
    let doc = &site.docs[doc_id];
    let body = doc.body();
    let (source, defined_footnotes) = with_reference_definitions(site, body);
    let events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(&source, parser_options(settings))
            .into_offset_iter()
            .collect();
    let mut events = ruby::expand(events, &source);
    let mut pairs = crate::conversion::CharPairs::default();
    if let Some(conversion) = settings.conversion() {
        edition::convert_events(&mut events, conversion, &mut pairs);
        pairs.shrink_to_fit();
    }

    let mut writer = writer::Writer::new(site, settings, doc_id, &defined_footnotes, view);
    for (event, range) in events {
        let offset = doc.body_offset + range.start.min(body.len());
        writer.push(event, offset);
    }
    let (mut rendered, problems) = writer.finish();
    rendered.conversion = pairs;
    (rendered, problems)
}

/// `events`, parsed from `source` with their byte ranges, with the compact ruby syntax
/// (`{學|xué}`) turned into the events of the `<ruby>` markup it stands for, as the
/// Markdown stage does before anything else: a tool that reads lectern's Markdown
/// with pulldown-cmark sees what lectern renders.
pub fn with_ruby<'a>(
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
    source: &str,
) -> Vec<(Event<'a>, std::ops::Range<usize>)> {
    ruby::expand(events, source)
}

/// The references document `doc_id`'s page cites, in order, exactly as [`render`] finds
/// them, without rendering: only a body that cites a declared reference is parsed at all.
/// Every page can show where each reference is cited across the site (`references`)
/// before any other page's Markdown is rendered.
pub fn citations(site: &Site, settings: &Settings, doc_id: DocId) -> Vec<Citation> {
    let (source, defined) = with_reference_definitions(site, site.docs[doc_id].body());
    if let std::borrow::Cow::Borrowed(_) = source {
        // No definition was added: the body cites no declared reference.
        return Vec::new();
    }
    let mut uses: HashMap<usize, usize> = HashMap::new();
    Parser::new_ext(&source, parser_options(settings))
        .filter_map(|event| match event {
            Event::FootnoteReference(label) if !defined.contains(label.as_ref()) => {
                site.reference(&label).map(|r| r.number)
            }
            _ => None,
        })
        .map(|number| {
            let used = uses.entry(number).or_insert(0);
            *used += 1;
            Citation::new("", number, *used)
        })
        .collect()
}

impl Citation {
    /// The `use`-th citation (from 1) of reference `number` in a document whose ids
    /// start with `prefix`.
    fn new(prefix: &str, number: usize, used: usize) -> Citation {
        Citation {
            number,
            marker_id: format!("{prefix}cite-{number}-{used}"),
        }
    }
}

/// The Markdown extensions lectern reads, as the site configures them.
fn parser_options(settings: &Settings) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if settings.config.markdown.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// Appends a footnote definition for every declared reference the body cites with
/// `[^id]` and does not define itself, so that pulldown-cmark reports the citation as a
/// footnote reference. Appended at the end, they move no line of the file.
///
/// Returns the source to parse (the body itself when it cites no declared reference) and
/// the labels the body defines itself.
fn with_reference_definitions<'a>(
    site: &Site,
    body: &'a str,
) -> (std::borrow::Cow<'a, str>, HashSet<String>) {
    let defined: HashSet<String> = footnote_definition_labels(body);
    if site.references.is_empty() || !body.contains("[^") {
        return (body.into(), defined);
    }
    let mut source = body.to_string();
    let mut added = false;
    for reference in &site.references {
        let id = &reference.entry.id;
        if !defined.contains(id) && body.contains(&format!("[^{id}]")) {
            if !added {
                source.push_str("\n\n");
                added = true;
            }
            source.push_str(&format!("[^{id}]: {}\n", writer::REFERENCE_PLACEHOLDER));
        }
    }
    if !added {
        return (body.into(), defined);
    }
    (source.into(), defined)
}

/// Labels of the footnotes a body defines (`[^label]: …` at the start of a line).
fn footnote_definition_labels(body: &str) -> HashSet<String> {
    body.lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix("[^")?;
            let (label, after) = rest.split_once(']')?;
            after.starts_with(':').then(|| label.to_string())
        })
        .collect()
}
