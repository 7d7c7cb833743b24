//! Anchors across pages: every `#anchor` a link names must exist in the page it points
//! to. Checked once every page's Markdown is rendered (by `build` and `check`).

use crate::content::Site;
use crate::error::{Diagnostic, Error, Location, Result};

use super::{RenderedMarkdown, TocEntry};

/// Every `#anchor` a link names must exist in the page it points to.
pub(crate) fn check_anchors(site: &Site, rendered: &[RenderedMarkdown]) -> Result<()> {
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

impl RenderedMarkdown {
    /// The ids of this fragment's headings, in order.
    pub fn toc_ids(&self) -> Vec<&str> {
        fn walk<'a>(entries: &'a [TocEntry], out: &mut Vec<&'a str>) {
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
