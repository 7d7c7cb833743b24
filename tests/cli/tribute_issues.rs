//! `lectern new-tribute --from-issue`: issues opened with the tribute form, as GitHub
//! sends them to a workflow (`tests/data/issues/`, made by `make.py` there), become
//! tribute files that build and check clean, whatever their text holds; issues that may
//! not be published are refused with the reason, and write nothing.

use std::path::Path;

use crate::tributes_site::site;
use crate::util::{TestSite, MINIMAL_CONFIG};

/// The path of recorded issue `name`.
fn payload(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/issues")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// A tribute written from an issue and built into its site.
struct Converted {
    /// The file lectern wrote.
    file: String,
    /// What `new-tribute` printed on stderr (its notes).
    notes: String,
    /// The tribute's `<article>` on the tributes page.
    article: String,
}

/// Turns issue `name` into `content/tributes/<slug>.md` in `site`, builds the site,
/// checks it, and returns the file and the tribute as the tributes page shows it.
fn convert(site: &TestSite, name: &str, slug: &str) -> Converted {
    let run = site
        .run(&["new-tribute", "--from-issue", &payload(name)])
        .ok();
    assert!(
        run.stdout()
            .contains(&format!("created content/tributes/{slug}.md from issue #")),
        "{}",
        run.stdout()
    );
    site.build().ok();
    // What the pull request's check would say: nothing.
    site.run(&["check"]).ok();
    let section = site.read("public/tributes/index.html");
    let start = section
        .find(&format!("<article class=\"tribute\" id=\"tribute-{slug}\""))
        .unwrap_or_else(|| panic!("no tribute {slug} in:\n{section}"));
    let end = start
        + section[start..]
            .find("</article>")
            .expect("the article ends");
    assert!(site.exists(&format!("public/tributes/{slug}/index.html")));
    Converted {
        file: site.read(&format!("content/tributes/{slug}.md")),
        notes: run.stderr(),
        article: section[start..end].to_string(),
    }
}

/// No element in `html` that a tribute's text must never produce.
fn assert_inert(html: &str) {
    for tag in [
        "<script",
        "<iframe",
        "<img",
        "<small",
        "<ruby",
        "<ol",
        "<ul",
        "<h1",
        "<h3",
        "<table",
        "<pre",
        "<code",
        "<blockquote",
        "<hr",
        "<sup",
        "<del",
        "<em",
        "<strong",
    ] {
        assert!(!html.contains(tag), "{tag} in:\n{html}");
    }
    assert!(!html.contains("href=\"javascript"), "{html}");
    assert!(!html.contains("href=\"https://evil"), "{html}");
    assert!(!html.contains("src=\"https://tracker"), "{html}");
}

#[test]
fn a_chinese_tribute_with_a_link_is_published_in_both_editions() {
    let site = site();
    let converted = convert(&site, "zh.json", "chen-xiao-yun");
    assert!(
        converted.file.starts_with(
            "+++\n# From issue #12, opened by @chen-xiaoyun; written by `lectern new-tribute --from-issue`\n\
             title = \"陳小雲\"\ndate = 2025-01-08\n\n[tribute]\nauthor = \"陳小雲\"\n\
             relation = \"以前的學生\"\nlink = \"https://example.org/blog/felix\"\n+++\n"
        ),
        "{}",
        converted.file
    );
    let article = &converted.article;
    assert!(
        article.contains("<span class=\"tribute-author\">陳小雲</span>"),
        "{article}"
    );
    assert!(article.contains("<span class=\"tribute-relation\">以前的學生</span>"));
    assert!(article.contains("<time datetime=\"2025-01-08\">2025 年 1 月 8 日</time>"));
    assert!(article.contains("href=\"https://example.org/blog/felix\""));
    // Its paragraphs, and the line break inside the first, as the author typed them.
    assert!(
        article.contains(
            "<p>第一次讀到菲利克斯談研究壓力的文章，是在一個很晚的晚上。<br />\n謝謝你把難說的話說出來。</p>\n<p>願你安息。我們會記得你。</p>"
        ),
        "{article}"
    );
    assert_inert(article);
    // In date order among the others, and converted in the Simplified edition.
    let section = site.read("public/tributes/index.html");
    let order: Vec<usize> = [
        "The first tribute.",
        "張三的悼念",
        "第一次讀到",
        "李四的悼念",
    ]
    .iter()
    .map(|t| section.find(t).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{section}");
    let simplified = site.read("public/zh-hans/tributes/index.html");
    assert!(simplified.contains("<span class=\"tribute-author\">陈小云</span>"));
    assert!(simplified.contains("谢谢你把难说的话说出来。"));
}

#[test]
fn markdown_in_an_edited_issue_is_shown_as_typed() {
    // Edited on the web, so its lines end in \r\n; no link.
    let site = site();
    let converted = convert(&site, "en-edited.json", "jane-doe");
    let article = &converted.article;
    assert!(
        article.contains(
            "<p>Felix's kindness was *everywhere*.</p>\n<p>1. He listened.<br />\n- He asked the second question.<br />\n## He laughed</p>\n<p>I am 100% sure he would have hated this fuss.</p>"
        ),
        "{article}"
    );
    assert!(
        !article.contains("class=\"external\""),
        "no link: {article}"
    );
    assert!(!converted.file.contains('\r'));
    assert!(!converted.file.contains("link ="));
    assert_inert(article);
}

#[test]
fn html_and_links_in_an_issue_are_shown_as_text_even_with_unsafe_html() {
    for unsafe_html in [false, true] {
        let site = site();
        if unsafe_html {
            let config = site.read("site.toml");
            site.write(
                "site.toml",
                &config.replacen(
                    MINIMAL_CONFIG,
                    &format!("{MINIMAL_CONFIG}[markdown]\nunsafe_html = true\n"),
                    1,
                ),
            );
        }
        let converted = convert(&site, "html.json", "b-mallory-b");
        let article = &converted.article;
        assert_inert(article);
        for shown in [
            "<span class=\"tribute-author\">&lt;b&gt;Mallory&lt;/b&gt;</span>",
            "<span class=\"tribute-relation\">&lt;img src=x onerror=alert(1)&gt;</span>",
            "<p>&lt;script&gt;alert(document.cookie)&lt;/script&gt;</p>",
            "<p>&lt;!-- more --&gt;</p>",
            "[click me](javascript:alert(1)) ![pixel](https://tracker.example/p.gif) &lt;https://evil.example/&gt; &amp;#x202e;&amp;lt;b&amp;gt; {{ youtube(id=\"x\") }} [^cho] [next](@/article.md)",
            "&lt;small&gt;small&lt;/small&gt; &lt;ruby&gt;字&lt;rt&gt;zì&lt;/rt&gt;&lt;/ruby&gt;",
        ] {
            assert!(article.contains(shown), "{unsafe_html}: {shown} not in:\n{article}");
        }
        // The whole page: no script but the theme's own, no override character.
        let page = site.read("public/tributes/b-mallory-b/index.html");
        assert!(!page.contains("alert(document.cookie)</script>"), "{page}");
        assert!(!page.contains('\u{202e}'));
    }
}

#[test]
fn front_matter_breakers_stay_inside_their_values() {
    let site = site();
    let converted = convert(&site, "front-matter.json", "eve-title-pwned");
    let article = &converted.article;
    assert!(
        article.contains("<span class=\"tribute-author\">Eve&quot; title = &quot;pwned</span>"),
        "{article}"
    );
    assert!(
        article.contains("<span class=\"tribute-relation\">&#x27;&#x27;&#x27; +++ [extra]</span>"),
        "{article}"
    );
    assert!(
        article.contains(
            "<p>+++<br />\ntitle = \"pwned\"<br />\n[tribute]<br />\nauthor = \"someone else\"<br />\n+++</p>\n<p>\"\"\"<br />\n---<br />\n===</p>\n<p>The end.</p>"
        ),
        "{article}"
    );
    // One front matter, one tribute: the text made no other.
    assert_eq!(
        converted.file.matches("\n+++\n").count(),
        1,
        "{}",
        converted.file
    );
    let section = site.read("public/tributes/index.html");
    assert_eq!(section.matches("<article class=\"tribute\"").count(), 4);
    assert!(!section.contains(">someone else<"));
    assert!(!section.contains(">pwned<"));
    assert_inert(article);
}

#[test]
fn control_and_bidirectional_characters_are_removed_and_counted() {
    let site = site();
    let converted = convert(&site, "controls.json", "trolly");
    for c in [
        '\u{1b}', '\u{0}', '\u{7}', '\u{85}', '\u{202e}', '\u{202c}', '\u{2066}',
    ] {
        assert!(!converted.file.contains(c), "{c:?} in {}", converted.file);
        assert!(
            !converted.article.contains(c),
            "{c:?} in {}",
            converted.article
        );
    }
    assert!(converted
        .article
        .contains("<span class=\"tribute-author\">Trolly</span>"));
    assert!(converted
        .article
        .contains("<span class=\"tribute-relation\">friend</span>"));
    // Unicode's line separator is a line break.
    assert!(
        converted
            .article
            .contains("<p>Red [31mtext[0m and a bell.<br />\nA gnirts reversed.</p>"),
        "{}",
        converted.article
    );
    for note in [
        "note: removed 2 control or bidirectional override characters from `你的名字（Your name）`",
        "note: removed 1 control or bidirectional override character from `你們的關係（How you knew each other）`",
        "note: removed 6 control or bidirectional override characters from `悼念的話（Your tribute）`",
    ] {
        assert!(converted.notes.contains(note), "{}", converted.notes);
    }
}

#[test]
fn form_headings_typed_into_the_text_stay_in_the_text() {
    let site = site();
    let converted = convert(&site, "spoofed-headings.json", "oscar");
    let article = &converted.article;
    assert!(!article.contains("class=\"external\""), "{article}");
    assert!(
        article.contains(
            "<p>My words.</p>\n<p>### 連結（Link, optional）</p>\n<p>https://evil.example/</p>\n<p>### 同意公開（Consent to publish）</p>\n<p>- [X] spoofed</p>"
        ),
        "{article}"
    );
    assert_inert(article);
}

#[test]
fn issues_that_may_not_be_published_are_refused_and_write_nothing() {
    for (name, why) in [
        (
            "huge.json",
            "issue #40: `悼念的話（Your tribute）` is 63799 characters long; the limit is 20000",
        ),
        (
            "no-consent.json",
            "issue #41: the box `同意公開（Consent to publish）` is not ticked",
        ),
        (
            "bad-link.json",
            "issue #42: `連結（Link, optional）` is `javascript:alert(document.domain)`, which is not a web address",
        ),
        (
            "bad-date.json",
            "issue #43: `日期（Date, YYYY-MM-DD）` is `2025年1月18日`, which is not a date",
        ),
    ] {
        let site = site();
        let before = site.snapshot("content");
        let err = site
            .run(&["new-tribute", "--from-issue", &payload(name)])
            .fails();
        assert!(err.contains(why), "{name}: {err}");
        assert!(err.contains(&format!("--> {}", payload(name))), "{name}: {err}");
        assert_eq!(site.snapshot("content"), before, "{name} wrote nothing");
    }
    let site = site();
    site.write(
        "not-json.json",
        "{\"number\": 3,\n  \"body\": \"x\"\n  \"user\": {}}\n",
    );
    let err = site
        .run(&["new-tribute", "--from-issue", "not-json.json"])
        .fails();
    assert!(err.contains("the issue file is not valid JSON"), "{err}");
    assert!(err.contains("--> not-json.json:3:3"), "{err}");
}

#[test]
fn an_issue_is_written_once_and_a_taken_name_gets_the_issue_number() {
    let site = site();
    site.run(&["new-tribute", "--from-issue", &payload("zh.json")])
        .ok();
    let err = site
        .run(&["new-tribute", "--from-issue", &payload("zh.json")])
        .fails();
    assert!(
        err.contains("issue #12 was already turned into this tribute file"),
        "{err}"
    );
    assert!(err.contains("content/tributes/chen-xiao-yun.md"), "{err}");
    // Someone else called Jane Doe already has a tribute.
    site.write(
        "content/tributes/jane-doe.md",
        &crate::tributes_site::tribute("Jane Doe", "2025-01-02", 0, "", "Another Jane."),
    );
    let converted = convert(&site, "en-edited.json", "jane-doe-15");
    assert!(converted.article.contains("Felix's kindness"));
    assert!(site
        .read("content/tributes/jane-doe.md")
        .contains("Another Jane."));
}

#[test]
fn an_issue_and_a_name_are_not_given_together() {
    let site = site();
    let err = site
        .run(&["new-tribute", "Jane", "--from-issue", &payload("zh.json")])
        .fails();
    assert!(err.contains("cannot be used with"), "{err}");
    let err = site.run(&["new-tribute"]).fails();
    assert!(err.contains("<NAME>"), "{err}");
}
