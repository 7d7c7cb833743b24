//! Search.

use super::*;

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
pub(super) async fn search_for(browser: &Browser, query: &str) -> Vec<(String, String, String)> {
    // On a phone the field is in the header's tools panel, which its button opens.
    if !shown(browser, "#search-input").await {
        browser.click_on(".tools-toggle").await;
    }
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

reader_test!(
    search_results_lie_inside_the_screen_on_a_phone_a_tablet_and_a_desktop,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        for (width, height) in [(PHONE, 844), (768, 1024), (DESKTOP, 900)] {
            browser.resize(width, height).await;
            browser.goto("blog/").await;
            let results = search_for(browser, "焦慮").await;
            assert!(!results.is_empty(), "{width} px: no results");
            let panel = browser
                .js(
                    "const r = document.getElementById('search-results').getBoundingClientRect(); \
                     return [r.left, r.right, r.top, r.bottom, window.innerWidth];",
                )
                .await;
            let [left, right, top, _bottom, inner] =
                [0, 1, 2, 3, 4].map(|i| panel[i].as_f64().unwrap_or(f64::NAN));
            assert!(
                left >= 0.0 && right <= inner && top >= 0.0,
                "{width} px: the results panel spans x = {left}…{right} in a {inner} px screen"
            );
            // On a phone and a tablet the panel uses the screen's width.
            if width < DESKTOP {
                assert!(
                    right - left >= inner * 0.9,
                    "{width} px: the panel is {} px wide",
                    right - left
                );
            }
        }
        browser.screenshot("search-results", PHONE).await;
    }
);

reader_test!(
    on_a_phone_a_query_finds_its_pages_in_either_edition_whichever_script_it_is_typed_in,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        browser.resize(PHONE, 844).await;
        // (the edition's home, the query as typed, the same word in the edition's script)
        for (edition, typed, written) in [
            ("zh-hans/", "焦慮", "焦虑"),
            ("", "焦虑", "焦慮"),
            // Typed in the edition's own script, as before.
            ("zh-hans/", "焦虑", "焦虑"),
        ] {
            let pages = edition_reading_order(&reader.site, edition);
            let mut expected: Vec<&str> = pages
                .iter()
                .filter(|p| p.text.contains(written) || p.title.contains(written))
                .map(|p| p.title.as_str())
                .collect();
            expected.sort();
            assert!(
                expected.len() >= 2,
                "the memorial's {edition:?} edition has {written} on several pages: {expected:?}"
            );
            // Only a query converted into the edition's script can find them.
            if typed != written {
                assert!(
                    !pages
                        .iter()
                        .any(|p| p.text.contains(typed) || p.title.contains(typed)),
                    "the {edition:?} edition has {typed} as typed"
                );
            }
            browser.goto(&format!("{edition}blog/")).await;
            let results = search_for(browser, typed).await;
            let mut titles: Vec<&str> = results.iter().map(|(t, _, _)| t.as_str()).collect();
            titles.sort();
            assert_eq!(
                titles, expected,
                "{typed} typed into the {edition:?} edition"
            );
            for (title, path, mark) in &results {
                let page = pages.iter().find(|p| &p.title == title).unwrap();
                assert_eq!(path, &format!("{PREFIX}{}", page.path), "link of {title}");
                if page.text.contains(written) {
                    assert_eq!(
                        mark, written,
                        "the snippet of {title} marks the edition's word"
                    );
                }
            }
            // The results panel lies inside the phone's screen.
            let right = browser
                .js("return document.getElementById('search-results').getBoundingClientRect().right;")
                .await
                .as_f64()
                .unwrap_or(f64::NAN);
            assert!(right <= f64::from(PHONE), "the panel ends at x = {right}");
            if typed != written {
                let name = match edition {
                    "" => "search-simplified-query-in-zh-hant",
                    _ => "search-traditional-query-in-zh-hans",
                };
                browser.screenshot(name, PHONE).await;
            }
        }
    }
);
