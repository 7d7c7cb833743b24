//! Rendering every document's Markdown for one view, reusing what `serve` kept.

use crate::config::Settings;
use crate::content::{DocId, Site};
use crate::error::{Error, Result};
use crate::markdown::{self, RenderedMarkdown, View};
use crate::memo::{hash_of, Memo};
use rayon::prelude::*;
use std::sync::Mutex;

use super::{site_key, Mode};

/// Renders documents' Markdown for one view, reusing the previous build's result (between
/// serve rebuilds) for a document whose body and site are unchanged.
pub(super) struct MarkdownStage<'a> {
    site: &'a Site,
    settings: &'a Settings,
    view: View<'a>,
    memo: Option<(&'a Memo<RenderedMarkdown>, u64)>,
    problems: Option<&'a Mutex<Vec<Error>>>,
}

impl<'a> MarkdownStage<'a> {
    pub(super) fn new(
        site: &'a Site,
        settings: &'a Settings,
        view: View<'a>,
        mode: Mode<'a>,
    ) -> MarkdownStage<'a> {
        let memo = mode.memos.map(|m| {
            let key = hash_of(&(
                site_key(site, settings),
                matches!(view, View::SinglePage(_)),
            ));
            (&m.markdown, key)
        });
        MarkdownStage {
            site,
            settings,
            view,
            memo,
            problems: mode.problems,
        }
    }

    /// Document `id`'s Markdown; in `lectern check`, as far as it could be made, its
    /// problems noted (see [`Mode::problems`]).
    pub(super) fn render(&self, id: DocId) -> Result<RenderedMarkdown> {
        let MarkdownStage {
            site,
            settings,
            view,
            ..
        } = *self;
        let make = || match self.problems {
            None => markdown::render_view(site, settings, id, view),
            Some(problems) => {
                let (rendered, errors) =
                    markdown::render_view_with_problems(site, settings, id, view);
                problems.lock().expect("no panics").extend(errors);
                Ok(rendered)
            }
        };
        match self.memo {
            Some((memo, key)) => memo.get_or_make(hash_of(&(key, id, site.docs[id].body())), make),
            None => make(),
        }
    }

    /// Every document's Markdown, by id, in parallel, reporting every broken link at once.
    pub(super) fn render_all(&self) -> Result<Vec<RenderedMarkdown>> {
        let results: Vec<Result<RenderedMarkdown>> = (0..self.site.docs.len())
            .into_par_iter()
            .map(|id| self.render(id))
            .collect();
        Error::collect_all(results)
    }
}
