//! `lectern serve` under load: several clients on loopback send a few thousand
//! requests while a content file is rewritten every ~50 ms (so the site is rebuilt and
//! swapped again and again). Every request must get a 200 with a complete page: never
//! a refused connection, an error, or a half-written page.

mod util;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use util::serve::{try_get, Server};
use util::{page, TestSite};

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
