//! Tera's errors, turned into diagnostics that point into the template file.

use std::error::Error as _;
use std::path::Path;

use regex::Regex;

use super::TemplateSource;
use crate::error::{Diagnostic, Location};

/// The whole chain of a Tera error as one message.
pub fn chain(error: &tera::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(e) = source {
        parts.push(e.to_string());
        source = e.source();
    }
    parts.join(": ")
}

/// A diagnostic for a template that failed to parse.
pub fn parse_error(error: &tera::Error, sources: &[TemplateSource]) -> Diagnostic {
    let message = chain(error);
    let position = Regex::new(r"--> (\d+):(\d+)").expect("valid regex");
    // Tera's message begins with the template's name; the rest may quote the line, and
    // `{% extends "base.html" %}` there names another template.
    let named = Regex::new(r#"^Failed to parse ['"]([^'"]+)['"]"#).expect("valid regex");
    let template = match named.captures(&message) {
        Some(caps) => sources.iter().find(|s| s.name == caps[1]),
        None => sources.iter().find(|s| {
            message.contains(&format!("'{}'", s.name))
                || message.contains(&format!("\"{}\"", s.name))
        }),
    };
    if let (Some(source), Some(caps)) = (template, position.captures(&message)) {
        let line = caps[1].parse().unwrap_or(1);
        let column = caps[2].parse().unwrap_or(1);
        let reason = message
            .lines()
            .rev()
            .find(|l| l.trim_start().starts_with("= "))
            .map(|l| l.trim_start().trim_start_matches("= ").to_string())
            .unwrap_or_else(|| "syntax error".into());
        let diagnostic = Diagnostic::at(
            Location::from_line_column(&source.path, &source.text, line, column),
            format!("template syntax error in `{}`: {reason}", source.name),
        );
        let at_line = source
            .text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("");
        if at_line.contains("{% extends") || at_line.contains("{%- extends") {
            return diagnostic.with_help(
                "`{% extends %}` must be the template's first tag: move it to the top \
                 (only `{# comments #}` may come before it)",
            );
        }
        return match unclosed_tag_line(&source.text, line) {
            Some(open) if open != line => diagnostic.with_help(format!(
                "the tag opened on line {open} is not closed before this point"
            )),
            _ => diagnostic,
        };
    }
    // No position (a circular `extends`, say): still name the template's file.
    let path = template.map_or(Path::new("templates"), |s| s.path.as_path());
    Diagnostic::in_file(path, format!("template error: {message}"))
}

/// The line of the last `{{` or `{%` before line `line` that has no closing `}}`/`%}`.
fn unclosed_tag_line(text: &str, line: usize) -> Option<usize> {
    let end: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let before = &text[..end.min(text.len())];
    let open = before
        .rfind("{{")
        .into_iter()
        .chain(before.rfind("{%"))
        .max()?;
    let closed = before[open..].contains("}}") || before[open..].contains("%}");
    (!closed).then(|| before[..open].matches('\n').count() + 1)
}

/// A diagnostic for a page that failed to render with `template`.
pub fn render_error(
    error: &tera::Error,
    template: &str,
    page: &Path,
    sources: &[TemplateSource],
) -> Diagnostic {
    let message = chain(error);
    // What Tera names without a place: a variable, a filter, a function or a test. Its
    // name is looked for inside a tag, in the template itself, then in the ones it
    // extends or includes.
    let named = Regex::new(
        r"Variable `([^`]+)` not found|(Filter|Function|Test)(?: call)? '([^']+)' (not found|failed)",
    )
    .expect("valid regex");
    if let Some(caps) = named.captures(&message) {
        let (name, what) = match caps.get(1) {
            Some(variable) => (variable.as_str(), None),
            None => (caps.get(3).map_or("", |m| m.as_str()), Some(&caps[2])),
        };
        let ordered = sources
            .iter()
            .filter(|s| s.name == template)
            .chain(sources.iter().filter(|s| s.name != template));
        for source in ordered {
            if let Some(offset) = find_variable(&source.text, name) {
                let at = Location::from_offset(&source.path, &source.text, offset);
                return match what {
                    None => Diagnostic::at(
                        at,
                        format!("`{name}` is not defined when rendering {}", page.display()),
                    )
                    .with_help("check the spelling, or guard it with `{% if … is defined %}`"),
                    Some(kind) => {
                        Diagnostic::at(at, format!("cannot render {}: {message}", page.display()))
                            .with_help(format!(
                        "{} `{name}`: Tera's built-in ones and lectern's are listed in the README",
                        kind.to_lowercase()
                    ))
                    }
                };
            }
        }
    }
    if let Some(source) = sources.iter().find(|s| s.name == template) {
        return Diagnostic::in_file(
            &source.path,
            format!("cannot render {}: {message}", page.display()),
        );
    }
    Diagnostic::in_file(
        page,
        format!("cannot render with template `{template}`: {message}"),
    )
}

/// Byte offset of `name` used as a variable inside a `{{ }}` or `{% %}` tag.
fn find_variable(text: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(name) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        let boundary =
            |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
        let inside_tag = text[..at]
            .rfind(['{'])
            .is_some_and(|open| text[..at].rfind('}').is_none_or(|close| close < open));
        if boundary(before) && boundary(after) && inside_tag {
            return Some(at);
        }
        from = at + name.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_variable_inside_a_tag_only() {
        let text = "page.titl is text\n<h1>{{ page.titl }}</h1>";
        let at = find_variable(text, "page.titl").unwrap();
        assert_eq!(&text[at - 3..at], "{{ ");
    }
}
