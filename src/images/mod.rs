//! The image stage: every JPEG or PNG a page shows from its Markdown is decoded, turned
//! upright by its EXIF orientation, resized to a few widths (never upscaled) and encoded
//! again, each width twice: as WebP (what browsers take, in fewer bytes) and as
//! JPEG, or PNG for a picture with transparency (the fallback every browser shows). What
//! is published is only these new files: they carry no EXIF, XMP, IPTC or embedded
//! thumbnail (a phone's photo holds the GPS position where it was taken), and the original
//! is not copied to the output.
//!
//! Hostile files fail fast with bounded memory: a size limit before reading, and
//! `image::Limits` on dimensions and allocation before decoding (a PNG "bomb" of a few KB
//! declaring 100,000 × 100,000 pixels is refused from its header).
//!
//! Results are cached in the site's `.lectern/images/`, by a hash of the source bytes and
//! of the settings below, so an unchanged photo is processed once: a rebuild (and every
//! rebuild of `lectern serve`) encodes only the photos that changed.

mod cache;

use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use rayon::prelude::*;

use cache::{ImageCache, Stamp};

use crate::config::Settings;
use crate::content::{image_output_path, PublishedImage, Site};
use crate::error::{Diagnostic, Error, Location, Result};

/// The widths published, narrowest first; an image narrower than the widest is also
/// published at its own width, never wider.
pub const WIDTHS: [u32; 4] = [480, 720, 960, 1600];
/// JPEG quality: photos look as they did, at a fraction of a phone's bytes.
pub const JPEG_QUALITY: u8 = 82;
/// Lossy WebP quality: within 1 dB (PSNR) of the JPEG at [`JPEG_QUALITY`] on the
/// benchmark's photo, in far fewer bytes (BENCHMARKS.md, run 16); the scales differ, so
/// the numbers are not the same.
pub const WEBP_QUALITY: f32 = 80.0;
/// The largest source file read, in bytes.
pub const MAX_SOURCE_BYTES: u64 = 40 * 1024 * 1024;
/// The largest width or height decoded (a 12 MP phone photo is 4032 × 3024).
pub const MAX_DIMENSION: u32 = 12_000;
/// The most memory one decode may take.
pub const MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// Changes whenever what the stage makes from the same bytes changes: part of the cache key.
const SETTINGS_KEY: &str = "v3 480,720,960,1600 jpeg82 png webp80 lanczos3";

/// What the image stage made.
#[derive(Debug, Default)]
pub struct Processed {
    /// Each published photo, by the output path of its original.
    pub images: HashMap<String, PublishedImage>,
    /// The files to write.
    pub files: Vec<PhotoFile>,
    /// Originals that must not be copied to the output.
    pub withheld: HashSet<String>,
    /// Where the cached files' bytes are.
    cache: Option<ImageCache>,
}

/// One file of a published photo (`img/felix-480.webp`).
#[derive(Debug)]
pub struct PhotoFile {
    /// Its output path.
    pub path: String,
    hash: blake3::Hash,
    bytes: Bytes,
}

impl Processed {
    /// Writes `file` into the output. A cached file is read only when the output does
    /// not already hold it: a rebuild of unchanged photos reads none of them.
    pub fn write(&self, file: &PhotoFile, staging: &crate::output::Staging) -> Result<()> {
        staging.write_known(&file.path, &file.hash, || match &file.bytes {
            Bytes::InHand(bytes) => Ok(std::borrow::Cow::Borrowed(bytes.as_slice())),
            Bytes::InCache(name) => self
                .cache
                .as_ref()
                .and_then(|cache| cache.load(name, &file.hash))
                .map(std::borrow::Cow::Owned)
                .ok_or_else(|| {
                    Diagnostic::in_file(
                        &Path::new(crate::output::STATE_DIR)
                            .join("images")
                            .join(name),
                        "this file of the image cache changed or went away during the build",
                    )
                    .with_help("build again (delete .lectern/images/ to start the cache afresh)")
                    .into()
                }),
        })
    }
}

/// One photo's output path, what pages see of it, and its files.
type Published = (String, PublishedImage, Vec<PhotoFile>);

/// One encoded variant.
#[derive(Debug, Clone)]
struct Variant {
    width: u32,
    height: u32,
    extension: &'static str,
    /// The hash of its bytes, which the output compares with what it holds.
    hash: blake3::Hash,
    bytes: Bytes,
}

/// Where a variant's bytes are.
#[derive(Debug, Clone)]
enum Bytes {
    /// Just encoded.
    InHand(Vec<u8>),
    /// A file of the cache, by name, not read until the output needs it.
    InCache(String),
}

impl Variant {
    /// A variant just encoded.
    fn encoded(width: u32, height: u32, extension: &'static str, bytes: Vec<u8>) -> Variant {
        Variant {
            width,
            height,
            extension,
            hash: blake3::hash(&bytes),
            bytes: Bytes::InHand(bytes),
        }
    }
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
    let cache = ImageCache::open(&settings.root);
    let results: Vec<Result<Published>> = wanted
        .par_iter()
        .map(|(path, source, location)| {
            let variants = variants_of(source, cache.as_ref())
                .map_err(|problem| image_error(source, location, &problem))?;
            Ok(publish(path, variants))
        })
        .collect();
    let mut processed = Processed {
        cache,
        ..Processed::default()
    };
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
/// `img/x-480.jpg`, `img/x-480.webp`, `img/x-960.jpg`, ….
fn publish(path: &str, variants: Vec<Variant>) -> Published {
    let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
    let largest = variants
        .iter()
        .map(|v| (v.width, v.height))
        .max()
        .unwrap_or((0, 0));
    let mut files = Vec::with_capacity(variants.len());
    let mut listed = Vec::with_capacity(variants.len());
    let mut webp = Vec::with_capacity(variants.len());
    for variant in variants {
        let name = format!("{stem}-{}.{}", variant.width, variant.extension);
        if variant.extension == "webp" {
            webp.push((variant.width, name.clone()));
        } else {
            listed.push((variant.width, name.clone()));
        }
        files.push(PhotoFile {
            path: name,
            hash: variant.hash,
            bytes: variant.bytes,
        });
    }
    let image = PublishedImage {
        width: largest.0,
        height: largest.1,
        variants: listed,
        webp,
    };
    (path.to_string(), image, files)
}

/// The variants of the file at `source`, from the cache when it holds them.
fn variants_of(
    source: &Path,
    cache: Option<&ImageCache>,
) -> std::result::Result<Vec<Variant>, String> {
    variants_with(source, cache, SETTINGS_KEY)
}

/// [`variants_of`], for the stage's settings named by `settings_key`: an entry made with
/// other settings is never found.
///
/// A cache entry is named by a hash of the source's bytes; reading and hashing 20 phone
/// photos (80 MB) took more than the rest of a warm rebuild of their site (BENCHMARKS.md,
/// run 16). So the cache also keeps a stamp for each source path: its size, modification
/// time and inode, with the entry they were found to hold. While the file still matches
/// its stamp it is not read at all; any write changes its modification time, and then
/// its bytes are hashed again (and an entry of the same bytes is still found).
fn variants_with(
    source: &Path,
    cache: Option<&ImageCache>,
    settings_key: &str,
) -> std::result::Result<Vec<Variant>, String> {
    let meta = std::fs::metadata(source).map_err(|e| format!("cannot be read: {e}"))?;
    let size = meta.len();
    if size > MAX_SOURCE_BYTES {
        return Err(format!(
            "is {} MB, more than the {} MB lectern accepts",
            size / (1024 * 1024),
            MAX_SOURCE_BYTES / (1024 * 1024)
        ));
    }
    let stamp = Stamp::of(&meta);
    if let (Some(cache), Some(stamp)) = (cache, &stamp) {
        if let Some(found) = cache
            .stamped_key(source, settings_key, stamp)
            .and_then(|key| cache.variants(&key))
        {
            return Ok(found);
        }
    }
    let bytes = std::fs::read(source).map_err(|e| format!("cannot be read: {e}"))?;
    let key = blake3::Hash::from(
        *blake3::Hasher::new()
            .update(settings_key.as_bytes())
            .update(&bytes)
            .finalize()
            .as_bytes(),
    )
    .to_hex();
    let variants = match cache.and_then(|cache| cache.variants(&key)) {
        Some(found) => found,
        None => {
            let variants = encode_variants(&bytes)?;
            if let Some(cache) = cache {
                // The cache only saves time: a build whose cache cannot be written still
                // succeeds.
                let _ = cache.store(&key, &variants);
            }
            variants
        }
    };
    if let (Some(cache), Some(stamp)) = (cache, &stamp) {
        // Only the bytes as read are known to be `key`'s: a file written again since (its
        // time changed) gets no stamp, and is hashed again next time.
        let unchanged = std::fs::metadata(source)
            .ok()
            .and_then(|meta| Stamp::of(&meta))
            .is_some_and(|now| now == *stamp);
        if unchanged && stamp.is_settled() {
            let _ = cache.record_stamp(source, settings_key, stamp, key.as_str());
        }
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
    // 8 bits a channel is all the encoders take; the alpha channel only when it is used.
    let pixels = if keeps_alpha {
        Pixels::rgba(image.into_rgba8())
    } else {
        Pixels::rgb(image.into_rgb8())
    };
    // Every width narrower than the photo, and the photo's own when it is narrower than
    // the widest (a photo wider than that has all of them already, the widest once).
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < width).collect();
    if width <= WIDTHS[WIDTHS.len() - 1] {
        widths.push(width);
    }
    // Widest first, each from the one before: a 12 MP photo is scaled down once, and each
    // smaller width costs a fraction of that.
    let mut variants = Vec::with_capacity(2 * widths.len());
    let mut resizer = fast_image_resize::Resizer::new();
    let mut previous = pixels;
    for &w in widths.iter().rev() {
        let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width))
            .max(1) as u32;
        let scaled = if w == previous.width {
            previous
        } else {
            previous.resized(&mut resizer, w, h)?
        };
        variants.push(encode_webp(&scaled)?);
        variants.push(encode_fallback(&scaled)?);
        previous = scaled;
    }
    variants.reverse();
    Ok(variants)
}

/// Decoded pixels, 8 bits a channel: RGB, or RGBA for a picture with transparency.
struct Pixels {
    width: u32,
    height: u32,
    alpha: bool,
    bytes: Vec<u8>,
}

impl Pixels {
    fn rgb(image: image::RgbImage) -> Pixels {
        Pixels {
            width: image.width(),
            height: image.height(),
            alpha: false,
            bytes: image.into_raw(),
        }
    }

    fn rgba(image: image::RgbaImage) -> Pixels {
        Pixels {
            width: image.width(),
            height: image.height(),
            alpha: true,
            bytes: image.into_raw(),
        }
    }

    fn pixel_type(&self) -> fast_image_resize::PixelType {
        if self.alpha {
            fast_image_resize::PixelType::U8x4
        } else {
            fast_image_resize::PixelType::U8x3
        }
    }

    /// These pixels scaled to `width` × `height` with a Lanczos3 filter (sharp, without the
    /// moiré a plain average leaves on fine patterns), by `fast_image_resize`: its SIMD
    /// code takes a 12 MP photo to 1600 px several times faster than `image`'s own
    /// resize (BENCHMARKS.md, run 16). Transparent pixels are weighted by their alpha, so no
    /// dark fringe appears at the edge of a transparent area.
    fn resized(
        &self,
        resizer: &mut fast_image_resize::Resizer,
        width: u32,
        height: u32,
    ) -> std::result::Result<Pixels, String> {
        use fast_image_resize::images::{Image, ImageRef};
        let source = ImageRef::new(self.width, self.height, &self.bytes, self.pixel_type())
            .map_err(|e| format!("cannot be resized: {e}"))?;
        let mut target = Image::new(width, height, self.pixel_type());
        resizer
            .resize(&source, &mut target, None)
            .map_err(|e| format!("cannot be resized: {e}"))?;
        Ok(Pixels {
            width,
            height,
            alpha: self.alpha,
            bytes: target.into_vec(),
        })
    }
}

/// One width as JPEG, or as PNG when the picture has transparent pixels. The encoders
/// write pixels only: no metadata of the source reaches the output.
fn encode_fallback(pixels: &Pixels) -> std::result::Result<Variant, String> {
    use image::ImageEncoder as _;
    let mut bytes = Vec::new();
    let extension = if pixels.alpha {
        image::codecs::png::PngEncoder::new(&mut bytes)
            .write_image(
                &pixels.bytes,
                pixels.width,
                pixels.height,
                image::ExtendedColorType::Rgba8,
            )
            .map_err(describe)?;
        "png"
    } else {
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
            .write_image(
                &pixels.bytes,
                pixels.width,
                pixels.height,
                image::ExtendedColorType::Rgb8,
            )
            .map_err(describe)?;
        "jpg"
    };
    Ok(Variant::encoded(
        pixels.width,
        pixels.height,
        extension,
        bytes,
    ))
}

/// One width as lossy WebP (libwebp), with its alpha channel when it has one. libwebp
/// writes a bare `VP8 `/`VP8L` image (with `ALPH`): no EXIF or XMP chunk is ever added.
fn encode_webp(pixels: &Pixels) -> std::result::Result<Variant, String> {
    let encoder = if pixels.alpha {
        webp::Encoder::from_rgba(&pixels.bytes, pixels.width, pixels.height)
    } else {
        webp::Encoder::from_rgb(&pixels.bytes, pixels.width, pixels.height)
    };
    let memory = encoder
        .encode_simple(false, WEBP_QUALITY)
        .map_err(|e| format!("cannot be encoded as WebP: {e:?}"))?;
    Ok(Variant::encoded(
        pixels.width,
        pixels.height,
        "webp",
        memory.to_vec(),
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    impl Variant {
        /// The bytes of a variant just encoded.
        fn in_hand(&self) -> &[u8] {
            match &self.bytes {
                Bytes::InHand(bytes) => bytes,
                Bytes::InCache(name) => panic!("{name} was not encoded here"),
            }
        }
    }

    /// A photo-like picture: soft gradients and shapes under fine noise, as a camera's
    /// sensor gives them, so that its JPEG and WebP sizes are those of a photo's.
    fn photo_like(width: u32, height: u32) -> image::RgbImage {
        let mut state: u32 = 0x9E37_79B9;
        image::RgbImage::from_fn(width, height, |x, y| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let noise = (state % 17) as f32 - 8.0;
            let (u, v) = (x as f32 / width as f32, y as f32 / height as f32);
            let (dx, dy) = (u - 0.6, v - 0.4);
            let disc = if dx * dx + dy * dy < 0.04 { 60.0 } else { 0.0 };
            let wave = 20.0 * (u * 40.0).sin() * (v * 25.0).cos();
            let channel = |base: f32| (base + wave + disc + noise).clamp(0.0, 255.0) as u8;
            image::Rgb([
                channel(200.0 * u + 30.0),
                channel(180.0 * v + 40.0),
                channel(120.0 * (1.0 - u) + 60.0),
            ])
        })
    }

    fn jpeg_of(picture: image::RgbImage, quality: u8) -> Vec<u8> {
        let mut bytes = Vec::new();
        DynamicImage::ImageRgb8(picture)
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut bytes, quality,
            ))
            .unwrap();
        bytes
    }

    #[test]
    fn a_photo_s_webp_is_smaller_than_its_jpeg_at_every_width() {
        let variants = encode_variants(&jpeg_of(photo_like(2000, 1500), 92)).unwrap();
        let listed: Vec<(u32, u32, &str)> = variants
            .iter()
            .map(|v| (v.width, v.height, v.extension))
            .collect();
        assert_eq!(
            listed,
            [
                (480, 360, "jpg"),
                (480, 360, "webp"),
                (720, 540, "jpg"),
                (720, 540, "webp"),
                (960, 720, "jpg"),
                (960, 720, "webp"),
                (1600, 1200, "jpg"),
                (1600, 1200, "webp"),
            ]
        );
        for pair in variants.chunks(2) {
            let (jpeg, webp) = (&pair[0], &pair[1]);
            assert!(
                webp.in_hand().len() < jpeg.in_hand().len(),
                "at {} px the WebP is {} bytes, the JPEG {}",
                jpeg.width,
                webp.in_hand().len(),
                jpeg.in_hand().len()
            );
        }
    }

    #[test]
    fn a_cache_entry_is_used_only_for_the_same_bytes_and_settings() {
        let temp = tempfile::tempdir().unwrap();
        let source = temp.path().join("a.jpg");
        std::fs::write(&source, jpeg_of(photo_like(600, 400), 90)).unwrap();
        let cache = temp.path().join("cache");
        std::fs::create_dir(&cache).unwrap();
        let entries = || {
            std::fs::read_dir(&cache)
                .unwrap()
                .filter(|e| {
                    !e.as_ref()
                        .unwrap()
                        .path()
                        .to_string_lossy()
                        .ends_with(".stamp")
                })
                .count()
        };
        variants_with(&source, Some(&ImageCache::at(&cache)), "settings one").unwrap();
        // A manifest, then a JPEG and a WebP at 480 and 600 px.
        assert_eq!(entries(), 5);
        // The same settings find the entry: its files are not even read.
        let again = variants_with(&source, Some(&ImageCache::at(&cache)), "settings one").unwrap();
        assert!(again.iter().all(|v| matches!(v.bytes, Bytes::InCache(_))));
        assert_eq!(entries(), 5);
        // Other settings: processed again, into an entry of their own.
        let other = variants_with(&source, Some(&ImageCache::at(&cache)), "settings two").unwrap();
        assert!(other.iter().all(|v| matches!(v.bytes, Bytes::InHand(_))));
        assert_eq!(entries(), 10);
    }

    #[test]
    fn a_source_that_keeps_its_stamp_is_not_read_again() {
        use std::time::{Duration, SystemTime};
        let temp = tempfile::tempdir().unwrap();
        let source = temp.path().join("a.jpg");
        std::fs::write(&source, jpeg_of(photo_like(600, 400), 90)).unwrap();
        let set_time = |ago: u64| {
            std::fs::File::options()
                .write(true)
                .open(&source)
                .unwrap()
                .set_modified(SystemTime::now() - Duration::from_secs(ago))
                .unwrap();
        };
        let old = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&source)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let cache = temp.path().join("cache");
        std::fs::create_dir(&cache).unwrap();
        let names = || {
            let mut names: Vec<String> = std::fs::read_dir(&cache)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let first = variants_with(&source, Some(&ImageCache::at(&cache)), "s").unwrap();
        let after_first = names();
        assert_eq!(
            after_first.iter().filter(|n| n.ends_with(".stamp")).count(),
            1,
            "{after_first:?}"
        );

        // Other bytes of the same size, written in place, the time set back: the stamp
        // still matches, so the file is not read and the cached variants come back.
        let mut bytes = std::fs::read(&source).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x55;
        std::fs::write(&source, &bytes).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&source)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let second = variants_with(&source, Some(&ImageCache::at(&cache)), "s").unwrap();
        assert!(first.iter().zip(&second).all(|(a, b)| a.hash == b.hash));
        assert!(second.iter().all(|v| matches!(v.bytes, Bytes::InCache(_))));
        assert_eq!(names(), after_first);

        // Its time changed, as any write changes it: read and hashed again, a new entry.
        set_time(1800);
        variants_with(&source, Some(&ImageCache::at(&cache)), "s").unwrap();
        let manifests = names().iter().filter(|n| n.ends_with(".txt")).count();
        assert_eq!(manifests, 2, "{:?}", names());

        // Written just now: hashed, but no stamp trusted for it until it is older.
        std::fs::write(&source, jpeg_of(photo_like(600, 400), 80)).unwrap();
        let stamp = std::fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with(".stamp"))
            .unwrap();
        let recorded = std::fs::read_to_string(&stamp).unwrap();
        variants_with(&source, Some(&ImageCache::at(&cache)), "s").unwrap();
        assert_eq!(std::fs::read_to_string(&stamp).unwrap(), recorded);
        assert_eq!(names().iter().filter(|n| n.ends_with(".txt")).count(), 3);
    }

    /// The JPEG and WebP qualities compared at 1600 px, by size and by PSNR against the
    /// resized pixels (BENCHMARKS.md):
    /// `cargo test --lib encoders_compared -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, run by hand"]
    fn encoders_compared() {
        let picture = Pixels::rgb(photo_like(4032, 3024));
        let scaled = picture
            .resized(&mut fast_image_resize::Resizer::new(), 1600, 1200)
            .unwrap();
        let psnr = |decoded: &[u8]| {
            let squared: f64 = scaled
                .bytes
                .iter()
                .zip(decoded)
                .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
                .sum();
            10.0 * (255.0 * 255.0 / (squared / scaled.bytes.len() as f64)).log10()
        };
        for quality in [75, 82, 90] {
            let mut bytes = Vec::new();
            image::ImageEncoder::write_image(
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality),
                &scaled.bytes,
                1600,
                1200,
                image::ExtendedColorType::Rgb8,
            )
            .unwrap();
            let decoded = image::load_from_memory(&bytes).unwrap().into_rgb8();
            println!(
                "JPEG q{quality}: {} KB, PSNR {:.2} dB",
                bytes.len() / 1024,
                psnr(decoded.as_raw())
            );
        }
        for quality in [75.0, 80.0, 85.0, 90.0] {
            let encoded = webp::Encoder::from_rgb(&scaled.bytes, 1600, 1200)
                .encode_simple(false, quality)
                .unwrap();
            let decoded = webp::Decoder::new(&encoded).decode().unwrap();
            println!(
                "WebP q{quality}: {} KB, PSNR {:.2} dB",
                encoded.len() / 1024,
                psnr(&decoded)
            );
        }
    }

    /// The resizers compared on a 12 MP photo to the three widths (BENCHMARKS.md):
    /// `cargo test --release --lib resizers_compared -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, run by hand in a release build"]
    fn resizers_compared() {
        use std::time::Instant;
        let (width, height) = (4032, 3024);
        let picture = photo_like(width, height);
        let heights = |w: u32| (u64::from(height) * u64::from(w) / u64::from(width)) as u32;
        let best = |f: &mut dyn FnMut() -> Vec<image::RgbImage>| {
            let mut times = Vec::new();
            let mut out = Vec::new();
            for _ in 0..5 {
                let started = Instant::now();
                out = f();
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            (times[0], times[2], out)
        };
        let cascade = |scale: &dyn Fn(&image::RgbImage, u32, u32) -> image::RgbImage| {
            let mut out = Vec::new();
            let mut previous = picture.clone();
            for &w in WIDTHS.iter().rev() {
                let scaled = scale(&previous, w, heights(w));
                out.push(scaled.clone());
                previous = scaled;
            }
            out
        };
        let thumbnail = best(&mut || {
            cascade(&|p, w, h| {
                DynamicImage::ImageRgb8(p.clone())
                    .thumbnail_exact(w, h)
                    .into_rgb8()
            })
        });
        let lanczos = best(&mut || {
            cascade(&|p, w, h| {
                image::imageops::resize(p, w, h, image::imageops::FilterType::Lanczos3)
            })
        });
        let catmull = best(&mut || {
            cascade(&|p, w, h| {
                image::imageops::resize(p, w, h, image::imageops::FilterType::CatmullRom)
            })
        });
        let fast = best(&mut || {
            let mut resizer = fast_image_resize::Resizer::new();
            let mut out = Vec::new();
            let mut previous = Pixels::rgb(picture.clone());
            for &w in WIDTHS.iter().rev() {
                let scaled = previous.resized(&mut resizer, w, heights(w)).unwrap();
                out.push(image::RgbImage::from_raw(w, heights(w), scaled.bytes.clone()).unwrap());
                previous = scaled;
            }
            out
        });
        let psnr = |a: &image::RgbImage, b: &image::RgbImage| {
            let squared: f64 = a
                .as_raw()
                .iter()
                .zip(b.as_raw())
                .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
                .sum();
            let mse = squared / a.as_raw().len() as f64;
            10.0 * (255.0 * 255.0 / mse).log10()
        };
        println!("4032x3024 to 1600, 960, 480 px (each from the one before): best, median of 5");
        for (name, result) in [
            ("image thumbnail_exact (area average)", &thumbnail),
            ("image resize Lanczos3", &lanczos),
            ("image resize CatmullRom", &catmull),
            ("fast_image_resize Lanczos3", &fast),
        ] {
            let agreement: Vec<String> = result
                .2
                .iter()
                .zip(&lanczos.2)
                .map(|(a, b)| format!("{:.1}", psnr(a, b)))
                .collect();
            println!(
                "{name}: {:.1} ms, {:.1} ms; PSNR against image's Lanczos3 at 1600/960/480: {} dB",
                result.0,
                result.1,
                agreement.join("/")
            );
        }
        let source = jpeg_of(picture, 92);
        let started = Instant::now();
        let variants = encode_variants(&source).unwrap();
        println!(
            "the whole photo (decode, resize, JPEG and WebP at each width): {:.0} ms; source JPEG q92 {} KB",
            started.elapsed().as_secs_f64() * 1000.0,
            source.len() / 1024
        );
        for v in &variants {
            println!(
                "  {} px {}: {} KB",
                v.width,
                v.extension,
                v.in_hand().len() / 1024
            );
        }
    }
}
