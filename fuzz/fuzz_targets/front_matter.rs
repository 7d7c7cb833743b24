//! Front matter: any file text → `content::split` returns a front matter or an error
//! that names the file with a line inside the text; it never panics.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("content/fuzz.md");
    match lectern::content::split(path, text) {
        Ok(split) => {
            // The body starts on a character boundary inside the text.
            assert!(split.body_offset <= text.len());
            assert!(text.is_char_boundary(split.body_offset));
        }
        Err(error) => {
            let shown = error.to_string();
            assert!(shown.contains("content/fuzz.md"), "{shown}");
            for d in error.diagnostics() {
                if let Some(loc) = &d.location {
                    assert!(loc.line >= 1 && loc.column >= 1);
                    assert!(loc.line <= text.lines().count().max(1) + 1, "{shown}");
                }
            }
        }
    }
});
