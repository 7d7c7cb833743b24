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
        stderr.contains("there is no site.toml here: this is not a lectern site")
            && stderr.contains("lectern new DIR"),
        "{stderr}"
    );
    // A Zola site: its config.toml is named, with how its keys map.
    site.write("config.toml", "base_url = \"https://example.com\"\n");
    let stderr = fails(&site);
    assert!(stderr.contains("this looks like a Zola site"), "{stderr}");
    assert!(
        stderr.contains("default_language is `language`"),
        "{stderr}"
    );
    assert!(!site.exists("site.toml"), "nothing written");
}

#[test]
fn errors_on_a_bad_base_url() {
    let site = good_site();
    site.write("site.toml", "title = \"x\"\nbase_url = \"example.org\"\n");
    let stderr = fails(&site);
    assert!(stderr.contains("--> site.toml:2:13"), "{stderr}");
    assert!(
        stderr.contains("2 | base_url = \"example.org\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("base_url `example.org` has no scheme"),
        "{stderr}"
    );
    assert!(
        stderr.contains("e.g. base_url = \"https://example.org/\""),
        "{stderr}"
    );
}

#[test]
fn a_base_url_that_is_a_bare_path_is_refused_with_the_whole_form_suggested() {
    let site = good_site();
    site.write(
        "site.toml",
        "title = \"x\"\n# base_url = \"https://example.org/\"\nbase_url = \"/repo/\"\n",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("--> site.toml:3:13"), "{stderr}");
    assert!(stderr.contains("3 | base_url = \"/repo/\""), "{stderr}");
    assert!(
        stderr.contains("base_url `/repo/` is a path, not an address"),
        "{stderr}"
    );
    assert!(
        stderr.contains("e.g. base_url = \"https://example.org/repo/\""),
        "{stderr}"
    );
    // `check` refuses it as `build` does.
    let stderr = site.run(&["check"]).fails();
    assert!(stderr.contains("--> site.toml:3:13"), "{stderr}");

    site.write("site.toml", "title = \"x\"\n");
    let stderr = fails(&site);
    assert!(stderr.contains("site.toml has no `base_url`"), "{stderr}");
}

#[test]
fn a_base_url_on_the_command_line_must_be_whole_too() {
    let site = good_site();
    for (given, suggested) in [
        ("/repo/", "-u https://example.org/repo/"),
        ("//evil.example/", "-u https://evil.example/"),
        ("example.org/repo", "-u https://example.org/repo/"),
        ("ftp://example.org/", "-u https://user.github.io/repo/"),
    ] {
        let stderr = site.run(&["build", "-u", given]).fails();
        assert!(stderr.contains("--> -u/--base-url"), "{given}: {stderr}");
        assert!(
            stderr.contains(&format!("base_url `{given}`")),
            "{given}: {stderr}"
        );
        assert!(stderr.contains(suggested), "{given}: {stderr}");
        assert!(!site.exists("public"), "{given}: nothing is written");
    }
    site.run(&["build", "-u", "https://example.org/repo"]).ok();
    assert!(site
        .read("public/atom.xml")
        .contains("https://example.org/repo/a/"));
}

#[test]
fn serve_refuses_a_bare_path_base_url_and_serves_once_it_is_whole() {
    let site = good_site();
    site.write("site.toml", "title = \"x\"\nbase_url = \"/repo/\"\n");
    let server = util::serve::Server::start(&site);
    // Nothing to serve yet: the error shows over the page.
    let (_, _, body) = server.get("/");
    assert!(body.contains("lectern-error-overlay"), "{body}");
    assert!(
        body.contains("base_url `/repo/` is a path, not an address"),
        "{body}"
    );
    assert!(body.contains("site.toml:2:13"), "{body}");
    site.write(
        "site.toml",
        "title = \"x\"\nbase_url = \"https://example.org/repo/\"\n",
    );
    server.wait_output("built");
    // Served under the path of base_url, with links to the server itself.
    let (status, _, body) = server.get("/repo/a/");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(&format!("http://{}/repo/a/", server.address)),
        "{body}"
    );
    assert!(!body.contains("https://example.org/repo/"), "{body}");
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
fn teras_builtin_filters_work_and_an_unknown_filter_is_named_at_its_line() {
    let site = good_site();
    site.write(
        "content/a.md",
        "+++\ntitle = \"A b\"\nweight = 1\ndate = 2024-12-05\n+++\nText.\n",
    );
    site.write(
        "templates/page.html",
        "<html>\n<p>{{ page.date | date(format=\"%Y年%m月\") }} {{ page.title | slugify }} \
         {{ \"a b\" | urlencode }}</p>\n</html>",
    );
    site.build().ok();
    let html = site.read("public/a/index.html");
    assert!(html.contains("<p>2024年12月 a-b a%20b</p>"), "{html}");
    site.write(
        "templates/page.html",
        "<html>\n\n<p>{{ page.title | titel_case }}</p>\n</html>",
    );
    let stderr = site.build().fails();
    assert!(stderr.contains("Filter 'titel_case' not found"), "{stderr}");
    assert!(stderr.contains("--> templates/page.html:3:20"), "{stderr}");
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
    assert!(stderr.contains("--> content/a.md:3:13"), "{stderr}");
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
    assert!(stderr.contains("--> content/b.md:3:9"), "{stderr}");
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
            stderr.contains("--> content/b.md:3:9"),
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
    assert!(stderr.contains("--> content/_index.md:3:9"), "{stderr}");
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

/// The help block of `site.toml` with `resources` after it, on line 4 onwards.
fn site_toml_with_help(resources: &str) -> String {
    format!(
        "title = \"x\"\nbase_url = \"https://example.org/\"\n\n[help]\nheading = \"Help\"\npages = [\"a.md\"]\n{resources}"
    )
}

#[test]
fn a_literal_string_url_in_help_resources_is_reported_where_it_is_written() {
    let site = good_site();
    site.write(
        "site.toml",
        &site_toml_with_help(
            "\n[[help.resources]]\nname = \"Line\"\nregion = \"Anywhere\"\ncontact = \"000\"\nurl   =   'javascript:alert(1)'\n",
        ),
    );
    let stderr = fails(&site);
    assert!(stderr.contains("--> site.toml:12:12"), "{stderr}");
    assert!(
        stderr.contains("12 | url   =   'javascript:alert(1)'"),
        "{stderr}"
    );
    assert!(stderr.contains("would run code"), "{stderr}");
}

#[test]
fn the_same_key_in_a_comment_or_another_table_does_not_mislead_the_position() {
    let site = good_site();
    // The bad address is also in a comment and in [extra] (free-form, never checked),
    // both before the resource that holds it.
    site.write(
        "site.toml",
        r#"title = "x"
base_url = "https://example.org/"
# Was: url = 'javascript:alert(1)'

[extra.old]
url = "javascript:alert(1)"

[help]
heading = "Help"
pages = ["a.md"]

[[help.resources]]
name = "One"
region = "R"
contact = "1"
url = "https://example.org/one"

[[help.resources]]
name = "Two"
region = "R"
contact = "2"
url = "javascript:alert(1)"
"#,
    );
    let stderr = fails(&site);
    assert!(stderr.contains("--> site.toml:22:8"), "{stderr}");
    assert!(
        stderr.contains("22 | url = \"javascript:alert(1)\""),
        "{stderr}"
    );

    // `cname` in a comment above, and the same value under [extra].
    site.write(
        "site.toml",
        "title = \"x\"\n# cname = \"evil.com/x\"\nbase_url = \"https://example.org/\"\ncname = \"evil.com/x\"\n[extra]\ncname = \"evil.com/x\"\n",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("--> site.toml:4:10"), "{stderr}");
    assert!(stderr.contains("4 | cname = \"evil.com/x\""), "{stderr}");
}

#[test]
fn a_bad_value_in_front_matter_points_at_its_line_in_the_content_file() {
    let site = good_site();
    // A byte-order mark and CRLF line ends, a comment and an earlier reference with
    // the same keys: the position is still the bad value's own.
    site.write(
        "content/b.md",
        "\u{feff}+++\r\ntitle = \"B\"\r\n# url = 'javascript:alert(1)'\r\n\
         [[references]]\r\nid = \"one\"\r\ntitle = \"One\"\r\nurl = \"https://example.org/one\"\r\n\
         [[references]]\r\nid = \"two\"\r\ntitle = \"Two\"\r\nurl = 'javascript:alert(1)'\r\n+++\r\n\
         Cites [^one] and [^two].\r\n",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("--> content/b.md:11:8"), "{stderr}");
    assert!(
        stderr.contains("11 | url = 'javascript:alert(1)'\n"),
        "{stderr}"
    );

    // A date that is a time alone, after a `date` in a comment and in [extra].
    site.write(
        "content/b.md",
        "+++\ntitle = \"B\"\n# date = 12:00:00\ndate = 12:00:00\n[extra]\ndate = 13:00:00\n+++\nText.\n",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("--> content/b.md:4:8"), "{stderr}");
    assert!(stderr.contains("4 | date = 12:00:00"), "{stderr}");
    assert!(stderr.contains("a time without a day"), "{stderr}");

    // A `path` that leaves the output folder, written as a literal string, with
    // the same key and value in [extra].
    site.write(
        "content/b.md",
        "+++\ntitle = \"B\"\npath   = '../../etc'\n[extra]\npath = \"../../etc\"\n+++\nText.\n",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("--> content/b.md:3:11"), "{stderr}");
    assert!(stderr.contains("3 | path   = '../../etc'"), "{stderr}");
}

#[test]
fn a_bad_value_in_a_tribute_points_at_its_line_in_the_tribute_file() {
    let site = good_site();
    site.write(
        "content/tributes/_index.md",
        "+++\ntitle = \"Tributes\"\nsort_by = \"date\"\n+++\n",
    );
    // `author` and `link` are also set in [extra] and in a reference above [tribute];
    // the tribute's own are blamed.
    site.write(
        "content/tributes/jane.md",
        "+++\ntitle = \"For F\"\ndate = 2025-01-06\n# link = 'mailto:jane@example.org'\n\
         [extra]\nlink = \"mailto:jane@example.org\"\nauthor = \"\"\n\
         [[references]]\nid = \"r\"\ntitle = \"R\"\nurl = \"https://example.org/r\"\nauthor = \"\"\n\
         [tribute]\nauthor = \"  \"\nlink = 'mailto:jane@example.org'\n+++\nWords [^r].\n",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("a tribute's `author` is empty"), "{stderr}");
    assert!(
        stderr.contains("--> content/tributes/jane.md:14:11"),
        "{stderr}"
    );
    assert!(stderr.contains("14 | author = \"  \""), "{stderr}");
    assert!(
        stderr.contains("a tribute's `link` must be a web address"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/tributes/jane.md:15:9"),
        "{stderr}"
    );
    assert!(
        stderr.contains("15 | link = 'mailto:jane@example.org'"),
        "{stderr}"
    );

    // An inline [tribute] table: the bad link inside it.
    site.write(
        "content/tributes/jane.md",
        "+++\ntitle = \"For F\"\ndate = 2025-01-06\ntribute = { author = \"Jane\", link = \"javascript:alert(1)\" }\n+++\nWords.\n",
    );
    let stderr = fails(&site);
    assert!(
        stderr.contains("--> content/tributes/jane.md:4:38"),
        "{stderr}"
    );
    assert!(stderr.contains("would run code"), "{stderr}");
}

/// The README's example error is what lectern prints for it, word for word: the typo
/// `wieght` in the memorial's own tributes section.
#[test]
fn the_readmes_example_error_is_the_real_one() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("```text\nerror: invalid TOML: unknown field `wieght`")
        .expect("the example in the README")
        + "```text\n".len();
    let example = &readme[start..start + readme[start..].find("```").unwrap()];
    let site = TestSite::memorial(&["content/tributes/_index.md"]);
    let section = site.read("content/tributes/_index.md");
    assert!(section.lines().nth(3) == Some("weight = 3"), "{section}");
    site.write(
        "content/tributes/_index.md",
        &section.replacen("weight = 3", "wieght = 3", 1),
    );
    let stderr = site.build().fails();
    assert!(
        stderr.contains(example.trim_end()),
        "{example}\nis not\n{stderr}"
    );
}
