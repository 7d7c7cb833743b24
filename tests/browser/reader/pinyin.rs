//! Pinyin.

use super::*;

/// The first ruby reading in the text: its text, computed display and box.
async fn first_reading(browser: &Browser) -> (String, String, f64, f64) {
    let value = browser
        .js(
            "const rt = document.querySelector('main .content ruby rt'); \
             const r = rt.getBoundingClientRect(); \
             return [rt.textContent, getComputedStyle(rt).display, r.width, r.height];",
        )
        .await;
    (
        value[0].as_str().unwrap_or_default().to_string(),
        value[1].as_str().unwrap_or_default().to_string(),
        value[2].as_f64().unwrap_or(-1.0),
        value[3].as_f64().unwrap_or(-1.0),
    )
}

async fn expect_pinyin_hidden(browser: &Browser, when: &str) {
    let (text, display, width, height) = first_reading(browser).await;
    assert_eq!(text, "fā", "the home page's first reading");
    assert_eq!(display, "none", "pinyin must be hidden {when}");
    assert_eq!(
        (width, height),
        (0.0, 0.0),
        "pinyin must take no room {when}"
    );
    assert_eq!(
        attr(browser, "[data-action=pinyin]", "aria-pressed")
            .await
            .as_deref(),
        Some("false")
    );
}

async fn expect_pinyin_shown(browser: &Browser, when: &str) {
    let (text, display, width, height) = first_reading(browser).await;
    assert_eq!(text, "fā");
    assert_ne!(display, "none", "pinyin must show {when}");
    assert!(
        width > 0.0 && height > 0.0,
        "pinyin must have a box {when}: {width}x{height}"
    );
    // The reading sits above its character, as ruby does.
    let above = browser
        .js(
            "const ruby = document.querySelector('main .content ruby'); \
             const rt = ruby.querySelector('rt').getBoundingClientRect(); \
             const base = document.createRange(); base.selectNodeContents(ruby.firstChild); \
             const b = base.getBoundingClientRect(); \
             return rt.top < b.top && rt.bottom <= b.top + b.height / 2 || JSON.stringify([rt, b]);",
        )
        .await;
    assert_eq!(
        above, true,
        "the reading must sit above its character {when}"
    );
    assert_eq!(
        attr(browser, "[data-action=pinyin]", "aria-pressed")
            .await
            .as_deref(),
        Some("true")
    );
}

reader_test!(
    pinyin_is_hidden_by_default_shown_when_asked_and_remembered,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        install_first_paint_probe(browser).await;
        browser.goto("article/").await;
        expect_pinyin_hidden(browser, "by default").await;

        browser.click_on("[data-action=pinyin]").await;
        browser
            .wait_for(
                "document.documentElement.classList.contains('pinyin-on')",
                "pinyin on",
            )
            .await;
        expect_pinyin_shown(browser, "after pressing 拼音").await;
        assert_eq!(stored(browser, PINYIN_KEY).await.as_deref(), Some("on"));

        browser.reload().await;
        assert_eq!(
            first_paint(browser).await["pinyin"],
            true,
            "pinyin from the first paint"
        );
        expect_pinyin_shown(browser, "after a reload").await;

        browser.click_on("[data-action=pinyin]").await;
        browser
            .wait_for(
                "!document.documentElement.classList.contains('pinyin-on')",
                "pinyin off",
            )
            .await;
        expect_pinyin_hidden(browser, "after pressing 拼音 again").await;
        assert_eq!(stored(browser, PINYIN_KEY).await, None);
        browser.reload().await;
        expect_pinyin_hidden(browser, "after turning it off and reloading").await;
    }
);
