//! Script conversion between Traditional and Simplified Chinese, for the extra editions
//! a site may publish (`[[editions]]`). The OpenCC tables (ferrous-opencc, pure Rust,
//! Apache-2.0) convert phrase by phrase, so `充斥著` becomes `充斥着` while `顯著` keeps
//! its `著`, and 「」 quotes stay as they are.

use std::path::Path;
use std::sync::LazyLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;
use serde::Deserialize;

use crate::config::{Settings, CONFIG_FILE, CONFIG_LIMIT};
use crate::error::{Diagnostic, Error, Location, Result};
use crate::language::{ChineseScript, Language};

/// A direction of conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// Traditional → Simplified.
    ToSimplified,
    /// Simplified → Traditional.
    ToTraditional,
}

// Taiwan-standard tables: plain T2s leaves `著` alone in `充斥著`, `意味著`; the Taiwan
// tables know those phrases. Vocabulary is not changed (that would be `Tw2sp`).
// Loaded once per process, on first use; when loading fails, why (the build reports it,
// see [`edition_tables`]).
static TO_SIMPLIFIED: LazyLock<Result<OpenCC, String>> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::Tw2s).map_err(|e| e.to_string()));
static TO_TRADITIONAL: LazyLock<Result<OpenCC, String>> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::S2tw).map_err(|e| e.to_string()));

/// Loads the tables edition `index` of the site converts its text with. When they cannot
/// be loaded the edition is not built: it would be published in the source's script
/// under the other script's name. The error points at the edition in `site.toml`.
pub fn edition_tables(settings: &Settings, index: usize) -> Result<()> {
    let languages = (
        &settings.editions[0].language,
        &settings.editions[index].language,
    );
    let Some(conversion) = Conversion::between(languages.0, languages.1) else {
        return Ok(());
    };
    let loaded = conversion
        .tables()
        .as_ref()
        .map(|_| ())
        .map_err(String::as_str);
    tables_loaded(loaded, settings, index)
}

/// What loading edition `index`'s tables came to, as the build sees it: nothing, or an
/// [`Error::ConversionTables`] that names the edition's entry in `site.toml`.
fn tables_loaded(loaded: Result<(), &str>, settings: &Settings, index: usize) -> Result<()> {
    let cause = match loaded {
        Ok(()) => return Ok(()),
        Err(cause) => cause,
    };
    let edition = &settings.editions[index];
    let message = format!(
        "lectern cannot load the tables that convert text into `{}` ({cause}), so it cannot \
         write this edition: it would be published in the source's script",
        edition.language,
    );
    let diagnostic = match edition_location(&settings.root, index) {
        Some(location) => Diagnostic::at(location, message),
        None => Diagnostic::in_file(Path::new(CONFIG_FILE), message),
    }
    .with_help(format!(
        "this is a fault in lectern, not in the site: please report it; to build the site \
         meanwhile, remove the `[[editions]]` entry with path = \"{}\"",
        edition.prefix.trim_end_matches('/'),
    ));
    Err(Error::ConversionTables {
        diagnostic: Box::new(diagnostic),
        cause: cause.to_string(),
    })
}

/// Where edition `index` (1 for the first `[[editions]]` entry) sets its language in
/// the site's `site.toml`, from the TOML parser's spans; `None` when the file cannot
/// be read again.
fn edition_location(root: &Path, index: usize) -> Option<Location> {
    #[derive(Deserialize)]
    struct Site {
        #[serde(default)]
        editions: Vec<Edition>,
    }
    #[derive(Deserialize)]
    struct Edition {
        language: toml::Spanned<String>,
    }
    let shown = Path::new(CONFIG_FILE);
    let bytes = crate::input::read_in_site(root, shown, &CONFIG_LIMIT).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let site: Site = toml::from_str(&text).ok()?;
    let span = site.editions.get(index.checked_sub(1)?)?.language.span();
    Some(Location::from_offset(shown, &text, span.start))
}

/// The conversion that writes text in `language`'s script; `None` for a language that
/// is not Chinese.
fn script_of(language: &str) -> Option<Conversion> {
    Some(match Language::new(language).chinese_script()? {
        ChineseScript::Simplified => Conversion::ToSimplified,
        ChineseScript::Traditional => Conversion::ToTraditional,
    })
}

impl Conversion {
    /// The conversion from one language's script to another's, if both are Chinese and
    /// the scripts differ.
    pub fn between(from: &str, to: &str) -> Option<Conversion> {
        let (from, to) = (script_of(from)?, script_of(to)?);
        (from != to).then_some(to)
    }

    /// Converts `text`; Latin letters, digits, punctuation and markup pass through.
    pub fn convert(self, text: &str) -> String {
        if !text.chars().any(|c| c as u32 >= 0x2E80) {
            return text.to_string();
        }
        // The build stops before converting anything when the tables did not load
        // (see [`edition_tables`]).
        let Ok(converter) = self.tables() else {
            return text.to_string();
        };
        match self {
            // A `么` in Traditional text is the Simplified `麼` left unconverted (as in
            // 什么); the Taiwan tables would read it as `幺`.
            Conversion::ToSimplified if text.contains('么') => {
                converter.convert(&text.replace('么', "麼"))
            }
            _ => converter.convert(text),
        }
    }

    /// This direction's tables, loaded on first use.
    fn tables(self) -> &'static Result<OpenCC, String> {
        match self {
            Conversion::ToSimplified => &TO_SIMPLIFIED,
            Conversion::ToTraditional => &TO_TRADITIONAL,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_phrases_to_simplified_and_keeps_quotes_and_latin() {
        let c = Conversion::ToSimplified;
        assert_eq!(c.convert("談論"), "谈论");
        assert_eq!(c.convert("什麼"), "什么");
        assert_eq!(c.convert("什么"), "什么");
        assert_eq!(c.convert("充斥著"), "充斥着");
        assert_eq!(c.convert("意味著"), "意味着");
        assert_eq!(c.convert("顯著"), "显著");
        assert_eq!(c.convert("「再見，菲利克斯！」"), "「再见，菲利克斯！」");
        assert_eq!(
            c.convert("Google DeepMind 2024 https://x.com/a"),
            "Google DeepMind 2024 https://x.com/a"
        );
    }

    /// A site with a Simplified edition, in a temporary folder.
    fn site_with_edition() -> (tempfile::TempDir, Settings) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("site.toml"),
            "title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"zh-Hant\"\n\n\
             [[editions]]\npath = \"zh-hans\"\nlanguage = \"zh-Hans\"\n",
        )
        .expect("write site.toml");
        let settings = Settings::load(dir.path(), &crate::config::BuildOptions::default())
            .expect("valid site");
        (dir, settings)
    }

    #[test]
    fn tables_that_fail_to_load_stop_the_build_at_the_edition_in_site_toml() {
        let (_dir, settings) = site_with_edition();
        let error = tables_loaded(Err("FST error: truncated table"), &settings, 1)
            .expect_err("the edition cannot be built");
        let Error::ConversionTables { cause, .. } = &error else {
            panic!("not a ConversionTables error: {error:?}");
        };
        assert_eq!(cause, "FST error: truncated table");
        let shown = error.to_string();
        for expected in [
            "cannot load the tables that convert text into `zh-Hans`",
            "FST error: truncated table",
            "--> site.toml:7:12",
            "7 | language = \"zh-Hans\"",
            "remove the `[[editions]]` entry with path = \"zh-hans\"",
        ] {
            assert!(
                shown.contains(expected),
                "missing {expected:?} in:\n{shown}"
            );
        }
        assert_eq!(error.diagnostics().len(), 1);
    }

    #[test]
    fn tables_that_load_let_the_edition_be_built() {
        let (_dir, settings) = site_with_edition();
        assert!(tables_loaded(Ok(()), &settings, 1).is_ok());
        // The real tables, as this build of lectern has them.
        edition_tables(&settings, 1).expect("the built-in tables load");
        assert_eq!(Conversion::ToSimplified.convert("談論"), "谈论");
    }

    #[test]
    fn a_site_toml_that_cannot_be_read_again_still_names_it() {
        let (dir, settings) = site_with_edition();
        std::fs::remove_file(dir.path().join("site.toml")).expect("remove");
        let shown = tables_loaded(Err("gone"), &settings, 1)
            .expect_err("the edition cannot be built")
            .to_string();
        assert!(shown.contains("--> site.toml"), "{shown}");
        assert!(shown.contains("`zh-Hans`"), "{shown}");
    }

    #[test]
    fn knows_which_languages_convert() {
        assert_eq!(
            Conversion::between("zh-Hant", "zh-Hans"),
            Some(Conversion::ToSimplified)
        );
        assert_eq!(
            Conversion::between("zh-CN", "zh-TW"),
            Some(Conversion::ToTraditional)
        );
        assert_eq!(Conversion::between("zh-Hant", "zh-TW"), None);
        assert_eq!(Conversion::between("en", "zh-Hans"), None);
    }
}
