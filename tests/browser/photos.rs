//! A page of photos read on a phone (issue 20): at a 390 px viewport, with the page's
//! scripts and every image arriving late (as on a slow network), nothing on the page moves
//! as the photos load or as the reader scrolls through them; the browser picks the photo
//! file that fits the screen, not the 1600 px one; and photos far below the first screen
//! are not fetched until the reader scrolls towards them.
//!
//! The photos are made here: landscape, portrait, a panorama and a square, one of them as
//! large as a camera's (3000 × 2000). The assertions are about what the browser shows and
//! requests, not about the markup (an `<img>` or a `<picture>` both pass).

use std::io::Cursor;
use std::time::Duration;

use image::{DynamicImage, Rgb, RgbImage};
use serde_json::{json, Value};

use crate::harness::{within, Browser, Need, Tools, TEST_TIMEOUT};
use crate::serve::{Latency, Served};
use crate::util::{page, TestSite};

/// The path prefix the site is built for and served under (a GitHub Pages project site).
const PREFIX: &str = "/repo/";

/// A phone's viewport, in CSS pixels, at one device pixel per CSS pixel: the browser
/// should then take the 480 px file for a photo 390 px wide.
const PHONE: (u32, u32) = (390, 844);

/// How late scripts and images arrive: late enough that the page is painted before any
/// photo's bytes are there, which is when a photo without a reserved box moves the text.
const LATENCY: Latency = Latency {
    scripts: Duration::from_millis(1000),
    images: Duration::from_millis(500),
};

/// The photos, in the page's order: (file stem, alt text, width, height).
const PHOTOS: &[(&str, &str, u32, u32)] = &[
    ("desk", "Felix at his desk", 3000, 2000),
    ("tall", "A tall bookshelf", 800, 1200),
    ("pano", "The hills above the city", 1800, 600),
    ("square", "A cup of tea", 700, 700),
    ("portrait", "A portrait in the garden", 640, 960),
];

/// More than any distance at which Chromium starts fetching a lazy image ahead of the
/// viewport (1,250 px on a fast network, more on slow ones): a photo whose top is this far
/// below the first screen must not have been requested before the reader scrolls.
const FAR_BELOW: f64 = 4000.0;

/// Sums every layout shift from the document's first moment on (installed before the
/// page's own scripts with `Page.addScriptToEvaluateOnNewDocument`), and names what moved.
/// `__flushShifts()` takes the entries not yet delivered to the callback, so reading the
/// sum needs no wait for the observer.
const LAYOUT_SHIFT_OBSERVER: &str = r#"
window.__cls = 0;
window.__shifts = [];
(function () {
  function add(entries) {
    entries.forEach(function (entry) {
      if (entry.hadRecentInput) return;
      window.__cls += entry.value;
      window.__shifts.push(entry.sources.map(function (s) {
        return s.node ? (s.node.nodeName + "." + (s.node.className || "")) : "?";
      }).join(" ") + " " + entry.value.toFixed(4));
    });
  }
  var observer = new PerformanceObserver(function (list) { add(list.getEntries()); });
  observer.observe({ type: "layout-shift", buffered: true });
  window.__flushShifts = function () { add(observer.takeRecords()); };
})();
"#;

/// A JPEG of one colour: what the browser tests look at is each photo's size and file,
/// and filling 6 megapixels one by one in a debug build would cost seconds.
fn jpeg(width: u32, height: u32, colour: [u8; 3]) -> Vec<u8> {
    let picture = RgbImage::from_pixel(width, height, Rgb(colour));
    let mut bytes = Vec::new();
    DynamicImage::ImageRgb8(picture)
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            Cursor::new(&mut bytes),
            70,
        ))
        .unwrap_or_else(|e| panic!("encode a {width}x{height} JPEG: {e}"));
    bytes
}

/// A few paragraphs of filler text, numbered from `from`.
fn paragraphs(from: usize, count: usize) -> String {
    let text = "那一年的夏天很長，我們在院子裡談論未來，談論那些還沒有寫下的書。\
                他總是說，慢慢來，時間會把該留下的留下。";
    (from..from + count)
        .map(|i| format!("{text}（{i}）\n\n"))
        .collect()
}

/// A site with one page of photos between paragraphs: the first photo in the first
/// screen, the others spread over several thousand pixels below it.
fn photo_site() -> TestSite {
    let mut body = paragraphs(1, 1);
    for (i, (stem, alt, _, _)) in PHOTOS.iter().enumerate() {
        body.push_str(&format!("![{alt}](/img/{stem}.jpg)\n\n"));
        body.push_str(&paragraphs(2 + i * 14, 14));
    }
    let site = TestSite::with(&[
        (
            "content/_index.md",
            &page("相冊", 0, "照片在[這裡](@/photos.md)。\n"),
        ),
        ("content/photos.md", &page("照片", 1, &body)),
    ]);
    site.write(
        "site.toml",
        "title = \"相冊\"\n\
         base_url = \"https://user.github.io/repo/\"\n\
         language = \"zh-Hant\"\n",
    );
    for (i, (stem, _, width, height)) in PHOTOS.iter().enumerate() {
        let shade = 60 + 30 * i as u8;
        let photo = jpeg(*width, *height, [shade, 120, 200 - shade]);
        site.write_bytes(&format!("static/img/{stem}.jpg"), &photo);
    }
    site.build().ok();
    site
}

/// The published width a photo file's name ends in (`desk-480.jpg` → 480), if any.
fn published_width(url: &str) -> Option<u32> {
    let name = url.rsplit('/').next()?;
    let stem = name.rsplit_once('.')?.0;
    stem.rsplit_once('-')?.1.parse().ok()
}

/// The photos requested so far: which of [`PHOTOS`] each request was for, and the file.
fn photo_requests(served: &Served) -> Vec<(&'static str, String)> {
    served
        .requested()
        .into_iter()
        .filter_map(|path| {
            let name = path.rsplit('/').next().unwrap_or_default().to_string();
            PHOTOS
                .iter()
                .find(|(stem, ..)| name.starts_with(&format!("{stem}-")))
                .map(|(stem, ..)| (*stem, name))
        })
        .collect()
}

/// Whether every photo that is at least partly on screen has loaded.
const PHOTOS_ON_SCREEN_LOADED: &str =
    "Array.from(document.querySelectorAll('main img')).every((i) => { \
       const r = i.getBoundingClientRect(); \
       return r.bottom <= 0 || r.top >= innerHeight || (i.complete && i.naturalWidth > 0); })";

#[tokio::test]
async fn on_a_phone_photos_move_nothing_fit_the_screen_and_load_only_when_near() {
    let test = "on_a_phone_photos_move_nothing_fit_the_screen_and_load_only_when_near";
    within(TEST_TIMEOUT, test, async {
        let Some(tools) = Tools::require(test, &[Need::Browser]) else {
            return;
        };
        let site = photo_site();
        let served = Served::folder_with_latency(&site.path("public"), PREFIX, LATENCY);
        let browser = Browser::start(&tools, test, &served.base).await;
        browser
            .cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": LAYOUT_SHIFT_OBSERVER }),
            )
            .await;
        let (width, height) = PHONE;
        browser
            .cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": true }),
            )
            .await;
        browser.goto("photos/").await;
        assert_eq!(
            browser.js("return [innerWidth, devicePixelRatio];").await,
            json!([width, 1]),
            "the phone viewport is not in effect"
        );
        assert_eq!(
            browser.count("main img").await,
            PHOTOS.len() as u64,
            "the page shows every photo"
        );

        // The page was painted before the first photo's bytes arrived: otherwise a photo
        // without a reserved box could not move anything, and the test would prove nothing.
        let first = PHOTOS[0].0;
        let timing = browser
            .js(&format!(
                "const img = performance.getEntriesByType('resource') \
                   .find((e) => e.initiatorType === 'img' && e.name.includes('/{first}-')); \
                 const paint = performance.getEntriesByName('first-contentful-paint')[0]; \
                 return [paint ? paint.startTime : null, img ? img.responseEnd : null];"
            ))
            .await;
        let [painted, arrived] = [0, 1].map(|i| timing[i].as_f64().unwrap_or(f64::NAN));
        assert!(
            painted < arrived,
            "first paint at {painted} ms, the first photo at {arrived} ms: \
             the page must be seen before its photo"
        );

        // Lazy loading: photos far below the first screen were not even requested.
        let tops = browser
            .js(
                "return Array.from(document.querySelectorAll('main img')) \
                   .map((i) => [i.alt, i.getBoundingClientRect().top + scrollY]);",
            )
            .await;
        let far: Vec<&str> = tops
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t[1].as_f64().unwrap_or(0.0) > f64::from(height) + FAR_BELOW)
            .filter_map(|t| {
                let alt = t[0].as_str()?;
                PHOTOS.iter().find(|p| p.1 == alt).map(|p| p.0)
            })
            .collect();
        assert!(
            far.len() >= 2,
            "the page must have photos far below the first screen to test lazy loading: {tops}"
        );
        let requested = photo_requests(&served);
        assert!(
            requested.iter().any(|(stem, _)| *stem == first),
            "the first photo was not requested: {requested:?}"
        );
        let early: Vec<_> = requested
            .iter()
            .filter(|(stem, _)| far.contains(stem))
            .collect();
        assert!(
            early.is_empty(),
            "photos far below the first screen were fetched before scrolling: {early:?}"
        );

        // Scroll through the page as a reader would, a screen at a time, letting the
        // photos on each screen load.
        let mut screens = 0;
        loop {
            browser
                .wait_for(PHOTOS_ON_SCREEN_LOADED, "the photos on screen to load")
                .await;
            let at_end = browser
                .js("return scrollY + innerHeight >= document.documentElement.scrollHeight - 1;")
                .await;
            if at_end == Value::Bool(true) {
                break;
            }
            screens += 1;
            assert!(screens < 100, "the page never ends");
            browser
                .js("scrollBy(0, Math.round(innerHeight * 0.8)); return null;")
                .await;
        }
        assert!(screens >= 5, "only {screens} screens: the photos are not far apart");
        for (stem, ..) in PHOTOS {
            assert!(
                photo_requests(&served).iter().any(|(s, _)| s == stem),
                "{stem} was never fetched, even after scrolling to it"
            );
        }

        // Every photo decoded and painted; then read the shifts, flushing the observer.
        let shifts = browser
            .js(
                "return Promise.all(Array.from(document.querySelectorAll('main img')) \
                   .map((i) => i.decode().catch(() => null))) \
                 .then(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))) \
                 .then(() => { window.__flushShifts(); return [window.__cls, window.__shifts]; });",
            )
            .await;
        let cls = shifts[0].as_f64().unwrap_or(f64::NAN);
        assert!(
            cls < 0.05,
            "cumulative layout shift {cls} at {width} px (what moved: {})",
            shifts[1]
        );

        // The file each photo shows: for 390 CSS px at one device pixel per CSS pixel the
        // smallest that covers it, 480 px wide; never the 1600 px one, which would cost a
        // phone several times the bytes.
        let sources = browser
            .js("return Array.from(document.querySelectorAll('main img')).map((i) => i.currentSrc);")
            .await;
        let sources: Vec<String> = sources
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(String::from))
            .collect();
        assert_eq!(sources.len(), PHOTOS.len(), "{sources:?}");
        for source in &sources {
            assert_eq!(
                published_width(source),
                Some(480),
                "at {width} px the browser showed {source}, not the 480 px file"
            );
        }
        let large: Vec<_> = photo_requests(&served)
            .into_iter()
            .filter(|(_, name)| published_width(name) != Some(480))
            .collect();
        assert!(
            large.is_empty(),
            "at {width} px the browser fetched larger files than it needs: {large:?}"
        );

        browser.close().await;
    })
    .await;
}

/// A memorial with every kind of photo: the `[person]` portrait on the landing page, a
/// tribute's photo (shown on its page and on the tributes page), and a captioned figure.
fn memorial_with_every_kind_of_photo() -> TestSite {
    let site = TestSite::with(&[
        (
            "site.toml",
            "title = \"紀念\"\nbase_url = \"https://user.github.io/repo/\"\nlanguage = \"zh-Hant\"\n\n\
             [person]\nname = \"菲利克斯\"\nportrait = \"img/portrait.jpg\"\n",
        ),
        (
            "content/_index.md",
            "+++\ntitle = \"菲利克斯\"\ntemplate = \"landing.html\"\n+++\n\n這裡紀念他。\n",
        ),
        (
            "content/photos.md",
            &page(
                "照片",
                1,
                "他喜歡講課。\n\n![菲利克斯在黑板前](/img/board.jpg)\n*牛津，2016 年。*\n\n之後的文字。\n",
            ),
        ),
        (
            "content/tributes/_index.md",
            "+++\ntitle = \"悼念\"\nweight = 2\nsort_by = \"date\"\ntemplate = \"tributes.html\"\n+++\n",
        ),
        (
            "content/tributes/jane.md",
            "+++\ntitle = \"想念你\"\ndate = 2025-01-02\n[tribute]\nauthor = \"Jane\"\n\
             photo = \"jane.jpg\"\nphoto_alt = \"Jane 與菲利克斯\"\n+++\n\n謝謝你。\n",
        ),
    ]);
    site.write_bytes("static/img/portrait.jpg", &jpeg(600, 800, [150, 120, 90]));
    site.write_bytes("static/img/board.jpg", &jpeg(1000, 650, [90, 150, 200]));
    site.write_bytes("content/tributes/jane.jpg", &jpeg(800, 600, [200, 120, 60]));
    site.build().ok();
    site
}

#[tokio::test]
async fn pages_with_every_kind_of_photo_have_no_html_errors() {
    let test = "pages_with_every_kind_of_photo_have_no_html_errors";
    within(TEST_TIMEOUT, test, async {
        let Some(tools) = Tools::require(test, &[Need::Vnu, Need::HtmlValidate]) else {
            return;
        };
        let site = memorial_with_every_kind_of_photo();
        for page in [
            "index.html",
            "photos/index.html",
            "tributes/index.html",
            "tributes/jane/index.html",
        ] {
            let html = site.read(&format!("public/{page}"));
            assert!(html.contains("<picture>"), "{page} shows a photo");
        }
        crate::vnu::assert_no_errors(&tools, &site.path("public")).await;
        crate::html_validate::assert_no_errors(&tools, &site.path("public")).await;
    })
    .await;
}
