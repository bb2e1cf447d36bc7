//! The driver: runs load → check → compute → render for the years asked for and
//! hands back everything the commands need. It writes nothing; `build` does.

use std::collections::BTreeMap;
use std::path::Path;

use crate::check;
use crate::compute::{self, YearValues};
use crate::diag::{Diagnostics, Sources};
use crate::load::{self, LoadError, Project, YearData};
use crate::render::{RenderedYear, Renderer, RunView};

/// Which years a command works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Years {
    /// The latest year in `data/`.
    Latest,
    /// One year.
    One(i32),
    /// Every year.
    All,
    /// These years (`diff` renders the two it compares).
    These(Vec<i32>),
}

/// Everything a run produced.
pub struct Run {
    /// The project (absent when `nianbao.toml` itself is broken).
    pub project: Option<Project>,
    /// Every file read.
    pub sources: Sources,
    /// Every diagnostic of the selected years and of the shared files.
    pub diags: Diagnostics,
    /// The years selected.
    pub selected: Vec<i32>,
    /// Computed values of every year whose data loaded (selected or not: charts and
    /// comparisons need the others).
    pub values: BTreeMap<i32, YearValues>,
    /// Rendered reports of the selected years that had no errors.
    pub rendered: BTreeMap<i32, RenderedYear>,
    /// The template engine the reports were rendered with, for further pages
    /// (`diff --format html`) without compiling the templates again.
    pub renderer: Option<Renderer>,
}

/// A problem with the request itself (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// No project here.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The year asked for is not in `data/`.
    #[error("there is no year {year} in {root}/data{}", list_hint(.available))]
    NoSuchYear {
        /// The year.
        year: i32,
        /// The project root.
        root: String,
        /// The years there are.
        available: Vec<i32>,
    },
    /// `data/` has no year folder.
    #[error("{0}/data has no year folder (such as data/2006 with figures.toml)")]
    NoYears(String),
}

fn list_hint(years: &[i32]) -> String {
    if years.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = years.iter().map(i32::to_string).collect();
        format!("; the years are {}", list.join(", "))
    }
}

/// The years of `list` that exist, in order and without repeats; the first that
/// does not exist is an error naming those that do.
fn these(root: &Path, list: &[i32], available: Vec<i32>) -> Result<Vec<i32>, RequestError> {
    if let Some(missing) = list.iter().find(|y| !available.contains(y)) {
        return Err(RequestError::NoSuchYear {
            year: *missing,
            root: root.display().to_string(),
            available,
        });
    }
    let mut years = list.to_vec();
    years.sort_unstable();
    years.dedup();
    Ok(years)
}

/// Reads a `--year` value: a plain year, nothing that could name a path.
pub fn parse_year(text: &str) -> Result<i32, String> {
    let t = text.trim();
    if !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().map_err(|_| format!("`{text}` is not a year"))
    } else {
        Err(format!(
            "`{text}` is not a year: give a four-digit year such as 2006"
        ))
    }
}

/// A step of a run, reported to [`run_observed`]'s observer (for progress bars).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The project loaded and this many years were selected.
    Selected(usize),
    /// One selected year was rendered (or failed to).
    Rendered(i32),
}

/// Runs the pipeline. `render` false stops after compute (for `diff`).
pub fn run(root: &Path, years: &Years, render: bool) -> Result<Run, RequestError> {
    run_observed(root, years, render, &|_| {})
}

/// [`run`], telling `observe` of each [`Step`] as it happens.
pub fn run_observed(
    root: &Path,
    years: &Years,
    render: bool,
    observe: &(dyn Fn(Step) + Sync),
) -> Result<Run, RequestError> {
    let loaded = load::load(root)?;
    let available = load::list_years(root);
    let selected: Vec<i32> = match years {
        Years::All => available.clone(),
        Years::Latest => match available.last() {
            Some(y) => vec![*y],
            None => vec![],
        },
        Years::One(y) => these(root, &[*y], available)?,
        Years::These(list) => these(root, list, available)?,
    };
    if selected.is_empty() && loaded.project.is_some() {
        return Err(RequestError::NoYears(root.display().to_string()));
    }
    observe(Step::Selected(selected.len()));
    let mut sources = loaded.sources;
    let mut diags = loaded.diags;
    let mut run = Run {
        project: None,
        sources: Sources::default(),
        diags: Diagnostics::default(),
        selected: selected.clone(),
        values: BTreeMap::new(),
        rendered: BTreeMap::new(),
        renderer: None,
    };
    let Some(project) = loaded.project else {
        for y in &selected {
            if let Some(d) = loaded.year_diags.get(y) {
                diags.extend(d.clone());
            }
        }
        run.sources = sources;
        run.diags = diags;
        return Ok(run);
    };
    check::check_catalogue(&project, &mut diags);
    // Only the shared files decide whether anything can be computed: a broken year
    // must not hide the diagnostics of the others.
    let shared_ok = !diags.has_errors();
    for y in &selected {
        if let Some(d) = loaded.year_diags.get(y) {
            diags.extend(d.clone());
        }
    }
    // Years with errors in their own files are left out of everything.
    let mut year_ok: BTreeMap<i32, bool> = BTreeMap::new();
    for (y, data) in &project.years {
        let mut d = Diagnostics::default();
        check::check_year(&project, data, &mut d);
        let loaded_ok = !loaded
            .year_diags
            .get(y)
            .is_some_and(Diagnostics::has_errors);
        year_ok.insert(*y, loaded_ok && !d.has_errors());
        if selected.contains(y) {
            diags.extend(d);
        }
    }
    if shared_ok {
        for (y, data) in &project.years {
            if !year_ok.get(y).copied().unwrap_or(false) {
                continue;
            }
            let mut d = Diagnostics::default();
            let v = compute::compute_year(&project, data, &mut d);
            if selected.contains(y) {
                diags.extend(d);
            }
            run.values.insert(*y, v);
        }
    }
    // When the shared files have errors, the metrics are still computed for the
    // renderer alone, quietly (their warnings would only echo those errors), so that
    // one `check` also finds the template errors; nothing of it is handed back.
    let mut quiet_values = BTreeMap::new();
    if !shared_ok && render {
        for (y, data) in &project.years {
            if year_ok.get(y).copied().unwrap_or(false) {
                let v = compute::compute_year(&project, data, &mut Diagnostics::default());
                quiet_values.insert(*y, v);
            }
        }
    }
    let values = if shared_ok {
        &run.values
    } else {
        &quiet_values
    };
    // Every year that computed is rendered, even when another has errors, so that
    // `check` finds the template errors of every year in one run; `build` still
    // writes nothing unless there are no errors at all.
    if render
        && selected.iter().any(|y| values.contains_key(y))
        && let Some(renderer) = Renderer::new(&project, &mut sources, &mut diags)
    {
        let all: Vec<&YearValues> = values.values().collect();
        let charts = Renderer::charts(&project, &all);
        let chart_files = Renderer::chart_files(&charts);
        let jobs: Vec<(&YearData, &YearValues)> = selected
            .iter()
            .filter_map(|y| Some((project.years.get(y)?, values.get(y)?)))
            .collect();
        // Years render independently: spread them over the cores. Results and
        // diagnostics are merged back in year order, so output stays deterministic.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = jobs.len().div_ceil(threads).max(1);
        let results: Vec<(Vec<RenderedYear>, Diagnostics)> = std::thread::scope(|scope| {
            let handles: Vec<_> = jobs
                .chunks(chunk)
                .map(|part| {
                    let renderer = &renderer;
                    let view = RunView {
                        project: &project,
                        all_values: &all,
                        charts: &charts,
                        chart_files: &chart_files,
                        sources: &sources,
                    };
                    scope.spawn(move || {
                        let mut d = Diagnostics::default();
                        let done = part
                            .iter()
                            .filter_map(|(data, values)| {
                                let r = renderer.render_year(&view, data, values, &mut d);
                                observe(Step::Rendered(data.year));
                                r
                            })
                            .collect();
                        (done, d)
                    })
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        for (done, d) in results {
            diags.extend(d);
            // Rendered from quietly computed values: checked, never handed back.
            for r in done.into_iter().filter(|_| shared_ok) {
                run.rendered.insert(r.year, r);
            }
        }
        run.renderer = Some(renderer);
    }
    diags.dedup();
    run.project = Some(project);
    run.sources = sources;
    run.diags = diags;
    Ok(run)
}
