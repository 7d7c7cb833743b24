//! Content lint: what a build renders without complaint but a reader would notice.

use std::sync::LazyLock;

use regex::Regex;

use crate::content::{DocId, Site};
use crate::error::{Diagnostic, Location};

/// Traces of a damaged import: pinyin annotations left in the text, damage markers
/// (`?wù)`, `F(xiàn)`), runs of `?`, the replacement character, spans marked unrepaired.
static DAMAGE: LazyLock<Regex> = LazyLock::new(|| {
    let syllable = "[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*";
    Regex::new(&format!(
        r"(?P<annotation>\p{{Han}}\({syllable}\))|(?P<marker>[?\x21-\x7E]\({syllable}\)|\?{syllable}\))|(?P<lost>\?{{2,}})|(?P<replacement>\u{{FFFD}})|(?P<unrepaired><mark>)"
    ))
    .expect("valid regex")
});

/// `[^label]` in text.
static CITATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[\^([^\]\s]+)\]").expect("valid regex"));

/// HTML tags, and the contents of `<rp>` (ruby fallback parentheses).
static MARKUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<rp>[^<]*</rp>|<[^>]*>|`[^`]*`|\\.").expect("valid regex"));

/// Bracket pairs that must balance within a paragraph.
const PAIRS: &[(char, char)] = &[
    ('（', '）'),
    ('(', ')'),
    ('「', '」'),
    ('『', '』'),
    ('《', '》'),
    ('“', '”'),
    ('【', '】'),
];

/// Lints one document's body.
pub(crate) fn lint(site: &Site, id: DocId) -> Vec<Diagnostic> {
    let doc = &site.docs[id];
    let body = doc.body();
    let at =
        |offset: usize| Location::from_offset(&doc.source, &doc.text, doc.body_offset + offset);
    let mut problems = Vec::new();
    let defined: Vec<&str> = body
        .lines()
        .filter_map(|l| {
            l.trim_start()
                .strip_prefix("[^")?
                .split_once("]:")
                .map(|(label, _)| label)
        })
        .collect();
    for (start, block) in prose_blocks(body) {
        for found in DAMAGE.captures_iter(block) {
            let (kind, m) = ["annotation", "marker", "lost", "replacement", "unrepaired"]
                .iter()
                .find_map(|k| found.name(k).map(|m| (*k, m)))
                .expect("one group matched");
            let message = match kind {
                "annotation" => {
                    format!("a pinyin annotation is left in the text: `{}`", m.as_str())
                }
                "marker" => format!("a damage marker is left in the text: `{}`", m.as_str()),
                "lost" => "a run of `?` stands for lost characters".to_string(),
                "replacement" => {
                    "the replacement character � stands for a character that could not be decoded"
                        .to_string()
                }
                _ => "a damaged span is still marked unrepaired".to_string(),
            };
            problems.push(
                Diagnostic::at(at(start + m.start()), message)
                    .with_help("correct the text, or add the span to the import's fixes file"),
            );
        }
        for citation in CITATION.captures_iter(block) {
            let whole = citation.get(0).expect("whole match");
            if is_escaped(block, whole.start()) {
                // `\[^x]` is the text "[^x]", not a citation.
                continue;
            }
            let label = &citation[1];
            if !defined.contains(&label) && site.reference(label).is_none() {
                problems.push(
                    Diagnostic::at(at(start + citation.get(0).expect("whole match").start()), format!("`[^{label}]` cites nothing"))
                        .with_help(format!("define the footnote `[^{label}]: …`, or declare a reference with id = \"{label}\"")),
                );
            }
        }
        if let Some((offset, message)) = unbalanced(block) {
            problems.push(Diagnostic::at(at(start + offset), message));
        }
    }
    problems
}

/// Whether the character at byte `at` of `text` is escaped: an odd number of
/// backslashes stands before it.
fn is_escaped(text: &str, at: usize) -> bool {
    text[..at].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

/// Paragraph-sized pieces of prose with their byte offsets: blank-line separated,
/// fenced code skipped.
fn prose_blocks(body: &str) -> Vec<(usize, &str)> {
    let mut blocks = Vec::new();
    let mut offset = 0;
    let mut in_fence = false;
    let mut block_start: Option<usize> = None;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if let Some(s) = block_start.take() {
                blocks.push((s, &body[s..offset]));
            }
            in_fence = !in_fence;
        } else if !in_fence {
            if trimmed.is_empty() {
                if let Some(s) = block_start.take() {
                    blocks.push((s, &body[s..offset]));
                }
            } else if block_start.is_none() {
                block_start = Some(offset);
            }
        }
        offset += line.len();
    }
    if let Some(s) = block_start {
        blocks.push((s, &body[s..]));
    }
    blocks
}

/// The first bracket in `block` that opens without closing or closes without opening.
fn unbalanced(block: &str) -> Option<(usize, String)> {
    // Markup and escapes are blanked out, keeping offsets, so only prose is counted.
    let mut prose = block.to_string();
    for m in MARKUP.find_iter(block) {
        prose.replace_range(m.range(), &" ".repeat(m.len()));
    }
    let mut stack: Vec<(char, usize)> = Vec::new();
    for (i, c) in prose.char_indices() {
        if let Some(&(open, _)) = PAIRS.iter().find(|(o, _)| *o == c) {
            stack.push((open, i));
        } else if let Some(&(open, close)) = PAIRS.iter().find(|(_, cl)| *cl == c) {
            match stack.pop() {
                Some((o, _)) if o == open => {}
                Some((o, at)) => return Some((at, format!("`{o}` is closed by `{close}`"))),
                None => return Some((i, format!("`{close}` closes nothing"))),
            }
        }
    }
    stack
        .pop()
        .map(|(open, at)| (at, format!("`{open}` is never closed")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_unbalanced_brackets_but_not_ruby_or_code() {
        assert_eq!(unbalanced("（這點稍后再說）"), None);
        assert_eq!(
            unbalanced("<ruby>發<rp>(</rp><rt>fā</rt><rp>)</rp></ruby>"),
            None
        );
        assert_eq!(unbalanced("`(` and \\( are fine"), None);
        assert_eq!(
            unbalanced("「再見"),
            Some((0, "`「` is never closed".into()))
        );
        assert_eq!(unbalanced("a）"), Some((1, "`）` closes nothing".into())));
        assert!(unbalanced("（「）」").is_some());
    }

    #[test]
    fn an_escaped_bracket_is_no_citation() {
        let cites = |text: &str| {
            CITATION
                .find_iter(text)
                .filter(|m| !is_escaped(text, m.start()))
                .count()
        };
        assert_eq!(cites("a [^x] b"), 1);
        assert_eq!(cites("a \\[^x\\] b"), 0);
        assert_eq!(cites("a \\\\[^x] b"), 1);
    }

    #[test]
    fn finds_every_kind_of_damage() {
        for text in [
            "發(fā)",
            "請?zhí)峁",
            "悻F(xiàn)在",
            "lost ?? here",
            "bad \u{FFFD}",
            "<mark>x</mark>",
        ] {
            assert!(DAMAGE.is_match(text), "{text}");
        }
        for text in ["(Felix Hill)", "(5-10 人)", "什么?絕筆", "café (au lait)"] {
            assert!(!DAMAGE.is_match(text), "{text}");
        }
    }
}
