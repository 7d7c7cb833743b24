//! Other articles of the same kind, built by the tests: clean text → the forward
//! damage model → bytes (UTF-8, GB18030, CRLF) → import → the clean text again.

use std::path::PathBuf;

use lectern::import::damage::{damage, encode_char, lost_pairs, Annotations};
use lectern::import::{import_article, rule, ImportOptions, ImportReport};

use crate::import_util::{files_under, reading_order_text};

/// A tribute in the 機器之心 style: lede, source line, tribute heading, a quoted
/// post, lead-in, a blog with an introduction and sections, references, notice.
const ADA: &str = "\
今天，研究社區發布了一篇長文——回顧了過去一年的變化：“我們會繼續前進。”
而在上個月，著名學者艾達·洛芙萊斯（Ada Lovelace）的故事再次引發討論。
來源丨機器之心
「再見，艾達！」
上周，很多人都在以自己的方式告別。
研究員 Grace Hopper 表示：這是我讀過的最真實的文章。
我一直記得她的研究，也經常想起她說過的話。
我們都會懷念她，懷念那些一起工作的日子。
以下是文章內容：
在過去兩年裡，計算領域發生了很大的變化。
研究論文是什麼？人工智能讓我們充滿好奇，他們提供了很多經驗。
我希望通過談論是什麼讓人工智能研究充滿壓力，讓大家更快樂一些。
第一部分
這是第一部分的正文，它比標題長得多，而且包含數字 2,000 和英文 Hello, world 以及括號（5-10 人）。
第二部分
如果你有任何想法，請提供經驗，我們一起把這件事做好，好嗎？
參考內容：
https://x.com/gracehopper/status/123
https://example.com/essay
特別聲明：以上內容為自媒體平臺用戶上傳並發布。";

const BABBAGE: &str = "\
上周，計算機協會發表了一篇紀念文章，引發了很多人的關注。
數學家查爾斯·巴貝奇（Charles Babbage）的工作再次被人們提起；他的機器至今仍被討論！
作者丨科技評論
《別了，查爾斯》
這周，工程師們都在以自己的方式紀念他。
工程師 Alan Turing 說：我第一次讀到他的設計時就被打動了。
我想，我們今天的一切都離不開他的想法。
以下是原文：
差分機是他最著名的設計，它能夠自動計算數表。
機器的設計
他花了很多年時間設計這台機器，但因為經費和工藝的問題，它始終沒有完成（這點後面再說）。
未完成的夢想
後來的工程師根據他的圖紙造出了差分機，證明他的設計是正確的。
參考資料：
https://x.com/aturing/status/42
https://example.org/babbage
Notice: The content above is uploaded by a user.";

const NOETHER: &str = "\
昨天，很多數學家在網上分享了他們的回憶：她為什麼如此重要？
埃米·諾特（Emmy Noether）是二十世紀最重要的數學家之一。
編輯丨數學文化
“懷念諾特”
許多學者都寫下了自己的感受。
學者 Hermann Weyl 寫道：她是一位偉大的數學家。
我從她那裡學到了很多，我永遠感激她。
以下是她的講稿：
代數的結構比計算更重要，這是她一直強調的觀點。
抽象的力量
她把群、環和域的概念統一起來，使代數成為一門新的學科；這個方法影響了整個數學界。
對稱與守恆
每一種連續對稱都對應一個守恆量，這就是著名的諾特定理，物理學家至今仍在使用它。
參考內容：
https://x.com/hweyl/status/7
https://example.net/noether";

fn run(
    clean: &str,
    emoji: &str,
    encode: impl Fn(&str) -> Vec<u8>,
) -> (ImportReport, tempfile::TempDir) {
    let table = Annotations::builtin();
    assert!(
        encode_char('•').is_none(),
        "the lost dot must be one GBK cannot encode"
    );
    // What the editor's text had before the damage: a dot GBK cannot encode, emoji.
    let original: Vec<String> = clean
        .split('\n')
        .map(|l| {
            let l = l.replace('·', "•");
            if l.contains('丨') {
                format!("{l}{emoji}")
            } else {
                l
            }
        })
        .collect();
    let damaged = damage(&original.join("\n"), &table);
    assert_ne!(damaged, clean);
    let (report, dir) = import_damaged(&encode(&damaged));
    assert_eq!(
        report.clean_lines().join("\n"),
        clean,
        "the import gives back the clean text"
    );
    assert!(report.balances());
    assert!(report.warnings().is_empty(), "{:?}", report.warnings());
    assert_eq!(report.hits(rule::MARKED), 0);
    let content = dir.path().join("content");
    assert_eq!(reading_order_text(&content), report.reading_text());
    (report, dir)
}

#[test]
fn a_utf8_article_with_two_invertible_spans_round_trips() {
    let (report, dir) = run(ADA, "🎉🎉", |t| t.as_bytes().to_vec());
    assert_eq!(
        report.hits(rule::AUTO),
        2,
        "談論 and 請提供 were split by the damage"
    );
    assert_eq!(report.hits(rule::DOT), 1);
    assert_eq!(report.hits(rule::EMOJI), 1);
    let files = files_under(&dir.path().join("content"));
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "_index.md",
            "blog/_index.md",
            "blog/di-er-bu-fen.md",
            "blog/di-yi-bu-fen.md",
            "references.md"
        ]
    );
    let home = String::from_utf8_lossy(&files["_index.md"]).into_owned();
    assert!(home.contains("Grace Hopper[^gracehopper] 表示"));
    assert!(home.contains("\n> 我一直記得"));
    assert!(
        home.contains("[^ref-2]"),
        "the leftover reference is cited at the lead-in"
    );
}

#[test]
fn a_gb18030_article_round_trips() {
    let (report, dir) = run(BABBAGE, "", |t| {
        encoding_rs::GB18030.encode(t).0.into_owned()
    });
    assert!(report.to_string().contains("GB18030"));
    assert_eq!(report.hits(rule::DOT), 1);
    // Both references are cited where the text names the person their URL names: no
    // fixes file says where.
    let files = files_under(&dir.path().join("content"));
    let home = String::from_utf8_lossy(&files["_index.md"]).into_owned();
    assert!(home.contains("Alan Turing[^aturing]"), "{home}");
    assert!(home.contains("Charles Babbage[^ref-2]"), "{home}");
}

#[test]
fn a_crlf_article_with_a_bom_round_trips() {
    let (report, dir) = run(NOETHER, "😀😀😀", |t| {
        format!("\u{FEFF}{}", t.replace('\n', "\r\n")).into_bytes()
    });
    assert_eq!(report.hits(rule::BOM), 1);
    assert_eq!(report.hits(rule::CR), NOETHER.matches('\n').count());
    let files = files_under(&dir.path().join("content"));
    assert_eq!(files.len(), 5);
}

/// A short article whose two garbled spans (談論…當, 請提供經) are repaired with
/// characters it uses nowhere else: the language model, not the article's own
/// vocabulary, says the repairs read as Chinese.
const SHORT: &str = "\
今天，大家在網上寫下了對她的回憶。
來源丨科技日報
「再見，瑪麗！」
大家都記得她的課。
以下是她的文章：
我們談論當地的天氣，請提供經驗。
第一部分
這是第一部分的正文，它比標題長得多，讓讀者可以慢慢地讀下去。
參考內容：
https://example.com/mary";

#[test]
fn repairs_that_use_characters_found_nowhere_else_in_a_short_article_are_accepted() {
    for word in ["論", "提", "供", "經"] {
        assert_eq!(SHORT.matches(word).count(), 1, "{word} only in the span");
    }
    let (report, _dir) = run(SHORT, "", |t| t.as_bytes().to_vec());
    assert_eq!(report.hits(rule::AUTO), 2);
}

/// Lines with two and three garbled spans, intact and with lost bytes mixed: a span
/// that lost one pair between two that lost none; a span that lost three pairs (with a
/// listed character read out of step inside it) followed by one that inverts; two
/// spans one character apart.
const MULTI: &str = "\
昨天，很多學者在網上分享了他們的回憶。
編輯丨數學文化
“懷念老師”
大家都寫下了自己的感受。
以下是他的講稿：
他們談論當地的歷史，我們全都在談論這件事，請提供經驗。
第一部分
老人都給我帶來希望，請提供經驗，我們談論當地的天氣。
我們談論當地請提供經驗。
這是第一部分的正文，它比標題長得多，讓讀者可以慢慢地讀下去。";

/// Imports `clean` (pushed through the damage model, then `encode`d) without a fixes
/// file and checks each line against the clean text: it comes back exactly, except
/// the spans that lost bytes, which are marked, each with suggestions the damage model
/// turns back into the garbled text. Returns the report and how many lost-bytes spans
/// had the clean text as their best suggestion.
fn run_with_lost_bytes(clean: &str, encode: impl Fn(&str) -> Vec<u8>) -> (ImportReport, usize) {
    let table = Annotations::builtin();
    let damaged = damage(clean, &table);
    let (report, _dir) = import_damaged(&encode(&damaged));
    assert!(report.balances());
    let mut best_is_clean = 0;
    let clean_lines: Vec<&str> = clean.split('\n').collect();
    assert_eq!(report.clean_lines().len(), clean_lines.len());
    for (i, (got, want)) in report.clean_lines().iter().zip(&clean_lines).enumerate() {
        let mut got = got.as_str();
        let mut want = *want;
        for span in report.marked_spans().iter().filter(|s| s.line == i + 1) {
            // What the page shows: the line's clean text up to the character before the
            // marker, the garbled text, then the clean text again.
            let before = span.garbled.chars().next().unwrap();
            let shown = &span.garbled[before.len_utf8()..];
            let at = got
                .find(shown)
                .unwrap_or_else(|| panic!("{shown} in {got}"));
            let prefix = &got[..at];
            assert!(
                want.starts_with(prefix),
                "line {}: {prefix} / {want}",
                i + 1
            );
            assert!(prefix.ends_with(before));
            want = &want[prefix.len()..];
            got = &got[at + shown.len()..];
            // The stretch of clean text the span stands for.
            let stood_for = want
                .char_indices()
                .map(|(k, c)| k + c.len_utf8())
                .find(|&k| damage(&format!("{before}{}", &want[..k]), &table) == span.garbled)
                .unwrap_or_else(|| panic!("line {}: {} stands for nothing", i + 1, span.garbled));
            let truth = format!("{before}{}", &want[..stood_for]);
            want = &want[stood_for..];
            assert!(
                !lost_pairs(&truth, &table).is_empty(),
                "line {}: only spans with lost bytes are left marked: {truth}",
                i + 1
            );
            assert!(!span.suggestions.is_empty(), "{span:?}");
            for (corrected, lost) in &span.suggestions {
                assert_eq!(damage(corrected, &table), span.garbled, "verified");
                assert_eq!(&lost_pairs(corrected, &table), lost);
            }
            best_is_clean += usize::from(span.suggestions[0].0 == truth);
            let warning = report
                .warnings()
                .iter()
                .find(|w| w.contains(&format!(":{}:", i + 1)) && w.contains("[[repairs]]"))
                .expect("a warning with a ready fixes entry");
            assert!(warning.contains(&span.suggestions[0].0));
        }
        assert_eq!(got, want, "line {}", i + 1);
    }
    (report, best_is_clean)
}

#[test]
fn lines_with_several_spans_mixing_lost_and_intact_bytes_come_back() {
    let (report, best) = run_with_lost_bytes(MULTI, |t| t.as_bytes().to_vec());
    // 談論 twice and 請提 three times invert; 我們全 lost one pair, 我帶 three.
    assert_eq!(report.hits(rule::AUTO), 5);
    assert_eq!(report.hits(rule::MARKED), 2);
    assert_eq!(report.marked_spans().len(), 2);
    println!("{best} of 2 best suggestions are the clean text");
}

#[test]
fn the_same_lines_come_back_from_gb18030_and_from_crlf_with_a_bom() {
    for encode in [
        |t: &str| encoding_rs::GB18030.encode(t).0.into_owned(),
        |t: &str| format!("\u{FEFF}{}", t.replace('\n', "\r\n")).into_bytes(),
    ] {
        let (report, _) = run_with_lost_bytes(MULTI, encode);
        assert_eq!(report.hits(rule::AUTO), 5);
        assert_eq!(report.hits(rule::MARKED), 2);
        let (report, _) = run_with_lost_bytes(SHORT, encode);
        assert_eq!(report.hits(rule::AUTO), 2);
        assert_eq!(report.hits(rule::MARKED), 0);
    }
}

/// A hostile article: hundreds of lines, each a marker followed by hundreds of
/// characters that never fall back in step. The searches stop at their bounds: the
/// import ends quickly, every span marked, the accounting balanced.
#[test]
fn the_search_for_lost_bytes_is_bounded_on_a_hostile_article() {
    let garbage: String = "硐膸准轮唬褪俏抑牢也⒉还聠巍绻".repeat(10);
    let line = format!("給我?guī){garbage}M");
    let article = vec![line; 300].join("\n");
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("article.txt");
    std::fs::write(&source, &article).unwrap();
    let options = ImportOptions {
        source: PathBuf::from(&source),
        fixes: None,
        into: dir.path().join("content"),
    };
    let started = std::time::Instant::now();
    let report = import_article(&options).unwrap_or_else(|e| panic!("{e}"));
    let took = started.elapsed();
    assert!(took.as_secs() < 60, "{took:?}");
    assert_eq!(report.hits(rule::MARKED), 300);
    assert!(report.balances());
    // The budget of the import ran out long before the last spans: they are only
    // marked, and their warnings say why there is no suggestion.
    let stopped = report
        .warnings()
        .iter()
        .filter(|w| w.contains("stopped at its bound"))
        .count();
    println!("{took:?}, {stopped} searches stopped");
    assert!(stopped >= 250, "{stopped}");
}

/// The memorial's article saved as UTF-16 without a byte-order mark, in either byte
/// order, as some editors save it: `lectern import` reads it as the UTF-8 original and
/// writes the same pages.
#[test]
fn a_utf16_article_without_a_bom_imports_as_its_utf8_self() {
    use crate::util::TestSite;
    let site = TestSite::memorial(&[]);
    let article = site.read("sources/felix-hill.txt");
    site.run(&["import", "sources/felix-hill.txt", "--into", "utf8"])
        .ok();
    let expected = reading_order_text(&site.path("utf8"));
    assert!(expected.contains("菲利克斯"), "{expected}");
    type Encode = fn(u16) -> [u8; 2];
    for (name, encode) in [
        ("UTF-16LE", u16::to_le_bytes as Encode),
        ("UTF-16BE", u16::to_be_bytes as Encode),
    ] {
        let bytes: Vec<u8> = article.encode_utf16().flat_map(encode).collect();
        site.write_bytes("sources/utf16.txt", &bytes);
        let into = name.to_lowercase();
        let run = site
            .run(&["import", "sources/utf16.txt", "--into", &into])
            .ok();
        assert!(run.stdout().contains(name), "{}", run.stdout());
        assert_eq!(reading_order_text(&site.path(&into)), expected, "{name}");
    }
}

/// Imports `bytes` as an article, without a fixes file, into a temporary site (kept
/// while the folder is).
fn import_damaged(bytes: &[u8]) -> (ImportReport, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("article.txt");
    std::fs::write(&source, bytes).unwrap();
    let options = ImportOptions {
        source: PathBuf::from(&source),
        fixes: None,
        into: dir.path().join("content"),
    };
    let report = import_article(&options).unwrap_or_else(|e| panic!("{e}"));
    println!("{report}");
    (report, dir)
}
