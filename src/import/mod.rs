//! The import: a damaged plain-text article → clean Markdown content files.
