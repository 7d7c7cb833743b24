//! Escaping, once for every format lectern writes: HTML text and attribute values
//! ([`html`]), URLs inside an attribute ([`href`]), XML for the feed and sitemap
//! ([`xml`]) and JSON inside a `<script>` ([`script_json`]).
//!
//! Each escaper copies the runs between special characters whole and writes an entity
//! only where one is needed: most text (Chinese prose) has no special character at all.

/// Escapes `& < > " '` for HTML text and attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    push_html(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`html`] does.
pub fn push_html(out: &mut String, text: &str) {
    push_replacing(out, text, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#x27;"),
        _ => None,
    });
}

/// Escapes text for XML 1.0. Control characters XML forbids are dropped rather than
/// making the file invalid.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    push_replacing(&mut out, text, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&apos;"),
        b'\t' | b'\n' | b'\r' => None,
        b if b < 0x20 => Some(""),
        _ => None,
    });
    out
}

/// Escapes a URL for an `href` or `src`, keeping CJK readable: only the characters that
/// would end the attribute or break the URL are encoded.
pub fn href(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut start = 0;
    for (i, c) in url.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '"' => "%22",
            '\'' => "%27",
            '<' => "%3C",
            '>' => "%3E",
            ' ' => "%20",
            c if c.is_control() => "",
            _ => continue,
        };
        out.push_str(&url[start..i]);
        if replacement.is_empty() {
            // A control character: percent-encoded byte by byte.
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push_str(replacement);
        }
        start = i + c.len_utf8();
    }
    out.push_str(&url[start..]);
    out
}

/// A value as JSON that is inert inside a `<script>` element: `<`, `>` and `&` are
/// written as `\u003c`, `\u003e`, `\u0026` (so no `</script>` or `<!--` can end or
/// bend the element) and the line separators U+2028/U+2029 as escapes too (older
/// script parsers end a string at them). Every value lectern puts in a script goes
/// through here.
pub fn script_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(json.len());
    let mut start = 0;
    for (i, c) in json.char_indices() {
        let replacement = match c {
            '<' => "\\u003c",
            '>' => "\\u003e",
            '&' => "\\u0026",
            '\u{2028}' => "\\u2028",
            '\u{2029}' => "\\u2029",
            _ => continue,
        };
        out.push_str(&json[start..i]);
        out.push_str(replacement);
        start = i + c.len_utf8();
    }
    out.push_str(&json[start..]);
    out
}

/// Appends `text` to `out`, with each ASCII byte that `entity` maps replaced. Only
/// ASCII bytes are ever replaced, so every cut falls on a character boundary.
fn push_replacing(out: &mut String, text: &str, entity: impl Fn(u8) -> Option<&'static str>) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if let Some(replacement) = entity(b) {
            out.push_str(&text[start..i]);
            out.push_str(replacement);
            start = i + 1;
        }
    }
    out.push_str(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_the_five_specials_and_nothing_else() {
        assert_eq!(
            html(r#"<a href="x">Tom & 'Jerry'</a> 學"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#x27;Jerry&#x27;&lt;/a&gt; 學"
        );
        assert_eq!(html("無需轉義"), "無需轉義");
        assert_eq!(html(""), "");
    }

    #[test]
    fn xml_uses_apos_and_drops_what_xml_forbids() {
        assert_eq!(xml("a'b\u{1}c\td\n"), "a&apos;bc\td\n");
        assert_eq!(xml("<&>\""), "&lt;&amp;&gt;&quot;");
    }

    #[test]
    fn href_keeps_cjk_and_encodes_what_breaks_an_attribute() {
        assert_eq!(
            href("/文檔/a b?x=1&y=\"2\"'<>\u{7}"),
            "/文檔/a%20b?x=1&amp;y=%222%22%27%3C%3E%07"
        );
    }

    #[test]
    fn json_in_a_script_cannot_end_it() {
        let json = script_json("</script><!-- & \u{2028}");
        assert_eq!(json, "\"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\"");
        assert!(!json.contains('<'));
    }
}
