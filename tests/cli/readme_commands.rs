//! Every command the README shows runs here, in the order and folder the README shows
//! it, and prints what the README says it prints: the README cannot drift from lectern.
//!
//! A ```` ```console ```` block is a session. Each `$ ` line is a command (a word starting
//! with `#` starts a comment, as in a shell); the lines after it, up to the next `$ `,
//! are what it prints, its standard output and error as a terminal shows them. snapbox
//! compares the two: `...` alone on a line stands for any lines, `[..]` for any text
//! within a line, and a time (`46 ms`, `1.5 s`) matches any time. Each block runs in an
//! empty folder of its own, and every command must succeed; `cd` moves within the
//! folder. The input files a command names (`article.txt`, `fixes.toml`, `issue.json`:
//! see [`input_file`]) are written into the folder it runs in just before the first
//! command that names them.
//!
//! A command anywhere else (a line of a ```` ```sh ```` block, or a `$ ` or `lectern `
//! line in a block of another kind) fails the test unless [`EXEMPT`] lists it with the
//! reason it cannot run here; an exemption the README no longer needs fails it too. So
//! the README cannot grow a command that nothing runs.
//!
//! The commands its prose names in inline code (`lectern build --base-url <the Pages
//! URL>`) are not run, but each must be one lectern's command line takes: a renamed
//! flag or subcommand there fails too.
//!
//! (The README's example error is proved by `errors::`, its template variables by
//! `readme::`.)

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::new_site::{damaged, HOPPER};

/// Commands the README shows that no test runs, each with the reason.
const EXEMPT: &[(&str, &str)] = &[
    (
        "cargo run --release -- build",
        "compiles lectern with optimisations, minutes of work; the `lectern build` it runs is run below",
    ),
    ("cargo test", "runs this test, and every other"),
    (
        "cargo install cargo-fuzz",
        "installs a tool into the user's cargo folder",
    ),
    ("cd fuzz", "only for the fuzzing commands after it"),
    (
        "RUSTC_BOOTSTRAP=1 cargo fuzz run -O import corpus/import -- -max_total_time=600 -timeout=10",
        FUZZING,
    ),
    (
        "RUSTC_BOOTSTRAP=1 cargo fuzz run -O front_matter corpus/front_matter -- -max_total_time=600 -timeout=10",
        FUZZING,
    ),
    (
        "RUSTC_BOOTSTRAP=1 cargo fuzz run -O markdown corpus/markdown -- -max_total_time=600 -timeout=10",
        FUZZING,
    ),
    (
        "RUSTC_BOOTSTRAP=1 cargo fuzz cmin -O <target> corpus/<target>",
        FUZZING,
    ),
];

const FUZZING: &str =
    "needs cargo-fuzz and a sanitizer build of the fuzz crate, and runs for ten minutes a target";

/// The contents of an input file a README command names.
fn input_file(name: &str) -> Option<Vec<u8>> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    match name {
        // A short tribute article, damaged as the memorial's was (UTF-8 read as GBK
        // and back), in GB18030: the import repairs it.
        "article.txt" => Some(encoding_rs::GB18030.encode(&damaged(HOPPER)).0.into_owned()),
        "fixes.toml" => Some(
            b"# Corrections the importer cannot infer (docs/import.md).\nblog_title = \"\xe5\x8e\x9f\xe6\x96\x87\"\n".to_vec(),
        ),
        // An issue opened with the tribute form, as GitHub sends it.
        "issue.json" => Some(std::fs::read(repo.join("tests/data/issues/zh.json")).unwrap()),
        _ => None,
    }
}

/// A fenced block of the README.
struct Block {
    /// The line of its opening fence (1-based).
    line: usize,
    /// Its info string (`console`, `sh`, `toml`, …).
    info: String,
    /// Its lines, with their line numbers.
    lines: Vec<(usize, String)>,
}

fn readme_blocks() -> Vec<Block> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in readme.lines().enumerate() {
        let fence = line.trim_start().starts_with("```");
        match (&mut open, fence) {
            (None, true) => {
                open = Some(Block {
                    line: i + 1,
                    info: line.trim_start()[3..].trim().to_string(),
                    lines: Vec::new(),
                })
            }
            (Some(_), true) => blocks.push(open.take().unwrap()),
            (Some(block), false) => block.lines.push((i + 1, line.to_string())),
            (None, false) => {}
        }
    }
    assert!(open.is_none(), "README.md ends inside a code block");
    blocks
}

/// A command line split into words as a shell would (quotes, `#` comments), and the
/// line's text without its comment, spaces collapsed, to name it.
fn words(line: &str) -> (Vec<String>, String) {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    let mut end = line.len();
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, '#') if word.is_none() => {
                end = at;
                break;
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    assert!(quote.is_none(), "an unclosed quote in `{line}`");
    words.extend(word);
    let shown = line[..end].split_whitespace().collect::<Vec<_>>().join(" ");
    (words, shown)
}

fn exempt(shown: &str) -> bool {
    EXEMPT.iter().any(|(command, _)| *command == shown)
}

/// A time as lectern prints it (`46 ms`, `1.5 s`), which differs on every run.
fn without_times(text: &str) -> String {
    let time = regex::Regex::new(r"\b\d+(\.\d+)? m?s\b").unwrap();
    time.replace_all(text, "[TIME]").into_owned()
}

/// Runs `lectern ARGS` in `dir`: whether it succeeded, and its standard output and
/// error through one pipe, interleaved as a terminal shows them.
fn run(dir: &Path, args: &[String]) -> (bool, String) {
    let (mut reader, writer) = std::io::pipe().unwrap();
    let mut command = lectern(dir, args, writer);
    let mut child = command.spawn().expect("run lectern");
    // The command holds the pipe's writing end: without dropping it the read never ends.
    drop(command);
    let mut output = String::new();
    reader.read_to_string(&mut output).unwrap();
    (child.wait().unwrap().success(), output)
}

fn lectern(dir: &Path, args: &[String], out: std::io::PipeWriter) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lectern"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("LECTERN_TIMINGS")
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(out);
    command
}

/// `lectern serve`, which runs until stopped: started on any free port (`-p 0`, so
/// that it never takes a port another program uses) and stopped once it says where it
/// serves. Its output up to then.
fn run_serve(dir: &Path, args: &[String]) -> String {
    let (reader, writer) = std::io::pipe().unwrap();
    let mut args = args.to_vec();
    args.extend(["-p".to_string(), "0".to_string()]);
    let mut command = lectern(dir, &args, writer);
    let mut child = command.spawn().expect("run lectern serve");
    drop(command);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(reader).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut output = String::new();
    let result = loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => {
                output.push_str(&line);
                output.push('\n');
                if line.starts_with("serving the site at ") {
                    break Ok(output);
                }
            }
            Err(_) => break Err(output),
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    result.unwrap_or_else(|output| panic!("lectern serve never said where it serves:\n{output}"))
}

/// One console block run as a session in a folder of its own; the first problem found.
fn run_session(block: &Block) -> Result<(), String> {
    let root = tempfile::tempdir().unwrap();
    let mut cwd: PathBuf = root.path().to_path_buf();
    // Each `$ ` line with the output lines after it.
    let mut commands: Vec<(usize, &str, Vec<&str>)> = Vec::new();
    for (number, line) in &block.lines {
        if let Some(command) = line.strip_prefix("$ ") {
            commands.push((*number, command, Vec::new()));
        } else if let Some((_, _, output)) = commands.last_mut() {
            output.push(line);
        } else {
            return Err(format!(
                "README.md:{number}: a console block starts with `$ ` and a command"
            ));
        }
    }
    for (number, line, expected) in commands {
        let (words, shown) = words(line);
        let at = format!("README.md:{number}: `{shown}`");
        let mut expected = expected.join("\n");
        if !expected.is_empty() {
            expected.push('\n');
        }
        let actual = match words.first().map(String::as_str) {
            _ if exempt(&shown) => continue,
            Some("cd") => {
                let [_, dir] = &words[..] else {
                    return Err(format!("{at}: cd takes one folder"));
                };
                cwd = cwd.join(dir);
                if !cwd.is_dir() || !cwd.starts_with(root.path()) {
                    return Err(format!("{at}: no such folder in the session"));
                }
                String::new()
            }
            Some("lectern") => {
                for name in &words[1..] {
                    if let Some(bytes) = input_file(name) {
                        if !cwd.join(name).exists() {
                            std::fs::write(cwd.join(name), bytes).unwrap();
                        }
                    }
                }
                if words[1..] == ["serve"] {
                    // Any port, where the README shows the first of its range.
                    expected = expected.replace("http://127.0.0.1:1111/", "http://127.0.0.1:[..]/");
                    run_serve(&cwd, &words[1..])
                } else {
                    let (success, output) = run(&cwd, &words[1..]);
                    if !success {
                        return Err(format!("{at} failed:\n{output}"));
                    }
                    output
                }
            }
            _ => {
                return Err(format!(
                    "{at} is not run by tests/cli/readme_commands.rs: run it there, or list it in EXEMPT with the reason it cannot run"
                ))
            }
        };
        snapbox::Assert::new()
            .try_eq(
                Some(&format!("what {at} prints")),
                without_times(&actual).into(),
                without_times(&expected).into(),
            )
            .map_err(|e| {
                format!("{at} prints otherwise than the README shows:\n{e}\nIt printed:\n{actual}")
            })?;
    }
    Ok(())
}

/// The first word of a line in a block that is not a console session, when it is a
/// command: a shell block's every line, another block's `$ ` and `lectern ` lines.
fn stray_command(info: &str, line: &str) -> Option<String> {
    let line = line.trim();
    let shell = matches!(info, "sh" | "bash" | "shell" | "zsh" | "shell-session");
    if line.is_empty() || (shell && line.starts_with('#')) {
        return None;
    }
    if shell || line.starts_with("$ ") || line.starts_with("lectern ") {
        Some(words(line.trim_start_matches("$ ")).1)
    } else {
        None
    }
}

#[test]
fn every_command_the_readme_shows_runs_and_prints_what_it_shows() {
    let blocks = readme_blocks();
    let sessions: Vec<&Block> = blocks.iter().filter(|b| b.info == "console").collect();
    assert!(
        sessions.len() >= 2,
        "the README's console blocks: Using lectern, Starting the next memorial"
    );
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for block in &blocks {
        if block.info == "console" {
            for (_, line) in &block.lines {
                if let Some(command) = line.strip_prefix("$ ") {
                    seen.push(words(command).1);
                }
            }
            continue;
        }
        for (number, line) in &block.lines {
            if let Some(command) = stray_command(&block.info, line) {
                if !exempt(&command) {
                    problems.push(format!(
                        "README.md:{number}: `{command}` (in the ```{} block at line {}) is not run by any test: show it in a ```console block with its output, or list it in EXEMPT in tests/cli/readme_commands.rs with the reason it cannot run",
                        block.info, block.line
                    ));
                }
                seen.push(command);
            }
        }
    }
    for (command, _) in EXEMPT {
        if !seen.iter().any(|s| s == command) {
            problems.push(format!(
                "EXEMPT lists `{command}`, which the README no longer shows"
            ));
        }
    }
    // The sessions are independent: run them side by side.
    let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = sessions
            .iter()
            .map(|block| scope.spawn(|| run_session(block)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    problems.extend(results.into_iter().filter_map(Result::err));
    assert!(problems.is_empty(), "\n{}", problems.join("\n\n"));
}

#[test]
fn a_command_line_splits_into_words_as_a_shell_splits_it() {
    let (split, shown) = words(r#"lectern new-tribute "Jane Doe"  # jane-doe.md, to fill in"#);
    assert_eq!(split, ["lectern", "new-tribute", "Jane Doe"]);
    assert_eq!(shown, r#"lectern new-tribute "Jane Doe""#);
    let (split, _) = words("lectern build -u https://x.org/a#b");
    assert_eq!(split, ["lectern", "build", "-u", "https://x.org/a#b"]);
}

/// The `lectern …` commands the README names in its prose (inline code), each from its
/// `lectern` word on: `<placeholders>` become one word, `[optional]` brackets go.
fn prose_commands() -> Vec<(usize, String)> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let mut commands = Vec::new();
    let mut in_block = false;
    // Each paragraph at once, so that a code span may wrap onto the next line.
    let mut paragraph: Vec<(usize, &str)> = Vec::new();
    let placeholder = regex::Regex::new(r"<[^<>]*>").unwrap();
    let mut flush = |paragraph: &mut Vec<(usize, &str)>| {
        let text: String = paragraph
            .iter()
            .map(|(_, l)| *l)
            .collect::<Vec<_>>()
            .join(" ");
        let first = paragraph.first().map_or(0, |(n, _)| *n);
        for span in text.split('`').skip(1).step_by(2) {
            let span = span.rsplit("&& ").next().unwrap();
            let Some(at) = span
                .match_indices("lectern ")
                .map(|(at, _)| at)
                .find(|&at| at == 0 || span[..at].ends_with(' '))
            else {
                continue;
            };
            let command = placeholder.replace_all(&span[at..], "X");
            commands.push((first, command.replace(['[', ']'], "")));
        }
        paragraph.clear();
    };
    for (i, line) in readme.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            flush(&mut paragraph);
        } else if !in_block && line.trim().is_empty() {
            flush(&mut paragraph);
        } else if !in_block {
            paragraph.push((i + 1, line));
        }
    }
    flush(&mut paragraph);
    commands
}

#[test]
fn every_command_the_readme_names_in_its_prose_is_one_lectern_takes() {
    use clap::Parser;
    let commands = prose_commands();
    assert!(commands.len() >= 20, "{commands:?}");
    let mut problems = Vec::new();
    for (line, command) in &commands {
        let (words, _) = words(command);
        let Err(error) = lectern::cli::Cli::try_parse_from(&words) else {
            continue;
        };
        // A subcommand named without what it needs (`lectern import`, `lectern
        // new-tribute --from-issue`) names the command; anything else is not one.
        let naming = match error.kind() {
            clap::error::ErrorKind::MissingRequiredArgument => true,
            clap::error::ErrorKind::InvalidValue => {
                words.last().is_some_and(|w| w.starts_with('-'))
            }
            _ => false,
        };
        if !naming {
            problems.push(format!(
                "README.md:{line} (its paragraph): `{command}`: {error}"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
