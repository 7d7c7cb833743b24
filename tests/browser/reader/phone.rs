//! On a phone with a slow network: the header is one row, and nothing the first paint
//! shows moves when the scripts arrive.

use super::*;

use std::time::Duration;

/// How late every script arrives: a phone on a slow network.
const SCRIPT_DELAY: Duration = Duration::from_millis(1500);

/// Sums the page's layout shifts from its first moment on (installed before any of the
/// page's own scripts, with `Page.addScriptToEvaluateOnNewDocument`).
const LAYOUT_SHIFT_OBSERVER: &str = r#"
window.__cls = 0;
window.__shifts = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (entry) {
    if (entry.hadRecentInput) return;
    window.__cls += entry.value;
    window.__shifts.push(entry.sources.map(function (s) {
      return s.node ? (s.node.nodeName + "." + (s.node.className || "")) : "?";
    }).join(" ") + " " + entry.value.toFixed(4));
  });
}).observe({ type: "layout-shift", buffered: true });
"#;

/// A phone (or tablet) as Chromium emulates one: `mobile: true` makes the viewport meta
/// tag count, as on a real phone.
async fn emulate_phone(browser: &Browser, width: u32, height: u32) {
    browser
        .cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 2, "mobile": true }),
        )
        .await;
    browser
        .cdp(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": true }),
        )
        .await;
}

#[tokio::test]
async fn on_a_phone_the_header_is_one_row_and_nothing_moves_when_scripts_arrive_late() {
    let test = "on_a_phone_the_header_is_one_row_and_nothing_moves_when_scripts_arrive_late";
    within(TEST_TIMEOUT, test, async {
        let Some(reader) = Reader::serve_slow_scripts(
            test,
            &[Need::Browser],
            PREFIX,
            SCRIPT_DELAY,
            build_memorial,
        )
        .await
        else {
            return;
        };
        let browser = &reader.browser;
        browser
            .cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": LAYOUT_SHIFT_OBSERVER }),
            )
            .await;
        for (width, height) in [(PHONE, 844), (768, 1024)] {
            emulate_phone(browser, width, height).await;
            for edition in ["", "zh-hans/"] {
                let pages: &[&str] = match width {
                    PHONE => &["", "blog/money/", "references/", "tributes/"],
                    _ => &["", "blog/money/"],
                };
                for page in pages {
                    let path = format!("{edition}{page}");
                    let at = format!("{path} at {width} px");
                    browser.goto(&path).await;
                    browser
                        .wait_for(
                            "document.documentElement.getAttribute('data-lectern') === 'ready'",
                            "lectern.js to run",
                        )
                        .await;
                    // The script really came late: the page was painted without it.
                    let timing = browser
                        .js(
                            "const s = performance.getEntriesByType('resource') \
                               .find((e) => e.name.endsWith('/lectern.js')); \
                             const paint = performance.getEntriesByName('first-contentful-paint')[0]; \
                             return [s ? s.responseEnd - s.requestStart : null, \
                                     paint ? paint.startTime : null, s ? s.responseEnd : null];",
                        )
                        .await;
                    let [waited, painted, arrived] =
                        [0, 1, 2].map(|i| timing[i].as_f64().unwrap_or(f64::NAN));
                    assert!(
                        waited >= 1400.0 && painted < arrived,
                        "{at}: lectern.js took {waited} ms and the first paint was at {painted} ms, \
                         the script at {arrived} ms: the test must see the page before its script"
                    );
                    // Let anything the script set off settle, then read the shifts.
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    let shifts = browser.js("return [window.__cls, window.__shifts];").await;
                    let cls = shifts[0].as_f64().unwrap_or(f64::NAN);
                    assert!(
                        cls < 0.05,
                        "{at}: cumulative layout shift {cls} (what moved: {})",
                        shifts[1]
                    );
                    // One row: the header is at most 64 px tall, and its controls are
                    // inside the screen.
                    let header = browser
                        .js(
                            "const h = document.querySelector('.site-header').getBoundingClientRect(); \
                             const t = document.querySelector('.tools-toggle').getBoundingClientRect(); \
                             return [h.height, t.right, innerWidth, t.width];",
                        )
                        .await;
                    let [tall, right, inner, toggle] =
                        [0, 1, 2, 3].map(|i| header[i].as_f64().unwrap_or(f64::NAN));
                    assert!(tall <= 64.0, "{at}: the header is {tall} px tall");
                    assert!(
                        toggle > 0.0 && right <= inner,
                        "{at}: the tools button ends at x = {right} of {inner}"
                    );
                }
            }
            // The tools button opens the panel over the text, with the search field
            // focused, and nothing under it moves.
            browser.goto("blog/money/").await;
            let before = browser
                .js("return document.querySelector('main h1').getBoundingClientRect().top;")
                .await;
            browser.click_on(".tools-toggle").await;
            assert_eq!(
                attr(browser, ".tools-toggle", "aria-expanded")
                    .await
                    .as_deref(),
                Some("true")
            );
            assert!(shown(browser, ".reader-controls").await);
            assert!(focused(browser).await.contains("#search-input"));
            let after = browser
                .js("return document.querySelector('main h1').getBoundingClientRect().top;")
                .await;
            assert_eq!(before, after, "{width} px: the text moved when the panel opened");
            browser.press(key::ESCAPE).await;
            assert!(!shown(browser, ".reader-controls").await);
            assert!(focused(browser).await.starts_with("button.tools-toggle"));
        }
        reader.close().await;
    })
    .await;
}

reader_test!(
    at_390_px_dates_and_dotted_names_are_never_broken_and_spaces_never_stretched,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        browser.resize(PHONE, 844).await;
        let mut runs = 0;
        for page in ["article/", "blog/no-escape/", "zh-hans/article/"] {
            browser.goto(page).await;
            // Every run kept whole lies on one line: one box, not two.
            let broken = browser
                .js(
                    "const runs = Array.from(document.querySelectorAll('main .content .nobr')); \
                     return [runs.length, runs.filter((r) => r.getClientRects().length !== 1) \
                       .map((r) => r.textContent)];",
                )
                .await;
            runs += broken[0].as_u64().unwrap_or(0);
            assert_eq!(broken[1], json!([]), "{page}: broken across lines");
            assert_eq!(
                style(browser, "main .content p", "text-align").await,
                "start",
                "{page}: justified lines stretch the spaces around Latin words"
            );
        }
        // The article's date of death, 菲利克斯·希爾 (three times), 2023 年 4 月 …
        assert!(runs >= 10, "only {runs} runs kept whole");
    }
);
