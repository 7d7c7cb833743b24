//! The content's language (the BCP 47 tag `language` in `site.toml`, e.g. `zh-Hant`) and
//! everything lectern decides by it, answered in one place: which Chinese script the
//! text is in, which words the theme shows, the `og:locale`, how dates are written and
//! what an edition in that language is called.

/// The two scripts Chinese is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChineseScript {
    /// 繁體: Taiwan, Hong Kong, Macau, and `zh-Hant`.
    Traditional,
    /// 简体: mainland China, Singapore, Malaysia, and `zh-Hans`.
    Simplified,
}

/// The words the built-in theme shows around the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeWords {
    /// Chinese in Traditional characters.
    Traditional,
    /// Chinese in Simplified characters.
    Simplified,
    /// English, for every other language.
    English,
}

/// A language tag, kept as written and read by its subtags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    tag: String,
}

impl Language {
    /// The language of tag `tag` (`zh-Hant`, `zh-TW`, `en`).
    pub fn new(tag: &str) -> Language {
        Language {
            tag: tag.to_string(),
        }
    }

    /// The primary language subtag, lowercase (`zh` for `zh-Hant-TW`).
    fn primary(&self) -> String {
        self.subtags().next().unwrap_or_default()
    }

    /// Every subtag, lowercase.
    fn subtags(&self) -> impl Iterator<Item = String> + '_ {
        self.tag
            .split(['-', '_'])
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_lowercase)
    }

    /// The region subtag as written in a locale (`TW` for `zh-Hant-TW`), if any.
    fn region(&self) -> Option<String> {
        self.subtags()
            .skip(1)
            .find(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(|s| s.to_ascii_uppercase())
    }

    /// Whether the language is Chinese (`zh`, with any script or region).
    pub fn is_chinese(&self) -> bool {
        self.primary() == "zh"
    }

    /// The script Chinese text in this language is written in; `None` when it is not
    /// Chinese. An explicit script (`Hans`, `Hant`) decides; otherwise the region
    /// (CN, SG and MY write Simplified); a bare `zh` is taken as Traditional, the
    /// memorial's own.
    pub fn chinese_script(&self) -> Option<ChineseScript> {
        if !self.is_chinese() {
            return None;
        }
        let subtags: Vec<String> = self.subtags().skip(1).collect();
        if subtags.iter().any(|s| s == "hans") {
            return Some(ChineseScript::Simplified);
        }
        if subtags.iter().any(|s| s == "hant") {
            return Some(ChineseScript::Traditional);
        }
        let simplified_regions = ["cn", "sg", "my"];
        Some(
            if subtags
                .iter()
                .any(|s| simplified_regions.contains(&s.as_str()))
            {
                ChineseScript::Simplified
            } else {
                ChineseScript::Traditional
            },
        )
    }

    /// The built-in theme's words for this language.
    pub fn theme_words(&self) -> ThemeWords {
        match self.chinese_script() {
            Some(ChineseScript::Traditional) => ThemeWords::Traditional,
            Some(ChineseScript::Simplified) => ThemeWords::Simplified,
            None => ThemeWords::English,
        }
    }

    /// The Open Graph locale (`zh_TW`, `zh_CN`, `en_GB`, `en`): language and region
    /// joined by `_`; a Chinese tag without a region takes its script's usual one.
    pub fn og_locale(&self) -> String {
        let primary = self.primary();
        let region = self.region().or_else(|| match self.chinese_script() {
            Some(ChineseScript::Traditional) => Some("TW".into()),
            Some(ChineseScript::Simplified) => Some("CN".into()),
            None => None,
        });
        match region {
            Some(region) => format!("{primary}_{region}"),
            None => primary,
        }
    }

    /// Whether dates are written with 年, 月 and 日 (Chinese and Japanese).
    pub fn writes_dates_in_characters(&self) -> bool {
        matches!(self.primary().as_str(), "zh" | "ja")
    }

    /// What an edition in this language is called when `site.toml` does not say.
    pub fn edition_name(&self) -> String {
        match self.chinese_script() {
            Some(ChineseScript::Simplified) => "简体".into(),
            Some(ChineseScript::Traditional) => "繁體".into(),
            None => self.tag.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(tag: &str) -> Option<ChineseScript> {
        Language::new(tag).chinese_script()
    }

    #[test]
    fn the_script_follows_the_script_subtag_then_the_region() {
        use ChineseScript::{Simplified, Traditional};
        for tag in ["zh-Hans", "zh-CN", "zh-SG", "zh-MY", "zh-hans-HK", "ZH-cn"] {
            assert_eq!(script(tag), Some(Simplified), "{tag}");
        }
        for tag in ["zh-Hant", "zh-TW", "zh-HK", "zh-MO", "zh", "zh-Hant-CN"] {
            assert_eq!(script(tag), Some(Traditional), "{tag}");
        }
        // Zhuang (`za`) and `zha` are not Chinese, though they start with "z".
        for tag in ["en", "ja", "zha", "za", ""] {
            assert_eq!(script(tag), None, "{tag}");
        }
    }

    #[test]
    fn theme_words_agree_with_the_script() {
        // Malaysia writes Simplified: its pages get Simplified words, as its text is.
        assert_eq!(Language::new("zh-MY").theme_words(), ThemeWords::Simplified);
        assert_eq!(
            Language::new("zh-HK").theme_words(),
            ThemeWords::Traditional
        );
        assert_eq!(Language::new("fr").theme_words(), ThemeWords::English);
    }

    #[test]
    fn og_locale_is_language_and_region() {
        for (tag, locale) in [
            ("zh-Hant", "zh_TW"),
            ("zh-Hans", "zh_CN"),
            ("zh-Hant-HK", "zh_HK"),
            ("zh-TW", "zh_TW"),
            ("en-GB", "en_GB"),
            ("en", "en"),
            ("zh", "zh_TW"),
        ] {
            assert_eq!(Language::new(tag).og_locale(), locale, "{tag}");
        }
    }

    #[test]
    fn dates_and_edition_names() {
        assert!(Language::new("ja").writes_dates_in_characters());
        assert!(Language::new("zh-Hans").writes_dates_in_characters());
        assert!(!Language::new("en").writes_dates_in_characters());
        assert_eq!(Language::new("zh-Hans").edition_name(), "简体");
        assert_eq!(Language::new("zh-TW").edition_name(), "繁體");
        assert_eq!(Language::new("de").edition_name(), "de");
    }
}
