//! Converting a document's text into another script (for an extra edition) at the
//! event level: prose changes, code, pinyin readings and web addresses do not.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::verbatim::{convert_around, convert_each, is_address_text, kept_ranges, Piece};
use crate::conversion::{CharPairs, Conversion};

/// Converts the prose in `events`. Text is converted a block at a time, so that a phrase
/// split across events (by ruby markup, say) is still seen whole; when the conversion
/// keeps the block's length, each event gets back its own stretch of the result.
/// What became of each character is counted in `pairs` (for search in either script).
pub(crate) fn convert_events(
    events: &mut [(Event, std::ops::Range<usize>)],
    conversion: Conversion,
    pairs: &mut CharPairs,
) {
    // The block's text events, each with whether it is an address kept as written.
    let mut block: Vec<(usize, bool)> = Vec::new();
    let mut in_code = false;
    let mut hidden = 0usize;
    // The link open: where its text starts in `block`, and its address (`None` for an
    // autolink, whose text always is its address).
    let mut link: Option<(usize, Option<String>)> = None;
    for i in 0..events.len() {
        match &events[i].0 {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                link = Some((block.len(), (!autolink).then(|| dest_url.to_string())));
            }
            Event::End(TagEnd::Link) => {
                if let Some((start, dest)) = link.take() {
                    let from = start.min(block.len());
                    let texts = &mut block[from..];
                    let text: String = texts.iter().map(|&(i, _)| text_of(&events[i].0)).collect();
                    if dest.is_none_or(|dest| is_address_text(&text, &dest)) {
                        texts.iter_mut().for_each(|(_, kept)| *kept = true);
                    }
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::InlineHtml(html) | Event::Html(html) => {
                let tag = html.trim().to_ascii_lowercase();
                if tag == "<rt>" || tag == "<rp>" {
                    hidden += 1;
                } else if tag == "</rt>" || tag == "</rp>" {
                    hidden = hidden.saturating_sub(1);
                }
            }
            Event::Text(_) if !in_code && hidden == 0 => block.push((i, false)),
            Event::Start(tag) if is_block(tag) => flush(events, &mut block, conversion, pairs),
            Event::End(end) if is_block_end(end) => flush(events, &mut block, conversion, pairs),
            _ => {}
        }
    }
    flush(events, &mut block, conversion, pairs);
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::Item
            | Tag::TableCell
            | Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_)
            | Tag::CodeBlock(_)
    )
}

fn is_block_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
    )
}

fn text_of<'e>(event: &'e Event) -> &'e str {
    match event {
        Event::Text(t) => t,
        _ => "",
    }
}

fn flush(
    events: &mut [(Event, std::ops::Range<usize>)],
    block: &mut Vec<(usize, bool)>,
    conversion: Conversion,
    pairs: &mut CharPairs,
) {
    if block.is_empty() {
        return;
    }
    let texts: Vec<String> = block
        .iter()
        .map(|&(i, _)| text_of(&events[i].0).to_string())
        .collect();
    let pieces: Vec<Piece> = block
        .iter()
        .zip(&texts)
        .enumerate()
        .map(|(n, (&(i, address), text))| Piece {
            text,
            address,
            follows: n > 0 && block[n - 1].0 + 1 == i,
        })
        .collect();
    let kept = kept_ranges(&pieces);
    let convert = |text: &str| conversion.convert(text);
    let joined = convert_around(&texts.concat(), &kept, convert);
    let lengths: Vec<usize> = texts.iter().map(|t| t.chars().count()).collect();
    let converted: Vec<String> = if joined.chars().count() == lengths.iter().sum::<usize>() {
        let mut chars = joined.chars();
        lengths
            .iter()
            .map(|&n| chars.by_ref().take(n).collect())
            .collect()
    } else {
        convert_each(&texts, &kept, convert)
    };
    for (text, converted) in texts.iter().zip(&converted) {
        pairs.count(text, converted);
    }
    for (&(i, _), text) in block.iter().zip(converted) {
        events[i].0 = Event::Text(CowStr::from(text));
    }
    block.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn converted(markdown: &str) -> String {
        let mut events: Vec<_> = Parser::new(markdown).into_offset_iter().collect();
        convert_events(
            &mut events,
            Conversion::ToSimplified,
            &mut CharPairs::default(),
        );
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        html
    }

    #[test]
    fn prose_converts_code_and_readings_do_not() {
        let html = converted("談論 `程式碼裡` <ruby>發<rp>(</rp><rt>fā</rt><rp>)</rp></ruby>現\n\n```\n// 裡面\n```\n");
        assert!(html.contains("谈论"), "{html}");
        assert!(html.contains("<code>程式碼裡</code>"), "{html}");
        assert!(
            html.contains("<ruby>发<rp>(</rp><rt>fā</rt><rp>)</rp></ruby>现"),
            "{html}"
        );
        assert!(html.contains("// 裡面"), "{html}");
    }

    #[test]
    fn addresses_are_kept_as_written() {
        let html = converted(
            "見 https://x.org/談論。談論 <https://x.org/談論> [https://x.org/談論](https://x.org/談論) [談論](https://x.org/談論)\n",
        );
        assert_eq!(
            html,
            "<p>见 https://x.org/談論。谈论 <a href=\"https://x.org/%E8%AB%87%E8%AB%96\">https://x.org/談論</a> \
             <a href=\"https://x.org/%E8%AB%87%E8%AB%96\">https://x.org/談論</a> \
             <a href=\"https://x.org/%E8%AB%87%E8%AB%96\">谈论</a></p>\n"
        );
    }
}
