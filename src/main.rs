//! The `lectern` binary: parses the command line and hands it to the library.

use std::process::ExitCode;

use clap::Parser;
use lectern::cli::{Cli, Command};
use lectern::config::{BuildOptions, Settings};

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
            let options = lectern::import::ImportOptions {
                source: article,
                fixes,
                into,
            };
            lectern::import::import_article(&options).map(|report| print!("{report}"))
        }
        Command::New { dir } => lectern::scaffold::new_site(&dir).map(|()| {
            println!(
                "created a new site in {}; build it with `cd {} && lectern build`",
                dir.display(),
                dir.display()
            )
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
