//! A generated file a person edited: the build uses it as they wrote it and the import
//! leaves it alone; `lectern import` shows the edit and how to fold it back into the
//! fixes file, after which the import owns the file again.
//!
//! Takes the file as the import would write it and as it is, and hands on the advice:
//! each change (front matter compared key by key, the body line by line), and for each
//! the fixes-file entry that would make the import write it (`title`, `blog_title`,
//! `[[references]]`, a `[[repairs]]` entry for a marked span, checked with the damage
//! model), or, for a change no entry can carry (the article's own words), how to keep
//! the file as the person's or let the import write it again.

use std::fmt::Write as _;
use std::ops::Range;

use super::damage::{damage, Annotations};

/// What the advice needs beyond the two texts.
pub(crate) struct Context<'a> {
    /// The annotated characters, to check a suggested repair with the damage model.
    pub table: &'a Annotations,
    /// The article as decoded: a repair's garbled text must be in it.
    pub article: &'a str,
}

/// A generated file the import left as a person edited it.
#[derive(Debug, Clone)]
pub(crate) struct EditedFile {
    /// The file, relative to the content folder.
    pub rel: String,
    /// The file as the user would type its path.
    pub shown: String,
    /// The changes and what to do with each, lines to print under the file's name.
    pub advice: String,
}

/// Changes shown before the rest are summed up: a file rewritten whole is not printed.
const MAX_CHANGES: usize = 12;

/// Characters of context shown on each side of a change within a line.
const CONTEXT: usize = 12;

/// The advice for a file the import would write as `ours` and a person left as
/// `theirs`, both whole files with front matter.
pub(crate) fn advise(rel: &str, ours: &str, theirs: &str, cx: &Context) -> String {
    let mut out = String::new();
    let (our_front, our_body, _) = split(ours);
    let (their_front, their_body, their_offset) = split(theirs);
    let mut carried = true;
    front_matter(rel, our_front, their_front, &mut out, &mut carried);
    let ours: Vec<&str> = our_body.split('\n').collect();
    let theirs: Vec<&str> = their_body.split('\n').collect();
    let hunks = hunks(&ours, &theirs);
    for (shown, (old, new)) in hunks.iter().enumerate() {
        if shown == MAX_CHANGES {
            let _ = writeln!(out, "  … and {} more changes", hunks.len() - MAX_CHANGES);
            carried = false;
            break;
        }
        let line = their_offset + new.start + 1;
        let _ = writeln!(out, "  line {line}:");
        show_lines(&ours[old.clone()], &theirs[new.clone()], &mut out);
        match repair(&ours[old.clone()], &theirs[new.clone()], cx) {
            Some(Repair { entry, verified }) => {
                out.push_str("  = the fixes file carries it as a repair of the span the import left marked:\n");
                for entry_line in entry.lines() {
                    let _ = writeln!(out, "      {entry_line}");
                }
                if !verified {
                    out.push_str("    but the damage model does not turn this correction back into the garbled text, so the fixes file would refuse it: check the correction\n");
                    carried = false;
                }
            }
            None => {
                out.push_str("  = the fixes file holds no entry for the article's own words\n");
                carried = false;
            }
        }
    }
    if carried {
        out.push_str("  = with these entries in the fixes file, delete the file: the next import writes it with your edit\n");
    } else {
        out.push_str("  = to keep your edit, remove the file's [generated] table: the file is then yours, and the import leaves it alone; to let the import write it again, delete it\n");
    }
    out
}

/// A file's front matter, its body, and the line the body starts on (0-based).
fn split(text: &str) -> (&str, &str, usize) {
    let Some(rest) = text.strip_prefix("+++\n") else {
        return ("", text, 0);
    };
    let Some(end) = rest.find("\n+++\n") else {
        return (rest, "", 0);
    };
    let body = &rest[end + 5..];
    let offset = text[..text.len() - body.len()].matches('\n').count();
    (&rest[..end], body, offset)
}

/// The front matter's changes, key by key, with the fixes entry for each that has one.
fn front_matter(rel: &str, ours: &str, theirs: &str, out: &mut String, carried: &mut bool) {
    let (Ok(ours), Ok(theirs)) = (ours.parse::<toml::Table>(), theirs.parse::<toml::Table>())
    else {
        out.push_str("  front matter: not TOML any more\n");
        *carried = false;
        return;
    };
    let title_from = |t: &toml::Table| {
        t.get("extra")
            .and_then(|e| e.get("title_from"))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let mut other = Vec::new();
    let keys: std::collections::BTreeSet<&String> = ours.keys().chain(theirs.keys()).collect();
    for key in keys {
        let (a, b) = (ours.get(key.as_str()), theirs.get(key.as_str()));
        if a == b || key == "generated" {
            continue;
        }
        match (key.as_str(), b) {
            ("title", Some(toml::Value::String(title))) => {
                let _ = writeln!(out, "  title: {}", quoted(title));
                if title_from(&ours).as_deref() == Some("fixes") {
                    let fixes_key = if rel == "blog/_index.md" {
                        "blog_title"
                    } else {
                        "title"
                    };
                    let _ = writeln!(
                        out,
                        "  = the fixes file carries it:\n      {fixes_key} = {}",
                        quoted(title)
                    );
                } else {
                    out.push_str("  = this title is a heading of the article; the fixes file does not change it\n");
                    *carried = false;
                }
            }
            ("references", Some(toml::Value::Array(references))) => {
                references_changed(ours.get("references"), references, out, carried);
            }
            _ => other.push(key.as_str()),
        }
    }
    if !other.is_empty() {
        let _ = writeln!(
            out,
            "  front matter: {} changed\n  = the fixes file holds no entry for {}",
            other.join(", "),
            if other.len() == 1 { "it" } else { "them" }
        );
        *carried = false;
    }
}

/// Changed references, matched by URL: a `[[references]]` entry for each.
fn references_changed(
    ours: Option<&toml::Value>,
    theirs: &[toml::Value],
    out: &mut String,
    carried: &mut bool,
) {
    let ours: &[toml::Value] = ours.and_then(|v| v.as_array()).map_or(&[], Vec::as_slice);
    let url = |r: &toml::Value| r.get("url").and_then(|u| u.as_str()).map(str::to_string);
    if ours.len() != theirs.len() {
        out.push_str("  references: added or removed\n  = the fixes file holds no entry for that: the article's reference lines make them\n");
        *carried = false;
        return;
    }
    for (old, new) in ours.iter().zip(theirs) {
        if old == new {
            continue;
        }
        let (Some(old_url), Some(new_url)) = (url(old), url(new)) else {
            *carried = false;
            continue;
        };
        if old_url != new_url {
            let _ = writeln!(out, "  references: the address {} changed\n  = the fixes file holds no entry for that: the address is the article's", quoted(&old_url));
            *carried = false;
            continue;
        }
        let mut entry = format!("[[references]]\nurl = {}\n", quoted(&new_url));
        for key in ["id", "title", "author"] {
            let value = new.get(key).and_then(|v| v.as_str());
            if old.get(key).and_then(|v| v.as_str()) != value {
                if let Some(value) = value {
                    let _ = writeln!(entry, "{key} = {}", quoted(value));
                }
            }
        }
        let _ = writeln!(out, "  references: {}", quoted(&new_url));
        out.push_str("  = the fixes file carries it:\n");
        for line in entry.lines() {
            let _ = writeln!(out, "      {line}");
        }
    }
}

/// A TOML string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The lines of `old` and `new` that differ, as pairs of 0-based line ranges, in order.
/// The common start and end are set aside first, so a few edits in a long file cost
/// little; what is left is compared by longest common subsequence, or, when it is too
/// large for that, reported as one change.
pub(crate) fn hunks(old: &[&str], new: &[&str]) -> Vec<(Range<usize>, Range<usize>)> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let a = &old[prefix..old.len() - suffix];
    let b = &new[prefix..new.len() - suffix];
    if a.is_empty() && b.is_empty() {
        return Vec::new();
    }
    if a.len().saturating_mul(b.len()) > 4_000_000 {
        return vec![(prefix..old.len() - suffix, prefix..new.len() - suffix)];
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let width = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let mut hunks = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut open: Option<(usize, usize)> = None;
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            if let Some((oi, oj)) = open.take() {
                hunks.push((prefix + oi..prefix + i, prefix + oj..prefix + j));
            }
            i += 1;
            j += 1;
            continue;
        }
        open.get_or_insert((i, j));
        if j == b.len() || (i < a.len() && lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
            i += 1;
        } else {
            j += 1;
        }
    }
    if let Some((oi, oj)) = open {
        hunks.push((prefix + oi..prefix + i, prefix + oj..prefix + j));
    }
    hunks
}

/// Prints a change: a line changed within shows only the changed part with a little
/// context; other lines are shown whole (shortened when long).
fn show_lines(old: &[&str], new: &[&str], out: &mut String) {
    let paired = old.len().min(new.len());
    for (a, b) in old.iter().zip(new) {
        let (a, b) = around_change(a, b);
        let _ = writeln!(out, "  - {a}\n  + {b}");
    }
    for a in &old[paired..] {
        let _ = writeln!(out, "  - {}", shortened(a));
    }
    for b in &new[paired..] {
        let _ = writeln!(out, "  + {}", shortened(b));
    }
}

/// The changed part of two versions of a line, each with [`CONTEXT`] characters around.
fn around_change(a: &str, b: &str) -> (String, String) {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let show = |line: &[char]| {
        let start = prefix.saturating_sub(CONTEXT);
        let end = (line.len() - suffix + CONTEXT).min(line.len());
        let mut text = String::new();
        if start > 0 {
            text.push('…');
        }
        text.extend(&line[start..end]);
        if end < line.len() {
            text.push('…');
        }
        shortened(&text)
    };
    (show(&a), show(&b))
}

/// A line of at most 100 characters.
fn shortened(line: &str) -> String {
    match line.char_indices().nth(100) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

/// A `[[repairs]]` entry, and whether the damage model confirms it.
struct Repair {
    entry: String,
    verified: bool,
}

/// The repair a change makes, when it replaces the contents of one span the import
/// left marked (`<mark>…</mark>`) and nothing else: its garbled text and the person's
/// correction, as plain text. A span can start or end inside a character the damage
/// split, so the text around it may belong to the repair: up to two characters on each
/// side are added, fewest first, until the damage model gives back the garbled text.
fn repair(old: &[&str], new: &[&str], cx: &Context) -> Option<Repair> {
    let ([old], [new]) = (old, new) else {
        return None;
    };
    let open = old.find("<mark>")?;
    let close = open + old[open..].find("</mark>")?;
    let (before, after) = (&old[..open], &old[close + "</mark>".len()..]);
    if !new.starts_with(before) || !new.ends_with(after) || new.len() < before.len() + after.len() {
        return None;
    }
    let garbled = unescape(&old[open + "<mark>".len()..close])?;
    let corrected = unescape(&new[before.len()..new.len() - after.len()])?;
    let at = cx
        .article
        .find(&garbled)
        .filter(|_| !corrected.is_empty())?;
    let raw_before: Vec<char> = cx.article[..at].chars().rev().take(2).collect();
    let raw_after: Vec<char> = cx.article[at + garbled.len()..].chars().take(2).collect();
    let clean_before = plain_end(before);
    let clean_after = plain_start(after);
    let mut widths: Vec<(usize, usize)> = (0..=clean_before.len().min(raw_before.len()))
        .flat_map(|b| (0..=clean_after.len().min(raw_after.len())).map(move |a| (b, a)))
        .collect();
    widths.sort_by_key(|&(b, a)| (b + a, b));
    let entry = |garbled: &str, corrected: &str| {
        format!(
            "[[repairs]]\ngarbled = {}\ncorrected = {}\n",
            quoted(garbled),
            quoted(corrected)
        )
    };
    for (b, a) in widths {
        let around = |raw: &[char], clean: &[char], n: usize| -> (String, String) {
            (raw[..n].iter().collect(), clean[..n].iter().collect())
        };
        let (raw_b, clean_b) = around(&raw_before, &clean_before, b);
        let (raw_a, clean_a) = around(&raw_after, &clean_after, a);
        // `raw_before` and `clean_before` run backwards from the span.
        let raw_b: String = raw_b.chars().rev().collect();
        let clean_b: String = clean_b.chars().rev().collect();
        let garbled = format!("{raw_b}{garbled}{raw_a}");
        let corrected = format!("{clean_b}{corrected}{clean_a}");
        if damage(&corrected, cx.table) == garbled {
            return Some(Repair {
                entry: entry(&garbled, &corrected),
                verified: true,
            });
        }
    }
    Some(Repair {
        entry: entry(&garbled, &corrected),
        verified: false,
    })
}

/// Up to two characters of plain text that end `markdown` (the importer's), last first;
/// fewer where markup (ruby, a tag, a citation) comes first.
fn plain_end(markdown: &str) -> Vec<char> {
    let mut chars: Vec<char> = markdown.chars().collect();
    let mut out = Vec::new();
    while out.len() < 2 {
        let Some(c) = chars.pop() else { break };
        if chars.last() == Some(&'\\') {
            chars.pop();
        } else if matches!(c, '}' | '>' | ']' | '\\') {
            break;
        }
        out.push(c);
    }
    out
}

/// Up to two characters of plain text that start `markdown` (the importer's); fewer
/// where markup comes first.
fn plain_start(markdown: &str) -> Vec<char> {
    let mut chars = markdown.chars();
    let mut out = Vec::new();
    while out.len() < 2 {
        match chars.next() {
            Some('\\') => match chars.next() {
                Some(c) => out.push(c),
                None => break,
            },
            Some('{' | '<' | '[') | None => break,
            Some(c) => out.push(c),
        }
    }
    out
}

/// Markdown the importer wrote for plain text (each special character escaped) back
/// into the text; none for anything else (ruby, tags), which a repair cannot hold.
fn unescape(markdown: &str) -> Option<String> {
    let mut out = String::with_capacity(markdown.len());
    let mut chars = markdown.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '<' | '{' | '}' | '[' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_are_the_lines_that_differ() {
        let old = ["a", "b", "c", "d", "e"];
        assert_eq!(hunks(&old, &old), []);
        assert_eq!(hunks(&old, &["a", "B", "c", "d", "e"]), [(1..2, 1..2)]);
        assert_eq!(
            hunks(&old, &["a", "c", "d", "x", "y", "e"]),
            [(1..2, 1..1), (4..4, 3..5)]
        );
        assert_eq!(hunks(&old, &[]), [(0..5, 0..0)]);
        assert_eq!(hunks(&[], &["x"]), [(0..0, 0..1)]);
    }

    #[test]
    fn a_change_within_a_line_is_shown_with_a_little_context() {
        let (a, b) = around_change(
            "大多數人工智能研究人員，尤其是我們這些超過一定年齡的人，從事研究工作",
            "大多數人工智能研究人員，尤其是我們那些超過一定年齡的人，從事研究工作",
        );
        assert_eq!(a, "…智能研究人員，尤其是我們這些超過一定年齡的人，從事…");
        assert_eq!(b, "…智能研究人員，尤其是我們那些超過一定年齡的人，從事…");
    }

    #[test]
    fn a_marked_span_corrected_by_hand_becomes_a_repair_entry() {
        let table = Annotations::builtin();
        let clean = "我們談論是什么讓人工智能研究充滿壓力";
        let garbled = damage(clean, &table);
        let article = format!("前文{garbled}後文");
        let cx = Context {
            table: &table,
            article: &article,
        };
        let old = format!("前文<mark>{garbled}</mark>後文");
        let fixed = repair(&[&old], &[&format!("前文{clean}後文")], &cx).expect("a repair");
        assert!(fixed.verified, "{}", fixed.entry);
        assert!(fixed.entry.contains(&format!("corrected = \"{clean}\"")));
        let wrong = repair(&[&old], &["前文我們談論後文"], &cx).expect("a repair");
        assert!(!wrong.verified);
        // A change outside the span is no repair.
        assert!(repair(&[&old], &[&format!("後文<mark>{garbled}</mark>後文")], &cx).is_none());
    }
}
