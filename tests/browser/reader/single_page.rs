//! Read it all on one page.

use super::*;

reader_test!(
    read_it_all_holds_every_document_in_order_with_unique_ids_and_in_page_links,
    &[Need::Browser],
    |reader| {
        let browser = &reader.browser;
        let pages = reader.pages();
        assert_eq!(pages.len(), 13, "the memorial's reading order");
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
        browser.click_to_hash("[id='p2-cite-2-1']", "ref-2").await;
        assert_eq!(browser.path().await, format!("{PREFIX}all/"));
        assert_eq!(browser.target().await, "li#ref-2");
        assert!(
            browser.in_viewport("[id='ref-2']").await,
            "the reference is shown"
        );
        assert!(!browser.in_viewport("[id='p2-cite-2-1']").await);
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
