//! Screenshots, for a person to look at.

use super::*;

reader_test!(screenshots, &[Need::Browser], |reader| {
    let browser = &reader.browser;
    browser.goto("").await;
    for theme in ["light", "dark"] {
        browser
            .js(&format!(
                "localStorage.setItem('{THEME_KEY}', '{theme}'); return null;"
            ))
            .await;
        for (name, page) in [
            ("home", ""),
            ("home-simplified", "zh-hans/"),
            ("article", "article/"),
            ("blog", "blog/"),
            ("all", "all/"),
        ] {
            browser.goto(page).await;
            assert_eq!(
                root_attr(browser, "data-theme").await.as_deref(),
                Some(theme)
            );
            let background = if theme == "dark" {
                DARK_BACKGROUND
            } else {
                LIGHT_BACKGROUND
            };
            assert_eq!(style(browser, "body", "background-color").await, background);
            for width in [PHONE, DESKTOP] {
                browser.screenshot(&format!("{name}-{theme}"), width).await;
            }
        }
    }
});
