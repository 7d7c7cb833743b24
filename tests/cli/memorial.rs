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
        run.stdout().contains("built 26 pages"),
        "13 pages (the landing page and the article's 12) in each of two editions: {}",
        run.stdout()
    );
    // The content the build generated is the content committed to the repository.
    for file in [
        "article.md",
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
        let source = site.read(&source_of(&site, &path));
        if !source.contains("[generated]") {
            continue; // the landing page, written by hand
        }
        // Titles the article itself holds are part of its text; made-up ones are not.
        let with_title = source.contains("title_from = \"article\"");
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
fn the_reading_order_is_landing_article_blog_nine_sections_references() {
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
    assert_eq!(titles.len(), 13, "{titles:?}");
    assert_eq!(titles[0], "菲利克斯·希爾", "the landing page");
    assert_eq!(titles[1], "悼念文章", "the publisher's article");
    assert_eq!(
        &titles[3..12],
        [
            "無處可逃",
            "隱性競爭",
            "底線工作",
            "錢，錢，錢",
            "科學家不發揮作用",
            "發表論文",
            "初創企業",
            "為什麼我要在博客裡傾訴壓力",
            "社交焦慮"
        ]
    );
    assert_eq!(titles[12], "參考內容");
    let article = site.read("public/article/index.html");
    assert!(
        article.contains("<h2 id=\"再見菲利克斯\">再見，菲利克斯！"),
        "the tribute section"
    );
    assert!(article.contains("<blockquote>"), "Jim Fan's post is quoted");
}

#[test]
fn pinyin_is_ruby_and_references_link_both_ways() {
    let site = memorial();
    site.build().ok();
    // Every reading the import kept in the text reaches the pages as ruby.
    let ruby = regex::Regex::new(r"\{[^{}|\\\s]\|[^{}|\s]+\}").unwrap();
    let (mut in_html, mut in_content) = (0, 0);
    for path in util::reading_order(&site, "") {
        in_html += site
            .read(&format!("public/{path}index.html"))
            .matches("<rt>")
            .count();
        in_content += ruby.find_iter(&site.read(&source_of(&site, &path))).count();
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
    let article = site.read("public/article/index.html");
    for n in 1..=3 {
        assert!(
            article.contains(&format!("href=\"#ref-{n}\"")),
            "marker {n} on the article's page"
        );
        assert!(article.contains(&format!("<li id=\"ref-{n}\" value=\"{n}\">")));
    }
    assert!(article.contains(
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
    assert!(stamp.contains("\"path\": \"article.md\""), "{stamp}");
    // Mark the recorded summary: a build that prints it did not run the import.
    let marked = stamp.replace("imported sources/felix-hill.txt", "UNCHANGED-MARK");
    site.write(stamp_path, &marked);
    // Nothing changed: the import did not run, and the build says so in one line.
    let out = site.build().ok().stdout();
    assert!(
        out.starts_with("built ") && out.lines().count() == 1,
        "{out}"
    );
    assert_eq!(site.read(stamp_path), marked, "the stamp was not rewritten");
    assert!(
        !site.exists("public/.lectern-import.json") && !site.exists("public/content"),
        "the stamp is never published"
    );
    // A generated file deleted: the import runs and writes it again.
    let blog = site.read("content/blog/money.md");
    std::fs::remove_file(site.path("content/blog/money.md")).unwrap();
    site.write(stamp_path, &marked);
    let run = site.build().ok();
    assert!(
        run.stdout().contains("imported sources/"),
        "{}",
        run.stdout()
    );
    assert_eq!(site.read("content/blog/money.md"), blog);
    // A generated file edited by hand: the import runs, leaves it as it is, and the
    // build uses it.
    site.write(stamp_path, &marked);
    site.write("content/blog/money.md", &format!("{blog}\n手改。\n"));
    let run = site.build().ok();
    assert!(!run.stdout().contains("UNCHANGED-MARK"), "{}", run.stdout());
    assert!(run.stdout().contains("edited by hand"), "{}", run.stdout());
    assert!(site.read("public/blog/money/index.html").contains("手改。"));
    site.write("content/blog/money.md", &blog);
    // The fixes file changed: the import runs.
    site.build().ok();
    let marked = site
        .read(stamp_path)
        .replace("imported sources/felix-hill.txt", "UNCHANGED-MARK");
    site.write(stamp_path, &marked);
    let fixes = site.read("sources/fixes.toml");
    site.write("sources/fixes.toml", &format!("{fixes}\n# a comment\n"));
    assert!(site.build().ok().stdout().contains("imported sources/"));
}

/// What the README says the stamp records of lectern itself: its version and its program
/// file's size and modification time (not a hash of its bytes). A lectern built again,
/// same version and same size, has a new time, and imports again; the same file does not.
#[test]
fn the_import_stamp_knows_a_lectern_built_again_by_its_file_time() {
    let site = memorial();
    // A copy of the binary whose time this test may change without touching the one
    // the other tests run.
    let bin = tempfile::tempdir().unwrap();
    let exe = bin.path().join("lectern");
    std::fs::copy(env!("CARGO_BIN_EXE_lectern"), &exe).unwrap();
    let build = || {
        // Another test's fork may briefly hold the fresh copy open for writing
        // ("text file busy"): try again.
        for _ in 0..50 {
            match std::process::Command::new(&exe)
                .arg("build")
                .current_dir(site.root())
                .output()
            {
                Ok(output) => {
                    assert!(output.status.success(), "{output:?}");
                    return String::from_utf8(output.stdout).unwrap();
                }
                Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                Err(e) => panic!("run {}: {e}", exe.display()),
            }
        }
        panic!("{} stayed busy", exe.display());
    };
    assert!(build().contains("imported sources/"));
    let unchanged = build();
    assert!(!unchanged.contains("imported"), "{unchanged}");
    // The same bytes with another modification time: a lectern built again.
    let time = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    std::fs::File::options()
        .write(true)
        .open(&exe)
        .unwrap()
        .set_modified(time)
        .unwrap();
    let again = build();
    assert!(again.contains("imported sources/"), "{again}");
}

/// The epigraph as site.toml has it.
const EPIGRAPH: &str = "盡管目前一片混亂，但這仍然是一個美妙而充實的職業，一個有可能解決科學、哲學乃至人類自身許多重大問題的職業。";

#[test]
fn the_home_page_is_a_landing_page_with_the_person_his_words_and_the_ways_in() {
    let site = memorial();
    assert!(
        site.read("site.toml").contains(EPIGRAPH),
        "the memorial quotes its epigraph"
    );
    site.build().ok();
    for (edition, name, words, blog_title) in [
        ("", "菲利克斯·希爾", EPIGRAPH, "菲利克斯·希爾的博客"),
        (
            "zh-hans/",
            "菲利克斯·希尔",
            "尽管目前一片混乱，但这仍然是一个美妙而充实的职业",
            "菲利克斯·希尔的博客",
        ),
    ] {
        let home = site.read(&format!("public/{edition}index.html"));
        let landing = &home[home.find("<main").unwrap()..home.find("</main>").unwrap()];
        assert!(
            landing.contains(&format!("<h1>{name}</h1>")),
            "{edition}: {landing}"
        );
        assert!(landing.contains("<p class=\"landing-name\" lang=\"en\">Felix Hill</p>"));
        assert!(landing.contains("<time datetime=\"2024-12-05\">"));
        assert!(landing.contains("Google DeepMind"));
        // His words, linked to the page they come from.
        let figure = &landing[landing
            .find("<figure class=\"epigraph\">")
            .expect("an epigraph")..];
        assert!(figure.contains(words), "{edition}: {figure}");
        assert!(
            Regex::new(&format!(
                r#"<figcaption>{name}，<a href="[^"]*blog/">{blog_title}"#
            ))
            .unwrap()
            .is_match(figure),
            "{edition}: {figure}"
        );
        // The ways in: the article, the blog, the references, help.
        for way in ["article/", "blog/", "references/", "help/"] {
            assert!(
                landing.contains(&format!("{edition}{way}\">")),
                "{edition}: no link to {way}"
            );
        }
        // The publisher's lede is on the article's own page, not on the landing page.
        assert!(!landing.contains("Sam Altman"), "{edition}");
        assert!(site
            .read(&format!("public/{edition}article/index.html"))
            .contains("Sam Altman"));
    }
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
            assert_eq!(links, [format!("{prefix}article/#cite-{n}-1")], "{cited}");
            let article = site.read(&format!("public/{prefix}article/index.html"));
            assert!(
                article.contains(&format!("<a id=\"cite-{n}-1\" href=\"#ref-{n}\"")),
                "the marker is on the article's page"
            );
        }
    }
}

#[test]
fn an_epigraph_not_word_for_word_in_its_page_fails_build_and_check_at_its_line() {
    let site = memorial();
    site.build().ok();
    let toml = site.read("site.toml");
    let line = toml.lines().position(|l| l.contains(EPIGRAPH)).unwrap() + 1;
    // One character changed: 職業 → 工作.
    site.write("site.toml", &toml.replacen("充實的職業", "充實的工作", 1));
    for command in ["build", "check"] {
        let stderr = site.run(&[command]).fails();
        assert!(
            stderr.contains("the epigraph is not in content/blog/_index.md word for word"),
            "{command}: {stderr}"
        );
        assert!(
            stderr.contains(&format!("site.toml:{line}:9")),
            "{command}: {stderr}"
        );
        assert!(stderr.contains("充實的工作"), "the line is shown: {stderr}");
    }
    // The page named is not there.
    site.write(
        "site.toml",
        &toml.replacen("page = \"blog/_index.md\"", "page = \"blog/gone.md\"", 1),
    );
    let stderr = site.run(&["build"]).fails();
    assert!(
        stderr.contains(
            "the epigraph is quoted from `blog/gone.md`, but there is no content/blog/gone.md"
        ),
        "{stderr}"
    );
    // Spaces and line breaks may differ; the words may not.
    let spaced = EPIGRAPH.replacen('，', "，\n", 2);
    site.write(
        "site.toml",
        &toml.replacen(
            &format!("\"{EPIGRAPH}\""),
            &format!("\"\"\"{spaced}\"\"\""),
            1,
        ),
    );
    site.build().ok();
}

#[test]
fn dates_and_dotted_names_are_kept_on_one_line_in_both_editions() {
    let site = memorial();
    site.build().ok();
    let article = site.read("public/article/index.html");
    assert!(article.contains("<span class=\"nobr\">2024 年 12 月 5 日</span>"));
    assert!(article.contains("菲利克<span class=\"nobr\">斯·希</span>爾"));
    let simplified = site.read("public/zh-hans/article/index.html");
    assert!(simplified.contains("菲利克<span class=\"nobr\">斯·希</span>尔"));
    // The search index has the text as it is, without the markup.
    let index = site.read("public/search-index.js");
    assert!(index.contains("菲利克斯·希爾"));
    assert!(!index.contains("nobr"));
}

#[test]
fn a_file_the_import_no_longer_writes_is_removed_only_if_no_one_edited_it() {
    let site = memorial();
    let fixes = site.read("sources/fixes.toml");
    let without_page = fixes.replacen("article_page = \"article\"", "", 1);
    assert_ne!(fixes, without_page);
    // The help block's pages name the article's page as it is in each case.
    let config = site.read("site.toml");
    let config_without_page = config.replacen("\"article.md\",", "\"_index.md\",", 1);
    assert_ne!(config, config_without_page);
    for edited in [false, true] {
        // The article as the home page, as before the landing page.
        std::fs::remove_file(site.path("content/_index.md")).unwrap();
        site.write("sources/fixes.toml", &without_page);
        site.write("site.toml", &config_without_page);
        site.build().ok();
        let home = site.read("content/_index.md");
        assert!(home.contains("[generated]"));
        if edited {
            site.write("content/_index.md", &home.replacen("今日", "今天", 1));
        }
        // The article gets a page of its own: the generated home page goes, unless a
        // person edited it.
        site.write("sources/fixes.toml", &fixes);
        site.write("site.toml", &config);
        let out = site.build().ok();
        assert!(site.exists("content/article.md"));
        if edited {
            assert!(
                site.read("content/_index.md").contains("今天"),
                "the edit is kept"
            );
            assert!(
                out.stdout()
                    .contains("_index.md was generated by an earlier import and edited since"),
                "{}",
                out.stdout()
            );
        } else {
            assert!(
                out.stdout()
                    .contains("1 no longer written removed (_index.md)"),
                "{}",
                out.stdout()
            );
            assert!(!site.exists("content/_index.md"));
        }
        site.write("content/_index.md", "+++\ntitle = \"菲利克斯·希爾\"\n+++\n");
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
                "article/",
                "blog/hidden-competition/",
                "blog/money/",
                "blog/why-write/"
            ]
            .map(|p| format!("{prefix}{p}")),
            "the article (his illness) and the blog pages on suicide and depression"
        );
    }
}
