//! Mapping a request path to a file of the built site, safely: only the site's own files
//! are ever served (the site is in memory: there is no path to escape through).

use std::path::Path;

use percent_encoding::percent_decode_str;

use crate::output::SiteFiles;

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file to send: its path in the site.
    File(String),
    /// A redirect: `/` to the base path, a folder without its `/`.
    Redirect(String),
    /// Nothing here (or nothing the server will show): send the site's 404 page.
    NotFound,
}

/// Resolves `url_path` (as requested, still percent-encoded, query allowed) against the
/// built site's `files`, served under `base_path`.
pub fn resolve(files: &SiteFiles, base_path: &str, url_path: &str) -> Resolved {
    let path = url_path.split(['?', '#']).next().unwrap_or("");
    if path == "/" && base_path != "/" {
        return Resolved::Redirect(base_path.to_string());
    }
    let Some(inside) = path.strip_prefix(base_path) else {
        if format!("{path}/") == base_path {
            return Resolved::Redirect(base_path.to_string());
        }
        return Resolved::NotFound;
    };
    let Ok(decoded) = percent_decode_str(inside).decode_utf8() else {
        return Resolved::NotFound;
    };
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
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
        if !path.ends_with('/') {
            return Resolved::Redirect(format!("{path}/"));
        }
        return Resolved::File(index);
    }
    Resolved::NotFound
}

/// The `Content-Type` for a file, by its extension.
pub fn content_type(path: &Path) -> &'static str {
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
