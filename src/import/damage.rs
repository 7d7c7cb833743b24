//! The forward damage model: how a clean article became the damaged text.
//!
//! Takes clean text (full-width punctuation, Traditional characters) and hands on the
//! text as the broken pipeline produced it. The importer uses it to *verify* every
//! repair (the corrected text, pushed through the model, must give back the garbled
//! text exactly), and the tests use it to damage articles they construct.
//!
//! The model (`docs/import.md` §2, which also tells how the damage happened):
//! 1. encode as GBK; a character GBK cannot encode becomes `?`;
//! 2. insert ASCII `(pinyin)` after every 2-byte GBK code of the *listed characters*,
//!    scanning bytes left to right and ignoring character boundaries;
//! 3. decode pair by pair: a lead byte followed by a non-trail byte becomes one `?`
//!    (both bytes consumed); user-defined or unassigned pairs are dropped;
//! 4. fold U+FF01–FF5E to ASCII.

use std::collections::HashMap;

use encoding_rs::GBK;

/// The listed characters and the one reading each was always annotated with.
///
/// These 52 are a property of the damage process, observed on the first article:
/// 51 appear annotated in its text and `執` (zhí) only as a split code inside a
/// garbled span. The importer also learns readings from the text it imports.
const LISTED: &[(char, &str)] = &[
    ('發', "fā"),
    ('風', "fēng"),
    ('進', "jìn"),
    ('學', "xué"),
    ('現', "xiàn"),
    ('關', "guān"),
    ('創', "chuàng"),
    ('業', "yè"),
    ('負', "fù"),
    ('復', "fù"),
    ('經', "jīng"),
    ('環', "huán"),
    ('機', "jī"),
    ('區', "qū"),
    ('嚴', "yán"),
    ('數', "shù"),
    ('據', "jù"),
    ('術', "shù"),
    ('聯', "lián"),
    ('紀', "jì"),
    ('導', "dǎo"),
    ('當', "dāng"),
    ('統', "tǒng"),
    ('達', "dá"),
    ('應', "yīng"),
    ('內', "nèi"),
    ('態', "tài"),
    ('認', "rèn"),
    ('設', "shè"),
    ('產', "chǎn"),
    ('領', "lǐng"),
    ('轉', "zhuǎn"),
    ('醫', "yī"),
    ('戰', "zhàn"),
    ('習', "xí"),
    ('礎', "chǔ"),
    ('結', "jié"),
    ('準', "zhǔn"),
    ('強', "qiáng"),
    ('規', "guī"),
    ('訓', "xùn"),
    ('質', "zhì"),
    ('擔', "dān"),
    ('團', "tuán"),
    ('續', "xù"),
    ('構', "gòu"),
    ('預', "yù"),
    ('網', "wǎng"),
    ('養', "yǎng"),
    ('絡', "luò"),
    ('務', "wù"),
    ('執', "zhí"),
];

/// The annotated characters: each listed character with its reading and GBK code.
#[derive(Debug, Clone)]
pub struct Annotations {
    reading: HashMap<char, String>,
    by_code: HashMap<[u8; 2], char>,
}

impl Annotations {
    /// The characters the damage process is known to annotate.
    pub fn builtin() -> Annotations {
        let mut table = Annotations {
            reading: HashMap::new(),
            by_code: HashMap::new(),
        };
        for &(ch, reading) in LISTED {
            table.insert(ch, reading);
        }
        table
    }

    /// Adds a character learned from the text; returns false if GBK cannot encode it
    /// as a 2-byte code (then the model could never have annotated it).
    pub fn insert(&mut self, ch: char, reading: &str) -> bool {
        match encode_char(ch).as_deref() {
            Some(&[a, b]) => {
                self.reading.insert(ch, reading.to_string());
                self.by_code.insert([a, b], ch);
                true
            }
            _ => false,
        }
    }

    /// The reading of a listed character.
    pub fn reading(&self, ch: char) -> Option<&str> {
        self.reading.get(&ch).map(String::as_str)
    }

    /// The listed character with this reading whose GBK code starts with `lead`.
    pub fn find(&self, reading: &str, lead: u8) -> Option<char> {
        let mut found = self
            .by_code
            .iter()
            .filter(|(code, ch)| code[0] == lead && self.reading(**ch) == Some(reading));
        let first = found.next().map(|(_, ch)| *ch);
        // Two candidates would make the inverse a guess: refuse.
        if found.next().is_some() {
            return None;
        }
        first
    }

    /// The GBK code of a listed character.
    pub fn code(&self, ch: char) -> Option<[u8; 2]> {
        match encode_char(ch).as_deref() {
            Some(&[a, b]) if self.reading.contains_key(&ch) => Some([a, b]),
            _ => None,
        }
    }
}

/// The GBK bytes of one character, or `None` if GBK cannot encode it.
pub fn encode_char(ch: char) -> Option<Vec<u8>> {
    let mut buf = [0u8; 4];
    let (bytes, _, had_errors) = GBK.encode(ch.encode_utf8(&mut buf));
    (!had_errors).then(|| bytes.into_owned())
}

/// Pushes clean text through the whole damage model.
pub fn damage(clean: &str, table: &Annotations) -> String {
    fold_fullwidth(&decode_pairs(&annotated_bytes(clean, table)))
}

/// The byte pairs the damaging decoder dropped without a trace (user-defined or
/// unassigned GBK codes) when it damaged `clean`: what no inverse can recover.
pub fn lost_pairs(clean: &str, table: &Annotations) -> Vec<[u8; 2]> {
    let bytes = annotated_bytes(clean, table);
    let mut lost = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x81 || b == 0xFF {
            i += 1;
            continue;
        }
        if let Some(&t) = bytes.get(i + 1) {
            if is_trail(t) && decode_pair(b, t).is_none() {
                lost.push([b, t]);
            }
        }
        i += 2;
    }
    lost
}

/// Steps 1 and 2 of the model: clean text as GBK bytes with the readings inserted.
fn annotated_bytes(clean: &str, table: &Annotations) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(clean.len() * 2);
    for ch in clean.chars() {
        match encode_char(ch) {
            Some(b) => bytes.extend_from_slice(&b),
            None => bytes.push(b'?'),
        }
    }
    let mut inserted = Vec::with_capacity(bytes.len() * 2);
    let mut i = 0;
    while i < bytes.len() {
        if let Some(&[a, b]) = bytes.get(i..i + 2) {
            if let Some(ch) = table.by_code.get(&[a, b]) {
                inserted.extend_from_slice(&[a, b]);
                for c in format!("({})", table.reading(*ch).unwrap_or_default()).chars() {
                    inserted.extend(encode_char(c).unwrap_or_else(|| vec![b'?']));
                }
                i += 2;
                continue;
            }
        }
        inserted.push(bytes[i]);
        i += 1;
    }
    inserted
}

/// Decodes GBK bytes pair by pair as the damaging decoder did (steps 3 of the model).
///
/// `encoding_rs` cannot stand in for it: it yields `"�("` for `D5 28`, where the old
/// decoder consumed both bytes as one `?`, and it maps user-defined pairs to the
/// Private Use Area, where the old decoder dropped them.
pub(crate) fn decode_pairs(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            out.push(char::from(b));
            i += 1;
        } else if b == 0x80 {
            out.push('€');
            i += 1;
        } else if b == 0xFF {
            out.push('?');
            i += 1;
        } else {
            match bytes.get(i + 1) {
                Some(&t) if is_trail(t) => {
                    if let Some(ch) = decode_pair(b, t) {
                        out.push(ch);
                    }
                }
                _ => out.push('?'),
            }
            i += 2;
        }
    }
    out
}

/// One 2-byte GBK code as a character; `None` for unassigned or user-defined pairs.
pub(crate) fn decode_pair(lead: u8, trail: u8) -> Option<char> {
    let pair = [lead, trail];
    let text = GBK.decode_without_bom_handling_and_without_replacement(&pair)?;
    let mut chars = text.chars();
    let ch = chars.next()?;
    let private = ('\u{E000}'..='\u{F8FF}').contains(&ch);
    (chars.next().is_none() && !private).then_some(ch)
}

/// Whether a byte can follow a GBK lead byte.
pub(crate) fn is_trail(b: u8) -> bool {
    (0x40..=0x7E).contains(&b) || (0x80..=0xFE).contains(&b)
}

/// Folds full-width forms U+FF01–FF5E to ASCII (step 4; not NFKC: `⒉` survives).
pub(crate) fn fold_fullwidth(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_straddling_two_characters_garbles_until_realigned() {
        let table = Annotations::builtin();
        let clean = "談論是什么讓人工智能研究充滿壓力";
        assert_eq!(damage(clean, &table), "談?wù)撌鞘裁醋屓斯ぶ悄苎芯砍錆M壓力");
        assert_eq!(damage("請提供經驗", &table), "請?zhí)峁┙?jīng)驗");
    }

    #[test]
    fn listed_characters_get_their_reading_and_others_do_not() {
        let table = Annotations::builtin();
        assert_eq!(damage("發表，2,000！", &table), "發(fā)表,2,000!");
        assert_eq!(table.find("wù", 0x84), Some('務'));
    }

    #[test]
    fn lost_pairs_are_the_ones_the_decoder_dropped() {
        let table = Annotations::builtin();
        // 我|帶 split as 規; read out of step, 帶|來 is `A7 81`, a user-defined code.
        assert_eq!(lost_pairs("給我帶來", &table), [[0xA7, 0x81]]);
        assert!(lost_pairs("談論是什么", &table).is_empty());
    }
}
