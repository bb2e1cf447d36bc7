//! The command line, as clap derive types. This file imports nothing from the
//! crate, so that a build script could include it for completions or a man page.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Bilingual annual work reports from TOML figures: every number computed exactly,
/// Chinese and English in step, as Markdown and one HTML page.
#[derive(Debug, Parser)]
#[command(name = "nianbao", version, about, long_about = None)]
#[command(
    after_help = "Examples:\n  nianbao build                 build the latest year of the project here\n  nianbao build --all           build every year\n  nianbao check                 list every problem in the data and templates\n  nianbao diff 2006 2007        what changed between two years\n\nExit status: 0 success, 1 errors in the data or templates, 2 usage or I/O errors."
)]
pub struct Cli {
    /// The project folder (the one holding nianbao.toml).
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,

    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the report of one year (default: the latest) or of every year.
    #[command(
        after_help = "Examples:\n  nianbao build\n  nianbao build --year 2006\n  nianbao build --all --out /tmp/reports\n\nWrites output/<year>/report.zh.md, report.en.md, report.html, report.zh.docx, report.en.docx, metrics.json, metrics.csv, metrics.xlsx and the trend charts (chart-<metric>.<lang>.svg)."
    )]
    Build(BuildArgs),

    /// Validate the data and templates and print every diagnostic; write nothing.
    #[command(
        after_help = "Examples:\n  nianbao check\n  nianbao check --year 2006 --strict\n\nExit status 1 when there is an error (or, with --strict, a warning)."
    )]
    Check(CheckArgs),

    /// Compare two years: metrics, targets, figures and narrative.
    #[command(
        after_help = "Examples:\n  nianbao diff 2006 2007\n  nianbao diff 2006 2007 --format md --lang zh\n  nianbao diff 2006 2007 --format html --out diff.html"
    )]
    Diff(DiffArgs),

    /// Scaffold data/YEAR from the year before.
    #[command(name = "new-year", after_help = "Example:\n  nianbao new-year 2007")]
    NewYear(NewYearArgs),

    /// Live preview: build, serve on 127.0.0.1 and rebuild on every save.
    #[command(after_help = "Example:\n  nianbao serve --port 8000 --open")]
    Serve(ServeArgs),

    /// Create a new project from the built-in templates.
    #[command(after_help = "Example:\n  nianbao init my-report")]
    Init(InitArgs),

    /// Fill a year's figures from a spreadsheet (.xlsx, .xls, .ods, .csv).
    #[command(
        after_help = "Examples:\n  nianbao import data/forms-2006.xlsx --year 2006 --dry-run\n  nianbao import forms-2007.xlsx --year 2007\n  nianbao import figures.csv --year 2007 --start 2006-10-01 --end 2007-09-30\n  nianbao import --init forms-2006.xlsx\n\ndata/import.toml says where each figure is (a cell, or a row label and a column\nheader); without it, a sheet of figure paths (column A) and values (column B)\nimports as it is. Only the values named change in data/YEAR/figures.toml; the\nyear is then checked. Nothing is written when the spreadsheet has an error."
    )]
    Import(ImportArgs),

    /// Print the context that templates and narrative texts see.
    #[command(after_help = "Example:\n  nianbao vars --year 2006 --lang en")]
    Vars(VarsArgs),

    /// List the built-in templates, or copy one into the project to edit it.
    #[command(
        subcommand,
        after_help = "Examples:\n  nianbao templates list\n  nianbao templates eject partials/plan.md"
    )]
    Templates(TemplatesCommand),

    /// Print a shell completion script.
    #[command(after_help = "Example:\n  nianbao completions bash > /etc/bash_completion.d/nianbao")]
    Completions(CompletionsArgs),
}

/// `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The year to build (default: the latest year in data/).
    #[arg(long, value_name = "YEAR", conflicts_with = "all")]
    pub year: Option<String>,

    /// Build every year.
    #[arg(long)]
    pub all: bool,

    /// Where to write (default: ROOT/output); each year goes to a subfolder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check only this year (default: every year).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<String>,

    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DiffFormat {
    /// For a terminal (coloured when it is one).
    Text,
    /// Markdown, to paste into a report or a pull request.
    Md,
    /// A self-contained HTML page.
    Html,
    /// JSON for other tools.
    Json,
}

/// Languages.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    /// Chinese.
    Zh,
    /// English.
    En,
}

/// `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier year.
    pub from: String,
    /// The later year.
    pub to: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Language of labels and narrative.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `new-year`.
#[derive(Debug, Args)]
pub struct NewYearArgs {
    /// The year to create.
    pub year: String,
}

/// `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Open the browser.
    #[arg(long)]
    pub open: bool,
}

/// `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The spreadsheet: .xlsx, .xlsm, .xlsb, .xls, .ods or .csv.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The year whose data/YEAR/figures.toml is filled (created when absent).
    #[arg(long, value_name = "YEAR", required_unless_present = "init")]
    pub year: Option<String>,

    /// Show what would change, and check it, without writing anything.
    #[arg(long)]
    pub dry_run: bool,

    /// Write a starting data/import.toml from the sheet's row labels instead of importing.
    #[arg(long, conflicts_with_all = ["year", "dry_run", "start", "end"])]
    pub init: bool,

    /// The sheet: the one to read without a mapping or with --init, else the
    /// mapping's default sheet (default: the first sheet).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// The mapping to use, or to write with --init (default: ROOT/data/import.toml).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,

    /// First day of the period, for a new figures.toml (default: [period] of the
    /// mapping, else the calendar year).
    #[arg(long, value_name = "DATE", requires = "end")]
    pub start: Option<String>,

    /// Last day of the period, for a new figures.toml.
    #[arg(long, value_name = "DATE", requires = "start")]
    pub end: Option<String>,
}

/// `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create.
    pub dir: PathBuf,
}

/// `vars`.
#[derive(Debug, Args)]
pub struct VarsArgs {
    /// The year (default: the latest).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<String>,
    /// The language.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
}

/// `templates`.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// List the built-in templates.
    List,
    /// Copy a built-in template into templates/ for editing.
    Eject {
        /// The template's name, as `templates list` shows it.
        name: String,
    },
}

/// `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
