//! The import before a build, when `site.toml` names an article.

use std::path::Path;

use crate::config::Settings;
use crate::error::Result;
use crate::import::{import_if_changed, stamp, ImportOptions, ImportSummary};

/// Regenerates the imported content when `site.toml` has an `[article]` table. The
/// importer rewrites only files whose bytes change, and is not run at all (`None`) when
/// its stamp shows nothing would change.
pub(super) fn import_article_if_configured(settings: &Settings) -> Result<Option<ImportSummary>> {
    match import_options(settings) {
        Some(options) => import_if_changed(&options),
        None => Ok(None),
    }
}

/// Whether a build would run the import first (see [`import_article_if_configured`]):
/// `site.toml` names an article, and its stamp does not show that nothing would change.
pub(crate) fn import_would_run(settings: &Settings) -> bool {
    import_options(settings).is_some_and(|options| stamp::unchanged(&options).is_none())
}

/// How the article `site.toml` names is imported, when it names one.
fn import_options(settings: &Settings) -> Option<ImportOptions> {
    let article = settings.config.article.as_ref()?;
    // Paths as the person would type them: `sources/a.txt`, not `./sources/a.txt`, in
    // the import's warnings and in the command a note tells them to run.
    let in_site = |path: &Path| match settings.root.as_path() == Path::new(".") {
        true => path.to_path_buf(),
        false => settings.root.join(path),
    };
    Some(ImportOptions {
        source: in_site(&article.source),
        fixes: article.fixes.as_deref().map(in_site),
        into: in_site(&article.into),
    })
}
