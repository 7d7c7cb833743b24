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

use std::sync::OnceLock;

use regex::Regex;

use super::report::{rule, ImportReport};
use super::Glyph;

fn name_dot_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(\p{Han}{1,8})\?(\p{Han}{1,8})[(（]([A-Z][\w'.-]*(?: [A-Z][\w'.-]*)+)[)）]")
            .expect("valid regex")
    })
}

fn url_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"https?://\S+").expect("valid regex"))
}

fn text_of(glyphs: &[Glyph]) -> String {
    glyphs.iter().map(|g| g.ch).collect()
}

/// Byte offset in `text` → glyph index (one glyph per character).
fn index_of(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// Restores the middle dot lost from transliterated names.
pub fn name_dots(glyphs: &mut [Glyph], report: &mut ImportReport) {
    let text = text_of(glyphs);
    for c in name_dot_re().captures_iter(&text) {
        let (Some(first), Some(latin)) = (c.get(1), c.get(3)) else {
            continue;
        };
        // Only the parts nearest the `?` belong to the name when counts agree.
        if latin.as_str().split(' ').count() != 2 {
            continue;
        }
        let at = index_of(&text, first.end());
        if glyphs[at].ch == '?' {
            glyphs[at].ch = '·';
            report.count(rule::DOT, 1, 1, 1);
        }
    }
}

/// Removes runs of `?` that stood for emoji.
pub fn lost_emoji(glyphs: &mut Vec<Glyph>, report: &mut ImportReport) {
    let mut i = 0;
    while i < glyphs.len() {
        let run = glyphs[i..]
            .iter()
            .take_while(|g| g.ch == '?' && !g.damaged)
            .count();
        let particle = i > 0 && "嗎吗呢么麼".contains(glyphs[i - 1].ch);
        if run >= 2 && !particle {
            glyphs.drain(i..i + run);
            report.count(rule::EMOJI, 1, run, 0);
        } else {
            i += run.max(1);
        }
    }
}

/// Makes ASCII punctuation inside Chinese text full-width.
pub fn punctuation(glyphs: &mut [Glyph], report: &mut ImportReport) {
    let text = text_of(glyphs);
    if !text.chars().any(is_han) {
        return;
    }
    let mut in_url = vec![false; glyphs.len()];
    for m in url_re().find_iter(&text) {
        for flag in &mut in_url[index_of(&text, m.start())..index_of(&text, m.end())] {
            *flag = true;
        }
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

/// Whether a character is a Han ideograph.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str) -> (String, ImportReport) {
        let mut glyphs: Vec<Glyph> = text.chars().map(Glyph::plain).collect();
        let mut report = ImportReport::default();
        name_dots(&mut glyphs, &mut report);
        lost_emoji(&mut glyphs, &mut report);
        punctuation(&mut glyphs, &mut report);
        (text_of(&glyphs), report)
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
}
