//! Runs the Nu Html Checker (vnu.jar, the W3C validator) over a built site folder and
//! returns what it says, file by file.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::harness::{must, within, Tools};

/// How long one vnu run over a small site may take (about 4.5 s on 2 cores).
const VNU_TIMEOUT: Duration = Duration::from_secs(120);

/// One message from the checker.
#[derive(Debug, Clone)]
pub struct VnuMessage {
    /// `error`, `info` (with `warning` as its sub-type) or `non-document-error`.
    pub kind: String,
    pub sub_kind: String,
    /// The file, relative to the checked folder.
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
    pub extract: String,
}

impl VnuMessage {
    /// Errors fail a test; warnings and infos do not.
    pub fn is_error(&self) -> bool {
        self.kind == "error" || self.kind == "non-document-error"
    }
}

impl std::fmt::Display for VnuMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.sub_kind.is_empty() {
            &self.kind
        } else {
            &self.sub_kind
        };
        write!(
            f,
            "{}:{}:{}: {kind}: {} [{}]",
            self.file,
            self.line,
            self.column,
            self.message,
            self.extract.replace('\n', "⏎")
        )
    }
}

/// Checks every HTML file under `dir`. Fails if `dir` holds no HTML: vnu happily reports
/// nothing for a folder that does not exist.
pub async fn check_folder(tools: &Tools, dir: &Path) -> Vec<VnuMessage> {
    let html_files = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(html_files > 0, "no HTML files under {}", dir.display());
    let child = must(
        tokio::process::Command::new(&tools.java)
            .arg("-jar")
            .arg(&tools.vnu_jar)
            .args(["--format", "json", "--skip-non-html"])
            .arg(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn(),
        "start java -jar vnu.jar",
    );
    let output = must(
        within(VNU_TIMEOUT, "vnu.jar", child.wait_with_output()).await,
        "run vnu.jar",
    );
    // The JSON report goes to stderr; the exit code is 1 whenever there is an error.
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value = serde_json::from_str(&stderr)
        .unwrap_or_else(|e| panic!("vnu.jar printed no JSON report ({e}):\n{stderr}"));
    let messages = report["messages"]
        .as_array()
        .unwrap_or_else(|| panic!("vnu report without messages: {report}"));
    let text = |m: &Value, key: &str| m[key].as_str().unwrap_or_default().to_string();
    let prefix = format!("file:{}", dir.display());
    let found: Vec<VnuMessage> = messages
        .iter()
        .map(|m| VnuMessage {
            kind: text(m, "type"),
            sub_kind: text(m, "subType"),
            file: text(m, "url")
                .trim_start_matches(&prefix)
                .trim_start_matches('/')
                .to_string(),
            line: m["lastLine"].as_u64().unwrap_or(0),
            column: m["firstColumn"].as_u64().unwrap_or(0),
            message: text(m, "message"),
            extract: text(m, "extract"),
        })
        .collect();
    assert!(
        output.status.success() || found.iter().any(VnuMessage::is_error),
        "vnu.jar failed ({}) without reporting an error:\n{stderr}",
        output.status
    );
    found
}

/// Runs the checker over `dir` and fails the test on any error, listing them all.
pub async fn assert_no_errors(tools: &Tools, dir: &Path) {
    let messages = check_folder(tools, dir).await;
    let errors: Vec<String> = messages
        .iter()
        .filter(|m| m.is_error())
        .map(ToString::to_string)
        .collect();
    assert!(
        errors.is_empty(),
        "the Nu checker found {} error(s):\n{}\n(all messages: {})",
        errors.len(),
        errors.join("\n"),
        messages.len()
    );
}
