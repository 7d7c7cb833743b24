//! Structure: clean paragraphs → the pages of the site, in reading order.
//!
//! Takes the article's paragraphs (text rules already applied) and hands on
//! [`Page`]s. Every decision is a rule about the text, never a line number, so other
//! articles of the same kind (a 機器之心-style translated tribute) come out alike:
//! - the **source line** `來源丨…` (also 作者, 編輯, 出品, 轉載) ends the editor's
//!   lede and goes into front matter;
//! - a line wholly inside `「」`, `“”` or `《》` is the **tribute heading**;
//! - a short line (≤ 12 characters) ending in `：` after it is the **lead-in** to
//!   the blog, which runs to the **references heading** (`參考內容：`), followed by
//!   URL lines (declared as references, out of the body); a `特別聲明：` or `Notice:`
//!   paragraph after them is the **notice**;
//! - in the blog, a **section heading** is a short Han line (1–16 Han, ≤ 24 in all,
//!   no final `。！？；…：，`) after a paragraph that ends a sentence, before one more
//!   than twice as long;
//! - in the tribute, paragraphs in the first person after `Name 表示：` that do not
//!   name the speaker are the speaker's post, shown as a **quotation**.

use super::chars::capitalised_word;
use super::fixes::Fixes;
use super::report::{rule, ImportReport};
use super::Glyph;
use crate::han::is_han;

/// One block of a page body.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    /// A paragraph.
    Para(Vec<Glyph>),
    /// A `##` heading inside a page.
    Heading(Vec<Glyph>),
    /// A block quotation of several paragraphs.
    Quote(Vec<Vec<Glyph>>),
    /// Small print (the publisher's notice).
    Small(Vec<Glyph>),
}

/// A reference declared in front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Site-wide id, used as `[^id]`.
    pub id: String,
    /// What the reference is.
    pub title: String,
    /// Where it is.
    pub url: String,
    /// Who wrote it.
    pub author: Option<String>,
}

/// One content file.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Path relative to the content folder, with `/`.
    pub file: String,
    /// The title.
    pub title: String,
    /// Whether the title is the article's own text (a heading) or hand data.
    pub title_from_article: bool,
    /// The title's glyphs when it is the article's own text, so its pinyin travels too.
    pub title_glyphs: Vec<Glyph>,
    /// Order among siblings.
    pub weight: Option<i64>,
    /// The body.
    pub blocks: Vec<Block>,
    /// The article's source (`extra.source`).
    pub source: Option<String>,
    /// The reference URL lines that followed the references heading, in order: taken
    /// out of the body, and declared as this page's `references` by [`super::cite`].
    pub urls: Vec<String>,
    /// References declared on this page.
    pub references: Vec<Reference>,
    /// The template the page asks for (`references.html` for the references page).
    pub template: Option<&'static str>,
}

// The lines below used to be recognised with regular expressions; compiling them cost
// more than the rest of structure recovery, so each is now a few `str` calls that
// accept exactly what its pattern (quoted in the doc comment) matched. `\s` is
// Unicode's White_Space, which is what `char::is_whitespace` tests.

/// The length of the source line's label, e.g. `來源丨` in `來源丨機器之心`, if the line
/// starts with one: `^(來源|来源|作者|編輯|编辑|出品|轉載|转载)\s*[丨|｜:：]\s*`.
fn source_label(line: &str) -> Option<usize> {
    const LABELS: [&str; 8] = [
        "來源", "来源", "作者", "編輯", "编辑", "出品", "轉載", "转载",
    ];
    let rest = LABELS.iter().find_map(|l| line.strip_prefix(l))?;
    let rest = rest.trim_start_matches(char::is_whitespace);
    let rest = rest.strip_prefix(['丨', '|', '｜', ':', '：'])?;
    let rest = rest.trim_start_matches(char::is_whitespace);
    Some(line.len() - rest.len())
}

/// Whether the line is the references heading, e.g. `參考內容：`:
/// `^(參考|参考)(內容|内容|資料|资料|文獻|文献)?[：:]$`.
fn is_references_heading(line: &str) -> bool {
    const KINDS: [&str; 6] = ["內容", "内容", "資料", "资料", "文獻", "文献"];
    let colon = |rest: &str| rest == "：" || rest == ":";
    let Some(rest) = ["參考", "参考"].iter().find_map(|p| line.strip_prefix(p)) else {
        return false;
    };
    colon(rest)
        || KINDS
            .iter()
            .any(|k| rest.strip_prefix(k).is_some_and(colon))
}

/// Whether the paragraph starts the publisher's notice:
/// `^(特別聲明|特别声明)[：:]|^Notice:`.
fn is_notice(line: &str) -> bool {
    ["特別聲明", "特别声明"].iter().any(|p| {
        line.strip_prefix(p)
            .is_some_and(|r| r.starts_with(['：', ':']))
    }) || line.starts_with("Notice:")
}

/// The speaker of a line like `Jim Fan 表示：`: the first run of two or more
/// capitalised ASCII words (single spaces between) followed by optional spaces and a
/// verb of saying and `：`: `([A-Z][a-z]+(?: [A-Z][a-z]+)+)\s*(表示|說|说|寫道|写道)：`.
fn speaker(line: &str) -> Option<&str> {
    // Words can start anywhere, even inside a longer word (`McDonald` → `Donald`).
    line.char_indices().find_map(|(start, _)| {
        let mut end = start + capitalised_word(&line[start..])?;
        let mut words = 1;
        while let Some(len) = line[end..].strip_prefix(' ').and_then(capitalised_word) {
            end += 1 + len;
            words += 1;
        }
        let rest = line[end..].trim_start_matches(char::is_whitespace);
        let verb = ["表示", "說", "说", "寫道", "写道"]
            .iter()
            .find_map(|v| rest.strip_prefix(v))?;
        (words >= 2 && verb.starts_with('：')).then_some(&line[start..end])
    })
}

fn text(glyphs: &[Glyph]) -> String {
    glyphs.iter().map(|g| g.ch).collect()
}

fn is_url(line: &str) -> bool {
    (line.starts_with("https://") || line.starts_with("http://")) && !line.contains(' ')
}

fn wrapped_heading(line: &str) -> bool {
    let n = line.chars().count();
    n > 2
        && [('「', '」'), ('“', '”'), ('《', '》')]
            .iter()
            .any(|&(a, b)| {
                line.starts_with(a) && line.ends_with(b) && !line[a.len_utf8()..].contains(a)
            })
}

fn is_section_heading(prev: &str, line: &str, next: &str) -> bool {
    let han = line.chars().filter(|&c| is_han(c)).count();
    let len = line.chars().count();
    (1..=16).contains(&han)
        && len <= 24
        && !line.ends_with(['。', '！', '？', '；', '…', '：', '，'])
        && prev.ends_with(['。', '！', '？', '…', '」', '：'])
        && next.chars().count() > 2 * len
}

/// Recovers the pages from the clean paragraphs.
pub(crate) fn recover(
    paras: Vec<Vec<Glyph>>,
    fixes: Option<&Fixes>,
    report: &mut ImportReport,
) -> Vec<Page> {
    let lines: Vec<String> = paras.iter().map(|p| text(p)).collect();
    let n = lines.len();
    let source_at = lines.iter().position(|l| source_label(l).is_some());
    let after_source = source_at.map_or(0, |i| i + 1);
    let tribute_at = (after_source..n).find(|&i| wrapped_heading(&lines[i]));
    let refs_at = (0..n)
        .find(|&i| is_references_heading(&lines[i]))
        .unwrap_or(n);
    let lead_at = tribute_at.and_then(|t| {
        (t + 1..refs_at).find(|&i| lines[i].chars().count() <= 12 && lines[i].ends_with('：'))
    });

    let mut home = Vec::new();
    let lede_end = source_at.or(tribute_at).unwrap_or(n.min(refs_at));
    home.extend(paras[..lede_end].iter().cloned().map(Block::Para));
    let mut source = None;
    if let Some(i) = source_at {
        let prefix = source_label(&lines[i]).unwrap_or(0);
        source = Some(lines[i][prefix..].to_string());
        report.count(rule::SOURCE, 1, lines[i].chars().count(), 0);
        // Front matter holds plain text: the line's pinyin readings go with it.
        report.ruby_on_source_line = paras[i].iter().filter(|g| g.ruby.is_some()).count();
    }
    let blog_start = lead_at.map_or(refs_at, |l| l + 1);
    if let Some(t) = tribute_at {
        let mut heading = paras[t].clone();
        heading.remove(0);
        heading.pop();
        report.count(rule::HEADING_MARKS, 1, 2, 0);
        home.push(Block::Heading(heading));
        home.extend(tribute(
            &paras[t + 1..blog_start],
            &lines[t + 1..blog_start],
        ));
    } else if source_at.is_some() {
        home.extend(
            paras[after_source..blog_start]
                .iter()
                .cloned()
                .map(Block::Para),
        );
    }
    let home_title = fixes
        .and_then(|f| f.title.clone())
        .or_else(|| {
            tribute_at.map(|t| {
                lines[t]
                    .trim_matches(['「', '」', '“', '”', '《', '》'])
                    .to_string()
            })
        })
        .unwrap_or_else(|| "Home".to_string());
    // The article is the home page, or a page of its own first in reading order.
    let (file, weight) = match fixes.and_then(|f| f.article_page.as_ref()) {
        Some(slug) => (format!("{}.md", slug.get_ref()), Some(0)),
        None => ("_index.md".to_string(), None),
    };
    let mut pages = vec![Page {
        file,
        title: home_title,
        title_from_article: false,
        title_glyphs: Vec::new(),
        weight,
        blocks: home,
        source,
        urls: Vec::new(),
        references: Vec::new(),
        template: None,
    }];

    if blog_start < refs_at || lead_at.is_some() {
        pages.extend(blog(&paras, &lines, blog_start, refs_at, lead_at, fixes));
    }

    if refs_at < n {
        let urls: Vec<String> = lines[refs_at + 1..]
            .iter()
            .take_while(|l| is_url(l))
            .cloned()
            .collect();
        let rest = refs_at + 1 + urls.len();
        // The URL lines become the page's declared references, which the references
        // template lists with their titles and where each is cited: as a list in the
        // body too they would only say the same addresses twice.
        let url_chars = urls.iter().map(|u| u.chars().count()).sum();
        report.count(rule::REFERENCE_URLS, urls.len(), url_chars, 0);
        let mut blocks = Vec::new();
        for (i, para) in paras.iter().enumerate().skip(rest) {
            if is_notice(&lines[i]) || matches!(blocks.last(), Some(Block::Small(_))) {
                blocks.push(Block::Small(para.clone()));
            } else {
                blocks.push(Block::Para(para.clone()));
            }
        }
        report.count(rule::TITLE_COLON, 1, 1, 0);
        let title = lines[refs_at].trim_end_matches(['：', ':']).to_string();
        let mut title_glyphs = paras[refs_at].clone();
        while title_glyphs
            .last()
            .is_some_and(|g| matches!(g.ch, '：' | ':'))
        {
            title_glyphs.pop();
        }
        pages.push(Page {
            file: "references.md".into(),
            title,
            title_from_article: true,
            title_glyphs,
            weight: Some(2),
            blocks,
            source: None,
            urls,
            references: Vec::new(),
            template: Some("references.html"),
        });
    }
    pages
}

/// The tribute's body: paragraphs, with a speaker's first-person post as a quotation.
fn tribute(paras: &[Vec<Glyph>], lines: &[String]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < paras.len() {
        blocks.push(Block::Para(paras[i].clone()));
        if let Some(name) = speaker(&lines[i]) {
            let quoted = lines[i + 1..]
                .iter()
                .take_while(|l| l.contains('我') && !l.contains(name))
                .count()
                // the last paragraph (the lead-in) is never part of a quotation
                .min(paras.len().saturating_sub(i + 2));
            if quoted > 0 {
                blocks.push(Block::Quote(paras[i + 1..i + 1 + quoted].to_vec()));
                i += quoted;
            }
        }
        i += 1;
    }
    blocks
}

/// The blog: its introduction (the section's `_index.md`) and one page per section.
fn blog(
    paras: &[Vec<Glyph>],
    lines: &[String],
    start: usize,
    end: usize,
    lead_at: Option<usize>,
    fixes: Option<&Fixes>,
) -> Vec<Page> {
    let heading = |i: usize| {
        let prev = if i > 0 { lines[i - 1].as_str() } else { "" };
        i + 1 < end && is_section_heading(prev, &lines[i], &lines[i + 1])
    };
    let headings: Vec<usize> = (start..end).filter(|&i| heading(i)).collect();
    let intro_end = headings.first().copied().unwrap_or(end);
    let title = fixes
        .and_then(|f| f.blog_title.clone())
        .or_else(|| {
            lead_at.map(|l| {
                lines[l]
                    .trim_start_matches("以下是")
                    .trim_end_matches('：')
                    .to_string()
            })
        })
        .unwrap_or_else(|| "Blog".to_string());
    let mut pages = vec![Page {
        file: "blog/_index.md".into(),
        title,
        title_from_article: false,
        title_glyphs: Vec::new(),
        weight: Some(1),
        blocks: paras[start..intro_end]
            .iter()
            .cloned()
            .map(Block::Para)
            .collect(),
        source: None,
        urls: Vec::new(),
        references: Vec::new(),
        template: None,
    }];
    let mut taken: Vec<String> = Vec::new();
    for (k, &h) in headings.iter().enumerate() {
        let stop = headings.get(k + 1).copied().unwrap_or(end);
        let slug = fixes
            .and_then(|f| f.slug_for(&lines[h]))
            .unwrap_or_else(|| unique(readable_slug(&paras[h], k + 1), &taken));
        taken.push(slug.clone());
        pages.push(Page {
            file: format!("blog/{slug}.md"),
            title: lines[h].clone(),
            title_from_article: true,
            title_glyphs: paras[h].clone(),
            weight: Some(k as i64 + 1),
            blocks: paras[h + 1..stop]
                .iter()
                .cloned()
                .map(Block::Para)
                .collect(),
            source: None,
            urls: Vec::new(),
            references: Vec::new(),
            template: None,
        });
    }
    pages
}

/// A section page's file name from its heading's sounds: each character's reading in
/// the article (its ruby) where it has one, else its usual Mandarin reading
/// (`deunicode`), toneless, one hyphen between syllables: `無處可逃` → `wu-chu-ke-tao`.
/// Long headings are cut at a syllable; a heading with no letters or readings at all
/// becomes `section-N`.
fn readable_slug(heading: &[Glyph], number: usize) -> String {
    /// Long enough for a twelve-syllable heading, short enough to share as a link.
    const MAX: usize = 48;
    let sounds: Vec<String> = heading
        .iter()
        .map(|g| match &g.ruby {
            Some(reading) => format!(" {reading} "),
            None => format!(" {} ", deunicode::deunicode_char(g.ch).unwrap_or(" ")),
        })
        .collect();
    let mut slug = crate::content::slugify(&sounds.concat());
    if slug.len() > MAX {
        let cut = slug[..=MAX].rfind('-').unwrap_or(MAX);
        slug.truncate(cut);
    }
    if slug.is_empty() || slug == "index" {
        format!("section-{number}")
    } else {
        slug
    }
}

/// `slug`, or `slug-2`, `slug-3`, … if an earlier section took it.
fn unique(slug: String, taken: &[String]) -> String {
    if !taken.contains(&slug) {
        return slug;
    }
    (2..)
        .map(|n| format!("{slug}-{n}"))
        .find(|s| !taken.contains(s))
        .expect("an unused number")
}

/// The article's own heading for its home page, as [`recover`] finds it without a
/// fixes file: the tribute heading (the first line wholly inside `「」`, `“”` or `《》`
/// after the source line) without its marks. `lectern new --article` titles the new site
/// with it when the article names no person.
pub(crate) fn tribute_heading(lines: &[String]) -> Option<String> {
    let after_source = lines
        .iter()
        .position(|l| source_label(l).is_some())
        .map_or(0, |i| i + 1);
    let heading = lines
        .iter()
        .skip(after_source)
        .find(|l| wrapped_heading(l))?;
    Some(
        heading
            .trim_matches(['「', '」', '“', '”', '《', '》'])
            .to_string(),
    )
}

/// The text of a page in reading order: its title if it is the article's, then its
/// blocks (the reference URL lines are not among them: they went into front matter).
pub(crate) fn page_text(page: &Page) -> Vec<String> {
    let mut out = Vec::new();
    if page.title_from_article {
        out.push(page.title.clone());
    }
    for block in &page.blocks {
        match block {
            Block::Para(g) | Block::Heading(g) | Block::Small(g) => out.push(text(g)),
            Block::Quote(ps) => out.extend(ps.iter().map(|p| text(p))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// The checks accept exactly what the patterns they replaced matched.
    #[test]
    fn checks_match_the_patterns_they_replaced() {
        let source =
            Regex::new(r"^(來源|来源|作者|編輯|编辑|出品|轉載|转载)\s*[丨|｜:：]\s*").unwrap();
        let references = Regex::new(r"^(參考|参考)(內容|内容|資料|资料|文獻|文献)?[：:]$").unwrap();
        let notice = Regex::new(r"^(特別聲明|特别声明)[：:]|^Notice:").unwrap();
        let speaker_re =
            Regex::new(r"([A-Z][a-z]+(?: [A-Z][a-z]+)+)\s*(表示|說|说|寫道|写道)：").unwrap();
        let samples = crate::import::chars::sample_texts(30_000);
        let fixed = [
            "來源 丨 機器之心",
            "参考文献:",
            "參考：",
            "參考內容：x",
            "Jim Fan 表示：",
            "Ab Cd說：",
        ];
        for text in fixed.iter().map(|s| s.to_string()).chain(samples) {
            assert_eq!(
                source_label(&text),
                source.find(&text).map(|m| m.end()),
                "{text:?}"
            );
            assert_eq!(
                is_references_heading(&text),
                references.is_match(&text),
                "{text:?}"
            );
            assert_eq!(is_notice(&text), notice.is_match(&text), "{text:?}");
            let expected = speaker_re
                .captures(&text)
                .map(|c| c.get(1).unwrap().as_str());
            assert_eq!(speaker(&text), expected, "{text:?}");
        }
    }

    /// A section page is named by its heading's sounds, the article's own readings first.
    #[test]
    fn slugs_are_readable_and_unique() {
        let heading = |text: &str| {
            crate::import::pinyin::strip(text, &mut crate::import::pinyin::Stripped::default())
        };
        assert_eq!(readable_slug(&heading("無處可逃"), 1), "wu-chu-ke-tao");
        // 行 is read háng here, as the article annotates it, not the usual xíng.
        assert_eq!(readable_slug(&heading("銀行(háng)"), 1), "yin-hang");
        assert_eq!(readable_slug(&heading("錢，錢，錢"), 1), "qian-qian-qian");
        assert_eq!(readable_slug(&heading("。。。"), 3), "section-3");
        let long = readable_slug(
            &heading("為什麼我要在博客裡傾訴壓力而且還要說很多很多話"),
            1,
        );
        assert!(long.len() <= 48 && !long.ends_with('-'), "{long}");
        let taken = vec!["wu-chu-ke-tao".to_string(), "wu-chu-ke-tao-2".to_string()];
        assert_eq!(unique("wu-chu-ke-tao".into(), &taken), "wu-chu-ke-tao-3");
        assert_eq!(unique("qian".into(), &taken), "qian");
    }
}
