//! `{學|xué}` in Markdown (see [`crate::ruby`]) → the very events pulldown-cmark gives
//! for `<ruby>學<rp>(</rp><rt>xué</rt><rp>)</rp></ruby>`, so everything after (raw
//! HTML rules, search text without the reading, the other script's edition) treats
//! both forms alike and a page is the same bytes whichever its file uses.
//!
//! The syntax is found in prose only: in a run of consecutive text events, which is
//! never code, never a link's address, never raw HTML. Autolinks and image
//! descriptions are left alone too. A character the Markdown escaped (`\{`, `&#123;`)
//! is text, never syntax; in a table cell, where a bare `|` ends the cell, `\|` is the
//! separator. A heading that ends in `{…|…}` is ruby, not an attribute block.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use crate::ruby::{find, Found};

/// An event with its byte range in the parsed source.
type Spanned<'a> = (Event<'a>, Range<usize>);

/// `events` (parsed from `source`) with every `{base|reading}` in prose replaced by the
/// ruby markup's events.
pub(crate) fn expand<'a>(events: Vec<Spanned<'a>>, source: &str) -> Vec<Spanned<'a>> {
    if !source.contains('{') || !source.contains('|') {
        return events;
    }
    let mut out: Vec<Spanned<'a>> = Vec::with_capacity(events.len());
    let mut run: Vec<Spanned<'a>> = Vec::new();
    let mut in_code = false;
    let mut in_cell = false;
    // The links and images open, each with whether its text is an address (an
    // autolink) or a description (an image): neither holds ruby.
    let mut links: Vec<bool> = Vec::new();
    let mut heading_tail: Option<Vec<Spanned<'static>>> = None;
    for (mut event, range) in events {
        let prose = !in_code && !links.contains(&true);
        if let (Event::Text(_), true) = (&event, prose) {
            run.push((event, range));
            continue;
        }
        flush(&mut run, &mut out, source, in_cell);
        if let Event::Start(Tag::Heading { .. }) = &event {
            heading_tail = heading_ruby(&event, &range, source);
            if let (Some(_), Event::Start(Tag::Heading { attrs, .. })) = (&heading_tail, &mut event)
            {
                attrs.clear();
            }
        }
        match &event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::TableCell) => in_cell = true,
            Event::End(TagEnd::TableCell) => in_cell = false,
            Event::Start(Tag::Link { link_type, .. }) => {
                links.push(matches!(link_type, LinkType::Autolink | LinkType::Email));
            }
            Event::Start(Tag::Image { .. }) => links.push(true),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                links.pop();
            }
            Event::End(TagEnd::Heading(_)) => out.extend(heading_tail.take().unwrap_or_default()),
            _ => {}
        }
        out.push((event, range));
    }
    flush(&mut run, &mut out, source, in_cell);
    out
}

/// A heading that pulldown-cmark read as ending in an attribute block that is really
/// ruby (`## 無處可{逃|táo}`): the events to end the heading with instead (a space that
/// stood before the block, then the ruby).
fn heading_ruby(
    event: &Event,
    range: &Range<usize>,
    source: &str,
) -> Option<Vec<Spanned<'static>>> {
    let Event::Start(Tag::Heading {
        id: None,
        classes,
        attrs,
        ..
    }) = event
    else {
        return None;
    };
    if !classes.is_empty() || !attrs.iter().any(|(key, _)| key.contains('|')) {
        return None;
    }
    // The heading's text line: an ATX heading's only line, or a Setext heading's last
    // line above its underline.
    let text = source.get(range.clone())?.trim_end();
    let line = if text.trim_start().starts_with('#') {
        text
    } else {
        text.rsplit_once('\n')?.0.trim_end()
    };
    if !line.ends_with('}') {
        return None;
    }
    let block_start = line.rfind('{')?;
    let block = &line[block_start..];
    // The block alone, parsed as Markdown, must be exactly one construct.
    let parsed: Vec<Spanned> = Parser::new(block).into_offset_iter().collect();
    let inner = parsed.get(1..parsed.len().checked_sub(1)?)?;
    if !inner.iter().all(|(e, _)| matches!(e, Event::Text(_))) {
        return None;
    }
    let (joined, pieces) = join(inner, block);
    let found = find(&joined, |i| literal(&joined, &pieces, i, false));
    let [one] = found.as_slice() else {
        return None;
    };
    if one.whole != (0..joined.len()) {
        return None;
    }
    let at = range.start + block_start;
    let before = &line[..block_start];
    let spaces = before.len() - before.trim_end().len();
    let mut out = Vec::new();
    // A space between the heading's text and the block is the text's (pulldown-cmark
    // dropped it with the block); a heading that is only the block has no text before.
    if spaces > 0 && !before.trim().trim_start_matches('#').trim().is_empty() {
        out.push((Event::Text(" ".into()), at - spaces..at));
    }
    push_ruby(one, &joined, at..range.start + line.len(), &mut out);
    Some(out.into_iter().map(|(e, r)| (e.into_static(), r)).collect())
}

/// What is known of one text event of a run, for telling syntax from escaped text.
struct Piece {
    /// Where its text is in the run's joined text.
    joined: Range<usize>,
    /// Where it is in the source.
    source: Range<usize>,
    /// Its text is its source as written (not an entity or other replacement).
    verbatim: bool,
    /// Its first character was escaped with `\`.
    escaped_first: bool,
}

/// The run's texts joined, and what is known of each.
fn join(run: &[Spanned], source: &str) -> (String, Vec<Piece>) {
    let mut joined = String::new();
    let mut pieces = Vec::with_capacity(run.len());
    for (event, range) in run {
        let Event::Text(text) = event else { continue };
        let start = joined.len();
        joined.push_str(text);
        let verbatim = source.get(range.clone()) == Some(text.as_ref());
        pieces.push(Piece {
            joined: start..joined.len(),
            source: range.clone(),
            verbatim,
            escaped_first: verbatim
                && range.start > 0
                && source.as_bytes().get(range.start - 1) == Some(&b'\\'),
        });
    }
    (joined, pieces)
}

/// The piece holding byte `i` of the joined text.
fn piece_at(pieces: &[Piece], i: usize) -> Option<&Piece> {
    pieces.get(pieces.partition_point(|p| p.joined.end <= i))
}

/// Whether the character at byte `i` of a run's joined text is only text.
fn literal(joined: &str, pieces: &[Piece], i: usize, in_cell: bool) -> bool {
    let Some(piece) = piece_at(pieces, i) else {
        return true;
    };
    if !piece.verbatim {
        return true;
    }
    // A table cell's `\|` is how a cell holds a `|`: there it is the separator.
    piece.escaped_first && i == piece.joined.start && !(in_cell && joined.as_bytes()[i] == b'|')
}

/// Where byte `i` of the joined text is in the source: exact in a verbatim piece, the
/// piece's start or end in another.
fn source_at(piece: &Piece, i: usize) -> usize {
    if piece.verbatim {
        piece.source.start + (i - piece.joined.start)
    } else if i == piece.joined.start {
        piece.source.start
    } else {
        piece.source.end
    }
}

/// Hands the run of text events on to `out`, each construct in it replaced by ruby.
fn flush<'a>(run: &mut Vec<Spanned<'a>>, out: &mut Vec<Spanned<'a>>, source: &str, in_cell: bool) {
    if run.is_empty() {
        return;
    }
    let has_brace = run
        .iter()
        .any(|(e, _)| matches!(e, Event::Text(t) if t.contains('{')));
    if !has_brace {
        out.append(run);
        return;
    }
    let (joined, pieces) = join(run, source);
    let found = find(&joined, |i| literal(&joined, &pieces, i, in_cell));
    if found.is_empty() {
        out.append(run);
        return;
    }
    let mut k = 0;
    for ((event, range), piece) in run.drain(..).zip(&pieces) {
        let span = piece.joined.clone();
        while k < found.len() && found[k].whole.end <= span.start {
            k += 1;
        }
        let overlaps = found
            .get(k)
            .is_some_and(|f| f.whole.start < span.end && f.whole.end > span.start);
        if !overlaps {
            out.push((event, range));
            continue;
        }
        let mut pos = span.start;
        while pos < span.end {
            while k < found.len() && found[k].whole.end <= pos {
                k += 1;
            }
            let Some(f) = found.get(k).filter(|f| f.whole.start < span.end) else {
                out.push(text_between(&joined, piece, pos, span.end));
                break;
            };
            if f.whole.start > pos {
                out.push(text_between(&joined, piece, pos, f.whole.start));
            }
            if f.whole.start >= pos {
                // Both braces are syntax, so each is in a verbatim piece: exact places.
                let start = source_at(piece, f.whole.start);
                let end = piece_at(&pieces, f.whole.end - 1)
                    .map_or(range.end, |p| source_at(p, f.whole.end - 1) + 1);
                push_ruby(f, &joined, start..end, out);
            }
            pos = f.whole.end.min(span.end);
        }
    }
}

/// The text of a piece from byte `from` to `to` of the joined text, as an event.
fn text_between<'a>(joined: &str, piece: &Piece, from: usize, to: usize) -> Spanned<'a> {
    (
        Event::Text(CowStr::from(joined[from..to].to_string())),
        source_at(piece, from)..source_at(piece, to),
    )
}

/// The events of `<ruby>學<rp>(</rp><rt>xué</rt><rp>)</rp></ruby>` for one construct
/// (a base character and its reading after another, for one reading per character),
/// each placed at the construct in the source.
fn push_ruby<'a>(found: &Found, joined: &str, whole: Range<usize>, out: &mut Vec<Spanned<'a>>) {
    let html = |tag: &'static str| (Event::InlineHtml(CowStr::Borrowed(tag)), whole.clone());
    let text = |s: &str| (Event::Text(CowStr::from(s.to_string())), whole.clone());
    out.push(html("<ruby>"));
    for (base, reading) in found.pieces(joined) {
        out.push(text(base));
        out.push(html("<rp>"));
        out.push((Event::Text(CowStr::Borrowed("(")), whole.clone()));
        out.push(html("</rp>"));
        out.push(html("<rt>"));
        out.push(text(reading));
        out.push(html("</rt>"));
        out.push(html("<rp>"));
        out.push((Event::Text(CowStr::Borrowed(")")), whole.clone()));
        out.push(html("</rp>"));
    }
    out.push(html("</ruby>"));
}

#[cfg(test)]
mod tests {
    use crate::content::Site;
    use crate::markdown::{render_all, View};

    /// The fragment and the plain text (search, reading time) of a page with `body`,
    /// in the source's edition and, when `site_toml` adds one, the other script's.
    fn rendered(site_toml: &str, body: &str) -> (String, String) {
        let (site, settings) = Site::for_test_with(site_toml, &[("a.md", body)]);
        let doc = site.by_content_path["a.md"];
        let (out, problems) = render_all(&site, &settings, doc, View::Pages);
        assert!(problems.is_empty(), "{problems:?}");
        (out.html, out.text.content)
    }

    /// Every allowed inline element opens as often as it closes, never closes before it
    /// opens, and nothing unsafe gets through.
    fn assert_balanced(html: &str) {
        for tag in ["ruby", "rt", "rp", "mark", "small"] {
            let open = format!("<{tag}>");
            let close = format!("</{tag}>");
            let mut depth = 0i64;
            for (at, _) in html.match_indices('<') {
                if html[at..].starts_with(&open) {
                    depth += 1;
                } else if html[at..].starts_with(&close) {
                    depth -= 1;
                    assert!(depth >= 0, "{close} before {open}: {html}");
                }
            }
            assert_eq!(depth, 0, "unbalanced <{tag}>: {html}");
        }
        assert!(!html.contains("<script") && !html.contains("<b>"), "{html}");
    }

    const RUBY_XUE: &str = "<ruby>學<rp>(</rp><rt>xué</rt><rp>)</rp></ruby>";

    #[test]
    fn the_compact_form_renders_as_its_markup_does() {
        let pairs = [
            "科{學|xué}家",
            "大多{數|shù}人工智能，引{發|fā}{強|qiáng}烈的焦慮。",
            "## 科{學|xué}家不{發|fā}揮作用",
            "## 無處可{逃|táo}",
            "## 無處可 {逃|táo}",
            "## {逃|táo}",
            "## {學|xué} {#custom}",
            "無處可{逃|táo}\n===",
            "- 列{表|biǎo}\n- *強調{學|xué}*",
            "> 引{用|yòng}\n>\n> 第二{段|duàn}",
            "[鏈{接|jiē}](https://example.org/)",
            "註[^1]\n\n[^1]: 腳{註|zhù}",
            "| 甲 | 乙 |\n|---|---|\n| {學\\|xué} | 二 |",
            "<mark>{學|xué}</mark>",
            "2024年{學|xué}1.5",
            "\\\\{學|xué}",
            "{漢字|hàn|zì}",
            "{漢字|hànzì}",
            "a*{b|c}",
        ];
        for site_toml in [
            "",
            "[markdown]\nunsafe_html = true",
            "language = \"zh-Hant\"\n[[editions]]\nlanguage = \"zh-Hans\"\npath = \"zh-hans\"\nname = \"简体\"",
        ] {
            for compact in pairs {
                let markup = to_markup(compact);
                let (html, text) = rendered(site_toml, compact);
                assert_eq!(
                    (&html, &text),
                    (&rendered(site_toml, &markup).0, &rendered(site_toml, &markup).1),
                    "{compact:?} and {markup:?} with {site_toml:?}"
                );
                assert!(html.contains("<ruby>"), "{compact:?}: {html}");
                assert!(!text.contains(['{', '|', '}']), "{compact:?}: {text:?}");
                assert_balanced(&html);
            }
        }
    }

    /// The markup a person would write for the compact form in `compact` (the test's
    /// cases only): each `{base|reading…}` as `<ruby>…</ruby>`.
    fn to_markup(compact: &str) -> String {
        let text = compact.replace("\\|", "|");
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(open) = rest.find('{') {
            let Some(len) = rest[open..].find('}') else {
                break;
            };
            let inner = &rest[open + 1..open + len];
            let Some((base, readings)) = inner.split_once('|') else {
                out.push_str(&rest[..open + len + 1]);
                rest = &rest[open + len + 1..];
                continue;
            };
            out.push_str(&rest[..open]);
            let readings: Vec<&str> = readings.split('|').collect();
            out.push_str("<ruby>");
            if readings.len() == 1 {
                out.push_str(&format!(
                    "{base}<rp>(</rp><rt>{}</rt><rp>)</rp>",
                    readings[0]
                ));
            } else {
                for (ch, reading) in base.chars().zip(readings) {
                    out.push_str(&format!("{ch}<rp>(</rp><rt>{reading}</rt><rp>)</rp>"));
                }
            }
            out.push_str("</ruby>");
            rest = &rest[open + len + 1..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn code_addresses_and_ordinary_braces_are_left_as_written() {
        for body in [
            "`{學|xué}`",
            "```\n{學|xué}\n```",
            "    {學|xué}",
            "[x](https://example.org/{學|xué})",
            "<https://example.org/{a|b}>",
            "see https://example.org/{a|b} here",
            "![{學|xué}](x.png)",
            "\\{學|xué}",
            "{學\\|xué}",
            "{學|xué\\}",
            "&#123;學|xué}",
            "{{ page.title | upper }}",
            "{% if a|b %}{% endif %}",
            "{x} and {y}",
            "{ 學|xué}",
            "{學|}",
            "{漢字|a|b|c}",
            "{學|xué\n}",
        ] {
            let (html, _) = rendered("", body);
            assert!(!html.contains("<ruby>"), "{body:?}: {html}");
        }
        // What an escape leaves: the text as written, without the backslash.
        assert_eq!(rendered("", "\\{學|xué}").0, "<p>{學|xué}</p>\n");
    }

    #[test]
    fn hostile_input_gives_balanced_html_and_an_escaped_reading() {
        for body in [
            "{a|<script>alert(1)</script>}",
            "{a|&lt;script&gt;}",
            "{<b>|x}",
            "{a{b{c|d}|e}|f}",
            "{{{{{{|}}}}}}",
            "{a|b}}}} {{{{a|b}",
            "<rt>{a|b}",
            "</ruby>{a|b}<ruby>",
            "## {a|b} {c|d}",
            "## {a|<b>}",
            "## {a|b}}",
            "## x {#id} {a|b}",
        ] {
            let (html, text) = rendered("", body);
            assert_balanced(&html);
            assert!(
                !text.contains("alert") || html.contains("&lt;script&gt;"),
                "{body:?}"
            );
        }
        let (html, _) = rendered("", "{a|&lt;script&gt;}");
        assert!(html.contains("<rt>&lt;script&gt;</rt>"), "{html}");
        let huge = format!("{}{}", "{學|".repeat(50_000), "xué}".repeat(50_000));
        let (html, _) = rendered("", &huge);
        assert_eq!(html.matches("<ruby>").count(), 1);
        assert_balanced(&html);
    }

    #[test]
    fn search_text_has_the_base_without_the_reading() {
        let (html, text) = rendered("", "科{學|xué}家，{漢字|hàn|zì}");
        assert!(html.contains(&format!("科{RUBY_XUE}家")), "{html}");
        assert_eq!(text.trim(), "科學家，漢字");
        let (_, text) = rendered("[markdown]\nunsafe_html = true", "科{學|xué}家");
        assert_eq!(text.trim(), "科學家");
    }
}
