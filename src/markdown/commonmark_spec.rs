//! The CommonMark spec's 652 examples (`tests/data/commonmark-spec.json`, see the README
//! there) through lectern's Markdown stage, the function the build renders every page
//! body with, compared with the spec's HTML once lectern's own decorations are set
//! aside: so lectern's event rewriting cannot drift from the spec unnoticed.
//!
//! The site trusts its content (`markdown.unsafe_html = true`), so raw HTML examples
//! compare; highlighting is off (its spans are lectern's own, tested elsewhere). Every
//! difference lectern makes on purpose is in [`INTENDED`], with its reason; any other
//! fails the test, and so does a listed example that starts to agree.

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use crate::content::Site;

/// HTML comments, which lectern never writes (README: Content): the spec's HTML is
/// compared without them.
static COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?ms)^[ \t]*<!--.*?-->[ \t]*\n|<!---?>|<!--.*?-->").expect("valid pattern")
});

/// Examples whose HTML differs from the spec's on purpose, with why.
const INTENDED: &[(usize, &str)] = &[
    (
        484,
        "a relative link to a `.md` file is a link to that content file's page (README: \
         Content), and one to a file that is not in content/ fails the build",
    ),
    (
        581,
        "an image without alt text is an error (README: Photos); `![-](…)` is a \
         decorative image, `alt=\"\"`",
    ),
];

#[derive(Deserialize)]
struct Spec {
    examples: Vec<Example>,
}

#[derive(Deserialize)]
struct Example {
    example: usize,
    section: String,
    markdown: String,
    html: String,
}

/// `markdown` as the body of the only page of a site that trusts its content (as one
/// with `markdown.unsafe_html = true`), through the Markdown stage: its HTML, and the
/// problems it reported (a build would stop on them).
fn render(markdown: &str) -> (String, Vec<String>) {
    let (site, settings) = Site::for_test_with(
        "[markdown]\nunsafe_html = true\nhighlight_code = false",
        &[(
            "_index.md",
            &format!("+++\ntitle = \"spec\"\n+++\n{markdown}"),
        )],
    );
    let (rendered, problems) = super::render_with_problems(&site, &settings, site.root);
    let problems = problems.iter().map(ToString::to_string).collect();
    (rendered.html, problems)
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap()
}

/// Sets aside what lectern adds to the HTML on purpose, each named, in lectern's HTML
/// and the spec's alike.
fn normalise(html: &str) -> String {
    // Headings get a stable id and an anchor link (README: Markdown).
    static HEADING_ID: LazyLock<Regex> = LazyLock::new(|| regex(r#"<h([1-6]) id="[^"]*""#));
    static HEADING_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r##"<a class="heading-anchor" href="#[^"]*" aria-hidden="true" tabindex="-1">#</a></h"##,
        )
    });
    // Code blocks are marked for the stylesheet, named by language and focusable (they
    // scroll sideways).
    static CODE_BLOCK: LazyLock<Regex> =
        LazyLock::new(|| regex(r#"<pre class="code"(?: data-lang="[^"]*")? tabindex="0">"#));
    // Links to other sites are marked, and opened without the opener or a referrer.
    static EXTERNAL: LazyLock<Regex> =
        LazyLock::new(|| regex(r#"<a class="external" href="([^"]*)" rel="noopener noreferrer""#));
    // Addresses keep CJK readable: lectern percent-encodes only what would break the
    // attribute, pulldown-cmark every non-ASCII byte and more. Compared decoded.
    static ADDRESS: LazyLock<Regex> = LazyLock::new(|| regex(r#" (href|src)="([^"]*)""#));
    // A newline right after `<li>`: pulldown-cmark writes one before a block it writes
    // itself, not before lectern's code blocks and headings (nor raw HTML). The spec's
    // own test runner ignores white space between block tags; this ignores only that.
    static ITEM_START: LazyLock<Regex> = LazyLock::new(|| regex(r"<li>\n"));
    // Code block text goes through lectern's one escape function, which writes `"` as
    // `&quot;` (the same text in HTML). Only inside code blocks: in an attribute, a bare
    // `"` would be a real difference.
    static CODE_TEXT: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(?s)<pre><code([^>]*)>(.*?)</code></pre>"));
    let html = HEADING_ID.replace_all(html, "<h$1");
    let html = HEADING_ANCHOR.replace_all(&html, "</h");
    let html = CODE_BLOCK.replace_all(&html, "<pre>");
    let html = CODE_TEXT.replace_all(&html, |found: &regex::Captures| {
        let text = found[2].replace("&quot;", "\"");
        format!("<pre><code{}>{text}</code></pre>", &found[1])
    });
    let html = ITEM_START.replace_all(&html, "<li>");
    let html = EXTERNAL.replace_all(&html, "<a href=\"$1\"");
    let html = ADDRESS.replace_all(&html, |found: &regex::Captures| {
        let value = found[2].replace("&amp;", "&");
        let decoded = percent_encoding::percent_decode_str(&value).decode_utf8_lossy();
        format!(" {}=\"{}\"", &found[1], decoded.replace('&', "&amp;"))
    });
    html.into_owned()
}

#[test]
fn the_commonmark_spec_examples_render_as_the_spec_says() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/commonmark-spec.json");
    let spec: Spec = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(spec.examples.len(), 652, "{}", path.display());
    let intended: HashMap<usize, &str> = INTENDED.iter().copied().collect();
    assert_eq!(intended.len(), INTENDED.len(), "an example listed twice");
    let mut failures = Vec::new();
    for example in &spec.examples {
        let (html, problems) = render(&example.markdown);
        let expected = COMMENT.replace_all(&example.html, "");
        let agrees = problems.is_empty() && normalise(&html) == normalise(&expected);
        let listed = intended.contains_key(&example.example);
        if agrees && listed {
            failures.push(format!(
                "example {} ({}) now agrees with the spec: remove it from INTENDED",
                example.example, example.section
            ));
        } else if !agrees && !listed {
            failures.push(format!(
                "example {} ({}) differs from the spec\n--- markdown\n{}--- spec\n{}--- lectern\n{}{}",
                example.example,
                example.section,
                example.markdown,
                normalise(&example.html),
                normalise(&html),
                problems
                    .iter()
                    .map(|p| format!("--- problem\n{p}\n"))
                    .collect::<String>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 652 examples:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}
