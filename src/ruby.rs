//! The compact ruby syntax, `{學|xué}`: finding it in a text, and what it stands for.
//!
//! It is markdown-it-ruby's syntax (after DenDenMarkdown): base text, `|`, reading, in
//! braces. `{漢字|hànzì}` puts one reading over the whole base; `{漢字|hàn|zì}` (as
//! many readings as the base has characters) puts one over each character. It stands
//! for exactly the HTML a person would write by hand,
//! `<ruby>學<rp>(</rp><rt>xué</rt><rp>)</rp></ruby>`, so a page reads the same
//! whichever form its file uses. The Markdown stage (`markdown/ruby.rs`) and titles
//! (`inline_html::title_parts`) both find it with [`find`]; only they know which
//! characters of their text were escaped.
//!
//! What is *not* ruby, so that ordinary braces stay text: braces without a `|`; `{{`,
//! `{%` and `{#` (template syntax: Zola's shortcodes, Tera); a base or a reading that
//! is empty or starts or ends with a space; a number of readings that is neither one
//! nor the number of base characters; a brace inside a web address (`https://…/{a|b}`);
//! a construct that spans lines or holds another `{`.

use std::ops::Range;

/// One `{base|reading}` found in a text, as byte ranges into that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    /// From the `{` to the `}`, both included.
    pub whole: Range<usize>,
    /// The base text.
    pub base: Range<usize>,
    /// The readings: one for the whole base, or one per base character.
    pub readings: Vec<Range<usize>>,
}

impl Found {
    /// The annotated pieces in order: the whole base with its one reading, or each base
    /// character with its own.
    pub fn pieces<'t>(&self, text: &'t str) -> Vec<(&'t str, &'t str)> {
        let base = &text[self.base.clone()];
        if let [reading] = self.readings.as_slice() {
            return vec![(base, &text[reading.clone()])];
        }
        base.char_indices()
            .zip(&self.readings)
            .map(|((at, ch), reading)| (&base[at..at + ch.len_utf8()], &text[reading.clone()]))
            .collect()
    }
}

/// Every `{base|reading}` in `text`, in order, never overlapping. `literal(i)` says
/// whether the character at byte `i` was escaped (`\{`, an entity): such a character
/// is only text, never one of the syntax's `{`, `|` or `}`. Linear in the text's length:
/// a scan that fails stops at the next `{`, where the next scan starts.
pub(crate) fn find(text: &str, literal: impl Fn(usize) -> bool) -> Vec<Found> {
    let bytes = text.as_bytes();
    let syntax = |i: usize, b: u8| bytes.get(i) == Some(&b) && !literal(i);
    let mut found = Vec::new();
    // Whether the run of printable ASCII the scan is in holds `://`: a brace in a web
    // address is the address's (and a space or a Chinese character ends the address).
    // Kept up to date to `seen` one byte at a time, so the whole text is looked at once
    // however the scan jumps.
    let mut in_address = false;
    let mut seen = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !syntax(i, b'{') {
            i += 1;
            continue;
        }
        while seen < i {
            if !bytes[seen].is_ascii_graphic() {
                in_address = false;
            } else if bytes[seen..].starts_with(b"://") {
                in_address = true;
            }
            seen += 1;
        }
        let after_brace = i > 0 && syntax(i - 1, b'{');
        let template = matches!(bytes.get(i + 1), Some(b'{' | b'%' | b'#'));
        if after_brace || template || in_address {
            i += 1;
            continue;
        }
        // Scan to the closing brace, noting the separators.
        let mut bars = Vec::new();
        let mut j = i + 1;
        let close = loop {
            match bytes.get(j) {
                None | Some(b'\n' | b'\r') => break None,
                Some(b'{') if !literal(j) => break None,
                Some(b'|') if !literal(j) => bars.push(j),
                Some(b'}') if !literal(j) => break Some(j),
                _ => {}
            }
            j += 1;
        };
        let Some(close) = close else {
            // Nothing here; a `{` that stopped the scan may open one itself.
            i = j.max(i + 1);
            continue;
        };
        if let Some(one) = construct(text, i, &bars, close) {
            found.push(one);
        }
        i = close + 1;
    }
    found
}

/// The construct from the `{` at `open` to the `}` at `close`, with `|` at `bars`, if it
/// is one by the rules in the module documentation.
fn construct(text: &str, open: usize, bars: &[usize], close: usize) -> Option<Found> {
    let first = *bars.first()?;
    let base = open + 1..first;
    let ends: Vec<usize> = bars.iter().skip(1).copied().chain([close]).collect();
    let readings: Vec<Range<usize>> = bars
        .iter()
        .zip(&ends)
        .map(|(&bar, &end)| bar + 1..end)
        .collect();
    let well_formed = |r: &Range<usize>| {
        let s = &text[r.clone()];
        !s.is_empty() && !s.starts_with(char::is_whitespace) && !s.ends_with(char::is_whitespace)
    };
    if !well_formed(&base) || !readings.iter().all(well_formed) {
        return None;
    }
    let base_chars = text[base.clone()].chars().count();
    if readings.len() != 1 && readings.len() != base_chars {
        return None;
    }
    Some(Found {
        whole: open..close + 1,
        base,
        readings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `find` makes of `text` with nothing escaped: each construct's pieces.
    fn pieces(text: &str) -> Vec<Vec<(&str, &str)>> {
        find(text, |_| false)
            .iter()
            .map(|f| f.pieces(text))
            .collect()
    }

    #[test]
    fn one_reading_for_the_base_or_one_for_each_character() {
        assert_eq!(pieces("大多{數|shù}人"), [[("數", "shù")]]);
        assert_eq!(pieces("{漢字|hànzì}"), [[("漢字", "hànzì")]]);
        assert_eq!(pieces("{漢字|hàn|zì}"), [[("漢", "hàn"), ("字", "zì")]]);
        assert_eq!(
            pieces("{發|fā}{強|qiáng}"),
            [[("發", "fā")], [("強", "qiáng")]]
        );
        assert_eq!(
            pieces("{ruby base|ruby text}"),
            [[("ruby base", "ruby text")]]
        );
        let found = find("a{b|c}d", |_| false);
        assert_eq!(found[0].whole, 1..6);
    }

    #[test]
    fn ordinary_braces_and_template_syntax_are_not_ruby() {
        for text in [
            "{x}",
            "{}",
            "{|}",
            "{a|}",
            "{|a}",
            "{a||b}",
            "{{ page.title | upper }}",
            "{{a|b}}",
            "{% if a|b %}",
            "{#a|b}",
            "{ a|b}",
            "{a |b}",
            "{a| b}",
            "{a|b }",
            "{漢字|a|b|c}",
            "{a|b",
            "a|b}",
            "{a\n|b}",
            "see https://example.org/{a|b}",
            "https://example.org/x?q={a|b}",
            "",
            "{",
            "}{|",
        ] {
            assert_eq!(find(text, |_| false), [], "{text:?}");
        }
    }

    #[test]
    fn escaped_characters_are_text() {
        // `\{a|b}` as the Markdown stage sees it: the `{` at 0 was escaped.
        assert_eq!(find("{a|b}", |i| i == 0), []);
        assert_eq!(find("{a|b}", |i| i == 2), []);
        assert_eq!(find("{a|b}", |i| i == 4), []);
        // An escaped `|` in the base is part of the base.
        let text = "{a|b|c}";
        let found = find(text, |i| i == 2);
        assert_eq!(found[0].pieces(text), [("a|b", "c")]);
    }

    #[test]
    fn a_brace_inside_stops_a_construct_and_may_start_the_next() {
        assert_eq!(pieces("{a{b|c}|d}"), [[("b", "c")]]);
        assert_eq!(pieces("{a|{b|c}"), [[("b", "c")]]);
        assert!(pieces("{{a|b}").is_empty());
    }

    #[test]
    fn hostile_input_is_scanned_once_and_never_panics() {
        let huge = "{".repeat(200_000) + &"|".repeat(200_000) + &"}".repeat(200_000);
        let start = std::time::Instant::now();
        assert_eq!(find(&huge, |_| false), []);
        let nested = "{a".repeat(100_000) + "|b}";
        assert_eq!(find(&nested, |_| false).len(), 1);
        let open = "{a|".repeat(100_000);
        assert_eq!(find(&open, |_| false), []);
        assert!(start.elapsed().as_secs() < 5, "find is linear");
        // An address ends at a space or a character outside ASCII.
        assert_eq!(pieces("https://a.example {b|c}"), [[("b", "c")]]);
        assert_eq!(pieces("見https://a.example，{學|xué}"), [[("學", "xué")]]);
        // Multi-byte characters next to every delimiter.
        assert_eq!(pieces("學{學|學}學"), [[("學", "學")]]);
    }
}
