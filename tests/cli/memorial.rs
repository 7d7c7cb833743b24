//! The memorial end to end: the raw article → `lectern build` (which imports first) →
//! HTML pages that read, in reading order, exactly as the article after the import's
//! named rules.

use crate::util;

use std::path::Path;

use crate::util::TestSite;
use lectern::import::{import_article, ImportOptions};
use regex::Regex;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A copy of the memorial's own sources in a temp folder, with no content/ yet.
fn memorial() -> TestSite {
    TestSite::memorial(&[])
}

/// The visible text of a built page: its `<h1>` (when `with_title`) and the blocks of
/// its content, without pinyin, citation markers or heading anchors.
fn page_text(html: &str, with_title: bool) -> Vec<String> {
    let mut blocks = Vec::new();
    if with_title {
        let h1 = Regex::new(r"<h1>(.*?)</h1>").unwrap();
        blocks.push(strip(&h1.captures(html).expect("a title")[1]));
    }
    let start = html.find("<div class=\"content\">").expect("content") + 21;
    let end = start + html[start..].find("\n</div>\n").expect("end of content");
    let block_end = Regex::new(r"</(p|h[1-6]|li|blockquote)>").unwrap();
    for block in block_end.split(&html[start..end]) {
        let text = strip(block);
        if !text.trim().is_empty() {
            blocks.push(text.trim().to_string());
        }
    }
    blocks
}

fn strip(html: &str) -> String {
    util::visible_text(html, true)
}

#[test]
fn the_memorial_builds_from_the_raw_article() {
    let site = memorial();
    let run = site.build().ok();
    assert!(
        run.stdout()
            .contains("imported sources/felix-hill.txt (UTF-8)"),
        "{}",
        run.stdout()
    );
    assert!(run.stdout().contains("0 warnings"), "{}", run.stdout());
    assert!(
        run.stdout().contains("built 24 pages"),
        "12 pages in each of two editions: {}",
        run.stdout()
    );
    // The content the build generated is the content committed to the repository.
    for file in [
        "_index.md",
        "blog/_index.md",
        "blog/no-escape.md",
        "references.md",
    ] {
        assert_eq!(
            site.read(&format!("content/{file}")),
            std::fs::read_to_string(Path::new(REPO).join("content").join(file)).unwrap(),
            "content/{file} differs from the committed one"
        );
    }
}

#[test]
fn the_built_pages_read_as_the_article_after_exactly_the_import_rules() {
    let site = memorial();
    site.build().ok();
    // The import's own account of what the pages must say.
    let report = import_article(&ImportOptions {
        source: site.path("sources/felix-hill.txt"),
        fixes: Some(site.path("sources/fixes.toml")),
        into: site.path("content"),
    })
    .unwrap();
    let mut text = Vec::new();
    for path in util::reading_order(&site, "") {
        let html = site.read(&format!("public/{path}index.html"));
        // Titles the article itself holds are part of its text; made-up ones are not.
        let with_title = site
            .read(&source_of(&site, &path))
            .contains("title_from = \"article\"");
        text.extend(page_text(&html, with_title));
    }
    assert_eq!(text.join("\n"), report.reading_text());
}

/// The content file behind a built page, from its URL path.
fn source_of(site: &TestSite, path: &str) -> String {
    if path.is_empty() {
        return "content/_index.md".into();
    }
    let slug = path.trim_end_matches('/');
    for candidate in [
        format!("content/{slug}/_index.md"),
        format!("content/{slug}.md"),
    ] {
        if site.exists(&candidate) {
            return candidate;
        }
    }
    panic!("no content file for {path}");
}

#[test]
fn the_reading_order_is_lede_blog_nine_sections_references() {
    let site = memorial();
    site.build().ok();
    let titles: Vec<String> = util::reading_order(&site, "")
        .iter()
        .map(|p| {
            let html = site.read(&format!("public/{p}index.html"));
            strip(
                &Regex::new(r"<h1>(.*?)</h1>")
                    .unwrap()
                    .captures(&html)
                    .unwrap()[1],
            )
        })
        .collect();
    assert_eq!(titles.len(), 12, "{titles:?}");
    assert_eq!(
        &titles[2..11],
        [
            "無處可逃",
            "隱性競爭",
            "底線工作",
            "錢，錢，錢",
            "科學家不發揮作用",
            "發表論文",
            "初創企業",
            "為什么我要在博客里傾訴壓力",
            "社交焦慮"
        ]
    );
    assert_eq!(titles[11], "參考內容");
    let home = site.read("public/index.html");
    assert!(
        home.contains("<h2 id=\"再見菲利克斯\">再見，菲利克斯！"),
        "the tribute section"
    );
    assert!(home.contains("<blockquote>"), "Jim Fan's post is quoted");
}

#[test]
fn pinyin_is_ruby_and_references_link_both_ways() {
    let site = memorial();
    site.build().ok();
    // Every reading the import kept in the text reaches the pages as ruby.
    let (mut in_html, mut in_content) = (0, 0);
    for path in util::reading_order(&site, "") {
        in_html += site
            .read(&format!("public/{path}index.html"))
            .matches("<rt>")
            .count();
        in_content += site.read(&source_of(&site, &path)).matches("<rt>").count();
    }
    let report = import_article(&ImportOptions {
        source: site.path("sources/felix-hill.txt"),
        fixes: Some(site.path("sources/fixes.toml")),
        into: site.path("content"),
    })
    .unwrap();
    assert_eq!(
        in_content,
        report.ruby(),
        "every reading the import kept is in content/, titles included"
    );
    assert_eq!(in_html, in_content);
    let home = site.read("public/index.html");
    for n in 1..=3 {
        assert!(
            home.contains(&format!("href=\"#ref-{n}\"")),
            "marker {n} on the home page"
        );
        assert!(home.contains(&format!("<li id=\"ref-{n}\" value=\"{n}\">")));
    }
    assert!(home.contains(
        "href=\"https://x.com/kchonyc/status/1874768078044868708\" rel=\"noopener noreferrer\""
    ));
    let refs = site.read("public/references/index.html");
    for url in [
        "https://docs.google.com/document/d/1aEdTE-B6CSPPeUWYD-IgNVQVZM25f7MF-u9qn5KJJvo/mobilebasic",
        "https://x.com/kchonyc/status/1874768078044868708",
        "https://x.com/DrJimFan/status/1874959979553427815",
    ] {
        assert!(refs.contains(url), "{url}");
    }
    assert!(
        refs.contains("<small>"),
        "the publisher's notice is kept as small print"
    );
    assert!(refs.contains("Notice: The content above"));
}

#[test]
fn a_build_skips_an_import_that_would_change_nothing_and_runs_any_other() {
    let site = memorial();
    let first = site.build().ok();
    assert!(first
        .stdout()
        .contains("imported sources/felix-hill.txt (UTF-8)"));
    let stamp_path = "content/.lectern-import.json";
    let stamp = site.read(stamp_path);
    assert!(stamp.contains("\"path\": \"_index.md\""), "{stamp}");
    // Mark the recorded summary: a build that prints it did not run the import.
    let marked = stamp.replace("imported sources/felix-hill.txt", "UNCHANGED-MARK");
    site.write(stamp_path, &marked);
    assert!(site.build().ok().stdout().contains("UNCHANGED-MARK"));
    assert!(
        !site.exists("public/.lectern-import.json") && !site.exists("public/content"),
        "the stamp is never published"
    );
    // A generated file deleted: the import runs and writes it again.
    let blog = site.read("content/blog/money.md");
    std::fs::remove_file(site.path("content/blog/money.md")).unwrap();
    site.write(stamp_path, &marked);
    let run = site.build().ok();
    assert!(!run.stdout().contains("UNCHANGED-MARK"), "{}", run.stdout());
    assert_eq!(site.read("content/blog/money.md"), blog);
    // A generated file edited by hand: the import runs and refuses to overwrite it.
    site.write(stamp_path, &marked);
    site.write("content/blog/money.md", &format!("{blog}\n手改。\n"));
    let stderr = site.build().fails();
    assert!(stderr.contains("edited by hand"), "{stderr}");
    site.write("content/blog/money.md", &blog);
    // The fixes file changed: the import runs.
    site.build().ok();
    let marked = site
        .read(stamp_path)
        .replace("imported sources/felix-hill.txt", "UNCHANGED-MARK");
    site.write(stamp_path, &marked);
    let fixes = site.read("sources/fixes.toml");
    site.write("sources/fixes.toml", &format!("{fixes}\n# a comment\n"));
    assert!(!site.build().ok().stdout().contains("UNCHANGED-MARK"));
}

/// The part of `html` from the first `start` to the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} missing from:\n{html}"));
    let to = from + html[from..].find(end).expect("the end");
    &html[from..to]
}

#[test]
fn the_references_page_lists_each_reference_once_with_links_to_where_it_is_cited() {
    let site = memorial();
    site.build().ok();
    let href = Regex::new(r#"<a href="([^"]*)">"#).unwrap();
    for (prefix, blog_title) in [
        ("", "菲利克斯·希爾的博客（Google 文件）"),
        ("zh-hans/", "菲利克斯·希尔的博客（Google 文件）"),
    ] {
        let page = format!("{prefix}references/index.html");
        let html = site.read(&format!("public/{page}"));
        // The body keeps the notice and no longer repeats the addresses as a bare list.
        let body = between(&html, "<div class=\"content\">", "</div>");
        assert!(!body.contains("https://"), "{body}");
        assert!(body.contains("<small>"), "{body}");
        let list = between(
            &html,
            "<section class=\"references all-references\"",
            "</section>",
        );
        let references = [
            (
                "Felix Hill",
                blog_title,
                "docs.google.com",
                "https://docs.google.com/document/d/1aEdTE-B6CSPPeUWYD-IgNVQVZM25f7MF-u9qn5KJJvo/mobilebasic",
            ),
            (
                "Kyunghyun Cho",
                "Kyunghyun Cho (@kchonyc) on X",
                "x.com",
                "https://x.com/kchonyc/status/1874768078044868708",
            ),
            (
                "Jim Fan",
                "Jim Fan (@DrJimFan) on X",
                "x.com",
                "https://x.com/DrJimFan/status/1874959979553427815",
            ),
        ];
        for (n, (author, title, host, url)) in (1..).zip(references) {
            assert_eq!(html.matches(&format!("href=\"{url}\"")).count(), 1, "{url}");
            let item = between(list, &format!("<li id=\"ref-{n}\""), "</li>");
            assert!(
                item.contains(&format!("<span lang=\"en\">{author}</span>")),
                "{item}"
            );
            assert!(
                item.contains(&format!(
                    "href=\"{url}\" rel=\"noopener noreferrer\">{title}</a>"
                )),
                "{item}"
            );
            assert!(
                item.contains(&format!("<span class=\"reference-site\">· {host}</span>")),
                "{item}"
            );
            // Where it is cited: the citing page, at the marker, which links back here.
            let cited = between(item, "<span class=\"cited-in\">", "</span>");
            let links: Vec<String> = href
                .captures_iter(cited)
                .map(|c| util::resolve(&page, &c[1]))
                .collect();
            assert_eq!(links, [format!("{prefix}#cite-{n}-1")], "{cited}");
            let home = site.read(&format!("public/{prefix}index.html"));
            assert!(
                home.contains(&format!("<a id=\"cite-{n}-1\" href=\"#ref-{n}\"")),
                "the marker is on the home page"
            );
        }
    }
}

#[test]
fn every_page_that_speaks_of_suicide_or_depression_ends_with_help_a_phone_can_dial() {
    let site = memorial();
    site.build().ok();
    let words = ["自殺", "自杀", "抑郁", "抑鬱", "精神"];
    for prefix in ["", "zh-hans/"] {
        let mut with_help = Vec::new();
        for path in util::reading_order(&site, prefix) {
            let html = site.read(&format!("public/{path}index.html"));
            let text = strip(between(&html, "<div class=\"content\">", "\n</div>\n"));
            let block = html
                .find("<section class=\"help\"")
                .map(|at| between(&html[at..], "<section", "</section>"));
            if words.iter().any(|w| text.contains(w)) {
                let block = block.unwrap_or_else(|| panic!("{path} speaks of it without help"));
                for tel in ["1925", "+85223892222", "12356", "988", "+44116123"] {
                    assert!(
                        block.contains(&format!("href=\"tel:{tel}\"")),
                        "{path}: {tel}"
                    );
                }
                assert!(block.contains("href=\"sms:988\""), "{path}");
                assert!(block.contains(
                    "<a class=\"help-link-out\" href=\"https://findahelpline.com/\" rel=\"noopener noreferrer\">findahelpline.com</a>"
                ));
                assert!(
                    !block.contains("findahelpline.com/AU"),
                    "its own page as source"
                );
                with_help.push(path);
            }
        }
        assert_eq!(
            with_help,
            [
                "",
                "blog/hidden-competition/",
                "blog/money/",
                "blog/why-write/"
            ]
            .map(|p| format!("{prefix}{p}")),
            "the home page (his illness) and the blog pages on suicide and depression"
        );
    }
}
