//! The small memorial site the tribute tests build: home, a blog section, references,
//! three tributes whose file names and weights disagree with their dates, a zh-Hans
//! edition, and a `[help]` block with two made-up resources.

#![allow(dead_code)]

use crate::util::{page, TestSite, MINIMAL_CONFIG};

/// `[help]` with two made-up resources, shown on the last blog page and the references.
pub const HELP: &str = r#"
[[editions]]
language = "zh-Hans"
path = "zh-hans"

[help]
heading = "你並不孤單"
text = """
如果你正感到難以承受，請和信任的人談談。

第二段話。
"""
pages = ["blog/last.md", "references.md"]

[[help.resources]]
name = "範例熱線"
region = "範例地區"
contact = "000"
url = "https://example.org/line"

[[help.resources]]
name = "Example Line"
region = "Nowhere"
contact = "text EXAMPLE to 00000"
url = "https://example.org/other-line"
"#;

pub fn tribute(author: &str, date: &str, weight: i64, extra: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{author}\"\ndate = {date}\nweight = {weight}\n\n[tribute]\nauthor = \"{author}\"\n{extra}+++\n\n{body}\n"
    )
}

/// A small memorial: home, a blog section, references, and three tributes whose file
/// names and weights disagree with their dates.
pub fn site() -> TestSite {
    let site = TestSite::with(&[
        ("content/_index.md", &page("紀念", 0, "正文。\n")),
        ("content/blog/_index.md", &page("博客", 1, "博客。\n")),
        ("content/blog/first.md", &page("第一篇", 1, "第一篇。\n")),
        ("content/blog/last.md", &page("最後一篇", 2, "最後一篇。\n")),
        ("content/references.md", &page("參考", 2, "參考。\n")),
        (
            "content/tributes/_index.md",
            "+++\ntitle = \"悼念\"\nweight = 3\nsort_by = \"date\"\ntemplate = \"tributes.html\"\n+++\n\n讀者的話。\n",
        ),
        (
            "content/tributes/a-middle.md",
            &tribute("張三", "2025-01-05", 1, "", "張三的悼念，寫於中間。"),
        ),
        (
            "content/tributes/b-first.md",
            &tribute(
                "Example Person",
                "2025-01-01",
                3,
                "link = \"https://example.org/post\"\nrelation = \"colleague\"\n",
                "The first tribute.",
            ),
        ),
        (
            "content/tributes/c-last.md",
            &tribute("李四", "2025-02-10", 2, "", "李四的悼念，最晚。"),
        ),
    ]);
    site.write("site.toml", &format!("{MINIMAL_CONFIG}{HELP}"));
    site
}
