//! The `lectern` binary: parses the command line and hands it to the library.

use std::process::ExitCode;

use clap::Parser;
use lectern::cli::{CheckFormat, Cli, Command, ThemeAction};
use lectern::config::{BuildOptions, Settings};

/// jemalloc instead of the system allocator: a build allocates and frees millions of
/// small strings from both threads, and glibc's malloc took about a fifth of the CPU
/// time of a 10,000-page build (perf). `lectern::allocator` sets when it gives memory back.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Prints what `lectern check` found; any problem makes the command fail. With
/// `--format github` each problem is also a `::error` line on stdout, on the file and
/// line of the repository that `root` (the site's folder) is in.
fn print_check(
    report: &lectern::check::CheckReport,
    external: bool,
    format: CheckFormat,
    root: &std::path::Path,
) -> lectern::Result<()> {
    let github = format == CheckFormat::Github;
    for problem in &report.problems {
        eprintln!("{problem}\n");
        if github {
            print!("{}", lectern::check::github::error_line(problem, root));
        }
    }
    for note in &report.notes {
        eprintln!("note: {note}");
        if github {
            print!("{}", lectern::check::github::notice_line(note));
        }
    }
    if external {
        println!("external links ({}):", report.external_links.len());
        for (location, url) in &report.external_links {
            println!("  {}:{}  {url}", location.path.display(), location.line);
        }
    }
    let summary = format!(
        "checked {}: {}",
        lectern::error::count(report.documents, "document"),
        lectern::error::count(report.problems.len(), "problem")
    );
    if report.problems.is_empty() {
        println!("{summary}");
        Ok(())
    } else {
        Err(lectern::Diagnostic::in_file(std::path::Path::new("content"), summary).into())
    }
}

/// A path given on the command line, relative to the site's folder (`--root`): as it
/// is when absolute or when the site is the current folder, so that messages name it
/// as it was typed.
fn in_site(root: &std::path::Path, path: std::path::PathBuf) -> std::path::PathBuf {
    if path.is_absolute() || root == std::path::Path::new(".") {
        path
    } else {
        root.join(path)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            output_dir,
            base_url,
            drafts,
        } => {
            let options = BuildOptions {
                output_dir,
                base_url,
                drafts,
            };
            Settings::load(&cli.root, &options)
                .and_then(|settings| lectern::build::build(&settings))
                .map(|summary| println!("{summary}"))
        }
        Command::Serve {
            interface,
            port,
            open,
            drafts,
        } => {
            let options = lectern::serve::ServeOptions {
                interface,
                port,
                open,
                drafts,
            };
            lectern::serve::serve(&cli.root, &options)
        }
        Command::Import {
            article,
            into,
            fixes,
        } => {
            // Relative to the site's folder, as the paths in its site.toml are.
            let options = lectern::import::ImportOptions {
                source: in_site(&cli.root, article),
                fixes: fixes.map(|fixes| in_site(&cli.root, fixes)),
                into: in_site(&cli.root, into),
            };
            lectern::import::import_article(&options).map(|report| println!("{report}"))
        }
        Command::Check { external, format } => Settings::load(&cli.root, &BuildOptions::default())
            .and_then(|settings| lectern::check::check(&settings))
            .inspect_err(|error| {
                if format == CheckFormat::Github {
                    print!("{}", lectern::check::github::error_lines(error, &cli.root));
                }
            })
            .and_then(|report| print_check(&report, external, format, &cli.root)),
        Command::NewTribute {
            from_issue: Some(issue),
            ..
        } => lectern::scaffold::new_tribute_from_issue(&cli.root, &issue).map(|written| {
            for note in &written.notes {
                eprintln!("note: {note}");
            }
            println!(
                "created {} from issue #{}",
                written.path.display(),
                written.issue
            )
        }),
        Command::NewTribute { name, date, .. } => lectern::scaffold::new_tribute(
            &cli.root,
            name.as_deref().unwrap_or_default(),
            date.as_deref(),
        )
        .map(|path| {
            println!(
                "created {}; write the tribute there, then `lectern build`",
                path.display()
            )
        }),
        Command::Theme {
            action: ThemeAction::Export,
        } => lectern::scaffold::export_theme(&cli.root).map(|export| println!("{export}")),
        // Relative to `--root`, as `import`'s paths are: `lectern -r sites new my-site`
        // makes sites/my-site, as every other command run with `-r sites` works there.
        Command::New {
            dir,
            article: Some(article),
        } => {
            lectern::scaffold::new_memorial(&in_site(&cli.root, dir), &in_site(&cli.root, article))
                .map(|made| println!("{made}"))
        }
        Command::New { dir, article: None } => {
            let dir = in_site(&cli.root, dir);
            lectern::scaffold::new_site(&dir).map(|()| {
                println!(
                    "created a new site in {}; build it with `cd {} && lectern build`",
                    dir.display(),
                    dir.display()
                )
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
