//! The table of contents follows the reader.

use super::*;

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
            13,
            "the TOC lists every document"
        );
        assert_eq!(
            toc_current(browser).await,
            Vec::<String>::new(),
            "nothing is being read at the top"
        );

        for id in ["p4", "p8", "p12", "p2"] {
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
