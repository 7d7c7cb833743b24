//! The importer: any bytes as a raw article → content files, or an error that names
//! the article; never a panic, never a file outside the folder it imports into.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use lectern::import::{import_article, ImportOptions};
use libfuzzer_sys::fuzz_target;

/// One scratch folder for the whole run (on a RAM disk when there is one).
fn scratch() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = std::path::Path::new("/dev/shm");
        if shm.is_dir() {
            tempfile::tempdir_in(shm).expect("temp dir")
        } else {
            tempfile::tempdir().expect("temp dir")
        }
    })
}

/// Every file under `dir` with its bytes, sorted.
fn files_under(dir: &std::path::Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read");
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

fuzz_target!(|data: &[u8]| {
    let root = scratch().path();
    let source: PathBuf = root.join("article.txt");
    let into = root.join("site").join("content");
    let _ = std::fs::remove_dir_all(root.join("site"));
    std::fs::write(&source, data).expect("write the article");
    let options = ImportOptions {
        source: source.clone(),
        fixes: None,
        into: into.clone(),
    };
    match import_article(&options) {
        Ok(_) => {
            // Everything written is inside `into`, and parses as content.
            let first = files_under(&root.join("site"));
            for (path, bytes) in &first {
                assert!(path.starts_with(&into), "{}", path.display());
                let text = std::str::from_utf8(bytes).expect("written as UTF-8");
                lectern::content::split(path, text)
                    .unwrap_or_else(|e| panic!("the importer wrote bad front matter: {e}"));
            }
            // Running it again changes nothing (it owns what it wrote).
            import_article(&options).expect("a re-import succeeds");
            assert!(
                first == files_under(&root.join("site")),
                "a re-import changed files"
            );
        }
        Err(error) => {
            let shown = error.to_string();
            assert!(shown.contains("article.txt"), "{shown}");
        }
    }
    // Nothing but the article and the site folder in the scratch root.
    for entry in std::fs::read_dir(root).expect("read scratch") {
        let name = entry.expect("entry").file_name();
        assert!(name == "article.txt" || name == "site", "{name:?}");
    }
});
