//! The event rewriter: takes pulldown-cmark events one by one and produces the
//! fragment's HTML and everything learnt on the way (ids, TOC, citations, text).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use super::links::{resolve, LinkTarget};
use super::text::PlainText;
use super::toc::{heading_id, PageIds, TocBuilder};
use super::{highlight, AnchorLink, Citation, RenderedMarkdown, View};
use crate::address::url_problem;
use crate::config::Settings;
use crate::content::{DocId, ImageTag, Site};
use crate::error::{Diagnostic, Error, Location};
use crate::escape::{self, href};
use crate::inline_html::allowed_tag;

/// Body of the footnote definitions lectern adds for cited references.
pub(crate) const REFERENCE_PLACEHOLDER: &str = "lectern-reference-placeholder";

/// How wide a photo in the text is shown, for the browser to pick the file it fetches:
/// the text column (`--measure`, 40em of 17 px: about 43rem) beside the navigation from
/// 52rem on, else the screen less the page's margins (1.25rem each side). A phone of
/// 412 px at 1.75 device pixels per px then takes the 720 px file, not the 960.
const ARTICLE_IMAGE_SIZES: &str = "(min-width: 52rem) 43rem, calc(100vw - 2.5rem)";

/// A heading being collected until its end, so its id can come from its text.
struct OpenHeading<'a> {
    level: u8,
    custom_id: Option<String>,
    classes: Vec<String>,
    events: Vec<Event<'a>>,
    text: String,
}

/// An image whose alt text is being collected until its end.
struct OpenImage {
    dest: String,
    title: String,
    offset: usize,
    alt: String,
    /// Images inside this one's brackets: only their text counts, as alt text.
    nested: usize,
}

/// A code block being collected until its end.
struct OpenCode {
    language: String,
    text: String,
}

/// Rewrites one document's events; see the module documentation.
pub(crate) struct Writer<'a, 's> {
    site: &'s Site,
    settings: &'s Settings,
    doc: DocId,
    defined_footnotes: &'s HashSet<String>,
    view: View<'s>,
    /// Prepended to every id this document's HTML defines (empty on its own page).
    prefix: String,
    body: Vec<Event<'a>>,
    footnote_bodies: HashMap<String, Vec<Event<'a>>>,
    open_footnote: Option<String>,
    footnote_numbers: HashMap<String, usize>,
    footnote_order: Vec<String>,
    footnote_uses: HashMap<String, usize>,
    citation_uses: HashMap<usize, usize>,
    heading: Option<OpenHeading<'a>>,
    code: Option<OpenCode>,
    taken_ids: PageIds,
    toc: TocBuilder,
    result: RenderedMarkdown,
    plain: PlainText,
    hidden_depth: usize,
    /// Allowed inline elements from raw HTML that are open, innermost last.
    open_inline: Vec<&'static str>,
    /// Inside an HTML comment that began in an earlier event.
    in_comment: bool,
    /// An HTML block whose wrapper is not written yet: a block of comments only has none.
    html_block: HtmlBlock,
    /// Where `<!-- more -->` was, in body events: the summary ends there.
    summary_end: Option<usize>,
    /// The indentation of an HTML block whose wrapper is not written yet.
    block_indent: String,
    /// The image being written, and how many this document showed before it.
    image: Option<OpenImage>,
    images_shown: usize,
    errors: Vec<Error>,
}

/// Where the writer is in an HTML block.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HtmlBlock {
    None,
    /// Begun, nothing but comments so far.
    Pending,
    /// Its wrapper written.
    Open,
}

impl<'a, 's> Writer<'a, 's> {
    /// A writer for document `doc`, whose body defines the footnotes `defined_footnotes`.
    pub fn new(
        site: &'s Site,
        settings: &'s Settings,
        doc: DocId,
        defined_footnotes: &'s HashSet<String>,
        view: View<'s>,
    ) -> Self {
        Writer {
            site,
            settings,
            doc,
            defined_footnotes,
            view,
            prefix: view.id_prefix(doc),
            body: Vec::new(),
            footnote_bodies: HashMap::new(),
            open_footnote: None,
            footnote_numbers: HashMap::new(),
            footnote_order: Vec::new(),
            footnote_uses: HashMap::new(),
            citation_uses: HashMap::new(),
            heading: None,
            code: None,
            taken_ids: PageIds::default(),
            toc: TocBuilder::default(),
            result: RenderedMarkdown::default(),
            plain: PlainText::default(),
            hidden_depth: 0,
            open_inline: Vec::new(),
            in_comment: false,
            html_block: HtmlBlock::None,
            summary_end: None,
            block_indent: String::new(),
            image: None,
            images_shown: 0,
            errors: Vec::new(),
        }
    }

    fn location(&self, offset: usize) -> Location {
        let doc = &self.site.docs[self.doc];
        Location::from_offset(&doc.source, &doc.text, offset)
    }

    /// Sends an event to wherever output currently goes.
    fn emit(&mut self, event: Event<'a>) {
        if let Some(image) = &mut self.image {
            // Inside `![…]` only the text counts: it becomes the alt attribute.
            if let Event::Text(text) | Event::Code(text) = &event {
                image.alt.push_str(text);
            } else if matches!(event, Event::SoftBreak | Event::HardBreak) {
                image.alt.push(' ');
            }
            return;
        }
        if let Some(heading) = &mut self.heading {
            heading.events.push(event);
        } else if let Some(label) = &self.open_footnote {
            self.footnote_bodies
                .entry(label.clone())
                .or_default()
                .push(event);
        } else {
            self.body.push(event);
        }
    }

    /// Emits prose, keeping dates and dotted names on one line ([`super::typeset`]).
    fn emit_typeset(&mut self, text: CowStr<'a>) {
        use super::typeset::{pieces, Piece};
        let pieces = pieces(&text);
        if let [Piece::Free(_)] = pieces[..] {
            self.emit(Event::Text(text));
            return;
        }
        for piece in pieces {
            match piece {
                Piece::Free(free) => self.emit(Event::Text(free.to_string().into())),
                Piece::Unbroken(run) => {
                    self.emit(Event::InlineHtml("<span class=\"nobr\">".into()));
                    self.emit(Event::Text(run.to_string().into()));
                    self.emit(Event::InlineHtml("</span>".into()));
                }
            }
        }
    }

    fn visible_text(&mut self, text: &str) {
        // A reference's footnote holds a placeholder until the reference list replaces
        // it: the reader never sees it, so search and reading time must not either.
        if self.hidden_depth > 0 || (self.open_footnote.is_some() && text == REFERENCE_PLACEHOLDER)
        {
            return;
        }
        if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
        }
        self.plain.push(text);
    }

    /// Takes the next event; `offset` is its byte offset in the file.
    pub fn push(&mut self, event: Event<'a>, offset: usize) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(text) => code.text.push_str(&text),
                Event::End(TagEnd::CodeBlock) => self.end_code(),
                _ => {}
            }
            return;
        }
        match event {
            // The indentation of an HTML block: written with its first HTML that is not a
            // comment, or not at all.
            Event::Text(text)
                if self.html_block == HtmlBlock::Pending && text.trim().is_empty() =>
            {
                self.block_indent.push_str(&text);
            }
            Event::Text(text) => {
                if text.contains("{{") || text.contains("{%") {
                    self.shortcode(offset);
                }
                self.visible_text(&text);
                self.emit_typeset(text);
            }
            Event::Code(code) => {
                self.visible_text(&code);
                self.emit(Event::Code(code));
            }
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                let shifted = (level as u8 + self.view.heading_shift(self.site, self.doc)).min(6);
                self.heading = Some(OpenHeading {
                    level: shifted,
                    custom_id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some(OpenCode {
                    language,
                    text: String::new(),
                });
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.open_footnote = Some(label.to_string());
            }
            Event::End(TagEnd::FootnoteDefinition) => self.open_footnote = None,
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                title,
                ..
            }) => {
                // `<a@b.example>`: pulldown-cmark gives the address without its scheme.
                let dest = if dest_url.to_ascii_lowercase().starts_with("mailto:") {
                    dest_url.to_string()
                } else {
                    format!("mailto:{dest_url}")
                };
                self.link(&dest, &title, offset);
            }
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => self.link(&dest_url, &title, offset),
            Event::End(TagEnd::Link) => self.emit(Event::Html("</a>".into())),
            Event::Start(Tag::Image { .. }) if self.image.is_some() => {
                if let Some(image) = &mut self.image {
                    image.nested += 1;
                }
            }
            Event::End(TagEnd::Image) if self.image.as_ref().is_some_and(|i| i.nested > 0) => {
                if let Some(image) = &mut self.image {
                    image.nested -= 1;
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let dest = if let Some(problem) = url_problem(&dest_url, self.unsafe_html()) {
                    self.refuse(problem, offset);
                    String::new()
                } else {
                    dest_url.to_string()
                };
                self.image = Some(OpenImage {
                    dest,
                    title: title.to_string(),
                    offset,
                    alt: String::new(),
                    nested: 0,
                });
            }
            Event::End(TagEnd::Image) => self.end_image(),
            Event::Start(Tag::HtmlBlock) => {
                self.html_block = HtmlBlock::Pending;
                self.block_indent.clear();
            }
            Event::End(TagEnd::HtmlBlock) => {
                // A comment never outlives its block: an unclosed `<!--` hides no more.
                self.in_comment = false;
                if self.html_block == HtmlBlock::Open && !self.unsafe_html() {
                    self.close_open_inline();
                    self.plain.end_block();
                    self.emit(Event::Html("</p>\n".into()));
                }
                self.html_block = HtmlBlock::None;
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let html = match self.without_comments(&html) {
                    Some(rest) if rest.trim().is_empty() => return,
                    Some(rest) => CowStr::from(rest),
                    None => html,
                };
                if self.html_block == HtmlBlock::Pending {
                    self.html_block = HtmlBlock::Open;
                    if !self.unsafe_html() {
                        self.emit(Event::Html("<p class=\"raw-html\">".into()));
                    }
                    let indent = std::mem::take(&mut self.block_indent);
                    if !indent.is_empty() {
                        self.emit(Event::Text(indent.into()));
                    }
                }
                if self.unsafe_html() {
                    // Raw HTML passes as it is, but a ruby reading is still no part of
                    // the text a search finds (its block's end closes what it left open).
                    match allowed_tag(&html) {
                        Some(("rt" | "rp", false)) => self.hidden_depth += 1,
                        Some(("rt" | "rp", true)) => {
                            self.hidden_depth = self.hidden_depth.saturating_sub(1);
                        }
                        _ => {}
                    }
                    self.emit(Event::Html(html));
                } else {
                    self.raw_html(html);
                }
            }
            Event::End(
                end @ (TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::TableCell
                | TagEnd::TableRow),
            ) => {
                self.close_open_inline();
                if self.unsafe_html() {
                    self.hidden_depth = 0;
                }
                self.plain.end_block();
                self.emit(Event::End(end));
            }
            Event::SoftBreak => {
                self.plain.push("\n");
                self.emit(Event::SoftBreak);
            }
            Event::HardBreak => {
                self.plain.push("\n");
                self.emit(Event::HardBreak);
            }
            other => self.emit(other),
        }
    }

    /// Raw HTML with its comments taken out (`None` when it has none): a comment is
    /// never shown, whatever `unsafe_html` says. Zola's `<!-- more -->` ends the summary;
    /// the others are notes for the people who edit the file. A comment may span
    /// several events (an HTML block comes a line at a time).
    fn without_comments(&mut self, html: &str) -> Option<String> {
        if !self.in_comment && !html.contains("<!--") {
            return None;
        }
        let mut kept = String::new();
        let mut rest = html;
        loop {
            if self.in_comment {
                match rest.find("-->") {
                    Some(end) => {
                        self.in_comment = false;
                        rest = &rest[end + 3..];
                    }
                    None => return Some(kept),
                }
            }
            let Some(start) = rest.find("<!--") else {
                kept.push_str(rest);
                return Some(kept);
            };
            kept.push_str(&rest[..start]);
            rest = &rest[start + 4..];
            // `<!-->` and `<!--->` are whole (empty) comments.
            if let Some(after) = rest.strip_prefix('>').or_else(|| rest.strip_prefix("->")) {
                rest = after;
                continue;
            }
            let is_more = rest
                .find("-->")
                .is_some_and(|end| rest[..end].trim().eq_ignore_ascii_case("more"));
            if is_more
                && self.summary_end.is_none()
                && self.heading.is_none()
                && self.open_footnote.is_none()
            {
                self.summary_end = Some(self.body.len());
            }
            self.in_comment = true;
        }
    }

    /// A Zola shortcode call (`{{ youtube(id="…") }}`, `{% note() %}`) in text starting at
    /// `offset`: lectern has no shortcodes, so the reader would see the call as text.
    fn shortcode(&mut self, offset: usize) {
        static CALL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"\{[{%]-?\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(").expect("valid pattern")
        });
        let doc = &self.site.docs[self.doc];
        let Some(rest) = doc.text.get(offset..) else {
            return;
        };
        // The text event's own line is enough: a call is written on one line.
        let line = rest.split('\n').next().unwrap_or("");
        if let Some(call) = CALL.captures(line) {
            let at = offset + call.get(0).map_or(0, |m| m.start());
            let warning = Diagnostic::at(
                self.location(at),
                format!(
                    "`{}(…)` looks like a Zola shortcode: lectern has none, so readers see \
                     the call as text",
                    &call[1]
                ),
            )
            .with_help("write the HTML it stands for, or a Markdown link or image");
            if !self
                .result
                .warnings
                .iter()
                .any(|w| w.to_string() == warning.to_string())
            {
                self.result.warnings.push(warning);
            }
        }
    }

    /// Writes the image whose alt text is complete. Alt text is required: `![-](x.jpg)`
    /// marks a decorative image (`alt=""`). A photo the image stage published gets its
    /// sizes (`srcset`), its `width` and `height` (no layout shift as it loads), and
    /// loads lazily unless it is the document's first.
    fn end_image(&mut self) {
        let Some(image) = self.image.take() else {
            return;
        };
        let alt = match image.alt.trim() {
            "" => {
                let location = self.location(image.offset);
                self.errors.push(
                    Diagnostic::at(location, "this image has no alt text")
                        .with_help(
                            "describe what the picture shows for readers who cannot see it: \
                             ![Felix at his desk](felix.jpg); write ![-](…) for a \
                             decorative image",
                        )
                        .into(),
                );
                ""
            }
            "-" => "",
            alt => alt,
        };
        let doc = &self.site.docs[self.doc];
        let published = crate::content::image_output_path(&doc.url_path, &image.dest)
            .and_then(|path| self.site.images.get(&path));
        let url = |dest: &str| {
            if dest.starts_with('/') && !dest.starts_with("//") {
                self.settings.url_for(dest)
            } else {
                dest.to_string()
            }
        };
        let html = match published {
            Some(published) => published.html(
                url,
                ImageTag {
                    alt,
                    title: &image.title,
                    sizes: ARTICLE_IMAGE_SIZES,
                    lazy: self.images_shown > 0,
                },
            ),
            None => {
                let mut html = String::from("<img src=\"");
                html.push_str(&href(&url(&image.dest)));
                html.push_str("\" alt=\"");
                escape::push_html(&mut html, alt);
                html.push('"');
                if !image.title.is_empty() {
                    html.push_str(" title=\"");
                    escape::push_html(&mut html, &image.title);
                    html.push('"');
                }
                html.push_str(" />");
                html
            }
        };
        self.images_shown += 1;
        self.emit(Event::InlineHtml(html.into()));
    }

    /// Records an address [`url_problem`] refused, at `offset`.
    fn refuse(&mut self, problem: String, offset: usize) {
        let location = self.location(offset);
        self.errors
            .push(crate::address::refusal(location, problem).into());
    }

    fn unsafe_html(&self) -> bool {
        self.settings.config.markdown.unsafe_html
    }

    /// Raw HTML without `unsafe_html`: a few inline tags pass, the rest is text. A
    /// closing tag passes only when it closes one that passed (so the `</abbr>` of an
    /// escaped `<abbr title="…">` is text too), and what is left open is closed at the
    /// end of its block (see [`Writer::close_open_inline`]): the page's HTML stays
    /// balanced.
    fn raw_html(&mut self, html: CowStr<'a>) {
        match allowed_tag(&html) {
            Some((name, false)) => {
                if name != "br" {
                    self.open_inline.push(name);
                    if name == "rt" || name == "rp" {
                        self.hidden_depth += 1;
                    }
                }
                self.emit(Event::InlineHtml(html));
            }
            Some((name, true)) if self.open_inline.contains(&name) => {
                while let Some(open) = self.open_inline.pop() {
                    self.close_inline(open);
                    if open == name {
                        break;
                    }
                }
            }
            _ => {
                self.visible_text(&html);
                self.emit(Event::Text(html));
            }
        }
    }

    /// Writes the closing tag of an allowed inline element that passed.
    fn close_inline(&mut self, name: &'static str) {
        if name == "rt" || name == "rp" {
            self.hidden_depth = self.hidden_depth.saturating_sub(1);
        }
        self.emit(Event::InlineHtml(format!("</{name}>").into()));
    }

    /// Closes every allowed inline element still open, at the end of a block: an
    /// unclosed `<small>` must not shrink the rest of the page.
    fn close_open_inline(&mut self) {
        while let Some(name) = self.open_inline.pop() {
            self.close_inline(name);
        }
    }

    fn end_heading(&mut self) {
        // Inside the heading still, so the closing tags go into it.
        self.close_open_inline();
        let Some(heading) = self.heading.take() else {
            return;
        };
        // A `{#custom}` id is kept as written unless another heading, or a footnote,
        // already has it: ids on a page are unique, whoever chose them.
        let id = match heading.custom_id {
            Some(id) => self.taken_ids.claim(&id),
            None => heading_id(&heading.text, &mut self.taken_ids),
        };
        self.plain.end_block();
        let title = heading.text.trim().to_string();
        if self.open_footnote.is_none() {
            self.toc.push(heading.level, id.clone(), title);
        }
        self.result.anchors.insert(id.clone());
        let class = if heading.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape::html(&heading.classes.join(" ")))
        };
        let level = heading.level;
        let id = escape::html(&format!("{}{id}", self.prefix));
        self.emit(Event::Html(format!("<h{level} id=\"{id}\"{class}>").into()));
        for event in heading.events {
            self.emit(event);
        }
        self.emit(Event::Html(
            format!(
                "<a class=\"heading-anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level}>\n",
                href(&id)
            )
            .into(),
        ));
    }

    fn end_code(&mut self) {
        let Some(code) = self.code.take() else { return };
        self.plain.push(&code.text);
        self.plain.end_block();
        let language = escape::html(&code.language);
        let highlighted =
            if !code.language.is_empty() && self.settings.config.markdown.highlight_code {
                highlight::highlight(&code.text, &code.language)
            } else {
                None
            };
        let html = match highlighted {
            Some(inner) => {
                self.result.has_highlighted_code = true;
                format!("<pre class=\"code highlighted\" data-lang=\"{language}\" tabindex=\"0\"><code class=\"language-{language}\">{inner}</code></pre>\n")
            }
            None if code.language.is_empty() => {
                format!("<pre class=\"code\" tabindex=\"0\"><code>{}</code></pre>\n", escape::html(&code.text))
            }
            None => format!(
                "<pre class=\"code\" data-lang=\"{language}\" tabindex=\"0\"><code class=\"language-{language}\">{}</code></pre>\n",
                escape::html(&code.text)
            ),
        };
        self.emit(Event::Html(html.into()));
    }

    fn footnote_reference(&mut self, label: &str) {
        if !self.defined_footnotes.contains(label) {
            if let Some(reference) = self.site.reference(label) {
                let number = reference.number;
                let uses = self.citation_uses.entry(number).or_insert(0);
                *uses += 1;
                let citation = Citation::new(&self.prefix, number, *uses);
                let marker_id = citation.marker_id.clone();
                self.result.anchors.insert(marker_id.clone());
                self.result.anchors.insert(format!("ref-{number}"));
                self.emit(Event::Html(
                    format!("<sup class=\"citation\"><a id=\"{marker_id}\" href=\"#ref-{number}\" role=\"doc-noteref\">[{number}]</a></sup>").into(),
                ));
                self.result.citations.push(citation);
                return;
            }
        }
        let next = self.footnote_numbers.len() + 1;
        let number = *self
            .footnote_numbers
            .entry(label.to_string())
            .or_insert_with(|| {
                self.footnote_order.push(label.to_string());
                next
            });
        let uses = self.footnote_uses.entry(label.to_string()).or_insert(0);
        *uses += 1;
        let prefix = &self.prefix;
        let marker_id = format!("{prefix}fnref-{number}-{uses}");
        self.result.anchors.insert(marker_id.clone());
        self.emit(Event::Html(
            format!("<sup class=\"footnote-ref\"><a id=\"{marker_id}\" href=\"#{prefix}fn-{number}\" role=\"doc-noteref\">{number}</a></sup>").into(),
        ));
    }

    fn link(&mut self, dest: &str, title: &str, offset: usize) {
        let title_attr = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape::html(title))
        };
        let html = match resolve(dest, self.site, self.settings, self.doc) {
            Ok(LinkTarget::Internal { url, doc, anchor }) => {
                // In another script's edition, headings (and so their ids) are converted.
                let (url, anchor) = match self.settings.conversion() {
                    Some(c) => (c.convert(&url), anchor.map(|a| c.convert(&a))),
                    None => (url, anchor),
                };
                let url = match self.view {
                    View::Pages => url,
                    View::SinglePage(_) => match &anchor {
                        Some(anchor) => format!("#{}{anchor}", self.view.id_prefix(doc)),
                        None => format!("#{}", self.view.document_anchor(doc)),
                    },
                };
                if let Some(anchor) = anchor {
                    self.result.anchor_links.push(AnchorLink {
                        target: doc,
                        anchor,
                        offset,
                    });
                }
                format!("<a href=\"{}\"{title_attr}>", href(&url))
            }
            Ok(LinkTarget::External(url)) => {
                self.result.external_links.push((offset, url.clone()));
                format!(
                    "<a class=\"external\" href=\"{}\" rel=\"noopener noreferrer\"{title_attr}>",
                    href(&url)
                )
            }
            Ok(LinkTarget::Other(url)) => format!("<a href=\"{}\"{title_attr}>", href(&url)),
            Ok(LinkTarget::Refused(problem)) => {
                self.refuse(problem, offset);
                "<a>".to_string()
            }
            Err(missing) => {
                let mut diagnostic = Diagnostic::at(
                    self.location(offset),
                    format!(
                        "this link points to `{}`, which is not in content/",
                        missing.wanted
                    ),
                );
                if let Some(nearest) = missing.nearest {
                    diagnostic = diagnostic.with_help(format!("did you mean `@/{nearest}`?"));
                }
                self.errors.push(diagnostic.into());
                "<a>".to_string()
            }
        };
        self.emit(Event::Html(html.into()));
    }

    /// Finishes the fragment: the body, then the footnotes, numbered by first use.
    pub fn finish(mut self) -> (RenderedMarkdown, Vec<Error>) {
        super::figure::mark_figures(&mut self.body);
        if let Some(end) = self.summary_end {
            let mut summary = String::new();
            pulldown_cmark::html::push_html(&mut summary, self.body[..end].iter().cloned());
            self.result.summary = Some(summary);
        }
        let mut html = String::with_capacity(self.body.len() * 16);
        pulldown_cmark::html::push_html(&mut html, std::mem::take(&mut self.body).into_iter());
        if !self.footnote_order.is_empty() {
            html.push_str("<div class=\"footnotes\" role=\"doc-endnotes\">\n<hr>\n<ol>\n");
            for label in std::mem::take(&mut self.footnote_order) {
                let number = self.footnote_numbers[&label];
                let uses = self.footnote_uses.get(&label).copied().unwrap_or(1);
                let mut events = self.footnote_bodies.remove(&label).unwrap_or_default();
                let backrefs: String = (1..=uses)
                    .map(|k| format!(" <a href=\"#{}fnref-{number}-{k}\" class=\"footnote-backref\" role=\"doc-backlink\">↩\u{fe0e}</a>", self.prefix))
                    .collect();
                let at = match events.last() {
                    Some(Event::End(TagEnd::Paragraph)) => events.len() - 1,
                    _ => events.len(),
                };
                events.insert(at, Event::Html(backrefs.into()));
                let _ = write!(html, "<li id=\"{}fn-{number}\">", self.prefix);
                pulldown_cmark::html::push_html(&mut html, events.into_iter());
                html.push_str("</li>\n");
                self.result.anchors.insert(format!("fn-{number}"));
            }
            html.push_str("</ol>\n</div>\n");
        }
        let mut result = self.result;
        // Every document's result is kept until the build ends: no spare capacity.
        html.shrink_to_fit();
        result.html = html;
        result.toc = self.toc.finish();
        result.text = self.plain.finish();
        result.text.content.shrink_to_fit();
        (result, self.errors)
    }
}
