//! Citations: the article's reference URLs → declared references with markers.
//!
//! Takes the pages (structure recovered) and hands them back with the references
//! declared on the references page, in the article's order, and a marker after the
//! place that cites each:
//! - an X/Twitter URL's handle is matched to a Latin name in the text (`DrJimFan` ↔
//!   Jim Fan: the handle contains the whole name; `kchonyc` ↔ Kyunghyun Cho: it
//!   contains the initial and surname); exactly one name must match; the marker
//!   goes after the name's first occurrence in reading order;
//! - any other URL's words are matched the same way, or by the surname alone
//!   (`example.org/babbage` ↔ Charles Babbage);
//! - the fixes file may say where to cite (`cite_after`) and give titles and ids;
//! - a single reference left over is the blog whose content the lead-in introduces,
//!   and is cited at the end of that lead-in (the last paragraph before the blog);
//! - of several left over, each is cited after the first place the text names its
//!   title or its author (both may come from the fixes file).

use super::chars::{capitalised_word, is_word};
use super::fixes::{Fixes, ReferenceFix};
use super::structure::{Block, Page, Reference};
use super::{Glyph, ImportReport};

// Handles and names used to be found with regular expressions; these hand-written
// scans find exactly what the patterns (quoted below) found, without compiling them.

/// The X/Twitter handle in a post's URL:
/// `^https?://(?:www\.)?(?:x|twitter)\.com/([A-Za-z0-9_]+)/`.
fn handle(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let rest = ["x.com/", "twitter.com/"]
        .iter()
        .find_map(|site| rest.strip_prefix(site))?;
    let len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    (len > 0 && rest[len..].starts_with('/')).then_some(&rest[..len])
}

/// Every two-word Latin name (`Jim Fan`) in `text`, in order: two capitalised ASCII
/// words with one space between, standing as whole words:
/// `\b[A-Z][a-z]+ [A-Z][a-z]+\b` (Unicode `\b`: `Jim Fan表示` is not one, since Han
/// characters are word characters).
fn names(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(|c: char| c.is_ascii_uppercase()) {
        let start = from + at;
        let boundary_before = !text[..start].chars().next_back().is_some_and(is_word);
        let end = capitalised_word(&text[start..]).and_then(|first| {
            let second = text[start + first..]
                .strip_prefix(' ')
                .and_then(capitalised_word)?;
            Some(start + first + 1 + second)
        });
        let boundary_after = |end: usize| !text[end..].chars().next().is_some_and(is_word);
        match end {
            Some(end) if boundary_before && boundary_after(end) => {
                found.push(&text[start..end]);
                from = end;
            }
            _ => from = start + 1,
        }
    }
    found
}

/// The words of a URL after its scheme that could name a person: runs of ASCII
/// letters, perhaps ending in digits (`hweyl`, `ada1815`). A document id such as
/// `1aEdTE-B6CSPPeUWYD` mixes digits into its letters, and would match names by chance.
fn url_words(url: &str) -> Vec<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            let letters = w.trim_end_matches(|c: char| c.is_ascii_digit());
            !letters.is_empty() && letters.bytes().all(|b| b.is_ascii_alphabetic())
        })
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Whether a word of a URL names `name`: it holds the whole name run together
/// (`drjimfan`), the initial and surname (`kchonyc`), or is the surname alone
/// (`example.org/babbage`).
fn url_word_names(word: &str, name: &str) -> bool {
    let surname = name.rsplit(' ').next().unwrap_or(name).to_lowercase();
    handle_matches(word, name) || (surname.len() >= 3 && word == surname)
}

fn handle_matches(handle: &str, name: &str) -> bool {
    let handle = handle.to_lowercase();
    let words: Vec<String> = name.split(' ').map(str::to_lowercase).collect();
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    let initial: String = first.chars().take(1).collect();
    handle.contains(&words.concat()) || handle.contains(&format!("{initial}{last}"))
}

/// Every paragraph of the bodies, in reading order, mutably.
fn paragraphs(pages: &mut [Page]) -> Vec<&mut Vec<Glyph>> {
    let mut out = Vec::new();
    for page in pages.iter_mut() {
        for block in &mut page.blocks {
            match block {
                Block::Para(g) | Block::Heading(g) => out.push(g),
                Block::Quote(ps) => out.extend(ps.iter_mut()),
                Block::Small(_) => {}
            }
        }
    }
    out
}

/// Marks the glyph that ends the first occurrence of `needle`; false if not found.
fn cite_after(pages: &mut [Page], needle: &str, id: &str) -> bool {
    for para in paragraphs(pages) {
        let text: String = para.iter().map(|g| g.ch).collect();
        if let Some(at) = text.find(needle) {
            let end = text[..at + needle.len()].chars().count();
            if let Some(g) = end.checked_sub(1).and_then(|i| para.get_mut(i)) {
                g.cite = Some(id.to_string());
                return true;
            }
        }
    }
    false
}

/// Declares the references and places their markers.
pub(crate) fn cite(pages: &mut [Page], fixes: Option<&Fixes>, report: &mut ImportReport) {
    let Some(refs_page) = pages.iter().position(|p| p.file == "references.md") else {
        return;
    };
    let urls = pages[refs_page].urls.clone();
    let all_text: String = paragraphs(pages)
        .iter()
        .map(|p| p.iter().map(|g| g.ch).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n");
    let mut names = names(&all_text);
    names.dedup();
    let mut references = Vec::new();
    let mut leftover = Vec::new();
    for (k, url) in urls.iter().enumerate() {
        let fix: Option<&ReferenceFix> =
            fixes.and_then(|f| f.references.iter().find(|r| &r.url == url));
        let handle = handle(url).map(str::to_string);
        // An X/Twitter post names its author in the handle; any other URL may name a
        // person in its words (`example.org/babbage`).
        let words = match &handle {
            Some(h) => vec![h.to_lowercase()],
            None => url_words(url),
        };
        let mut matched: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| words.iter().any(|w| url_word_names(w, n)))
            .collect();
        matched.sort_unstable();
        matched.dedup();
        let name = (matched.len() == 1).then(|| matched[0].to_string());
        let id = fix
            .and_then(|f| f.id.clone())
            .or_else(|| handle.as_ref().map(|h| h.to_lowercase()))
            .unwrap_or_else(|| format!("ref-{}", k + 1));
        let title = fix
            .and_then(|f| f.title.clone())
            .unwrap_or_else(|| match (&name, &handle) {
                (Some(n), Some(h)) => format!("{n} (@{h}) on X"),
                _ => url.clone(),
            });
        let author = fix.and_then(|f| f.author.clone()).or_else(|| name.clone());
        let placed = match (fix.and_then(|f| f.cite_after.as_deref()), &name) {
            (Some(needle), _) => cite_after(pages, needle, &id),
            (None, Some(n)) => cite_after(pages, n, &id),
            (None, None) => {
                leftover.push(id.clone());
                true
            }
        };
        if !placed {
            report.warnings.push(format!(
                "reference {url}: the text to cite it after was not found"
            ));
        }
        references.push(Reference {
            id,
            title,
            url: url.clone(),
            author,
        });
    }
    if let [id] = leftover.as_slice() {
        // The lead-in is the last paragraph of the page before the blog.
        let lead = pages
            .iter_mut()
            .take_while(|p| !p.file.starts_with("blog/"))
            .last()
            .and_then(|p| {
                p.blocks.iter_mut().rev().find_map(|b| match b {
                    Block::Para(g) => Some(g),
                    _ => None,
                })
            })
            .and_then(|g| g.last_mut());
        match lead {
            Some(g) => g.cite = Some(id.clone()),
            None => report
                .warnings
                .push(format!("reference {id}: no place found to cite it")),
        }
    } else {
        // Several references with no place: each is cited where the text names its
        // title or author (the fixes file may give both), or the import says so.
        for id in &leftover {
            let reference = references.iter().find(|r| &r.id == id);
            let named = reference.is_some_and(|r| {
                let title = (r.title != r.url).then_some(r.title.as_str());
                [title, r.author.as_deref()]
                    .into_iter()
                    .flatten()
                    .any(|needle| !needle.is_empty() && cite_after(pages, needle, id))
            });
            if !named {
                report.warnings.push(format!(
                    "reference {id}: the text names neither its title nor its author; add \
                     `cite_after` (or `author`) for it in the fixes file"
                ));
            }
        }
    }
    pages[refs_page].references = references;
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// The scans find exactly what the patterns they replaced found.
    #[test]
    fn scans_match_the_patterns_they_replaced() {
        let handle_re =
            Regex::new(r"^https?://(?:www\.)?(?:x|twitter)\.com/([A-Za-z0-9_]+)/").unwrap();
        let name_re = Regex::new(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b").unwrap();
        let samples = crate::import::chars::sample_texts(30_000);
        let fixed = [
            "https://x.com/DrJimFan/status/1",
            "http://www.twitter.com/kchonyc/",
            "https://www.x.com//",
            "Felix Hill，Jim Fan表示 Kyunghyun Cho",
        ];
        for text in fixed.iter().map(|s| s.to_string()).chain(samples) {
            let expected = handle_re
                .captures(&text)
                .map(|c| c.get(1).unwrap().as_str());
            assert_eq!(handle(&text), expected, "{text:?}");
            let expected: Vec<&str> = name_re.find_iter(&text).map(|m| m.as_str()).collect();
            assert_eq!(names(&text), expected, "{text:?}");
        }
    }

    /// A URL names a person by the whole name, the initial and surname, or the surname.
    #[test]
    fn urls_name_people_by_their_words() {
        assert!(url_words("https://example.org/babbage")
            .iter()
            .any(|w| url_word_names(w, "Charles Babbage")));
        assert!(url_word_names("kchonyc", "Kyunghyun Cho"));
        assert!(!url_word_names("cho", "Kyunghyun Chong"));
        // A document id is not a word: it would name people by chance.
        let id = "https://docs.google.com/document/d/1aEdTE-B6CSPPeUWYD-IgNVQVZM25f7MF/x";
        assert_eq!(
            url_words(id),
            ["docs", "google", "com", "document", "d", "x"]
        );
    }
}
