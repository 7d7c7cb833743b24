//! Page-relative URLs: every link, stylesheet and script a page names inside the site is
//! written relative to that page (`../../style.css`), as mdBook does. The same files then
//! work on GitHub Pages under the site's path, from `lectern serve`, and opened straight
//! from disk (`file://`), where a root-relative `/felix-hill/style.css` would name a file
//! at the root of the disk.
//!
//! Templates keep writing URLs from the site's base path (`{{ get_url(...) }}`,
//! `page.url`), so the navigation can be rendered once and shared by pages at every
//! depth; this pass rewrites them as each page is written. The 404 page keeps them as
//! they are: GitHub Pages serves it at whatever path was missing.

/// The attributes whose values are URLs a reader's browser follows or loads.
/// `srcset` holds several, separated by `, ` (see [`relative_urls`]).
const URL_ATTRIBUTES: [&str; 7] = [
    "href",
    "src",
    "srcset",
    "poster",
    "action",
    "data-index",
    "data-root",
];

/// `html` with every URL attribute that starts with `base_path` rewritten relative to
/// the page written at `page_path` (relative to the site's root, `blog/a/index.html`).
/// It works on bytes: a page goes from the templates to the disk without ever being
/// checked as UTF-8 again, and every pattern it looks for is ASCII.
///
/// Absolute URLs (`https://…`), protocol-relative ones (`//host/…`), fragments and
/// text are left alone: Markdown and templates escape `"` in text, so `="/base/` only
/// occurs inside attributes.
pub fn relative_urls(html: &[u8], base_path: &str, page_path: &str) -> Vec<u8> {
    debug_assert!(base_path.starts_with('/') && base_path.ends_with('/'));
    let depth = page_path.matches('/').count();
    let up = if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    };
    let needle = format!("=\"{base_path}");
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let mut out = Vec::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = finder.find(rest) {
        let value_start = at + 2;
        let after = &rest[value_start + base_path.len()..];
        let rewrite = !after.starts_with(b"/") && names_url_attribute(&rest[..at]);
        out.extend_from_slice(&rest[..value_start]);
        out.extend_from_slice(if rewrite {
            up.as_bytes()
        } else {
            base_path.as_bytes()
        });
        rest = after;
        // A `srcset` names a URL per width: the ones after its first are rewritten too.
        if rewrite && ends_with_attribute(&out[..out.len() - up.len()], b"srcset=\"") {
            let end = memchr::memchr(b'"', rest).unwrap_or(rest.len());
            let separator = format!(", {base_path}");
            let value = &rest[..end];
            let mut from = 0;
            for at in memchr::memmem::find_iter(value, separator.as_bytes()) {
                out.extend_from_slice(&value[from..at]);
                out.extend_from_slice(b", ");
                out.extend_from_slice(up.as_bytes());
                from = at + separator.len();
            }
            out.extend_from_slice(&value[from..]);
            rest = &rest[end..];
        }
    }
    out.extend_from_slice(rest);
    out
}

/// Whether `written` ends with the attribute opening `opening` (`srcset="`), any case.
fn ends_with_attribute(written: &[u8], opening: &[u8]) -> bool {
    written.len() >= opening.len()
        && written[written.len() - opening.len()..].eq_ignore_ascii_case(opening)
}

/// Whether the attribute name that ends `before` is one of [`URL_ATTRIBUTES`].
fn names_url_attribute(before: &[u8]) -> bool {
    let name = before
        .rsplit(|b| b.is_ascii_whitespace())
        .next()
        .unwrap_or(before);
    URL_ATTRIBUTES
        .iter()
        .any(|attribute| attribute.as_bytes().eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    /// [`super::relative_urls`] on text.
    fn relative_urls(html: &str, base_path: &str, page_path: &str) -> String {
        String::from_utf8(super::relative_urls(html.as_bytes(), base_path, page_path)).unwrap()
    }

    #[test]
    fn urls_under_the_base_path_become_relative_to_the_page() {
        let html = r#"<link rel="stylesheet" href="/repo/style.css"><a href="/repo/blog/b/#x">b</a><script src="/repo/lectern.js"></script>"#;
        assert_eq!(
            relative_urls(html, "/repo/", "blog/a/index.html"),
            r#"<link rel="stylesheet" href="../../style.css"><a href="../../blog/b/#x">b</a><script src="../../lectern.js"></script>"#
        );
        assert_eq!(
            relative_urls(r#"<a href="/repo/">home</a>"#, "/repo/", "index.html"),
            r#"<a href="./">home</a>"#
        );
    }

    #[test]
    fn other_urls_and_text_are_left_alone() {
        let html = r##"<a href="https://example.org/repo/x">x</a><meta content="/repo/x"><a href="/other/">o</a><a href="#top">t</a>"##;
        assert_eq!(relative_urls(html, "/repo/", "a/index.html"), html);
        // With the site at the root, `//host/...` is another host, not the root.
        let html = r#"<img src="/repo/a-480.jpg" srcset="/repo/a-480.jpg 480w, /repo/a-960.jpg 960w" alt="a, /repo/">"#;
        assert_eq!(
            relative_urls(html, "/repo/", "blog/b/index.html"),
            r#"<img src="../../a-480.jpg" srcset="../../a-480.jpg 480w, ../../a-960.jpg 960w" alt="a, /repo/">"#
        );
        // A `<picture>`'s `<source srcset>` names the WebP files: rewritten alike.
        let html = r#"<picture><source type="image/webp" srcset="/repo/a-480.webp 480w, /repo/a-960.webp 960w" /><img src="/repo/a-960.jpg" alt="a" /></picture>"#;
        assert_eq!(
            relative_urls(html, "/repo/", "blog/b/index.html"),
            r#"<picture><source type="image/webp" srcset="../../a-480.webp 480w, ../../a-960.webp 960w" /><img src="../../a-960.jpg" alt="a" /></picture>"#
        );
        let html = r#"<img src="//cdn.example.org/a.png"><a href="/a/">a</a>"#;
        assert_eq!(
            relative_urls(html, "/", "b/index.html"),
            r#"<img src="//cdn.example.org/a.png"><a href="../a/">a</a>"#
        );
    }
}
