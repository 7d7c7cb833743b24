//! Tributes and the help block, end to end through the real binary: tribute files
//! appear in date order with their authors, malformed ones fail at their line,
//! `lectern new-tribute` writes a file that builds, and the help block shows exactly
//! the configured resources on exactly the configured pages, in both editions.

use crate::tributes_site::{site, tribute, HELP};
use crate::util::{reading_order, TestSite, MINIMAL_CONFIG};
use regex::Regex;

/// Byte positions of each needle in `html`, asserting each is there.
fn positions(html: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| {
            html.find(n)
                .unwrap_or_else(|| panic!("{n} missing from:\n{html}"))
        })
        .collect()
}

fn is_sorted(v: &[usize]) -> bool {
    v.windows(2).all(|w| w[0] < w[1])
}

#[test]
fn tributes_are_shown_in_date_order_with_their_authors() {
    let site = site();
    site.build().ok();
    let section = site.read("public/tributes/index.html");
    let authors = [
        "<span class=\"tribute-author\">Example Person</span>",
        "<span class=\"tribute-author\">張三</span>",
        "<span class=\"tribute-author\">李四</span>",
    ];
    assert!(is_sorted(&positions(&section, &authors)), "{section}");
    // Each in full, with its date, relation and link.
    assert!(section.contains("<p>The first tribute.</p>"));
    assert!(section.contains("<p>李四的悼念，最晚。</p>"));
    assert!(section.contains("<time datetime=\"2025-01-01\">2025 年 1 月 1 日</time>"));
    assert!(section.contains("<span class=\"tribute-relation\">colleague</span>"));
    assert!(section.contains(
        "<a class=\"external\" href=\"https://example.org/post\" rel=\"noopener noreferrer\">"
    ));
    // The reading order follows the dates too, after the references.
    assert_eq!(
        reading_order(&site, ""),
        [
            "",
            "blog/",
            "blog/first/",
            "blog/last/",
            "references/",
            "tributes/",
            "tributes/b-first/",
            "tributes/a-middle/",
            "tributes/c-last/",
        ]
    );
    // Each tribute's own page has its byline; the home page ends with a link here.
    let own = site.read("public/tributes/a-middle/index.html");
    assert!(own.contains("<span class=\"tribute-author\">張三</span>"));
    assert!(own.contains("<time datetime=\"2025-01-05\">"));
    let home = site.read("public/index.html");
    assert!(home.contains("<p class=\"tributes-link\"><a href=\"./tributes/\">悼念與追思</a></p>"));
    // The single page holds them in the same order, with their bylines.
    let all = site.read("public/all/index.html");
    let bodies = ["The first tribute.", "張三的悼念", "李四的悼念"];
    assert!(is_sorted(&positions(&all, &bodies)));
    assert!(is_sorted(&positions(&all, &authors)));
}

#[test]
fn a_tribute_added_as_a_file_takes_its_place_by_date() {
    let site = site();
    site.write(
        "content/tributes/z-new.md",
        &tribute("王五", "2025-01-03", 0, "", "新加入的悼念。"),
    );
    site.build().ok();
    let section = site.read("public/tributes/index.html");
    let order = positions(
        &section,
        &[
            "The first tribute.",
            "新加入的悼念。",
            "張三的悼念",
            "李四的悼念",
        ],
    );
    assert!(is_sorted(&order), "{section}");
    assert!(site.exists("public/tributes/z-new/index.html"));
}

#[test]
fn a_misspelled_tribute_key_fails_at_its_line_with_a_suggestion() {
    let site = site();
    site.write(
        "content/tributes/typo.md",
        "+++\ntitle = \"x\"\ndate = 2025-01-01\n\n[tribute]\nauthor = \"X\"\nlnk = \"https://example.org\"\n+++\n",
    );
    let err = site.build().fails();
    assert!(err.contains("content/tributes/typo.md:7:"), "{err}");
    assert!(err.contains("did you mean `link`?"), "{err}");
    assert!(!site.exists("public"), "nothing is written");
}

#[test]
fn a_tribute_without_a_date_or_author_fails_at_its_tribute_table() {
    let site = site();
    site.write(
        "content/tributes/undated.md",
        "+++\ntitle = \"x\"\n\n[tribute]\nauthor = \"X\"\n+++\n",
    );
    let err = site.build().fails();
    assert!(err.contains("content/tributes/undated.md:4:"), "{err}");
    assert!(err.contains("a tribute needs a `date`"), "{err}");

    let site = self::site();
    site.write(
        "content/tributes/anonymous.md",
        "+++\ntitle = \"x\"\ndate = 2025-01-01\n\n[tribute]\nrelation = \"friend\"\n+++\n",
    );
    let err = site.build().fails();
    assert!(err.contains("content/tributes/anonymous.md:5:"), "{err}");
    assert!(err.contains("missing field `author`"), "{err}");

    let site = self::site();
    site.write(
        "content/tributes/badlink.md",
        "+++\ntitle = \"x\"\ndate = 2025-01-01\n\n[tribute]\nauthor = \"X\"\nlink = \"example.org\"\n+++\n",
    );
    let err = site.build().fails();
    assert!(err.contains("content/tributes/badlink.md:7:"), "{err}");
    assert!(err.contains("must be a web address"), "{err}");
}

/// The date `new-tribute` writes for a writer whose system is in time zone `tz`.
fn tribute_date_in(tz: &str) -> String {
    let site = site();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["new-tribute", "Jane Example"])
        .current_dir(site.root())
        .env("TZ", tz)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let written = site.read("content/tributes/jane-example.md");
    let date = Regex::new(r"(?m)^date = (\d{4}-\d{2}-\d{2})$").unwrap();
    date.captures(&written)
        .unwrap_or_else(|| panic!("no date in {written}"))[1]
        .to_string()
}

#[test]
fn new_tribute_dates_the_tribute_in_the_writers_own_time_zone() {
    // UTC+14 and UTC−12 are 26 hours apart: their dates always differ, while a date
    // taken in UTC would be the same for both.
    let east = tribute_date_in("Etc/GMT-14");
    let west = tribute_date_in("Etc/GMT+12");
    assert!(east > west, "UTC+14 says {east}, UTC-12 says {west}");
    for (tz, date) in [("Etc/GMT-14", &east), ("Etc/GMT+12", &west)] {
        let expected = jiff::Timestamp::now().in_tz(tz).unwrap().date().to_string();
        // Allow for midnight passing between the two readings of the clock.
        let before = jiff::civil::Date::strptime("%Y-%m-%d", date).unwrap();
        assert!(
            expected == *date || before.tomorrow().unwrap().to_string() == expected,
            "{tz}: wrote {date}, now {expected}"
        );
    }
}

#[test]
fn new_tribute_writes_a_file_that_builds_once_written_and_never_overwrites() {
    let site = site();
    let run = site
        .run(&["new-tribute", "Jane Example", "--date", "2025-01-20"])
        .ok();
    assert!(
        run.stdout().contains("content/tributes/jane-example.md"),
        "{}",
        run.stdout()
    );
    let written = site.read("content/tributes/jane-example.md");
    assert!(
        written.contains("[tribute]\nauthor = \"Jane Example\""),
        "{written}"
    );
    assert!(written.contains("date = 2025-01-20"), "{written}");
    // Not published until it is written: build and check stop at the placeholder.
    let line = written
        .lines()
        .position(|l| l.starts_with("Write your tribute here"))
        .unwrap()
        + 1;
    for command in ["build", "check"] {
        let err = site.run(&[command]).fails();
        assert!(
            err.contains("this tribute still holds the placeholder `lectern new-tribute` wrote"),
            "{command}: {err}"
        );
        assert!(
            err.contains(&format!("--> content/tributes/jane-example.md:{line}:1")),
            "{command}: {err}"
        );
        assert!(
            err.contains(&format!("{line} | Write your tribute here, in Markdown.")),
            "{command}: {err}"
        );
    }
    assert!(!site.exists("public"));
    // Kept anywhere in the text, it still stops the build.
    let half = written.replace(
        "Write your tribute here, in Markdown. Blank lines separate paragraphs.",
        "My words.\n\nWrite your tribute here",
    );
    site.write("content/tributes/jane-example.md", &half);
    let err = site.build().fails();
    assert!(
        err.contains(&format!(
            "--> content/tributes/jane-example.md:{}:1",
            line + 2
        )),
        "{err}"
    );
    let written = written.replace("Write your tribute here", "Words of my own");
    site.write("content/tributes/jane-example.md", &written);
    site.build().ok();
    let section = site.read("public/tributes/index.html");
    assert!(is_sorted(&positions(
        &section,
        &["張三的悼念", "tribute-author\">Jane Example", "李四的悼念"]
    )));

    site.write(
        "content/tributes/jane-example.md",
        &written.replace("Words of my own", "My own"),
    );
    let err = site.run(&["new-tribute", "Jane Example"]).fails();
    assert!(err.contains("already exists"), "{err}");
    assert!(site
        .read("content/tributes/jane-example.md")
        .contains("My own"));

    let err = site
        .run(&["new-tribute", "Other", "--date", "20 Jan"])
        .fails();
    assert!(err.contains("is not a date"), "{err}");
    assert!(!site.exists("content/tributes/other.md"));
}

#[test]
fn new_tribute_creates_the_section_in_a_site_without_one() {
    let site = TestSite::empty();
    site.run(&["new", "s"]).ok();
    let run = site.run(&["-r", "s", "new-tribute", "李雷"]).ok();
    assert!(
        run.stdout().contains("content/tributes/li-lei.md"),
        "{}",
        run.stdout()
    );
    let written = site.read("s/content/tributes/li-lei.md");
    site.write(
        "s/content/tributes/li-lei.md",
        &written.replace("Write your tribute here", "李雷的話"),
    );
    site.run(&["-r", "s", "build"]).ok();
    let section = site.read("s/public/tributes/index.html");
    assert!(
        section.contains("<span class=\"tribute-author\">李雷</span>"),
        "{section}"
    );
}

#[test]
fn new_tribute_writes_into_the_sites_own_tributes_section_wherever_it_is() {
    let site = TestSite::with(&[
        ("content/_index.md", "+++\ntitle = \"家\"\n+++\n"),
        (
            "content/memories/_index.md",
            "+++\ntitle = \"追思\"\nsort_by = \"date\"\ntemplate = \"tributes.html\"\n+++\n",
        ),
    ]);
    let issue = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/issues/zh.json");
    let run = site
        .run(&["new-tribute", "Jane Example", "--date", "2025-01-20"])
        .ok();
    assert!(
        run.stdout()
            .contains("created content/memories/jane-example.md"),
        "{}",
        run.stdout()
    );
    let run = site
        .run(&["new-tribute", "--from-issue", issue.to_str().unwrap()])
        .ok();
    assert!(
        run.stdout()
            .contains("created content/memories/chen-xiao-yun.md from issue #12"),
        "{}",
        run.stdout()
    );
    // No second tributes section.
    assert!(!site.exists("content/tributes"));
    let written = site.read("content/memories/jane-example.md");
    site.write(
        "content/memories/jane-example.md",
        &written.replace("Write your tribute here", "Words of my own"),
    );
    site.build().ok();
    let section = site.read("public/memories/index.html");
    assert!(
        section.contains("tribute-author\">Jane Example"),
        "{section}"
    );
    assert!(
        section.contains("id=\"tribute-chen-xiao-yun\""),
        "{section}"
    );

    // A section that holds tributes, without the template, is the tributes section
    // too; so is one further down, and a heavier sibling comes after it.
    let site = TestSite::with(&[
        ("content/_index.md", "+++\ntitle = \"家\"\n+++\n"),
        (
            "content/a/_index.md",
            "+++\ntitle = \"A\"\nweight = 2\n+++\n",
        ),
        (
            "content/b/_index.md",
            "+++\ntitle = \"B\"\nweight = 1\n+++\n",
        ),
        (
            "content/a/words.md",
            &crate::tributes_site::tribute("Old Friend", "2025-01-02", 0, "", "Words."),
        ),
        (
            "content/b/inner/more.md",
            &crate::tributes_site::tribute("Other Friend", "2025-01-03", 0, "", "More."),
        ),
    ]);
    let run = site.run(&["new-tribute", "Li Lei"]).ok();
    assert!(
        run.stdout().contains("created content/b/li-lei.md"),
        "{}",
        run.stdout()
    );
    assert!(!site.exists("content/tributes"));
}

/// The help block of a built page, if it has one.
fn help_block(html: &str) -> Option<String> {
    let start = html.find("<section class=\"help\"")?;
    let end = start + html[start..].find("</section>").expect("the block ends");
    Some(html[start..end].to_string())
}

#[test]
fn the_help_block_shows_exactly_the_configured_resources_on_the_configured_pages() {
    let site = site();
    site.build().ok();
    let items = Regex::new(r"(?s)<li>(.*?)</li>").unwrap();
    let links = Regex::new(r#"href="([^"]*)""#).unwrap();
    for path in reading_order(&site, "") {
        let html = site.read(&format!("public/{path}index.html"));
        let block = help_block(&html);
        if path != "blog/last/" && path != "references/" {
            assert!(block.is_none(), "no help block on /{path}");
            continue;
        }
        let block = block.unwrap_or_else(|| panic!("a help block on /{path}"));
        assert!(block.contains("aria-labelledby=\"help-title\""));
        assert!(
            block.contains("<h2 id=\"help-title\">你並不孤單</h2>"),
            "{block}"
        );
        assert!(
            block.contains("<p>如果你正感到難以承受，請和信任的人談談。</p>\n<p>第二段話。</p>")
        );
        let items: Vec<String> = items
            .captures_iter(&block)
            .map(|c| c[1].to_string())
            .collect();
        assert_eq!(items.len(), 2, "{block}");
        for (item, (name, region, contact, url)) in items.iter().zip([
            ("範例熱線", "範例地區", "000", "https://example.org/line"),
            (
                "Example Line",
                "Nowhere",
                "text EXAMPLE to 00000",
                "https://example.org/other-line",
            ),
        ]) {
            assert!(
                item.contains(&format!("<span class=\"help-name\">{name}</span>")),
                "{item}"
            );
            assert!(
                item.contains(&format!("<span class=\"help-region\">{region}</span>")),
                "{item}"
            );
            assert!(
                item.contains(&format!("<span class=\"help-contact\">{contact}</span>")),
                "{item}"
            );
            assert!(
                item.contains(&format!("href=\"{url}\" rel=\"noopener noreferrer\"")),
                "{item}"
            );
        }
        // Nothing the configuration does not name.
        let hrefs: Vec<&str> = links
            .captures_iter(&block)
            .map(|c| c.get(1).unwrap().as_str())
            .collect();
        assert_eq!(
            hrefs,
            ["https://example.org/line", "https://example.org/other-line"]
        );
    }
    assert!(!site.read("public/404.html").contains("class=\"help\""));
}

#[test]
fn a_help_page_that_does_not_exist_is_an_error_at_its_site_toml_line() {
    let site = site();
    site.write(
        "site.toml",
        &format!(
            "{MINIMAL_CONFIG}{}",
            HELP.replace("\"blog/last.md\"", "\"blog/lats.md\"")
        ),
    );
    let err = site.build().fails();
    let line = format!("{MINIMAL_CONFIG}{HELP}")
        .lines()
        .position(|l| l.starts_with("pages ="))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("site.toml:{line}:")), "{err}");
    assert!(err.contains("no content/blog/lats.md"), "{err}");
    let err = site.run(&["check"]).fails();
    assert!(err.contains("blog/lats.md"), "{err}");
}

#[test]
fn tributes_and_help_are_in_the_simplified_edition_converted() {
    let site = site();
    site.build().ok();
    let section = site.read("public/zh-hans/tributes/index.html");
    assert!(
        section.contains("<span class=\"tribute-author\">张三</span>"),
        "{section}"
    );
    assert!(
        section.contains("<p>张三的悼念，写于中间。</p>"),
        "{section}"
    );
    assert!(section.contains("<span class=\"tribute-author\">Example Person</span>"));
    assert!(section.contains("2025 年 1 月 1 日"));
    let home = site.read("public/zh-hans/index.html");
    assert!(
        home.contains("<a href=\"../zh-hans/tributes/\">悼念与追思</a>"),
        "{home}"
    );
    for path in ["blog/last/", "references/"] {
        let html = site.read(&format!("public/zh-hans/{path}index.html"));
        let block = help_block(&html).unwrap_or_else(|| panic!("help on zh-hans/{path}"));
        assert!(block.contains("你并不孤单"), "{block}");
        assert!(
            block.contains("如果你正感到难以承受，请和信任的人谈谈。"),
            "{block}"
        );
        assert!(
            block.contains("<span class=\"help-name\">范例热线</span>"),
            "{block}"
        );
        assert!(
            block.contains("<span class=\"help-region\">范例地区</span>"),
            "{block}"
        );
        assert!(block.contains("<span class=\"help-contact\">000</span>"));
        assert!(block.contains("https://example.org/line"));
    }
    assert!(help_block(&site.read("public/zh-hans/blog/first/index.html")).is_none());
    assert_eq!(
        reading_order(&site, "zh-hans/")[5..],
        [
            "zh-hans/tributes/",
            "zh-hans/tributes/b-first/",
            "zh-hans/tributes/a-middle/",
            "zh-hans/tributes/c-last/",
        ]
    );
}

#[test]
fn the_tributes_page_links_to_where_a_tribute_is_submitted_in_the_repository() {
    let site = site();
    let config =
        format!("{MINIMAL_CONFIG}repository = \"https://github.com/owner/memorial\"\n{HELP}");
    site.write("site.toml", &config);
    site.build().ok();
    for (prefix, form, file) in [
        (
            "",
            "寫下你的悼念（經 GitHub 提交）",
            "熟悉 git 的話，也可以用 pull request 加入一個檔案",
        ),
        (
            "zh-hans/",
            "写下你的悼念（经 GitHub 提交）",
            "熟悉 git 的话，也可以用 pull request 加入一个文件",
        ),
    ] {
        let section = site.read(&format!("public/{prefix}tributes/index.html"));
        // The issue form first, for those without git; then the pull request's way.
        assert!(
            section.contains(&format!(
                "<p class=\"tribute-submit\"><a href=\"https://github.com/owner/memorial/issues/new?template=tribute.yml\" rel=\"noopener noreferrer\">{form}</a></p>\n\
                 <p class=\"tribute-submit-file\"><a href=\"https://github.com/owner/memorial/new/main/content/tributes\" rel=\"noopener noreferrer\">{file}</a></p>"
            )),
            "{section}"
        );
        // Only the tributes page.
        assert!(!site
            .read(&format!("public/{prefix}index.html"))
            .contains("tribute-submit"));
    }

    // The memorial's own placeholder, which its README says to replace.
    let memorial = TestSite::memorial(&["content/tributes/_index.md"]);
    memorial.build().ok();
    let section = memorial.read("public/tributes/index.html");
    assert!(section.contains(
        "href=\"https://github.com/example/felix-hill/issues/new?template=tribute.yml\""
    ));
    assert!(section
        .contains("href=\"https://github.com/example/felix-hill/new/main/content/tributes\""));
    // The form it links to is the repository's own.
    assert!(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".github/ISSUE_TEMPLATE/tribute.yml")
        .is_file());

    // Without a repository there is nowhere to link to.
    let site = self::site();
    site.build().ok();
    assert!(!site
        .read("public/tributes/index.html")
        .contains("tribute-submit"));
}

#[test]
fn a_repository_that_is_not_an_https_address_is_an_error_at_its_value() {
    for (bad, why) in [
        (
            "http://github.com/owner/memorial",
            "is not an https address",
        ),
        ("github.com/owner/memorial", "is not an https address"),
        (
            "https://github.com/owner/memorial?tab=1",
            "a query or a fragment",
        ),
        ("https:///owner", "has no host name"),
        ("javascript:alert(1)", "would run code"),
    ] {
        let site = site();
        site.write(
            "site.toml",
            &format!("{MINIMAL_CONFIG}repository = \"{bad}\"\n{HELP}"),
        );
        let err = site.build().fails();
        assert!(err.contains("site.toml:4:15"), "{bad}: {err}");
        assert!(err.contains(why), "{bad}: {err}");
    }
}
