//! The import report: what each rule did, by count, and the character accounting.
//!
//! Every character of the source is either kept (it is in the text of the pages, in
//! reading order) or removed by a named rule; some rules also add characters (`·`,
//! full-width marks, repaired text). So: source = kept + removed − added, and the
//! report checks it.

use crate::error::count;
use std::fmt;

use super::edited::EditedFile;

/// The names of the rules, as the report prints them.
pub mod rule {
    /// A byte-order mark at the start of the file.
    pub const BOM: &str = "byte-order mark removed";
    /// `\r` in CRLF or CR line endings.
    pub const CR: &str = "carriage returns removed (CRLF, CR → LF)";
    /// `\n` between paragraphs: structure, not text.
    pub const BREAKS: &str = "line breaks (paragraph boundaries)";
    /// Spaces at the start or end of a paragraph.
    pub const TRIM: &str = "spaces at paragraph edges trimmed";
    /// `發(fā)` → `發` with ruby `fā`.
    pub const RUBY: &str = "pinyin annotation → ruby";
    /// A garbled span inverted mechanically.
    pub const AUTO: &str = "garbled span inverted mechanically";
    /// A garbled span corrected by the fixes file.
    pub const FIXED: &str = "garbled span corrected from the fixes file";
    /// A garbled span kept as it is, marked.
    pub const MARKED: &str = "garbled span left marked (no repair)";
    /// `?` → `·` in a transliterated name.
    pub const DOT: &str = "name dot restored (? → ·)";
    /// A run of `?` that stood for emoji.
    pub const EMOJI: &str = "lost emoji (?-run) removed";
    /// `( )` → `（ ）`.
    pub const PARENS: &str = "( ) → （ ） pairs";
    /// The source line, moved into front matter (`extra.source`).
    pub const SOURCE: &str = "source line → front matter (extra.source)";
    /// The 「」 around the tribute heading.
    pub const HEADING_MARKS: &str = "quotation marks around a heading removed";
    /// The URL lines after the references heading, declared in the references page's
    /// front matter (`[[references]]`) and listed there, not repeated in its body.
    pub const REFERENCE_URLS: &str = "reference URLs → front matter ([[references]])";
    /// The `：` ending the references heading, which becomes a page title.
    pub const TITLE_COLON: &str = "colon ending a heading used as title removed";
    /// A Simplified character left in Traditional text, made Traditional in context.
    pub const RESIDUE: &str = "Simplified residue → Traditional";
    /// A space between Chinese text and full-width punctuation (`轉投 「敵人」`).
    pub const WIDE_SPACE: &str = "space beside full-width punctuation removed";

    /// The rule name for one ASCII punctuation mark made full-width.
    pub fn punctuation(mark: char) -> &'static str {
        match mark {
            ',' => ", → ，",
            ':' => ": → ：",
            ';' => "; → ；",
            '?' => "? → ？",
            _ => "! → ！",
        }
    }
}

/// One rule's effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCount {
    /// The rule's name (see [`rule`]).
    pub rule: &'static str,
    /// How many times it applied.
    pub hits: usize,
    /// Characters of the source it removed.
    pub removed: usize,
    /// Characters it added.
    pub added: usize,
}

/// A garbled span the import left marked, with the corrections its search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedSpan {
    /// The article's line it is on, from 1.
    pub line: usize,
    /// The garbled text a `[[repairs]]` entry would name (from the character before
    /// its damage marker to its end).
    pub garbled: String,
    /// Corrections the damage model turns back into `garbled` exactly, best first:
    /// each with the GBK byte pairs it assumes were lost.
    pub suggestions: Vec<(String, Vec<[u8; 2]>)>,
}

/// One character the Simplified-residue rule changed, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResidueChange {
    /// The clean line (see [`ImportReport::clean_lines`]) it is in.
    pub line: usize,
    /// Its place in that line, in characters.
    pub at: usize,
    /// The character as the article wrote it.
    pub was: char,
    /// The character now.
    pub now: char,
}

/// What the import did, by rule and count; `Display` prints the human report.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub(crate) source: String,
    pub(crate) encoding: &'static str,
    pub(crate) paragraphs: usize,
    pub(crate) rules: Vec<RuleCount>,
    pub(crate) annotations_in_spans: usize,
    pub(crate) ruby_in_spans: usize,
    pub(crate) ruby_on_source_line: usize,
    pub(crate) source_chars: usize,
    pub(crate) clean_lines: Vec<String>,
    pub(crate) reading_text: String,
    pub(crate) warnings: Vec<String>,
    pub(crate) marked: Vec<MarkedSpan>,
    pub(crate) files: Vec<String>,
    pub(crate) written: usize,
    pub(crate) kept: Vec<String>,
    /// Each change the Simplified-residue rule made.
    pub(crate) residue: Vec<ResidueChange>,
    /// Files an earlier import wrote that this one no longer does, removed unedited.
    pub(crate) superseded: Vec<String>,
    /// Generated files a person edited since, left as they are.
    pub(crate) edited: Vec<EditedFile>,
    /// The command that runs this import again, for notes that send the person to it.
    pub(crate) command: String,
}

impl ImportReport {
    /// Adds `hits` applications of `rule` that removed and added so many characters.
    pub(crate) fn count(&mut self, rule: &'static str, hits: usize, removed: usize, added: usize) {
        if hits == 0 && removed == 0 && added == 0 {
            return;
        }
        match self.rules.iter_mut().find(|r| r.rule == rule) {
            Some(r) => {
                r.hits += hits;
                r.removed += removed;
                r.added += added;
            }
            None => self.rules.push(RuleCount {
                rule,
                hits,
                removed,
                added,
            }),
        }
    }

    /// One line for each generated file a person edited, for `lectern build`: the file
    /// is used as they wrote it, and the import tells how to fold the edit back.
    pub fn edit_notes(&self) -> Vec<String> {
        self.edited
            .iter()
            .map(|file| {
                format!(
                    "{} was edited by hand: the build uses it as it is and the import leaves it alone (`{}` shows how to fold the edit into the fixes file)",
                    file.shown, self.command
                )
            })
            .collect()
    }

    /// Generated files a person edited, left as they are (relative to the content folder).
    pub fn edited_files(&self) -> Vec<&str> {
        self.edited.iter().map(|file| file.rel.as_str()).collect()
    }

    /// One line for `lectern build`: what was imported and how many files changed.
    pub fn summary_line(&self) -> String {
        format!(
            "imported {} ({}): {}, {} rewritten{}, {}",
            self.source,
            self.encoding,
            count(self.files.len(), "content file"),
            self.written,
            match self.superseded.len() {
                0 => String::new(),
                n => format!(
                    ", {n} no longer written removed ({})",
                    self.superseded.join(", ")
                ),
            },
            count(self.warnings.len(), "warning")
        )
    }

    /// Non-fatal problems: unrepaired spans, unused fixes, files left alone.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The garbled spans left marked, with their suggested corrections.
    pub fn marked_spans(&self) -> &[MarkedSpan] {
        &self.marked
    }

    /// How many content files now hold the import's output (written now or already identical).
    pub fn files_written(&self) -> usize {
        self.files.len()
    }

    /// Every rule that applied, in the order it first applied.
    pub fn rules(&self) -> &[RuleCount] {
        &self.rules
    }

    /// How many times `rule` applied (0 if never).
    pub fn hits(&self, rule: &str) -> usize {
        self.rules
            .iter()
            .find(|r| r.rule == rule)
            .map_or(0, |r| r.hits)
    }

    /// All pinyin annotations removed: kept as ruby, or found inside garbled spans.
    pub fn annotations(&self) -> usize {
        self.hits(rule::RUBY) + self.annotations_in_spans
    }

    /// Characters carrying ruby in the output.
    pub fn ruby(&self) -> usize {
        self.hits(rule::RUBY) + self.ruby_in_spans - self.ruby_on_source_line
    }

    /// Each change the Simplified-residue rule made, in order.
    pub fn residue_changes(&self) -> &[ResidueChange] {
        &self.residue
    }

    /// Each source paragraph after the text rules, before structure: the clean article.
    pub fn clean_lines(&self) -> &[String] {
        &self.clean_lines
    }

    /// The text of the pages in reading order (titles that come from the article,
    /// then bodies), as the rules say it must read.
    pub fn reading_text(&self) -> &str {
        &self.reading_text
    }

    /// Characters in the decoded source, BOM and line endings included.
    pub fn source_chars(&self) -> usize {
        self.source_chars
    }

    /// Characters of the reading text.
    pub fn kept_chars(&self) -> usize {
        self.reading_text.chars().count()
    }

    /// Whether source = kept + removed − added holds.
    pub fn balances(&self) -> bool {
        let removed: usize = self.rules.iter().map(|r| r.removed).sum();
        let added: usize = self.rules.iter().map(|r| r.added).sum();
        self.source_chars + added == self.kept_chars() + removed
    }

    /// Content files the import did not touch because a person owns them.
    pub fn kept_files(&self) -> &[String] {
        &self.kept
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "imported {} ({}, {})",
            self.source,
            self.encoding,
            count(self.paragraphs, "paragraph")
        )?;
        writeln!(
            f,
            "  pinyin annotations removed: {} ({} kept as ruby, {} inside garbled spans, {} on the source line moved to front matter)",
            self.annotations(),
            self.ruby(),
            self.annotations_in_spans,
            self.ruby_on_source_line
        )?;
        writeln!(
            f,
            "  {:<46} {:>6} {:>8} {:>6}",
            "rule", "hits", "removed", "added"
        )?;
        for r in &self.rules {
            writeln!(
                f,
                "  {:<46} {:>6} {:>8} {:>6}",
                r.rule, r.hits, r.removed, r.added
            )?;
        }
        let removed: usize = self.rules.iter().map(|r| r.removed).sum();
        let added: usize = self.rules.iter().map(|r| r.added).sum();
        writeln!(
            f,
            "  characters: {} in the source = {} kept + {} removed − {} added{}",
            self.source_chars,
            self.kept_chars(),
            removed,
            added,
            if self.balances() {
                ""
            } else {
                "  (DOES NOT BALANCE)"
            }
        )?;
        write!(
            f,
            "  files: {} generated ({} written, {} unchanged), {}{} left alone",
            self.files.len(),
            self.written,
            self.files.len() - self.written.min(self.files.len()),
            match self.edited.len() {
                0 => String::new(),
                n => format!("{n} edited by hand, "),
            },
            self.kept.len()
        )?;
        for w in &self.warnings {
            write!(f, "\nwarning: {w}")?;
        }
        for file in &self.edited {
            write!(
                f,
                "\nnote: {} was edited by hand; the import left it as it is. What changed, and how to fold it into the fixes file:\n{}",
                file.shown,
                file.advice.trim_end()
            )?;
        }
        Ok(())
    }
}
