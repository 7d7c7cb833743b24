//! The bad-input corpus: every folder in `tests/bad_input/` (except `_good`) is a small
//! site that something is wrong with, and its `expect.toml` says what lectern must do.
//!
//! Each case is run in a fresh temp folder: first the good site (`_good/`) is built, so
//! `public/` exists; then the site's own files are replaced by the case's and lectern
//! runs again. Always: no panic, no abort, no hang (a 60 s limit), nothing left beside
//! the output folder. For `exit = "error"`: a non-zero exit, every `stderr_contains`
//! text on stderr (the file and line), `public/` byte-for-byte as it was, and the
//! site's own files untouched. For `exit = "ok"`: success, and each `[[page]]` holds
//! (or lacks) the texts given — this is where the escaping of `<script>` is proved.
//!
//! Inputs too big or too odd to commit (100 MB files, 10,000 levels of nesting,
//! symbolic links, FIFOs, invalid UTF-8) are written at run time, named by `generate`.
//!
//! The file-system failures that need a mount (a read-only output folder, a full disk)
//! are separate tests at the end; they skip with a loud message where mounting is
//! not allowed.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::TestSite;
use serde::Deserialize;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bad_input");

/// Generous: the slowest case (a 10 MB line, unoptimised build) takes a few seconds.
const TIME_LIMIT: Duration = Duration::from_secs(60);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    about: String,
    exit: Exit,
    #[serde(default)]
    stderr_contains: Vec<String>,
    #[serde(default)]
    args: Option<Vec<String>>,
    #[serde(default)]
    generate: Option<String>,
    #[serde(default)]
    page: Vec<PageCheck>,
}

#[derive(Debug, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Exit {
    Error,
    Ok,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageCheck {
    path: String,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    lacks: Vec<String>,
}

/// What one run of lectern did.
struct Outcome {
    success: bool,
    stdout: String,
    stderr: String,
}

/// Runs the real binary in `dir`, killing it when it outlives [`TIME_LIMIT`].
fn run_lectern(dir: &Path, args: &[String]) -> Result<Outcome, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start lectern: {e}"))?;
    // Read both pipes on threads so a chatty child never blocks on a full pipe.
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out, &mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err, &mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("lectern hung: killed after {TIME_LIMIT:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&out.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
    Ok(Outcome {
        success: status.success(),
        stdout,
        stderr,
    })
}

/// Every file under `dir` (symbolic links as their target text), skipping `skip`.
fn snapshot(dir: &Path, skip: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            !skip.iter().any(|s| rel.starts_with(s))
        });
    for entry in walker.filter_map(Result::ok) {
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let kind = entry.file_type();
        if kind.is_symlink() {
            let target = std::fs::read_link(entry.path()).unwrap_or_default();
            files.insert(rel, target.to_string_lossy().as_bytes().to_vec());
        } else if kind.is_file() {
            // Huge generated inputs are compared by size, not read.
            let meta = entry.metadata().expect("metadata");
            if meta.len() > 1024 * 1024 {
                files.insert(rel, format!("{} bytes", meta.len()).into_bytes());
            } else {
                files.insert(rel, std::fs::read(entry.path()).expect("read"));
            }
        } else if !kind.is_dir() {
            files.insert(rel, b"(special file)".to_vec());
        }
    }
    files
}

fn copy_tree(from: &Path, to: &Path, skip_expect: bool) {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.expect("walk the corpus");
        let rel = entry.path().strip_prefix(from).unwrap();
        if skip_expect && rel == Path::new("expect.toml") {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).expect("mkdir");
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Writes the inputs that are generated rather than committed.
fn generate(kind: &str, site: &TestSite) {
    let front = "+++\ntitle = \"Generated\"\nweight = 5\n+++\n";
    let sparse = |path: &str, head: &[u8], size: u64| {
        let path = site.path(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut file = std::fs::File::create(&path).unwrap();
        file.write_all(head).unwrap();
        // A sparse file: 100 MB on paper, nothing on disk, no time to write.
        file.set_len(size).unwrap();
    };
    match kind {
        "site-toml-invalid-utf8" => {
            site.write_bytes("site.toml", b"title = \"x\"\ndescription = \"caf\xE9\"\n")
        }
        "front-matter-deep-nesting" => site.write(
            "content/a.md",
            &format!(
                "+++\ntitle = \"A\"\n[extra]\nx = {}{}\n+++\nx\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            ),
        ),
        "content-invalid-utf8" => site.write_bytes(
            "content/bad.md",
            b"+++\ntitle = \"Bad\"\n+++\nFine line.\nbad \xFF\xFE byte\n",
        ),
        "content-binary" => {
            let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
            bytes.extend((0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8));
            site.write_bytes("content/photo.md", &bytes);
        }
        "content-nul-bytes" => site.write(
            "content/nul.md",
            &format!("{front}text\0with NUL \u{1} \u{7f} \u{200b}\u{202e} bidi\n"),
        ),
        "content-huge" => sparse("content/huge.md", front.as_bytes(), 100 * 1024 * 1024),
        "content-long-line" => site.write(
            "content/long.md",
            &format!("{front}{}\n", "word ".repeat(2 * 1024 * 1024)),
        ),
        "content-nested-quotes" => site.write(
            "content/quotes.md",
            &format!("{front}{} deep\n", ">".repeat(10_000)),
        ),
        "content-nested-lists" => site.write(
            "content/lists.md",
            &format!(
                "{front}{}deep\n\n{}deep\n",
                "- ".repeat(10_000),
                "1. ".repeat(10_000)
            ),
        ),
        "content-nested-brackets" => site.write(
            "content/brackets.md",
            &format!(
                "{front}{}x{}\n\n{}x{}\n\n{}\n",
                "[".repeat(10_000),
                "](https://example.org/u)".repeat(10_000),
                "*_".repeat(10_000),
                "_*".repeat(10_000),
                "<".repeat(10_000)
            ),
        ),
        "content-symlink-loop" => {
            std::os::unix::fs::symlink(".", site.path("content/loop")).expect("symlink")
        }
        "content-vanished" => {
            std::os::unix::fs::symlink("was-here.md", site.path("content/gone.md"))
                .expect("symlink")
        }
        "content-fifo" => mkfifo(&site.path("content/pipe.md")),
        "static-fifo" => mkfifo(&site.path("static/pipe.css")),
        "site-toml-fifo" => mkfifo(&site.path("site.toml")),
        "import-article-fifo" => mkfifo(&site.path("sources/article.txt")),
        "import-stamp-fifo" => mkfifo(&site.path("content/.lectern-import.json")),
        "static-backslash-name" => site.write("static/x\\..\\..\\..\\f.txt", "escaped"),
        "content-backslash-name" => {
            site.write(
                "content/x\\..\\..\\escape.md",
                "+++\ntitle = \"Out\"\n+++\nout\n",
            );
            site.write("content/x\\..\\..\\escape.png", "out");
        }
        "file-name-control-characters" => {
            site.write(
                "content/a\u{1b}[31mred.md",
                "+++\ntitle = \"Red\"\n+++\nred\n",
            );
            site.write("content/line\nbreak.txt", "x");
            site.write("content/tab\there.txt", "x");
            site.write("content/del\u{7f}.png", "x");
        }
        "file-name-invalid-utf8" => {
            use std::os::unix::ffi::OsStrExt;
            let content = site.path("content");
            std::fs::write(
                content.join(std::ffi::OsStr::from_bytes(b"caf\xE9.png")),
                "x",
            )
            .unwrap();
            let folder = content.join(std::ffi::OsStr::from_bytes(b"d\xFFr"));
            std::fs::create_dir(&folder).unwrap();
            std::fs::write(folder.join("x.md"), "x").unwrap();
        }
        "content-link-environ" => {
            std::os::unix::fs::symlink("/proc/self/environ", site.path("content/env.txt"))
                .expect("symlink")
        }
        "static-link-passwd" => {
            std::fs::create_dir_all(site.path("static")).unwrap();
            std::os::unix::fs::symlink("/etc/passwd", site.path("static/passwd")).expect("symlink")
        }
        "links-inside-the-site" => {
            std::fs::create_dir_all(site.path("static")).unwrap();
            std::os::unix::fs::symlink("../sources/logo.txt", site.path("static/logo.txt"))
                .expect("symlink");
            std::os::unix::fs::symlink("../sources/shared", site.path("static/shared"))
                .expect("symlink");
        }
        "template-invalid-utf8" => site.write_bytes(
            "templates/page.html",
            b"<html>\n\xC3\x28 {{ page.title }}\n",
        ),
        "import-binary" => site.write_bytes("sources/article.txt", b"PK\x03\x04\x14\0\x08\0\0\0"),
        "import-huge" => sparse(
            "sources/article.txt",
            "再見。\n".as_bytes(),
            100 * 1024 * 1024,
        ),
        other => panic!("unknown generator {other}"),
    }
}

/// Makes a FIFO at `path`: reading it would wait for a writer forever.
fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    let rc = unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) };
    assert_eq!(rc, 0, "mkfifo failed");
}

/// Runs one case; returns what went wrong, if anything.
fn run_case(name: &str, dir: &Path) -> Result<(), String> {
    let expect_text = std::fs::read_to_string(dir.join("expect.toml"))
        .map_err(|e| format!("no expect.toml: {e}"))?;
    let expect: Expect =
        toml::from_str(&expect_text).map_err(|e| format!("bad expect.toml: {e}"))?;
    if expect.exit == Exit::Error && expect.stderr_contains.is_empty() {
        return Err("an error case must say what stderr names".into());
    }
    let site = TestSite::empty();
    copy_tree(&Path::new(CORPUS).join("_good"), site.root(), false);
    let good = run_lectern(site.root(), &["build".into()])?;
    if !good.success {
        return Err(format!("the good site did not build:\n{}", good.stderr));
    }
    let public_before = snapshot(&site.path("public"), &[]);
    for owned in ["site.toml", "content", "templates", "static", "sources"] {
        let path = site.path(owned);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else if path.exists() {
            std::fs::remove_file(&path).unwrap();
        }
    }
    copy_tree(dir, site.root(), true);
    if let Some(kind) = &expect.generate {
        generate(kind, &site);
    }
    let sources_before = snapshot(site.root(), &["public"]);
    let args = expect.args.clone().unwrap_or_else(|| vec!["build".into()]);
    let outcome = run_lectern(site.root(), &args)?;
    let shown = format!(
        "[{}]\nstdout:\n{}\nstderr:\n{}",
        expect.about,
        tail(&outcome.stdout),
        tail(&outcome.stderr)
    );
    for crash in [
        "panicked",
        "overflowed its stack",
        "fatal runtime error",
        "RUST_BACKTRACE",
    ] {
        if outcome.stderr.contains(crash) {
            return Err(format!("lectern crashed ({crash}): {shown}"));
        }
    }
    match (expect.exit, outcome.success) {
        (Exit::Error, true) => return Err(format!("lectern should have failed: {shown}")),
        (Exit::Ok, false) => return Err(format!("lectern should have succeeded: {shown}")),
        _ => {}
    }
    for wanted in &expect.stderr_contains {
        if !outcome.stderr.contains(wanted.as_str()) {
            return Err(format!("stderr does not contain {wanted:?}: {shown}"));
        }
    }
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("lectern-staging") || n.contains("lectern-old"))
        .collect();
    if !leftovers.is_empty() {
        return Err(format!("left behind: {leftovers:?}"));
    }
    if expect.exit == Exit::Error {
        if !outcome.stderr.contains("error") {
            return Err(format!("no `error` on stderr: {shown}"));
        }
        if snapshot(&site.path("public"), &[]) != public_before {
            return Err(format!("the previous output changed: {shown}"));
        }
        if snapshot(site.root(), &["public"]) != sources_before {
            return Err(format!("the site's own files changed: {shown}"));
        }
    }
    for check in &expect.page {
        let text = std::fs::read_to_string(site.path(&check.path))
            .map_err(|e| format!("cannot read {}: {e}\n{shown}", check.path))?;
        for wanted in &check.contains {
            if !text.contains(wanted.as_str()) {
                return Err(format!("{} lacks {wanted:?}", check.path));
            }
        }
        for unwanted in &check.lacks {
            if text.contains(unwanted.as_str()) {
                return Err(format!("{} contains {unwanted:?}", check.path));
            }
        }
    }
    let _ = name;
    Ok(())
}

fn tail(text: &str) -> &str {
    let mut start = text.len().saturating_sub(3000);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

fn case_dirs() -> Vec<(String, PathBuf)> {
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(CORPUS)
        .expect("the corpus folder")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("expect.toml").is_file())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_bad_input_case_behaves_as_expected() {
    let cases = case_dirs();
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    // Two at a time: the machine's cores are shared with other builds.
    let queue = std::sync::Mutex::new(cases.into_iter());
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let Some((name, dir)) = queue.lock().unwrap().next() else {
                    break;
                };
                let started = Instant::now();
                let result = run_case(&name, &dir);
                eprintln!(
                    "{name}: {} in {} ms",
                    if result.is_ok() { "ok" } else { "FAILED" },
                    started.elapsed().as_millis()
                );
                if let Err(why) = result {
                    failures.lock().unwrap().push(format!("== {name}: {why}"));
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_corpus_describes_every_case() {
    for (name, dir) in case_dirs() {
        let text = std::fs::read_to_string(dir.join("expect.toml")).unwrap();
        let expect: Expect =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{name}/expect.toml: {e}"));
        assert!(!expect.about.is_empty(), "{name}: say what the case is");
    }
}

/// A small tmpfs mounted at `dir`, unmounted when dropped; `None` (with a loud
/// message) where this sandbox does not allow mounting.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status();
        if status.is_ok_and(|s| s.success()) {
            Some(Tmpfs {
                dir: dir.to_path_buf(),
            })
        } else {
            eprintln!("SKIPPED: cannot mount a tmpfs here (needs root); the test did not run");
            None
        }
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.dir)
            .status()
            .expect("run mount");
        assert!(status.success(), "remount {options} failed");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

fn good_site() -> TestSite {
    let site = TestSite::empty();
    copy_tree(&Path::new(CORPUS).join("_good"), site.root(), false);
    site
}

/// The output folder is a mount point (a Docker volume, say): lectern builds inside it
/// and never needs to rename it, so the first build and every rebuild succeed, and the
/// folder stays the mount.
#[test]
fn an_output_folder_that_is_a_mount_point_builds_and_rebuilds() {
    let site = good_site();
    let Some(_mount) = Tmpfs::mount(&site.path("out/public"), "4m") else {
        return;
    };
    let args = ["build".to_string(), "-o".into(), "out/public".into()];
    let first = run_lectern(site.root(), &args).unwrap();
    assert!(first.success, "{}", first.stderr);
    site.write("content/b.md", "+++\ntitle = \"B\"\n+++\nNew.\n");
    let again = run_lectern(site.root(), &args).unwrap();
    assert!(again.success, "{}", again.stderr);
    assert!(site.path("out/public/b/index.html").is_file());
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap();
    let mounted = site.path("out/public").canonicalize().unwrap();
    assert!(
        mounts
            .lines()
            .any(|l| l.split(' ').nth(1) == mounted.to_str()),
        "the output folder is still the mount point"
    );
}

/// The output folder is on a file system that turned read-only: the build fails with
/// the folder named, and the previous output survives.
#[test]
fn an_unwritable_output_folder_fails_clearly_and_keeps_the_old_output() {
    let site = good_site();
    let Some(mount) = Tmpfs::mount(&site.path("out"), "4m") else {
        return;
    };
    let args = ["build".to_string(), "-o".into(), "out/public".into()];
    assert!(run_lectern(site.root(), &args).unwrap().success);
    let before = snapshot(&site.path("out"), &[]);
    mount.remount("ro");
    site.write("content/b.md", "+++\ntitle = \"B\"\n+++\nNew.\n");
    let outcome = run_lectern(site.root(), &args).unwrap();
    mount.remount("rw");
    assert!(!outcome.success, "{}", outcome.stdout);
    assert!(!outcome.stderr.contains("panicked"), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("out/"), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("Read-only file system"),
        "{}",
        outcome.stderr
    );
    assert!(snapshot(&site.path("out"), &[]) == before);
}

/// The disk fills up in the middle of writing the new site: the build fails naming
/// the file it could not write, the half-written staging folder is removed, and the
/// previous output survives byte for byte.
#[test]
fn a_full_disk_fails_clearly_and_keeps_the_old_output() {
    let site = good_site();
    let Some(_mount) = Tmpfs::mount(&site.path("out"), "1m") else {
        return;
    };
    let args = ["build".to_string(), "-o".into(), "out/public".into()];
    let first = run_lectern(site.root(), &args).unwrap();
    assert!(first.success, "{}", first.stderr);
    let before = snapshot(&site.path("out"), &[]);
    // A page far bigger than the space left.
    site.write(
        "content/big.md",
        &format!(
            "+++\ntitle = \"Big\"\n+++\n{}\n",
            "全文 words ".repeat(200_000)
        ),
    );
    let outcome = run_lectern(site.root(), &args).unwrap();
    assert!(!outcome.success, "{}", outcome.stdout);
    assert!(!outcome.stderr.contains("panicked"), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("No space left on device"),
        "{}",
        outcome.stderr
    );
    assert!(outcome.stderr.contains("out/"), "{}", outcome.stderr);
    assert!(
        snapshot(&site.path("out"), &[]) == before,
        "the old output changed"
    );
}

/// A content file that appears and disappears while lectern builds (a true race, not
/// a simulation): each build either succeeds or fails naming the file; never a panic.
#[test]
fn a_content_file_vanishing_during_builds_is_named_or_ignored() {
    let site = good_site();
    let flicker = site.path("content/flicker.md");
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::fs::write(&flicker, "+++\ntitle = \"F\"\n+++\nNow you see me.\n");
                std::thread::sleep(Duration::from_micros(300));
                let _ = std::fs::remove_file(&flicker);
                std::thread::sleep(Duration::from_micros(300));
            }
        });
        let mut failures = 0;
        for _ in 0..15 {
            let outcome = run_lectern(site.root(), &["build".into()]).unwrap();
            assert!(!outcome.stderr.contains("panicked"), "{}", outcome.stderr);
            if !outcome.success {
                failures += 1;
                assert!(
                    outcome.stderr.contains("flicker.md"),
                    "a failure must name the file: {}",
                    outcome.stderr
                );
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        eprintln!("{failures} of 15 builds met the file vanishing");
    });
}
