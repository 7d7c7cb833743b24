//! Pinyin annotations: `發(fā)` → the character `發` carrying the reading `fā`.
//!
//! Takes a stretch of undamaged text and hands on [`Glyph`]s, each annotated
//! character with its reading kept as ruby data. Also finds the *damage markers*
//! (`?wù)`, `F(xiàn)`): annotations whose character was split by the damage, where
//! a garbled span starts or ends (see `docs/import.md` §3).

use super::damage::Annotations;
use super::Glyph;
use crate::han::is_han_script;

// The annotations and markers were found with regular expressions (`(\p{Han})\((PY)\)`
// and `\?(PY)\)|([\x21-\x7E])\((PY)\)`, PY being one syllable with exactly one tone
// mark). Compiling and running them cost more than the rest of the import, so the
// functions below scan for them by hand and find exactly the same matches.

/// The vowels with a tone mark: a reading has exactly one of them.
const TONED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";

/// The reading at the start of `text` (letters `a`–`z` and `ü` around exactly one
/// toned vowel) when a `)` follows it; returns the reading and its length with the `)`.
fn reading_then_paren(text: &str) -> Option<(&str, usize)> {
    let len = text
        .find(|c: char| !(c.is_ascii_lowercase() || c == 'ü' || TONED.contains(c)))
        .unwrap_or(text.len());
    let reading = &text[..len];
    let tones = reading.chars().filter(|&c| TONED.contains(c)).count();
    (tones == 1 && text[len..].starts_with(')')).then_some((reading, len + 1))
}

/// The initials a syllable may start with (`zh`, `ch`, `sh` before the single letters).
const INITIALS: &[&str] = &[
    "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r",
    "z", "c", "s", "y", "w",
];

/// The finals a syllable may end with, tone marks removed.
const FINALS: &[&str] = &[
    "a", "ai", "ao", "an", "ang", "o", "ou", "ong", "e", "ei", "en", "eng", "er", "i", "ia", "iao",
    "ian", "iang", "ie", "iu", "in", "ing", "iong", "io", "u", "ua", "uai", "uan", "uang", "uo",
    "ui", "ue", "un", "ü", "üe", "ün", "üan",
];

/// Whether `reading` is one Mandarin syllable (so `café` is not a reading): an
/// optional initial, then a final.
pub(crate) fn is_syllable(reading: &str) -> bool {
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
    let is_final = |rest: &str| FINALS.contains(&rest);
    is_final(&bare)
        || INITIALS
            .iter()
            .any(|initial| bare.strip_prefix(initial).is_some_and(is_final))
}

/// One annotation `發(fā)` found in a text, by byte offsets.
struct Annotation<'t> {
    /// Where the annotated Han character starts.
    start: usize,
    /// Where the `(` starts (just after the character).
    open: usize,
    /// Just after the `)`.
    end: usize,
    /// The reading between the parentheses.
    reading: &'t str,
}

/// Every annotation (a Han character, then a reading in ASCII parentheses) in `text`,
/// left to right, none overlapping: what `(\p{Han})\((PY)\)` matched.
fn annotations(text: &str) -> impl Iterator<Item = Annotation<'_>> {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(found) = text[from..].find('(') {
            let open = from + found;
            let han = text[..open]
                .chars()
                .next_back()
                .filter(|&c| is_han_script(c));
            // The character must not be part of the previous annotation either.
            let start = han
                .map(|c| open - c.len_utf8())
                .filter(|&start| start >= from);
            if let Some(start) = start {
                if let Some((reading, len)) = reading_then_paren(&text[open + 1..]) {
                    from = open + 1 + len;
                    return Some(Annotation {
                        start,
                        open,
                        end: from,
                        reading,
                    });
                }
            }
            from = open + 1;
        }
        None
    })
}

/// Adds every reading annotated in `text` to `table` (readings learned from the text).
pub(crate) fn learn(text: &str, table: &mut Annotations) {
    for a in annotations(text) {
        let ch = text[a.start..a.open].chars().next();
        if let Some(ch) = ch {
            if is_syllable(a.reading) && table.reading(ch).is_none() {
                table.insert(ch, a.reading);
            }
        }
    }
}

/// What [`strip`] removed.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Stripped {
    /// Annotations removed and kept as ruby.
    pub annotations: usize,
    /// Characters those annotations took (`(fā)` is 4).
    pub chars: usize,
}

/// Removes the annotations from undamaged text, keeping each reading as ruby.
pub(crate) fn strip(text: &str, counts: &mut Stripped) -> Vec<Glyph> {
    let mut glyphs = Vec::new();
    let mut pos = 0;
    for a in annotations(text) {
        if !is_syllable(a.reading) {
            continue;
        }
        glyphs.extend(text[pos..a.start].chars().map(Glyph::plain));
        let ch = text[a.start..a.open].chars().next().unwrap_or('?');
        glyphs.push(Glyph {
            ruby: Some(a.reading.to_string()),
            ..Glyph::plain(ch)
        });
        counts.annotations += 1;
        counts.chars += text[a.open..a.end].chars().count();
        pos = a.end;
    }
    glyphs.extend(text[pos..].chars().map(Glyph::plain));
    glyphs
}

/// A damage marker: an annotation whose character the damage split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    /// Byte range in the line, from the `?` or the ASCII byte to the `)`.
    pub start: usize,
    /// End of the marker (after its `)`).
    pub end: usize,
    /// The annotation's reading.
    pub reading: String,
    /// The ASCII byte before the annotation (`F` in `F(xiàn)`); `None` for `?wù)`.
    pub ascii: Option<u8>,
}

/// The damage marker starting at byte `at` of `line`, if one does, whether or not its
/// reading is a syllable: `?` + reading + `)`, or else an ASCII character other than a
/// space + `(` + reading + `)`.
fn marker_match_at(line: &str, at: usize) -> Option<Marker> {
    let first = *line.as_bytes().get(at)?;
    if !(0x21..=0x7E).contains(&first) {
        return None; // both kinds start with a printable ASCII byte
    }
    if first == b'?' {
        if let Some((reading, len)) = reading_then_paren(&line[at + 1..]) {
            return Some(Marker {
                start: at,
                end: at + 1 + len,
                reading: reading.to_string(),
                ascii: None,
            });
        }
    }
    let rest = line[at + 1..].strip_prefix('(')?;
    let (reading, len) = reading_then_paren(rest)?;
    Some(Marker {
        start: at,
        end: at + 2 + len,
        reading: reading.to_string(),
        ascii: Some(first),
    })
}

/// Every damage marker in `line`, in order.
pub(crate) fn markers(line: &str) -> Vec<Marker> {
    let mut found = Vec::new();
    if !line.contains(')') {
        return found; // every marker ends with one: most lines are done here
    }
    let mut at = 0;
    while at < line.len() {
        match marker_match_at(line, at) {
            // A match that is not a syllable is still passed over whole, as a pattern
            // search would: no marker starts inside it.
            Some(marker) => {
                at = marker.end;
                if is_syllable(&marker.reading) {
                    found.push(marker);
                }
            }
            None => at += 1,
        }
    }
    found
}

/// The marker that starts exactly at the beginning of `text`, if any.
pub(crate) fn marker_at(text: &str) -> Option<Marker> {
    marker_match_at(text, 0).filter(|m| is_syllable(&m.reading))
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

    /// The scans find exactly what the patterns they replaced found.
    #[test]
    fn scans_match_the_patterns_they_replaced() {
        use regex::Regex;
        const PY: &str = "[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*";
        let annotation = Regex::new(&format!(r"(\p{{Han}})\(({PY})\)")).unwrap();
        let marker = Regex::new(&format!(r"\?({PY})\)|([\x21-\x7E])\(({PY})\)")).unwrap();
        let syllable = Regex::new(
            "^(?:[bpmfdtnlgkhjqxrzcsyw]|[zcs]h)?(?:a(?:i|o|n|ng)?|o(?:u|ng)?|e(?:i|n|ng|r)?\
             |i(?:a(?:o|n|ng)?|e|u|n|ng|ong|o)?|u(?:a(?:i|n|ng)?|o|i|e|n)?|ü(?:e|n|an)?)$",
        )
        .unwrap();
        for text in crate::import::chars::sample_texts(30_000) {
            let found: Vec<_> = annotations(&text)
                .map(|a| (a.start, a.open, a.end, a.reading))
                .collect();
            let expected: Vec<_> = annotation
                .captures_iter(&text)
                .map(|c| {
                    (
                        c[0].len(),
                        c.get(0).unwrap(),
                        c.get(1).unwrap(),
                        c.get(2).unwrap(),
                    )
                })
                .map(|(_, whole, han, reading)| {
                    (whole.start(), han.end(), whole.end(), reading.as_str())
                })
                .collect();
            assert_eq!(found, expected, "{text:?}");
            let expected: Vec<_> = marker
                .captures_iter(&text)
                .filter_map(|c| {
                    let reading = c.get(1).or(c.get(3)).unwrap().as_str();
                    let ascii = c.get(2).map(|a| a.as_str().as_bytes()[0]);
                    let whole = c.get(0).unwrap();
                    is_syllable(reading)
                        .then(|| (whole.start(), whole.end(), reading.to_string(), ascii))
                })
                .collect();
            let found: Vec<_> = markers(&text)
                .into_iter()
                .map(|m| (m.start, m.end, m.reading, m.ascii))
                .collect();
            assert_eq!(found, expected, "{text:?}");
            let first = expected.first().filter(|m| m.0 == 0).cloned();
            let at = marker_at(&text).map(|m| (m.start, m.end, m.reading, m.ascii));
            assert_eq!(at, first, "{text:?}");
        }
        // Every string of up to five letters a syllable can have.
        let letters = [
            'a', 'e', 'i', 'o', 'u', 'ü', 'n', 'g', 'h', 'z', 'c', 's', 'r', 'x', 'w',
        ];
        let mut words = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = words
                .iter()
                .flat_map(|w| letters.iter().map(move |l| format!("{w}{l}")))
                .collect();
            for w in &longer {
                assert_eq!(is_syllable(w), syllable.is_match(w), "{w:?}");
            }
            words = longer;
        }
    }
}
