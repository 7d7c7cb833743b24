//! What templates see of the memorial features: tributes (`tribute`, `tributes`,
//! `tributes_section`), the help block (`help`) and the landing page's epigraph
//! (`epigraph`).

use std::collections::HashMap;

use serde::Serialize;

use super::context::{date_text, link, url_of, DocLink};
use crate::config::{HelpConfig, Settings};
use crate::content::{DocId, Site};
use crate::markdown::RenderedMarkdown;

/// A tribute's byline (`tribute` on a tribute's page, `entry.tribute` on its section's).
#[derive(Debug, Serialize)]
pub struct TributeView<'a> {
    /// Who wrote it.
    pub author: &'a str,
    /// Where it first appeared, or the author's page.
    pub link: Option<&'a str>,
    /// How the author knew the person.
    pub relation: Option<&'a str>,
    /// `YYYY-MM-DD`, for `<time datetime>`.
    pub date: Option<String>,
    /// The date as the site's language writes it.
    pub date_text: Option<String>,
}

/// One tribute shown in full on its section's page (`tributes`).
#[derive(Debug, Serialize)]
pub struct TributeEntry<'a> {
    /// The tribute's title.
    pub title: &'a str,
    /// Its own page.
    pub url: String,
    /// An id for its `<article>` on the section page: `tribute-<slug>`.
    pub anchor: String,
    /// Its body as HTML.
    pub content: &'a str,
    /// Its byline.
    pub tribute: TributeView<'a>,
}

/// The byline of document `id`, if it is a tribute.
pub fn tribute_view<'a>(site: &'a Site, settings: &Settings, id: DocId) -> Option<TributeView<'a>> {
    let doc = &site.docs[id];
    let tribute = doc.front.tribute.as_ref()?;
    let date = doc.front.date.and_then(|d| d.date);
    Some(TributeView {
        author: &tribute.author,
        link: tribute.link.as_deref(),
        relation: tribute.relation.as_deref(),
        date: date.map(|d| d.to_string()),
        date_text: date.map(|d| date_text(d, &settings.config.language)),
    })
}

/// The tributes among section `id`'s children, in its order, with their bodies
/// (`tributes`: every tribute's Markdown, by document id).
pub fn tribute_entries<'a>(
    site: &'a Site,
    settings: &Settings,
    tributes: &'a HashMap<DocId, RenderedMarkdown>,
    id: DocId,
) -> Vec<TributeEntry<'a>> {
    site.tributes_in(id)
        .into_iter()
        .filter_map(|child| {
            let doc = &site.docs[child];
            let slug = doc.url_path.trim_end_matches('/');
            let slug = slug.rsplit('/').next().unwrap_or(slug);
            Some(TributeEntry {
                title: &doc.title,
                url: url_of(&settings.base_path, doc),
                anchor: format!("tribute-{slug}"),
                // Every tribute's Markdown is gathered before pages are written.
                content: &tributes[&child].html,
                tribute: tribute_view(site, settings, child)?,
            })
        })
        .collect()
}

/// The link to the site's tributes section, for the end of the home page.
pub fn tributes_section<'a>(site: &'a Site, settings: &Settings) -> Option<DocLink<'a>> {
    site.tributes_section()
        .map(|id| link(site, &settings.base_path, id))
}

/// The help block, when document `id` is one of the pages `[help]` names.
pub fn help_for<'a>(site: &Site, settings: &'a Settings, id: DocId) -> Option<HelpView<'a>> {
    let help = settings.config.help.as_ref()?;
    let path = &site.docs[id].content_path;
    help.pages
        .iter()
        .any(|p| p == path)
        .then(|| HelpView::new(help))
}

/// `[help]` ready for `help.html`: its text split into paragraphs.
#[derive(Debug, Serialize)]
pub struct HelpView<'a> {
    /// The heading.
    pub heading: &'a str,
    /// The text's paragraphs.
    pub paragraphs: Vec<&'a str>,
    /// The resources, as configured.
    pub resources: &'a [crate::config::HelpResource],
}

impl<'a> HelpView<'a> {
    /// The view of `help`.
    pub fn new(help: &'a HelpConfig) -> HelpView<'a> {
        HelpView {
            heading: &help.heading,
            paragraphs: help
                .text
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect(),
            resources: &help.resources,
        }
    }
}

/// The landing page's quotation (`epigraph`): the words, and the page they come from.
#[derive(Debug, Serialize)]
pub struct EpigraphView<'a> {
    /// The words, in this edition's script.
    pub text: &'a str,
    /// The page that holds them.
    pub source: DocLink<'a>,
}

/// `[person.epigraph]` with its page's title and URL, when the site has one and its page
/// is in this build (the build checked that the page holds the words).
pub fn epigraph<'a>(site: &'a Site, settings: &'a Settings) -> Option<EpigraphView<'a>> {
    let epigraph = settings.config.person.as_ref()?.epigraph.as_ref()?;
    let id = site
        .docs
        .iter()
        .position(|d| d.content_path == epigraph.page)?;
    Some(EpigraphView {
        text: &epigraph.text,
        source: link(site, &settings.base_path, id),
    })
}
