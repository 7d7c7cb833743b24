//! Writing: pages → Markdown files with TOML front matter, owned and written safely.
//!
//! Takes the [`Page`]s and hands on files in the content folder. Every file carries
//! `[generated]` with the source and a `hash`: the SHA-256 of the file's bytes with
//! the hash value blanked. On a re-import a file whose hash still matches is the
//! importer's own (overwritten if its bytes differ); a file whose hash does not match
//! was edited by a person, and is left as they wrote it ([`edited`] tells how to fold
//! the edit back into the fixes file); a file with no `[generated]` table belongs to a
//! person and is left alone. Files are written atomically (temporary file, then rename).

use std::path::Path;

use sha2::{Digest, Sha256};

use super::edited;
use super::structure::{Block, Page};
use super::{Glyph, ImportOptions, ImportReport};
use crate::content::{CONTENT_FILE, MAX_CONTENT_FILE_BYTES};
use crate::error::{fs, Diagnostic, Error, Result};
use crate::input;

fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Escapes one character so Markdown shows it as it is.
fn escape_char(out: &mut String, ch: char) {
    if matches!(
        ch,
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '#' | '{' | '}' | '$'
    ) {
        out.push('\\');
    }
    out.push(ch);
}

/// A paragraph as Markdown: escaped text, ruby (`{學|xué}`), damaged spans marked,
/// citations.
fn inline(glyphs: &[Glyph]) -> String {
    let mut out = String::new();
    let mut in_mark = false;
    for (i, g) in glyphs.iter().enumerate() {
        if g.damaged && !in_mark {
            out.push_str("<mark>");
            in_mark = true;
        }
        let starts_line = i == 0;
        match &g.ruby {
            Some(reading) if in_address(&out) => {
                // A brace right after a web address is the address's, never ruby.
                out.push_str("<ruby>");
                escape_char(&mut out, g.ch);
                out.push_str("<rp>(</rp><rt>");
                reading.chars().for_each(|c| escape_char(&mut out, c));
                out.push_str("</rt><rp>)</rp></ruby>");
            }
            Some(reading) => {
                out.push('{');
                escape_char(&mut out, g.ch);
                out.push('|');
                reading.chars().for_each(|c| escape_char(&mut out, c));
                out.push('}');
            }
            None if starts_line && matches!(g.ch, '-' | '+' | '=') => {
                out.push('\\');
                out.push(g.ch);
            }
            None if numbered_mark(glyphs, i) => {
                out.push('\\');
                out.push(g.ch);
            }
            None => escape_char(&mut out, g.ch),
        }
        if in_mark && !glyphs.get(i + 1).is_some_and(|n| n.damaged) {
            out.push_str("</mark>");
            in_mark = false;
        }
        if let Some(id) = &g.cite {
            out.push_str(&format!("[^{id}]"));
        }
    }
    out
}

/// Whether Markdown written so far ends in a web address (a run of printable ASCII
/// holding `://`), where a `{` would not start ruby (by the ruby syntax's own rule).
fn in_address(out: &str) -> bool {
    let run = out.len() - out.trim_end_matches(|c: char| c.is_ascii_graphic()).len();
    out[out.len() - run..].contains("://")
}

/// Whether glyph `i` is the `.` or `)` of a paragraph that starts like `1.`.
fn numbered_mark(glyphs: &[Glyph], i: usize) -> bool {
    let digits = glyphs.iter().take_while(|g| g.ch.is_ascii_digit()).count();
    digits > 0 && i == digits && matches!(glyphs[i].ch, '.' | ')')
}

fn body(page: &Page) -> String {
    let blocks: Vec<String> = page
        .blocks
        .iter()
        .map(|block| match block {
            Block::Para(g) => inline(g),
            Block::Heading(g) => format!("## {}", inline(g)),
            Block::Quote(ps) => ps
                .iter()
                .map(|p| format!("> {}", inline(p)))
                .collect::<Vec<_>>()
                .join("\n>\n"),
            Block::Small(g) => format!("<small>{}</small>", inline(g)),
        })
        .collect();
    blocks.join("\n\n")
}

/// A title as front matter holds it: plain text, with the article's pinyin as ruby,
/// `{發|fā}` (titles are not Markdown: lectern reads ruby in them, and `<ruby>` markup,
/// and nothing else; `\{` is a brace that starts no ruby).
fn title(page: &Page) -> String {
    if page.title_glyphs.is_empty() {
        return page.title.clone();
    }
    let mut out = String::new();
    for g in &page.title_glyphs {
        if g.ruby.is_some() {
            out.push('{');
        }
        if g.ch == '{' {
            out.push('\\');
        }
        out.push(g.ch);
        if let Some(reading) = &g.ruby {
            out.push('|');
            out.push_str(reading);
            out.push('}');
        }
    }
    out
}

/// The whole file, with its ownership hash.
pub fn render(page: &Page, source: &str) -> String {
    let mut fm = format!("title = {}\n", quote(&title(page)));
    if let Some(w) = page.weight {
        fm.push_str(&format!("weight = {w}\n"));
    }
    if let Some(template) = page.template {
        fm.push_str(&format!("template = {}\n", quote(template)));
    }
    for r in &page.references {
        fm.push_str(&format!(
            "\n[[references]]\nid = {}\ntitle = {}\nurl = {}\n",
            quote(&r.id),
            quote(&r.title),
            quote(&r.url)
        ));
        if let Some(a) = &r.author {
            fm.push_str(&format!("author = {}\n", quote(a)));
        }
    }
    fm.push_str("\n[extra]\n");
    if let Some(s) = &page.source {
        fm.push_str(&format!("source = {}\n", quote(s)));
    }
    let from = if page.title_from_article {
        "article"
    } else {
        "fixes"
    };
    fm.push_str(&format!("title_from = {}\n", quote(from)));
    fm.push_str(&format!(
        "\n[generated]\nsource = {}\nhash = \"\"\n",
        quote(source)
    ));
    let blank = format!("+++\n{fm}+++\n\n{}\n", body(page));
    let hash = format!("sha256:{:x}", Sha256::digest(blank.as_bytes()));
    blank.replacen("\nhash = \"\"\n", &format!("\nhash = \"{hash}\"\n"), 1)
}

/// Who owns a file already in the content folder.
#[derive(PartialEq, Eq)]
enum Owner {
    /// Generated and untouched since.
    Importer,
    /// Generated, then edited by a person.
    Edited,
    /// Written by a person (no `[generated]` table).
    Person,
}

fn owner(text: &str) -> Owner {
    let front = text
        .strip_prefix("+++\n")
        .and_then(|rest| rest.find("\n+++").map(|end| &rest[..end]));
    let Some(table) = front.and_then(|f| f.parse::<toml::Table>().ok()) else {
        return Owner::Person;
    };
    let Some(generated) = table.get("generated").and_then(|g| g.as_table()) else {
        return Owner::Person;
    };
    let hash = generated.get("hash").and_then(|h| h.as_str()).unwrap_or("");
    let blank = text.replacen(&format!("\nhash = \"{hash}\"\n"), "\nhash = \"\"\n", 1);
    if format!("sha256:{:x}", Sha256::digest(blank.as_bytes())) == hash {
        Owner::Importer
    } else {
        Owner::Edited
    }
}

/// Every file the import is about to write must be one the build reads: a name it
/// accepts, at most [`MAX_CONTENT_FILE_BYTES`], front matter it parses. Checked for
/// all files before any is written, so an import never leaves a site that cannot
/// build; the error names the article and the section that is too large.
pub(crate) fn check_buildable(
    options: &ImportOptions,
    pages: &[Page],
    files: &[(String, String)],
) -> Result<()> {
    let mut errors = Vec::new();
    for (page, (rel, text)) in pages.iter().zip(files) {
        let path = options.into.join(rel);
        let names = Path::new(rel)
            .iter()
            .try_for_each(|name| input::check_name(name, &path, false));
        if let Err(error) = names {
            errors.push(error);
            continue;
        }
        if text.len() as u64 > MAX_CONTENT_FILE_BYTES {
            errors.push(
                Diagnostic::in_file(
                    &options.source,
                    format!(
                        "the section “{}” of this article would make {} {} long; \
                         the build reads content files of at most {}",
                        page.title,
                        path.display(),
                        input::megabytes(text.len() as u64),
                        input::megabytes(MAX_CONTENT_FILE_BYTES),
                    ),
                )
                .with_help(
                    "split the article: give this section headings of its own, or move \
                     part of it into another article",
                )
                .into(),
            );
            continue;
        }
        if let Err(error) = crate::content::split(&path, text) {
            let why = error
                .diagnostics()
                .first()
                .map_or_else(|| error.to_string(), |d| d.message.clone());
            errors.push(
                Diagnostic::in_file(
                    &options.source,
                    format!(
                        "the import would write {} with front matter the build refuses: {why}",
                        path.display()
                    ),
                )
                .with_help(
                    "this is a fault in lectern's importer: please report it with the article",
                )
                .into(),
            );
        }
    }
    Error::from_list(errors)
}

/// Writes the files into `into`, leaving alone every file a person wrote or edited;
/// for an edited one, `cx` helps tell how to fold the edit back into the fixes file.
pub(crate) fn write_all(
    into: &Path,
    files: &[(String, String)],
    cx: &edited::Context,
    report: &mut ImportReport,
) -> Result<()> {
    let mut errors = Vec::new();
    let mut todo = Vec::new();
    for (rel, bytes) in files {
        let path = into.join(rel);
        if let Err(error) = check_inside(into, &path) {
            errors.push(error);
            continue;
        }
        if std::fs::symlink_metadata(&path).is_err() {
            todo.push((path, bytes));
            continue;
        }
        let existing = input::read_file(&path, &path, &CONTENT_FILE)?;
        let existing = String::from_utf8_lossy(&existing);
        match owner(&existing) {
            Owner::Importer if existing == *bytes => report.files.push(rel.clone()),
            Owner::Importer => todo.push((path, bytes)),
            Owner::Person => {
                report.kept.push(rel.clone());
                report.warnings.push(format!(
                    "{} has no [generated] table: it is a person's file, left alone (delete it to regenerate it)",
                    path.display()
                ));
            }
            // The person's edit wins: the build uses the file as they wrote it, and the
            // report shows the edit and how the fixes file would carry it.
            Owner::Edited => report.edited.push(edited::EditedFile {
                rel: rel.clone(),
                shown: path.display().to_string(),
                advice: edited::advise(rel, bytes, &existing, cx),
            }),
        }
    }
    Error::from_list(errors)?;
    for (path, bytes) in todo {
        write_atomic(&path, bytes.as_bytes())?;
        report.written += 1;
        report.files.push(
            path.strip_prefix(into)
                .unwrap_or(&path)
                .display()
                .to_string(),
        );
    }
    Ok(())
}

/// Removes the files an earlier import wrote (`previous`, from its stamp) that this one
/// no longer writes, such as `_index.md` once the fixes file gives the article a page of
/// its own: left, they would be published beside their replacement. Only a file that
/// is still exactly as the importer wrote it goes; an edited file or a person's stays.
pub(crate) fn remove_superseded(
    into: &Path,
    previous: &[String],
    files: &[(String, String)],
    report: &mut ImportReport,
) -> Result<()> {
    for rel in previous {
        if files.iter().any(|(written, _)| written == rel) {
            continue;
        }
        let path = into.join(rel);
        check_inside(into, &path)?;
        let Ok(existing) = input::read_file(&path, &path, &CONTENT_FILE) else {
            continue; // already gone, or not a plain file
        };
        match owner(&String::from_utf8_lossy(&existing)) {
            Owner::Importer => {}
            Owner::Edited => {
                report.warnings.push(format!(
                    "{} was generated by an earlier import and edited since; this import no longer writes it, so it is left as it is (delete it if it is not wanted)",
                    path.display()
                ));
                continue;
            }
            Owner::Person => continue,
        }
        std::fs::remove_file(&path).map_err(|e| Error::io("remove", &path, e))?;
        report.superseded.push(rel.clone());
    }
    Ok(())
}

/// The folder a file goes into, once its existing part is resolved, must be inside
/// `into`: a linked folder leading out of it would have the import write elsewhere.
fn check_inside(into: &Path, path: &Path) -> Result<()> {
    let Ok(canonical_into) = into.canonicalize() else {
        // Nothing of `into` exists yet: everything is made inside it.
        return Ok(());
    };
    let mut existing = path.parent().unwrap_or(into);
    while existing != into && std::fs::symlink_metadata(existing).is_err() {
        existing = existing.parent().unwrap_or(into);
    }
    let real = existing
        .canonicalize()
        .map_err(|e| Error::io("read", existing, e))?;
    if real.starts_with(&canonical_into) {
        return Ok(());
    }
    Err(Diagnostic::in_file(
        existing,
        format!(
            "{} leads out of {} (to {}): the import writes only inside it",
            existing.display(),
            into.display(),
            real.display()
        ),
    )
    .with_help("replace the symbolic link with a folder")
    .into())
}

/// Writes `bytes` to `path` through a new temporary file renamed into place. The
/// temporary file is made afresh (`O_EXCL`), so a link or a pipe left in its place
/// is never written through.
pub(super) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.lectern-tmp"));
    if let Some(parent) = tmp.parent() {
        fs::create_dir_all(parent)?;
    }
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(Error::io("remove", &tmp, e))
        }
        _ => {}
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut file| file.write_all(bytes))
        .map_err(|e| Error::io("write", &tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io("rename", &tmp, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_special_characters_render_as_the_article_wrote_them() {
        let text = "1. *星* _底_ [鏈](x) <b>粗</b> #標 |表| ~刪~ &amp; `碼` \\";
        let glyphs: Vec<Glyph> = text.chars().map(Glyph::plain).collect();
        let md = inline(&glyphs);
        let mut seen = String::new();
        let options =
            pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
        for event in pulldown_cmark::Parser::new_ext(&md, options) {
            match event {
                pulldown_cmark::Event::Text(t) => seen.push_str(&t),
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Paragraph)
                | pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Paragraph) => {}
                other => panic!("{md:?} was parsed as markup: {other:?}"),
            }
        }
        assert_eq!(seen, text);
    }
}
