//! `lectern new DIR`: a small site that builds as it is, to start from.

use std::path::Path;

use crate::error::{fs, Diagnostic, Error, Result};

/// The files of a new site: path and contents.
const FILES: &[(&str, &str)] = &[
    (
        "site.toml",
        r#"# The site's settings. See the lectern README for every key.
title = "A new lectern site"
base_url = "https://example.org/"
description = "Long-form reading, calm and fast."
language = "en"
# Files in templates/ replace the built-in templates of the same name;
# files in static/ are copied to the site as they are.
"#,
    ),
    (
        "content/_index.md",
        r#"+++
title = "Welcome"
+++

This is the home page. Edit `content/_index.md` to change it.

Start reading with [the first chapter](@/chapters/first.md).
"#,
    ),
    (
        "content/chapters/_index.md",
        r#"+++
title = "Chapters"
weight = 1
+++

Each file in this folder is a page; `weight` sets the reading order.
"#,
    ),
    (
        "content/chapters/first.md",
        r#"+++
title = "The first chapter"
weight = 1
+++

## A heading

Text with a footnote.[^1] Links to other pages use their file:
[the second chapter](@/chapters/second.md#a-heading).

[^1]: Footnotes are numbered by first use and link back.
"#,
    ),
    (
        "content/chapters/second.md",
        r#"+++
title = "The second chapter"
weight = 2
+++

## A heading

```rust
fn main() {
    println!("Code is highlighted.");
}
```
"#,
    ),
];

/// Creates a new site in `dir`, which must not exist or be empty.
pub fn new_site(dir: &Path) -> Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
        if entries.next().is_some() {
            return Err(Diagnostic::in_file(dir, "this folder is not empty")
                .with_help("choose a new folder name; lectern never writes over existing files")
                .into());
        }
    }
    for (path, text) in FILES {
        fs::write(&dir.join(path), text.as_bytes())?;
    }
    Ok(())
}
