//! Generated files as a person meets them: readable ruby, warnings that say
//! `warning:` once, and no absolute path recorded in a file that is published with the
//! site.

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

#[test]
fn generated_files_never_record_an_absolute_path() {
    let site = TestSite::with(&[]);
    let elsewhere = tempfile::tempdir().unwrap();
    let article = elsewhere.path().join("article.txt");
    let memorial = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sources/felix-hill.txt"
    ))
    .unwrap();
    std::fs::write(&article, &memorial).unwrap();
    // Outside the site, given by an absolute path: the file name alone.
    site.run(&["import", article.to_str().unwrap(), "--into", "content"])
        .ok();
    let outside = elsewhere.path().to_str().unwrap();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(site.path("content"))
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(text.contains("\nsource = \"article.txt\"\n"), "{text}");
            assert!(!text.contains(outside), "{text}");
            checked += 1;
        }
    }
    assert!(checked > 1);
    // Inside the site, given by an absolute path (with `..` in it): relative to the site.
    site.write_bytes("sources/a.txt", &memorial);
    let absolute = site.path("sources/../sources/a.txt");
    std::fs::remove_dir_all(site.path("content")).unwrap();
    site.run(&[
        "import",
        absolute.to_str().unwrap(),
        "--into",
        site.path("content").to_str().unwrap(),
    ])
    .ok();
    let home = site.read("content/_index.md");
    assert!(home.contains("\nsource = \"sources/a.txt\"\n"), "{home}");
    // And from another folder, by a relative path that leaves it: still the site's.
    std::fs::remove_dir_all(site.path("content")).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["import", "../sources/a.txt", "--into", "../content"])
        .current_dir(site.path("sources"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let home = site.read("content/_index.md");
    assert!(home.contains("\nsource = \"sources/a.txt\"\n"), "{home}");
}
