//! A small harness for whole-site tests: write a site into a temp folder, run the real
//! `lectern` binary on it, and read what it wrote.

#![allow(dead_code)]

pub mod serve;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A site in a temporary folder.
pub struct TestSite {
    dir: tempfile::TempDir,
}

/// The result of running `lectern`.
pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn success(&self) -> bool {
        self.output.status.success()
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    /// Panics with the output unless the run succeeded.
    pub fn ok(self) -> Run {
        assert!(
            self.success(),
            "lectern failed:\n{}\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
    /// Panics unless the run failed; returns stderr.
    pub fn fails(self) -> String {
        assert!(
            !self.success(),
            "lectern should have failed:\n{}",
            self.stdout()
        );
        assert!(
            !self.stderr().contains("panicked"),
            "lectern panicked:\n{}",
            self.stderr()
        );
        self.stderr()
    }
}

pub const MINIMAL_CONFIG: &str =
    "title = \"Test site\"\nbase_url = \"https://example.org/\"\nlanguage = \"zh-Hant\"\n";

impl TestSite {
    /// The memorial's own sources (site.toml, the raw article with its fixes, and the
    /// hand-written landing page `content/_index.md`) copied from the repository, plus
    /// `extra` repository files; the rest of content/ comes when a build imports it.
    pub fn memorial(extra: &[&str]) -> TestSite {
        let site = TestSite::empty();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in [
            "site.toml",
            "sources/felix-hill.txt",
            "sources/fixes.toml",
            "content/_index.md",
        ]
        .iter()
        .chain(extra)
        {
            let bytes =
                std::fs::read(repo.join(file)).unwrap_or_else(|e| panic!("read {file}: {e}"));
            site.write_bytes(file, &bytes);
        }
        site
    }

    /// An empty folder.
    pub fn empty() -> TestSite {
        TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A site with a minimal `site.toml` and the given files.
    pub fn with(files: &[(&str, &str)]) -> TestSite {
        let site = TestSite::empty();
        site.write("site.toml", MINIMAL_CONFIG);
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        self.write_bytes(relative, text.as_bytes());
    }

    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }

    /// Runs `lectern ARGS` in the site's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run lectern");
        Run { output }
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// Reads a file of the built site.
    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative))
            .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
    }

    pub fn exists(&self, relative: &str) -> bool {
        self.path(relative).exists()
    }

    /// Every file under `dir` with its bytes, for before/after comparisons.
    pub fn snapshot(&self, dir: &str) -> Vec<(String, Vec<u8>)> {
        let root = self.path(dir);
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }
}

/// Resolves `href`, as written in the built page at `page` (a path under the output
/// folder, such as `blog/a/index.html`), to a path under the output folder, fragment
/// kept: `resolve("blog/a/index.html", "../b/#x")` is `blog/b/#x`.
pub fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in href.split_inclusive('/') {
        match part.trim_end_matches('/') {
            "." => {}
            ".." => {
                parts.pop().expect("a link above the site's root");
            }
            _ => parts.push(part.trim_end_matches('/')),
        }
    }
    let mut path = parts.join("/");
    if href.ends_with('/') && !path.is_empty() {
        path.push('/');
    }
    path
}

/// The built pages' paths in reading order, from `start` (`""` is the home page,
/// `"zh-hans/"` another edition's), found by following each page's `rel="next"` link:
/// the order a reader walks.
pub fn reading_order(site: &TestSite, start: &str) -> Vec<String> {
    let next = regex::Regex::new(r#"rel="next" href="([^"]*)""#).unwrap();
    let mut paths = vec![start.to_string()];
    loop {
        let page = format!("{}index.html", paths.last().unwrap());
        let html = site.read(&format!("public/{page}"));
        match next.captures(&html) {
            Some(caps) => paths.push(resolve(&page, &caps[1])),
            None => return paths,
        }
        assert!(paths.len() < 100, "the next links loop");
    }
}

/// The text of built HTML: tags, ruby readings and heading anchors dropped (and citation
/// markers too, with `without_citations`), the common entities decoded.
pub fn visible_text(html: &str, without_citations: bool) -> String {
    let hidden = if without_citations {
        r#"(?s)<rt>.*?</rt>|<rp>.*?</rp>|<sup class="citation">.*?</sup>|<a class="heading-anchor".*?</a>"#
    } else {
        r#"(?s)<rt>.*?</rt>|<rp>.*?</rp>|<a class="heading-anchor".*?</a>"#
    };
    let hidden = regex::Regex::new(hidden).unwrap();
    let tags = regex::Regex::new(r"<[^>]+>").unwrap();
    let text = hidden.replace_all(html, "");
    let text = tags.replace_all(&text, "");
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// A page with front matter.
pub fn page(title: &str, weight: i64, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nweight = {weight}\n+++\n{body}")
}
