//! `nianbao check`: every diagnostic of the project, then a summary line.

use std::path::Path;

use crate::cli::CheckArgs;
use crate::diag;
use crate::pipeline::{self, Depth, Years};

use super::{CmdError, print_diagnostics};

/// Runs `check`.
pub fn run(root: &Path, args: &CheckArgs, quiet: bool) -> Result<(), CmdError> {
    let years = match args.year.as_deref() {
        Some(y) => Years::One(pipeline::parse_year(y).map_err(CmdError::usage)?),
        None => Years::All,
    };
    let mut run = pipeline::run(root, &years, Depth::Render).map_err(CmdError::usage)?;
    // The diff page is no year's output: its template is checked on its own.
    if let Some(renderer) = &run.renderer {
        let found = crate::diff::check_page(renderer, &run.sources);
        run.diags.extend_items(found);
    }
    // Under --strict a warning fails the check: `-q` must not hide what failed it.
    print_diagnostics(&run.diags, &run.sources, quiet && !args.strict);
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
        say!("{line}");
        Err(CmdError::reported(&run.diags))
    } else {
        if !quiet {
            let years: Vec<String> = run.selected.iter().map(i32::to_string).collect();
            say!("{line}; checked {}", years.join(", "));
        }
        Ok(())
    }
}
