//! A running `lectern serve -p 0` for tests: started in a site's folder, its printed URL
//! parsed, its output readable line by line, killed and reaped when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::TestSite;

/// `lectern serve` on an ephemeral loopback port.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
    /// The base path the site is served under, e.g. `/repo/`.
    pub base: String,
    output: mpsc::Receiver<String>,
}

impl Server {
    /// Starts the server on `site` and waits for it to print its URL.
    pub fn start(site: &TestSite) -> Server {
        Server::start_with(site, &[], &[])
    }

    /// [`Server::start`] with more arguments after `serve -p 0`, and environment
    /// variables set for the server.
    pub fn start_with(site: &TestSite, args: &[&str], env: &[(&str, &str)]) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["serve", "-p", "0"])
            .args(args)
            .envs(env.iter().copied())
            .current_dir(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lectern serve");
        let (tx, rx) = mpsc::channel();
        // The guard exists before anything can panic, so the process is always reaped.
        let mut server = Server {
            child,
            address: String::new(),
            base: String::new(),
            output: rx,
        };
        let stdout = server.child.stdout.take().expect("piped stdout");
        let stderr = server.child.stderr.take().expect("piped stderr");
        for stream in [Box::new(stdout) as Box<dyn Read + Send>, Box::new(stderr)] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let line = server.wait_output("http://");
        let at = line.find("http://").expect("a URL");
        let url = line[at + 7..].split_whitespace().next().expect("a URL");
        let slash = url.find('/').expect("a path in the URL");
        server.address = url[..slash].to_string();
        server.base = url[slash..].to_string();
        server
    }

    /// `http://127.0.0.1:PORT/base/`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.address, self.base)
    }

    /// Waits (30 s at most) for a line of the server's output containing `text`.
    pub fn wait_output(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let line = self
                .output
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("the server never printed {text:?}"));
            if line.contains(text) {
                return line;
            }
        }
    }

    /// The lines the server has printed and nobody has read yet.
    pub fn output_so_far(&self) -> Vec<String> {
        self.output.try_iter().collect()
    }

    /// Sends a GET for `path` exactly as written; see [`try_get`].
    pub fn try_get(&self, path: &str) -> Result<(u16, String, String), String> {
        try_get(&self.address, path)
    }

    /// The server process's id, to read its memory use.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's resident memory in KiB (VmRSS in /proc).
    pub fn memory_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("the server's /proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc status")
    }

    /// Sends `head` (a request line and headers, without the blank line that ends them,
    /// which is added with `Connection: close`) exactly as written; see [`try_get`].
    pub fn request(&self, head: &str) -> (u16, String, String) {
        send(
            &self.address,
            &format!("{head}\r\nConnection: close\r\n\r\n"),
        )
        .unwrap_or_else(|e| panic!("{head}: {e}"))
    }

    /// [`Server::try_get`], failing the test on any error.
    pub fn get(&self, path: &str) -> (u16, String, String) {
        self.try_get(path)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }
}

impl Server {
    /// Sends `signal` (`libc::SIGINT` …) and waits up to `limit` for the server to exit;
    /// returns its exit status, or `None` if it is still running.
    pub fn stop_with(&mut self, signal: i32, limit: Duration) -> Option<std::process::ExitStatus> {
        let pid = libc::pid_t::try_from(self.pid()).unwrap();
        // SAFETY: sends a signal to our own child.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends a GET for `path` exactly as written, with `Connection: close`; returns the
/// status, the head and the body, or what went wrong.
pub fn try_get(address: &str, path: &str) -> Result<(u16, String, String), String> {
    send(
        address,
        &format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `request` as written and reads the answer until the server closes.
pub fn send(address: &str, request: &str) -> Result<(u16, String, String), String> {
    let mut stream = TcpStream::connect(address).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(request.as_bytes())
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
    Ok((status, head.to_string(), body.to_string()))
}
