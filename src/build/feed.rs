//! The Atom feed's entries: the newest dated documents, rendered again when `serve` did not keep their HTML.

use super::{MarkdownStage, Mode};
use crate::config::Settings;
use crate::content::Site;
use crate::error::Result;
use crate::markdown::{RenderedMarkdown, View};
use crate::output::{atom_feed, FeedEntry};

/// The Atom feed: dated pages newest first, else every page in reading order. A page
/// whose HTML was not kept (see [`write_edition`]) is rendered again.
pub(super) fn feed(
    site: &Site,
    settings: &Settings,
    rendered: &[RenderedMarkdown],
    mode: Mode,
) -> Result<String> {
    let mut ids: Vec<_> = site
        .reading_order
        .iter()
        .copied()
        .filter(|&id| !site.docs[id].is_section())
        .collect();
    let dated = |id: usize| site.docs[id].front.date.map(|d| d.to_string());
    let newest = ids.iter().filter_map(|&id| dated(id)).max();
    ids.sort_by_key(|&id| std::cmp::Reverse(dated(id)));
    ids.truncate(settings.config.feed_limit);
    let again = MarkdownStage::new(site, settings, View::Pages, mode);
    let html: Vec<std::borrow::Cow<str>> = ids
        .iter()
        .map(|&id| match rendered[id].html.as_str() {
            "" => again.render(id).map(|m| std::borrow::Cow::Owned(m.html)),
            kept => Ok(std::borrow::Cow::Borrowed(kept)),
        })
        .collect::<Result<_>>()?;
    let entries: Vec<FeedEntry> = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let doc = &site.docs[id];
            let date = dated(id)
                .or_else(|| newest.clone())
                .unwrap_or_else(|| "1970-01-01".into());
            FeedEntry {
                title: &doc.title,
                permalink: settings.permalink_for(&doc.url_path),
                updated: rfc3339(&date),
                content: &html[i],
                summary: doc.front.description.as_deref(),
            }
        })
        .collect();
    Ok(atom_feed(
        &settings.config.title,
        &settings.base_url,
        &settings.permalink_for("atom.xml"),
        settings.config.author.as_deref(),
        &entries,
    ))
}

/// A front matter date or date-time as the feed's RFC 3339 instant, in UTC: a date is
/// its midnight, and a date-time without an offset is taken as UTC.
fn rfc3339(date: &str) -> String {
    use jiff::civil::{Date, DateTime};
    use jiff::tz::TimeZone;
    let date = date.replacen(' ', "T", 1);
    let instant = date.parse::<jiff::Timestamp>().or_else(|_| {
        date.parse::<DateTime>()
            .or_else(|_| date.parse::<Date>().map(|d| d.at(0, 0, 0, 0)))
            .and_then(|local| local.to_zoned_datetime(TimeZone::UTC))
            .map(|zoned| zoned.timestamp())
    });
    // Front matter dates were checked when read; an unreadable one cannot reach here.
    instant.map_or_else(|_| "1970-01-01T00:00:00Z".into(), |i| i.to_string())
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn feed_dates_are_utc_instants() {
        for (date, instant) in [
            ("2024-10-01", "2024-10-01T00:00:00Z"),
            ("2024-10-01T12:30:00", "2024-10-01T12:30:00Z"),
            ("2024-10-01 12:30:00", "2024-10-01T12:30:00Z"),
            ("2024-10-01T12:30:00+08:00", "2024-10-01T04:30:00Z"),
            ("2024-10-01T12:30:00.5Z", "2024-10-01T12:30:00.5Z"),
        ] {
            assert_eq!(rfc3339(date), instant, "{date}");
        }
    }
}
