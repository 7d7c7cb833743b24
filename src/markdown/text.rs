//! The visible text of a fragment, and the counts behind its reading time.

use serde::Serialize;

use crate::config::ReadingConfig;
use crate::han::is_han;

/// Character and word counts of a text.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct TextStats {
    /// Han characters (each is read as a word).
    pub cjk_chars: usize,
    /// Runs of Latin letters or digits.
    pub words: usize,
}

impl TextStats {
    /// Counts the Han characters and Latin words in `text`.
    pub fn of(text: &str) -> TextStats {
        let mut stats = TextStats::default();
        let mut in_word = false;
        for c in text.chars() {
            if is_han(c) {
                stats.cjk_chars += 1;
                in_word = false;
            } else if c.is_alphanumeric() {
                if !in_word {
                    stats.words += 1;
                }
                in_word = true;
            } else if !(in_word && (c == '\'' || c == '’' || c == '-')) {
                in_word = false;
            }
        }
        stats
    }

    /// Adds another text's counts.
    pub fn add(&mut self, other: TextStats) {
        self.cjk_chars += other.cjk_chars;
        self.words += other.words;
    }

    /// Whole minutes to read at the configured speeds, at least one.
    pub fn reading_minutes(&self, speeds: &ReadingConfig) -> u32 {
        let minutes = self.cjk_chars as f64 / f64::from(speeds.cjk_chars_per_minute.max(1))
            + self.words as f64 / f64::from(speeds.words_per_minute.max(1));
        (minutes.round() as u32).max(1)
    }
}

/// The text a reader sees in a fragment: headings, paragraphs, code; not pinyin.
#[derive(Debug, Clone, Default)]
pub struct PlainText {
    /// The text, block by block, one block a line.
    pub content: String,
    /// Its counts.
    pub stats: TextStats,
}

impl PlainText {
    /// Adds text within the current block.
    pub fn push(&mut self, text: &str) {
        self.content.push_str(text);
    }

    /// Ends the current block.
    pub fn end_block(&mut self) {
        if !self.content.is_empty() && !self.content.ends_with('\n') {
            self.content.push('\n');
        }
    }

    /// Counts the text gathered so far.
    pub fn finish(mut self) -> PlainText {
        self.stats = TextStats::of(&self.content);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_han_characters_and_latin_words() {
        let stats = TextStats::of("在 DeepMind 工作了近 9 年, don't stop");
        assert_eq!(stats.cjk_chars, 6);
        assert_eq!(stats.words, 4); // DeepMind, 9, don't, stop
    }

    #[test]
    fn reading_time_uses_both_speeds() {
        let speeds = ReadingConfig {
            cjk_chars_per_minute: 400,
            words_per_minute: 200,
            single_page: None,
        };
        let stats = TextStats {
            cjk_chars: 4000,
            words: 200,
        };
        assert_eq!(stats.reading_minutes(&speeds), 11);
        assert_eq!(TextStats::default().reading_minutes(&speeds), 1);
    }
}
