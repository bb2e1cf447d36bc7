//! The driver: runs load → check → compute → render → output for the years asked
//! for and hands back one [`YearState`] per year, which every command reads the
//! same way. It writes nothing; `build` gives the output sets to the write stage.

use std::collections::BTreeMap;
use std::path::Path;

use crate::check;
use crate::compute::{self, YearValues};
use crate::diag::{Diagnostics, Sources};
use crate::load::{self, LoadError};
use crate::model::{Plan, Project, Summary};
use crate::output::{self, OutputSet, YearInput};
use crate::par::{par_map, workers};

mod compare;
mod found;
use crate::render::{RenderedYear, Renderer, RunView};
use found::Found;

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
    #[error("{root}/data has no year folder (such as data/2006 with figures.toml){why}")]
    NoYears {
        /// The project root.
        root: String,
        /// What was found instead, when something was (`: …`).
        why: String,
    },
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
    // Four digits, as the folders of data/ are named: `25` is no year.
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
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
    run_inner(root, years, depth, observe, None, usize::MAX)
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
    run_inner(
        root,
        years,
        Depth::Render,
        observe,
        Some(deliver),
        4 * workers(),
    )
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
    batch: usize,
) -> Result<Run, RequestError> {
    if !root.join("nianbao.toml").exists() {
        return Err(LoadError::NotAProject(root.display().to_string()).into());
    }
    let listing = load::DataDir::read(root);
    let available = listing.years();
    let selected: Vec<i32> = match years {
        Years::All => available.clone(),
        Years::Latest => available.last().copied().into_iter().collect(),
        Years::One(y) => these(root, &[*y], available.clone())?,
        Years::These(list) => these(root, list, available.clone())?,
    };
    // The selected years whole (their narratives one batch at a time, below); of
    // the others, the figures of the years their charts show and of the year
    // before each (for the comparison).
    let loaded = load::load_listed(root, listing, |config| {
        let span = config.map_or(crate::model::CHART_YEARS, |c| c.chart_years);
        let span = i32::try_from(span).unwrap_or(i32::MAX);
        let mut wanted = load::Wanted {
            narrative_later: selected.iter().copied().collect(),
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
        return Err(RequestError::NoYears {
            root: root.display().to_string(),
            why: load::why_no_years(root),
        });
    }
    observe(Step::Selected(selected.len()));
    let mut sources = loaded.sources;
    let mut diags = loaded.diags;
    // Each year's diagnostics by kind, put together at the end in the order a
    // reader expects them (every file's problems, then the checks, then the
    // rendering), however the years were batched.
    let mut found = Found {
        loading: loaded.year_diags,
        ..Found::default()
    };
    let Some(mut project) = loaded.project else {
        found.append_to(&mut diags, &selected, &[], false);
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
    let is_selected = |y: &i32| selected.contains(y);
    // Years with errors in their own files are left out of everything. When the
    // shared files have errors, the metrics are still computed, quietly (their
    // warnings would only echo those errors), so that one `check` also finds the
    // template errors; nothing of it is handed back.
    let mut computed: BTreeMap<i32, Option<YearValues>> = BTreeMap::new();
    // Years whose own data has errors (a rule that fails, a figure missing): no
    // report compares with them or charts them, whatever is selected.
    let mut unusable: std::collections::BTreeSet<i32> = std::collections::BTreeSet::new();
    for (y, data) in &project.years {
        let mut checks = Diagnostics::default();
        check::check_year(&project, data, &mut checks);
        let loaded_ok = !found.loading.get(y).is_some_and(Diagnostics::has_errors);
        let mut computing = Diagnostics::default();
        let values = (loaded_ok && !checks.has_errors())
            .then(|| compute::compute_year(&project, &checked.order, data, &mut computing));
        if values.is_none() || computing.has_errors() {
            unusable.insert(*y);
        }
        if is_selected(y) {
            found.checks.insert(*y, checks);
            found.computing.insert(*y, computing);
        }
        computed.insert(*y, values);
    }
    // Each selected year's targets against those last year's plan set for it.
    for y in &selected {
        if let Some(data) = project.years.get(y)
            && available.contains(&(y - 1))
            && let Some((planned, file)) = load::planned_targets(root, y - 1, &mut sources)
        {
            let mut d = Diagnostics::default();
            check::planned_targets(data, &planned, &mut d);
            // Its text is kept only for a warning to show: a build of every year
            // must not hold the whole history's plans.
            if !d.points_into(file) {
                sources.release(file);
            }
            found.checks.entry(*y).or_default().extend(d);
        }
    }
    for (y, d) in compare::why_not_compared(&project, &selected, &available, &computed, &unusable) {
        found.computing.entry(y).or_default().push(d);
    }
    let loaded_years: Vec<i32> = project.years.keys().copied().collect();
    // The selected years' narratives, read, checked and rendered `batch` years at
    // a time. `build` keeps nothing of a year once it is delivered, so its memory
    // holds a few years' narratives, not the whole history's; the others keep
    // every year, so they read them in one batch.
    let narrated: Vec<i32> = selected
        .iter()
        .copied()
        .filter(|y| project.years.contains_key(y))
        .collect();
    // Years whose narrative has errors: checked, never rendered.
    let mut broken = std::collections::BTreeSet::new();
    let mut renderer: Option<Renderer> = None;
    let mut engine_tried = false;
    let mut reports: BTreeMap<i32, Made> = BTreeMap::new();
    for years_now in narrated.chunks(batch.max(1)) {
        // Read here (the sources are this thread's), parsed by the workers.
        let files: Vec<(i32, load::NarrativeFiles)> = years_now
            .iter()
            .map(|y| (*y, load::narrative_files(root, *y, &mut sources)))
            .collect();
        // Made even when no year computes: its templates are checked all the same.
        if depth == Depth::Render && !engine_tried {
            engine_tried = true;
            renderer = Renderer::new(&project, &mut sources, &mut found.engine);
        }
        let all: Vec<&YearValues> = computed
            .iter()
            .filter(|(y, _)| !unusable.contains(y))
            .filter_map(|(_, v)| v.as_ref())
            .collect();
        // Cores the years leave free go to the editions and outputs of each year.
        let spare = (workers() / files.len().max(1)).max(1);
        let view = RunView {
            project: &project,
            all_values: &all,
            sources: &sources,
            threads: spare,
        };
        let engine = renderer.as_ref().filter(|_| depth == Depth::Render);
        let done = par_map(&files, |(year, files)| {
            narrate(
                &view,
                engine,
                computed.get(year),
                *year,
                files,
                deliver,
                observe,
            )
        });
        drop(all);
        for (year, done) in years_now.iter().copied().zip(done) {
            found.loading.entry(year).or_default().extend(done.loading);
            found.checks.entry(year).or_default().extend(done.checks);
            if let Some(d) = done.rendering {
                found.rendering.insert(year, d);
            }
            match done.values {
                Some(values) => {
                    computed.insert(year, Some(values));
                }
                None if computed.get(&year).is_some_and(Option::is_some) => {
                    // Not computed, as far as anyone is told.
                    broken.insert(year);
                    found.computing.remove(&year);
                }
                None => {}
            }
            if let Some(made) = done.made {
                reports.insert(year, made);
            }
            if let (Some(data), Some((summary, plan))) = (project.years.get_mut(&year), done.kept) {
                data.summary = summary;
                data.plan = plan;
            }
        }
        if deliver.is_some() {
            // Delivered: nothing reads these years' narratives again, and only a
            // diagnostic could still show their files.
            for (y, files) in &files {
                for id in files.ids() {
                    if !found.points_into(*y, id) {
                        sources.release(id);
                    }
                }
            }
        }
    }
    found.append_to(&mut diags, &selected, &loaded_years, shared_ok);
    let mut years: BTreeMap<i32, YearState> = BTreeMap::new();
    for (y, values) in computed {
        let state = match values {
            // Computed from quietly computed values: checked, never handed back.
            Some(_) if !shared_ok || broken.contains(&y) => YearState::Broken,
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
        renderer: renderer.filter(|r| !r.is_broken()),
    })
}

/// What became of one year's narrative.
struct Narrated {
    /// Problems of reading and parsing its summary and plan.
    loading: Diagnostics,
    /// Problems of checking them.
    checks: Diagnostics,
    /// Its values with the plan's targets; `None` when the narrative has errors
    /// (or the year did not compute).
    values: Option<YearValues>,
    /// Problems of rendering it, when it was rendered.
    rendering: Option<Diagnostics>,
    /// The report, when it rendered.
    made: Option<Made>,
    /// The narrative, for a run that keeps it (none that delivers).
    kept: Option<(Option<Summary>, Option<Plan>)>,
}

/// Parses and checks one selected year's narrative, then (with an `engine`)
/// renders the year and makes its outputs: a worker's whole share of a year.
#[allow(clippy::too_many_arguments)]
fn narrate(
    view: &RunView,
    engine: Option<&Renderer>,
    computed: Option<&Option<YearValues>>,
    year: i32,
    files: &load::NarrativeFiles,
    deliver: Option<&(dyn Fn(i32, OutputSet) + Sync)>,
    observe: &(dyn Fn(Step) + Sync),
) -> Narrated {
    let project = view.project;
    let read = files.parse();
    let mut checks = Diagnostics::default();
    check::check_narrative(
        project,
        read.summary.as_ref(),
        read.plan.as_ref(),
        &mut checks,
    );
    if let (Some(summary), Some(data)) = (&read.summary, project.years.get(&year)) {
        check::report_date(summary, data, &mut checks);
    }
    let ok = !read.diags.has_errors() && !checks.has_errors();
    // A year whose data has errors does not render; the names its narrative
    // reads are still checked, so that one `check` lists every problem.
    if ok
        && computed.is_some_and(Option::is_none)
        && let Some(base) = project.years.get(&year)
    {
        let mut data = base.clone();
        data.summary = read.summary.clone();
        data.plan = read.plan.clone();
        checks.extend_items(crate::render::unrendered_narrative_errors(
            project,
            &data,
            view.sources,
            engine,
        ));
    }
    let values = computed.and_then(Option::as_ref).filter(|_| ok).map(|v| {
        let mut v = v.clone();
        v.plan_targets = compute::plan_targets(read.plan.as_ref(), &v.metrics);
        v
    });
    let mut out = Narrated {
        loading: read.diags,
        checks,
        values: None,
        rendering: None,
        made: None,
        kept: None,
    };
    let (Some(judged), Some(engine), Some(base)) =
        (values.as_ref(), engine, project.years.get(&year))
    else {
        out.kept = deliver.is_none().then_some((read.summary, read.plan));
        out.values = values;
        return out;
    };
    let mut data = base.clone();
    data.summary = read.summary;
    data.plan = read.plan;
    let mut d = Diagnostics::default();
    out.made = engine
        .render_year(view, &data, judged, &mut d)
        .and_then(|rendered| {
            let input = YearInput {
                project,
                data: &data,
                values: judged,
                previous: view.previous(year),
                report: &rendered,
                renderer: engine,
                sources: view.sources,
            };
            match output::produce(&input, view.threads) {
                Ok(set) => Some(match deliver {
                    Some(deliver) => {
                        deliver(year, set);
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
    observe(Step::Rendered(year));
    out.rendering = Some(d);
    if deliver.is_none() {
        out.kept = Some((data.summary, data.plan));
    }
    out.values = values;
    out
}

#[cfg(test)]
mod tests;
