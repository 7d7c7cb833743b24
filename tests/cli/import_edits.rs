//! Generated files as a person meets them: readable ruby.

use crate::util::TestSite;

/// The memorial's sources, built once so the import has written its files.
fn imported_memorial() -> TestSite {
    let site = TestSite::memorial(&[]);
    site.build().ok();
    site
}

#[test]
fn generated_files_write_ruby_in_the_compact_form() {
    let site = imported_memorial();
    let money = site.read("content/blog/money.md");
    assert!(money.contains("大多{數|shù}人工智能"), "{money}");
    assert!(!money.contains("<ruby>"), "{money}");
    let title = site.read("content/blog/scientists.md");
    assert!(
        title.contains("title = \"科{學|xué}家不{發|fā}揮作用\""),
        "{title}"
    );
    // And the page shows it as ruby, its title too.
    let page = site.read("public/blog/money/index.html");
    assert!(
        page.contains("大多<ruby>數<rp>(</rp><rt>shù</rt><rp>)</rp></ruby>人工智能"),
        "the page has the ruby markup"
    );
    let page = site.read("public/blog/scientists/index.html");
    assert!(page.contains("科<ruby>學<rp>(</rp><rt>xué</rt><rp>)</rp></ruby>家"));
    assert!(
        page.contains("<title>科學家不發揮作用"),
        "the plain title has no reading"
    );
}
