//! Without JavaScript.

use super::progress::PROGRESS;
use super::*;

/// Checks that the browser shows `page` of the reading order.
async fn expect_page(browser: &Browser, page: &Page) {
    assert_eq!(browser.path().await, format!("{PREFIX}{}", page.path));
    // innerText, not textContent: a title's pinyin is hidden until the reader asks for it.
    assert_eq!(
        browser
            .js_string("return document.querySelector('main h1').innerText.trim();")
            .await,
        page.title
    );
}

/// Fails unless the page's scripts are off: the inline head script would add `js` to
/// `<html>`, and lectern.js would mark it `data-lectern="ready"`.
async fn expect_no_scripts(browser: &Browser) {
    let ran = browser
        .js(
            "return document.documentElement.classList.contains('js') || \
                    document.documentElement.hasAttribute('data-lectern');",
        )
        .await;
    assert_eq!(ran, false, "page scripts ran on {}", browser.path().await);
}

reader_test!(
    without_javascript_a_phone_reads_navigates_and_follows_references,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        let pages = reader.pages();
        // Scripts off for the tab's life; WebDriver's own scripts still run.
        browser
            .cdp(
                "Emulation.setScriptExecutionDisabled",
                json!({ "value": true }),
            )
            .await;
        browser.resize(PHONE, 900).await;
        browser.goto("").await;
        expect_no_scripts(browser).await;
        expect_page(browser, &pages[0]).await;
        // No drawer without scripts: the sidebar is simply there. Controls that need
        // scripts stay hidden.
        assert!(
            shown(browser, "#site-nav").await,
            "the sidebar must show without scripts"
        );
        assert!(shown(browser, ".site-nav a[aria-current=page]").await);
        for useless in [
            ".nav-toggle",
            ".tools-toggle",
            ".reader-controls",
            ".site-search",
            "#search-results",
        ] {
            assert!(
                !shown(browser, useless).await,
                "{useless} must stay hidden without scripts"
            );
        }

        // Next through the whole reading order, then prev back a few pages.
        for page in &pages[1..] {
            browser.click_to_new_page("a[rel=next]").await;
            expect_no_scripts(browser).await;
            expect_page(browser, page).await;
        }
        assert_eq!(browser.count("a[rel=next]").await, 0);
        for page in pages.iter().rev().skip(1).take(3) {
            browser.click_to_new_page("a[rel=prev]").await;
            expect_page(browser, page).await;
        }
        // A sidebar link.
        let money = pages
            .iter()
            .find(|p| p.path == "blog/money/")
            .expect("blog/money/");
        browser
            .click_to_new_page(".site-nav a[href='../../blog/money/']")
            .await;
        expect_page(browser, money).await;

        // A citation and its way back, on the article's page.
        browser.goto("article/").await;
        browser.click_to_hash("[id='cite-2-1']", "ref-2").await;
        assert_eq!(browser.target().await, "li#ref-2");
        assert!(browser.in_viewport("[id='ref-2']").await);
        browser
            .click_to_hash("[id='ref-2'] a.backlink", "cite-2-1")
            .await;
        assert!(browser.in_viewport("[id='cite-2-1']").await);

        // The references page lists the three sources as links, once each, and each
        // leads back to where it is cited.
        browser.goto("references/").await;
        expect_no_scripts(browser).await;
        assert_eq!(
            browser
                .count("main .all-references li a.external[href^='https://']")
                .await,
            3
        );
        assert_eq!(browser.count("main .content a[href^='https://']").await, 0);
        assert!(shown(browser, "main .all-references li a.external").await);
        browser.click_to_new_page("[id='ref-2'] .cited-in a").await;
        assert_eq!(browser.path().await, format!("{PREFIX}article/"));
        assert_eq!(browser.hash().await, "cite-2-1");
        assert!(browser.in_viewport("[id='cite-2-1']").await);
        browser.goto("references/").await;

        // Read it all: from the sidebar, and its TOC jumps.
        browser.click_to_new_page(".site-nav .read-all a").await;
        expect_no_scripts(browser).await;
        assert_eq!(browser.path().await, format!("{PREFIX}all/"));
        assert_eq!(browser.count("section.single-page-document").await, 13);
        browser.click_to_hash(".page-toc a[href='#p6']", "p6").await;
        assert!(browser.in_viewport("[id='p6']").await);
        browser.click_to_hash("[id='p2-cite-3-1']", "ref-3").await;
        assert!(browser.in_viewport("[id='ref-3']").await);
        // The progress bar is CSS alone.
        browser
            .js("window.scrollTo(0, document.documentElement.scrollHeight); return null;")
            .await;
        browser
            .wait_for(
                &format!("{PROGRESS} > 0.99"),
                "a full progress bar at the end",
            )
            .await;
    }
);
