//! Heading ids and the nested table of contents.

use std::collections::HashMap;

use serde::Serialize;

/// One heading in a page's table of contents, with the headings nested under it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    /// Heading level, 1 to 6.
    pub level: u8,
    /// The heading's id (the anchor, without `#`).
    pub id: String,
    /// The heading's text.
    pub title: String,
    /// Deeper headings that follow it.
    pub children: Vec<TocEntry>,
}

/// The ids taken on one page, each with the next suffix to try after it: so a page of
/// 50,000 identical headings gets its ids in linear time, not by re-trying `-1`, `-2`
/// … from the start for each.
#[derive(Debug, Default)]
pub struct PageIds {
    next_suffix: HashMap<String, usize>,
}

impl PageIds {
    /// `base` if it is free, else `base-1`, `base-2` … whichever is free first; the id
    /// returned is taken. Ids lectern writes itself for footnotes and citations
    /// (`fn-1`, `fnref-1-1`, `cite-1-1`, `ref-1`) are never free, so a heading or a
    /// `{#custom}` id can never shadow one.
    pub fn claim(&mut self, base: &str) -> String {
        if !self.is_taken(base) {
            self.next_suffix.insert(base.to_string(), 1);
            return base.to_string();
        }
        let mut n = self.next_suffix.get(base).copied().unwrap_or(1);
        let id = loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if !self.is_taken(&candidate) {
                break candidate;
            }
        };
        self.next_suffix.insert(base.to_string(), n);
        self.next_suffix.insert(id.clone(), 1);
        id
    }

    fn is_taken(&self, id: &str) -> bool {
        self.next_suffix.contains_key(id) || is_generated_id(id)
    }
}

/// Whether `id` has the shape of an id the Markdown stage writes for footnotes and
/// citations: `fn-N`, `fnref-N-K`, `cite-N-K`, `ref-N`.
fn is_generated_id(id: &str) -> bool {
    let numbers = |rest: &str, count: usize| {
        let parts: Vec<&str> = rest.split('-').collect();
        parts.len() == count
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    [("fn-", 1), ("fnref-", 2), ("cite-", 2), ("ref-", 1)]
        .iter()
        .any(|(prefix, count)| {
            id.strip_prefix(prefix)
                .is_some_and(|rest| numbers(rest, *count))
        })
}

/// An id for a heading, claimed in `ids`: lower case, spaces to `-`, punctuation
/// dropped, CJK kept (`錢，錢，錢` → `錢錢錢`), `-1`, `-2` … on repeats.
pub fn heading_id(text: &str, ids: &mut PageIds) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            id.push(c);
        } else if c.is_whitespace() && !id.ends_with('-') {
            id.push('-');
        }
    }
    match id.trim_matches('-') {
        "" => ids.claim("section"),
        trimmed => ids.claim(trimmed),
    }
}

/// Builds the nested table of contents from headings in document order.
#[derive(Debug, Default)]
pub(crate) struct TocBuilder {
    roots: Vec<TocEntry>,
}

impl TocBuilder {
    /// Adds the next heading.
    pub fn push(&mut self, level: u8, id: String, title: String) {
        let entry = TocEntry {
            level,
            id,
            title,
            children: Vec::new(),
        };
        let mut siblings = &mut self.roots;
        // Descend while the last entry at this depth is shallower than the new heading.
        while siblings.last().is_some_and(|last| last.level < level) {
            siblings = &mut siblings.last_mut().expect("checked above").children;
        }
        siblings.push(entry);
    }

    /// The finished table of contents.
    pub fn finish(self) -> Vec<TocEntry> {
        self.roots
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_keep_cjk_and_are_unique() {
        let mut taken = PageIds::default();
        assert_eq!(heading_id("無處可逃", &mut taken), "無處可逃");
        assert_eq!(heading_id("錢，錢，錢", &mut taken), "錢錢錢");
        assert_eq!(heading_id("Hello, World!", &mut taken), "hello-world");
        assert_eq!(heading_id("Hello World", &mut taken), "hello-world-1");
        assert_eq!(heading_id("？！", &mut taken), "section");
    }

    #[test]
    fn ids_stay_unique_when_a_heading_looks_like_a_suffixed_one() {
        let mut ids = PageIds::default();
        assert_eq!(ids.claim("h"), "h");
        assert_eq!(ids.claim("h-1"), "h-1");
        assert_eq!(ids.claim("h"), "h-2");
        assert_eq!(ids.claim("h"), "h-3");
        assert_eq!(ids.claim("h-1"), "h-1-1");
        assert_eq!(ids.claim("fn-1"), "fn-1-1");
        assert_eq!(ids.claim("cite-2-1"), "cite-2-1-1");
        assert_eq!(ids.claim("fn-x"), "fn-x");
    }

    #[test]
    fn toc_nests_deeper_headings() {
        let mut toc = TocBuilder::default();
        toc.push(2, "a".into(), "A".into());
        toc.push(3, "b".into(), "B".into());
        toc.push(4, "c".into(), "C".into());
        toc.push(2, "d".into(), "D".into());
        let toc = toc.finish();
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children[0].id, "b");
        assert_eq!(toc[0].children[0].children[0].id, "c");
        assert!(toc[1].children.is_empty());
    }
}
