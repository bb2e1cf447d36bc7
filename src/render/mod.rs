//! Stage 4, render: turns a year's data and computed values into the report texts,
//! one edition per language. One Tera instance, built once per process from the
//! built-in templates and the project's overrides, serves every year and both
//! languages. Narrative texts are themselves rendered as templates against the same
//! context, so a number in a paragraph is the number in the table. The files
//! written from the editions are the output backends' business (`crate::output`).

pub mod assets;
pub mod bounded;
pub mod charts;
mod checks;
pub mod context;
mod edition;
pub mod errors;
mod filters;
pub mod format;
pub mod labels;
pub mod names;
pub mod narrative;

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Tera};

use crate::compute::YearValues;
use crate::diag::{Diagnostic, Diagnostics, FileId, Sources};
use crate::i18n::Lang;
use crate::model::{LocStr, Project, Status, YearData};
use charts::Chart;
pub use checks::unrendered_narrative_errors;
use checks::{known_names, page_known_names, text_errors};
use context::{ChartRef, ReportContext};

/// One language's edition of a year's report.
#[derive(Debug, Clone)]
pub struct Edition {
    /// Its language.
    pub lang: Lang,
    /// The rendered `report.md`.
    pub markdown: String,
    /// The context it was rendered from, narrative included.
    pub context: ReportContext,
}

/// The rendered report of one year: both editions and the charts they show.
#[derive(Debug, Clone)]
pub struct RenderedYear {
    /// The year.
    pub year: i32,
    /// The editions, Chinese first.
    pub editions: Vec<Edition>,
    /// The charts of both languages.
    pub charts: Arc<[Chart]>,
}

impl RenderedYear {
    /// The edition in `lang`.
    pub fn edition(&self, lang: Lang) -> Option<&Edition> {
        self.editions.iter().find(|e| e.lang == lang)
    }

    /// The charts of the edition in `lang`.
    pub fn charts_in(&self, lang: Lang) -> impl Iterator<Item = &Chart> {
        self.charts.iter().filter(move |c| c.lang == lang)
    }
}

/// Compiles the templates (name, source), all at once: parents must be present
/// for `extends`. When that fails, the culprit is reported, set aside, and the
/// rest tried again, so that every broken template is reported in one run, not
/// just the first. Gives the engine of those that compiled, whether all did, and
/// the names set aside.
fn compile(
    sources_by_name: Vec<(String, Arc<str>)>,
    files: &HashMap<String, FileId>,
    sources: &Sources,
    diags: &mut Diagnostics,
) -> (Tera, bool, Vec<String>) {
    // Add everything at once (parents must be present for `extends`); when that
    // fails, report the culprit, set it aside and try again, so that every broken
    // template is reported in one run, not just the first.
    let mut tera = Tera::new();
    let mut batch = sources_by_name;
    let mut ok = true;
    let mut set_aside: Vec<String> = Vec::new();
    loop {
        let mut attempt = Tera::new();
        filters::register(&mut attempt);
        attempt.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        match attempt.add_raw_templates(batch.iter().map(|(n, t)| (n.as_str(), &**t))) {
            Ok(()) => {
                tera = attempt;
                break;
            }
            Err(e) => {
                ok = false;
                let source_of = |name: &str| {
                    batch
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, t)| t.to_string())
                };
                let mut culprits = Vec::new();
                for p in errors::problems(&e, &source_of) {
                    // A template that extends or includes one already set aside for
                    // its own error would only repeat that error in a confusing way.
                    let secondary = errors::missing_template(&p)
                        .is_some_and(|t| set_aside.iter().any(|s| s == t));
                    if !secondary {
                        diags.push(errors::diagnostic(&p, files, None, sources));
                    }
                    if let Some(t) = errors::culprit(&p) {
                        culprits.push(t.to_string());
                    }
                }
                let before = batch.len();
                batch.retain(|(n, _)| !culprits.contains(n));
                set_aside.extend(culprits);
                if batch.len() == before {
                    break;
                }
            }
        }
    }
    (tera, ok, set_aside)
}

/// What every year of a run shares when it renders.
#[derive(Clone, Copy)]
pub struct RunView<'a> {
    /// The project.
    pub project: &'a Project,
    /// The computed values of every year that computed, oldest first.
    pub all_values: &'a [&'a YearValues],
    /// Every source file, for located errors.
    pub sources: &'a Sources,
    /// Threads a year may spread over (its two editions, its outputs): more
    /// than one only when the years being rendered leave cores free.
    pub threads: usize,
}

impl<'a> RunView<'a> {
    /// The values of the years a report of `year` may show: those up to `year`. A
    /// report never shows anything of a later year, and one that is not a draft
    /// nothing of a draft year (whose figures are `new-year`'s copies of the year
    /// before until they are typed in: found by an audit, a final report said
    /// 比上年提高 against them).
    pub fn values_up_to(&self, year: i32) -> Vec<&'a YearValues> {
        let draft = |y: i32| {
            self.project
                .years
                .get(&y)
                .is_some_and(|d| d.status == Status::Draft)
        };
        let shows_drafts = draft(year);
        self.all_values
            .iter()
            .copied()
            .filter(|v| v.year <= year && (v.year == year || shows_drafts || !draft(v.year)))
            .collect()
    }

    /// The year a report of `year` is compared with, when it may be
    /// ([`RunView::values_up_to`]).
    pub fn previous(&self, year: i32) -> Option<&'a YearValues> {
        let years = &self.project.years;
        // A last year of another period length is not compared with either.
        let same_length = match (years.get(&year), years.get(&(year - 1))) {
            (Some(a), Some(b)) => a.period_as_long_as(b),
            _ => true,
        };
        self.values_up_to(year)
            .into_iter()
            .filter(|_| same_length)
            .find(|v| v.year == year - 1)
    }
}

/// The template engine of one run, with the source of every template for errors.
pub struct Renderer {
    tera: Tera,
    /// Template name → source file, for located template errors.
    files: HashMap<String, FileId>,
    /// The names each Markdown template reads, by template name: read once, looked
    /// up in each edition's context.
    markdown_names: Vec<(String, Vec<names::NamePath>)>,
    /// The same for the other templates (`report.html`, `diff.html`), looked up
    /// in their page's context when the page renders.
    page_names: Vec<(String, Vec<names::NamePath>)>,
    /// Some templates did not compile (their errors reported): the others' names
    /// are still checked against each year, so that one `check` lists every
    /// problem, but nothing renders.
    broken: bool,
}

impl Renderer {
    /// Builds the engine: built-in templates first, then the project's files, which
    /// replace built-ins of the same name. Template syntax errors become diagnostics,
    /// and the engine is [`Renderer::is_broken`]: it checks, and renders nothing.
    pub fn new(project: &Project, sources: &mut Sources, diags: &mut Diagnostics) -> Option<Self> {
        let mut files = HashMap::new();
        let mut sources_by_name: Vec<(String, Arc<str>)> = Vec::new();
        for (name, text) in assets::TEMPLATES {
            if project.templates.iter().any(|t| t.name == *name) {
                continue;
            }
            let id = sources.add(
                std::path::Path::new(name),
                format!("<built-in>/templates/{name}"),
                Arc::from(*text),
            );
            files.insert(name.to_string(), id);
            sources_by_name.push((name.to_string(), Arc::from(*text)));
        }
        for t in &project.templates {
            files.insert(t.name.clone(), t.file);
            sources_by_name.push((t.name.clone(), t.text.clone()));
        }
        let (tera, mut ok, set_aside) = compile(sources_by_name, &files, sources, diags);
        // A chain of includes deeper than this overflows the render's stack.
        const MAX_INCLUDE_DEPTH: usize = 40;
        let mut all: Vec<(&String, Arc<str>)> = files
            .iter()
            .filter(|(name, _)| !set_aside.contains(name))
            .map(|(name, id)| (name, sources.get(*id).text.clone()))
            .collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        let texts: Vec<(&str, &str)> = all.iter().map(|(n, t)| (n.as_str(), &**t)).collect();
        let read = names::Templates::read(&texts);
        if let Some((name, span)) = read.too_deep_include(MAX_INCLUDE_DEPTH) {
            ok = false;
            let mut d = Diagnostic::error(format!(
                "template error: includes nest more than {MAX_INCLUDE_DEPTH} templates deep"
            ))
            .help("each include renders inside the one before it; include the templates side by side, or fold some of them into one");
            if let Some(id) = files.get(&name) {
                d = d.at(crate::diag::Loc { file: *id, span }, "one include too many");
            }
            diags.push(d);
        }
        for (name, span) in read.doubling_sets() {
            ok = false;
            let mut d = Diagnostic::error(
                "template error: a `set` joins a value onto itself twice, doubling it each time it runs",
            )
            .help("in a loop this grows past any memory; join the pieces once (`{% set s = s ~ item %}`), or print them in the loop");
            if let Some(id) = files.get(&name) {
                d = d.at(crate::diag::Loc { file: *id, span }, "doubles this value");
            }
            diags.push(d);
        }
        let (markdown_names, page_names): (Vec<_>, Vec<_>) = read
            .paths()
            .into_iter()
            .partition(|(name, _)| name.ends_with(".md"));
        Some(Renderer {
            tera,
            files,
            markdown_names,
            page_names,
            broken: !ok,
        })
    }

    /// Whether some templates did not compile: the engine then only checks.
    pub fn is_broken(&self) -> bool {
        self.broken
    }

    /// The trend charts in both languages, each charted metric over the years of
    /// `values`.
    pub fn charts(project: &Project, values: &[&YearValues], status: Status) -> Arc<[Chart]> {
        Lang::ALL
            .iter()
            .flat_map(|&lang| charts::plan(project, values, lang, status))
            .collect()
    }

    /// Renders one year in both languages: the narrative texts, then `report.md`.
    pub fn render_year(
        &self,
        run: &RunView,
        year: &YearData,
        values: &YearValues,
        diags: &mut Diagnostics,
    ) -> Option<RenderedYear> {
        let shown = run.values_up_to(year.year);
        let years: Vec<i32> = shown.iter().map(|v| v.year).collect();
        let previous = run.previous(year.year);
        // A chart shows the last `chart_years` of them: a report's charts do not
        // grow with the history, nor the output with its square.
        let window = shown
            .len()
            .saturating_sub(run.project.config.chart_years as usize);
        let charts = Self::charts(run.project, &shown[window..], year.status);
        // The two editions side by side when the run leaves a core for it.
        let made = crate::par::par_map_on(run.threads, &Lang::ALL, |lang| {
            let mut d = Diagnostics::default();
            let edition = self.edition(run, year, values, previous, &years, &charts, *lang, &mut d);
            (edition, d)
        });
        let mut editions = Vec::new();
        let mut failed = false;
        for (edition, d) in made {
            diags.extend(d);
            match edition {
                Some(e) => editions.push(e),
                None => failed = true,
            }
        }
        (!failed).then(|| RenderedYear {
            year: year.year,
            editions,
            charts,
        })
    }

    /// Renders the template `name` against `context`; its errors as diagnostics.
    pub fn render_page<T: Serialize>(
        &self,
        name: &str,
        context: &T,
        sources: &Sources,
    ) -> Result<String, Vec<Diagnostic>> {
        let ctx = page_context(name, context)?;
        // As for the Markdown templates: an unknown name is an error before the
        // page renders, in a branch not taken or through `default` too.
        let unknown = self.static_page_errors(name, &ctx, context, sources);
        if !unknown.is_empty() {
            return Err(unknown);
        }
        self.tera.render(name, &ctx).map_err(|e| {
            errors::template_errors(&e, &self.files, None, sources, &errors::nothing_known)
        })
    }

    /// The names the template `name` reads that `context` does not hold, as
    /// located errors, without rendering it: for `check`, which has no page of
    /// its own to render (the diff page) but a context of its shape.
    pub fn page_errors<T: Serialize>(
        &self,
        name: &str,
        context: &T,
        sources: &Sources,
    ) -> Vec<Diagnostic> {
        match page_context(name, context) {
            Ok(ctx) => self.static_page_errors(name, &ctx, context, sources),
            Err(e) => e,
        }
    }

    fn static_page_errors<T: Serialize>(
        &self,
        name: &str,
        ctx: &Context,
        context: &T,
        sources: &Sources,
    ) -> Vec<Diagnostic> {
        let unknown = self
            .page_names
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, paths)| names::unknown_among(paths, ctx, None))
            .unwrap_or_default();
        let mut found =
            errors::unknown_names(&unknown, Some(name), &self.files, None, sources, &|| {
                page_known_names(context)
            });
        found.extend(checks::printed_tables_in(
            &self.page_names,
            Some(name),
            ctx,
            None,
            &self.files,
        ));
        found
    }
}

/// The Tera context of a page.
fn page_context<T: Serialize>(name: &str, context: &T) -> Result<Context, Vec<Diagnostic>> {
    Context::from_serialize(context).map_err(|e| {
        vec![Diagnostic::error(format!(
            "internal: cannot build the context of {name}: {e}"
        ))]
    })
}
