//! Reader-facing tests in a real headless Chromium: a fixture site is built with the real
//! `lectern` binary for a GitHub Pages project site, served under `/repo/` on 127.0.0.1, and
//! read the way a person would: clicking links, following footnotes, landing on a missing
//! page. axe-core and the Nu Html Checker look at every page.
//!
//! Needs `chromium`, `chromedriver`, `java` and `(cd tests/js && npm ci)`; without them each
//! test prints a `SKIPPED` line and passes, except under `CI=true`, where it fails.
//! Screenshots land in `target/screenshots/`. The harness is in `tests/browser/`.

use crate::util;

use crate::fixture;
use crate::vnu;

use crate::fixture::{PREFIX, READING_ORDER};
use crate::harness::{within, Browser, Need, Tools, TEST_TIMEOUT};
use crate::serve::{Reader, Served};
use crate::util::TestSite;
use serde_json::json;

impl Reader {
    /// Builds and serves the fixture site and opens a browser on it, or returns `None` when
    /// the test is skipped for missing tools.
    async fn open_fixture(test: &str, needs: &[Need]) -> Option<Reader> {
        Reader::serve(test, needs, PREFIX, fixture::build).await
    }
}

/// Checks that the browser shows the page at `path` (under the prefix) titled `title`, and
/// that the sidebar marks exactly that page as the current one.
async fn expect_page(browser: &Browser, path: &str, title: &str) {
    let expected_path = format!("{PREFIX}{path}");
    assert_eq!(browser.path().await, expected_path, "wrong page");
    assert_eq!(browser.text("main h1").await, title, "on {expected_path}");
    assert_eq!(
        browser.count(".site-nav [aria-current]").await,
        1,
        "the sidebar must mark one current page on {expected_path}"
    );
    let current = browser
        .js_string(
            "const a = document.querySelector('.site-nav a[aria-current=\"page\"]'); \
             return a ? decodeURIComponent(a.pathname) + ' ' + a.textContent.trim() : '';",
        )
        .await;
    assert_eq!(
        current,
        format!("{expected_path} {title}"),
        "the sidebar marks the wrong page as current"
    );
}

#[tokio::test]
async fn sidebar_marks_the_current_page_as_next_and_prev_walk_the_reading_order() {
    let test = "sidebar_marks_the_current_page_as_next_and_prev_walk_the_reading_order";
    within(TEST_TIMEOUT, test, async {
        let Some(reader) = Reader::open_fixture(test, &[Need::Browser]).await else {
            return;
        };
        let browser = &reader.browser;
        browser.goto("").await;
        let (home, home_title) = READING_ORDER[0];
        expect_page(browser, home, home_title).await;
        assert_eq!(browser.count("a[rel=prev]").await, 0, "home has no prev");
        for (path, title) in &READING_ORDER[1..] {
            browser.click_to_new_page("a[rel=next]").await;
            expect_page(browser, path, title).await;
        }
        assert_eq!(
            browser.count("a[rel=next]").await,
            0,
            "last page has no next"
        );
        for (path, title) in READING_ORDER.iter().rev().skip(1) {
            browser.click_to_new_page("a[rel=prev]").await;
            expect_page(browser, path, title).await;
        }
        assert_eq!(browser.count("a[rel=prev]").await, 0, "home has no prev");
        reader.close().await;
    })
    .await;
}

#[tokio::test]
async fn heading_anchors_toc_and_internal_links_land_on_their_heading() {
    let test = "heading_anchors_toc_and_internal_links_land_on_their_heading";
    within(TEST_TIMEOUT, test, async {
        let Some(reader) = Reader::open_fixture(test, &[Need::Browser]).await else {
            return;
        };
        let browser = &reader.browser;
        // `[…](@/chapters/birthday.md#財富)` on the home page: a new page, scrolled down to
        // a heading far below the first screen.
        browser.goto("").await;
        browser
            .click_to_new_page("main a[href*=\"chapters/birthday/#\"]")
            .await;
        assert_eq!(browser.path().await, format!("{PREFIX}chapters/birthday/"));
        assert_eq!(browser.hash().await, "財富");
        assert_eq!(browser.target().await, "h2#財富");
        assert!(
            browser.in_viewport("[id=\"財富\"]").await,
            "the page did not scroll to #財富"
        );
        // The table of contents and the heading's own anchor link, on the same page.
        browser
            .click_to_hash(".page-toc a[href=\"#生日聚會\"]", "生日聚會")
            .await;
        assert_eq!(browser.target().await, "h2#生日聚會");
        assert!(browser.in_viewport("[id=\"生日聚會\"]").await);
        assert!(!browser.in_viewport("[id=\"財富\"]").await);
        browser
            .click_to_hash("[id=\"財富\"] a.heading-anchor", "財富")
            .await;
        assert_eq!(browser.target().await, "h2#財富");
        assert!(browser.in_viewport("[id=\"財富\"]").await);
        reader.close().await;
    })
    .await;
}

#[tokio::test]
async fn footnote_and_citation_markers_jump_to_their_note_and_back_links_return() {
    let test = "footnote_and_citation_markers_jump_to_their_note_and_back_links_return";
    within(TEST_TIMEOUT, test, async {
        let Some(reader) = Reader::open_fixture(test, &[Need::Browser]).await else {
            return;
        };
        let browser = &reader.browser;
        // (page, marker id, note id, back-link selector)
        let cases = [
            (
                "chapters/birthday/",
                "fnref-1-1",
                "fn-1",
                "#fn-1 a.footnote-backref",
            ),
            (
                "chapters/wealth/",
                "cite-2-1",
                "ref-2",
                "#ref-2 a.backlink[href=\"#cite-2-1\"]",
            ),
        ];
        for (page, marker, note, back) in cases {
            browser.goto(page).await;
            let note_selector = format!("[id=\"{note}\"]");
            let marker_selector = format!("[id=\"{marker}\"]");
            assert!(
                !browser.in_viewport(&note_selector).await,
                "{note} must start below the first screen for this test to mean anything"
            );
            browser.click_to_hash(&marker_selector, note).await;
            assert_eq!(browser.target().await, format!("li#{note}"), "on {page}");
            assert!(
                browser.in_viewport(&note_selector).await,
                "{note} not shown"
            );
            assert!(!browser.in_viewport(&marker_selector).await);
            browser.click_to_hash(back, marker).await;
            assert_eq!(browser.target().await, format!("a#{marker}"), "on {page}");
            assert!(
                browser.in_viewport(&marker_selector).await,
                "{marker} not shown"
            );
        }
        reader.close().await;
    })
    .await;
}

#[tokio::test]
async fn a_missing_page_three_levels_deep_shows_the_styled_404_page_with_links_home() {
    let test = "a_missing_page_three_levels_deep_shows_the_styled_404_page_with_links_home";
    within(TEST_TIMEOUT, test, async {
        let Some(reader) = Reader::open_fixture(test, &[Need::Browser]).await else {
            return;
        };
        let browser = &reader.browser;
        let built = reader.site.read("public/404.html");
        let title = built
            .split("<h1>")
            .nth(1)
            .and_then(|rest| rest.split("</h1>").next())
            .unwrap_or_else(|| panic!("404.html has no <h1>:\n{built}"))
            .to_string();
        let (_, home_title) = READING_ORDER[0];
        for home_link in ["main a", ".site-title a"] {
            browser.goto("gone/deeper/deepest/").await;
            let status = browser
                .js("return performance.getEntriesByType('navigation')[0].responseStatus;")
                .await;
            assert_eq!(status, 404, "the server must answer 404");
            assert_eq!(browser.text("main h1").await, title);
            // Computed styles that only style.css gives: a relative stylesheet URL would
            // break three folders down, leaving the page unstyled.
            let styled = browser
                .js_string(
                    "return [getComputedStyle(document.querySelector('.skip-link')).position, \
                     getComputedStyle(document.querySelector('.layout')).display].join(' ');",
                )
                .await;
            assert_eq!(styled, "absolute flex", "style.css did not apply");
            browser.click_to_new_page(home_link).await;
            assert_eq!(browser.path().await, PREFIX, "{home_link} must lead home");
            assert_eq!(browser.text("main h1").await, home_title);
        }
        // Phone and desktop screenshots of the 404 page, for a person to look at.
        browser.goto("gone/deeper/deepest/").await;
        browser.screenshot("404", 390).await;
        browser.screenshot("404", 1280).await;
        reader.close().await;
    })
    .await;
}

/// Runs axe-core on every HTML page of the fixture site with the given
/// `prefers-color-scheme`, and fails listing every violation. Takes phone and desktop
/// screenshots of the home page in that scheme, for a person to look at.
async fn axe_every_page(test: &str, scheme: &str) {
    within(TEST_TIMEOUT, test, async {
        let Some(reader) = Reader::open_fixture(test, &[Need::Browser, Need::Axe]).await else {
            return;
        };
        let browser = &reader.browser;
        // Every HTML file the build wrote, as a path under the prefix.
        let public = reader.site.path("public");
        let mut pages: Vec<String> = walkdir::WalkDir::new(&public)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .filter_map(|e| {
                let relative = e.path().strip_prefix(&public).ok()?;
                let relative = relative.to_string_lossy().replace('\\', "/");
                Some(relative.trim_end_matches("index.html").to_string())
            })
            .collect();
        pages.sort();
        // Every page of the reading order, and 404.html.
        assert!(pages.len() > READING_ORDER.len(), "{pages:?}");
        // Emulation lasts for the tab's life, across navigations.
        browser
            .cdp(
                "Emulation.setEmulatedMedia",
                json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
            )
            .await;
        reader
            .axe_every_page(
                &pages,
                &format!("the {scheme} scheme"),
                &format!("matchMedia('(prefers-color-scheme: {scheme})').matches"),
            )
            .await;
        browser.goto("").await;
        browser.screenshot(&format!("home-{scheme}"), 390).await;
        browser.screenshot(&format!("home-{scheme}"), 1280).await;
        reader.close().await;
    })
    .await;
}

#[tokio::test]
async fn axe_finds_no_accessibility_violations_on_any_page() {
    axe_every_page("axe_finds_no_accessibility_violations_on_any_page", "light").await;
}

/// The theme has a dark palette for `prefers-color-scheme: dark`; its contrast counts as
/// much as the light one's.
#[tokio::test]
async fn axe_finds_no_accessibility_violations_on_any_page_in_dark_mode() {
    axe_every_page(
        "axe_finds_no_accessibility_violations_on_any_page_in_dark_mode",
        "dark",
    )
    .await;
}

#[tokio::test]
async fn nu_checker_finds_no_html_errors_in_the_built_site() {
    let test = "nu_checker_finds_no_html_errors_in_the_built_site";
    within(TEST_TIMEOUT, test, async {
        let Some(tools) = Tools::require(test, &[Need::Vnu]) else {
            return;
        };
        let site = fixture::build();
        vnu::assert_no_errors(&tools, &site.path("public")).await;
    })
    .await;
}

/// A site too large for one search file (1,100 pages): its bigrams are split into shards
/// that the page loads by the bigram's hash, and its documents keep only the start of
/// their text, so words far into a page are still found: the page cuts a query into
/// bigrams of the same characters as the index (their ranges come with the index).
#[tokio::test]
async fn search_on_a_large_site_loads_the_shards_its_query_needs() {
    let test = "search_on_a_large_site_loads_the_shards_its_query_needs";
    within(TEST_TIMEOUT, test, async {
        let Some(tools) = Tools::require(test, &[Need::Browser]) else {
            return;
        };
        let site = TestSite::with(&[
            ("site.toml", util::MINIMAL_CONFIG),
            ("content/_index.md", &util::page("首頁", 0, "")),
            ("content/s/_index.md", &util::page("頁集", 1, "")),
        ]);
        let filler = "的一是在不了有和人這".repeat(30);
        for i in 0..1100 {
            let far = match i {
                7 | 500 | 1000 => "麒麟鳳凰",
                20 => "麒麟",
                // Ideographs beyond the first plane (Extension B) are bigrams too.
                900 => "𠀀𠀁",
                _ => "",
            };
            let word = if i == 3 { " zebra" } else { "" };
            site.write(
                &format!("content/s/p{i}.md"),
                &util::page(&format!("頁{i}"), i, &format!("{filler}{far}{word}\n")),
            );
        }
        site.run(&["build", "-u", "https://user.github.io/repo/"]).ok();
        assert!(site.exists("public/search-index-3.js"), "four shards");
        let served = Served::folder(&site.path("public"), PREFIX);
        let browser = Browser::start(&tools, test, &served.base).await;
        browser.goto("s/p1/").await;
        for (query, expected) in [
            ("麒麟鳳凰", vec!["頁1000", "頁500", "頁7"]),
            ("麒麟", vec!["頁1000", "頁20", "頁500", "頁7"]),
            ("zebra", vec!["頁3"]),
            ("𠀀𠀁", vec!["頁900"]),
        ] {
            browser
                .js("document.getElementById('search-input').value = ''; return null;")
                .await;
            browser.type_into("#search-input", query).await;
            browser
                .wait_for(
                    &format!(
                        "document.getElementById('search-status').textContent.startsWith('{} ')",
                        expected.len()
                    ),
                    &format!("{} results for {query}", expected.len()),
                )
                .await;
            let titles = browser
                .js("return Array.from(document.querySelectorAll('#search-results a')).map((a) => a.textContent).sort();")
                .await;
            assert_eq!(titles, json!(expected), "results for {query}");
        }
        let shards = browser
            .js("return Object.keys(window.lecternSearchShards).length;")
            .await;
        assert!(
            shards.as_u64().is_some_and(|n| (1..4).contains(&n)),
            "only the shards the queries need load: {shards}"
        );
        browser.close().await;
    })
    .await;
}
