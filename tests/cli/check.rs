//! `lectern check`: problems a build lets through are reported with their place, and
//! the memorial itself checks clean.

use crate::util;
use crate::util::{page, TestSite};

#[test]
fn reports_damage_brackets_citations_and_links_with_their_places() {
    // The comment names the id first: the report must point at the id itself.
    let refs = "+++\ntitle = \"R\"\nweight = 9\n# \"unused\" is kept for later\n[[references]]\nid = \"unused\"\ntitle = \"U\"\nurl = \"https://example.org/u\"\n+++\n";
    let body = "正常的文字（括號）。\n\n發(fā)布了 ?? 請?zhí)峁\n\n「沒有關上 and [^nobody]\n\n```\n「 in code is fine\n```\n\n[x](@/missing.md)\n";
    let site = TestSite::with(&[
        ("content/a.md", &page("A", 1, body)),
        ("content/r.md", refs),
    ]);
    let run = site.run(&["check"]);
    let stderr = run.fails();
    for expected in [
        "a pinyin annotation is left in the text: `發(fā)`",
        "--> content/a.md:7:1",
        "a run of `?` stands for lost characters",
        "a damage marker is left in the text: `?zhí)`",
        "`「` is never closed",
        "--> content/a.md:9:1",
        "`[^nobody]` cites nothing",
        "the reference `unused` is never cited",
        "--> content/r.md:6:7",
        "`missing.md`, which is not in content/",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    assert!(
        !stderr.contains(":12:"),
        "a bracket inside fenced code is not prose:\n{stderr}"
    );
    assert!(!site.exists("public"), "check writes nothing");
}

#[test]
fn lists_external_links_on_request() {
    let site = TestSite::with(&[(
        "content/a.md",
        &page("A", 1, "see [x](https://example.org/x)\n"),
    )]);
    let run = site.run(&["check", "--external"]).ok();
    assert!(
        run.stdout()
            .contains("content/a.md:5  https://example.org/x"),
        "{}",
        run.stdout()
    );
    assert!(run.stdout().contains("checked 2 documents: 0 problems"));
}

#[test]
fn the_memorial_checks_clean() {
    let site = TestSite::memorial(&[]);
    site.build().ok();
    let run = site.run(&["check", "--external"]).ok();
    assert!(
        run.stdout().contains("external links (3):"),
        "{}",
        run.stdout()
    );
    assert!(run.stdout().contains("checked 13 documents: 0 problems"));
    // The references' addresses, listed where references.md declares them (its body no
    // longer repeats them).
    let refs = site.read("content/references.md");
    for url in [
        "https://docs.google.com/document/d/1aEdTE-B6CSPPeUWYD-IgNVQVZM25f7MF-u9qn5KJJvo/mobilebasic",
        "https://x.com/kchonyc/status/1874768078044868708",
        "https://x.com/DrJimFan/status/1874959979553427815",
    ] {
        let line = refs
            .lines()
            .position(|l| l == format!("url = \"{url}\""))
            .expect("declared in front matter")
            + 1;
        assert!(
            run.stdout()
                .contains(&format!("content/references.md:{line}  {url}")),
            "{}",
            run.stdout()
        );
    }
}

#[test]
fn an_address_that_runs_code_is_a_problem_wherever_it_is_written() {
    let tribute = "+++\ntitle = \"T\"\ndate = 2025-01-06\n[tribute]\nauthor = \"T\"\nlink = \"https://example.org/t\"\n[[references]]\nid = \"r\"\ntitle = \"R\"\nurl = \"javascript:alert(1)\"\n+++\nSee [^r].\n";
    let site = TestSite::with(&[("content/t.md", tribute)]);
    let stderr = site.run(&["check"]).fails();
    assert!(stderr.contains("--> content/t.md:10:8"), "{stderr}");
    assert!(stderr.contains("would run code"), "{stderr}");
}

#[test]
fn a_link_to_a_missing_page_hides_no_other_problem_of_its_file() {
    let body = "[gone](@/missing.md)\n\n[bad](@/b.md#nowhere)\n\n![x](javascript:alert(1))\n\n[out](https://example.org/out)\n";
    let site = TestSite::with(&[
        ("content/a.md", &page("A", 1, body)),
        (
            "content/b.md",
            &page("B", 2, "## Here\n\n[gone too](@/also-missing.md)\n"),
        ),
    ]);
    let run = site.run(&["check", "--external"]);
    assert!(
        run.stdout()
            .contains("content/a.md:11  https://example.org/out"),
        "{}",
        run.stdout()
    );
    let stderr = run.fails();
    for expected in [
        "--> content/a.md:5:1",
        "`missing.md`, which is not in content/",
        "--> content/a.md:7:1",
        "there is no anchor `#nowhere`",
        "--> content/a.md:9:1",
        "would run code",
        "--> content/b.md:7:1",
        "`also-missing.md`",
        "4 problems",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
}

/// Runs `build` and `check` on copies of one site: both must fail, each naming
/// `expected` (a file, or a file and its place), and `check` must write nothing.
fn build_and_check_fail_naming(files: &[(&str, &str)], expected: &[&str]) {
    let built = TestSite::with(files);
    let stderr = built.build().fails();
    for expected in expected {
        assert!(
            stderr.contains(expected),
            "build: missing {expected:?} in:\n{stderr}"
        );
    }
    let checked = TestSite::with(files);
    let before = checked.snapshot("");
    let stderr = checked.run(&["check"]).fails();
    for expected in expected {
        assert!(
            stderr.contains(expected),
            "check: missing {expected:?} in:\n{stderr}"
        );
    }
    assert_eq!(checked.snapshot(""), before, "check changed the site");
    assert!(!checked.exists("public"), "check made the output folder");
    assert!(!checked.exists(".lectern"), "check kept state in the site");
}

#[test]
fn a_template_that_fails_fails_check_as_it_fails_build() {
    build_and_check_fail_naming(
        &[
            ("content/a.md", &page("A", 1, "text\n")),
            ("templates/page.html", "<p>{{ no_such_variable }}</p>\n"),
        ],
        &[
            "`no_such_variable` is not defined when rendering content/a.md",
            "--> templates/page.html:1:7",
        ],
    );
    build_and_check_fail_naming(
        &[
            ("content/a.md", &page("A", 1, "text\n")),
            (
                "templates/page.html",
                "<p>{{ page.title | no_such_filter }}</p>\n",
            ),
        ],
        &["templates/page.html", "no_such_filter"],
    );
}

#[test]
fn a_page_path_that_is_a_theme_file_fails_check_as_it_fails_build() {
    build_and_check_fail_naming(
        &[(
            "content/s.md",
            "+++\ntitle = \"S\"\npath = \"style.css\"\n+++\ntext\n",
        )],
        &[
            "style.css in the output would be both a file and a folder",
            "--> content/s.md",
        ],
    );
}

#[test]
fn a_static_file_where_a_page_goes_fails_check_as_it_fails_build() {
    build_and_check_fail_naming(
        &[
            ("content/a.md", &page("A", 1, "text\n")),
            ("static/index.html", "<p>mine</p>\n"),
        ],
        &[
            "two things want to be written to index.html in the output",
            "--> static/index.html",
        ],
    );
    // A static folder where a page goes, the other way round.
    build_and_check_fail_naming(
        &[
            ("content/a.md", &page("A", 1, "text\n")),
            ("static/a", "a file where the page's folder goes\n"),
        ],
        &[
            "a in the output would be both a file and a folder",
            "static/a is written to a",
            // At the page's first line: the static file is named, and has no lines.
            "--> content/a.md:1:1",
            "move or rename static/a, or give content/a.md another `path` or `slug`",
        ],
    );
}

#[test]
fn an_address_that_runs_code_fails_check_as_it_fails_build() {
    let reference = "+++\ntitle = \"R\"\n[[references]]\nid = \"r\"\ntitle = \"R\"\nurl = \"javascript:alert(1)\"\n+++\nSee [^r].\n";
    build_and_check_fail_naming(
        &[("content/r.md", reference)],
        &["would run code", "--> content/r.md:6:8"],
    );
    build_and_check_fail_naming(
        &[("content/a.md", &page("A", 1, "[x](javascript:alert(1))\n"))],
        &["would run code", "--> content/a.md:5:1"],
    );
}

#[test]
fn a_good_site_passes_both_and_check_writes_nothing() {
    let files: &[(&str, &str)] = &[
        (
            "content/a.md",
            &page("A", 1, "## Here\n\n[b](@/b.md#there)\n"),
        ),
        (
            "content/b.md",
            &page("B", 2, "## There\n\n[a](@/a.md#here)\n"),
        ),
        (
            "templates/page.html",
            "<h1>{{ page.title }}</h1>{{ page.content | safe }}\n",
        ),
        ("static/img/a.txt", "a static file\n"),
    ];
    let checked = TestSite::with(files);
    let before = checked.snapshot("");
    let run = checked.run(&["check"]).ok();
    assert!(
        run.stdout().contains("checked 3 documents: 0 problems"),
        "{}",
        run.stdout()
    );
    assert_eq!(checked.snapshot(""), before, "check changed the site");
    assert!(!checked.exists("public"), "check made the output folder");
    assert!(!checked.exists(".lectern"), "check kept state in the site");
    let built = TestSite::with(files);
    built.build().ok();
    assert!(built.read("public/a/index.html").contains("<h1>A</h1>"));
}

#[test]
fn every_stage_s_problems_are_reported_in_one_run_and_each_once() {
    let config = format!(
        "{}[[editions]]\nlanguage = \"zh-Hans\"\npath = \"zh-hans\"\n",
        util::MINIMAL_CONFIG
    );
    let site = TestSite::with(&[
        ("content/a.md", &page("A", 1, "談論\n")),
        (
            "content/b.md",
            &page("B", 2, "談論 [x](@/missing.md) and [y](@/a.md#nope)\n"),
        ),
        ("templates/page.html", "{{ no_such_variable }}\n"),
        ("static/index.html", "<p>mine</p>\n"),
    ]);
    site.write("site.toml", &config);
    let stderr = site.run(&["check"]).fails();
    for expected in [
        "`missing.md`, which is not in content/",
        "there is no anchor `#nope`",
        "`no_such_variable` is not defined when rendering content/a.md",
        "`no_such_variable` is not defined when rendering content/b.md",
        "two things want to be written to index.html",
        "5 problems",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    // Each edition and view finds the broken link again; it is one problem.
    assert_eq!(stderr.matches("`missing.md`").count(), 1, "{stderr}");
    assert!(!site.exists("public") && !site.exists(".lectern"));
}

#[test]
fn check_never_runs_the_import_and_says_when_a_build_would() {
    let site = TestSite::memorial(&[]);
    site.build().ok();
    let run = site.run(&["check"]).ok();
    assert!(!run.stderr().contains("note:"), "{}", run.stderr());
    let mut article = std::fs::read(site.path("sources/felix-hill.txt")).expect("article");
    article.extend_from_slice("\n".as_bytes());
    site.write_bytes("sources/felix-hill.txt", &article);
    let before = site.snapshot("");
    let run = site.run(&["check"]).ok();
    assert!(
        run.stderr()
            .contains("note: the article in site.toml changed since content was imported"),
        "{}",
        run.stderr()
    );
    assert_eq!(site.snapshot(""), before, "check imported the article");
}

/// The workflow commands in `stdout`, after asserting that every line of it is one or the
/// summary: no value of the site ever starts a line of its own.
fn workflow_commands(stdout: &str) -> Vec<&str> {
    for line in stdout.lines() {
        assert!(
            line.starts_with("::error ") || line.starts_with("checked "),
            "a line GitHub would read as something else: {line:?}\n{stdout}"
        );
    }
    stdout.lines().filter(|l| l.starts_with("::")).collect()
}

#[test]
fn github_format_annotates_the_line_in_the_repository_even_from_hostile_values() {
    // The site is in a folder of the repository, as `--root site` from its top.
    let repo = TestSite::empty();
    repo.write("site/site.toml", util::MINIMAL_CONFIG);
    repo.write("site/content/_index.md", &page("Home", 0, "Home.\n"));
    repo.write(
        "site/content/tributes/jane.md",
        "+++\ntitle = \"Jane\"\ndate = 2025-01-06\n\n[tribute]\nauthor = \"Jane\"\n+++\n\nAs he wrote in [his essay](@/essay.md).\n",
    );
    // A file name with a workflow command's separators, and a link with `%0A`, which
    // GitHub would read as a newline if the `%` were not escaped.
    repo.write(
        "site/content/a::b,c%41.md",
        &page("H", 1, "[x](@/nope::%0A.md)\n"),
    );
    // A reference id holding a real newline and a command after it.
    repo.write(
        "site/content/refs.md",
        "+++\ntitle = \"R\"\nweight = 2\n[[references]]\nid = \"x\\n::warning::injected 100%\"\ntitle = \"T\"\nurl = \"https://example.org/\"\n+++\nbody\n",
    );
    let run = repo.run(&["--root", "site", "check", "--format", "github"]);
    let stdout = run.stdout();
    let stderr = run.fails();
    let commands = workflow_commands(&stdout);
    for expected in [
        "::error file=site/content/tributes/jane.md,line=9,col=16,title=lectern check::this link points to `essay.md`, which is not in content/",
        "::error file=site/content/a%3A%3Ab%2Cc%2541.md,line=5,col=1,title=lectern check::this link points to `nope::%250A.md`, which is not in content/",
        "::error file=site/content/refs.md,line=5,col=7,title=lectern check::the reference `x%0A::warning::injected 100%25` is never cited%0Ahelp: cite it with [^x%0A::warning::injected 100%25] where the text refers to it",
    ] {
        assert!(commands.contains(&expected), "{expected}\nnot in:\n{stdout}");
    }
    assert_eq!(commands.len(), 3, "{stdout}");
    // The person reading the log still gets the usual report.
    assert!(
        stderr.contains("--> content/tributes/jane.md:9:16"),
        "{stderr}"
    );

    // A problem that stops the check before it can report (a tribute still holding its
    // placeholder) is an annotation too; paths are relative to where lectern runs.
    let repo = TestSite::empty();
    repo.write("site/site.toml", util::MINIMAL_CONFIG);
    repo.write("site/content/_index.md", &page("Home", 0, "Home.\n"));
    repo.run(&["-r", "site", "new-tribute", "Jane", "--date", "2025-01-06"])
        .ok();
    let run = repo.run(&["-r", "./site/", "check", "--format", "github"]);
    let stdout = run.stdout();
    run.fails();
    assert_eq!(
        workflow_commands(&stdout),
        ["::error file=site/content/tributes/jane.md,line=11,col=1,title=lectern check::this tribute still holds the placeholder `lectern new-tribute` wrote%0Ahelp: replace \"Write your tribute here…\" with the tribute itself, or delete the file"],
        "{stdout}"
    );

    // A clean site prints no command.
    let site = TestSite::with(&[("content/a.md", &page("A", 1, "fine\n"))]);
    let run = site.run(&["check", "--format", "github"]).ok();
    assert!(
        workflow_commands(&run.stdout()).is_empty(),
        "{}",
        run.stdout()
    );
}

/// A count of one is said in the singular, wherever lectern counts.
#[test]
fn one_of_a_thing_is_counted_in_the_singular() {
    let site = TestSite::with(&[("content/_index.md", &page("Home", 0, "[x](@/nope.md)\n"))]);
    let run = site.run(&["check"]);
    let stderr = run.fails();
    assert!(stderr.contains("checked 1 document: 1 problem"), "{stderr}");
    assert!(!stderr.contains("problems"), "{stderr}");
    site.write("content/_index.md", &page("Home", 0, "Hello.\n"));
    let run = site.run(&["check"]).ok();
    assert!(
        run.stdout().contains("checked 1 document: 0 problems"),
        "{}",
        run.stdout()
    );
    let run = site.build().ok();
    assert!(
        run.stdout().starts_with("built 1 page in "),
        "{}",
        run.stdout()
    );
    site.run(&["theme", "export"]).ok();
    std::fs::remove_file(site.path("templates/page.html")).unwrap();
    let run = site.run(&["theme", "export"]).ok();
    assert!(
        run.stdout().contains("theme: 1 file written"),
        "{}",
        run.stdout()
    );
}
