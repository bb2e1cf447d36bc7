//! `nianbao new-year Y`: scaffold `data/Y` from `data/Y-1` (see `scaffold.rs` for
//! what goes into each file). It never touches a year that exists: the folder is
//! created with `create_dir`, which fails when it is already there, and the files
//! are written only after all four were made.

use std::path::Path;

use crate::cli::NewYearArgs;
use crate::fs::ReadError;
use crate::load;
use crate::pipeline;
use crate::scaffold::{self, LastYear};

use super::{CmdError, require_project};

/// Runs `new-year`.
pub fn run(root: &Path, args: &NewYearArgs, quiet: bool) -> Result<(), CmdError> {
    let year = match pipeline::parse_year(&args.year) {
        // Year folders have four digits (`load::list_years`); a shorter one would
        // be created and then never read.
        Ok(y) if (1001..=9999).contains(&y) => y,
        Ok(_) => {
            return Err(CmdError::usage(format!(
                "`{}` is not a year: give a four-digit year such as 2007",
                args.year
            )));
        }
        Err(e) => return Err(CmdError::usage(e)),
    };
    require_project(root)?;
    let data = root.join("data");
    let dir = data.join(year.to_string());
    if dir.exists() {
        return Err(CmdError::usage(format!(
            "data/{year} already exists; new-year never touches an existing year (nothing was written)"
        )));
    }
    let prev = year - 1;
    let prev_dir = data.join(prev.to_string());
    let figures = match crate::fs::read_text(&prev_dir.join("figures.toml")) {
        Ok(t) => t,
        Err(e @ (ReadError::NotAFile(_) | ReadError::TooLarge(_))) => {
            return Err(CmdError::io(format!(
                "cannot read data/{prev}/figures.toml: {e}"
            )));
        }
        Err(_) => {
            let years: Vec<String> = load::list_years(root).iter().map(i32::to_string).collect();
            let have = if years.is_empty() {
                "there are no years in data/".to_string()
            } else {
                format!("the years are {}", years.join(", "))
            };
            return Err(CmdError::usage(format!(
                "new-year {year} starts from data/{prev}/figures.toml, which cannot be read; {have}"
            )));
        }
    };
    let plan_path = prev_dir.join("plan.toml");
    let plan = if plan_path.exists() {
        match crate::fs::read_text(&plan_path) {
            Ok(t) => Some(t),
            Err(e) => {
                return Err(CmdError::io(format!(
                    "cannot read data/{prev}/plan.toml: {e}"
                )));
            }
        }
    } else {
        None
    };
    let files = match scaffold::scaffold(
        year,
        &LastYear {
            year: prev,
            figures: figures.strip_prefix('\u{feff}').unwrap_or(&figures),
            plan: plan
                .as_deref()
                .map(|p| p.strip_prefix('\u{feff}').unwrap_or(p)),
        },
    ) {
        Ok(f) => f,
        Err(e) => return Err(CmdError::usage(e)),
    };
    if let Err(e) = std::fs::create_dir(&dir) {
        return Err(CmdError::io(format!("cannot create data/{year}: {e}")));
    }
    for f in &files {
        if let Err(e) = crate::write::write_atomic(&dir.join(f.name), f.text.as_bytes()) {
            // Leave no half-made year behind: remove what this run created.
            for g in &files {
                let _ = std::fs::remove_file(dir.join(g.name));
            }
            let _ = std::fs::remove_dir(&dir);
            return Err(CmdError::io(format!("{e:#}")));
        }
    }
    if !quiet {
        say!("created data/{year} from data/{prev}:");
        for f in &files {
            say!("  data/{year}/{}", f.name);
        }
        say!(
            "next: replace the {prev} placeholders in figures.toml, write the texts of summary.toml,\n      and run `nianbao check --year {year}` to see what is left"
        );
    }
    Ok(())
}
