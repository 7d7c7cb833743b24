//! Tiny sites for unit tests of any stage, in one line:
//! `let (site, settings) = Site::for_test(&[("_index.md", "# Hi")]);`.
//!
//! The files go through the real loader (front matter, URL paths, reading order,
//! numbered references), so a test sees exactly the `Site` a build of those files would.

use std::path::Path;

use super::{load_site, Site};
use crate::config::{BuildOptions, Settings, CONFIG_FILE};

impl Site {
    /// The site of these content files (paths under `content/`, each Markdown with or
    /// without front matter; no `_index.md` gives the implicit home page), with the
    /// settings of a `site.toml` that holds only a title and
    /// `base_url = "https://example.org/"`.
    pub fn for_test(files: &[(&str, &str)]) -> (Site, Settings) {
        Site::for_test_with("", files)
    }

    /// [`Site::for_test`] with more of `site.toml`, e.g. `"[markdown]\nunsafe_html =
    /// true"`; a `title` or `base_url` given here replaces the default one.
    ///
    /// The site is loaded from a temporary folder that is gone when this returns: the
    /// `Site` holds every file's text, and `settings.root` points nowhere.
    ///
    /// Panics with the loader's message if the files or settings do not load.
    pub fn for_test_with(site_toml: &str, files: &[(&str, &str)]) -> (Site, Settings) {
        let mut config: toml::Table = site_toml.parse().expect("site_toml is TOML");
        config.entry("title").or_insert("Test".into());
        config
            .entry("base_url")
            .or_insert("https://example.org/".into());
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        write(root, CONFIG_FILE, &config.to_string());
        for (path, text) in files {
            write(root, &format!("content/{path}"), text);
        }
        // The content folder exists even for a site of no files.
        std::fs::create_dir_all(root.join("content")).expect("content/");
        let settings = Settings::load(root, &BuildOptions::default())
            .unwrap_or_else(|e| panic!("the test's settings do not load:\n{e}"));
        let site =
            load_site(&settings).unwrap_or_else(|e| panic!("the test's site does not load:\n{e}"));
        (site, settings)
    }
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).expect("a folder in the test site");
    }
    std::fs::write(&path, text).expect("a file in the test site");
}

mod tests {
    use super::*;

    #[test]
    fn a_one_line_site_is_loaded_as_a_build_loads_it() {
        let (site, settings) = Site::for_test(&[
            ("blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n"),
            ("blog/b.md", "+++\nweight = 2\n+++\nB"),
            ("blog/a.md", "+++\nweight = 1\n+++\nA"),
        ]);
        let order: Vec<&str> = site
            .reading_order
            .iter()
            .map(|&id| site.docs[id].content_path.as_str())
            .collect();
        assert_eq!(
            order,
            ["_index.md", "blog/_index.md", "blog/a.md", "blog/b.md"]
        );
        assert_eq!(
            site.docs[site.by_content_path["blog/b.md"]].url_path,
            "blog/b/"
        );
        assert_eq!(settings.base_path, "/");
    }

    #[test]
    fn more_of_site_toml_replaces_the_defaults() {
        let (_, settings) = Site::for_test_with(
            "base_url = \"https://example.org/repo/\"\n[markdown]\nunsafe_html = true",
            &[],
        );
        assert_eq!(settings.base_path, "/repo/");
        assert!(settings.config.markdown.unsafe_html);
        assert_eq!(settings.config.title, "Test");
    }
}
