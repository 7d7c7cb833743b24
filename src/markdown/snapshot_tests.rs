//! Snapshots of the Markdown stage's boundary: a content file in, and out the fragment
//! with everything else the stage hands on (table of contents, anchors, links,
//! citations, plain text, problems). Each snapshot in `snapshots/` shows its input
//! above its output, so it is reviewed by reading it. A changed output fails
//! `cargo test`; how to accept a change is in `Cargo.toml`, beside `insta`.

use std::fmt::Write as _;

use super::{render_all, TocEntry, View};
use crate::config::Settings;
use crate::content::{DocId, Site};

/// `insta::assert_snapshot!` named by the test alone (the folder already says which
/// stage), without the expression (the snapshot shows its input itself).
macro_rules! snapshot {
    ($value:expr) => {
        insta::with_settings!({prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!($value);
        })
    };
}

/// The first of `files` through the Markdown stage, on its own page.
fn stage(site_toml: &str, files: &[(&str, &str)]) -> String {
    let (site, settings) = Site::for_test_with(site_toml, files);
    let doc = site.by_content_path[files[0].0];
    shown(&site, &settings, doc, View::Pages)
}

/// Document `doc` and what the stage makes of it in `view`, as a snapshot shows them:
/// each part under a `---` line, parts with nothing in them left out.
fn shown(site: &Site, settings: &Settings, doc: DocId, view: View) -> String {
    let (rendered, problems) = render_all(site, settings, doc, view);
    let document = &site.docs[doc];
    let mut out = format!(
        "--- {}\n{}\n",
        document.source.display(),
        document.text.trim_end()
    );
    let _ = write!(out, "--- html\n{}", rendered.html);
    if !rendered.toc.is_empty() {
        out.push_str("--- toc\n");
        toc(&mut out, &rendered.toc, 0);
    }
    let mut anchors: Vec<&String> = rendered.anchors.iter().collect();
    anchors.sort();
    if !anchors.is_empty() {
        let anchors: Vec<&str> = anchors.iter().map(|a| a.as_str()).collect();
        let _ = writeln!(out, "--- anchors\n{}", anchors.join(" "));
    }
    if !rendered.anchor_links.is_empty() {
        out.push_str("--- anchor links (checked once every page is rendered)\n");
        for link in &rendered.anchor_links {
            let target = &site.docs[link.target].content_path;
            let _ = writeln!(out, "{target}#{}", link.anchor);
        }
    }
    if !rendered.external_links.is_empty() {
        out.push_str("--- external links\n");
        for (_, url) in &rendered.external_links {
            let _ = writeln!(out, "{url}");
        }
    }
    if !rendered.citations.is_empty() {
        out.push_str("--- citations\n");
        for citation in &rendered.citations {
            let _ = writeln!(out, "[{}] #{}", citation.number, citation.marker_id);
        }
    }
    if rendered.has_highlighted_code {
        out.push_str("--- needs the syntax stylesheet\n");
    }
    let _ = write!(out, "--- plain text\n{}", rendered.text.content);
    for problem in problems {
        let _ = writeln!(out, "--- problem\n{}", problem.to_string().trim_end());
    }
    out
}

/// The table of contents, one heading a line, nested by indentation.
fn toc(out: &mut String, entries: &[TocEntry], depth: usize) {
    for entry in entries {
        let indent = "  ".repeat(depth);
        let _ = writeln!(
            out,
            "{indent}h{} #{} {}",
            entry.level, entry.id, entry.title
        );
        toc(out, &entry.children, depth + 1);
    }
}

// Footnotes.

#[test]
fn footnotes_are_numbered_by_first_use_with_a_back_link_per_use() {
    snapshot!(stage(
        "",
        &[(
            "a.md",
            "Second[^b], first[^a], second again[^b].\n\n\
             [^a]: Note A.\n[^b]: Note B, with *emphasis*.\n",
        )]
    ));
}

#[test]
fn a_footnote_without_a_definition_is_text() {
    snapshot!(stage("", &[("a.md", "Nothing defines this[^gone].\n")]));
}

// Citations of the references declared in front matter.

const REFERENCES: &str = "+++\ntitle = \"References\"\n\n\
    [[references]]\nid = \"kchonyc\"\ntitle = \"Kyunghyun Cho on X\"\n\
    url = \"https://x.com/kchonyc/status/1\"\n\n\
    [[references]]\nid = \"drjimfan\"\ntitle = \"Jim Fan on X\"\n\
    url = \"https://x.com/DrJimFan/status/2\"\n+++\n";

// The plain text (search index, reading time) holds what the reader sees: not the
// placeholder body of the footnote each cited reference is given until the reference
// list replaces it.
#[test]
fn citations_link_to_the_site_wide_reference_list() {
    let files = [
        (
            "a.md",
            "Jim Fan[^drjimfan] and Kyunghyun Cho[^kchonyc] wrote; Jim Fan again[^drjimfan].\n",
        ),
        ("references.md", REFERENCES),
    ];
    let (site, settings) = Site::for_test(&files);
    let doc = site.by_content_path["a.md"];
    // The page's citations are known before any page is rendered, and are the same.
    let early: Vec<String> = super::citations(&site, &settings, doc)
        .iter()
        .map(|c| c.marker_id.clone())
        .collect();
    let (rendered, _) = render_all(&site, &settings, doc, View::Pages);
    let rendered: Vec<String> = rendered
        .citations
        .into_iter()
        .map(|c| c.marker_id)
        .collect();
    assert_eq!(early, rendered);
    snapshot!(shown(&site, &settings, doc, View::Pages));
}

#[test]
fn a_footnote_defined_in_the_page_wins_over_a_reference_of_the_same_id() {
    snapshot!(stage(
        "",
        &[
            (
                "a.md",
                "Cited[^kchonyc], noted[^drjimfan].\n\n[^drjimfan]: The page's own note.\n",
            ),
            ("references.md", REFERENCES),
        ]
    ));
}

// Heading ids and the table of contents.

#[test]
fn heading_ids_are_unique_keep_cjk_and_drop_punctuation() {
    snapshot!(stage(
        "",
        &[(
            "a.md",
            "# Hello World\n\n## Hello World\n\n## Hello, World!\n\n### 錢，錢，錢\n\n\
             ### C++ & *Rust* `code`\n\n## ？！\n\n#### Deep\n",
        )]
    ));
}

#[test]
fn custom_ids_are_kept_unless_another_heading_has_them() {
    snapshot!(stage(
        "",
        &[(
            "a.md",
            "## Intro {#start}\n\n## Again {#start}\n\n## Start\n\n## Wide {.wide #w}\n",
        )]
    ));
}

#[test]
fn headings_never_take_the_ids_of_footnotes_and_citations() {
    snapshot!(stage(
        "",
        &[
            (
                "a.md",
                "## fn-1\n\n## Custom {#fn-1}\n\n## ref-1\n\n## cite-1-1\n\n\
                 A note[^n] and a citation[^kchonyc].\n\n[^n]: The note.\n",
            ),
            ("references.md", REFERENCES),
        ]
    ));
}

// The raw-HTML policy.

/// Raw HTML of every kind, for the policy tests with and without `unsafe_html`.
const RAW_HTML: &str = "\
Inline: <kbd>Ctrl</kbd>, H<sub>2</sub>O, x<sup>2</sup>, <small>small</small>, <abbr>AI</abbr>, \
<mark>marked</mark>, one<br>two, <span>span</span>, <abbr title=\"x\">titled</abbr>, \
<b onclick=\"alert(1)\">bold</b>.

<script>alert(1)</script>

<div class=\"box\">
block
</div>

<!-- a comment -->
";

#[test]
fn without_unsafe_html_a_few_inline_tags_pass_and_the_rest_is_text() {
    snapshot!(stage("", &[("a.md", RAW_HTML)]));
}

#[test]
fn with_unsafe_html_raw_html_passes_as_markup() {
    snapshot!(stage(
        "[markdown]\nunsafe_html = true",
        &[("a.md", RAW_HTML)]
    ));
}

#[test]
fn an_allowed_tag_left_open_is_closed_at_the_end_of_its_block() {
    snapshot!(stage(
        "",
        &[(
            "a.md",
            "<small>small, *still small*\n\nthe next paragraph</small> is not small.\n\n\
             - <mark>item\n- <sub>a<sup>b</sub> c\n",
        )]
    ));
}

// Ruby (pinyin).

#[test]
fn ruby_shows_pinyin_that_ids_and_plain_text_leave_out() {
    snapshot!(stage(
        "",
        &[(
            "a.md",
            "## <ruby>發<rp>(</rp><rt>fā</rt><rp>)</rp></ruby>表論文\n\n\
             <ruby>學<rp>(</rp><rt>xué</rt><rp>)</rp></ruby>習，\
             <ruby>經<rt>jīng</rt></ruby>驗。\n",
        )]
    ));
}

// Code blocks.

#[test]
fn a_fenced_block_with_a_known_language_is_highlighted() {
    snapshot!(stage(
        "",
        &[("a.md", "```rust\nfn main() { let x = \"<&>\"; }\n```\n")]
    ));
}

#[test]
fn code_without_a_language_or_in_an_unknown_one_is_escaped_as_it_is() {
    snapshot!(stage(
        "",
        &[(
            "a.md",
            "```\n<b>&amp;</b> \"q\"\n```\n\n```nosuchlang {.x}\nx < y\n```\n\n    indented <i>\n",
        )]
    ));
}

#[test]
fn with_highlighting_off_a_known_language_is_only_named() {
    snapshot!(stage(
        "[markdown]\nhighlight_code = false",
        &[("a.md", "```rust,ignore\nfn main() {}\n```\n")]
    ));
}

// Links and images.

#[test]
fn links_to_content_files_become_their_pages_urls_under_the_base_path() {
    snapshot!(stage(
        "base_url = \"https://example.org/repo/\"",
        &[
            (
                "blog/a.md",
                "- [sibling](b.md) and [up](../about.md#team)\n\
                 - [by content path](@/about.md#team) and [a section](@/blog/_index.md)\n\
                 - [in this page](#top) and [root-relative](/feed.xml)\n\
                 - [external](https://example.com/x \"A title\"), <https://example.com/auto>, \
                 [protocol-relative](//cdn.example/y)\n\
                 - <someone@example.org>, [phone](tel:+44-20), [an asset](files/x.pdf)\n",
            ),
            ("blog/_index.md", "+++\ntitle = \"Blog\"\n+++\n"),
            ("blog/b.md", "B\n"),
            ("about.md", "## Team\n"),
        ]
    ));
}

#[test]
fn a_link_to_a_file_not_in_content_is_an_error_with_a_suggestion() {
    snapshot!(stage(
        "",
        &[
            ("a.md", "See [about](@/abuot.md) and [b](missing.md#x).\n"),
            ("about.md", "About.\n"),
        ]
    ));
}

#[test]
fn addresses_that_would_run_code_are_refused() {
    snapshot!(stage(
        "",
        &[(
            "a.md",
            "[click](javascript:alert(1)) and ![pixel](data:image/png;base64,AAAA) \
             and [ftp](ftp://example.org/f)\n",
        )]
    ));
}

#[test]
fn images_get_the_base_path_and_keep_alt_text_and_title() {
    snapshot!(stage(
        "base_url = \"https://example.org/repo/\"",
        &[(
            "a.md",
            "![An *alt* text](/img/a.png \"A title\")\n\n![relative](pics/b.jpg) \
             ![external](https://example.com/c.png) ![no alt](</img/with space.png>)\n",
        )]
    ));
}

// Tables.

#[test]
fn tables_keep_their_alignment_and_inline_markup() {
    snapshot!(stage(
        "",
        &[(
            "a.md",
            "| Left | Centre | Right |\n|:-----|:------:|------:|\n\
             | `a \\| b` | **bold** | 2,000 |\n| <small>s</small> | [x](#x) | |\n",
        )]
    ));
}

// The views and editions built from the same fragment.

#[test]
fn on_the_single_page_ids_get_the_documents_prefix_and_links_stay_in_the_page() {
    let (site, settings) = Site::for_test(&[
        (
            "a.md",
            "## Heading\n\nTo [b](@/b.md), [b's heading](@/b.md#part), [here](#heading), \
             a note[^n].\n\n[^n]: Note.\n",
        ),
        ("b.md", "## Part\n"),
    ]);
    let positions = site.reading_positions();
    let doc = site.by_content_path["a.md"];
    snapshot!(shown(&site, &settings, doc, View::SinglePage(&positions)));
}

#[test]
fn a_simplified_edition_converts_text_ids_and_links() {
    let (site, settings) = Site::for_test_with(
        "[[editions]]\nlanguage = \"zh-Hans\"\npath = \"zh-hans\"",
        &[
            ("a.md", "## 學習\n\n見[經驗](@/b.md#經驗)，`代碼`不變。\n"),
            ("b.md", "## 經驗\n"),
        ],
    );
    let settings = settings.for_edition(1);
    let conversion = settings.conversion().expect("zh-Hant → zh-Hans");
    let site = site.in_script(conversion);
    let doc = site.by_content_path["a.md"];
    snapshot!(shown(&site, &settings, doc, View::Pages));
}
