//! Reading `site.toml` and checking what the schema cannot: values, hosts, paths, addresses; every error at the value's own place.

use super::base_url::{parse_base_url, EXAMPLE_BASE_URL};
use super::schema::{ArticleConfig, SiteConfig};
use super::{CONFIG_FILE, CONFIG_LIMIT};
use crate::error::{Diagnostic, Location, Result};
use crate::input::{self};
use crate::toml_spans::{self, Spans};
use std::path::Path;

/// Where a Zola site's `config.toml` says something, the `site.toml` key that says it.
const FROM_ZOLA: &str = "title, base_url, description, generate_feed, [markdown] \
highlight_code and smart_punctuation, and [extra] are the same keys; default_language is \
`language` (a BCP 47 tag such as zh-Hant); compile_sass, build_search_index and taxonomies \
have no counterpart (lectern always writes its search index). content/ with TOML front \
matter and `@/` links is read as Zola reads it; templates get lectern's variables (see \
the README)";

/// The error for a folder with no `site.toml`: what to do, and for a Zola site (a
/// `config.toml` beside the content) how its settings map.
fn missing_config(root: &Path) -> Diagnostic {
    let shown = root.join(CONFIG_FILE);
    let zola = root.join("config.toml");
    if zola.is_file() {
        Diagnostic::in_file(
            &shown,
            "there is no site.toml here, but there is a config.toml: this looks like a Zola \
             site",
        )
        .with_help(format!(
            "copy config.toml to site.toml and adjust it: {FROM_ZOLA}"
        ))
    } else {
        Diagnostic::in_file(
            &shown,
            "there is no site.toml here: this is not a lectern site",
        )
        .with_help(
            "run lectern in the site's folder, pass --root DIR, or start a site with \
                 `lectern new DIR`",
        )
    }
}

impl SiteConfig {
    /// Reads and validates `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<SiteConfig> {
        let shown = Path::new(CONFIG_FILE);
        if std::fs::symlink_metadata(root.join(CONFIG_FILE)).is_err() {
            return Err(missing_config(root).into());
        }
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
            if crate::conversion::Conversion::between(&self.language, &edition.language).is_none() {
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
                let at = |key: &str| {
                    self.locate(
                        text,
                        &format!("help.resources.{index}.{key}"),
                        &[&format!("help.resources.{index}")],
                    )
                };
                resource.validate(self.markdown.unsafe_html, at)?;
            }
        }
        if let Some(repository) = &self.repository {
            self.check_repository(repository, text)?;
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

impl SiteConfig {
    /// `repository` is a whole `https` address (the tributes page links into it), and
    /// passes the one URL rule.
    fn check_repository(&self, repository: &str, text: &str) -> Result<()> {
        let at = || self.locate(text, "repository", &[]);
        crate::address::check_url(repository, self.markdown.unsafe_html, at)?;
        let parsed = url::Url::parse(repository).ok();
        let problem = if repository
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(c))
        {
            Some("contains a space, a quote or a control character")
        } else if !repository.starts_with("https://") {
            Some("is not an https address")
        } else if !parsed
            .as_ref()
            .and_then(url::Url::host_str)
            .is_some_and(|h| h.contains('.'))
        {
            Some("has no host name")
        } else if parsed.as_ref().is_some_and(|u| {
            !u.username().is_empty() || u.query().is_some() || u.fragment().is_some()
        }) {
            Some("has a user name, a query or a fragment")
        } else {
            None
        }
        .map(|why| format!("repository `{repository}` {why}"));
        match problem {
            None => Ok(()),
            Some(problem) => Err(Diagnostic::at(at(), problem)
                .with_help("write the repository's web address, e.g. repository = \"https://github.com/owner/memorial\"")
                .into()),
        }
    }
}

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

impl SiteConfig {
    /// Every page the `[help]` block is shown on, and the epigraph's page, must be a
    /// content file. `exists` tells
    /// whether `content/<page>` exists; errors point at the entry in `site.toml`.
    pub fn check_named_pages(&self, root: &Path, exists: impl Fn(&str) -> bool) -> Result<()> {
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
        if let Some(epigraph) = self.person.as_ref().and_then(|p| p.epigraph.as_ref()) {
            if !exists(&epigraph.page) {
                errors.push(
                    Diagnostic::at(
                        self.locate(&text, "person.epigraph.page", &["person.epigraph"]),
                        format!(
                            "the epigraph is quoted from `{}`, but there is no content/{}",
                            epigraph.page, epigraph.page
                        ),
                    )
                    .with_help("name the content file the words come from, relative to content/, e.g. \"blog/_index.md\"")
                    .into(),
                );
            }
        }
        crate::error::Error::from_list(errors)
    }

    /// The place in `site.toml` of the value at key path `key` (`person.portrait`), for
    /// an error a later stage finds in a setting.
    pub fn place_of(&self, root: &Path, key: &str) -> Location {
        let text = input::read_in_site(root, Path::new(CONFIG_FILE), &CONFIG_LIMIT)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        self.locate(&text, key, &[])
    }

    /// The error for an epigraph that its page does not hold word for word (`edition`:
    /// the edition whose text was searched, when there are several).
    pub fn epigraph_not_found(&self, root: &Path, edition: Option<&str>) -> crate::error::Error {
        let text = input::read_in_site(root, Path::new(CONFIG_FILE), &CONFIG_LIMIT)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        let page = self
            .person
            .as_ref()
            .and_then(|p| p.epigraph.as_ref())
            .map_or("", |e| e.page.as_str());
        let in_edition = edition.map_or(String::new(), |e| format!(" (in the {e} edition)"));
        Diagnostic::at(
            self.locate(&text, "person.epigraph.text", &["person.epigraph"]),
            format!("the epigraph is not in content/{page} word for word{in_edition}"),
        )
        .with_help("copy the words from the page as its readers see them; spaces and line breaks may differ, nothing else")
        .into()
    }
}
