//! URL paths: ASCII, pretty (`/blog/no-escape/`) and never escaping the output folder.

use crate::error::{Diagnostic, Location, Result};

/// Turns any text into an ASCII URL segment: `無處可逃` → `wu-chu-ke-tao`.
pub(crate) fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches(['-', '.']);
    slug.to_string()
}

/// Checks a `slug` or `path` value from front matter and turns it into URL segments.
///
/// `..`, `.`, backslashes, NUL and other control characters are errors, not silently
/// fixed: they are how a path escapes the output folder. `at` is where the value is.
pub(crate) fn checked_segments(
    key: &str,
    value: &str,
    at: impl Fn() -> Location,
    allow_slashes: bool,
) -> Result<Vec<String>> {
    let error = |message: String| {
        Diagnostic::at(at(), message).with_help(format!(
            "`{key}` must be a plain relative URL path such as \"no-escape\""
        ))
    };
    if value.chars().any(|c| c.is_control()) {
        return Err(error(format!("`{key}` contains a control character")).into());
    }
    if value.contains('\\') {
        return Err(error(format!("`{key}` contains a backslash")).into());
    }
    if !allow_slashes && value.contains('/') {
        return Err(error(format!(
            "`{key}` = \"{value}\" contains `/`; use `path` for a full URL path"
        ))
        .into());
    }
    let mut segments = Vec::new();
    for raw in value.split('/').filter(|s| !s.is_empty()) {
        if raw == ".." || raw == "." {
            return Err(error(format!(
                "`{key}` = \"{value}\" would leave the site's folder"
            ))
            .into());
        }
        let segment = slugify(raw);
        if segment.is_empty() {
            return Err(error(format!(
                "`{key}` = \"{value}\" has no letters or digits to make a URL from"
            ))
            .into());
        }
        segments.push(segment);
    }
    if segments.is_empty() && !allow_slashes {
        return Err(error(format!("`{key}` is empty")).into());
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_stable() {
        assert_eq!(slugify("No Escape!"), "no-escape");
        assert_eq!(slugify("錢，錢，錢"), "qian-qian-qian");
        assert_eq!(slugify("  --x--  "), "x");
        assert_eq!(slugify("。！"), "");
    }

    #[test]
    fn traversal_in_slug_or_path_is_refused() {
        let at = || Location::from_line_column(std::path::Path::new("a.md"), "x = 1", 1, 5);
        let err = checked_segments("slug", "../x", at, false).unwrap_err();
        assert!(err.to_string().contains("contains `/`"));
        assert!(err.to_string().contains("a.md:1:5"), "{err}");
        let err = checked_segments("path", "a/../../x", at, true).unwrap_err();
        assert!(err.to_string().contains("would leave"), "{err}");
        assert!(checked_segments("slug", "a\0b", at, false).is_err());
        assert!(checked_segments("path", "a\\b", at, true).is_err());
        assert_eq!(
            checked_segments("path", "/Blog/Post/", at, true).unwrap(),
            ["blog", "post"]
        );
    }
}
