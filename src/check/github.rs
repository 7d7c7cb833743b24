//! `lectern check --format github`: each problem as a GitHub Actions workflow command
//! (`::error file=…,line=…,col=…,title=…::message`), which GitHub shows as an
//! annotation on that line of the pull request's changed file.
//!
//! Every value comes from the site, which may come from a stranger's pull request, so it
//! is escaped as GitHub's toolkit escapes it: `%`, `\r` and `\n` in the message, and also
//! `:` and `,` in a property. A newline in a file name or message can then never start
//! a workflow command of its own (`::add-mask::`, `::stop-commands::`): each problem is
//! exactly one line, and that line starts with `::error`.

use std::path::{Component, Path, PathBuf};

use crate::error::{terminal_safe, Diagnostic, Error};

/// The title of every annotation: which tool found the problem.
const TITLE: &str = "lectern check";

/// One problem as one `::error` line (with its line ending). `root` is the site's
/// folder as given with `--root`: the problem's path, relative to the site, is written
/// relative to the folder lectern runs in (the repository's root in a workflow), where
/// GitHub looks for the file.
pub fn error_line(problem: &Diagnostic, root: &Path) -> String {
    let mut properties = Vec::new();
    if let Some(location) = &problem.location {
        properties.push(("file", repository_path(root, &location.path)));
        properties.push(("line", location.line.to_string()));
        properties.push(("col", location.column.to_string()));
    } else if let Some(path) = &problem.path {
        properties.push(("file", repository_path(root, path)));
    }
    properties.push(("title", TITLE.to_string()));
    let mut message = problem.message.clone();
    if let Some(help) = &problem.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    command("error", &properties, &message)
}

/// Every problem inside `error` (an error that stopped the check before it could report,
/// such as an invalid `site.toml`) as `::error` lines; an I/O failure, which names its
/// path in its message, as one without a file.
pub fn error_lines(error: &Error, root: &Path) -> String {
    match error {
        Error::Many(list) => list.iter().map(|e| error_lines(e, root)).collect(),
        Error::Io { .. } => command("error", &[("title", TITLE.to_string())], &error.to_string()),
        _ => error
            .diagnostics()
            .into_iter()
            .map(|problem| error_line(problem, root))
            .collect(),
    }
}

/// A note (what the check could not look at) as a `::notice` line.
pub fn notice_line(note: &str) -> String {
    command("notice", &[("title", TITLE.to_string())], note)
}

/// `::name key=value,…::message` and a line ending, every part escaped.
fn command(name: &str, properties: &[(&str, String)], message: &str) -> String {
    let properties = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect::<Vec<_>>()
        .join(",");
    format!("::{name} {properties}::{}\n", escape_data(message))
}

/// A message as GitHub reads it back: `%`, `\r` and `\n` escaped, and every other
/// control or bidirectional override character shown as `\u{…}`, as lectern shows it
/// in a terminal (an ESC sequence in a file name must not reach the log as it is).
pub(crate) fn escape_data(text: &str) -> String {
    let shown: Vec<String> = text
        .split('\n')
        .map(|line| {
            line.split('\r')
                .map(|part| terminal_safe(part).into_owned())
                .collect::<Vec<_>>()
                .join("\r")
        })
        .collect();
    shown
        .join("\n")
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property's value: as [`escape_data`], and `:` and `,` too, which end a property.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `path` (relative to the site, or absolute) relative to the folder lectern runs in,
/// as GitHub names it: `content/a.md` of the site in `site/` is `site/content/a.md`.
fn repository_path(root: &Path, path: &Path) -> String {
    let joined = root.join(path);
    let mut cleaned = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if cleaned.file_name().is_some() => {
                cleaned.pop();
            }
            other => cleaned.push(other),
        }
    }
    if cleaned.is_absolute() {
        if let Some(inside) = std::env::current_dir()
            .ok()
            .and_then(|here| cleaned.strip_prefix(here).ok().map(Path::to_path_buf))
        {
            cleaned = inside;
        }
    }
    if cleaned.as_os_str().is_empty() {
        ".".to_string()
    } else {
        cleaned.to_string_lossy().into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;

    #[test]
    fn escapes_as_githubs_toolkit_does() {
        assert_eq!(escape_data("100% a\r\nb::c"), "100%25 a%0D%0Ab::c");
        assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
        // What the terminal would not get either, while the escapes above stay intact.
        assert_eq!(escape_data("a\u{1b}[2Jb\u{202e}"), r"a\u{1b}[2Jb\u{202e}");
    }

    #[test]
    fn a_problem_is_one_line_that_starts_the_command() {
        let text = "one\ntwo `::warning::x` 50%\n";
        let location = Location::from_line_column(Path::new("content/a,b:c.md"), text, 2, 5);
        let problem = Diagnostic::at(location, "bad\n::add-mask::secret").with_help("fix, 100%");
        let line = error_line(&problem, Path::new("site"));
        assert_eq!(
            line,
            "::error file=site/content/a%2Cb%3Ac.md,line=2,col=5,title=lectern check::bad%0A::add-mask::secret%0Ahelp: fix, 100%25\n"
        );
        assert_eq!(line.matches('\n').count(), 1);
    }

    #[test]
    fn paths_are_relative_to_where_lectern_runs() {
        assert_eq!(
            repository_path(Path::new("."), Path::new("content/a.md")),
            "content/a.md"
        );
        assert_eq!(
            repository_path(Path::new("./site/"), Path::new("content/a.md")),
            "site/content/a.md"
        );
        assert_eq!(repository_path(Path::new("."), Path::new(".")), ".");
        let here = std::env::current_dir().unwrap();
        assert_eq!(
            repository_path(&here.join("site"), Path::new("site.toml")),
            "site/site.toml"
        );
        let file_only = Diagnostic::in_file(Path::new("content"), "no content");
        assert_eq!(
            error_line(&file_only, Path::new(".")),
            "::error file=content,title=lectern check::no content\n"
        );
    }
}
