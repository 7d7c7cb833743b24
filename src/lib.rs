//! lectern: a static site generator for memorial and long-form reading pages.
//!
//! The pipeline, one module a stage, data flowing one way:
//! `import` (damaged article → content files) → `content` (files → [`content::Site`])
//! → `markdown` (bodies → HTML fragments) → `render` (Tera → pages) → `output`
//! (pages → an atomically swapped folder). `serve` and `check` drive the same stages.

#![warn(missing_docs)]

pub mod config;
pub mod error;
pub mod import;

pub use error::{Diagnostic, Error, Location, Result};
