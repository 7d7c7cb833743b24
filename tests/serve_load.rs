//! `lectern serve` under load: several clients on loopback send a few thousand
//! requests while a content file is rewritten every ~50 ms (so the site is rebuilt and
//! swapped again and again). Every request must get a 200 with a complete page: never
//! a refused connection, an error, or a half-written page.

mod util;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

use util::{page, TestSite};

const CLIENTS: usize = 6;
const REQUESTS_PER_CLIENT: usize = 500;

/// A running `lectern serve -p 0`, killed when dropped.
struct Server {
    child: Child,
    address: String,
    base: String,
    rebuilds: mpsc::Receiver<String>,
}

impl Server {
    fn start(site: &TestSite) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["serve", "-p", "0"])
            .current_dir(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lectern serve");
        let (tx, rx) = mpsc::channel();
        let mut server = Server {
            child,
            address: String::new(),
            base: String::new(),
            rebuilds: rx,
        };
        let stdout = server.child.stdout.take().expect("piped");
        let stderr = server.child.stderr.take().expect("piped");
        for stream in [Box::new(stdout) as Box<dyn Read + Send>, Box::new(stderr)] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let line = server
                .rebuilds
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("lectern serve printed no URL");
            if let Some(at) = line.find("http://") {
                let url = line[at + 7..].split_whitespace().next().unwrap();
                let slash = url.find('/').unwrap();
                server.address = url[..slash].to_string();
                server.base = url[slash..].to_string();
                return server;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One GET with `Connection: close`; the status and body, or what went wrong.
fn get(address: &str, path: &str) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(address).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("send: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("read: {e}"))?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no header end in {raw:?}"))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {head:?}"))?;
    Ok((status, body.to_string()))
}

#[test]
fn serve_answers_thousands_of_requests_while_files_change() {
    let site = TestSite::with(&[
        ("content/_index.md", &page("Home", 0, "Welcome.\n")),
        ("content/a.md", &page("A", 1, "## One\n\nFirst version.\n")),
        ("content/b.md", &page("B", 2, "Second page.\n")),
    ]);
    let server = Server::start(&site);
    let paths: Vec<String> = ["", "a/", "b/", "all/"]
        .iter()
        .map(|p| format!("{}{p}", server.base))
        .collect();
    let stop = AtomicBool::new(false);
    let done = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::<String>::new());
    let mut rewrites = 0;
    std::thread::scope(|scope| {
        for client in 0..CLIENTS {
            let (paths, failures, done, address) = (&paths, &failures, &done, &server.address);
            scope.spawn(move || {
                for i in 0..REQUESTS_PER_CLIENT {
                    let path = &paths[(client + i) % paths.len()];
                    let problem = match get(address, path) {
                        Ok((200, body)) if body.trim_end().ends_with("</html>") => None,
                        Ok((200, body)) => Some(format!(
                            "{path}: incomplete page ({} bytes) ending {:?}",
                            body.len(),
                            &body[body.len().saturating_sub(80)..]
                        )),
                        Ok((status, _)) => Some(format!("{path}: status {status}")),
                        Err(e) => Some(format!("{path}: {e}")),
                    };
                    if let Some(problem) = problem {
                        failures.lock().unwrap().push(problem);
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        // The editor: rewrite a page every ~50 ms until the clients are done.
        let deadline = Instant::now() + Duration::from_secs(120);
        while done.load(Ordering::Relaxed) < CLIENTS * REQUESTS_PER_CLIENT
            && Instant::now() < deadline
        {
            rewrites += 1;
            site.write(
                "content/a.md",
                &page("A", 1, &format!("## One\n\nVersion {rewrites}.\n")),
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        stop.store(true, Ordering::Relaxed);
    });
    let rebuilds = server
        .rebuilds
        .try_iter()
        .filter(|l| l.contains("built"))
        .count();
    let failures = failures.into_inner().unwrap();
    eprintln!(
        "{} requests from {CLIENTS} clients, {rewrites} rewrites, {rebuilds} rebuilds, {} failures",
        CLIENTS * REQUESTS_PER_CLIENT,
        failures.len()
    );
    assert!(rewrites > 5, "the files hardly changed during the test");
    assert!(
        failures.is_empty(),
        "{} of {} requests failed, e.g.:\n{}",
        failures.len(),
        CLIENTS * REQUESTS_PER_CLIENT,
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
