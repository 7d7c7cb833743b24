//! Generated files as a person meets them: readable ruby, and warnings that say
//! `warning:` once.

use crate::util::TestSite;

const IMPORT: &[&str] = &[
    "import",
    "sources/felix-hill.txt",
    "--fixes",
    "sources/fixes.toml",
];

/// The memorial's sources, built once so the import has written its files.
fn imported_memorial() -> TestSite {
    let site = TestSite::memorial(&[]);
    site.build().ok();
    site
}

/// Lines of `text` that mention `needle`.
fn lines_with<'t>(text: &'t str, needle: &str) -> Vec<&'t str> {
    text.lines().filter(|l| l.contains(needle)).collect()
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

#[test]
fn import_warnings_say_warning_once_and_name_the_place() {
    let site = TestSite::memorial(&[]);
    let fixes = site.read("sources/fixes.toml");
    site.write(
        "sources/fixes.toml",
        &fixes[..fixes.find("\n[[repairs]]\n").unwrap()],
    );
    // A site whose language is not the article's: a warning about site.toml too.
    let config = site.read("site.toml");
    // (Simplified, with a Traditional edition: a Traditional article needs the reverse.)
    let swapped = config
        .replace("language = \"zh-Hant\"", "language = \"swap\"")
        .replace("language = \"zh-Hans\"", "language = \"zh-Hant\"")
        .replace("language = \"swap\"", "language = \"zh-Hans\"");
    site.write("site.toml", &swapped);
    for out in [site.run(IMPORT).ok().stdout(), {
        std::fs::remove_dir_all(site.path("content/blog")).unwrap();
        site.build().ok().stdout()
    }] {
        let warning = lines_with(&out, "garbled span left as it is");
        assert_eq!(warning.len(), 1, "{out}");
        assert!(
            warning[0].starts_with("warning: garbled span"),
            "one `warning:` and no `error:`:\n{out}"
        );
        assert!(!out.contains("error:"), "{out}");
        assert!(out.contains("  --> sources/felix-hill.txt:64:"), "{out}");
        let language = lines_with(&out, "the site's language is `zh-Hans`");
        assert_eq!(language.len(), 1, "{out}");
        assert!(
            language[0].starts_with("warning: the site's language"),
            "{out}"
        );
        assert!(out.contains("--> site.toml:"), "{out}");
    }
}
