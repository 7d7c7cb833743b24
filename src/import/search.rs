//! The candidate repairs of one garbled span, ranked by the language model.
//!
//! Takes a damaged line and the damage marker a span starts at; hands on the texts
//! that the forward damage model turns back into the garbled text exactly, each with
//! the byte pairs it assumes lost and its score (`docs/import.md` §4):
//! - [`walk`] rebuilds the byte stream the damaged decoder misread, with every place
//!   the span may end (an ASCII letter may be where decoding fell back in step, or a
//!   full-width letter the damage folded);
//! - [`inverse`] decodes a stream as it is: the mechanical inverse, no bytes lost;
//! - [`lost_pair_rivals`] asks whether assuming a lost byte pair at one character
//!   reads nearly as well as the inverse there, or better (the cheap test an inverse
//!   must pass);
//! - [`fillings`] searches, with a beam, for the texts that assume lost byte pairs
//!   anywhere in the stream, ranked by the language model.
//!
//! All of it is bounded ([`SPAN_BUDGET`], [`IMPORT_BUDGET`], counted in characters
//! scored, not in time, so the output never depends on the machine): a hostile article
//! gets spans marked without suggestions, never a long import.

use super::damage::{damage, decode_pair, encode_char, Annotations};
use super::lm::{Model, Scorer};
use super::pinyin::{marker_at, Marker};

/// The most places a span may end that are tried (ASCII letters, then a marker).
const MAX_ENDS: usize = 6;

/// The longest byte stream followed (300 characters of garbled text).
const MAX_STREAM: usize = 600;

/// The longest stream searched for lost bytes: 160 characters.
const MAX_FILL_STREAM: usize = 320;

/// Candidates kept at each step of the beam search.
const BEAM: usize = 12;

/// The log-probability cost of one lost byte pair: in out-of-step Traditional text
/// about one pair in six falls in GBK's user-defined areas and is dropped.
pub(crate) const LOST_PAIR: f64 = -1.7;

/// Characters one span's search may score: three times what the memorial's span of 7
/// lost pairs needs; about a tenth of a second in a release build.
pub(crate) const SPAN_BUDGET: usize = 100_000;

/// Characters the whole import may score on searches: a hostile article with thousands
/// of spans gets suggestions for the first ones, and the rest are only marked.
pub(crate) const IMPORT_BUDGET: usize = 400_000;

/// One place a span may end: the byte stream up to it, and where it is in the line.
#[derive(Debug, Clone)]
pub(crate) struct End {
    /// The clean text's bytes, from the lead byte the marker split off to the byte
    /// where decoding fell back in step.
    pub bytes: Vec<u8>,
    /// Where the span ends in the line (after the letter or the marker).
    pub end: usize,
}

/// The span a marker starts: the character before it (whose trail byte was split off),
/// where that character starts, and every place the span may end.
#[derive(Debug, Clone)]
pub(crate) struct Walk {
    /// The character before the marker.
    pub before: char,
    /// Where it starts in the line.
    pub before_start: usize,
    /// The places the span may end, nearest first.
    pub ends: Vec<End>,
}

/// Follows a `?py)` marker to every place decoding may have fallen back in step: an
/// ASCII letter (a trail byte), or another damage marker, which always ends it.
pub(crate) fn walk(line: &str, marker: &Marker, table: &Annotations) -> Option<Walk> {
    if marker.ascii.is_some() {
        return None; // `F(xiàn)` ends a span; it never starts one
    }
    let before = line[..marker.start].chars().next_back()?;
    let &[_, lead] = encode_char(before)?.as_slice() else {
        return None;
    };
    let split = table.code(table.find(&marker.reading, lead)?)?;
    let mut bytes = vec![split[1]];
    let mut ends = Vec::new();
    let mut pos = marker.end;
    while ends.len() < MAX_ENDS && bytes.len() < MAX_STREAM {
        let rest = &line[pos..];
        if let Some(next) = marker_at(rest) {
            let trail = match next.ascii {
                Some(b) => Some(b).filter(|b| (0x40..=0x7E).contains(b)),
                None => bytes
                    .last()
                    .and_then(|&last| table.find(&next.reading, last))
                    .and_then(|ch| table.code(ch))
                    .map(|code| code[1]),
            };
            if let Some(trail) = trail {
                let mut bytes = bytes.clone();
                bytes.push(trail);
                ends.push(End {
                    bytes,
                    end: pos + next.end,
                });
            }
            break; // a marker puts the decoder back in step, whatever came before
        }
        let Some(ch) = rest.chars().next() else { break };
        if ch.is_ascii() {
            let b = ch as u8;
            if (0x40..=0x7E).contains(&b) {
                let mut ended = bytes.clone();
                ended.push(b);
                ends.push(End {
                    bytes: ended,
                    end: pos + 1,
                });
            }
            // Or it was a full-width form (`Ｍ`, `，`) that the damage folded to ASCII,
            // read out of step from two characters: the span goes on.
            let wide = char::from_u32(u32::from(b) + 0xFEE0).filter(|_| (0x21..=0x7E).contains(&b));
            match wide.and_then(encode_char).as_deref() {
                Some(&[x, y]) => bytes.extend([x, y]),
                _ => break,
            }
            pos += 1;
            continue;
        }
        match encode_char(ch).as_deref() {
            Some(&[x, y]) => bytes.extend([x, y]),
            _ => break,
        }
        pos += ch.len_utf8();
        // A listed character read out of step keeps the annotation the damage put
        // after it: it belongs to the garbled text, not to the clean one.
        if let Some(reading) = table.reading(ch) {
            let annotation = format!("({reading})");
            if line[pos..].starts_with(&annotation) {
                pos += annotation.len();
            }
        }
    }
    Some(Walk {
        before,
        before_start: marker.start - before.len_utf8(),
        ends,
    })
}

/// The mechanical inverse of one end's stream: its bytes decoded in pairs, none lost.
pub(crate) fn inverse(end: &End) -> Option<String> {
    if !end.bytes.len().is_multiple_of(2) {
        return None;
    }
    end.bytes
        .chunks(2)
        .map(|pair| decode(pair[0], pair[1]))
        .collect()
}

/// Whether the damage model turns `text` (after the character before the marker) back
/// into the garbled text exactly.
pub(crate) fn verified(
    line: &str,
    walk: &Walk,
    end: usize,
    text: &str,
    table: &Annotations,
) -> bool {
    let mut clean = String::with_capacity(text.len() + 4);
    clean.push(walk.before);
    clean.push_str(text);
    damage(&clean, table) == line[walk.before_start..end]
}

/// One GBK pair as the clean text's character: a lead byte and a trail byte that decode
/// to an assigned character that encodes back to them.
fn decode(lead: u8, trail: u8) -> Option<char> {
    if !(0x81..=0xFE).contains(&lead) {
        return None;
    }
    let ch = decode_pair(lead, trail)?;
    (encode_char(ch).as_deref() == Some(&[lead, trail][..])).then_some(ch)
}

/// Whether the damaged decoder dropped the pair `a b` without a trace: both bytes are
/// ones a character can start with (so it was read as a pair), and the pair is in a
/// user-defined or unassigned area.
fn dropped(a: u8, b: u8) -> bool {
    (0x81..=0xFE).contains(&a) && (0x81..=0xFE).contains(&b) && decode_pair(a, b).is_none()
}

/// The first bytes of the pairs the decoder drops: GBK's user-defined and unassigned
/// codes all start with `A1`–`AF`, `D7` (`D7FA`–`D7FE`) or `F8`–`FE`. A test checks
/// that these are exactly the lead bytes that start a dropped pair (scanning them all
/// at run time would cost the import more than the rest of its repairs).
const DROP_LEADS: [u8; 23] = [
    0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF, 0xD7,
    0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE,
];

/// One half of a lost pair's two characters: the character and the lost pair's byte
/// in it.
type Half = (char, u8);

/// How many second halves of a lost pair the beam search tries at one place: the most
/// frequent characters (a second half that rare would not make a suggestion anyway).
const SECONDS: usize = 40;

/// The two characters a lost pair `a b` leaves in place of the inverse's `lead trail`:
/// `lead a` and `b trail`, each `(character, the lost pair's byte)`. The second halves
/// come most frequent first.
fn halves(model: &Model, lead: u8, trail: u8) -> (Vec<Half>, Vec<Half>) {
    let firsts: Vec<(char, u8)> = DROP_LEADS
        .iter()
        .filter_map(|&a| decode(lead, a).map(|x| (x, a)))
        .collect();
    let mut seconds: Vec<(f64, char, u8)> = (0x81..=0xFEu8)
        .filter_map(|b| decode(b, trail).map(|y| (model.single_score(y), y, b)))
        .collect();
    seconds.sort_by(|p, q| q.0.total_cmp(&p.0));
    (
        firsts,
        seconds.into_iter().map(|(_, y, b)| (y, b)).collect(),
    )
}

/// The decodes [`halves`] costs, in the units of the budget (scored characters).
fn halves_cost() -> usize {
    40
}

/// Whether assuming a lost byte pair at one character of an inverse reads nearly as
/// well as the inverse's character there, or better: less than `margin` below it.
/// `left` has scored the text before the character, `right` is what follows it (a few
/// characters).
pub(crate) fn lost_pair_rivals(
    left: &Scorer<'_>,
    pair: [u8; 2],
    ch: char,
    right: &[char],
    margin: f64,
    spent: &mut usize,
) -> bool {
    let finish = |mut s: Scorer<'_>, spent: &mut usize| {
        right.iter().for_each(|&c| s.push(c));
        *spent += right.len();
        s.score()
    };
    let mut kept = *left;
    kept.push(ch);
    let inverse = finish(kept, spent);
    let model = left.model();
    let (firsts, seconds) = halves(model, pair[0], pair[1]);
    *spent += halves_cost();
    // The best few first halves after the left text, the best few second halves before
    // the right text; then every pairing of those that is a dropped pair.
    let mut xs: Vec<(f64, char, u8)> = firsts
        .iter()
        .map(|&(x, a)| {
            let mut s = *left;
            s.push(x);
            (s.score(), x, a)
        })
        .collect();
    *spent += xs.len();
    let mut ys: Vec<(f64, char, u8)> = seconds
        .iter()
        .take(SECONDS)
        .map(|&(y, b)| {
            let mut s = Scorer::new(model);
            s.push(y);
            (finish(s, spent), y, b)
        })
        .collect();
    xs.sort_by(|p, q| q.0.total_cmp(&p.0));
    ys.sort_by(|p, q| q.0.total_cmp(&p.0));
    for &(_, x, a) in xs.iter().take(4) {
        for &(_, y, _) in ys.iter().filter(|&&(_, _, b)| dropped(a, b)).take(8) {
            let mut s = *left;
            s.push(x);
            s.push(y);
            *spent += 2;
            if finish(s, spent) + LOST_PAIR + margin > inverse {
                return true;
            }
        }
    }
    false
}

/// A candidate text of the beam search.
#[derive(Clone)]
struct State<'m> {
    scorer: Scorer<'m>,
    text: String,
    lost: Vec<[u8; 2]>,
    score: f64,
}

/// The texts a stream may stand for with lost byte pairs anywhere in it, best first:
/// a beam search over the stream's character places, each either the inverse's
/// character or two characters around one lost pair. `left` has scored the text
/// before the span; `right` is the text after the end. At most `limit` characters are
/// scored; `None` when the stream is too long or the limit ran out.
pub(crate) fn fillings(
    left: &Scorer<'_>,
    end: &End,
    right: &[char],
    spent: &mut usize,
    limit: usize,
) -> Option<Vec<(String, Vec<[u8; 2]>)>> {
    if !end.bytes.len().is_multiple_of(2) || end.bytes.len() > MAX_FILL_STREAM {
        return None;
    }
    let mut beam = vec![State {
        scorer: *left,
        text: String::new(),
        lost: Vec::new(),
        score: 0.0,
    }];
    let model = left.model();
    for pair in end.bytes.chunks(2) {
        let (lead, trail) = (pair[0], pair[1]);
        let (firsts, mut seconds) = halves(model, lead, trail);
        seconds.truncate(SECONDS);
        *spent += halves_cost();
        let mut next: Vec<State<'_>> = Vec::new();
        let mut halfway: Vec<(State<'_>, u8)> = Vec::new();
        for state in &beam {
            if let Some(ch) = decode(lead, trail) {
                let mut s = state.clone();
                s.scorer.push(ch);
                s.text.push(ch);
                s.score = s.scorer.score() + LOST_PAIR * s.lost.len() as f64;
                next.push(s);
            }
            for &(x, a) in &firsts {
                let mut s = state.clone();
                s.scorer.push(x);
                s.text.push(x);
                s.score = s.scorer.score();
                halfway.push((s, a));
            }
            *spent += 1 + firsts.len();
        }
        halfway.sort_by(|p, q| q.0.score.total_cmp(&p.0.score));
        halfway.truncate(BEAM * 2);
        for (state, a) in &halfway {
            for &(y, b) in seconds.iter().filter(|&&(_, b)| dropped(*a, b)) {
                let mut s = state.clone();
                s.scorer.push(y);
                s.text.push(y);
                s.lost.push([*a, b]);
                s.score = s.scorer.score() + LOST_PAIR * s.lost.len() as f64;
                next.push(s);
                *spent += 1;
            }
        }
        if *spent > limit {
            return None;
        }
        next.sort_by(|p, q| q.score.total_cmp(&p.score));
        next.dedup_by(|p, q| p.text == q.text);
        next.truncate(BEAM);
        beam = next;
    }
    for state in &mut beam {
        right.iter().for_each(|&c| state.scorer.push(c));
        *spent += right.len();
        state.score = state.scorer.score() + LOST_PAIR * state.lost.len() as f64;
    }
    beam.sort_by(|p, q| q.score.total_cmp(&p.score));
    Some(beam.into_iter().map(|s| (s.text, s.lost)).collect())
}

/// The score of a whole window of text, for ranking candidates of different ends on
/// the same footing.
pub(crate) fn score_text(left: &Scorer<'_>, text: &str, right: &[char], lost: usize) -> f64 {
    let mut s = *left;
    s.push_str(text);
    right.iter().for_each(|&c| s.push(c));
    s.score() + LOST_PAIR * lost as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dropped_pairs_start_only_with_the_bytes_scanned() {
        let all: Vec<u8> = (0x81..=0xFEu8)
            .filter(|&a| (0x81..=0xFEu8).any(|b| dropped(a, b)))
            .collect();
        assert_eq!(all, DROP_LEADS);
        // The memorial's seven lost pairs are all dropped ones.
        for [a, b] in [[0xA7, 0x81], [0xFB, 0xB5], [0xFE, 0xCA], [0xAE, 0xD2]] {
            assert!(dropped(a, b));
        }
    }
}
