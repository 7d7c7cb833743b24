//! The landing page's epigraph, checked against the page it quotes.

use super::markdown_stage::MarkdownStage;
use crate::config::Settings;
use crate::content::Site;
use crate::error::Result;

/// Fails unless the landing page's epigraph is in its page word for word, as this
/// edition's readers see the page (spaces and line breaks aside): a quotation can never
/// drift from its source, in either script.
pub(super) fn check(site: &Site, settings: &Settings, page_markdown: &MarkdownStage) -> Result<()> {
    let config = &settings.config;
    let Some(epigraph) = config.person.as_ref().and_then(|p| p.epigraph.as_ref()) else {
        return Ok(());
    };
    let found = match site
        .docs
        .iter()
        .position(|d| d.content_path == epigraph.page)
    {
        Some(id) => {
            words_of(&page_markdown.render(id)?.text.content).contains(&words_of(&epigraph.text))
        }
        None => false, // a draft, left out of this build
    };
    if found {
        return Ok(());
    }
    let edition = (settings.editions.len() > 1).then(|| settings.edition().name.as_str());
    Err(config.epigraph_not_found(&settings.root, edition))
}

/// `text` with its spacing made even, to compare words: a run of spaces and line breaks
/// is one space between two Latin letters, and nothing beside a Chinese character (a
/// line break inside Chinese text is no space).
fn words_of(text: &str) -> String {
    let mut words = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !words.is_empty();
            continue;
        }
        if space && c.is_ascii() && words.ends_with(|p: char| p.is_ascii()) {
            words.push(' ');
        }
        space = false;
        words.push(c);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::words_of;

    #[test]
    fn spacing_is_made_even_and_line_breaks_in_chinese_are_no_space() {
        assert_eq!(words_of("一片混亂，\n  但這"), "一片混亂，但這");
        assert_eq!(words_of(" Google\n DeepMind  的"), "Google DeepMind的");
        assert_ne!(words_of("ab c"), words_of("a bc"));
    }
}
