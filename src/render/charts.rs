//! Trend charts as SVG, drawn with plotters' SVG backend: a line over the years
//! for each metric with `chart = true`, and stacked bars for each metric whose
//! `parts` break a total down (births by order). No JavaScript, no font files:
//! text is written as SVG `<text>` with a font-family list that falls back to the
//! common Chinese fonts, so the page's language shows wherever the reader's
//! system has one of them.
//!
//! Exact values become `f64` here for geometry only (where a point or a bar
//! goes); every label a reader sees is the exact value formatted by
//! `render::format`, as in the tables. The same input gives the same bytes.

use std::collections::BTreeMap;

use num_traits::ToPrimitive;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::format;
use crate::compute::YearValues;
use crate::exact::Exact;
use crate::load::{Figure, Lang, MetricDef, Project};

/// The font list of every text in a chart: Latin first, then CJK fallbacks.
pub const FONT_FAMILY: &str = "Helvetica Neue, Arial, Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Hiragino Sans GB, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif";

const WIDTH: u32 = 640;
const HEIGHT: u32 = 300;
const INK: RGBColor = RGBColor(51, 51, 51);
const GRID: RGBColor = RGBColor(221, 221, 221);
const LINE: RGBColor = RGBColor(31, 96, 160);
/// Colours of the parts of a breakdown, in order (colour-blind safe, Okabe–Ito).
const PARTS: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
];

/// One chart of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// The metric it shows.
    pub metric: String,
    /// The file it is written to beside the reports: `chart-birth_rate.zh.svg`.
    pub file: String,
    /// Alternative text: what the chart shows, in words.
    pub alt: String,
    /// The SVG document.
    pub svg: String,
}

/// Every chart of a page in `lang`, over `years` (oldest first), in catalogue order.
pub fn page_charts(
    project: &Project,
    all_values: &[&YearValues],
    years: &[i32],
    lang: Lang,
) -> Vec<Chart> {
    let mut out = Vec::new();
    if years.is_empty() {
        return out;
    }
    let values: BTreeMap<i32, &YearValues> = all_values.iter().map(|v| (v.year, *v)).collect();
    let values = &values;
    for m in project.catalogue.metrics.values() {
        let chart = if !m.parts.is_empty() {
            breakdown(project, m, values, years, lang)
        } else if m.chart {
            trend(project, m, values, years, lang)
        } else {
            None
        };
        out.extend(chart);
    }
    out
}

fn label(m: &MetricDef, lang: Lang) -> String {
    m.label.get_or_fallback(lang).0.to_string()
}

fn title(m: &MetricDef, lang: Lang) -> String {
    let unit = m.unit.get(lang);
    match (unit.is_empty(), lang) {
        (true, _) => label(m, lang),
        (false, Lang::Zh) => format!("{}（{unit}）", label(m, lang)),
        (false, Lang::En) => format!("{} ({unit})", label(m, lang)),
    }
}

fn span_text(years: &[i32], lang: Lang) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => match lang {
            Lang::Zh => format!("{a}—{b}年"),
            Lang::En => format!("{a}–{b}"),
        },
        (Some(a), _) => match lang {
            Lang::Zh => format!("{a}年"),
            Lang::En => a.to_string(),
        },
        _ => String::new(),
    }
}

/// Geometry only: never shown to a reader.
fn geometry(v: &Exact) -> f64 {
    v.0.to_f64().unwrap_or(0.0)
}

fn font(size: u32) -> TextStyle<'static> {
    (FONT_FAMILY, size).into_font().color(&INK)
}

/// Draws the common frame (title) and returns the area left for the plot.
fn frame(root: &DrawingArea<SVGBackend, Shift>, caption: &str) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    root.draw(&Text::new(
        caption.to_string(),
        ((WIDTH / 2) as i32, 10),
        font(21).pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(|e| e.to_string())
}

/// Labels an SVG for assistive technology (plotters writes none).
fn with_label(svg: String, alt: &str) -> String {
    let escaped = super::html::escape(alt);
    svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{escaped}\" "),
        1,
    )
}

fn year_label(years: &[i32]) -> impl Fn(&i32) -> String + '_ {
    move |y: &i32| {
        if years.contains(y) {
            y.to_string()
        } else {
            String::new()
        }
    }
}

/// A line over the years, each point labelled with its displayed value.
fn trend(
    project: &Project,
    m: &MetricDef,
    values: &BTreeMap<i32, &YearValues>,
    years: &[i32],
    lang: Lang,
) -> Option<Chart> {
    let mode = project.config.rounding;
    let points: Vec<(i32, Option<Exact>)> = years
        .iter()
        .map(|y| {
            let v = values
                .get(y)
                .and_then(|v| v.metrics.get(&m.name))
                .cloned()
                .flatten();
            (*y, v)
        })
        .collect();
    let defined: Vec<(i32, f64, String)> = points
        .iter()
        .filter_map(|(y, v)| {
            let v = v.as_ref()?;
            Some((
                *y,
                geometry(v),
                format::value(Some(v), m.decimals, mode, lang),
            ))
        })
        .collect();
    let caption = title(m, lang);
    let alt = match lang {
        Lang::Zh => format!("{caption}，{}", span_text(years, lang)),
        Lang::En => format!("{caption}, {}", span_text(years, lang)),
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        frame(&root, &caption).ok()?;
        let (lo, hi) = y_range(defined.iter().map(|p| p.1));
        let (first, last) = (*years.first()?, *years.last()?);
        let mut chart = ChartBuilder::on(&root)
            .margin_top(44)
            .margin_left(24)
            .margin_right(24)
            .margin_bottom(8)
            .x_label_area_size(28)
            .build_cartesian_2d((first - 1)..(last + 1), lo..hi)
            .ok()?;
        let years_fmt = year_label(years);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_y_axis()
            .y_labels(5)
            .y_label_formatter(&|_| String::new())
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .axis_style(GRID)
            .x_labels(years.len() + 2)
            .x_label_formatter(&years_fmt)
            .x_label_style(font(16))
            .draw()
            .ok()?;
        // Undefined years leave a gap: the line joins only neighbours that exist.
        let mut run: Vec<(i32, f64)> = Vec::new();
        let mut runs = Vec::new();
        for (y, v) in &points {
            match v {
                Some(v) => run.push((*y, geometry(v))),
                None => runs.push(std::mem::take(&mut run)),
            }
        }
        runs.push(run);
        for r in runs.into_iter().filter(|r| r.len() > 1) {
            chart
                .draw_series(LineSeries::new(r, LINE.stroke_width(2)))
                .ok()?;
        }
        chart
            .draw_series(defined.iter().map(|(y, v, text)| {
                EmptyElement::at((*y, *v))
                    + Circle::new((0, 0), 4, LINE.filled())
                    + Text::new(
                        text.clone(),
                        (0, -10),
                        font(16).pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )
            }))
            .ok()?;
        root.present().ok()?;
    }
    Some(Chart {
        metric: m.name.clone(),
        file: format!("chart-{}.{}.svg", m.name, lang.code()),
        alt: alt.clone(),
        svg: with_label(svg, &alt),
    })
}

/// The value range of a plot with room above for the labels; a flat series gets
/// a band around its value.
fn y_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let span = if hi > lo {
        hi - lo
    } else {
        (hi.abs() * 0.1).max(1.0)
    };
    (lo - span * 0.35, hi + span * 0.45)
}

/// The part labels of a breakdown: from the catalogue, or the figure's last name.
fn part_label(m: &MetricDef, i: usize, lang: Lang) -> String {
    if let Some(Some(t)) = m.part_labels.get(i) {
        return t.get_or_fallback(lang).0.to_string();
    }
    let path = m.parts.get(i).map(|p| p.0.as_str()).unwrap_or("");
    path.rsplit('.').next().unwrap_or(path).replace('_', " ")
}

/// Stacked bars: each year's total split into its parts, the total on top.
fn breakdown(
    project: &Project,
    m: &MetricDef,
    values: &BTreeMap<i32, &YearValues>,
    years: &[i32],
    lang: Lang,
) -> Option<Chart> {
    let mode = project.config.rounding;
    let caption = title(m, lang);
    let names: Vec<String> = (0..m.parts.len()).map(|i| part_label(m, i, lang)).collect();
    let alt = match lang {
        Lang::Zh => format!(
            "{caption}，{}：{}",
            span_text(years, lang),
            names.join("、")
        ),
        Lang::En => format!(
            "{caption}, {}: {}",
            span_text(years, lang),
            names.join(", ")
        ),
    };
    // Per year: the parts' geometry and the total's displayed text.
    let mut bars: Vec<(i32, Vec<f64>, String)> = Vec::new();
    for y in years {
        let Some(data) = project.years.get(y) else {
            continue;
        };
        let parts: Vec<f64> = m
            .parts
            .iter()
            .map(|(path, _)| {
                let segs: Vec<String> = path.split('.').map(str::to_string).collect();
                match Figure::lookup(&data.figures, &segs) {
                    Some(Figure::Number(n, _)) => geometry(n).max(0.0),
                    _ => 0.0,
                }
            })
            .collect();
        let total = values
            .get(y)
            .and_then(|v| v.metrics.get(&m.name))
            .and_then(Option::as_ref);
        let text = format::value(total, m.decimals, mode, lang);
        bars.push((*y, parts, text));
    }
    let top = bars
        .iter()
        .map(|b| b.1.iter().sum::<f64>())
        .fold(0.0_f64, f64::max);
    let top = if top > 0.0 { top * 1.2 } else { 1.0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        frame(&root, &caption).ok()?;
        // The legend: a swatch and a name per part, in one row under the title.
        let mut x = 24_i32;
        for (i, name) in names.iter().enumerate() {
            let colour = PARTS[i % PARTS.len()];
            root.draw(&Rectangle::new([(x, 40), (x + 12, 52)], colour.filled()))
                .ok()?;
            root.draw(&Text::new(
                name.clone(),
                (x + 17, 46),
                font(16).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .ok()?;
            let width: i32 = name
                .chars()
                .map(|c| if c.is_ascii() { 8 } else { 14 })
                .sum();
            x += 17 + width + 18;
        }
        let (first, last) = (*years.first()?, *years.last()?);
        let mut chart = ChartBuilder::on(&root)
            .margin_top(64)
            .margin_left(24)
            .margin_right(24)
            .margin_bottom(8)
            .x_label_area_size(28)
            .build_cartesian_2d(((first - 1)..(last + 1)).into_segmented(), 0.0..top)
            .ok()?;
        let seg_label = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(y) | SegmentValue::Exact(y) if years.contains(y) => {
                y.to_string()
            }
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_y_axis()
            .y_labels(5)
            .y_label_formatter(&|_| String::new())
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .axis_style(GRID)
            .x_labels(years.len() + 2)
            .x_label_formatter(&seg_label)
            .x_label_style(font(16))
            .draw()
            .ok()?;
        for (i, _) in m.parts.iter().enumerate() {
            let colour = PARTS[i % PARTS.len()];
            chart
                .draw_series(bars.iter().map(|(y, parts, _)| {
                    let base: f64 = parts[..i].iter().sum();
                    let mut bar = Rectangle::new(
                        [
                            (SegmentValue::Exact(*y), base),
                            (SegmentValue::Exact(*y + 1), base + parts[i]),
                        ],
                        colour.filled(),
                    );
                    bar.set_margin(0, 0, 18, 18);
                    bar
                }))
                .ok()?;
        }
        chart
            .draw_series(bars.iter().map(|(y, parts, text)| {
                EmptyElement::at((SegmentValue::CenterOf(*y), parts.iter().sum::<f64>()))
                    + Text::new(
                        text.clone(),
                        (0, -6),
                        font(16).pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )
            }))
            .ok()?;
        root.present().ok()?;
    }
    Some(Chart {
        metric: m.name.clone(),
        file: format!("chart-{}.{}.svg", m.name, lang.code()),
        alt: alt.clone(),
        svg: with_label(svg, &alt),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_leave_room_and_never_collapse() {
        let (lo, hi) = y_range([8.79, 8.45].into_iter());
        assert!(lo < 8.45 && hi > 8.79);
        let (lo, hi) = y_range([5.0].into_iter());
        assert!(lo < 5.0 && hi > 5.0);
        assert_eq!(y_range(std::iter::empty()), (0.0, 1.0));
    }

    #[test]
    fn labels_are_escaped_into_the_svg_tag() {
        let svg = with_label("<svg width=\"1\"></svg>".into(), "a \"b\" <c> & d");
        assert_eq!(
            svg,
            "<svg role=\"img\" aria-label=\"a &quot;b&quot; &lt;c&gt; &amp; d\" width=\"1\"></svg>"
        );
    }
}
