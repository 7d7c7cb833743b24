//! Property tests, through the library (in process, so a panic is caught and shown):
//! - any text imported and built comes back in the pages' text, as the importer's
//!   report says it reads after its named rules (`clean_lines`);
//! - any small content tree either builds or fails with an error; never a panic.
//!
//! Case counts are modest so `cargo test` stays fast.

use std::panic::AssertUnwindSafe;
use std::path::Path;

use lectern::config::{BuildOptions, Settings};
use lectern::import::{import_article, ImportOptions};
use proptest::prelude::*;

/// Characters that stress the importer's escaping: Markdown and HTML syntax, Chinese
/// text and punctuation, Latin words, digits.
fn line() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        4 => "[一-龥]{1,6}",
        2 => "[a-zA-Z]{1,8}",
        1 => "[0-9]{1,3}",
        2 => Just(" ".to_string()),
        3 => prop::sample::select(vec![
            "*", "_", "[", "]", "(", ")", "<", ">", "&", "#", "|", "~", "`", "\\", "{", "}",
            "$", "!", "-", "+", "=", ".", ",", ":", ";", "?", "\"", "'", "。", "，", "「", "」",
            "<script>", "</script>", "<sup>", "&amp;", "&lt;", "***", "---", "1.", "> ", "+++",
            "[^1]", "](x)", "<!--", "-->", "    ",
        ])
        .prop_map(str::to_string),
    ];
    prop::collection::vec(pieces, 1..12).prop_map(|p| p.concat())
}

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 1..8).prop_map(|lines| lines.join("\n\n"))
}

/// The text a reader sees in an HTML page: tags removed, entities decoded.
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn pages_text(dir: &Path) -> String {
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_name() == "index.html" && !entry.path().starts_with(dir.join("all")) {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            // Only the article body: the navigation repeats titles in other shapes.
            let body = html
                .split_once("<main")
                .map_or(html.as_str(), |(_, rest)| rest);
            text.push_str(&visible_text(body));
            text.push('\n');
        }
    }
    text
}

fn build(root: &Path) -> lectern::Result<lectern::build::BuildSummary> {
    let settings = Settings::load(root, &BuildOptions::default())?;
    lectern::build::build(&settings)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn imported_text_comes_back_in_the_pages(text in article()) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.toml"), "title = \"P\"\nbase_url = \"https://example.org/\"\n").unwrap();
        std::fs::create_dir_all(root.join("sources")).unwrap();
        std::fs::write(root.join("sources/article.txt"), &text).unwrap();
        let report = import_article(&ImportOptions {
            source: root.join("sources/article.txt"),
            fixes: None,
            into: root.join("content"),
        });
        let report = match report {
            Ok(report) => report,
            // Refusing is allowed (say, control characters); panicking is not.
            Err(e) => { prop_assert!(!e.to_string().is_empty()); return Ok(()); }
        };
        let built = std::panic::catch_unwind(AssertUnwindSafe(|| build(root)));
        let built = built.map_err(|_| TestCaseError::fail("the build panicked"))?;
        if let Err(e) = built {
            return Err(TestCaseError::fail(format!("imported content did not build:\n{e}\n---\n{text}")));
        }
        let pages = pages_text(&root.join("public"));
        for line in report.clean_lines() {
            prop_assert!(
                pages.contains(line.as_str()),
                "the line {:?} is not in the pages' text\n--- article:\n{}\n--- pages:\n{}",
                line, text, pages
            );
        }
    }
}

/// A front matter line: sometimes valid, sometimes not.
fn front_line() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "title = \"T\"",
        "title = \"<b>x</b>\"",
        "title = 3",
        "weight = 2",
        "weight = -9223372036854775808",
        "weight = \"x\"",
        "draft = true",
        "slug = \"same\"",
        "slug = \"..\"",
        "slug = \"a/b\"",
        "slug = \"\"",
        "path = \"/\"",
        "path = \"x/../../y\"",
        "path = \"deep/er\"",
        "path = \"C:\\\\x\"",
        "template = \"nope.html\"",
        "template = \"page.html\"",
        "date = 2024-10-01",
        "date = \"soon\"",
        "wieght = 1",
        "[extra]\nx = 1",
        "[[references]]\nid = \"r\"\ntitle = \"R\"\nurl = \"https://r.example/\"",
        "= =",
    ])
    .prop_map(str::to_string)
}

fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "Text.",
            "## Heading",
            "[^r]",
            "[^1]\n\n[^1]: note",
            "[a](@/a.md)",
            "[b](@/b.md#heading)",
            "[x](missing.md)",
            "```rust\nfn x() {}\n```",
            "> quote",
            "- item",
            "<script>x</script>",
            "| a |\n|---|\n| 1 |",
            "![i](/i.png)",
            "\u{0}",
            "+++",
        ])
        .prop_map(str::to_string),
        0..5,
    )
    .prop_map(|parts| parts.join("\n\n"))
}

/// A temporary site: a minimal `site.toml` and `files` (path under `content/`, text).
fn content_tree(files: &[(String, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("site.toml"),
        "title = \"P\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    for (name, text) in files {
        let path = root.join("content").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn file() -> impl Strategy<Value = (String, String)> {
    let name = prop::sample::select(vec![
        "_index.md",
        "a.md",
        "b.md",
        "s/_index.md",
        "s/c.md",
        "s/t/_index.md",
        "s/t/d.md",
        "無處可逃.md",
        "。.md",
        "x.txt",
    ]);
    let front = prop::option::of(prop::collection::vec(front_line(), 0..4));
    (name, front, body()).prop_map(|(name, front, body)| {
        let text = match front {
            Some(lines) => format!("+++\n{}\n+++\n{body}\n", lines.join("\n")),
            None => format!("{body}\n"),
        };
        (name.to_string(), text)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_content_tree_builds_or_fails_with_an_error(files in prop::collection::vec(file(), 0..6)) {
        let dir = content_tree(&files);
        let root = dir.path();
        let built = std::panic::catch_unwind(AssertUnwindSafe(|| build(root)));
        let built = built.map_err(|_| TestCaseError::fail(format!("the build panicked on {files:?}")))?;
        match built {
            Ok(_) => prop_assert!(root.join("public/index.html").is_file()),
            Err(e) => {
                let shown = e.to_string();
                prop_assert!(shown.contains("error"), "{}", shown);
                prop_assert!(!root.join("public").exists(), "a failed build wrote output");
            }
        }
        // Nothing was written beside the site's own folders.
        for entry in std::fs::read_dir(root).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            prop_assert!(["site.toml", "content", "public", ".lectern"].contains(&name.as_str()), "{}", name);
        }
    }
}

/// Bodies that cite, or seem to cite, the references `r` and `s`.
fn citing_body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "Text[^r].",
            "[^s][^r][^r]",
            "`[^r]` in code",
            "```\n[^s]\n```",
            "    [^r] indented code",
            "\\[^r] escaped",
            "<!-- [^s] -->",
            "[^r]: its own note",
            "[^n]\n\n[^n]: see [^s]",
            "> quoted[^s]",
            "- item[^r]",
            "| a[^r] |\n|---|\n| [^s] |",
            "[^R] another case",
            "## Heading[^r]",
            "[link[^s]](https://example.org/)",
        ])
        .prop_map(str::to_string),
        0..6,
    )
    .prop_map(|parts| parts.join("\n\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Pages list where each reference is cited before any page is rendered
    /// (`markdown::citations`); those must be exactly the markers rendering writes.
    #[test]
    fn citations_found_without_rendering_are_the_ones_rendering_writes(bodies in prop::collection::vec(citing_body(), 1..4)) {
        let declared = "[[references]]\nid = \"r\"\ntitle = \"R\"\nurl = \"https://r.example/\"\n\n[[references]]\nid = \"s\"\ntitle = \"S\"\nurl = \"https://s.example/\"\n";
        let mut files = vec![("_index.md".to_string(), format!("+++\ntitle = \"H\"\n{declared}+++\n{}\n", bodies[0]))];
        for (i, body) in bodies.iter().enumerate().skip(1) {
            files.push((format!("p{i}.md"), format!("+++\ntitle = \"P{i}\"\n+++\n{body}\n")));
        }
        let dir = content_tree(&files);
        let root = dir.path();
        let settings = Settings::load(root, &BuildOptions::default()).unwrap();
        let site = lectern::content::load_site(&settings).unwrap();
        for id in 0..site.docs.len() {
            let Ok(rendered) = lectern::markdown::render(&site, &settings, id) else {
                continue;
            };
            let found: Vec<(usize, String)> = lectern::markdown::citations(&site, &settings, id)
                .into_iter()
                .map(|c| (c.number, c.marker_id))
                .collect();
            let written: Vec<(usize, String)> = rendered
                .citations
                .into_iter()
                .map(|c| (c.number, c.marker_id))
                .collect();
            prop_assert_eq!(found, written, "in {}", site.docs[id].content_path);
        }
    }
}
