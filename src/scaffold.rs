//! `lectern new DIR`: a small site that builds as it is, to start from; with
//! `--article FILE`, a memorial configured from its article (see [`new_memorial`]);
//! and `lectern new-tribute`: a tribute's file, to fill in or from an issue form.

mod issue;
mod theme;

pub use theme::{export_theme, ThemeExport};

use std::fmt;
use std::path::{Path, PathBuf};

use crate::content::PLACEHOLDER;
use crate::error::{fs, Diagnostic, Error, Result};
use crate::import::profile::{self, Profile, Written};
use crate::import::{import_if_changed, ImportOptions};
use crate::language::{ChineseScript, Language};

/// The files of a new site: path and contents.
const FILES: &[(&str, &str)] = &[
    (
        ".gitignore",
        "# The built site, and lectern's record of what it wrote there.\n/public\n/.lectern\n",
    ),
    (
        "site.toml",
        r#"# The site's settings. See the lectern README for every key.
title = "A new lectern site"
base_url = "https://example.org/"
description = "Long-form reading, calm and fast."
language = "en"
# Files in templates/ replace the built-in templates of the same name;
# files in static/ are copied to the site as they are.
"#,
    ),
    (
        "content/_index.md",
        r#"+++
title = "Welcome"
+++

This is the home page. Edit `content/_index.md` to change it.

Start reading with [the first chapter](@/chapters/first.md).
"#,
    ),
    (
        "content/chapters/_index.md",
        r#"+++
title = "Chapters"
weight = 1
+++

Each file in this folder is a page; `weight` sets the reading order.
"#,
    ),
    (
        "content/chapters/first.md",
        r#"+++
title = "The first chapter"
weight = 1
+++

## A heading

Text with a footnote.[^1] Links to other pages use their file:
[the second chapter](@/chapters/second.md#a-heading).

[^1]: Footnotes are numbered by first use and link back.
"#,
    ),
    (
        "content/chapters/second.md",
        r#"+++
title = "The second chapter"
weight = 2
+++

## A heading

```rust
fn main() {
    println!("Code is highlighted.");
}
```
"#,
    ),
];

/// Creates a new site in `dir`, which must not exist or be empty.
pub fn new_site(dir: &Path) -> Result<()> {
    check_empty(dir)?;
    for (path, text) in FILES {
        fs::write(&dir.join(path), text.as_bytes())?;
    }
    Ok(())
}

/// Refuses a `dir` that exists and is not an empty folder: lectern never writes over
/// existing files.
fn check_empty(dir: &Path) -> Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
        if entries.next().is_some() {
            return Err(Diagnostic::in_file(dir, "this folder is not empty")
                .with_help("choose a new folder name; lectern never writes over existing files")
                .into());
        }
    }
    Ok(())
}

/// What `lectern new DIR --article FILE` made, for the person to read.
#[derive(Debug, Clone)]
pub struct NewMemorial {
    dir: PathBuf,
    article: String,
    encoding: &'static str,
    language: &'static str,
    described: &'static str,
    edition: Option<&'static str>,
    title: String,
    import_line: String,
    warnings: Vec<String>,
}

impl fmt::Display for NewMemorial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = self.dir.display();
        writeln!(f, "created a new site in {dir} for its article:")?;
        writeln!(
            f,
            "  article   sources/{} ({}); hand corrections go in sources/fixes.toml",
            self.article, self.encoding
        )?;
        write!(f, "  language  {} ({})", self.language, self.described)?;
        match self.edition {
            Some(path) => writeln!(f, ", with an edition in the other script under {path}/")?,
            None => writeln!(f)?,
        }
        writeln!(f, "  title     {}", self.title)?;
        writeln!(f, "{}", self.import_line)?;
        for warning in &self.warnings {
            writeln!(f, "warning: {warning}")?;
        }
        write!(
            f,
            "check site.toml, then build it with `cd {dir} && lectern build`"
        )
    }
}

/// `lectern new DIR --article FILE`: a site in `dir` (which must not exist, or be
/// empty) configured from the article at `article`: its language and script, the other
/// script's edition, its title and person, the `[article]` table with a copy of the
/// article in `sources/` and a starter fixes file; then the import, so the site builds
/// and checks at once.
///
/// The article is read and understood before anything is written, so a missing,
/// binary or oversized one is refused with nothing made. Should writing or the import
/// fail, what this run made is removed again: the folder, if it made it, else the files
/// it put into the empty folder it was given.
pub fn new_memorial(dir: &Path, article: &Path) -> Result<NewMemorial> {
    let profile = profile::profile(article)?;
    check_empty(dir)?;
    let name = source_name(article);
    let summary = undone_on_failure(dir, || write_memorial(dir, &name, &profile))?;
    let language = profile.language;
    Ok(NewMemorial {
        dir: dir.to_path_buf(),
        article: name,
        encoding: profile.encoding,
        language: language.tag(),
        described: language.describe(),
        edition: other_script(&profile).map(|(_, path, _)| path),
        title: site_title(&profile),
        // A new folder has no stamp, so the import always runs.
        import_line: summary
            .as_ref()
            .map_or_else(|| "the import changed nothing".into(), |s| s.line.clone()),
        warnings: summary.map(|s| s.warnings).unwrap_or_default(),
    })
}

/// Runs `make`, which fills the empty or missing folder `dir`; if it fails, removes
/// what it made: the outermost folder on the way to `dir` that did not exist, or, when
/// `dir` did, the entries `make` puts into it (it was empty before).
fn undone_on_failure<T>(dir: &Path, make: impl FnOnce() -> Result<T>) -> Result<T> {
    // A link, even one that leads nowhere, exists: it is never removed.
    let made = dir
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && a.symlink_metadata().is_err())
        .last()
        .map(Path::to_path_buf);
    let result = make();
    if result.is_err() {
        match &made {
            Some(folder) => {
                let _ = std::fs::remove_dir_all(folder);
            }
            None => {
                for entry in [".gitignore", "site.toml"] {
                    let _ = std::fs::remove_file(dir.join(entry));
                }
                for entry in ["sources", "content"] {
                    let _ = std::fs::remove_dir_all(dir.join(entry));
                }
            }
        }
    }
    result
}

/// Writes the new site's files and imports its article.
fn write_memorial(
    dir: &Path,
    name: &str,
    profile: &Profile,
) -> Result<Option<crate::import::ImportSummary>> {
    let gitignore = concat!(
        "# The built site, lectern's record of what it wrote there, and the import's stamp.\n",
        "/public\n/.lectern\n/content/.lectern-import.json\n",
    );
    fs::write(&dir.join(".gitignore"), gitignore.as_bytes())?;
    fs::write(&dir.join("sources").join(name), &profile.bytes)?;
    fs::write(
        &dir.join("sources/fixes.toml"),
        starter_fixes(name, profile).as_bytes(),
    )?;
    fs::write(&dir.join("site.toml"), site_toml(name, profile).as_bytes())?;
    import_if_changed(&ImportOptions {
        source: dir.join("sources").join(name),
        fixes: Some(dir.join("sources/fixes.toml")),
        into: dir.join("content"),
    })
}

/// The article's file name in the new site's `sources/`: its own when that is a plain
/// name, else `article.txt`.
fn source_name(article: &Path) -> String {
    let name = article.file_name().unwrap_or_default();
    let plain = crate::input::check_name(name, article, false).is_ok()
        && name
            .to_str()
            .is_some_and(|n| !n.starts_with('.') && n != "fixes.toml" && !n.contains(['"', '/']));
    match name.to_str() {
        Some(name) if plain => name.to_string(),
        _ => "article.txt".to_string(),
    }
}

/// A TOML string holding `text`.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The site's title: the person the article remembers, as the memorial's is written
/// (`菲利克斯·希爾（Felix Hill）`); else the article's own heading; else a plain
/// title in the article's language, for the person to replace.
fn site_title(profile: &Profile) -> String {
    if let Some(person) = &profile.person {
        return format!("{}（{}）", person.name, person.latin);
    }
    if let Some(heading) = &profile.heading {
        return heading.clone();
    }
    match profile.language.written {
        // The same characters in both scripts.
        Written::Chinese(_) => "悼念文章".into(),
        _ => "In memory".into(),
    }
}

/// The edition in the other script, for a Chinese article: its language, folder and
/// name.
fn other_script(profile: &Profile) -> Option<(&'static str, &'static str, &'static str)> {
    match profile.language.written {
        Written::Chinese(ChineseScript::Traditional) => Some(("zh-Hans", "zh-hans", "简体")),
        Written::Chinese(ChineseScript::Simplified) => Some(("zh-Hant", "zh-hant", "繁體")),
        _ => None,
    }
}

/// The new site's `site.toml`.
fn site_toml(name: &str, profile: &Profile) -> String {
    let detected = profile.language;
    let tag = detected.tag();
    let title = site_title(profile);
    let mut out = format!(
        "# The site's settings, made by `lectern new --article` from its article,\n\
         # sources/{name}. The lectern README tells every key.\n\
         title = {title}\n\
         # The address the site is published at (the Pages workflow passes it with --base-url).\n\
         base_url = \"https://example.org/\"\n",
        title = quoted(&title),
    );
    let chinese = matches!(detected.written, Written::Chinese(_));
    if let Some(person) = &profile.person {
        let description = if chinese {
            // In the article's script: 紀念 and 纪念 differ.
            match detected.written {
                Written::Chinese(ChineseScript::Simplified) => format!("纪念{title}。"),
                _ => format!("紀念{title}。"),
            }
        } else {
            format!("In memory of {} ({}).", person.latin, person.name)
        };
        out.push_str(&format!("description = {}\n", quoted(&description)));
    }
    let why = match detected.written {
        Written::Chinese(script) => {
            let (script, words) = match script {
                ChineseScript::Traditional => ("Traditional", "目錄, 搜尋"),
                ChineseScript::Simplified => ("Simplified", "目录, 搜索"),
            };
            format!(
                "# The article is Chinese in {script} characters. The language is every page's\n\
                 # <html lang> (screen readers pick their voice by it) and picks the theme's\n\
                 # words ({words}, …).\n"
            )
        }
        Written::Japanese | Written::Korean => format!(
            "# The article is {}: every page's <html lang>, which screen readers pick their\n\
             # voice by. The theme's words are English: [extra.strings] replaces them.\n",
            detected.describe()
        ),
        Written::Other => {
            "# lectern could not tell which language the article is in: \"en\" is a guess.\n\
             # Set the article's own (\"fr\", \"de\", …): every page's <html lang>, which\n\
             # screen readers pick their voice by.\n"
                .to_string()
        }
    };
    out.push_str(&why);
    out.push_str(&format!("language = {}\n", quoted(tag)));
    if let Some(publisher) = &profile.publisher {
        out.push_str(&format!(
            "author = {}  # who published the article (its source line), for the feed\n",
            quoted(publisher)
        ));
    }
    if let Some((language, path, name)) = other_script(profile) {
        out.push_str(&format!(
            "edition_name = {}\n\n\
             # Every page is also built in the other script under /{path}/, converted with\n\
             # OpenCC's tables; a switch on each page leads to its counterpart.\n\
             [[editions]]\n\
             language = {}\n\
             path = {}\n\
             name = {}\n",
            quoted(&Language::new(tag).edition_name()),
            quoted(language),
            quoted(path),
            quoted(name),
        ));
    }
    if let Some(person) = &profile.person {
        out.push_str(&format!(
            "\n# The person the memorial remembers, as the article names them: the home page\n\
             # and the pages' metadata show them. Add what the article does not say.\n\
             [person]\n\
             name = {}\n\
             alternate_name = {}\n\
             # death_date = YYYY-MM-DD\n\
             # job_title = \"…\"\n\
             # affiliation = \"…\"\n",
            quoted(&person.name),
            quoted(&person.latin),
        ));
    }
    out.push_str(&format!(
        "\n# `lectern build` first imports the article into content/ (the files it owns):\n\
         # correct the import in the fixes file, which every import reads.\n\
         [article]\n\
         source = {}\n\
         fixes = \"sources/fixes.toml\"\n",
        quoted(&format!("sources/{name}")),
    ));
    out
}

/// The starter fixes file: every key, commented out, with what this article needs.
fn starter_fixes(name: &str, profile: &Profile) -> String {
    let mut out = format!(
        "# Hand data for importing sources/{name}: only what the article does not contain\n\
         # or no rule can infer. Every import reads it; take out a `#` to use a line.\n\n"
    );
    match &profile.heading {
        Some(heading) => out.push_str(&format!(
            "# The home page's title; without it, the article's own heading: {heading}\n\
             # title = \"…\"\n"
        )),
        None => out.push_str(&format!(
            "# The article has no heading of its own: its home page needs a title.\n\
             title = {}\n",
            quoted(&site_title(profile))
        )),
    }
    out.push_str(
        "\n# The article on a page of its own (article.md, first in reading order), when\n\
         # content/_index.md is a landing page written by hand:\n\
         # article_page = \"article\"\n\n\
         # The blog's title, when the line that introduces it does not say it well:\n\
         # blog_title = \"…\"\n",
    );
    if !profile.sections.is_empty() {
        out.push_str(
            "\n# The section pages' file names, which are their URLs (ASCII; the titles stay\n\
             # as in the article). lectern's are below; to choose another, take out the `#`s:\n\
             # [slugs]\n",
        );
        for (heading, slug) in &profile.sections {
            out.push_str(&format!("# {} = {}\n", quoted(heading), quoted(slug)));
        }
    }
    out.push_str(
        "\n# What the article does not say about one of its reference URLs:\n\
         # [[references]]\n\
         # url = \"https://…\"      # exactly as in the article\n\
         # id = \"…\"               # used as [^id]\n\
         # title = \"…\"\n\
         # author = \"…\"\n\
         # cite_after = \"…\"       # the citation follows the first place this text is\n",
    );
    if profile.unrepaired > 0 {
        out.push_str(&format!(
            "\n# The import found {} garbled span(s) no rule could repair: `lectern build` names\n\
             # each (line and column) and shows it marked. Repair one with its text exactly\n\
             # as in the article and what it should read; the import checks the pair\n\
             # against the damage model.\n",
            profile.unrepaired
        ));
    } else {
        out.push_str("\n# A garbled span no rule could repair: its text exactly as in the article and\n# what it should read; the import checks the pair against the damage model.\n");
    }
    out.push_str(
        "# [[repairs]]\n\
         # garbled = \"…\"\n\
         # corrected = \"…\"\n\
         # note = \"why this is right\"\n",
    );
    out
}

/// The tributes section `lectern new-tribute` creates when a site has none yet.
const TRIBUTES_INDEX: &str = r#"+++
title = "Tributes"
weight = 100                 # after the other sections
sort_by = "date"             # oldest first
template = "tributes.html"   # every tribute in full, with its author and date
+++

Words written in memory, one file each in this folder.
"#;

/// Where new tributes are written, relative to the site's folder.
struct TributesDir {
    /// The site's tributes section's folder (`content/memories`, wherever the section
    /// with `tributes.html` is), else [`NEW_TRIBUTES_DIR`].
    path: PathBuf,
    /// Whether the site has no tributes section yet: [`write_tribute`] makes one.
    is_new: bool,
}

fn tributes_dir(root: &Path) -> Result<TributesDir> {
    Ok(match crate::content::tributes_folder(root)? {
        Some(folder) => TributesDir {
            path: Path::new("content").join(folder),
            is_new: false,
        },
        None => TributesDir {
            path: PathBuf::from(NEW_TRIBUTES_DIR),
            is_new: true,
        },
    })
}

/// Where the tributes section goes in a site that has none.
const NEW_TRIBUTES_DIR: &str = "content/tributes";

/// `lectern new-tribute NAME`: writes `<slug>.md` in the site's tributes section under
/// `root` (`content/tributes/` when the site has none yet, which it then creates) for a
/// tribute by `name`, dated `date` (`YYYY-MM-DD`, default today), and returns its path
/// relative to `root`. Never overwrites a file.
pub fn new_tribute(root: &Path, name: &str, date: Option<&str>) -> Result<PathBuf> {
    let name = name.trim();
    let slug = crate::content::slugify(name);
    let dir = tributes_dir(root)?;
    if name.is_empty() || slug.is_empty() {
        return Err(Diagnostic::in_file(
            &dir.path,
            format!("cannot make a file name from the name `{name}`"),
        )
        .with_help("pass the author's name, e.g. lectern new-tribute \"Jane Doe\"")
        .into());
    }
    let date = match date {
        Some(date) => checked_date(date)?,
        None => today(),
    };
    let relative = dir.path.join(format!("{slug}.md"));
    if root.join(&relative).exists() {
        return Err(
            Diagnostic::in_file(&relative, "this tribute file already exists")
                .with_help(
                    "edit it, or pass another name; lectern never writes over existing files",
                )
                .into(),
        );
    }
    let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
    let text = format!(
        "+++\ntitle = {title}\ndate = {date}\n\n[tribute]\nauthor = {author}\n\
         # link = \"https://…\"       # optional: where it first appeared\n\
         # relation = \"colleague\"    # optional: how you knew them\n+++\n\n\
         {PLACEHOLDER}, in Markdown. Blank lines separate paragraphs.\n",
        title = quoted(name),
        author = quoted(name),
    );
    write_tribute(root, &dir, &relative, &text)?;
    Ok(relative)
}

/// A tribute `lectern new-tribute --from-issue` wrote.
#[derive(Debug)]
pub struct IssueTributeFile {
    /// The file, relative to the site's folder.
    pub path: PathBuf,
    /// The issue it came from.
    pub issue: u64,
    /// What was changed on the way (characters removed), for the maintainer.
    pub notes: Vec<String>,
}

/// `lectern new-tribute --from-issue FILE`: writes the tribute of the issue in `FILE`
/// (GitHub's JSON of an issue opened with the tribute form) into `<slug>.md` in the
/// site's tributes section under `root`, or `<slug>-<issue>.md` when another
/// tribute has that name. Refuses an issue without the author's consent, with an invalid
/// date or link, or with a field over its length limit; writes the text so that it is
/// shown exactly as typed (see [`issue`]). Never overwrites a file, and refuses an issue
/// that was already turned into a file.
pub fn new_tribute_from_issue(root: &Path, file: &Path) -> Result<IssueTributeFile> {
    let tribute = issue::read(file)?;
    let mut slug = crate::content::slugify(&tribute.name);
    // A long name makes a long address: its first words are enough to find it by.
    while slug.len() > 60 {
        slug.truncate(slug.rfind('-').unwrap_or(60));
    }
    let number = tribute.number;
    // The first line of the front matter names the issue, so that a second run on the
    // same issue (the label added again) finds the file it wrote.
    let marker = format!("# From issue #{number}");
    let from_this_issue = |line: &str| {
        line.strip_prefix(&marker)
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_digit()))
    };
    let mut candidates = vec![format!("tribute-{number}")];
    if !slug.is_empty() {
        candidates = vec![slug.clone(), format!("{slug}-{number}")];
    }
    let dir = tributes_dir(root)?;
    let mut chosen = None;
    for stem in candidates {
        let relative = dir.path.join(format!("{stem}.md"));
        match std::fs::read_to_string(root.join(&relative)) {
            Ok(existing) if existing.lines().any(from_this_issue) => {
                return Err(Diagnostic::in_file(
                    &relative,
                    format!("issue #{number} was already turned into this tribute file"),
                )
                .with_help("edit the file; lectern never writes over existing files")
                .into());
            }
            Ok(_) => continue,
            Err(_) if root.join(&relative).exists() => continue,
            Err(_) => {
                chosen = Some(relative);
                break;
            }
        }
    }
    let Some(relative) = chosen else {
        return Err(Diagnostic::in_file(
            &dir.path,
            format!("the files issue #{number}'s tribute would be written to already exist"),
        )
        .with_help("add the tribute by hand; lectern never writes over existing files")
        .into());
    };
    let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
    let by = tribute
        .login
        .as_deref()
        .map_or(String::new(), |login| format!(", opened by @{login}"));
    let mut text = format!(
        "+++\n{marker}{by}; written by `lectern new-tribute --from-issue`\n\
         title = {title}\ndate = {date}\n\n[tribute]\nauthor = {author}\n",
        title = quoted(&tribute.name),
        date = tribute.date,
        author = quoted(&tribute.name),
    );
    if let Some(relation) = &tribute.relation {
        text.push_str(&format!("relation = {}\n", quoted(relation)));
    }
    if let Some(link) = &tribute.link {
        text.push_str(&format!("link = {}\n", quoted(link)));
    }
    text.push_str("+++\n\n");
    text.push_str(&tribute.markdown);
    write_tribute(root, &dir, &relative, &text)?;
    Ok(IssueTributeFile {
        path: relative,
        issue: number,
        notes: tribute.notes,
    })
}

/// Writes a new tribute file (`relative` to `root`) into `dir`, creating the tributes
/// section first if the site has none; never writes over a file.
fn write_tribute(root: &Path, dir: &TributesDir, relative: &Path, text: &str) -> Result<()> {
    let index = root.join(&dir.path).join("_index.md");
    if dir.is_new && !index.exists() {
        fs::write(&index, TRIBUTES_INDEX.as_bytes())?;
    }
    let path = root.join(relative);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Error::io("create", &path, e))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io("write", &path, e))
}

/// A `YYYY-MM-DD` date from the command line, checked.
fn checked_date(date: &str) -> Result<String> {
    // jiff also refuses dates that do not exist (2025-02-30).
    match date.parse::<jiff::civil::Date>() {
        Ok(parsed) if parsed.to_string() == date => Ok(date.to_string()),
        _ => Err(
            Diagnostic::in_file(Path::new("--date"), format!("`{date}` is not a date"))
                .with_help("write it as YYYY-MM-DD, e.g. --date 2025-01-06")
                .into(),
        ),
    }
}

/// Today's date where the writer is (the system's time zone) as `YYYY-MM-DD`: a tribute
/// written in Asia before 8 a.m. is dated that day, not the day before as in UTC.
fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_without_letters_names_the_file_after_its_issue() {
        let dir = tempfile::tempdir().unwrap();
        let l = issue::LABELS;
        let body = format!(
            "### {}\n\n——\n\n### {}\n\nfriend\n\n### {}\n\n2025-01-06\n\n### {}\n\nWords.\n\n### {}\n\n_No response_\n\n### {}\n\n- [X] yes\n",
            l.name, l.relation, l.date, l.text, l.link, l.consent
        );
        let issue = dir.path().join("issue.json");
        let json = serde_json::json!({"number": 5, "body": body, "user": {"login": "a"}});
        std::fs::write(&issue, json.to_string()).unwrap();
        let written = new_tribute_from_issue(dir.path(), &issue).unwrap();
        assert_eq!(written.path, Path::new("content/tributes/tribute-5.md"));
        let text = std::fs::read_to_string(dir.path().join(&written.path)).unwrap();
        assert!(text.contains("author = \"——\""), "{text}");
        assert!(new_tribute_from_issue(dir.path(), &issue)
            .unwrap_err()
            .to_string()
            .contains("issue #5 was already turned into this tribute file"));
    }

    #[test]
    fn a_failed_run_removes_what_it_made_and_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        let fail = |dir: &Path| {
            let dir = dir.to_path_buf();
            move || -> Result<()> {
                fs::write(&dir.join("site.toml"), b"x")?;
                fs::write(&dir.join("sources/a.txt"), b"x")?;
                fs::write(&dir.join("content/_index.md"), b"x")?;
                Err(Diagnostic::in_file(&dir, "failed").into())
            }
        };
        // Folders it made, up to the first that was there: gone.
        let deep = root.path().join("a/b/mem");
        assert!(undone_on_failure(&deep, fail(&deep)).is_err());
        assert!(!root.path().join("a").exists());
        // An empty folder that was there: kept, empty again.
        let empty = root.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        assert!(undone_on_failure(&empty, fail(&empty)).is_err());
        assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);
        // Success keeps everything.
        let kept = root.path().join("kept");
        assert!(undone_on_failure(&kept, || fs::write(&kept.join("site.toml"), b"x")).is_ok());
        assert!(kept.join("site.toml").exists());
    }

    #[test]
    fn dates_are_checked() {
        assert!(checked_date("2025-01-06").is_ok());
        assert!(checked_date("2025-13-06").is_err());
        assert!(checked_date("2025-02-30").is_err());
        assert!(checked_date("2024-02-29").is_ok());
        assert!(checked_date("2025-1-6").is_err());
        assert!(checked_date("yesterday").is_err());
    }
}
