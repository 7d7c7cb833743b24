//! The Simplified edition in a real browser: the edition switch keeps the reader on the
//! same section, and both editions of the memorial have no HTML errors.

use crate::{html_validate, vnu};

use crate::harness::{within, Browser, Need, Tools, TEST_TIMEOUT};
use crate::serve::Served;
use crate::util::TestSite;

/// The memorial as the repository ships it (its sources and its hand-written tributes
/// section), built for a GitHub Pages project site.
fn memorial() -> TestSite {
    let site = TestSite::memorial(&["content/tributes/_index.md"]);
    site.run(&["build", "-u", "https://user.github.io/repo/"])
        .ok();
    site
}

#[tokio::test]
async fn the_edition_switch_keeps_the_reader_on_the_same_section() {
    let test = "the_edition_switch_keeps_the_reader_on_the_same_section";
    let Some(tools) = Tools::require(test, &[Need::Browser]) else {
        return;
    };
    let site = memorial();
    let served = Served::folder(&site.path("public"), "/repo/");
    let browser = Browser::start(&tools, test, &served.base).await;
    within(TEST_TIMEOUT, test, async {
        browser.goto("blog/money/").await;
        browser
            .click_to_new_page(".edition-switch a[hreflang=zh-Hans]")
            .await;
        assert_eq!(browser.path().await, "/repo/zh-hans/blog/money/");
        assert_eq!(
            browser
                .js_string("return document.documentElement.lang")
                .await,
            "zh-Hans"
        );
        assert_eq!(browser.text("h1").await, "钱，钱，钱");
        browser
            .click_to_new_page(".edition-switch a[hreflang=zh-Hant]")
            .await;
        assert_eq!(browser.path().await, "/repo/blog/money/");
        assert_eq!(browser.text("h1").await, "錢，錢，錢");
    })
    .await;
    browser.close().await;
}

#[tokio::test]
async fn the_memorial_in_both_editions_has_no_html_errors() {
    let test = "the_memorial_in_both_editions_has_no_html_errors";
    within(TEST_TIMEOUT, test, async {
        let Some(tools) = Tools::require(test, &[Need::Vnu, Need::HtmlValidate]) else {
            return;
        };
        let site = memorial();
        vnu::assert_no_errors(&tools, &site.path("public")).await;
        html_validate::assert_no_errors(&tools, &site.path("public")).await;
    })
    .await;
}
