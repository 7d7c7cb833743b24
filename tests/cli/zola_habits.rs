//! What a Zola user writes out of habit does what they expect, or is named: `<!-- more -->`
//! ends `page.summary`, HTML comments are never shown, a shortcode call is a warning.

use crate::util::{page, TestSite};

const BODY: &str = "The opening, in the summary.\n\n<!-- more -->\n\nThe rest. <!-- an inline note --> Still the rest.\n\n<!--\na note over\nthree lines\n-->\n\nThe end.\n";

fn site(unsafe_html: bool) -> TestSite {
    let site = TestSite::with(&[
        ("content/_index.md", &page("Home", 0, "Hello.\n")),
        ("content/a.md", &page("A", 1, BODY)),
        (
            "templates/page.html",
            "<html><body><div id=\"summary\">{{ page.summary | safe }}</div>\n<main>{{ page.content | safe }}</main></body></html>",
        ),
    ]);
    if unsafe_html {
        let config = site.read("site.toml");
        site.write(
            "site.toml",
            &format!("{config}[markdown]\nunsafe_html = true\n"),
        );
    }
    site
}

#[test]
fn more_ends_the_summary_and_comments_are_never_shown() {
    for unsafe_html in [false, true] {
        let site = site(unsafe_html);
        site.build().ok();
        let html = site.read("public/a/index.html");
        let summary = html
            .split("<div id=\"summary\">")
            .nth(1)
            .and_then(|s| s.split("</div>").next())
            .unwrap();
        assert_eq!(
            summary.trim(),
            "<p>The opening, in the summary.</p>",
            "{html}"
        );
        for hidden in ["more", "an inline note", "three lines", "&lt;!--", "<!--"] {
            assert!(
                !html.contains(hidden),
                "unsafe_html = {unsafe_html}: {hidden:?} shown in {html}"
            );
        }
        assert!(html.contains("The rest.  Still the rest."), "{html}");
        assert!(html.contains("<p>The end.</p>"), "{html}");
        assert!(
            !html.contains("raw-html"),
            "a block of comments leaves no wrapper: {html}"
        );
    }
}

#[test]
fn a_shortcode_call_is_a_warning_in_build_and_a_problem_in_check() {
    let site = TestSite::with(&[
        ("content/_index.md", &page("Home", 0, "Hello.\n")),
        (
            "content/a.md",
            &page("A", 1, "Text.\n\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\n`{{ code(x=1) }}` is fine in code.\n"),
        ),
    ]);
    let run = site.build().ok();
    let out = format!("{}{}", run.stdout(), run.stderr());
    assert!(
        out.contains("warning: `youtube(…)` looks like a Zola shortcode"),
        "{out}"
    );
    assert!(out.contains("--> content/a.md:7:1"), "{out}");
    assert!(!out.contains("code(…)"), "code is not a call: {out}");
    let stderr = site.run(&["check"]).fails();
    assert!(
        stderr.contains("`youtube(…)` looks like a Zola shortcode"),
        "{stderr}"
    );
    assert!(stderr.contains("--> content/a.md:7:1"), "{stderr}");
}

#[test]
fn the_built_in_theme_exports_into_the_site_and_builds_the_same() {
    let site = TestSite::with(&[
        ("content/_index.md", &page("Home", 0, "Hello.\n")),
        ("content/a.md", &page("A", 1, "Text.\n")),
        ("templates/404.html", "<html><body>my own 404</body></html>"),
    ]);
    site.build().ok();
    let before = site.snapshot("public");
    let out = site.run(&["theme", "export"]).ok().stdout();
    assert!(
        out.contains("kept the site's own templates/404.html"),
        "{out}"
    );
    assert_eq!(
        site.read("templates/404.html"),
        "<html><body>my own 404</body></html>",
        "a file the site has is never overwritten"
    );
    for file in [
        "templates/base.html",
        "templates/page.html",
        "static/style.css",
        "static/lectern.js",
    ] {
        assert!(site.exists(file), "{file} exported");
    }
    site.build().ok();
    assert_eq!(
        site.snapshot("public"),
        before,
        "the exported theme builds the same site"
    );
    // The copy is the site's now: an edit shows.
    let article = site.read("templates/article.html");
    assert!(article.contains("{% block main %}"), "{article}");
    site.write(
        "templates/article.html",
        &article.replacen("{% block main %}", "{% block main %}<p>my theme</p>", 1),
    );
    site.build().ok();
    assert!(site.read("public/a/index.html").contains("<p>my theme</p>"));
    // Exporting again writes nothing.
    let again = site.run(&["theme", "export"]).ok().stdout();
    assert!(again.contains("0 files written"), "{again}");
}

#[test]
fn the_theme_is_never_exported_through_a_link() {
    let outside = tempfile::tempdir().unwrap();
    let site = TestSite::with(&[("content/_index.md", &page("Home", 0, "Hello.\n"))]);
    std::os::unix::fs::symlink(outside.path(), site.path("templates")).unwrap();
    let stderr = site.run(&["theme", "export"]).fails();
    assert!(stderr.contains("templates is not a folder"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "nothing written outside"
    );
}
