//! Restoration: lost characters put back and ASCII punctuation made full-width.
//!
//! Takes one paragraph's [`Glyph`]s (annotations already removed, spans repaired) and
//! edits them in place, counting every change in the report:
//! - `菲利克斯?希爾(Felix Hill)` → `菲利克斯·希爾`: a `?` between Han runs, followed by
//!   a parenthesised Latin name with as many words as the Han name has parts;
//! - runs of two or more `?` (emoji GBK could not encode) are removed, unless they
//!   follow a question particle (嗎吗呢么麼);
//! - in paragraphs with Han, `, : ; ? !` become `，：；？！` unless both nearest
//!   non-space neighbours are ASCII letters or digits, or the mark is in a URL; a
//!   parenthesis pair becomes `（）` if its content has Han or the character before
//!   it is not an ASCII letter or digit.

use std::ops::Range;

use super::chars::is_word;
use super::report::{rule, ImportReport};
use super::Glyph;
use crate::han::{is_han, is_han_script};

// The rules below used to be the patterns
//   `(\p{Han}{1,8})\?(\p{Han}{1,8})[(（]([A-Z][\w'.-]*(?: [A-Z][\w'.-]*)+)[)）]`
//   `https?://\S+`
// Compiling them (the Unicode classes above all) cost more than the rest of the import,
// so they are hand-written scans now, finding exactly what the patterns found.

/// The glyph just after a parenthesised Latin name starting at `open` (a `(` or `（`):
/// two or more words separated by single spaces, each an ASCII capital followed by
/// word characters, `'`, `.` or `-`, closed by `)` or `）`. Also returns how many words.
fn latin_name_in_parens(glyphs: &[Glyph], open: usize) -> Option<(usize, usize)> {
    let in_word = |c: char| is_word(c) || matches!(c, '\'' | '.' | '-');
    let mut i = open + 1;
    let mut words = 0;
    loop {
        if !glyphs.get(i)?.ch.is_ascii_uppercase() {
            return None;
        }
        i += 1 + glyphs[i + 1..].iter().take_while(|g| in_word(g.ch)).count();
        words += 1;
        match glyphs.get(i)?.ch {
            ' ' => i += 1,
            ')' | '）' if words >= 2 => return Some((i + 1, words)),
            _ => return None,
        }
    }
}

/// Restores the middle dot lost from transliterated names: `菲利克斯?希爾(Felix Hill)`.
///
/// A candidate is a `?` with 1 or more Han characters (script Han) before it, 1 to 8
/// after it, then a parenthesised Latin name. The dot goes in only when the name has
/// exactly two words, as many parts as the Han name: only the parts nearest the `?`
/// belong to the name when the counts agree.
pub(crate) fn name_dots(glyphs: &mut [Glyph], report: &mut ImportReport) {
    let han = |g: &Glyph| is_han_script(g.ch);
    // Candidates never overlap: the next one is looked for after the last name's `)`.
    let mut from = 0;
    let mut q = 0;
    while q < glyphs.len() {
        if glyphs[q].ch != '?' || q <= from || !han(&glyphs[q - 1]) {
            q += 1;
            continue;
        }
        let after = glyphs[q + 1..]
            .iter()
            .take(9)
            .take_while(|g| han(g))
            .count();
        let open = q + 1 + after;
        let paren = glyphs.get(open).is_some_and(|g| matches!(g.ch, '(' | '（'));
        let name = if (1..=8).contains(&after) && paren {
            latin_name_in_parens(glyphs, open)
        } else {
            None
        };
        match name {
            Some((end, words)) => {
                if words == 2 {
                    glyphs[q].ch = '·';
                    report.count(rule::DOT, 1, 1, 1);
                }
                from = end;
                q = end;
            }
            None => q += 1,
        }
    }
}

/// Whether the glyphs start with `prefix`.
fn starts_with(glyphs: &[Glyph], prefix: &str) -> bool {
    let mut glyphs = glyphs.iter();
    prefix
        .chars()
        .all(|c| glyphs.next().is_some_and(|g| g.ch == c))
}

/// The glyph ranges of the URLs: `http://` or `https://` and the non-space characters
/// after it (at least one).
fn urls(glyphs: &[Glyph]) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < glyphs.len() {
        let scheme = ["https://", "http://"]
            .into_iter()
            .find(|scheme| starts_with(&glyphs[i..], scheme))
            .map_or(0, str::len);
        let rest = match scheme {
            0 => 0,
            _ => glyphs[i + scheme..]
                .iter()
                .take_while(|g| !g.ch.is_whitespace())
                .count(),
        };
        if rest > 0 {
            found.push(i..i + scheme + rest);
            i += scheme + rest;
        } else {
            i += 1;
        }
    }
    found
}

/// Removes runs of `?` that stood for emoji.
pub(crate) fn lost_emoji(glyphs: &mut Vec<Glyph>, report: &mut ImportReport) {
    let mut i = 0;
    while i < glyphs.len() {
        let run = glyphs[i..]
            .iter()
            .take_while(|g| g.ch == '?' && !g.damaged)
            .count();
        // (The particle is looked at only for a run: most glyphs are not `?`.)
        if run >= 2 && !(i > 0 && "嗎吗呢么麼".contains(glyphs[i - 1].ch)) {
            glyphs.drain(i..i + run);
            report.count(rule::EMOJI, 1, run, 0);
        } else {
            i += run.max(1);
        }
    }
}

/// Makes ASCII punctuation inside Chinese text full-width.
pub(crate) fn punctuation(glyphs: &mut [Glyph], report: &mut ImportReport) {
    if !glyphs.iter().any(|g| is_han(g.ch)) {
        return;
    }
    let mut in_url = vec![false; glyphs.len()];
    for url in urls(glyphs) {
        in_url[url].fill(true);
    }
    let alnum = |g: Option<&Glyph>| g.is_some_and(|g| g.ch.is_ascii_alphanumeric());
    for i in 0..glyphs.len() {
        let wide = match glyphs[i].ch {
            ',' => '，',
            ':' => '：',
            ';' => '；',
            '?' => '？',
            '!' => '！',
            _ => continue,
        };
        if in_url[i] || glyphs[i].damaged {
            continue;
        }
        let left = glyphs[..i].iter().rev().find(|g| g.ch != ' ');
        let right = glyphs[i + 1..].iter().find(|g| g.ch != ' ');
        if alnum(left) && alnum(right) {
            continue;
        }
        report.count(rule::punctuation(glyphs[i].ch), 1, 1, 1);
        glyphs[i].ch = wide;
    }
    let mut open = Vec::new();
    for i in 0..glyphs.len() {
        if in_url[i] || glyphs[i].damaged {
            continue;
        }
        match glyphs[i].ch {
            '(' => open.push(i),
            ')' => {
                let Some(start) = open.pop() else { continue };
                let han_inside = glyphs[start + 1..i].iter().any(|g| is_han(g.ch));
                let before_alnum = start > 0 && glyphs[start - 1].ch.is_ascii_alphanumeric();
                if han_inside || !before_alnum {
                    glyphs[start].ch = '（';
                    glyphs[i].ch = '）';
                    report.count(rule::PARENS, 1, 2, 2);
                }
            }
            _ => {}
        }
    }
}

/// Full-width punctuation: it carries its own spacing in Chinese text.
const WIDE_PUNCTUATION: &str = "「」『』（）《》〈〉【】，。、：；！？";

/// Removes spaces between Han characters and full-width punctuation (`轉投 「敵人」` →
/// `轉投「敵人」`). The mark's own width is the gap; a space beside it shows as a hole
/// twice as wide. A space beside a Latin letter or a digit is left: `Felix 「Hill」` may
/// be meant.
pub(crate) fn spaces_by_wide_punctuation(glyphs: &mut Vec<Glyph>, report: &mut ImportReport) {
    let wide = |c: char| WIDE_PUNCTUATION.contains(c);
    let chinese = |c: char| is_han(c) || wide(c);
    let mut i = 1;
    while i < glyphs.len() {
        let run = glyphs[i..]
            .iter()
            .take_while(|g| g.ch == ' ' && !g.damaged)
            .count();
        if run == 0 {
            i += 1;
            continue;
        }
        let before = glyphs[i - 1].ch;
        let after = glyphs.get(i + run).map(|g| g.ch);
        if after.is_some_and(|a| chinese(before) && chinese(a) && (wide(before) || wide(a))) {
            glyphs.drain(i..i + run);
            report.count(rule::WIDE_SPACE, 1, run, 0);
        } else {
            i += run;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(glyphs: &[Glyph]) -> String {
        glyphs.iter().map(|g| g.ch).collect()
    }

    fn apply(text: &str) -> (String, ImportReport) {
        let mut glyphs: Vec<Glyph> = text.chars().map(Glyph::plain).collect();
        let mut report = ImportReport::default();
        name_dots(&mut glyphs, &mut report);
        lost_emoji(&mut glyphs, &mut report);
        punctuation(&mut glyphs, &mut report);
        spaces_by_wide_punctuation(&mut glyphs, &mut report);
        (text_of(&glyphs), report)
    }

    #[test]
    fn a_space_beside_full_width_punctuation_goes_only_between_chinese() {
        let (text, r) = apply("轉投 「敵人」的團隊,他說  。Felix 「Hill」 一起, 2024 年");
        assert_eq!(
            text,
            "轉投「敵人」的團隊，他說。Felix 「Hill」一起， 2024 年"
        );
        let rule = r
            .rules()
            .iter()
            .find(|c| c.rule == rule::WIDE_SPACE)
            .unwrap();
        // 轉投␠「, 說␠␠。 and 」␠一; beside a Latin letter or a digit the space stays.
        assert_eq!((rule.hits, rule.removed, rule.added), (3, 4, 0));
    }

    #[test]
    fn restores_name_dots_but_not_question_marks() {
        let (text, r) = apply("菲利克斯?希爾(Felix Hill),經歷了什么?絕筆");
        assert_eq!(text, "菲利克斯·希爾（Felix Hill），經歷了什么？絕筆");
        assert_eq!(r.hits(rule::DOT), 1);
    }

    #[test]
    fn drops_emoji_runs_and_keeps_numbers_urls_and_english_intact() {
        let (text, r) = apply("來源丨機器之心?????");
        assert_eq!((text.as_str(), r.hits(rule::EMOJI)), ("來源丨機器之心", 1));
        let (text, _) = apply("約 2,000 人:見 https://x.com/a?b=1,2 (5-10 人)");
        assert_eq!(text, "約 2,000 人：見 https://x.com/a?b=1,2 （5-10 人）");
        let (text, _) = apply("Notice: The content above, if any.");
        assert_eq!(text, "Notice: The content above, if any.");
    }

    /// The scans find exactly what the patterns they replaced found.
    #[test]
    fn scans_match_the_patterns_they_replaced() {
        use regex::Regex;
        let name_dot = Regex::new(
            r"(\p{Han}{1,8})\?(\p{Han}{1,8})[(（]([A-Z][\w'.-]*(?: [A-Z][\w'.-]*)+)[)）]",
        )
        .unwrap();
        let url = Regex::new(r"https?://\S+").unwrap();
        let index_of = |text: &str, byte: usize| text[..byte].chars().count();
        for text in crate::import::chars::sample_texts(30_000) {
            let mut expected: Vec<Glyph> = text.chars().map(Glyph::plain).collect();
            for c in name_dot.captures_iter(&text) {
                if c[3].split(' ').count() == 2 {
                    expected[index_of(&text, c.get(1).unwrap().end())].ch = '·';
                }
            }
            let mut glyphs: Vec<Glyph> = text.chars().map(Glyph::plain).collect();
            name_dots(&mut glyphs, &mut ImportReport::default());
            assert_eq!(text_of(&glyphs), text_of(&expected), "{text:?}");
            let expected: Vec<_> = url
                .find_iter(&text)
                .map(|m| index_of(&text, m.start())..index_of(&text, m.end()))
                .collect();
            assert_eq!(urls(&glyphs), expected, "{text:?}");
        }
    }
}
