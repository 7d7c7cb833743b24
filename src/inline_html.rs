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
/// heading). The compact ruby syntax `{學|xué}` is the same as its `<ruby>` markup
/// ([`crate::ruby`]); `\{` is a `{` that starts none. Anything else that looks like a
/// tag is text. The HTML is balanced: a closing tag that closes nothing open is text,
/// and tags left open are closed at the end, so a title such as `<rt>x` cannot swallow
/// the rest of the page.
pub fn title_parts(raw: &str) -> (String, String) {
    // `\{` → `{`, remembering where each such brace is: it is text, never syntax.
    let mut text = String::with_capacity(raw.len());
    let mut escaped = Vec::new();
    let mut rest = raw;
    while let Some(at) = rest.find("\\{") {
        text.push_str(&rest[..at]);
        escaped.push(text.len());
        text.push('{');
        rest = &rest[at + 2..];
    }
    text.push_str(rest);
    let mut title = Title::default();
    let mut done = 0;
    for found in crate::ruby::find(&text, |i| escaped.binary_search(&i).is_ok()) {
        title.push_markup(&text[done..found.whole.start]);
        title.html.push_str("<ruby>");
        for (base, reading) in found.pieces(&text) {
            if !title.hidden() {
                title.plain.push_str(base);
            }
            title.html.push_str(&crate::escape::html(base));
            title.html.push_str("<rp>(</rp><rt>");
            title.html.push_str(&crate::escape::html(reading));
            title.html.push_str("</rt><rp>)</rp>");
        }
        title.html.push_str("</ruby>");
        done = found.whole.end;
    }
    title.push_markup(&text[done..]);
    while let Some(name) = title.open.pop() {
        title.html.push_str("</");
        title.html.push_str(name);
        title.html.push('>');
    }
    (title.plain, title.html)
}

/// A title's plain text and HTML as they are made.
#[derive(Default)]
struct Title {
    plain: String,
    html: String,
    /// Open allowed elements, innermost last.
    open: Vec<&'static str>,
}

impl Title {
    /// Whether text now is inside `<rt>` or `<rp>`: shown over the base, not read.
    fn hidden(&self) -> bool {
        self.open.iter().any(|t| *t == "rt" || *t == "rp")
    }

    /// Adds text that may hold allowed inline tags.
    fn push_markup(&mut self, mut rest: &str) {
        while let Some(at) = rest.find('<') {
            let (before, from_tag) = rest.split_at(at);
            if !self.hidden() {
                self.plain.push_str(before);
            }
            self.html.push_str(&crate::escape::html(before));
            let tag_end = from_tag.find('>').map(|i| i + 1);
            let tag = tag_end.and_then(|end| allowed_tag(&from_tag[..end]).map(|t| (end, t)));
            match tag {
                Some((end, (name, false))) => {
                    self.html.push('<');
                    self.html.push_str(name);
                    self.html.push('>');
                    if name != "br" {
                        self.open.push(name);
                    }
                    rest = &from_tag[end..];
                }
                Some((end, (name, true))) if self.open.contains(&name) => {
                    // Close everything opened inside it too.
                    while let Some(inner) = self.open.pop() {
                        self.html.push_str("</");
                        self.html.push_str(inner);
                        self.html.push('>');
                        if inner == name {
                            break;
                        }
                    }
                    rest = &from_tag[end..];
                }
                _ => {
                    if !self.hidden() {
                        self.plain.push('<');
                    }
                    self.html.push_str("&lt;");
                    rest = &from_tag[1..];
                }
            }
        }
        if !self.hidden() {
            self.plain.push_str(rest);
        }
        self.html.push_str(&crate::escape::html(rest));
    }
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
        assert_eq!(
            title_parts("<rt>{a|b}").1,
            "<rt><ruby>a<rp>(</rp><rt>b</rt><rp>)</rp></ruby></rt>"
        );
        assert_eq!(title_parts("<rt>{a|b}").0, "");
    }

    #[test]
    fn the_compact_ruby_syntax_is_the_same_title_as_its_markup() {
        for (compact, markup) in [
            ("科{學|xué}家", "科<ruby>學<rp>(</rp><rt>xué</rt><rp>)</rp></ruby>家"),
            (
                "初{創|chuàng}企{業|yè}",
                "初<ruby>創<rp>(</rp><rt>chuàng</rt><rp>)</rp></ruby>企<ruby>業<rp>(</rp><rt>yè</rt><rp>)</rp></ruby>",
            ),
        ] {
            assert_eq!(title_parts(compact), title_parts(markup), "{compact}");
        }
        assert_eq!(
            title_parts("{漢字|hàn|zì}").1,
            "<ruby>漢<rp>(</rp><rt>hàn</rt><rp>)</rp>字<rp>(</rp><rt>zì</rt><rp>)</rp></ruby>"
        );
        // The reading is text, escaped; braces that are not ruby stay as written.
        assert_eq!(
            title_parts("{a|<b>&}").1,
            "<ruby>a<rp>(</rp><rt>&lt;b&gt;&amp;</rt><rp>)</rp></ruby>"
        );
        assert_eq!(title_parts("{x} {{ y|z }}").1, "{x} {{ y|z }}");
        // `\{` is a brace that starts nothing, its backslash dropped; other ones stay.
        assert_eq!(
            title_parts("\\{a|b}"),
            ("{a|b}".to_string(), "{a|b}".to_string())
        );
        assert_eq!(title_parts("a\\b").0, "a\\b");
    }
}
