//! `lectern build`: one call per stage, so this file reads as the pipeline's table of
//! contents: (import) → load content → Markdown → check anchors → templates → output.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Settings;
use crate::content::{load_site, DocId, Site};
use crate::error::{Diagnostic, Error, Result};
use crate::import::{import_if_changed, stamp, ImportOptions, ImportSummary};
use crate::markdown::{self, Citation, RenderedMarkdown, View};
use crate::memo::{hash_of, Memo};
use crate::output::{
    atom_feed, doc_tokens, robots_txt, sitemap, FeedEntry, SearchDoc, SearchIndex, SiteFiles,
    SitemapEntry, Staging, Tokens,
};
use crate::render::{self, theme, CrossPageContent, Renderer};

/// What a successful build did.
#[derive(Debug)]
pub struct BuildSummary {
    /// Documents in the site, in every edition.
    pub pages: usize,
    /// Pages rendered by this build (fewer than `pages` when a previous build's were reused).
    pub rendered_pages: usize,
    /// Files written, pages included.
    pub files: usize,
    /// Wall time of the build.
    pub elapsed: Duration,
    /// Where the site was written.
    pub output_dir: PathBuf,
    /// What the import did, when `site.toml` names an article.
    pub import: Option<ImportSummary>,
    /// Files of the output the build left alone because they are a person's now.
    pub left: Vec<String>,
}

impl fmt::Display for BuildSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = std::env::current_dir()
            .ok()
            .and_then(|cwd| {
                self.output_dir
                    .strip_prefix(cwd)
                    .ok()
                    .map(Path::to_path_buf)
            })
            .unwrap_or_else(|| self.output_dir.clone());
        let shown = shown.strip_prefix(".").unwrap_or(&shown).to_path_buf();
        if let Some(report) = &self.import {
            writeln!(f, "{}", report.line)?;
            for warning in &report.warnings {
                writeln!(f, "warning: {warning}")?;
            }
        }
        for left in &self.left {
            writeln!(f, "note: {left}")?;
        }
        write!(
            f,
            "built {} pages in {} ms → {}/",
            self.pages,
            self.elapsed.as_millis(),
            shown.display().to_string().trim_end_matches('/')
        )
    }
}

/// Builds the site described by `settings` into its output folder.
pub fn build(settings: &Settings) -> Result<BuildSummary> {
    check_output_dir(settings)?;
    build_with(
        settings,
        || Staging::create(&settings.output_dir, &settings.root),
        None,
    )
    .map(|(summary, _)| summary)
}

/// What `lectern serve` keeps from one build to the next, so that an edit re-renders only
/// the documents it changed (and the pages that show them).
#[derive(Default)]
pub struct BuildCache {
    markdown: Mutex<HashMap<u64, RenderedMarkdown>>,
    pages: Mutex<HashMap<u64, Arc<[u8]>>>,
    tokens: Mutex<HashMap<u64, Arc<Tokens>>>,
}

/// Builds the site into memory, reusing what `cache` holds from the previous build.
pub fn build_in_memory(
    settings: &Settings,
    cache: &BuildCache,
) -> Result<(BuildSummary, SiteFiles)> {
    let (summary, files) = build_with(settings, || Ok(Staging::in_memory()), Some(cache))?;
    Ok((summary, files.unwrap_or_default()))
}

/// This build's views of a [`BuildCache`].
struct Memos {
    markdown: Memo<RenderedMarkdown>,
    pages: Memo<Arc<[u8]>>,
    tokens: Memo<Arc<Tokens>>,
}

fn build_with(
    settings: &Settings,
    staging: impl FnOnce() -> Result<Staging>,
    cache: Option<&BuildCache>,
) -> Result<(BuildSummary, Option<SiteFiles>)> {
    let started = Instant::now();
    let mut clock = StageClock::from_env("");
    // The templates are parsed while the article is imported and the content loaded:
    // neither needs the other, and on a small site each is a good part of the build.
    // Errors are reported in pipeline order: the import's, the templates', the content's.
    let (renderer, imported) = rayon::join(
        || Renderer::load(settings),
        || import_article_if_configured(settings).map(|import| (import, load_site(settings))),
    );
    let (import, site) = imported?;
    let renderer = renderer?;
    let site = site?;
    crate::allocator::fit_to_site(site.docs.len());
    clock.lap("import, templates and content loaded");
    let memos = cache.map(|cache| Memos {
        markdown: Memo::new(std::mem::take(
            &mut *cache.markdown.lock().expect("no panics"),
        )),
        pages: Memo::new(std::mem::take(&mut *cache.pages.lock().expect("no panics"))),
        tokens: Memo::new(std::mem::take(
            &mut *cache.tokens.lock().expect("no panics"),
        )),
    });
    let mode = Mode {
        memos: memos.as_ref(),
        problems: None,
    };
    let written = write_site(&renderer, &site, settings, staging, mode, &mut clock)?;
    let rendered_pages = memos.as_ref().map_or(written.pages, |m| m.pages.made());
    if let (Some(cache), Some(memos)) = (cache, memos) {
        *cache.markdown.lock().expect("no panics") = memos.markdown.into_entries();
        *cache.pages.lock().expect("no panics") = memos.pages.into_entries();
        *cache.tokens.lock().expect("no panics") = memos.tokens.into_entries();
    }
    let summary = BuildSummary {
        pages: written.pages,
        rendered_pages,
        files: written.files,
        elapsed: started.elapsed(),
        output_dir: settings.output_dir.clone(),
        import,
        left: written.left,
    };
    Ok((summary, written.in_memory))
}

/// Runs everything `lectern build` runs once the site is loaded (every edition's pages
/// rendered to bytes, the site's files, every output path claimed) into memory, for
/// `lectern check`: nothing is written, to the output or the site. The import is not
/// run (it writes into `content/`); the caller checks `site` as it is.
///
/// A problem with one document or one file does not stop it: its Markdown's problems
/// (found again in each edition and view), a page or a file that cannot be written (a
/// template that fails on it, a path another file has) go into `problems`, so that
/// every later stage is reached too. The error is the first problem that stops even
/// this run (such as a name in `static/` that lectern cannot publish).
pub fn render_in_memory(
    renderer: &Renderer,
    site: &Site,
    settings: &Settings,
    problems: &Mutex<Vec<Error>>,
) -> Result<()> {
    check_output_dir(settings)?;
    let mode = Mode {
        memos: None,
        problems: Some(problems),
    };
    let mut clock = StageClock::from_env("");
    write_site(
        renderer,
        site,
        settings,
        || Ok(Staging::in_memory()),
        mode,
        &mut clock,
    )
    .map(|_| ())
}

/// How one run of the pipeline goes.
#[derive(Clone, Copy)]
struct Mode<'a> {
    /// What the previous build made, between serve rebuilds.
    memos: Option<&'a Memos>,
    /// For `lectern check`: where the problems of single documents and files go
    /// instead of stopping the run (see [`render_in_memory`]).
    problems: Option<&'a Mutex<Vec<Error>>>,
}

impl Mode<'_> {
    /// Stops the run with `result`'s error, or in `lectern check` notes it and goes on.
    fn tolerate(&self, result: Result<()>) -> Result<()> {
        match (result, self.problems) {
            (Err(error), Some(problems)) => {
                problems.lock().expect("no panics").push(error);
                Ok(())
            }
            (result, _) => result,
        }
    }
}

/// What [`write_site`] made.
struct Written {
    /// Documents, in every edition.
    pages: usize,
    /// Files written.
    files: usize,
    /// The new site, when it was built into memory.
    in_memory: Option<SiteFiles>,
    /// Files of the output the swap left alone.
    left: Vec<String>,
}

/// The pipeline past loading: every edition's pages, then the site's own files, into
/// the staging `staging` makes, then committed.
fn write_site(
    renderer: &Renderer,
    site: &Site,
    settings: &Settings,
    staging: impl FnOnce() -> Result<Staging>,
    mode: Mode,
    clock: &mut StageClock,
) -> Result<Written> {
    // Where each document cites references is the same in every edition: found once.
    let citations: Vec<Vec<Citation>> = (0..site.docs.len())
        .into_par_iter()
        .map(|id| markdown::citations(site, settings, id))
        .collect();
    let staging = staging()?;
    clock.lap("citations found, staging made");
    // Editions are built side by side: each is a small site's worth of stages, too
    // short to keep both cores busy on its own.
    let (source, others) = rayon::join(
        || write_edition(renderer, site, settings, &citations, &staging, mode, clock),
        || {
            (1..settings.editions.len())
                .into_par_iter()
                .map(|index| {
                    // Loaded here, once for the process, beside the source edition's
                    // pages; an edition is never written in the wrong script.
                    crate::script::edition_tables(settings, index)?;
                    let edition = settings.for_edition(index);
                    let conversion = edition
                        .conversion()
                        .expect("site.toml validation checked it converts");
                    let edition_site = site.in_script(conversion);
                    let mut clock = StageClock::from_env(&edition.edition().prefix);
                    write_edition(
                        renderer,
                        &edition_site,
                        &edition,
                        &citations,
                        &staging,
                        mode,
                        &mut clock,
                    )
                    .map(|(pages, _)| pages)
                })
                .collect::<Result<Vec<usize>>>()
        },
    );
    let (source_pages, rendered) = source?;
    let pages = source_pages + others?.iter().sum::<usize>();
    write_site_files(site, settings, &rendered, &staging, mode)?;
    clock.lap("site files");
    let files = staging.file_count();
    let (in_memory, left) = staging.commit()?;
    clock.lap("commit");
    Ok(Written {
        pages,
        files,
        in_memory,
        left,
    })
}

/// A hash of everything about the site that any one document's HTML can depend on
/// besides its own body: settings, every document's place, URL and front matter.
fn site_key(site: &Site, settings: &Settings) -> u64 {
    let config = serde_json::to_string(&settings.config).unwrap_or_default();
    let docs: Vec<(&str, &str, &str, &str)> = site
        .reading_order
        .iter()
        .map(|&id| {
            let doc = &site.docs[id];
            (
                doc.content_path.as_str(),
                doc.url_path.as_str(),
                doc.title.as_str(),
                &doc.text[..doc.body_offset],
            )
        })
        .collect();
    hash_of(&(
        config,
        &settings.base_path,
        &settings.base_url,
        settings.current_edition,
        docs,
    ))
}

/// Writes one edition: its pages a batch at a time (Markdown, page, search tokens), then
/// its 404 page, single-page view and search index. Returns how many pages, and what is
/// kept of each document's Markdown, by id: its anchors and counts (and its HTML
/// between serve rebuilds, for the feed).
///
/// Only a batch's HTML and text are ever held, so a large site's memory stays about
/// that of its sources and its search index. What a page shows of other documents is
/// gathered first ([`cross_page_content`]), so every page stands alone.
fn write_edition(
    renderer: &Renderer,
    site: &Site,
    settings: &Settings,
    citations: &[Vec<Citation>],
    staging: &Staging,
    mode: Mode,
    clock: &mut StageClock,
) -> Result<(usize, Vec<RenderedMarkdown>)> {
    const BATCH: usize = 512;
    let memos = mode.memos;
    let page_markdown = MarkdownStage::new(site, settings, View::Pages, mode);
    let shared = cross_page_content(site, citations, &page_markdown)?;
    let writer = render::PageWriter::new(renderer, site, settings, &shared)?;
    clock.lap("tributes, navigation");
    // Between serve rebuilds a page is reused when nothing it shows changed: the site's
    // shape, the templates, who cites what, its own body and (for a tributes section)
    // its tributes' bodies.
    let page_memo = memos.map(|m| {
        let citations: Vec<Vec<usize>> = shared
            .citations
            .iter()
            .map(|c| c.iter().map(|c| c.number).collect())
            .collect();
        let key = hash_of(&(site_key(site, settings), renderer.fingerprint(), citations));
        (&m.pages, key)
    });
    let page_of = |id: DocId, markdown: &RenderedMarkdown, path: &str| match page_memo {
        Some((memo, key)) => {
            let tributes: Vec<&str> = site
                .tributes_in(id)
                .into_iter()
                .map(|t| site.docs[t].body())
                .collect();
            let key = hash_of(&(key, id, site.docs[id].body(), tributes));
            memo.get_or_make(key, || writer.page(id, markdown, path))
        }
        None => writer.page(id, markdown, path),
    };
    let tokens_of = |doc: &SearchDoc| match memos {
        // Between serve rebuilds only the edited pages are tokenised again.
        Some(memos) => memos
            .tokens
            .get_or_make(hash_of(&(doc.title, doc.full_text)), || {
                Ok(Arc::new(doc_tokens(doc)))
            }),
        None => Ok(Arc::new(doc_tokens(doc))),
    };
    // The feed is made from kept HTML between serve rebuilds; a one-off build renders
    // its few entries again rather than hold every page's HTML.
    let keep_html = memos.is_some();
    let large = site.docs.len() > crate::output::LARGE_SITE;
    let mut index = SearchIndex::new(site.reading_order.len(), large);
    let mut kept: Vec<RenderedMarkdown> = vec![RenderedMarkdown::default(); site.docs.len()];
    let mut excerpts: Vec<String> = Vec::with_capacity(site.reading_order.len());
    let mut errors = Vec::new();
    for (n, batch) in site.reading_order.chunks(BATCH).enumerate() {
        // One stage at a time over the batch, each on both cores: a stage's code and
        // tables stay in the cache (one document through every stage was ~25% slower).
        let rendered: Vec<Result<RenderedMarkdown>> = batch
            .par_iter()
            .map(|&id| match shared.tributes.get(&id) {
                Some(tribute) => Ok(tribute.clone()),
                None => page_markdown.render(id),
            })
            .collect();
        let written: Vec<Result<()>> = batch
            .par_iter()
            .zip(&rendered)
            .map(|(&id, markdown)| match markdown {
                Ok(markdown) => {
                    let path = writer.path_of(id);
                    let page = page_of(id, markdown, &path)?;
                    staging.write_from(&path, &page, Some(&site.docs[id].source))
                }
                Err(_) => Ok(()),
            })
            .collect();
        let done: Vec<Result<(RenderedMarkdown, Arc<Tokens>, String)>> = batch
            .par_iter()
            .zip(rendered)
            .zip(written)
            .map(|((&id, markdown), written)| {
                let mut markdown = markdown?;
                // A page that cannot be written stops a build; `lectern check` goes on.
                mode.tolerate(written)?;
                let doc = &site.docs[id];
                let tokens = tokens_of(&SearchDoc {
                    title: &doc.title,
                    url: &doc.url_path,
                    text: "",
                    full_text: &markdown.text.content,
                })?;
                let excerpt = excerpt(&markdown.text.content, large).to_string();
                // What is kept of a written page: its anchors and links to anchors, for
                // checking them once every page is done; and its counts.
                if !keep_html {
                    markdown.html = String::new();
                }
                markdown.text.content = String::new();
                markdown.toc = Vec::new();
                markdown.external_links = Vec::new();
                // Where it cites references is kept once for all pages, in `shared`.
                markdown.citations = Vec::new();
                markdown.anchors.shrink_to_fit();
                Ok((markdown, tokens, excerpt))
            })
            .collect();
        let mut tokens = Vec::with_capacity(batch.len());
        for (&id, result) in batch.iter().zip(done) {
            match result {
                Ok((markdown, doc_tokens, excerpt)) => {
                    kept[id] = markdown;
                    tokens.push(doc_tokens);
                    excerpts.push(excerpt);
                }
                Err(error) => errors.push(error),
            }
        }
        if errors.is_empty() {
            index.add(n * BATCH, &tokens);
        }
    }
    Error::from_list(errors)?;
    // Anchors are the same in every edition: checked once, in the source's.
    if settings.current_edition == 0 {
        mode.tolerate(markdown::check_anchors(site, &kept))?;
    }
    mode.tolerate(writer.not_found().and_then(|not_found| match not_found {
        Some(page) => staging.write("404.html", page.as_bytes()),
        None => Ok(()),
    }))?;
    clock.lap("markdown and pages");
    if render::single_page_enabled(site, settings) {
        let positions = site.reading_positions();
        let single =
            MarkdownStage::new(site, settings, View::SinglePage(&positions), mode).render_all()?;
        mode.tolerate(
            writer
                .single_page(&single)
                .and_then(|(path, page)| staging.write(&path, &page)),
        )?;
        clock.lap("single page");
    }
    let docs: Vec<SearchDoc> = site
        .reading_order
        .iter()
        .zip(&excerpts)
        .map(|(&id, excerpt)| SearchDoc {
            title: &site.docs[id].title,
            url: &site.docs[id].url_path,
            text: excerpt,
            full_text: "",
        })
        .collect();
    index.write(&docs, &settings.edition().prefix, staging)?;
    clock.lap("search index");
    Ok((site.reading_order.len(), kept))
}

/// What pages show of other documents: every document's `citations` (found without
/// rendering, see [`markdown::citations`]) and every tribute's Markdown.
fn cross_page_content<'a>(
    site: &Site,
    citations: &'a [Vec<Citation>],
    page_markdown: &MarkdownStage,
) -> Result<CrossPageContent<'a>> {
    let tributes: Vec<DocId> = (0..site.docs.len())
        .filter(|&id| site.docs[id].front.tribute.is_some())
        .collect();
    let rendered: Vec<Result<(DocId, RenderedMarkdown)>> = tributes
        .par_iter()
        .map(|&id| Ok((id, page_markdown.render(id)?)))
        .collect();
    Ok(CrossPageContent {
        citations,
        tributes: Error::collect_all(rendered)?.into_iter().collect(),
    })
}

/// Prints each stage's wall time to stderr when `LECTERN_TIMINGS` is set: how the
/// benchmarks in `BENCHMARKS.md` say where a build's time goes.
struct StageClock {
    last: Option<Instant>,
    /// Put before each stage's name: the edition's folder, for an edition's stages.
    label: String,
}

impl StageClock {
    fn from_env(label: &str) -> StageClock {
        StageClock {
            last: std::env::var_os("LECTERN_TIMINGS").map(|_| Instant::now()),
            label: label.to_string(),
        }
    }

    /// Ends the stage called `name`.
    fn lap(&mut self, name: &str) {
        if let Some(last) = self.last.as_mut() {
            // Resident and peak memory so far (Linux), to see which stage holds what.
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |key: &str| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix(key))
                    .map_or(String::new(), |v| v.trim().replace(" kB", "").to_string())
            };
            eprintln!(
                "{:>8.1} ms  {:>7} kB resident {:>7} kB peak  {}{name}",
                last.elapsed().as_secs_f64() * 1000.0,
                field("VmRSS:"),
                field("VmHWM:"),
                self.label,
            );
            *last = Instant::now();
        }
    }
}

/// All of `text`, or on a large site its first 200 characters.
fn excerpt(text: &str, large: bool) -> &str {
    if !large {
        return text;
    }
    match text.char_indices().nth(200) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// Regenerates the imported content when `site.toml` has an `[article]` table. The
/// importer rewrites only files whose bytes change, and is not run at all when its
/// stamp shows nothing would change.
fn import_article_if_configured(settings: &Settings) -> Result<Option<ImportSummary>> {
    match import_options(settings) {
        Some(options) => import_if_changed(&options).map(Some),
        None => Ok(None),
    }
}

/// Whether a build would run the import first (see [`import_article_if_configured`]):
/// `site.toml` names an article, and its stamp does not show that nothing would change.
pub fn import_would_run(settings: &Settings) -> bool {
    import_options(settings).is_some_and(|options| stamp::unchanged(&options).is_none())
}

/// How the article `site.toml` names is imported, when it names one.
fn import_options(settings: &Settings) -> Option<ImportOptions> {
    let article = settings.config.article.as_ref()?;
    Some(ImportOptions {
        source: settings.root.join(&article.source),
        fixes: article.fixes.as_ref().map(|f| settings.root.join(f)),
        into: settings.root.join(&article.into),
    })
}

/// Renders documents' Markdown for one view, reusing the previous build's result (between
/// serve rebuilds) for a document whose body and site are unchanged.
struct MarkdownStage<'a> {
    site: &'a Site,
    settings: &'a Settings,
    view: View<'a>,
    memo: Option<(&'a Memo<RenderedMarkdown>, u64)>,
    problems: Option<&'a Mutex<Vec<Error>>>,
}

impl<'a> MarkdownStage<'a> {
    fn new(
        site: &'a Site,
        settings: &'a Settings,
        view: View<'a>,
        mode: Mode<'a>,
    ) -> MarkdownStage<'a> {
        let memo = mode.memos.map(|m| {
            let key = hash_of(&(
                site_key(site, settings),
                matches!(view, View::SinglePage(_)),
            ));
            (&m.markdown, key)
        });
        MarkdownStage {
            site,
            settings,
            view,
            memo,
            problems: mode.problems,
        }
    }

    /// Document `id`'s Markdown; in `lectern check`, as far as it could be made, its
    /// problems noted (see [`Mode::problems`]).
    fn render(&self, id: DocId) -> Result<RenderedMarkdown> {
        let MarkdownStage {
            site,
            settings,
            view,
            ..
        } = *self;
        let make = || match self.problems {
            None => markdown::render_view(site, settings, id, view),
            Some(problems) => {
                let (rendered, errors) =
                    markdown::render_view_with_problems(site, settings, id, view);
                problems.lock().expect("no panics").extend(errors);
                Ok(rendered)
            }
        };
        match self.memo {
            Some((memo, key)) => memo.get_or_make(hash_of(&(key, id, site.docs[id].body())), make),
            None => make(),
        }
    }

    /// Every document's Markdown, by id, in parallel, reporting every broken link at once.
    fn render_all(&self) -> Result<Vec<RenderedMarkdown>> {
        let results: Vec<Result<RenderedMarkdown>> = (0..self.site.docs.len())
            .into_par_iter()
            .map(|id| self.render(id))
            .collect();
        Error::collect_all(results)
    }
}

/// The output folder must not hold the site itself: building would carry the sources
/// into the output, or worse.
fn check_output_dir(settings: &Settings) -> Result<()> {
    let root = settings
        .root
        .canonicalize()
        .map_err(|e| Error::io("read", &settings.root, e))?;
    let output = normalise(&settings.output_dir);
    let inside_sources = ["content", "static", "templates", "sources", "src"]
        .iter()
        .any(|dir| output.starts_with(root.join(dir)));
    if root.starts_with(&output) || inside_sources {
        return Err(Diagnostic::in_file(
            &settings.output_dir,
            "the output folder would contain or overwrite the site's own files",
        )
        .with_help("build into a folder of its own, such as public/ (the default)")
        .into());
    }
    Ok(())
}

/// An absolute path with symlinks of its existing part resolved.
fn normalise(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    out.extend(rest.iter().rev());
    out
}

/// Static files, content assets, and the files GitHub Pages and crawlers read.
fn write_site_files(
    site: &Site,
    settings: &Settings,
    rendered: &[RenderedMarkdown],
    staging: &Staging,
    mode: Mode,
) -> Result<()> {
    // Every name checked and every link kept inside the site (see `input::walk`).
    for file in crate::input::walk(&settings.root, "static", |_| false)? {
        mode.tolerate(staging.copy(&file.relative, &file.path, &file.shown))?;
    }
    for (path, text) in theme::STATIC_FILES {
        if !staging.contains(path) {
            mode.tolerate(staging.write(path, text.as_bytes()))?;
        }
    }
    for asset in &site.assets {
        let shown = Path::new("content").join(&asset.output_path);
        mode.tolerate(staging.copy(&asset.output_path, &asset.source, &shown))?;
    }
    if rendered.iter().any(|r| r.has_highlighted_code) && !staging.contains("syntax.css") {
        staging.write("syntax.css", markdown::syntax_stylesheet().as_bytes())?;
    }
    let entries: Vec<SitemapEntry> = settings
        .editions
        .iter()
        .flat_map(|edition| site.reading_order.iter().map(move |&id| (edition, id)))
        .map(|(edition, id)| SitemapEntry {
            permalink: format!("{}{}", edition.base_url, site.docs[id].url_path),
            date: site.docs[id]
                .front
                .date
                .and_then(|d| d.date)
                .map(|d| d.to_string()),
        })
        .collect();
    staging.write("sitemap.xml", sitemap(&entries).as_bytes())?;
    staging.write(
        "robots.txt",
        robots_txt(&settings.permalink_for("sitemap.xml")).as_bytes(),
    )?;
    staging.write(".nojekyll", b"")?;
    if let Some(cname) = &settings.config.cname {
        staging.write("CNAME", format!("{}\n", cname.trim()).as_bytes())?;
    }
    if settings.config.generate_feed {
        staging.write("atom.xml", feed(site, settings, rendered, mode)?.as_bytes())?;
    }
    Ok(())
}

/// The Atom feed: dated pages newest first, else every page in reading order. A page
/// whose HTML was not kept (see [`write_edition`]) is rendered again.
fn feed(
    site: &Site,
    settings: &Settings,
    rendered: &[RenderedMarkdown],
    mode: Mode,
) -> Result<String> {
    let mut ids: Vec<_> = site
        .reading_order
        .iter()
        .copied()
        .filter(|&id| !site.docs[id].is_section())
        .collect();
    let dated = |id: usize| site.docs[id].front.date.map(|d| d.to_string());
    let newest = ids.iter().filter_map(|&id| dated(id)).max();
    ids.sort_by_key(|&id| std::cmp::Reverse(dated(id)));
    ids.truncate(settings.config.feed_limit);
    let again = MarkdownStage::new(site, settings, View::Pages, mode);
    let html: Vec<std::borrow::Cow<str>> = ids
        .iter()
        .map(|&id| match rendered[id].html.as_str() {
            "" => again.render(id).map(|m| std::borrow::Cow::Owned(m.html)),
            kept => Ok(std::borrow::Cow::Borrowed(kept)),
        })
        .collect::<Result<_>>()?;
    let entries: Vec<FeedEntry> = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let doc = &site.docs[id];
            let date = dated(id)
                .or_else(|| newest.clone())
                .unwrap_or_else(|| "1970-01-01".into());
            FeedEntry {
                title: &doc.title,
                permalink: settings.permalink_for(&doc.url_path),
                updated: rfc3339(&date),
                content: &html[i],
                summary: doc.front.description.as_deref(),
            }
        })
        .collect();
    Ok(atom_feed(
        &settings.config.title,
        &settings.base_url,
        &settings.permalink_for("atom.xml"),
        settings.config.author.as_deref(),
        &entries,
    ))
}

/// A front matter date or date-time as the feed's RFC 3339 instant, in UTC: a date is
/// its midnight, and a date-time without an offset is taken as UTC.
fn rfc3339(date: &str) -> String {
    use jiff::civil::{Date, DateTime};
    use jiff::tz::TimeZone;
    let date = date.replacen(' ', "T", 1);
    let instant = date.parse::<jiff::Timestamp>().or_else(|_| {
        date.parse::<DateTime>()
            .or_else(|_| date.parse::<Date>().map(|d| d.at(0, 0, 0, 0)))
            .and_then(|local| local.to_zoned_datetime(TimeZone::UTC))
            .map(|zoned| zoned.timestamp())
    });
    // Front matter dates were checked when read; an unreadable one cannot reach here.
    instant.map_or_else(|_| "1970-01-01T00:00:00Z".into(), |i| i.to_string())
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn feed_dates_are_utc_instants() {
        for (date, instant) in [
            ("2024-10-01", "2024-10-01T00:00:00Z"),
            ("2024-10-01T12:30:00", "2024-10-01T12:30:00Z"),
            ("2024-10-01 12:30:00", "2024-10-01T12:30:00Z"),
            ("2024-10-01T12:30:00+08:00", "2024-10-01T04:30:00Z"),
            ("2024-10-01T12:30:00.5Z", "2024-10-01T12:30:00.5Z"),
        ] {
            assert_eq!(rfc3339(date), instant, "{date}");
        }
    }
}
