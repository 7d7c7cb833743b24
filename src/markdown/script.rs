//! Converting a document's text into another script (for an extra edition) at the
//! event level: prose changes, code and pinyin readings do not.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::script::Conversion;

/// Converts the prose in `events`. Text is converted a block at a time, so that a phrase
/// split across events (by ruby markup, say) is still seen whole; when the conversion
/// keeps the block's length, each event gets back its own stretch of the result.
pub fn convert_events(events: &mut [(Event, std::ops::Range<usize>)], conversion: Conversion) {
    let mut block: Vec<usize> = Vec::new();
    let mut in_code = false;
    let mut hidden = 0usize;
    for i in 0..events.len() {
        match &events[i].0 {
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
            Event::Text(_) if !in_code && hidden == 0 => block.push(i),
            Event::Start(tag) if is_block(tag) => flush(events, &mut block, conversion),
            Event::End(end) if is_block_end(end) => flush(events, &mut block, conversion),
            _ => {}
        }
    }
    flush(events, &mut block, conversion);
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

fn flush(
    events: &mut [(Event, std::ops::Range<usize>)],
    block: &mut Vec<usize>,
    conversion: Conversion,
) {
    if block.is_empty() {
        return;
    }
    let texts: Vec<String> = block
        .iter()
        .map(|&i| match &events[i].0 {
            Event::Text(t) => t.to_string(),
            _ => String::new(),
        })
        .collect();
    let joined = conversion.convert(&texts.concat());
    let lengths: Vec<usize> = texts.iter().map(|t| t.chars().count()).collect();
    let converted: Vec<String> = if joined.chars().count() == lengths.iter().sum::<usize>() {
        let mut chars = joined.chars();
        lengths
            .iter()
            .map(|&n| chars.by_ref().take(n).collect())
            .collect()
    } else {
        texts.iter().map(|t| conversion.convert(t)).collect()
    };
    for (&i, text) in block.iter().zip(converted) {
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
        convert_events(&mut events, Conversion::ToSimplified);
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
}
