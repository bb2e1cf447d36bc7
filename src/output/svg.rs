//! The SVG backend: draws each chart of a report ([`crate::render::charts`]) with
//! plotters' SVG backend into `chart-<metric>.<lang>.svg`. No JavaScript, no font
//! files: text is written as SVG `<text>` with a font-family list that falls back to
//! the common Chinese fonts, so the page's language shows wherever the reader's
//! system has one of them.
//!
//! Exact values become `f64` here for geometry only (where a point or a bar goes);
//! every label a reader sees is the text the chart carries. The same input gives
//! the same bytes.

use std::sync::Arc;

use num_traits::ToPrimitive;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::html::escape;
use super::{OutputFile, YearInput};
use crate::exact::Exact;
use crate::render::charts::{Bar, Chart, ChartBody};

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

/// A chart file for every chart of the year's editions.
pub fn files(input: &YearInput) -> Vec<OutputFile> {
    input
        .report
        .charts
        .iter()
        .map(|c| OutputFile {
            name: c.file.clone(),
            bytes: svg(c),
        })
        .collect()
}

/// The chart's SVG document, drawn on first use and shared after.
pub fn svg(chart: &Chart) -> Arc<[u8]> {
    chart
        .svg
        .get_or_init(|| {
            let drawn = match &chart.body {
                ChartBody::Trend { points } => trend(chart, points),
                ChartBody::Breakdown { parts, bars } => breakdown(chart, parts, bars),
            };
            // A chart that plotters cannot draw is left empty rather than failing
            // the report: the alternative text still says what it shows.
            let svg = drawn.unwrap_or_else(|| {
                format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\"></svg>\n")
            });
            Arc::from(with_label(svg, &chart.alt).into_bytes())
        })
        .clone()
}

/// Geometry only: never shown to a reader.
fn geometry(v: &Exact) -> f64 {
    v.0.to_f64().unwrap_or(0.0)
}

fn font(size: u32) -> TextStyle<'static> {
    (FONT_FAMILY, size).into_font().color(&INK)
}

/// Draws the common frame (title).
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
    let escaped = escape(alt);
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
fn trend(chart: &Chart, points: &[Option<(Exact, String)>]) -> Option<String> {
    let years = &chart.years;
    let defined: Vec<(i32, f64, &str)> = years
        .iter()
        .zip(points)
        .filter_map(|(y, p)| {
            let (v, text) = p.as_ref()?;
            Some((*y, geometry(v), text.as_str()))
        })
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        frame(&root, &chart.title).ok()?;
        let (lo, hi) = y_range(defined.iter().map(|p| p.1));
        let (first, last) = (*years.first()?, *years.last()?);
        let mut plot = ChartBuilder::on(&root)
            .margin_top(44)
            .margin_left(24)
            .margin_right(24)
            .margin_bottom(8)
            .x_label_area_size(28)
            .build_cartesian_2d((first - 1)..(last + 1), lo..hi)
            .ok()?;
        let years_fmt = year_label(years);
        plot.configure_mesh()
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
        for (y, p) in years.iter().zip(points) {
            match p {
                Some((v, _)) => run.push((*y, geometry(v))),
                None => runs.push(std::mem::take(&mut run)),
            }
        }
        runs.push(run);
        for r in runs.into_iter().filter(|r| r.len() > 1) {
            plot.draw_series(LineSeries::new(r, LINE.stroke_width(2)))
                .ok()?;
        }
        plot.draw_series(defined.iter().map(|(y, v, text)| {
            EmptyElement::at((*y, *v))
                + Circle::new((0, 0), 4, LINE.filled())
                + Text::new(
                    text.to_string(),
                    (0, -10),
                    font(16).pos(Pos::new(HPos::Center, VPos::Bottom)),
                )
        }))
        .ok()?;
        root.present().ok()?;
    }
    Some(svg)
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

/// Stacked bars: each year's total split into its parts, the total on top.
fn breakdown(chart: &Chart, names: &[String], bars: &[Bar]) -> Option<String> {
    let years = &chart.years;
    // Per year: the parts' geometry (a part that is not a figure counts as 0).
    let heights: Vec<Vec<f64>> = bars
        .iter()
        .map(|b| {
            b.parts
                .iter()
                .map(|p| p.as_ref().map_or(0.0, |v| geometry(v).max(0.0)))
                .collect()
        })
        .collect();
    let top = heights
        .iter()
        .map(|h| h.iter().sum::<f64>())
        .fold(0.0_f64, f64::max);
    let top = if top > 0.0 { top * 1.2 } else { 1.0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        frame(&root, &chart.title).ok()?;
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
        let mut plot = ChartBuilder::on(&root)
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
        plot.configure_mesh()
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
        for i in 0..names.len() {
            let colour = PARTS[i % PARTS.len()];
            plot.draw_series(bars.iter().zip(&heights).map(|(b, h)| {
                let base: f64 = h[..i].iter().sum();
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(b.year), base),
                        (SegmentValue::Exact(b.year + 1), base + h[i]),
                    ],
                    colour.filled(),
                );
                bar.set_margin(0, 0, 18, 18);
                bar
            }))
            .ok()?;
        }
        plot.draw_series(bars.iter().zip(&heights).map(|(b, h)| {
            EmptyElement::at((SegmentValue::CenterOf(b.year), h.iter().sum::<f64>()))
                + Text::new(
                    b.total.clone(),
                    (0, -6),
                    font(16).pos(Pos::new(HPos::Center, VPos::Bottom)),
                )
        }))
        .ok()?;
        root.present().ok()?;
    }
    Some(svg)
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
