//! Theme.

use super::*;

reader_test!(
    theme_button_switches_light_and_dark_and_the_choice_holds_from_the_first_paint,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        emulate_color_scheme(browser, "light").await;
        install_first_paint_probe(browser).await;
        browser.goto("").await;
        assert_eq!(root_attr(browser, "data-theme").await, None);
        assert_eq!(
            style(browser, "body", "background-color").await,
            LIGHT_BACKGROUND
        );
        assert!(
            shown(browser, "[data-action=theme]").await,
            "no theme button"
        );
        assert_eq!(
            attr(browser, "[data-action=theme]", "aria-pressed")
                .await
                .as_deref(),
            Some("false")
        );

        browser.click_on("[data-action=theme]").await;
        browser
            .wait_for(
                "document.documentElement.getAttribute('data-theme') === 'dark'",
                "dark theme",
            )
            .await;
        assert_eq!(
            style(browser, "body", "background-color").await,
            DARK_BACKGROUND
        );
        assert_eq!(
            attr(browser, "[data-action=theme]", "aria-pressed")
                .await
                .as_deref(),
            Some("true")
        );
        assert_eq!(stored(browser, THEME_KEY).await.as_deref(), Some("dark"));

        // A reload and another page: dark from the first paint, before lectern.js.
        for page in ["", "blog/money/", "all/"] {
            browser.goto(page).await;
            let probe = first_paint(browser).await;
            assert_eq!(
                probe["theme"], "dark",
                "on /repo/{page} before lectern.js: {probe}"
            );
            assert_eq!(
                style(browser, "body", "background-color").await,
                DARK_BACKGROUND,
                "on /repo/{page}"
            );
            assert_eq!(
                attr(browser, "[data-action=theme]", "aria-pressed")
                    .await
                    .as_deref(),
                Some("true")
            );
        }

        // Back to light; a chosen light theme holds even when the system prefers dark.
        browser.click_on("[data-action=theme]").await;
        browser
            .wait_for(
                "document.documentElement.getAttribute('data-theme') === 'light'",
                "light theme",
            )
            .await;
        assert_eq!(
            style(browser, "body", "background-color").await,
            LIGHT_BACKGROUND
        );
        assert_eq!(stored(browser, THEME_KEY).await.as_deref(), Some("light"));
        emulate_color_scheme(browser, "dark").await;
        browser.reload().await;
        assert_eq!(first_paint(browser).await["theme"], "light");
        assert_eq!(
            style(browser, "body", "background-color").await,
            LIGHT_BACKGROUND
        );
        assert_eq!(
            attr(browser, "[data-action=theme]", "aria-pressed")
                .await
                .as_deref(),
            Some("false")
        );
        // With no choice stored, the system's dark scheme applies, and the button knows it.
        browser
            .js(&format!(
                "localStorage.removeItem('{THEME_KEY}'); return null;"
            ))
            .await;
        browser.reload().await;
        assert_eq!(root_attr(browser, "data-theme").await, None);
        assert_eq!(
            style(browser, "body", "background-color").await,
            DARK_BACKGROUND
        );
        assert_eq!(
            attr(browser, "[data-action=theme]", "aria-pressed")
                .await
                .as_deref(),
            Some("true")
        );
    }
);
