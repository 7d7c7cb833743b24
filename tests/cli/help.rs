//! Help a reader can act on, end to end through the real binary: a resource's number
//! is a `tel:` link that dials exactly the number shown, a web contact is a link, and
//! bad numbers and addresses stop the build at their line and column in `site.toml`.

use crate::tributes_site::site;
use crate::util::{TestSite, MINIMAL_CONFIG};

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
        // Only the number is the link, and it dials the configured number.
        assert!(
            block.contains(&format!(
                "<span class=\"help-contact\"><a class=\"help-tel\" href=\"tel:+85223892222\">2389 2222</a>{hours}</span>"
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
