//! `lectern serve` in a real browser: a page open in headless Chromium reloads by itself
//! when its file is saved, shows a build error over the page without reloading, and
//! recovers when the file is fixed.

// Shared with tests/browser.rs; this file uses only part of it.

use crate::harness::{within, Browser, Need, Tools, TEST_TIMEOUT};
use crate::util::serve::Server;
use crate::util::{page, TestSite};

#[tokio::test]
async fn an_open_page_reloads_by_itself_and_shows_build_errors() {
    let test = "an_open_page_reloads_by_itself_and_shows_build_errors";
    let Some(tools) = Tools::require(test, &[Need::Browser]) else {
        return;
    };
    let site = TestSite::with(&[
        ("content/_index.md", &page("首頁", 0, "首頁。\n")),
        ("content/a.md", &page("無處可逃", 1, "原文。\n")),
    ]);
    site.write(
        "site.toml",
        "title = \"t\"\nbase_url = \"https://user.github.io/repo/\"\n",
    );
    let server = Server::start(&site);
    assert_eq!(server.base, "/repo/");
    let browser = Browser::start(&tools, test, &server.url()).await;
    within(TEST_TIMEOUT, test, async {
        browser.goto("a/").await;
        browser.wait_for("document.body.innerText.includes('原文。')", "the first text").await;
        // A marker on the window survives until the page is loaded anew.
        browser.js("window.__sameDocument = true; return null;").await;
        site.write("content/a.md", &page("無處可逃", 1, "改過的文字。\n"));
        browser
            .wait_for(
                "!window.__sameDocument && document.body.innerText.includes('改過的文字。')",
                "the page to reload by itself with the new text",
            )
            .await;
        // A broken edit: the error shows over the page, which keeps the last good text.
        browser.js("window.__sameDocument = true; return null;").await;
        site.write("content/a.md", "+++\ntitle = \n+++\n");
        browser
            .wait_for(
                "document.getElementById('lectern-error-overlay') !== null && \
                 document.getElementById('lectern-error-overlay').innerText.includes('content/a.md:2:')",
                "the build error over the page",
            )
            .await;
        assert_eq!(browser.js("return window.__sameDocument === true;").await, true);
        // Fixed: the page reloads, and the error is gone.
        site.write("content/a.md", &page("無處可逃", 1, "修好了。\n"));
        browser
            .wait_for(
                "!window.__sameDocument && document.getElementById('lectern-error-overlay') === null \
                 && document.body.innerText.includes('修好了。')",
                "the page to reload without the error",
            )
            .await;
    })
    .await;
    browser.close().await;
}
