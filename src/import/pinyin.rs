//! Pinyin annotations: `發(fā)` → the character `發` carrying the reading `fā`.
//!
//! Takes a stretch of undamaged text and hands on [`Glyph`]s, each annotated
//! character with its reading kept as ruby data. Also finds the *damage markers*
//! (`?wù)`, `F(xiàn)`): annotations whose character was split by the damage, where
//! a garbled span starts or ends (see `notes/article-damage.md` §1).

use std::sync::OnceLock;

use regex::Regex;

use super::damage::Annotations;
use super::Glyph;

/// One syllable with exactly one tone mark, lower case.
const PY: &str = "[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*";

fn annotation_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(&format!(r"(\p{{Han}})\(({PY})\)")).expect("valid regex"))
}

fn marker_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(&format!(r"\?({PY})\)|([\x21-\x7E])\(({PY})\)")).expect("valid regex")
    })
}

fn syllable_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            "^(?:[bpmfdtnlgkhjqxrzcsyw]|[zcs]h)?(?:a(?:i|o|n|ng)?|o(?:u|ng)?|e(?:i|n|ng|r)?\
             |i(?:a(?:o|n|ng)?|e|u|n|ng|ong|o)?|u(?:a(?:i|n|ng)?|o|i|e|n)?|ü(?:e|n|an)?)$",
        )
        .expect("valid regex")
    })
}

/// Whether `reading` is one Mandarin syllable (so `café` is not a reading).
pub fn is_syllable(reading: &str) -> bool {
    let bare: String = reading
        .chars()
        .map(|c| match c {
            'ā' | 'á' | 'ǎ' | 'à' => 'a',
            'ē' | 'é' | 'ě' | 'è' => 'e',
            'ī' | 'í' | 'ǐ' | 'ì' => 'i',
            'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
            'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
            'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'ü',
            c => c,
        })
        .collect();
    syllable_re().is_match(&bare)
}

/// Adds every reading annotated in `text` to `table` (readings learned from the text).
pub fn learn(text: &str, table: &mut Annotations) {
    for c in annotation_re().captures_iter(text) {
        let (ch, reading) = (c[1].chars().next(), &c[2]);
        if let Some(ch) = ch {
            if is_syllable(reading) && table.reading(ch).is_none() {
                table.insert(ch, reading);
            }
        }
    }
}

/// What [`strip`] removed.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stripped {
    /// Annotations removed and kept as ruby.
    pub annotations: usize,
    /// Characters those annotations took (`(fā)` is 4).
    pub chars: usize,
}

/// Removes the annotations from undamaged text, keeping each reading as ruby.
pub fn strip(text: &str, counts: &mut Stripped) -> Vec<Glyph> {
    let mut glyphs = Vec::new();
    let mut pos = 0;
    for c in annotation_re().captures_iter(text) {
        let (Some(whole), Some(han), Some(reading)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        if !is_syllable(reading.as_str()) {
            continue;
        }
        glyphs.extend(text[pos..han.start()].chars().map(Glyph::plain));
        let ch = han.as_str().chars().next().unwrap_or('?');
        glyphs.push(Glyph {
            ruby: Some(reading.as_str().to_string()),
            ..Glyph::plain(ch)
        });
        counts.annotations += 1;
        counts.chars += text[han.end()..whole.end()].chars().count();
        pos = whole.end();
    }
    glyphs.extend(text[pos..].chars().map(Glyph::plain));
    glyphs
}

/// A damage marker: an annotation whose character the damage split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Byte range in the line, from the `?` or the ASCII byte to the `)`.
    pub start: usize,
    /// End of the marker (after its `)`).
    pub end: usize,
    /// The annotation's reading.
    pub reading: String,
    /// The ASCII byte before the annotation (`F` in `F(xiàn)`); `None` for `?wù)`.
    pub ascii: Option<u8>,
}

/// Every damage marker in `line`, in order.
pub fn markers(line: &str) -> Vec<Marker> {
    marker_re()
        .captures_iter(line)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let (reading, ascii) = match (c.get(1), c.get(2), c.get(3)) {
                (Some(r), _, _) => (r.as_str(), None),
                (None, Some(a), Some(r)) => (r.as_str(), a.as_str().bytes().next()),
                _ => return None,
            };
            is_syllable(reading).then(|| Marker {
                start: whole.start(),
                end: whole.end(),
                reading: reading.to_string(),
                ascii,
            })
        })
        .collect()
}

/// The marker that starts exactly at the beginning of `text`, if any.
pub fn marker_at(text: &str) -> Option<Marker> {
    markers(text).into_iter().next().filter(|m| m.start == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_annotations_but_not_real_parentheses() {
        let mut n = Stripped::default();
        let text = "希爾(Felix Hill)在內(nèi))，小型(5-10 人)團(tuán)隊";
        let glyphs = strip(text, &mut n);
        let plain: String = glyphs.iter().map(|g| g.ch).collect();
        assert_eq!(plain, "希爾(Felix Hill)在內)，小型(5-10 人)團隊");
        assert_eq!((n.annotations, n.chars), (2, 11));
        assert!(glyphs
            .iter()
            .any(|g| g.ch == '團' && g.ruby.as_deref() == Some("tuán")));
    }

    #[test]
    fn finds_both_kinds_of_damage_marker_and_rejects_non_syllables() {
        let found = markers("談?wù)撌悻F(xiàn)在 x(café)");
        let readings: Vec<_> = found
            .iter()
            .map(|m| (m.reading.as_str(), m.ascii))
            .collect();
        assert_eq!(readings, [("wù", None), ("xiàn", Some(b'F'))]);
        assert!(!is_syllable("café"));
    }
}
