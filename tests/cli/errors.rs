//! Bad input: every error names the file, line and column, shows the line, exits
//! non-zero, writes nothing and never panics.

use crate::util;

use crate::util::{page, TestSite};

/// Builds a site that must fail, checks that nothing was written, returns stderr.
fn fails(site: &TestSite) -> String {
    let stderr = site.build().fails();
    assert!(
        !site.exists("public"),
        "a failed first build must not create the output"
    );
    stderr
}

fn good_site() -> TestSite {
    TestSite::with(&[
        ("content/_index.md", &page("Home", 0, "Hello.\n")),
        ("content/a.md", &page("A", 1, "## Heading\n")),
    ])
}

#[test]
fn errors_on_bad_toml_in_front_matter_with_file_line_and_text() {
    let site = good_site();
    site.write("content/a.md", "+++\ntitle = \"A\"\nweight = = 3\n+++\n");
    let stderr = fails(&site);
    assert!(stderr.contains("--> content/a.md:3:"), "{stderr}");
    assert!(stderr.contains("3 | weight = = 3"), "{stderr}");
}

#[test]
fn errors_on_mistyped_front_matter_value() {
    let site = good_site();
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\nweight = \"heavy\"\n+++\n",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("content/a.md:3:"), "{stderr}");
    assert!(stderr.contains("invalid type"), "{stderr}");
}

#[test]
fn errors_on_unknown_site_toml_key_with_a_suggestion() {
    let site = good_site();
    site.write(
        "site.toml",
        "title = \"x\"\nbase_ulr = \"https://example.org/\"\n",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("--> site.toml:2:1"), "{stderr}");
    assert!(stderr.contains("unknown field `base_ulr`"), "{stderr}");
    assert!(stderr.contains("did you mean `base_url`?"), "{stderr}");
}

#[test]
fn errors_on_unknown_front_matter_key_with_a_suggestion() {
    let site = good_site();
    site.write("content/a.md", "+++\ntitle = \"A\"\nwieght = 1\n+++\n");
    let stderr = fails(&site);
    assert!(stderr.contains("content/a.md:3:1"), "{stderr}");
    assert!(stderr.contains("did you mean `weight`?"), "{stderr}");
}

#[test]
fn errors_on_missing_site_toml() {
    let site = TestSite::empty();
    site.write("content/_index.md", "hi");
    let stderr = fails(&site);
    assert!(
        stderr.contains("cannot read site.toml") || stderr.contains("site.toml"),
        "{stderr}"
    );
}

#[test]
fn errors_on_a_bad_base_url() {
    let site = good_site();
    site.write("site.toml", "title = \"x\"\nbase_url = \"example.org\"\n");
    let stderr = fails(&site);
    assert!(stderr.contains("site.toml:2:1"), "{stderr}");
    assert!(stderr.contains("base_url"), "{stderr}");
}

#[test]
fn errors_on_unclosed_front_matter() {
    let site = good_site();
    site.write("content/a.md", "+++\ntitle = \"A\"\n\nSome text.\n");
    let stderr = fails(&site);
    assert!(stderr.contains("content/a.md:1:1"), "{stderr}");
    assert!(stderr.contains("never closed"), "{stderr}");
}

#[test]
fn errors_on_invalid_utf8_in_content_with_its_position() {
    let site = good_site();
    site.write_bytes(
        "content/a.md",
        b"+++\ntitle = \"A\"\n+++\nok\nbad \xff here\n",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("content/a.md:5:5"), "{stderr}");
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
}

#[test]
fn errors_on_a_template_syntax_error_in_the_template_file() {
    let site = good_site();
    site.write(
        "templates/page.html",
        "<html>\n<body>\n{{ page.title \n</body>",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("--> templates/page.html:4:"), "{stderr}");
    assert!(stderr.contains("4 | </body>"), "{stderr}");
    assert!(
        stderr.contains("the tag opened on line 3 is not closed"),
        "{stderr}"
    );
}

#[test]
fn errors_on_an_undefined_template_variable_at_its_line() {
    let site = good_site();
    site.write(
        "templates/page.html",
        "<html>\n<h1>{{ page.titel }}</h1>\n</html>",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("`page.titel` is not defined"), "{stderr}");
    assert!(stderr.contains("--> templates/page.html:2:8"), "{stderr}");
}

#[test]
fn errors_on_a_missing_template_named_in_front_matter() {
    let site = good_site();
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\ntemplate = \"nope.html\"\n+++\n",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("no template named `nope.html`"), "{stderr}");
    assert!(stderr.contains("content/a.md:3:1"), "{stderr}");
}

#[test]
fn errors_on_a_template_extending_a_missing_parent() {
    let site = good_site();
    site.write("templates/page.html", "{% extends \"missing.html\" %}");
    let stderr = fails(&site);
    assert!(stderr.contains("missing.html"), "{stderr}");
}

#[test]
fn errors_on_two_pages_with_the_same_url() {
    let site = good_site();
    site.write("content/b.md", "+++\ntitle = \"B\"\nslug = \"a\"\n+++\n");
    let stderr = fails(&site);
    assert!(
        stderr.contains("two documents have the URL /a/"),
        "{stderr}"
    );
    assert!(stderr.contains("content/b.md:3:1"), "{stderr}");
    assert!(stderr.contains("content/a.md has it too"), "{stderr}");
}

#[test]
fn errors_on_slug_or_path_escaping_the_output_folder() {
    for (key, value) in [
        ("slug", "../../etc"),
        ("path", "../../../tmp/x"),
        ("path", "a\\\\..\\\\b"),
        ("slug", "a\\u0000b"),
    ] {
        let site = good_site();
        site.write(
            "content/b.md",
            &format!("+++\ntitle = \"B\"\n{key} = \"{value}\"\n+++\n"),
        );
        let stderr = fails(&site);
        assert!(
            stderr.contains("content/b.md:3:1"),
            "{key}={value}: {stderr}"
        );
        assert!(stderr.contains(&format!("`{key}`")), "{stderr}");
    }
}

#[test]
fn errors_on_a_link_to_a_missing_page_with_file_line_and_suggestion() {
    let site = good_site();
    site.write(
        "content/b.md",
        &page("B", 2, "text\n\nsee [this](@/a.mdd) and more\n"),
    );
    let stderr = fails(&site);
    assert!(stderr.contains("--> content/b.md:7:5"), "{stderr}");
    assert!(
        stderr.contains("`a.mdd`, which is not in content/"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `@/a.md`?"), "{stderr}");
}

#[test]
fn errors_on_a_link_to_a_missing_anchor() {
    let site = good_site();
    site.write(
        "content/b.md",
        &page("B", 2, "[x](@/a.md#nope) [y](#also-nope)\n"),
    );
    let stderr = fails(&site);
    assert!(
        stderr.contains("no anchor `#nope` in content/a.md"),
        "{stderr}"
    );
    assert!(stderr.contains("its headings are: heading"), "{stderr}");
    assert!(
        stderr.contains("no anchor `#also-nope` in content/b.md"),
        "{stderr}"
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
}

#[test]
fn errors_on_a_reference_declared_twice() {
    let refs =
        "+++\ntitle = \"R\"\n[[references]]\nid = \"x\"\ntitle = \"X\"\nurl = \"https://x\"\n+++\n";
    let site = good_site();
    site.write("content/r1.md", refs);
    site.write("content/r2.md", refs);
    let stderr = fails(&site);
    assert!(
        stderr.contains("reference id `x` is declared twice"),
        "{stderr}"
    );
    assert!(stderr.contains("content/r2.md:4:"), "{stderr}");
}

#[test]
fn errors_without_a_content_folder() {
    let site = TestSite::with(&[]);
    let stderr = fails(&site);
    assert!(stderr.contains("no content/ folder"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn errors_on_a_symlink_loop_in_content() {
    let site = good_site();
    std::os::unix::fs::symlink(site.path("content"), site.path("content/loop")).unwrap();
    let stderr = fails(&site);
    assert!(stderr.contains("loop"), "{stderr}");
}

#[test]
fn errors_on_a_file_name_without_ascii_letters() {
    let site = good_site();
    site.write("content/。！.md", "+++\ntitle = \"x\"\n+++\n");
    let stderr = fails(&site);
    assert!(stderr.contains("cannot make an ASCII URL"), "{stderr}");
    assert!(stderr.contains("slug"), "{stderr}");
}

#[test]
fn errors_on_a_link_that_would_run_script_unless_the_site_opts_in() {
    let site = good_site();
    site.write(
        "content/b.md",
        &page(
            "B",
            2,
            "[click](javascript:alert(1)) and [x](<JavaScript:void(0)>)\n",
        ),
    );
    let stderr = fails(&site);
    assert!(stderr.contains("--> content/b.md:5:1"), "{stderr}");
    assert!(
        stderr.contains("would run code when followed (`javascript:`)"),
        "{stderr}"
    );
    assert!(stderr.contains("(`JavaScript:`)"), "{stderr}");
    site.write(
        "site.toml",
        &format!("{}[markdown]\nunsafe_html = true\n", util::MINIMAL_CONFIG),
    );
    site.build().ok();
    assert!(site
        .read("public/b/index.html")
        .contains("href=\"javascript:alert(1)\""));
}

#[test]
fn errors_on_a_home_page_marked_draft() {
    let site = good_site();
    site.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\ndraft = true\n+++\n",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("--> content/_index.md:3:1"), "{stderr}");
    assert!(stderr.contains("home page is a draft"), "{stderr}");
    site.run(&["build", "--drafts"]).ok();
}

#[test]
fn an_escape_sequence_in_a_file_never_reaches_the_terminal() {
    let site = good_site();
    site.write(
        "content/b.md",
        &page("B", 2, "\u{1b}]0;pwned\u{7}\u{1b}[2J [x](@/gone.md)\n"),
    );
    let stderr = fails(&site);
    assert!(stderr.contains("--> content/b.md:5:"), "{stderr}");
    assert!(
        stderr.contains(r"\u{1b}]0;pwned\u{7}\u{1b}[2J [x]"),
        "{stderr}"
    );
    assert!(!stderr.contains(['\u{1b}', '\u{7}']), "{stderr:?}");
}
