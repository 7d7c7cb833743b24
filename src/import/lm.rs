//! The language model: how well a stretch of Chinese text reads as language.
//!
//! Takes text (Traditional or Simplified) and hands on a log-probability: the best
//! segmentation of the text into dictionary words, each word scored by its frequency,
//! as jieba segments text without its HMM. The repair step ranks the candidate repairs
//! of a garbled span with it (`docs/import.md` §4).
//!
//! The words are jieba's default dictionary (`dict.txt` of the `jieba-rs` crate,
//! 0.11.0, MIT licence): 349,045 Simplified words with corpus frequencies. Kept here
//! are the 126,869 words of at most 6 characters seen at least 6 times (`MIN_FREQ`), as a finite-state transducer
//! (`words.fst`, 1.1 MB) from word to frequency (`round(4·ln f)`); the empty key holds
//! the total frequency of the whole dictionary. The transducer is read in place from
//! the binary, so the model costs nothing to load: the first use only checks its header.
//! The ignored test `tests::regenerate` rebuilds the file from `dict.txt`.
//!
//! Traditional text is scored through OpenCC's Traditional → Simplified tables, one
//! character at a time (the scores of whole candidate strings would not be cheaper to
//! convert, and a character table is all the ranking needs).

use std::sync::LazyLock;

use fst::Map;
use rustc_hash::FxHashMap;

use crate::conversion::Conversion;
use crate::han::is_han;

/// The dictionary, as the ignored test `tests::regenerate` builds it.
static WORDS: &[u8] = include_bytes!("words.fst");

/// Words of jieba's dictionary seen fewer times than this are left out: the rarest
/// two thirds of its entries, which rank no repair differently in the tests and would
/// triple the file.
#[cfg(test)]
const MIN_FREQ: u64 = 6;

/// The longest word looked up, in characters (longer dictionary words are very rare).
pub(crate) const MAX_WORD: usize = 6;

/// The model, made on first use.
static MODEL: LazyLock<Option<Model>> = LazyLock::new(|| Model::new(WORDS));

/// The model, if its table is sound (it is built in, so it always is; a broken build
/// gives no model, and the repair step then accepts nothing it would need it for).
pub(crate) fn model() -> Option<&'static Model> {
    MODEL.as_ref()
}

/// Word frequencies and how to score text with them.
pub(crate) struct Model {
    words: Map<&'static [u8]>,
    /// `ln` of the dictionary's total frequency.
    log_total: f64,
}

/// The log-probability of a character no word of the dictionary explains: a
/// frequency of one, as jieba counts an unknown character.
fn unknown(log_total: f64) -> f64 {
    -log_total
}

/// The log-probability of punctuation and ASCII letters and digits, which the
/// dictionary does not list: about that of a common character, so a repair that
/// restores a `，` is not scored down for it.
const PUNCTUATION: f64 = -6.0;

/// Characters that are neither Han, nor punctuation Chinese text uses, nor ASCII
/// (`⒉`, `┙`, kana, full-width letters): the marks of mojibake, scored below any
/// unknown Han character.
const SYMBOL_PENALTY: f64 = -6.0;

impl Model {
    fn new(bytes: &'static [u8]) -> Option<Model> {
        let words = Map::new(bytes).ok()?;
        let total = words.get("")?;
        Some(Model {
            words,
            log_total: (total as f64).ln(),
        })
    }

    /// The log-probability of one word (Simplified), if the dictionary has it.
    fn word(&self, word: &str) -> Option<f64> {
        let q = self.words.get(word)?;
        Some(q as f64 / 4.0 - self.log_total)
    }

    /// The log-probability of a single character standing alone.
    fn single(&self, simplified: char) -> f64 {
        if is_han(simplified) {
            let mut buf = [0u8; 4];
            return self
                .word(simplified.encode_utf8(&mut buf))
                .unwrap_or_else(|| unknown(self.log_total));
        }
        if simplified.is_ascii_alphanumeric() || is_punctuation(simplified) {
            PUNCTUATION
        } else {
            unknown(self.log_total) + SYMBOL_PENALTY
        }
    }

    /// How well `text` reads: the log-probability of its best segmentation.
    #[cfg(test)]
    pub fn score(&self, text: &str) -> f64 {
        let mut scorer = Scorer::new(self);
        scorer.push_str(text);
        scorer.score()
    }

    /// Whether the model knows `ch` (Traditional or Simplified): a Han character of
    /// the dictionary, punctuation, or an ASCII letter or digit; not a symbol of
    /// mojibake.
    pub fn knows(&self, ch: char) -> bool {
        self.single(simplify(ch)) > unknown(self.log_total)
    }

    /// The log-probability of one character (Traditional or Simplified) on its own.
    pub fn single_score(&self, ch: char) -> f64 {
        self.single(simplify(ch))
    }

    /// For each character of `text`, whether the best segmentation puts it inside a
    /// word of two or more characters.
    pub fn in_words(&self, text: &[char]) -> Vec<bool> {
        let simplified: Vec<char> = text.iter().map(|&c| simplify(c)).collect();
        let n = simplified.len();
        // best[i], and the length of the last word of that segmentation.
        let mut best = vec![(0.0f64, 0usize); n + 1];
        let mut word = String::new();
        for end in 1..=n {
            let ch = simplified[end - 1];
            best[end] = (best[end - 1].0 + self.single(ch), 1);
            for len in 2..=MAX_WORD.min(end) {
                let start = end - len;
                if !simplified[start..end].iter().all(|&c| is_han(c)) {
                    break;
                }
                word.clear();
                word.extend(&simplified[start..end]);
                if let Some(p) = self.word(&word) {
                    if best[start].0 + p > best[end].0 {
                        best[end] = (best[start].0 + p, len);
                    }
                }
            }
        }
        let mut inside = vec![false; n];
        let mut end = n;
        while end > 0 {
            let len = best[end].1;
            if len > 1 {
                inside[end - len..end].iter_mut().for_each(|b| *b = true);
            }
            end -= len;
        }
        inside
    }
}

/// Whether `c` is punctuation Chinese text uses (full-width or ASCII).
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '，' | '。'
                | '、'
                | '；'
                | '：'
                | '？'
                | '！'
                | '「'
                | '」'
                | '『'
                | '』'
                | '《'
                | '》'
                | '（'
                | '）'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '—'
                | '…'
                | '·'
                | '　'
        )
}

/// Scores text as it grows, one character at a time: the best segmentation of every
/// prefix (Viterbi over the word lattice), so that extending a candidate costs only the
/// look-ups of the words ending at the new character. It keeps only the last
/// [`MAX_WORD`] characters, so candidates copy it cheaply.
#[derive(Clone, Copy)]
pub(crate) struct Scorer<'m> {
    model: &'m Model,
    /// The last characters, in Simplified form, newest first.
    tail: [char; MAX_WORD],
    /// `best[j]`: the score of the best segmentation of the text less its last `j`
    /// characters.
    best: [f64; MAX_WORD],
    /// How many characters the text has.
    len: usize,
}

impl<'m> Scorer<'m> {
    /// An empty text.
    pub fn new(model: &'m Model) -> Scorer<'m> {
        Scorer {
            model,
            tail: ['\0'; MAX_WORD],
            best: [0.0; MAX_WORD],
            len: 0,
        }
    }

    /// Adds one character (Traditional or Simplified).
    pub fn push(&mut self, ch: char) {
        self.push_simplified(simplify(ch));
    }

    /// Adds the characters of `text`.
    pub fn push_str(&mut self, text: &str) {
        text.chars().for_each(|c| self.push(c));
    }

    /// Adds one character already in Simplified form.
    pub fn push_simplified(&mut self, ch: char) {
        let mut best = self.best[0] + self.model.single(ch);
        if is_han(ch) {
            let mut word = String::with_capacity(MAX_WORD * 4);
            // Words of 2, 3, … characters ending here: the previous `n - 1` characters
            // (all Han) and this one.
            for n in 2..=MAX_WORD.min(self.len + 1) {
                let prev = self.tail[n - 2];
                if !is_han(prev) {
                    break;
                }
                word.clear();
                word.extend(self.tail[..n - 1].iter().rev());
                word.push(ch);
                if let Some(p) = self.model.word(&word) {
                    best = best.max(self.best[n - 1] + p);
                }
            }
        }
        self.tail.copy_within(..MAX_WORD - 1, 1);
        self.tail[0] = ch;
        self.best.copy_within(..MAX_WORD - 1, 1);
        self.best[0] = best;
        self.len += 1;
    }

    /// The score of the text so far.
    pub fn score(&self) -> f64 {
        self.best[0]
    }

    /// The model it scores with.
    pub fn model(&self) -> &'m Model {
        self.model
    }
}

/// A character in Simplified form (itself if it has none, or several), cached: the
/// candidates of a span repeat the same few hundred characters.
pub(crate) fn simplify(ch: char) -> char {
    thread_local! {
        static CACHE: std::cell::RefCell<FxHashMap<char, char>> =
            std::cell::RefCell::new(FxHashMap::default());
    }
    if !is_han(ch) {
        return ch;
    }
    CACHE.with(|cache| {
        *cache.borrow_mut().entry(ch).or_insert_with(|| {
            let mut buf = [0u8; 4];
            let converted = Conversion::ToSimplified.convert(ch.encode_utf8(&mut buf));
            let mut chars = converted.chars();
            match (chars.next(), chars.next()) {
                (Some(one), None) => one,
                _ => ch,
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_and_knows_common_words_in_both_scripts() {
        let model = model().expect("the built-in dictionary");
        assert!(model.word("希望").is_some());
        assert!(model.word("的").unwrap() > model.word("希望").unwrap());
        // Traditional text is scored through its Simplified form.
        assert_eq!(model.score("給我帶來希望"), model.score("给我带来希望"));
    }

    #[test]
    fn ordinary_text_reads_better_than_mojibake_of_the_same_length() {
        let model = model().unwrap();
        let clean = model.score("談論是什么讓人工智能研究充滿壓力");
        let garbled = model.score("撌鞘裁醋屓斯ぶ悄苎芯砍錆壓力");
        assert!(clean > garbled + 40.0, "{clean} vs {garbled}");
        // A word beats its characters apart, and a common word a rare one.
        assert!(model.score("希望") > model.score("希") + model.score("望"));
        assert!(model.score("之一") > model.score("之唬"));
    }

    /// Rebuilds `words.fst` from jieba's `dict.txt` (path in `LECTERN_JIEBA_DICT`):
    /// `LECTERN_JIEBA_DICT=…/jieba-rs-0.11.0/src/data/dict.txt cargo test --lib
    /// regenerate -- --ignored`.
    #[test]
    #[ignore = "needs jieba's dict.txt; run by hand to rebuild the table"]
    fn regenerate() {
        let path = std::env::var("LECTERN_JIEBA_DICT").expect("LECTERN_JIEBA_DICT");
        let dict = std::fs::read_to_string(path).expect("dict.txt");
        let mut total = 0u64;
        let mut words: Vec<(&str, u64)> = Vec::new();
        for line in dict.lines() {
            let mut fields = line.split(' ');
            let (Some(word), Some(freq)) = (fields.next(), fields.next()) else {
                continue;
            };
            let freq: u64 = freq.parse().expect("a frequency");
            total += freq;
            if freq >= MIN_FREQ && word.chars().count() <= MAX_WORD {
                words.push((word, ((freq as f64).ln() * 4.0).round() as u64));
            }
        }
        words.push(("", total));
        words.sort();
        words.dedup_by(|a, b| a.0 == b.0);
        let mut builder = fst::MapBuilder::memory();
        for (word, value) in words {
            builder.insert(word, value).expect("sorted keys");
        }
        let bytes = builder.into_inner().expect("the table");
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/src/import/words.fst"),
            bytes,
        )
        .expect("written");
    }
}
