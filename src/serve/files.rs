//! Mapping a request path to a file of the built site, safely: only files inside the
//! site's folder are ever served.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file to send.
    File(PathBuf),
    /// A redirect: `/` to the base path, a folder without its `/`.
    Redirect(String),
    /// Nothing here (or nothing the server will show): send the site's 404 page.
    NotFound,
}

/// Resolves `url_path` (as requested, still percent-encoded, query allowed) against the
/// built site in `root`, served under `base_path`.
pub fn resolve(root: &Path, base_path: &str, url_path: &str) -> Resolved {
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
    let mut file = root.to_path_buf();
    for segment in decoded.split('/') {
        let bad = segment == ".."
            || segment == "."
            || segment.contains(['\\', '\0'])
            || segment.contains(':');
        if bad {
            return Resolved::NotFound;
        }
        if !segment.is_empty() {
            file.push(segment);
        }
    }
    if file.is_dir() {
        if !path.ends_with('/') {
            return Resolved::Redirect(format!("{path}/"));
        }
        file.push("index.html");
    }
    // Symbolic links must not lead out of the site.
    match (file.canonicalize(), root.canonicalize()) {
        (Ok(real), Ok(real_root)) if real.starts_with(&real_root) && real.is_file() => {
            Resolved::File(file)
        }
        _ => Resolved::NotFound,
    }
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

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site/blog/x")).unwrap();
        std::fs::write(dir.path().join("site/index.html"), "home").unwrap();
        std::fs::write(dir.path().join("site/blog/x/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        dir
    }

    #[test]
    fn serves_files_under_the_base_path() {
        let dir = site();
        let root = dir.path().join("site");
        assert_eq!(
            resolve(&root, "/repo/", "/repo/"),
            Resolved::File(root.join("index.html"))
        );
        assert_eq!(
            resolve(&root, "/repo/", "/repo/blog/x/?q=1"),
            Resolved::File(root.join("blog/x/index.html"))
        );
        assert_eq!(
            resolve(&root, "/repo/", "/repo/blog/x"),
            Resolved::Redirect("/repo/blog/x/".into())
        );
        assert_eq!(
            resolve(&root, "/repo/", "/"),
            Resolved::Redirect("/repo/".into())
        );
        assert_eq!(
            resolve(&root, "/repo/", "/repo"),
            Resolved::Redirect("/repo/".into())
        );
        assert_eq!(resolve(&root, "/repo/", "/other/"), Resolved::NotFound);
    }

    #[test]
    fn refuses_traversal_encoded_or_not() {
        let dir = site();
        let root = dir.path().join("site");
        for attempt in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
            "/blog/%2E%2E/%2E%2E/secret.txt",
            "/..\\secret.txt",
            "/%00",
            "//etc/passwd",
            "/C:/Windows",
        ] {
            assert_eq!(
                resolve(&root, "/", attempt),
                Resolved::NotFound,
                "{attempt}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_out_of_the_site() {
        let dir = site();
        let root = dir.path().join("site");
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        assert_eq!(resolve(&root, "/", "/link.txt"), Resolved::NotFound);
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
