//! A site's files may be hostile: a memorial takes tributes by pull request from
//! strangers, and the build runs in CI with secrets nearby. Each test runs the real
//! binary on a site in a temporary folder, with a time limit, and checks what matters
//! beyond the exit code: nothing written outside the output, no secret published, no
//! wait on a pipe.

use crate::util;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Far longer than any of these builds takes; a read of a pipe or a device never ends.
const PROMPTLY: Duration = Duration::from_secs(10);

/// A site at `outer/a/b/c/d/site`: deep enough that a name climbing out of the output
/// with `..` still lands inside `outer`, where the test can see it.
struct Sandbox {
    outer: tempfile::TempDir,
    root: PathBuf,
}

/// What one run of lectern did.
struct Outcome {
    success: bool,
    stdout: String,
    stderr: String,
}

impl Outcome {
    /// Panics unless the run failed without a panic; returns stderr.
    fn fails(self) -> String {
        assert!(
            !self.success,
            "lectern should have failed:\n{}",
            self.stdout
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self.stderr
    }
}

impl Sandbox {
    /// A site that builds: a home page and one page.
    fn new() -> Sandbox {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("a/b/c/d/site");
        std::fs::create_dir_all(&root).unwrap();
        let sandbox = Sandbox { outer, root };
        sandbox.write("site.toml", util::MINIMAL_CONFIG);
        sandbox.write("content/_index.md", &util::page("Home", 0, "Welcome.\n"));
        sandbox.write("content/a.md", &util::page("A", 1, "Some text.\n"));
        sandbox
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn link(&self, target: &str, relative: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, path).unwrap();
    }

    fn fifo(&self, relative: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    }

    /// Runs `lectern ARGS` in the site with `env` added, killed after [`PROMPTLY`].
    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Outcome {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(args)
            .envs(env.iter().copied())
            .current_dir(&self.root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > PROMPTLY {
                let _ = child.kill();
                let _ = child.wait();
                panic!("lectern {args:?} did not finish in {PROMPTLY:?}: it waits on a read");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let output = child.wait_with_output().unwrap();
        Outcome {
            success: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn build(&self) -> Outcome {
        self.run(&["build"], &[])
    }

    /// Every regular file under `outer` that is not inside the site's own folder.
    fn files_outside_the_site(&self) -> Vec<PathBuf> {
        walkdir::WalkDir::new(self.outer.path())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir() && !e.path().starts_with(&self.root))
            .map(|e| e.path().to_path_buf())
            .collect()
    }

    /// Every regular file under the site (links not followed), with its bytes.
    fn every_file(&self) -> Vec<(PathBuf, Vec<u8>)> {
        walkdir::WalkDir::new(&self.root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
            .collect()
    }
}

/// A file name `\a\b\name` for the absolute path `path`: where a name whose
/// backslashes became `/` would be written.
fn backslashed(path: &Path) -> String {
    path.to_str().unwrap().replace('/', "\\")
}

#[test]
fn names_with_backslashes_are_refused_and_nothing_is_written_outside_the_output() {
    for folder in ["static", "content"] {
        let site = Sandbox::new();
        site.build().ok_or_panic();
        let target = site.outer.path().join(format!("pwned-{folder}.txt"));
        let absolute = format!("{folder}/{}", backslashed(&target));
        site.write(&absolute, "written from a file name");
        let climbing = format!("{folder}/x\\..\\..\\..\\..\\f.txt");
        site.write(&climbing, "written from a file name");
        let public_before = site.every_file();
        let stderr = site.build().fails();
        assert!(stderr.contains(&absolute), "{stderr}");
        assert!(stderr.contains(&climbing), "{stderr}");
        assert!(stderr.contains("backslash"), "{stderr}");
        assert!(!target.exists(), "{} was written", target.display());
        assert_eq!(site.files_outside_the_site(), Vec::<PathBuf>::new());
        assert!(
            site.every_file() == public_before,
            "the site's files changed"
        );
    }
}

#[test]
fn names_with_control_characters_or_bad_utf8_are_refused_shown_escaped() {
    let names: [(&[u8], &str); 5] = [
        (b"line\nbreak.png", "line\\nbreak.png"),
        (b"tab\there.png", "tab\\there.png"),
        (b"esc\x1b[2J.md", "esc\\u{1b}[2J.md"),
        (b"del\x7f.png", "del\\u{7f}.png"),
        (b"caf\xe9.png", "caf\\xE9.png"),
    ];
    for folder in ["static", "content"] {
        let site = Sandbox::new();
        for (name, _) in names {
            let path = site.path(folder).join(OsStr::from_bytes(name));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "+++\ntitle = \"x\"\n+++\n").unwrap();
        }
        let stderr = site.build().fails();
        for (_, shown) in names {
            assert!(
                stderr.contains(&format!("{folder}/{shown}")),
                "{shown}: {stderr}"
            );
        }
        assert!(stderr.contains("5 errors"), "{stderr}");
        assert!(
            !stderr.contains('\u{1b}') && !stderr.contains('\u{7f}'),
            "a control character reached the terminal: {stderr}"
        );
    }
}

#[test]
fn links_out_of_the_site_publish_neither_the_environment_nor_passwd() {
    let secret = "lectern-test-secret-5b1f0c2e";
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    let passwd_line = passwd.lines().next().unwrap().to_string();
    let site = Sandbox::new();
    site.build().ok_or_panic();
    let cases = [
        ("/proc/self/environ", "content/env.txt"),
        ("/etc/passwd", "static/passwd"),
        ("/etc", "static/etc"),
        ("/proc/self", "content/proc"),
    ];
    for (target, link) in cases {
        site.link(target, link);
        let stderr = site
            .run(&["build"], &[("LECTERN_TEST_SECRET", secret)])
            .fails();
        let named = format!("{link} is a symbolic link to {target}, outside the site");
        assert!(stderr.contains(&named), "{stderr}");
        assert!(!stderr.contains(secret), "{stderr}");
        std::fs::remove_file(site.path(link)).unwrap();
    }
    for (path, bytes) in site.every_file() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(secret),
            "{} holds the secret",
            path.display()
        );
        assert!(
            !text.contains(&passwd_line),
            "{} holds passwd",
            path.display()
        );
    }
}

#[test]
fn links_inside_the_site_are_followed() {
    let site = Sandbox::new();
    site.write("content/logo.txt", "the logo");
    site.write("sources/shared/note.txt", "a shared note");
    site.write(
        "sources/notes.md",
        &util::page("Notes", 2, "Linked page.\n"),
    );
    site.link("../../content/logo.txt", "static/img/logo.txt");
    site.link("../sources/shared", "static/shared");
    site.link("../sources/notes.md", "content/notes.md");
    site.build().ok_or_panic();
    let read = |p: &str| std::fs::read_to_string(site.path(p)).unwrap();
    assert_eq!(read("public/img/logo.txt"), "the logo");
    assert_eq!(read("public/logo.txt"), "the logo");
    assert_eq!(read("public/shared/note.txt"), "a shared note");
    assert!(read("public/notes/index.html").contains("Linked page."));
}

#[test]
fn fifos_in_content_and_static_are_refused_promptly() {
    for pipe in ["content/pipe.md", "content/pipe.png", "static/pipe.css"] {
        let site = Sandbox::new();
        site.fifo(pipe);
        let stderr = site.build().fails();
        assert!(stderr.contains(&format!("{pipe} is a FIFO")), "{stderr}");
    }
}

#[test]
fn a_device_or_fifo_as_the_article_or_site_toml_is_refused_promptly() {
    let site = Sandbox::new();
    let stderr = site
        .run(&["import", "/dev/zero", "--into", "content"], &[])
        .fails();
    assert!(
        stderr.contains("/dev/zero is a character device, not a regular file"),
        "{stderr}"
    );
    site.fifo("sources/pipe.txt");
    let stderr = site.run(&["import", "sources/pipe.txt"], &[]).fails();
    assert!(stderr.contains("sources/pipe.txt is a FIFO"), "{stderr}");

    let with_article = |source: &str, fixes: Option<&str>| {
        let mut config = format!("{}[article]\nsource = \"{source}\"\n", util::MINIMAL_CONFIG);
        if let Some(fixes) = fixes {
            config.push_str(&format!("fixes = \"{fixes}\"\n"));
        }
        site.write("site.toml", &config);
    };
    with_article("/dev/zero", None);
    let stderr = site.build().fails();
    assert!(stderr.contains("site.toml:5:"), "{stderr}");
    assert!(
        stderr.contains("`/dev/zero` is not a path inside the site"),
        "{stderr}"
    );

    site.link("/dev/zero", "sources/zero.txt");
    with_article("sources/zero.txt", None);
    let stderr = site.build().fails();
    assert!(stderr.contains("site.toml:5:"), "{stderr}");
    assert!(stderr.contains("outside the site"), "{stderr}");

    with_article("sources/pipe.txt", None);
    let stderr = site.build().fails();
    assert!(stderr.contains("sources/pipe.txt is a FIFO"), "{stderr}");

    site.write("sources/article.txt", "再見。\n這是一篇文章。\n");
    site.fifo("sources/fixes.toml");
    with_article("sources/article.txt", Some("sources/fixes.toml"));
    let stderr = site.build().fails();
    assert!(stderr.contains("sources/fixes.toml is a FIFO"), "{stderr}");

    // The import's stamp is read too: a pipe in its place is no stamp.
    with_article("sources/article.txt", None);
    std::fs::remove_file(site.path("content/_index.md")).unwrap();
    site.fifo("content/.lectern-import.json");
    site.build().ok_or_panic();
    assert!(site.path("content/.lectern-import.json").is_file());

    std::fs::remove_file(site.path("site.toml")).unwrap();
    site.fifo("site.toml");
    let stderr = site.build().fails();
    assert!(stderr.contains("site.toml is a FIFO"), "{stderr}");
}

#[test]
fn the_import_writes_only_inside_its_folder() {
    let site = Sandbox::new();
    site.write("sources/article.txt", "再見。\n這是一篇文章。\n");
    let elsewhere = site.outer.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    // A temporary file's name taken by a link: written through, it would write there.
    site.link(
        elsewhere.join("tmp").to_str().unwrap(),
        "imported/._index.md.lectern-tmp",
    );
    site.run(
        &["import", "sources/article.txt", "--into", "imported"],
        &[],
    )
    .ok_or_panic();
    assert!(site.path("imported/_index.md").is_file());
    assert!(!elsewhere.join("tmp").exists(), "written through a link");
}

impl Outcome {
    /// Panics with the output unless the run succeeded.
    fn ok_or_panic(self) -> Outcome {
        assert!(
            self.success,
            "lectern failed:\n{}\n{}",
            self.stdout, self.stderr
        );
        self
    }
}
