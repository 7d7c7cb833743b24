//! Figures with captions: a photo alone in its paragraph, followed on the next line by
//! an emphasised line, is a `<figure>` whose `<figcaption>` is that line.
//!
//! ```markdown
//! ![Felix at the blackboard](blackboard.jpg)
//! *Oxford, 2016: explaining grounded language learning.*
//! ```
//!
//! The caption stays Markdown (links, footnotes, ruby work in it) and stays in the text a
//! search finds; only the paragraph around it changes. A line that is only partly
//! emphasised, or an image with text beside it, is left as a paragraph.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Turns each captioned photo in `events` into a figure, in place. The events are
/// replaced one for one, so offsets into the list (the summary's end) stay true.
pub fn mark_figures(events: &mut [Event<'_>]) {
    let mut i = 0;
    while i < events.len() {
        match caption_end(events, i) {
            Some(end) => {
                events[i] = Event::Html(CowStr::Borrowed("<figure class=\"photo\">"));
                events[i + 2] = Event::InlineHtml(CowStr::Borrowed("<figcaption>"));
                events[i + 3] = Event::InlineHtml(CowStr::Borrowed(""));
                events[end - 1] = Event::InlineHtml(CowStr::Borrowed(""));
                events[end] = Event::Html(CowStr::Borrowed("</figcaption></figure>\n"));
                i = end + 1;
            }
            None => i += 1,
        }
    }
}

/// The index of the paragraph's end when the paragraph starting at `start` is a photo, a
/// line break and one emphasised run; else `None`.
fn caption_end(events: &[Event<'_>], start: usize) -> Option<usize> {
    let [Event::Start(Tag::Paragraph), Event::InlineHtml(image), Event::SoftBreak | Event::HardBreak, Event::Start(Tag::Emphasis), ..] =
        events.get(start..)?
    else {
        return None;
    };
    if !(image.starts_with("<img ") || image.starts_with("<picture")) {
        return None;
    }
    let mut depth = 0usize;
    for (k, event) in events.iter().enumerate().skip(start + 3) {
        match event {
            Event::Start(Tag::Emphasis) => depth += 1,
            Event::End(TagEnd::Emphasis) => {
                depth -= 1;
                if depth == 0 {
                    return matches!(events.get(k + 1), Some(Event::End(TagEnd::Paragraph)))
                        .then_some(k + 1);
                }
            }
            Event::End(TagEnd::Paragraph) => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(events: Vec<Event<'static>>) -> String {
        let mut events = events;
        mark_figures(&mut events);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter());
        out
    }

    fn img() -> Event<'static> {
        Event::InlineHtml("<img src=\"a.jpg\" alt=\"A\" />".into())
    }

    #[test]
    fn a_photo_with_an_emphasised_line_is_a_figure() {
        let out = html(vec![
            Event::Start(Tag::Paragraph),
            img(),
            Event::SoftBreak,
            Event::Start(Tag::Emphasis),
            Event::Text("Oxford, ".into()),
            Event::Start(Tag::Emphasis),
            Event::Text("2016".into()),
            Event::End(TagEnd::Emphasis),
            Event::End(TagEnd::Emphasis),
            Event::End(TagEnd::Paragraph),
        ]);
        assert_eq!(
            out,
            "<figure class=\"photo\"><img src=\"a.jpg\" alt=\"A\" /><figcaption>Oxford, <em>2016</em></figcaption></figure>\n"
        );
    }

    #[test]
    fn text_after_the_caption_or_beside_the_photo_keeps_the_paragraph() {
        let after = html(vec![
            Event::Start(Tag::Paragraph),
            img(),
            Event::SoftBreak,
            Event::Start(Tag::Emphasis),
            Event::Text("Oxford".into()),
            Event::End(TagEnd::Emphasis),
            Event::Text(" and more".into()),
            Event::End(TagEnd::Paragraph),
        ]);
        assert!(
            after.starts_with("<p>") && !after.contains("figure"),
            "{after}"
        );
        let beside = html(vec![
            Event::Start(Tag::Paragraph),
            Event::Text("see ".into()),
            img(),
            Event::SoftBreak,
            Event::Start(Tag::Emphasis),
            Event::Text("x".into()),
            Event::End(TagEnd::Emphasis),
            Event::End(TagEnd::Paragraph),
        ]);
        assert!(!beside.contains("figure"), "{beside}");
        let alone = html(vec![
            Event::Start(Tag::Paragraph),
            img(),
            Event::End(TagEnd::Paragraph),
        ]);
        assert!(alone.starts_with("<p><img"), "{alone}");
    }
}
