//! The links of the output, checked against the output: every URL inside the site that
//! a page or stylesheet names (`href`, `src`, `srcset`, CSS `url()`), however it was
//! written (`@/` in Markdown, a plain `/img/photo.png`, a template's `../style.css`),
//! must lead to a file the build writes. What a reader's browser would fetch is what is
//! checked, so a template's link is checked as surely as a page's.
//!
//! Each file is scanned as it is staged ([`LinkScan::scan`]); each distinct target is
//! kept once with the first place that names it, and looked up when every file is
//! written ([`LinkScan::broken`]).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};

use regex::bytes::Regex;

/// A link whose target the output does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The output file that names it (`blog/a/index.html`).
    pub page: String,
    /// The site file that page was made from, when it was made from one.
    pub source: Option<PathBuf>,
    /// The URL as the output file writes it.
    pub url: String,
    /// Where it leads inside the output (`img/photo.png`), or why it leads nowhere.
    pub target: Result<String, String>,
    /// The output file most like the target, as a suggestion.
    pub nearest: Option<String>,
}

/// The first place that names one target.
#[derive(Debug, Clone)]
struct Referrer {
    page: String,
    source: Option<PathBuf>,
    url: String,
}

/// Every distinct target the output's pages and stylesheets name.
#[derive(Debug)]
pub(crate) struct LinkScan {
    /// The site's base path (`/` or `/repo/`): a root-relative URL starts with it.
    base_path: String,
    targets: Mutex<HashMap<String, Referrer>>,
    /// URLs that leave the output (`../../../x` from a page two folders deep).
    escaping: Mutex<Vec<(Referrer, Outside)>>,
}

/// The start of an `href="…"`, `src="…"` or `srcset="…"` attribute (lectern's writer
/// and templates quote attribute values with `"`): literals, so the search skips ahead
/// with a prefilter instead of trying the pattern at every byte.
static ATTRIBUTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\s(?:href|src|srcset)=""#).expect("valid pattern"));

/// Every URL-bearing value in `bytes`, and whether it is a `srcset`: HTML attributes
/// (for a page) and CSS `url(…)` (in a stylesheet, or a page's inline style).
fn values(bytes: &[u8], is_html: bool) -> Vec<(&[u8], bool)> {
    let mut found = Vec::new();
    if is_html {
        for at in ATTRIBUTE.find_iter(bytes) {
            let rest = &bytes[at.end()..];
            let end = memchr::memchr(b'"', rest).unwrap_or(rest.len());
            let is_srcset = at.as_bytes()[1..].starts_with(b"srcset");
            found.push((&rest[..end], is_srcset));
        }
    }
    for at in memchr::memmem::find_iter(bytes, b"url(") {
        let rest = &bytes[at + 4..];
        let end = memchr::memchr(b')', rest).unwrap_or(rest.len());
        let value = rest[..end].trim_ascii();
        let value = value
            .strip_prefix(b"\"")
            .and_then(|v| v.strip_suffix(b"\""))
            .or_else(|| value.strip_prefix(b"'").and_then(|v| v.strip_suffix(b"'")))
            .unwrap_or(value);
        found.push((value, false));
    }
    found
}

impl LinkScan {
    /// A scan for a site served under `base_path`.
    pub(crate) fn new(base_path: &str) -> LinkScan {
        LinkScan {
            // URLs are compared decoded: `/%E6%96%87%E6%AA%94/` is `/文檔/`.
            base_path: percent_encoding::percent_decode_str(base_path)
                .decode_utf8_lossy()
                .into_owned(),
            targets: Mutex::new(HashMap::new()),
            escaping: Mutex::new(Vec::new()),
        }
    }

    /// Notes every local URL of the output file `page` (HTML or CSS; others are not
    /// scanned), made from the site file `source`.
    pub(crate) fn scan(&self, page: &str, bytes: &[u8], source: Option<&std::path::Path>) {
        let is_html = page.ends_with(".html");
        if !is_html && !page.ends_with(".css") {
            return;
        }
        let mut found: HashMap<String, String> = HashMap::new();
        let mut escaping = Vec::new();
        for (value, is_srcset) in values(bytes, is_html) {
            let Ok(value) = std::str::from_utf8(value) else {
                continue;
            };
            let value = unescape_html(value);
            let urls: Vec<&str> = if is_srcset {
                value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .collect()
            } else {
                vec![value.trim()]
            };
            for url in urls {
                match resolve(page, url, &self.base_path) {
                    Some(Ok(target)) => {
                        found.entry(target).or_insert_with(|| url.to_string());
                    }
                    Some(Err(outside)) => escaping.push((url.to_string(), outside)),
                    None => {}
                }
            }
        }
        let referrer = |url: String| Referrer {
            page: page.to_string(),
            source: source.map(|s| s.to_path_buf()),
            url,
        };
        if !escaping.is_empty() {
            let mut all = self
                .escaping
                .lock()
                .expect("no panics while holding the lock");
            all.extend(
                escaping
                    .into_iter()
                    .map(|(url, outside)| (referrer(url), outside)),
            );
        }
        let mut targets = self
            .targets
            .lock()
            .expect("no panics while holding the lock");
        for (target, url) in found {
            targets.entry(target).or_insert_with(|| referrer(url));
        }
    }

    /// The links whose targets are not among `written` (every output path), in the
    /// order of the pages that name them.
    pub(crate) fn broken<V>(&self, written: &BTreeMap<String, V>) -> Vec<BrokenLink> {
        let exists = |target: &str| {
            let folder = target.is_empty() || target.ends_with('/');
            written.contains_key(target)
                || (folder && written.contains_key(&format!("{target}index.html")))
                || (!folder && written.contains_key(&format!("{target}/index.html")))
        };
        let targets = self
            .targets
            .lock()
            .expect("no panics while holding the lock");
        let escaping = self
            .escaping
            .lock()
            .expect("no panics while holding the lock");
        let mut broken: Vec<BrokenLink> = targets
            .iter()
            .filter(|(target, _)| !exists(target))
            .map(|(target, r)| BrokenLink {
                page: r.page.clone(),
                source: r.source.clone(),
                url: r.url.clone(),
                target: Ok(target.clone()),
                nearest: nearest(target, written.keys()),
            })
            .chain(escaping.iter().map(|(r, outside)| BrokenLink {
                page: r.page.clone(),
                source: r.source.clone(),
                url: r.url.clone(),
                target: Err(match outside {
                    Outside::Climbs => "it climbs out of the site".to_string(),
                    Outside::BasePath => format!(
                        "it starts with `/` but is outside the site's base path {}: write it \
                         relative to the page, or start it with {0} (a Markdown link or \
                         image written `/…` gets the base path by itself)",
                        self.base_path
                    ),
                }),
                nearest: None,
            }))
            .collect();
        broken.sort_by(|a, b| (&a.page, &a.url).cmp(&(&b.page, &b.url)));
        broken
    }
}

/// The output path most like `target` (a page's folder for `…/index.html`).
fn nearest<'a>(target: &str, written: impl Iterator<Item = &'a String>) -> Option<String> {
    written
        .map(|p| p.strip_suffix("index.html").unwrap_or(p))
        .map(|p| (strsim::jaro_winkler(target, p), p))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, p)| p.to_string())
}

/// `&amp;` and the other escapes lectern's writer and Tera's `escape` use in attributes.
fn unescape_html(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.contains('&') {
        return value.into();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .into()
}

/// How a URL of the site's own leaves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outside {
    /// `../` past the site's root.
    Climbs,
    /// A root-relative path that does not start with the base path.
    BasePath,
}

/// Where `url`, written in the output file `page`, leads inside the output: `None` for
/// a URL that is not the site's (another site, `mailto:`, `#top`, a `data:` image),
/// `Err` for one that climbs out of it.
fn resolve(page: &str, url: &str, base_path: &str) -> Option<Result<String, Outside>> {
    let path = url.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || path.starts_with("//") || crate::address::has_scheme(path) {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let (mut parts, rest): (Vec<&str>, &str) = match decoded.strip_prefix('/') {
        Some(_) => match decoded.strip_prefix(base_path) {
            Some(rest) => (Vec::new(), rest),
            // A root-relative URL outside the base path: another site on this host.
            None if base_path != "/" => return Some(Err(Outside::BasePath)),
            None => (Vec::new(), &decoded[1..]),
        },
        None => {
            let mut parts: Vec<&str> = page.split('/').collect();
            parts.pop();
            (parts, &decoded[..])
        }
    };
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(Err(Outside::Climbs));
                }
            }
            part => parts.push(part),
        }
    }
    let mut target = parts.join("/");
    if rest.ends_with('/') && !target.is_empty() {
        target.push('/');
    }
    Some(Ok(target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_against_the_page_and_the_base_path() {
        let r = |page, url, base| resolve(page, url, base);
        assert_eq!(
            r("blog/a/index.html", "../../style.css", "/"),
            Some(Ok("style.css".into()))
        );
        assert_eq!(
            r("blog/a/index.html", "../b/#x", "/"),
            Some(Ok("blog/b/".into()))
        );
        assert_eq!(
            r("index.html", "/repo/img/a%20b.png?v=1", "/repo/"),
            Some(Ok("img/a b.png".into()))
        );
        assert_eq!(r("index.html", "./", "/"), Some(Ok("".into())));
        assert_eq!(r("index.html", "../x", "/"), Some(Err(Outside::Climbs)));
        assert_eq!(
            r("index.html", "/other/x", "/repo/"),
            Some(Err(Outside::BasePath))
        );
        for foreign in [
            "https://x.org/a",
            "//cdn.org/a",
            "mailto:a@b",
            "tel:+1",
            "#top",
            "data:image/png;base64,x",
            "",
        ] {
            assert_eq!(r("index.html", foreign, "/"), None, "{foreign}");
        }
    }

    #[test]
    fn a_picture_s_source_srcset_is_checked_like_the_img_s() {
        let scan = LinkScan::new("/");
        let html = br#"<picture><source type="image/webp" srcset="../img/x-480.webp 480w, ../img/x-960.webp 960w" sizes="100vw" /><img src="../img/x-960.jpg" srcset="../img/x-480.jpg 480w, ../img/x-960.jpg 960w" alt="x" /></picture>"#;
        scan.scan("a/index.html", html, None);
        let written: BTreeMap<String, ()> = [
            "a/index.html",
            "img/x-480.webp",
            "img/x-480.jpg",
            "img/x-960.jpg",
        ]
        .into_iter()
        .map(|p| (p.to_string(), ()))
        .collect();
        let broken: Vec<String> = scan
            .broken(&written)
            .into_iter()
            .map(|b| b.target.unwrap())
            .collect();
        assert_eq!(broken, ["img/x-960.webp"]);
    }

    #[test]
    fn a_scan_finds_every_kind_of_link_and_reports_the_missing_ones() {
        let scan = LinkScan::new("/");
        let html = br#"<a href="../b/">b</a> <img src="/img/missing.png" srcset="../x-480.webp 480w, ../x-960.webp 960w"> <link href="../style.css"> <a href="../b/#top">again</a> <a href="https://x.org">out</a> <p>href="not/a/link"</p>"#;
        scan.scan(
            "a/index.html",
            html,
            Some(std::path::Path::new("content/a.md")),
        );
        scan.scan("style.css", b"body { background: url('img/bg.png') } .x { background: url(data:image/png;base64,AA) }", None);
        scan.scan("search.js", b"src=\"/nope\"", None);
        let written: BTreeMap<String, ()> =
            ["b/index.html", "style.css", "x-480.webp", "a/index.html"]
                .into_iter()
                .map(|p| (p.to_string(), ()))
                .collect();
        let broken: Vec<(String, String)> = scan
            .broken(&written)
            .into_iter()
            .map(|b| (b.page, b.target.unwrap()))
            .collect();
        assert_eq!(
            broken,
            [
                // In the order of the URLs as written: `../x-960.webp` before `/img/…`.
                ("a/index.html".to_string(), "x-960.webp".to_string()),
                ("a/index.html".to_string(), "img/missing.png".to_string()),
                ("style.css".to_string(), "img/bg.png".to_string()),
            ]
        );
    }
}
