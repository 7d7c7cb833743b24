//! The files beside the pages: static files, assets, the theme's files, sitemap, robots.txt, `.nojekyll`, CNAME; and the check that the output folder does not hold the site.

use super::{feed, Mode};
use crate::config::Settings;
use crate::content::Site;
use crate::error::{Diagnostic, Error, Result};
use crate::markdown::{self, RenderedMarkdown};
use crate::output::{robots_txt, sitemap, SitemapEntry, Staging};
use crate::render::theme;
use std::path::{Path, PathBuf};

/// The output folder must not hold the site itself: building would carry the sources
/// into the output, or worse.
pub(super) fn check_output_dir(settings: &Settings) -> Result<()> {
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

/// Whether the file at output path `path` is copied as it is: a photo the image stage
/// published is not, unless `[images] publish_originals` names it.
fn publishes_original(photos: &crate::images::Processed, settings: &Settings, path: &str) -> bool {
    !photos.withheld.contains(path)
        || settings
            .config
            .images
            .publish_originals
            .iter()
            .any(|p| p.trim_start_matches('/') == path)
}

/// Static files, content assets, and the files GitHub Pages and crawlers read.
pub(super) fn write_site_files(
    site: &Site,
    settings: &Settings,
    photos: &crate::images::Processed,
    rendered: &[RenderedMarkdown],
    staging: &Staging,
    mode: Mode,
) -> Result<()> {
    // Every name checked and every link kept inside the site (see `input::walk`).
    for file in crate::input::walk(&settings.root, "static", |_| false)? {
        if publishes_original(photos, settings, &file.relative) {
            mode.tolerate(staging.copy(&file.relative, &file.path, &file.shown))?;
        }
    }
    // A photo's original may hold its GPS position: only the re-encoded sizes are published.
    for file in &photos.files {
        mode.tolerate(photos.write(file, staging))?;
    }
    for (path, text) in theme::STATIC_FILES {
        if !staging.contains(path) {
            mode.tolerate(staging.write(path, text.as_bytes()))?;
        }
    }
    for asset in &site.assets {
        if !publishes_original(photos, settings, &asset.output_path) {
            continue;
        }
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
