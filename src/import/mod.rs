//! The import: a damaged plain-text article → clean Markdown content files.
//!
//! One call, [`import_article`], runs the stages in order, data flowing one way:
//! [`decode`] (bytes → text) → [`repair`] (annotations → ruby, garbled spans
//! repaired) → [`restore`] (lost characters, full-width punctuation) → [`structure`]
//! (paragraphs → pages) → [`cite`] (references and markers) → [`write`] (pages →
//! owned Markdown files). The [`report`] counts what every rule did.
//!
//! A *glyph* is one character of the clean text with what travels with it: its
//! pinyin reading, whether it is unrepaired damage, and a citation after it.
//!
//! The glossary of the importer's words (garbled span, repair, …) is in `docs/import.md`.

pub(crate) mod chars;
pub(crate) mod cite;
pub mod damage;
pub(crate) mod decode;
pub(crate) mod edited;
pub(crate) mod fixes;
pub(crate) mod lm;
pub(crate) mod pinyin;
pub(crate) mod profile;
pub(crate) mod repair;
pub(crate) mod report;
pub(crate) mod residue;
pub(crate) mod restore;
pub(crate) mod search;
pub(crate) mod site_language;
pub(crate) mod stamp;
pub(crate) mod structure;
pub(crate) mod write;

#[cfg(test)]
mod snapshot_tests;

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Location, Result};
use crate::input::{self, Limit};
use damage::Annotations;
use fixes::Fixes;
pub use report::{rule, ImportReport, MarkedSpan, ResidueChange, RuleCount};
pub use stamp::ImportSummary;

/// What to import and where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The raw article, as the user gave the path.
    pub source: PathBuf,
    /// The fixes file (hand corrections), if any.
    pub fixes: Option<PathBuf>,
    /// The content folder to write into.
    pub into: PathBuf,
}

/// One character of the clean text and what travels with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Glyph {
    /// The character.
    pub ch: char,
    /// Its pinyin reading, shown as ruby on demand.
    pub ruby: Option<String>,
    /// Part of a garbled span nothing could repair (shown marked).
    pub damaged: bool,
    /// A reference id cited right after this character.
    pub cite: Option<String>,
}

impl Glyph {
    /// A bare character.
    pub fn plain(ch: char) -> Glyph {
        Glyph {
            ch,
            ruby: None,
            damaged: false,
            cite: None,
        }
    }
}

/// The largest article the importer reads. A book-length Chinese article is a few
/// megabytes; each character costs the importer about a hundred bytes of memory.
pub const MAX_ARTICLE_BYTES: u64 = 8 * 1024 * 1024;

/// How the article is read: at most [`MAX_ARTICLE_BYTES`], a regular file.
pub(crate) const ARTICLE: Limit = Limit {
    bytes: MAX_ARTICLE_BYTES,
    what: "articles",
    help: "split the article, or check that this is the right file",
};

/// Runs the import unless its stamp shows that it would change nothing (see
/// [`stamp`]): what `lectern build` does for the article `site.toml` names. `None` when
/// it did not run, so that a build that changed nothing says so in one line.
pub(crate) fn import_if_changed(options: &ImportOptions) -> Result<Option<ImportSummary>> {
    if stamp::unchanged(options).is_some() {
        return Ok(None);
    }
    let (mut report, mismatch) = import_and_compare(options)?;
    // The stamp keeps the import's own warnings: whether site.toml's language suits the
    // article is asked at each import, as site.toml may have changed since.
    stamp::record(options, &report);
    report.warnings.extend(mismatch);
    Ok(Some(ImportSummary::of(&report)))
}

/// Runs the whole import: decode, repair, structure, write; warns when the site's
/// `language` is not the article's (see [`site_language`]).
pub fn import_article(options: &ImportOptions) -> Result<ImportReport> {
    let (mut report, mismatch) = import_and_compare(options)?;
    report.warnings.extend(mismatch);
    Ok(report)
}

/// The import, and the warning when the site's language does not suit the article.
fn import_and_compare(options: &ImportOptions) -> Result<(ImportReport, Option<String>)> {
    let bytes = input::read_file(&options.source, &options.source, &ARTICLE)?;
    let decoded = decode::decode(&bytes, &options.source)?;
    let mut table = Annotations::builtin();
    pinyin::learn(&decoded.text, &mut table);
    let fixes = match &options.fixes {
        Some(path) => Some(Fixes::load(path, &table)?),
        None => None,
    };
    let source = recorded_source(&options.source, &options.into);
    let (pages, mut report) = convert(&decoded, &table, fixes.as_ref(), &options.source);
    report.source = source.clone();
    report.command = command(options);
    let files: Vec<(String, String)> = pages
        .iter()
        .map(|page| (page.file.clone(), write::render(page, &source)))
        .collect();
    write::check_buildable(options, &pages, &files)?;
    let previous = stamp::previous_files(options);
    let cx = edited::Context {
        table: &table,
        article: &decoded.text,
    };
    write::write_all(&options.into, &files, &cx, &mut report)?;
    write::remove_superseded(&options.into, &previous, &files, &mut report)?;
    Ok((report, site_language::mismatch(options, &pages)))
}

/// The article's path as generated files record it (`[generated] source`): relative to
/// the site (the folder holding `into`) when the article is in it, else its file name
/// alone. Never an absolute path, which would publish a folder of the author's machine;
/// and the same bytes whatever folder the command was run from.
fn recorded_source(source: &Path, into: &Path) -> String {
    let site_root = into.parent().unwrap_or(Path::new(""));
    let plain = |path: &Path| {
        path.is_relative()
            && path
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
    };
    let inside = match source.strip_prefix(site_root) {
        Ok(rel) if plain(rel) => Some(rel.to_path_buf()),
        // Given otherwise (an absolute path, `..`): compare where both really are.
        _ => {
            let root = if site_root.as_os_str().is_empty() {
                Path::new(".")
            } else {
                site_root
            };
            match (source.canonicalize(), root.canonicalize()) {
                (Ok(source), Ok(root)) => source
                    .strip_prefix(&root)
                    .ok()
                    .filter(|rel| plain(rel))
                    .map(Path::to_path_buf),
                _ => None,
            }
        }
    };
    let recorded = match inside {
        Some(rel) => rel,
        None => source.file_name().map(PathBuf::from).unwrap_or_default(),
    };
    recorded.display().to_string().replace('\\', "/")
}

/// The command that runs this import again, as the person would type it.
fn command(options: &ImportOptions) -> String {
    let shown = |path: &Path| {
        let text = path.display().to_string();
        let text = text.strip_prefix("./").unwrap_or(&text).to_string();
        if text.contains([' ', '"', '\'', '$', '`']) {
            format!("'{}'", text.replace('\'', "'\\''"))
        } else {
            text
        }
    };
    let mut command = format!("lectern import {}", shown(&options.source));
    if let Some(fixes) = &options.fixes {
        command.push_str(&format!(" --fixes {}", shown(fixes)));
    }
    let into = shown(&options.into);
    if into.trim_end_matches('/') != "content" {
        command.push_str(&format!(" --into {into}"));
    }
    command
}

/// Decoded text → pages, counting every rule in the report.
fn convert(
    decoded: &decode::Decoded,
    table: &Annotations,
    fixes: Option<&Fixes>,
    path: &Path,
) -> (Vec<structure::Page>, ImportReport) {
    let text = &decoded.text;
    let mut report = ImportReport {
        encoding: decoded.encoding,
        source_chars: decoded.source_chars,
        ..ImportReport::default()
    };
    report.count(
        rule::BOM,
        usize::from(decoded.bom),
        usize::from(decoded.bom),
        0,
    );
    let newlines = text.matches('\n').count();
    report.count(
        rule::CR,
        decoded.carriage_returns,
        decoded.carriage_returns,
        0,
    );

    let cx = repair::Context::new(table, fixes);
    let mut used = vec![false; fixes.map_or(0, |f| f.repairs.len())];
    let traditional = residue::is_traditional(text);
    let keep: &[String] = fixes.map_or(&[], |f| &f.keep_simplified);
    let mut paras = Vec::new();
    let mut offset = 0;
    for line in text.split('\n') {
        let (mut glyphs, unrepaired) = repair::repair_line(line, &cx, &mut used, &mut report);
        for left in unrepaired {
            let loc = Location::from_offset(path, text, offset + left.at);
            report.marked.push(MarkedSpan {
                line: loc.line,
                garbled: left.garbled.clone(),
                suggestions: left
                    .suggestions
                    .iter()
                    .map(|s| (s.corrected.clone(), s.lost.clone()))
                    .collect(),
            });
            report.warnings.push(unrepaired_warning(loc, &left));
        }
        offset += line.len() + 1;
        restore::name_dots(&mut glyphs, &mut report);
        restore::lost_emoji(&mut glyphs, &mut report);
        restore::punctuation(&mut glyphs, &mut report);
        restore::spaces_by_wide_punctuation(&mut glyphs, &mut report);
        let lead = glyphs.iter().take_while(|g| g.ch.is_whitespace()).count();
        glyphs.drain(..lead);
        let trail = glyphs
            .iter()
            .rev()
            .take_while(|g| g.ch.is_whitespace())
            .count();
        glyphs.truncate(glyphs.len() - trail);
        report.count(rule::TRIM, lead + trail, lead + trail, 0);
        if traditional {
            residue::to_traditional(&mut glyphs, keep, &mut report);
        }
        if !glyphs.is_empty() {
            report
                .clean_lines
                .push(glyphs.iter().map(|g| g.ch).collect());
            paras.push(glyphs);
        }
    }
    report.paragraphs = paras.len();
    if let Some(fixes) = fixes {
        for (fix, used) in fixes.repairs.iter().zip(&used) {
            if !used {
                let at = fixes.locate(fix.garbled.span().start);
                report.warnings.push(format!(
                    "{}:{}:{}: this repair's garbled text is not in the article",
                    at.path.display(),
                    at.line,
                    at.column
                ));
            }
        }
    }
    let mut pages = structure::recover(paras, fixes, &mut report);
    cite::cite(&mut pages, fixes, &mut report);
    let pieces: Vec<String> = pages.iter().flat_map(structure::page_text).collect();
    report.count(
        rule::BREAKS,
        newlines,
        newlines,
        pieces.len().saturating_sub(1),
    );
    report.reading_text = pieces.join("\n");
    (pages, report)
}

/// The warning for a span left marked: where it is and, when the search found any,
/// the corrections the damage model accepts, best first, and the best one as a
/// `[[repairs]]` entry to paste into the fixes file.
fn unrepaired_warning(loc: Location, left: &repair::Unrepaired) -> String {
    let Some(best) = left.suggestions.first() else {
        let why = if left.cut_short {
            " (the search for lost bytes stopped at its bound)"
        } else {
            ""
        };
        return Diagnostic::at(loc, "garbled span left as it is (no repair): shown marked")
            .with_help(format!("add a [[repairs]] entry to the fixes file{why}"))
            .as_warning();
    };
    let lost = best.lost.len();
    let why = match lost {
        0 => {
            "its mechanical inverse does not read clearly better than every alternative".to_string()
        }
        1 => "1 GBK byte pair of it was lost".to_string(),
        n => format!("{n} GBK byte pairs of it were lost"),
    };
    let mut out = Diagnostic::at(
        loc,
        format!("garbled span left as it is (no repair): shown marked; {why}"),
    )
    .with_help(format!(
        "check these corrections, which the damage model turns back into the garbled text \
         exactly, and add the right one to the fixes file{}",
        if left.cut_short {
            " (the search for lost bytes stopped at its bound: a better one may exist)"
        } else {
            ""
        }
    ))
    .as_warning();
    for (i, s) in left.suggestions.iter().enumerate() {
        let pairs: Vec<String> = s
            .lost
            .iter()
            .map(|p| format!("{:02X} {:02X}", p[0], p[1]))
            .collect();
        let lost = if pairs.is_empty() {
            "no bytes lost: the mechanical inverse".to_string()
        } else {
            format!("lost: {}", pairs.join(", "))
        };
        out.push_str(&format!("\n  {}. {}  ({lost})", i + 1, s.corrected));
    }
    out.push_str(&format!(
        "\n  the best as a fixes-file entry:\n\n[[repairs]]\ngarbled = {}\ncorrected = {}\n",
        toml_string(&left.garbled),
        toml_string(&best.corrected)
    ));
    out
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}
