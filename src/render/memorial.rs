//! What templates see of the memorial features: tributes (`tribute`, `tributes`,
//! `tributes_section`, `tribute_form_url`, `tribute_submit_url`), the help block (`help`), the link to the
//! help page at the foot of every page (`help_page`) and the landing page's epigraph
//! (`epigraph`).

use std::collections::HashMap;

use serde::Serialize;

use super::context::{date_text, link, url_of, DocLink};
use crate::config::{HelpConfig, HelpResource, PersonConfig, Settings};
use crate::content::{image_output_path, DocId, ImageTag, Site};
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
    /// The tribute's photo as an `<img>` with every size the image stage made.
    pub photo_html: Option<String>,
}

/// How wide the portrait is shown (see `.portrait` in the style sheet).
const PORTRAIT_SIZES: &str = "(min-width: 24rem) 13rem, 55vw";
/// How wide a tribute's photo is shown (see `.tribute-photo`).
const TRIBUTE_PHOTO_SIZES: &str = "(min-width: 22.5rem) 20rem, calc(100vw - 2.5rem)";

/// The `<img>` of the photo published from `path` (an output path), for a template.
fn photo_html(
    site: &Site,
    settings: &Settings,
    path: &str,
    alt: &str,
    sizes: &str,
    lazy: bool,
) -> Option<String> {
    let published = site.images.get(path)?;
    Some(published.html(
        |p| settings.url_for(p),
        ImageTag {
            alt,
            title: "",
            sizes,
            lazy,
        },
    ))
}

/// The landing page's portrait (`person.portrait_html`): described by `portrait_alt`,
/// else by the name, and never lazy, as it is the first thing a phone shows.
pub fn portrait_html(site: &Site, settings: &Settings, person: &PersonConfig) -> Option<String> {
    let path = image_output_path("/", person.portrait.as_deref()?)?;
    let alt = person.portrait_alt.as_deref().unwrap_or(&person.name);
    photo_html(site, settings, &path, alt, PORTRAIT_SIZES, false)
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

/// The byline of document `id`, if it is a tribute; `lazy`: whether its photo loads
/// only when scrolled near (on the section's page, where many are shown).
pub fn tribute_view<'a>(
    site: &'a Site,
    settings: &Settings,
    id: DocId,
    lazy: bool,
) -> Option<TributeView<'a>> {
    let doc = &site.docs[id];
    let tribute = doc.front.tribute.as_ref()?;
    let date = doc.front.date.and_then(|d| d.date);
    Some(TributeView {
        author: &tribute.author,
        link: tribute.link.as_deref(),
        relation: tribute.relation.as_deref(),
        date: date.map(|d| d.to_string()),
        date_text: date.map(|d| date_text(d, &settings.config.language)),
        photo_html: doc.tribute_photo_path().and_then(|path| {
            let alt = tribute.photo_alt.as_deref().unwrap_or("");
            photo_html(site, settings, &path, alt, TRIBUTE_PHOTO_SIZES, lazy)
        }),
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
                tribute: tribute_view(site, settings, child, true)?,
            })
        })
        .collect()
}

/// The link to the site's tributes section, for the end of the home page.
pub fn tributes_section<'a>(site: &'a Site, settings: &Settings) -> Option<DocLink<'a>> {
    site.tributes_section()
        .map(|id| link(site, &settings.base_path, id))
}

/// Where a tribute can be submitted: the repository's page for a new file in the
/// tributes section's folder (`https://github.com/owner/repo/new/main/content/tributes`),
/// when `site.toml` names a `repository` and the site has a tributes section.
pub fn tribute_submit_url(site: &Site, settings: &Settings) -> Option<String> {
    let repository = settings.config.repository.as_deref()?;
    let section = &site.docs[site.tributes_section()?];
    let folder = section
        .content_path
        .rsplit_once('/')
        .map_or("", |(folder, _)| folder);
    let folder = percent_encoding::utf8_percent_encode(folder, PATH_SEGMENT).to_string();
    Some(format!(
        "{}/new/main/content/{folder}",
        repository.trim_end_matches('/')
    ))
}

/// The repository's issue form for tributes (`.github/ISSUE_TEMPLATE/tribute.yml`), for
/// those who do not use git: `https://github.com/owner/repo/issues/new?template=tribute.yml`,
/// when `site.toml` names a `repository` and the site has a tributes section. A
/// maintainer's label turns the issue into a pull request (see the README).
pub fn tribute_form_url(site: &Site, settings: &Settings) -> Option<String> {
    let repository = settings.config.repository.as_deref()?;
    site.tributes_section()?;
    Some(format!(
        "{}/issues/new?template=tribute.yml",
        repository.trim_end_matches('/')
    ))
}

/// What a folder's name escapes in a URL path: all but letters, digits, `/` and `-._~`.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The help block, when document `id` is one of the pages `[help]` names or its front
/// matter asks for it (`help = true`).
pub fn help_for<'a>(site: &Site, settings: &'a Settings, id: DocId) -> Option<HelpView<'a>> {
    let help = settings.config.help.as_ref()?;
    let doc = &site.docs[id];
    (doc.front.help || help.pages.contains(&doc.content_path)).then(|| HelpView::new(help))
}

/// Where the help page is written, below the edition's base path: the page the link
/// at the foot of every page leads to, holding the whole help block.
pub const HELP_PAGE_PATH: &str = "help/";

/// The link to the help page at the foot of every page (`help_page`), when the site
/// has `[help]`.
#[derive(Debug, Serialize)]
pub struct HelpLink<'a> {
    /// Root-relative URL of the help page.
    pub url: String,
    /// Its absolute URL.
    pub permalink: String,
    /// The link's words: `[help] link_text`, else the theme's `help_link`.
    pub link_text: &'a str,
    /// A sentence for the page's description: the first paragraph of the text, else
    /// the heading.
    pub description: &'a str,
}

/// The [`HelpLink`] of the site, if it has `[help]`; `strings` are the theme's words.
pub fn help_link<'a>(
    settings: &'a Settings,
    strings: &'a std::collections::BTreeMap<String, String>,
) -> Option<HelpLink<'a>> {
    let help = settings.config.help.as_ref()?;
    let view = HelpView::new(help);
    Some(HelpLink {
        url: settings.url_for(HELP_PAGE_PATH),
        permalink: settings.permalink_for(HELP_PAGE_PATH),
        link_text: help
            .link_text
            .as_deref()
            .or_else(|| strings.get("help_link").map(String::as_str))
            .unwrap_or("?"),
        description: view.paragraphs.first().copied().unwrap_or(&help.heading),
    })
}

/// `[help]` ready for `help.html`: its text split into paragraphs.
#[derive(Debug, Serialize)]
pub struct HelpView<'a> {
    /// The heading.
    pub heading: &'a str,
    /// The text's paragraphs.
    pub paragraphs: Vec<&'a str>,
    /// The resources, in the configured order.
    pub resources: Vec<HelpResourceView<'a>>,
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
            resources: help.resources.iter().map(HelpResourceView::new).collect(),
        }
    }
}

/// One resource as `help.html` shows it: its contact with the number a phone dials
/// made a `tel:` link (`contact_before`, `contact_number`, `contact_after`), or the
/// whole contact a link to its web site (`link`).
#[derive(Debug, Serialize)]
pub struct HelpResourceView<'a> {
    /// Its name.
    pub name: &'a str,
    /// Where it serves.
    pub region: &'a str,
    /// The contact as written.
    pub contact: &'a str,
    /// The page its details come from.
    pub url: &'a str,
    /// `tel:` and the number, when `tel` is given.
    pub tel: Option<String>,
    /// The contact before the number `tel` dials.
    pub contact_before: &'a str,
    /// The number as the contact writes it: the `tel:` link's words.
    pub contact_number: &'a str,
    /// The contact after the number.
    pub contact_after: &'a str,
    /// `sms:` and the number, when `sms` is given.
    pub sms: Option<String>,
    /// The web address the whole contact links to.
    pub link: Option<&'a str>,
}

impl<'a> HelpResourceView<'a> {
    /// The view of one configured resource.
    pub fn new(resource: &'a HelpResource) -> HelpResourceView<'a> {
        let contact = resource.contact.as_str();
        // Found when site.toml was read; a converted edition's contact keeps its digits,
        // so it is found again there. Failing that, the whole contact is the link.
        let range = resource.dialled_in_contact().unwrap_or(0..contact.len());
        HelpResourceView {
            name: &resource.name,
            region: &resource.region,
            contact,
            url: &resource.url,
            tel: resource.tel.as_ref().map(|n| format!("tel:{n}")),
            contact_before: &contact[..range.start],
            contact_number: &contact[range.clone()],
            contact_after: &contact[range.end..],
            sms: resource.sms.as_ref().map(|n| format!("sms:{n}")),
            link: resource.link.as_deref(),
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
