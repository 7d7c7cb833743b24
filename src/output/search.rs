//! The search index: written at build time, loaded by the page only when the reader
//! searches. Chinese has no spaces to split words on, so the index holds every pair of
//! adjacent Han characters (bigrams) and every Latin word, each with the documents that
//! contain it. Any query of two or more characters is then a set intersection plus a
//! check against the text — no dictionary, and the same tokens in Rust and in the page.
//!
//! The files are scripts, not JSON, so that they load from `file://` too, where pages
//! cannot fetch. `search-index.js` holds the documents and the Latin words; a small
//! site's bigrams are in it as well. A large site's bigrams are split into shards
//! (`search-index-3.js`), chosen by a hash of the bigram that `lectern.js` computes the
//! same way, so a search loads only the shards its query needs. Document lists are
//! written as gaps between ascending ids in base 36 (`"0,5,a"` is 0, 5, 15).
//!
//! A site with an edition in the other Chinese script adds to each edition's index a
//! small map (`"script":{"慮":"虑",…}`) from the other script's characters into its own,
//! only those its text needs: a reader types in the script of their keyboard, and the
//! page converts the query with it before cutting it into bigrams.

use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::Staging;
use crate::error::Result;
use crate::han::is_han;

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

/// A text's tokens: Han bigrams (as character pairs, sorted by [`bigram_hash`] so that
/// each part of the index finds its own in one range) and lower-case Latin words.
pub type Tokens = (Vec<(char, char)>, Vec<String>);

/// Adds the tokens of `text`, repeats and all, to `bigrams` and `words`.
fn push_tokens(text: &str, bigrams: &mut Vec<(char, char)>, words: &mut Vec<String>) {
    let mut previous: Option<char> = None;
    let mut word = String::new();
    for c in text.chars() {
        if is_han(c) {
            if let Some(p) = previous {
                bigrams.push((p, c));
            }
            previous = Some(c);
        } else {
            previous = None;
        }
        // Words are ASCII letters and digits, so ASCII lower case is all they need.
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
}

/// A document's tokens: its title's and its text's together.
pub fn doc_tokens(doc: &SearchDoc) -> Tokens {
    let (mut bigrams, mut words) = (Vec::new(), Vec::new());
    push_tokens(doc.title, &mut bigrams, &mut words);
    push_tokens(doc.full_text, &mut bigrams, &mut words);
    settle(bigrams, words)
}

/// Sorts tokens into their order and drops repeats.
fn settle(bigrams: Vec<(char, char)>, mut words: Vec<String>) -> Tokens {
    // Each hash worked out once, then plain integer comparisons.
    let mut keyed: Vec<(u32, u32, u32)> = bigrams
        .into_iter()
        .map(|(a, b)| (bigram_hash((a, b)), a as u32, b as u32))
        .collect();
    keyed.sort_unstable();
    keyed.dedup();
    let bigrams = keyed
        .into_iter()
        .filter_map(|(_, a, b)| Some((char::from_u32(a)?, char::from_u32(b)?)))
        .collect();
    words.sort_unstable();
    words.dedup();
    (bigrams, words)
}

/// The index is gathered in `1 << PART_BITS` parts (or the shards, if more), each a
/// small map filled by its own thread.
const PART_BITS: u32 = 4;

/// About how many documents' bigrams go into one shard of a large site's index.
const DOCS_PER_SHARD: usize = 250;

/// Above this many documents a site is large for search: its index keeps only the
/// start of each document's text and its bigrams are split into shards.
pub const LARGE_SITE: usize = 200;

/// A search index being gathered, documents' tokens a batch at a time (the tokens of
/// one batch are all that is ever held), then written.
pub struct SearchIndex {
    postings: Postings,
    shard_bits: u32,
    large: bool,
}

impl SearchIndex {
    /// An empty index for a site of `docs` documents.
    pub fn new(docs: usize, large: bool) -> SearchIndex {
        let shard_bits = if large {
            (docs / DOCS_PER_SHARD)
                .next_power_of_two()
                .max(2)
                .trailing_zeros()
        } else {
            0
        };
        SearchIndex {
            postings: Postings::new(shard_bits.max(PART_BITS)),
            shard_bits,
            large,
        }
    }

    /// Adds the tokens of the documents numbered from `start` on, in reading order.
    pub fn add(&mut self, start: usize, tokens: &[Arc<Tokens>]) {
        self.postings.add(start, tokens);
    }

    /// Writes the index of `docs` (whose tokens were all added, in the same order) into
    /// `staging` under `prefix` (the edition's folder), with `script_map` (characters of
    /// the other script and this edition's for them; none for a site in one script).
    pub fn write(
        self,
        docs: &[SearchDoc],
        prefix: &str,
        script_map: &[(char, char)],
        staging: &Staging,
    ) -> Result<()> {
        let SearchIndex {
            postings,
            shard_bits,
            large,
        } = self;
        let mut words: Vec<(String, Documents)> = postings.words.into_iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // Each part's bigrams in order; parts are whole shards or slices of one.
        let sorted = |parts: Vec<FxHashMap<(char, char), Documents>>| -> Vec<IndexPart> {
            parts
                .into_par_iter()
                .map(|part| {
                    let mut part: Vec<_> = part.into_iter().collect();
                    part.sort_unstable_by_key(|(pair, _)| *pair);
                    part
                })
                .collect()
        };
        // The documents are written straight into the script: on a large site they are
        // megabytes, not worth holding twice.
        let mut script = b"window.lecternSearch={\"docs\":".to_vec();
        serde_json::to_writer(&mut script, docs).expect("documents serialise");
        let mut main = String::from_utf8(script).expect("JSON is UTF-8");
        main.push_str(",\"words\":{");
        for (i, (word, ids)) in words.iter().enumerate() {
            if i > 0 {
                main.push(',');
            }
            // Words are ASCII letters and digits: nothing to escape.
            let _ = write!(main, "\"{word}\":");
            ids.push_to(&mut main);
        }
        // The page cuts a query into bigrams of exactly the characters the index did.
        let _ = write!(
            main,
            "}},\"shards\":{},\"excerpts\":{large},\"han\":{}",
            if shard_bits == 0 { 0 } else { 1 << shard_bits },
            serde_json::to_string(&crate::han::IDEOGRAPHS).expect("numbers serialise")
        );
        push_script_map(&mut main, script_map);
        if shard_bits == 0 {
            main.push_str(",\"bigrams\":");
            push_bigrams(&mut main, &sorted(postings.parts));
            main.push_str("};\n");
            return staging.write(&format!("{prefix}search-index.js"), main.as_bytes());
        }
        main.push_str("};\n");
        staging.write(&format!("{prefix}search-index.js"), main.as_bytes())?;
        drop(main);
        let parts = sorted(postings.parts);
        let parts_per_shard = parts.len() >> shard_bits;
        parts
            .par_chunks(parts_per_shard)
            .enumerate()
            .try_for_each(|(shard, parts)| {
                let mut script = format!(
                    "(window.lecternSearchShards=window.lecternSearchShards||{{}})[{shard}]="
                );
                push_bigrams(&mut script, parts);
                script.push_str(";\n");
                staging.write(
                    &format!("{prefix}search-index-{shard}.js"),
                    script.as_bytes(),
                )
            })
    }
}

/// One part of the index: bigrams in order, each with its documents.
type IndexPart = Vec<((char, char), Documents)>;

/// The documents holding one token: ascending ids, kept as the gaps between them in
/// LEB128 bytes (most gaps take one or two), which is about a third of the memory of a
/// list of numbers on a large site.
#[derive(Default)]
struct Documents {
    last: u32,
    gaps: Vec<u8>,
}

impl Documents {
    /// Adds `id`, larger than every id added before.
    fn push(&mut self, id: u32) {
        let mut gap = id - self.last;
        self.last = id;
        loop {
            let byte = (gap & 0x7f) as u8;
            gap >>= 7;
            if gap == 0 {
                self.gaps.push(byte);
                return;
            }
            self.gaps.push(byte | 0x80);
        }
    }

    /// The gaps, in order.
    fn gaps(&self) -> impl Iterator<Item = u32> + '_ {
        let mut bytes = self.gaps.iter();
        std::iter::from_fn(move || {
            let mut gap = 0u32;
            let mut shift = 0;
            loop {
                let byte = *bytes.next()?;
                gap |= u32::from(byte & 0x7f) << shift;
                if byte & 0x80 == 0 {
                    return Some(gap);
                }
                shift += 7;
            }
        })
    }

    /// Writes the ids as a string of base-36 gaps: 0, 5, 15 → `"0,5,a"`.
    fn push_to(&self, out: &mut String) {
        out.push('"');
        for (i, gap) in self.gaps().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_base36(out, gap);
        }
        out.push('"');
    }
}

/// The document ids of every token, ascending.
struct Postings {
    /// Bigrams by the top `bits` of their hash.
    parts: Vec<FxHashMap<(char, char), Documents>>,
    bits: u32,
    words: FxHashMap<String, Documents>,
}

impl Postings {
    fn new(bits: u32) -> Postings {
        Postings {
            parts: (0..1 << bits).map(|_| FxHashMap::default()).collect(),
            bits,
            words: FxHashMap::default(),
        }
    }

    /// Merges a batch of documents' tokens into every part of the index at once, each
    /// part on its own thread.
    fn add(&mut self, start: usize, tokens: &[Arc<Tokens>]) {
        let bits = self.bits;
        self.parts
            .par_iter_mut()
            .enumerate()
            .for_each(|(part_index, part)| {
                let part_index = part_index as u32;
                for (offset, tokens) in tokens.iter().enumerate() {
                    let id = (start + offset) as u32;
                    let pairs = &tokens.0;
                    let from = pairs.partition_point(|&p| shard_of(p, bits) < part_index);
                    let to = pairs.partition_point(|&p| shard_of(p, bits) <= part_index);
                    for &pair in &pairs[from..to] {
                        part.entry(pair).or_default().push(id);
                    }
                }
            });
        for (offset, tokens) in tokens.iter().enumerate() {
            let id = (start + offset) as u32;
            for word in &tokens.1 {
                match self.words.get_mut(word.as_str()) {
                    Some(ids) => ids.push(id),
                    None => {
                        let mut ids = Documents::default();
                        ids.push(id);
                        self.words.insert(word.clone(), ids);
                    }
                }
            }
        }
    }
}

/// A bigram's hash, the same as `bigramHash` in `lectern.js`.
fn bigram_hash((a, b): (char, char)) -> u32 {
    ((a as u32).wrapping_mul(0x9E37_79B1) ^ b as u32).wrapping_mul(0x85EB_CA6B)
}

/// Which of `1 << bits` shards holds `pair`: the top bits of its hash.
fn shard_of(pair: (char, char), bits: u32) -> u32 {
    if bits == 0 {
        0
    } else {
        bigram_hash(pair) >> (32 - bits)
    }
}

/// `,"script":{"慮":"虑",…}` for a map between the scripts; nothing for an empty one,
/// so that a site in one script ships none.
fn push_script_map(out: &mut String, map: &[(char, char)]) {
    if map.is_empty() {
        return;
    }
    out.push_str(",\"script\":{");
    for (i, &(from, to)) in map.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let quoted = |c: char| serde_json::to_string(&c).expect("a character serialises");
        let _ = write!(out, "{}:{}", quoted(from), quoted(to));
    }
    out.push('}');
}

/// `{"焦慮":"0,5",…}` for the bigrams of `parts`, in order.
fn push_bigrams(out: &mut String, parts: &[IndexPart]) {
    out.push('{');
    for (i, ((a, b), ids)) in parts.iter().flatten().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Han characters need no escaping in a JSON string.
        out.push('"');
        out.push(*a);
        out.push(*b);
        out.push_str("\":");
        ids.push_to(out);
    }
    out.push('}');
}

fn push_base36(out: &mut String, mut n: u32) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 7];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[at..].iter().map(|&d| d as char));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_han_bigrams_and_latin_words() {
        let (bigrams, words) = doc_tokens(&SearchDoc {
            title: "社交",
            url: "",
            text: "",
            full_text: "焦慮 in DeepMind, 2024",
        });
        let mut sorted = bigrams.clone();
        sorted.sort();
        // The title and the text are tokenised apart: no bigram across them.
        assert_eq!(sorted, [('焦', '慮'), ('社', '交')]);
        assert!(bigrams.is_sorted_by_key(|&p| bigram_hash(p)));
        assert_eq!(
            words.into_iter().collect::<Vec<_>>(),
            ["2024", "deepmind", "in"]
        );
    }

    fn docs() -> Vec<SearchDoc<'static>> {
        let mut docs = vec![
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
        for _ in 0..40 {
            docs.push(SearchDoc {
                title: "C",
                url: "c/",
                text: "",
                full_text: "其他",
            });
        }
        docs.push(SearchDoc {
            title: "Z",
            url: "z/",
            text: "",
            full_text: "焦慮",
        });
        docs
    }

    fn index(large: bool) -> std::collections::HashMap<String, Arc<[u8]>> {
        index_with_map(large, &[])
    }

    fn index_with_map(
        large: bool,
        map: &[(char, char)],
    ) -> std::collections::HashMap<String, Arc<[u8]>> {
        let staging = Staging::in_memory();
        let docs = docs();
        let mut index = SearchIndex::new(docs.len(), large);
        let tokens: Vec<Arc<Tokens>> = docs.iter().map(|d| Arc::new(doc_tokens(d))).collect();
        index.add(0, &tokens);
        index.write(&docs, "", map, &staging).unwrap();
        staging.commit().unwrap().0.unwrap()
    }

    fn text(files: &std::collections::HashMap<String, Arc<[u8]>>, path: &str) -> String {
        String::from_utf8(files[path].to_vec()).unwrap()
    }

    #[test]
    fn a_small_index_lists_documents_per_token_as_gaps_in_one_file() {
        let files = index(false);
        assert_eq!(files.len(), 1);
        let script = text(&files, "search-index.js");
        assert!(script.starts_with("window.lecternSearch={\"docs\":[{\"t\":\"A\""));
        // Documents 0, 1 and 42: gaps 0, 1, 41 = "15" in base 36.
        assert!(script.contains("\"焦慮\":\"0,1,15\""), "{script}");
        assert!(script.contains("\"deepmind\":\"1\""));
        assert!(script.contains("\"shards\":0,\"excerpts\":false"));
    }

    #[test]
    fn a_large_index_puts_each_bigram_in_the_shard_its_hash_names() {
        let files = index(true);
        let main = text(&files, "search-index.js");
        assert!(main.contains("\"shards\":2,\"excerpts\":true"), "{main}");
        assert!(!main.contains("\"bigrams\""));
        let shard = shard_of(('焦', '慮'), 1);
        let script = text(&files, &format!("search-index-{shard}.js"));
        assert!(script.contains("\"焦慮\":\"0,1,15\""), "{script}");
        assert!(!text(&files, &format!("search-index-{}.js", 1 - shard)).contains("焦慮"));
    }

    #[test]
    fn the_script_map_goes_into_the_main_file_and_only_when_there_is_one() {
        for large in [false, true] {
            let files = index_with_map(large, &[('虑', '慮'), ('说', '說')]);
            let main = text(&files, "search-index.js");
            assert!(
                main.contains(",\"script\":{\"虑\":\"慮\",\"说\":\"說\"}"),
                "{main}"
            );
            // The page reads it as part of the index: valid JSON inside the assignment.
            let json = &main["window.lecternSearch=".len()..main.len() - 2];
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(value["script"]["虑"], "慮");
            let shards = files.keys().filter(|k| k.as_str() != "search-index.js");
            assert!(shards
                .into_iter()
                .all(|k| !text(&files, k).contains("script")));
        }
        assert!(!text(&index(false), "search-index.js").contains("script"));
    }

    #[test]
    fn base36_gaps() {
        let mut ids = Documents::default();
        for id in [0, 5, 15, 51, 1347, 1347 + 300_000] {
            ids.push(id);
        }
        let mut out = String::new();
        ids.push_to(&mut out);
        assert_eq!(out, "\"0,5,a,10,100,6fhc\"");
    }
}
