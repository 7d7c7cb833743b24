//! The import before a build, when `site.toml` names an article.

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
    Some(ImportOptions {
        source: settings.root.join(&article.source),
        fixes: article.fixes.as_ref().map(|f| settings.root.join(f)),
        into: settings.root.join(&article.into),
    })
}
