//! Reading progress.

use super::*;

/// The progress bar's horizontal scale, from its computed transform.
pub(super) const PROGRESS: &str =
    "(() => { const t = getComputedStyle(document.querySelector('.reading-progress')).transform; \
                        return t === 'none' ? 1 : new DOMMatrix(t).a; })()";

reader_test!(
    the_reading_progress_bar_grows_from_nothing_to_full_as_the_reader_scrolls,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        browser.goto("all/").await;
        assert_eq!(
            browser
                .js("return CSS.supports('animation-timeline: scroll()');")
                .await,
            true,
            "this Chromium has scroll-driven animations, so the CSS bar is what is tested"
        );
        browser
            .wait_for(&format!("{PROGRESS} < 0.01"), "an empty bar at the top")
            .await;
        browser
            .js("window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) / 2); return null;")
            .await;
        browser
            .wait_for(
                &format!("{PROGRESS} > 0.4 && {PROGRESS} < 0.6"),
                "a half-full bar halfway",
            )
            .await;
        browser
            .js("window.scrollTo(0, document.documentElement.scrollHeight); return null;")
            .await;
        browser
            .wait_for(&format!("{PROGRESS} > 0.99"), "a full bar at the end")
            .await;
        assert!(shown(browser, ".reading-progress").await);
        let bar = browser
            .js(
                "const r = document.querySelector('.reading-progress').getBoundingClientRect(); \
                 return [r.top, Math.round(r.width), r.height];",
            )
            .await;
        assert_eq!(
            bar,
            json!([0, DESKTOP, 3]),
            "a full-width bar at the top of the window"
        );
        assert_eq!(
            browser
                .js("return document.querySelector('.reading-progress').style.transform;")
                .await,
            "",
            "the bar moves by CSS, not by the script's fallback"
        );
        browser.js("window.scrollTo(0, 0); return null;").await;
        browser
            .wait_for(
                &format!("{PROGRESS} < 0.01"),
                "an empty bar back at the top",
            )
            .await;
    }
);
