//! Script conversion between Traditional and Simplified Chinese, for the extra editions
//! a site may publish (`[[editions]]`). The OpenCC tables (ferrous-opencc, pure Rust,
//! Apache-2.0) convert phrase by phrase, so `充斥著` becomes `充斥着` while `顯著` keeps
//! its `著`, and 「」 quotes stay as they are.

use std::sync::LazyLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;

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
static TO_SIMPLIFIED: LazyLock<Option<OpenCC>> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::Tw2s).ok());
static TO_TRADITIONAL: LazyLock<Option<OpenCC>> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::S2tw).ok());

/// Whether a language tag is written in Simplified (`zh-Hans`, `zh-CN` …) or
/// Traditional (`zh-Hant`, `zh-TW` …) characters; `None` for other languages.
fn script_of(language: &str) -> Option<Conversion> {
    let language = language.to_ascii_lowercase();
    if !language.starts_with("zh") {
        return None;
    }
    let simplified = ["zh-hans", "zh-cn", "zh-sg", "zh-my"]
        .iter()
        .any(|p| language.starts_with(p));
    Some(if simplified {
        Conversion::ToSimplified
    } else {
        Conversion::ToTraditional
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
        let converter = match self {
            Conversion::ToSimplified => &*TO_SIMPLIFIED,
            Conversion::ToTraditional => &*TO_TRADITIONAL,
        };
        let Some(converter) = converter else {
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
