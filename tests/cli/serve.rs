//! `lectern serve` end to end: the real binary on an ephemeral loopback port, plain HTTP
//! requests, the event stream, edits on disk.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::util::serve::Server;
use crate::util::{self, page, TestSite};

/// Opens the reload event stream of `server`.
fn events(server: &Server) -> EventStream {
    let mut stream = TcpStream::connect(&server.address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    write!(
        stream,
        "GET {}__lectern/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.base, server.address
    )
    .unwrap();
    let mut events = EventStream {
        stream,
        seen: String::new(),
    };
    events.wait_for("event: hello");
    events
}

struct EventStream {
    stream: TcpStream,
    seen: String,
}

impl EventStream {
    /// Reads until `text` has arrived (after what was already consumed); returns what came.
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut buf = [0u8; 4096];
        loop {
            if let Some(at) = self.seen.find(text) {
                let end = self.seen[at..]
                    .find("\n\n")
                    .map_or(self.seen.len(), |e| at + e + 2);
                let taken: String = self.seen.drain(..end).collect();
                return taken;
            }
            assert!(
                Instant::now() < deadline,
                "no {text:?} in the event stream; got {:?}",
                self.seen
            );
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("the event stream closed"),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {} // timeout: try again until the deadline
            }
        }
    }
}

fn site() -> TestSite {
    let site = TestSite::with(&[
        ("content/_index.md", &page("首頁", 0, "第一版。\n")),
        ("content/blog/_index.md", &page("博客", 1, "")),
        ("content/blog/a.md", &page("無處可逃", 1, "原文。\n")),
    ]);
    site.write(
        "site.toml",
        "title = \"t\"\nbase_url = \"https://user.github.io/repo/\"\n",
    );
    site
}

#[test]
fn serves_the_site_under_the_base_path_with_reload_script() {
    let site = site();
    let server = Server::start(&site);
    assert_eq!(server.base, "/repo/");
    let (status, _, body) = server.get("/repo/blog/a/");
    assert_eq!(status, 200);
    assert!(body.contains("原文。"));
    assert!(
        body.contains("__lectern/events"),
        "the reload script is injected when serving"
    );
    let (status, head, _) = server.get("/");
    assert_eq!(status, 302);
    assert!(head.contains("Location: /repo/"), "{head}");
    let (status, head, _) = server.get("/repo/blog/a");
    assert_eq!(status, 302);
    assert!(head.contains("Location: /repo/blog/a/"));
    let (status, head, _) = server.get("/repo/sitemap.xml");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: application/xml"), "{head}");
    assert!(server
        .get("/repo/style.css")
        .1
        .contains("Content-Type: text/css"));
    // Links in pages are relative to the page, so they stay under the base path.
    assert!(body.contains("href=\"../../style.css\""));
}

#[test]
fn missing_pages_and_traversal_get_the_sites_404_page() {
    let site = site();
    site.write("secret.txt", "do not serve");
    let server = Server::start(&site);
    for path in [
        "/repo/no/such/page/",
        "/repo/../secret.txt",
        "/repo/%2e%2e/secret.txt",
        "/repo/..%2f..%2fsite.toml",
        "/repo/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/repo/..\\site.toml",
        "/etc/passwd",
        "/repo//etc/passwd",
    ] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("do not serve") && !body.contains("root:"),
            "{path} leaked a file"
        );
        assert!(
            body.contains("href=\"/repo/style.css\""),
            "{path}: not the site's 404 page"
        );
    }
}

#[test]
fn an_edit_rebuilds_sends_reload_and_serves_the_new_text() {
    let site = site();
    let server = Server::start(&site);
    let mut events = events(&server);
    site.write("content/blog/a.md", &page("無處可逃", 1, "改過的文字。\n"));
    let event = events.wait_for("event: reload");
    assert!(event.contains("data: 2"), "{event}");
    // Only what the edit changed was rendered again: that page (of 3).
    let line = server.wait_output("changed content/blog/a.md");
    assert!(
        line.contains("built 3 pages") && line.contains("(1 rendered, the rest unchanged)"),
        "{line}"
    );
    let (_, _, body) = server.get("/repo/blog/a/");
    assert!(body.contains("改過的文字。"));
    assert!(!body.contains("原文。"));
    // The built output on disk (lectern build) never carries the reload script.
    site.build().ok();
    assert!(!site.read("public/blog/a/index.html").contains("__lectern"));
}

#[test]
fn an_edit_rerenders_the_pages_that_show_it_elsewhere() {
    // A tribute is shown in full on its section's page; a citation is listed on the
    // references page. Editing either re-renders those pages too, and only those.
    let site = site();
    site.write(
        "content/words/_index.md",
        "+++\ntitle = \"悼詞\"\nweight = 2\ntemplate = \"tributes.html\"\n+++\n",
    );
    let tribute = |text: &str| {
        format!(
            "+++\ntitle = \"一則\"\ndate = 2024-12-20\n[tribute]\nauthor = \"某人\"\n+++\n{text}\n"
        )
    };
    site.write("content/words/t.md", &tribute("舊的悼詞。"));
    site.write(
        "content/refs.md",
        "+++\ntitle = \"參考\"\nweight = 3\ntemplate = \"references.html\"\n\n[[references]]\nid = \"x\"\ntitle = \"X\"\nurl = \"https://example.org/x\"\n+++\n",
    );
    let server = Server::start(&site);
    let mut events = events(&server);
    site.write("content/words/t.md", &tribute("新的悼詞。"));
    events.wait_for("event: reload");
    let line = server.wait_output("changed content/words/t.md");
    assert!(line.contains("(2 rendered, the rest unchanged)"), "{line}");
    let (_, _, section) = server.get("/repo/words/");
    assert!(
        section.contains("新的悼詞。") && !section.contains("舊的悼詞。"),
        "{section}"
    );

    site.write("content/blog/a.md", &page("無處可逃", 1, "引用[^x]。\n"));
    events.wait_for("event: reload");
    server.wait_output("changed content/blog/a.md");
    let (_, _, refs) = server.get("/repo/refs/");
    assert!(refs.contains("blog/a/#cite-1-1"), "{refs}");
}

#[test]
fn a_broken_edit_shows_the_error_and_fixing_it_recovers() {
    let site = site();
    let server = Server::start(&site);
    let mut events = events(&server);
    site.write("content/blog/a.md", "+++\ntitle = \n+++\n");
    let event = events.wait_for("event: build-error");
    assert!(event.contains("content/blog/a.md:2:"), "{event}");
    server.wait_output("the build failed");
    // The last good build is still served, with the error over it.
    let (status, _, body) = server.get("/repo/blog/a/");
    assert_eq!(status, 200);
    assert!(body.contains("原文。"));
    assert!(body.contains("lectern-error-overlay"));
    assert!(body.contains("content/blog/a.md:2:"));
    site.write("content/blog/a.md", &page("無處可逃", 1, "修好了。\n"));
    events.wait_for("event: reload");
    let (_, _, body) = server.get("/repo/blog/a/");
    assert!(body.contains("修好了。"));
    assert!(!body.contains("<div id=\"lectern-error-overlay\""));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = site.run(&["serve", "-p", &port]);
    let stderr = run.fails();
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1 port {port}")),
        "{stderr}"
    );
    assert!(
        stderr.contains("choose another port with --port"),
        "{stderr}"
    );
}

#[test]
fn all_ten_default_ports_in_use_is_a_clear_error() {
    let site = site();
    // Whatever of 1111–1120 another program holds is taken anyway.
    let _held: Vec<_> = (1111..=1120)
        .filter_map(|port| std::net::TcpListener::bind(("127.0.0.1", port)).ok())
        .collect();
    let stderr = site.run(&["serve"]).fails();
    assert!(
        stderr.contains("cannot listen on 127.0.0.1 any of the ports 1111–1120"),
        "{stderr}"
    );
    assert!(
        stderr.contains("choose a port with --port (-p), or --port 0"),
        "{stderr}"
    );
}

/// A folder for `PATH` holding only an `xdg-open` (and `open`) that runs `script`, or
/// nothing when `script` is `None`.
fn path_with_opener(script: Option<&str>) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    if let Some(script) = script {
        for name in ["xdg-open", "open"] {
            let file = dir.path().join(name);
            std::fs::write(&file, format!("#!/bin/sh\n{script}\n")).unwrap();
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    dir
}

#[test]
fn open_without_a_browser_says_so_with_the_url() {
    let site = site();
    let empty = path_with_opener(None);
    let path = empty.path().to_str().unwrap();
    let server = Server::start_with(&site, &["--open"], &[("PATH", path)]);
    let note = server.wait_output("cannot open a browser");
    assert!(note.starts_with("note: "), "{note}");
    assert!(
        note.contains("no `xdg-open`") || note.contains("no `open`"),
        "{note}"
    );
    assert!(
        note.contains(&format!("open {} by hand", server.url())),
        "{note}"
    );
    // The server goes on serving.
    assert_eq!(server.get(&server.base).0, 200);

    // An opener that finds no browser fails: that is said too.
    let failing = path_with_opener(Some("exit 3"));
    let path = failing.path().to_str().unwrap();
    let server = Server::start_with(&site, &["--open"], &[("PATH", path)]);
    let note = server.wait_output("cannot open a browser");
    assert!(note.contains("failed"), "{note}");
    assert!(
        note.contains(&format!("open {} by hand", server.url())),
        "{note}"
    );

    // One that opens the page prints nothing about it.
    let working = path_with_opener(Some("exit 0"));
    let path = working.path().to_str().unwrap();
    let server = Server::start_with(&site, &["--open"], &[("PATH", path)]);
    assert_eq!(server.get(&server.base).0, 200);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let said = server.output_so_far().join("\n");
    assert!(!said.contains("cannot open"), "{said}");
}

#[test]
fn answers_only_to_its_own_host_names() {
    let site = site();
    let server = Server::start(&site);
    let port = server.address.rsplit(':').next().unwrap().to_string();
    // A page on another site can point its own name at 127.0.0.1 (DNS rebinding); the
    // browser then sends that name, and must learn nothing.
    for host in [
        "attacker.example".to_string(),
        format!("attacker.example:{port}"),
        format!("localhost.attacker.example:{port}"),
        "localhost".to_string(),
        format!("127.0.0.1:{port}0"),
    ] {
        let (status, _, body) = server.request(&format!("GET /repo/ HTTP/1.1\r\nHost: {host}"));
        assert_eq!(status, 421, "Host: {host}");
        assert!(!body.contains("首頁"), "Host: {host} saw the site");
    }
    // The absolute form of the request line names the host too.
    let (status, _, _) = server.request(&format!(
        "GET http://attacker.example:{port}/repo/ HTTP/1.1\r\nHost: 127.0.0.1:{port}"
    ));
    assert_eq!(status, 421);
    for host in [
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("127.0.0.1:{port}"),
    ] {
        let (status, _, body) = server.request(&format!("GET /repo/ HTTP/1.1\r\nHost: {host}"));
        assert_eq!(status, 200, "Host: {host}");
        assert!(body.contains("第一版。"));
    }
    let (status, _, _) = server.request("GET /repo/ HTTP/1.1");
    assert_eq!(status, 400, "HTTP/1.1 without Host");
}

#[test]
fn answers_only_get_and_head() {
    let site = site();
    let server = Server::start(&site);
    for method in ["POST", "PUT", "DELETE", "TRACE", "OPTIONS", "PATCH", "FOO"] {
        let (status, head, body) = server.request(&format!(
            "{method} /repo/ HTTP/1.1\r\nHost: {}",
            server.address
        ));
        assert_eq!(status, 405, "{method}");
        assert!(head.contains("Allow: GET, HEAD"), "{method}: {head}");
        assert!(!body.contains("第一版。"), "{method}");
    }
    let (status, head, body) = server.request(&format!(
        "HEAD /repo/blog/a/ HTTP/1.1\r\nHost: {}",
        server.address
    ));
    assert_eq!(status, 200);
    assert!(head.contains("Content-Length: "), "{head}");
    assert!(body.is_empty(), "HEAD sent a body");
    // Players seek in audio and video with a byte range.
    let (_, _, css) = server.get("/repo/style.css");
    let (status, head, part) = server.request(&format!(
        "GET /repo/style.css HTTP/1.1\r\nHost: {}\r\nRange: bytes=2-9",
        server.address
    ));
    assert_eq!(status, 206, "{head}");
    assert!(
        head.contains(&format!("Content-Range: bytes 2-9/{}", css.len())),
        "{head}"
    );
    assert_eq!(part, css[2..10]);
    let (status, _, _) = server.request(&format!(
        "GET /repo/style.css HTTP/1.1\r\nHost: {}\r\nRange: bytes={}-",
        server.address,
        css.len()
    ));
    assert_eq!(status, 416);
}

/// The value of header `name` in a response `head`, if it is there.
fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name)
            .then(|| value.trim().to_string())
    })
}

#[test]
fn files_carry_an_etag_and_answer_conditional_requests() {
    let site = site();
    let audio = "0123456789abcdefghij";
    site.write("static/voice.ogg", audio);
    let server = Server::start(&site);
    let request = |path: &str, extra: &str| {
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!("\r\n{extra}")
        };
        server.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}{extra}",
            server.address
        ))
    };
    let head_of = |path: &str, extra: &str| {
        server.request(&format!(
            "HEAD {path} HTTP/1.1\r\nHost: {}\r\n{extra}",
            server.address
        ))
    };
    let etag_of = |path: &str| {
        let (status, head, _) = request(path, "");
        assert_eq!(status, 200, "{path}");
        // The browser keeps the file but asks again before showing it.
        assert_eq!(
            header(&head, "Cache-Control").as_deref(),
            Some("no-cache"),
            "{head}"
        );
        header(&head, "ETag").unwrap_or_else(|| panic!("no ETag for {path}: {head}"))
    };

    for path in ["/repo/blog/a/", "/repo/style.css", "/repo/voice.ogg"] {
        let etag = etag_of(path);
        assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
        assert_eq!(etag_of(path), etag, "{path}: the tag is stable");
        for asked in [etag.clone(), format!("W/{etag}"), format!("\"x\", {etag}")] {
            let (status, head, body) = request(path, &format!("If-None-Match: {asked}"));
            assert_eq!(status, 304, "{path} If-None-Match: {asked}");
            assert!(body.is_empty(), "a 304 has no body");
            assert_eq!(header(&head, "ETag"), Some(etag.clone()), "{head}");
        }
        let (status, _, body) = head_of(path, &format!("If-None-Match: {etag}"));
        assert_eq!(status, 304, "HEAD {path}");
        assert!(body.is_empty());
        let (status, _, body) = request(path, "If-None-Match: \"stale\"");
        assert_eq!(status, 200, "{path}");
        assert!(!body.is_empty());
    }
    // A missing file has no tag: the site's 404 page is never kept.
    let (status, head, _) = request("/repo/nothing/", "If-None-Match: *");
    assert_eq!(status, 404);
    assert_eq!(header(&head, "ETag"), None, "{head}");

    // Ranges of a file: one range, its bytes; past the end, 416.
    let etag = etag_of("/repo/voice.ogg");
    let (status, head, body) = request("/repo/voice.ogg", "Range: bytes=3-7");
    assert_eq!(status, 206, "{head}");
    assert_eq!(body, "34567");
    assert_eq!(
        header(&head, "Content-Range").as_deref(),
        Some("bytes 3-7/20")
    );
    assert_eq!(header(&head, "ETag"), Some(etag.clone()));
    let (status, _, body) = request("/repo/voice.ogg", "Range: bytes=-4");
    assert_eq!((status, body.as_str()), (206, "ghij"));
    let (status, head, body) = head_of("/repo/voice.ogg", "Range: bytes=10-");
    assert_eq!(status, 206, "HEAD with a range");
    assert_eq!(header(&head, "Content-Length").as_deref(), Some("10"));
    assert!(body.is_empty());
    for beyond in ["bytes=20-", "bytes=25-30"] {
        let (status, head, body) = request("/repo/voice.ogg", &format!("Range: {beyond}"));
        assert_eq!(status, 416, "{beyond}");
        assert_eq!(
            header(&head, "Content-Range").as_deref(),
            Some("bytes */20")
        );
        assert!(body.is_empty());
    }
    // Several ranges, or a range of another version of the file: the whole file.
    let (status, _, body) = request("/repo/voice.ogg", "Range: bytes=0-1,5-6");
    assert_eq!((status, body.as_str()), (200, audio));
    let (status, _, body) = request(
        "/repo/voice.ogg",
        "Range: bytes=3-7\r\nIf-Range: \"another\"",
    );
    assert_eq!((status, body.as_str()), (200, audio));
    let (status, _, body) = request(
        "/repo/voice.ogg",
        &format!("Range: bytes=3-7\r\nIf-Range: {etag}"),
    );
    assert_eq!((status, body.as_str()), (206, "34567"));

    // An edit changes the tag of what it changed: the browser's copy is no longer
    // current, and the new text comes. What it did not change keeps its tag.
    let page_before = etag_of("/repo/blog/a/");
    let css_before = etag_of("/repo/style.css");
    let mut events = events(&server);
    site.write("content/blog/a.md", &page("無處可逃", 1, "改過的文字。\n"));
    events.wait_for("event: reload");
    let page_after = etag_of("/repo/blog/a/");
    assert_ne!(page_after, page_before);
    let (status, _, body) = request("/repo/blog/a/", &format!("If-None-Match: {page_before}"));
    assert_eq!(status, 200);
    assert!(body.contains("改過的文字。"));
    assert_eq!(etag_of("/repo/style.css"), css_before);
    site.write("static/voice.ogg", "a new recording");
    events.wait_for("event: reload");
    let (status, _, body) = request("/repo/voice.ogg", &format!("If-None-Match: {etag}"));
    assert_eq!((status, body.as_str()), (200, "a new recording"));
    assert_ne!(etag_of("/repo/voice.ogg"), etag);
    // A failed build shows its error over the page: the page's tag changes with it.
    site.write("content/blog/a.md", "+++\ntitle = \n+++\n");
    events.wait_for("event: build-error");
    let (status, _, body) = request("/repo/blog/a/", &format!("If-None-Match: {page_after}"));
    assert_eq!(status, 200);
    assert!(body.contains("lectern-error-overlay"));
}

#[test]
fn redirects_never_leave_the_host() {
    let site = TestSite::with(&[
        ("content/_index.md", &page("首頁", 0, "")),
        ("content/chapters/_index.md", &page("章", 1, "")),
        ("content/chapters/a.md", &page("一", 1, "")),
    ]);
    site.write(
        "site.toml",
        "title = \"t\"\nbase_url = \"https://example.org/\"\n",
    );
    let server = Server::start(&site);
    assert_eq!(server.base, "/");
    let (status, head, _) = server.get("//chapters");
    assert_eq!(status, 302);
    assert!(head.contains("Location: /chapters/\r\n"), "{head}");
    for path in [
        "//chapters",
        "///chapters",
        "//chapters/",
        "//chapters/a",
        "/%2fchapters",
        "/%2F%2Fchapters",
        "//",
        "/chapters",
    ] {
        let (_, head, _) = server.get(path);
        for line in head.lines() {
            if let Some(to) = line.strip_prefix("Location: ") {
                assert!(to.starts_with('/') && !to.starts_with("//"), "{path}: {to}");
            }
        }
    }
}

#[test]
fn serves_a_site_whose_base_path_is_not_ascii() {
    let site = site();
    site.write(
        "site.toml",
        "title = \"t\"\nbase_url = \"https://example.org/文檔/\"\n",
    );
    let server = Server::start(&site);
    let encoded = "/%E6%96%87%E6%AA%94/";
    assert_eq!(
        server.base, encoded,
        "the printed address is percent-encoded"
    );
    let (status, head, _) = server.get("/");
    assert_eq!(status, 302);
    assert!(head.contains(&format!("Location: {encoded}\r\n")), "{head}");
    let (status, head, _) = server.get("/%E6%96%87%E6%AA%94");
    assert_eq!(status, 302);
    assert!(head.contains(&format!("Location: {encoded}\r\n")), "{head}");
    for (path, text) in [
        (encoded.to_string(), "第一版。"),
        (format!("{encoded}blog/a/"), "原文。"),
        // Lowercase escapes are the same path.
        ("/%e6%96%87%e6%aa%94/blog/a/".to_string(), "原文。"),
    ] {
        let (status, _, body) = server.get(&path);
        assert_eq!(status, 200, "{path}");
        assert!(body.contains(text), "{path}");
    }
    let (status, head, _) = server.get(&format!("{encoded}blog"));
    assert_eq!(status, 302);
    assert!(
        head.contains(&format!("Location: {encoded}blog/\r\n")),
        "{head}"
    );
    // Reload works under that path too.
    let mut events = events(&server);
    site.write("content/blog/a.md", &page("無處可逃", 1, "改過。\n"));
    events.wait_for("event: reload");
    assert!(server
        .get(&format!("{encoded}blog/a/"))
        .2
        .contains("改過。"));
}

#[test]
fn folders_made_after_the_start_are_watched() {
    let site = site();
    assert!(!site.exists("templates"));
    let server = Server::start(&site);
    let mut events = events(&server);
    std::fs::create_dir(site.path("templates")).unwrap();
    server.wait_output("changed templates");
    events.wait_for("event: reload");
    // Only a watch on the new folder sees a file written inside it.
    site.write("templates/notes.txt", "a note\n");
    server.wait_output("changed templates/notes.txt");
    events.wait_for("event: reload");

    // A checkout removes the content folder and writes it anew.
    std::fs::remove_dir_all(site.path("content")).unwrap();
    server.wait_output("changed content");
    site.write("content/_index.md", &page("首頁", 0, "第二版。\n"));
    site.write("content/blog/_index.md", &page("博客", 1, ""));
    site.write("content/blog/a.md", &page("無處可逃", 1, "新的。\n"));
    let deadline = Instant::now() + Duration::from_secs(30);
    while !server.get("/repo/blog/a/").2.contains("新的。") {
        assert!(Instant::now() < deadline, "the new content was never built");
        std::thread::sleep(Duration::from_millis(50));
    }
    // And the new folder is watched: an edit in it rebuilds.
    site.write("content/blog/a.md", &page("無處可逃", 1, "再改。\n"));
    server.wait_output("changed content/blog/a.md");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !server.get("/repo/blog/a/").2.contains("再改。") {
        assert!(Instant::now() < deadline, "the edit was never built");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_c_or_sigterm_stops_the_server_cleanly() {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let site = TestSite::with(&[
            ("site.toml", util::MINIMAL_CONFIG),
            ("content/_index.md", &util::page("首頁", 0, "歡迎。\n")),
        ]);
        let mut server = Server::start(&site);
        assert_eq!(server.get("/").0, 200);
        let status = server
            .stop_with(signal, Duration::from_secs(5))
            .unwrap_or_else(|| panic!("signal {signal}: still running after 5 s"));
        // A clean stop (exit code 0 after "stopped"), not death by the signal.
        assert!(status.success(), "signal {signal}: {status:?}");
        server.wait_output("stopped");
    }
}
