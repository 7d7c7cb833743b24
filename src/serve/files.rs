//! Mapping a request path to a file of the built site, safely: only the site's own files
//! are ever served (the site is in memory: there is no path to escape through).

use std::path::Path;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

use crate::output::SiteFiles;

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A file to send: its path in the site.
    File(String),
    /// A redirect, percent-encoded and starting with exactly one `/`: `/` to the base
    /// path, a folder without its `/`.
    Redirect(String),
    /// Nothing here (or nothing the server will show): send the site's 404 page.
    NotFound,
}

/// The characters a `Location` path escapes besides non-ASCII ones: what would end the
/// path or be read as something else.
const PATH_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The base path as requests are compared with it: percent-decoded (a `base_url` may
/// be written either way), with one leading `/` and one trailing `/`.
pub(crate) fn decoded_base(base_path: &str) -> String {
    let decoded = percent_decode_str(base_path).decode_utf8_lossy();
    let inner = decoded.trim_matches('/');
    if inner.is_empty() {
        "/".to_string()
    } else {
        format!("/{inner}/")
    }
}

/// `path` (decoded) as a redirect target or URL path: percent-encoded, and starting with
/// exactly one `/`, since `//host/…` would send the browser to another host.
pub(crate) fn encode_path(path: &str) -> String {
    let rest = path.trim_start_matches('/');
    format!("/{}", utf8_percent_encode(rest, PATH_ESCAPES))
}

/// Resolves `url_path` (as requested, still percent-encoded, query allowed) against the
/// built site's `files`, served under `base` (decoded, see [`decoded_base`]).
pub(crate) fn resolve(files: &SiteFiles, base: &str, url_path: &str) -> Resolved {
    let raw = url_path.split(['?', '#']).next().unwrap_or("");
    // Decoded before anything else, so `/文檔/` and `/%E6%96%87%E6%AA%94/` are one path.
    let Ok(path) = percent_decode_str(raw).decode_utf8() else {
        return Resolved::NotFound;
    };
    if path.trim_start_matches('/').is_empty() && base != "/" {
        return Resolved::Redirect(encode_path(base));
    }
    let Some(inside) = path.strip_prefix(base) else {
        if format!("{path}/") == base {
            return Resolved::Redirect(encode_path(base));
        }
        return Resolved::NotFound;
    };
    let mut segments = Vec::new();
    for segment in inside.split('/') {
        let bad = segment == ".." || segment == "." || segment.contains(['\\', '\0', ':']);
        if bad {
            return Resolved::NotFound;
        }
        if !segment.is_empty() {
            segments.push(segment);
        }
    }
    let file = segments.join("/");
    if files.contains_key(&file) && !file.is_empty() {
        return Resolved::File(file);
    }
    let index = if file.is_empty() {
        "index.html".to_string()
    } else {
        format!("{file}/index.html")
    };
    if files.contains_key(&index) {
        if !path.ends_with('/') || path.starts_with("//") {
            // Rebuilt from the segments, never from the request: empty segments (as in
            // `//chapters`) are dropped, so the target stays on this host.
            return Resolved::Redirect(encode_path(&format!("{base}{file}/")));
        }
        return Resolved::File(index);
    }
    Resolved::NotFound
}

/// What a `Range` header asks of a file of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Range {
    /// The whole file: no header, or one this server does not take (several ranges,
    /// another unit, nonsense), which HTTP allows to be ignored.
    Whole,
    /// Bytes `start..end` of it.
    Part(usize, usize),
    /// A range that starts past the end: 416.
    Unsatisfiable,
}

/// Parses a `Range` header of a single byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`),
/// the form audio and video players send to seek.
pub(crate) fn range(header: Option<&str>, len: usize) -> Range {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Range::Whole;
    };
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Range::Whole;
    };
    let number = |s: &str| -> Option<usize> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().unwrap_or(usize::MAX))
    };
    match (number(first), last.trim().is_empty(), number(last)) {
        (Some(start), true, _) if start < len => Range::Part(start, len),
        (Some(start), false, Some(end)) if start <= end && start < len => {
            Range::Part(start, end.saturating_add(1).min(len))
        }
        (Some(start), _, _)
            if start >= len && (last.trim().is_empty() || number(last).is_some()) =>
        {
            Range::Unsatisfiable
        }
        (None, false, Some(suffix)) if first.trim().is_empty() => {
            if suffix == 0 || len == 0 {
                Range::Unsatisfiable
            } else {
                Range::Part(len - suffix.min(len), len)
            }
        }
        _ => Range::Whole,
    }
}

/// The `Content-Type` for a file, by its extension.
pub(crate) fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("xml") => "application/xml; charset=utf-8",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        Some("ttf") => "font/ttf",
        Some("otf") => "font/otf",
        Some("pdf") => "application/pdf",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteFiles {
        ["index.html", "blog/x/index.html", "style.css"]
            .iter()
            .map(|p| (p.to_string(), std::sync::Arc::from(&b"x"[..])))
            .collect()
    }

    #[test]
    fn serves_files_under_the_base_path() {
        let files = site();
        let file = |p: &str| Resolved::File(p.to_string());
        assert_eq!(resolve(&files, "/repo/", "/repo/"), file("index.html"));
        assert_eq!(
            resolve(&files, "/repo/", "/repo/blog/x/?q=1"),
            file("blog/x/index.html")
        );
        assert_eq!(
            resolve(&files, "/repo/", "/repo/style.css"),
            file("style.css")
        );
        assert_eq!(
            resolve(&files, "/repo/", "/repo/blog/x"),
            Resolved::Redirect("/repo/blog/x/".into())
        );
        assert_eq!(
            resolve(&files, "/repo/", "/"),
            Resolved::Redirect("/repo/".into())
        );
        assert_eq!(
            resolve(&files, "/repo/", "/repo"),
            Resolved::Redirect("/repo/".into())
        );
        assert_eq!(resolve(&files, "/repo/", "/other/"), Resolved::NotFound);
        assert_eq!(resolve(&files, "/repo/", "/repo/blog/"), Resolved::NotFound);
    }

    #[test]
    fn refuses_traversal_encoded_or_not() {
        let files = site();
        for attempt in [
            "/../style.css",
            "/%2e%2e/style.css",
            "/blog/..%2fstyle.css",
            "/blog/%2E%2E/style.css",
            "/blog\\..\\style.css",
            "/%00",
            "/C:/Windows",
        ] {
            assert_eq!(
                resolve(&files, "/", attempt),
                Resolved::NotFound,
                "{attempt}"
            );
        }
    }

    #[test]
    fn redirects_start_with_one_slash() {
        let files = site();
        let redirect = |to: &str| Resolved::Redirect(to.to_string());
        assert_eq!(resolve(&files, "/", "//blog/x"), redirect("/blog/x/"));
        assert_eq!(resolve(&files, "/", "///blog//x"), redirect("/blog/x/"));
        assert_eq!(resolve(&files, "/", "//blog/x/"), redirect("/blog/x/"));
        assert_eq!(resolve(&files, "/", "/%2F%2Fblog/x"), redirect("/blog/x/"));
        assert_eq!(resolve(&files, "/", "//"), redirect("/"));
        assert_eq!(resolve(&files, "/repo/", "//"), redirect("/repo/"));
        assert_eq!(encode_path("//evil.example/"), "/evil.example/");
    }

    #[test]
    fn a_base_path_matches_encoded_or_not() {
        let files = site();
        let base = decoded_base("/%E6%96%87%E6%AA%94/");
        assert_eq!(base, decoded_base("/文檔/"));
        assert_eq!(base, "/文檔/");
        let file = |p: &str| Resolved::File(p.to_string());
        assert_eq!(resolve(&files, &base, "/文檔/"), file("index.html"));
        assert_eq!(
            resolve(&files, &base, "/%E6%96%87%E6%AA%94/blog/x/"),
            file("blog/x/index.html")
        );
        assert_eq!(
            resolve(&files, &base, "/"),
            Resolved::Redirect("/%E6%96%87%E6%AA%94/".into())
        );
        assert_eq!(
            resolve(&files, &base, "/%E6%96%87%E6%AA%94/blog/x"),
            Resolved::Redirect("/%E6%96%87%E6%AA%94/blog/x/".into())
        );
        assert_eq!(encode_path("/a b/?#%/"), "/a%20b/%3F%23%25/");
    }

    #[test]
    fn single_byte_ranges_are_read() {
        assert_eq!(range(None, 10), Range::Whole);
        assert_eq!(range(Some("bytes=0-3"), 10), Range::Part(0, 4));
        assert_eq!(range(Some("bytes=4-"), 10), Range::Part(4, 10));
        assert_eq!(range(Some("bytes=4-99"), 10), Range::Part(4, 10));
        assert_eq!(range(Some("bytes=-3"), 10), Range::Part(7, 10));
        assert_eq!(range(Some("bytes=-30"), 10), Range::Part(0, 10));
        assert_eq!(range(Some("bytes=10-"), 10), Range::Unsatisfiable);
        assert_eq!(range(Some("bytes=12-20"), 10), Range::Unsatisfiable);
        assert_eq!(range(Some("bytes=-0"), 10), Range::Unsatisfiable);
        for ignored in [
            "bytes=0-1,3-4",
            "items=0-1",
            "bytes=5-2",
            "bytes=a-b",
            "bytes=-",
        ] {
            assert_eq!(range(Some(ignored), 10), Range::Whole, "{ignored}");
        }
    }

    #[test]
    fn content_types_cover_the_web_formats() {
        assert_eq!(
            content_type(Path::new("a.xml")),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.svg")), "image/svg+xml");
        assert_eq!(content_type(Path::new("a.woff2")), "font/woff2");
        assert_eq!(content_type(Path::new("a.json")), "application/json");
    }
}
