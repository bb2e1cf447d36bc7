//! `nianbao import --init FILE`: a starting mapping from a spreadsheet's labels,
//! each label matched to the nearest figure of the project (or, when a year's
//! figures are all in the sheet, to the figure of the same value).

use std::path::Path;

use crate::cli::ImportArgs;
use crate::load;
use crate::model::Figure;
use crate::sheet::mapping::{self, label_key};
use crate::sheet::read;

use super::{CmdError, file_names, usage_error};

/// `import --init FILE`: a starting mapping from the sheet's labels.
pub(super) fn init(root: &Path, args: &ImportArgs, quiet: bool) -> Result<(), CmdError> {
    let (out, out_display) = match &args.mapping {
        Some(p) => (p.clone(), p.display().to_string()),
        None => (
            root.join("data").join("import.toml"),
            "data/import.toml".to_string(),
        ),
    };
    if out.exists() {
        return usage_error(format!(
            "{out_display} exists; --init never overwrites a mapping (remove it, or write elsewhere with --mapping FILE)"
        ));
    }
    let (display, stem) = file_names(&args.file);
    let book = match read::read(&args.file, &display, args.sheet.as_deref().unwrap_or(&stem)) {
        Ok(b) => b,
        Err(e) => return usage_error(e),
    };
    let sheets: Vec<&read::Sheet> = match &args.sheet {
        Some(name) => match book.sheet(name) {
            Some(read::Sheet {
                unread: Some(problem),
                ..
            }) => return usage_error(format!("{display}: {problem}")),
            Some(s) => vec![s],
            None => {
                let names = book.sheet_names();
                let guess = crate::suggest::nearest(name, names.iter().copied())
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                return usage_error(format!(
                    "{display} has no sheet `{name}`; {guess}the sheets are {}",
                    names.join(", ")
                ));
            }
        },
        // A sheet too large to read is none of the form's.
        None => book.sheets.iter().filter(|s| s.unread.is_none()).collect(),
    };
    let guesses = figure_guesses(root);
    let by_value = figures_by_value(root, &sheets);
    let figure_for = |label: &str, value: &str| -> Option<(String, String)> {
        let by_label = guesses
            .iter()
            .find(|(key, _)| *key == loose_key(label))
            .map(|(_, path)| (path.clone(), String::new()));
        by_label.or_else(|| {
            let (year, values) = by_value.as_ref()?;
            let exact = crate::exact::Exact::parse_decimal(value)?;
            let mut paths = values.iter().filter(|(v, _)| *v == exact);
            match (paths.next(), paths.next()) {
                (Some((_, path)), None) => Some((
                    path.clone(),
                    format!("guessed: the only figure of {year} with this value"),
                )),
                _ => None,
            }
        })
    };
    let text = mapping::starting_mapping(&display, &sheets, &figure_for);
    if let Err(e) = crate::write::write_atomic(&out, text.as_bytes()) {
        return usage_error(format!("{e:#}"));
    }
    if !quiet {
        let named = text.lines().filter(|l| l.starts_with('"')).count();
        let open = text.lines().filter(|l| l.starts_with("# \"?\"")).count();
        say!(
            "wrote {out_display} from {display}: {named} figures named, {open} rows to name (lines starting with `# \"?\"`)"
        );
        say!("next: complete it, then `nianbao import {display} --year YEAR --dry-run`");
    }
    Ok(())
}

/// A year's figures: value and path.
type ByValue = Vec<(crate::exact::Exact, String)>;

/// The figures of the year the form is of, by value, for `--init` to guess a row's
/// figure from its value: the year most of whose figures' values are numbers of
/// `sheets` (at least half of them); `None` for a form of a year the project does not
/// have yet.
fn figures_by_value(root: &Path, sheets: &[&read::Sheet]) -> Option<(i32, ByValue)> {
    use crate::exact::Exact;
    fn walk(prefix: &str, t: &indexmap::IndexMap<String, Figure>, out: &mut Vec<(Exact, String)>) {
        for (k, v) in t {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                Figure::Number(n, _) => out.push((n.clone(), path)),
                Figure::Table(inner, _) => walk(&path, inner, out),
            }
        }
    }
    let project = load::load(root, |_| load::Wanted::all(root))
        .ok()?
        .project?;
    let in_form: Vec<Exact> = sheets
        .iter()
        .flat_map(|s| s.cells.values())
        .filter_map(|c| match c {
            read::Cell::Number(f) => crate::sheet::number::from_float(*f),
            read::Cell::Integer(i) => Some(i.to_string()),
            _ => None,
        })
        .filter_map(|d| Exact::parse_decimal(&d))
        .collect();
    let mut best: Option<(usize, i32, ByValue)> = None;
    for (year, data) in &project.years {
        let mut figures = Vec::new();
        walk("", &data.figures, &mut figures);
        let found = figures.iter().filter(|(v, _)| in_form.contains(v)).count();
        if found * 2 >= figures.len() && best.as_ref().is_none_or(|(n, ..)| found > *n) {
            best = Some((found, *year, figures));
        }
    }
    best.map(|(_, year, figures)| (year, figures))
}

/// A label as `--init` matches it against the catalogue: compared as labels are,
/// without a leading 其中 and a closing note in brackets (`其中：一孩`, `总人口（期末）`).
fn loose_key(label: &str) -> String {
    let key = label_key(label);
    let key = key
        .strip_prefix("其中:")
        .or_else(|| key.strip_prefix("其中"))
        .unwrap_or(&key);
    match key.find('(') {
        Some(at) if at > 0 && key.ends_with(')') => key[..at].to_string(),
        _ => key.to_string(),
    }
}

/// Labels of the catalogue that name one figure: a metric whose formula is one
/// figure path, and the labelled parts of a breakdown.
fn figure_guesses(root: &Path) -> Vec<(String, String)> {
    let Some(project) = load::load(root, |_| load::Wanted::all(root))
        .ok()
        .and_then(|l| l.project)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in project.catalogue.metrics.values() {
        if let Some(f) = &m.formula
            && let crate::formula::ExprKind::Name(path) = &f.kind
            && path.len() > 1
        {
            for label in [&m.label.zh, &m.label.en].into_iter().flatten() {
                out.push((loose_key(&label.text), path.join(".")));
            }
        }
        for ((path, _), label) in m.parts.iter().zip(&m.part_labels) {
            if let Some(label) = label {
                for l in [&label.zh, &label.en].into_iter().flatten() {
                    out.push((loose_key(&l.text), path.clone()));
                }
            }
        }
    }
    out
}
