//! Simplified residue: Simplified characters left in a Traditional article.
//!
//! Takes one paragraph's [`Glyph`]s and edits them in place. Articles of this kind were
//! machine-converted from Simplified, and the converter missed characters that are also
//! (rarely) Traditional: 于, 并, 后, 里, 么 (`為什么`, `博客里`, `并不`). Each paragraph
//! of a Traditional article goes through OpenCC's Simplified → Traditional (Taiwan)
//! phrase tables, which convert in context: `并不` → `並不`, `什么` → `什麼`, while
//! `皇后` and `公里` are phrases that stay as they are. A character the tables change
//! is residue when the tables also change it standing alone (a Simplified form first of
//! all: 于 → 於, not 了 → 瞭 as in 了解 → 瞭解, which is vocabulary), with these
//! exceptions:
//! - `台`, which the tables make `臺` but Taiwan's standard writes either way;
//! - glyphs of a garbled span left marked (they are not text);
//! - text the fixes file lists in `keep_simplified` (the rule's way back).
//!
//! Every change is counted in the report (one character removed, one added).

use super::report::{rule, ImportReport, ResidueChange};
use super::Glyph;
use crate::conversion::Conversion;

/// Characters the tables change that a Traditional text may keep as they are.
const ALSO_TRADITIONAL: &[char] = &['台'];

/// Whether `text` is written in Traditional characters: more of its characters change
/// on the way to Simplified than on the way to Traditional. Each direction's tables
/// are loaded only when the text has Han characters.
pub(crate) fn is_traditional(text: &str) -> bool {
    let changed = |to: Conversion| {
        let converted = to.convert(text);
        text.chars()
            .zip(converted.chars())
            .filter(|(a, b)| a != b)
            .count()
    };
    if !text.chars().any(crate::han::is_han) {
        return false;
    }
    changed(Conversion::ToSimplified) > changed(Conversion::ToTraditional)
}

/// Makes the Simplified residue of one paragraph Traditional, except where `keep` (the
/// fixes file's `keep_simplified`) covers it. The paragraph is the next clean line: its
/// changes are recorded with their places in it.
pub(crate) fn to_traditional(glyphs: &mut [Glyph], keep: &[String], report: &mut ImportReport) {
    let text: String = glyphs.iter().map(|g| g.ch).collect();
    let converted: Vec<char> = Conversion::ToTraditional.convert(&text).chars().collect();
    if converted.len() != glyphs.len() {
        // A phrase of another length: the paragraph cannot be matched character by
        // character, so it stays as written rather than risk moving ruby or citations.
        return;
    }
    let kept = kept_positions(&text, keep);
    let mut changes = 0;
    for (i, (glyph, &to)) in glyphs.iter_mut().zip(&converted).enumerate() {
        if glyph.ch != to
            && !glyph.damaged
            && !kept[i]
            && !ALSO_TRADITIONAL.contains(&glyph.ch)
            && simplified_alone(glyph.ch)
        {
            report.residue.push(ResidueChange {
                line: report.clean_lines.len(),
                at: i,
                was: glyph.ch,
                now: to,
            });
            glyph.ch = to;
            changes += 1;
        }
    }
    report.count(rule::RESIDUE, changes, changes, changes);
}

/// `text` with its Simplified residue made Traditional, the rule applied to a string.
pub(crate) fn traditional_text(text: &str, keep: &[String]) -> String {
    let mut glyphs: Vec<Glyph> = text.chars().map(Glyph::plain).collect();
    to_traditional(&mut glyphs, keep, &mut ImportReport::default());
    glyphs.iter().map(|g| g.ch).collect()
}

/// Whether the tables change `c` standing alone: a Simplified form first of all (于,
/// 并, 后, 里), not a character both scripts use whose Traditional text a phrase table
/// would only prefer another way (了解 → 瞭解, 場合 → 場閤, 上周 → 上週).
fn simplified_alone(c: char) -> bool {
    let mut buf = [0; 4];
    let alone = c.encode_utf8(&mut buf);
    Conversion::ToTraditional.convert(alone) != *alone
}

/// For each character of `text`, whether an occurrence of one of `keep` covers it.
fn kept_positions(text: &str, keep: &[String]) -> Vec<bool> {
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let mut kept = vec![false; starts.len()];
    for phrase in keep.iter().filter(|p| !p.is_empty()) {
        for (at, _) in text.match_indices(phrase.as_str()) {
            let first = starts.partition_point(|&s| s < at);
            let count = phrase.chars().count();
            for k in kept.iter_mut().skip(first).take(count) {
                *k = true;
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str, keep: &[&str]) -> (String, usize) {
        let keep: Vec<String> = keep.iter().map(|s| s.to_string()).collect();
        let mut glyphs: Vec<Glyph> = text.chars().map(Glyph::plain).collect();
        let mut report = ImportReport::default();
        to_traditional(&mut glyphs, &keep, &mut report);
        let hits = report.rules.iter().map(|r| r.hits).sum();
        assert_eq!(report.residue.len(), hits);
        (glyphs.iter().map(|g| g.ch).collect(), hits)
    }

    #[test]
    fn simplified_residue_becomes_traditional_in_context() {
        assert_eq!(
            fixed("為什么我要在博客里傾訴？這并不難。", &[]),
            ("為什麼我要在博客裡傾訴？這並不難。".to_string(), 3)
        );
        assert_eq!(fixed("終于，之后", &[]), ("終於，之後".to_string(), 2));
    }

    #[test]
    fn phrases_and_shared_characters_stay_as_written() {
        for text in ["皇后走了三公里。", "我了解這個場合。", "這台機器", "上周四"]
        {
            assert_eq!(fixed(text, &[]), (text.to_string(), 0), "{text}");
        }
    }

    #[test]
    fn the_fixes_file_keeps_text_as_written() {
        assert_eq!(
            fixed("于謙說：終于到了。", &["于謙"]),
            ("于謙說：終於到了。".to_string(), 1)
        );
    }

    #[test]
    fn damaged_glyphs_are_not_text() {
        let mut glyphs: Vec<Glyph> = "并不".chars().map(Glyph::plain).collect();
        glyphs[0].damaged = true;
        to_traditional(&mut glyphs, &[], &mut ImportReport::default());
        assert_eq!(glyphs[0].ch, '并');
    }

    #[test]
    fn the_script_of_an_article() {
        assert!(is_traditional("這是一篇關於機器學習的文章，為什么"));
        assert!(!is_traditional("这是一篇关于机器学习的文章"));
        assert!(!is_traditional("No Han here."));
    }
}
