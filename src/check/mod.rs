//! `lectern check`: everything a build checks (front matter, internal links, anchors),
//! plus what a build lets through but a reader would notice: citations of nothing,
//! references nobody cites, damage left over from an import, unbalanced brackets.
//! With `--external` it lists every external link.

mod lint;

use std::collections::HashSet;

use crate::build::check_anchors;
use crate::config::Settings;
use crate::content::load_site;
use crate::error::{Diagnostic, Error, Location, Result};
use crate::markdown;

/// What `lectern check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Documents checked.
    pub documents: usize,
    /// Problems, each at its place.
    pub problems: Vec<Diagnostic>,
    /// External links: where each is written, and the URL.
    pub external_links: Vec<(Location, String)>,
}

/// Checks the site without writing anything.
pub fn check(settings: &Settings) -> Result<CheckReport> {
    let site = load_site(settings)?;
    let mut report = CheckReport {
        documents: site.docs.len(),
        ..CheckReport::default()
    };
    // Render each document on its own and on past its problems, so that one broken link
    // hides no other problem, in its file or any other.
    let mut rendered = Vec::with_capacity(site.docs.len());
    for id in 0..site.docs.len() {
        let (markdown, errors) = markdown::render_with_problems(&site, settings, id);
        report.problems.extend(errors.into_iter().flat_map(flatten));
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
    let cited: HashSet<usize> = rendered
        .iter()
        .flat_map(|r| r.citations.iter().map(|c| c.number))
        .collect();
    for reference in &site.references {
        if !cited.contains(&reference.number) {
            let doc = &site.docs[reference.declared_in];
            let offset = doc
                .text
                .find(&format!("\"{}\"", reference.entry.id))
                .unwrap_or(0);
            report.problems.push(
                Diagnostic::at(
                    Location::from_offset(&doc.source, &doc.text, offset),
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
    report
        .external_links
        .sort_by(|a, b| (&a.0.path, a.0.line).cmp(&(&b.0.path, b.0.line)));
    Ok(report)
}

fn flatten(error: Error) -> Vec<Diagnostic> {
    match error {
        Error::Input(d) => vec![*d],
        Error::Many(list) => list.into_iter().flat_map(flatten).collect(),
        io @ Error::Io { .. } => vec![Diagnostic::in_file(
            std::path::Path::new("."),
            io.to_string(),
        )],
    }
}
