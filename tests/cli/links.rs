//! Every link inside the site leads to a file the build writes or copies, whoever wrote
//! it (a Markdown image or link, a template, a stylesheet) and however (`@/`, a plain
//! `/path`, a relative path): `build` fails and `check` reports it at the place it is
//! written, and what readers would reach builds.

use crate::util::{page, TestSite};

/// A site whose links all lead somewhere: `@/`, a plain path to a page, a section, a
/// static file and a content asset, an anchor, a query, a relative path, a `srcset`.
fn linked_site(base_url: &str) -> TestSite {
    // Raw HTML is written as it is: a root-relative `src` must carry the base path.
    let raw = base_url.trim_start_matches("https://example.org");
    let body = format!(
        "![the drawing](/img/drawing.svg)\n\n\
        [b by path](/b/) [b by file](@/b.md#part) [home](/) [up](../) [query](/b/?x=1)\n\n\
        <img alt=\"x\" src=\"{raw}img/photo.png\" srcset=\"../img/photo.png 1x, {raw}img/photo.png 2x\">\n"
    );
    let site = TestSite::with(&[
        ("content/_index.md", &page("Home", 0, "Hello.\n")),
        ("content/a.md", &page("A", 1, &body)),
        ("content/b.md", &page("B", 2, "## Part\n\nText.\n")),
        ("static/img/photo.png", "not really a png"),
        (
            "static/img/drawing.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        (
            "static/extra.css",
            ".x { background: url('img/photo.png') }\n",
        ),
    ]);
    let config = site.read("site.toml").replace(
        "base_url = \"https://example.org/\"",
        &format!("base_url = \"{base_url}\""),
    );
    site.write("site.toml", &config);
    site.write(
        "site.toml",
        &format!("{config}[markdown]\nunsafe_html = true\n"),
    );
    site
}

#[test]
fn links_that_lead_somewhere_build_at_the_root_and_under_a_base_path() {
    for base in ["https://example.org/", "https://example.org/memorial/"] {
        let site = linked_site(base);
        let run = site.build();
        assert!(run.success(), "{base}: {}", run.stderr());
        site.run(&["check"]).ok();
    }
}

#[test]
fn a_link_to_nothing_fails_the_build_and_the_check_at_its_line() {
    let site = linked_site("https://example.org/");
    site.write(
        "content/a.md",
        &page(
            "A",
            1,
            "Text.\n\n![a photo](/img/phot.png)\n\nSee [notes](/notes/nope/).\n",
        ),
    );
    site.write(
        "static/extra.css",
        "body {}\n.x { background: url(\"bg.png\") }\n",
    );
    site.write(
        "templates/page.html",
        "<html>\n<link rel=\"stylesheet\" href=\"{{ base_path }}missing.css\">\n{{ page.content | safe }}\n</html>",
    );
    let stderr = site.build().fails();
    for expected in [
        "this link leads to /img/phot.png, which the site does not have",
        "--> content/a.md:7:13",
        "did you mean /img/photo.png?",
        "this link leads to /notes/nope/",
        "--> content/a.md:9:14",
        "this link leads to /bg.png",
        "--> static/extra.css:2:23",
        "this link leads to /missing.css",
        "--> templates/page.html:2:",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    assert!(!site.exists("public"), "a failed build writes nothing");
    let stderr = site.run(&["check"]).fails();
    for expected in [
        "--> content/a.md:7:13",
        "--> content/a.md:9:14",
        "--> static/extra.css:2:23",
    ] {
        assert!(
            stderr.contains(expected),
            "check: missing {expected:?} in:\n{stderr}"
        );
    }
}

#[test]
fn raw_html_under_a_base_path_must_carry_it() {
    let site = linked_site("https://example.org/memorial/");
    site.write(
        "content/b.md",
        &page(
            "B",
            2,
            "## Part\n\n<img alt=\"x\" src=\"/img/photo.png\">\n",
        ),
    );
    let stderr = site.build().fails();
    assert!(
        stderr.contains("outside the site's base path /memorial/"),
        "{stderr}"
    );
    assert!(stderr.contains("--> content/b.md:7:"), "{stderr}");
}

#[test]
fn a_link_that_climbs_out_of_the_site_is_an_error() {
    let site = linked_site("https://example.org/memorial/");
    site.write(
        "content/a.md",
        &page("A", 1, "[up and out](../../../etc/passwd)\n"),
    );
    let stderr = site.build().fails();
    assert!(
        stderr.contains("this link leads nowhere: it climbs out of the site"),
        "{stderr}"
    );
    assert!(stderr.contains("--> content/a.md:"), "{stderr}");
}
