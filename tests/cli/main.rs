//! lectern as its users run it, without a browser: the real binary (or the library, for
//! property tests) on real sites in temp folders, one module per topic. One test binary,
//! so the helpers are compiled and linked once.
//!
//! Run one topic with `cargo test --test cli output_folder::`.

#[path = "../tributes_site/mod.rs"]
mod tributes_site;
#[path = "../util/mod.rs"]
mod util;

mod import_util;
mod links;

mod architecture;
mod bad_input;
mod check;
mod editions;
mod engine;
mod errors;
mod help;
mod hostile_files;
mod import_constructed;
mod import_edits;
mod import_errors;
mod import_memorial;
mod memorial;
mod new_site;
mod output_folder;
mod photos;
mod portrait;
mod properties;
mod readme;
mod readme_commands;
mod serve;
mod serve_load;
mod tribute_issues;
mod tributes;
mod zola_habits;
