//! The real-browser harness: find the tools the browser tests need (or skip loudly), start
//! ChromeDriver with a headless Chromium in its own process group, and drive pages through
//! fantoccini with a few waiting, screenshot and script helpers.
//!
//! One `Browser` belongs to one test: a fantoccini `Client` dies with the tokio runtime that
//! made it, and every `#[tokio::test]` has its own runtime.

use std::fmt::Display;
use std::future::Future;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// How long one whole browser test may take before it fails.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(90);
/// How long a single wait (start-up, page load, a condition) may take.
const WAIT_TIMEOUT: Duration = Duration::from_secs(20);
/// How often a condition is polled while waiting for it.
const POLL_EVERY: Duration = Duration::from_millis(20);

/// Unwraps a result, or fails the test saying what was being done.
pub fn must<T, E: Display>(result: Result<T, E>, doing: &str) -> T {
    result.unwrap_or_else(|e| panic!("{doing}: {e}"))
}

/// Runs `future`, failing the test if it takes longer than `limit`.
pub async fn within<T>(limit: Duration, what: &str, future: impl Future<Output = T>) -> T {
    match tokio::time::timeout(limit, future).await {
        Ok(value) => value,
        Err(_) => panic!("timed out after {limit:?}: {what}"),
    }
}

/// Something a test needs from outside Cargo.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Need {
    /// `chromium` and `chromedriver` (Debian packages of the same version).
    Browser,
    /// axe-core's `axe.min.js` from `tests/js/node_modules`.
    Axe,
    /// `java` and the Nu checker's `vnu.jar` from `tests/js/node_modules`.
    Vnu,
    /// `node` and html-validate from `tests/js/node_modules`.
    HtmlValidate,
}

/// Where the outside tools are. Only the ones a test asked for are guaranteed to be present.
pub struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
    pub axe_js: PathBuf,
    pub vnu_jar: PathBuf,
    pub java: PathBuf,
    pub html_validate: PathBuf,
    pub node: PathBuf,
}

const APT_BROWSER: &str = "apt-get install chromium chromium-driver";
const APT_JAVA: &str = "apt-get install default-jre-headless";
const NPM_CI: &str = "(cd tests/js && npm ci)";
const NODE: &str = "apt-get install nodejs npm";

impl Tools {
    /// Finds what `needs` lists. When something is missing, panics if `CI=true` (CI must never
    /// pass by skipping), and otherwise prints a loud `SKIPPED` line and returns `None`.
    pub fn require(test: &str, needs: &[Need]) -> Option<Tools> {
        let js = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/node_modules");
        if needs.iter().any(|n| *n != Need::Browser) {
            install_js_checkers();
        }
        let tools = Tools {
            chromium: find_program(&["chromium", "chromium-browser"]),
            chromedriver: find_program(&["chromedriver"]),
            axe_js: js.join("axe-core/axe.min.js"),
            vnu_jar: js.join("vnu-jar/build/dist/vnu.jar"),
            java: find_program(&["java"]),
            html_validate: js.join("html-validate/bin/html-validate.mjs"),
            node: find_program(&["node", "nodejs"]),
        };
        let mut missing: Vec<(String, &str)> = Vec::new();
        let mut check = |path: &Path, hint: &'static str| {
            if !path.is_file() {
                missing.push((path.display().to_string(), hint));
            }
        };
        for need in needs {
            match need {
                Need::Browser => {
                    check(&tools.chromium, APT_BROWSER);
                    check(&tools.chromedriver, APT_BROWSER);
                }
                Need::Axe => check(&tools.axe_js, NPM_CI),
                Need::Vnu => {
                    check(&tools.java, APT_JAVA);
                    check(&tools.vnu_jar, NPM_CI);
                }
                Need::HtmlValidate => {
                    check(&tools.node, NODE);
                    check(&tools.html_validate, NPM_CI);
                }
            }
        }
        if missing.is_empty() {
            return Some(tools);
        }
        let what: Vec<&str> = missing.iter().map(|(path, _)| path.as_str()).collect();
        let mut hints: Vec<&str> = missing.iter().map(|(_, hint)| *hint).collect();
        hints.dedup();
        let message = format!(
            "{test}: missing {}; install with `{}` (or run `bash .ci/run`)",
            what.join(", "),
            hints.join("` and `")
        );
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true, so browser tests may not skip: {message}");
        }
        // eprintln! output is captured and hidden when a test passes; a skip must be seen.
        let line = format!("\n\n*** SKIPPED {message} ***\n\n");
        let _ = std::io::stderr().write_all(line.as_bytes());
        None
    }
}

/// Runs `npm ci` in `tests/js` once per test run when its checkers are missing, so that
/// `cargo test` on a fresh clone runs every test by itself. Its lock file pins each
/// package; `.npmrc` there turns install scripts off. Tests of one binary share the
/// process, so `Once` makes it one install. When npm is missing or fails, the
/// tests that need the checkers say so (and skip, or fail under `CI=true`).
fn install_js_checkers() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js");
        let present = [
            "axe-core/axe.min.js",
            "vnu-jar/build/dist/vnu.jar",
            "html-validate/bin/html-validate.mjs",
        ]
        .iter()
        .all(|file| folder.join("node_modules").join(file).is_file());
        if present {
            return;
        }
        let npm = find_program(&["npm"]);
        if !npm.is_file() {
            return;
        }
        let _ = writeln!(
            std::io::stderr(),
            "installing the HTML checkers: npm ci in {}",
            folder.display()
        );
        let status = std::process::Command::new(npm)
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&folder)
            .stdout(std::process::Stdio::null())
            .status();
        if !status.is_ok_and(|s| s.success()) {
            let _ = writeln!(std::io::stderr(), "npm ci in {} failed", folder.display());
        }
    });
}

/// The first of `names` found on `PATH`, or `/usr/bin/<first name>` (which then is missing).
fn find_program(names: &[&str]) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in names {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    Path::new("/usr/bin").join(names[0])
}

/// ChromeDriver, the Chromium it starts, and Chromium's throwaway profile. Dropping it kills
/// the whole process group and waits, so nothing outlives a test, not even a panicking one.
struct Processes {
    driver: Child,
    profile: Option<tempfile::TempDir>,
}

impl Drop for Processes {
    fn drop(&mut self) {
        // The driver was started with process_group(0), so its pid is the group id, and
        // Chromium inherits that group. Use libc::kill: `/usr/bin/kill -KILL -PGID` reads the
        // negative id as an option and kills nothing, and then wait() hangs.
        let group = -(self.driver.id() as libc::pid_t);
        // SAFETY: kill(2) has no memory-safety preconditions.
        unsafe {
            libc::kill(group, libc::SIGKILL);
        }
        let _ = self.driver.wait();
        if let Some(profile) = self.profile.take() {
            let path = profile.path().to_path_buf();
            // Chromium's children may still be dying and writing to the profile for a moment
            // after the group is killed; retry briefly instead of leaving it behind.
            for _ in 0..50 {
                if std::fs::remove_dir_all(&path).is_ok() || !path.exists() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = profile.keep();
        }
    }
}

/// A headless Chromium driven over WebDriver, looking at one served site.
pub struct Browser {
    client: Client,
    /// The URL every `goto` path is relative to, ending in `/`.
    base: String,
    /// The test's name, used for screenshot file names.
    test: String,
    // Declared last so it is dropped after the client.
    _processes: Processes,
}

impl Browser {
    /// Starts ChromeDriver and a fresh headless Chromium; `base` is the served site's URL.
    pub async fn start(tools: &Tools, test: &str, base: &str) -> Browser {
        let profile = must(
            tempfile::Builder::new()
                .prefix("lectern-chromium-")
                .tempdir(),
            "create a Chromium profile folder",
        );
        // ChromeDriver now and then exits before naming a port on a loaded machine: a
        // second start is enough, so try three times before failing the test.
        let mut attempt = 0;
        let (processes, port) = loop {
            attempt += 1;
            let mut driver = must(
                Command::new(&tools.chromedriver)
                    .arg("--port=0")
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    // Never let the driver or Chromium write into the test's own output.
                    .stderr(Stdio::null())
                    .process_group(0)
                    .spawn(),
                &format!("start {}", tools.chromedriver.display()),
            );
            let stdout = driver.stdout.take();
            match driver_port(stdout) {
                Ok(port) => {
                    break (
                        Processes {
                            driver,
                            profile: Some(profile),
                        },
                        port,
                    )
                }
                Err(output) if attempt < 3 => {
                    let _ = driver.kill();
                    let _ = driver.wait();
                    std::io::stderr()
                        .write_all(format!("chromedriver gave no port (attempt {attempt}), retrying:\n{output}\n").as_bytes())
                        .ok();
                }
                Err(output) => panic!("chromedriver gave no port in 3 attempts:\n{output}"),
            }
        };
        let profile_dir = processes
            .profile
            .as_ref()
            .map(|p| p.path().display().to_string())
            .unwrap_or_default();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--force-device-scale-factor=1",
            "--hide-scrollbars",
            "--window-size=1280,800",
            &format!("--user-data-dir={profile_dir}"),
        ];
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": tools.chromium, "args": args }),
        );
        capabilities.insert(
            "timeouts".into(),
            json!({ "script": 30_000, "pageLoad": 20_000, "implicit": 0 }),
        );
        let connect = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        let client = must(connect, "open a WebDriver session with Chromium");
        Browser {
            client,
            base: base.to_string(),
            test: test.to_string(),
            _processes: processes,
        }
    }

    /// Ends the WebDriver session, which quits Chromium cleanly; the guard then kills
    /// whatever is left.
    pub async fn close(self) {
        let Browser {
            client, _processes, ..
        } = self;
        let _ = within(Duration::from_secs(10), "close Chromium", client.close()).await;
    }

    /// The absolute URL of a path relative to the served site (`""` is the home page).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path.trim_start_matches('/'))
    }

    /// Loads a page of the site and waits until it has loaded.
    pub async fn goto(&self, path: &str) {
        let url = self.url(path);
        must(
            within(WAIT_TIMEOUT, &format!("load {url}"), self.client.goto(&url)).await,
            &format!("load {url}"),
        );
        self.wait_for(
            "document.readyState === 'complete'",
            &format!("{url} to load"),
        )
        .await;
    }

    /// Runs a script (a function body; use `return`) and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        let run = self.client.execute(script, vec![]);
        must(
            within(WAIT_TIMEOUT, &format!("run script {script}"), run).await,
            &format!("run script {script}"),
        )
    }

    /// Runs a script that must return a string.
    pub async fn js_string(&self, script: &str) -> String {
        match self.js(script).await {
            Value::String(s) => s,
            other => panic!("script {script} returned {other}, not a string"),
        }
    }

    /// Waits until the JavaScript expression `condition` is true.
    pub async fn wait_for(&self, condition: &str, what: &str) {
        let script = format!("return Boolean({condition});");
        let poll = async {
            loop {
                // A navigation in progress can make a script fail; that just means "not yet".
                if let Ok(Value::Bool(true)) = self.client.execute(&script, vec![]).await {
                    return;
                }
                tokio::time::sleep(POLL_EVERY).await;
            }
        };
        within(WAIT_TIMEOUT, &format!("waiting for {what}"), poll).await;
    }

    /// The page's path, percent-decoded (`/repo/chapters/one/`).
    pub async fn path(&self) -> String {
        self.js_string("return decodeURIComponent(location.pathname);")
            .await
    }

    /// The page's fragment without `#`, percent-decoded (`財富`).
    pub async fn hash(&self) -> String {
        self.js_string("return decodeURIComponent(location.hash.slice(1));")
            .await
    }

    /// The text of the first element matching `selector`, trimmed; fails if there is none.
    pub async fn text(&self, selector: &str) -> String {
        let script = format!(
            "const e = document.querySelector({}); return e ? e.textContent.trim() : null;",
            json!(selector)
        );
        match self.js(&script).await {
            Value::String(s) => s,
            _ => panic!(
                "no element matches {selector} on {}",
                self.js_string("return location.href;").await
            ),
        }
    }

    /// How many elements match `selector`.
    pub async fn count(&self, selector: &str) -> u64 {
        let script = format!(
            "return document.querySelectorAll({}).length;",
            json!(selector)
        );
        self.js(&script).await.as_u64().unwrap_or(0)
    }

    /// Clicks the first element matching `selector` and waits until a new document has loaded.
    pub async fn click_to_new_page(&self, selector: &str) {
        // A marker on the old window object disappears only when a new document replaces it.
        self.js("window.__lecternOldPage = true; return null;")
            .await;
        self.click(selector).await;
        self.wait_for(
            "!window.__lecternOldPage && document.readyState === 'complete'",
            &format!("a new page after clicking {selector}"),
        )
        .await;
    }

    /// Clicks the first element matching `selector` and waits until the fragment is `hash`
    /// (without `#`, not encoded).
    pub async fn click_to_hash(&self, selector: &str, hash: &str) {
        self.click(selector).await;
        let condition = format!(
            "decodeURIComponent(location.hash.slice(1)) === {} && document.readyState === 'complete'",
            json!(hash)
        );
        self.wait_for(&condition, &format!("#{hash} after clicking {selector}"))
            .await;
    }

    /// A real click, as a reader would: it fails if the element is hidden or covered.
    async fn click(&self, selector: &str) {
        let find = self.client.find(fantoccini::Locator::Css(selector));
        let element = must(
            within(WAIT_TIMEOUT, &format!("find {selector}"), find).await,
            &format!(
                "find {selector} on {}",
                self.js_string("return location.href;").await
            ),
        );
        must(
            within(WAIT_TIMEOUT, &format!("click {selector}"), element.click()).await,
            &format!("click {selector}"),
        );
    }

    /// The element the fragment points at (CSS `:target`), as `tag#id`, or `""` if none.
    pub async fn target(&self) -> String {
        self.js_string(
            "const t = document.querySelector(':target'); \
             return t ? t.tagName.toLowerCase() + '#' + t.id : '';",
        )
        .await
    }

    /// Whether the top of the element matching `selector` is inside the viewport.
    pub async fn in_viewport(&self, selector: &str) -> bool {
        let script = format!(
            "const e = document.querySelector({}); if (!e) return null; \
             const top = e.getBoundingClientRect().top; return top >= -1 && top < innerHeight;",
            json!(selector)
        );
        match self.js(&script).await {
            Value::Bool(b) => b,
            _ => panic!("no element matches {selector}"),
        }
    }

    /// Sends a Chrome DevTools Protocol command through ChromeDriver.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        let command = Cdp {
            cmd: cmd.to_string(),
            params,
        };
        let issue = self.client.issue_cmd(command);
        must(
            within(WAIT_TIMEOUT, &format!("CDP {cmd}"), issue).await,
            &format!("CDP {cmd}"),
        )
    }

    /// Takes a full-page screenshot with a viewport exactly `width` CSS pixels wide and writes
    /// it to `target/screenshots/<test>-<name>-<width>.png`. Returns the path; checks the PNG's
    /// width. Pixels are not compared: Debian updates change how Chromium renders.
    pub async fn screenshot(&self, name: &str, width: u32) -> PathBuf {
        let metrics = |height: u64| json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false });
        self.cdp("Emulation.setDeviceMetricsOverride", metrics(800))
            .await;
        // Layout must settle at the new width before measuring the page's height.
        self.wait_for(
            &format!("innerWidth === {width}"),
            &format!("a {width}px viewport"),
        )
        .await;
        let height = self
            .js("return Math.ceil(document.documentElement.scrollHeight);")
            .await
            .as_u64()
            .unwrap_or(800)
            .max(1);
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 }
                }),
            )
            .await;
        self.cdp("Emulation.clearDeviceMetricsOverride", json!({}))
            .await;
        let data = shot["data"]
            .as_str()
            .unwrap_or_else(|| panic!("Page.captureScreenshot returned no data: {shot}"));
        let png = decode_base64(data);
        let (png_width, png_height) = png_size(&png);
        assert_eq!(png_width, width, "screenshot {name} is not {width}px wide");
        let dir = screenshot_dir();
        must(std::fs::create_dir_all(&dir), "create target/screenshots");
        let path = dir.join(format!("{}-{name}-{width}.png", self.test));
        must(
            std::fs::write(&path, &png),
            &format!("write {}", path.display()),
        );
        assert!(png_height >= 1, "empty screenshot {}", path.display());
        path
    }

    /// Injects axe-core if this document lacks it (every navigation drops it) and returns the
    /// page's accessibility violations.
    pub async fn axe(&self, axe_source: &str) -> Vec<Violation> {
        if self.js("return typeof axe === 'undefined';").await == Value::Bool(true) {
            let inject = self.client.execute(axe_source, vec![]);
            must(
                within(WAIT_TIMEOUT, "inject axe-core", inject).await,
                "inject axe-core",
            );
        }
        let run = self.client.execute_async(
            r#"const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] }).then(
              (r) => done({ violations: r.violations.map((v) => ({
                id: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.length,
                targets: v.nodes.slice(0, 5).map((n) => {
                  const check = [...n.any, ...n.all, ...n.none].find((c) => c.message);
                  return n.target.join(' ') + (check ? ' (' + check.message + ')' : '');
                }),
              })) }),
              (e) => done({ error: String(e) }));"#,
            vec![],
        );
        let result = must(within(WAIT_TIMEOUT, "run axe-core", run).await, "run axe");
        if let Some(error) = result.get("error") {
            panic!("axe-core failed: {error}");
        }
        let violations = result["violations"].as_array().cloned().unwrap_or_default();
        violations
            .iter()
            .map(|v| Violation {
                id: v["id"].as_str().unwrap_or_default().to_string(),
                impact: v["impact"].as_str().unwrap_or_default().to_string(),
                help: v["help"].as_str().unwrap_or_default().to_string(),
                nodes: v["nodes"].as_u64().unwrap_or(0),
                targets: v["targets"]
                    .as_array()
                    .map(|t| {
                        t.iter()
                            .filter_map(|s| s.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }
}

/// One axe-core rule a page breaks.
#[derive(Debug, Clone)]
pub struct Violation {
    pub id: String,
    pub impact: String,
    pub help: String,
    /// How many elements break it.
    pub nodes: u64,
    /// CSS selectors of the first few of those elements, each with axe's reason.
    pub targets: Vec<String>,
}

impl Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}, {} node(s)): {}\n    {}",
            self.id,
            self.impact,
            self.nodes,
            self.help,
            self.targets.join("\n    ")
        )
    }
}

/// Reads ChromeDriver's stdout until it names its port, then keeps draining it in a thread
/// so the driver never blocks on a full pipe.
fn driver_port(stdout: Option<std::process::ChildStdout>) -> Result<u16, String> {
    let stdout = stdout.unwrap_or_else(|| panic!("chromedriver's stdout was not piped"));
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            // "ChromeDriver was started successfully on port 41351."
            let port = line
                .split("started successfully on port ")
                .nth(1)
                .and_then(|rest| rest.trim_end_matches('.').trim().parse::<u16>().ok());
            if let Some(port) = port {
                let _ = sender.send(Ok(port));
            } else if seen.len() < 20 {
                seen.push(line);
            }
        }
        let _ = sender.send(Err(seen.join("\n")));
    });
    match receiver.recv_timeout(WAIT_TIMEOUT) {
        Ok(Ok(port)) => Ok(port),
        Ok(Err(output)) => Err(format!("chromedriver exited without a port:\n{output}")),
        Err(_) => Err(format!(
            "chromedriver named no port within {WAIT_TIMEOUT:?}"
        )),
    }
}

/// `POST /session/{id}/goog/cdp/execute`: ChromeDriver's door to the DevTools protocol.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// `target/screenshots`, next to Cargo's `target/tmp` (so `CARGO_TARGET_DIR` is honoured).
fn screenshot_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("screenshots")
}

/// The width and height a PNG declares in its IHDR chunk (bytes 16..24, big-endian).
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(
        png.len() > 24 && png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG"
    );
    let be = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    (be(16), be(20))
}

/// Standard base64, as CDP returns screenshots; small enough not to need a crate.
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("bad base64 byte {c}"),
        }
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut bits = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            bits |= value(*c) << (18 - 6 * i);
        }
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// WebDriver's key code points, for [`Browser::press`] and [`Browser::type_into`].
#[allow(dead_code)]
pub mod key {
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const ARROW_UP: &str = "\u{E013}";
    pub const ARROW_DOWN: &str = "\u{E015}";
}

// Helpers added for tests/reader.rs (reader controls, keyboard, narrow windows). Not every
// test binary uses all of them.
#[allow(dead_code)]
impl Browser {
    /// A real click on the first element matching `selector`, waiting for nothing after it.
    pub async fn click_on(&self, selector: &str) {
        self.click(selector).await;
    }

    /// Presses `keys` (text, or [`key`] code points) on whatever has the focus, as a reader
    /// at a keyboard would.
    pub async fn press(&self, keys: &str) {
        let active = must(
            within(
                WAIT_TIMEOUT,
                "find the focused element",
                self.client.active_element(),
            )
            .await,
            "find the focused element",
        );
        must(
            within(
                WAIT_TIMEOUT,
                &format!("press {keys:?}"),
                active.send_keys(keys),
            )
            .await,
            &format!("press {keys:?}"),
        );
    }

    /// Types `text` into the first element matching `selector` (WebDriver focuses it first).
    pub async fn type_into(&self, selector: &str, text: &str) {
        let find = self.client.find(fantoccini::Locator::Css(selector));
        let element = must(
            within(WAIT_TIMEOUT, &format!("find {selector}"), find).await,
            &format!("find {selector}"),
        );
        must(
            within(
                WAIT_TIMEOUT,
                &format!("type into {selector}"),
                element.send_keys(text),
            )
            .await,
            &format!("type {text:?} into {selector}"),
        );
    }

    /// Resizes the window so that the viewport is `width` CSS pixels wide, and waits until
    /// the page has that width. Unlike [`Browser::screenshot`]'s emulation, this lasts.
    pub async fn resize(&self, width: u32, height: u32) {
        let resize = self.client.set_window_size(width, height);
        must(
            within(WAIT_TIMEOUT, &format!("resize to {width}x{height}"), resize).await,
            &format!("resize to {width}x{height}"),
        );
        self.wait_for(
            &format!("innerWidth === {width}"),
            &format!("a {width}px wide viewport"),
        )
        .await;
    }

    /// Reloads the page and waits until the new document has loaded.
    pub async fn reload(&self) {
        self.js("window.__lecternOldPage = true; return null;")
            .await;
        must(
            within(WAIT_TIMEOUT, "reload", self.client.refresh()).await,
            "reload",
        );
        self.wait_for(
            "!window.__lecternOldPage && document.readyState === 'complete'",
            "the reloaded page",
        )
        .await;
    }
}
