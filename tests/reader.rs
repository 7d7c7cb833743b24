//! The memorial's reading page in a real headless Chromium: the memorial for Felix Hill is
//! built from this repository's own sources with the real `lectern` binary for a GitHub Pages
//! project site (`https://user.github.io/repo/`), served under `/repo/`, and read the way a
//! person reads it: the reader controls (theme, text size, pinyin) and their memory, the
//! drawer on a phone, the table of contents that follows the reader, search, the
//! single-page view, reading without JavaScript, the progress bar, screenshots and axe-core.
//!
//! Needs `chromium`, `chromedriver` and `(cd tests/js && npm ci)`; without them each test
//! prints a `SKIPPED` line and passes, except under `CI=true`, where it fails. Screenshots
//! land in `target/screenshots/reader_*`. The harness is in `tests/browser/`.

mod util;

#[allow(dead_code)]
#[path = "browser/harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "browser/serve.rs"]
mod serve;

use harness::{key, within, Browser, Need, Tools, TEST_TIMEOUT};
use regex::Regex;
use serde_json::{json, Value};
use serve::Reader;
use util::TestSite;

/// The address the memorial is built for, as the Pages workflow would pass it.
const BASE_URL: &str = "https://user.github.io/repo/";
/// The path prefix it is served under.
const PREFIX: &str = "/repo/";
/// Where the reader's choices are kept.
const THEME_KEY: &str = "lectern-theme";
const FONT_KEY: &str = "lectern-font-size";
const PINYIN_KEY: &str = "lectern-pinyin";
/// The narrow (phone) and wide (desktop) widths the theme is designed for.
const PHONE: u32 = 390;
const DESKTOP: u32 = 1280;

// ---------------------------------------------------------------------------------------
// The memorial, built and served

/// A copy of the memorial's own sources in a temp folder, built for `BASE_URL` (the build
/// imports the article into `content/` first).
fn build_memorial() -> TestSite {
    let site = TestSite::memorial(&[]);
    let run = site.run(&["build", "-u", BASE_URL]).ok();
    assert!(
        run.stdout().contains("built 24 pages"),
        "the memorial should have 12 pages in each of its two editions:\n{}",
        run.stdout()
    );
    site
}

/// One page as the built HTML has it: path under the prefix, `<h1>` and the text of its
/// content (no pinyin, no tags).
struct Page {
    path: String,
    title: String,
    text: String,
}

/// The memorial's pages in reading order, read from the built files by following
/// `rel="next"` from the home page: the oracle the browser is checked against.
fn reading_order(site: &TestSite) -> Vec<Page> {
    let h1 = Regex::new(r"(?s)<h1>(.*?)</h1>").unwrap();
    util::reading_order(site, "")
        .into_iter()
        .map(|path| {
            let html = site.read(&format!("public/{path}index.html"));
            let title = strip_tags(&h1.captures(&html).expect("an <h1>")[1]);
            let start = html.find("<div class=\"content\">").expect("content");
            let end = start + html[start..].find("\n</div>\n").expect("end of content");
            let text = strip_tags(&html[start..end]);
            Page { path, title, text }
        })
        .collect()
}

/// Text without tags, ruby readings or heading anchors, with the common entities decoded.
fn strip_tags(html: &str) -> String {
    util::visible_text(html, false).trim().to_string()
}

impl Reader {
    /// Builds and serves the memorial and opens a browser on it, or returns `None` when the
    /// test is skipped for missing tools.
    async fn open(test: &str, needs: &[Need]) -> Option<Reader> {
        Reader::serve(test, needs, PREFIX, build_memorial).await
    }

    fn pages(&self) -> Vec<Page> {
        reading_order(&self.site)
    }
}

/// Runs one reader test: skips it when tools are missing, fails it if it takes too long.
macro_rules! reader_test {
    ($(#[$attr:meta])* $name:ident, $needs:expr, |$reader:ident| $body:block) => {
        #[tokio::test]
        $(#[$attr])*
        async fn $name() {
            let test = stringify!($name);
            within(TEST_TIMEOUT, test, async {
                let Some($reader) = Reader::open(test, $needs).await else {
                    return;
                };
                $body
                $reader.close().await;
            })
            .await;
        }
    };
}

// ---------------------------------------------------------------------------------------
// Small page probes

/// A computed style property of the first element matching `selector`.
async fn style(browser: &Browser, selector: &str, property: &str) -> String {
    let script = format!(
        "const e = document.querySelector({}); \
         return e ? getComputedStyle(e).getPropertyValue({}) : null;",
        json!(selector),
        json!(property)
    );
    match browser.js(&script).await {
        Value::String(s) => s,
        _ => panic!("no element matches {selector}"),
    }
}

/// A computed length in px (`"17px"` → 17.0).
async fn px(browser: &Browser, selector: &str, property: &str) -> f64 {
    let value = style(browser, selector, property).await;
    value
        .trim_end_matches("px")
        .parse()
        .unwrap_or_else(|_| panic!("{selector} {property} is {value}, not a length in px"))
}

/// An attribute of `<html>`, or `None`.
async fn root_attr(browser: &Browser, name: &str) -> Option<String> {
    let script = format!(
        "return document.documentElement.getAttribute({});",
        json!(name)
    );
    browser.js(&script).await.as_str().map(String::from)
}

/// A localStorage entry, or `None`.
async fn stored(browser: &Browser, key: &str) -> Option<String> {
    let script = format!("return localStorage.getItem({});", json!(key));
    browser.js(&script).await.as_str().map(String::from)
}

/// An attribute of the first element matching `selector`, or `None`.
async fn attr(browser: &Browser, selector: &str, name: &str) -> Option<String> {
    let script = format!(
        "const e = document.querySelector({}); return e ? e.getAttribute({}) : undefined;",
        json!(selector),
        json!(name)
    );
    match browser.js(&script).await {
        Value::String(s) => Some(s),
        Value::Null => None,
        _ => panic!("no element matches {selector}"),
    }
}

/// Whether the element matching `selector` takes up room on the screen: rendered, with a
/// non-empty box, not `visibility: hidden`.
async fn shown(browser: &Browser, selector: &str) -> bool {
    let script = format!(
        "const e = document.querySelector({}); if (!e) return null; \
         const r = e.getBoundingClientRect(); \
         return e.checkVisibility({{ visibilityProperty: true }}) && r.width > 0 && r.height > 0;",
        json!(selector)
    );
    match browser.js(&script).await {
        Value::Bool(b) => b,
        _ => panic!("no element matches {selector}"),
    }
}

/// `tag.class#id` text of the focused element plus its `href`, for focus assertions.
async fn focused(browser: &Browser) -> String {
    browser
        .js_string(
            "const e = document.activeElement; if (!e) return ''; \
             const href = e.getAttribute('href'); \
             return e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') \
               + (e.id ? '#' + e.id : '') + (href ? ' ' + decodeURIComponent(href) : '');",
        )
        .await
}

/// Records, the first time a script can see the page after the inline head script has
/// run, what `<html>` says then and whether `lectern.js` has run yet (it un-hides the reader
/// controls). Installed with `Page.addScriptToEvaluateOnNewDocument`, so it runs in every
/// document before any of the page's own scripts.
const FIRST_PAINT_PROBE: &str = r#"
(function () {
  var observer = new MutationObserver(function () {
    var root = document.documentElement;
    if (window.__lecternProbe || !root || !root.classList.contains("js")) return;
    var controls = document.querySelector(".reader-controls");
    window.__lecternProbe = {
      readyState: document.readyState,
      theme: root.getAttribute("data-theme"),
      fontSize: root.getAttribute("data-font-size"),
      pinyin: root.classList.contains("pinyin-on"),
      lecternJsRan: controls ? !controls.hidden : false,
      bodyParsed: Boolean(document.body)
    };
    observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
})();
"#;

async fn install_first_paint_probe(browser: &Browser) {
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": FIRST_PAINT_PROBE }),
        )
        .await;
}

/// What the probe saw in the current document.
async fn first_paint(browser: &Browser) -> Value {
    let probe = browser.js("return window.__lecternProbe || null;").await;
    assert!(
        probe.is_object(),
        "the head script never ran (no `js` class on <html>) on {}",
        browser.path().await
    );
    assert_eq!(
        probe["readyState"], "loading",
        "the probe must see the page while it is still parsing: {probe}"
    );
    assert_eq!(
        probe["lecternJsRan"], false,
        "lectern.js had already run when the probe looked: {probe}"
    );
    probe
}

async fn emulate_color_scheme(browser: &Browser, scheme: &str) {
    browser
        .cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )
        .await;
    browser
        .wait_for(
            &format!("matchMedia('(prefers-color-scheme: {scheme})').matches"),
            &format!("the {scheme} colour scheme"),
        )
        .await;
}

/// The theme's page backgrounds (`--background`).
const LIGHT_BACKGROUND: &str = "rgb(251, 250, 246)";
const DARK_BACKGROUND: &str = "rgb(21, 20, 18)";

// ---------------------------------------------------------------------------------------
// 1. Theme

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

// ---------------------------------------------------------------------------------------
// 2. Text size

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

// ---------------------------------------------------------------------------------------
// 3. Pinyin

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
        browser.goto("").await;
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

// ---------------------------------------------------------------------------------------
// 4. Search

/// What the results list shows: (title, decoded path of the link, text of its `<mark>`).
async fn search_results(browser: &Browser) -> Vec<(String, String, String)> {
    let value = browser
        .js(
            "return Array.from(document.querySelectorAll('#search-results li')).map((li) => { \
               const a = li.querySelector('a'); const mark = li.querySelector('p mark'); \
               return [a ? a.textContent : li.textContent, \
                       a ? decodeURIComponent(a.pathname) : '', mark ? mark.textContent : '']; });",
        )
        .await;
    value
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|row| {
            let s = |i: usize| row[i].as_str().unwrap_or_default().to_string();
            (s(0), s(1), s(2))
        })
        .collect()
}

/// Clears the search box and types `query` into it, then waits for an answer that is not
/// the previous one.
async fn search_for(browser: &Browser, query: &str) -> Vec<(String, String, String)> {
    browser
        .js(
            "const i = document.getElementById('search-input'); i.value = ''; \
             document.getElementById('search-results').textContent = ''; return null;",
        )
        .await;
    browser.type_into("#search-input", query).await;
    browser
        .wait_for(
            "!document.getElementById('search-results').hidden && \
             document.querySelectorAll('#search-results li').length > 0 && \
             document.getElementById('search-status').textContent !== ''",
            &format!("results for {query}"),
        )
        .await;
    search_results(browser).await
}

reader_test!(
    search_finds_every_page_holding_a_word_and_enter_opens_the_first,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        let pages = reader.pages();
        // Start on a page that holds neither word, so Enter must load another page.
        browser.goto("references/").await;
        assert!(
            shown(browser, "#search-input").await,
            "the search box must show"
        );
        assert_eq!(
            browser.js("return typeof window.lecternSearch;").await,
            "undefined",
            "the index must not load before it is needed"
        );
        browser.click_on("#search-input").await;
        browser
            .wait_for(
                "typeof window.lecternSearch === 'object'",
                "the index to load on focus",
            )
            .await;

        for (query, typed) in [
            ("焦慮", "焦慮"),
            ("deepmind", "DeepMind"),
            ("deepmind", "deepMIND"),
        ] {
            let mut expected: Vec<&str> = pages
                .iter()
                .filter(|p| {
                    p.text.to_lowercase().contains(query) || p.title.to_lowercase().contains(query)
                })
                .map(|p| p.title.as_str())
                .collect();
            expected.sort();
            assert!(
                expected.len() >= 2,
                "the memorial has {query} on several pages"
            );
            let results = search_for(browser, typed).await;
            let mut titles: Vec<&str> = results.iter().map(|(t, _, _)| t.as_str()).collect();
            titles.sort();
            assert_eq!(titles, expected, "pages found for {typed}");
            for (title, path, mark) in &results {
                let page = pages.iter().find(|p| &p.title == title).unwrap();
                assert_eq!(path, &format!("{PREFIX}{}", page.path), "link of {title}");
                assert_eq!(
                    mark.to_lowercase(),
                    query,
                    "the snippet of {title} marks the word"
                );
            }
            let status = browser.text("#search-status").await;
            assert!(
                status.starts_with(&expected.len().to_string()),
                "status {status}"
            );
        }
        assert!(
            search_for(browser, "焦慮")
                .await
                .iter()
                .any(|(t, _, _)| t == "社交焦慮"),
            "社交焦慮 is about 焦慮"
        );

        // Nothing found says so, with no links.
        let none = search_for(browser, "qzxqzx").await;
        assert_eq!(browser.count("#search-results a").await, 0);
        assert_eq!(none.len(), 1);
        assert_eq!(
            Some(none[0].0.as_str()),
            attr(browser, "#search-results", "data-no-results")
                .await
                .as_deref()
        );

        // The arrow keys move through the results and back to the box.
        let results = search_for(browser, "焦慮").await;
        assert!(
            focused(browser).await.starts_with("input"),
            "{}",
            focused(browser).await
        );
        browser.press(key::ARROW_DOWN).await;
        assert_eq!(
            focused(browser).await,
            format!("a {}", first_link(browser).await)
        );
        browser.press(key::ARROW_DOWN).await;
        let second = browser
            .js_string(
                "return document.querySelectorAll('#search-results a')[1].getAttribute('href');",
            )
            .await;
        assert!(
            focused(browser).await.ends_with(&decode(&second)),
            "{}",
            focused(browser).await
        );
        browser.press(key::ARROW_UP).await;
        browser.press(key::ARROW_UP).await;
        assert!(focused(browser).await.starts_with("input#search-input"));

        // Enter opens the first result's page.
        browser
            .js("window.__lecternOldPage = true; return null;")
            .await;
        browser.press(key::ENTER).await;
        browser
            .wait_for(
                "!window.__lecternOldPage && document.readyState === 'complete'",
                "the first result's page after Enter",
            )
            .await;
        assert_eq!(
            browser.path().await,
            results[0].1,
            "Enter opens the first result"
        );
    }
);

/// The first search result's `href`, decoded.
async fn first_link(browser: &Browser) -> String {
    let href = browser
        .js_string("return document.querySelector('#search-results a').getAttribute('href');")
        .await;
    decode(&href)
}

/// Percent-decodes through the browser's own rules (tests only see ASCII and UTF-8).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------
// 5. The drawer on a phone, by keyboard

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

// ---------------------------------------------------------------------------------------
// 6. The table of contents follows the reader

/// The `href` of every TOC link marked as being read.
async fn toc_current(browser: &Browser) -> Vec<String> {
    let value = browser
        .js(
            "return Array.from(document.querySelectorAll('.page-toc a[aria-current]')) \
               .map((a) => a.getAttribute('href') + '=' + a.getAttribute('aria-current'));",
        )
        .await;
    value
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(String::from))
        .collect()
}

reader_test!(
    the_single_page_toc_marks_the_document_being_read_as_the_reader_scrolls,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        browser.goto("all/").await;
        assert_eq!(
            browser.count(".page-toc a").await,
            12,
            "the TOC lists every document"
        );
        assert_eq!(
            toc_current(browser).await,
            Vec::<String>::new(),
            "nothing is being read at the top"
        );

        for id in ["p3", "p7", "p11", "p1"] {
            // Bring the document's start near the top of the window, as scrolling would.
            let clear = browser
                .js(&format!(
                    "const s = document.getElementById('{id}'); \
                     window.scrollTo(0, s.getBoundingClientRect().top + scrollY - 10); \
                     const next = s.nextElementSibling; \
                     return !next || next.getBoundingClientRect().top > innerHeight * 0.3;"
                ))
                .await;
            assert_eq!(
                clear, true,
                "{id} must fill the reading line for this test to mean anything"
            );
            browser
                .wait_for(
                    &format!(
                        "document.querySelectorAll('.page-toc a[aria-current]').length === 1 && \
                         document.querySelector('.page-toc a[aria-current=\"true\"]')?.getAttribute('href') === '#{id}'"
                    ),
                    &format!("the TOC to mark #{id}"),
                )
                .await;
            assert_eq!(toc_current(browser).await, vec![format!("#{id}=true")]);
        }

        // Following a TOC link marks that document too.
        browser.click_to_hash(".page-toc a[href='#p8']", "p8").await;
        browser
            .wait_for(
                "document.querySelector('.page-toc a[aria-current=\"true\"]')?.getAttribute('href') === '#p8'",
                "the TOC to mark #p8 after following its link",
            )
            .await;
        assert_eq!(toc_current(browser).await, vec!["#p8=true".to_string()]);

        // Back at the top, nothing is marked again.
        browser.js("window.scrollTo(0, 0); return null;").await;
        browser
            .wait_for(
                "document.querySelectorAll('.page-toc a[aria-current]').length === 0",
                "no mark at the top",
            )
            .await;
    }
);

// ---------------------------------------------------------------------------------------
// 7. Read it all on one page

reader_test!(
    read_it_all_holds_every_document_in_order_with_unique_ids_and_in_page_links,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        let pages = reader.pages();
        assert_eq!(pages.len(), 12, "the memorial's reading order");
        browser.goto("").await;
        assert_eq!(browser.text(".site-nav .read-all a").await, "全文");
        browser.click_to_new_page(".site-nav .read-all a").await;
        assert_eq!(browser.path().await, format!("{PREFIX}all/"));

        let sections = browser
            .js("return Array.from(document.querySelectorAll('main section.single-page-document')).map((s) => { \
                   const h = s.querySelector(':scope > .document-title'); const a = h.querySelector('a'); \
                   return [s.id, h.textContent.trim(), decodeURIComponent(a.pathname)]; });")
            .await;
        let sections: Vec<(String, String, String)> = sections
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|row| {
                let s = |i: usize| row[i].as_str().unwrap_or_default().to_string();
                (s(0), s(1), s(2))
            })
            .collect();
        let expected: Vec<(String, String, String)> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    format!("p{}", i + 1),
                    p.title.clone(),
                    format!("{PREFIX}{}", p.path),
                )
            })
            .collect();
        assert_eq!(
            sections, expected,
            "every document in reading order, each linking to its page"
        );
        let toc = browser
            .js("return Array.from(document.querySelectorAll('.page-toc a')).map((a) => a.getAttribute('href') + ' ' + a.textContent.trim());")
            .await;
        let toc_expected: Vec<String> = expected
            .iter()
            .map(|(id, title, _)| format!("#{id} {title}"))
            .collect();
        assert_eq!(
            toc,
            json!(toc_expected),
            "the TOC lists the documents in order"
        );

        // Unique ids, ids inside a document prefixed with its own, and no broken `#` links.
        let duplicates = browser
            .js("const seen = new Map(); document.querySelectorAll('[id]').forEach((e) => seen.set(e.id, (seen.get(e.id) || 0) + 1)); \
                 return [...seen].filter(([, n]) => n > 1).map(([id]) => id);")
            .await;
        assert_eq!(duplicates, json!([]), "duplicate ids on /repo/all/");
        let unprefixed = browser
            .js("return Array.from(document.querySelectorAll('section.single-page-document')).flatMap((s) => \
                   Array.from(s.querySelectorAll('[id]')).map((e) => e.id).filter((id) => !id.startsWith(s.id + '-')));")
            .await;
        assert_eq!(
            unprefixed,
            json!([]),
            "ids inside a document must carry its prefix"
        );
        let broken = browser
            .js("return Array.from(document.querySelectorAll('a[href^=\"#\"]')).map((a) => decodeURIComponent(a.getAttribute('href').slice(1))) \
                   .filter((id) => !document.getElementById(id));")
            .await;
        assert_eq!(broken, json!([]), "in-page links with no target");
        let markers = browser.count("section.single-page-document sup.citation a, section.single-page-document a[href^='#fn']").await;
        assert!(
            markers >= 3,
            "the memorial cites its references on /repo/all/ ({markers})"
        );
        let leaving = browser
            .js("return Array.from(document.querySelectorAll('section.single-page-document .content a[href]')) \
                   .filter((a) => a.origin === location.origin && a.pathname !== location.pathname).map((a) => a.href);")
            .await;
        assert_eq!(
            leaving,
            json!([]),
            "links between documents must stay on this page"
        );

        // A citation marker jumps to its reference on this page, and nothing reloads.
        browser
            .js("window.__lecternSamePage = true; return null;")
            .await;
        browser.click_to_hash("[id='p1-cite-2-1']", "ref-2").await;
        assert_eq!(browser.path().await, format!("{PREFIX}all/"));
        assert_eq!(browser.target().await, "li#ref-2");
        assert!(
            browser.in_viewport("[id='ref-2']").await,
            "the reference is shown"
        );
        assert!(!browser.in_viewport("[id='p1-cite-2-1']").await);
        assert_eq!(
            browser
                .js("return window.__lecternSamePage === true;")
                .await,
            true,
            "no new page"
        );
        let reference = browser.text("[id='ref-2']").await;
        assert!(reference.contains("Kyunghyun Cho"), "{reference}");
        // And a TOC link to a document further down.
        browser
            .click_to_hash(".page-toc a[href='#p11']", "p11")
            .await;
        assert_eq!(browser.target().await, "section#p11");
        assert!(browser.in_viewport("[id='p11']").await);
    }
);

reader_test!(
    read_it_all_nests_each_documents_headings_under_its_title,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        browser.goto("all/").await;
        // Every heading inside a document ranks below that document's title, as a screen
        // reader's heading list shows it.
        let flat = browser
            .js("return Array.from(document.querySelectorAll('section.single-page-document')).flatMap((s) => { \
                   const title = Number(s.querySelector(':scope > .document-title').tagName.slice(1)); \
                   return Array.from(s.querySelectorAll('.content h1, .content h2, .content h3, .content h4, .content h5, .content h6')) \
                     .filter((h) => Number(h.tagName.slice(1)) <= title) \
                     .map((h) => s.id + ': <' + h.tagName.toLowerCase() + '> ' + h.textContent.replace('#', '').trim()); });")
            .await;
        assert_eq!(
            flat,
            json!([]),
            "headings at or above their document's title"
        );
    }
);

// ---------------------------------------------------------------------------------------
// 8. Without JavaScript

/// Checks that the browser shows `page` of the reading order.
async fn expect_page(browser: &Browser, page: &Page) {
    assert_eq!(browser.path().await, format!("{PREFIX}{}", page.path));
    // innerText, not textContent: a title's pinyin is hidden until the reader asks for it.
    assert_eq!(
        browser
            .js_string("return document.querySelector('main h1').innerText.trim();")
            .await,
        page.title
    );
}

/// Fails unless the page's scripts are off: the inline head script would add `js` to
/// `<html>`, and lectern.js would un-hide the reader controls.
async fn expect_no_scripts(browser: &Browser) {
    let ran = browser
        .js(
            "return document.documentElement.classList.contains('js') || \
                    !document.querySelector('.reader-controls').hidden;",
        )
        .await;
    assert_eq!(ran, false, "page scripts ran on {}", browser.path().await);
}

reader_test!(
    without_javascript_a_phone_reads_navigates_and_follows_references,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        let pages = reader.pages();
        // Scripts off for the tab's life; WebDriver's own scripts still run.
        browser
            .cdp(
                "Emulation.setScriptExecutionDisabled",
                json!({ "value": true }),
            )
            .await;
        browser.resize(PHONE, 900).await;
        browser.goto("").await;
        expect_no_scripts(browser).await;
        expect_page(browser, &pages[0]).await;
        // No drawer without scripts: the sidebar is simply there. Controls that need
        // scripts stay hidden.
        assert!(
            shown(browser, "#site-nav").await,
            "the sidebar must show without scripts"
        );
        assert!(shown(browser, ".site-nav a[aria-current=page]").await);
        for useless in [
            ".nav-toggle",
            ".reader-controls",
            ".site-search",
            "#search-results",
        ] {
            assert!(
                !shown(browser, useless).await,
                "{useless} must stay hidden without scripts"
            );
        }

        // Next through the whole reading order, then prev back a few pages.
        for page in &pages[1..] {
            browser.click_to_new_page("a[rel=next]").await;
            expect_no_scripts(browser).await;
            expect_page(browser, page).await;
        }
        assert_eq!(browser.count("a[rel=next]").await, 0);
        for page in pages.iter().rev().skip(1).take(3) {
            browser.click_to_new_page("a[rel=prev]").await;
            expect_page(browser, page).await;
        }
        // A sidebar link.
        let money = pages
            .iter()
            .find(|p| p.path == "blog/money/")
            .expect("blog/money/");
        browser
            .click_to_new_page(".site-nav a[href='../../blog/money/']")
            .await;
        expect_page(browser, money).await;

        // A citation and its way back, on the home page.
        browser.goto("").await;
        browser.click_to_hash("[id='cite-2-1']", "ref-2").await;
        assert_eq!(browser.target().await, "li#ref-2");
        assert!(browser.in_viewport("[id='ref-2']").await);
        browser
            .click_to_hash("[id='ref-2'] a.backlink", "cite-2-1")
            .await;
        assert!(browser.in_viewport("[id='cite-2-1']").await);

        // The references page lists the three sources as links.
        browser.goto("references/").await;
        expect_no_scripts(browser).await;
        assert_eq!(
            browser
                .count("main .content li a.external[href^='https://']")
                .await,
            3
        );
        assert!(shown(browser, "main .content li a.external").await);

        // Read it all: from the sidebar, and its TOC jumps.
        browser.click_to_new_page(".site-nav .read-all a").await;
        expect_no_scripts(browser).await;
        assert_eq!(browser.path().await, format!("{PREFIX}all/"));
        assert_eq!(browser.count("section.single-page-document").await, 12);
        browser.click_to_hash(".page-toc a[href='#p6']", "p6").await;
        assert!(browser.in_viewport("[id='p6']").await);
        browser.click_to_hash("[id='p1-cite-3-1']", "ref-3").await;
        assert!(browser.in_viewport("[id='ref-3']").await);
        // The progress bar is CSS alone.
        browser
            .js("window.scrollTo(0, document.documentElement.scrollHeight); return null;")
            .await;
        browser
            .wait_for(
                &format!("{PROGRESS} > 0.99"),
                "a full progress bar at the end",
            )
            .await;
    }
);

// ---------------------------------------------------------------------------------------
// 9. Reading progress

/// The progress bar's horizontal scale, from its computed transform.
const PROGRESS: &str =
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

// ---------------------------------------------------------------------------------------
// 10. Screenshots, for a person to look at

reader_test!(screenshots, &[Need::Browser], |reader| {
    let browser = &reader.browser;
    browser.goto("").await;
    for theme in ["light", "dark"] {
        browser
            .js(&format!(
                "localStorage.setItem('{THEME_KEY}', '{theme}'); return null;"
            ))
            .await;
        for (name, page) in [("home", ""), ("blog", "blog/"), ("all", "all/")] {
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

// ---------------------------------------------------------------------------------------
// 11. axe-core on every page

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
        14,
        "home, blog, nine sections, references, all, 404"
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

// ---------------------------------------------------------------------------------------
// 9. Opened from disk

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
