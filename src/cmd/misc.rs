//! Small commands: `vars`, `templates`, `completions`.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{Cli, CompletionsArgs, LangArg, TemplatesCommand, VarsArgs};
use crate::load::Lang;
use crate::pipeline;
use crate::render::assets;

use super::{DATA_ERROR, print_diagnostics, usage_error, years_from};

/// `nianbao vars`: the context a template sees, as JSON.
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
    let Some(rendered) = run.rendered.values().next() else {
        return ExitCode::from(DATA_ERROR);
    };
    let Some((_, ctx)) = rendered.contexts.iter().find(|(l, _)| *l == lang) else {
        return ExitCode::from(DATA_ERROR);
    };
    println!("{}", serde_json::to_string_pretty(ctx).unwrap_or_default());
    ExitCode::SUCCESS
}

/// `nianbao templates list|eject`.
pub fn templates(root: &Path, cmd: &TemplatesCommand) -> ExitCode {
    match cmd {
        TemplatesCommand::List => {
            for (name, _) in assets::TEMPLATES {
                let overridden = root.join("templates").join(name).is_file();
                println!(
                    "{name}{}",
                    if overridden {
                        "  (overridden by this project)"
                    } else {
                        ""
                    }
                );
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
