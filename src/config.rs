//! `site.toml`: parsed once, validated (unknown keys are errors with a suggestion),
//! and settled with the command line's overrides into [`Settings`] before any stage runs.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Location, Result};
use crate::input::{self, Limit};
use crate::toml_spans::{self, Spans};

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.toml";

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
    pub pages: Vec<String>,
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
fn default_edition_name(language: &str) -> String {
    crate::language::Language::new(language).edition_name()
}

fn default_feed_limit() -> usize {
    20
}

fn default_language() -> String {
    "zh-Hant".into()
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

impl SiteConfig {
    /// Reads and validates `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<SiteConfig> {
        let shown = Path::new(CONFIG_FILE);
        let bytes = input::read_in_site(root, shown, &CONFIG_LIMIT)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Diagnostic::at(
                Location::from_offset(shown, &text, e.utf8_error().valid_up_to()),
                "site.toml is not valid UTF-8",
            )
        })?;
        let (mut config, spans): (SiteConfig, Spans) =
            toml_spans::parse(shown, &text, 0..text.len())?;
        config.spans = spans;
        config.validate(&text)?;
        if let Some(article) = &config.article {
            article.validate(root, shown, &text, &config.spans)?;
        }
        Ok(config)
    }

    /// The place in `site.toml` (whose text is `text`) of the value at key path `key`
    /// (see [`Spans`]), else of the first of `fallbacks` that is written, else line 1.
    fn locate(&self, text: &str, key: &str, fallbacks: &[&str]) -> Location {
        let offset = std::iter::once(key)
            .chain(fallbacks.iter().copied())
            .find_map(|key| self.spans.value_start(key, text))
            .unwrap_or(0);
        Location::from_offset(Path::new(CONFIG_FILE), text, offset)
    }

    fn validate(&self, text: &str) -> Result<()> {
        for (index, edition) in self.editions.iter().enumerate() {
            let at = |key: &str| self.locate(text, &format!("editions.{index}.{key}"), &[]);
            let simple = !edition.path.is_empty()
                && edition
                    .path
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !simple {
                return Err(Diagnostic::at(
                    at("path"),
                    format!(
                        "edition path `{}` must be lower-case ASCII letters, digits and `-`",
                        edition.path
                    ),
                )
                .with_help("for example path = \"zh-hans\"")
                .into());
            }
            if crate::script::Conversion::between(&self.language, &edition.language).is_none() {
                return Err(Diagnostic::at(
                    at("language"),
                    format!("lectern cannot convert `{}` text into `{}`", self.language, edition.language),
                )
                .with_help("editions convert between Traditional (zh-Hant) and Simplified (zh-Hans) Chinese")
                .into());
            }
        }
        if let Some(help) = &self.help {
            for (index, resource) in help.resources.iter().enumerate() {
                let at = || self.locate(text, &format!("help.resources.{index}.url"), &[]);
                resource.validate(self.markdown.unsafe_html, at)?;
            }
        }
        if let Some(cname) = &self.cname {
            check_host_name(cname).map_err(|problem| {
                Diagnostic::at(
                    self.locate(text, "cname", &[]),
                    format!("cname `{cname}` is not a domain name: {problem}"),
                )
                .with_help("write the bare domain the site is served at, e.g. cname = \"memorial.example.org\"")
            })?;
        }
        if self.spans.value("base_url").is_none() {
            return Err(Diagnostic::in_file(
                Path::new(CONFIG_FILE),
                "site.toml has no `base_url`: the address the site is published at",
            )
            .with_help(format!(
                "add it above the first [table], e.g. base_url = \"{EXAMPLE_BASE_URL}\""
            ))
            .into());
        }
        parse_base_url(&self.base_url).map_err(|bad| {
            Diagnostic::at(self.locate(text, "base_url", &[]), bad.message).with_help(format!(
                "write the whole address the site is published at, e.g. base_url = \"{}\"",
                bad.suggestion
            ))
        })?;
        Ok(())
    }
}

/// The most of `site.toml` lectern reads: a site's settings are a few kilobytes.
pub(crate) const CONFIG_LIMIT: Limit = Limit {
    bytes: 1024 * 1024,
    what: "site.toml",
    help: "site.toml holds settings; put text into content/",
};

/// Whether `name` is a host name GitHub Pages can serve, for `CNAME`: labels of ASCII
/// letters, digits and `-` (not first or last), 1–63 long, at least two of them, 253
/// characters in all. No scheme, path, port or space: the file is written as it is.
fn check_host_name(name: &str) -> std::result::Result<(), &'static str> {
    if name.contains("://") {
        return Err("write the domain alone, without http:// or https://");
    }
    if name.contains(['/', ':', '?', '#', '@']) {
        return Err("write the domain alone, without a path or port");
    }
    if name.contains(char::is_whitespace) {
        return Err("a domain has no spaces");
    }
    if name.is_empty() || name.len() > 253 {
        return Err("a domain is 1 to 253 characters long");
    }
    if !name.contains('.') {
        return Err("a domain has at least one dot, such as example.org");
    }
    for label in name.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("each part between dots is 1 to 63 characters long");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err("a domain has only ASCII letters, digits, `-` and dots");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("no part between dots starts or ends with `-`");
        }
    }
    Ok(())
}

impl ArticleConfig {
    /// The article, the fixes file and the import's folder are inside the site: the
    /// import publishes what it reads and writes where it is told, so a path out of
    /// the site (or a link out of it) could publish the build machine's files.
    fn validate(&self, root: &Path, path: &Path, text: &str, spans: &Spans) -> Result<()> {
        let paths = [
            ("source", Some(&self.source)),
            ("fixes", self.fixes.as_ref()),
            ("into", Some(&self.into)),
        ];
        for (key, value) in paths {
            let Some(value) = value else { continue };
            // `into` may be left at its default: then the `[article]` table is blamed.
            let at = || {
                let offset = spans
                    .value_start(&format!("article.{key}"), text)
                    .or_else(|| spans.value_start("article", text))
                    .unwrap_or(0);
                Location::from_offset(path, text, offset)
            };
            if !input::is_plain_relative(value) {
                return Err(Diagnostic::at(
                    at(),
                    format!(
                        "[article] {key} `{}` is not a path inside the site",
                        value.display()
                    ),
                )
                .with_help("name it relative to the site's folder, without `..`, e.g. \"sources/article.txt\"")
                .into());
            }
            input::resolve_in_site(root, value).map_err(|error| {
                let why = error
                    .diagnostics()
                    .first()
                    .map_or_else(|| error.to_string(), |d| d.message.clone());
                Diagnostic::at(at(), format!("[article] {key}: {why}")).with_help(
                    "keep the article and its fixes in the site, not behind a link out of it",
                )
            })?;
        }
        Ok(())
    }
}

impl HelpResource {
    /// Its source must be a web address, and pass the one URL rule; `at` is where
    /// its `url` is written.
    fn validate(&self, unsafe_html: bool, at: impl Fn() -> Location) -> Result<()> {
        crate::markdown::check_url(&self.url, unsafe_html, &at)?;
        let web = (self.url.starts_with("https://") || self.url.starts_with("http://"))
            && !self.url.contains(char::is_whitespace);
        if !web {
            return Err(Diagnostic::at(
                at(),
                format!(
                    "the source of `{}` must be a web address, not `{}`",
                    self.name, self.url
                ),
            )
            .with_help("write the address of the page the contact details were taken from")
            .into());
        }
        Ok(())
    }
}

impl SiteConfig {
    /// Every page the `[help]` block is shown on must be a content file. `exists` tells
    /// whether `content/<page>` exists; errors point at the entry in `site.toml`.
    pub fn check_help_pages(&self, root: &Path, exists: impl Fn(&str) -> bool) -> Result<()> {
        let Some(help) = &self.help else {
            return Ok(());
        };
        let text = input::read_in_site(root, Path::new(CONFIG_FILE), &CONFIG_LIMIT)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        let mut errors = Vec::new();
        for (index, page) in help.pages.iter().enumerate() {
            if exists(page) {
                continue;
            }
            errors.push(
                Diagnostic::at(
                    self.locate(&text, &format!("help.pages.{index}"), &["help.pages"]),
                    format!("[help] pages names `{page}`, but there is no content/{page}"),
                )
                .with_help("name content files relative to content/, e.g. \"blog/last.md\" or \"_index.md\"")
                .into(),
            );
        }
        crate::error::Error::from_list(errors)
    }
}

/// The address lectern suggests when a `base_url` gives nothing better to go on.
const EXAMPLE_BASE_URL: &str = "https://user.github.io/repo/";

/// The path part of a base URL: `https://u.github.io/repo` → `/repo/`.
pub fn base_path_of(base_url: &str) -> std::result::Result<String, String> {
    parse_base_url(base_url)
        .map(|(_, path)| path)
        .map_err(|bad| bad.message)
}

/// Why a `base_url` was refused, and a whole address to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadBaseUrl {
    /// What is wrong, naming the value as given.
    pub message: String,
    /// The address to suggest: the value made whole where lectern can tell what was
    /// meant (`/repo/` → `https://example.org/repo/`), else an example.
    pub suggestion: String,
}

/// A checked base URL, with a trailing slash, and its path part, which always starts
/// and ends with `/`: `https://u.github.io/repo` → (`https://u.github.io/repo/`,
/// `/repo/`).
///
/// It is written into every page, the feed, the sitemap, `404.html`'s script and
/// stylesheet addresses and the server's reload script, so it is parsed as a URL (not
/// cut up as text) and must be an absolute `http`/`https` address with a host and
/// nothing else: no user name, query or fragment, no spaces, quotes, `<` or control
/// characters. A bare path (`/repo/`) is refused: the feed and the canonical links
/// need the host, and `//host/` is not a path but another site.
pub fn parse_base_url(raw: &str) -> std::result::Result<(String, String), BadBaseUrl> {
    let refuse = |message: String, suggestion: Option<String>| BadBaseUrl {
        message,
        suggestion: suggestion.unwrap_or_else(|| EXAMPLE_BASE_URL.to_string()),
    };
    if let Some(bad) = raw
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(*c))
    {
        let what = match bad {
            c if c.is_whitespace() => "a space".to_string(),
            c if c.is_control() => "a control character".to_string(),
            c => format!("`{c}`"),
        };
        return Err(refuse(format!("base_url `{raw}` contains {what}"), None));
    }
    // What was probably meant, if `raw` parses once a scheme (and a host) is put in
    // front of it: `/repo/`, `//example.org/`, `example.org/repo`.
    let made_whole = |prefix: &str| {
        url::Url::parse(&format!("{prefix}{raw}"))
            .ok()
            .filter(|u| u.host_str().is_some_and(|h| h.contains('.')))
            .filter(|u| u.query().is_none() && u.fragment().is_none())
            .map(|u| {
                let mut whole = u.to_string();
                if !whole.ends_with('/') {
                    whole.push('/');
                }
                whole
            })
    };
    if raw.starts_with("//") {
        return Err(refuse(
            format!("base_url `{raw}` has no scheme: it must start with https:// or http://"),
            made_whole("https:"),
        ));
    }
    if raw.starts_with('/') {
        return Err(refuse(
            format!(
                "base_url `{raw}` is a path, not an address: lectern needs the whole \
                 address the site is published at (the feed, the sitemap and the \
                 canonical links name it)"
            ),
            made_whole("https://example.org"),
        ));
    }
    let url = url::Url::parse(raw).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => refuse(
            format!("base_url `{raw}` has no scheme: it must start with https:// or http://"),
            made_whole("https://"),
        ),
        e => refuse(
            format!("base_url `{raw}` is not a valid address: {e}"),
            None,
        ),
    })?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(refuse(
            format!("base_url `{raw}` must start with https:// or http://"),
            None,
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(refuse(format!("base_url `{raw}` has no host name"), None));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(
            format!("base_url `{raw}` must not contain a user name or password"),
            None,
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse(
            format!("base_url `{raw}` must not contain a query or fragment"),
            None,
        ));
    }
    let mut base_url = url.to_string();
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let mut path = url.path().to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    Ok((base_url, path))
}

/// Options from the command line that change a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The output folder; `public/` under the site root when absent.
    pub output_dir: Option<PathBuf>,
    /// Replaces `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    pub drafts: bool,
}

/// Everything a build needs to know, settled before any stage runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The site root (the folder holding `site.toml`).
    pub root: PathBuf,
    /// The parsed `site.toml`, with `base_url` already overridden.
    pub config: SiteConfig,
    /// The path part of `base_url`, always starting and ending with `/`.
    pub base_path: String,
    /// `base_url` with a trailing slash, for absolute links (feed, sitemap).
    pub base_url: String,
    /// Where the site is written.
    pub output_dir: PathBuf,
    /// Whether drafts are built.
    pub drafts: bool,
    /// Every edition of the site, the source edition first.
    pub editions: Vec<Edition>,
    /// Which of `editions` this build writes.
    pub current_edition: usize,
}

/// One edition of the site as the build sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Edition {
    /// Its name in the edition switch.
    pub name: String,
    /// Its language tag.
    pub language: String,
    /// Its folder in the output, `""` for the source edition, else `zh-hans/`.
    pub prefix: String,
    /// Its root-relative base path, e.g. `/repo/zh-hans/`.
    pub base_path: String,
    /// Its absolute base URL.
    pub base_url: String,
}

impl Settings {
    /// Loads `site.toml` from `root` and applies the command line's options.
    pub fn load(root: &Path, options: &BuildOptions) -> Result<Settings> {
        Settings::from_config(root, SiteConfig::load(root)?, options)
    }

    /// Settles an already loaded `site.toml` with the command line's options.
    pub fn from_config(
        root: &Path,
        mut config: SiteConfig,
        options: &BuildOptions,
    ) -> Result<Settings> {
        if let Some(url) = &options.base_url {
            config.base_url = url.clone();
        }
        // site.toml's own base_url was checked, at its place, as it loaded.
        let (base_url, base_path) = parse_base_url(&config.base_url).map_err(|bad| {
            let (file, help) = if options.base_url.is_some() {
                (
                    "-u/--base-url",
                    format!(
                        "pass the whole address the site is published at, e.g. -u {}",
                        bad.suggestion
                    ),
                )
            } else {
                (
                    CONFIG_FILE,
                    format!(
                        "write the whole address the site is published at, e.g. base_url = \"{}\"",
                        bad.suggestion
                    ),
                )
            };
            Diagnostic::in_file(Path::new(file), bad.message).with_help(help)
        })?;
        let output_dir = match &options.output_dir {
            Some(dir) if dir.is_absolute() => dir.clone(),
            Some(dir) => std::env::current_dir()
                .map_err(|e| crate::Error::io("read current folder", Path::new("."), e))?
                .join(dir),
            None => root.join("public"),
        };
        let source_name = config
            .edition_name
            .clone()
            .unwrap_or_else(|| default_edition_name(&config.language));
        let mut editions = vec![Edition {
            name: source_name,
            language: config.language.clone(),
            prefix: String::new(),
            base_path: base_path.clone(),
            base_url: base_url.clone(),
        }];
        for edition in &config.editions {
            let prefix = format!("{}/", edition.path);
            editions.push(Edition {
                name: edition
                    .name
                    .clone()
                    .unwrap_or_else(|| default_edition_name(&edition.language)),
                language: edition.language.clone(),
                base_path: format!("{base_path}{prefix}"),
                base_url: format!("{base_url}{prefix}"),
                prefix,
            });
        }
        Ok(Settings {
            root: root.to_path_buf(),
            config,
            base_path,
            base_url,
            output_dir,
            drafts: options.drafts,
            editions,
            current_edition: 0,
        })
    }

    /// The path of the whole site's root (the source edition's base path), which every
    /// edition's pages sit under.
    pub fn site_base_path(&self) -> &str {
        &self.editions[0].base_path
    }

    /// The edition being built.
    pub fn edition(&self) -> &Edition {
        &self.editions[self.current_edition]
    }

    /// The conversion from the source's script to the current edition's, if any.
    pub fn conversion(&self) -> Option<crate::script::Conversion> {
        crate::script::Conversion::between(&self.editions[0].language, &self.edition().language)
    }

    /// These settings for edition `index`: its base path and language, and the site's
    /// words in its script.
    pub fn for_edition(&self, index: usize) -> Settings {
        let mut settings = self.clone();
        settings.current_edition = index;
        let edition = &self.editions[index];
        settings.base_path = edition.base_path.clone();
        settings.base_url = edition.base_url.clone();
        settings.config.language = edition.language.clone();
        if let Some(conversion) = settings.conversion() {
            let config = &mut settings.config;
            config.title = conversion.convert(&config.title);
            config.description = conversion.convert(&config.description);
            config.author = config.author.as_deref().map(|a| conversion.convert(a));
            if let Some(person) = &mut config.person {
                person.name = conversion.convert(&person.name);
                person.job_title = person.job_title.as_deref().map(|j| conversion.convert(j));
            }
            if let Some(help) = &mut config.help {
                help.heading = conversion.convert(&help.heading);
                help.text = conversion.convert(&help.text);
                for resource in &mut help.resources {
                    resource.name = conversion.convert(&resource.name);
                    resource.region = conversion.convert(&resource.region);
                    // Numbers and addresses pass through the conversion unchanged; the
                    // words around them ("24 小時") are converted like any text.
                    resource.contact = conversion.convert(&resource.contact);
                }
            }
        }
        settings
    }

    /// Settings for unit tests: a site at `/` with the default configuration, settled
    /// as a real build's are (its one edition included).
    #[cfg(test)]
    pub fn for_test() -> Settings {
        let config: SiteConfig =
            toml::from_str("title = \"Test\"\nbase_url = \"https://example.org/\"").expect("valid");
        let options = BuildOptions {
            output_dir: Some(PathBuf::from("/public")),
            base_url: None,
            drafts: false,
        };
        Settings::from_config(Path::new("/"), config, &options).expect("valid settings")
    }

    /// The site's `content/` folder.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// A root-relative URL for a path inside the site: `blog/x/` → `/repo/blog/x/`.
    pub fn url_for(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// An absolute URL for a path inside the site, for feeds and sitemaps.
    pub fn permalink_for(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_keeps_the_project_path() {
        assert_eq!(base_path_of("https://u.github.io/repo").unwrap(), "/repo/");
        assert_eq!(base_path_of("https://example.org").unwrap(), "/");
        assert_eq!(
            base_path_of("https://example.org/%E6%96%87/").unwrap(),
            "/%E6%96%87/"
        );
        assert!(base_path_of("/sub/").is_err());
        assert!(base_path_of("example.org").is_err());
        assert!(base_path_of("ftp://x/").is_err());
    }

    #[test]
    fn base_url_is_an_absolute_web_address_with_a_host() {
        assert_eq!(
            parse_base_url("https://U.github.io/repo").unwrap(),
            (
                "https://u.github.io/repo/".to_string(),
                "/repo/".to_string()
            )
        );
        for bad in [
            "//evil.example/",
            "https://example.org/\"+alert(1)+\"",
            "https://exa mple.org/",
            "https://exa<mple.org/",
            "https://",
            "https://user:pw@example.org/",
            "https://example.org/?q",
            "javascript:alert(1)",
            "/a\u{1b}b/",
            "/",
            "/repo/",
            "",
            "mailto:a@example.org",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_base_url_that_is_not_whole_is_refused_with_the_whole_form() {
        for (raw, suggested) in [
            ("/repo/", "https://example.org/repo/"),
            ("/repo", "https://example.org/repo/"),
            ("/", "https://example.org/"),
            ("//example.com/x/", "https://example.com/x/"),
            ("example.org", "https://example.org/"),
            ("user.github.io/repo", "https://user.github.io/repo/"),
            ("ftp://example.org/", EXAMPLE_BASE_URL),
            ("localhost:1111", EXAMPLE_BASE_URL),
        ] {
            let bad = parse_base_url(raw).unwrap_err();
            assert!(bad.message.contains(&format!("`{raw}`")), "{raw}: {bad:?}");
            assert_eq!(bad.suggestion, suggested, "{raw}");
        }
        assert!(parse_base_url("/repo/")
            .unwrap_err()
            .message
            .contains("is a path, not an address"));
    }

    /// The keys every site.toml has, on lines 1 and 2.
    const BASE: &str = "title = \"T\"\nbase_url = \"https://example.org/\"\n";

    fn load(text: &str) -> Result<SiteConfig> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        SiteConfig::load(dir.path())
    }

    #[test]
    fn cname_must_be_a_bare_domain_and_is_reported_at_its_line() {
        for bad in [
            "evil.com/x",
            "a b.com",
            "https://x.org",
            "-x.org",
            "x-.org",
            "x.org:8080",
            "localhost",
            "x..org",
            "x.org.",
            "\u{e9}t\u{e9}.fr",
            "x.org\\nEvil: header",
        ] {
            let err = load(&format!("{BASE}\ncname = \"{bad}\"\n"))
                .unwrap_err()
                .to_string();
            assert!(err.contains("site.toml:4:10"), "{bad}: {err}");
            assert!(err.contains("is not a domain name"), "{bad}: {err}");
        }
        let long = format!("{}.org", "a".repeat(64));
        let err = load(&format!("{BASE}cname = \"{long}\"\n")).unwrap_err();
        assert!(err.to_string().contains("1 to 63"), "{err}");
        for good in ["memorial.example.org", "x.org", "a-b.C0.example"] {
            load(&format!("{BASE}cname = \"{good}\"\n")).unwrap_or_else(|e| panic!("{good}: {e}"));
        }
    }

    #[test]
    fn article_paths_must_stay_inside_the_site() {
        for (key, value) in [
            ("source", "/dev/zero"),
            ("source", "../../etc/passwd"),
            ("fixes", "/etc/passwd"),
            ("into", "/tmp"),
            ("into", "content/../.."),
        ] {
            let before = if key == "source" {
                ""
            } else {
                "source = \"sources/a.txt\"\n"
            };
            // A key of the same name in a comment or another table misleads nothing.
            let text = format!(
                "{BASE}[extra]\n{key} = \"{value}\"\n[article]\n# {key} = \"{value}\"\n{before}{key} = \"{value}\"\n"
            );
            let err = load(&text).unwrap_err().to_string();
            assert!(err.contains(&format!("{key} `{value}`")), "{err}");
            assert!(err.contains("not a path inside the site"), "{err}");
            let line = if key == "source" { 7 } else { 8 };
            let column = key.len() + 5;
            assert!(err.contains(&format!("site.toml:{line}:{column}")), "{err}");
        }
    }

    #[test]
    fn article_paths_may_not_lead_out_of_the_site_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sources")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("sources/a.txt")).unwrap();
        let text = format!("{BASE}[article]\nsource = \"sources/a.txt\"\n");
        std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        let err = SiteConfig::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("site.toml:4:11"), "{err}");
        assert!(
            err.contains("sources/a.txt is a symbolic link to /etc/passwd, outside the site"),
            "{err}"
        );
    }

    #[test]
    fn site_toml_that_is_a_fifo_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = std::ffi::CString::new(dir.path().join(CONFIG_FILE).to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0);
        let err = SiteConfig::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("site.toml is a FIFO"), "{err}");
    }

    #[test]
    fn unknown_key_suggests_the_nearest() {
        let err = load("titel = \"x\"\n").unwrap_err().to_string();
        assert!(err.contains("unknown field `titel`"), "{err}");
        assert!(err.contains("did you mean `title`?"), "{err}");
        assert!(err.contains("site.toml:1:1"), "{err}");
    }

    #[test]
    fn base_url_is_required_and_checked_at_its_value() {
        let err = load("title = \"T\"\n").unwrap_err().to_string();
        assert!(err.contains("site.toml has no `base_url`"), "{err}");
        let err = load("title = \"T\"\n# base_url = \"/x/\"\nbase_url = '/repo/'\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("site.toml:3:13"), "{err}");
        assert!(
            err.contains("base_url = \"https://example.org/repo/\""),
            "{err}"
        );
    }

    #[test]
    fn an_edition_is_blamed_at_its_own_value() {
        let text = format!(
            "{BASE}[[editions]]\nlanguage = \"zh-Hans\"\npath = \"zh-hans\"\n[[editions]]\nlanguage = \"zh-Hans\"\npath = \"Zh Hans\"\n[[editions]]\npath = \"ok\"\nlanguage = \"fr\"\n"
        );
        let err = load(&text).unwrap_err().to_string();
        assert!(err.contains("site.toml:8:9"), "{err}");
        let err = load(&text.replace("Zh Hans", "zh-hant"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot convert"), "{err}");
        assert!(err.contains("site.toml:11:13"), "{err}");
    }
}
