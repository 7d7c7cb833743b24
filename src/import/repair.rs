//! Repair: one damaged line → [`Glyph`]s with every garbled span dealt with.
//!
//! Takes a raw line (annotations still in it) and hands on glyphs: annotations turned
//! into ruby, garbled spans replaced by their repair. A garbled span starts at a
//! damage marker (`?wù)`, `F(xiàn)`). It is repaired, in this order:
//! 1. by the fixes file, when an entry's garbled text occurs in the line;
//! 2. by the mechanical inverse, when no bytes were lost: re-encode the garbled
//!    characters as GBK, put back the split code's trail byte, decode again; the
//!    result is accepted only if every character is one the article uses elsewhere
//!    and the damage model turns it back into the garbled text exactly;
//! 3. otherwise it is kept as it is, wrapped in a visible marker, with a warning.

use std::collections::HashSet;
use std::ops::Range;

use super::damage::{damage, decode_pair, encode_char, is_trail, Annotations};
use super::fixes::Fixes;
use super::pinyin::{self, marker_at, markers, Marker};
use super::report::{rule, ImportReport};
use super::Glyph;

/// What the repair step needs besides the line.
pub(crate) struct Context<'a> {
    /// The annotated characters.
    pub table: &'a Annotations,
    /// The fixes file, if any.
    pub fixes: Option<&'a Fixes>,
    /// Characters the article uses outside damaged lines: a repair must use only these.
    pub known: &'a HashSet<char>,
}

/// How one span was dealt with.
enum How {
    Auto,
    Fixed,
    Marked,
}

struct Span {
    range: Range<usize>,
    glyphs: Vec<Glyph>,
    how: How,
}

/// Repairs one line; returns its glyphs and a warning text for each unrepaired span.
pub(crate) fn repair_line(
    line: &str,
    cx: &Context<'_>,
    used_fixes: &mut [bool],
    report: &mut ImportReport,
) -> (Vec<Glyph>, Vec<usize>) {
    let mut spans: Vec<Span> = Vec::new();
    if let Some(fixes) = cx.fixes {
        for (i, fix) in fixes.repairs.iter().enumerate() {
            let garbled = fix.garbled.get_ref();
            for (start, _) in line.match_indices(garbled.as_str()) {
                used_fixes[i] = true;
                spans.push(Span {
                    range: start..start + garbled.len(),
                    glyphs: with_ruby(&fix.corrected, cx.table),
                    how: How::Fixed,
                });
            }
        }
    }
    let mut unrepaired = Vec::new();
    let found = markers(line);
    for (k, marker) in found.iter().enumerate() {
        if spans.iter().any(|s| s.range.contains(&marker.start)) {
            continue;
        }
        if let Some(span) = invert(line, marker, cx) {
            spans.push(span);
        } else {
            // Unrepaired, the span runs to where decoding realigned: the next marker
            // on the line if one is near (bytes were lost, so the walk cannot tell).
            let next = found.get(k + 1).filter(|n| n.start - marker.end < 240);
            let end = next
                .map(|n| n.end)
                .unwrap_or_else(|| walk(line, marker, cx.table).map_or(marker.end, |w| w.end));
            unrepaired.push(marker.start);
            spans.push(Span {
                range: marker.start..end,
                glyphs: line[marker.start..end]
                    .chars()
                    .map(|ch| Glyph {
                        damaged: true,
                        ..Glyph::plain(ch)
                    })
                    .collect(),
                how: How::Marked,
            });
        }
    }
    spans.sort_by_key(|s| s.range.start);

    let mut glyphs = Vec::new();
    let mut stripped = pinyin::Stripped::default();
    let mut pos = 0;
    for span in spans {
        if span.range.start < pos {
            continue; // overlapping fixes: the first one wins
        }
        glyphs.extend(pinyin::strip(&line[pos..span.range.start], &mut stripped));
        let garbled = &line[span.range.clone()];
        let inner = markers(garbled).len();
        let removed = garbled.chars().count();
        let added = span.glyphs.len();
        let name = match span.how {
            How::Auto => rule::AUTO,
            How::Fixed => rule::FIXED,
            How::Marked => rule::MARKED,
        };
        match span.how {
            How::Marked => report.count(name, 1, 0, 0),
            _ => {
                report.count(name, 1, removed, added);
                report.annotations_in_spans += inner;
                report.ruby_in_spans += span.glyphs.iter().filter(|g| g.ruby.is_some()).count();
            }
        }
        glyphs.extend(span.glyphs);
        pos = span.range.end;
    }
    glyphs.extend(pinyin::strip(&line[pos..], &mut stripped));
    report.count(rule::RUBY, stripped.annotations, stripped.chars, 0);
    (glyphs, unrepaired)
}

/// The corrected text as glyphs, each listed character carrying its reading.
fn with_ruby(text: &str, table: &Annotations) -> Vec<Glyph> {
    text.chars()
        .map(|ch| Glyph {
            ruby: table.reading(ch).map(str::to_string),
            ..Glyph::plain(ch)
        })
        .collect()
}

/// The bytes the damaged decoder misread, from a marker to where it realigned.
struct Walk {
    bytes: Vec<u8>,
    end: usize,
}

/// Follows a `?py)` marker to the point where decoding fell back in step: an ASCII
/// byte that was a trail byte, or another damage marker.
fn walk(line: &str, marker: &Marker, table: &Annotations) -> Option<Walk> {
    if marker.ascii.is_some() {
        return None; // `F(xiàn)` ends a span; it never starts one
    }
    let before = line[..marker.start].chars().next_back()?;
    let &[_, lead] = encode_char(before)?.as_slice() else {
        return None;
    };
    let split = table.code(table.find(&marker.reading, lead)?)?;
    let mut bytes = vec![split[1]];
    let mut pos = marker.end;
    loop {
        let rest = &line[pos..];
        if let Some(next) = marker_at(rest) {
            match next.ascii {
                Some(b) => bytes.push(b),
                None => {
                    let code = table.code(table.find(&next.reading, *bytes.last()?)?)?;
                    bytes.push(code[1]);
                }
            }
            return Some(Walk {
                bytes,
                end: pos + next.end,
            });
        }
        let ch = rest.chars().next()?;
        if ch.is_ascii() {
            let b = ch as u8;
            return (0x40..=0x7E).contains(&b).then(|| {
                bytes.push(b);
                Walk {
                    bytes,
                    end: pos + 1,
                }
            });
        }
        match encode_char(ch)?.as_slice() {
            &[a, b] => bytes.extend([a, b]),
            _ => return None,
        }
        pos += ch.len_utf8();
        if bytes.len() > 600 {
            return None;
        }
    }
}

/// The mechanical inverse of one garbled span, verified by the damage model.
fn invert(line: &str, marker: &Marker, cx: &Context<'_>) -> Option<Span> {
    let walked = walk(line, marker, cx.table)?;
    if walked.bytes.len() % 2 != 0 {
        return None;
    }
    let mut decoded = String::new();
    for pair in walked.bytes.chunks(2) {
        if !is_trail(pair[1]) {
            return None;
        }
        decoded.push(decode_pair(pair[0], pair[1])?);
    }
    if !decoded.chars().all(|c| cx.known.contains(&c)) {
        return None;
    }
    let before = line[..marker.start].chars().next_back()?;
    let start = marker.start - before.len_utf8();
    let produced = damage(&format!("{before}{decoded}"), cx.table);
    (produced == line[start..walked.end]).then(|| Span {
        range: marker.start..walked.end,
        glyphs: with_ruby(&decoded, cx.table),
        how: How::Auto,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str, known: &str) -> (String, ImportReport) {
        let table = Annotations::builtin();
        let known: HashSet<char> = known.chars().collect();
        let cx = Context {
            table: &table,
            fixes: None,
            known: &known,
        };
        let mut report = ImportReport::default();
        let (glyphs, _) = repair_line(line, &cx, &mut [], &mut report);
        (glyphs.iter().map(|g| g.ch).collect(), report)
    }

    #[test]
    fn inverts_a_span_with_no_lost_bytes() {
        let (text, report) = run(
            "通過談?wù)撌鞘裁醋屓斯ぶ悄苎芯砍錆M壓力，",
            "論是什么讓人工智能研究充滿",
        );
        assert_eq!(text, "通過談論是什么讓人工智能研究充滿壓力，");
        assert_eq!(report.hits(rule::AUTO), 1);
        let (text, _) = run("請?zhí)峁┙?jīng)驗", "提供經");
        assert_eq!(text, "請提供經驗");
    }

    #[test]
    fn marks_a_span_it_cannot_invert_and_never_guesses() {
        let (text, report) = run("給我?guī)硐M膸准", "");
        assert_eq!(text, "給我?guī)硐M膸准");
        assert_eq!(report.hits(rule::MARKED), 1);
        assert_eq!(report.hits(rule::AUTO), 0);
    }
}
