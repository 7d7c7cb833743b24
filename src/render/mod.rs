//! Render: rendered Markdown + the site → complete HTML pages, through Tera.
//!
//! Templates come from the embedded default theme, each replaced by a file of the same
//! name in the site's `templates/`. The parts of the context shared by every page are
//! built once; each page adds only its own (see [`context`]).

pub mod context;
mod endless_templates;
mod errors;
pub mod memorial;
mod nav;
mod pages;
mod relative;
mod strings;
mod templates;
pub mod theme;
mod variable_use;

pub use pages::{single_page_enabled, CrossPageContent, PageWriter};
pub use templates::{Renderer, TemplateSource};
