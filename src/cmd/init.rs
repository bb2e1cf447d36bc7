//! `nianbao init DIR`: a new project that builds at once.
//!
//! It holds one sample year of figures, summary and plan in both languages, a
//! small commented metric catalogue, and every built-in template copied into
//! `templates/` for editing (as mdBook's `init` copies its theme). The sample
//! files are compiled into the binary from `src/cmd/starter/`.

use std::path::{Path, PathBuf};

use crate::cli::InitArgs;
use crate::render::assets;
use crate::write;

use super::CmdError;

/// The sample year of a new project.
pub const SAMPLE_YEAR: i32 = 2025;

/// The files of a new project, except the templates: (path, text).
const STARTER: &[(&str, &str)] = &[
    ("nianbao.toml", include_str!("starter/nianbao.toml")),
    (".gitignore", include_str!("starter/gitignore")),
    ("data/metrics.toml", include_str!("starter/metrics.toml")),
    (
        "data/2025/figures.toml",
        include_str!("starter/figures.toml"),
    ),
    (
        "data/2025/targets.toml",
        include_str!("starter/targets.toml"),
    ),
    (
        "data/2025/summary.toml",
        include_str!("starter/summary.toml"),
    ),
    ("data/2025/plan.toml", include_str!("starter/plan.toml")),
];

/// Every file of a new project in `dir`: the starter files and the built-in templates.
pub fn project_files(dir: &Path) -> Vec<(PathBuf, &'static [u8])> {
    let starter = STARTER
        .iter()
        .map(|(name, text)| (PathBuf::from(name), *text));
    let templates = assets::TEMPLATES
        .iter()
        .map(|(name, text)| (Path::new("templates").join(name), *text));
    starter
        .chain(templates)
        .map(|(rel, text)| (dir.join(rel), text.as_bytes()))
        .collect()
}

/// Runs `init`.
pub fn run(root: &Path, args: &InitArgs, quiet: bool) -> Result<(), CmdError> {
    // `--root` is where the new folder goes, as every command takes it (found by
    // an audit: it was ignored). The default "." leaves the name as given.
    let joined;
    let dir = if root == Path::new(".") {
        &args.dir
    } else {
        joined = root.join(&args.dir);
        &joined
    };
    if dir.exists() {
        let empty = match std::fs::read_dir(dir) {
            Ok(mut entries) => entries.next().is_none(),
            Err(_) if dir.is_file() => {
                return Err(CmdError::usage(format!(
                    "{} is a file; give the name of a new folder",
                    dir.display()
                )));
            }
            Err(e) => return Err(CmdError::io(format!("cannot read {}: {e}", dir.display()))),
        };
        if !empty {
            return Err(CmdError::usage(format!(
                "{} exists and is not empty; nothing was written (give a new or empty folder)",
                dir.display()
            )));
        }
    }
    let files = project_files(dir);
    write::write_all(&files).map_err(|e| CmdError::io(format!("{e:#}")))?;
    if !quiet {
        say!(
            "created a nianbao project in {} ({} files: a {SAMPLE_YEAR} sample year and every built-in template)",
            dir.display(),
            files.len()
        );
        say!("next:");
        let shown = dir.display().to_string();
        let quoted = if shown.contains(' ') {
            format!("\"{shown}\"")
        } else {
            shown
        };
        say!("  cd {quoted}");
        say!("  nianbao build     # writes output/{SAMPLE_YEAR}/report.html and friends");
        say!("  nianbao serve     # live preview while you edit templates/ and data/");
    }
    Ok(())
}
