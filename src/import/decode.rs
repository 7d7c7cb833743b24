//! Decoding: the raw file's bytes → text with `\n` line endings.
//!
//! Takes the bytes as read and hands on a [`Decoded`] text, naming the encoding it
//! detected. Detection never guesses silently: a byte-order mark decides; otherwise
//! UTF-16 without one when its zero bytes say so (see [`utf16_without_bom`]); otherwise
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
    if let Some((text, name)) = utf16_without_bom(bytes) {
        return Ok((text, name, false));
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

/// BOM-less UTF-16 text (as some Windows editors save it) as text and the byte order's
/// name, or `None`. Only bytes with a zero among them get here (text in UTF-8 or the
/// legacy encodings has none), and they are UTF-16 in a byte order when, read in it,
/// they are strictly valid, have lines (a line break is the unit `0x000A`, which read
/// in the other order is `0x0A00`), no control character but tab and line breaks (a
/// binary file's zeros make code units below U+0020), and look like prose as the
/// legacy encodings must ([`prose_score`]: the other order scatters rare characters).
/// ASCII text with a stray NUL is not taken for UTF-16: without its zeros it is valid
/// UTF-8, which UTF-16 text is only when it is ASCII, and then half its bytes are zero.
fn utf16_without_bom(bytes: &[u8]) -> Option<(String, &'static str)> {
    if bytes.len() < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let zeros = bytes.iter().filter(|&&b| b == 0).count();
    let without_zeros: Vec<u8> = bytes.iter().copied().filter(|&b| b != 0).collect();
    if zeros == 0 || (std::str::from_utf8(&without_zeros).is_ok() && zeros * 4 < bytes.len()) {
        return None;
    }
    [(UTF_16LE, "UTF-16LE"), (UTF_16BE, "UTF-16BE")]
        .into_iter()
        .filter_map(|(encoding, name)| {
            let text = encoding.decode_without_bom_handling_and_without_replacement(bytes)?;
            let has_lines = text.contains(['\n', '\r']);
            let controls = text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
            let score = prose_score(&text);
            (has_lines && !controls && score >= 900).then(|| (score, text.into_owned(), name))
        })
        .max_by_key(|(score, _, _)| *score)
        .map(|(_, text, name)| (text, name))
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
    fn utf16_without_a_bom_is_recognised_in_either_byte_order() {
        let p = Path::new("a.txt");
        // 一 (U+4E00) has a zero low byte: a zero in the other half of its code unit.
        let text = "一、再見，菲利克斯！\r\n發表論文 2024\n一一一";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let d = decode(&le, p).unwrap();
        assert_eq!((d.encoding, d.bom), ("UTF-16LE", false));
        assert_eq!(d.text, "一、再見，菲利克斯！\n發表論文 2024\n一一一");
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let d = decode(&be, p).unwrap();
        assert_eq!(d.encoding, "UTF-16BE");
        assert_eq!(d.text, "一、再見，菲利克斯！\n發表論文 2024\n一一一");
        // Paragraphs indented with ideographic spaces (U+3000: a zero in the other half
        // of the unit), and Latin text.
        for text in ["　　再見，菲利克斯！\r\n　　一一一最\r\n", "Felix Hill\n"] {
            for bytes in [
                text.encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect::<Vec<u8>>(),
                text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            ] {
                let d = decode(&bytes, p).unwrap();
                assert_eq!(d.text, text.replace("\r\n", "\n"));
            }
        }
    }

    #[test]
    fn binary_with_zeros_in_one_half_is_still_refused() {
        let p = Path::new("x.bin");
        // Zeros only at odd offsets, but code units below U+0020: not text.
        let units: Vec<u8> = (0u16..64).flat_map(|n| (n % 32).to_le_bytes()).collect();
        assert!(decode(&units, p)
            .unwrap_err()
            .to_string()
            .contains("binary"));
        // An odd length cannot be UTF-16.
        let mut odd: Vec<u8> = "再見\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        odd.push(b'a');
        assert!(decode(&odd, p).is_err());
        // Zeros in both halves alike.
        let mixed = [0u8, 0x41, 0x41, 0, 0, 0x41, 0x41, 0];
        assert!(decode(&mixed, p).is_err());
        // UTF-8 text with a stray NUL after a line break, aligned as UTF-16's `\n` is.
        let stray = "Felix Hill, ab\n\0".as_bytes();
        assert_eq!(stray.len() % 2, 0);
        assert!(decode(stray, p).unwrap_err().to_string().contains("NUL"));
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
