//! `lectern build`: one call per stage, so this file reads as the pipeline's table of
//! contents: (import) → load content → Markdown → check anchors → templates → output.
//! The steps around it live beside it: the import before a build (`import_step`), one
//! view's Markdown (`markdown_stage`), the files beside the pages (`site_files`), the
//! Atom feed's entries (`feed`), every edition's search index (`search_indexes`), the
//! stage clock (`clock`) and what a build prints (`summary`).

mod clock;
mod epigraph;
mod feed;
mod import_step;
mod links;
mod markdown_stage;
mod search_indexes;
mod site_files;
mod summary;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Settings;
use crate::content::{load_site, DocId, Site};
use crate::error::{Diagnostic, Error, Result};
use crate::markdown::{self, Citation, RenderedMarkdown, View};
use crate::memo::{hash_of, Memo};
use crate::output::{doc_tokens, Origin, SearchDoc, SearchIndex, SiteFiles, Staging, Tokens};
use crate::render::{self, CrossPageContent, Renderer};

use clock::StageClock;
use feed::feed;
use import_step::import_article_if_configured;
pub(crate) use import_step::import_would_run;
use markdown_stage::MarkdownStage;
use search_indexes::{write_search_indexes, PendingIndex};
use site_files::{check_output_dir, write_site_files};
pub use summary::BuildSummary;

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
pub(crate) struct BuildCache {
    markdown: Mutex<HashMap<u64, RenderedMarkdown>>,
    pages: Mutex<HashMap<u64, Arc<[u8]>>>,
    tokens: Mutex<HashMap<u64, Arc<Tokens>>>,
}

/// Builds the site into memory, reusing what `cache` holds from the previous build.
pub(crate) fn build_in_memory(
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
    let mut site = site?;
    crate::allocator::fit_to_site(site.docs.len());
    clock.lap("import, templates and content loaded");
    let mut photos = crate::images::process(&site, settings)?;
    site.images = std::sync::Arc::new(std::mem::take(&mut photos.images));
    clock.lap("images");
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
    let written = write_site(
        &renderer, &site, settings, &photos, staging, mode, &mut clock,
    )?;
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
        warnings: written.warnings,
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
pub(crate) fn render_in_memory(
    renderer: &Renderer,
    site: &Site,
    settings: &Settings,
    photos: &crate::images::Processed,
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
        photos,
        || Ok(Staging::in_memory()),
        mode,
        &mut clock,
    )
    .map(|_| ())
}

/// How one run of the pipeline goes.
#[derive(Clone, Copy)]
pub(super) struct Mode<'a> {
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
    /// What readers will see that the authors probably did not mean (see
    /// [`RenderedMarkdown::warnings`]), from the source edition.
    warnings: Vec<String>,
}

/// The pipeline past loading: every edition's pages, then the site's own files, into
/// the staging `staging` makes, then committed.
fn write_site(
    renderer: &Renderer,
    site: &Site,
    settings: &Settings,
    photos: &crate::images::Processed,
    staging: impl FnOnce() -> Result<Staging>,
    mode: Mode,
    clock: &mut StageClock,
) -> Result<Written> {
    // Where each document cites references is the same in every edition: found once.
    let citations: Vec<Vec<Citation>> = (0..site.docs.len())
        .into_par_iter()
        .map(|id| markdown::citations(site, settings, id))
        .collect();
    let staging = staging()?.checking_links(&settings.base_path);
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
                    crate::config::edition_tables(settings, index)?;
                    let edition = settings.for_edition(index);
                    let conversion = edition
                        .conversion()
                        .expect("site.toml validation checked it converts");
                    let edition_site = site.in_script(conversion);
                    let mut clock = StageClock::from_env(&edition.edition().prefix);
                    let (pages, _, mut search) = write_edition(
                        renderer,
                        &edition_site,
                        &edition,
                        &citations,
                        &staging,
                        mode,
                        &mut clock,
                    )?;
                    // Titles are searched too; in_script converted them.
                    for &id in &site.reading_order {
                        search
                            .pairs
                            .count(&site.docs[id].title, &edition_site.docs[id].title);
                    }
                    Ok((pages, search))
                })
                .collect::<Result<Vec<(usize, PendingIndex)>>>()
        },
    );
    let (source_pages, rendered, source_search) = source?;
    let (other_pages, other_searches): (Vec<usize>, Vec<PendingIndex>) =
        others?.into_iter().unzip();
    let pages = source_pages + other_pages.iter().sum::<usize>();
    write_search_indexes(source_search, other_searches, &staging)?;
    clock.lap("search indexes");
    write_site_files(site, settings, photos, &rendered, &staging, mode)?;
    clock.lap("site files");
    mode.tolerate(links::check_links(
        staging.broken_links(),
        site,
        renderer,
        settings,
    ))?;
    clock.lap("links");
    let files = staging.file_count();
    let (in_memory, left) = staging.commit()?;
    clock.lap("commit");
    let warnings = rendered
        .iter()
        .flat_map(|m| m.warnings.iter().map(Diagnostic::as_warning))
        .collect();
    Ok(Written {
        pages,
        files,
        in_memory,
        left,
        warnings,
    })
}

/// A hash of everything about the site that any one document's HTML can depend on
/// besides its own body: settings, every document's place, URL and front matter.
pub(super) fn site_key(site: &Site, settings: &Settings) -> u64 {
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
        images_key(site),
    ))
}

/// The published photos in a stable order: their sizes are in the pages that show them.
fn images_key(site: &Site) -> Vec<(&String, &crate::content::PublishedImage)> {
    let mut images: Vec<_> = site.images.iter().collect();
    images.sort_by(|a, b| a.0.cmp(b.0));
    images
}

/// Writes one edition: its pages a batch at a time (Markdown, page, search tokens), then
/// its 404 page and single-page view. Returns how many pages, what is kept of each
/// document's Markdown, by id: its anchors and counts (and its HTML between serve
/// rebuilds, for the feed), and its search index, written once every edition is done.
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
) -> Result<(usize, Vec<RenderedMarkdown>, PendingIndex)> {
    const BATCH: usize = 512;
    let memos = mode.memos;
    let page_markdown = MarkdownStage::new(site, settings, View::Pages, mode);
    let shared = cross_page_content(site, citations, &page_markdown)?;
    epigraph::check(site, settings, &page_markdown)?;
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
    let mut pairs = crate::conversion::CharPairs::default();
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
                    staging.write_from(&path, &page, Some(page_origin(&site.docs[id])))
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
                markdown.summary = None;
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
                Ok((mut markdown, doc_tokens, excerpt)) => {
                    pairs.merge(&std::mem::take(&mut markdown.conversion));
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
    mode.tolerate(writer.help_page().and_then(|page| match page {
        Some((path, page)) => staging.write(&path, &page),
        None => Ok(()),
    }))?;
    let docs = site
        .reading_order
        .iter()
        .zip(excerpts)
        .map(|(&id, excerpt)| {
            let doc = &site.docs[id];
            (doc.title.clone(), doc.url_path.clone(), excerpt)
        })
        .collect();
    let search = PendingIndex {
        index,
        docs,
        prefix: settings.edition().prefix.clone(),
        pairs,
    };
    Ok((site.reading_order.len(), kept, search))
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

/// Where a page comes from, for the error when another file wants its output path: its
/// content file, at what decides its address (its front matter's `path` or `slug`,
/// else its first line), if it has any text (the home page lectern makes for a site
/// without `content/_index.md` has none).
fn page_origin(doc: &crate::content::Document) -> Origin {
    let offset = doc.front.offset_of(&doc.text, "path", &["slug"]);
    Origin {
        file: doc.source.clone(),
        is_page: true,
        at: (!doc.text.is_empty()).then(|| {
            Box::new(crate::error::Location::from_offset(
                &doc.source,
                &doc.text,
                offset,
            ))
        }),
    }
}
