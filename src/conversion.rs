//! Script conversion between Traditional and Simplified Chinese, for the extra editions
//! a site may publish (`[[editions]]`). The OpenCC tables (ferrous-opencc, pure Rust,
//! Apache-2.0) convert phrase by phrase, so `充斥著` becomes `充斥着` while `顯著` keeps
//! its `著`, and 「」 quotes stay as they are.

use std::sync::LazyLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;
use rustc_hash::FxHashMap;

use crate::error::Result;
use crate::han::is_han;
use crate::language::{ChineseScript, Language};

/// A direction of conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// Traditional → Simplified.
    ToSimplified,
    /// Simplified → Traditional.
    ToTraditional,
}

// Taiwan-standard tables: plain T2s leaves `著` alone in `充斥著`, `意味著`; the Taiwan
// tables know those phrases. Vocabulary is not changed (that would be `Tw2sp`).
// Loaded once per process, on first use; when loading fails, why (the build reports it,
// see [`edition_tables`]).
static TO_SIMPLIFIED: LazyLock<Result<OpenCC, String>> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::Tw2s).map_err(|e| e.to_string()));
static TO_TRADITIONAL: LazyLock<Result<OpenCC, String>> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::S2tw).map_err(|e| e.to_string()));

/// The conversion that writes text in `language`'s script; `None` for a language that
/// is not Chinese.
fn script_of(language: &str) -> Option<Conversion> {
    Some(match Language::new(language).chinese_script()? {
        ChineseScript::Simplified => Conversion::ToSimplified,
        ChineseScript::Traditional => Conversion::ToTraditional,
    })
}

impl Conversion {
    /// The conversion from one language's script to another's, if both are Chinese and
    /// the scripts differ.
    pub fn between(from: &str, to: &str) -> Option<Conversion> {
        let (from, to) = (script_of(from)?, script_of(to)?);
        (from != to).then_some(to)
    }

    /// Converts `text`; Latin letters, digits, punctuation and markup pass through.
    pub fn convert(self, text: &str) -> String {
        if !text.chars().any(|c| c as u32 >= 0x2E80) {
            return text.to_string();
        }
        // The build stops before converting anything when the tables did not load
        // (see [`Conversion::tables_loaded`]).
        let Ok(converter) = self.tables() else {
            return text.to_string();
        };
        match self {
            // A `么` in Traditional text is the Simplified `麼` left unconverted (as in
            // 什么); the Taiwan tables would read it as `幺`.
            Conversion::ToSimplified if text.contains('么') => {
                converter.convert(&text.replace('么', "麼"))
            }
            _ => converter.convert(text),
        }
    }

    /// [`Conversion::convert`], leaving every web or mail address in `text` exactly as
    /// written (`https://例子.香港/熱線`, `生命熱線.香港`, `help@例子.香港`): a reader
    /// types or taps an address, and a converted one leads elsewhere or nowhere. Digits
    /// pass through any conversion; the words around them are converted as usual.
    pub fn convert_around_addresses(self, text: &str) -> String {
        let mut converted = String::with_capacity(text.len());
        let mut words_from = 0;
        for (start, end) in words(text) {
            if is_address(&text[start..end]) {
                converted.push_str(&self.convert(&text[words_from..start]));
                converted.push_str(&text[start..end]);
                words_from = end;
            }
        }
        converted.push_str(&self.convert(&text[words_from..]));
        converted
    }

    /// Whether this direction's tables loaded, and if not why: the build checks this
    /// before an edition is written (`config::edition_tables`).
    pub fn tables_loaded(self) -> std::result::Result<(), &'static str> {
        self.tables().as_ref().map(|_| ()).map_err(String::as_str)
    }

    /// This direction's tables, loaded on first use.
    fn tables(self) -> &'static std::result::Result<OpenCC, String> {
        match self {
            Conversion::ToSimplified => &TO_SIMPLIFIED,
            Conversion::ToTraditional => &TO_TRADITIONAL,
        }
    }
}

/// What an edition's conversion did to the site's text, character by character: how
/// often each Han character of the source became each Han character of the edition.
///
/// A reader types a search in the script of their keyboard, not of the edition; the
/// search index carries a small map from the other script into the edition's, made from
/// these counts ([`CharPairs::forward_map`], [`CharPairs::backward_map`]). Taken from
/// the conversion the build really did, the map holds only the characters the site's
/// text has, and where one character has several counterparts (`發`/`髮` → `发`) it
/// picks the one this site's text used most, phrase tables and all.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CharPairs {
    counts: FxHashMap<(char, char), u32>,
}

impl CharPairs {
    /// Counts the Han characters of `source` against those of `converted`, its
    /// conversion, position by position. Nothing is counted when the two differ in
    /// length (a phrase table changed a word's length): the positions no longer line up.
    pub fn count(&mut self, source: &str, converted: &str) {
        if source.chars().count() != converted.chars().count() {
            return;
        }
        for (from, to) in source.chars().zip(converted.chars()) {
            if is_han(from) && is_han(to) {
                *self.counts.entry((from, to)).or_default() += 1;
            }
        }
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &CharPairs) {
        for (&pair, &n) in &other.counts {
            *self.counts.entry(pair).or_default() += n;
        }
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Frees what counting left over (the map stays with a document's Markdown).
    pub fn shrink_to_fit(&mut self) {
        self.counts.shrink_to_fit();
    }

    /// For a query typed in the source's script: each source character and the edition's
    /// character it became most often, where that is another one; in code point order.
    pub fn forward_map(&self) -> Vec<(char, char)> {
        most_used(self.counts.iter().map(|(&(from, to), &n)| ((from, to), n)))
    }

    /// For a query typed in the edition's script: each edition character and the source
    /// character it came from most often, where that is another one; in code point order.
    pub fn backward_map(&self) -> Vec<(char, char)> {
        most_used(self.counts.iter().map(|(&(from, to), &n)| ((to, from), n)))
    }
}

/// For each key of `pairs` (key, value) with counts, the value counted most often, where
/// it is not the key itself: a character that stays as it is as often as it changes
/// (`著` in `顯著` against `充斥著` → `充斥着`) is left alone. Ties go to the lower code
/// point, so the map is the same on every build.
fn most_used(pairs: impl Iterator<Item = ((char, char), u32)>) -> Vec<(char, char)> {
    let mut best: FxHashMap<char, (u32, char)> = FxHashMap::default();
    for ((key, value), n) in pairs {
        let entry = best.entry(key).or_insert((n, value));
        let better = (n, key == value, std::cmp::Reverse(value))
            > (entry.0, key == entry.1, std::cmp::Reverse(entry.1));
        if better {
            *entry = (n, value);
        }
    }
    let mut map: Vec<(char, char)> = best
        .into_iter()
        .filter(|&(key, (_, value))| key != value)
        .map(|(key, (_, value))| (key, value))
        .collect();
    map.sort_unstable();
    map
}

/// Whether `c` ends a word that may be an address: a space, or CJK or full-width
/// punctuation (`（`, `，`, `。`), which no address is written with.
fn ends_word(c: char) -> bool {
    c.is_whitespace()
        || ('\u{3000}'..='\u{303F}').contains(&c)
        || ('\u{FF01}'..='\u{FF0F}').contains(&c)
        || ('\u{FF1A}'..='\u{FF20}').contains(&c)
        || ('\u{FF3B}'..='\u{FF40}').contains(&c)
        || ('\u{FF5B}'..='\u{FF65}').contains(&c)
}

/// The byte ranges of `text`'s words, as [`ends_word`] divides them.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(at, c)| match (ends_word(c), start) {
            (true, Some(from)) => {
                start = None;
                Some((from, at))
            }
            (false, None) => {
                start = Some(at);
                None
            }
            _ => None,
        })
}

/// Whether a word is a web or mail address: it has a scheme (`https://`, `mailto:`),
/// an `@`, or a `.` between two letters or digits (`findahelpline.com`, `生命熱線.香港`).
fn is_address(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    word.contains("://")
        || word.starts_with("mailto:")
        || word.contains('@')
        || chars
            .windows(3)
            .any(|w| w[1] == '.' && w[0].is_alphanumeric() && w[2].is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_phrases_to_simplified_and_keeps_quotes_and_latin() {
        let c = Conversion::ToSimplified;
        assert_eq!(c.convert("談論"), "谈论");
        assert_eq!(c.convert("什麼"), "什么");
        assert_eq!(c.convert("什么"), "什么");
        assert_eq!(c.convert("充斥著"), "充斥着");
        assert_eq!(c.convert("意味著"), "意味着");
        assert_eq!(c.convert("顯著"), "显著");
        assert_eq!(c.convert("「再見，菲利克斯！」"), "「再见，菲利克斯！」");
        assert_eq!(
            c.convert("Google DeepMind 2024 https://x.com/a"),
            "Google DeepMind 2024 https://x.com/a"
        );
    }

    #[test]
    fn addresses_are_never_converted_and_the_words_around_them_are() {
        let c = Conversion::ToSimplified;
        assert_eq!(
            c.convert_around_addresses(
                "熱線 2389 2222（24小時），見 https://例子.香港/熱線 或 生命熱線.香港。"
            ),
            "热线 2389 2222（24小时），见 https://例子.香港/熱線 或 生命熱線.香港。"
        );
        assert_eq!(
            c.convert_around_addresses("電郵：幫助@例子.香港"),
            "电邮：幫助@例子.香港"
        );
        assert_eq!(c.convert_around_addresses("說明. 電話"), "说明. 电话");
        assert_eq!(c.convert_around_addresses(""), "");
    }

    /// What converting `texts` to Simplified did, as the build counts it.
    fn pairs_of(texts: &[&str]) -> CharPairs {
        let mut pairs = CharPairs::default();
        for text in texts {
            pairs.count(text, &Conversion::ToSimplified.convert(text));
        }
        pairs
    }

    #[test]
    fn the_script_maps_hold_the_sites_characters_and_no_others() {
        let text = "社交焦慮。他說：「再見。」Latin 2024";
        let pairs = pairs_of(&[text]);
        let forward = pairs.forward_map();
        // Only characters the conversion changed, each to what it became.
        assert_eq!(forward, [('慮', '虑'), ('見', '见'), ('說', '说')]);
        let backward = pairs.backward_map();
        assert_eq!(backward, [('虑', '慮'), ('见', '見'), ('说', '說')]);
        // Characters the text does not have are not in it, however common.
        for (from, _) in &forward {
            assert!(text.contains(*from));
        }
        assert!(!forward.iter().any(|&(from, _)| from == '國'));
        assert!(!backward.iter().any(|&(from, _)| from == '国'));
        assert!(CharPairs::default().forward_map().is_empty());
    }

    #[test]
    fn where_a_character_has_several_counterparts_the_map_takes_the_one_the_text_used() {
        // 发 comes from 發 twice and from 髮 once: a Simplified 发 is searched as 發.
        let pairs = pairs_of(&["發現", "發表", "頭髮"]);
        assert!(pairs.backward_map().contains(&('发', '發')));
        let pairs = pairs_of(&["發現", "頭髮", "白髮"]);
        assert!(pairs.backward_map().contains(&('发', '髮')));
        // 著 stays in 顯著 and becomes 着 in 充斥著 (the phrase tables decide): the map
        // follows what happened more often, and a tie leaves the character alone.
        let pairs = pairs_of(&["充斥著", "意味著", "顯著"]);
        assert!(pairs.forward_map().contains(&('著', '着')));
        let pairs = pairs_of(&["充斥著", "顯著", "著作"]);
        assert!(!pairs.forward_map().iter().any(|&(from, _)| from == '著'));
        // Either way a Simplified 着 came only from 著.
        assert!(pairs.backward_map().contains(&('着', '著')));
    }

    #[test]
    fn a_conversion_that_changes_the_length_is_not_counted() {
        let mut pairs = CharPairs::default();
        pairs.count("資訊", "信息息");
        assert!(pairs.is_empty());
        pairs.count("資訊", "资讯");
        let mut merged = CharPairs::default();
        merged.merge(&pairs);
        merged.merge(&pairs);
        assert_eq!(merged.counts[&('資', '资')], 2);
    }

    #[test]
    fn knows_which_languages_convert() {
        assert_eq!(
            Conversion::between("zh-Hant", "zh-Hans"),
            Some(Conversion::ToSimplified)
        );
        assert_eq!(
            Conversion::between("zh-CN", "zh-TW"),
            Some(Conversion::ToTraditional)
        );
        assert_eq!(Conversion::between("zh-Hant", "zh-TW"), None);
        assert_eq!(Conversion::between("en", "zh-Hans"), None);
    }
}
