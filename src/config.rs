//! `site.toml`: parsed once, validated (unknown keys are errors with a suggestion),
//! and settled with the command line's overrides into [`Settings`] before any stage runs.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{fs, Diagnostic, Location, Result};

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// The contents of `site.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's title, shown in every page's `<title>` and header.
    pub title: String,
    /// Where the site is published, e.g. `https://user.github.io/repo/`.
    #[serde(default = "default_base_url")]
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
    /// How Markdown is rendered.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Reading-time estimate speeds.
    #[serde(default)]
    pub reading: ReadingConfig,
    /// The person a memorial site remembers: shown in the header and in metadata.
    #[serde(default)]
    pub person: Option<PersonConfig>,
    /// The damaged article the content is imported from, if any.
    #[serde(default)]
    pub article: Option<ArticleConfig>,
    /// Free-form values for templates (`config.extra.*`).
    #[serde(default)]
    pub extra: toml::Table,
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

fn default_base_url() -> String {
    "/".into()
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
        let path = root.join(CONFIG_FILE);
        let bytes = fs::read(&path)?;
        let shown = Path::new(CONFIG_FILE);
        let text = String::from_utf8(bytes).map_err(|e| {
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Diagnostic::at(
                Location::from_offset(shown, &text, e.utf8_error().valid_up_to()),
                "site.toml is not valid UTF-8",
            )
        })?;
        let config: SiteConfig = parse_toml(shown, &text, 0)?;
        config.validate(shown, &text)?;
        Ok(config)
    }

    fn validate(&self, path: &Path, text: &str) -> Result<()> {
        base_path_of(&self.base_url).map_err(|message| {
            let offset = key_offset(text, "base_url").unwrap_or(0);
            Diagnostic::at(Location::from_offset(path, text, offset), message)
                .with_help("write the address the site is published at, e.g. base_url = \"https://user.github.io/repo/\"")
        })?;
        Ok(())
    }
}

/// Parses TOML into `T`, turning errors into diagnostics at the right line of the file.
///
/// `line_offset` is the number of lines in the file before `text` starts (front matter
/// begins after the opening `+++`), so the line shown is the file's, not the snippet's.
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    line_offset: usize,
) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let mut loc = Location::from_offset(path, text, offset);
        loc.line += line_offset;
        let message = e.message().trim().to_string();
        let mut diagnostic = Diagnostic::at(loc, format!("invalid TOML: {message}"));
        if let Some(help) = suggest_known_key(&message) {
            diagnostic = diagnostic.with_help(help);
        }
        diagnostic.into()
    })
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" finds the nearest valid key.
fn suggest_known_key(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let best = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(unknown, c), *c))
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    if best.0 > 0.7 {
        Some(format!("did you mean `{}`?", best.1))
    } else {
        Some(format!("valid keys here: {}", candidates.join(", ")))
    }
}

/// Byte offset of the line that sets `key`, for pointing at a bad value.
pub fn key_offset(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(after) = trimmed.strip_prefix(key) {
            if after.trim_start().starts_with('=') {
                return Some(offset + (line.len() - trimmed.len()));
            }
        }
        offset += line.len();
    }
    None
}

/// The path part of a base URL: `https://u.github.io/repo` → `/repo/`.
pub fn base_path_of(base_url: &str) -> std::result::Result<String, String> {
    let path = if let Some((scheme, rest)) = base_url.split_once("://") {
        if scheme != "http" && scheme != "https" {
            return Err(format!(
                "base_url `{base_url}` must start with http:// or https://"
            ));
        }
        match rest.find('/') {
            Some(i) => &rest[i..],
            None => "/",
        }
    } else if base_url.starts_with('/') {
        base_url
    } else {
        return Err(format!(
            "base_url `{base_url}` is neither an address (https://…) nor a path (/…)"
        ));
    };
    if path.contains(['?', '#', ' ']) {
        return Err(format!(
            "base_url `{base_url}` must not contain a query, fragment or space"
        ));
    }
    let mut path = path.to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    Ok(path)
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
}

impl Settings {
    /// Loads `site.toml` from `root` and applies the command line's options.
    pub fn load(root: &Path, options: &BuildOptions) -> Result<Settings> {
        let mut config = SiteConfig::load(root)?;
        if let Some(url) = &options.base_url {
            config.base_url = url.clone();
        }
        let base_path = base_path_of(&config.base_url).map_err(|message| {
            Diagnostic::in_file(Path::new("--base-url"), message)
                .with_help("pass an address such as https://user.github.io/repo/")
        })?;
        let mut base_url = config.base_url.clone();
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        let output_dir = match &options.output_dir {
            Some(dir) if dir.is_absolute() => dir.clone(),
            Some(dir) => std::env::current_dir()
                .map_err(|e| crate::Error::io("read current folder", Path::new("."), e))?
                .join(dir),
            None => root.join("public"),
        };
        Ok(Settings {
            root: root.to_path_buf(),
            config,
            base_path,
            base_url,
            output_dir,
            drafts: options.drafts,
        })
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
        assert_eq!(base_path_of("/sub/").unwrap(), "/sub/");
        assert!(base_path_of("example.org").is_err());
        assert!(base_path_of("ftp://x/").is_err());
    }

    #[test]
    fn unknown_key_suggests_the_nearest() {
        let err = parse_toml::<SiteConfig>(Path::new("site.toml"), "titel = \"x\"\n", 0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `titel`"), "{err}");
        assert!(err.contains("did you mean `title`?"), "{err}");
        assert!(err.contains("site.toml:1:1"), "{err}");
    }
}
