//! Small commands: `vars`, `templates`, `completions`.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{Cli, CompletionsArgs, LangArg, TemplatesCommand, VarsArgs};
use crate::compute::YearValues;
use crate::load::Lang;
use crate::pipeline;
use crate::render::{assets, context};

use super::{DATA_ERROR, print_diagnostics, usage_error, years_from};

/// `nianbao vars`: the context a template sees, as JSON on stdout. When the
/// templates or a narrative text have errors, the context without the narrative
/// is still printed (that is when an author needs it most), and the status is 1.
pub fn vars(root: &Path, args: &VarsArgs, quiet: bool) -> ExitCode {
    let years = match years_from(args.year.as_deref(), false) {
        Ok(y) => y,
        Err(e) => return usage_error(e),
    };
    let run = match pipeline::run(root, &years, true) {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    print_diagnostics(&run.diags, &run.sources, quiet);
    let lang = match args.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    let Some(year) = run.selected.first().copied() else {
        return ExitCode::from(DATA_ERROR);
    };
    let full = run
        .rendered
        .get(&year)
        .and_then(|r| r.contexts.iter().find(|(l, _)| *l == lang));
    if let Some((_, ctx)) = full {
        print_json(ctx);
        return ExitCode::SUCCESS;
    }
    // Rendering failed: the figures and metrics may still be fine.
    let (Some(project), Some(values)) = (&run.project, run.values.get(&year)) else {
        return ExitCode::from(DATA_ERROR);
    };
    let Some(data) = project.years.get(&year) else {
        return ExitCode::from(DATA_ERROR);
    };
    let all: Vec<&YearValues> = run.values.values().collect();
    let ctx = context::base(project, data, values, &all, lang);
    eprintln!(
        "note: the report does not render, so `summary` and `plan` (the rendered narrative) are left out below"
    );
    print_json(&ctx);
    ExitCode::from(DATA_ERROR)
}

fn print_json(value: &serde_json::Value) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error: cannot print the context: {e}"),
    }
}

/// What each built-in template is for, as `templates list` shows it.
fn describe(name: &str) -> &'static str {
    match name {
        "base.md" => "skeleton of both Markdown editions: title line, banner, blocks",
        "report.md" => "the report: fills the blocks of base.md from the partials",
        "partials/indicators.md" => "the table of every metric",
        "partials/targets.md" => "this year's targets: met or not",
        "partials/summary.md" => "the year's work, section by section (一、 / 1.)",
        "partials/shortcomings.md" => "shortcomings paragraph",
        "partials/plan.md" => "next year's plan: principle, key items, targets",
        "report.html" => "the bilingual HTML page around the two editions",
        "style.css" => "the page's inline stylesheet (screen and A4 print)",
        _ => "",
    }
}

/// `nianbao templates list|eject`.
pub fn templates(root: &Path, cmd: &TemplatesCommand) -> ExitCode {
    match cmd {
        TemplatesCommand::List => {
            let width = assets::TEMPLATES
                .iter()
                .map(|(n, _)| n.len())
                .max()
                .unwrap_or(0);
            // A project's templates/NAME replaces the built-in one: say so, and
            // whether it still matches the built-in text (after init or eject).
            for (name, text) in assets::TEMPLATES {
                let own = std::fs::read(root.join("templates").join(name)).ok();
                let note = match own {
                    None => "",
                    Some(bytes) if bytes == text.as_bytes() => "  (in templates/, unchanged)",
                    Some(_) => "  (in templates/, edited: replaces the built-in)",
                };
                println!("{name:width$}  {}{note}", describe(name));
            }
            ExitCode::SUCCESS
        }
        TemplatesCommand::Eject { name } => {
            let Some((_, text)) = assets::TEMPLATES.iter().find(|(n, _)| n == name) else {
                let names: Vec<&str> = assets::TEMPLATES.iter().map(|(n, _)| *n).collect();
                return usage_error(format!(
                    "there is no built-in template `{name}`; the templates are: {}",
                    names.join(", ")
                ));
            };
            if !root.join("nianbao.toml").is_file() {
                return usage_error(format!(
                    "{} is not a nianbao project: it has no nianbao.toml",
                    root.display()
                ));
            }
            let path = root.join("templates").join(name);
            if path.exists() {
                return usage_error(format!(
                    "{} exists already; nothing was changed",
                    path.display()
                ));
            }
            match crate::write::write_atomic(&path, text.as_bytes()) {
                Ok(()) => {
                    eprintln!("wrote {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => usage_error(format!("{e:#}")),
            }
        }
    }
}

/// `nianbao completions SHELL`.
pub fn completions(args: &CompletionsArgs) -> ExitCode {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "nianbao", &mut std::io::stdout());
    ExitCode::SUCCESS
}
