//! `lectern serve` end to end: the real binary on an ephemeral loopback port, plain HTTP
//! requests, the event stream, edits on disk.

mod util;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use util::serve::Server;
use util::{page, TestSite};

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
    assert!(stderr.contains("choose a port with -p"), "{stderr}");
}
