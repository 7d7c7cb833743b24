//! The tributes section and the help block in a real browser: axe-core and the Nu Html
//! Checker find nothing on any page of a site that has both, in either edition. Like
//! `tests/browser.rs`, each test prints `SKIPPED` without Chromium, chromedriver, java
//! and `(cd tests/js && npm ci)`, and fails under `CI=true`.

use crate::tributes_site;
use crate::util;

use crate::vnu;

use crate::harness::{must, within, Browser, Need, Tools, TEST_TIMEOUT};
use crate::serve::Served;

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
