//! Small commands: `vars`, `templates`, `completions`.

use std::path::Path;

use crate::cli::{Cli, CompletionsArgs, TemplatesCommand, VarsArgs};
use crate::compute::YearValues;
use crate::pipeline::{self, Depth};
use crate::render::assets;
use crate::render::context::ReportContext;

use super::{CmdError, lang_of, print_diagnostics, require_project, years_from};

/// `nianbao vars`: the context a template sees, as JSON on stdout. When the
/// templates or a narrative text have errors, the context without the narrative
/// is still printed (that is when an author needs it most), and the status is 1.
pub fn vars(root: &Path, args: &VarsArgs, quiet: bool) -> Result<(), CmdError> {
    let years = years_from(args.year.as_deref(), false)?;
    let run = pipeline::run(root, &years, Depth::Render).map_err(CmdError::usage)?;
    print_diagnostics(&run.diags, &run.sources, quiet);
    let lang = lang_of(args.lang);
    let failed = || CmdError::reported(&run.diags);
    let Some(year) = run.selected.first().copied() else {
        return Err(failed());
    };
    if let Some(edition) = run.report(year).and_then(|r| r.rendered.edition(lang)) {
        return print_json(&edition.context);
    }
    // Rendering failed: the figures and metrics may still be fine.
    let (Some(project), Some(values)) = (&run.project, run.values(year)) else {
        return Err(failed());
    };
    let Some(data) = project.years.get(&year) else {
        return Err(failed());
    };
    let shown: Vec<&YearValues> = run
        .years
        .values()
        .filter_map(|s| s.values())
        .filter(|v| v.year <= year)
        .collect();
    let years = shown.iter().map(|v| v.year).collect();
    // As the report would: not a last year of another period length.
    let previous = shown.iter().copied().find(|v| {
        v.year == year - 1
            && project
                .years
                .get(&v.year)
                .is_some_and(|last| data.period_as_long_as(last))
    });
    let ctx = ReportContext::new(project, data, values, previous, years, Vec::new(), lang);
    say!(
        "note: the report does not render, so `summary` and `plan` (the rendered narrative) are left out below"
    );
    print_json(&ctx)?;
    Err(failed())
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CmdError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CmdError::usage(format!("internal: cannot print the context: {e}")))?;
    super::write_stdout(format!("{text}\n").as_bytes())
}

/// What each built-in template is for, as `templates list` shows it.
fn describe(name: &str) -> &'static str {
    match name {
        "base.md" => "skeleton of both Markdown editions: title line, banner, blocks",
        "report.md" => "the report: fills the blocks of base.md from the partials",
        "partials/indicators.md" => "the table of every metric",
        "partials/targets.md" => "this year's targets: met or not",
        "partials/charts.md" => "the trend charts, one image a metric (SVG beside the report)",
        "partials/summary.md" => "the year's work, section by section (一、 / 1.)",
        "partials/shortcomings.md" => "shortcomings paragraph",
        "partials/plan.md" => "next year's plan: principle, key items, targets",
        "report.html" => "the bilingual HTML page around the two editions",
        "style.css" => "the page's inline stylesheet (screen and A4 print)",
        "diff.html" => "the page of `nianbao diff --format html`: two years side by side",
        _ => "",
    }
}

/// `nianbao templates list|eject`.
pub fn templates(root: &Path, cmd: &TemplatesCommand) -> Result<(), CmdError> {
    match cmd {
        TemplatesCommand::List => {
            let width = assets::TEMPLATES
                .iter()
                .map(|(n, _)| n.len())
                .max()
                .unwrap_or(0);
            // A project's templates/NAME replaces the built-in one: say so, and
            // whether it still matches the built-in text (after init or eject).
            let mut listing = String::new();
            for (name, text) in assets::TEMPLATES {
                let own = crate::fs::read_regular(
                    &root.join("templates").join(name),
                    crate::fs::MAX_INPUT,
                )
                .ok();
                let note = match own {
                    None => "",
                    Some(bytes) if bytes == text.as_bytes() => "  (in templates/, unchanged)",
                    Some(_) => "  (in templates/, edited: replaces the built-in)",
                };
                listing.push_str(&format!("{name:width$}  {}{note}\n", describe(name)));
            }
            super::write_stdout(listing.as_bytes())
        }
        TemplatesCommand::Eject { name } => {
            let Some((_, text)) = assets::TEMPLATES.iter().find(|(n, _)| n == name) else {
                let names: Vec<&str> = assets::TEMPLATES.iter().map(|(n, _)| *n).collect();
                return Err(CmdError::usage(format!(
                    "there is no built-in template `{name}`; the templates are: {}",
                    names.join(", ")
                )));
            };
            require_project(root)?;
            let path = root.join("templates").join(name);
            if path.exists() {
                return Err(CmdError::usage(format!(
                    "{} exists already; nothing was changed",
                    path.display()
                )));
            }
            crate::write::write_atomic(&path, text.as_bytes())
                .map_err(|e| CmdError::io(format!("{e:#}")))?;
            say!("wrote {}", path.display());
            Ok(())
        }
    }
}

/// `nianbao completions SHELL`.
pub fn completions(args: &CompletionsArgs) -> Result<(), CmdError> {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    // Into memory first: clap_complete panics when its writer fails
    // (`> /dev/full`, a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "nianbao", &mut script);
    super::write_stdout(&script)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_built_in_template_is_described() {
        for (name, _) in crate::render::assets::TEMPLATES {
            assert!(
                !super::describe(name).is_empty(),
                "{name} has no description"
            );
        }
    }
}
