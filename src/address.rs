//! The one rule for every address lectern writes into an `href` or `src`, from any
//! input: Markdown links and images, front matter references, tributes, `site.toml`'s
//! help resources. The web, mail, telephone and text messages pass; schemes that run
//! code or leave the web are errors unless the site sets `markdown.unsafe_html = true`.

use crate::error::{Diagnostic, Location};

/// Schemes any input may link to: the web, mail, telephone and text messages (a help
/// line a reader can text).
const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "sms"];

/// Schemes that run code when followed, named as such in errors.
const SCRIPT_SCHEMES: &[&str] = &["javascript", "vbscript", "data"];

/// Why `url` may not be written into an `href` or `src`, or `None` when it may.
///
/// The one rule for every address from any input (Markdown links and images, front
/// matter, tributes, `site.toml`): `http:`, `https:`, `mailto:`, `tel:`, `sms:`, relative paths
/// and fragments pass; any other scheme (`javascript:`, `data:`, `vbscript:` …) could
/// run code or leave the web, and passes only when the site trusts its content with
/// `markdown.unsafe_html = true`.
pub fn url_problem(url: &str, unsafe_html: bool) -> Option<String> {
    if unsafe_html {
        return None;
    }
    if url
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Some("this address contains a control character".into());
    }
    // Browsers ignore case, and spaces, tabs and line breaks, in a scheme: so does this.
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace())
        .take_while(|c| !matches!(c, '/' | '?' | '#'))
        .collect();
    let scheme = match squeezed.split_once(':') {
        Some((scheme, _)) if is_scheme(scheme) => scheme,
        _ => return None,
    };
    let lower = scheme.to_ascii_lowercase();
    if ALLOWED_SCHEMES.contains(&lower.as_str()) {
        return None;
    }
    if SCRIPT_SCHEMES.contains(&lower.as_str()) {
        return Some(format!(
            "this address would run code when followed (`{scheme}:`)"
        ));
    }
    Some(format!(
        "this address uses `{scheme}:`; lectern links only to http, https, mailto, tel and sms addresses"
    ))
}

/// [`url_problem`] as an error at `location`, with the help every such error gives.
pub fn check_url(
    url: &str,
    unsafe_html: bool,
    location: impl FnOnce() -> Location,
) -> crate::error::Result<()> {
    match url_problem(url, unsafe_html) {
        None => Ok(()),
        Some(problem) => Err(refusal(location(), problem).into()),
    }
}

/// The error for an address [`url_problem`] refused.
pub fn refusal(location: Location, problem: String) -> Diagnostic {
    Diagnostic::at(location, problem).with_help(
        "link to a page or a web address instead; sites that need such links set markdown.unsafe_html = true",
    )
}

/// A URL scheme as RFC 3986 spells it: a letter, then letters, digits, `+`, `-`, `.`.
/// Whether `url` starts with a URI scheme (`https:`, `mailto:`, `data:`): it names no
/// file of the site. The Markdown links, the output link check and the URL validator all
/// ask this one function.
pub fn has_scheme(url: &str) -> bool {
    url.split_once(':')
        .is_some_and(|(scheme, _)| is_scheme(scheme))
}

fn is_scheme(scheme: &str) -> bool {
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_recognised() {
        assert!(has_scheme("mailto:x@y"));
        assert!(has_scheme("data:image/png;base64,x"));
        assert!(!has_scheme("notes.md"));
        assert!(!has_scheme("img/a:b.jpg"));
        assert!(!has_scheme(":x"));
    }

    #[test]
    fn one_rule_for_every_address() {
        for ok in [
            "https://example.org/a?b#c",
            "http://x",
            "mailto:a@b.example",
            "tel:+44 20",
            "sms:988",
            "../a.png",
            "a/b:c",
            "#note",
            "/abs",
            "//cdn.example/x",
            "@/blog/a.md",
            "",
        ] {
            assert_eq!(url_problem(ok, false), None, "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:x",
            "data:,x",
            "ftp://x",
            "file:///etc/passwd",
            " java script:x",
            "x\u{1b}y",
        ] {
            assert!(url_problem(bad, false).is_some(), "{bad}");
            assert_eq!(url_problem(bad, true), None, "{bad}");
        }
        assert!(url_problem("javascript:x", false)
            .unwrap()
            .contains("run code"));
    }
}
