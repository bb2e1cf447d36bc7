//! Thin glue, one file per subcommand: read the flags, call the pipeline, print,
//! and choose the exit status. Only this module and `cli.rs` know about clap.

pub mod build;
pub mod check;
pub mod diff;
pub mod import;
pub mod init;
pub mod misc;
pub mod new_year;
pub mod serve;
pub mod watch;

use std::process::ExitCode;

use crate::diag::{self, Diagnostics, Sources};
use crate::pipeline::{self, Years};

/// Exit status 1: the data or templates have errors.
pub const DATA_ERROR: u8 = 1;
/// Exit status 2: usage or I/O errors.
pub const USAGE_ERROR: u8 = 2;

/// Prints a usage or I/O error and returns status 2.
pub fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(USAGE_ERROR)
}

/// The exit status of a run with errors: 2 when a file could not be read, else 1.
pub fn failure(diags: &Diagnostics) -> ExitCode {
    ExitCode::from(if diags.has_io_errors() {
        USAGE_ERROR
    } else {
        DATA_ERROR
    })
}

/// Resolves `--year` / `--all` into [`Years`], or a usage error message.
pub fn years_from(year: Option<&str>, all: bool) -> Result<Years, String> {
    match (year, all) {
        (_, true) => Ok(Years::All),
        (Some(y), false) => pipeline::parse_year(y).map(Years::One),
        (None, false) => Ok(Years::Latest),
    }
}

/// Prints diagnostics to stderr; warnings are left out when `quiet`.
pub fn print_diagnostics(diags: &Diagnostics, sources: &Sources, quiet: bool) {
    eprint!(
        "{}",
        diag::render_list(diags, sources, quiet, diag::use_colour())
    );
}
