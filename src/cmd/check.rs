//! `nianbao check`: every diagnostic of the project, then a summary line.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::CheckArgs;
use crate::diag;
use crate::pipeline::{self, Years};

use super::{failure, print_diagnostics, usage_error};

/// Runs `check`.
pub fn run(root: &Path, args: &CheckArgs, quiet: bool) -> ExitCode {
    let years = match args.year.as_deref() {
        Some(y) => match pipeline::parse_year(y) {
            Ok(y) => Years::One(y),
            Err(e) => return usage_error(e),
        },
        None => Years::All,
    };
    let run = match pipeline::run(root, &years, true) {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    print_diagnostics(&run.diags, &run.sources, quiet);
    let untranslated = run
        .diags
        .items
        .iter()
        .filter(|d| {
            d.message.contains("has no English text") || d.message.contains("has no Chinese text")
        })
        .count();
    let mut line = diag::summary_line(&run.diags, &run.sources);
    if untranslated > 0 {
        let texts = if untranslated == 1 { "text" } else { "texts" };
        line.push_str(&format!(
            " ({untranslated} untranslated {texts} shown in the other language)"
        ));
    }
    let failed = run.diags.has_errors() || (args.strict && run.diags.warnings() > 0);
    if failed {
        if !run.diags.has_errors() {
            line.push_str("; --strict counts warnings as errors");
        }
        eprintln!("{line}");
        failure(&run.diags)
    } else {
        if !quiet {
            let years: Vec<String> = run.selected.iter().map(i32::to_string).collect();
            eprintln!("{line}; checked {}", years.join(", "));
        }
        ExitCode::SUCCESS
    }
}
