//! Link destinations: `@/file.md#anchor` and relative `.md` links become the target's
//! URL, root-relative links get the base path, external links are marked.

use crate::address::url_problem;
use crate::config::Settings;
use crate::content::{DocId, Site};

/// Where a link in content leads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LinkTarget {
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
pub(crate) struct MissingPage {
    /// The content path that was looked for.
    pub wanted: String,
    /// The closest existing content path, as a suggestion.
    pub nearest: Option<String>,
}

/// Resolves `dest`, written in document `from`.
pub(crate) fn resolve(
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
    } else if !crate::address::has_scheme(path) && !path.starts_with('/') && path.ends_with(".md") {
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
}
