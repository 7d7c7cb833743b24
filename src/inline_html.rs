//! Inline HTML that content may use without opting in to raw HTML (ruby for pinyin,
//! small print …), and titles, which may hold it.

/// Inline HTML elements that are harmless and allowed without `unsafe_html`.
pub(crate) const ALLOWED_INLINE_TAGS: &[&str] = &[
    "ruby", "rt", "rp", "small", "sup", "sub", "br", "kbd", "abbr", "mark",
];

/// The name of an allowed inline tag, and whether it closes: `</rt>` → `("rt", true)`.
/// Tags with attributes are never allowed: attributes are where scripts hide.
pub(crate) fn allowed_tag(html: &str) -> Option<(&'static str, bool)> {
    let inner = html.trim().strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name = inner.trim_end_matches('/').trim_end();
    ALLOWED_INLINE_TAGS
        .iter()
        .find(|tag| tag.eq_ignore_ascii_case(name))
        .map(|tag| (*tag, closing))
}

/// A title as written in front matter → its plain text (for `<title>`, navigation,
/// feeds, search) and its HTML (allowed inline tags kept, so pinyin can show over a
/// heading). Anything else that looks like a tag is text. The HTML is balanced: a
/// closing tag that closes nothing open is text, and tags left open are closed at the
/// end, so a title such as `<rt>x` cannot swallow the rest of the page.
pub fn title_parts(raw: &str) -> (String, String) {
    let mut plain = String::new();
    let mut html = String::new();
    // Open allowed elements, innermost last.
    let mut open: Vec<&'static str> = Vec::new();
    let hidden = |open: &[&str]| open.iter().any(|t| *t == "rt" || *t == "rp");
    let mut rest = raw;
    while let Some(at) = rest.find('<') {
        let (before, from_tag) = rest.split_at(at);
        if !hidden(&open) {
            plain.push_str(before);
        }
        html.push_str(&crate::escape::html(before));
        let tag_end = from_tag.find('>').map(|i| i + 1);
        let tag = tag_end.and_then(|end| allowed_tag(&from_tag[..end]).map(|t| (end, t)));
        match tag {
            Some((end, (name, false))) => {
                html.push('<');
                html.push_str(name);
                html.push('>');
                if name != "br" {
                    open.push(name);
                }
                rest = &from_tag[end..];
            }
            Some((end, (name, true))) if open.contains(&name) => {
                // Close everything opened inside it too.
                while let Some(inner) = open.pop() {
                    html.push_str("</");
                    html.push_str(inner);
                    html.push('>');
                    if inner == name {
                        break;
                    }
                }
                rest = &from_tag[end..];
            }
            _ => {
                if !hidden(&open) {
                    plain.push('<');
                }
                html.push_str("&lt;");
                rest = &from_tag[1..];
            }
        }
    }
    if !hidden(&open) {
        plain.push_str(rest);
    }
    html.push_str(&crate::escape::html(rest));
    while let Some(name) = open.pop() {
        html.push_str("</");
        html.push_str(name);
        html.push('>');
    }
    (plain, html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_harmless_inline_tags_are_allowed() {
        assert_eq!(allowed_tag("<ruby>"), Some(("ruby", false)));
        assert_eq!(allowed_tag("</rt>"), Some(("rt", true)));
        assert_eq!(allowed_tag("<br/>"), Some(("br", false)));
        assert_eq!(allowed_tag("<script>"), None);
    }

    #[test]
    fn titles_keep_ruby_in_html_and_drop_readings_from_text() {
        let (plain, html) =
            title_parts("科<ruby>學<rp>(</rp><rt>xué</rt><rp>)</rp></ruby>家 & <b>x</b>");
        assert_eq!(plain, "科學家 & <b>x</b>");
        assert_eq!(
            html,
            "科<ruby>學<rp>(</rp><rt>xué</rt><rp>)</rp></ruby>家 &amp; &lt;b&gt;x&lt;/b&gt;"
        );
        assert_eq!(
            title_parts("a < b"),
            ("a < b".to_string(), "a &lt; b".to_string())
        );
    }

    #[test]
    fn title_html_is_balanced() {
        assert_eq!(title_parts("<rt>x").1, "<rt>x</rt>");
        assert_eq!(title_parts("a</small>b").1, "a&lt;/small&gt;b");
        assert_eq!(
            title_parts("<ruby>a<rt>b</ruby>c").1,
            "<ruby>a<rt>b</rt></ruby>c"
        );
        assert_eq!(title_parts("<rt>hidden").0, "");
        assert_eq!(title_parts("a<br>b").1, "a<br>b");
    }
}
