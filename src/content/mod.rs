//! Content: the `content/` folder → a [`Site`] of documents in reading order.
//!
//! A *document* is one content file. A folder with an `_index.md` is a *section* (its
//! `_index.md` is the section's own document); every other `.md` file is a *page*. The
//! *reading order* is a walk of the tree: a section, then its children (pages and
//! subsections together) by `(weight, file name)`. Each document has exactly one owner,
//! [`Site::docs`]; everything else refers to it by [`DocId`].

mod front_matter;
mod load;
#[cfg(test)]
mod test_support;
mod tribute;
mod url;

use std::collections::HashMap;
use std::path::PathBuf;

pub use front_matter::{split, FrontMatter, GeneratedMark, ReferenceEntry};
pub(crate) use load::tributes_folder;
pub use load::{load_site, CONTENT_FILE, MAX_CONTENT_FILE_BYTES};
pub use tribute::{check_tribute, SortBy, TributeMeta, PLACEHOLDER, TRIBUTES_TEMPLATE};
pub(crate) use url::slugify;

/// Index of a document in [`Site::docs`].
pub(crate) type DocId = usize;

/// Whether a document is a section's index or a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// A folder's `_index.md` (or the implicit home page).
    Section,
    /// Any other `.md` file.
    Page,
}

/// One content file, loaded and placed in the site.
#[derive(Debug, Clone)]
pub struct Document {
    /// Section or page.
    pub kind: DocKind,
    /// The file, relative to the site root (`content/blog/x.md`), for messages.
    pub source: PathBuf,
    /// The file relative to `content/`, with `/` separators: the target of `@/` links.
    pub content_path: String,
    /// The whole file as read.
    pub text: String,
    /// Where the Markdown body starts in `text`.
    pub body_offset: usize,
    /// The parsed front matter.
    pub front: FrontMatter,
    /// The title as plain text: from front matter (pinyin readings left out), else the
    /// file name.
    pub title: String,
    /// The title as HTML, with the inline elements front matter may use (ruby).
    pub title_html: String,
    /// The URL path below the base path, `""` for home, else ending in `/`.
    pub url_path: String,
    /// The section this document belongs to (`None` for the home page).
    pub parent: Option<DocId>,
    /// A section's pages and subsections in reading order.
    pub children: Vec<DocId>,
}

impl Document {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// Whether this is a section's index.
    pub fn is_section(&self) -> bool {
        self.kind == DocKind::Section
    }
}

/// A cited work with its site-wide number.
#[derive(Debug, Clone)]
pub struct Reference {
    /// 1-based number, in order of declaration along the reading order.
    pub number: usize,
    /// The declaration.
    pub entry: ReferenceEntry,
    /// The document whose front matter declares it.
    pub declared_in: DocId,
}

/// A file in `content/` that is not Markdown, copied to the output as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Where it is on disk.
    pub source: PathBuf,
    /// Where it goes, relative to the output folder.
    pub output_path: String,
}

/// The whole site's content, loaded and ordered.
#[derive(Debug, Clone)]
pub struct Site {
    /// Every document; [`DocId`]s index into this.
    pub docs: Vec<Document>,
    /// The home page (the root section).
    pub root: DocId,
    /// Every document in reading order, home first.
    pub reading_order: Vec<DocId>,
    /// `content_path` → document, for resolving `@/` links.
    pub by_content_path: HashMap<String, DocId>,
    /// Declared references, numbered.
    pub references: Vec<Reference>,
    /// Non-Markdown files from `content/`.
    pub assets: Vec<Asset>,
    /// The photos the image stage published, by the output path of their original
    /// (`img/felix.jpg`); empty until the build fills it. Shared: editions clone the site.
    pub images: std::sync::Arc<HashMap<String, PublishedImage>>,
}

/// A photo published by the image stage: the sizes a page's `<img>` offers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PublishedImage {
    /// Width and height of the largest variant, turned upright.
    pub width: u32,
    /// See `width`.
    pub height: u32,
    /// Each variant's width and output path, narrowest first: JPEG, or PNG for a picture
    /// with transparency, which every browser shows.
    pub variants: Vec<(u32, String)>,
    /// The same widths as WebP, narrowest first, offered first to the browsers that take
    /// it (all current ones); empty for none.
    pub webp: Vec<(u32, String)>,
}

/// What one `<img>` of a published photo says besides its files.
#[derive(Debug, Clone, Copy)]
pub struct ImageTag<'a> {
    /// The alt text, unescaped; empty for a decorative image.
    pub alt: &'a str,
    /// The `title`, unescaped; empty for none.
    pub title: &'a str,
    /// How wide the image is shown, for the browser to pick a size (`sizes`).
    pub sizes: &'a str,
    /// Whether it loads only when scrolled near: every image but a page's first, so the
    /// first (the one a phone shows at once) is not held back; that one is fetched at
    /// high priority instead (`fetchpriority="high"`).
    pub lazy: bool,
}

impl PublishedImage {
    /// The `<picture>` that offers every size of this photo as WebP, and as the JPEG (or
    /// PNG) every browser shows, in an `<img>` with its `width` and `height` (no layout
    /// shift while it loads). `url` turns a site path (`/img/x-480.jpg`) into the URL a
    /// page links. Markdown images, the portrait and tributes' photos all come through
    /// here, so they load alike.
    ///
    /// The `<img>` carries the alt text, title, sizes and loading hints; the `<source>`
    /// only names other files for it, so the browser shows one image, described once.
    pub fn html(&self, url: impl Fn(&str) -> String, tag: ImageTag<'_>) -> String {
        use std::fmt::Write as _;
        let srcset = |variants: &[(u32, String)]| {
            let mut list = String::new();
            for (i, (width, path)) in variants.iter().enumerate() {
                if i > 0 {
                    list.push_str(", ");
                }
                let _ = write!(
                    list,
                    "{} {width}w",
                    crate::escape::href(&url(&format!("/{path}")))
                );
            }
            list
        };
        let mut html = String::new();
        if !self.webp.is_empty() {
            html.push_str("<picture><source type=\"image/webp\" srcset=\"");
            html.push_str(&srcset(&self.webp));
            html.push_str("\" sizes=\"");
            crate::escape::push_html(&mut html, tag.sizes);
            html.push_str("\">");
        }
        html.push_str("<img src=\"");
        let largest = self.variants.last().map_or("", |(_, p)| p.as_str());
        html.push_str(&crate::escape::href(&url(&format!("/{largest}"))));
        html.push_str("\" srcset=\"");
        html.push_str(&srcset(&self.variants));
        html.push_str("\" sizes=\"");
        crate::escape::push_html(&mut html, tag.sizes);
        let _ = write!(
            html,
            "\" width=\"{}\" height=\"{}\"",
            self.width, self.height
        );
        if tag.lazy {
            html.push_str(" loading=\"lazy\"");
        } else {
            // An eager photo is what a phone shows first, usually the largest paint of the
            // first screen. A browser fetches images at low priority until layout shows
            // them on screen; this one is asked for at high priority from the start.
            html.push_str(" fetchpriority=\"high\"");
        }
        html.push_str(" decoding=\"async\" alt=\"");
        crate::escape::push_html(&mut html, tag.alt);
        html.push('"');
        if !tag.title.is_empty() {
            html.push_str(" title=\"");
            crate::escape::push_html(&mut html, tag.title);
            html.push('"');
        }
        html.push('>');
        if !self.webp.is_empty() {
            html.push_str("</picture>");
        }
        html
    }
}

/// The output path of the file a Markdown image points at, from a page at `url_path`
/// (`/blog/post/`): `/img/x.jpg` is `img/x.jpg`, `x.jpg` is `blog/post/x.jpg`. `None`
/// for another site's image, or a path that climbs out of the site. The image stage and
/// the Markdown writer both resolve with this, so they agree on which file is meant.
pub fn image_output_path(url_path: &str, dest: &str) -> Option<String> {
    let dest = dest.split(['?', '#']).next().unwrap_or("");
    if dest.is_empty() || dest.starts_with("//") || dest.contains(':') {
        return None;
    }
    let joined = match dest.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{}{dest}", url_path.trim_start_matches('/')),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

impl Site {
    /// The reference cited as `[^id]`, if one is declared.
    pub fn reference(&self, id: &str) -> Option<&Reference> {
        self.references.iter().find(|r| r.entry.id == id)
    }

    /// How many sections hold document `id`: 0 for the home page, 1 for a top-level
    /// section or page, and so on.
    pub fn depth_of(&self, id: DocId) -> usize {
        std::iter::successors(self.docs[id].parent, |&p| self.docs[p].parent).count()
    }

    /// The site as an edition in another script sees it: titles, descriptions, the
    /// strings in `[extra]` and the references' words converted. Bodies are converted
    /// later, event by event, by the Markdown stage.
    pub fn in_script(&self, conversion: crate::conversion::Conversion) -> Site {
        let mut site = self.clone();
        for doc in &mut site.docs {
            doc.title = conversion.convert(&doc.title);
            doc.title_html = conversion.convert(&doc.title_html);
            doc.front.description = doc
                .front
                .description
                .as_deref()
                .map(|d| conversion.convert(d));
            convert_strings(&mut doc.front.extra, conversion);
            if let Some(tribute) = &mut doc.front.tribute {
                tribute.author = conversion.convert(&tribute.author);
                tribute.relation = tribute.relation.as_deref().map(|r| conversion.convert(r));
                tribute.photo_alt = tribute.photo_alt.as_deref().map(|a| conversion.convert(a));
            }
        }
        for reference in &mut site.references {
            reference.entry.title = conversion.convert(&reference.entry.title);
            reference.entry.author = reference
                .entry
                .author
                .as_deref()
                .map(|a| conversion.convert(a));
        }
        site
    }

    /// The position of each document in the reading order.
    pub fn reading_positions(&self) -> Vec<usize> {
        let mut positions = vec![usize::MAX; self.docs.len()];
        for (i, &id) in self.reading_order.iter().enumerate() {
            positions[id] = i;
        }
        positions
    }
}

/// Converts every string in a TOML table, however deep.
fn convert_strings(table: &mut toml::Table, conversion: crate::conversion::Conversion) {
    fn convert(value: &mut toml::Value, conversion: crate::conversion::Conversion) {
        match value {
            toml::Value::String(s) => *s = conversion.convert(s),
            toml::Value::Array(items) => items.iter_mut().for_each(|v| convert(v, conversion)),
            toml::Value::Table(table) => table.iter_mut().for_each(|(_, v)| convert(v, conversion)),
            _ => {}
        }
    }
    table.iter_mut().for_each(|(_, v)| convert(v, conversion));
}
