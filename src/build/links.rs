//! Links that lead nowhere, found in the output (see `output::links`), told at the
//! place a person wrote them: the content file's line, the template's line, the
//! stylesheet's line, else the file the page was made from.

use std::path::Path;

use crate::config::Settings;
use crate::content::Site;
use crate::error::{Diagnostic, Error, Location, Result};
use crate::output::BrokenLink;
use crate::render::Renderer;

/// One error for each link of the output that leads to no file of it.
pub(super) fn check_links(
    broken: Vec<BrokenLink>,
    site: &Site,
    renderer: &Renderer,
    settings: &Settings,
) -> Result<()> {
    // A document's page is there unless it failed, which is an error of its own
    // (`lectern check` goes on past it): a link to it is not a second mistake.
    let pages: std::collections::HashSet<String> = settings
        .editions
        .iter()
        .flat_map(|e| {
            site.docs
                .iter()
                .map(move |d| format!("{}{}", e.prefix, d.url_path))
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let errors: Vec<Error> = broken
        .iter()
        .filter(|link| !link.target.as_ref().is_ok_and(|t| pages.contains(t)))
        .map(|link| diagnostic(link, site, renderer, settings))
        // The same link in every edition is one mistake.
        .filter(|d| seen.insert(d.to_string()))
        .map(Error::from)
        .collect();
    Error::from_list(errors)
}

fn diagnostic(
    link: &BrokenLink,
    site: &Site,
    renderer: &Renderer,
    settings: &Settings,
) -> Diagnostic {
    let message = match &link.target {
        Ok(target) => format!(
            "this link leads to /{target}, which the site does not have: no page, static \
             file or content file is published there"
        ),
        Err(why) => format!("this link leads nowhere: {why}"),
    };
    let written = format!("{} links to it as `{}`", link.page, link.url);
    let help = match &link.nearest {
        Some(nearest) => format!("did you mean /{nearest}? ({written})"),
        None => written,
    };
    // What a person may have written: the URL as the page has it, or the path it
    // leads to (a root-relative link is written relative to each page in the output).
    let mut needles = vec![link.url.trim_start_matches("./").to_string()];
    if let Ok(target) = &link.target {
        let tail = target.trim_end_matches("index.html").trim_end_matches('/');
        if !tail.is_empty() {
            needles.push(tail.to_string());
        }
    }
    let find = |text: &str, from: usize| {
        needles
            .iter()
            .filter(|n| !n.is_empty())
            .find_map(|n| text[from..].find(n.as_str()).map(|at| from + at))
    };
    let at = |path: &Path, text: &str, offset: usize| {
        Diagnostic::at(Location::from_offset(path, text, offset), message.clone())
            .with_help(help.clone())
    };
    if let Some(source) = &link.source {
        if let Some(doc) = site.docs.iter().find(|d| &d.source == source) {
            if let Some(offset) = find(&doc.text, doc.body_offset) {
                return at(&doc.source, &doc.text, offset);
            }
        } else if let Ok(text) = std::fs::read_to_string(settings.root.join(source)) {
            // A stylesheet of `static/`, copied as it is.
            if let Some(offset) = find(&text, 0) {
                return at(source, &text, offset);
            }
        }
    }
    if link.source.is_none() {
        // A page of its own making (the single-page view, the 404 page) shows the
        // documents' bodies: the link may be written in one of them.
        for doc in &site.docs {
            if let Some(offset) = find(&doc.text, doc.body_offset) {
                return at(&doc.source, &doc.text, offset);
            }
        }
    }
    for template in renderer.template_sources() {
        if let Some(offset) = find(&template.text, 0) {
            return at(&template.path, &template.text, offset);
        }
    }
    let file = link.source.as_deref().unwrap_or(Path::new(&link.page));
    Diagnostic::in_file(file, message).with_help(help)
}
