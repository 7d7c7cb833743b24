//! `[help]`'s resources, checked where `site.toml` is read: each one's source page, the
//! numbers a phone dials (`tel`, `sms`), the address its contact links to (`link`), and
//! that the number a `tel:` link dials is the one its contact shows.
//!
//! A reader may follow these links at the worst moment of their life: a link that
//! dials another number than the one it shows, or leads nowhere, is refused.

use std::ops::Range;

use super::schema::HelpResource;
use crate::error::{Diagnostic, Location, Result};

/// The most digits a telephone number has (ITU-T E.164).
const MAX_DIGITS: usize = 15;

impl HelpResource {
    /// Checks the resource; `at(key)` is where its `key` (`url`, `tel`, …) is written.
    pub(super) fn validate(&self, unsafe_html: bool, at: impl Fn(&str) -> Location) -> Result<()> {
        let url_at = || at("url");
        crate::address::check_url(&self.url, unsafe_html, url_at)?;
        if !is_web_address(&self.url) {
            return Err(Diagnostic::at(
                at("url"),
                format!(
                    "the source of `{}` must be a web address, not `{}`",
                    self.name, self.url
                ),
            )
            .with_help("write the address of the page the contact details were taken from")
            .into());
        }
        for (key, number) in [("tel", &self.tel), ("sms", &self.sms)] {
            let Some(number) = number else { continue };
            if let Some(problem) = number_problem(number) {
                return Err(Diagnostic::at(
                    at(key),
                    format!("{key} `{number}` of `{}` is not a number to dial: {problem}", self.name),
                )
                .with_help(format!(
                    "write the digits alone, with `+` and the country code first for an international number, e.g. {key} = \"+85223892222\" or {key} = \"1925\""
                ))
                .into());
            }
            crate::address::check_url(&format!("{key}:{number}"), unsafe_html, || at(key))?;
        }
        if let Some(tel) = &self.tel {
            if self.dialled_in_contact().is_none() {
                return Err(Diagnostic::at(
                    at("tel"),
                    format!(
                        "tel `{tel}` of `{}` is not the number its contact shows (`{}`)",
                        self.name, self.contact
                    ),
                )
                .with_help("write the number in `contact` as readers dial it, e.g. contact = \"2389 2222（24 小時）\" with tel = \"+85223892222\"")
                .into());
            }
        }
        if let Some(link) = &self.link {
            if self.tel.is_some() {
                return Err(Diagnostic::at(
                    at("link"),
                    format!(
                        "`{}` has both a number (`tel`) and an address (`link`) for its contact",
                        self.name
                    ),
                )
                .with_help(
                    "give the contact one of them: `tel` for a number, `link` for a web site",
                )
                .into());
            }
            crate::address::check_url(link, unsafe_html, || at("link"))?;
            if !is_web_address(link) {
                return Err(Diagnostic::at(
                    at("link"),
                    format!(
                        "the link of `{}` must be a web address, not `{link}`",
                        self.name
                    ),
                )
                .with_help("write the whole address, e.g. link = \"https://findahelpline.com/\"")
                .into());
            }
        }
        Ok(())
    }

    /// Where in `contact` the number `tel` dials is written (`2389 2222` in
    /// `2389 2222（24 小時）` for `+85223892222`), as a byte range; `None` without `tel`
    /// or when the contact does not show it.
    ///
    /// A number in the contact is a run of digits, with single spaces, `-` or `.`
    /// between them, and `+` before them. It is the one `tel` dials when their digits
    /// are the same, or, for an international `tel`, when the contact writes it as
    /// dialled inside the country: without the country code (1 to 3 digits) and with
    /// or without a leading `0`.
    pub fn dialled_in_contact(&self) -> Option<Range<usize>> {
        let tel = self.tel.as_deref()?;
        let wanted: String = tel.chars().filter(char::is_ascii_digit).collect();
        let international = tel.starts_with('+');
        number_runs(&self.contact).into_iter().find(|run| {
            let written = &self.contact[run.clone()];
            let digits: String = written.chars().filter(char::is_ascii_digit).collect();
            if digits == wanted {
                return true;
            }
            let local = digits.trim_start_matches('0');
            international
                && !local.is_empty()
                && !written.starts_with('+')
                && wanted.ends_with(local)
                && (1..=3).contains(&(wanted.len() - local.len().min(wanted.len())))
        })
    }
}

/// Whether `url` is a whole `http`/`https` address.
fn is_web_address(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.contains(char::is_whitespace)
}

/// Why `number` cannot follow `tel:` or `sms:`, or `None` when it can: digits only,
/// after an optional `+`, at most [`MAX_DIGITS`] of them.
fn number_problem(number: &str) -> Option<&'static str> {
    let digits = number.strip_prefix('+').unwrap_or(number);
    if digits.chars().any(char::is_alphabetic) {
        return Some("a number has no letters");
    }
    if digits.is_empty() {
        return Some("it has no digits");
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Some("write only the digits, without spaces or other marks");
    }
    if digits.len() > MAX_DIGITS {
        return Some("a telephone number has at most 15 digits");
    }
    None
}

/// Every number written in `text`: runs of ASCII digits joined by one space, `-` or
/// `.`, with an optional `+` before them, not inside a word (`A1`).
fn number_runs(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let after_word = i > 0 && chars[i - 1].1.is_ascii_alphanumeric();
        let begins = c.is_ascii_digit()
            || (c == '+' && chars.get(i + 1).is_some_and(|(_, d)| d.is_ascii_digit()));
        if !begins || after_word {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        let mut last_digit = if c.is_ascii_digit() { i } else { i + 1 };
        while end < chars.len() {
            let c = chars[end].1;
            if c.is_ascii_digit() {
                last_digit = end;
                end += 1;
            } else if matches!(c, ' ' | '-' | '.')
                && chars.get(end + 1).is_some_and(|(_, d)| d.is_ascii_digit())
            {
                end += 1;
            } else {
                break;
            }
        }
        let stop = chars
            .get(last_digit + 1)
            .map_or(text.len(), |&(offset, _)| offset);
        runs.push(start..stop);
        i = last_digit + 1;
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(contact: &str, tel: &str) -> HelpResource {
        HelpResource {
            name: "Line".into(),
            region: "Here".into(),
            contact: contact.into(),
            url: "https://example.org/".into(),
            tel: Some(tel.into()),
            sms: None,
            link: None,
        }
    }

    fn shown(contact: &str, tel: &str) -> Option<String> {
        let r = resource(contact, tel);
        r.dialled_in_contact()
            .map(|range| contact[range].to_string())
    }

    #[test]
    fn the_number_a_link_dials_is_found_as_the_contact_writes_it() {
        assert_eq!(
            shown("1925（24 小時，免付費）", "1925").as_deref(),
            Some("1925")
        );
        assert_eq!(
            shown("2389 2222（24 小時）", "+85223892222").as_deref(),
            Some("2389 2222")
        );
        assert_eq!(
            shown("116 123（免費）", "+44116123").as_deref(),
            Some("116 123")
        );
        assert_eq!(shown("撥打或傳簡訊 988", "988").as_deref(), Some("988"));
        assert_eq!(
            shown("call 020 7946 0000", "+442079460000").as_deref(),
            Some("020 7946 0000")
        );
        assert_eq!(
            shown("+852 2389-2222", "+85223892222").as_deref(),
            Some("+852 2389-2222")
        );
        // Not a number the link dials: hours, a part of the number, another number.
        assert_eq!(shown("24 小時", "+85223892222"), None);
        assert_eq!(shown("2222", "+85223892222"), None);
        assert_eq!(shown("1925", "1926"), None);
        assert_eq!(shown("A1925", "1925"), None);
        assert_eq!(shown("+44 116 123", "+85223892222"), None);
        assert_eq!(shown("116 123", "116123").as_deref(), Some("116 123"));
    }

    #[test]
    fn a_number_to_dial_is_digits_after_an_optional_plus() {
        for ok in ["1925", "+85223892222", "988", "+44116123"] {
            assert_eq!(number_problem(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("TALK", "no letters"),
            ("1-800-TALK", "no letters"),
            ("+", "no digits"),
            ("", "no digits"),
            ("2389 2222", "only the digits"),
            ("+852-2389", "only the digits"),
            ("1234567890123456", "at most 15"),
            ("１９２５", "only the digits"),
        ] {
            assert!(
                number_problem(bad).is_some_and(|p| p.contains(why)),
                "{bad}"
            );
        }
    }
}
