//! Runs html-validate (its `recommended` rules) over a built site folder: a second,
//! stricter reading of the HTML than the Nu checker's, with rules about forms,
//! accessibility and telephone links.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::harness::{must, within, Tools};

/// How long one run over a small site may take (about 3 s on 2 cores).
const TIMEOUT: Duration = Duration::from_secs(120);

/// Fails listing every problem html-validate finds in the HTML files under `dir`.
pub async fn assert_no_errors(tools: &Tools, dir: &Path) {
    let files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().display().to_string())
        .collect();
    assert!(!files.is_empty(), "no HTML files under {}", dir.display());
    let config = dir.join("..").join("html-validate.json");
    must(
        std::fs::write(&config, r#"{"extends": ["html-validate:recommended"]}"#),
        "write html-validate's configuration",
    );
    let run = tokio::process::Command::new(&tools.node)
        .arg(&tools.html_validate)
        .arg("--config")
        .arg(&config)
        .args(&files)
        .stdin(Stdio::null())
        .output();
    let output = must(
        within(TIMEOUT, "html-validate", run).await,
        "run html-validate",
    );
    assert!(
        output.status.success(),
        "html-validate found problems in {} files:\n{}{}",
        files.len(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
