//! What templates see: typed, borrowing views of the site, built per page from parts
//! computed once (see the field docs for each name available in templates).

use serde::Serialize;

use crate::content::{DocId, Document, Reference, Site};
use crate::markdown::{Citation, RenderedMarkdown, TocEntry};

/// A link to a document: `{{ prev.title }}`, `{{ prev.url }}`.
#[derive(Debug, Clone, Serialize)]
pub struct DocLink<'a> {
    /// The document's title.
    pub title: &'a str,
    /// Root-relative URL, base path included.
    pub url: String,
    /// The document's `description`, when it has one (the landing page shows it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
}

/// What every list of references shows of one: `number`, `id`, `title`, `url`, `author`,
/// `site`.
#[derive(Debug, Serialize)]
pub struct ReferenceView<'a> {
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
    /// The web site it is on, as a reader knows it: the address's host without `www.`
    /// (`x.com`, `docs.google.com`); `None` for an address without a host.
    pub site: Option<String>,
}

impl<'a> ReferenceView<'a> {
    /// The view of a declared reference.
    pub fn of(reference: &'a Reference) -> ReferenceView<'a> {
        ReferenceView {
            number: reference.number,
            id: &reference.entry.id,
            title: &reference.entry.title,
            url: &reference.entry.url,
            author: reference.entry.author.as_deref(),
            site: site_of(&reference.entry.url),
        }
    }
}

/// The host of `url` without `www.`, if it is an address with a host.
fn site_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_string())
}

/// A reference as listed on a page that cites it (`page.references`).
#[derive(Debug, Serialize)]
pub struct PageReference<'a> {
    /// The reference's own fields, at the top level.
    #[serde(flatten)]
    pub reference: ReferenceView<'a>,
    /// Ids of the markers on this page that cite it, for back-links.
    pub backlinks: Vec<&'a str>,
}

/// A reference as listed on the references page (`references`).
#[derive(Debug, Serialize)]
pub struct SiteReference<'a> {
    /// The reference's own fields, at the top level.
    #[serde(flatten)]
    pub reference: ReferenceView<'a>,
    /// Every place in the site that cites it.
    pub citations: Vec<DocLink<'a>>,
}

/// The page being rendered (`page`).
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    /// Title as plain text.
    pub title: &'a str,
    /// Title as HTML, with ruby where front matter has it (print it with `| safe`).
    pub title_html: &'a str,
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
    /// The body up to `<!-- more -->` as HTML, when it has one.
    pub summary: Option<&'a str>,
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
        description: doc.front.description.as_deref(),
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
        .map(|number| PageReference {
            reference: ReferenceView::of(&site.references[number - 1]),
            backlinks: rendered
                .citations
                .iter()
                .filter(|c| c.number == number)
                .map(|c| c.marker_id.as_str())
                .collect(),
        })
        .collect()
}

/// Every reference with every place that cites it, in reading order (`citations`:
/// each document's, by id).
pub fn site_references<'a>(
    site: &'a Site,
    base_path: &str,
    citations: &'a [Vec<Citation>],
) -> Vec<SiteReference<'a>> {
    site.references
        .iter()
        .map(|reference| {
            let mut cited_at = Vec::new();
            for &id in &site.reading_order {
                for citation in citations[id]
                    .iter()
                    .filter(|c| c.number == reference.number)
                {
                    let doc = &site.docs[id];
                    cited_at.push(DocLink {
                        title: &doc.title,
                        url: format!("{}#{}", url_of(base_path, doc), citation.marker_id),
                        description: None,
                    });
                }
            }
            SiteReference {
                reference: ReferenceView::of(reference),
                citations: cited_at,
            }
        })
        .collect()
}

/// One document in the single-page view (`documents` in `all.html`).
#[derive(Debug, Serialize)]
pub struct SinglePageDocument<'a> {
    /// Title.
    pub title: &'a str,
    /// The id of its top on the single page: `p3`.
    pub anchor: String,
    /// Its own page's URL.
    pub url: String,
    /// Its body, with ids prefixed and links made in-page.
    pub content: &'a str,
    /// How deep it sits: 0 for the home page, 1 for a top-level section or page …
    pub depth: usize,
    /// The heading level of its title (2 to 6); its own headings rank below it.
    pub title_level: u8,
    /// Whether it is a section.
    pub is_section: bool,
    /// Its byline, when it is a tribute.
    pub tribute: Option<super::memorial::TributeView<'a>>,
}

/// The person a memorial remembers, ready for templates (`person`).
#[derive(Debug, Serialize)]
pub struct PersonContext<'a> {
    /// The name.
    pub name: &'a str,
    /// Another form of the name.
    pub alternate_name: Option<&'a str>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// `YYYY-MM-DD`.
    pub death_date: Option<String>,
    /// The date of death as the site's language writes it.
    pub death_date_text: Option<String>,
    /// The date of birth as the site's language writes it.
    pub birth_date_text: Option<String>,
    /// Their work.
    pub job_title: Option<&'a str>,
    /// Where they worked.
    pub affiliation: Option<&'a str>,
    /// The portrait's `<img>`, with every size the image stage made.
    pub portrait_html: Option<String>,
}

impl<'a> PersonContext<'a> {
    /// The template view of `[person]`; `portrait_html` is the portrait's `<img>`.
    pub fn new(
        person: &'a crate::config::PersonConfig,
        language: &str,
        portrait_html: Option<String>,
    ) -> PersonContext<'a> {
        PersonContext {
            portrait_html,
            name: &person.name,
            alternate_name: person.alternate_name.as_deref(),
            birth_date: person.birth_date.map(|d| d.to_string()),
            death_date: person.death_date.map(|d| d.to_string()),
            death_date_text: person.death_date.map(|d| date_text(d, language)),
            birth_date_text: person.birth_date.map(|d| date_text(d, language)),
            job_title: person.job_title.as_deref(),
            affiliation: person.affiliation.as_deref(),
        }
    }
}

/// A date as the language writes it: `2024 年 12 月 5 日`, or `5 December 2024`.
pub fn date_text(date: toml::value::Date, language: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    if crate::language::Language::new(language).writes_dates_in_characters() {
        format!("{} 年 {} 月 {} 日", date.year, date.month, date.day)
    } else {
        let month = MONTHS
            .get(usize::from(date.month).saturating_sub(1))
            .unwrap_or(&"");
        format!("{} {month} {}", date.day, date.year)
    }
}

/// Schema.org metadata for a page: an `Article`, about the site's person when there is
/// one. Returned as JSON that is safe inside a `<script>` element.
pub fn json_ld(
    settings: &crate::config::Settings,
    title: &str,
    permalink: &str,
    description: Option<&str>,
    date: Option<&str>,
) -> String {
    let config = &settings.config;
    let mut article = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": title,
        "url": permalink,
        "inLanguage": config.language,
        "isPartOf": { "@type": "WebSite", "name": config.title, "url": settings.base_url },
    });
    if let Some(description) = description
        .or(Some(config.description.as_str()))
        .filter(|d| !d.is_empty())
    {
        article["description"] = description.into();
    }
    if let Some(date) = date {
        article["datePublished"] = date.into();
    }
    if let Some(author) = &config.author {
        article["author"] = serde_json::json!({ "@type": "Organization", "name": author });
    }
    if let Some(person) = &config.person {
        let mut about = serde_json::json!({ "@type": "Person", "name": person.name });
        if let Some(name) = &person.alternate_name {
            about["alternateName"] = name.as_str().into();
        }
        if let Some(date) = person.birth_date {
            about["birthDate"] = date.to_string().into();
        }
        if let Some(date) = person.death_date {
            about["deathDate"] = date.to_string().into();
        }
        if let Some(job) = &person.job_title {
            about["jobTitle"] = job.as_str().into();
        }
        if let Some(work) = &person.affiliation {
            about["worksFor"] = serde_json::json!({ "@type": "Organization", "name": work });
        }
        article["about"] = about;
    }
    crate::escape::script_json(&article)
}
