//! The memorial: importing `sources/felix-hill.txt` gives the committed content.

use std::path::PathBuf;

use lectern::import::{import_article, rule, ImportOptions, ImportReport};

fn import_into(dir: &std::path::Path) -> ImportReport {
    let options = ImportOptions {
        source: PathBuf::from("sources/felix-hill.txt"),
        fixes: Some(PathBuf::from("sources/fixes.toml")),
        into: dir.to_path_buf(),
    };
    import_article(&options).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn prints_report() {
    let dir = tempfile::tempdir().unwrap();
    let report = import_into(dir.path());
    println!("{report}");
    for l in report.clean_lines() {
        println!("{l}");
    }
    println!("{:?}", report.hits(rule::AUTO));
}
