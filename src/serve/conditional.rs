//! Validators for the preview: each file's `ETag`, and the conditional headers that use
//! it (`If-None-Match`, `If-Range`). A browser told `Cache-Control: no-cache` asks again
//! for every page it shows, so an edit is never hidden behind a cached copy; an
//! unchanged file costs only a `304` without a body.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// The hashes of one build's files, each taken the first time the file is asked for and
/// kept until the next build replaces the whole set. Lazily: a rebuild (what the author
/// waits for after an edit) never pays for hashing files nobody requests.
#[derive(Default)]
pub(crate) struct Tags {
    known: Mutex<HashMap<String, Arc<str>>>,
}

impl Tags {
    /// The hash of `bytes`, the content of the file at `path` in this build: 16 hex
    /// digits (64 bits) of BLAKE3, enough to tell two versions of one file apart.
    pub fn hash(&self, path: &str, bytes: &[u8]) -> Arc<str> {
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(hash) = known.get(path) {
            return Arc::clone(hash);
        }
        let hash: Arc<str> = Arc::from(&blake3::hash(bytes).to_hex()[..16]);
        known.insert(path.to_string(), Arc::clone(&hash));
        hash
    }
}

/// The entity tags listed in a conditional header (`"a", W/"b"`), each with whether it
/// is weak; `None` for `*`.
fn listed(header: &str) -> Option<Vec<(bool, &str)>> {
    if header.trim() == "*" {
        return None;
    }
    Some(
        header
            .split(',')
            .map(str::trim)
            .filter(|tag| !tag.is_empty())
            .map(|tag| match tag.strip_prefix("W/") {
                Some(strong) => (true, strong),
                None => (false, tag),
            })
            .collect(),
    )
}

/// Whether an `If-None-Match` header names `etag` (quoted, as sent), so that the
/// client's copy is current and the answer is `304`. Compared weakly, as RFC 9110
/// 13.1.2 asks: a `W/` prefix does not matter. `*` matches any file that exists.
pub(crate) fn none_match(header: Option<&str>, etag: &str) -> bool {
    match header.map(listed) {
        None => false,
        Some(None) => true,
        Some(Some(tags)) => tags.iter().any(|(_, tag)| *tag == etag),
    }
}

/// Whether a `Range` may be honoured under an `If-Range` header: with none, always;
/// with one, only if it is `etag` itself, compared strongly (a weak tag or a date never
/// matches: this server sends no `Last-Modified`), so a part is never cut from a newer
/// version of the file than the one the client holds the rest of.
pub(crate) fn range_allowed(header: Option<&str>, etag: &str) -> bool {
    match header {
        None => true,
        Some(value) => value.trim() == etag,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_taken_once_per_build() {
        let tags = Tags::default();
        let first = tags.hash("a.css", b"body{}");
        assert_eq!(first.len(), 16);
        assert!(first.bytes().all(|b| b.is_ascii_hexdigit()));
        // The same build never hashes a path again (its bytes cannot change within it).
        assert_eq!(tags.hash("a.css", b"other bytes"), first);
        assert_ne!(tags.hash("b.css", b"other bytes"), first);
        // A new build, a new set.
        assert_ne!(Tags::default().hash("a.css", b"body{ }"), first);
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let tag = "\"0123456789abcdef\"";
        assert!(!none_match(None, tag));
        assert!(none_match(Some(tag), tag));
        assert!(none_match(Some("W/\"0123456789abcdef\""), tag));
        assert!(none_match(Some("\"x\", \"0123456789abcdef\""), tag));
        assert!(none_match(Some(" * "), tag));
        assert!(!none_match(Some("\"x\""), tag));
        assert!(!none_match(Some("0123456789abcdef"), tag), "unquoted");
        assert!(!none_match(Some(""), tag));
    }

    #[test]
    fn if_range_compares_strongly() {
        let tag = "\"0123456789abcdef\"";
        assert!(range_allowed(None, tag));
        assert!(range_allowed(Some(tag), tag));
        assert!(!range_allowed(Some("W/\"0123456789abcdef\""), tag));
        assert!(!range_allowed(Some("\"x\""), tag));
        assert!(!range_allowed(Some("Sat, 01 Jan 2000 00:00:00 GMT"), tag));
    }
}
