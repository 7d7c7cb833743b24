//! Markdown → HTML: any content file → `markdown::render` on a one-document site
//! built in memory. It renders or reports errors; it never panics, and with raw HTML
//! off no `<script` (or any tag outside the harmless inline ones) reaches the page.
#![no_main]

use std::collections::HashMap;
use std::path::Path;

use lectern::config::{BuildOptions, Settings, SiteConfig};
use lectern::content::{split, DocKind, Document, Site};
use libfuzzer_sys::fuzz_target;

fn settings(unsafe_html: bool, smart: bool) -> Settings {
    let config: SiteConfig = toml::from_str(&format!(
        "title = \"fuzz\"\nbase_url = \"https://example.org/sub/\"\n\
         [markdown]\nunsafe_html = {unsafe_html}\nsmart_punctuation = {smart}\n"
    ))
    .expect("a valid config");
    Settings::from_config(Path::new("/nonexistent"), config, &BuildOptions::default())
        .expect("valid settings")
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let source = Path::new("content/_index.md");
    let Ok(parsed) = split(source, text) else {
        return;
    };
    let doc = Document {
        kind: DocKind::Section,
        source: source.to_path_buf(),
        content_path: "_index.md".into(),
        text: text.to_string(),
        body_offset: parsed.body_offset,
        title: "fuzz".into(),
        title_html: "fuzz".into(),
        front: parsed.front,
        url_path: String::new(),
        parent: None,
        children: Vec::new(),
    };
    let references = doc
        .front
        .references
        .iter()
        .enumerate()
        .map(|(i, entry)| lectern::content::Reference {
            number: i + 1,
            entry: entry.clone(),
            declared_in: 0,
        })
        .collect();
    let site = Site {
        docs: vec![doc],
        root: 0,
        reading_order: vec![0],
        by_content_path: HashMap::from([("_index.md".to_string(), 0)]),
        references,
        assets: Vec::new(),
        images: Default::default(),
    };
    let unsafe_html = flags & 1 != 0;
    let settings = settings(unsafe_html, flags & 2 != 0);
    match lectern::markdown::render(&site, &settings, 0) {
        Ok(rendered) => {
            // Pages list citations found without rendering: they must be the markers
            // rendering writes.
            let pairs = |c: &[lectern::markdown::Citation]| -> Vec<(usize, String)> {
                c.iter().map(|c| (c.number, c.marker_id.clone())).collect()
            };
            assert_eq!(
                pairs(&lectern::markdown::citations(&site, &settings, 0)),
                pairs(&rendered.citations)
            );
            if !unsafe_html {
                let lower = rendered.html.to_ascii_lowercase();
                assert!(!lower.contains("<script"), "{}", rendered.html);
                assert!(!lower.contains("<iframe"), "{}", rendered.html);
                // No address that runs code reaches an attribute (`href`, `src`).
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    for attribute in ["href", "src"] {
                        assert!(
                            !lower.contains(&format!("{attribute}=\"{scheme}")),
                            "{}",
                            rendered.html
                        );
                    }
                }
            }
        }
        Err(error) => {
            let shown = error.to_string();
            assert!(shown.contains("content/_index.md"), "{shown}");
        }
    }
});
