//! Pages: each document's page, the single-page view and the 404 page rendered to
//! bytes, from the shared context made once and each page's own.

use super::context::{link, page_references, site_references, url_of, PageContext, SiteReference};
use super::relative::relative_urls;
use super::{context, memorial, nav, strings, Renderer};
use crate::config::Settings;
use crate::content::{DocId, DocKind, Site};
use crate::error::{Diagnostic, Location, Result};
use crate::markdown::{Citation, RenderedMarkdown};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The template a document is rendered with.
fn template_for(site: &Site, id: DocId) -> String {
    let doc = &site.docs[id];
    if let Some(template) = &doc.front.template {
        return template.clone();
    }
    match doc.kind {
        _ if id == site.root => "index.html".into(),
        DocKind::Section => "section.html".into(),
        DocKind::Page => "page.html".into(),
    }
}

/// What pages show of documents other than their own. It is gathered before any page
/// is rendered, so that each page can be written as soon as its own Markdown is done.
#[derive(Debug)]
pub struct CrossPageContent<'a> {
    /// Each document's citations, by document id: `references` lists where each
    /// reference is cited across the site. The same in every edition.
    pub citations: &'a [Vec<Citation>],
    /// Each tribute's Markdown, by document id: its section's page shows it in full.
    pub tributes: HashMap<DocId, RenderedMarkdown>,
}

/// Turns one document's rendered Markdown into its finished page: what every page
/// shares (the base context, the navigation) is made once, in [`PageWriter::new`].
/// Pages are independent of each other, so any batch of them can be written in any
/// order.
pub struct PageWriter<'a> {
    job: PageJob<'a>,
    nav: nav::NavCache,
}

impl<'a> PageWriter<'a> {
    /// Prepares the pages of `site`; `shared` is what they show of other documents.
    pub fn new(
        renderer: &'a Renderer,
        site: &'a Site,
        settings: &'a Settings,
        shared: &'a CrossPageContent<'a>,
    ) -> Result<PageWriter<'a>> {
        let references = (!renderer.reading_references.is_empty())
            .then(|| site_references(site, &settings.base_path, shared.citations));
        let job = PageJob {
            renderer,
            site,
            settings,
            shared,
            base: base_context(site, settings),
            references,
            positions: site.reading_positions(),
        };
        let nav = nav::NavCache::build(renderer, site, settings, &job.context_for("nav.html"))?;
        Ok(PageWriter { job, nav })
    }

    /// Where document `id`'s page is written in the output.
    pub fn path_of(&self, id: DocId) -> String {
        let PageJob { site, settings, .. } = self.job;
        format!(
            "{}{}index.html",
            settings.edition().prefix,
            site.docs[id].url_path
        )
    }

    /// Document `id`'s page from its Markdown, with URLs relative to `path` (its
    /// [`PageWriter::path_of`]).
    pub fn page(&self, id: DocId, markdown: &RenderedMarkdown, path: &str) -> Result<Arc<[u8]>> {
        let PageJob { site, settings, .. } = self.job;
        let nav_html = self.nav.for_doc(site, settings, id);
        let html = render_document(&self.job, &self.nav, id, markdown, &nav_html)?;
        Ok(Arc::from(relative_urls(
            &html,
            settings.site_base_path(),
            path,
        )))
    }

    /// The single-page view (`all.html`) from every document's single-page Markdown
    /// (`single`, by document id): its output path and bytes.
    pub fn single_page(&self, single: &[RenderedMarkdown]) -> Result<(String, Vec<u8>)> {
        let PageJob {
            renderer,
            site,
            settings,
            ..
        } = self.job;
        let view = crate::markdown::View::SinglePage(&self.job.positions);
        let documents: Vec<context::SinglePageDocument> = site
            .reading_order
            .iter()
            .map(|&id| {
                let doc = &site.docs[id];
                context::SinglePageDocument {
                    title: &doc.title,
                    anchor: view.document_anchor(id),
                    url: url_of(&settings.base_path, doc),
                    content: &single[id].html,
                    depth: site.depth_of(id),
                    title_level: crate::markdown::View::title_level(site, id),
                    is_section: doc.is_section(),
                    tribute: memorial::tribute_view(site, settings, id, true),
                }
            })
            .collect();
        let mut context = self.job.context_for("all.html");
        let title = context_string(&context, "read_all");
        let permalink = settings.permalink_for(SINGLE_PAGE_PATH);
        let url = settings.url_for(SINGLE_PAGE_PATH);
        context.insert(
            "json_ld",
            &context::json_ld(settings, &title, &permalink, None, None),
        );
        context.insert(
            "single_page",
            &serde_json::json!({ "title": title, "url": url, "permalink": permalink }),
        );
        context.insert("documents", &documents);
        context.insert(
            "help",
            &settings.config.help.as_ref().map(memorial::HelpView::new),
        );
        context.insert("page_path", SINGLE_PAGE_PATH);
        context.insert("nav_html", &self.nav.for_page(site, None, Some(&url)));
        self.insert_nav(&mut context, "all.html", None, Some(&url));
        let html = renderer.render("all.html", &context, Path::new("all.html"))?;
        let path = format!("{}{SINGLE_PAGE_PATH}index.html", settings.edition().prefix);
        let html = relative_urls(html.as_bytes(), settings.site_base_path(), &path);
        Ok((path, html))
    }

    /// The help page (`help-page.html`, at [`memorial::HELP_PAGE_PATH`]): the whole help
    /// block on a page of its own, which the link at the foot of every page leads to.
    /// Its output path and bytes, or `None` when the site has no `[help]`.
    pub fn help_page(&self) -> Result<Option<(String, Vec<u8>)>> {
        let PageJob {
            renderer,
            site,
            settings,
            ..
        } = self.job;
        let Some(help) = &settings.config.help else {
            return Ok(None);
        };
        let mut context = self.job.context_for("help-page.html");
        context.insert("help", &memorial::HelpView::new(help));
        context.insert("page_path", memorial::HELP_PAGE_PATH);
        context.insert("nav_html", &self.nav.for_page(site, None, None));
        self.insert_nav(&mut context, "help-page.html", None, None);
        let html = renderer.render("help-page.html", &context, Path::new("help-page.html"))?;
        let path = format!(
            "{}{}index.html",
            settings.edition().prefix,
            memorial::HELP_PAGE_PATH
        );
        let html = relative_urls(html.as_bytes(), settings.site_base_path(), &path);
        Ok(Some((path, html)))
    }

    /// The 404 page (`404.html`), made once for the whole site, in the first edition:
    /// GitHub Pages serves one 404 page, at the root, for every missing path.
    pub fn not_found(&self) -> Result<Option<String>> {
        let PageJob {
            renderer,
            site,
            settings,
            ..
        } = self.job;
        if settings.current_edition != 0 {
            return Ok(None);
        }
        let nav_html = self.nav.for_page(site, None, None);
        let mut context = self.job.context_for("404.html");
        self.insert_nav(&mut context, "404.html", None, None);
        render_not_found(renderer, &context, &nav_html).map(Some)
    }

    /// Gives `template` the navigation tree `nav` (see [`nav::NavCache::tree`]) if it
    /// reads it.
    fn insert_nav(
        &self,
        context: &mut tera::Context,
        template: &str,
        doc: Option<DocId>,
        current_url: Option<&str>,
    ) {
        insert_nav(&self.job, &self.nav, context, template, doc, current_url);
    }
}

/// Gives `template` the navigation tree `nav` for document `doc`, with `current_url`
/// marked, if it reads it: made per page, it is not worth making for the others.
fn insert_nav(
    job: &PageJob,
    nav: &nav::NavCache,
    context: &mut tera::Context,
    template: &str,
    doc: Option<DocId>,
    current_url: Option<&str>,
) {
    if job.renderer.reading_nav.contains(template) {
        context.insert("nav", &nav.tree(job.site, job.settings, doc, current_url));
    }
}

/// What every page's context shares: built once. The site-wide `references` is not in
/// it: see [`PageJob::context_for`].
fn base_context(site: &Site, settings: &Settings) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert("config", &settings.config);
    context.insert("base_path", &settings.base_path);
    context.insert("base_url", &settings.base_url);
    let strings = strings::for_site(&settings.config);
    context.insert("help_page", &memorial::help_link(settings, &strings));
    context.insert("strings", &strings);
    context.insert("home", &link(site, &settings.base_path, site.root));
    context.insert("total_pages", &site.reading_order.len());
    context.insert("lectern_version", env!("CARGO_PKG_VERSION"));
    context.insert("editions", &settings.editions);
    context.insert("current_edition", &settings.current_edition);
    context.insert("page_path", "");
    context.insert(
        "all_url",
        &single_page_enabled(site, settings).then(|| settings.url_for(SINGLE_PAGE_PATH)),
    );
    context.insert("search_url", &settings.url_for("search-index.js"));
    context.insert(
        "tributes_section",
        &memorial::tributes_section(site, settings),
    );
    context.insert(
        "tribute_form_url",
        &memorial::tribute_form_url(site, settings),
    );
    context.insert(
        "tribute_submit_url",
        &memorial::tribute_submit_url(site, settings),
    );
    context.insert(
        "person",
        &settings.config.person.as_ref().map(|p| {
            let portrait = memorial::portrait_html(site, settings, p);
            context::PersonContext::new(p, &settings.config.language, portrait)
        }),
    );
    context.insert("epigraph", &memorial::epigraph(site, settings));
    context.insert(
        "og_locale",
        &crate::language::Language::new(&settings.config.language).og_locale(),
    );
    context
}

/// Where the single-page view is written.
pub const SINGLE_PAGE_PATH: &str = "all/";

/// Whether the site gets a single-page view: as configured, else for up to 200 documents.
pub fn single_page_enabled(site: &Site, settings: &Settings) -> bool {
    settings
        .config
        .reading
        .single_page
        .unwrap_or(site.docs.len() <= nav::FULL_NAV_LIMIT)
}

/// A word from the theme's strings in a built context.
fn context_string(context: &tera::Context, key: &str) -> String {
    context
        .get("strings")
        .and_then(|s| s.get(key))
        .and_then(|v| v.as_str())
        .unwrap_or(key)
        .to_string()
}

/// What rendering any one page needs from the site, shared by all of them.
struct PageJob<'a> {
    renderer: &'a Renderer,
    site: &'a Site,
    settings: &'a Settings,
    shared: &'a CrossPageContent<'a>,
    base: tera::Context,
    /// The site-wide `references`, when any template reads them. Kept typed: as a
    /// template value (a map per citation) it was ten times the size.
    references: Option<Vec<SiteReference<'a>>>,
    positions: Vec<usize>,
}

impl PageJob<'_> {
    /// A new context for a page rendered with `template`: the base context, with the
    /// site-wide `references` only if the template reads them (they grow with the site,
    /// and copying them into every page made the build quadratic).
    fn context_for(&self, template: &str) -> tera::Context {
        let mut context = self.base.clone();
        if let Some(references) = &self.references {
            if self.renderer.reading_references.contains(template) {
                context.insert("references", references);
            }
        }
        context
    }
}

fn render_document(
    job: &PageJob,
    nav: &nav::NavCache,
    id: DocId,
    markdown: &RenderedMarkdown,
    nav_html: &str,
) -> Result<Vec<u8>> {
    let PageJob {
        renderer,
        site,
        settings,
        shared,
        ..
    } = *job;
    let doc = &site.docs[id];
    let template = checked_template(renderer, site, id)?;
    let base_path = &settings.base_path;
    let position = job.positions[id];
    let mut context = job.context_for(&template);
    context.insert("page", &page_context(job, id, markdown));
    context.insert("page_path", &doc.url_path);
    context.insert("section", &doc.parent.map(|p| link(site, base_path, p)));
    let prev = position
        .checked_sub(1)
        .map(|p| link(site, base_path, site.reading_order[p]));
    let next = site
        .reading_order
        .get(position + 1)
        .map(|&n| link(site, base_path, n));
    context.insert("prev", &prev);
    context.insert("next", &next);
    context.insert("nav_html", nav_html);
    let url = url_of(base_path, doc);
    insert_nav(job, nav, &mut context, &template, Some(id), Some(&url));
    context.insert(
        "tribute",
        &memorial::tribute_view(site, settings, id, false),
    );
    context.insert(
        "tributes",
        &memorial::tribute_entries(site, settings, &shared.tributes, id),
    );
    context.insert("help", &memorial::help_for(site, settings, id));
    let date = doc.front.date.map(|d| d.to_string());
    context.insert(
        "json_ld",
        &context::json_ld(
            settings,
            &doc.title,
            &settings.permalink_for(&doc.url_path),
            doc.front.description.as_deref(),
            date.as_deref(),
        ),
    );
    // The page is about its body and navigation, and a few kB of head and controls.
    let capacity = markdown.html.len() + nav_html.len() + 8 * 1024;
    renderer.render_bytes(&template, &context, &doc.source, capacity)
}

/// The template document `id` is rendered with; an error at its front matter's
/// `template` key when there is no such template.
fn checked_template(renderer: &Renderer, site: &Site, id: DocId) -> Result<String> {
    let doc = &site.docs[id];
    let template = template_for(site, id);
    if renderer.has_template(&template) {
        return Ok(template);
    }
    let offset = doc.front.offset_of(&doc.text, "template", &[]);
    Err(Diagnostic::at(
        Location::from_offset(&doc.source, &doc.text, offset),
        format!("there is no template named `{template}`"),
    )
    .with_help(format!(
        "add templates/{template}, or use one of: page.html, section.html, references.html"
    ))
    .into())
}

/// What templates see of the page being rendered (`page`).
fn page_context<'a>(
    job: &PageJob<'a>,
    id: DocId,
    markdown: &'a RenderedMarkdown,
) -> PageContext<'a> {
    let PageJob { site, settings, .. } = *job;
    let doc = &site.docs[id];
    let base_path = &settings.base_path;
    let mut ancestors = Vec::new();
    let mut at = doc.parent;
    while let Some(parent) = at {
        ancestors.insert(0, link(site, base_path, parent));
        at = site.docs[parent].parent;
    }
    PageContext {
        title: &doc.title,
        title_html: &doc.title_html,
        description: doc.front.description.as_deref(),
        url: url_of(base_path, doc),
        permalink: settings.permalink_for(&doc.url_path),
        kind: if doc.is_section() { "section" } else { "page" },
        is_home: id == site.root,
        content: &markdown.html,
        summary: markdown.summary.as_deref(),
        has_code: markdown.has_highlighted_code,
        toc: &markdown.toc,
        date: doc.front.date.map(|d| d.to_string()),
        reading_minutes: markdown
            .text
            .stats
            .reading_minutes(&settings.config.reading),
        cjk_chars: markdown.text.stats.cjk_chars,
        words: markdown.text.stats.words,
        extra: &doc.front.extra,
        references: page_references(site, markdown),
        pages: doc
            .children
            .iter()
            .map(|&c| link(site, base_path, c))
            .collect(),
        ancestors,
        source: &doc.content_path,
        position: job.positions[id] + 1,
    }
}

fn render_not_found(renderer: &Renderer, base: &tera::Context, nav_html: &str) -> Result<String> {
    let mut context = base.clone();
    context.insert("nav_html", nav_html);
    renderer.render("404.html", &context, Path::new("404.html"))
}
