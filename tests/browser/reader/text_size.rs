//! Text size.

use super::*;

/// The body text's computed size.
async fn text_size(browser: &Browser) -> f64 {
    px(browser, "main .content p", "font-size").await
}

async fn is_disabled(browser: &Browser, selector: &str) -> bool {
    let script = format!(
        "return document.querySelector({}).disabled;",
        json!(selector)
    );
    browser.js(&script).await == Value::Bool(true)
}

/// Clicks a size button and waits until `data-font-size` is `expected`.
async fn size_button(browser: &Browser, action: &str, expected: u32) {
    browser.click_on(&format!("[data-action={action}]")).await;
    browser
        .wait_for(
            &format!("document.documentElement.getAttribute('data-font-size') === '{expected}'"),
            &format!("text size {expected} after {action}"),
        )
        .await;
}

reader_test!(
    text_size_buttons_raise_and_lower_the_body_text_within_limits_on_every_page,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        install_first_paint_probe(browser).await;
        browser.goto("blog/money/").await;
        let default = text_size(browser).await;
        assert!(!is_disabled(browser, "[data-action=smaller]").await);
        assert!(!is_disabled(browser, "[data-action=larger]").await);

        size_button(browser, "larger", 3).await;
        let bigger = text_size(browser).await;
        size_button(browser, "larger", 4).await;
        let biggest_yet = text_size(browser).await;
        assert!(
            default < bigger && bigger < biggest_yet,
            "A+ twice must raise the text: {default} → {bigger} → {biggest_yet}"
        );
        assert_eq!(stored(browser, FONT_KEY).await.as_deref(), Some("4"));

        // Another page keeps it, from the first paint.
        browser.goto("blog/startups/").await;
        assert_eq!(first_paint(browser).await["fontSize"], "4");
        assert_eq!(text_size(browser).await, biggest_yet);

        // Down to the minimum, where A− is disabled and pressing it changes nothing.
        let mut previous = biggest_yet;
        for level in [3, 2, 1] {
            size_button(browser, "smaller", level).await;
            let now = text_size(browser).await;
            assert!(now < previous, "A− must lower the text: {previous} → {now}");
            previous = now;
        }
        assert!(previous < default, "the smallest size is below the default");
        assert!(
            is_disabled(browser, "[data-action=smaller]").await,
            "A− at the minimum"
        );
        assert!(!is_disabled(browser, "[data-action=larger]").await);
        browser.click_on("[data-action=smaller]").await;
        assert_eq!(
            root_attr(browser, "data-font-size").await.as_deref(),
            Some("1")
        );
        browser.reload().await;
        assert_eq!(text_size(browser).await, previous);
        assert!(
            is_disabled(browser, "[data-action=smaller]").await,
            "A− stays disabled after a reload"
        );

        // And up to the maximum, where A+ is disabled.
        for level in 2..=5 {
            size_button(browser, "larger", level).await;
        }
        assert!(
            is_disabled(browser, "[data-action=larger]").await,
            "A+ at the maximum"
        );
        assert!(text_size(browser).await > biggest_yet);
    }
);
