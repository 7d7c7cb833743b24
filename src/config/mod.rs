//! `site.toml`: parsed once, validated (unknown keys are errors with a suggestion),
//! and settled with the command line's overrides into [`Settings`] before any stage runs.
//! The schema (`schema`), its checks (`validate`), `base_url` (`base_url`) and the
//! settled settings (`settings`) each have a file.

use crate::input::Limit;

/// The name of the configuration file at the site root.
pub(crate) const CONFIG_FILE: &str = "site.toml";

/// The `language` of a site whose `site.toml` does not set one: the memorial's.
pub(crate) const DEFAULT_LANGUAGE: &str = "zh-Hant";

/// The most of `site.toml` lectern reads: a site's settings are a few kilobytes.
pub(crate) const CONFIG_LIMIT: Limit = Limit {
    bytes: 1024 * 1024,
    what: "site.toml",
    help: "site.toml holds settings; put text into content/",
};

mod base_url;
mod editions;
mod help;
mod schema;
mod settings;
mod validate;

pub(crate) use base_url::base_path_of;
#[cfg(test)]
use base_url::parse_base_url;
pub(crate) use editions::edition_tables;
pub use schema::{
    ArticleConfig, EditionConfig, HelpConfig, HelpResource, MarkdownConfig, PersonConfig,
    ReadingConfig, SiteConfig,
};
pub use settings::{BuildOptions, Edition, Settings};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Result;
    use base_url::EXAMPLE_BASE_URL;

    #[test]
    fn base_path_keeps_the_project_path() {
        assert_eq!(base_path_of("https://u.github.io/repo").unwrap(), "/repo/");
        assert_eq!(base_path_of("https://example.org").unwrap(), "/");
        assert_eq!(
            base_path_of("https://example.org/%E6%96%87/").unwrap(),
            "/%E6%96%87/"
        );
        assert!(base_path_of("/sub/").is_err());
        assert!(base_path_of("example.org").is_err());
        assert!(base_path_of("ftp://x/").is_err());
    }

    #[test]
    fn base_url_is_an_absolute_web_address_with_a_host() {
        assert_eq!(
            parse_base_url("https://U.github.io/repo").unwrap(),
            (
                "https://u.github.io/repo/".to_string(),
                "/repo/".to_string()
            )
        );
        for bad in [
            "//evil.example/",
            "https://example.org/\"+alert(1)+\"",
            "https://exa mple.org/",
            "https://exa<mple.org/",
            "https://",
            "https://user:pw@example.org/",
            "https://example.org/?q",
            "javascript:alert(1)",
            "/a\u{1b}b/",
            "/",
            "/repo/",
            "",
            "mailto:a@example.org",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_base_url_that_is_not_whole_is_refused_with_the_whole_form() {
        for (raw, suggested) in [
            ("/repo/", "https://example.org/repo/"),
            ("/repo", "https://example.org/repo/"),
            ("/", "https://example.org/"),
            ("//example.com/x/", "https://example.com/x/"),
            ("example.org", "https://example.org/"),
            ("user.github.io/repo", "https://user.github.io/repo/"),
            ("ftp://example.org/", EXAMPLE_BASE_URL),
            ("localhost:1111", EXAMPLE_BASE_URL),
        ] {
            let bad = parse_base_url(raw).unwrap_err();
            assert!(bad.message.contains(&format!("`{raw}`")), "{raw}: {bad:?}");
            assert_eq!(bad.suggestion, suggested, "{raw}");
        }
        assert!(parse_base_url("/repo/")
            .unwrap_err()
            .message
            .contains("is a path, not an address"));
    }

    /// The keys every site.toml has, on lines 1 and 2.
    const BASE: &str = "title = \"T\"\nbase_url = \"https://example.org/\"\n";

    fn load(text: &str) -> Result<SiteConfig> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        SiteConfig::load(dir.path())
    }

    #[test]
    fn cname_must_be_a_bare_domain_and_is_reported_at_its_line() {
        for bad in [
            "evil.com/x",
            "a b.com",
            "https://x.org",
            "-x.org",
            "x-.org",
            "x.org:8080",
            "localhost",
            "x..org",
            "x.org.",
            "\u{e9}t\u{e9}.fr",
            "x.org\\nEvil: header",
        ] {
            let err = load(&format!("{BASE}\ncname = \"{bad}\"\n"))
                .unwrap_err()
                .to_string();
            assert!(err.contains("site.toml:4:10"), "{bad}: {err}");
            assert!(err.contains("is not a domain name"), "{bad}: {err}");
        }
        let long = format!("{}.org", "a".repeat(64));
        let err = load(&format!("{BASE}cname = \"{long}\"\n")).unwrap_err();
        assert!(err.to_string().contains("1 to 63"), "{err}");
        for good in ["memorial.example.org", "x.org", "a-b.C0.example"] {
            load(&format!("{BASE}cname = \"{good}\"\n")).unwrap_or_else(|e| panic!("{good}: {e}"));
        }
    }

    #[test]
    fn article_paths_must_stay_inside_the_site() {
        for (key, value) in [
            ("source", "/dev/zero"),
            ("source", "../../etc/passwd"),
            ("fixes", "/etc/passwd"),
            ("into", "/tmp"),
            ("into", "content/../.."),
        ] {
            let before = if key == "source" {
                ""
            } else {
                "source = \"sources/a.txt\"\n"
            };
            // A key of the same name in a comment or another table misleads nothing.
            let text = format!(
                "{BASE}[extra]\n{key} = \"{value}\"\n[article]\n# {key} = \"{value}\"\n{before}{key} = \"{value}\"\n"
            );
            let err = load(&text).unwrap_err().to_string();
            assert!(err.contains(&format!("{key} `{value}`")), "{err}");
            assert!(err.contains("not a path inside the site"), "{err}");
            let line = if key == "source" { 7 } else { 8 };
            let column = key.len() + 5;
            assert!(err.contains(&format!("site.toml:{line}:{column}")), "{err}");
        }
    }

    #[test]
    fn article_paths_may_not_lead_out_of_the_site_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sources")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("sources/a.txt")).unwrap();
        let text = format!("{BASE}[article]\nsource = \"sources/a.txt\"\n");
        std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        let err = SiteConfig::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("site.toml:4:11"), "{err}");
        assert!(
            err.contains("sources/a.txt is a symbolic link to /etc/passwd, outside the site"),
            "{err}"
        );
    }

    #[test]
    fn site_toml_that_is_a_fifo_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = std::ffi::CString::new(dir.path().join(CONFIG_FILE).to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0);
        let err = SiteConfig::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("site.toml is a FIFO"), "{err}");
    }

    #[test]
    fn unknown_key_suggests_the_nearest() {
        let err = load("titel = \"x\"\n").unwrap_err().to_string();
        assert!(err.contains("unknown field `titel`"), "{err}");
        assert!(err.contains("did you mean `title`?"), "{err}");
        assert!(err.contains("site.toml:1:1"), "{err}");
    }

    #[test]
    fn base_url_is_required_and_checked_at_its_value() {
        let err = load("title = \"T\"\n").unwrap_err().to_string();
        assert!(err.contains("site.toml has no `base_url`"), "{err}");
        let err = load("title = \"T\"\n# base_url = \"/x/\"\nbase_url = '/repo/'\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("site.toml:3:13"), "{err}");
        assert!(
            err.contains("base_url = \"https://example.org/repo/\""),
            "{err}"
        );
    }

    #[test]
    fn an_edition_is_blamed_at_its_own_value() {
        let text = format!(
            "{BASE}[[editions]]\nlanguage = \"zh-Hans\"\npath = \"zh-hans\"\n[[editions]]\nlanguage = \"zh-Hans\"\npath = \"Zh Hans\"\n[[editions]]\npath = \"ok\"\nlanguage = \"fr\"\n"
        );
        let err = load(&text).unwrap_err().to_string();
        assert!(err.contains("site.toml:8:9"), "{err}");
        let err = load(&text.replace("Zh Hans", "zh-hant"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot convert"), "{err}");
        assert!(err.contains("site.toml:11:13"), "{err}");
    }
}
