//! The site navigation, rendered once for every page that shows the same one (the whole
//! site, or per section on large sites) with `nav.html`, then given to each page with
//! its own link marked as current. Rendering it per page was most of the template time.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use super::context::{nav_keys, navigation, url_of, NavKey};
use super::Renderer;
use crate::config::Settings;
use crate::content::{DocId, Site};
use crate::error::Result;

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

    /// The navigation for a document, marked.
    pub fn for_doc(&self, site: &Site, settings: &Settings, doc: DocId) -> String {
        self.for_page(
            site,
            Some(doc),
            Some(&url_of(&settings.base_path, &site.docs[doc])),
        )
    }
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
