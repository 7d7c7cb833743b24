//! `lectern check`: problems a build lets through are reported with their place, and
//! the memorial itself checks clean.

use crate::util::{page, TestSite};

#[test]
fn reports_damage_brackets_citations_and_links_with_their_places() {
    let refs = "+++\ntitle = \"R\"\nweight = 9\n[[references]]\nid = \"unused\"\ntitle = \"U\"\nurl = \"https://example.org/u\"\n+++\n";
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
        "--> content/r.md:5:",
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
    assert!(run.stdout().contains("checked 12 documents: 0 problems"));
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
