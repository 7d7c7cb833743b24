//! The image stage: every JPEG or PNG a page shows from its Markdown is decoded, turned
//! upright by its EXIF orientation, resized to a few widths (never upscaled) and encoded
//! again. What is published is only these new files: they carry no EXIF, XMP, IPTC or
//! embedded thumbnail (a phone's photo holds the GPS position where it was taken), and the
//! original is not copied to the output.
//!
//! Hostile files fail fast with bounded memory: a size limit before reading, and
//! `image::Limits` on dimensions and allocation before decoding (a PNG "bomb" of a few KB
//! declaring 100,000 × 100,000 pixels is refused from its header).
//!
//! Results are cached in the site's `.lectern/images/`, by a hash of the source bytes and
//! of the settings below, so an unchanged photo is processed once.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use rayon::prelude::*;

use crate::config::Settings;
use crate::content::{image_output_path, PublishedImage, Site};
use crate::error::{Diagnostic, Error, Location, Result};

/// The widths published, narrowest first; an image narrower than the widest is also
/// published at its own width, never wider.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// JPEG quality: photos look as they did, at a fraction of a phone's bytes.
pub const JPEG_QUALITY: u8 = 82;
/// The largest source file read, in bytes.
pub const MAX_SOURCE_BYTES: u64 = 40 * 1024 * 1024;
/// The largest width or height decoded (a 12 MP phone photo is 4032 × 3024).
pub const MAX_DIMENSION: u32 = 12_000;
/// The most memory one decode may take.
pub const MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// Changes whenever what the stage makes from the same bytes changes: part of the cache key.
const SETTINGS_KEY: &str = "v1 480,960,1600 jpeg82 png thumbnail";
/// Where the cache lives, inside the site's state folder.
const CACHE_DIR: &str = "images";

/// What the image stage made.
#[derive(Debug, Default)]
pub struct Processed {
    /// Each published photo, by the output path of its original.
    pub images: HashMap<String, PublishedImage>,
    /// The files to write: output path and bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// Originals that must not be copied to the output.
    pub withheld: HashSet<String>,
}

/// One photo's output path, what pages see of it, and its files.
type Published = (String, PublishedImage, Vec<(String, Vec<u8>)>);

/// One encoded variant.
#[derive(Debug, Clone)]
struct Variant {
    width: u32,
    height: u32,
    extension: &'static str,
    bytes: Vec<u8>,
}

/// Processes every JPEG and PNG from `static/` or `content/` that a page's Markdown
/// shows, the `[person]` portrait and every tribute's `photo`. A site that shows no
/// image does no work here.
pub fn process(site: &Site, settings: &Settings) -> Result<Processed> {
    let uses = image_uses(site, settings)?;
    if uses.is_empty() {
        return Ok(Processed::default());
    }
    let mut sources: HashMap<String, PathBuf> = HashMap::new();
    for file in crate::input::walk(&settings.root, "static", |_| false)? {
        if is_raster(&file.relative) {
            sources.insert(file.relative.clone(), file.path.clone());
        }
    }
    for asset in &site.assets {
        if is_raster(&asset.output_path) {
            sources.insert(asset.output_path.clone(), asset.source.clone());
        }
    }
    let mut missing = Vec::new();
    let mut wanted: Vec<(&String, &PathBuf, &Location)> = Vec::new();
    for (path, used) in &uses {
        match sources.get_key_value(path) {
            Some((path, source)) => wanted.push((path, source, &used.location)),
            // A Markdown image of no file is the output link check's to report.
            None => missing.extend(
                used.named
                    .map(|what| missing_image(path, what, &used.location)),
            ),
        }
    }
    Error::from_list(missing)?;
    wanted.sort_by(|a, b| a.0.cmp(b.0));
    let cache = cache_dir(&settings.root);
    let results: Vec<Result<Published>> = wanted
        .par_iter()
        .map(|(path, source, location)| {
            let variants = variants_of(source, cache.as_deref())
                .map_err(|problem| image_error(source, location, &problem))?;
            Ok(publish(path, variants))
        })
        .collect();
    let mut processed = Processed::default();
    for (path, image, files) in Error::collect_all(results)? {
        processed.files.extend(files);
        processed.withheld.insert(path.clone());
        processed.images.insert(path, image);
    }
    Ok(processed)
}

/// Where an image is used first, and what names it when a setting does.
struct ImageUse {
    location: Location,
    /// `Some("the portrait")` for an image named in `site.toml` or front matter: its file
    /// must be a JPEG or PNG of the site.
    named: Option<&'static str>,
}

/// Every image the site shows, by output path: each page's Markdown images, the
/// portrait and the tributes' photos.
fn image_uses(site: &Site, settings: &Settings) -> Result<HashMap<String, ImageUse>> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut uses = HashMap::new();
    let mut refused = Vec::new();
    let mut named = |uses: &mut HashMap<String, ImageUse>,
                     path: Option<String>,
                     dest: &str,
                     what: &'static str,
                     location: Location| match path {
        Some(path) if is_raster(&path) => {
            uses.insert(
                path,
                ImageUse {
                    location,
                    named: Some(what),
                },
            );
        }
        _ => refused.push(missing_image(dest, what, &location)),
    };
    if let Some(person) = &settings.config.person {
        if let Some(portrait) = &person.portrait {
            let location = settings.config.place_of(&settings.root, "person.portrait");
            named(
                &mut uses,
                image_output_path("/", portrait),
                portrait,
                "the portrait",
                location,
            );
        }
    }
    for doc in &site.docs {
        if let Some(photo) = doc.front.tribute.as_ref().and_then(|t| t.photo.as_deref()) {
            let offset = doc
                .front
                .offset_of(&doc.text, "tribute.photo", &["tribute"]);
            let location = Location::from_offset(&doc.source, &doc.text, offset);
            named(
                &mut uses,
                doc.tribute_photo_path(),
                photo,
                "this tribute's photo",
                location,
            );
        }
        let body = doc.body();
        if !body.contains("![") {
            continue;
        }
        let options = Options::ENABLE_FOOTNOTES
            | Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_HEADING_ATTRIBUTES;
        for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
            if let Event::Start(Tag::Image { dest_url, .. }) = event {
                if let Some(path) = image_output_path(&doc.url_path, &dest_url) {
                    uses.entry(path).or_insert_with(|| ImageUse {
                        location: Location::from_offset(
                            &doc.source,
                            &doc.text,
                            doc.body_offset + range.start,
                        ),
                        named: None,
                    });
                }
            }
        }
    }
    Error::from_list(refused)?;
    Ok(uses)
}

/// The error for a portrait or tribute photo that is not a JPEG or PNG of the site.
fn missing_image(path: &str, what: &str, location: &Location) -> Error {
    Diagnostic::at(
        location.clone(),
        format!("{what} `{path}` is not a JPEG or PNG file of the site"),
    )
    .with_help(
        "put the photo in static/ (portrait = \"img/portrait.jpg\" for static/img/portrait.jpg) \
         or beside the tribute's file (photo = \"jane.jpg\")",
    )
    .into()
}

/// Whether the stage processes a file of this name.
fn is_raster(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// The error for an image that cannot be published, at the Markdown that shows it.
fn image_error(source: &Path, location: &Location, problem: &str) -> Error {
    Diagnostic::at(
        location.clone(),
        format!("the image {} {problem}", source.display()),
    )
    .with_help("replace the file with a JPEG or PNG photo, or remove the image from the page")
    .into()
}

/// The published image and its files, named after the original: `img/x.jpg` gives
/// `img/x-480.jpg`, `img/x-960.jpg`, ….
fn publish(path: &str, variants: Vec<Variant>) -> Published {
    let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
    let largest = variants.last().map_or((0, 0), |v| (v.width, v.height));
    let mut files = Vec::with_capacity(variants.len());
    let mut listed = Vec::with_capacity(variants.len());
    for variant in variants {
        let name = format!("{stem}-{}.{}", variant.width, variant.extension);
        listed.push((variant.width, name.clone()));
        files.push((name, variant.bytes));
    }
    let image = PublishedImage {
        width: largest.0,
        height: largest.1,
        variants: listed,
    };
    (path.to_string(), image, files)
}

/// The variants of the file at `source`, from the cache when it holds them.
fn variants_of(source: &Path, cache: Option<&Path>) -> std::result::Result<Vec<Variant>, String> {
    let size = std::fs::metadata(source)
        .map_err(|e| format!("cannot be read: {e}"))?
        .len();
    if size > MAX_SOURCE_BYTES {
        return Err(format!(
            "is {} MB, more than the {} MB lectern accepts",
            size / (1024 * 1024),
            MAX_SOURCE_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(source).map_err(|e| format!("cannot be read: {e}"))?;
    let key = blake3::Hash::from(
        *blake3::Hasher::new()
            .update(SETTINGS_KEY.as_bytes())
            .update(&bytes)
            .finalize()
            .as_bytes(),
    )
    .to_hex();
    if let Some(found) = cache.and_then(|dir| cache_read(dir, &key)) {
        return Ok(found);
    }
    let variants = encode_variants(&bytes)?;
    if let Some(dir) = cache {
        // The cache only saves time: a build whose cache cannot be written still succeeds.
        let _ = cache_write(dir, &key, &variants);
    }
    Ok(variants)
}

/// Decodes `bytes` within the limits, turns the picture upright, and encodes each width.
fn encode_variants(bytes: &[u8]) -> std::result::Result<Vec<Variant>, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot be read: {e}"))?;
    match reader.format() {
        Some(ImageFormat::Jpeg) => {
            // A JPEG ends with its end-of-image marker (phones may add bytes after it): a
            // file cut short would otherwise be published with a grey lower part.
            if !bytes.windows(2).any(|w| w == [0xFF, 0xD9]) {
                return Err("is cut short (a truncated JPEG)".to_string());
            }
        }
        Some(ImageFormat::Png) => {}
        _ => return Err("is not a JPEG or PNG image".to_string()),
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = reader;
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(describe)?;
    let orientation = decoder.orientation().map_err(describe)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(describe)?;
    image.apply_orientation(orientation);
    let keeps_alpha = image.color().has_alpha() && has_transparency(&image);
    let (width, height) = (image.width(), image.height());
    if width == 0 || height == 0 {
        return Err("has no pixels".to_string());
    }
    // The standard widths below the photo's own, then its own width capped at the widest:
    // a photo wider than 1600 px must not get 1600 twice (two files claiming one path).
    let widest = WIDTHS[WIDTHS.len() - 1];
    let mut widths: Vec<u32> = WIDTHS
        .iter()
        .copied()
        .filter(|&w| w < width.min(widest))
        .collect();
    widths.push(width.min(widest));
    // Widest first, each from the one before: a 12 MP photo is scaled down once.
    let mut variants = Vec::with_capacity(widths.len());
    let mut previous = image;
    for &w in widths.iter().rev() {
        let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width))
            .max(1) as u32;
        let scaled = if w == previous.width() {
            previous
        } else {
            previous.thumbnail_exact(w, h)
        };
        variants.push(encode(&scaled, keeps_alpha)?);
        previous = scaled;
    }
    variants.reverse();
    Ok(variants)
}

/// One variant as JPEG, or as PNG when the picture has transparent pixels. The encoders
/// write pixels only: no metadata of the source reaches the output.
fn encode(image: &DynamicImage, keeps_alpha: bool) -> std::result::Result<Variant, String> {
    let mut bytes = Vec::new();
    let extension = if keeps_alpha {
        DynamicImage::ImageRgba8(image.to_rgba8())
            .write_with_encoder(image::codecs::png::PngEncoder::new(&mut bytes))
            .map_err(describe)?;
        "png"
    } else {
        DynamicImage::ImageRgb8(image.to_rgb8())
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut bytes,
                JPEG_QUALITY,
            ))
            .map_err(describe)?;
        "jpg"
    };
    Ok(Variant {
        width: image.width(),
        height: image.height(),
        extension,
        bytes,
    })
}

/// Whether any pixel is not fully opaque.
fn has_transparency(image: &DynamicImage) -> bool {
    match image {
        DynamicImage::ImageRgba8(buffer) => buffer.pixels().any(|p| p.0[3] < u8::MAX),
        DynamicImage::ImageLumaA8(buffer) => buffer.pixels().any(|p| p.0[1] < u8::MAX),
        other => other.to_rgba16().pixels().any(|p| p.0[3] < u16::MAX),
    }
}

/// A decoding error in words a site's author can act on.
fn describe(error: image::ImageError) -> String {
    match error {
        image::ImageError::Limits(_) => format!(
            "is too large to decode safely (more than {MAX_DIMENSION} pixels wide or high, \
             or more than {} MB of pixels)",
            MAX_ALLOC / (1024 * 1024)
        ),
        image::ImageError::Decoding(e) => format!("is damaged and cannot be decoded: {e}"),
        other => format!("cannot be decoded: {other}"),
    }
}

/// The cache folder, `.lectern/images/` in the site; `None` when `.lectern` is a link
/// (never followed, as for lectern's other state) or cannot be made.
fn cache_dir(root: &Path) -> Option<PathBuf> {
    let state = root.join(crate::output::STATE_DIR);
    match std::fs::symlink_metadata(&state) {
        Ok(meta) if !meta.is_dir() => return None,
        Ok(_) => {}
        Err(_) => std::fs::create_dir(&state).ok()?,
    }
    let dir = state.join(CACHE_DIR);
    match std::fs::symlink_metadata(&dir) {
        Ok(meta) if meta.is_dir() => Some(dir),
        Ok(_) => None,
        Err(_) => std::fs::create_dir(&dir).ok().map(|()| dir),
    }
}

/// The variants cached under `key`: a manifest `key.txt` of `width height extension`
/// lines, beside one file per variant.
fn cache_read(dir: &Path, key: &str) -> Option<Vec<Variant>> {
    let manifest = std::fs::read_to_string(dir.join(format!("{key}.txt"))).ok()?;
    let mut variants = Vec::new();
    for line in manifest.lines() {
        let mut fields = line.split(' ');
        let width: u32 = fields.next()?.parse().ok()?;
        let height: u32 = fields.next()?.parse().ok()?;
        let extension = match fields.next()? {
            "jpg" => "jpg",
            "png" => "png",
            _ => return None,
        };
        let bytes = std::fs::read(dir.join(format!("{key}-{width}.{extension}"))).ok()?;
        variants.push(Variant {
            width,
            height,
            extension,
            bytes,
        });
    }
    (!variants.is_empty()).then_some(variants)
}

/// Stores `variants` under `key`; the manifest is written last, so a cache entry is
/// complete whenever it is found.
fn cache_write(dir: &Path, key: &str, variants: &[Variant]) -> std::io::Result<()> {
    let mut manifest = String::new();
    for v in variants {
        std::fs::write(
            dir.join(format!("{key}-{}.{}", v.width, v.extension)),
            &v.bytes,
        )?;
        manifest.push_str(&format!("{} {} {}\n", v.width, v.height, v.extension));
    }
    let temporary = dir.join(format!("{key}.txt.tmp"));
    std::fs::write(&temporary, manifest)?;
    std::fs::rename(temporary, dir.join(format!("{key}.txt")))
}
