//! The search index: written at build time, loaded by the page only when the reader
//! searches. Chinese has no spaces to split words on, so the index holds every pair of
//! adjacent Han characters (bigrams) and every Latin word, each with the documents that
//! contain it. Any query of two or more characters is then a set intersection plus a
//! check against the text — no dictionary, and the same tokens in Rust and in the page.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use serde::Serialize;

use crate::markdown::text::is_han;

/// One searchable document.
#[derive(Debug, Serialize)]
pub struct SearchDoc<'a> {
    /// Title.
    #[serde(rename = "t")]
    pub title: &'a str,
    /// URL, relative to the edition's root (the page adds the way up to it).
    #[serde(rename = "u")]
    pub url: &'a str,
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
    words: BTreeMap<&'a str, Vec<usize>>,
}

/// A text's tokens: Han bigrams (as character pairs) and lower-case Latin words.
pub type Tokens = (Vec<(char, char)>, Vec<String>);

/// The tokens of a text, each once, sorted.
pub fn tokens(text: &str) -> Tokens {
    let mut bigrams = Vec::new();
    let mut words = Vec::new();
    let mut previous: Option<char> = None;
    let mut word = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if is_han(c) {
            if let Some(p) = previous {
                bigrams.push((p, c));
            }
            previous = Some(c);
        } else {
            previous = None;
        }
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    bigrams.sort_unstable();
    bigrams.dedup();
    words.sort_unstable();
    words.dedup();
    (bigrams, words)
}

/// The index as a script that sets `window.lecternSearch` (a script, not JSON, so that
/// it loads from `file://` too, where pages cannot fetch).
///
/// Documents are tokenised in parallel; postings are gathered in hash maps (pairs of
/// characters as keys, no string per bigram) and sorted once for a stable file.
pub fn search_index_script(docs: &[SearchDoc]) -> String {
    let tokenised: Vec<Arc<Tokens>> = docs
        .par_iter()
        .map(|doc| Arc::new(doc_tokens(doc)))
        .collect();
    index_script(docs, &tokenised)
}

/// A document's tokens: its title's and its text's together.
pub fn doc_tokens(doc: &SearchDoc) -> Tokens {
    let (mut b, mut w) = tokens(doc.title);
    let (body_b, body_w) = tokens(doc.full_text);
    b.extend(body_b);
    w.extend(body_w);
    b.sort_unstable();
    b.dedup();
    w.sort_unstable();
    w.dedup();
    (b, w)
}

/// The index script from documents and their tokens (computed, or kept from an earlier
/// build by `lectern serve`).
pub fn index_script(docs: &[SearchDoc], tokenised: &[Arc<Tokens>]) -> String {
    let mut bigrams: HashMap<(char, char), Vec<usize>> = HashMap::new();
    let mut words: HashMap<&str, Vec<usize>> = HashMap::new();
    for (id, tokens) in tokenised.iter().enumerate() {
        let (b, w) = &**tokens;
        for &token in b {
            bigrams.entry(token).or_default().push(id);
        }
        for token in w {
            words.entry(token).or_default().push(id);
        }
    }
    let bigrams: BTreeMap<String, Vec<usize>> = bigrams
        .into_iter()
        .map(|((a, b), ids)| (format!("{a}{b}"), ids))
        .collect();
    let words: BTreeMap<&str, Vec<usize>> = words.into_iter().collect();
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
        assert_eq!(bigrams, [('交', '焦'), ('焦', '慮'), ('社', '交')]);
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
                url: "a/",
                text: "社交焦慮",
                full_text: "社交焦慮",
            },
            SearchDoc {
                title: "B",
                url: "b/",
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
