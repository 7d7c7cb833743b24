//! Snapshots of each import step on one small constructed article: what the step takes
//! and what it hands on, in a readable form. Each snapshot in `snapshots/` shows its
//! input above its output; a changed output fails `cargo test` (how to accept a change
//! is in `Cargo.toml`, beside `insta`).
//!
//! The article is clean text pushed through the forward damage model, so every kind of
//! damage the importer knows is in it, made as the real damage was. Glyphs are shown
//! as their characters, with `{reading}` after one that carries ruby, `[^id]` after
//! one a citation follows, and `⟦…⟧` around an unrepaired garbled span.

use std::fmt::Write as _;
use std::path::Path;

use super::damage::{damage, Annotations};
use super::fixes::Fixes;
use super::structure::{Block, Page};
use super::{
    cite, decode, pinyin, repair, restore, structure, write, Glyph, ImportOptions, ImportReport,
};

/// `insta::assert_snapshot!` named by the test alone (the folder already says which
/// stage), without the expression (the snapshot shows its input itself).
macro_rules! snapshot {
    ($value:expr) => {
        insta::with_settings!({prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!($value);
        })
    };
}

/// The article as its editor wrote it, before any damage: a lede with a transliterated
/// name, the source line, a tribute heading, a speaker and his post, the lead-in, a
/// blog of one section, the references and the publisher's notice. Line 9 holds a
/// span that inverts mechanically (its characters appear on line 8), line 11 one that
/// lost bytes; the lost dot and emoji are added by [`as_written`].
const CLEAN: &str = "\
今天，研究社區發布了一篇長文：我們會繼續前進。
著名學者艾達·洛芙萊斯（Ada Lovelace）的故事再次引發討論。
來源丨機器之心
「再見，艾達！」
研究員 Grace Hopper 表示：這是我讀過的最真實的文章。
我一直記得她的研究。
以下是文章內容：
研究論文是什么？人工智能讓我們充滿好奇。
我希望通過談論是什么讓人工智能研究充滿壓力，讓大家更快樂一些。
第一部分
這是第一部分的正文，它給我帶來希望，包含數字 2,000 和 Hello, world 以及括號（5-10 人）。
參考內容：
https://x.com/gracehopper/status/123
https://example.com/essay
特別聲明：以上內容為自媒體平臺用戶上傳並發布。";

/// The clean article as the editor's file had it: the name dot one GBK cannot encode,
/// emoji after the source line.
fn as_written() -> String {
    CLEAN.replace('·', "•").replace("機器之心", "機器之心🌹🌹")
}

/// The damaged article, as the importer receives it.
fn damaged() -> String {
    damage(&as_written(), &Annotations::builtin())
}

/// The correction of line 11's span, which lost bytes: no rule can recover it.
const LOST: &str = "給我帶來希望，包含數";

/// A fixes file for the article: titles, a slug, a reference's data, line 11's repair.
fn fixes_toml() -> String {
    let garbled = damage(LOST, &Annotations::builtin());
    format!(
        "title = \"懷念艾達\"\nblog_title = \"艾達的文章\"\n\n[slugs]\n\"第一部分\" = \"part-one\"\n\n\
         [[references]]\nurl = \"https://example.com/essay\"\nid = \"essay\"\n\
         title = \"艾達的文章\"\nauthor = \"Ada Lovelace\"\n\n\
         [[repairs]]\ngarbled = \"{garbled}\"\ncorrected = \"{LOST}\"\n"
    )
}

/// [`fixes_toml`], loaded (and so verified) as the import loads it.
fn fixes() -> Fixes {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("fixes.toml");
    std::fs::write(&path, fixes_toml()).expect("the fixes file");
    Fixes::load(&path, &Annotations::builtin()).unwrap_or_else(|e| panic!("{e}"))
}

/// Glyphs in the notation of the module documentation.
fn glyphs(glyphs: &[Glyph]) -> String {
    let mut out = String::new();
    let mut damaged = false;
    for g in glyphs {
        if g.damaged != damaged {
            out.push(if g.damaged { '⟦' } else { '⟧' });
            damaged = g.damaged;
        }
        out.push(g.ch);
        if let Some(reading) = &g.ruby {
            let _ = write!(out, "{{{reading}}}");
        }
        if let Some(id) = &g.cite {
            let _ = write!(out, "[^{id}]");
        }
    }
    if damaged {
        out.push('⟧');
    }
    out
}

/// The rules a step counted, and its warnings.
fn counted(report: &ImportReport) -> String {
    let mut out = String::new();
    for r in report.rules() {
        let _ = writeln!(
            out,
            "  {}: {} hits, {} removed, {} added",
            r.rule, r.hits, r.removed, r.added
        );
    }
    for w in report.warnings() {
        let _ = writeln!(out, "  warning: {w}");
    }
    out
}

/// The damaged article's paragraphs as structure receives them: each line repaired,
/// restored and trimmed, as the import does before it finds the pages.
fn paragraphs(fixes: Option<&Fixes>) -> Vec<Vec<Glyph>> {
    let text = damaged();
    let table = Annotations::builtin();
    let cx = repair::Context::new(&table, fixes);
    let mut used = vec![false; fixes.map_or(0, |f| f.repairs.len())];
    let mut report = ImportReport::default();
    text.split('\n')
        .map(|line| {
            let (mut g, _) = repair::repair_line(line, &cx, &mut used, &mut report);
            restore::name_dots(&mut g, &mut report);
            restore::lost_emoji(&mut g, &mut report);
            restore::punctuation(&mut g, &mut report);
            let start = g.iter().take_while(|g| g.ch.is_whitespace()).count();
            let end = g.len() - g.iter().rev().take_while(|g| g.ch.is_whitespace()).count();
            g[start..end.max(start)].to_vec()
        })
        .filter(|g| !g.is_empty())
        .collect()
}

/// Pages as a list: each file with its title, weight, source and blocks.
fn pages(pages: &[Page]) -> String {
    let mut out = String::new();
    for page in pages {
        let title = if page.title_from_article {
            format!("{} (the article's)", glyphs(&page.title_glyphs))
        } else {
            format!("{} (not in the reading text)", page.title)
        };
        let _ = writeln!(out, "{}\n  title: {title}", page.file);
        if let Some(weight) = page.weight {
            let _ = writeln!(out, "  weight: {weight}");
        }
        if let Some(source) = &page.source {
            let _ = writeln!(out, "  source: {source}");
        }
        if let Some(template) = page.template {
            let _ = writeln!(out, "  template: {template}");
        }
        for url in &page.urls {
            let _ = writeln!(out, "  reference url (front matter): {url}");
        }
        for r in &page.references {
            let author = r.author.as_deref().unwrap_or("-");
            let _ = writeln!(
                out,
                "  reference {}: {} by {author} <{}>",
                r.id, r.title, r.url
            );
        }
        for block in &page.blocks {
            let _ = match block {
                Block::Para(g) => writeln!(out, "  para: {}", glyphs(g)),
                Block::Heading(g) => writeln!(out, "  heading: {}", glyphs(g)),
                Block::Small(g) => writeln!(out, "  small: {}", glyphs(g)),
                Block::Quote(ps) => {
                    let ps: Vec<String> = ps.iter().map(|p| glyphs(p)).collect();
                    writeln!(out, "  quote: {}", ps.join(" / "))
                }
            };
        }
    }
    out
}

#[test]
fn the_damage_model_annotates_garbles_and_loses_what_gbk_cannot_encode() {
    let mut out = String::new();
    for (written, damaged) in as_written().split('\n').zip(damaged().split('\n')) {
        let _ = writeln!(out, "{written}\n→ {damaged}");
    }
    snapshot!(out);
}

#[test]
fn decode_names_the_encoding_and_turns_every_line_ending_into_lf() {
    use encoding_rs::{BIG5, GB18030};
    let text = "再見，艾達！\r\n發表論文\r";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let cases: [(&str, Vec<u8>); 6] = [
        ("UTF-8", text.as_bytes().to_vec()),
        (
            "UTF-8, byte-order mark",
            [b"\xEF\xBB\xBF", text.as_bytes()].concat(),
        ),
        ("UTF-16LE, byte-order mark", utf16),
        ("GB18030", GB18030.encode(text).0.into_owned()),
        ("Big5", BIG5.encode(text).0.into_owned()),
        ("a zip file", b"PK\x03\x04\x00\x00\xff".to_vec()),
    ];
    let mut out = format!("text: {text:?}\n");
    for (name, bytes) in cases {
        let _ = match decode::decode(&bytes, Path::new("article.txt")) {
            Ok(d) => writeln!(
                out,
                "{name} → {}, bom {}, {} carriage returns, {} source chars: {:?}",
                d.encoding, d.bom, d.carriage_returns, d.source_chars, d.text
            ),
            Err(e) => writeln!(out, "{name} →\n{}", e.to_string().trim_end()),
        };
    }
    snapshot!(out);
}

#[test]
fn pinyin_keeps_readings_as_ruby_and_finds_damage_markers() {
    let mut out = String::new();
    for line in [
        "著名學(xué)者艾達(dá)?洛芙萊斯(Ada Lovelace)",
        "在內(nèi))，小型(5-10 人)團(tuán)隊，café(café)",
    ] {
        let mut counts = pinyin::Stripped::default();
        let stripped = pinyin::strip(line, &mut counts);
        let _ = writeln!(
            out,
            "strip {line}\n→ {}\n  ({} annotations, {} characters)",
            glyphs(&stripped),
            counts.annotations,
            counts.chars
        );
    }
    for line in [
        "我希望通過談?wù)撌鞘裁醋屓斯ぶ悄苎芯砍錆M壓力",
        "如果你悻F(xiàn)在",
        "內(nèi) and x(not) are no markers",
    ] {
        let _ = writeln!(out, "markers in {line}");
        for m in pinyin::markers(line) {
            let ascii = m
                .ascii
                .map_or(String::from("none"), |b| char::from(b).into());
            let _ = writeln!(
                out,
                "  {:?} at bytes {}..{}: reading {}, ASCII byte {ascii}",
                &line[m.start..m.end],
                m.start,
                m.end,
                m.reading
            );
        }
    }
    let mut table = Annotations::builtin();
    pinyin::learn("貓(māo)和咖啡(café)", &mut table);
    let _ = writeln!(
        out,
        "learn 貓(māo)和咖啡(café) → 貓: {:?}, 啡: {:?}",
        table.reading('貓'),
        table.reading('啡')
    );
    snapshot!(out);
}

#[test]
fn repair_inverts_a_span_marks_one_that_lost_bytes_and_applies_the_fixes_file() {
    let text = damaged();
    let table = Annotations::builtin();
    let lines: Vec<&str> = text.split('\n').collect();
    let fixes = fixes();
    let mut out = String::new();
    for (case, line, fixes) in [
        ("line 9, no fixes file", lines[8], None),
        ("line 11, no fixes file", lines[10], None),
        ("line 11, with the fixes file", lines[10], Some(&fixes)),
    ] {
        let cx = repair::Context::new(&table, fixes);
        let mut used = vec![false; fixes.map_or(0, |f| f.repairs.len())];
        let mut report = ImportReport::default();
        let (repaired, unrepaired) = repair::repair_line(line, &cx, &mut used, &mut report);
        let at: Vec<usize> = unrepaired.iter().map(|u| u.at).collect();
        let _ = write!(
            out,
            "{case}: {line}\n→ {}\n  unrepaired spans at bytes {at:?}\n{}",
            glyphs(&repaired),
            counted(&report)
        );
        for u in &unrepaired {
            let _ = writeln!(out, "  garbled for a fixes entry: {}", u.garbled);
            for s in &u.suggestions {
                let _ = writeln!(out, "  suggestion: {} (lost {:02X?})", s.corrected, s.lost);
            }
        }
    }
    snapshot!(out);
}

#[test]
fn restore_puts_back_the_name_dot_drops_lost_emoji_and_widens_punctuation() {
    let mut out = String::new();
    for line in [
        "著名學者艾達?洛芙萊斯(Ada Lovelace)的故事",
        "來源丨機器之心??",
        "真的嗎??",
        "今天,研究:2,000 和 Hello, world!見 https://a.example/x?y=1,2 (5-10 人)(note)",
        "Notice: in English, (kept) as it is.",
    ] {
        let mut report = ImportReport::default();
        let mut g = pinyin::strip(line, &mut pinyin::Stripped::default());
        restore::name_dots(&mut g, &mut report);
        let dots = glyphs(&g);
        restore::lost_emoji(&mut g, &mut report);
        let emoji = glyphs(&g);
        restore::punctuation(&mut g, &mut report);
        let _ = write!(
            out,
            "{line}\n  name dots   → {dots}\n  lost emoji  → {emoji}\n  punctuation → {}\n{}",
            glyphs(&g),
            counted(&report)
        );
    }
    snapshot!(out);
}

#[test]
fn structure_finds_the_pages_by_rules_about_the_text() {
    let paras = paragraphs(None);
    let mut report = ImportReport::default();
    let found = structure::recover(paras, None, &mut report);
    snapshot!(format!("{}{}", pages(&found), counted(&report)));
}

#[test]
fn cite_declares_the_references_and_places_their_markers() {
    let mut report = ImportReport::default();
    let mut found = structure::recover(paragraphs(None), None, &mut report);
    let mut report = ImportReport::default();
    cite::cite(&mut found, None, &mut report);
    snapshot!(format!("{}{}", pages(&found), counted(&report)));
}

#[test]
fn write_renders_each_page_as_markdown_with_its_hash() {
    let mut report = ImportReport::default();
    let fixes = fixes();
    let mut found = structure::recover(paragraphs(Some(&fixes)), Some(&fixes), &mut report);
    cite::cite(&mut found, Some(&fixes), &mut report);
    let files: Vec<String> = found
        .iter()
        .map(|page| {
            let text = write::render(page, "sources/article.txt");
            format!("=== {}\n{text}", page.file)
        })
        .collect();
    snapshot!(files.concat());
}

#[test]
fn the_whole_import_accounts_for_every_character() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).expect("sources/");
    std::fs::write(sources.join("article.txt"), damaged()).expect("the article");
    std::fs::write(sources.join("fixes.toml"), fixes_toml()).expect("the fixes file");
    let options = ImportOptions {
        source: sources.join("article.txt"),
        fixes: Some(sources.join("fixes.toml")),
        into: dir.path().join("content"),
    };
    let report = super::import_article(&options).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.balances());
    // The clean text, but for the Simplified residue the rule makes Traditional.
    assert_eq!(
        report.clean_lines().join("\n"),
        CLEAN.replace("什么", "什麼")
    );
    snapshot!(report.to_string());
}

#[test]
fn write_marks_an_unrepaired_span_and_escapes_what_markdown_would_read() {
    let para = |text: &str| Block::Para(pinyin::strip(text, &mut pinyin::Stripped::default()));
    // 它給我 and 字 around a span left as it is.
    let mut marked = pinyin::strip("它給我?guī)硐M瑪字", &mut pinyin::Stripped::default());
    let end = marked.len() - 1;
    for g in &mut marked[3..end] {
        g.damaged = true;
    }
    let page = Page {
        file: "a.md".into(),
        title: "標題".into(),
        title_from_article: false,
        title_glyphs: Vec::new(),
        weight: None,
        blocks: vec![
            Block::Para(marked),
            para("1. 不是列表"),
            para("- 也不是，+ 和 = 也不是"),
            para("*星號* _底線_ [方括號] <b>標籤</b> `反引號` # 井號 & | ~ {} $ \\"),
            Block::Quote(vec![
                pinyin::strip("學(xué)者說：", &mut pinyin::Stripped::default()),
                pinyin::strip("第二段。", &mut pinyin::Stripped::default()),
            ]),
        ],
        source: None,
        urls: Vec::new(),
        references: Vec::new(),
        template: None,
    };
    snapshot!(format!(
        "{}=== a.md\n{}",
        pages(std::slice::from_ref(&page)),
        write::render(&page, "sources/article.txt")
    ));
}
