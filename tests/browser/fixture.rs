//! The fixture site the browser tests read: a small memorial site in Traditional Chinese
//! with a section, footnotes, citations of declared references, a code block, a table, ruby,
//! and enough text that jumping to a footnote really scrolls. It is built with the real
//! `lectern` binary for a GitHub Pages project site (`https://user.github.io/repo/`) and
//! served under `/repo/`, so every link must carry the base path to work.

use crate::util::{page, TestSite};

/// The path prefix the site is built for and served under.
pub const PREFIX: &str = "/repo/";

/// The reading order: (path under the prefix, `<h1>` title). Home, then the section and
/// its pages by weight, then the top-level pages by weight.
pub const READING_ORDER: &[(&str, &str)] = &[
    ("", "紀念文集"),
    ("chapters/", "章節"),
    ("chapters/birthday/", "生日聚會"),
    ("chapters/wealth/", "錢，錢，錢"),
    ("about/", "關於本站"),
    ("refs/", "參考資料"),
];

/// Filler paragraphs, so that footnotes sit well below the first screen.
fn long_text(paragraphs: usize) -> String {
    let paragraph = "那一年的夏天很長，我們在院子裡談論未來，談論那些還沒有寫下的書。\
                     他總是說，慢慢來，時間會把該留下的留下。";
    (1..=paragraphs)
        .map(|i| format!("{paragraph}（{i}）\n\n"))
        .collect()
}

/// Builds the fixture site and returns it; its output is in `public/`.
pub fn build() -> TestSite {
    let home = format!(
        "這是一本紀念文集。先讀[生日聚會的財富一節](@/chapters/birthday.md#財富)，\
         或者[關於本站](@/about.md)。\n\n\
         他說過的話[^cho]都記在這裡。\n\n{}",
        long_text(3)
    );
    let birthday = format!(
        "## 生日聚會\n\n\
         那天來了很多人[^guests]，大家都帶了書。\n\n\
         {}\
         ## 財富\n\n\
         | 年份 | 事情 |\n|---|---|\n| 2019 | 搬家 |\n| 2024 | 出版 |\n\n\
         他寫的第一個程式：\n\n\
         ```rust\nfn main() {{\n    println!(\"你好\");\n}}\n```\n\n\
         <ruby>發<rp>(</rp><rt>fā</rt><rp>)</rp></ruby>現的喜悅[^joy]。\n\n\
         {}\
         [^guests]: 一共三十二位客人。\n\
         [^joy]: 這是他常說的話。\n",
        long_text(25),
        long_text(25)
    );
    let wealth = format!(
        "## 錢不是一切\n\n他引用過一篇文章[^blog]，也引用過另一篇[^cho]。\n\n{}\
         再說一次[^cho]。\n",
        long_text(30)
    );
    let refs = "+++\n\
        title = \"參考資料\"\n\
        weight = 9\n\
        template = \"references.html\"\n\n\
        [[references]]\n\
        id = \"blog\"\n\
        title = \"The blog\"\n\
        url = \"https://docs.example/blog\"\n\n\
        [[references]]\n\
        id = \"cho\"\n\
        title = \"Cho's post\"\n\
        url = \"https://example.com/kchonyc/status/1\"\n\
        author = \"Kyunghyun Cho\"\n\
        +++\n\
        本站引用的文章。\n";
    let site = TestSite::with(&[
        ("content/_index.md", &page("紀念文集", 0, &home)),
        ("content/chapters/_index.md", &page("章節", 1, "各章。\n")),
        (
            "content/chapters/birthday.md",
            &page("生日聚會", 1, &birthday),
        ),
        (
            "content/chapters/wealth.md",
            &page("錢，錢，錢", 2, &wealth),
        ),
        (
            "content/about.md",
            &page("關於本站", 5, "這個網站是為了紀念而做的。\n"),
        ),
        ("content/refs.md", refs),
    ]);
    site.write(
        "site.toml",
        "title = \"紀念文集\"\n\
         base_url = \"https://user.github.io/repo/\"\n\
         description = \"一本紀念文集\"\n\
         language = \"zh-Hant\"\n",
    );
    site.build().ok();
    site
}
