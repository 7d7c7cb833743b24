//! Text that an edition in another script shows as written: web addresses. A URL is
//! copied, compared and typed by readers character for character; `…/談論` shown as
//! `…/谈论` names another page than the link it stands for.

use std::ops::Range;

use percent_encoding::percent_decode_str;

/// Whether a link's text is its address written out (`[https://x/談論](https://x/談論)`,
/// or without the `scheme://`, or the address percent-decoded), so that it is kept as
/// written like the address itself.
pub(crate) fn is_address_text(text: &str, dest: &str) -> bool {
    if text.is_empty() {
        return false;
    }
    let decoded = percent_decode_str(dest).decode_utf8_lossy();
    let written = [dest, decoded.as_ref()]
        .into_iter()
        .any(|url| text == url || url.split_once("://").is_some_and(|(_, rest)| text == rest));
    written
}

/// Whether `c` ends a bare address in running text: white space, what delimits one in
/// HTML or Markdown, and the punctuation of CJK text (which follows an address with no
/// space: `見 https://x/談論。`). An address that goes on in CJK letters is kept whole: where
/// it ends cannot be known, and a shown address must never differ from the real one.
fn ends_address(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '<' | '>' | '"' | '`')
        // General punctuation (dashes, curly quotes, …), CJK symbols and punctuation
        // (、。「」《》…), full-width forms (，！？：；（）…).
        || ('\u{2010}'..='\u{206F}').contains(&c)
        || ('\u{3000}'..='\u{303F}').contains(&c)
        || ('\u{FF00}'..='\u{FFEF}').contains(&c)
}

/// The byte ranges of the bare addresses (`https://…`, any `scheme://…`) in `text`,
/// in order, from the scheme to the first character that [`ends_address`].
pub(crate) fn bare_addresses(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("://").map(|at| from + at) {
        // The scheme: ASCII letters, digits, `+`, `-`, `.`, starting with a letter.
        let scheme_start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            .last()
            .map_or(at, |(i, _)| i);
        let start = text[scheme_start..at]
            .find(|c: char| c.is_ascii_alphabetic())
            .map_or(at, |i| scheme_start + i);
        let rest = at + 3;
        let end = text[rest..]
            .find(ends_address)
            .map_or(text.len(), |i| rest + i);
        if start < at && end > rest {
            found.push(start..end);
        }
        from = end.max(rest);
    }
    found
}

/// `text` converted by `convert` except in the `kept` byte ranges (sorted, possibly
/// overlapping), which are copied as they are. The stretches between are converted
/// whole, so phrases keep their context.
pub(crate) fn convert_around(
    text: &str,
    kept: &[Range<usize>],
    convert: impl Fn(&str) -> String,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in kept {
        if range.end <= at {
            continue;
        }
        let start = range.start.max(at);
        out.push_str(&convert(&text[at..start]));
        out.push_str(&text[start..range.end]);
        at = range.end;
    }
    out.push_str(&convert(&text[at..]));
    out
}

/// One text event of a block, for [`kept_ranges`].
pub(crate) struct Piece<'a> {
    /// Its text.
    pub text: &'a str,
    /// Whether it is (part of) a link's text that is the link's address.
    pub address: bool,
    /// Whether it comes right after the previous piece, with no other event (markup, a
    /// line break) between: a bare address can run on from one into the other.
    pub follows: bool,
}

/// The byte ranges of the pieces' texts, joined, that are kept as written: the link
/// texts that are addresses, and the bare addresses in each run of pieces that follow
/// one another. Sorted by start.
pub(crate) fn kept_ranges(pieces: &[Piece]) -> Vec<Range<usize>> {
    let mut kept = Vec::new();
    let (mut at, mut run_start, mut run) = (0, 0, String::new());
    let end_run = |run: &str, run_start: usize, kept: &mut Vec<Range<usize>>| {
        kept.extend(
            bare_addresses(run)
                .into_iter()
                .map(|r| r.start + run_start..r.end + run_start),
        );
    };
    for piece in pieces {
        if !piece.follows {
            end_run(&run, run_start, &mut kept);
            (run_start, run) = (at, String::new());
        }
        if piece.address {
            kept.push(at..at + piece.text.len());
        }
        run.push_str(piece.text);
        at += piece.text.len();
    }
    end_run(&run, run_start, &mut kept);
    kept.sort_by_key(|r| r.start);
    kept
}

/// Each of `texts` converted alone by `convert`, except in the `kept` ranges of their
/// concatenation (see [`kept_ranges`]) that fall in it.
pub(crate) fn convert_each(
    texts: &[String],
    kept: &[Range<usize>],
    convert: impl Fn(&str) -> String,
) -> Vec<String> {
    let mut at = 0;
    texts
        .iter()
        .map(|text| {
            let end = at + text.len();
            let own: Vec<_> = kept
                .iter()
                .filter(|r| r.start < end && r.end > at)
                .map(|r| r.start.max(at) - at..r.end.min(end) - at)
                .collect();
            at = end;
            convert_around(text, &own, &convert)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        bare_addresses(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn bare_addresses_end_at_space_and_cjk_punctuation() {
        assert_eq!(
            found("見 https://example.org/談論。然後"),
            ["https://example.org/談論"]
        );
        assert_eq!(
            found("見https://example.org/談論，和 http://x.org/a（注）"),
            ["https://example.org/談論", "http://x.org/a"]
        );
        assert_eq!(found("<https://a.org/談>"), ["https://a.org/談"]);
        assert_eq!(found("git+ssh://h/談 x"), ["git+ssh://h/談"]);
        assert_eq!(found("談論https://a.org/"), ["https://a.org/"]);
        assert!(found("談論 :// 這裡").is_empty());
        assert!(found("1://x").is_empty(), "a scheme starts with a letter");
        assert!(found("https:// 空").is_empty());
        assert!(found("").is_empty());
    }

    #[test]
    fn link_text_that_is_the_address() {
        let dest = "https://example.org/%E8%AB%87%E8%AB%96";
        assert!(is_address_text(dest, dest));
        assert!(is_address_text("https://example.org/談論", dest));
        assert!(is_address_text("example.org/談論", dest));
        assert!(!is_address_text("談論", dest));
        assert!(!is_address_text("", dest));
    }

    #[test]
    fn only_what_is_outside_the_kept_ranges_is_converted() {
        let upper = |s: &str| s.to_uppercase();
        let middle = 3..5;
        assert_eq!(
            convert_around("ab cd ef", std::slice::from_ref(&middle), upper),
            "AB cd EF"
        );
        assert_eq!(convert_around("ab cd ef", &[0..2, 1..5], upper), "ab cd EF");
        let all = 0..2;
        assert_eq!(
            convert_around("ab", std::slice::from_ref(&all), upper),
            "ab"
        );
        assert_eq!(convert_around("ab", &[], upper), "AB");
    }

    #[test]
    fn kept_ranges_cover_address_texts_and_bare_addresses_within_a_run() {
        let piece = |text, address, follows| Piece {
            text,
            address,
            follows,
        };
        // `a x://b` then, after a line break, `c`: the address ends at the break.
        let pieces = [
            piece("a x://b", false, false),
            piece("c", false, false),
            piece("d", true, false),
        ];
        assert_eq!(kept_ranges(&pieces), [2..7, 8..9]);
        // Split across events with nothing between, the address runs on.
        let pieces = [piece("a x://b", false, false), piece("c d", false, true)];
        let run = 2..8;
        assert_eq!(kept_ranges(&pieces), std::slice::from_ref(&run));
        let texts = ["a x://b".to_string(), "c d".to_string()];
        let upper = |s: &str| s.to_uppercase();
        let kept = kept_ranges(&pieces);
        assert_eq!(convert_each(&texts, &kept, upper), ["A x://b", "c D"]);
    }
}
