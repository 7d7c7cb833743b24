//! `base_url`: parsed as a URL, a whole http(s) address, and the path the site is served under.

/// The address lectern suggests when a `base_url` gives nothing better to go on.
pub(super) const EXAMPLE_BASE_URL: &str = "https://user.github.io/repo/";

/// The path part of a base URL: `https://u.github.io/repo` → `/repo/`.
pub(crate) fn base_path_of(base_url: &str) -> std::result::Result<String, String> {
    parse_base_url(base_url)
        .map(|(_, path)| path)
        .map_err(|bad| bad.message)
}

/// Why a `base_url` was refused, and a whole address to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadBaseUrl {
    /// What is wrong, naming the value as given.
    pub message: String,
    /// The address to suggest: the value made whole where lectern can tell what was
    /// meant (`/repo/` → `https://example.org/repo/`), else an example.
    pub suggestion: String,
}

/// A checked base URL, with a trailing slash, and its path part, which always starts
/// and ends with `/`: `https://u.github.io/repo` → (`https://u.github.io/repo/`,
/// `/repo/`).
///
/// It is written into every page, the feed, the sitemap, `404.html`'s script and
/// stylesheet addresses and the server's reload script, so it is parsed as a URL (not
/// cut up as text) and must be an absolute `http`/`https` address with a host and
/// nothing else: no user name, query or fragment, no spaces, quotes, `<` or control
/// characters. A bare path (`/repo/`) is refused: the feed and the canonical links
/// need the host, and `//host/` is not a path but another site.
pub(crate) fn parse_base_url(raw: &str) -> std::result::Result<(String, String), BadBaseUrl> {
    let refuse = |message: String, suggestion: Option<String>| BadBaseUrl {
        message,
        suggestion: suggestion.unwrap_or_else(|| EXAMPLE_BASE_URL.to_string()),
    };
    if let Some(bad) = raw
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(*c))
    {
        let what = match bad {
            c if c.is_whitespace() => "a space".to_string(),
            c if c.is_control() => "a control character".to_string(),
            c => format!("`{c}`"),
        };
        return Err(refuse(format!("base_url `{raw}` contains {what}"), None));
    }
    // What was probably meant, if `raw` parses once a scheme (and a host) is put in
    // front of it: `/repo/`, `//example.org/`, `example.org/repo`.
    let made_whole = |prefix: &str| {
        url::Url::parse(&format!("{prefix}{raw}"))
            .ok()
            .filter(|u| u.host_str().is_some_and(|h| h.contains('.')))
            .filter(|u| u.query().is_none() && u.fragment().is_none())
            .map(|u| {
                let mut whole = u.to_string();
                if !whole.ends_with('/') {
                    whole.push('/');
                }
                whole
            })
    };
    if raw.starts_with("//") {
        return Err(refuse(
            format!("base_url `{raw}` has no scheme: it must start with https:// or http://"),
            made_whole("https:"),
        ));
    }
    if raw.starts_with('/') {
        return Err(refuse(
            format!(
                "base_url `{raw}` is a path, not an address: lectern needs the whole \
                 address the site is published at (the feed, the sitemap and the \
                 canonical links name it)"
            ),
            made_whole("https://example.org"),
        ));
    }
    let url = url::Url::parse(raw).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => refuse(
            format!("base_url `{raw}` has no scheme: it must start with https:// or http://"),
            made_whole("https://"),
        ),
        e => refuse(
            format!("base_url `{raw}` is not a valid address: {e}"),
            None,
        ),
    })?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(refuse(
            format!("base_url `{raw}` must start with https:// or http://"),
            None,
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(refuse(format!("base_url `{raw}` has no host name"), None));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(
            format!("base_url `{raw}` must not contain a user name or password"),
            None,
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse(
            format!("base_url `{raw}` must not contain a query or fragment"),
            None,
        ));
    }
    let mut base_url = url.to_string();
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let mut path = url.path().to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    Ok((base_url, path))
}
