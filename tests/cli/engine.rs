//! Whole-site tests of `lectern build`: real sites in temp folders, real binary, and
//! assertions on the files and HTML it writes.

use crate::util;
use crate::util::{page, TestSite};

fn blog_site() -> TestSite {
    TestSite::with(&[
        ("content/_index.md", "+++\ntitle = \"首頁\"\n+++\n歡迎。\n"),
        ("content/blog/_index.md", &page("博客", 1, "博客的介紹。\n")),
        (
            "content/blog/no-escape.md",
            &page("無處可逃", 1, "## 生日聚會\n\n文字。\n"),
        ),
        (
            "content/blog/money.md",
            &page("錢，錢，錢", 3, "## 財富\n\n文字。\n"),
        ),
        (
            "content/blog/hidden-race.md",
            &page("隱性競爭", 2, "文字。\n"),
        ),
        ("content/about.md", &page("關於", 5, "關於本站。\n")),
    ])
}

#[test]
fn can_build_sections_and_pages_at_pretty_ascii_urls() {
    let site = blog_site();
    let run = site.build().ok();
    assert!(
        run.stdout().starts_with("built 6 pages in "),
        "{}",
        run.stdout()
    );
    assert!(
        run.stdout().trim_end().ends_with("→ public/"),
        "{}",
        run.stdout()
    );
    for path in [
        "public/index.html",
        "public/blog/index.html",
        "public/blog/no-escape/index.html",
        "public/blog/money/index.html",
        "public/blog/hidden-race/index.html",
        "public/about/index.html",
    ] {
        assert!(site.exists(path), "{path} missing");
    }
    let page = site.read("public/blog/no-escape/index.html");
    assert!(page.contains("<html lang=\"zh-Hant\">"));
    assert!(page.contains("<h1>無處可逃</h1>"));
}

#[test]
fn reading_order_follows_weight_and_links_prev_and_next() {
    let site = blog_site();
    site.build().ok();
    // home → blog → no-escape (1) → hidden-race (2) → money (3) → about (5)
    let hidden = site.read("public/blog/hidden-race/index.html");
    assert!(
        hidden.contains("rel=\"prev\" href=\"../../blog/no-escape/\""),
        "{hidden}"
    );
    assert!(
        hidden.contains("rel=\"next\" href=\"../../blog/money/\""),
        "{hidden}"
    );
    let money = site.read("public/blog/money/index.html");
    assert!(money.contains("rel=\"next\" href=\"../../about/\""));
    let home = site.read("public/index.html");
    assert!(!home.contains("rel=\"prev\""));
    assert!(home.contains("rel=\"next\" href=\"./blog/\""));
    let about = site.read("public/about/index.html");
    assert!(!about.contains("rel=\"next\""));
    // The section lists its pages in weight order.
    let blog = site.read("public/blog/index.html");
    let positions: Vec<usize> = ["無處可逃", "隱性競爭", "錢，錢，錢"]
        .iter()
        .map(|t| {
            blog.rfind(&format!(">{t}</a></li>"))
                .unwrap_or_else(|| panic!("{t} not listed"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
}

#[test]
fn navigation_marks_the_current_page_only() {
    let site = blog_site();
    site.build().ok();
    let money = site.read("public/blog/money/index.html");
    assert_eq!(money.matches("aria-current=\"page\"").count(), 1);
    assert!(money.contains("<a href=\"../../blog/money/\" aria-current=\"page\">錢，錢，錢</a>"));
    assert!(money.contains("<a href=\"../../about/\">關於</a>"));
}

/// The values of every `href` and `src` attribute in `html`.
fn attribute_urls(html: &str) -> Vec<&str> {
    let mut urls = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for (i, _) in html.match_indices(attr) {
            let url = &html[i + attr.len()..];
            urls.push(&url[..url.find('"').unwrap()]);
        }
    }
    urls
}

#[test]
fn base_url_path_is_honoured_by_every_generated_url() {
    let site = blog_site();
    site.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.run(&["build", "-u", "https://user.github.io/repo/"])
        .ok();
    // Pages link relative to themselves (so the site works under /repo/ and from disk),
    // and every such link names a file the build wrote.
    for page in ["index.html", "blog/money/index.html", "about/index.html"] {
        let html = site.read(&format!("public/{page}"));
        for url in attribute_urls(&html) {
            if url.starts_with('#') || url.starts_with("https://user.github.io/repo/") {
                continue;
            }
            assert!(!url.starts_with('/'), "{page}: {url} is not relative");
            let target = util::resolve(page, url);
            let target = target.split('#').next().unwrap();
            let file = if target.is_empty() || target.ends_with('/') {
                format!("public/{target}index.html")
            } else {
                format!("public/{target}")
            };
            assert!(
                site.exists(&file),
                "{page}: {url} names {file}, which is missing"
            );
        }
    }
    // GitHub Pages serves the 404 page at any depth: its URLs start with the base path.
    let not_found = site.read("public/404.html");
    for url in attribute_urls(&not_found) {
        assert!(
            url.starts_with("/repo/")
                || url.starts_with('#')
                || url.starts_with("https://user.github.io/repo/"),
            "404.html: {url} ignores the base path"
        );
    }
    assert!(not_found.contains("href=\"/repo/style.css\""));
    assert!(site
        .read("public/sitemap.xml")
        .contains("<loc>https://user.github.io/repo/blog/money/</loc>"));
    assert!(site
        .read("public/atom.xml")
        .contains("href=\"https://user.github.io/repo/atom.xml\""));
    assert!(site
        .read("public/robots.txt")
        .contains("Sitemap: https://user.github.io/repo/sitemap.xml"));
    assert!(site.exists("public/img/logo.svg"));
}

#[test]
fn pages_output_has_nojekyll_404_sitemap_robots_feed_and_cname_when_configured() {
    let site = blog_site();
    site.build().ok();
    for file in [
        ".nojekyll",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "style.css",
    ] {
        assert!(site.exists(&format!("public/{file}")), "{file} missing");
    }
    assert!(!site.exists("public/CNAME"));
    let sitemap = site.read("public/sitemap.xml");
    assert_eq!(sitemap.matches("<url>").count(), 6);
    site.write(
        "site.toml",
        &format!("{}cname = \"memorial.example.org\"\n", util::MINIMAL_CONFIG),
    );
    site.build().ok();
    assert_eq!(site.read("public/CNAME"), "memorial.example.org\n");
}

#[test]
fn footnotes_are_numbered_by_first_use_with_back_links() {
    let site = TestSite::with(&[(
        "content/_index.md",
        "+++\ntitle = \"x\"\n+++\nFirst[^b] then[^a] and again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n",
    )]);
    site.build().ok();
    let html = site.read("public/index.html");
    // b is used first, so it is 1; its two uses both link back.
    assert!(
        html.contains("<a id=\"fnref-1-1\" href=\"#fn-1\" role=\"doc-noteref\">1</a>"),
        "{html}"
    );
    assert!(html.contains("<a id=\"fnref-2-1\" href=\"#fn-2\" role=\"doc-noteref\">2</a>"));
    assert!(html.contains("<a id=\"fnref-1-2\" href=\"#fn-1\""));
    let notes = &html[html
        .find("class=\"footnotes\"")
        .expect("footnotes at the bottom")..];
    assert!(notes.find("Note B.").unwrap() < notes.find("Note A.").unwrap());
    assert!(notes.contains("<li id=\"fn-1\"><p>Note B. <a href=\"#fnref-1-1\""));
    assert!(notes.contains("<a href=\"#fnref-1-2\" class=\"footnote-backref\""));
}

#[test]
fn headings_get_unique_stable_ids_anchor_links_and_a_nested_toc() {
    let body = "## 無處可逃\n\n### Hello World\n\n## 無處可逃\n\n## Custom {#mine}\n";
    let site = TestSite::with(&[("content/a.md", &page("A", 1, body))]);
    site.build().ok();
    let html = site.read("public/a/index.html");
    assert!(html.contains("<h2 id=\"無處可逃\">"));
    assert!(html.contains("<h2 id=\"無處可逃-1\">"));
    assert!(html.contains("<h3 id=\"hello-world\">"));
    assert!(html.contains("<h2 id=\"mine\">"));
    assert!(html.contains("href=\"#無處可逃\" aria-hidden=\"true\""));
    let toc = &html[html.find("class=\"page-toc\"").expect("toc")..];
    let toc = &toc[..toc.find("</nav>").unwrap()];
    // Hello World nests under the first heading.
    assert!(
        toc.contains(
            "<a href=\"#無處可逃\">無處可逃</a><ol>\n<li><a href=\"#hello-world\">Hello World</a>"
        ),
        "{toc}"
    );
}

#[test]
fn tables_and_strikethrough_render_and_smart_punctuation_is_off() {
    let body = "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ \"quoted\" 「引號」\n";
    let site = TestSite::with(&[("content/_index.md", &page("x", 0, body))]);
    site.build().ok();
    let html = site.read("public/index.html");
    assert!(html.contains("<table>"));
    assert!(html.contains("<del>gone</del>"));
    assert!(
        html.contains("&quot;quoted&quot;") || html.contains("\"quoted\""),
        "{html}"
    );
    assert!(!html.contains("“quoted”"));
}

#[test]
fn code_is_highlighted_with_classes_and_unknown_languages_stay_plain() {
    let body = "```rust\nfn main() {}\n```\n\n```klingon\n<tlhIngan>\n```\n";
    let site = TestSite::with(&[
        ("content/a.md", &page("A", 1, body)),
        ("content/b.md", &page("B", 2, "text")),
    ]);
    site.build().ok();
    let html = site.read("public/a/index.html");
    assert!(
        html.contains("<code class=\"language-rust\"><span class=\"hl-source hl-rust\">"),
        "{html}"
    );
    assert!(html.contains("<code class=\"language-klingon\">&lt;tlhIngan&gt;\n</code>"));
    assert!(html.contains("/syntax.css"));
    assert!(site.read("public/syntax.css").contains(".hl-"));
    assert!(!site.read("public/b/index.html").contains("syntax.css"));
}

#[test]
fn a_site_without_code_gets_no_syntax_stylesheet() {
    let site = blog_site();
    site.build().ok();
    assert!(!site.exists("public/syntax.css"));
}

#[test]
fn internal_links_resolve_to_urls_with_anchors() {
    let site = TestSite::with(&[
        (
            "content/_index.md",
            &page(
                "x",
                0,
                "[a](@/blog/a.md#財富) [rel](blog/a.md) [root](/about/)\n",
            ),
        ),
        ("content/blog/_index.md", &page("Blog", 1, "")),
        (
            "content/blog/a.md",
            &page("A", 1, "## 財富\n\n[back](../_index.md)\n"),
        ),
        ("content/about.md", &page("About", 2, "")),
    ]);
    site.run(&["build", "-u", "https://u.github.io/r/"]).ok();
    let home = site.read("public/index.html");
    assert!(home.contains("<a href=\"./blog/a/#財富\">a</a>"), "{home}");
    assert!(home.contains("<a href=\"./blog/a/\">rel</a>"));
    assert!(home.contains("<a href=\"./about/\">root</a>"));
    assert!(site
        .read("public/blog/a/index.html")
        .contains("<a href=\"../../\">back</a>"));
}

#[test]
fn external_links_open_safely() {
    let site = TestSite::with(&[(
        "content/_index.md",
        &page("x", 0, "[x](https://x.com/DrJimFan)\n"),
    )]);
    site.build().ok();
    assert!(site.read("public/index.html").contains(
        "<a class=\"external\" href=\"https://x.com/DrJimFan\" rel=\"noopener noreferrer\">x</a>"
    ));
}

#[test]
fn references_get_numbered_markers_page_lists_and_a_references_page() {
    let refs = "+++\ntitle = \"參考\"\nweight = 9\ntemplate = \"references.html\"\n\n[[references]]\nid = \"blog\"\ntitle = \"The blog\"\nurl = \"https://docs.example/blog\"\n\n[[references]]\nid = \"cho\"\ntitle = \"Cho's post\"\nurl = \"https://x.com/kchonyc/status/1\"\nauthor = \"Kyunghyun Cho\"\n+++\n";
    let site = TestSite::with(&[
        (
            "content/_index.md",
            &page(
                "Home",
                0,
                "Cho said so.[^cho] And the blog.[^blog] Cho again.[^cho]\n",
            ),
        ),
        ("content/refs.md", refs),
    ]);
    site.build().ok();
    let home = site.read("public/index.html");
    assert!(home.contains("<sup class=\"citation\"><a id=\"cite-2-1\" href=\"#ref-2\" role=\"doc-noteref\">[2]</a></sup>"), "{home}");
    assert!(home.contains("<a id=\"cite-1-1\" href=\"#ref-1\""));
    assert!(home.contains("<a id=\"cite-2-2\" href=\"#ref-2\""));
    let list = &home[home.find("class=\"references\"").expect("page references")..];
    assert!(list.contains("<li id=\"ref-1\" value=\"1\">"));
    assert!(list.contains("href=\"#cite-2-1\""));
    assert!(list.contains("href=\"#cite-2-2\""));
    assert!(
        list.contains("rel=\"noopener noreferrer\">Cho&#x27;s post</a>"),
        "{list}"
    );
    assert!(!home.contains("lectern-reference-placeholder"));
    let refs_page = site.read("public/refs/index.html");
    assert!(refs_page.contains("https://x.com/kchonyc/status/1"));
    assert!(
        refs_page.contains("<a href=\"../#cite-2-2\">Home</a>"),
        "{refs_page}"
    );
}

#[test]
fn raw_html_is_text_unless_the_site_opts_in_but_ruby_passes() {
    let body = "<script>alert(1)</script>\n\n<ruby>發<rp>(</rp><rt>fā</rt><rp>)</rp></ruby>現 <b onclick=\"x\">b</b>\n";
    let site = TestSite::with(&[("content/_index.md", &page("x", 0, body))]);
    site.build().ok();
    let html = site.read("public/index.html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("<ruby>發<rp>(</rp><rt>fā</rt><rp>)</rp></ruby>現"));
    assert!(
        html.contains("&lt;b onclick=\"x\"&gt;b&lt;/b&gt;"),
        "{html}"
    );
    site.write(
        "site.toml",
        &format!("{}[markdown]\nunsafe_html = true\n", util::MINIMAL_CONFIG),
    );
    site.build().ok();
    assert!(site
        .read("public/index.html")
        .contains("<script>alert(1)</script>"));
}

#[test]
fn front_matter_title_is_escaped_in_templates() {
    let site = TestSite::with(&[(
        "content/a.md",
        "+++\ntitle = \"<img src=x onerror=alert(1)>\"\n+++\n",
    )]);
    site.build().ok();
    let html = site.read("public/a/index.html");
    assert!(!html.contains("<img src=x"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn drafts_are_built_only_on_request() {
    let site = TestSite::with(&[
        ("content/a.md", "+++\ntitle = \"A\"\ndraft = true\n+++\n"),
        (
            "content/wip/_index.md",
            "+++\ntitle = \"WIP\"\ndraft = true\n+++\n",
        ),
        ("content/wip/b.md", "+++\ntitle = \"B\"\n+++\n"),
    ]);
    site.build().ok();
    assert!(!site.exists("public/a/index.html"));
    assert!(
        !site.exists("public/wip/b/index.html"),
        "pages in a draft section are drafts"
    );
    site.run(&["build", "--drafts"]).ok();
    assert!(site.exists("public/a/index.html"));
    assert!(site.exists("public/wip/b/index.html"));
}

#[test]
fn slug_and_path_set_the_url() {
    let site = TestSite::with(&[
        ("content/blog/無處可逃.md", "+++\ntitle = \"x\"\n+++\n"),
        (
            "content/blog/b.md",
            "+++\ntitle = \"y\"\nslug = \"No Escape 2\"\n+++\n",
        ),
        (
            "content/blog/c.md",
            "+++\ntitle = \"z\"\npath = \"/elsewhere/deep/\"\n+++\n",
        ),
    ]);
    site.build().ok();
    assert!(site.exists("public/blog/wu-chu-ke-tao/index.html"));
    assert!(site.exists("public/blog/no-escape-2/index.html"));
    assert!(site.exists("public/elsewhere/deep/index.html"));
}

#[test]
fn site_templates_override_the_built_in_ones_by_name() {
    let site = blog_site();
    site.write(
        "templates/page.html",
        "<p>custom {{ page.title }}{% if section %} in {{ section.title }}{% endif %}</p>",
    );
    site.build().ok();
    assert_eq!(
        site.read("public/blog/money/index.html"),
        "<p>custom 錢，錢，錢 in 博客</p>"
    );
    // Sections still use the built-in section template.
    assert!(site
        .read("public/blog/index.html")
        .contains("<!DOCTYPE html>"));
}

#[test]
fn static_and_content_assets_are_copied_as_they_are() {
    let site = blog_site();
    site.write_bytes("static/files/data.bin", &[0, 159, 146, 150]);
    site.write("static/style.css", "body{}");
    site.write_bytes("content/blog/photo.png", &[137, 80, 78, 71]);
    site.build().ok();
    assert_eq!(
        std::fs::read(site.path("public/files/data.bin")).unwrap(),
        [0, 159, 146, 150]
    );
    assert_eq!(
        site.read("public/style.css"),
        "body{}",
        "a site's static file replaces the theme's"
    );
    assert_eq!(
        std::fs::read(site.path("public/blog/photo.png")).unwrap(),
        [137, 80, 78, 71]
    );
}

#[test]
fn rebuild_keeps_files_the_build_does_not_own_and_drops_stale_ones() {
    let site = blog_site();
    site.build().ok();
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    site.write("public/CNAME", "hand.example.org\n");
    site.write("public/blog/notes.txt", "mine");
    std::fs::remove_file(site.path("content/about.md")).unwrap();
    site.build().ok();
    assert_eq!(site.read("public/.git/HEAD"), "ref: refs/heads/gh-pages\n");
    assert_eq!(site.read("public/CNAME"), "hand.example.org\n");
    assert_eq!(site.read("public/blog/notes.txt"), "mine");
    assert!(
        !site.exists("public/about/index.html"),
        "a page removed from content/ leaves the output"
    );
    assert!(site.exists("public/blog/money/index.html"));
}

#[test]
fn a_rebuild_rewrites_only_what_changed() {
    use std::os::unix::fs::MetadataExt;
    let site = blog_site();
    site.build().ok();
    let identity = |path: &str| {
        let meta = std::fs::metadata(site.path(path)).unwrap();
        (meta.ino(), meta.mtime_nsec(), meta.mtime())
    };
    let about = identity("public/about/index.html");
    let money = identity("public/blog/money/index.html");
    // Only the body of one page changes: nothing else shows it.
    let text = site.read("content/blog/money.md");
    site.write("content/blog/money.md", &format!("{text}\n多一句。\n"));
    site.build().ok();
    assert_eq!(
        identity("public/about/index.html"),
        about,
        "an unchanged page is left as it was"
    );
    assert_ne!(identity("public/blog/money/index.html"), money);
    assert!(site
        .read("public/blog/money/index.html")
        .contains("多一句。"));
    // A page that goes takes its folder with it, unless the person keeps a file there.
    site.write("public/about/mine.txt", "mine");
    std::fs::remove_file(site.path("content/about.md")).unwrap();
    std::fs::remove_file(site.path("content/blog/hidden-race.md")).unwrap();
    site.build().ok();
    assert!(!site.exists("public/blog/hidden-race"));
    assert!(!site.exists("public/about/index.html"));
    assert_eq!(site.read("public/about/mine.txt"), "mine");
    // A hand-edited page of lectern's is the person's now: the build stops rather than
    // overwrite it, and writes it again once the person deletes it.
    site.write("public/blog/money/index.html", "edited");
    site.write("content/blog/money.md", &format!("{text}\n再多一句。\n"));
    let stderr = site.build().fails();
    assert!(stderr.contains("public/blog/money/index.html"), "{stderr}");
    assert!(
        stderr.contains("changed since lectern wrote it"),
        "{stderr}"
    );
    assert_eq!(site.read("public/blog/money/index.html"), "edited");
    std::fs::remove_file(site.path("public/blog/money/index.html")).unwrap();
    site.build().ok();
    assert!(site
        .read("public/blog/money/index.html")
        .contains("再多一句。"));
}

#[test]
fn a_file_the_person_wrote_is_never_overwritten_by_the_build() {
    let site = blog_site();
    site.write("public/404.html", "my own 404");
    let stderr = site.build().fails();
    assert!(stderr.contains("404.html"), "{stderr}");
    assert!(stderr.contains("not written by lectern"), "{stderr}");
    assert_eq!(site.read("public/404.html"), "my own 404");
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = blog_site();
    site.build().ok();
    site.write("public/.git/config", "[core]\n");
    let before = site.snapshot("public");
    site.write("content/blog/money.md", "+++\ntitle = \n+++\n");
    site.build().fails();
    assert_eq!(site.snapshot("public"), before);
    site.write("content/blog/money.md", &page("錢", 3, "[x](@/nowhere.md)"));
    site.build().fails();
    assert_eq!(site.snapshot("public"), before);
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("lectern-staging"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn output_dir_can_be_chosen_and_must_not_hold_the_site() {
    let site = blog_site();
    site.run(&["build", "-o", "out/site"]).ok();
    assert!(site.exists("out/site/blog/money/index.html"));
    let stderr = site.run(&["build", "-o", "."]).fails();
    assert!(
        stderr.contains("would contain or overwrite the site's own files"),
        "{stderr}"
    );
    let stderr = site.run(&["build", "-o", "content/x"]).fails();
    assert!(stderr.contains("site's own files"), "{stderr}");
}

#[test]
fn new_scaffolds_a_site_that_builds_as_it_is() {
    let dir = TestSite::empty();
    dir.run(&["new", "mysite"]).ok();
    let run = dir.run(&["--root", "mysite", "build"]).ok();
    assert!(run.stdout().contains("built 4 pages"), "{}", run.stdout());
    assert!(dir.exists("mysite/public/chapters/first/index.html"));
    // Neither the output nor lectern's record of it goes into the site's repository.
    let ignored = dir.read("mysite/.gitignore");
    assert!(ignored.lines().any(|l| l == "/public"), "{ignored}");
    assert!(ignored.lines().any(|l| l == "/.lectern"), "{ignored}");
    assert!(dir.exists("mysite/.lectern"));
    let stderr = dir.run(&["new", "mysite"]).fails();
    assert!(stderr.contains("not empty"));
}

#[test]
fn feed_lists_pages_with_their_dates() {
    let site = TestSite::with(&[
        (
            "content/a.md",
            "+++\ntitle = \"Old\"\ndate = 2024-10-01\n+++\nold\n",
        ),
        (
            "content/b.md",
            "+++\ntitle = \"New\"\ndate = 2024-12-05\n+++\nnew\n",
        ),
    ]);
    site.build().ok();
    let feed = site.read("public/atom.xml");
    assert!(feed.find("<title>New</title>").unwrap() < feed.find("<title>Old</title>").unwrap());
    assert!(feed.contains("<updated>2024-12-05T00:00:00Z</updated>"));
    assert!(site
        .read("public/sitemap.xml")
        .contains("<lastmod>2024-10-01</lastmod>"));
}

#[test]
fn a_large_sections_pages_list_only_their_block_of_the_navigation() {
    let site = TestSite::with(&[
        ("content/_index.md", &page("首頁", 0, "")),
        ("content/s/_index.md", &page("頁集", 1, "")),
    ]);
    for i in 0..250 {
        site.write(
            &format!("content/s/p{i}.md"),
            &page(&format!("頁{i}"), i, "文。"),
        );
    }
    site.build().ok();
    let nav = |path: &str| {
        let html = site.read(&format!("public/{path}index.html"));
        let start = html.find("<nav class=\"site-nav\"").unwrap();
        html[start..start + html[start..].find("</nav>").unwrap()].to_string()
    };
    let middle = nav("s/p150/");
    assert!(middle.contains(">頁100<") && middle.contains(">頁199<"));
    assert!(!middle.contains(">頁99<") && !middle.contains(">頁200<"));
    assert_eq!(middle.matches(">…<").count(), 2, "more before and after");
    assert!(middle.contains("href=\"../../s/p150/\" aria-current=\"page\""));
    let first = nav("s/p0/");
    assert!(first.contains(">頁0<") && !first.contains(">頁100<"));
    assert_eq!(first.matches(">…<").count(), 1);
    // Every page's navigation is about a block's size, not the section's.
    assert!(
        middle.len() < 2 * first.len(),
        "{} vs {}",
        middle.len(),
        first.len()
    );
}

#[test]
fn pages_written_a_batch_at_a_time_show_citations_and_tributes_from_any_batch() {
    // Pages are written 512 at a time (src/build.rs, write_edition). The references page
    // and the tributes section come first in reading order, in the first batch, yet list
    // what pages in the last batch cite and say: those are gathered before any page is
    // written, without rendering (markdown::citations), and must agree with the markers
    // each page's own Markdown writes.
    let refs = "+++\ntitle = \"參考\"\nweight = 1\ntemplate = \"references.html\"\n\n[[references]]\nid = \"x\"\ntitle = \"X\"\nurl = \"https://example.org/x\"\n\n[[references]]\nid = \"y\"\ntitle = \"Y\"\nurl = \"https://example.org/y\"\n+++\n";
    let site = TestSite::with(&[
        ("content/_index.md", &page("首頁", 0, "首頁。")),
        ("content/refs.md", refs),
        (
            "content/words/_index.md",
            "+++\ntitle = \"悼詞\"\nweight = 2\ntemplate = \"tributes.html\"\n+++\n",
        ),
        (
            "content/words/a.md",
            "+++\ntitle = \"一則悼詞\"\ndate = 2024-12-20\n[tribute]\nauthor = \"某人\"\n+++\n他教會我們提問。\n",
        ),
        ("content/s/_index.md", &page("頁集", 3, "")),
    ]);
    for i in 0..600 {
        let body = match i {
            // Cites x twice; `[^y]` in code is no citation.
            599 => "甲[^x]，乙[^x]，`[^y]` 不算。\n\n```\n[^y]\n```\n".to_string(),
            // Defines its own `y`: a footnote of its own, not the reference.
            3 => "丙[^y]。\n\n[^y]: 自己的註。\n".to_string(),
            // Cites y inside a footnote.
            300 => "丁[^n]。\n\n[^n]: 見[^y]。\n".to_string(),
            _ => format!("第{i}頁，[下一頁](@/s/p{}.md#第一節)。\n", (i + 1) % 600),
        };
        let body = format!("## 第一節\n\n{body}");
        site.write(
            &format!("content/s/p{i}.md"),
            &page(&format!("頁{i}"), i, &body),
        );
    }
    site.build().ok();
    let refs_page = site.read("public/refs/index.html");
    let cited = |page: &str| -> Vec<String> {
        let marker = format!("href=\"../s/{page}/#");
        refs_page
            .match_indices(&marker)
            .map(|(at, _)| {
                let rest = &refs_page[at + marker.len()..];
                rest[..rest.find('"').unwrap()].to_string()
            })
            .collect()
    };
    assert_eq!(cited("p599"), ["cite-1-1", "cite-1-2"], "{refs_page}");
    assert_eq!(cited("p300"), ["cite-2-1"], "{refs_page}");
    assert!(cited("p3").is_empty(), "{refs_page}");
    let last = site.read("public/s/p599/index.html");
    for id in ["cite-1-1", "cite-1-2"] {
        assert!(last.contains(&format!("id=\"{id}\"")), "{last}");
    }
    assert!(!last.contains("id=\"cite-2-"), "{last}");
    assert!(site
        .read("public/s/p300/index.html")
        .contains("id=\"cite-2-1\""));
    let words = site.read("public/words/index.html");
    assert!(words.contains("他教會我們提問。"), "{words}");
    // Each page went through Markdown once: the feed renders its entries again.
    assert!(site.read("public/atom.xml").contains("第0頁，"));
    assert!(site.exists("public/search-index-1.js"));
    // A broken anchor is still reported, with the target's headings.
    site.write(
        "content/_index.md",
        &page("首頁", 0, "[x](@/s/p1.md#nowhere)"),
    );
    let stderr = site.build().fails();
    assert!(stderr.contains("no anchor `#nowhere`"), "{stderr}");
    assert!(stderr.contains("its headings are: 第一節"), "{stderr}");
}

#[test]
fn a_site_template_that_reads_the_site_wide_references_gets_them() {
    // `references` is given only to pages whose templates read it (src/render/reads.rs):
    // a template of the site's own, reached through an include, must still see it.
    let site = TestSite::with(&[
        (
            "content/_index.md",
            "+++\ntitle = \"首頁\"\n\n[[references]]\nid = \"x\"\ntitle = \"X\"\nurl = \"https://example.org/x\"\n+++\n甲[^x]乙[^x]。\n",
        ),
        (
            "content/count.md",
            "+++\ntitle = \"數\"\ntemplate = \"count.html\"\n+++\n",
        ),
        ("templates/count.html", "<p>{% include \"counted.html\" %}</p>"),
        (
            "templates/counted.html",
            "{% for r in references %}{{ r.id }}:{{ r.citations | length }}{% endfor %}",
        ),
    ]);
    site.build().ok();
    assert_eq!(site.read("public/count/index.html"), "<p>x:2</p>");
}

/// Every `id="…"` in `html`.
fn ids_in(html: &str) -> Vec<&str> {
    html.split(" id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').expect("a closed attribute")])
        .collect()
}

#[test]
fn ids_on_a_page_are_unique_whoever_chose_them_even_among_50000_headings() {
    let mut body = "## h\n\n".repeat(50_000);
    body.push_str("## h-1\n\n## A {#x}\n\n## B {#x}\n\n## fn 1\n\n## C {#fn-1}\n\nA note.[^n]\n\n[^n]: The note.\n");
    let site = TestSite::with(&[("content/many.md", &page("Many", 1, &body))]);
    site.build().ok();
    let html = site.read("public/many/index.html");
    let ids = ids_in(&html);
    let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "an id is used twice");
    for expected in [
        "h",
        "h-1",
        "h-49999",
        "h-1-1",
        "x",
        "x-1",
        "fn-1",
        "fn-1-1",
        "fn-1-2",
        "fnref-1-1",
    ] {
        assert!(unique.contains(expected), "no id {expected:?}");
    }
    assert!(
        !unique.contains("h-50000"),
        "50,000 headings `h` are h, h-1 … h-49999"
    );
    // The footnote's marker still leads to the footnote, not to a heading.
    assert!(html.contains("<li id=\"fn-1\">"));
    assert!(html.contains("href=\"#fn-1\" role=\"doc-noteref\""));
}

#[test]
fn raw_inline_html_stays_balanced_and_email_autolinks_keep_their_scheme() {
    let body = "<abbr title=\"x\">A</abbr> and <kbd>K</kbd>\n\n<small>never closed\n\nnext</sup> paragraph\n\n## <rt>open heading\n\nmail <foo@bar.example.com>\n";
    let site = TestSite::with(&[("content/_index.md", &page("x", 0, body))]);
    site.build().ok();
    let html = site.read("public/index.html");
    // The closing tag of an escaped opening one is text too.
    assert!(
        html.contains("&lt;abbr title=\"x\"&gt;A&lt;/abbr&gt; and <kbd>K</kbd>"),
        "{html}"
    );
    assert!(!html.contains("</abbr>"), "{html}");
    // Left open: closed at the end of its block; closing nothing: text.
    assert!(html.contains("<small>never closed</small></p>"), "{html}");
    assert!(html.contains("next&lt;/sup&gt; paragraph"), "{html}");
    assert!(
        html.contains("<rt>open heading</rt><a class=\"heading-anchor\""),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"mailto:foo@bar.example.com\">foo@bar.example.com</a>"),
        "{html}"
    );
}

/// The hostile cases of the Markdown fuzz target's corpus (`fuzz/corpus/markdown/hostile-*`,
/// a flags byte then a content file), run as the target runs them: with raw HTML off,
/// each is refused with an error naming the file, or writes no address that runs code.
#[test]
fn hostile_markdown_from_the_fuzz_corpus_never_writes_an_address_that_runs_code() {
    use lectern::config::{BuildOptions, Settings, SiteConfig};
    use lectern::content::{split, DocKind, Document, Site};
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/markdown");
    let config: SiteConfig =
        toml::from_str("title = \"fuzz\"\nbase_url = \"https://example.org/sub/\"\n").unwrap();
    let settings = Settings::from_config(
        std::path::Path::new("/nonexistent"),
        config,
        &BuildOptions::default(),
    )
    .unwrap();
    let mut cases = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        if !path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("hostile-")
        {
            continue;
        }
        cases += 1;
        let bytes = std::fs::read(&path).unwrap();
        let text = std::str::from_utf8(&bytes[1..]).unwrap();
        let source = std::path::Path::new("content/_index.md");
        let parsed = split(source, text).unwrap();
        let references = parsed
            .front
            .references
            .iter()
            .enumerate()
            .map(|(i, entry)| lectern::content::Reference {
                number: i + 1,
                entry: entry.clone(),
                declared_in: 0,
            })
            .collect();
        let doc = Document {
            kind: DocKind::Section,
            source: source.to_path_buf(),
            content_path: "_index.md".into(),
            text: text.to_string(),
            body_offset: parsed.body_offset,
            title: "fuzz".into(),
            title_html: "fuzz".into(),
            front: parsed.front,
            url_path: String::new(),
            parent: None,
            children: Vec::new(),
        };
        let site = Site {
            docs: vec![doc],
            root: 0,
            reading_order: vec![0],
            by_content_path: std::collections::HashMap::from([("_index.md".to_string(), 0)]),
            references,
            assets: Vec::new(),
            images: Default::default(),
        };
        match lectern::markdown::render(&site, &settings, 0) {
            Ok(rendered) => {
                let lower = rendered.html.to_ascii_lowercase();
                for bad in ["=\"javascript:", "=\"vbscript:", "=\"data:"] {
                    assert!(
                        !lower.contains(bad),
                        "{}: {}",
                        path.display(),
                        rendered.html
                    );
                }
            }
            Err(error) => assert!(
                error.to_string().contains("content/_index.md:"),
                "{}: {error}",
                path.display()
            ),
        }
    }
    assert!(cases >= 6, "the hostile cases are in fuzz/corpus/markdown/");
}

#[test]
fn every_page_names_an_icon_that_is_in_the_output() {
    let site = blog_site();
    site.build().ok();
    let icon =
        regex::Regex::new(r#"<link rel="icon" href="([^"]+)" type="image/svg\+xml">"#).unwrap();
    let public = site.path("public");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let href = &icon
            .captures(&html)
            .unwrap_or_else(|| panic!("no icon in {}", entry.path().display()))[1];
        // Page-relative, as every link the theme writes: resolved from the page's folder.
        let mut target = entry.path().parent().unwrap().to_path_buf();
        for part in href.split('/') {
            match part {
                ".." => {
                    target.pop();
                }
                "." | "" => {}
                part => target.push(part),
            }
        }
        assert!(target.starts_with(&public), "{href} leaves the output");
        let svg = std::fs::read_to_string(&target)
            .unwrap_or_else(|_| panic!("{href} from {} is missing", entry.path().display()));
        assert!(svg.starts_with("<svg"), "{href} is not an SVG");
        pages += 1;
    }
    assert!(pages >= 4, "only {pages} pages");
}

/// The README: the single-page view `all/` is made for up to 200 documents, for a
/// larger site only with `single_page = true` under `[reading]`, and never with `false`.
#[test]
fn the_single_page_view_is_made_up_to_200_documents_unless_the_site_says_otherwise() {
    let site_of = |documents: usize, setting: &str| {
        let site = TestSite::with(&[("content/_index.md", "+++\ntitle = \"首頁\"\n+++\n歡迎。\n")]);
        for n in 1..documents {
            site.write(
                &format!("content/p{n}.md"),
                &page(&format!("第 {n} 頁"), 0, "文字。\n"),
            );
        }
        site.write("site.toml", &format!("{}{setting}", util::MINIMAL_CONFIG));
        site.build().ok();
        let has_link = site
            .read("public/index.html")
            .contains("class=\"read-all\"");
        assert_eq!(site.exists("public/all/index.html"), has_link);
        has_link
    };
    assert!(site_of(200, ""));
    assert!(!site_of(201, ""));
    assert!(site_of(201, "[reading]\nsingle_page = true\n"));
    assert!(!site_of(3, "[reading]\nsingle_page = false\n"));
}

/// The README's template table: `nav` is the navigation tree, each entry with `title`,
/// `url`, `is_section`, `current`, `open` and `children`, in any page template that
/// reads it; `nav_html` is the same rendered by `nav.html`.
#[test]
fn page_templates_that_read_nav_get_the_navigation_tree() {
    let site = blog_site();
    let entry = r#"<li data-url="{{ item.url }}" data-section="{{ item.is_section }}" data-current="{{ item.current }}" data-open="{{ item.open }}">{{ item.title }}"#;
    let child = entry.replace("item.", "child.");
    site.write(
        "templates/page.html",
        &format!(
            "<ul>{{% for item in nav %}}{entry}<ul>{{% for child in item.children %}}{child}</li>{{% endfor %}}</ul></li>{{% endfor %}}</ul>\n<nav>{{{{ nav_html | safe }}}}</nav>\n"
        ),
    );
    site.build().ok();
    let html = site.read("public/blog/money/index.html");
    for expected in [
        r#"<li data-url="/" data-section="false" data-current="false" data-open="false">首頁<ul></ul></li>"#,
        r#"<li data-url="/blog/" data-section="true" data-current="false" data-open="true">博客<ul>"#,
        r#"<li data-url="/blog/no-escape/" data-section="false" data-current="false" data-open="false">無處可逃</li>"#,
        r#"<li data-url="/blog/money/" data-section="false" data-current="true" data-open="false">錢，錢，錢</li>"#,
        r#"<li data-url="/about/" data-section="false" data-current="false" data-open="false">關於"#,
    ] {
        assert!(html.contains(expected), "{expected}\nnot in\n{html}");
    }
    assert_eq!(html.matches(r#"data-current="true""#).count(), 1, "{html}");
    // nav_html: the same tree as the theme's nav.html writes it, the page marked.
    assert!(
        html.contains(r#"<a href="../../blog/money/" aria-current="page">錢，錢，錢</a>"#),
        "{html}"
    );
    // The section page uses the theme's section.html, which reads only nav_html.
    let section = site.read("public/blog/index.html");
    assert!(section.contains("aria-current=\"page\""), "{section}");
}
