//! Photos a page shows: published upright, at a few widths (never upscaled), as WebP and
//! JPEG (PNG with transparency), without the metadata a phone writes (GPS above all), with
//! the sizes the `<picture>` needs; only a changed photo encoded again; alt text required;
//! hostile images refused quickly, naming the file and the line that shows it.
//!
//! The photos are made here: a JPEG with a phone's EXIF (orientation 6, a GPS position)
//! written byte by byte, a PNG with transparency, a small JPEG; and a committed
//! decompression bomb, `tests/data/photos/bomb.png` (100,000 × 100,000 pixels in 2 KB).

use crate::util::{page, TestSite};

use std::io::Cursor;
use std::time::{Duration, Instant};

use image::{DynamicImage, ImageDecoder, ImageReader, Rgb, RgbImage, Rgba, RgbaImage};

/// The EXIF a phone writes, big-endian TIFF: Orientation 6 (turn 90° clockwise to view)
/// and a GPS position, 51°30′ N 0°7′ W.
pub(crate) fn phone_exif() -> Vec<u8> {
    fn entry(tag: u16, kind: u16, count: u32, value: [u8; 4]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend(tag.to_be_bytes());
        out.extend(kind.to_be_bytes());
        out.extend(count.to_be_bytes());
        out.extend(value);
        out
    }
    let gps_ifd: u32 = 8 + 2 + 2 * 12 + 4;
    let data: u32 = gps_ifd + 2 + 4 * 12 + 4;
    let mut tiff = b"MM\0\x2a".to_vec();
    tiff.extend(8u32.to_be_bytes());
    tiff.extend(2u16.to_be_bytes());
    tiff.extend(entry(0x0112, 3, 1, [0, 6, 0, 0]));
    tiff.extend(entry(0x8825, 4, 1, gps_ifd.to_be_bytes()));
    tiff.extend(0u32.to_be_bytes());
    tiff.extend(4u16.to_be_bytes());
    tiff.extend(entry(1, 2, 2, *b"N\0\0\0"));
    tiff.extend(entry(2, 5, 3, data.to_be_bytes()));
    tiff.extend(entry(3, 2, 2, *b"W\0\0\0"));
    tiff.extend(entry(4, 5, 3, (data + 24).to_be_bytes()));
    tiff.extend(0u32.to_be_bytes());
    for n in [51u32, 1, 30, 1, 0, 1, 0, 1, 7, 1, 0, 1] {
        tiff.extend(n.to_be_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    segment.extend(app1);
    segment
}

/// A `width` × `height` JPEG, with `exif` inserted after its start marker.
pub(crate) fn jpeg(width: u32, height: u32, exif: &[u8]) -> Vec<u8> {
    let picture = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut bytes = Vec::new();
    DynamicImage::ImageRgb8(picture)
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut bytes, 60,
        ))
        .unwrap();
    assert_eq!(&bytes[..2], [0xFF, 0xD8]);
    let mut out = bytes[..2].to_vec();
    out.extend(exif);
    out.extend(&bytes[2..]);
    out
}

/// A 40 × 30 PNG whose middle is half transparent.
fn transparent_png() -> Vec<u8> {
    let picture = RgbaImage::from_fn(40, 30, |x, y| {
        let inside = (5..30).contains(&x) && (5..20).contains(&y);
        Rgba([0, 128, 0, if inside { 128 } else { 0 }])
    });
    let mut bytes = Vec::new();
    DynamicImage::ImageRgba8(picture)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

/// Decodes a published file: its size, and whether it carries EXIF.
fn inspect(bytes: &[u8]) -> (DynamicImage, bool) {
    let mut decoder = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    let exif = decoder.exif_metadata().unwrap().is_some();
    (DynamicImage::from_decoder(decoder).unwrap(), exif)
}

/// The chunks of a WebP file (RIFF): their four-letter names, in order.
fn webp_chunks(bytes: &[u8]) -> Vec<String> {
    assert_eq!(&bytes[..4], b"RIFF", "a RIFF file");
    assert_eq!(&bytes[8..12], b"WEBP", "a WebP file");
    let declared = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    assert_eq!(declared + 8, bytes.len(), "the RIFF size is the file's");
    let mut chunks = Vec::new();
    let mut at = 12;
    while at + 8 <= bytes.len() {
        chunks.push(String::from_utf8_lossy(&bytes[at..at + 4]).into_owned());
        let size = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        // Chunks are padded to an even length.
        at += 8 + size + size % 2;
    }
    assert_eq!(at, bytes.len(), "the chunks fill the file");
    chunks
}

/// Decodes a published WebP file, checking it carries no metadata: its size, whether it
/// has an alpha channel, and its pixels (RGB or RGBA).
fn inspect_webp(name: &str, bytes: &[u8]) -> (u32, u32, bool, Vec<u8>) {
    let chunks = webp_chunks(bytes);
    for chunk in &chunks {
        assert!(
            ["VP8 ", "VP8L", "VP8X", "ALPH"].contains(&chunk.as_str()),
            "{name} holds a {chunk:?} chunk: {chunks:?}"
        );
    }
    for marker in [&b"Exif"[..], b"EXIF", b"XMP ", b"ICCP", b"GPS"] {
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker),
            "{name} holds {:?}",
            String::from_utf8_lossy(marker)
        );
    }
    let image = webp::Decoder::new(bytes)
        .decode()
        .unwrap_or_else(|| panic!("{name} decodes"));
    (
        image.width(),
        image.height(),
        image.is_alpha(),
        image.to_vec(),
    )
}

fn photo_site(body: &str) -> TestSite {
    let site = TestSite::with(&[
        ("content/_index.md", &page("Home", 0, "Hello.\n")),
        ("content/photos.md", &page("Photos", 1, body)),
    ]);
    site.write_bytes("static/img/phone.jpg", &jpeg(1000, 600, &phone_exif()));
    site.write_bytes("static/img/leaf.png", &transparent_png());
    site.write_bytes("static/img/small.jpg", &jpeg(200, 100, &[]));
    site
}

const PHOTOS: &str = "![Felix at his desk](/img/phone.jpg)\n\n![A leaf](/img/leaf.png)\n\n![A small one](/img/small.jpg \"Small\")\n";

#[test]
fn a_phone_photo_is_published_upright_resized_and_without_its_gps() {
    let site = photo_site(PHOTOS);
    let original = std::fs::read(site.path("static/img/phone.jpg")).unwrap();
    assert!(inspect(&original).1, "the test photo carries EXIF");
    site.build().ok();

    // Turned upright: 1000 × 600 with orientation 6 is 600 × 1000. Never upscaled: 480
    // and the photo's own width, no 720, 960 or 1600.
    for (name, width, height) in [("phone-480.jpg", 480, 800), ("phone-600.jpg", 600, 1000)] {
        let bytes = std::fs::read(site.path(&format!("public/img/{name}"))).unwrap();
        let (picture, exif) = inspect(&bytes);
        assert_eq!(
            (picture.width(), picture.height()),
            (width, height),
            "{name}"
        );
        assert!(!exif, "{name} carries EXIF");
        assert!(
            !bytes.windows(6).any(|w| w == b"Exif\0\0"),
            "{name} holds an EXIF segment"
        );
    }
    // The same widths as WebP, smaller, upright, without the GPS.
    for (name, width, height) in [("phone-480", 480, 800), ("phone-600", 600, 1000)] {
        let bytes = std::fs::read(site.path(&format!("public/img/{name}.webp"))).unwrap();
        let (w, h, alpha, _) = inspect_webp(name, &bytes);
        assert_eq!((w, h, alpha), (width, height, false), "{name}.webp");
        let jpeg = std::fs::metadata(site.path(&format!("public/img/{name}.jpg"))).unwrap();
        assert!(
            (bytes.len() as u64) < jpeg.len(),
            "{name}.webp is {} bytes, the JPEG {}",
            bytes.len(),
            jpeg.len()
        );
    }
    for absent in [
        "phone.jpg",
        "phone-720.jpg",
        "phone-960.jpg",
        "phone-1600.jpg",
        "phone-960.webp",
        "small.jpg",
        "phone.webp",
    ] {
        assert!(
            !site.exists(&format!("public/img/{absent}")),
            "{absent} is published"
        );
    }
    // Transparency stays: a PNG, at its own 40 px.
    let (leaf, _) = inspect(&std::fs::read(site.path("public/img/leaf-40.png")).unwrap());
    assert_eq!((leaf.width(), leaf.height()), (40, 30));
    assert!(leaf.to_rgba8().pixels().any(|p| p.0[3] < 255));
    assert!(!site.exists("public/img/leaf-40.jpg"));
    // And in the WebP beside it: an alpha channel, the half-transparent middle kept.
    let bytes = std::fs::read(site.path("public/img/leaf-40.webp")).unwrap();
    let (w, h, alpha, pixels) = inspect_webp("leaf-40.webp", &bytes);
    assert_eq!((w, h, alpha), (40, 30, true));
    let alpha_at = |x: usize, y: usize| pixels[(y * 40 + x) * 4 + 3];
    assert_eq!(alpha_at(0, 0), 0, "a transparent corner");
    assert!(
        (120..=136).contains(&alpha_at(15, 12)),
        "the middle is half transparent: {}",
        alpha_at(15, 12)
    );
    let (small, _) = inspect(&std::fs::read(site.path("public/img/small-200.jpg")).unwrap());
    assert_eq!((small.width(), small.height()), (200, 100));

    let html = site.read("public/photos/index.html");
    // The WebP first, for the browsers that take it; the `<img>` inside says the rest.
    let picture = html
        .split("<picture>")
        .nth(1)
        .and_then(|s| s.split("</picture>").next())
        .unwrap_or_else(|| panic!("no <picture>: {html}"));
    assert!(
        picture.starts_with(
            "<source type=\"image/webp\" srcset=\"../img/phone-480.webp 480w, ../img/phone-600.webp 600w\" sizes=\""
        ),
        "{picture}"
    );
    assert!(picture.contains("<img "), "{picture}");
    assert_eq!(html.matches("<picture>").count(), 3, "{html}");
    let first = html
        .split("<img ")
        .nth(1)
        .and_then(|s| s.split('>').next())
        .unwrap();
    for attribute in [
        "src=\"../img/phone-600.jpg\"",
        "srcset=\"../img/phone-480.jpg 480w, ../img/phone-600.jpg 600w\"",
        "sizes=\"",
        "width=\"600\"",
        "height=\"1000\"",
        "decoding=\"async\"",
        "alt=\"Felix at his desk\"",
    ] {
        assert!(first.contains(attribute), "{attribute} missing: {first}");
    }
    assert!(
        !first.contains("loading"),
        "the first image loads at once: {first}"
    );
    assert!(
        first.contains("fetchpriority=\"high\""),
        "the first image is fetched first: {first}"
    );
    let third = html.split("<img ").nth(3).unwrap();
    for attribute in [
        "width=\"200\"",
        "height=\"100\"",
        "loading=\"lazy\"",
        "title=\"Small\"",
    ] {
        assert!(third.contains(attribute), "{attribute} missing: {third}");
    }
    assert!(!third.contains("fetchpriority"), "{third}");
}

#[test]
fn an_original_is_published_only_when_the_site_says_so() {
    let site = photo_site(PHOTOS);
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &format!("{config}[images]\npublish_originals = [\"img/small.jpg\"]\n"),
    );
    site.build().ok();
    assert!(site.exists("public/img/small.jpg"));
    assert!(site.exists("public/img/small-200.jpg"));
    assert!(!site.exists("public/img/phone.jpg"));
}

#[test]
fn an_unchanged_photo_comes_from_the_cache() {
    let site = photo_site(PHOTOS);
    site.build().ok();
    let published = site.path("public/img/phone-480.jpg");
    let before = std::fs::metadata(&published).unwrap();
    // A rebuild takes the photo from the cache and leaves the output's file as it is:
    // neither encoded nor written again.
    site.build().ok();
    let after = std::fs::metadata(&published).unwrap();
    use std::os::unix::fs::MetadataExt;
    assert_eq!(
        (before.ino(), before.mtime_nsec()),
        (after.ino(), after.mtime_nsec())
    );
    // A cached file changed behind the cache's back is never published as the photo:
    // the build that would need it stops, naming it.
    let cache = site.path(".lectern/images");
    let cached = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-480.jpg"))
        .expect("the 480 px photo is cached");
    let mut marked = std::fs::read(&cached).unwrap();
    marked.extend(b"changed");
    std::fs::write(&cached, &marked).unwrap();
    std::fs::remove_dir_all(site.path("public")).unwrap();
    let err = site.build().fails();
    assert!(
        err.contains("this file of the image cache changed or went away"),
        "{err}"
    );
    assert!(err.contains(".lectern/images/"), "{err}");
    std::fs::remove_dir_all(&cache).unwrap();
    site.build().ok();
    assert_ne!(std::fs::read(&published).unwrap(), marked);
    // A changed photo is processed again.
    site.write_bytes("static/img/phone.jpg", &jpeg(1000, 700, &phone_exif()));
    site.build().ok();
    let (picture, _) = inspect(&std::fs::read(site.path("public/img/phone-700.jpg")).unwrap());
    assert_eq!(picture.height(), 1000);
}

#[test]
fn an_image_needs_alt_text_or_says_it_is_decorative() {
    let site = photo_site("Text.\n\n![](/img/small.jpg)\n");
    let err = site.build().fails();
    assert!(err.contains("this image has no alt text"), "{err}");
    assert!(err.contains("photos.md:7:1"), "{err}");
    let site = photo_site("Text.\n\n![-](/img/small.jpg)\n");
    site.build().ok();
    let html = site.read("public/photos/index.html");
    assert!(html.contains("alt=\"\""), "{html}");
}

#[test]
fn a_hostile_image_is_an_error_naming_it_and_the_line_that_shows_it() {
    let truncated = jpeg(1000, 600, &phone_exif());
    let bomb = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/photos/bomb.png"
    ))
    .unwrap();
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "cut.jpg",
            truncated[..truncated.len() / 2].to_vec(),
            "cut short",
        ),
        ("bomb.png", bomb, "too large to decode safely"),
        (
            "text.jpg",
            b"not a photo at all\n".to_vec(),
            "is not a JPEG or PNG",
        ),
    ];
    for (name, bytes, problem) in cases {
        let site = photo_site(&format!("Text.\n\n![A picture](/img/{name})\n"));
        site.write_bytes(&format!("static/img/{name}"), &bytes);
        let started = Instant::now();
        let err = site.build().fails();
        let took = started.elapsed();
        assert!(err.contains(problem), "{name}: {err}");
        assert!(err.contains(&format!("img/{name}")), "{name}: {err}");
        assert!(err.contains("photos.md:7:1"), "{name}: {err}");
        assert!(took < Duration::from_secs(3), "{name} took {took:?}");
    }
    // Over the size limit: refused before it is read (a sparse file, 41 MB long).
    let site = photo_site("Text.\n\n![A picture](/img/huge.jpg)\n");
    site.write_bytes("static/img/huge.jpg", b"");
    std::fs::File::options()
        .write(true)
        .open(site.path("static/img/huge.jpg"))
        .unwrap()
        .set_len(41 * 1024 * 1024)
        .unwrap();
    let err = site.build().fails();
    assert!(err.contains("more than the 40 MB"), "{err}");
}

#[test]
fn a_photo_beside_its_page_in_content_is_published_beside_it() {
    let site = TestSite::with(&[
        ("content/_index.md", &page("Home", 0, "Hello.\n")),
        (
            "content/gallery/_index.md",
            &page("Gallery", 1, "![The beach at dusk](beach.jpg)\n"),
        ),
    ]);
    site.write_bytes("content/gallery/beach.jpg", &jpeg(1200, 800, &phone_exif()));
    site.build().ok();
    assert!(!site.exists("public/gallery/beach.jpg"));
    let (picture, exif) =
        inspect(&std::fs::read(site.path("public/gallery/beach-800.jpg")).unwrap());
    assert_eq!((picture.width(), picture.height()), (800, 1200));
    assert!(!exif);
    let html = site.read("public/gallery/index.html");
    assert!(
        html.contains("srcset=\"../gallery/beach-480.jpg 480w, ../gallery/beach-720.jpg 720w, ../gallery/beach-800.jpg 800w\""),
        "{html}"
    );
    assert!(
        html.contains("srcset=\"../gallery/beach-480.webp 480w, ../gallery/beach-720.webp 720w, ../gallery/beach-800.webp 800w\""),
        "{html}"
    );
    let (w, h, _, _) = inspect_webp(
        "beach-800.webp",
        &std::fs::read(site.path("public/gallery/beach-800.webp")).unwrap(),
    );
    assert_eq!((w, h), (800, 1200));
}

/// Each cache entry's files (`.lectern/images/`), by name: inode and modification time.
/// The stamps beside them (what a source's size and time were) are left out: a build may
/// add one for a file that has become old enough to trust its time.
fn cache_files(
    site: &TestSite,
) -> std::collections::BTreeMap<String, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::read_dir(site.path(".lectern/images"))
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".stamp")
        })
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                (meta.ino(), meta.modified().unwrap()),
            )
        })
        .collect()
}

#[test]
fn a_rebuild_encodes_only_the_photo_that_changed() {
    let site = photo_site(PHOTOS);
    site.build().ok();
    let before = cache_files(&site);
    let manifests = |files: &std::collections::BTreeMap<String, _>| {
        files.keys().filter(|n| n.ends_with(".txt")).count()
    };
    // One entry for each of the three photos: a manifest, then a JPEG (or PNG) and a WebP
    // for each width (phone 2, leaf 1, small 1).
    assert_eq!(manifests(&before), 3, "{before:?}");
    assert_eq!(before.len(), 3 + 2 * (2 + 1 + 1), "{before:?}");
    let published = |name: &str| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(site.path(&format!("public/img/{name}")))
            .unwrap()
            .ino()
    };
    let small = (published("small-200.jpg"), published("small-200.webp"));

    // Nothing changed: nothing is encoded, nothing in the cache is touched.
    site.build().ok();
    assert_eq!(cache_files(&site), before);

    // One photo changed: only it is encoded again, into one new entry; the others' cached
    // and published files stay as they were.
    std::thread::sleep(Duration::from_millis(20));
    site.write_bytes("static/img/phone.jpg", &jpeg(1000, 700, &phone_exif()));
    site.build().ok();
    let after = cache_files(&site);
    for (name, stamp) in &before {
        assert_eq!(after.get(name), Some(stamp), "{name} was written again");
    }
    let new: Vec<&String> = after.keys().filter(|n| !before.contains_key(*n)).collect();
    assert_eq!(new.len(), 1 + 2 * 2, "one new entry, the phone's: {new:?}");
    let key = new[0].split(['-', '.']).next().unwrap();
    assert!(new.iter().all(|n| n.starts_with(key)), "{new:?}");
    assert!(site.exists("public/img/phone-700.webp"));
    assert_eq!(
        (published("small-200.jpg"), published("small-200.webp")),
        small,
        "an unchanged photo's output is not rewritten"
    );
}

#[test]
fn serve_encodes_only_the_photo_that_changed() {
    let site = photo_site(PHOTOS);
    let server = crate::util::serve::Server::start(&site);
    let before = cache_files(&site);
    assert_eq!(
        before.keys().filter(|n| n.ends_with(".txt")).count(),
        3,
        "the first build cached the three photos: {before:?}"
    );
    site.write_bytes("static/img/phone.jpg", &jpeg(1000, 700, &phone_exif()));
    server.wait_output("changed static/img/phone.jpg");
    let after = cache_files(&site);
    for (name, stamp) in &before {
        assert_eq!(after.get(name), Some(stamp), "{name} was written again");
    }
    assert_eq!(
        after.len(),
        before.len() + 1 + 2 * 2,
        "one new entry, the phone's"
    );
    let (status, _, _) = server.get("/img/phone-700.webp");
    assert_eq!(status, 200);
    let (_, _, page) = server.get("/photos/");
    assert!(page.contains("phone-700.webp 700w"), "{page}");
}

#[test]
fn a_photo_wider_than_the_widest_size_is_published_at_each_size_once() {
    // A camera's photo is wider than 1600 px; one exactly 1600 px wide is the edge case.
    let site = photo_site("![A wide one](/img/wide.jpg)\n\n![An exact one](/img/exact.jpg)\n");
    site.write_bytes("static/img/wide.jpg", &jpeg(2000, 1000, &[]));
    site.write_bytes("static/img/exact.jpg", &jpeg(1600, 400, &[]));
    site.build().ok();
    for (stem, sizes) in [
        ("wide", [(480, 240), (720, 360), (960, 480), (1600, 800)]),
        ("exact", [(480, 120), (720, 180), (960, 240), (1600, 400)]),
    ] {
        for (width, height) in sizes {
            let name = format!("public/img/{stem}-{width}.jpg");
            let (picture, _) = inspect(&std::fs::read(site.path(&name)).unwrap());
            assert_eq!(
                (picture.width(), picture.height()),
                (width, height),
                "{name}"
            );
        }
        assert!(!site.exists(&format!("public/img/{stem}-2000.jpg")));
    }
    let html = site.read("public/photos/index.html");
    assert!(
        html.contains("srcset=\"../img/wide-480.jpg 480w, ../img/wide-720.jpg 720w, ../img/wide-960.jpg 960w, ../img/wide-1600.jpg 1600w\""),
        "{html}"
    );
}

#[test]
fn links_committed_into_the_image_cache_neither_publish_nor_overwrite_a_file_outside_the_site() {
    // A pull request can commit files into `.lectern/images/` (gitignored, not forbidden):
    // a link named as a cached variant must not publish the file it points at, and a link
    // where the cache writes must not make the build write through it.
    let site = photo_site("![A small one](/img/small.jpg)\n");
    site.build().ok();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "TOKEN=do-not-publish").unwrap();
    let cache = site.path(".lectern/images");
    let mut linked = 0;
    for entry in std::fs::read_dir(&cache).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".jpg") || name.ends_with(".webp") || name.ends_with(".txt") {
            std::fs::remove_file(&path).unwrap();
            std::os::unix::fs::symlink(&secret, &path).unwrap();
            linked += 1;
        }
    }
    assert!(linked >= 3, "the cache held the photo's files");
    std::fs::remove_dir_all(site.path("public")).unwrap();
    site.build().ok();
    for entry in walkdir::WalkDir::new(site.path("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !bytes.windows(12).any(|w| w == b"do-not-publi"),
                "{} holds the outside file",
                entry.path().display()
            );
        }
    }
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "TOKEN=do-not-publish"
    );
    let (picture, _) = inspect(&std::fs::read(site.path("public/img/small-200.jpg")).unwrap());
    assert_eq!(
        picture.width(),
        200,
        "the photo was encoded again from its source"
    );
}
