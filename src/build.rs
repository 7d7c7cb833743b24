//! `lectern build`: one call per stage, so this file reads as the pipeline's table of
//! contents: (import) → load content → Markdown → check anchors → templates → output.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Settings;
use crate::content::{load_site, Site};
use crate::error::{Diagnostic, Error, Location, Result};
use crate::import::{import_if_changed, ImportOptions, ImportSummary};
use crate::markdown::{self, RenderedMarkdown, View};
use crate::memo::{hash_of, Memo};
use crate::output::{
    atom_feed, doc_tokens, robots_txt, sitemap, write_search_index, FeedEntry, SearchDoc,
    SearchIndex, SiteFiles, SitemapEntry, Staging, Tokens, TokensOf,
};
use crate::render::{self, theme, Renderer};

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
    build_with(settings, || Staging::create(&settings.output_dir), None).map(|(summary, _)| summary)
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
    let import = import_article_if_configured(settings)?;
    let renderer = Renderer::load(settings)?;
    clock.lap("import, templates loaded");
    let memos = cache.map(|cache| Memos {
        markdown: Memo::new(std::mem::take(
            &mut *cache.markdown.lock().expect("no panics"),
        )),
        pages: Memo::new(std::mem::take(&mut *cache.pages.lock().expect("no panics"))),
        tokens: Memo::new(std::mem::take(
            &mut *cache.tokens.lock().expect("no panics"),
        )),
    });
    let site = load_site(settings)?;
    clock.lap("load");
    let staging = staging()?;
    clock.lap("staging made");
    // Editions are built side by side: each is a small site's worth of stages, too
    // short to keep both cores busy on its own.
    let (source, others) = rayon::join(
        || {
            write_edition(
                &renderer,
                &site,
                settings,
                &staging,
                memos.as_ref(),
                &mut clock,
            )
        },
        || {
            (1..settings.editions.len())
                .into_par_iter()
                .map(|index| {
                    let edition = settings.for_edition(index);
                    let conversion = edition
                        .conversion()
                        .expect("site.toml validation checked it converts");
                    let edition_site = site.in_script(conversion);
                    let mut clock = StageClock::from_env(&edition.edition().prefix);
                    write_edition(
                        &renderer,
                        &edition_site,
                        &edition,
                        &staging,
                        memos.as_ref(),
                        &mut clock,
                    )
                    .map(|(pages, _)| pages)
                })
                .collect::<Result<Vec<usize>>>()
        },
    );
    let (source_pages, rendered) = source?;
    let pages = source_pages + others?.iter().sum::<usize>();
    write_site_files(&site, settings, &rendered, &staging)?;
    clock.lap("site files");
    let files = staging.file_count();
    let in_memory = staging.commit()?;
    clock.lap("commit");
    let rendered_pages = memos.as_ref().map_or(pages, |m| m.pages.made());
    if let (Some(cache), Some(memos)) = (cache, memos) {
        *cache.markdown.lock().expect("no panics") = memos.markdown.into_entries();
        *cache.pages.lock().expect("no panics") = memos.pages.into_entries();
        *cache.tokens.lock().expect("no panics") = memos.tokens.into_entries();
    }
    let summary = BuildSummary {
        pages,
        rendered_pages,
        files,
        elapsed: started.elapsed(),
        output_dir: settings.output_dir.clone(),
        import,
    };
    Ok((summary, in_memory))
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

/// Renders one edition's Markdown and writes its pages, single-page view and search
/// index; returns how many pages, and each document's Markdown (by id).
fn write_edition(
    renderer: &Renderer,
    site: &Site,
    settings: &Settings,
    staging: &Staging,
    memos: Option<&Memos>,
    clock: &mut StageClock,
) -> Result<(usize, Vec<RenderedMarkdown>)> {
    if memos.is_none() && pages_stand_alone(site, settings) {
        return write_edition_streaming(renderer, site, settings, staging, clock);
    }
    let rendered = render_markdown_memo(site, settings, View::Pages, memos)?;
    // Anchors are the same in every edition: checked once, in the source's.
    if settings.current_edition == 0 {
        check_anchors(site, &rendered)?;
    }
    clock.lap("markdown");
    // A page's HTML depends on the site's shape, the templates, its own body and
    // which documents cite which references (shown on every page's context). The key
    // is only worked out when there is a cache to look in.
    let page_memo = memos.map(|m| {
        let citations: Vec<Vec<usize>> = rendered
            .iter()
            .map(|r| r.citations.iter().map(|c| c.number).collect())
            .collect();
        let key = hash_of(&(site_key(site, settings), renderer.fingerprint(), citations));
        (&m.pages, key)
    });
    let pages = render::render_site(renderer, site, settings, &rendered, staging, page_memo)?;
    clock.lap("pages");
    if render::single_page_enabled(site, settings) {
        let positions = site.reading_positions();
        let single = render_markdown_memo(site, settings, View::SinglePage(&positions), memos)?;
        render::render_single_page(renderer, site, settings, &rendered, &single, staging)?;
        clock.lap("single page");
    }
    // A large site's full text would make an index too big to load in a page: there the
    // index keeps each page's bigrams and words, and only the start of its text.
    let large = site.docs.len() > crate::render::context::FULL_NAV_LIMIT;
    let search_docs: Vec<SearchDoc> = site
        .reading_order
        .iter()
        .map(|&id| SearchDoc {
            title: &site.docs[id].title,
            url: &site.docs[id].url_path,
            text: excerpt(&rendered[id].text.content, large),
            full_text: &rendered[id].text.content,
        })
        .collect();
    let tokens_of: &TokensOf = match memos {
        // Between serve rebuilds only the edited pages are tokenised again.
        Some(memos) => &|doc: &SearchDoc| {
            let key = hash_of(&(doc.title, doc.full_text));
            memos
                .tokens
                .get_or_make(key, || Ok(Arc::new(doc_tokens(doc))))
        },
        None => &|doc: &SearchDoc| Ok(Arc::new(doc_tokens(doc))),
    };
    write_search_index(
        &search_docs,
        tokens_of,
        large,
        &settings.edition().prefix,
        staging,
    )?;
    clock.lap("search index");
    Ok((pages, rendered))
}

/// Whether each page can be written as soon as its own Markdown is rendered: true when
/// no page shows another document's Markdown (no references cited across the site, no
/// tributes section, no single-page view).
fn pages_stand_alone(site: &Site, settings: &Settings) -> bool {
    site.references.is_empty()
        && !site.docs.iter().any(|d| d.front.tribute.is_some())
        && !render::single_page_enabled(site, settings)
}

/// [`write_edition`] for a site whose pages stand alone: documents go through Markdown,
/// templates, the output and the search index a batch at a time, so that only a
/// batch's HTML and text are ever held (the rest of each document's Markdown is kept:
/// its anchors, table of contents and counts). A large site's memory then stays about
/// that of its sources and its search index.
fn write_edition_streaming(
    renderer: &Renderer,
    site: &Site,
    settings: &Settings,
    staging: &Staging,
    clock: &mut StageClock,
) -> Result<(usize, Vec<RenderedMarkdown>)> {
    const BATCH: usize = 512;
    let writer = render::PageWriter::new(renderer, site, settings, &[])?;
    let large = site.docs.len() > crate::render::context::FULL_NAV_LIMIT;
    let mut index = SearchIndex::new(site.reading_order.len(), large);
    let mut kept: Vec<RenderedMarkdown> = vec![RenderedMarkdown::default(); site.docs.len()];
    let mut excerpts: Vec<String> = Vec::with_capacity(site.reading_order.len());
    let mut errors = Vec::new();
    for (n, batch) in site.reading_order.chunks(BATCH).enumerate() {
        // One stage at a time over the batch, each on both cores: a stage's code and
        // tables stay in the cache (one document through every stage was ~25% slower).
        let markdown: Vec<Result<RenderedMarkdown>> = batch
            .par_iter()
            .map(|&id| markdown::render_view(site, settings, id, View::Pages))
            .collect();
        let written: Vec<Result<()>> = batch
            .par_iter()
            .zip(&markdown)
            .map(|(&id, markdown)| match markdown {
                Ok(markdown) => {
                    let path = writer.path_of(id);
                    staging.write(&path, &writer.page(id, markdown, &path)?)
                }
                Err(_) => Ok(()),
            })
            .collect();
        let done: Vec<Result<(RenderedMarkdown, Arc<Tokens>, String)>> = batch
            .par_iter()
            .zip(markdown)
            .zip(written)
            .map(|((&id, markdown), written)| {
                let mut markdown = markdown?;
                written?;
                let doc = &site.docs[id];
                let tokens = doc_tokens(&SearchDoc {
                    title: &doc.title,
                    url: &doc.url_path,
                    text: "",
                    full_text: &markdown.text.content,
                });
                let excerpt = excerpt(&markdown.text.content, large).to_string();
                // What is kept of a written page: its anchors and links to anchors, for
                // checking them once every page is done; and its counts.
                markdown.html = String::new();
                markdown.text.content = String::new();
                markdown.toc = Vec::new();
                markdown.external_links = Vec::new();
                markdown.anchors.shrink_to_fit();
                Ok((markdown, Arc::new(tokens), excerpt))
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
    if settings.current_edition == 0 {
        check_anchors(site, &kept)?;
    }
    writer.write_not_found(staging)?;
    clock.lap("markdown and pages");
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
    let Some(article) = &settings.config.article else {
        return Ok(None);
    };
    let options = ImportOptions {
        source: settings.root.join(&article.source),
        fixes: article.fixes.as_ref().map(|f| settings.root.join(f)),
        into: settings.root.join(&article.into),
    };
    import_if_changed(&options).map(Some)
}

/// Renders every document's Markdown in parallel, reporting every broken link at once.
pub fn render_markdown(site: &Site, settings: &Settings) -> Result<Vec<RenderedMarkdown>> {
    render_markdown_memo(site, settings, View::Pages, None)
}

/// Renders every document's Markdown for `view`, by document id, reusing the previous
/// build's result for a document whose body and site are unchanged.
fn render_markdown_memo(
    site: &Site,
    settings: &Settings,
    view: View,
    memos: Option<&Memos>,
) -> Result<Vec<RenderedMarkdown>> {
    let memo = memos.map(|m| {
        let key = hash_of(&(
            site_key(site, settings),
            matches!(view, View::SinglePage(_)),
        ));
        (&m.markdown, key)
    });
    let results: Vec<Result<RenderedMarkdown>> = (0..site.docs.len())
        .into_par_iter()
        .map(|id| match memo {
            Some((memo, key)) => memo
                .get_or_make(hash_of(&(key, id, site.docs[id].body())), || {
                    markdown::render_view(site, settings, id, view)
                }),
            None => markdown::render_view(site, settings, id, view),
        })
        .collect();
    let mut rendered = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(r) => rendered.push(r),
            Err(e) => errors.push(e),
        }
    }
    Error::from_list(errors)?;
    Ok(rendered)
}

/// Every `#anchor` a link names must exist in the page it points to.
pub fn check_anchors(site: &Site, rendered: &[RenderedMarkdown]) -> Result<()> {
    let mut errors = Vec::new();
    for (id, markdown) in rendered.iter().enumerate() {
        let source = &site.docs[id];
        for link in &markdown.anchor_links {
            let target = &rendered[link.target];
            if target.anchors.contains(&link.anchor) {
                continue;
            }
            let mut known: Vec<&str> = target.toc_ids();
            if known.is_empty() {
                // A page written in a batch keeps its anchors but not its contents list.
                known = target
                    .anchors
                    .iter()
                    .map(String::as_str)
                    .filter(|a| {
                        !["fn-", "fnref-", "cite-", "ref-"]
                            .iter()
                            .any(|p| a.starts_with(p))
                    })
                    .collect();
                known.sort_unstable();
            }
            known.truncate(8);
            errors.push(
                Diagnostic::at(
                    Location::from_offset(&source.source, &source.text, link.offset),
                    format!(
                        "there is no anchor `#{}` in {}",
                        link.anchor,
                        site.docs[link.target].source.display()
                    ),
                )
                .with_help(if known.is_empty() {
                    "that page has no headings to link to".to_string()
                } else {
                    format!("its headings are: {}", known.join(", "))
                })
                .into(),
            );
        }
    }
    Error::from_list(errors)
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
) -> Result<()> {
    let static_dir = settings.root.join("static");
    let mut site_static = Vec::new();
    if static_dir.is_dir() {
        for entry in WalkDir::new(&static_dir)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|e| Error::io("read", &static_dir, e.into()))?;
            if entry.file_type().is_file() {
                let relative = entry
                    .path()
                    .strip_prefix(&static_dir)
                    .expect("under static/");
                site_static.push((
                    relative.to_string_lossy().replace('\\', "/"),
                    entry.path().to_path_buf(),
                ));
            }
        }
    }
    for (path, file) in &site_static {
        staging.copy(path, file)?;
    }
    for (path, text) in theme::STATIC_FILES {
        if !staging.contains(path) {
            staging.write(path, text.as_bytes())?;
        }
    }
    for asset in &site.assets {
        staging.copy(&asset.output_path, &asset.source)?;
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
        staging.write("atom.xml", feed(site, settings, rendered)?.as_bytes())?;
    }
    Ok(())
}

/// The Atom feed: dated pages newest first, else every page in reading order. A page
/// whose HTML was not kept (see [`write_edition_streaming`]) is rendered again.
fn feed(site: &Site, settings: &Settings, rendered: &[RenderedMarkdown]) -> Result<String> {
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
    let html: Vec<std::borrow::Cow<str>> = ids
        .iter()
        .map(|&id| match rendered[id].html.as_str() {
            "" => markdown::render_view(site, settings, id, View::Pages)
                .map(|m| std::borrow::Cow::Owned(m.html)),
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

/// A TOML date or date-time as RFC 3339 (`2024-10-01` → `2024-10-01T00:00:00Z`).
fn rfc3339(date: &str) -> String {
    if date.len() == 10 {
        format!("{date}T00:00:00Z")
    } else if date.contains('T') && !date.ends_with('Z') && !date[10..].contains(['+', '-']) {
        format!("{date}Z")
    } else {
        date.replace(' ', "T")
    }
}

impl RenderedMarkdown {
    /// The ids of this fragment's headings, in order.
    pub fn toc_ids(&self) -> Vec<&str> {
        fn walk<'a>(entries: &'a [markdown::TocEntry], out: &mut Vec<&'a str>) {
            for e in entries {
                out.push(&e.id);
                walk(&e.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.toc, &mut out);
        out
    }
}
