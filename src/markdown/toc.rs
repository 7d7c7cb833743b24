//! Heading ids and the nested table of contents.

use std::collections::HashSet;

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

/// An id for a heading, unique among `taken`: lower case, spaces to `-`, punctuation
/// dropped, CJK kept (`錢，錢，錢` → `錢錢錢`), `-1`, `-2` … on repeats.
pub fn heading_id(text: &str, taken: &mut HashSet<String>) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            id.push(c);
        } else if c.is_whitespace() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let base = match id.trim_matches('-') {
        "" => "section".to_string(),
        trimmed => trimmed.to_string(),
    };
    let mut candidate = base.clone();
    let mut n = 1;
    while taken.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// Builds the nested table of contents from headings in document order.
#[derive(Debug, Default)]
pub struct TocBuilder {
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
        let mut taken = HashSet::new();
        assert_eq!(heading_id("無處可逃", &mut taken), "無處可逃");
        assert_eq!(heading_id("錢，錢，錢", &mut taken), "錢錢錢");
        assert_eq!(heading_id("Hello, World!", &mut taken), "hello-world");
        assert_eq!(heading_id("Hello World", &mut taken), "hello-world-1");
        assert_eq!(heading_id("？！", &mut taken), "section");
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
