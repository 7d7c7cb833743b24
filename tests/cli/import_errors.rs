//! Bad input: every problem names the file, and the line and column where it has one.

use std::path::{Path, PathBuf};

use lectern::import::{import_article, rule, ImportOptions};

fn options(dir: &Path, fixes: Option<&str>) -> ImportOptions {
    ImportOptions {
        source: PathBuf::from("sources/felix-hill.txt"),
        fixes: fixes.map(|f| {
            let path = dir.join("fixes.toml");
            std::fs::write(&path, f).unwrap();
            path
        }),
        into: dir.join("content"),
    }
}

#[test]
fn errors_on_a_correction_the_damage_model_does_not_confirm() {
    let dir = tempfile::tempdir().unwrap();
    let fixes =
        "# wrong guess\n[[repairs]]\ngarbled = \"請?zhí)峁┙?jīng)驗\"\ncorrected = \"請給經驗\"\n";
    let err = import_article(&options(dir.path(), Some(fixes)))
        .unwrap_err()
        .to_string();
    assert!(err.contains("fixes.toml:3:11"), "{err}");
    assert!(err.contains("does not explain the garbled text"), "{err}");
    assert!(
        !dir.path().join("content").exists(),
        "nothing is written on error"
    );
}

#[test]
fn errors_on_an_unknown_key_in_the_fixes_file_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let err = import_article(&options(dir.path(), Some("title = \"x\"\nslug = 1\n")))
        .unwrap_err()
        .to_string();
    assert!(err.contains("fixes.toml:2:1"), "{err}");
}

#[test]
fn a_span_with_no_repair_is_marked_and_warned_about_never_silent() {
    let dir = tempfile::tempdir().unwrap();
    let report = import_article(&options(dir.path(), None)).unwrap();
    assert_eq!(report.hits(rule::MARKED), 1);
    assert_eq!(report.hits(rule::AUTO), 2);
    let warning = report
        .warnings()
        .iter()
        .find(|w| w.contains("garbled"))
        .unwrap();
    assert!(warning.contains("sources/felix-hill.txt:64:"), "{warning}");
    let page = std::fs::read_to_string(
        dir.path()
            .join("content/blog/wei-shen-mo-wo-yao-zai-bo-ke-li-qing-su-ya-li.md"),
    )
    .unwrap();
    assert!(page.contains("<mark>?guī)"), "the damage stays visible");
}

#[test]
fn errors_on_a_binary_source_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("photo.jpg");
    std::fs::write(&source, b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00").unwrap();
    let mut opts = options(dir.path(), None);
    opts.source = source;
    let err = import_article(&opts).unwrap_err().to_string();
    assert!(err.contains("photo.jpg") && err.contains("binary"), "{err}");
}

/// The importer never writes a file the build would refuse: an article of 4.7 MB (under
/// the 8 MB an article may be) of web addresses each followed by a character with an
/// inline pinyin reading makes a home page of over 16 MB, the most a content file may
/// be (after an address the reading is written as `<ruby>` markup, since a `{` there
/// would be the address's: 55 bytes for every 15 of the article). The import fails
/// naming the article and the section, and writes nothing.
#[test]
fn errors_on_an_article_that_would_make_a_content_file_the_build_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let line = format!("{}。\n", "http://發(fā)".repeat(40));
    let article = line.repeat(4_700_000 / line.len());
    assert!(article.len() as u64 <= lectern::import::MAX_ARTICLE_BYTES);
    let source = dir.path().join("long.txt");
    std::fs::write(&source, &article).unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    std::fs::write(content.join("mine.md"), "+++\ntitle = \"Mine\"\n+++\n").unwrap();
    let opts = ImportOptions {
        source,
        fixes: None,
        into: content.clone(),
    };
    let err = import_article(&opts).unwrap_err().to_string();
    assert!(err.contains("long.txt"), "{err}");
    assert!(err.contains("_index.md"), "{err}");
    assert!(err.contains("at most 16 MB"), "{err}");
    assert!(err.contains("split the article"), "{err}");
    let left: Vec<_> = std::fs::read_dir(&content)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["mine.md"], "nothing is written");
}
