//! Help a reader can act on, end to end through the real binary: a resource's number
//! is a `tel:` link that dials exactly the number shown, a web contact is a link, bad
//! numbers and addresses stop the build at their line and column in `site.toml`, every
//! page of both editions links to the help page that holds the whole block, and a
//! page's front matter can ask for the block.

use crate::tributes_site::{site, HELP};
use crate::util::{reading_order, resolve, TestSite, MINIMAL_CONFIG};

/// `[help]` with a resource of each kind: a number dialled from abroad, a number to
/// call or text, and a web site.
const ACTIONABLE: &str = r#"
[[editions]]
language = "zh-Hans"
path = "zh-hans"

[help]
heading = "你並不孤單"
text = "請和信任的人談談。"
pages = ["blog/last.md"]

[[help.resources]]
name = "香港熱線"
region = "香港"
contact = "2389 2222（24 小時）"
tel = "+85223892222"
url = "https://example.org/hk"

[[help.resources]]
name = "US Line"
region = "美國"
contact = "撥打或傳簡訊 988"
tel = "988"
sms = "988"
url = "https://example.org/us"

[[help.resources]]
name = "Directory"
region = "全球"
contact = "findahelpline.com"
link = "https://findahelpline.com/"
url = "https://findahelpline.com/"
"#;

/// The tributes test site with `help` as its `[help]` (and editions).
fn site_with(help: &str) -> TestSite {
    let site = site();
    site.write("site.toml", &format!("{MINIMAL_CONFIG}{help}"));
    site
}

/// The help block of a built page, if it has one.
fn help_block(html: &str) -> Option<&str> {
    let start = html.find("<section class=\"help\"")?;
    let end = start + html[start..].find("</section>").expect("the block ends");
    Some(&html[start..end])
}

#[test]
fn numbers_are_tel_links_around_the_number_shown_and_a_web_contact_is_a_link() {
    let site = site_with(ACTIONABLE);
    site.build().ok();
    for (prefix, hours, text) in [
        ("", "（24 小時）", "撥打或傳簡訊 "),
        ("zh-hans/", "（24 小时）", "拨打或传简讯 "),
    ] {
        let html = site.read(&format!("public/{prefix}blog/last/index.html"));
        let block = help_block(&html).unwrap_or_else(|| panic!("help on {prefix}blog/last/"));
        // Only the number is the link, and it dials the configured number; its spaces
        // do not break (a number split over two lines is misread).
        assert!(
            block.contains(&format!(
                "<span class=\"help-contact\"><a class=\"help-tel\" href=\"tel:+85223892222\">2389\u{a0}2222</a>{hours}</span>"
            )),
            "{block}"
        );
        assert!(
            block.contains(&format!(
                "<span class=\"help-contact\">{text}<a class=\"help-tel\" href=\"tel:988\">988</a></span> <a class=\"help-sms\" href=\"sms:988\">"
            )),
            "{block}"
        );
        assert!(
            block.contains("<span class=\"help-contact\"><a class=\"help-link-out\" href=\"https://findahelpline.com/\" rel=\"noopener noreferrer\">findahelpline.com</a></span>"),
            "{block}"
        );
        // Each source is still linked, after the contact.
        for source in ["https://example.org/hk", "https://example.org/us"] {
            assert!(block.contains(&format!("class=\"help-source\" href=\"{source}\"")));
        }
    }
}

/// The line and column of the value of `key = "value"` (inside its quotes) in `text`.
fn place_of(text: &str, assignment: &str) -> String {
    let at = text
        .find(assignment)
        .unwrap_or_else(|| panic!("{assignment} not in the text"));
    let value = at + assignment.find('"').expect("a quoted value") + 1;
    let line = text[..value].matches('\n').count() + 1;
    let line_start = text[..value].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..value].chars().count() + 1;
    format!("site.toml:{line}:{column}")
}

#[test]
fn a_bad_number_or_address_stops_the_build_at_its_line_and_column() {
    let cases = [
        (
            "tel = \"+85223892222\"",
            "tel = \"+852TALK\"",
            "a number has no letters",
        ),
        (
            "tel = \"+85223892222\"",
            "tel = \"2389 2222\"",
            "write only the digits",
        ),
        (
            "tel = \"+85223892222\"",
            "tel = \"+85223892223\"",
            "is not the number its contact shows",
        ),
        ("sms = \"988\"", "sms = \"TEXT\"", "a number has no letters"),
        (
            "link = \"https://findahelpline.com/\"",
            "link = \"javascript:alert(1)\"",
            "would run code",
        ),
        (
            "link = \"https://findahelpline.com/\"",
            "link = \"findahelpline.com\"",
            "must be a web address",
        ),
        (
            "sms = \"988\"",
            "link = \"https://example.org/988\"",
            "both a number (`tel`) and an address (`link`)",
        ),
    ];
    for (good, bad, message) in cases {
        let help = ACTIONABLE.replacen(good, bad, 1);
        let site = site_with(&help);
        let err = site.build().fails();
        let place = place_of(&format!("{MINIMAL_CONFIG}{help}"), bad);
        assert!(err.contains(&place), "{bad}: wanted {place}:\n{err}");
        assert!(err.contains(message), "{bad}:\n{err}");
        assert!(err.contains(bad), "the line is shown: {err}");
        assert!(!site.exists("public"), "{bad}: nothing is written");
    }
}

/// The footer's link to the help page on the built page `page` (under `public/`):
/// its words and where it leads, resolved to a path under the output folder.
fn footer_help_link(site: &TestSite, page: &str) -> (String, String) {
    let link =
        regex::Regex::new(r#"<p class="help-link"><a href="([^"]*)">([^<]*)</a></p>"#).unwrap();
    let html = site.read(&format!("public/{page}"));
    let footer = &html[html
        .find("<footer")
        .unwrap_or_else(|| panic!("{page} has a footer"))..];
    let caps = link
        .captures(footer)
        .unwrap_or_else(|| panic!("{page} has no help link in its footer"));
    (caps[2].to_string(), resolve(page, &caps[1]))
}

#[test]
fn every_page_of_both_editions_links_to_the_help_page_which_holds_the_whole_block() {
    let site = site();
    site.build().ok();
    for (prefix, words, heading, paragraph) in [
        (
            "",
            "需要幫助？",
            "你並不孤單",
            "如果你正感到難以承受，請和信任的人談談。",
        ),
        (
            "zh-hans/",
            "需要帮助？",
            "你并不孤单",
            "如果你正感到难以承受，请和信任的人谈谈。",
        ),
    ] {
        let mut pages: Vec<String> = reading_order(&site, prefix)
            .into_iter()
            .map(|p| format!("{p}index.html"))
            .collect();
        assert_eq!(pages.len(), 9, "{pages:?}");
        pages.push(format!("{prefix}all/index.html"));
        pages.push(format!("{prefix}help/index.html"));
        for page in &pages {
            let (text, target) = footer_help_link(&site, page);
            assert_eq!(text, words, "{page}");
            assert_eq!(target, format!("{prefix}help/"), "{page}");
        }
        // The help page: the block under its heading as the page's title, every
        // resource, its sources, and the edition switch leading to the other's.
        let html = site.read(&format!("public/{prefix}help/index.html"));
        let block = help_block(&html).expect("the help page holds the block");
        assert!(
            block.contains(&format!("<h1 id=\"help-title\">{heading}</h1>")),
            "{block}"
        );
        assert!(block.contains(&format!("<p>{paragraph}</p>")), "{block}");
        assert!(html.contains(&format!("<title>{heading} · ")), "{html}");
        for source in ["https://example.org/line", "https://example.org/other-line"] {
            assert!(block.contains(&format!("href=\"{source}\"")), "{block}");
        }
        assert_eq!(html.matches("<h1").count(), 1);
    }
    let not_found = site.read("public/404.html");
    assert!(
        not_found.contains("<p class=\"help-link\"><a href=\"/help/\">需要幫助？</a></p>"),
        "the 404 page, served at any depth, links to the help page from the root"
    );
}

#[test]
fn the_help_links_words_come_from_the_site_and_no_help_means_no_link() {
    let help = HELP.replace("pages = [", "link_text = \"想找人談談？\"\npages = [");
    let site = site_with(&help);
    site.build().ok();
    assert_eq!(footer_help_link(&site, "index.html").0, "想找人談談？");
    assert_eq!(
        footer_help_link(&site, "zh-hans/index.html").0,
        "想找人谈谈？"
    );

    let site = TestSite::with(&[("content/_index.md", "+++\ntitle = \"首頁\"\n+++\n正文。\n")]);
    site.build().ok();
    assert!(!site.read("public/index.html").contains("help-link"));
    assert!(!site.exists("public/help"), "no help page without [help]");
}

#[test]
fn a_page_asks_for_the_help_block_in_its_front_matter() {
    let site = site();
    let first = "+++\ntitle = \"第一篇\"\nweight = 1\nhelp = true\n+++\n第一篇談到抑鬱。\n";
    site.write("content/blog/first.md", first);
    site.build().ok();
    for prefix in ["", "zh-hans/"] {
        for (page, has) in [
            ("blog/first/", true),
            ("blog/last/", true),
            ("blog/", false),
            ("", false),
        ] {
            let html = site.read(&format!("public/{prefix}{page}index.html"));
            assert_eq!(help_block(&html).is_some(), has, "{prefix}{page}");
        }
    }
    // Without [help] there is nothing to show: the flag is an error at its place.
    site.write("site.toml", MINIMAL_CONFIG);
    let err = site.build().fails();
    assert!(err.contains("content/blog/first.md:4:8"), "{err}");
    assert!(err.contains("site.toml has no [help]"), "{err}");
}

#[test]
fn a_converted_edition_keeps_a_contacts_numbers_and_addresses_as_written() {
    let site = site_with(
        r#"
[[editions]]
language = "zh-Hans"
path = "zh-hans"

[help]
heading = "你並不孤單"
text = "請到 生命熱線.香港 找人談談。"
pages = ["blog/last.md"]

[[help.resources]]
name = "生命熱線"
region = "香港"
contact = "電郵 幫助@例子.香港，或見 https://例子.香港/熱線（24 小時）"
url = "https://example.org/hk"
"#,
    );
    site.build().ok();
    let source = site.read("public/blog/last/index.html");
    let block = help_block(&source).expect("the help block");
    assert!(
        block.contains("電郵 幫助@例子.香港，或見 https://例子.香港/熱線（24 小時）"),
        "{block}"
    );
    let simplified = site.read("public/zh-hans/blog/last/index.html");
    let block = help_block(&simplified).expect("the help block");
    // The words are in the edition's script; the addresses are the ones a reader of
    // the source edition sees, character for character.
    assert!(
        block.contains("电邮 幫助@例子.香港，或见 https://例子.香港/熱線（24 小时）"),
        "{block}"
    );
    assert!(block.contains("生命热线"), "the name is converted: {block}");
    assert!(block.contains("请到 生命熱線.香港 找人谈谈。"), "{block}");
}
