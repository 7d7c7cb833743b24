//! Answering one request: the method and host checks, the file or page from the
//! build in memory, redirects, conditional requests (`ETag`) and ranges.

use super::files::{content_type, encode_path, Resolved};
use super::listen::host_allowed;
use super::reload::{Notice, EVENTS_PATH};
use super::{conditional, files, reload, Shared};
use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{
    HeaderValue, ACCEPT_RANGES, ALLOW, CACHE_CONTROL, CONNECTION, CONTENT_RANGE, CONTENT_TYPE,
    ETAG, HOST, IF_NONE_MATCH, IF_RANGE, LOCATION, RANGE,
};
use hyper::{Method, Request, Response, StatusCode, Version};
use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;

/// A response body: a whole file, or an event stream.
pub(super) type ResponseBody = BoxBody<Bytes, Infallible>;

/// A short plain-text answer.
pub(super) fn text(status: StatusCode, message: &str) -> Response<ResponseBody> {
    let mut response = Response::new(Full::new(Bytes::from(format!("{message}\n"))).boxed());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Answers one request.
pub(super) fn respond(shared: &Shared, request: &Request<Incoming>) -> Response<ResponseBody> {
    let mut response = answer(shared, request);
    // The body of a request is never read (only GET and HEAD are answered): the
    // connection cannot be reused after one, so it is closed.
    let has_body = request
        .headers()
        .contains_key(hyper::header::TRANSFER_ENCODING)
        || request
            .headers()
            .get(hyper::header::CONTENT_LENGTH)
            .is_some_and(|length| length != "0");
    if has_body {
        response
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// The answer to `request`, refusing other hosts and methods first.
fn answer(shared: &Shared, request: &Request<Incoming>) -> Response<ResponseBody> {
    // The request line's authority wins over Host when both are there (RFC 9112 3.2.2).
    let host = match request.uri().authority() {
        Some(authority) => Some(authority.as_str().to_string()),
        None => request
            .headers()
            .get(HOST)
            .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned()),
    };
    match host {
        Some(host) if !host_allowed(shared, &host) => {
            return text(
                StatusCode::MISDIRECTED_REQUEST,
                &format!(
                    "lectern serve answers only to http://localhost:{port}, http://127.0.0.1:{port} and the address it listens on, not to {host}",
                    port = shared.address.port(),
                    host = host.escape_debug()
                ),
            );
        }
        None if request.version() >= Version::HTTP_11 => {
            return text(StatusCode::BAD_REQUEST, "a request needs a Host header");
        }
        _ => {}
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "lectern serve answers only GET and HEAD",
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let (id, error, base_path, files, tags, generation) = {
        let state = shared.state();
        (
            state.id,
            state.error.clone(),
            state.base_path.clone(),
            Arc::clone(&state.files),
            Arc::clone(&state.tags),
            state.generation,
        )
    };
    let url = request.uri().path();
    let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
    if decoded == format!("{base_path}{EVENTS_PATH}") {
        let hello = match &error {
            Some(message) => Notice::BuildError(message.clone()),
            None => Notice::Reload(id),
        };
        let mut response = Response::new(shared.broadcaster.stream(hello).boxed());
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    let (status, path) = match files::resolve(&files, &base_path, url) {
        Resolved::File(path) => (StatusCode::OK, Some(path)),
        Resolved::Redirect(to) => {
            let mut response = Response::new(Full::new(Bytes::new()).boxed());
            *response.status_mut() = StatusCode::FOUND;
            if let Ok(location) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(LOCATION, location);
            }
            return response;
        }
        Resolved::NotFound => (
            StatusCode::NOT_FOUND,
            files
                .contains_key("404.html")
                .then(|| "404.html".to_string()),
        ),
    };
    let stored = path.as_ref().and_then(|p| files.get(p));
    let kind = path
        .as_deref()
        .map_or("text/html; charset=utf-8", |p| content_type(Path::new(p)));
    let page = kind.starts_with("text/html");
    // Only a file that was found has a validator: the 404 page is never kept.
    let etag = match (&path, stored) {
        (Some(path), Some(bytes)) if status == StatusCode::OK => {
            let hash = tags.hash(path, bytes);
            // A page is served with the reload script (and the error overlay) of this
            // build added: its tag names the build too.
            Some(if page {
                format!("\"{hash}-{generation}\"")
            } else {
                format!("\"{hash}\"")
            })
        }
        _ => None,
    };
    let header = |name| request.headers().get(name).and_then(|h| h.to_str().ok());
    if let Some(etag) = &etag {
        if conditional::none_match(header(IF_NONE_MATCH), etag) {
            return not_modified(etag);
        }
    }
    let body = if page {
        let html = match stored {
            Some(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            None => "<!DOCTYPE html><title>Not found</title><p>Not found</p>".to_string(),
        };
        let mut extra = reload::client_script(&encode_path(&base_path), id);
        if let Some(message) = &error {
            extra.push_str(&reload::overlay(message));
        }
        Bytes::from(reload::inject(&html, &extra))
    } else {
        // Shared with the build, not copied.
        stored.map_or_else(Bytes::new, |bytes| Bytes::from_owner(Arc::clone(bytes)))
    };
    if let Some(etag) = etag {
        // Audio and video seek by asking for part of the file; a part is cut only from
        // the version the client holds the rest of.
        let range = if conditional::range_allowed(header(IF_RANGE), &etag) {
            files::range(header(RANGE), body.len())
        } else {
            files::Range::Whole
        };
        return partial(body, kind, range, &etag);
    }
    let mut response = Response::new(Full::new(body).boxed());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// What every answer with a file carries: its tag, and that the browser may keep it but
/// must ask again before showing it (a preview must never show a page from before an
/// edit).
fn validated(headers: &mut hyper::HeaderMap, etag: &str) {
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(ETAG, value);
    }
}

/// `304 Not Modified`: the client's copy, tagged `etag`, is current.
fn not_modified(etag: &str) -> Response<ResponseBody> {
    let mut response = Response::new(Full::new(Bytes::new()).boxed());
    *response.status_mut() = StatusCode::NOT_MODIFIED;
    validated(response.headers_mut(), etag);
    response
}

/// A file, whole or the part that `range` asks for.
fn partial(
    whole: Bytes,
    kind: &'static str,
    range: files::Range,
    etag: &str,
) -> Response<ResponseBody> {
    let len = whole.len();
    let (status, body, content_range) = match range {
        files::Range::Whole => (StatusCode::OK, whole, None),
        files::Range::Part(start, end) => (
            StatusCode::PARTIAL_CONTENT,
            whole.slice(start..end),
            Some(format!("bytes {start}-{}/{len}", end - 1)),
        ),
        files::Range::Unsatisfiable => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            Bytes::new(),
            Some(format!("bytes */{len}")),
        ),
    };
    let mut response = Response::new(Full::new(body).boxed());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    validated(headers, etag);
    headers.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Some(value) = content_range.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(CONTENT_RANGE, value);
    }
    response
}
