//! Templates: the embedded theme with the site's `templates/` laid over it, checked
//! for endless recursion, parsed once into a [`Renderer`].

use super::{endless_templates, errors, theme, variable_use};
use crate::config::Settings;
use crate::error::{Diagnostic, Result};
use crate::memo::hash_of;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// How templates are read: a theme's largest template is a few kilobytes.
const TEMPLATE_FILE: crate::input::Limit = crate::input::Limit {
    bytes: 4 * 1024 * 1024,
    what: "templates",
    help: "a template is a page's markup: move large text into content/ or static/",
};

/// A template's name (as used in `{% extends %}`), where it came from, and its text.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// The name templates and front matter use: `page.html`.
    pub name: String,
    /// The file, for messages: the site's `templates/page.html` or the built-in theme's.
    pub path: PathBuf,
    /// The template text.
    pub text: String,
}

/// The parsed templates, ready to render pages.
pub struct Renderer {
    tera: tera::Tera,
    sources: Vec<TemplateSource>,
    /// The templates that read the site-wide `references` (see [`super::variable_use`]).
    pub(super) reading_references: HashSet<String>,
    /// The page templates that read the navigation tree `nav` (the theme's read only
    /// `nav_html`, the tree rendered once by `nav.html`, which gets its own `nav`).
    pub(super) reading_nav: HashSet<String>,
}

impl Renderer {
    /// Every template's name, file and text (the site's own and the built-in ones).
    pub fn template_sources(&self) -> &[TemplateSource] {
        &self.sources
    }

    /// Parses the embedded theme with the site's `templates/` laid over it.
    pub fn load(settings: &Settings) -> Result<Renderer> {
        let mut sources: Vec<TemplateSource> = theme::TEMPLATES
            .iter()
            .map(|(name, text)| TemplateSource {
                name: name.to_string(),
                path: PathBuf::from(format!("(built-in theme) templates/{name}")),
                text: text.to_string(),
            })
            .collect();
        // Every name checked and every link kept inside the site (see `input::walk`).
        let hidden = |name: &std::ffi::OsStr| name.to_string_lossy().starts_with('.');
        for file in crate::input::walk(&settings.root, "templates", hidden)? {
            let is_template = [".html", ".htm", ".xml", ".txt", ".json"]
                .iter()
                .any(|e| file.relative.ends_with(e));
            if !is_template {
                continue;
            }
            let text = String::from_utf8(file.read(&TEMPLATE_FILE)?).map_err(|_| {
                Diagnostic::in_file(&file.shown, "this template is not valid UTF-8")
            })?;
            let source = TemplateSource {
                name: file.relative,
                path: file.shown,
                text,
            };
            match sources.iter_mut().find(|s| s.name == source.name) {
                Some(existing) => *existing = source,
                None => sources.push(source),
            }
        }
        let mut tera = tera::Tera::default();
        // Tera's default also escapes `/`, which makes every URL unreadable in the source.
        tera.set_escape_fn(crate::escape::html);
        endless_templates::check_extends(&sources)?;
        tera.add_raw_templates(sources.iter().map(|s| (s.name.as_str(), s.text.as_str())))
            .map_err(|e| errors::parse_error(&e, &sources))?;
        endless_templates::check(&tera, &sources)?;
        let base_path = settings.base_path.clone();
        tera.register_function(
            "get_url",
            move |args: &std::collections::HashMap<String, tera::Value>| {
                let path = args
                    .get("path")
                    .and_then(tera::Value::as_str)
                    .ok_or_else(|| tera::Error::msg("get_url needs path=\"…\""))?;
                Ok(tera::Value::String(format!(
                    "{base_path}{}",
                    path.trim_start_matches('/')
                )))
            },
        );
        let reading_references = variable_use::templates_reading(&tera, "references");
        let mut reading_nav = variable_use::templates_reading(&tera, "nav");
        reading_nav.remove("nav.html");
        Ok(Renderer {
            tera,
            sources,
            reading_references,
            reading_nav,
        })
    }

    /// A hash of every template's name and text: pages made with other templates differ.
    pub fn fingerprint(&self) -> u64 {
        hash_of(
            &self
                .sources
                .iter()
                .map(|s| (&s.name, &s.text))
                .collect::<Vec<_>>(),
        )
    }

    /// Whether a template of this name exists.
    pub fn has_template(&self, name: &str) -> bool {
        self.sources.iter().any(|s| s.name == name)
    }

    pub(super) fn render(
        &self,
        template: &str,
        context: &tera::Context,
        page: &Path,
    ) -> Result<String> {
        self.tera
            .render(template, context)
            .map_err(|e| errors::render_error(&e, template, page, &self.sources).into())
    }

    /// [`Renderer::render`] into bytes, in a buffer of `capacity` to begin with: a page
    /// is neither checked as UTF-8 again nor moved each time its buffer would grow.
    pub(super) fn render_bytes(
        &self,
        template: &str,
        context: &tera::Context,
        page: &Path,
        capacity: usize,
    ) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(capacity);
        self.tera
            .render_to(template, context, &mut out)
            .map_err(|e| errors::render_error(&e, template, page, &self.sources))?;
        Ok(out)
    }
}
