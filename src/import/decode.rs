//! Decoding: the raw file's bytes → text with `\n` line endings.
//!
//! Takes the bytes as read and hands on a [`Decoded`] text, naming the encoding it
//! detected. Detection never guesses silently: a byte-order mark decides; otherwise
//! strict UTF-8; otherwise GB18030 and Big5 are both tried strictly and the one whose
//! text looks like Chinese prose wins. Binary or undecodable input is refused with an
//! error that points at the first bad byte.

use std::path::Path;

use encoding_rs::{Encoding, BIG5, GB18030, UTF_16BE, UTF_16LE};

use crate::error::{Diagnostic, Location, Result};

/// The article as text, and what decoding did to it.
#[derive(Debug, Clone)]
pub(crate) struct Decoded {
    /// The text, with every line ending turned into `\n`.
    pub text: String,
    /// The name of the encoding detected, e.g. `UTF-8` or `GB18030`.
    pub encoding: &'static str,
    /// Whether a byte-order mark was removed.
    pub bom: bool,
    /// How many `\r` were removed or turned into `\n`.
    pub carriage_returns: usize,
    /// How many characters the source had (BOM and `\r` included).
    pub source_chars: usize,
}

/// Decodes a raw article; `path` is shown in errors as the user gave it.
pub(crate) fn decode(bytes: &[u8], path: &Path) -> Result<Decoded> {
    let (text, encoding, bom) = detect(bytes, path)?;
    if let Some(offset) = text.find(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(Diagnostic::at(
            Location::from_offset(path, &text, offset),
            "the article contains control characters: it looks like a binary file, not text",
        )
        .with_help("import a plain-text article (UTF-8, UTF-16, GB18030 or Big5)")
        .into());
    }
    let source_chars = text.chars().count() + usize::from(bom);
    let carriage_returns = text.matches('\r').count();
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Ok(Decoded {
        text,
        encoding,
        bom,
        carriage_returns,
        source_chars,
    })
}

fn detect(bytes: &[u8], path: &Path) -> Result<(String, &'static str, bool)> {
    let boms: [(&[u8], &'static Encoding, &str); 3] = [
        (b"\xEF\xBB\xBF", encoding_rs::UTF_8, "UTF-8"),
        (b"\xFF\xFE", UTF_16LE, "UTF-16LE"),
        (b"\xFE\xFF", UTF_16BE, "UTF-16BE"),
    ];
    for (bom, encoding, name) in boms {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return match encoding.decode_without_bom_handling_and_without_replacement(rest) {
                Some(text) => Ok((text.into_owned(), name, true)),
                None => Err(undecodable(
                    bytes,
                    path,
                    &format!("it starts with a {name} byte-order mark but is not valid {name}"),
                )),
            };
        }
    }
    if bytes.contains(&0) {
        return Err(undecodable(
            bytes,
            path,
            "it contains NUL bytes: it looks like a binary file, not text",
        ));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), "UTF-8", false));
    }
    let candidates: Vec<(String, &str)> = [(GB18030, "GB18030"), (BIG5, "Big5")]
        .into_iter()
        .filter_map(|(enc, name)| {
            enc.decode_without_bom_handling_and_without_replacement(bytes)
                .map(|t| (t.into_owned(), name))
        })
        .collect();
    candidates
        .into_iter()
        .max_by_key(|(text, _)| prose_score(text))
        .map(|(text, name)| (text, name, false))
        .ok_or_else(|| {
            undecodable(
                bytes,
                path,
                "it is not valid UTF-8, UTF-16, GB18030 or Big5",
            )
        })
}

/// Per mille of characters that are common in Chinese prose: ASCII, the basic CJK
/// block and CJK punctuation. The wrong legacy encoding scatters rare characters.
fn prose_score(text: &str) -> usize {
    let total = text.chars().count().max(1);
    let common = text
        .chars()
        .filter(|&c| {
            c.is_ascii()
                || ('\u{4E00}'..='\u{9FFF}').contains(&c)
                || ('\u{3000}'..='\u{303F}').contains(&c)
                || ('\u{FF01}'..='\u{FF5E}').contains(&c)
                || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
        })
        .count();
    common * 1000 / total
}

fn undecodable(bytes: &[u8], path: &Path, why: &str) -> crate::Error {
    let offset = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let lossy = String::from_utf8_lossy(bytes);
    let shown = String::from_utf8_lossy(&bytes[..offset.min(bytes.len())]);
    Diagnostic::at(
        Location::from_offset(path, &lossy, shown.len()),
        format!("cannot decode the article: {why}"),
    )
    .with_help("save the article as UTF-8 text and import it again")
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "再見，菲利克斯！\n發表論文";

    #[test]
    fn decodes_legacy_chinese_encodings_and_utf16() {
        let p = Path::new("a.txt");
        let (gb, _, _) = GB18030.encode(TEXT);
        assert_eq!(decode(&gb, p).unwrap().encoding, "GB18030");
        let (big5, _, _) = BIG5.encode(TEXT);
        let d = decode(&big5, p).unwrap();
        assert_eq!((d.encoding, d.text.as_str()), ("Big5", TEXT));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(TEXT.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&utf16, p).unwrap().text, TEXT);
    }

    #[test]
    fn turns_crlf_and_cr_into_lf_and_counts_them() {
        let d = decode("\u{FEFF}a\r\nb\rc".as_bytes(), Path::new("a.txt")).unwrap();
        assert_eq!(
            (d.text.as_str(), d.carriage_returns, d.bom),
            ("a\nb\nc", 2, true)
        );
        assert_eq!(d.source_chars, 7);
    }

    #[test]
    fn refuses_binary_input_naming_the_file() {
        let err = decode(b"PK\x03\x04\x00\x00\xff", Path::new("x.zip")).unwrap_err();
        assert!(err.to_string().contains("x.zip"), "{err}");
        assert!(err.to_string().contains("binary"), "{err}");
    }
}
