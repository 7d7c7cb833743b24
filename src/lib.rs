//! lectern: a static site generator for memorial and long-form reading pages.
//!
//! The pipeline, one module a stage, data flowing one way:
//! `import` (damaged article → content files) → `content` (files → [`content::Site`])
//! → `markdown` (bodies → HTML fragments) → `render` (Tera → pages) → `output`
//! (pages → an atomically swapped folder). [`build::build`] runs them in order.

#![warn(missing_docs)]

pub mod address;
pub mod allocator;
pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod conversion;
pub mod error;
pub mod escape;
pub mod han;
pub mod import;
pub mod inline_html;
pub mod input;
pub mod language;
pub mod markdown;
pub mod memo;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod toml_spans;

pub use error::{Diagnostic, Error, Location, Result};
