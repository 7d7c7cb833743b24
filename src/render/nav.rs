//! The site navigation: which entries a page's navigation lists (the whole tree on a
//! small site; on a large one the way to the reader's section and a block of its
//! pages), rendered once for every page that shows the same one with `nav.html`, then
//! given to each page with its own link marked as current. Rendering it per page was
//! most of the template time.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use serde::Serialize;

use super::context::url_of;
use super::Renderer;
use crate::config::Settings;
use crate::content::{DocId, DocKind, Site};
use crate::error::Result;

/// One entry of the site navigation (`nav` in `nav.html` and in the templates that read
/// it): a section with its children, or a page.
#[derive(Debug, Serialize)]
pub struct NavItem<'a> {
    /// The document's title.
    pub title: &'a str,
    /// Root-relative URL.
    pub url: String,
    /// Whether it is a section.
    pub is_section: bool,
    /// Whether it is the page being rendered. Never in `nav.html`, which is rendered
    /// once for many pages: lectern marks the current link in its HTML afterwards.
    pub current: bool,
    /// Whether its children are listed.
    pub open: bool,
    /// Its pages and subsections, when listed.
    pub children: Vec<NavItem<'a>>,
}

/// Above this many documents the navigation lists only the way to the reader's section
/// and that section's pages, so that it stays small and the output grows linearly with
/// the site (the home page and each section page list everything below them).
pub const FULL_NAV_LIMIT: usize = 200;

/// On a large site, a section's pages are listed in the navigation this many at a time:
/// the block holding the page being read.
pub const NAV_BLOCK: usize = 100;

/// Which navigation a document shows: `None` when every document shows the whole tree
/// (small sites), else the section whose pages are listed (a page's own section, or the
/// section itself) and which block of [`NAV_BLOCK`] of its pages.
pub type NavKey = Option<(DocId, usize)>;

/// Every document's [`NavKey`], by document id.
pub fn nav_keys(site: &Site) -> Vec<NavKey> {
    let mut keys = vec![None; site.docs.len()];
    if site.docs.len() <= FULL_NAV_LIMIT {
        return keys;
    }
    for (id, doc) in site.docs.iter().enumerate() {
        if doc.kind == DocKind::Section {
            keys[id] = keys[id].or(Some((id, 0)));
            for (i, &child) in doc.children.iter().enumerate() {
                if site.docs[child].kind != DocKind::Section {
                    keys[child] = Some((id, i / NAV_BLOCK));
                }
            }
        }
    }
    keys
}

/// The navigation tree for a [`NavKey`]: the whole site, or the way to one block of
/// one section's pages. Every page of a large site then carries a navigation of at
/// most a block's size, however many pages the site has.
pub fn navigation<'a>(site: &'a Site, base_path: &str, key: NavKey) -> Vec<NavItem<'a>> {
    let mut on_path = vec![key.is_none(); site.docs.len()];
    let mut at = key.map(|(section, _)| section);
    while let Some(id) = at {
        on_path[id] = true;
        at = site.docs[id].parent;
    }
    let home = &site.docs[site.root];
    let mut items = vec![NavItem {
        title: &home.title,
        url: url_of(base_path, home),
        is_section: false,
        current: false,
        open: false,
        children: Vec::new(),
    }];
    items.extend(nav_children(site, base_path, site.root, key, &on_path));
    items
}

/// A section's entries: all of its children when it is the listed section (or the whole
/// tree is shown; on a large site, the listed block of them, with `…` linking to the
/// section for the rest), else only the one on the way to the listed section.
fn nav_children<'a>(
    site: &'a Site,
    base_path: &str,
    section: DocId,
    key: NavKey,
    on_path: &[bool],
) -> Vec<NavItem<'a>> {
    let children = &site.docs[section].children;
    let listed = match key {
        None => 0..children.len(),
        Some((s, block)) if s == section => {
            block * NAV_BLOCK..((block + 1) * NAV_BLOCK).min(children.len())
        }
        Some(_) => 0..0,
    };
    let more = || NavItem {
        title: "…",
        url: url_of(base_path, &site.docs[section]),
        is_section: false,
        current: false,
        open: false,
        children: Vec::new(),
    };
    let mut items: Vec<NavItem> = Vec::new();
    if key.is_some() && listed.start > 0 {
        items.push(more());
    }
    items.extend(
        children
            .iter()
            .enumerate()
            .filter(|&(i, &id)| listed.contains(&i) || on_path[id])
            .map(|(_, &id)| {
                let doc = &site.docs[id];
                let is_section = doc.kind == DocKind::Section;
                let open = is_section && on_path[id];
                NavItem {
                    title: &doc.title,
                    url: url_of(base_path, doc),
                    is_section,
                    current: false,
                    open,
                    children: if open {
                        nav_children(site, base_path, id, key, on_path)
                    } else {
                        Vec::new()
                    },
                }
            }),
    );
    if key.is_some() && listed.end < children.len() && !listed.is_empty() {
        items.push(more());
    }
    items
}

/// The rendered navigations, by [`NavKey`].
pub struct NavCache {
    by_key: HashMap<NavKey, String>,
    /// Each document's key, by id.
    keys: Vec<NavKey>,
}

impl NavCache {
    /// Renders every navigation the site's pages need.
    pub fn build(
        renderer: &Renderer,
        site: &Site,
        settings: &Settings,
        base: &tera::Context,
    ) -> Result<NavCache> {
        let keys = nav_keys(site);
        // Pages outside the content (404, the single page) show the top level only.
        let mut distinct: Vec<NavKey> = keys.clone();
        distinct.push(keys[site.root]);
        distinct.sort_unstable();
        distinct.dedup();
        let rendered: Result<Vec<(NavKey, String)>> = distinct
            .into_par_iter()
            .map(|key| {
                let mut context = base.clone();
                context.insert("nav", &navigation(site, &settings.base_path, key));
                renderer
                    .render("nav.html", &context, Path::new("nav.html"))
                    .map(|html| (key, html))
            })
            .collect();
        Ok(NavCache {
            by_key: rendered?.into_iter().collect(),
            keys,
        })
    }

    /// The navigation for document `doc` (none for pages outside the content, such as
    /// the 404 page), with the link to `current_url` marked `aria-current="page"`.
    pub fn for_page(&self, site: &Site, doc: Option<DocId>, current_url: Option<&str>) -> String {
        let html = self
            .by_key
            .get(&self.keys[doc.unwrap_or(site.root)])
            .map_or("", String::as_str);
        match current_url {
            Some(url) => mark_current(html, url),
            None => html.to_string(),
        }
    }

    /// The navigation tree for document `doc` (the top level for pages outside the
    /// content), the entry for `current_url` marked `current`: `nav` for the templates
    /// that read it. Made for each page that needs it, as it would cost every page
    /// that does not: at most the whole tree of a small site or a block of a section.
    pub fn tree<'a>(
        &self,
        site: &'a Site,
        settings: &Settings,
        doc: Option<DocId>,
        current_url: Option<&str>,
    ) -> Vec<NavItem<'a>> {
        let mut items = navigation(
            site,
            &settings.base_path,
            self.keys[doc.unwrap_or(site.root)],
        );
        if let Some(url) = current_url {
            mark_current_item(&mut items, url);
        }
        items
    }

    /// The navigation for a document, marked.
    pub fn for_doc(&self, site: &Site, settings: &Settings, doc: DocId) -> String {
        self.for_page(
            site,
            Some(doc),
            Some(&url_of(&settings.base_path, &site.docs[doc])),
        )
    }
}

/// Marks the first entry (depth first, as `nav.html` lists them) whose URL is `url` as
/// the current page; whether one was.
fn mark_current_item(items: &mut [NavItem], url: &str) -> bool {
    items.iter_mut().any(|item| {
        if item.url == url && item.title != "…" {
            item.current = true;
            return true;
        }
        mark_current_item(&mut item.children, url)
    })
}

/// Marks the first link to `url` as the current page. `nav.html` writes every link as
/// `<a href="URL">`, and each URL appears once in it.
fn mark_current(html: &str, url: &str) -> String {
    let needle = format!("<a href=\"{}\"", crate::escape::html(url));
    match html.find(&needle) {
        Some(at) => {
            let end = at + needle.len();
            let mut marked = String::with_capacity(html.len() + 24);
            marked.push_str(&html[..end]);
            marked.push_str(" aria-current=\"page\"");
            marked.push_str(&html[end..]);
            marked
        }
        None => html.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_only_the_exact_link() {
        let html = "<a href=\"/b/x/\">x</a><a href=\"/b/\">b</a>";
        assert_eq!(
            mark_current(html, "/b/"),
            "<a href=\"/b/x/\">x</a><a href=\"/b/\" aria-current=\"page\">b</a>"
        );
        assert_eq!(mark_current(html, "/none/"), html);
    }
}
