//! `nianbao build`: run the pipeline and write each year's five files.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::BuildArgs;
use crate::pipeline;
use crate::render::data;
use crate::write::{self, OutputFile};

use super::{failure, print_diagnostics, usage_error, years_from};

/// Runs `build`.
pub fn run(root: &Path, args: &BuildArgs, quiet: bool) -> ExitCode {
    let years = match years_from(args.year.as_deref(), args.all) {
        Ok(y) => y,
        Err(e) => return usage_error(e),
    };
    let run = match pipeline::run(root, &years, true) {
        Ok(r) => r,
        Err(e) => return usage_error(e),
    };
    print_diagnostics(&run.diags, &run.sources, quiet);
    let Some(project) = &run.project else {
        return failure(&run.diags);
    };
    if run.diags.has_errors() || run.rendered.len() != run.selected.len() {
        eprintln!(
            "error: build failed with {}; nothing was written",
            crate::diag::summary_line(&run.diags, &run.sources)
        );
        return failure(&run.diags);
    }
    let out_dir = args.out.clone().unwrap_or_else(|| root.join("output"));
    let mut files = Vec::new();
    for (year, rendered) in &run.rendered {
        let (Some(data), Some(values)) = (project.years.get(year), run.values.get(year)) else {
            continue;
        };
        let dir = out_dir.join(year.to_string());
        let mut add = |name: &str, bytes: Vec<u8>| {
            files.push(OutputFile {
                path: dir.join(name),
                bytes,
            })
        };
        add("report.zh.md", rendered.markdown_zh.clone().into_bytes());
        add("report.en.md", rendered.markdown_en.clone().into_bytes());
        add("report.html", rendered.html.clone().into_bytes());
        add(
            "metrics.json",
            data::to_json_text(&data::metrics_json(project, data, values)).into_bytes(),
        );
        add(
            "metrics.csv",
            data::metrics_csv(project, data, values).into_bytes(),
        );
        for (name, bytes) in &rendered.extra_files {
            add(name, bytes.clone());
        }
    }
    if let Err(e) = write::write_all(&files) {
        return usage_error(format!("{e:#}"));
    }
    if !quiet {
        for year in run.rendered.keys() {
            eprintln!(
                "built {year} → {}",
                out_dir.join(year.to_string()).display()
            );
        }
    }
    ExitCode::SUCCESS
}
