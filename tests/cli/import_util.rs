//! Helpers shared by the import tests: list generated files, and read the pages'
//! text in reading order the way a reader sees it (pulldown-cmark, ruby text hidden).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Every file under `dir`, by relative path with `/`.
pub fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

fn split(text: &str) -> (toml::Table, &str) {
    let rest = text.strip_prefix("+++\n").expect("front matter");
    let end = rest.find("\n+++\n").expect("end of front matter");
    (
        rest[..end].parse().expect("TOML front matter"),
        &rest[end + 5..],
    )
}

/// Files of a section folder in reading order: `_index.md` (when the import wrote one),
/// then children by (weight, name).
fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    if dir.join("_index.md").is_file() {
        out.push(dir.join("_index.md"));
    }
    let mut children: Vec<(i64, String, std::path::PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let file = if path.is_dir() {
            path.join("_index.md")
        } else {
            path.clone()
        };
        if name == "_index.md" || !file.exists() || !name.ends_with(".md") && !path.is_dir() {
            continue;
        }
        let (fm, _) = split(&std::fs::read_to_string(&file).unwrap()).clone();
        let weight = fm.get("weight").and_then(|w| w.as_integer()).unwrap_or(0);
        children.push((weight, name, path));
    }
    children.sort();
    for (_, _, path) in children {
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The text of the pages in reading order, one line per block; titles that come
/// from the article (`extra.title_from = "article"`) first on their page.
pub fn reading_order_text(content: &Path) -> String {
    let mut files = Vec::new();
    walk(content, &mut files);
    let mut pieces = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let (fm, body) = split(&text);
        let from = fm
            .get("extra")
            .and_then(|e| e.get("title_from"))
            .and_then(|v| v.as_str());
        if from == Some("article") {
            // Titles carry their pinyin as ruby; the reader's text is without it.
            pieces.push(lectern::inline_html::title_parts(fm["title"].as_str().unwrap()).0);
        }
        let mut buf = String::new();
        let mut hidden = 0;
        let options =
            Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
        // lectern's own reading of its ruby syntax (`{學|xué}` → `<ruby>` events).
        let events = lectern::markdown::with_ruby(
            Parser::new_ext(body, options).into_offset_iter().collect(),
            body,
        );
        for (event, _) in events {
            match event {
                Event::Text(t) | Event::Code(t) if hidden == 0 => buf.push_str(&t),
                Event::InlineHtml(h) | Event::Html(h) => match h.as_ref() {
                    "<rt>" | "<rp>" => hidden += 1,
                    "</rt>" | "</rp>" => hidden -= 1,
                    _ => {}
                },
                Event::Start(Tag::Item) => buf.clear(),
                Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)
                    if !buf.is_empty() =>
                {
                    pieces.push(std::mem::take(&mut buf));
                }
                _ => {}
            }
        }
    }
    // Citation markers are not the article's text.
    let joined = pieces.join("\n");
    let marker = regex::Regex::new(r"\[\^[a-z0-9-]+\]").unwrap();
    marker.replace_all(&joined, "").into_owned()
}
