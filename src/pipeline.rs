//! The driver: runs load → check → compute → render → output for the years asked
//! for and hands back one [`YearState`] per year, which every command reads the
//! same way. It writes nothing; `build` gives the output sets to the write stage.

use std::collections::BTreeMap;
use std::path::Path;

use crate::check;
use crate::compute::{self, YearValues};
use crate::diag::{Diagnostics, Sources};
use crate::load::{self, LoadError};
use crate::model::{Project, YearData};
use crate::output::{self, OutputSet, YearInput};
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

/// How far the pipeline goes for the selected years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Load, check and compute.
    Compute,
    /// Also render the reports and make their output sets.
    Render,
}

/// Where one year got to.
#[derive(Debug)]
pub enum YearState {
    /// Its files or checks have errors (or the shared files do): nothing computed.
    Broken,
    /// Computed, not rendered (a year not selected, or a run that stops at compute).
    Computed(YearValues),
    /// Rendered, with its complete output set.
    Rendered(Box<Report>),
    /// Rendered, and its output set handed to the caller as soon as it was made
    /// (by [`run_delivering`], which keeps nothing of it).
    Delivered(YearValues),
}

/// A rendered year.
#[derive(Debug)]
pub struct Report {
    /// Its computed values.
    pub values: YearValues,
    /// Its editions and charts.
    pub rendered: RenderedYear,
    /// Every file it is written as.
    pub outputs: OutputSet,
}

impl YearState {
    /// The computed values, when the year computed.
    pub fn values(&self) -> Option<&YearValues> {
        match self {
            YearState::Broken => None,
            YearState::Computed(v) => Some(v),
            YearState::Rendered(r) => Some(&r.values),
            YearState::Delivered(v) => Some(v),
        }
    }

    /// The report, when the year rendered.
    pub fn report(&self) -> Option<&Report> {
        match self {
            YearState::Rendered(r) => Some(r),
            _ => None,
        }
    }
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
    /// Every year of the project whose data loaded (selected or not: charts and
    /// comparisons need the others), with where it got to.
    pub years: BTreeMap<i32, YearState>,
    /// The template engine the reports were rendered with, for further pages
    /// (`diff --format html`) without compiling the templates again.
    pub renderer: Option<Renderer>,
}

impl Run {
    /// The computed values of `year`.
    pub fn values(&self, year: i32) -> Option<&YearValues> {
        self.years.get(&year).and_then(YearState::values)
    }

    /// The report of `year`, when it rendered.
    pub fn report(&self, year: i32) -> Option<&Report> {
        self.years.get(&year).and_then(YearState::report)
    }

    /// True when every selected year rendered and nothing has an error: what
    /// `build` needs before it writes anything.
    pub fn all_rendered(&self) -> bool {
        !self.diags.has_errors()
            && self.selected.iter().all(|y| {
                matches!(
                    self.years.get(y),
                    Some(YearState::Rendered(_) | YearState::Delivered(_))
                )
            })
    }
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

/// Runs the pipeline.
pub fn run(root: &Path, years: &Years, depth: Depth) -> Result<Run, RequestError> {
    run_observed(root, years, depth, &|_| {})
}

/// [`run`], telling `observe` of each [`Step`] as it happens.
pub fn run_observed(
    root: &Path,
    years: &Years,
    depth: Depth,
    observe: &(dyn Fn(Step) + Sync),
) -> Result<Run, RequestError> {
    run_inner(root, years, depth, observe, None)
}

/// Renders the selected years and hands each year's output set to `deliver` as
/// soon as it is made (from the thread that made it, so several at once), keeping
/// none of it: what `build` runs, so that its memory does not grow with the
/// number of years. A year delivered is [`YearState::Delivered`]; a year whose
/// rendering failed is not delivered, and the run's diagnostics say why.
pub fn run_delivering(
    root: &Path,
    years: &Years,
    observe: &(dyn Fn(Step) + Sync),
    deliver: &(dyn Fn(i32, OutputSet) + Sync),
) -> Result<Run, RequestError> {
    run_inner(root, years, Depth::Render, observe, Some(deliver))
}

/// What became of a rendered year.
enum Made {
    Kept(RenderedYear, OutputSet),
    Delivered,
}

fn run_inner(
    root: &Path,
    years: &Years,
    depth: Depth,
    observe: &(dyn Fn(Step) + Sync),
    deliver: Option<&(dyn Fn(i32, OutputSet) + Sync)>,
) -> Result<Run, RequestError> {
    if !root.join("nianbao.toml").exists() {
        return Err(LoadError::NotAProject(root.display().to_string()).into());
    }
    let available = load::list_years(root);
    let selected: Vec<i32> = match years {
        Years::All => available.clone(),
        Years::Latest => available.last().copied().into_iter().collect(),
        Years::One(y) => these(root, &[*y], available.clone())?,
        Years::These(list) => these(root, list, available.clone())?,
    };
    // The selected years whole; of the others, the figures of the years their
    // charts show and of the year before each (for the comparison).
    let loaded = load::load(root, |config| {
        let span = config.map_or(crate::model::CHART_YEARS, |c| c.chart_years);
        let span = i32::try_from(span).unwrap_or(i32::MAX);
        let mut wanted = load::Wanted {
            whole: selected.iter().copied().collect(),
            ..load::Wanted::default()
        };
        for y in &selected {
            let first = y.saturating_sub(span.max(2) - 1);
            wanted
                .figures
                .extend(available.iter().filter(|a| (first..*y).contains(*a)));
        }
        wanted
    })?;
    if selected.is_empty() && loaded.project.is_some() {
        return Err(RequestError::NoYears(root.display().to_string()));
    }
    observe(Step::Selected(selected.len()));
    let mut sources = loaded.sources;
    let mut diags = loaded.diags;
    let year_diags = loaded.year_diags;
    let selected_diags = |diags: &mut Diagnostics| {
        for y in &selected {
            if let Some(d) = year_diags.get(y) {
                diags.extend(d.clone());
            }
        }
    };
    let Some(project) = loaded.project else {
        selected_diags(&mut diags);
        return Ok(Run {
            project: None,
            sources,
            diags,
            selected,
            years: BTreeMap::new(),
            renderer: None,
        });
    };
    let checked = check::check_catalogue(&project, &mut diags);
    // Only the shared files decide whether anything can be computed: a broken year
    // must not hide the diagnostics of the others.
    let shared_ok = !diags.has_errors();
    selected_diags(&mut diags);
    let is_selected = |y: &i32| selected.contains(y);
    // Years with errors in their own files are left out of everything. When the
    // shared files have errors, the metrics are still computed, quietly (their
    // warnings would only echo those errors), so that one `check` also finds the
    // template errors; nothing of it is handed back.
    let mut computed: BTreeMap<i32, Option<YearValues>> = BTreeMap::new();
    for (y, data) in &project.years {
        let mut d = Diagnostics::default();
        check::check_year(&project, data, &mut d);
        let loaded_ok = !year_diags.get(y).is_some_and(Diagnostics::has_errors);
        let year_ok = loaded_ok && !d.has_errors();
        if is_selected(y) {
            diags.extend(d);
        }
        let values = year_ok.then(|| {
            let mut d = Diagnostics::default();
            let v = compute::compute_year(&project, &checked.order, data, &mut d);
            if shared_ok && is_selected(y) {
                diags.extend(d);
            }
            v
        });
        computed.insert(*y, values);
    }
    let mut years: BTreeMap<i32, YearState> = BTreeMap::new();
    let mut renderer = None;
    // Every year that computed is rendered, even when another has errors, so that
    // `check` finds the template errors of every year in one run; `build` still
    // writes nothing unless there are no errors at all.
    let to_render: Vec<(&YearData, &YearValues)> = selected
        .iter()
        .filter_map(|y| Some((project.years.get(y)?, computed.get(y)?.as_ref()?)))
        .collect();
    let mut reports: BTreeMap<i32, Made> = BTreeMap::new();
    if depth == Depth::Render
        && !to_render.is_empty()
        && let Some(engine) = Renderer::new(&project, &mut sources, &mut diags)
    {
        let all: Vec<&YearValues> = computed.values().flatten().collect();
        let view = RunView {
            project: &project,
            all_values: &all,
            sources: &sources,
        };
        let results = par_map(&to_render, |(data, values)| {
            let mut d = Diagnostics::default();
            let done = engine
                .render_year(&view, data, values, &mut d)
                .and_then(|rendered| {
                    let input = YearInput {
                        project: &project,
                        data,
                        values,
                        previous: computed.get(&(data.year - 1)).and_then(Option::as_ref),
                        report: &rendered,
                        renderer: &engine,
                        sources: &sources,
                    };
                    match output::produce(&input) {
                        Ok(set) => Some(match deliver {
                            Some(deliver) => {
                                deliver(data.year, set);
                                Made::Delivered
                            }
                            None => Made::Kept(rendered, set),
                        }),
                        Err(errors) => {
                            d.extend(errors);
                            None
                        }
                    }
                });
            observe(Step::Rendered(data.year));
            (data.year, done, d)
        });
        for (year, done, d) in results {
            diags.extend(d);
            if let Some(done) = done {
                reports.insert(year, done);
            }
        }
        renderer = Some(engine);
    }
    for (y, values) in computed {
        let state = match values {
            // Computed from quietly computed values: checked, never handed back.
            Some(_) if !shared_ok => YearState::Broken,
            Some(values) => match reports.remove(&y) {
                Some(Made::Kept(rendered, outputs)) => YearState::Rendered(Box::new(Report {
                    values,
                    rendered,
                    outputs,
                })),
                Some(Made::Delivered) => YearState::Delivered(values),
                None => YearState::Computed(values),
            },
            None => YearState::Broken,
        };
        years.insert(y, state);
    }
    diags.dedup();
    Ok(Run {
        project: Some(project),
        sources,
        diags,
        selected,
        years,
        renderer,
    })
}

/// `f` over every item, spread over the cores; results in the order of `items`.
/// A panic in a worker is raised again here, with its own payload: never dropped.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            match h.join() {
                Ok(done) => out.extend(done),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::par_map;

    #[test]
    fn results_keep_their_order() {
        let items: Vec<u32> = (0..100).collect();
        assert_eq!(
            par_map(&items, |x| x * 2),
            (0..100).map(|x| x * 2).collect::<Vec<_>>()
        );
        assert!(par_map(&Vec::<u32>::new(), |x| *x).is_empty());
    }

    #[test]
    fn a_panic_in_a_worker_is_raised_again_not_lost() {
        let items: Vec<u32> = (0..8).collect();
        let caught = std::panic::catch_unwind(|| {
            par_map(&items, |x| {
                if *x == 5 {
                    panic!("render worker failed on item {x}");
                }
                *x
            })
        });
        let payload = caught.expect_err("the panic must reach the caller");
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        assert_eq!(message, "render worker failed on item 5");
    }
}
