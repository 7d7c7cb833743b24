//! Every edition's search index, written once every edition is built: a query typed in
//! another edition's script is converted by what that edition's conversion did to the
//! site's text (`CharPairs`), which is known only when that edition is done.

use rayon::prelude::*;

use crate::conversion::CharPairs;
use crate::error::Result;
use crate::output::{SearchDoc, SearchIndex, Staging};

/// One edition's search index, every document added, not yet written.
pub(super) struct PendingIndex {
    pub(super) index: SearchIndex,
    /// Each document's title, URL (relative to the edition's root) and excerpt, in
    /// reading order.
    pub(super) docs: Vec<(String, String, String)>,
    /// The edition's folder (`""` or `zh-hans/`).
    pub(super) prefix: String,
    /// What the edition's conversion did to the source's characters, its titles'
    /// included (empty in the source's edition).
    pub(super) pairs: CharPairs,
}

/// Writes the source edition's index and those of the other editions, each with its map
/// from the other script: the source's maps each character of the editions' script back
/// to the one it was converted from most often, an edition's maps each source character
/// to what it became most often. A site in one script gets no map.
pub(super) fn write_search_indexes(
    source: PendingIndex,
    editions: Vec<PendingIndex>,
    staging: &Staging,
) -> Result<()> {
    let mut all_pairs = CharPairs::default();
    for edition in &editions {
        all_pairs.merge(&edition.pairs);
    }
    let source_map = all_pairs.backward_map();
    drop(all_pairs);
    std::iter::once((source, source_map))
        .chain(editions.into_iter().map(|edition| {
            let map = edition.pairs.forward_map();
            (edition, map)
        }))
        .collect::<Vec<_>>()
        .into_par_iter()
        .try_for_each(|(pending, map)| {
            let docs: Vec<SearchDoc> = pending
                .docs
                .iter()
                .map(|(title, url, excerpt)| SearchDoc {
                    title,
                    url,
                    text: excerpt,
                    full_text: "",
                })
                .collect();
            pending.index.write(&docs, &pending.prefix, &map, staging)
        })
}

#[cfg(test)]
mod tests {
    use crate::build::{build_in_memory, BuildCache};
    use crate::config::{BuildOptions, Settings};

    /// The `"script"` map of a built search index, as (from, to) pairs; empty if none.
    fn script_map(index: &str) -> Vec<(char, char)> {
        let json = index
            .strip_prefix("window.lecternSearch=")
            .and_then(|s| s.strip_suffix(";\n"))
            .expect("the index is one assignment");
        let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
        let Some(map) = value.get("script") else {
            return Vec::new();
        };
        let mut pairs: Vec<(char, char)> = map
            .as_object()
            .expect("an object")
            .iter()
            .map(|(from, to)| {
                let one = |s: &str| {
                    let mut chars = s.chars();
                    let c = chars.next().expect("a character");
                    assert_eq!(chars.next(), None, "one character: {s}");
                    c
                };
                (one(from), one(to.as_str().expect("a string")))
            })
            .collect();
        pairs.sort_unstable();
        pairs
    }

    /// Builds a site of one page holding `body` into memory; with a Simplified edition
    /// if `editions`. Returns the source's index and the edition's (if any).
    fn build(body: &str, editions: bool) -> (String, Option<String>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut toml = "title = \"悼念\"\nbase_url = \"https://example.org/\"\n\
                        language = \"zh-Hant\"\n"
            .to_string();
        if editions {
            toml.push_str("\n[[editions]]\npath = \"zh-hans\"\nlanguage = \"zh-Hans\"\n");
        }
        std::fs::write(dir.path().join("site.toml"), toml).expect("site.toml");
        std::fs::create_dir(dir.path().join("content")).expect("content/");
        std::fs::write(
            dir.path().join("content/_index.md"),
            format!("+++\ntitle = \"首頁\"\n+++\n\n{body}\n"),
        )
        .expect("_index.md");
        let settings = Settings::load(dir.path(), &BuildOptions::default()).expect("settings");
        let (_, files) = build_in_memory(&settings, &BuildCache::default()).expect("builds");
        let text = |path: &str| {
            files
                .get(path)
                .map(|bytes| String::from_utf8(bytes.to_vec()).expect("UTF-8"))
        };
        (
            text("search-index.js").expect("the source's index"),
            text("zh-hans/search-index.js"),
        )
    }

    #[test]
    fn each_editions_index_maps_the_other_script_for_the_sites_characters_only() {
        let body = "社交焦慮讓人不安。`焦慮的程式碼`";
        let (hant, hans) = build(body, true);
        let hans = script_map(&hans.expect("the edition's index"));
        // Traditional typed into the Simplified edition: the page's and title's
        // characters that the conversion changed, to what they became.
        assert_eq!(
            hans,
            [('慮', '虑'), ('讓', '让'), ('頁', '页')],
            "the Simplified edition's map"
        );
        // Simplified typed into the Traditional edition: back to the source's.
        let hant = script_map(&hant);
        assert_eq!(hant, [('虑', '慮'), ('让', '讓'), ('页', '頁')]);
        // Nothing the site does not have: 國 and 国 are the commonest pair there is.
        assert!(!hans
            .iter()
            .chain(&hant)
            .any(|&(a, b)| "國国".contains(a) || "國国".contains(b)));
    }

    #[test]
    fn a_site_in_one_script_ships_no_map() {
        let (hant, hans) = build("社交焦慮讓人不安。", false);
        assert!(hans.is_none());
        assert!(!hant.contains("\"script\""), "{hant}");
        assert!(script_map(&hant).is_empty());
    }
}
