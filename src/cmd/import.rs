//! `nianbao import FILE --year Y`: fill `data/Y/figures.toml` from a spreadsheet
//! (see `sheet/` for the reading, mapping and editing), then check the year as
//! `nianbao check --year Y` does. `--dry-run` shows the changes and checks a
//! temporary copy of the project with them; `--init` writes a starting mapping.
//!
//! What is written when: nothing, when the spreadsheet or the mapping has an error;
//! otherwise the figures, and then the check runs. A check that finds errors (a
//! count that does not add up) exits 1 and says so, but the figures stay written:
//! they are what the form says, and the check names what to correct in it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use unicode_width::UnicodeWidthStr;

use crate::cli::ImportArgs;
use crate::diag::{self, Diagnostic, Diagnostics, Sources};
use crate::load;
use crate::model::Figure;
use crate::pipeline::{self, Depth, Years};
use crate::sheet::apply::{self, Applied, NewFile, Status};
use crate::sheet::mapping::{self, Mapping};
use crate::sheet::{Known, read, resolve};

use super::{CmdError, DATA_ERROR, print_diagnostics};

mod starting;
use starting::init;

/// A usage error (exit 2), as the result of a command.
/// The spreadsheet's name as messages show it (with `/`), and its stem: the
/// sheet name a CSV file's one sheet goes by.
fn file_names(file: &Path) -> (String, String) {
    let display = file.display().to_string().replace('\\', "/");
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    (display, stem)
}

fn usage_error<T>(message: impl std::fmt::Display) -> Result<T, CmdError> {
    Err(CmdError::usage(message))
}

/// Runs `import`.
pub fn run(root: &Path, args: &ImportArgs, quiet: bool) -> Result<(), CmdError> {
    if !root.join("nianbao.toml").is_file() {
        return usage_error(format!(
            "{} is not a nianbao project: it has no nianbao.toml",
            root.display()
        ));
    }
    if args.init {
        return init(root, args, quiet);
    }
    let Some(year_text) = args.year.as_deref() else {
        return usage_error("give the year to fill: --year 2006");
    };
    let year = match pipeline::parse_year(year_text) {
        Ok(y) if (1001..=9999).contains(&y) => y,
        Ok(_) => {
            return usage_error(format!(
                "`{year_text}` is not a year: give a four-digit year such as 2006"
            ));
        }
        Err(e) => return usage_error(e),
    };
    let period_flags = match (args.start.as_deref(), args.end.as_deref()) {
        (Some(s), Some(e)) => match (date(s), date(e)) {
            (Ok(s), Ok(e)) if s <= e => Some((s, e)),
            (Ok(_), Ok(_)) => return usage_error("--start must not be after --end"),
            (Err(m), _) | (_, Err(m)) => return usage_error(m),
        },
        _ => None,
    };

    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    let mut mapping = read_mapping(root, args.mapping.as_deref(), &mut sources, &mut diags)?;
    // A mapping that is not TOML stops here; one with wrong entries goes on, so
    // that the problems of the spreadsheet are listed in the same run.
    if mapping.is_none() && diags.has_errors() {
        return refuse(&diags, &sources, quiet);
    }
    // The year's figures.toml first: when it is not TOML, the figures it names are
    // not known either, and every path would be an "unknown figure".
    let rel = format!("data/{year}/figures.toml");
    let figures_path = root.join(&rel);
    let existing = if figures_path.exists() {
        match std::fs::read_to_string(&figures_path) {
            Ok(t) => Some(t),
            Err(e) => return usage_error(format!("cannot read {rel}: {e}")),
        }
    } else {
        None
    };
    if existing.is_some() && period_flags.is_some() {
        diags.push(
            Diagnostic::warning(format!(
                "--start and --end are not used: {rel} exists, and its [period] stays as it is"
            ))
            .in_file(rel.clone())
            .help(format!("--start and --end give the [period] of a new figures.toml; to change the period of {year}, edit [period] in {rel}")),
        );
    }
    if let Some(text) = &existing {
        let text: Arc<str> = Arc::from(text.strip_prefix('\u{feff}').unwrap_or(text));
        let file = sources.add(&figures_path, rel.clone(), text.clone());
        let mut found = Diagnostics::default();
        if load::toml_read::Reader::new(file, &text, &mut found)
            .parse()
            .is_none()
        {
            for d in found.items {
                diags.push(d.help(format!(
                    "correct {rel} (nianbao check --year {year} lists its problems), then import again"
                )));
            }
            return refuse(&diags, &sources, quiet);
        }
    }
    if let (Some(m), Some(s)) = (mapping.as_mut(), &args.sheet) {
        m.sheet = Some(s.clone());
        m.sheet_loc = None;
    }
    let (display, stem) = file_names(&args.file);
    let csv_sheet = args
        .sheet
        .clone()
        .or_else(|| mapping.as_ref().and_then(|m| m.sheet.clone()))
        .unwrap_or(stem);
    let book = match read::read(&args.file, &display, &csv_sheet) {
        Ok(b) => b,
        Err(e) => return usage_error(e),
    };
    if let Some(note) = &book.note {
        diags.push(Diagnostic::warning(note.clone()).in_file(display.clone()));
    }
    let known = known_figures(root);
    let values = match &mapping {
        Some(m) => resolve::by_mapping(&book, m, &known, &mut diags),
        None => resolve::by_paths(&book, args.sheet.as_deref(), &known, &mut diags),
    };
    if values.is_empty() && !diags.has_errors() {
        diags.push(
            Diagnostic::error("no figure was found in the spreadsheet")
                .in_file(display.clone())
                .help(match &mapping {
                    Some(_) => "data/import.toml maps no figure".to_string(),
                    None => "without data/import.toml the sheet must hold figure paths in column A and values in column B; for a form, write a mapping (`nianbao import --init FILE`)".to_string(),
                }),
        );
    }
    if diags.has_errors() {
        return refuse(&diags, &sources, quiet);
    }

    let (period, period_from) = match (period_flags, mapping.as_ref().and_then(|m| m.period)) {
        (Some(p), _) => (p, "--start and --end"),
        (None, Some(rule)) => match rule.dates(year) {
            Some(p) => (p, "[period] of the mapping"),
            None => return usage_error(format!("[period] of the mapping gives no date in {year}")),
        },
        (None, None) => (
            calendar_year(year),
            "the calendar year: give --start and --end, or [period] in data/import.toml, for another",
        ),
    };
    let source_name = args
        .file
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| display.clone());
    let new_file = NewFile {
        year,
        period,
        source: &source_name,
    };
    let applied = match apply::apply(
        existing
            .as_deref()
            .map(|t| t.strip_prefix('\u{feff}').unwrap_or(t)),
        &values,
        &new_file,
    ) {
        Ok(a) => a,
        Err(conflicts) => {
            for c in conflicts {
                let message = if c.path.is_empty() {
                    c.why
                } else {
                    format!("cannot import `{}`: {}", c.path, c.why)
                };
                let help = if mapping.is_some() {
                    format!(
                        "correct {rel} (nianbao check --year {year}), or leave the figure out of the mapping"
                    )
                } else {
                    format!(
                        "correct {rel} (nianbao check --year {year}), or leave the figure's row out of the sheet"
                    )
                };
                diags.push(Diagnostic::error(message).in_file(rel.clone()).help(help));
            }
            return refuse(&diags, &sources, quiet);
        }
    };
    print_diagnostics(&diags, &sources, quiet);
    // `-q` prints only errors: the change list and its summary are not.
    if !quiet {
        print_changes(&rel, &display, &applied, existing.is_none(), args.dry_run);
    }
    if existing.is_none() && !quiet {
        say!(
            "{rel} is new: [period] {} to {} ({period_from})",
            period.0,
            period.1
        );
    }

    let checked = if args.dry_run {
        check_copy(root, year, &applied.text, quiet)
    } else {
        if let Some(dir) = figures_path.parent()
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            return usage_error(format!("cannot create data/{year}: {e}"));
        }
        if let Err(e) = crate::write::write_atomic(&figures_path, applied.text.as_bytes()) {
            return usage_error(format!("{e:#}"));
        }
        check_year(root, year, quiet)
    };
    let errors = match checked {
        Ok(n) => n,
        Err(e) => return usage_error(e),
    };
    let done = if args.dry_run {
        "dry run: nothing was written".to_string()
    } else {
        format!("imported into {rel}")
    };
    if errors > 0 {
        let errs = if errors == 1 { "error" } else { "errors" };
        say!(
            "{done}, but the check of {year} found {errors} {errs}{}",
            if args.dry_run {
                ""
            } else {
                "; the figures are written: correct the form (or figures.toml) and import again"
            }
        );
        Err(CmdError {
            status: DATA_ERROR,
            message: None,
        })
    } else {
        if !quiet {
            say!("{done}; the check of {year} found no errors");
        }
        Ok(())
    }
}

/// Prints the import's errors and says that nothing was written; status 1.
fn refuse(diags: &Diagnostics, sources: &Sources, quiet: bool) -> Result<(), CmdError> {
    print_diagnostics(diags, sources, quiet);
    let n = diags.errors();
    let errs = if n == 1 { "error" } else { "errors" };
    say!("import failed with {n} {errs}; nothing was written");
    Err(CmdError::reported(diags))
}

fn date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date: write it as 2005-10-01"))
}

fn calendar_year(year: i32) -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    (start, end)
}

/// Reads the mapping, when there is one. `Err` is the exit status of a mapping
/// named by `--mapping` that cannot be read; syntax and content errors are
/// diagnostics.
fn read_mapping(
    root: &Path,
    flag: Option<&Path>,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Option<Mapping>, CmdError> {
    let (path, display) = match flag {
        Some(p) => (p.to_path_buf(), p.display().to_string()),
        None => {
            let p = root.join("data").join("import.toml");
            if !p.exists() {
                return Ok(None);
            }
            (p, "data/import.toml".to_string())
        }
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => return usage_error(format!("cannot read {display}: {e}")),
    };
    let text: Arc<str> = Arc::from(text.strip_prefix('\u{feff}').unwrap_or(&text));
    let file = sources.add(&path, display, text.clone());
    Ok(mapping::parse(&text, file, diags))
}

/// The figure paths the project knows: every year's figures, and the figures and
/// summed tables of the catalogue's formulas, checks and breakdowns.
fn known_figures(root: &Path) -> Known {
    let Ok(loaded) = load::load(root, |_| load::Wanted::all(root)) else {
        return Known {
            any: true,
            ..Known::default()
        };
    };
    let Some(project) = loaded.project else {
        return Known {
            any: true,
            ..Known::default()
        };
    };
    let mut known = Known::default();
    let mut visit = |path: &[String], _: &std::ops::Range<usize>, table: bool| {
        let joined = path.join(".");
        if table {
            known.summed.insert(joined);
        } else if path.len() > 1 {
            known.figures.insert(joined);
        }
    };
    for m in project.catalogue.metrics.values() {
        if let Some(f) = &m.formula {
            f.walk_names(&mut visit);
        }
    }
    for c in &project.catalogue.checks {
        if let Some(r) = &c.rule {
            r.walk_names(&mut visit);
        }
    }
    let mut parts: BTreeSet<String> = BTreeSet::new();
    for m in project.catalogue.metrics.values() {
        parts.extend(m.parts.iter().map(|(p, _)| p.clone()));
    }
    known.figures.extend(parts);
    for data in project.years.values() {
        known.figures.extend(Figure::paths(&data.figures));
    }
    known
}

/// Prints the figures that change (to stdout: it is the result; a closed pipe,
/// as with `| head`, is not an error).
fn print_changes(rel: &str, source: &str, applied: &Applied, new: bool, dry_run: bool) {
    use std::io::Write;
    let (mut changed, mut added, mut same) = (0, 0, 0);
    let mut lines: Vec<(&str, &str, String, &str)> = Vec::new();
    for c in &applied.changes {
        match &c.status {
            Status::Changed(old) => {
                changed += 1;
                lines.push(("~", &c.path, format!("{old} → {}", c.new), &c.cell));
            }
            Status::Added => {
                added += 1;
                lines.push(("+", &c.path, c.new.clone(), &c.cell));
            }
            Status::Unchanged => same += 1,
        }
    }
    let file = if new {
        format!("{rel} (new file)")
    } else {
        rel.to_string()
    };
    let dry = if dry_run { " (dry run)" } else { "" };
    let mut out = format!("{file}, from {source}{dry}:\n");
    let w1 = lines.iter().map(|l| l.1.width()).max().unwrap_or(0);
    let w2 = lines.iter().map(|l| l.2.width()).max().unwrap_or(0);
    for (mark, path, value, cell) in &lines {
        out.push_str(&format!(
            "  {mark} {path}{}  {value}{}  {cell}\n",
            " ".repeat(w1 - path.width()),
            " ".repeat(w2 - value.width())
        ));
    }
    let n = applied.changes.len();
    let figures = if n == 1 { "figure" } else { "figures" };
    out.push_str(&format!(
        "  {n} {figures} read: {changed} changed, {added} added, {same} unchanged\n"
    ));
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush());
}

/// Checks the year as `nianbao check --year Y` does and prints its diagnostics;
/// the number of errors. The one call into the pipeline.
fn check_year(root: &Path, year: i32, quiet: bool) -> Result<usize, String> {
    let run = pipeline::run(root, &Years::One(year), Depth::Render).map_err(|e| e.to_string())?;
    print_diagnostics(&run.diags, &run.sources, quiet);
    if !quiet || run.diags.has_errors() {
        say!(
            "check of {year}: {}",
            diag::summary_line(&run.diags, &run.sources)
        );
    }
    Ok(run.diags.errors())
}

/// [`check_year`] on a temporary copy of the project holding `figures` as the
/// year's figures.toml, for a dry run.
fn check_copy(root: &Path, year: i32, figures: &str, quiet: bool) -> Result<usize, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    let copy = dir.path();
    let io = |e: std::io::Error| format!("cannot copy the project for the dry run: {e}");
    std::fs::copy(root.join("nianbao.toml"), copy.join("nianbao.toml")).map_err(io)?;
    for sub in ["data", "templates"] {
        let from = root.join(sub);
        if from.is_dir() {
            copy_dir(&from, &copy.join(sub)).map_err(io)?;
        }
    }
    let year_dir = copy.join("data").join(year.to_string());
    std::fs::create_dir_all(&year_dir).map_err(io)?;
    std::fs::write(year_dir.join("figures.toml"), figures).map_err(io)?;
    check_year(copy, year, quiet)
}

fn copy_dir(from: &Path, to: &PathBuf) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
