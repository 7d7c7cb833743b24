//! The command line (clap only): what each subcommand takes, and nothing else.
//! clap's types stop here; the rest of lectern sees [`crate::config::BuildOptions`].

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// lectern: a static site generator for memorial and long-form reading pages.
#[derive(Debug, Parser)]
#[command(name = "lectern", version, about)]
pub struct Cli {
    /// The site's folder (the one holding site.toml); the paths given to `import` and
    /// `new` are relative to it.
    #[arg(short = 'r', long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        /// Where to write the site.
        #[arg(short = 'o', long)]
        output_dir: Option<PathBuf>,
        /// Replace base_url from site.toml, e.g. https://user.github.io/repo/.
        #[arg(short = 'u', long)]
        base_url: Option<String>,
        /// Build pages marked `draft = true` too.
        #[arg(long)]
        drafts: bool,
    },
    /// Preview the site: build, serve on loopback, rebuild and reload on every change.
    Serve {
        /// The address to listen on.
        #[arg(short = 'i', long, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// The port (default: the first free one of 1111–1120; 0 picks any free port).
        #[arg(short = 'p', long)]
        port: Option<u16>,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Build pages marked `draft = true` too.
        #[arg(long)]
        drafts: bool,
    },
    /// Turn a damaged plain-text article into Markdown content files.
    Import {
        /// The article (UTF-8, UTF-16, GB18030/GBK or Big5).
        article: PathBuf,
        /// Where to write the content files.
        #[arg(long, default_value = "content")]
        into: PathBuf,
        /// Hand corrections the importer cannot infer (TOML).
        #[arg(long)]
        fixes: Option<PathBuf>,
    },
    /// Check links, anchors, references and content without building.
    Check {
        /// Also list every external link with where it is written.
        #[arg(long)]
        external: bool,
        /// How to print problems: for a person, or as GitHub Actions annotations.
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
    },
    /// Add a tribute: write <name>.md in the site's tributes section (content/tributes/
    /// when it has none) to fill in, never overwriting a file, or write one from an
    /// issue opened with the tribute form (--from-issue).
    NewTribute {
        /// The author's name, as it should be shown.
        #[arg(required_unless_present = "from_issue")]
        name: Option<String>,
        /// The day it was written (YYYY-MM-DD; default today).
        #[arg(long, conflicts_with = "from_issue")]
        date: Option<String>,
        /// The issue as GitHub sends it to a workflow (the JSON of github.event.issue):
        /// its tribute form's fields become the file, text and all.
        #[arg(long, value_name = "ISSUE.json", conflicts_with = "name")]
        from_issue: Option<PathBuf>,
    },
    /// The built-in theme.
    Theme {
        /// What to do with it.
        #[command(subcommand)]
        action: ThemeAction,
    },
    /// Create a new site that builds as it is; with --article, a memorial configured
    /// from its article (language, script, editions, title, [article] table).
    New {
        /// The folder to create (must not exist, or be empty).
        dir: PathBuf,
        /// The article the site is for (UTF-8, UTF-16, GB18030/GBK or Big5; damaged
        /// text is read as `lectern import` reads it). A copy goes into sources/.
        #[arg(long)]
        article: Option<PathBuf>,
    },
}

/// What `lectern theme` does.
#[derive(Debug, Subcommand)]
pub enum ThemeAction {
    /// Copy the built-in templates and static files into the site's templates/ and
    /// static/, to start a theme from (files the site has are never overwritten).
    Export,
}

/// How `lectern check` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Each problem with its file, line and column, and the line itself.
    Human,
    /// Each problem as a GitHub Actions `::error` workflow command, which GitHub shows
    /// on the line of the pull request's file.
    Github,
}
