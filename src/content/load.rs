//! Walks `content/`, reads every file, and places each document in the site tree.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::front_matter::split;
use super::url::{checked_segments, slugify};
use super::{Asset, DocId, DocKind, Document, Reference, Site};
use crate::config::Settings;
use crate::error::{Diagnostic, Error, Location, Result};
use crate::input::{self, Limit};

/// One `.md` file read from disk, before it is placed in the tree.
struct RawFile {
    /// Folder relative to `content/`, `/`-separated, `""` for the root.
    folder: String,
    /// File name.
    name: String,
    source: PathBuf,
    text: String,
}

/// Loads `content/` into a [`Site`], checking everything that can be checked without
/// rendering: front matter, URLs, duplicates, references.
pub fn load_site(settings: &Settings) -> Result<Site> {
    let content_dir = settings.content_dir();
    if !content_dir.is_dir() {
        return Err(
            Diagnostic::in_file(Path::new("content"), "the site has no content/ folder")
                .with_help("create content/_index.md, or start a new site with `lectern new DIR`")
                .into(),
        );
    }
    let (files, assets) = read_tree(&settings.root)?;
    let mut errors = Vec::new();
    let mut docs = Vec::new();
    let mut section_of_folder: HashMap<String, DocId> = HashMap::new();
    // Sections first, parents before children (the walk is sorted), so every page and
    // subsection finds its section already in place.
    let mut pages = Vec::new();
    for file in files {
        let kind = if file.name == "_index.md" {
            DocKind::Section
        } else {
            DocKind::Page
        };
        let parsed = match split(&file.source, &file.text) {
            Ok(parsed) => parsed,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let raw_title = parsed
            .front
            .title
            .clone()
            .unwrap_or_else(|| title_from_name(&file));
        let (title, title_html) = crate::inline_html::title_parts(&raw_title);
        let doc = Document {
            kind,
            content_path: join(&file.folder, &file.name),
            title,
            title_html,
            source: file.source,
            text: file.text,
            body_offset: parsed.body_offset,
            front: parsed.front,
            url_path: String::new(),
            parent: None,
            children: Vec::new(),
        };
        let unsafe_html = settings.config.markdown.unsafe_html;
        if let Err(e) = super::check_tribute(&doc, unsafe_html) {
            errors.push(e);
            continue;
        }
        if let Err(e) = check_reference_urls(&doc, unsafe_html) {
            errors.push(e);
            continue;
        }
        if kind == DocKind::Section {
            section_of_folder.insert(file.folder.clone(), docs.len());
            docs.push((file.folder, doc));
        } else {
            pages.push((file.folder, doc));
        }
    }
    Error::from_list(errors)?;
    if !section_of_folder.contains_key("") {
        section_of_folder.insert(String::new(), docs.len());
        docs.push((String::new(), implicit_home(settings)));
    }
    docs.extend(pages);

    let mut site_docs: Vec<Document> = Vec::with_capacity(docs.len());
    let mut errors = Vec::new();
    for (folder, mut doc) in docs {
        let id = site_docs.len();
        doc.parent = parent_section(&folder, doc.kind, &section_of_folder);
        if doc.parent == Some(id) {
            doc.parent = None;
        }
        match url_path(&folder, &doc) {
            Ok(path) => doc.url_path = path,
            Err(e) => errors.push(e),
        }
        site_docs.push(doc);
    }
    Error::from_list(errors)?;

    let root = section_of_folder[""];
    let home = &site_docs[root];
    if home.front.draft && !settings.drafts {
        let offset = home.front.offset_of(&home.text, "draft", &[]);
        return Err(Diagnostic::at(
            Location::from_offset(&home.source, &home.text, offset),
            "the home page is a draft, which would leave the site empty",
        )
        .with_help("remove `draft = true` from the home page, or build with --drafts")
        .into());
    }
    let included = drafts_filter(&site_docs, settings.drafts);
    let mut site = assemble(site_docs, &included, assets, root)?;
    site.references = number_references(&site)?;
    check_unique_urls(&site)?;
    settings.config.check_named_pages(&settings.root, |page| {
        page.ends_with(".md") && content_dir.join(page).is_file()
    })?;
    check_help_flags(&site, settings)?;
    Ok(site)
}

/// Reads every file under `content/`, in a stable order, through [`input::walk`]: every
/// name checked, no link leaving the site, no pipe or device.
fn read_tree(root: &Path) -> Result<(Vec<RawFile>, Vec<Asset>)> {
    let mut files = Vec::new();
    let mut assets = Vec::new();
    for file in input::walk(root, "content", is_hidden_or_backup)? {
        if !file.relative.ends_with(".md") {
            assets.push(Asset {
                source: file.path,
                output_path: file.relative,
            });
            continue;
        }
        let bytes = file.read(&CONTENT_FILE)?;
        let text = decode_utf8(&file.shown, bytes)?;
        let (folder, name) = match file.relative.rsplit_once('/') {
            Some((folder, name)) => (folder.to_string(), name.to_string()),
            None => (String::new(), file.relative.clone()),
        };
        files.push(RawFile {
            folder,
            name,
            source: file.shown,
            text,
        });
    }
    Ok((files, assets))
}

/// The folder under `content/` (`tributes`, `memories`, `""` for the home) of the
/// site's tributes section, as [`Site::tributes_section`] finds it, but from the files
/// alone: `lectern new-tribute` runs on sites that do not build yet (a tribute still
/// to be written does not). The first section in reading order (by `weight`, then
/// name) rendered with `tributes.html`, else the first other than the home page
/// holding a tribute; `None` when there is neither. A file whose front matter does not
/// parse is passed over: the build reports it.
pub(crate) fn tributes_folder(root: &Path) -> Result<Option<String>> {
    if !root.join("content").is_dir() {
        return Ok(None);
    }
    let (files, _) = read_tree(root)?;
    let mut sections: HashMap<String, super::FrontMatter> = HashMap::new();
    let mut with_tributes: Vec<String> = Vec::new();
    for file in files {
        let Ok(parsed) = split(&file.source, &file.text) else {
            continue;
        };
        if file.name == "_index.md" {
            sections.insert(file.folder, parsed.front);
        } else if parsed.front.tribute.is_some() && !file.folder.is_empty() {
            with_tributes.push(file.folder);
        }
    }
    // A section's place in the reading order: each folder on its way, by weight and name.
    let order = |folder: &str| -> Vec<(i64, String)> {
        let mut key = Vec::new();
        let mut at = 0;
        for part in folder.split('/').filter(|p| !p.is_empty()) {
            at += part.len() + usize::from(at > 0);
            let weight = sections.get(&folder[..at]).map_or(0, |front| front.weight);
            key.push((weight, part.to_string()));
        }
        key
    };
    let first = |candidates: Vec<&String>| {
        candidates
            .into_iter()
            .min_by_key(|folder| order(folder))
            .cloned()
    };
    let templated = sections
        .iter()
        .filter(|(_, front)| front.template.as_deref() == Some(super::TRIBUTES_TEMPLATE))
        .map(|(folder, _)| folder)
        .collect();
    // A tribute's folder with no `_index.md` belongs to the section above it.
    let holding = with_tributes
        .iter()
        .filter_map(|folder| {
            let mut folder = folder.as_str();
            while !sections.contains_key(folder) && !folder.is_empty() {
                folder = folder.rsplit_once('/').map_or("", |(up, _)| up);
            }
            sections.get_key_value(folder).map(|(folder, _)| folder)
        })
        .filter(|folder| !folder.is_empty())
        .collect();
    Ok(first(templated).or_else(|| first(holding)))
}

/// The largest content file lectern reads: a book is a few megabytes; a file far
/// beyond that is a mistake, and would take minutes and gigabytes to build.
pub const MAX_CONTENT_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// How content files are read: at most [`MAX_CONTENT_FILE_BYTES`].
pub const CONTENT_FILE: Limit = Limit {
    bytes: MAX_CONTENT_FILE_BYTES,
    what: "content files",
    help: "split it into several pages, or move it out of content/",
};

fn is_hidden_or_backup(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

/// Content files must be UTF-8: say where the first bad byte is.
fn decode_utf8(source: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Diagnostic::at(
            Location::from_offset(source, &lossy, valid),
            "this file is not valid UTF-8",
        )
        .with_help("save it as UTF-8; to bring in text in another encoding use `lectern import`")
        .into()
    })
}

fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}

fn title_from_name(file: &RawFile) -> String {
    if file.name == "_index.md" {
        file.folder.rsplit('/').next().unwrap_or("").to_string()
    } else {
        file.name.trim_end_matches(".md").to_string()
    }
}

fn implicit_home(settings: &Settings) -> Document {
    Document {
        kind: DocKind::Section,
        source: PathBuf::from("content/_index.md"),
        content_path: "_index.md".into(),
        text: String::new(),
        body_offset: 0,
        front: Default::default(),
        title: settings.config.title.clone(),
        title_html: crate::escape::html(&settings.config.title),
        url_path: String::new(),
        parent: None,
        children: Vec::new(),
    }
}

/// The nearest section above a document: for a section, its parent folder's.
fn parent_section(folder: &str, kind: DocKind, sections: &HashMap<String, DocId>) -> Option<DocId> {
    let mut current = folder.to_string();
    if kind == DocKind::Section {
        if current.is_empty() {
            return None;
        }
        current = current
            .rsplit_once('/')
            .map_or(String::new(), |(p, _)| p.to_string());
    }
    loop {
        if let Some(&id) = sections.get(&current) {
            return Some(id);
        }
        if current.is_empty() {
            return None;
        }
        current = current
            .rsplit_once('/')
            .map_or(String::new(), |(p, _)| p.to_string());
    }
}

/// The URL path of a document: `path`, or its folders and `slug`/file name, slugified.
fn url_path(folder: &str, doc: &Document) -> Result<String> {
    let at = |key: &str| {
        let offset = doc.front.offset_of(&doc.text, key, &[]);
        Location::from_offset(&doc.source, &doc.text, offset)
    };
    if let Some(path) = &doc.front.path {
        let segments = checked_segments("path", path, || at("path"), true)?;
        return Ok(segments_to_path(&segments));
    }
    let mut segments = Vec::new();
    for part in folder.split('/').filter(|p| !p.is_empty()) {
        let slug = slugify(part);
        if slug.is_empty() {
            return Err(Diagnostic::in_file(
                &doc.source,
                format!("cannot make an ASCII URL from the folder name `{part}`"),
            )
            .with_help("rename the folder with Latin letters or digits")
            .into());
        }
        segments.push(slug);
    }
    if doc.kind == DocKind::Page {
        match &doc.front.slug {
            Some(slug) => segments.extend(checked_segments("slug", slug, || at("slug"), false)?),
            None => {
                let stem = doc
                    .content_path
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(".md");
                let slug = slugify(stem);
                if slug.is_empty() {
                    return Err(Diagnostic::in_file(
                        &doc.source,
                        format!("cannot make an ASCII URL from the file name `{stem}`"),
                    )
                    .with_help("add `slug = \"…\"` to the front matter, or rename the file")
                    .into());
                }
                segments.push(slug);
            }
        }
    }
    Ok(segments_to_path(&segments))
}

fn segments_to_path(segments: &[String]) -> String {
    segments.iter().map(|s| format!("{s}/")).collect()
}

/// Which documents are built: drafts (and everything inside a draft section) only on request.
fn drafts_filter(docs: &[Document], drafts: bool) -> Vec<bool> {
    let mut included = vec![true; docs.len()];
    if drafts {
        return included;
    }
    for (id, keep) in included.iter_mut().enumerate() {
        let mut current = Some(id);
        while let Some(c) = current {
            if docs[c].front.draft {
                *keep = false;
                break;
            }
            current = docs[c].parent;
        }
    }
    included
}

/// Links sections to their children, sorts them, and lays out the reading order.
fn assemble(
    docs: Vec<Document>,
    included: &[bool],
    assets: Vec<Asset>,
    root: DocId,
) -> Result<Site> {
    // Renumber the kept documents densely.
    let mut new_id = vec![usize::MAX; docs.len()];
    let mut kept = Vec::new();
    for (old, doc) in docs.into_iter().enumerate() {
        if included[old] {
            new_id[old] = kept.len();
            kept.push(doc);
        }
    }
    for doc in &mut kept {
        doc.parent = doc.parent.map(|p| new_id[p]);
    }
    let root = new_id[root];
    let mut children: BTreeMap<DocId, Vec<DocId>> = BTreeMap::new();
    for (id, doc) in kept.iter().enumerate() {
        if let Some(parent) = doc.parent {
            children.entry(parent).or_default().push(id);
        }
    }
    for (parent, mut list) in children {
        let by_date = kept[parent].front.sort_by == super::SortBy::Date;
        list.sort_by(|&a, &b| {
            let (a, b) = (&kept[a], &kept[b]);
            let order = (a.front.weight, &a.content_path).cmp(&(b.front.weight, &b.content_path));
            if by_date {
                super::tribute::date_order(a, b).then(order)
            } else {
                order
            }
        });
        kept[parent].children = list;
    }
    let mut reading_order = Vec::with_capacity(kept.len());
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        reading_order.push(id);
        stack.extend(kept[id].children.iter().rev());
    }
    let by_content_path = kept
        .iter()
        .enumerate()
        .map(|(id, d)| (d.content_path.clone(), id))
        .collect();
    Ok(Site {
        docs: kept,
        root,
        reading_order,
        by_content_path,
        references: Vec::new(),
        assets,
        images: Default::default(),
    })
}

/// Every `[[references]]` address passes the one URL rule links do.
fn check_reference_urls(doc: &Document, unsafe_html: bool) -> Result<()> {
    Error::collect_all(
        doc.front
            .references
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                crate::address::check_url(&entry.url, unsafe_html, || {
                    let key = format!("references.{index}.url");
                    let offset = doc.front.offset_of(&doc.text, &key, &[]);
                    Location::from_offset(&doc.source, &doc.text, offset)
                })
            }),
    )?;
    Ok(())
}

/// Numbers declared references in reading order; an id declared twice is an error.
fn number_references(site: &Site) -> Result<Vec<Reference>> {
    let mut references: Vec<Reference> = Vec::new();
    let mut errors = Vec::new();
    for &id in &site.reading_order {
        let doc = &site.docs[id];
        for (index, entry) in doc.front.references.iter().enumerate() {
            if let Some(first) = references.iter().find(|r| r.entry.id == entry.id) {
                let key = format!("references.{index}.id");
                let offset = doc.front.offset_of(&doc.text, &key, &[]);
                errors.push(
                    Diagnostic::at(
                        Location::from_offset(&doc.source, &doc.text, offset),
                        format!("the reference id `{}` is declared twice", entry.id),
                    )
                    .with_help(format!(
                        "it is first declared in {}; give one of them another id",
                        site.docs[first.declared_in].source.display()
                    ))
                    .into(),
                );
                continue;
            }
            references.push(Reference {
                number: references.len() + 1,
                entry: entry.clone(),
                declared_in: id,
            });
        }
    }
    Error::from_list(errors)?;
    Ok(references)
}

/// A page that asks for the help block (`help = true`) needs `[help]` in `site.toml`:
/// without it the page would show nothing where its author expects help for readers.
fn check_help_flags(site: &Site, settings: &Settings) -> Result<()> {
    if settings.config.help.is_some() {
        return Ok(());
    }
    let errors = site
        .docs
        .iter()
        .filter(|doc| doc.front.help)
        .map(|doc| {
            let offset = doc.front.offset_of(&doc.text, "help", &[]);
            Diagnostic::at(
                Location::from_offset(&doc.source, &doc.text, offset),
                "this page asks for the help block (`help = true`), but site.toml has no [help]",
            )
            .with_help("add a [help] table to site.toml with its heading and resources (see “Help for readers” in the README)")
            .into()
        })
        .collect();
    Error::from_list(errors)
}

/// Two documents must not claim one URL. The error points at the one that set its URL
/// with `slug` or `path`, since that is the one most likely to be fixed.
fn check_unique_urls(site: &Site) -> Result<()> {
    let mut seen: HashMap<&str, DocId> = HashMap::new();
    let mut errors = Vec::new();
    let sets_url =
        |id: DocId| site.docs[id].front.slug.is_some() || site.docs[id].front.path.is_some();
    for &id in &site.reading_order {
        let doc = &site.docs[id];
        let Some(&first) = seen.get(doc.url_path.as_str()) else {
            seen.insert(&doc.url_path, id);
            continue;
        };
        let (blamed, other) = if sets_url(first) && !sets_url(id) {
            (first, id)
        } else {
            (id, first)
        };
        let blamed_doc = &site.docs[blamed];
        let offset = blamed_doc
            .front
            .offset_of(&blamed_doc.text, "slug", &["path"]);
        errors.push(
            Diagnostic::at(
                Location::from_offset(&blamed_doc.source, &blamed_doc.text, offset),
                format!("two documents have the URL /{}", doc.url_path),
            )
            .with_help(format!(
                "{} has it too; give one of them another `slug` or `path`",
                site.docs[other].source.display()
            ))
            .into(),
        );
    }
    Error::from_list(errors)
}
