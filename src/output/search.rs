//! The search index: written at build time, loaded by the page only when the reader
//! searches. Chinese has no spaces to split words on, so the index holds every pair of
//! adjacent Han characters (bigrams) and every Latin word, each with the documents that
//! contain it. Any query of two or more characters is then a set intersection plus a
//! check against the text — no dictionary, and the same tokens in Rust and in the page.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::markdown::text::is_han;

/// One searchable document.
#[derive(Debug, Serialize)]
pub struct SearchDoc<'a> {
    /// Title.
    #[serde(rename = "t")]
    pub title: &'a str,
    /// URL.
    #[serde(rename = "u")]
    pub url: String,
    /// Visible text, for checking matches and showing snippets (on a large site only
    /// its start).
    #[serde(rename = "x")]
    pub text: &'a str,
    /// All of the visible text: the tokens come from here.
    #[serde(skip)]
    pub full_text: &'a str,
}

#[derive(Serialize)]
struct Index<'a> {
    docs: &'a [SearchDoc<'a>],
    /// Han bigram → documents.
    bigrams: BTreeMap<String, Vec<usize>>,
    /// Lower-case Latin word → documents.
    words: BTreeMap<String, Vec<usize>>,
}

/// The tokens of a text: Han bigrams and lower-case Latin words.
pub fn tokens(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut bigrams = BTreeSet::new();
    let mut words = BTreeSet::new();
    let mut previous: Option<char> = None;
    let mut word = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if is_han(c) {
            if let Some(p) = previous {
                bigrams.insert(format!("{p}{c}"));
            }
            previous = Some(c);
        } else {
            previous = None;
        }
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() {
            words.insert(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.insert(word);
    }
    (bigrams, words)
}

/// The index as a script that sets `window.lecternSearch` (a script, not JSON, so that
/// it loads from `file://` too, where pages cannot fetch).
pub fn search_index_script(docs: &[SearchDoc]) -> String {
    let mut bigrams: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut words: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (id, doc) in docs.iter().enumerate() {
        let (b, w) = tokens(&format!("{}\n{}", doc.title, doc.full_text));
        for token in b {
            bigrams.entry(token).or_default().push(id);
        }
        for token in w {
            words.entry(token).or_default().push(id);
        }
    }
    let index = Index {
        docs,
        bigrams,
        words,
    };
    let json = serde_json::to_string(&index).expect("the index serialises");
    format!("window.lecternSearch={json};\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_han_bigrams_and_latin_words() {
        let (bigrams, words) = tokens("社交焦慮 in DeepMind, 2024");
        assert_eq!(
            bigrams.into_iter().collect::<Vec<_>>(),
            ["交焦", "焦慮", "社交"]
        );
        assert_eq!(
            words.into_iter().collect::<Vec<_>>(),
            ["2024", "deepmind", "in"]
        );
    }

    #[test]
    fn index_lists_documents_per_token() {
        let docs = [
            SearchDoc {
                title: "A",
                url: "/a/".into(),
                text: "社交焦慮",
                full_text: "社交焦慮",
            },
            SearchDoc {
                title: "B",
                url: "/b/".into(),
                text: "",
                full_text: "焦慮 DeepMind",
            },
        ];
        let script = search_index_script(&docs);
        assert!(script.starts_with("window.lecternSearch={"));
        assert!(script.contains("\"焦慮\":[0,1]"));
        assert!(script.contains("\"deepmind\":[1]"));
    }
}
