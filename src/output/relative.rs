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
const URL_ATTRIBUTES: [&str; 6] = ["href", "src", "poster", "action", "data-index", "data-root"];

/// `html` with every URL attribute that starts with `base_path` rewritten relative to
/// the page written at `page_path` (relative to the site's root, `blog/a/index.html`).
///
/// Absolute URLs (`https://…`), protocol-relative ones (`//host/…`), fragments and
/// text are left alone: Markdown and templates escape `"` in text, so `="/base/` only
/// occurs inside attributes.
pub fn relative_urls(html: &str, base_path: &str, page_path: &str) -> String {
    debug_assert!(base_path.starts_with('/') && base_path.ends_with('/'));
    let depth = page_path.matches('/').count();
    let up = if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    };
    let needle = format!("=\"{base_path}");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        let value_start = at + 2;
        let after = &rest[value_start + base_path.len()..];
        let rewrite = !after.starts_with('/') && names_url_attribute(&rest[..at]);
        out.push_str(&rest[..value_start]);
        if rewrite {
            out.push_str(&up);
        } else {
            out.push_str(base_path);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Whether the attribute name that ends `before` is one of [`URL_ATTRIBUTES`].
fn names_url_attribute(before: &str) -> bool {
    let name_start = before
        .rfind(|c: char| c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    let name = &before[name_start..];
    URL_ATTRIBUTES.contains(&name.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::relative_urls;

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
        let html = r#"<img src="//cdn.example.org/a.png"><a href="/a/">a</a>"#;
        assert_eq!(
            relative_urls(html, "/", "b/index.html"),
            r#"<img src="//cdn.example.org/a.png"><a href="../a/">a</a>"#
        );
    }
}
