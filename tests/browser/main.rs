//! lectern's pages read in a real headless Chromium: the reading page (`reader`), every
//! page's HTML and accessibility (`site`), the two script editions (`editions`), live
//! reload (`serve_reload`), the tributes page (`tributes`) and a page of photos on a
//! phone (`photos`). The harness (`harness`,
//! `serve`, `fixture`, `vnu`) is described in `tests/browser/README.md`.
//!
//! Needs `chromium` and `chromedriver` (and `java`, `node`); the checkers of `tests/js` are
//! installed with `npm ci` the first time a test needs them (`harness::Tools::require`).
//! Without them each test prints a `SKIPPED` line and passes, except under `CI=true`,
//! where it fails.

#[path = "../tributes_site/mod.rs"]
mod tributes_site;
#[path = "../util/mod.rs"]
mod util;

mod fixture;
mod harness;
mod html_validate;
mod serve;
mod vnu;

mod editions;
mod photos;
mod reader;
mod serve_reload;
mod site;
mod tributes;
