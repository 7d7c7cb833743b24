//! The conversion tables an extra edition needs: when they cannot be loaded the edition
//! is not built, and the error points at the edition's `language` in `site.toml`.

use std::path::Path;

use super::{Settings, CONFIG_FILE, CONFIG_LIMIT};
use crate::error::{Diagnostic, Error, Location, Result};

/// Loads the tables edition `index` of the site converts its text with. When they cannot
/// be loaded the edition is not built: it would be published in the source's script
/// under the other script's name. The error points at the edition in `site.toml`.
pub(crate) fn edition_tables(settings: &Settings, index: usize) -> Result<()> {
    let languages = (
        &settings.editions[0].language,
        &settings.editions[index].language,
    );
    let Some(conversion) = crate::conversion::Conversion::between(languages.0, languages.1) else {
        return Ok(());
    };
    tables_loaded(conversion.tables_loaded(), settings, index)
}

/// What loading edition `index`'s tables came to, as the build sees it: nothing, or an
/// [`Error::ConversionTables`] that names the edition's entry in `site.toml`.
fn tables_loaded(loaded: Result<(), &str>, settings: &Settings, index: usize) -> Result<()> {
    let cause = match loaded {
        Ok(()) => return Ok(()),
        Err(cause) => cause,
    };
    let edition = &settings.editions[index];
    let message = format!(
        "lectern cannot load the tables that convert text into `{}` ({cause}), so it cannot \
         write this edition: it would be published in the source's script",
        edition.language,
    );
    let diagnostic = match edition_location(settings, index) {
        Some(location) => Diagnostic::at(location, message),
        None => Diagnostic::in_file(Path::new(CONFIG_FILE), message),
    }
    .with_help(format!(
        "this is a fault in lectern, not in the site: please report it; to build the site \
         meanwhile, remove the `[[editions]]` entry with path = \"{}\"",
        edition.prefix.trim_end_matches('/'),
    ));
    Err(Error::ConversionTables {
        diagnostic: Box::new(diagnostic),
        cause: cause.to_string(),
    })
}

/// Where edition `index` (1 for the first `[[editions]]` entry) sets its language in
/// the site's `site.toml`, from the TOML parser's spans; `None` when the file cannot
/// be read again.
fn edition_location(settings: &Settings, index: usize) -> Option<Location> {
    let shown = Path::new(CONFIG_FILE);
    let bytes = crate::input::read_in_site(&settings.root, shown, &CONFIG_LIMIT).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let key = format!("editions.{}.language", index.checked_sub(1)?);
    let span = settings.config.spans.value(&key)?;
    Some(Location::from_offset(shown, &text, span.start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversion::Conversion;

    /// A site with a Simplified edition, in a temporary folder.
    fn site_with_edition() -> (tempfile::TempDir, Settings) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("site.toml"),
            "title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"zh-Hant\"\n\n\
             [[editions]]\npath = \"zh-hans\"\nlanguage = \"zh-Hans\"\n",
        )
        .expect("write site.toml");
        let settings = Settings::load(dir.path(), &crate::config::BuildOptions::default())
            .expect("valid site");
        (dir, settings)
    }

    #[test]
    fn tables_that_fail_to_load_stop_the_build_at_the_edition_in_site_toml() {
        let (_dir, settings) = site_with_edition();
        let error = tables_loaded(Err("FST error: truncated table"), &settings, 1)
            .expect_err("the edition cannot be built");
        let Error::ConversionTables { cause, .. } = &error else {
            panic!("not a ConversionTables error: {error:?}");
        };
        assert_eq!(cause, "FST error: truncated table");
        let shown = error.to_string();
        for expected in [
            "cannot load the tables that convert text into `zh-Hans`",
            "FST error: truncated table",
            "--> site.toml:7:12",
            "7 | language = \"zh-Hans\"",
            "remove the `[[editions]]` entry with path = \"zh-hans\"",
        ] {
            assert!(
                shown.contains(expected),
                "missing {expected:?} in:\n{shown}"
            );
        }
        assert_eq!(error.diagnostics().len(), 1);
    }

    #[test]
    fn tables_that_load_let_the_edition_be_built() {
        let (_dir, settings) = site_with_edition();
        assert!(tables_loaded(Ok(()), &settings, 1).is_ok());
        // The real tables, as this build of lectern has them.
        edition_tables(&settings, 1).expect("the built-in tables load");
        assert_eq!(Conversion::ToSimplified.convert("談論"), "谈论");
    }

    #[test]
    fn a_site_toml_that_cannot_be_read_again_still_names_it() {
        let (dir, settings) = site_with_edition();
        std::fs::remove_file(dir.path().join("site.toml")).expect("remove");
        let shown = tables_loaded(Err("gone"), &settings, 1)
            .expect_err("the edition cannot be built")
            .to_string();
        assert!(shown.contains("--> site.toml"), "{shown}");
        assert!(shown.contains("`zh-Hans`"), "{shown}");
    }
}
