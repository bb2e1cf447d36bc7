//! `nianbao diff A B`: flag glue over [`crate::diff::produce`]. The years must exist
//! (exit 2 otherwise, naming those that do); whether or not they differ, the exit
//! status is 0.

use std::io::IsTerminal;
use std::path::Path;

use crate::cli::{DiffArgs, DiffFormat};
use crate::diff::{self, Failure, Format};
use crate::pipeline;

use super::{CmdError, lang_of, print_diagnostics};

/// Runs `diff`.
pub fn run(root: &Path, args: &DiffArgs, quiet: bool) -> Result<(), CmdError> {
    let from = pipeline::parse_year(&args.from).map_err(CmdError::usage)?;
    let to = pipeline::parse_year(&args.to).map_err(CmdError::usage)?;
    let format = match args.format {
        DiffFormat::Text => Format::Text,
        DiffFormat::Md => Format::Markdown,
        DiffFormat::Html => Format::Html,
        DiffFormat::Json => Format::Json,
    };
    if let Some(out) = &args.out {
        super::refuse_output_over_inputs(root, out, "--out")?;
    }
    let to_terminal = args.out.is_none() && std::io::stdout().is_terminal();
    let colour = to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let output = match diff::produce(root, from, to, format, lang_of(args.lang), colour) {
        Ok(text) => text,
        Err(Failure::Usage(e)) => return Err(CmdError::usage(e)),
        Err(Failure::Data(failed)) => {
            let (diags, sources) = *failed;
            print_diagnostics(&diags, &sources, quiet);
            return Err(CmdError::reported(&diags));
        }
    };
    // Both are allowed (a diff read backwards is still a diff), but a user who
    // swapped the two would read every change with its sign turned round.
    if !quiet && from > to {
        say!(
            "note: {from} is after {to}: the changes read from {from} back to {to} (`nianbao diff {to} {from}` shows {from}'s changes)"
        );
    }
    match &args.out {
        Some(path) => {
            crate::write::write_atomic(path, output.as_bytes())
                .map_err(|e| CmdError::io(format!("{e:#}")))?;
            if !quiet {
                say!("wrote {}", path.display());
            }
        }
        None => super::write_stdout(output.as_bytes())?,
    }
    Ok(())
}
