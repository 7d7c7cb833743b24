//! `lectern new-tribute --from-issue issue.json`: a tribute written in the repository's
//! issue form (`.github/ISSUE_TEMPLATE/tribute.yml`), read from the issue as GitHub sends
//! it to a workflow (`github.event.issue`, as JSON), and turned into the fields of a
//! tribute file.
//!
//! Everything in the issue was typed by someone who may not mean well, and the file is
//! read by the build of a site whose `unsafe_html` may be on, so nothing is taken as it
//! is: names are one line of plain text, control and bidirectional override characters
//! are removed, every Markdown and HTML character of the text is escaped (the tribute is
//! shown exactly as it was typed, with its paragraphs and line breaks, and can neither
//! hold a tag, an image or a link nor end the front matter), the link is a web address,
//! and each field has a length limit.

use std::path::Path;

use serde_json::Value;

use crate::error::{fs, Diagnostic, Error, Result};

/// The form's labels, which GitHub writes as `### label` headings in the issue's body,
/// each followed by what was typed. The form (`.github/ISSUE_TEMPLATE/tribute.yml`) must
/// use exactly these; a test compares them.
pub const LABELS: Labels = Labels {
    name: "你的名字（Your name）",
    relation: "你們的關係（How you knew each other）",
    date: "日期（Date, YYYY-MM-DD）",
    text: "悼念的話（Your tribute）",
    link: "連結（Link, optional）",
    consent: "同意公開（Consent to publish）",
};

/// The labels of the issue form's fields (see [`LABELS`]).
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    /// The author's name, as it should be shown.
    pub name: &'static str,
    /// How the author knew the person.
    pub relation: &'static str,
    /// The day the tribute was written.
    pub date: &'static str,
    /// The tribute itself.
    pub text: &'static str,
    /// Where it first appeared (optional).
    pub link: &'static str,
    /// The box the author ticks to let the site publish it.
    pub consent: &'static str,
}

/// What GitHub writes for an optional field left empty.
const NO_RESPONSE: &str = "_No response_";

/// The largest issue file read: GitHub's issue bodies stop at 65,536 characters, which
/// with the rest of the issue is well under this.
const MAX_ISSUE_BYTES: u64 = 1024 * 1024;
/// The longest tribute text, in characters: several pages of prose.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// The longest name, in characters.
const MAX_NAME_CHARS: usize = 100;
/// The longest relation, in characters.
const MAX_RELATION_CHARS: usize = 200;
/// The longest link, in characters.
const MAX_LINK_CHARS: usize = 2_000;

/// A tribute read from an issue, every field made safe to write into a content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IssueTribute {
    /// The issue's number.
    pub number: u64,
    /// The GitHub account that opened the issue, when it is a valid login.
    pub login: Option<String>,
    /// The author's name: one line of plain text.
    pub name: String,
    /// How they knew the person: one line, or none.
    pub relation: Option<String>,
    /// `YYYY-MM-DD`, a real day, not in the future.
    pub date: String,
    /// An `http` or `https` address, or none.
    pub link: Option<String>,
    /// The tribute as Markdown that shows exactly the text typed.
    pub markdown: String,
    /// What was changed on the way, for the maintainer.
    pub notes: Vec<String>,
}

/// Reads the issue at `path` (the JSON of `github.event.issue`, or of the whole event).
pub(crate) fn read(path: &Path) -> Result<IssueTribute> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io("read", path, e))?
        .len();
    if size > MAX_ISSUE_BYTES {
        return Err(Diagnostic::in_file(
            path,
            format!("the issue file is {size} bytes, more than an issue can be"),
        )
        .with_help("pass the JSON of one issue, as GitHub sends it in github.event.issue")
        .into());
    }
    let bytes = fs::read(path)?;
    let json: Value = serde_json::from_slice(&bytes).map_err(|e| {
        let text = String::from_utf8_lossy(&bytes);
        Diagnostic::at(
            crate::error::Location::from_line_column(path, &text, e.line(), e.column()),
            format!("the issue file is not valid JSON: {e}"),
        )
        .with_help("pass the JSON of one issue, as GitHub sends it in github.event.issue")
    })?;
    parse(path, &json)
}

/// The tribute in `json`, an issue or an event that holds one under `issue`.
pub(crate) fn parse(path: &Path, json: &Value) -> Result<IssueTribute> {
    let issue = match json.get("issue") {
        Some(inner) if inner.is_object() => inner,
        _ => json,
    };
    let problem = |message: String, help: &str| -> Error {
        Diagnostic::in_file(path, message).with_help(help).into()
    };
    let Some(number) = issue.get("number").and_then(Value::as_u64) else {
        return Err(problem(
            "the issue file has no issue `number`".into(),
            "pass the JSON of one issue, as GitHub sends it in github.event.issue",
        ));
    };
    let login = issue
        .pointer("/user/login")
        .and_then(Value::as_str)
        .filter(|login| is_login(login))
        .map(str::to_string);
    let body = issue.get("body").and_then(Value::as_str).unwrap_or("");
    let fields = fields(body).ok_or_else(|| {
        problem(
            format!("issue #{number} was not written with the tribute form: its text lacks the form's headings"),
            "ask the author to open a new issue with the tribute form (.github/ISSUE_TEMPLATE/tribute.yml)",
        )
    })?;
    let mut notes = Vec::new();
    let field = |label: &str, value: &str| {
        let removed = value.chars().filter(|&c| is_removed(c)).count();
        (removed > 0).then(|| {
            let s = if removed == 1 { "" } else { "s" };
            format!(
                "removed {removed} control or bidirectional override character{s} from `{label}`"
            )
        })
    };
    for (label, value) in [
        (LABELS.name, fields.name),
        (LABELS.relation, fields.relation),
        (LABELS.text, fields.text),
    ] {
        notes.extend(field(label, value));
    }

    if !fields.consent.lines().any(is_ticked) {
        return Err(problem(
            format!(
                "issue #{number}: the box `{}` is not ticked, so the tribute may not be published",
                LABELS.consent
            ),
            "only the author can give consent: ask them to edit the issue and tick the box",
        ));
    }
    let name = one_line(fields.name);
    if name.is_empty() || name == NO_RESPONSE {
        return Err(problem(
            format!("issue #{number}: `{}` is empty", LABELS.name),
            "the tribute needs the name its author wants shown",
        ));
    }
    check_length(&name, MAX_NAME_CHARS, LABELS.name, number, path)?;
    let relation = optional(&one_line(fields.relation));
    if let Some(relation) = &relation {
        check_length(relation, MAX_RELATION_CHARS, LABELS.relation, number, path)?;
    }
    let date = checked_date(fields.date.trim()).map_err(|why| {
        problem(
            format!(
                "issue #{number}: `{}` is `{}`, {why}",
                LABELS.date,
                one_line(fields.date)
            ),
            "edit the issue to write the day as YYYY-MM-DD, e.g. 2025-01-06",
        )
    })?;
    let link = match optional(fields.link.trim()) {
        None => None,
        Some(link) => {
            check_length(&link, MAX_LINK_CHARS, LABELS.link, number, path)?;
            if !is_web_address(&link) {
                return Err(problem(
                    format!(
                        "issue #{number}: `{}` is `{}`, which is not a web address",
                        LABELS.link,
                        one_line(&link)
                    ),
                    "edit the issue to give a whole http:// or https:// address, or leave the field empty",
                ));
            }
            Some(link)
        }
    };
    let text = clean(fields.text);
    let text = text.trim();
    if text.is_empty() || text == NO_RESPONSE {
        return Err(problem(
            format!("issue #{number}: `{}` is empty", LABELS.text),
            "the tribute needs its text",
        ));
    }
    check_length(text, MAX_TEXT_CHARS, LABELS.text, number, path)?;
    Ok(IssueTribute {
        number,
        login,
        name,
        relation,
        date,
        link,
        markdown: markdown(text),
        notes,
    })
}

/// The form's fields in an issue's body, each the text under its heading.
#[derive(Debug, PartialEq, Eq)]
struct Fields<'a> {
    name: &'a str,
    relation: &'a str,
    date: &'a str,
    text: &'a str,
    link: &'a str,
    consent: &'a str,
}

/// Finds the form's headings in `body` (GitHub writes `### label`, a blank line, the
/// value, a blank line). The author can type a heading into the text too, so the
/// fields before the text are the first of their headings, in order, and those after it
/// the last: whatever the text holds stays in the text.
fn fields(body: &str) -> Option<Fields<'_>> {
    // Where each line starts and what it says, without its line ending.
    let mut lines = Vec::new();
    let mut start = 0;
    for line in body.split_inclusive('\n') {
        lines.push((start, line.trim_end_matches(['\n', '\r'])));
        start += line.len();
    }
    let is_heading = |index: usize, label: &str| {
        lines[index]
            .1
            .strip_prefix("### ")
            .is_some_and(|rest| rest.trim() == label)
    };
    let first_after =
        |from: usize, label: &str| (from..lines.len()).find(|&i| is_heading(i, label));
    let last_between =
        |from: usize, to: usize, label: &str| (from..to).rev().find(|&i| is_heading(i, label));
    let name = first_after(0, LABELS.name)?;
    let relation = first_after(name + 1, LABELS.relation)?;
    let date = first_after(relation + 1, LABELS.date)?;
    let text = first_after(date + 1, LABELS.text)?;
    let consent = last_between(text + 1, lines.len(), LABELS.consent)?;
    let link = last_between(text + 1, consent, LABELS.link)?;
    // The text from the line after heading `at` to the heading `next` (or the end).
    let value = |at: usize, next: Option<usize>| {
        let from = lines.get(at + 1).map_or(body.len(), |line| line.0);
        let to = next.map_or(body.len(), |next| lines[next].0);
        body[from..to].trim_matches(['\n', '\r', ' ', '\t'])
    };
    Some(Fields {
        name: value(name, Some(relation)),
        relation: value(relation, Some(date)),
        date: value(date, Some(text)),
        text: value(text, Some(link)),
        link: value(link, Some(consent)),
        consent: value(consent, None),
    })
}

/// A ticked box as GitHub writes it: `- [X] …`.
fn is_ticked(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("- [X]") || line.starts_with("- [x]")
}

/// Characters a tribute never keeps: control characters (a line ending is turned into a
/// space or kept as a line break before this is asked) and the bidirectional overrides
/// and isolates, which make text show in another order than it is written.
fn is_removed(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\r' && c != '\t')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `text` with its line endings made `\n` (also Unicode's line and paragraph
/// separators), tabs made spaces, and the characters [`is_removed`] names removed.
fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{2028}' => out.push('\n'),
            '\u{2029}' => out.push_str("\n\n"),
            '\t' => out.push(' '),
            c if is_removed(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// `text` as one line of plain text: [`clean`], with every run of white space one space.
fn one_line(text: &str) -> String {
    clean(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `None` for an empty field or GitHub's `_No response_`.
fn optional(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty() && value != NO_RESPONSE).then(|| value.to_string())
}

fn check_length(value: &str, max: usize, label: &str, number: u64, path: &Path) -> Result<()> {
    let length = value.chars().count();
    if length <= max {
        return Ok(());
    }
    Err(Diagnostic::in_file(
        path,
        format!("issue #{number}: `{label}` is {length} characters long; the limit is {max}"),
    )
    .with_help("ask the author to shorten it, or add the tribute by hand in a pull request")
    .into())
}

/// A GitHub login: letters, digits and single hyphens, at most 39 characters.
fn is_login(login: &str) -> bool {
    !login.is_empty()
        && login.len() <= 39
        && login.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !login.starts_with('-')
}

/// A real `YYYY-MM-DD` day, not after tomorrow (a writer ahead of the machine's time
/// zone may already be there); why not otherwise.
fn checked_date(date: &str) -> std::result::Result<String, &'static str> {
    let parsed = date
        .parse::<jiff::civil::Date>()
        .ok()
        .filter(|parsed| parsed.to_string() == date)
        .ok_or("which is not a date")?;
    let today = jiff::ZonedDateTime::now().date();
    if today.tomorrow().is_ok_and(|tomorrow| parsed > tomorrow) {
        return Err("which is in the future");
    }
    Ok(date.to_string())
}

/// An `http` or `https` address with a host, no user name or password, and no spaces.
fn is_web_address(link: &str) -> bool {
    if link
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || is_removed(c))
    {
        return false;
    }
    url::Url::parse(link).is_ok_and(|url| {
        matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some_and(|host| !host.is_empty())
            && url.username().is_empty()
            && url.password().is_none()
            && (link.starts_with("https://") || link.starts_with("http://"))
    })
}

/// The text as Markdown that shows exactly what was typed: paragraphs at blank lines,
/// a line break at each line ending (as GitHub showed it to the author), and every
/// character that Markdown or HTML would read as syntax escaped with a backslash, so
/// that no tag, link, image, heading, list, table or front-matter delimiter can come
/// out of it, whatever the site's `unsafe_html`.
fn markdown(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines().chain([""]) {
        let line = line.trim();
        if line.is_empty() {
            if !lines.is_empty() {
                paragraphs.push(lines.join("\\\n"));
                lines.clear();
            }
        } else {
            lines.push(escape_line(line));
        }
    }
    let mut out = paragraphs.join("\n\n");
    out.push('\n');
    out
}

/// One line with its Markdown syntax escaped: the characters that mean something
/// anywhere (emphasis, links, code, tags, entities, tables, strikethrough, attributes),
/// and those that mean something at the start of a line (lists, headings' underlines,
/// thematic breaks, `+++`) or after a number there (`1.` and `1)` lists).
fn escape_line(line: &str) -> String {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let mut out = String::with_capacity(line.len() + 8);
    for (index, c) in line.chars().enumerate() {
        let anywhere = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '&' | '|' | '~' | '{' | '}'
        );
        let at_start = index == 0 && matches!(c, '-' | '+' | '=' | ':');
        let after_number = digits > 0 && index == digits && matches!(c, '.' | ')');
        if anywhere || at_start || after_number {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(name: &str, relation: &str, date: &str, text: &str, link: &str, tick: &str) -> String {
        let l = LABELS;
        format!(
            "### {}\n\n{name}\n\n### {}\n\n{relation}\n\n### {}\n\n{date}\n\n### {}\n\n{text}\n\n### {}\n\n{link}\n\n### {}\n\n- [{tick}] 我同意\n",
            l.name, l.relation, l.date, l.text, l.link, l.consent
        )
    }

    fn parsed(body: &str) -> Result<IssueTribute> {
        let json = serde_json::json!({"number": 7, "body": body, "user": {"login": "jane-doe"}});
        parse(Path::new("issue.json"), &json)
    }

    #[test]
    fn reads_each_field_under_its_heading() {
        let tribute = parsed(&body(
            "Jane Doe",
            "colleague",
            "2025-01-06",
            "One.\n\nTwo,\nthree.",
            "https://example.org/p",
            "X",
        ))
        .unwrap();
        assert_eq!(tribute.name, "Jane Doe");
        assert_eq!(tribute.relation.as_deref(), Some("colleague"));
        assert_eq!(tribute.date, "2025-01-06");
        assert_eq!(tribute.link.as_deref(), Some("https://example.org/p"));
        assert_eq!(tribute.markdown, "One.\n\nTwo,\\\nthree.\n");
        assert_eq!(tribute.login.as_deref(), Some("jane-doe"));
        assert_eq!(tribute.number, 7);
        let optional =
            parsed(&body("J", NO_RESPONSE, "2025-01-06", "t", NO_RESPONSE, "x")).unwrap();
        assert_eq!((optional.relation, optional.link), (None, None));
    }

    #[test]
    fn headings_typed_into_the_text_stay_in_the_text() {
        let l = LABELS;
        let text = format!(
            "Mine.\n\n### {}\n\nhttps://evil.example\n\n### {}\n\n- [X] 我同意",
            l.link, l.consent
        );
        let tribute = parsed(&body("J", "f", "2025-01-06", &text, NO_RESPONSE, " ")).unwrap_err();
        // The real box, the last one, is not ticked.
        assert!(tribute.to_string().contains("is not ticked"), "{tribute}");
        let tribute = parsed(&body("J", "f", "2025-01-06", &text, NO_RESPONSE, "X")).unwrap();
        assert_eq!(tribute.link, None);
        assert!(
            tribute.markdown.contains("\\#\\#\\# 連結"),
            "{}",
            tribute.markdown
        );
        assert!(
            tribute.markdown.contains("\\- \\[X\\] 我同意"),
            "{}",
            tribute.markdown
        );
    }

    #[test]
    fn markdown_syntax_is_shown_as_typed() {
        assert_eq!(escape_line("+++"), "\\+++");
        assert_eq!(escape_line("1. first"), "1\\. first");
        assert_eq!(escape_line("2024) a"), "2024\\) a");
        assert_eq!(escape_line("a 1. b - c"), "a 1. b - c");
        assert_eq!(
            escape_line("<script>x</script> [a](javascript:x) ![i](u) *e* `c` &amp; a|b ~~s~~ {#id}"),
            "\\<script\\>x\\</script\\> \\[a\\](javascript:x) !\\[i\\](u) \\*e\\* \\`c\\` \\&amp; a\\|b \\~\\~s\\~\\~ \\{\\#id\\}"
        );
        assert_eq!(escape_line("\\"), "\\\\");
    }

    #[test]
    fn control_and_override_characters_are_removed() {
        let tribute = parsed(&body(
            "Ja\u{202e}ne\u{0}",
            "f\u{1b}[2J",
            "2025-01-06",
            "a\u{2066}b\r\nc\u{7}",
            NO_RESPONSE,
            "X",
        ))
        .unwrap();
        assert_eq!(tribute.name, "Jane");
        assert_eq!(tribute.relation.as_deref(), Some("f[2J"));
        assert_eq!(tribute.markdown, "ab\\\nc\n");
        assert_eq!(tribute.notes.len(), 3, "{:?}", tribute.notes);
    }

    #[test]
    fn refuses_what_cannot_be_published() {
        for (body, why) in [
            (
                body("J", "f", "2025-01-06", "t", NO_RESPONSE, " "),
                "is not ticked",
            ),
            (
                body(NO_RESPONSE, "f", "2025-01-06", "t", NO_RESPONSE, "X"),
                "is empty",
            ),
            (
                body("J", "f", "2025-02-30", "t", NO_RESPONSE, "X"),
                "which is not a date",
            ),
            (
                body("J", "f", "6 Jan 2025", "t", NO_RESPONSE, "X"),
                "which is not a date",
            ),
            (
                body("J", "f", "2999-01-01", "t", NO_RESPONSE, "X"),
                "in the future",
            ),
            (
                body("J", "f", "2025-01-06", NO_RESPONSE, NO_RESPONSE, "X"),
                "is empty",
            ),
            (
                body("J", "f", "2025-01-06", "t", "javascript:alert(1)", "X"),
                "not a web address",
            ),
            (
                body("J", "f", "2025-01-06", "t", "https://u:p@example.org", "X"),
                "not a web address",
            ),
            (
                body("J", "f", "2025-01-06", "t", "example.org", "X"),
                "not a web address",
            ),
            (
                body(&"名".repeat(101), "f", "2025-01-06", "t", NO_RESPONSE, "X"),
                "the limit is 100",
            ),
            (
                body(
                    "J",
                    "f",
                    "2025-01-06",
                    &"字".repeat(MAX_TEXT_CHARS + 1),
                    NO_RESPONSE,
                    "X",
                ),
                "the limit is 20000",
            ),
            (
                "Hello, I want to add a tribute.".to_string(),
                "was not written with the tribute form",
            ),
        ] {
            let error = parsed(&body).unwrap_err().to_string();
            assert!(error.contains(why), "{why}: {error}");
            assert!(error.contains("issue.json"), "{error}");
        }
    }

    #[test]
    fn the_issue_form_has_these_labels() {
        let form = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/ISSUE_TEMPLATE/tribute.yml"),
        )
        .unwrap();
        let labels: Vec<&str> = form
            .lines()
            .filter_map(|line| {
                line.trim_start()
                    .trim_start_matches("- ")
                    .strip_prefix("label: ")
            })
            .map(|label| label.trim_matches('"'))
            .collect();
        let l = LABELS;
        // The fields in the order GitHub writes them, then the consent box's own text.
        assert_eq!(
            labels[..6],
            [l.name, l.relation, l.date, l.text, l.link, l.consent]
        );
        assert_eq!(labels.len(), 7, "{labels:?}");
        assert!(
            form.contains("required: true\n"),
            "the consent box is required"
        );
        let form_labels = form.lines().find(|l| l.starts_with("labels:")).unwrap();
        assert!(
            !form_labels.contains("tribute-approved"),
            "only a maintainer approves: the form never adds the label itself"
        );
    }
}
