//! `lectern new DIR`: a small site that builds as it is, to start from; and
//! `lectern new-tribute`: a tribute's file, to fill in or from an issue form.

mod issue;

use std::path::{Path, PathBuf};

use crate::content::PLACEHOLDER;
use crate::error::{fs, Diagnostic, Error, Result};

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
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
        if entries.next().is_some() {
            return Err(Diagnostic::in_file(dir, "this folder is not empty")
                .with_help("choose a new folder name; lectern never writes over existing files")
                .into());
        }
    }
    for (path, text) in FILES {
        fs::write(&dir.join(path), text.as_bytes())?;
    }
    Ok(())
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
    fn dates_are_checked() {
        assert!(checked_date("2025-01-06").is_ok());
        assert!(checked_date("2025-13-06").is_err());
        assert!(checked_date("2025-02-30").is_err());
        assert!(checked_date("2024-02-29").is_ok());
        assert!(checked_date("2025-1-6").is_err());
        assert!(checked_date("yesterday").is_err());
    }
}
