//! Code highlighting with syntect, by CSS classes. The syntax set is loaded the first
//! time a code block names a language, never for a site without code.

use std::sync::LazyLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Class names are prefixed so they never clash with the theme's.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Highlights `code` as `language`; `None` when the language is unknown.
pub(crate) fn highlight(code: &str, language: &str) -> Option<String> {
    let syntax = SYNTAXES.find_syntax_by_token(language)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheet for highlighted code: a light theme, and a dark one that applies in
/// the system's dark mode (unless the reader chose light) and when the reader chose dark.
pub(crate) fn syntax_stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], CLASS_STYLE)
        .unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE)
        .unwrap_or_default();
    format!(
        "/* Code highlighting (syntect) */\n{}\n@media (prefers-color-scheme: dark) {{\n{}}}\n{}",
        scoped(&light, ""),
        scoped(&dark, ":root:not([data-theme=\"light\"]) "),
        scoped(&dark, ":root[data-theme=\"dark\"] "),
    )
}

/// Prefixes every selector of every rule in `css` with `scope`; the code block's own
/// background goes on `pre.code`, so the whole block takes the theme's colours.
fn scoped(css: &str, scope: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    // Drop comments first: they may contain braces.
    let mut without_comments = String::new();
    while let Some(start) = rest.find("/*") {
        without_comments.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    without_comments.push_str(rest);
    for rule in without_comments.split('}') {
        let Some((selectors, body)) = rule.split_once('{') else {
            continue;
        };
        let selectors: Vec<String> = selectors
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                let s = if s == ".hl-code" { "pre.code" } else { s };
                format!("{scope}{s}")
            })
            .collect();
        if !selectors.is_empty() {
            out.push_str(&format!(
                "{} {{{}}}\n",
                selectors.join(", "),
                body.trim_end()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_rules_are_scoped_for_system_and_chosen_dark_mode() {
        let css = syntax_stylesheet();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        let chosen = css
            .split("\n")
            .filter(|l| l.starts_with(":root[data-theme=\"dark\"]"))
            .count();
        assert!(chosen > 10, "{css}");
        // Every selector in a list is scoped, not only the first.
        for line in css
            .lines()
            .filter(|l| l.contains(":root[data-theme=\"dark\"]") && l.contains(','))
        {
            let selectors = line.split('{').next().unwrap();
            assert!(
                selectors
                    .split(',')
                    .all(|s| s.trim().starts_with(":root[data-theme=\"dark\"]")),
                "{line}"
            );
        }
        assert!(
            css.contains("pre.code {"),
            "the block itself takes the theme's background"
        );
    }

    #[test]
    fn known_language_gets_classes_unknown_gets_none() {
        let html = highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(highlight("x", "no-such-language").is_none());
    }
}
