//! axe-core on every page.

use super::*;

/// Every page of the memorial: the reading order, the single-page view and a missing page.
fn every_page(reader: &Reader) -> Vec<String> {
    let mut pages: Vec<String> = reader.pages().into_iter().map(|p| p.path).collect();
    pages.push("all/".into());
    pages.push("no/such/page/".into());
    pages
}

/// Runs axe-core on every memorial page as the browser is set up now (see
/// [`Reader::axe_every_page`]).
async fn axe_every_page(reader: &Reader, label: &str, expect: &str) {
    let pages = every_page(reader);
    assert_eq!(
        pages.len(),
        15,
        "home, article, blog, nine sections, references, all, 404"
    );
    reader.axe_every_page(&pages, label, expect).await;
}

reader_test!(
    axe_finds_no_violations_on_any_memorial_page_in_light,
    &[Need::Browser, Need::Axe],
    |reader| {
        emulate_color_scheme(&reader.browser, "light").await;
        axe_every_page(
            &reader,
            "light",
            "getComputedStyle(document.body).backgroundColor === 'rgb(251, 250, 246)'",
        )
        .await;
    }
);

reader_test!(
    axe_finds_no_violations_on_any_memorial_page_in_dark,
    &[Need::Browser, Need::Axe],
    |reader| {
        emulate_color_scheme(&reader.browser, "dark").await;
        axe_every_page(
            &reader,
            "system dark",
            "getComputedStyle(document.body).backgroundColor === 'rgb(21, 20, 18)'",
        )
        .await;
    }
);

reader_test!(
    axe_finds_no_violations_on_any_memorial_page_with_pinyin_on,
    &[Need::Browser, Need::Axe],
    |reader| {
        let browser = &reader.browser;
        emulate_color_scheme(browser, "light").await;
        browser.goto("").await;
        browser.click_on("[data-action=pinyin]").await;
        browser
            .wait_for(
                "localStorage.getItem('lectern-pinyin') === 'on'",
                "pinyin on",
            )
            .await;
        axe_every_page(
            &reader,
            "pinyin on",
            "document.documentElement.classList.contains('pinyin-on')",
        )
        .await;
    }
);

reader_test!(
    axe_finds_no_violations_on_any_memorial_page_with_pinyin_on_in_a_chosen_dark_theme,
    &[Need::Browser, Need::Axe],
    |reader| {
        let browser = &reader.browser;
        emulate_color_scheme(browser, "light").await;
        browser.goto("").await;
        browser.click_on("[data-action=pinyin]").await;
        browser.click_on("[data-action=theme]").await;
        browser
            .wait_for("localStorage.getItem('lectern-pinyin') === 'on' && localStorage.getItem('lectern-theme') === 'dark'", "pinyin on, dark")
            .await;
        axe_every_page(
            &reader,
            "pinyin on, dark theme chosen",
            "document.documentElement.classList.contains('pinyin-on') && getComputedStyle(document.body).backgroundColor === 'rgb(21, 20, 18)'",
        )
        .await;
    }
);
