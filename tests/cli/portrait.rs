//! Photos beyond the text: the `[person]` portrait on the landing page, a tribute's
//! `photo`, and captioned figures in Markdown. Each is published like every photo (every
//! size, no metadata), checked by `lectern check` as by `lectern build`, and refused with
//! its place when it names no photo of the site.

use crate::photos::{jpeg, phone_exif};
use crate::util::{page, TestSite, MINIMAL_CONFIG};

/// A memorial with a portrait in `static/`, a tributes section with one tribute and its
/// photo beside it, and `tribute` as that tribute's front matter (after its date).
fn memorial_with_photos(person: &str, tribute: &str) -> TestSite {
    let config = format!("{MINIMAL_CONFIG}\n[person]\nname = \"菲利克斯\"\n{person}");
    let site = TestSite::with(&[
        ("site.toml", &config),
        (
            "content/_index.md",
            "+++\ntitle = \"菲利克斯\"\ntemplate = \"landing.html\"\n+++\n\n這裡紀念他。\n",
        ),
        (
            "content/tributes/_index.md",
            "+++\ntitle = \"悼念\"\nweight = 1\nsort_by = \"date\"\ntemplate = \"tributes.html\"\n+++\n",
        ),
        (
            "content/tributes/jane.md",
            &format!("+++\ntitle = \"想念你\"\ndate = 2025-01-02\n[tribute]\nauthor = \"Jane\"\n{tribute}+++\n\n謝謝你。\n"),
        ),
    ]);
    site.write_bytes("static/img/portrait.jpg", &jpeg(1200, 900, &phone_exif()));
    site.write_bytes("content/tributes/jane.jpg", &jpeg(1000, 750, &[]));
    site
}

/// The `<img …>` tag inside the element with class `class` in `html`.
fn img_in<'a>(html: &'a str, class: &str) -> &'a str {
    let start = html
        .find(&format!("class=\"{class}\""))
        .unwrap_or_else(|| panic!("no {class} in {html}"));
    let img = start + html[start..].find("<img ").expect("an img");
    &html[img..img + html[img..].find('>').expect("the img ends")]
}

#[test]
fn the_portrait_and_a_tributes_photo_are_published_in_every_size_with_their_alt_text() {
    let site = memorial_with_photos(
        "portrait = \"img/portrait.jpg\"\n",
        "photo = \"jane.jpg\"\nphoto_alt = \"Jane 與菲利克斯在 2019 年的暑期學校\"\n",
    );
    site.build().ok();

    let home = site.read("public/index.html");
    let portrait = img_in(&home, "portrait");
    // The portrait is described by the name when the site gives no portrait_alt, and is
    // never lazy: it is the first thing a phone shows.
    assert!(portrait.contains("alt=\"菲利克斯\""), "{portrait}");
    // Turned upright by its EXIF orientation, and never upscaled past its 900 px.
    assert!(
        portrait.contains("width=\"900\" height=\"1200\""),
        "{portrait}"
    );
    assert!(portrait.contains("img/portrait-900.jpg 900w"), "{portrait}");
    assert!(!portrait.contains("loading=\"lazy\""), "{portrait}");
    assert!(site.exists("public/img/portrait-480.jpg"));
    assert!(
        !site.exists("public/img/portrait.jpg"),
        "the portrait's original, with its GPS, must not be published"
    );
    let published = std::fs::read(site.path("public/img/portrait-900.jpg")).unwrap();
    assert!(
        !published.windows(4).any(|w| w == b"Exif"),
        "the portrait carries no EXIF"
    );

    // The tribute's photo: on its own page, and lazily on the tributes page.
    let own = site.read("public/tributes/jane/index.html");
    let photo = img_in(&own, "tribute-photo");
    assert!(
        photo.contains("alt=\"Jane 與菲利克斯在 2019 年的暑期學校\""),
        "{photo}"
    );
    assert!(photo.contains("width=\"1000\" height=\"750\""), "{photo}");
    assert!(photo.contains("tributes/jane-480.jpg 480w"), "{photo}");
    let section = site.read("public/tributes/index.html");
    let listed = img_in(&section, "tribute-photo");
    assert!(listed.contains("loading=\"lazy\""), "{listed}");
    assert!(site.exists("public/tributes/jane-960.jpg"));
    assert!(!site.exists("public/tributes/jane.jpg"));

    // `portrait_alt` describes the portrait when the site gives one.
    let site = memorial_with_photos(
        "portrait = \"img/portrait.jpg\"\nportrait_alt = \"菲利克斯在黑板前\"\n",
        "",
    );
    site.build().ok();
    let home = site.read("public/index.html");
    assert!(img_in(&home, "portrait").contains("alt=\"菲利克斯在黑板前\""));
    assert!(!site
        .read("public/tributes/jane/index.html")
        .contains("tribute-photo"));
}

#[test]
fn a_portrait_or_photo_that_is_no_photo_of_the_site_is_an_error_at_its_line() {
    // A portrait that is not there: named at its line in site.toml, by build and check.
    let site = memorial_with_photos("portrait = \"img/nope.jpg\"\n", "");
    for args in [&["build"][..], &["check"][..]] {
        let err = site.run(args).fails();
        assert!(
            err.contains("the portrait `img/nope.jpg` is not a JPEG or PNG file of the site"),
            "{args:?}: {err}"
        );
        assert!(err.contains("site.toml:7:"), "{args:?}: {err}");
    }

    // A tribute's photo that climbs out of the site, that is no image, or that has no
    // alt text: each at the line of `photo`.
    for (photo, expected) in [
        (
            "photo = \"../../../etc/passwd\"\nphoto_alt = \"x\"\n",
            "must be a file of the site",
        ),
        (
            "photo = \"jane.md\"\nphoto_alt = \"x\"\n",
            "is not a JPEG or PNG file of the site",
        ),
        (
            "photo = \"jane.jpg\"\n",
            "this tribute's photo has no `photo_alt`",
        ),
        (
            "photo = \"javascript:alert(1)\"\nphoto_alt = \"x\"\n",
            "photo",
        ),
    ] {
        let site = memorial_with_photos("", photo);
        let err = site.build().fails();
        assert!(err.contains(expected), "{photo}: {err}");
        assert!(
            err.contains("content/tributes/jane.md:6:"),
            "{photo}: {err}"
        );
        assert!(
            !site.exists("public/index.html"),
            "{photo}: nothing is published"
        );
    }
}

#[test]
fn a_photo_with_an_emphasised_line_under_it_is_a_figure_with_its_caption() {
    let site = TestSite::with(&[
        ("content/_index.md", &page("Home", 0, "Hello.\n")),
        (
            "content/photos.md",
            &page(
                "Photos",
                1,
                "![Felix at the blackboard](/img/board.jpg)\n*牛津，2016 年：講解 [grounded language](https://example.org/g)。*\n\n![A plain one](/img/board.jpg)\n\nText.\n",
            ),
        ),
    ]);
    site.write_bytes("static/img/board.jpg", &jpeg(800, 600, &[]));
    site.build().ok();
    let html = site.read("public/photos/index.html");
    let figure = &html[html.find("<figure class=\"photo\">").expect("a figure")..];
    let figure = &figure[..figure.find("</figure>").expect("it ends")];
    assert!(
        figure.contains("alt=\"Felix at the blackboard\""),
        "{figure}"
    );
    assert!(
        figure.contains("<figcaption>牛津，<span class=\"nobr\">2016 年</span>：講解 <a")
            || figure.contains("<figcaption>牛津，2016 年：講解 <a"),
        "{figure}"
    );
    assert!(figure.contains("</a>。</figcaption>"), "{figure}");
    // An image without a caption line stays a paragraph; the caption is searchable text.
    assert_eq!(
        html.matches("<figure class=\"photo\">").count(),
        1,
        "{html}"
    );
    let index = site.read("public/search-index.js");
    assert!(index.contains("牛津"), "the caption is found by search");

    // `lectern check` sees the figure's photo as the build does: its sizes exist.
    let run = site.run(&["check"]).ok();
    assert!(
        run.stdout().contains("no problems") || run.stdout().contains("0 problems"),
        "{}",
        run.stdout()
    );
}

#[test]
fn check_finds_a_bad_photo_as_build_does() {
    let site = TestSite::with(&[
        ("content/_index.md", &page("Home", 0, "Hello.\n")),
        (
            "content/photos.md",
            &page("Photos", 1, "![A broken one](/img/broken.jpg)\n"),
        ),
    ]);
    site.write("static/img/broken.jpg", "this is text, not a photo");
    for args in [&["build"][..], &["check"][..]] {
        let err = site.run(args).fails();
        assert!(err.contains("broken.jpg"), "{args:?}: {err}");
        assert!(err.contains("content/photos.md:"), "{args:?}: {err}");
    }
}
