//! The Simplified edition beside the Traditional one: built from one source, converted
//! phrase by phrase, every page in both, linked both ways, addresses and code as written.
//! (In a real browser: `tests/browser/editions.rs`.)

use crate::util;
use crate::util::TestSite;

/// The memorial as the repository ships it (its sources and its hand-written tributes
/// section), built for a GitHub Pages project site.
fn memorial() -> TestSite {
    let site = TestSite::memorial(&["content/tributes/_index.md"]);
    site.run(&["build", "-u", "https://user.github.io/repo/"])
        .ok();
    site
}

/// Every built page of the source edition, as paths relative to `public/`.
fn source_pages(site: &TestSite) -> Vec<String> {
    let root = site.path("public");
    walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            e.path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|p| !p.starts_with("zh-hans/"))
        .collect()
}

#[test]
fn every_page_is_in_both_editions_and_links_to_its_counterpart() {
    let site = memorial();
    let pages = source_pages(&site);
    assert_eq!(
        pages.len(),
        16,
        "14 documents (the landing page and the tributes section among them), the \
         single-page view and the help page: {pages:?}"
    );
    for page in &pages {
        let path = page.trim_end_matches("index.html");
        // The Simplified page's way up to the site's root.
        let up = "../".repeat(1 + page.matches('/').count());
        let hans = site.read(&format!("public/zh-hans/{page}"));
        let hant = site.read(&format!("public/{page}"));
        assert!(hans.contains("<html lang=\"zh-Hans\">"), "{page}");
        assert!(hant.contains("<html lang=\"zh-Hant\">"), "{page}");
        for html in [&hans, &hant] {
            assert!(
                html.contains(&format!(
                    "hreflang=\"zh-Hant\" href=\"https://user.github.io/repo/{path}\""
                )),
                "{page}"
            );
            assert!(
                html.contains(&format!(
                    "hreflang=\"zh-Hans\" href=\"https://user.github.io/repo/zh-hans/{path}\""
                )),
                "{page}"
            );
        }
        assert!(
            hans.contains(&format!(
                "<a href=\"{up}{path}\" hreflang=\"zh-Hant\" lang=\"zh-Hant\">繁體</a>"
            )),
            "{page}"
        );
        assert!(hans.contains(&format!("<a href=\"{up}zh-hans/{path}\" hreflang=\"zh-Hans\" lang=\"zh-Hans\" aria-current=\"true\">简体</a>")), "{page}");
    }
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://user.github.io/repo/blog/money/</loc>"));
    assert!(sitemap.contains("<loc>https://user.github.io/repo/zh-hans/blog/money/</loc>"));
}

#[test]
fn text_is_converted_by_phrase_and_latin_urls_and_readings_stay() {
    let site = memorial();
    let intro = site.read("public/zh-hans/blog/index.html");
    assert!(
        intro.contains("谈论是什么让人工智能研究充满压力"),
        "談論 → 谈论, 什么 stays 什么"
    );
    let no_escape = site.read("public/zh-hans/blog/no-escape/index.html");
    assert!(
        no_escape.contains("充斥着"),
        "著 in 充斥著 is 着 in this phrase"
    );
    assert!(no_escape.contains("Elena Ferrante"));
    assert!(
        no_escape.contains("《那不勒斯四部曲》"),
        "book-title marks are kept"
    );
    // Ruby: the base character converts, the reading does not.
    let scientists = site.read("public/zh-hans/blog/scientists/index.html");
    assert!(scientists.contains("<ruby>学<rp>(</rp><rt>xué</rt><rp>)</rp></ruby>"));
    // References keep their URLs, with their titles converted.
    let refs = site.read("public/zh-hans/references/index.html");
    assert!(refs.contains("https://x.com/kchonyc/status/1874768078044868708"));
    assert!(refs.contains("菲利克斯·希尔的博客"), "{refs}");
    // The help block's words convert; its numbers and source links do not.
    let help = site.read("public/zh-hans/blog/social-anxiety/index.html");
    assert!(help.contains("你并不孤单"));
    assert!(
        help.contains("<span class=\"help-contact\"><a class=\"help-tel\" href=\"tel:1925\">1925</a>（24 小时，免付费）</span>"),
        "{help}"
    );
    assert!(help.contains("https://www.samaritans.org/how-we-can-help/contact-samaritan/"));
    // The header and metadata speak Simplified too.
    let home = site.read("public/zh-hans/index.html");
    assert!(home.contains("跳到正文") && home.contains("网站导览"));
    assert!(
        home.contains("\"name\":\"菲利克斯·希尔\""),
        "JSON-LD person in the edition's script"
    );
}

#[test]
fn web_addresses_and_code_are_shown_as_written_in_the_edition() {
    let body = "裸網址 https://example.org/談論。然後談論。\n\n\
        自動連結 <https://example.org/談論>。\n\n\
        同文連結 [https://example.org/談論](https://example.org/談論)、\
        [example.org/談論](https://example.org/%E8%AB%87%E8%AB%96)、\
        [見 https://example.org/談論](https://example.org/談論)。\n\n\
        別的連結 [談論](https://example.org/談論)。\n\n\
        程式碼 `談論`\n\n```text\n談論 https://example.org/談論\n```\n";
    let site = util::TestSite::with(&[
        ("content/_index.md", &util::page("首頁", 0, "")),
        ("content/a.md", &util::page("一", 1, body)),
    ]);
    site.write(
        "site.toml",
        &format!(
            "{}edition_name = \"繁體\"\n[[editions]]\nlanguage = \"zh-Hans\"\npath = \"zh-hans\"\nname = \"简体\"\n",
            util::MINIMAL_CONFIG
        ),
    );
    site.build().ok();
    let hans = site.read("public/zh-hans/a/index.html");
    let url = "https://example.org/談論";
    // A bare address is kept up to the punctuation after it; the prose goes on converted.
    assert!(hans.contains(&format!("{url}。然后谈论。")), "{hans}");
    // An autolink, and a link whose text is its address (whole, without the scheme, or
    // within the text), show the address as written.
    for shown in [
        format!("\">{url}</a>"),
        "\">example.org/談論</a>".to_string(),
        format!("\">见 {url}</a>"),
    ] {
        assert!(hans.contains(&shown), "{shown} in {hans}");
    }
    assert_eq!(hans.matches(&format!(">{url}</a>")).count(), 2, "{hans}");
    // Other link texts are prose, converted; where the links lead is never converted.
    assert!(hans.contains(">谈论</a>"), "{hans}");
    assert!(!hans.contains("example.org/谈论"), "{hans}");
    // Code, inline and in blocks, is never converted.
    assert!(hans.contains("<code>談論</code>"), "{hans}");
    let block = hans.split("<pre").nth(1).expect("a code block");
    assert!(block.contains("談論 https://example.org/談論"), "{block}");
    // The source edition is as written, of course.
    let hant = site.read("public/a/index.html");
    assert!(hant.contains("然後談論。") && hant.contains(">談論</a>"));
}

#[test]
fn navigation_search_and_read_it_all_work_in_the_edition() {
    let site = memorial();
    let page = site.read("public/zh-hans/blog/money/index.html");
    assert!(page.contains("rel=\"next\" href=\"../../../zh-hans/blog/scientists/\""));
    assert!(page.contains("<a href=\"../../../zh-hans/all/\">全文</a>"));
    assert!(page.contains(
        "data-index=\"../../../zh-hans/search-index.js\" data-root=\"../../../zh-hans/\""
    ));
    let index = site.read("public/zh-hans/search-index.js");
    assert!(
        index.contains("\"焦虑\""),
        "the index holds Simplified bigrams"
    );
    assert!(!index.contains("\"焦慮\""));
    assert!(index.contains("\"u\":\"blog/social-anxiety/\""));
    let all = site.read("public/zh-hans/all/index.html");
    assert!(all.contains("社交焦虑"));
    // Reading time is the same in both scripts.
    let minutes = |html: &str| {
        html.split("阅读时间约 ")
            .nth(1)
            .or_else(|| html.split("閱讀時間約 ").nth(1))
            .map(|s| s[..2].to_string())
    };
    let hant = site.read("public/blog/money/index.html");
    assert_eq!(minutes(&page), minutes(&hant));
}
