//! The tributes section and the help block in a real browser: axe-core and the Nu Html
//! Checker find nothing on any page of a site that has both, in either edition, and on
//! a phone the help link at the foot of a page is there to tap and leads to the block,
//! whose number is a link that dials it. Like
//! `tests/browser.rs`, each test prints `SKIPPED` without Chromium, chromedriver, java
//! and `(cd tests/js && npm ci)`, and fails under `CI=true`.

use crate::tributes_site;
use crate::util;

use crate::vnu;

use crate::harness::{must, within, Browser, Need, Tools, TEST_TIMEOUT};
use crate::serve::Served;
use serde_json::Value;

const PREFIX: &str = "/repo/";

/// The tribute site, built for a project site under `/repo/`.
fn build() -> util::TestSite {
    let site = tributes_site::site();
    site.run(&["build", "-u", "https://user.github.io/repo/"])
        .ok();
    site
}

#[tokio::test]
async fn tributes_and_help_pass_axe_on_every_page() {
    let test = "tributes_and_help_pass_axe_on_every_page";
    within(TEST_TIMEOUT, test, async {
        let Some(tools) = Tools::require(test, &[Need::Browser, Need::Axe]) else {
            return;
        };
        let site = build();
        let served = Served::folder(&site.path("public"), PREFIX);
        let browser = Browser::start(&tools, test, &served.base).await;
        let axe = must(std::fs::read_to_string(&tools.axe_js), "read axe.min.js");
        let root = site.path("public");
        let mut pages: Vec<String> = walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == "index.html")
            .map(|e| {
                let rel = e.path().strip_prefix(&root).unwrap().to_string_lossy();
                rel.trim_end_matches("index.html").to_string()
            })
            .collect();
        pages.sort();
        assert!(pages.iter().any(|p| p == "tributes/"), "{pages:?}");
        assert!(
            pages.iter().any(|p| p == "zh-hans/references/"),
            "{pages:?}"
        );
        let mut report = Vec::new();
        for page in &pages {
            browser.goto(page).await;
            for violation in browser.axe(&axe).await {
                report.push(format!("{PREFIX}{page}: {violation}"));
            }
        }
        assert!(
            report.is_empty(),
            "axe-core found {} violation(s):\n{}",
            report.len(),
            report.join("\n")
        );
        browser.close().await;
    })
    .await;
}

#[tokio::test]
async fn tributes_and_help_pass_the_nu_checker() {
    let test = "tributes_and_help_pass_the_nu_checker";
    within(TEST_TIMEOUT, test, async {
        let Some(tools) = Tools::require(test, &[Need::Vnu]) else {
            return;
        };
        let site = build();
        vnu::assert_no_errors(&tools, &site.path("public")).await;
    })
    .await;
}

/// The width of a phone the reader holds.
const PHONE: u32 = 390;

#[tokio::test]
async fn on_a_phone_the_help_link_is_visible_and_reaches_the_block_with_a_number_to_dial() {
    let test = "on_a_phone_the_help_link_is_visible_and_reaches_the_block_with_a_number_to_dial";
    within(TEST_TIMEOUT, test, async {
        let Some(tools) = Tools::require(test, &[Need::Browser]) else {
            return;
        };
        let site = tributes_site::site();
        // The first resource's number, dialled from abroad as the memorial's are.
        let help = tributes_site::HELP.replace(
            "contact = \"000\"",
            "contact = \"2389 2222（24 小時）\"\ntel = \"+85223892222\"",
        );
        site.write("site.toml", &format!("{}{help}", util::MINIMAL_CONFIG));
        site.run(&["build", "-u", "https://user.github.io/repo/"])
            .ok();
        let served = Served::folder(&site.path("public"), PREFIX);
        let browser = Browser::start(&tools, test, &served.base).await;
        browser.resize(PHONE, 800).await;
        for (page, words) in [("blog/first/", "需要幫助？"), ("zh-hans/blog/first/", "需要帮助？")] {
            browser.goto(page).await;
            let link = ".site-footer .help-link a";
            browser
                .js(&format!("document.querySelector('{link}').scrollIntoView({{block: 'center'}}); return null;"))
                .await;
            // Seen: shown, opaque, inside the screen's width and tall enough to tap.
            let seen = browser
                .js(&format!(
                    "const a = document.querySelector('{link}'); const r = a.getBoundingClientRect(); \
                     const s = getComputedStyle(a); \
                     return {{ text: a.textContent, visible: s.visibility === 'visible' && s.display !== 'none' && Number(s.opacity) > 0, \
                     left: r.left, right: r.right, top: r.top, height: r.height }};"
                ))
                .await;
            assert_eq!(seen["text"], Value::from(words), "{page}: {seen}");
            assert_eq!(seen["visible"], Value::Bool(true), "{page}: {seen}");
            let number = |key: &str| seen[key].as_f64().unwrap_or(f64::NAN);
            assert!(number("left") >= 0.0 && number("right") <= f64::from(PHONE), "{page}: {seen}");
            assert!(number("top") >= 0.0 && number("top") < 800.0, "{page}: {seen}");
            assert!(number("height") >= 24.0, "{page}: a target a finger can tap: {seen}");
            browser.screenshot(&format!("help-link-{}", page.replace('/', "-")), PHONE).await;

            // A real tap on it leads to the help page and its block.
            browser.click_to_new_page(link).await;
            let prefix = page.trim_end_matches("blog/first/");
            assert_eq!(browser.path().await, format!("{PREFIX}{prefix}help/"));
            assert_eq!(browser.count("main .help").await, 1);
            assert_eq!(browser.count("main .help .help-resources li").await, 2);
            assert!(browser.in_viewport("main .help h1").await, "the block is what the page opens on");
            let tel = browser
                .js("const a = document.querySelector('main .help a.help-tel'); \
                     return a ? [a.getAttribute('href'), a.textContent] : null;")
                .await;
            assert_eq!(tel, serde_json::json!(["tel:+85223892222", "2389\u{a0}2222"]), "{page}");
            browser.screenshot(&format!("help-page-{}", prefix.replace('/', "-")), PHONE).await;
        }
        browser.close().await;
    })
    .await;
}
