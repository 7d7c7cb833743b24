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

use crate::util;

use crate::harness::{key, within, Browser, Need, Tools, TEST_TIMEOUT};
use crate::serve::Reader;
use crate::util::TestSite;
use regex::Regex;
use serde_json::{json, Value};

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
        run.stdout().contains("built 26 pages"),
        "the memorial should have 13 pages (the landing page and the article's 12) in each of its two editions:\n{}",
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
    edition_reading_order(site, "")
}

/// [`reading_order`] for the edition whose home page is at `start` (`zh-hans/`).
fn edition_reading_order(site: &TestSite, start: &str) -> Vec<Page> {
    let h1 = Regex::new(r"(?s)<h1>(.*?)</h1>").unwrap();
    util::reading_order(site, start)
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
    async fn open_memorial(test: &str, needs: &[Need]) -> Option<Reader> {
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
                let Some($reader) = Reader::open_memorial(test, $needs).await else {
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
/// run, what `<html>` says then and whether `lectern.js` has run yet (it marks `<html data-lectern="ready">`). Installed with `Page.addScriptToEvaluateOnNewDocument`, so it runs in every
/// document before any of the page's own scripts.
const FIRST_PAINT_PROBE: &str = r#"
(function () {
  var observer = new MutationObserver(function () {
    var root = document.documentElement;
    if (window.__lecternProbe || !root || !root.classList.contains("js")) return;
    window.__lecternProbe = {
      readyState: document.readyState,
      theme: root.getAttribute("data-theme"),
      fontSize: root.getAttribute("data-font-size"),
      pinyin: root.classList.contains("pinyin-on"),
      lecternJsRan: root.getAttribute("data-lectern") === "ready",
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

mod axe;
mod drawer;
mod from_disk;
mod no_script;
mod phone;
mod pinyin;
mod progress;
mod screenshots;
mod search;
mod single_page;
mod text_size;
mod theme;
mod toc;
