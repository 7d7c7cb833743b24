//! lectern: a static site generator for memorial and long-form reading pages.
//!
//! The pipeline, one module a stage, data flowing one way:
//! `import` (damaged article → content files) → `content` (files → [`content::Site`])
//! → `markdown` (bodies → HTML fragments) → `render` (Tera → pages) → `output`
//! (pages → an atomically swapped folder). [`build::build`] runs them in order.

#![warn(missing_docs)]

pub(crate) mod address;
pub mod allocator;
pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub(crate) mod conversion;
pub mod error;
pub(crate) mod escape;
pub(crate) mod han;
pub(crate) mod images;
pub mod import;
pub mod inline_html;
pub(crate) mod input;
pub(crate) mod language;
pub mod markdown;
pub(crate) mod memo;
pub(crate) mod output;
pub(crate) mod render;
pub(crate) mod ruby;
pub mod scaffold;
pub mod serve;
pub(crate) mod toml_spans;

pub use error::{Diagnostic, Error, Location, Result};
