//! Which trend charts a report has, and what they show: a line over the years for
//! each metric with `chart = true`, and stacked bars for each metric whose `parts`
//! break a total down (births by order). This is the charts' content (values, the
//! labels a reader sees, the alternative text); the output backends draw it (SVG,
//! and Word's own charts). Every label is the exact value formatted by
//! [`super::format`], as in the tables.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use super::format;
use crate::compute::YearValues;
use crate::exact::Exact;
use crate::i18n::Lang;
use crate::model::{Figure, MetricDef, Project, Status};

/// One chart of a report, in one language.
#[derive(Debug)]
pub struct Chart {
    /// The metric it shows.
    pub metric: String,
    /// Its language.
    pub lang: Lang,
    /// The file it is written to beside the reports: `chart-birth_rate.zh.svg`.
    pub file: String,
    /// Its title: the metric's label (the value axis gives the unit).
    pub title: String,
    /// The unit of the values, for the value axis.
    pub unit: String,
    /// Alternative text: what the chart shows, in words.
    pub alt: String,
    /// The years it spans, oldest first.
    pub years: Vec<i32>,
    /// What it shows.
    pub body: ChartBody,
    /// The drawn SVG (or why it cannot be drawn), made once by the SVG backend
    /// however many outputs show the chart.
    pub svg: OnceLock<Result<Arc<[u8]>, String>>,
}

/// The content of a chart.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartBody {
    /// A line: per year, the value and its label (`None`: undefined that year).
    Trend {
        /// One point per year of the chart.
        points: Vec<Option<(Exact, String)>>,
    },
    /// Stacked bars: per year, each part's figure and the total's label.
    Breakdown {
        /// The name of each part.
        parts: Vec<String>,
        /// One bar per year that has data.
        bars: Vec<Bar>,
    },
}

/// One bar of a breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The year.
    pub year: i32,
    /// Each part's figure (`None`: not a figure that year).
    pub parts: Vec<Option<Exact>>,
    /// Each part's figure as displayed ("—" when it is not a figure).
    pub part_labels: Vec<String>,
    /// The total, as displayed.
    pub total: String,
}

/// Every chart of a report in `lang` over the years of `all_values` (oldest first),
/// in catalogue order. Of a year whose figures are not final, each chart says
/// so in its title (`总人口（快报）`): a chart file copied out on its own does not
/// pass for final figures.
pub fn plan(
    project: &Project,
    all_values: &[&YearValues],
    lang: Lang,
    status: Status,
) -> Vec<Chart> {
    let years: Vec<i32> = all_values.iter().map(|v| v.year).collect();
    if years.is_empty() {
        return Vec::new();
    }
    let values: BTreeMap<i32, &YearValues> = all_values.iter().map(|v| (v.year, *v)).collect();
    project
        .catalogue
        .metrics
        .values()
        .filter_map(|m| {
            let body = if !m.parts.is_empty() {
                breakdown(project, m, &values, &years, lang)
            } else if m.chart && years.len() > 1 {
                // A trend needs two years at least: one point says nothing a table
                // does not.
                trend(project, m, &values, &years, lang)
            } else {
                return None;
            };
            let w = lang.words();
            let banner = match status {
                Status::Final => None,
                Status::Preliminary => Some(w.banner_title_preliminary),
                Status::Draft => Some(w.banner_title_draft),
            };
            let marked = |text: String| match banner {
                Some(b) => w.with_remark(&text, b),
                None => text,
            };
            let title = marked(label(m, lang));
            let titled = marked(title_with_unit(m, lang));
            let span = w.year_span(*years.first()?, *years.last()?);
            let alt = match &body {
                ChartBody::Breakdown { parts, .. } => format!(
                    "{titled}{}{span}{}{}",
                    w.comma,
                    w.colon,
                    parts.join(w.list_sep)
                ),
                ChartBody::Trend { .. } => format!("{titled}{}{span}", w.comma),
            };
            Some(Chart {
                metric: m.name.clone(),
                lang,
                file: format!("chart-{}.{}.svg", m.name, lang.code()),
                title,
                unit: m.unit.get(lang).to_string(),
                alt,
                years: years.clone(),
                body,
                svg: OnceLock::new(),
            })
        })
        .collect()
}

fn label(m: &MetricDef, lang: Lang) -> String {
    m.label.or_fallback(lang).to_string()
}

/// The label with the unit in parentheses, unless the label already says it
/// ("Births", not "Births (births)"), for the alternative text.
fn title_with_unit(m: &MetricDef, lang: Lang) -> String {
    let unit = m.unit.get(lang);
    let label = label(m, lang);
    if unit.is_empty() || label.to_lowercase().contains(&unit.to_lowercase()) {
        label
    } else {
        lang.words().with_remark(&label, unit)
    }
}

fn trend(
    project: &Project,
    m: &MetricDef,
    values: &BTreeMap<i32, &YearValues>,
    years: &[i32],
    lang: Lang,
) -> ChartBody {
    let mode = project.config.rounding;
    let points = years
        .iter()
        .map(|y| {
            let v = values.get(y)?.metrics.get(&m.name)?.clone()?;
            let text = format::value(Some(&v), m.decimals, mode, lang);
            Some((v, text))
        })
        .collect();
    ChartBody::Trend { points }
}

/// The part labels of a breakdown: from the catalogue, or the figure's last name.
fn part_label(m: &MetricDef, i: usize, lang: Lang) -> String {
    if let Some(Some(t)) = m.part_labels.get(i) {
        return t.or_fallback(lang).to_string();
    }
    let path = m.parts.get(i).map(|p| p.0.as_str()).unwrap_or("");
    path.rsplit('.').next().unwrap_or(path).replace('_', " ")
}

fn breakdown(
    project: &Project,
    m: &MetricDef,
    values: &BTreeMap<i32, &YearValues>,
    years: &[i32],
    lang: Lang,
) -> ChartBody {
    let mode = project.config.rounding;
    let mut parts: Vec<String> = (0..m.parts.len()).map(|i| part_label(m, i, lang)).collect();
    let mut bars: Vec<Bar> = years
        .iter()
        .filter_map(|y| {
            let data = project.years.get(y)?;
            let parts: Vec<Option<Exact>> = m
                .parts
                .iter()
                .map(|(path, _)| Figure::number_at(&data.figures, path).cloned())
                .collect();
            let part_labels = parts
                .iter()
                .map(|p| match p {
                    Some(v) => format::number(&v.to_exact_string(), lang),
                    None => format::UNDEFINED.to_string(),
                })
                .collect();
            let total = values
                .get(y)
                .and_then(|v| v.metrics.get(&m.name))
                .and_then(Option::as_ref);
            Some(Bar {
                year: *y,
                parts,
                part_labels,
                total: format::value(total, m.decimals, mode, lang),
            })
        })
        .collect();
    // Parts that fall short of the total (`check` warns): the rest is a part of its
    // own, "other", so that each bar is as tall as the total it is labelled with.
    let rest = |b: &Bar| -> Option<Exact> {
        let total = values.get(&b.year)?.metrics.get(&m.name)?.as_ref()?;
        let mut sum = Exact::zero();
        for p in &b.parts {
            sum = &sum + p.as_ref()?;
        }
        Some(if &sum < total {
            total - &sum
        } else {
            Exact::zero()
        })
    };
    let rests: Vec<Option<Exact>> = bars.iter().map(rest).collect();
    if rests.iter().flatten().any(|r| !r.is_zero()) {
        parts.push(lang.words().other_part.to_string());
        for (b, r) in bars.iter_mut().zip(rests) {
            b.part_labels.push(match &r {
                Some(v) => format::number(&v.to_exact_string(), lang),
                None => format::UNDEFINED.to_string(),
            });
            b.parts.push(r);
        }
    }
    ChartBody::Breakdown { parts, bars }
}
