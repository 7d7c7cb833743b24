//! The default theme, embedded in the binary so that a bare site builds. A file of the
//! same name in the site's `templates/` or `static/` replaces the embedded one.

/// A file of the embedded theme: its name and contents.
pub type ThemeFile = (&'static str, &'static str);

/// The embedded templates, by name.
pub const TEMPLATES: &[ThemeFile] = &[
    ("base.html", include_str!("../../theme/templates/base.html")),
    (
        "index.html",
        include_str!("../../theme/templates/index.html"),
    ),
    (
        "section.html",
        include_str!("../../theme/templates/section.html"),
    ),
    (
        "article.html",
        include_str!("../../theme/templates/article.html"),
    ),
    ("page.html", include_str!("../../theme/templates/page.html")),
    (
        "references.html",
        include_str!("../../theme/templates/references.html"),
    ),
    ("404.html", include_str!("../../theme/templates/404.html")),
    ("all.html", include_str!("../../theme/templates/all.html")),
    (
        "macros.html",
        include_str!("../../theme/templates/macros.html"),
    ),
    ("nav.html", include_str!("../../theme/templates/nav.html")),
    (
        "tributes.html",
        include_str!("../../theme/templates/tributes.html"),
    ),
    ("help.html", include_str!("../../theme/templates/help.html")),
];

/// The embedded static files, by path in the output.
pub const STATIC_FILES: &[ThemeFile] = &[
    ("style.css", include_str!("../../theme/static/style.css")),
    ("lectern.js", include_str!("../../theme/static/lectern.js")),
];
