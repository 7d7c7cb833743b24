//! What `site.toml` may say: every table and key, with its default.

use crate::toml_spans::Spans;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The contents of `site.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's title, shown in every page's `<title>` and header.
    pub title: String,
    /// Where the site is published, e.g. `https://user.github.io/repo/`: a whole
    /// `http`/`https` address (see [`parse_base_url`]). Required: serde leaves it empty
    /// when it is missing, so that loading can say so more plainly than serde would.
    #[serde(default)]
    pub base_url: String,
    /// A sentence describing the site, for search engines and link previews.
    #[serde(default)]
    pub description: String,
    /// The BCP 47 language of the content, e.g. `zh-Hant`.
    #[serde(default = "default_language")]
    pub language: String,
    /// The site's author, for the feed and metadata.
    #[serde(default)]
    pub author: Option<String>,
    /// A custom domain for GitHub Pages: written to `CNAME` in the output.
    #[serde(default)]
    pub cname: Option<String>,
    /// Whether to write an Atom feed (`atom.xml`).
    #[serde(default = "yes")]
    pub generate_feed: bool,
    /// How many of the newest pages the feed holds.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// How Markdown is rendered.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// How photos are published.
    #[serde(default)]
    pub images: ImagesConfig,
    /// Reading-time estimate speeds.
    #[serde(default)]
    pub reading: ReadingConfig,
    /// What the reader's edition switch calls the source edition (default from `language`).
    #[serde(default)]
    pub edition_name: Option<String>,
    /// Extra editions in another script, converted at build time (`[[editions]]`).
    #[serde(default)]
    pub editions: Vec<EditionConfig>,
    /// The person a memorial site remembers: shown in the header and in metadata.
    #[serde(default)]
    pub person: Option<PersonConfig>,
    /// The damaged article the content is imported from, if any.
    #[serde(default)]
    pub article: Option<ArticleConfig>,
    /// The "you are not alone" block at the end of chosen pages (`[help]`).
    #[serde(default)]
    pub help: Option<HelpConfig>,
    /// The web address of the site's source repository, e.g.
    /// `https://github.com/owner/memorial`: the tributes page links to where a tribute
    /// can be submitted there. An `https` address.
    #[serde(default)]
    pub repository: Option<String>,
    /// Free-form values for templates (`config.extra.*`).
    #[serde(default)]
    pub extra: toml::Table,
    /// Where each setting is written in `site.toml`, for the checks after parsing.
    #[serde(skip)]
    pub spans: Spans,
}

/// `[help]` in `site.toml`: a quiet block of support resources at the end of the pages
/// it names. Only what is written here is shown.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HelpConfig {
    /// The block's heading, e.g. "你並不孤單".
    pub heading: String,
    /// A few sentences before the resources (blank lines separate paragraphs).
    #[serde(default)]
    pub text: String,
    /// Content files (relative to `content/`) the block ends, e.g. `"references.md"`.
    /// A page's own front matter can ask for it too (`help = true`).
    #[serde(default)]
    pub pages: Vec<String>,
    /// The words of the link to the help page at the foot of every page; the theme's
    /// `help_link` (e.g. "需要幫助？") when absent.
    #[serde(default)]
    pub link_text: Option<String>,
    /// The resources listed, in this order (`[[help.resources]]`).
    #[serde(default)]
    pub resources: Vec<HelpResource>,
}

/// One `[[help.resources]]` entry: a line or service, and where its details come from.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HelpResource {
    /// Its name.
    pub name: String,
    /// Where it serves, e.g. "International" or "United Kingdom".
    pub region: String,
    /// How to reach it, as shown: a number, a text code or an address.
    pub contact: String,
    /// The page the contact details were taken from, linked as the source.
    pub url: String,
    /// The number to call, as a `tel:` link dials it: digits, with `+` and the country
    /// code first for an international number (`"+85223892222"`, `"1925"`). The number
    /// as `contact` shows it becomes the link.
    #[serde(default)]
    pub tel: Option<String>,
    /// The number to send a text message to, written like `tel`: shown as a link of
    /// its own after the contact.
    #[serde(default)]
    pub sms: Option<String>,
    /// A web address the whole contact links to, when the contact is a web site
    /// (`"https://findahelpline.com/"` for `findahelpline.com`).
    #[serde(default)]
    pub link: Option<String>,
}

/// `[markdown]` in `site.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Turn straight quotes into curly ones; off because it breaks Chinese quotes.
    #[serde(default)]
    pub smart_punctuation: bool,
    /// Highlight fenced code blocks with syntect.
    #[serde(default = "yes")]
    pub highlight_code: bool,
    /// Pass raw HTML in content through as markup. Off: it is shown as text, except
    /// for a few harmless inline elements such as `<ruby>`.
    #[serde(default)]
    pub unsafe_html: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: false,
            highlight_code: true,
            unsafe_html: false,
        }
    }
}

/// `[images]` in `site.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    /// Photos whose original file is published too, byte for byte, beside the
    /// re-encoded sizes (`["img/scan.png"]`, output paths). Off for every photo by
    /// default: an original may hold the GPS position where it was taken.
    #[serde(default)]
    pub publish_originals: Vec<String>,
}

/// `[reading]` in `site.toml`: the speeds behind the reading-time estimate.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReadingConfig {
    /// Han characters read per minute.
    #[serde(default = "default_cjk_speed")]
    pub cjk_chars_per_minute: u32,
    /// Latin words read per minute.
    #[serde(default = "default_word_speed")]
    pub words_per_minute: u32,
    /// Write a "read it all" page with every document in reading order. By default
    /// only for sites of up to 200 documents.
    #[serde(default)]
    pub single_page: Option<bool>,
}

impl Default for ReadingConfig {
    fn default() -> Self {
        ReadingConfig {
            cjk_chars_per_minute: default_cjk_speed(),
            words_per_minute: default_word_speed(),
            single_page: None,
        }
    }
}

/// One `[[editions]]` entry: the site again, in another script, under its own path.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EditionConfig {
    /// Its language, e.g. `zh-Hans` beside a `zh-Hant` source.
    pub language: String,
    /// Its URL path below the base path, e.g. `zh-hans`.
    pub path: String,
    /// Its name in the edition switch, e.g. `简体`.
    #[serde(default)]
    pub name: Option<String>,
}

/// `[person]` in `site.toml`: who a memorial site remembers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PersonConfig {
    /// The name as the site's language writes it.
    pub name: String,
    /// Another form of the name, e.g. in Latin letters.
    #[serde(default)]
    pub alternate_name: Option<String>,
    /// Date of birth, when known.
    #[serde(default)]
    pub birth_date: Option<toml::value::Date>,
    /// Date of death.
    #[serde(default)]
    pub death_date: Option<toml::value::Date>,
    /// Their work, e.g. "研究科學家".
    #[serde(default)]
    pub job_title: Option<String>,
    /// Where they worked.
    #[serde(default)]
    pub affiliation: Option<String>,
    /// Words of theirs for the landing page, quoted from a page of the site.
    #[serde(default)]
    pub epigraph: Option<EpigraphConfig>,
    /// A photo of them for the landing page: a JPEG or PNG of the site, by its path in
    /// the output (`img/portrait.jpg` for `static/img/portrait.jpg`), published like
    /// every photo (resized, without its metadata).
    #[serde(default)]
    pub portrait: Option<String>,
    /// What the portrait shows, for readers who cannot see it; by default the name.
    #[serde(default)]
    pub portrait_alt: Option<String>,
}

/// `[person.epigraph]`: a quotation in the person's own words, shown on the landing page.
/// The build fails unless `text` is in `page` word for word, so a quotation can never
/// drift from its source.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EpigraphConfig {
    /// The words, exactly as the page has them.
    pub text: String,
    /// The content file they come from, relative to `content/` (`blog/_index.md`).
    pub page: String,
}

/// `[article]` in `site.toml`: the raw article and its hand corrections.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleConfig {
    /// The raw text, relative to the site root.
    pub source: PathBuf,
    /// Corrections the importer cannot infer, relative to the site root.
    #[serde(default)]
    pub fixes: Option<PathBuf>,
    /// The folder the importer writes into, relative to the site root.
    #[serde(default = "default_import_dir")]
    pub into: PathBuf,
}

/// What an edition is called when `site.toml` does not say.
pub(super) fn default_edition_name(language: &str) -> String {
    crate::language::Language::new(language).edition_name()
}

fn default_feed_limit() -> usize {
    20
}

fn default_language() -> String {
    super::DEFAULT_LANGUAGE.into()
}
fn default_import_dir() -> PathBuf {
    PathBuf::from("content")
}
fn default_cjk_speed() -> u32 {
    400
}
fn default_word_speed() -> u32 {
    200
}
fn yes() -> bool {
    true
}
