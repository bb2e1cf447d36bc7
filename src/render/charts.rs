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
    /// The metric's decimals: the value axis is labelled with no more.
    pub decimals: u32,
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
                decimals: m.decimals,
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
            // Placed at the value shown: two points labelled 33.3 sit at one height.
            Some((v.rounded(m.decimals, mode), text))
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

/// The ticks of a value axis: multiples of a round step (1, 2 or 5 × 10ⁿ) never
/// finer than the metric's decimals, so that no two ticks read alike ("33.3",
/// "33.3") and none shows a place the values do not have (113.0 of a 2-decimal
/// metric is fine, 33.40 of a 1-decimal one is not). The labels are made from
/// integers, exactly; the floats are for placing only.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    /// The first and last multiple of the step: ticks at `k × step`, `first ≤ k ≤ last`.
    pub first: i64,
    pub last: i64,
    /// The step: `mantissa × 10^exp`.
    pub mantissa: i64,
    pub exp: i32,
}

impl Ticks {
    /// Ticks covering `lo..hi` (real units, `lo < hi`) with about five intervals and
    /// at most `decimals` places; the axis then runs from the first to the last.
    pub fn new(lo: f64, hi: f64, decimals: u32) -> Ticks {
        let finest = -(decimals.min(12) as i32);
        let largest = lo.abs().max(hi.abs());
        // At least a trillionth of the largest value: a float resolves no finer.
        let raw = ((hi - lo) / 5.0).max(largest * 1e-12);
        let (mut mantissa, mut exp) = if raw.is_finite() && raw > 0.0 {
            let exp = raw.log10().floor() as i32;
            let norm = raw / 10f64.powi(exp);
            match norm {
                n if n <= 1.0 => (1, exp),
                n if n <= 2.0 => (2, exp),
                n if n <= 5.0 => (5, exp),
                _ => (1, exp + 1),
            }
        } else {
            (1, finest)
        };
        if exp < finest {
            (mantissa, exp) = (1, finest);
        }
        loop {
            let step = mantissa as f64 * 10f64.powi(exp);
            let first = (lo / step + 1e-9).floor();
            let last = (hi / step - 1e-9).ceil();
            // Too many ticks (the step was made coarser than asked): the next step.
            if last - first <= 8.0 || !step.is_finite() {
                let bound = i64::MAX as f64 / 16.0;
                if first.abs() < bound && last.abs() < bound {
                    return Ticks {
                        first: first as i64,
                        last: (last as i64).max(first as i64 + 1),
                        mantissa,
                        exp,
                    };
                }
            }
            (mantissa, exp) = match mantissa {
                1 => (2, exp),
                2 => (5, exp),
                _ => (1, exp + 1),
            };
            if exp > 400 {
                return Ticks {
                    first: 0,
                    last: 1,
                    mantissa: 1,
                    exp: 0,
                };
            }
        }
    }

    /// The ticks' multiples of the step, in order.
    pub fn multiples(&self) -> impl Iterator<Item = i64> + '_ {
        self.first..=self.last
    }

    /// Where tick `k` is, in units of `10^scale_exp` (the plot's unit).
    pub fn at(&self, k: i64, scale_exp: i32) -> f64 {
        (k as f64 * self.mantissa as f64) * 10f64.powi(self.exp - scale_exp)
    }

    /// The places of every label.
    pub fn decimals(&self) -> u32 {
        u32::try_from(-self.exp).unwrap_or(0)
    }

    /// The step as a plain decimal (`0.5`, `5000`), for a spreadsheet's axis.
    pub fn step(&self) -> String {
        digits(i128::from(self.mantissa), self.exp)
    }

    /// Tick `k` as a plain decimal (`-0.5`, `2500000`).
    pub fn label(&self, k: i64) -> String {
        digits(i128::from(k) * i128::from(self.mantissa), self.exp)
    }
}

/// `n × 10^exp` written out.
fn digits(n: i128, exp: i32) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let mut d = n.unsigned_abs().to_string();
    if exp >= 0 {
        if n == 0 {
            return d;
        }
        d.push_str(&"0".repeat(exp as usize));
        return format!("{sign}{d}");
    }
    let places = exp.unsigned_abs() as usize;
    if d.len() <= places {
        d = format!("{}{d}", "0".repeat(places + 1 - d.len()));
    }
    let (int, frac) = d.split_at(d.len() - places);
    format!("{sign}{int}.{frac}")
}
