//! The default theme, embedded in the binary so that a bare site builds. It is the
//! memorial's own `templates/` and `static/` at the top of the repository. A file of the
//! same name in a site's `templates/` or `static/` replaces the embedded one.

/// A file of the embedded theme: its name and contents.
pub type ThemeFile = (&'static str, &'static str);

/// The embedded templates, by name.
pub const TEMPLATES: &[ThemeFile] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("section.html", include_str!("../../templates/section.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("page.html", include_str!("../../templates/page.html")),
    (
        "references.html",
        include_str!("../../templates/references.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("all.html", include_str!("../../templates/all.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("nav.html", include_str!("../../templates/nav.html")),
    (
        "tributes.html",
        include_str!("../../templates/tributes.html"),
    ),
    ("help.html", include_str!("../../templates/help.html")),
    ("landing.html", include_str!("../../templates/landing.html")),
    (
        "help-page.html",
        include_str!("../../templates/help-page.html"),
    ),
];

/// The embedded static files, by path in the output.
pub const STATIC_FILES: &[ThemeFile] = &[
    ("style.css", include_str!("../../static/style.css")),
    ("lectern.js", include_str!("../../static/lectern.js")),
    // A real icon, so that no browser's request for one ends in a 404.
    ("favicon.svg", include_str!("../../static/favicon.svg")),
];
