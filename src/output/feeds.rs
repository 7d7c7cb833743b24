//! The machine-readable files beside the pages: `sitemap.xml`, `robots.txt`, `atom.xml`.

use crate::escape::xml;

/// One URL in the sitemap.
pub struct SitemapEntry {
    /// Absolute URL.
    pub permalink: String,
    /// `YYYY-MM-DD`, when the page has a date.
    pub date: Option<String>,
}

/// One entry of the Atom feed.
pub struct FeedEntry<'a> {
    /// The page's title.
    pub title: &'a str,
    /// Absolute URL.
    pub permalink: String,
    /// RFC 3339 date-time.
    pub updated: String,
    /// The page's HTML, embedded escaped.
    pub content: &'a str,
    /// Optional summary.
    pub summary: Option<&'a str>,
}

/// A sitemap listing every page.
pub fn sitemap(entries: &[SitemapEntry]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for entry in entries {
        out.push_str("  <url>\n    <loc>");
        out.push_str(&xml(&entry.permalink));
        out.push_str("</loc>\n");
        if let Some(date) = &entry.date {
            out.push_str(&format!("    <lastmod>{}</lastmod>\n", xml(date)));
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt` allowing everything and naming the sitemap.
pub fn robots_txt(sitemap_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n")
}

/// An Atom feed of the given entries, newest first.
pub fn atom_feed(
    title: &str,
    site_url: &str,
    feed_url: &str,
    author: Option<&str>,
    entries: &[FeedEntry],
) -> String {
    let updated = entries
        .iter()
        .map(|e| e.updated.as_str())
        .max()
        .unwrap_or("1970-01-01T00:00:00Z");
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{}</title>\n  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{}\"/>\n  <id>{}</id>\n  <updated>{}</updated>\n  <generator>lectern</generator>\n",
        xml(title), xml(feed_url), xml(site_url), xml(site_url), updated
    );
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml(author.unwrap_or(title))
    ));
    for entry in entries {
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n    <updated>{}</updated>\n",
            xml(entry.title), xml(&entry.permalink), xml(&entry.permalink), xml(&entry.updated)
        ));
        if let Some(summary) = entry.summary {
            out.push_str(&format!("    <summary>{}</summary>\n", xml(summary)));
        }
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n  </entry>\n",
            xml(entry.content)
        ));
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_escapes_and_orders_fields() {
        let feed = atom_feed(
            "A & B",
            "https://x.io/r/",
            "https://x.io/r/atom.xml",
            None,
            &[FeedEntry {
                title: "<t>",
                permalink: "https://x.io/r/a/".into(),
                updated: "2024-10-01T00:00:00Z".into(),
                content: "<p>hi</p>",
                summary: None,
            }],
        );
        assert!(feed.contains("<title>A &amp; B</title>"));
        assert!(feed.contains("<title>&lt;t&gt;</title>"));
        assert!(feed.contains("<updated>2024-10-01T00:00:00Z</updated>"));
        assert!(feed.contains("&lt;p&gt;hi&lt;/p&gt;"));
    }
}
