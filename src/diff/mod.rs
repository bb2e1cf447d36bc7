//! `nianbao diff`: comparing two years ([`compare`], pure) apart from presenting the
//! result ([`text`], [`markdown`], [`json`], [`html`]). [`produce`] runs the pipeline
//! for the two years and gives the comparison in the format asked for; the command
//! and `serve`'s diff pages both call it.
//!
//! Every number shown is rounded once from an exact value: a metric at its
//! decimals, a change from the exact difference, a relative change at one decimal.

pub mod compare;
pub mod html;
pub mod json;
pub mod markdown;
pub mod text;
mod view;
pub mod words;

use std::path::Path;

use crate::compute::YearValues;
use crate::diag::{Diagnostic, Diagnostics, Sources};
use crate::i18n::Lang;
use crate::model::{Section, Text, YearData};
use crate::output::svg;
use crate::pipeline::{self, Depth, Years};
use crate::render::{RenderedYear, Renderer};
use compare::Side;

/// The presentations of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a terminal.
    Text,
    /// Markdown.
    Markdown,
    /// A self-contained HTML page.
    Html,
    /// JSON for other tools.
    Json,
}

/// Why a comparison could not be made.
#[derive(Debug)]
pub enum Failure {
    /// A year is not a year, or does not exist (exit 2).
    Usage(String),
    /// The data or templates have errors, with the files they point into (exit 1).
    Data(Box<(Diagnostics, Sources)>),
}

/// Compares two years of the project at `root` and presents the result in `format`
/// (`colour` for the text format).
pub fn produce(
    root: &Path,
    from: i32,
    to: i32,
    format: Format,
    lang: Lang,
    colour: bool,
) -> Result<String, Failure> {
    // One run computes every year (the charts span them all) and renders the two
    // compared, so that their narrative is compared as the reports read it
    // (numbers filled in), not as template source.
    let run = pipeline::run(root, &Years::These(vec![from, to]), Depth::Render)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let Some(project) = &run.project else {
        return Err(Failure::Data(Box::new((run.diags, run.sources))));
    };
    let side = |y: i32| Some((project.years.get(&y)?, run.values(y)?));
    let sides = (side(from), side(to));
    // A year that does not build (its files or checks have errors, a rule fails,
    // a narrative does not render) is not compared: a diff of it would show
    // figures that fail their checks, or narrative as unrendered `{{ … }}`
    // source. Its errors are given as `build` gives them.
    let (Some((data_a, values_a)), Some((data_b, values_b))) = sides else {
        return Err(not_comparable(&run, from, to));
    };
    if !run.all_rendered() {
        return Err(not_comparable(&run, from, to));
    }
    let rendered = |y: i32| run.report(y).map(|r| &r.rendered);
    let (text_a, text_b) = (
        as_rendered(data_a, rendered(from)),
        as_rendered(data_b, rendered(to)),
    );
    let a = Side {
        data: &text_a,
        values: values_a,
    };
    let b = Side {
        data: &text_b,
        values: values_b,
    };
    let d = compare::compare(project, a, b, lang);
    Ok(match format {
        Format::Text => text::text(project, &d, colour),
        Format::Markdown => markdown::markdown(project, &d),
        Format::Json => json::json(project, &d),
        Format::Html => {
            // The run compiled the templates to render both years; a template
            // error would have stopped it there.
            let Some(renderer) = &run.renderer else {
                return Err(Failure::Data(Box::new((run.diags, run.sources))));
            };
            let span = from.min(to)..=from.max(to);
            let values: Vec<&YearValues> = run
                .years
                .values()
                .filter_map(|s| s.values())
                .filter(|v| span.contains(&v.year))
                .collect();
            // A comparison of years, not one year's output: no status in the titles.
            let charts = Renderer::charts(project, &values, crate::model::Status::Final);
            let drawn: Vec<String> = charts
                .iter()
                .filter(|c| c.lang == lang)
                .filter_map(|c| svg::svg(c).ok())
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .collect();
            renderer
                .render_page(
                    "diff.html",
                    &html::page(project, &d, drawn.join("\n")),
                    &run.sources,
                )
                .map_err(|found| {
                    let mut diags = Diagnostics::default();
                    diags.extend_items(found);
                    Failure::Data(Box::new((diags, run.sources.clone())))
                })?
        }
    })
}

/// The names `templates/diff.html` reads that its page does not have, for
/// `check`: looked up in a page of the diff's shape (one row in every list), so
/// that a misspelt name is found before the first `diff --format html`.
pub fn check_page(renderer: &Renderer, sources: &Sources) -> Vec<Diagnostic> {
    renderer.page_errors("diff.html", &html::shape(), sources)
}

/// The failure of a comparison of years that do not build: every diagnostic of
/// the run, closed by one that says so.
fn not_comparable(run: &pipeline::Run, from: i32, to: i32) -> Failure {
    let summary = crate::diag::summary_line(&run.diags, &run.sources);
    let mut diags = run.diags.clone();
    diags.push(Diagnostic::error(format!(
        "cannot compare {from} and {to}: {summary}"
    )));
    Failure::Data(Box::new((diags, run.sources.clone())))
}

/// The year's data with every narrative text replaced by the text its report
/// shows (Tera expressions filled in), in both languages. When the year does not
/// render (a template error), its texts stay as written.
fn as_rendered(data: &YearData, rendered: Option<&RenderedYear>) -> YearData {
    let mut out = data.clone();
    let Some(rendered) = rendered else {
        return out;
    };
    for edition in &rendered.editions {
        let lang = edition.lang;
        let set = |t: &mut Text, new: Option<&String>| {
            // Unwritten texts stay empty (they show as "(to be written)"), and a
            // missing translation stays missing: the other language stands in.
            if let (Some(s), Some(new)) = (t.get_mut(lang), new)
                && !s.text.trim().is_empty()
            {
                s.text = new.replace("&lt;", "<").replace("&gt;", ">");
            }
        };
        let section = |sec: &mut Section, v: Option<&crate::render::context::SectionText>| {
            set(&mut sec.title, v.and_then(|v| v.title.as_ref()));
            if let Some(t) = &mut sec.text {
                set(t, v.and_then(|v| v.text.as_ref()));
            }
            for (i, p) in sec.points.iter_mut().enumerate() {
                set(p, v.and_then(|v| v.points.get(i)).and_then(Option::as_ref));
            }
        };
        if let (Some(summary), Some(v)) = (&mut out.summary, &edition.context.summary) {
            if let Some(t) = &mut summary.opening {
                set(t, v.opening.as_ref());
            }
            if let Some(t) = &mut summary.indicators {
                set(t, v.indicators.as_ref());
            }
            for (i, sec) in summary.sections.iter_mut().enumerate() {
                section(sec, v.sections.get(i));
            }
            if let Some(t) = &mut summary.shortcomings {
                set(t, v.shortcomings.as_ref());
            }
        }
        if let (Some(plan), Some(v)) = (&mut out.plan, &edition.context.plan) {
            if let Some(t) = &mut plan.guiding_principle {
                set(t, v.guiding_principle.as_ref());
            }
            for (i, item) in plan.items.iter_mut().enumerate() {
                section(item, v.items.get(i));
            }
        }
    }
    out
}
