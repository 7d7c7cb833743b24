//! Whether the site an article is imported into is set to the article's language.
//!
//! A site's `language` is its pages' `<html lang>`, which screen readers choose their
//! voice by, and picks the theme's words and the other-script edition. A Chinese
//! article imported into a site left at `language = "en"` (what `lectern new` without
//! `--article` writes) is read aloud with an English voice; a Simplified article in a
//! `zh-Hant` site gets Traditional words around it. The import warns, at the line of
//! `language` in `site.toml`.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::profile::{self, Detected, Written};
use super::structure::Page;
use super::ImportOptions;
use crate::config::{CONFIG_FILE, CONFIG_LIMIT, DEFAULT_LANGUAGE};
use crate::error::{Diagnostic, Location};
use crate::input;
use crate::language::Language;

/// The one key this check reads; the rest of `site.toml` is the build's to check.
#[derive(Deserialize)]
struct LanguageOnly {
    language: Option<Spanned<String>>,
}

/// The warning when the site `options.into` belongs to (the folder holding it) has a
/// `site.toml` whose language is not the one `pages` are clearly written in. No
/// warning when there is no readable `site.toml` (importing into a bare folder), or
/// when the article is too short or too mixed to tell.
pub(crate) fn mismatch(options: &ImportOptions, pages: &[Page]) -> Option<String> {
    let root = options.into.parent().unwrap_or(Path::new(""));
    let path = root.join(CONFIG_FILE);
    let bytes = input::read_file(&path, &path, &CONFIG_LIMIT).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let config: LanguageOnly = toml::from_str(&text).ok()?;
    let tag = config
        .language
        .as_ref()
        .map_or(DEFAULT_LANGUAGE, |l| l.get_ref().as_str());
    // Only now, with a site to compare with, is the article's language worth working out.
    let detected = profile::detect(&profile::reader_text(pages));
    if !detected.is_clear() || suits(tag, &detected) {
        return None;
    }
    let wanted = match detected.written {
        Written::Other => "the article's own, e.g. language = \"en\"".to_string(),
        _ => format!("language = \"{}\"", detected.tag()),
    };
    let article = match detected.written {
        Written::Other => "not Chinese".to_string(),
        _ => format!("{} ({})", detected.describe(), detected.tag()),
    };
    let diagnostic = match &config.language {
        Some(language) => Diagnostic::at(
            Location::from_offset(&path, &text, language.span().start),
            format!(
                "the site's language is `{tag}`, but the article is {article}: its pages \
                 would be read aloud in the wrong language, with the wrong interface words"
            ),
        )
        .with_help(format!(
            "set {wanted} here (`lectern new DIR --article FILE` sets a new site up for its article)"
        )),
        None => Diagnostic::in_file(
            &path,
            format!(
                "site.toml sets no `language`, so the site is `{tag}`, but the article is \
                 {article}: its pages would be read aloud in the wrong language"
            ),
        )
        .with_help(format!("add {wanted} to site.toml")),
    };
    Some(diagnostic.as_warning().trim_end().to_string())
}

/// Whether a site in language `tag` suits an article `detected` to be written in.
fn suits(tag: &str, detected: &Detected) -> bool {
    let language = Language::new(tag);
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match detected.written {
        Written::Chinese(script) => language.chinese_script() == Some(script),
        Written::Japanese => primary == "ja",
        Written::Korean => primary == "ko",
        // lectern cannot tell which language it is; only a CJK site is surely wrong.
        Written::Other => !language.is_chinese() && !matches!(primary.as_str(), "ja" | "ko"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(text: &str) -> Detected {
        profile::detect(&[text.to_string()])
    }

    #[test]
    fn a_site_suits_an_article_in_its_language_and_script() {
        let traditional =
            detected("今天，研究社區發布了一篇長文，回顧了過去一年的變化，我們會繼續前進。");
        assert!(suits("zh-Hant", &traditional));
        assert!(suits("zh-TW", &traditional));
        assert!(suits("zh", &traditional));
        assert!(!suits("zh-Hans", &traditional));
        assert!(!suits("en", &traditional));
        let simplified =
            detected("今天，研究社区发布了一篇长文，回顾了过去一年的变化，我们会继续前进。");
        assert!(suits("zh-CN", &simplified));
        assert!(!suits("zh-Hant", &simplified));
        let english = detected(&"An article in English, long enough to tell. ".repeat(4));
        assert!(suits("en", &english));
        assert!(suits("fr", &english));
        assert!(!suits("zh-Hant", &english));
    }
}
