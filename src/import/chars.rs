//! Character classes the importer's text rules are written in.
//!
//! The rules used to be regular expressions with Unicode classes (`\p{Han}`, `\w`).
//! Compiling those classes into automata cost more than the whole rest of a typical
//! import (the name-dot pattern alone was about 7.6 million instructions, `\w` about
//! 2.4 million), so the rules now scan the text by hand with the checks here. Each
//! check answers exactly as the `regex` crate's class does, so the rules find exactly
//! what the patterns found.

use std::sync::OnceLock;

use regex::Regex;

/// Whether `c` is a word character: what Unicode `\w` (and so `\b`) means in the
/// `regex` crate: Alphabetic, a mark, a decimal digit, a connector or a joiner.
pub(crate) fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    // Outside ASCII it takes the full Unicode table (`char::is_alphabetic` would not
    // do: the standard library may follow a newer Unicode than `regex`). `regex`
    // consults that table for a `\b` without compiling it into an automaton as it
    // would `\w`: a one-character text has a word boundary exactly when its character
    // is a word character.
    static BOUNDARY: OnceLock<Regex> = OnceLock::new();
    let boundary = BOUNDARY.get_or_init(|| Regex::new(r"\b").expect("valid regex"));
    boundary.is_match(c.encode_utf8(&mut [0; 4]))
}

/// The length of the capitalised ASCII word (`[A-Z][a-z]+`) at the start of `text`.
pub(crate) fn capitalised_word(text: &str) -> Option<usize> {
    let lower = text
        .bytes()
        .skip(1)
        .take_while(u8::is_ascii_lowercase)
        .count();
    (text.starts_with(|c: char| c.is_ascii_uppercase()) && lower > 0).then_some(1 + lower)
}

/// Random texts made of the pieces the importer's rules look at, for tests that check
/// a hand-written scan against the pattern it replaced.
#[cfg(test)]
pub(crate) fn sample_texts(count: usize) -> impl Iterator<Item = String> {
    const PIECES: &[&str] = &[
        "菲",
        "利",
        "希",
        "爾",
        "發",
        "內",
        "表示",
        "說",
        "寫道",
        "我",
        "々",
        "⺀",
        "。",
        "，",
        "：",
        "丨",
        "（",
        "）",
        "?",
        "(",
        ")",
        ":",
        "/",
        ".",
        "-",
        "'",
        "_",
        " ",
        " ",
        "\u{3000}",
        "A",
        "F",
        "H",
        "J",
        "M",
        "X",
        "a",
        "c",
        "e",
        "h",
        "i",
        "l",
        "n",
        "o",
        "p",
        "s",
        "t",
        "u",
        "x",
        "w",
        "ü",
        "é",
        "ā",
        "ù",
        "ǎ",
        "fā",
        "wù",
        "nèi",
        "xiàn",
        "café",
        "2",
        "２",
        "\u{301}",
        "\u{200D}",
        "‿",
        "①",
        "https://",
        "http://",
        "x.com/",
        "www.",
        "來源",
        "參考",
        "內容",
        "特別聲明",
        "Notice:",
        "Felix Hill",
        "Jim Fan",
    ];
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        // xorshift64: a fixed, repeatable sequence
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..count).map(move |_| {
        let len = next() % 24;
        (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::han::is_han_script;

    /// Every character, checked against the classes themselves.
    #[test]
    fn agrees_with_the_regex_classes() {
        let han = Regex::new(r"^\p{Han}$").unwrap();
        let word = Regex::new(r"^\w$").unwrap();
        let mut buf = [0; 4];
        for c in '\0'..=char::MAX {
            let s = c.encode_utf8(&mut buf);
            assert_eq!(
                is_han_script(c),
                han.is_match(s),
                "{c:?} U+{:04X}",
                c as u32
            );
            assert_eq!(is_word(c), word.is_match(s), "{c:?} U+{:04X}", c as u32);
        }
    }
}
