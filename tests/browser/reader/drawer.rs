//! The drawer on a phone, by keyboard.

use super::*;

reader_test!(
    on_a_phone_the_drawer_opens_and_closes_by_keyboard_with_focus_in_and_back,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        browser.resize(PHONE, 900).await;
        browser.goto("blog/money/").await;
        assert!(
            !shown(browser, "#site-nav").await,
            "the sidebar is a closed drawer on a phone"
        );
        assert!(
            shown(browser, ".nav-toggle").await,
            "the menu button shows on a phone"
        );
        assert_eq!(
            attr(browser, ".nav-toggle", "aria-expanded")
                .await
                .as_deref(),
            Some("false")
        );
        assert_eq!(
            attr(browser, ".nav-toggle", "aria-controls")
                .await
                .as_deref(),
            Some("site-nav")
        );

        // From the top of the page: Tab to the skip link, Tab to the menu button.
        browser.press(key::TAB).await;
        assert!(
            focused(browser).await.starts_with("a.skip-link"),
            "{}",
            focused(browser).await
        );
        browser.press(key::TAB).await;
        assert_eq!(focused(browser).await, "button.nav-toggle");

        browser.press(key::ENTER).await;
        browser
            .wait_for(
                "document.querySelector('.nav-toggle').getAttribute('aria-expanded') === 'true'",
                "the drawer to open",
            )
            .await;
        assert!(shown(browser, "#site-nav").await, "Enter opens the drawer");
        assert_eq!(
            focused(browser).await,
            "a ../../blog/money/".to_string(),
            "opening the drawer focuses this page's link"
        );
        assert_eq!(
            browser
                .js("return document.activeElement.getAttribute('aria-current');")
                .await,
            "page"
        );

        browser.press(key::ESCAPE).await;
        browser
            .wait_for(
                "document.querySelector('.nav-toggle').getAttribute('aria-expanded') === 'false'",
                "the drawer to close",
            )
            .await;
        assert!(
            !shown(browser, "#site-nav").await,
            "Escape closes the drawer"
        );
        assert_eq!(
            focused(browser).await,
            "button.nav-toggle",
            "focus returns to the menu button"
        );

        // On a wide screen there is no drawer: the sidebar shows and the button does not.
        browser.resize(DESKTOP, 800).await;
        assert!(shown(browser, "#site-nav").await);
        assert!(!shown(browser, ".nav-toggle").await);
    }
);

reader_test!(
    on_a_phone_the_open_drawer_covers_the_left_side_from_top_to_bottom,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        browser.resize(PHONE, 900).await;
        browser.goto("blog/money/").await;
        browser.click_on(".nav-toggle").await;
        browser
            .wait_for(
                "document.getElementById('site-nav').checkVisibility()",
                "the drawer to open",
            )
            .await;
        browser.screenshot("drawer-open", PHONE).await;
        let rect = browser
            .js(
                "const r = document.getElementById('site-nav').getBoundingClientRect(); \
                 return [r.left, r.top, Math.round(r.bottom), innerHeight];",
            )
            .await;
        let height = rect[3].clone();
        // A panel over the page: from the window's top to its bottom, so the text behind
        // does not show below the links.
        assert_eq!(
            rect,
            json!([0, 0, height, height]),
            "[left, top, bottom, window height] of the open drawer"
        );
    }
);

reader_test!(
    on_a_phone_the_menu_button_stays_reachable_and_closes_the_open_drawer,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        browser.resize(PHONE, 900).await;
        browser.goto("blog/money/").await;
        browser.click_on(".nav-toggle").await;
        browser
            .wait_for(
                "document.getElementById('site-nav').checkVisibility()",
                "the drawer to open",
            )
            .await;
        // What a tap on the middle of the menu button would hit.
        let hit = browser
            .js(
                "const r = document.querySelector('.nav-toggle').getBoundingClientRect(); \
                 const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); \
                 return e ? e.outerHTML.slice(0, 80) : '';",
            )
            .await;
        assert!(
            hit.as_str()
                .unwrap_or_default()
                .starts_with("<button type=\"button\" class=\"nav-toggle\""),
            "a tap on the open drawer's menu button lands on {hit}"
        );
        browser.click_on(".nav-toggle").await;
        browser
            .wait_for(
                "!document.getElementById('site-nav').checkVisibility()",
                "the drawer to close",
            )
            .await;
        assert_eq!(browser.path().await, format!("{PREFIX}blog/money/"));
        assert_eq!(
            attr(browser, ".nav-toggle", "aria-expanded")
                .await
                .as_deref(),
            Some("false")
        );
    }
);
