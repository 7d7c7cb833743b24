//! Script conversion between Traditional and Simplified Chinese, for the extra editions
//! a site may publish (`[[editions]]`). The OpenCC tables (ferrous-opencc, pure Rust,
//! Apache-2.0) convert phrase by phrase, so `充斥著` becomes `充斥着` while `顯著` keeps
//! its `著`, and 「」 quotes stay as they are.

use std::sync::LazyLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;

use crate::error::Result;
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
        // (see [`Conversion::tables_loaded`]).
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

    /// Whether this direction's tables loaded, and if not why: the build checks this
    /// before an edition is written (`config::edition_tables`).
    pub fn tables_loaded(self) -> std::result::Result<(), &'static str> {
        self.tables().as_ref().map(|_| ()).map_err(String::as_str)
    }

    /// This direction's tables, loaded on first use.
    fn tables(self) -> &'static std::result::Result<OpenCC, String> {
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
