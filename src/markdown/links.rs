//! Link destinations: `@/file.md#anchor` and relative `.md` links become the target's
//! URL, root-relative links get the base path, external links are marked.

use crate::config::Settings;
use crate::content::{DocId, Site};
use crate::error::{Diagnostic, Location};

/// Where a link in content leads.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another document (or this one), perhaps at an anchor.
    Internal {
        /// The URL to write.
        url: String,
        /// The document linked to.
        doc: DocId,
        /// The anchor, if any.
        anchor: Option<String>,
    },
    /// Another site: opened with `rel="noopener noreferrer"`.
    External(String),
    /// Anything else (relative asset paths, `mailto:`), written as it is.
    Other(String),
    /// An address [`url_problem`] refuses: why, in one sentence.
    Refused(String),
}

/// Why a link could not be resolved.
#[derive(Debug, PartialEq, Eq)]
pub struct MissingPage {
    /// The content path that was looked for.
    pub wanted: String,
    /// The closest existing content path, as a suggestion.
    pub nearest: Option<String>,
}

/// Resolves `dest`, written in document `from`.
pub fn resolve(
    dest: &str,
    site: &Site,
    settings: &Settings,
    from: DocId,
) -> Result<LinkTarget, MissingPage> {
    if let Some(problem) = url_problem(dest, settings.config.markdown.unsafe_html) {
        return Ok(LinkTarget::Refused(problem));
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return Ok(LinkTarget::Internal {
            url: dest.to_string(),
            doc: from,
            anchor: Some(anchor.to_string()),
        });
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor.to_string())),
        None => (dest, None),
    };
    let content_path = if let Some(path) = path.strip_prefix("@/") {
        Some(path.to_string())
    } else if !has_scheme(path) && !path.starts_with('/') && path.ends_with(".md") {
        Some(relative_to(&site.docs[from].content_path, path))
    } else {
        None
    };
    if let Some(content_path) = content_path {
        let Some(&doc) = site.by_content_path.get(&content_path) else {
            return Err(MissingPage {
                nearest: nearest_path(site, &content_path),
                wanted: content_path,
            });
        };
        let mut url = settings.url_for(&site.docs[doc].url_path);
        if let Some(anchor) = &anchor {
            url.push('#');
            url.push_str(anchor);
        }
        return Ok(LinkTarget::Internal { url, doc, anchor });
    }
    if dest.starts_with("http://") || dest.starts_with("https://") || dest.starts_with("//") {
        return Ok(LinkTarget::External(dest.to_string()));
    }
    if dest.starts_with('/') {
        return Ok(LinkTarget::Other(settings.url_for(dest)));
    }
    Ok(LinkTarget::Other(dest.to_string()))
}

/// Schemes any input may link to: the web, mail and telephone.
const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Schemes that run code when followed, named as such in errors.
const SCRIPT_SCHEMES: &[&str] = &["javascript", "vbscript", "data"];

/// Why `url` may not be written into an `href` or `src`, or `None` when it may.
///
/// The one rule for every address from any input (Markdown links and images, front
/// matter, tributes, `site.toml`): `http:`, `https:`, `mailto:`, `tel:`, relative paths
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
        "this address uses `{scheme}:`; lectern links only to http, https, mailto and tel addresses"
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
pub(super) fn refusal(location: Location, problem: String) -> Diagnostic {
    Diagnostic::at(location, problem).with_help(
        "link to a page or a web address instead; sites that need such links set markdown.unsafe_html = true",
    )
}

/// A URL scheme as RFC 3986 spells it: a letter, then letters, digits, `+`, `-`, `.`.
fn is_scheme(scheme: &str) -> bool {
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

fn has_scheme(path: &str) -> bool {
    path.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// `a/b.md` + `../c.md` → `c.md`.
fn relative_to(from: &str, path: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

fn nearest_path(site: &Site, wanted: &str) -> Option<String> {
    site.by_content_path
        .keys()
        .map(|k| (strsim::jaro_winkler(wanted, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_against_the_linking_file() {
        assert_eq!(relative_to("blog/a.md", "b.md"), "blog/b.md");
        assert_eq!(relative_to("blog/a.md", "../c.md"), "c.md");
        assert_eq!(relative_to("a.md", "./blog/_index.md"), "blog/_index.md");
    }

    #[test]
    fn script_urls_are_told_apart() {
        let (site, settings) = crate::content::Site::for_test(&[]);
        for url in [
            "javascript:alert(1)",
            " JavaScript:x",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(
                matches!(
                    resolve(url, &site, &settings, 0),
                    Ok(LinkTarget::Refused(_))
                ),
                "{url}"
            );
        }
    }

    #[test]
    fn one_rule_for_every_address() {
        for ok in [
            "https://example.org/a?b#c",
            "http://x",
            "mailto:a@b.example",
            "tel:+44 20",
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

    #[test]
    fn schemes_are_recognised() {
        assert!(has_scheme("mailto:x@y"));
        assert!(!has_scheme("notes.md"));
    }
}
