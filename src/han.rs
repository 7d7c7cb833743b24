//! Which characters are Han (Chinese) characters: one table for the whole of lectern.
//!
//! [`is_han`] (ideographs, by Unicode block) decides the search index's bigrams (and
//! the characters of its map between the scripts), the reading-time counts and the
//! importer's text rules; the page's search script gets
//! the same ranges from the search index ([`IDEOGRAPHS`]), so the query is cut into
//! exactly the bigrams the index holds. [`is_han_script`] is wider (Unicode's
//! `Script=Han`: also the radicals, `々`, `〇` and the Hangzhou numerals) and answers
//! as the `regex` crate's `\p{Han}` does (`import::chars` tests every character), for the
//! importer's rules written with it.

/// The ideograph blocks, as inclusive code point ranges: the CJK Unified Ideographs,
/// Extension A, the Compatibility Ideographs and the supplementary ideographic planes
/// (Extensions B to H and the Compatibility Supplement).
pub const IDEOGRAPHS: [(u32, u32); 4] = [
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x323AF),
];

/// Whether `c` is a Han ideograph (one of [`IDEOGRAPHS`]).
pub fn is_han(c: char) -> bool {
    let c = c as u32;
    // Below the first block: all of ASCII, Latin and punctuation, with one compare.
    c >= 0x3400 && IDEOGRAPHS.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// Unicode's `Script=Han`, as `\p{Han}` matches it in the `regex` crate (Unicode 16).
const HAN_SCRIPT: &[(char, char)] = &[
    ('\u{2E80}', '\u{2E99}'),
    ('\u{2E9B}', '\u{2EF3}'),
    ('\u{2F00}', '\u{2FD5}'),
    ('\u{3005}', '\u{3005}'),
    ('\u{3007}', '\u{3007}'),
    ('\u{3021}', '\u{3029}'),
    ('\u{3038}', '\u{303B}'),
    ('\u{3400}', '\u{4DBF}'),
    ('\u{4E00}', '\u{9FFF}'),
    ('\u{F900}', '\u{FA6D}'),
    ('\u{FA70}', '\u{FAD9}'),
    ('\u{16FE2}', '\u{16FE3}'),
    ('\u{16FF0}', '\u{16FF1}'),
    ('\u{20000}', '\u{2A6DF}'),
    ('\u{2A700}', '\u{2B739}'),
    ('\u{2B740}', '\u{2B81D}'),
    ('\u{2B820}', '\u{2CEA1}'),
    ('\u{2CEB0}', '\u{2EBE0}'),
    ('\u{2EBF0}', '\u{2EE5D}'),
    ('\u{2F800}', '\u{2FA1D}'),
    ('\u{30000}', '\u{3134A}'),
    ('\u{31350}', '\u{323AF}'),
];

/// Whether `c` is in Unicode's Han script: what `\p{Han}` matches.
pub fn is_han_script(c: char) -> bool {
    if c < '\u{2E80}' {
        return false; // below the first range: all of ASCII and Latin, cheaply
    }
    HAN_SCRIPT
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ideographs_are_han_and_punctuation_and_kana_are_not() {
        for c in ['學', '㐀', '丽', '𠀀', '𪜀', '\u{31350}'] {
            assert!(is_han(c), "{c}");
        }
        for c in ['a', '。', '々', 'ぶ', '⒉', '·', '\u{323B0}'] {
            assert!(!is_han(c), "{c}");
        }
    }

    #[test]
    fn the_script_is_wider_than_the_ideographs() {
        assert!(is_han_script('々') && !is_han('々'));
        assert!(is_han_script('⺀') && !is_han('⺀'));
        // Every ideograph assigned in Unicode 16 is in the script.
        for c in ['學', '㐀', '𠀀'] {
            assert!(is_han_script(c));
        }
    }
}
