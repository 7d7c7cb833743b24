//! `Settings`: the configuration settled with the command line, and the editions it builds.

use super::base_url::parse_base_url;
use super::schema::default_edition_name;
use super::{SiteConfig, CONFIG_FILE};
use crate::error::{Diagnostic, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

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
    pub fn conversion(&self) -> Option<crate::conversion::Conversion> {
        crate::conversion::Conversion::between(&self.editions[0].language, &self.edition().language)
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
                person.portrait_alt = person
                    .portrait_alt
                    .as_deref()
                    .map(|a| conversion.convert(a));
                if let Some(epigraph) = &mut person.epigraph {
                    epigraph.text = conversion.convert(&epigraph.text);
                }
            }
            if let Some(help) = &mut config.help {
                help.heading = conversion.convert(&help.heading);
                help.text = conversion.convert_around_addresses(&help.text);
                help.link_text = help.link_text.as_deref().map(|t| conversion.convert(t));
                for resource in &mut help.resources {
                    resource.name = conversion.convert(&resource.name);
                    resource.region = conversion.convert(&resource.region);
                    // A contact is what a reader dials, types or taps: its numbers and
                    // addresses are kept as written (an address may have Chinese in
                    // it), the words around them ("24 小時") converted like any text.
                    resource.contact = conversion.convert_around_addresses(&resource.contact);
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
