//! Opened from disk.

use super::search::search_for;
use super::*;

/// The built folder opened straight from disk (`file://`), with no server: the page is
/// styled, the reader controls work, the next links walk the article, and search finds
/// and opens pages.
#[tokio::test]
async fn the_built_site_reads_from_disk_without_a_server() {
    let test = "the_built_site_reads_from_disk_without_a_server";
    within(TEST_TIMEOUT, test, async {
        let Some(tools) = Tools::require(test, &[Need::Browser]) else {
            return;
        };
        let site = build_memorial();
        let pages = reading_order(&site);
        let public = site.path("public");
        let browser = Browser::start(&tools, test, &format!("file://{}/", public.display())).await;
        browser.goto("index.html").await;
        let line_height = px(&browser, "body", "line-height").await;
        let font_size = px(&browser, "body", "font-size").await;
        assert!(
            (line_height / font_size - 1.8).abs() < 0.05,
            "style.css must load from disk: line-height {line_height}px for {font_size}px text"
        );
        assert!(
            shown(&browser, ".reader-controls").await,
            "lectern.js must run from disk"
        );
        // Folder links would show a file listing on disk: they name the folder's page.
        for page in pages.iter().skip(1).take(4) {
            browser.click_to_new_page("a[rel=next]").await;
            let href = browser.js_string("return decodeURIComponent(location.href);").await;
            assert!(
                href.ends_with(&format!("/public/{}index.html", page.path)),
                "next from disk should open {}index.html, opened {href}",
                page.path
            );
            assert_eq!(browser.text("h1").await, page.title);
        }
        let results = search_for(&browser, "焦慮").await;
        assert!(results.len() >= 2, "search from disk: {results:?}");
        for (title, path, _) in &results {
            let page = pages.iter().find(|p| &p.title == title).unwrap();
            assert!(
                path.ends_with(&format!("/public/{}index.html", page.path)),
                "result {title} links to {path}"
            );
        }
        browser.press(key::ENTER).await;
        browser
            .wait_for(
                &format!("document.querySelector('h1') && document.querySelector('h1').textContent.trim() === {}", json!(results[0].0)),
                "the first result's page to open from disk",
            )
            .await;
        browser.close().await;
    })
    .await;
}
