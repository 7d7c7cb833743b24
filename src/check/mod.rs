//! `lectern check`: everything a build runs, into memory (so that it passes only if
//! the build would), plus what a build lets through but a reader would notice:
//! citations of nothing, references nobody cites, damage left over from an import,
//! unbalanced brackets. Every problem of every file is reported in one run. With
//! `--external` it lists every external link. It writes nothing, to the site or the
//! output.

pub mod github;
mod lint;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::build;
use crate::config::Settings;
use crate::content::{load_site, Site};
use crate::error::{Diagnostic, Error, Location, Result};
use crate::markdown;
use crate::markdown::check_anchors;
use crate::render::Renderer;

/// What `lectern check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Documents checked.
    pub documents: usize,
    /// Problems, each at its place.
    pub problems: Vec<Diagnostic>,
    /// External links: where each is written, and the URL.
    pub external_links: Vec<(Location, String)>,
    /// What the check could not look at, worded for the author.
    pub notes: Vec<String>,
}

/// Checks the site without writing anything.
pub fn check(settings: &Settings) -> Result<CheckReport> {
    // The templates and the content, loaded as a build loads them; when the content
    // cannot be, nothing more can be checked, but broken templates are still named.
    let (renderer, site) = rayon::join(|| Renderer::load(settings), || load_site(settings));
    let site = match site {
        Ok(site) => site,
        Err(error) => {
            let mut errors: Vec<Error> = renderer.err().into_iter().collect();
            errors.push(error);
            return Err(match errors.len() {
                1 => errors.remove(0),
                _ => Error::Many(errors),
            });
        }
    };
    let mut site = site;
    let mut report = CheckReport {
        documents: site.docs.len(),
        ..CheckReport::default()
    };
    // The photos are processed as the build does (through the same cache), so a bad
    // image is found here and pages are checked with the sizes they will show.
    let photos = match crate::images::process(&site, settings) {
        Ok(mut photos) => {
            site.images = std::sync::Arc::new(std::mem::take(&mut photos.images));
            photos
        }
        Err(error) => {
            report.problems.extend(flatten(error));
            crate::images::Processed::default()
        }
    };
    if build::import_would_run(settings) {
        report.notes.push(format!(
            "the article in site.toml changed since {} was imported from it: `lectern build` \
             imports it again first; this check looked at the content as it is now",
            settings
                .config
                .article
                .as_ref()
                .map_or(PathBuf::from("content"), |a| a.into.clone())
                .display()
        ));
    }
    // Render each document on its own and on past its problems, so that one broken link
    // hides no other problem, in its file or any other.
    let mut rendered = Vec::with_capacity(site.docs.len());
    for id in 0..site.docs.len() {
        let (markdown, errors) = markdown::render_with_problems(&site, settings, id);
        report.problems.extend(errors.into_iter().flat_map(flatten));
        report.problems.extend(markdown.warnings.iter().cloned());
        rendered.push(markdown);
    }
    if let Err(error) = check_anchors(&site, &rendered) {
        report.problems.extend(flatten(error));
    }
    for (id, markdown) in rendered.iter().enumerate() {
        let doc = &site.docs[id];
        report
            .external_links
            .extend(markdown.external_links.iter().map(|(offset, url)| {
                (
                    Location::from_offset(&doc.source, &doc.text, *offset),
                    url.clone(),
                )
            }));
    }
    // Declared references link out from every list of references, though no body
    // holds their addresses (the memorial's references page lists them from front
    // matter): each is listed at its `url` in the file that declares it.
    for reference in &site.references {
        let url = &reference.entry.url;
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            continue;
        }
        report
            .external_links
            .push((declared_at(&site, reference, "url"), url.clone()));
    }
    let cited: HashSet<usize> = rendered
        .iter()
        .flat_map(|r| r.citations.iter().map(|c| c.number))
        .collect();
    for reference in &site.references {
        if !cited.contains(&reference.number) {
            report.problems.push(
                Diagnostic::at(
                    declared_at(&site, reference, "id"),
                    format!("the reference `{}` is never cited", reference.entry.id),
                )
                .with_help(format!(
                    "cite it with [^{}] where the text refers to it",
                    reference.entry.id
                )),
            );
        }
    }
    for &id in &site.reading_order {
        report.problems.extend(lint::lint(&site, id));
    }
    let mut from_build = match renderer {
        Ok(renderer) => run_build(&renderer, &site, settings, &photos),
        Err(error) => flatten(error),
    };
    // Found on both cores: put in order, so that two runs print the same.
    from_build.sort_by_cached_key(|problem| {
        let (message, location, path) = key(problem);
        (location, path, message)
    });
    // What the build finds that check found itself (a broken link, found again in each
    // edition and view) is reported once.
    let mut seen: HashSet<Key> = report.problems.iter().map(key).collect();
    for problem in from_build {
        if seen.insert(key(&problem)) {
            report.problems.push(problem);
        }
    }
    report
        .external_links
        .sort_by(|a, b| (&a.0.path, a.0.line).cmp(&(&b.0.path, b.0.line)));
    Ok(report)
}

/// Where `key` (`id`, `url`) of `reference` is written in the front matter that declares
/// it, from the TOML parser's spans.
fn declared_at(site: &Site, reference: &crate::content::Reference, key: &str) -> Location {
    let doc = &site.docs[reference.declared_in];
    let offset = doc
        .front
        .references
        .iter()
        .position(|entry| entry.id == reference.entry.id)
        .map_or(0, |i| {
            doc.front
                .offset_of(&doc.text, &format!("references.{i}.{key}"), &[])
        });
    Location::from_offset(&doc.source, &doc.text, offset)
}

/// Every problem the build finds in `site`: rendering every page of every edition in
/// memory (templates, output paths, the site's files) goes on past the Markdown
/// problems, and ends at the first problem that would stop a build past them.
fn run_build(
    renderer: &Renderer,
    site: &Site,
    settings: &Settings,
    photos: &crate::images::Processed,
) -> Vec<Diagnostic> {
    let problems = Mutex::new(Vec::new());
    let stopped = build::render_in_memory(renderer, site, settings, photos, &problems).err();
    problems
        .into_inner()
        .expect("no panics while holding the lock")
        .into_iter()
        .chain(stopped)
        .flat_map(flatten)
        .collect()
}

/// What makes two reports of a problem the same: its message and place.
type Key = (String, Option<(PathBuf, usize, usize)>, Option<PathBuf>);

fn key(problem: &Diagnostic) -> Key {
    (
        problem.message.clone(),
        problem
            .location
            .as_ref()
            .map(|l| (l.path.clone(), l.line, l.column)),
        problem.path.clone(),
    )
}

fn flatten(error: Error) -> Vec<Diagnostic> {
    match error {
        Error::Input(d) | Error::ConversionTables { diagnostic: d, .. } => vec![*d],
        Error::Many(list) => list.into_iter().flat_map(flatten).collect(),
        io @ Error::Io { .. } => vec![Diagnostic::in_file(
            std::path::Path::new("."),
            io.to_string(),
        )],
    }
}
