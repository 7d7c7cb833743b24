//! TOML as lectern reads it (`site.toml`, front matter): parsed once, into the
//! caller's type and into [`Spans`], the parser's own record of where every key and
//! value is written.
//!
//! Checks that run after parsing (a URL, a date, a path, a title) point at the value
//! they refuse through its span. Searching the text for a key instead finds the wrong
//! place as soon as the key is also in a comment or another table, or the value is
//! written another way (`'literal'`, `"""multi-line"""`, an inline table, a dotted key).

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::error::{Diagnostic, Location, Result};

/// Where each key and value of one TOML text is, as byte ranges of the file it is in.
///
/// Entries are named by key path: keys joined by `.`, array items by their index, e.g.
/// `help.resources.0.url` or `references.2.id`; a key that itself holds a `.` or `"`
/// is written quoted (`extra."a.b"`), so it never passes for a path of plain keys.
/// A table's value is where it is opened: its `[header]`, or its `{` when inline.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    entries: Arc<HashMap<String, Entry>>,
}

/// One key and its value.
#[derive(Debug, Clone)]
struct Entry {
    key: Range<usize>,
    value: Range<usize>,
}

/// Parses the TOML text `file[range]` (`file` is the whole content of `path`) into `T`,
/// and records where each of its values is. A syntax or type error is reported at its
/// line of the file, with a suggestion for a misspelt key.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    file: &str,
    range: Range<usize>,
) -> Result<(T, Spans)> {
    let text = &file[range.clone()];
    let error = |e: toml::de::Error| -> crate::Error {
        let offset = range.start + e.span().map_or(0, |s| s.start);
        let message = e.message().trim().to_string();
        let mut diagnostic = Diagnostic::at(
            Location::from_offset(path, file, offset),
            format!("invalid TOML: {message}"),
        );
        if let Some(help) = suggest_known_key(&message) {
            diagnostic = diagnostic.with_help(help);
        }
        diagnostic.into()
    };
    let table = DeTable::parse(text).map_err(error)?;
    let mut entries = HashMap::new();
    record_table(table.get_ref(), "", range.start, &mut entries);
    let value = T::deserialize(toml::de::Deserializer::from(table)).map_err(error)?;
    Ok((
        value,
        Spans {
            entries: Arc::new(entries),
        },
    ))
}

fn record_table(
    table: &DeTable<'_>,
    prefix: &str,
    base: usize,
    entries: &mut HashMap<String, Entry>,
) {
    for (key, value) in table.iter() {
        let name = key.get_ref();
        let path = if name.contains(['.', '"']) {
            format!("{prefix}{name:?}")
        } else {
            format!("{prefix}{name}")
        };
        let shifted = |r: Range<usize>| r.start + base..r.end + base;
        record_value(value, &path, base, entries);
        entries.insert(
            path,
            Entry {
                key: shifted(key.span()),
                value: shifted(value.span()),
            },
        );
    }
}

fn record_value(
    value: &Spanned<DeValue<'_>>,
    path: &str,
    base: usize,
    entries: &mut HashMap<String, Entry>,
) {
    match value.get_ref() {
        DeValue::Table(table) => record_table(table, &format!("{path}."), base, entries),
        DeValue::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let item_path = format!("{path}.{index}");
                record_value(item, &item_path, base, entries);
                let span = item.span();
                // An array item has no key of its own: the item stands for it.
                let span = span.start + base..span.end + base;
                entries.insert(
                    item_path,
                    Entry {
                        key: span.clone(),
                        value: span,
                    },
                );
            }
        }
        _ => {}
    }
}

impl Spans {
    /// Byte offset in the file of the key at `path` (the last key, for a dotted one).
    pub fn key(&self, path: &str) -> Option<usize> {
        self.entries.get(path).map(|e| e.key.start)
    }

    /// Where the value at `path` is written in the file, quotes included.
    pub fn value(&self, path: &str) -> Option<Range<usize>> {
        self.entries.get(path).map(|e| e.value.clone())
    }

    /// Byte offset in `file` where the value at `path` starts: inside the quotes for a
    /// string (the first character of the text itself), else its first character.
    pub fn value_start(&self, path: &str, file: &str) -> Option<usize> {
        let span = self.value(path)?;
        let raw = file.get(span.clone())?;
        let skip = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            // TOML drops a newline right after the opening quotes.
            let after = &raw[3..];
            3 + if after.starts_with("\r\n") {
                2
            } else {
                usize::from(after.starts_with('\n'))
            }
        } else {
            usize::from(raw.starts_with(['"', '\'']))
        };
        Some((span.start + skip).min(span.end))
    }

    /// Byte offset in `file` of the character at byte `index` of `value`, the string at
    /// `path`: exact when the string is written on one line without escapes, else the
    /// start of the string (see [`Spans::value_start`]).
    pub fn char_offset(&self, path: &str, file: &str, value: &str, index: usize) -> Option<usize> {
        let span = self.value(path)?;
        let raw = file.get(span.clone())?;
        let verbatim = raw.len() >= 2
            && !raw.starts_with("\"\"\"")
            && !raw.starts_with("'''")
            && raw.get(1..raw.len() - 1) == Some(value);
        if verbatim && index <= value.len() {
            Some(span.start + 1 + index)
        } else {
            self.value_start(path, file)
        }
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" finds the nearest valid key.
fn suggest_known_key(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let best = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(unknown, c), *c))
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    if best.0 > 0.7 {
        Some(format!("did you mean `{}`?", best.1))
    } else {
        Some(format!("valid keys here: {}", candidates.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn spans(text: &str) -> Spans {
        parse::<toml::Table>(Path::new("t.toml"), text, 0..text.len())
            .unwrap()
            .1
    }

    fn at(text: &str, offset: usize) -> (usize, usize) {
        let loc = Location::from_offset(Path::new("t.toml"), text, offset);
        (loc.line, loc.column)
    }

    #[test]
    fn every_form_of_a_value_is_found_where_it_is_written() {
        let text = "# url = \"javascript:x\"\nurl = 'javascript:x'\n[extra]\nurl = 1\n\
                    [[help.resources]]\nurl = \"a\"\n[[help.resources]]\nurl = \"b\"\n\
                    tribute = { author = \"\" }\nml = \"\"\"\nabc\"\"\"\nd.e.f = 2024-01-01\n";
        let s = spans(text);
        assert_eq!(at(text, s.value_start("url", text).unwrap()), (2, 8));
        assert_eq!(at(text, s.value_start("extra.url", text).unwrap()), (4, 7));
        assert_eq!(
            at(text, s.value_start("help.resources.1.url", text).unwrap()),
            (8, 8)
        );
        assert_eq!(at(text, s.value("help.resources.1").unwrap().start), (7, 1));
        assert_eq!(
            at(
                text,
                s.value_start("help.resources.1.tribute.author", text)
                    .unwrap()
            ),
            (9, 23)
        );
        assert_eq!(
            at(text, s.value_start("help.resources.1.ml", text).unwrap()),
            (11, 1)
        );
        assert_eq!(
            at(text, s.value_start("help.resources.1.d.e.f", text).unwrap()),
            (12, 9)
        );
        assert_eq!(at(text, s.key("help.resources.1.d.e.f").unwrap()), (12, 5));
        assert!(s.value("nothing").is_none());
    }

    #[test]
    fn a_character_inside_a_string_is_found_when_written_verbatim() {
        let text = "a = \"x\u{202e}y\"\nb = \"x\\u202Ey\"\n";
        let s = spans(text);
        let a = s.char_offset("a", text, "x\u{202e}y", 1).unwrap();
        assert_eq!(at(text, a), (1, 7));
        // Escaped: the string's start, not a guess.
        let b = s.char_offset("b", text, "x\u{202e}y", 1).unwrap();
        assert_eq!(at(text, b), (2, 6));
    }

    #[test]
    fn a_quoted_key_with_a_dot_is_not_a_path() {
        let text = "\"a.b\" = 1\na = { b = 2 }\n";
        let s = spans(text);
        assert_eq!(at(text, s.value_start("a.b", text).unwrap()), (2, 11));
        assert_eq!(at(text, s.value_start("\"a.b\"", text).unwrap()), (1, 9));
    }

    #[test]
    fn errors_are_at_the_files_line_with_a_suggestion() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct One {
            #[allow(dead_code)]
            title: String,
        }
        let file = "+++\ntitel = \"x\"\n+++\n";
        let err = parse::<One>(Path::new("a.md"), file, 4..16)
            .unwrap_err()
            .to_string();
        assert!(err.contains("a.md:2:1"), "{err}");
        assert!(err.contains("did you mean `title`?"), "{err}");
    }
}
