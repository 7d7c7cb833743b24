//! What templates see: typed, borrowing views of the site, built per page from parts
//! computed once (see the field docs for each name available in templates).

use serde::Serialize;

use crate::content::{DocId, DocKind, Document, Site};
use crate::markdown::{RenderedMarkdown, TocEntry};

/// A link to a document: `{{ prev.title }}`, `{{ prev.url }}`.
#[derive(Debug, Clone, Serialize)]
pub struct DocLink<'a> {
    /// The document's title.
    pub title: &'a str,
    /// Root-relative URL, base path included.
    pub url: String,
}

/// A reference as listed on a page that cites it (`page.references`).
#[derive(Debug, Serialize)]
pub struct PageReference<'a> {
    /// Site-wide number.
    pub number: usize,
    /// The citation key.
    pub id: &'a str,
    /// The work's title.
    pub title: &'a str,
    /// The work's address.
    pub url: &'a str,
    /// Who wrote it.
    pub author: Option<&'a str>,
    /// Ids of the markers on this page that cite it, for back-links.
    pub backlinks: Vec<&'a str>,
}

/// A reference as listed on the references page (`references`).
#[derive(Debug, Serialize)]
pub struct SiteReference<'a> {
    /// Site-wide number.
    pub number: usize,
    /// The citation key.
    pub id: &'a str,
    /// The work's title.
    pub title: &'a str,
    /// The work's address.
    pub url: &'a str,
    /// Who wrote it.
    pub author: Option<&'a str>,
    /// Every place in the site that cites it.
    pub citations: Vec<DocLink<'a>>,
}

/// One entry of the site navigation (`nav`): a section with its children, or a page.
#[derive(Debug, Serialize)]
pub struct NavItem<'a> {
    /// The document's title.
    pub title: &'a str,
    /// Root-relative URL.
    pub url: String,
    /// Whether it is a section.
    pub is_section: bool,
    /// Whether it is the page being rendered (`aria-current="page"`).
    pub current: bool,
    /// Whether the page being rendered is inside it.
    pub open: bool,
    /// Its pages and subsections, when listed.
    pub children: Vec<NavItem<'a>>,
}

/// The page being rendered (`page`).
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    /// Title.
    pub title: &'a str,
    /// Summary from front matter.
    pub description: Option<&'a str>,
    /// Root-relative URL, base path included.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// `"page"` or `"section"`.
    pub kind: &'static str,
    /// Whether this is the home page.
    pub is_home: bool,
    /// The body as HTML (already safe: print it with `| safe`).
    pub content: &'a str,
    /// Whether the body has highlighted code (and needs `syntax.css`).
    pub has_code: bool,
    /// Nested table of contents.
    pub toc: &'a [TocEntry],
    /// Date from front matter, as written (`2024-10-01`).
    pub date: Option<String>,
    /// Estimated minutes to read.
    pub reading_minutes: u32,
    /// Han characters in the text.
    pub cjk_chars: usize,
    /// Latin words in the text.
    pub words: usize,
    /// `[extra]` from front matter.
    pub extra: &'a toml::Table,
    /// References this page cites, by number.
    pub references: Vec<PageReference<'a>>,
    /// For a section: its pages and subsections in reading order.
    pub pages: Vec<DocLink<'a>>,
    /// Sections above this document, outermost first.
    pub ancestors: Vec<DocLink<'a>>,
    /// The file it came from, relative to `content/`.
    pub source: &'a str,
    /// Its position in the reading order (1-based) and the total.
    pub position: usize,
}

/// Root-relative URL of a document.
pub fn url_of(base_path: &str, doc: &Document) -> String {
    format!("{base_path}{}", doc.url_path)
}

/// A [`DocLink`] to document `id`.
pub fn link<'a>(site: &'a Site, base_path: &str, id: DocId) -> DocLink<'a> {
    let doc = &site.docs[id];
    DocLink {
        title: &doc.title,
        url: url_of(base_path, doc),
    }
}

/// The references cited in one rendered document.
pub fn page_references<'a>(
    site: &'a Site,
    rendered: &'a RenderedMarkdown,
) -> Vec<PageReference<'a>> {
    let mut numbers: Vec<usize> = rendered.citations.iter().map(|c| c.number).collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
        .into_iter()
        .map(|number| {
            let reference = &site.references[number - 1];
            PageReference {
                number,
                id: &reference.entry.id,
                title: &reference.entry.title,
                url: &reference.entry.url,
                author: reference.entry.author.as_deref(),
                backlinks: rendered
                    .citations
                    .iter()
                    .filter(|c| c.number == number)
                    .map(|c| c.marker_id.as_str())
                    .collect(),
            }
        })
        .collect()
}

/// Every reference with every place that cites it, in reading order.
pub fn site_references<'a>(
    site: &'a Site,
    base_path: &str,
    rendered: &'a [RenderedMarkdown],
) -> Vec<SiteReference<'a>> {
    site.references
        .iter()
        .map(|reference| {
            let mut citations = Vec::new();
            for &id in &site.reading_order {
                for citation in rendered[id]
                    .citations
                    .iter()
                    .filter(|c| c.number == reference.number)
                {
                    let doc = &site.docs[id];
                    citations.push(DocLink {
                        title: &doc.title,
                        url: format!("{}#{}", url_of(base_path, doc), citation.marker_id),
                    });
                }
            }
            SiteReference {
                number: reference.number,
                id: &reference.entry.id,
                title: &reference.entry.title,
                url: &reference.entry.url,
                author: reference.entry.author.as_deref(),
                citations,
            }
        })
        .collect()
}

/// Above this many documents, a section lists its pages in the navigation only when
/// the reader is inside it: the navigation stays small, and the output linear in size.
pub const FULL_NAV_LIMIT: usize = 200;

/// The navigation tree as seen from document `current`.
pub fn navigation<'a>(site: &'a Site, base_path: &str, current: Option<DocId>) -> Vec<NavItem<'a>> {
    let mut open = vec![false; site.docs.len()];
    let mut at = current;
    while let Some(id) = at {
        open[id] = true;
        at = site.docs[id].parent;
    }
    let full = site.docs.len() <= FULL_NAV_LIMIT;
    let home = &site.docs[site.root];
    let mut items = vec![NavItem {
        title: &home.title,
        url: url_of(base_path, home),
        is_section: false,
        current: current == Some(site.root),
        open: false,
        children: Vec::new(),
    }];
    items.extend(nav_children(
        site, base_path, site.root, current, &open, full,
    ));
    items
}

fn nav_children<'a>(
    site: &'a Site,
    base_path: &str,
    section: DocId,
    current: Option<DocId>,
    open: &[bool],
    full: bool,
) -> Vec<NavItem<'a>> {
    site.docs[section]
        .children
        .iter()
        .map(|&id| {
            let doc = &site.docs[id];
            let is_section = doc.kind == DocKind::Section;
            let children = if is_section && (full || open[id]) {
                nav_children(site, base_path, id, current, open, full)
            } else {
                Vec::new()
            };
            NavItem {
                title: &doc.title,
                url: url_of(base_path, doc),
                is_section,
                current: Some(id) == current,
                open: open[id] && Some(id) != current,
                children,
            }
        })
        .collect()
}
