//! What a site needs to know about an article before anything is written: the language
//! and script it is in, the person it remembers, its heading, publisher and sections.
//!
//! `lectern new --article` configures a new site from a [`Profile`], and every import
//! compares the site's `language` with the article's (see [`super::site_language`]).
//! The article is read the way the import reads it (decode, repair, restore, structure),
//! so a damaged article is judged by the text its readers will see: a garbled span
//! nothing could repair is left out, as its characters are noise from the wrong
//! encoding, not the article's script.

use std::path::Path;

use super::damage::Annotations;
use super::structure::{self, Block, Page};
use super::{decode, pinyin, report::rule, Glyph, ARTICLE};
use crate::conversion::Conversion;
use crate::error::Result;
use crate::han::is_han;
use crate::input;
use crate::language::ChineseScript;

/// What `lectern new --article` learns from an article.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    /// The article's bytes, exactly as read (the new site keeps its own copy).
    pub bytes: Vec<u8>,
    /// The encoding the import detected, e.g. `GB18030`.
    pub encoding: &'static str,
    /// The language and script it is written in.
    pub language: Detected,
    /// The person it remembers, when it names one the way such articles do.
    pub person: Option<Person>,
    /// Its own heading (the tribute heading), without quotation marks.
    pub heading: Option<String>,
    /// Who published it: the source line's name (`來源丨機器之心` → `機器之心`).
    pub publisher: Option<String>,
    /// The section headings of its blog, in order, each with the file name (without
    /// `.md`) the import gives its page.
    pub sections: Vec<(String, String)>,
    /// How many garbled spans no rule could repair.
    pub unrepaired: usize,
}

/// A person as such articles name them: `菲利克斯·希爾（Felix Hill）`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    /// The name in Chinese, `菲利克斯·希爾`.
    pub name: String,
    /// The name in Latin letters, `Felix Hill`.
    pub latin: String,
}

/// What a text is written in, as far as lectern can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// Chinese, in one of its scripts.
    Chinese(ChineseScript),
    /// Japanese (kana among the Han characters).
    Japanese,
    /// Korean (Hangul).
    Korean,
    /// Anything else: lectern cannot tell which language.
    Other,
}

/// The language of a text and the counts it was decided by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Detected {
    /// The decision.
    pub written: Written,
    /// Han characters counted.
    han: usize,
    /// Han characters the conversion to Simplified changed: Traditional-only ones.
    traditional: usize,
    /// Han characters the conversion to Traditional changed: Simplified-only ones.
    simplified: usize,
    /// Letters of other scripts (Latin, Cyrillic, …).
    letters: usize,
}

impl Detected {
    /// The language tag a site in this language sets (`zh-Hant`, `zh-Hans`, `ja`,
    /// `ko`); `en` for a language lectern cannot tell, as a guess to be corrected.
    pub fn tag(&self) -> &'static str {
        match self.written {
            Written::Chinese(ChineseScript::Traditional) => "zh-Hant",
            Written::Chinese(ChineseScript::Simplified) => "zh-Hans",
            Written::Japanese => "ja",
            Written::Korean => "ko",
            Written::Other => "en",
        }
    }

    /// The language in words, for messages: `Chinese in Traditional characters`.
    pub fn describe(&self) -> &'static str {
        match self.written {
            Written::Chinese(ChineseScript::Traditional) => "Chinese in Traditional characters",
            Written::Chinese(ChineseScript::Simplified) => "Chinese in Simplified characters",
            Written::Japanese => "Japanese",
            Written::Korean => "Korean",
            Written::Other => "not Chinese: lectern cannot tell which language, `en` is a guess",
        }
    }

    /// Whether the text says clearly enough what it is written in to warn about a
    /// site whose language disagrees: a few lines of Chinese can be in characters both
    /// scripts share, and a short text proves nothing.
    pub fn is_clear(&self) -> bool {
        match self.written {
            Written::Chinese(_) => {
                let (more, less) = if self.traditional >= self.simplified {
                    (self.traditional, self.simplified)
                } else {
                    (self.simplified, self.traditional)
                };
                // A machine-converted article keeps a little of the other script (于,
                // 并, 后 in a Traditional text): a clear majority still decides.
                self.han >= 20 && more >= 5 && more >= 3 * less
            }
            Written::Japanese | Written::Korean => self.han + self.letters >= 20,
            Written::Other => self.letters >= 100,
        }
    }
}

/// Decides what `paragraphs` are written in: Japanese when kana make up a tenth of the
/// Japanese-and-Han characters, Korean when Hangul outnumbers Han, Chinese when Han
/// characters are at least a quarter as many as other letters (a Latin word counts
/// several letters, a Chinese word one or two characters), and its script by OpenCC's
/// tables: the characters converting to Simplified changes are Traditional-only, those
/// converting to Traditional changes Simplified-only, and the more numerous decide (a
/// tie, as in text of shared characters only, is Traditional, lectern's default). The
/// script is decided on the first [`SAMPLE_HAN`] Han characters.
pub(crate) fn detect(paragraphs: &[String]) -> Detected {
    let (mut han, mut kana, mut hangul, mut letters) = (0, 0, 0, 0);
    for c in paragraphs.iter().flat_map(|p| p.chars()) {
        match c {
            c if is_han(c) => han += 1,
            // Kana, without the middle dot and the prolonged sound mark, which Chinese
            // text borrows (`・` for a name's dot).
            '\u{3041}'..='\u{30FA}' | '\u{31F0}'..='\u{31FF}' => kana += 1,
            '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' => hangul += 1,
            c if c.is_alphabetic() => letters += 1,
            _ => {}
        }
    }
    let mut detected = Detected {
        written: Written::Other,
        han,
        traditional: 0,
        simplified: 0,
        letters: letters + kana + hangul,
    };
    if kana >= 5 && kana * 10 >= kana + han {
        detected.written = Written::Japanese;
    } else if hangul >= 5 && hangul > han {
        detected.written = Written::Korean;
    } else if han > 0 && han * 4 >= letters {
        // The first few thousand characters tell the script as well as a book would,
        // and the conversion's cost stays that of a short article.
        let mut sampled = 0;
        let sample: Vec<String> = paragraphs
            .iter()
            .take_while(|p| {
                let more = sampled < SAMPLE_HAN;
                sampled += p.chars().filter(|&c| is_han(c)).count();
                more
            })
            .cloned()
            .collect();
        let sample_han = sampled.min(han);
        detected.traditional = changed(&sample, Conversion::ToSimplified);
        // Traditional text has a Traditional-only character in every few (a quarter
        // of the memorial's), Simplified text almost none. Only when that does not
        // settle it are the other direction's tables loaded and run: a build of a
        // Traditional site converts to Simplified anyway.
        if detected.traditional * 10 < sample_han {
            detected.simplified = changed(&sample, Conversion::ToTraditional);
        }
        let script = if detected.simplified > detected.traditional {
            ChineseScript::Simplified
        } else {
            ChineseScript::Traditional
        };
        detected.written = Written::Chinese(script);
    }
    detected
}

/// How many Han characters [`detect`] converts, at most (a paragraph more).
const SAMPLE_HAN: usize = 4000;

/// How many Han characters of `paragraphs` `conversion` changes, counted position by
/// position; a paragraph whose length the phrase tables changed is skipped, as its
/// positions no longer line up.
fn changed(paragraphs: &[String], conversion: Conversion) -> usize {
    paragraphs
        .iter()
        .filter(|p| p.chars().any(is_han))
        .map(|p| {
            let converted = conversion.convert(p);
            if converted.chars().count() != p.chars().count() {
                return 0;
            }
            p.chars()
                .zip(converted.chars())
                .filter(|&(a, b)| a != b && is_han(a))
                .count()
        })
        .sum()
}

/// The text readers will see, paragraph by paragraph, without the garbled spans nothing
/// repaired.
pub(crate) fn reader_text(pages: &[Page]) -> Vec<String> {
    let clean = |glyphs: &[Glyph]| -> String {
        glyphs.iter().filter(|g| !g.damaged).map(|g| g.ch).collect()
    };
    let mut out = Vec::new();
    for page in pages {
        if page.title_from_article {
            out.push(clean(&page.title_glyphs));
        }
        for block in &page.blocks {
            match block {
                Block::Para(g) | Block::Heading(g) | Block::Small(g) => out.push(clean(g)),
                Block::Quote(ps) => out.extend(ps.iter().map(|p| clean(p))),
            }
        }
    }
    out
}

/// Reads and profiles the article at `path` (shown in errors as given): refused, with
/// an error naming the file, when it is missing, not a regular file, larger than an
/// article may be, binary or undecodable, exactly as `lectern import` refuses it.
pub(crate) fn profile(path: &Path) -> Result<Profile> {
    let bytes = input::read_file(path, path, &ARTICLE)?;
    let decoded = decode::decode(&bytes, path)?;
    let mut table = Annotations::builtin();
    pinyin::learn(&decoded.text, &mut table);
    let (pages, report) = super::convert(&decoded, &table, None, path);
    let lines: Vec<String> = reader_text(&pages);
    let sections = pages
        .iter()
        .filter_map(|p| {
            let stem = p.file.strip_prefix("blog/")?.strip_suffix(".md")?;
            p.title_from_article
                .then(|| (p.title.clone(), stem.to_string()))
        })
        .collect();
    Ok(Profile {
        encoding: decoded.encoding,
        language: detect(&lines),
        person: person(report.clean_lines()),
        heading: structure::tribute_heading(report.clean_lines()),
        publisher: pages.first().and_then(|p| p.source.clone()),
        sections,
        unrepaired: report.hits(rule::MARKED),
        bytes,
    })
}

/// The person an article remembers, found as such articles name a foreign person: the
/// name transliterated, its parts joined by `·`, then the original in parentheses,
/// `菲利克斯·希爾（Felix Hill）`. Of several such names, the one the heading names wins,
/// else the one whose family name the text repeats most, else the first.
pub(crate) fn person(lines: &[String]) -> Option<Person> {
    let text = lines.join("\n");
    let heading = structure::tribute_heading(lines).unwrap_or_default();
    let mut found: Vec<Person> = Vec::new();
    for (dot, _) in text.match_indices('·') {
        if let Some(person) = named_at(&text, dot) {
            if !found.contains(&person) {
                found.push(person);
            }
        }
    }
    let parts = |p: &Person| -> Vec<String> { p.name.split('·').map(str::to_string).collect() };
    if let Some(named) = found
        .iter()
        .find(|p| parts(p).iter().any(|part| heading.contains(part.as_str())))
    {
        return Some(named.clone());
    }
    // The most mentioned; `max_by_key` keeps the last of equals, so go in reverse to
    // keep the first.
    found
        .iter()
        .rev()
        .max_by_key(|p| {
            let family = parts(p).pop().unwrap_or_default();
            text.matches(family.as_str()).count()
        })
        .cloned()
}

/// The name whose dot is at byte `dot` of `text`, when a Latin name in parentheses
/// follows its family name.
fn named_at(text: &str, dot: usize) -> Option<Person> {
    let after = &text[dot + '·'.len_utf8()..];
    let family_len: usize = after
        .chars()
        .take_while(|&c| is_han(c))
        .map(char::len_utf8)
        .sum();
    let family = &after[..family_len];
    if !(1..=8).contains(&family.chars().count()) {
        return None;
    }
    let rest = after[family_len..].strip_prefix(['（', '('])?;
    let close = rest.find(['）', ')'])?;
    let latin = &rest[..close];
    let latin_ok = latin.starts_with(|c: char| c.is_ascii_uppercase())
        && latin.len() >= 3
        && latin
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '.' | '-' | '\''));
    if !latin_ok {
        return None;
    }
    let given = given_name(text, dot)?;
    Some(Person {
        name: format!("{given}·{family}"),
        latin: latin.to_string(),
    })
}

/// The given name before the dot at byte `dot`. The Han characters before it may run
/// on from the words before the name (`研究科學家菲利克斯·希爾`), so the name is the
/// longest end of that run that the text also writes on its own, after something that
/// is not Han (`，菲利克斯`, `「再見，艾達！」`); with no such evidence, the whole run
/// when it is short enough to be a name alone (at most four characters), else nothing.
fn given_name(text: &str, dot: usize) -> Option<String> {
    let before = &text[..dot];
    let run_start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_han(c))
        .last()
        .map(|(i, _)| i)?;
    let run = &before[run_start..];
    // Every end of the run, longest first.
    let mut ends: Vec<usize> = run.char_indices().map(|(i, _)| i).collect();
    ends.sort_unstable();
    for start in ends {
        let candidate = &run[start..];
        // One character is too little to recognise a name by.
        if candidate.chars().count() < 2 {
            continue;
        }
        let elsewhere = text.match_indices(candidate).any(|(at, _)| {
            at != run_start + start && text[..at].chars().next_back().is_none_or(|c| !is_han(c))
        });
        if elsewhere {
            return Some(candidate.to_string());
        }
    }
    (run.chars().count() <= 4).then(|| run.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn the_script_is_decided_by_what_each_conversion_changes() {
        let traditional = lines("今天，研究社區發布了一篇長文，回顧了過去一年的變化。\n我們會繼續前進，這是他們說過的話。");
        let detected = detect(&traditional);
        assert_eq!(
            detected.written,
            Written::Chinese(ChineseScript::Traditional)
        );
        assert_eq!(detected.tag(), "zh-Hant");
        assert!(detected.is_clear(), "{detected:?}");
        let simplified = lines("今天，研究社区发布了一篇长文，回顾了过去一年的变化。\n我们会继续前进，这是他们说过的话。");
        let detected = detect(&simplified);
        assert_eq!(detected.tag(), "zh-Hans");
        assert!(detected.is_clear(), "{detected:?}");
        // Residue of the other script (a machine-converted text) does not tip it.
        let mixed = lines("研究論文是什么？人工智能讓我們充滿好奇，在過去兩年里，計算領域發生了很大的變化，他們說。");
        assert_eq!(detect(&mixed).tag(), "zh-Hant");
        // Shared characters only: Traditional, but not clearly.
        let shared = lines("人工智能");
        assert_eq!(detect(&shared).tag(), "zh-Hant");
        assert!(!detect(&shared).is_clear());
    }

    #[test]
    fn other_languages() {
        let english = lines(&"The quick brown fox jumps over the lazy dog. ".repeat(5));
        let detected = detect(&english);
        assert_eq!((detected.written, detected.tag()), (Written::Other, "en"));
        assert!(detected.is_clear());
        // A few Chinese words in English text do not make it Chinese.
        let quoting = lines(&format!("{} 再見", "Goodbye, said in Chinese. ".repeat(3)));
        assert_eq!(detect(&quoting).written, Written::Other);
        let japanese =
            lines("今日は研究コミュニティが長い記事を発表しました。私たちは前進し続けます。");
        assert_eq!(detect(&japanese).tag(), "ja");
        let korean =
            lines("오늘 연구 커뮤니티가 긴 글을 발표했습니다. 우리는 계속 나아갈 것입니다.");
        assert_eq!(detect(&korean).tag(), "ko");
        // A name's dot borrowed from Japanese does not make Chinese text Japanese.
        let dotted = lines("菲利克斯・希爾是一位研究科學家，他的博客談到了研究的壓力。");
        assert_eq!(detect(&dotted).tag(), "zh-Hant");
    }

    #[test]
    fn the_person_is_the_name_the_text_writes_on_its_own() {
        let memorial = lines(
            "谷歌DeepMind研究科學家菲利克斯·希爾（Felix Hill）意外離世。\n\
             在離世前，菲利克斯·希爾已在DeepMind工作近9年。\n\
             「再見，菲利克斯！」\n\
             菲利克斯·希爾（Felix Hill），是 Google DeepMind 的研究科學家。",
        );
        let expected = Person {
            name: "菲利克斯·希爾".into(),
            latin: "Felix Hill".into(),
        };
        assert_eq!(person(&memorial), Some(expected));
        // The heading names her given name only: it marks where the name starts.
        let ada = lines(
            "而在上個月，著名學者艾達·洛芙萊斯（Ada Lovelace）的故事再次引發討論。\n\
             來源丨機器之心\n「再見，艾達！」",
        );
        assert_eq!(person(&ada).unwrap().name, "艾達·洛芙萊斯");
        // No evidence, but a short run: the run is the name.
        let noether = lines("埃米·諾特（Emmy Noether）是二十世紀最重要的數學家之一。");
        let found = person(&noether).unwrap();
        assert_eq!(
            (found.name.as_str(), found.latin.as_str()),
            ("埃米·諾特", "Emmy Noether")
        );
        // No evidence and a long run: no guess.
        assert_eq!(
            person(&lines("著名學者艾達·洛芙萊斯（Ada Lovelace）")),
            None
        );
        // Two names: the heading's wins over the first.
        let two = lines(
            "查爾斯·巴貝奇（Charles Babbage）提到，\n來源丨某處\n「懷念諾特」\n\
             埃米·諾特（Emmy Noether）。",
        );
        assert_eq!(person(&two).unwrap().latin, "Emmy Noether");
        assert_eq!(person(&lines("沒有名字的文章。")), None);
    }

    #[test]
    fn the_heading_is_the_one_the_import_titles_the_home_page_with() {
        for text in [
            "今天。\n來源丨機器之心\n「再見，艾達！」\n正文。",
            "《別了，查爾斯》\n正文。",
            "“懷念諾特”\n來源丨某處\n“第二個”",
            "沒有標題的文章。\n只有正文。",
        ] {
            let paras: Vec<Vec<Glyph>> = text
                .lines()
                .map(|l| l.chars().map(Glyph::plain).collect())
                .collect();
            let mut report = super::super::ImportReport::default();
            let pages = structure::recover(paras, None, &mut report);
            let home = structure::tribute_heading(&lines(text)).unwrap_or_else(|| "Home".into());
            assert_eq!(home, pages[0].title, "{text}");
        }
    }
}
