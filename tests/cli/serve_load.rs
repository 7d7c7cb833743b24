//! `lectern serve` under load: several clients on loopback send a few thousand
//! requests while a content file is rewritten every ~50 ms (so the site is rebuilt and
//! swapped again and again). Every request must get a 200 with a complete page: never
//! a refused connection, an error, or a half-written page. And hostile clients (a
//! thousand slow ones, an endless header, a huge body) neither stop readers nor grow
//! the server's memory.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::serve::{try_get, Server};
use crate::util::{page, TestSite};

const CLIENTS: usize = 6;
const REQUESTS_PER_CLIENT: usize = 500;

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
                    let problem =
                        match try_get(address, path).map(|(status, _, body)| (status, body)) {
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
        .output_so_far()
        .iter()
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

/// Slow clients held open at once.
const SLOW_CLIENTS: usize = 1000;
/// How long each holds its connection, sending one byte a second.
const SLOW_SECONDS: u64 = 5;

#[test]
fn slow_clients_do_not_keep_a_reader_waiting() {
    let site = TestSite::with(&[("content/_index.md", &page("Home", 0, "Welcome.\n"))]);
    let server = Server::start(&site);
    let address = server.address.clone();
    let connected = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connected);
    // Each client sends a request head one byte a second, never finishing it: the
    // way one keeps a thread-per-connection server busy for nothing.
    let slow = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let clients: Vec<_> = (0..SLOW_CLIENTS)
                .map(|_| {
                    let (address, counter) = (address.clone(), Arc::clone(&counter));
                    tokio::spawn(async move {
                        let Ok(stream) = tokio::net::TcpStream::connect(&address).await else {
                            return false;
                        };
                        counter.fetch_add(1, Ordering::SeqCst);
                        for byte in b"GET / HTTP/1.1\r\n".iter().take(SLOW_SECONDS as usize) {
                            let sent = match stream.writable().await {
                                Ok(()) => stream.try_write(&[*byte]),
                                Err(e) => Err(e),
                            };
                            if sent.is_err() {
                                return false;
                            }
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                        true
                    })
                })
                .collect();
            let mut held = 0;
            for client in clients {
                held += usize::from(client.await.unwrap_or(false));
            }
            held
        })
    });
    let deadline = Instant::now() + Duration::from_secs(SLOW_SECONDS - 1);
    while connected.load(Ordering::SeqCst) < SLOW_CLIENTS && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        connected.load(Ordering::SeqCst),
        SLOW_CLIENTS,
        "the slow clients could not all connect"
    );
    // While they all hold their connections, a reader still gets pages at once.
    for _ in 0..3 {
        let started = Instant::now();
        let (status, _, body) = try_get(&server.address, &server.base).expect("a page");
        let took = started.elapsed();
        assert_eq!(status, 200);
        assert!(body.contains("Welcome."));
        assert!(took < Duration::from_secs(1), "a page took {took:?}");
        std::thread::sleep(Duration::from_millis(300));
    }
    let held = slow.join().unwrap();
    eprintln!("{held} of {SLOW_CLIENTS} slow clients held their connection for {SLOW_SECONDS} s");
    assert!(
        held > SLOW_CLIENTS * 9 / 10,
        "only {held} slow clients were held: the test did not load the server"
    );
}

/// What a client sends at most before the server must have cut it off.
const FLOOD: usize = 64 << 20;

/// Sends `head` then filler bytes until the server stops the connection (or [`FLOOD`]
/// bytes went out); returns how much was sent and the status the server answered, if any.
fn flood(address: &str, head: &str) -> (usize, Option<u16>) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_write_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    stream.write_all(head.as_bytes()).expect("send the head");
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = head.len();
    while sent < FLOOD {
        match stream.write(&chunk) {
            Ok(n) => sent += n,
            Err(_) => break,
        }
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let status = String::from_utf8_lossy(&answer)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok());
    (sent, status)
}

#[test]
fn an_endless_header_or_body_is_cut_off() {
    let site = TestSite::with(&[("content/_index.md", &page("Home", 0, "Welcome.\n"))]);
    let server = Server::start(&site);
    let host = &server.address;
    let (sent, status) = flood(
        host,
        &format!("GET / HTTP/1.1\r\nHost: {host}\r\nX-Endless: "),
    );
    eprintln!("endless header: cut off after {sent} bytes, status {status:?}");
    assert!(sent < FLOOD, "the server read {sent} bytes of one header");
    assert!(matches!(status, None | Some(431)), "{status:?}");
    let (sent, status) = flood(
        host,
        &format!("POST / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2000000000\r\n\r\n"),
    );
    eprintln!("2 GB body: cut off after {sent} bytes, status {status:?}");
    assert!(sent < FLOOD, "the server read {sent} bytes of a body");
    assert!(matches!(status, None | Some(405)), "{status:?}");
    let memory = server.memory_kib();
    eprintln!("server memory: {memory} KiB");
    assert!(memory < 100 * 1024, "the server holds {memory} KiB");
    // And it still answers.
    assert_eq!(try_get(host, &server.base).expect("a page").0, 200);
}

#[test]
fn running_out_of_file_descriptors_only_pauses_accepting() {
    let site = TestSite::with(&[("content/_index.md", &page("Home", 0, "Welcome.\n"))]);
    let server = Server::start(&site);
    // Lower the running server's file limit far below what the clients below need.
    let low = libc::rlimit {
        rlim_cur: 48,
        rlim_max: 20_000,
    };
    let pid = libc::pid_t::try_from(server.pid()).unwrap();
    // SAFETY: prlimit only reads `low`; the old limit is not asked for.
    let lowered = unsafe { libc::prlimit(pid, libc::RLIMIT_NOFILE, &low, std::ptr::null_mut()) };
    assert_eq!(lowered, 0, "prlimit: {}", std::io::Error::last_os_error());
    let idle: Vec<TcpStream> = (0..80)
        .map(|_| TcpStream::connect(&server.address).expect("connect"))
        .collect();
    server.wait_output("cannot accept a connection");
    // The clients go away; the server must take new connections again by itself.
    drop(idle);
    let deadline = Instant::now() + Duration::from_secs(20);
    let answer = loop {
        if let Ok(answer) = try_get(&server.address, &server.base) {
            break answer;
        }
        assert!(Instant::now() < deadline, "the server stopped listening");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(answer.0, 200);
    let warnings = server
        .output_so_far()
        .iter()
        .filter(|l| l.contains("cannot accept"))
        .count();
    assert!(
        warnings <= 1,
        "the warning was printed {} more times",
        warnings
    );
}

#[test]
fn a_client_that_stops_reading_is_let_go() {
    let site = TestSite::with(&[("content/_index.md", &page("Home", 0, "Welcome.\n"))]);
    let big = 32 << 20;
    site.write_bytes("static/big.bin", &vec![7u8; big]);
    let server = Server::start(&site);
    let mut stream = TcpStream::connect(&server.address).expect("connect");
    write!(
        stream,
        "GET {}big.bin HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.base, server.address
    )
    .unwrap();
    // Read nothing for longer than the server waits on a stalled write (20 s)…
    std::thread::sleep(Duration::from_secs(25));
    // …then all there is: what the socket buffers held, not the whole file.
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut received = Vec::new();
    let _ = stream.read_to_end(&mut received);
    eprintln!("a stalled client got {} of {big} bytes", received.len());
    assert!(
        received.starts_with(b"HTTP/1.1 200"),
        "no answer at all: {:?}",
        String::from_utf8_lossy(&received[..received.len().min(200)])
    );
    assert!(received.len() < big, "the server waited for the client");
}
