//! The SVG backend: draws each chart of a report ([`crate::render::charts`]) with
//! plotters into `chart-<metric>.<lang>.svg`, written by [`writer::SvgWriter`] (the
//! elements plotters' own SVG backend writes, without the attributes nobody sees,
//! and faster). No JavaScript, no font
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
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{OutputFile, YearInput};
use crate::diag::Diagnostic;
use crate::exact::Exact;
use crate::render::charts::{Bar, Chart, ChartBody};
use writer::{Attrs, SvgWriter};

mod writer;

/// The font list of every text in a chart: Latin first, then CJK fallbacks.
pub const FONT_FAMILY: &str = "Helvetica Neue, Arial, Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Hiragino Sans GB, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif";

// 520 wide with labels of 22 (which plotters writes as 17.7 pixels): on a 390-pixel
// phone, where the chart is drawn about 325 pixels wide, a label is still 11 pixels.
const WIDTH: u32 = 520;
const HEIGHT: u32 = 300;
/// Label and title sizes, as plotters takes them.
const LABEL: u32 = 22;
const TITLE: u32 = 24;
/// Room for the value axis and its labels.
const Y_AXIS: u32 = 84;
/// The top of a breakdown's plot, below the title and the legend.
const BAR_TOP: u32 = 78;
/// Room right of the last bar of a breakdown for its parts' labels.
const PART_LABELS: u32 = 70;
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
pub fn files(input: &YearInput) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for c in input.report.charts.iter() {
        match svg(c) {
            Ok(bytes) => out.push(OutputFile {
                name: c.file.clone(),
                bytes,
            }),
            Err(message) => {
                // Once for the metric, not for each language.
                if c.lang == crate::i18n::Lang::Zh {
                    let d = Diagnostic::error(message).help(
                        "a chart places values as floating-point numbers; turn the chart off (`chart = false`) or check the figures",
                    );
                    errors.push(match input.project.catalogue.metrics.get(&c.metric) {
                        Some(m) => d.at(m.name_loc.clone(), "charted here"),
                        None => d,
                    });
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The chart's SVG document, drawn on first use and shared after; an error when a
/// value is too large for a chart to place (beyond `f64`).
pub fn svg(chart: &Chart) -> Result<Arc<[u8]>, String> {
    chart
        .svg
        .get_or_init(|| Ok(Arc::from(written(chart, LEAN)?.into_bytes())))
        .clone()
}

/// The chart's SVG text, with `attrs`; empty when the chart spans no years.
fn written(chart: &Chart, attrs: Attrs) -> Result<String, String> {
    let mut svg = String::new();
    let label = crate::escape::html(&chart.alt);
    let drawn = draw(
        &SvgWriter::new(&mut svg, (WIDTH, HEIGHT), &label, attrs).into_drawing_area(),
        chart,
    )?;
    if !drawn {
        svg.clear();
    }
    Ok(svg)
}

const LEAN: Attrs = Attrs::Lean {
    font_family: FONT_FAMILY,
};

/// Draws `chart` on `root` and presents it; false when it spans no years (the
/// file is then empty).
fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &Chart) -> Result<bool, String> {
    match &chart.body {
        ChartBody::Trend { points } => trend(root, chart, points),
        ChartBody::Breakdown { parts, bars } => breakdown(root, chart, parts, bars),
    }
}

/// Geometry only, never shown to a reader: the value as a float, or an error when
/// it is beyond the range of one.
fn geometry(v: &Exact, chart: &Chart) -> Result<f64, String> {
    match v.0.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => Err(format!(
            "the chart of `{}` cannot be drawn: a value ({}…) is too large to place on a chart",
            chart.metric,
            v.to_exact_string().chars().take(12).collect::<String>()
        )),
    }
}

fn font(size: u32) -> TextStyle<'static> {
    (FONT_FAMILY, size).into_font().color(&INK)
}

/// Draws the common frame (title).
fn frame<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, caption: &str) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    root.draw(&Text::new(
        caption.to_string(),
        ((WIDTH / 2) as i32, 8),
        font(TITLE).pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(|e| e.to_string())
}

/// The axes and grid of every chart: the value axis with five grid lines and
/// its ticks, and `x_labels` places for labels under the years.
fn axes<DB: DrawingBackend, X: Ranged + ValueFormatter<X::ValueType>>(
    plot: &mut ChartContext<'_, DB, Cartesian2d<X, RangedCoordf64>>,
    axis: &Axis,
    grouping: bool,
    x_labels: usize,
    x_label: &dyn Fn(&X::ValueType) -> String,
) -> Result<(), String> {
    let ticks = |v: &f64| axis.tick(*v, grouping);
    plot.configure_mesh()
        .disable_x_mesh()
        .y_labels(5)
        .y_label_formatter(&ticks)
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(INK)
        .x_labels(x_labels)
        .x_label_formatter(x_label)
        .label_style(font(LABEL))
        .draw()
        .map_err(|e| e.to_string())
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

/// The value axis of a chart: what is drawn, in units of `scale` so that any finite
/// value keeps the arithmetic of the plot finite, and whether it starts at zero.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Axis {
    /// Bottom and top of the plot, in units of `scale`.
    lo: f64,
    hi: f64,
    /// What one unit of the plot is worth.
    scale: f64,
    /// The axis does not start at zero: a break is drawn at its foot.
    broken: bool,
}

impl Axis {
    /// The axis for values `values`: from zero when zero is near enough that the
    /// rise is drawn to scale, else around the values with a visible break, so
    /// that a rise of half a percent never looks like a climb without saying so.
    fn new(values: &[f64]) -> Axis {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
        if !lo.is_finite() || !hi.is_finite() {
            return Axis {
                lo: 0.0,
                hi: 1.0,
                scale: 1.0,
                broken: false,
            };
        }
        // A power of ten, so that the plot's round numbers are round in the
        // metric's unit too.
        let largest = lo.abs().max(hi.abs());
        let scale = if largest > 0.0 && largest.is_finite() {
            10f64.powi(largest.log10().floor() as i32)
        } else {
            1.0
        };
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        let (lo, hi) = (lo / scale, hi / scale);
        // All values on one side of zero, and the nearest within half the farthest:
        // start at zero.
        if lo >= 0.0 && lo <= hi * 0.5 {
            return Axis {
                lo: 0.0,
                hi: hi * 1.25 + f64::EPSILON,
                scale,
                broken: false,
            };
        }
        if hi <= 0.0 && hi >= lo * 0.5 {
            return Axis {
                lo: lo * 1.25 - f64::EPSILON,
                hi: 0.0,
                scale,
                broken: false,
            };
        }
        if lo < 0.0 && hi > 0.0 {
            let span = hi - lo;
            return Axis {
                lo: lo - span * 0.1,
                hi: hi + span * 0.3,
                scale,
                broken: false,
            };
        }
        let span = if hi > lo {
            hi - lo
        } else {
            hi.abs().max(lo.abs()) * 0.1
        };
        Axis {
            lo: lo - span * 0.4,
            hi: hi + span * 0.5,
            scale,
            broken: true,
        }
    }

    /// A tick's label: the value in the metric's unit, with as many decimals as the
    /// spacing of the ticks needs.
    fn tick(&self, at: f64, lang_grouping: bool) -> String {
        let step = (self.hi - self.lo) * self.scale / 5.0;
        let decimals = if step > 0.0 {
            (-step.log10().floor()).clamp(0.0, 6.0) as usize
        } else {
            0
        };
        let text = format!("{:.*}", decimals, at * self.scale);
        let text = if text.starts_with('-')
            && text
                .trim_start_matches('-')
                .chars()
                .all(|c| c == '0' || c == '.')
        {
            text.trim_start_matches('-').to_string()
        } else {
            text
        };
        if lang_grouping {
            crate::exact::group_thousands(&text)
        } else {
            text
        }
    }
}

/// The pixel at the top of the value axis of a plotting area.
fn axis_top<DB: DrawingBackend, CT: CoordTranslate>(area: &DrawingArea<DB, CT>) -> (i32, i32) {
    let (x, y) = area.get_pixel_range();
    (x.start, y.start)
}

/// The unit of the values, written at the top of the value axis.
fn unit_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    at: &(i32, i32),
    unit: &str,
) -> Result<(), String> {
    if unit.is_empty() {
        return Ok(());
    }
    // From the left edge, so that a long unit ("boys per 100 girls") is not cut off.
    let _ = at.0;
    root.draw(&Text::new(
        unit.to_string(),
        (8, at.1 - 6),
        font(LABEL).pos(Pos::new(HPos::Left, VPos::Bottom)),
    ))
    .map_err(|e| e.to_string())
}

/// Two short slanted strokes across the foot of the value axis: the axis does not
/// start at zero.
fn draw_break<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: i32,
    y: i32,
) -> Result<(), String> {
    for dy in [0, 6] {
        root.draw(&PathElement::new(
            vec![(x - 6, y - dy + 3), (x + 6, y - dy - 3)],
            INK.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A line over the years, each point labelled with its displayed value, on a
/// labelled value axis.
fn trend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    points: &[Option<(Exact, String)>],
) -> Result<bool, String> {
    let years = &chart.years;
    let mut defined: Vec<(i32, f64, &str)> = Vec::new();
    for (y, p) in years.iter().zip(points) {
        if let Some((v, text)) = p {
            defined.push((*y, geometry(v, chart)?, text.as_str()));
        }
    }
    let axis = Axis::new(&defined.iter().map(|p| p.1).collect::<Vec<_>>());
    let grouping = chart.lang == crate::i18n::Lang::En;
    frame(root, &chart.title)?;
    let (Some(first), Some(last)) = (years.first().copied(), years.last().copied()) else {
        return Ok(false);
    };
    let mut plot = ChartBuilder::on(root)
        .margin_top(56)
        .margin_left(8)
        .margin_right(16)
        .margin_bottom(6)
        .x_label_area_size(30)
        .y_label_area_size(Y_AXIS)
        .build_cartesian_2d((first - 1)..(last + 1), axis.lo..axis.hi)
        .map_err(|e| e.to_string())?;
    let years_fmt = year_label(years);
    axes(&mut plot, &axis, grouping, years.len() + 2, &years_fmt)?;
    unit_label(root, &axis_top(plot.plotting_area()), &chart.unit)?;
    // Undefined years leave a gap: the line joins only neighbours that exist. A
    // year without data (2021, 2022, 2024: no 2023) keeps its place on the axis
    // and breaks the line too, so that no segment implies a value for it.
    let mut run: Vec<(i32, f64)> = Vec::new();
    let mut runs = Vec::new();
    for (y, p) in years.iter().zip(points) {
        if run
            .last()
            .is_some_and(|(prev, _)| i64::from(*prev) + 1 != i64::from(*y))
        {
            runs.push(std::mem::take(&mut run));
        }
        match p {
            Some((v, _)) => run.push((*y, geometry(v, chart)? / axis.scale)),
            None => runs.push(std::mem::take(&mut run)),
        }
    }
    runs.push(run);
    for r in runs.into_iter().filter(|r| r.len() > 1) {
        plot.draw_series(LineSeries::new(r, LINE.stroke_width(2)))
            .map_err(|e| e.to_string())?;
    }
    plot.draw_series(defined.iter().map(|(y, v, text)| {
        EmptyElement::at((*y, *v / axis.scale))
            + Circle::new((0, 0), 4, LINE.filled())
            + Text::new(
                text.to_string(),
                (0, -10),
                font(LABEL).pos(Pos::new(HPos::Center, VPos::Bottom)),
            )
    }))
    .map_err(|e| e.to_string())?;
    if axis.broken {
        let (x, y) = plot.backend_coord(&(first - 1, axis.lo));
        draw_break(root, x, y - 8)?;
    }
    root.present().map_err(|e| e.to_string())?;
    Ok(true)
}

/// Stacked bars: each year's total split into its parts, the total on top, and the
/// parts of the report's own year labelled beside its bar. A part too small to see
/// at the chart's scale is drawn a few pixels high (its label gives its value).
fn breakdown<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    names: &[String],
    bars: &[Bar],
) -> Result<bool, String> {
    let years = &chart.years;
    let mut heights: Vec<Vec<f64>> = Vec::new();
    for b in bars {
        let mut h = Vec::new();
        for p in &b.parts {
            h.push(match p {
                Some(v) => geometry(v, chart)?.max(0.0),
                None => 0.0,
            });
        }
        heights.push(h);
    }
    let tallest = heights
        .iter()
        .map(|h| h.iter().sum::<f64>())
        .fold(0.0_f64, f64::max);
    let axis = Axis::new(&[0.0, tallest]);
    let grouping = chart.lang == crate::i18n::Lang::En;
    frame(root, &chart.title)?;
    // The legend: a swatch and a name per part, in one row under the title.
    let mut x = Y_AXIS as i32;
    for (i, name) in names.iter().enumerate() {
        let colour = PARTS[i % PARTS.len()];
        root.draw(&Rectangle::new([(x, 36), (x + 12, 48)], colour.filled()))
            .map_err(|e| e.to_string())?;
        root.draw(&Text::new(
            name.clone(),
            (x + 17, 42),
            font(LABEL).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
        let width: i32 = name
            .chars()
            .map(|c| if c.is_ascii() { 10 } else { 18 })
            .sum();
        x += 17 + width + 18;
    }
    let (Some(first), Some(last)) = (years.first().copied(), years.last().copied()) else {
        return Ok(false);
    };
    // A year alone gets an empty year each side: a range of one year has no width,
    // and its bar was not drawn at all (only its labels were).
    let (x_first, x_last) = if first == last {
        (first.saturating_sub(1), last.saturating_add(1))
    } else {
        (first, last)
    };
    let mut plot = ChartBuilder::on(root)
        .margin_top(BAR_TOP)
        .margin_left(8)
        .margin_right(PART_LABELS)
        .margin_bottom(6)
        .x_label_area_size(30)
        .y_label_area_size(Y_AXIS)
        .build_cartesian_2d((x_first..x_last).into_segmented(), axis.lo..axis.hi)
        .map_err(|e| e.to_string())?;
    let seg_label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(y) | SegmentValue::Exact(y) if years.contains(y) => y.to_string(),
        _ => String::new(),
    };
    axes(&mut plot, &axis, grouping, years.len() + 2, &seg_label)?;
    unit_label(root, &axis_top(plot.plotting_area()), &chart.unit)?;
    // The smallest height a part is drawn at: three pixels of the plot.
    let plot_px = f64::from(HEIGHT.saturating_sub(BAR_TOP + 30 + 6).max(1));
    // Bars at most 56 pixels wide, however few the years.
    let (px, _) = plot.plotting_area().get_pixel_range();
    // One segment per year of the axis (a year without data keeps its place).
    let segments = (i64::from(x_last) - i64::from(x_first) + 1).max(1);
    let segment = px.len() as i64 / segments;
    let margin = u32::try_from(((segment - 56) / 2).max(8)).unwrap_or(8);
    let min_h = (axis.hi - axis.lo) * 3.0 / plot_px;
    let drawn: Vec<Vec<f64>> = heights
        .iter()
        .map(|h| {
            h.iter()
                .map(|v| {
                    let v = v / axis.scale;
                    if v > 0.0 { v.max(min_h) } else { 0.0 }
                })
                .collect()
        })
        .collect();
    for i in 0..names.len() {
        let colour = PARTS[i % PARTS.len()];
        plot.draw_series(bars.iter().zip(&drawn).map(|(b, h)| {
            let base: f64 = h[..i].iter().sum();
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(b.year), base),
                    (SegmentValue::Exact(b.year + 1), base + h[i]),
                ],
                colour.filled(),
            );
            bar.set_margin(0, 0, margin, margin);
            bar
        }))
        .map_err(|e| e.to_string())?;
    }
    plot.draw_series(bars.iter().zip(&drawn).map(|(b, h)| {
        EmptyElement::at((SegmentValue::CenterOf(b.year), h.iter().sum::<f64>()))
            + Text::new(
                b.total.clone(),
                (0, -6),
                font(LABEL).pos(Pos::new(HPos::Center, VPos::Bottom)),
            )
    }))
    .map_err(|e| e.to_string())?;
    // The parts of the last bar (the report's year), labelled to its right, one
    // under another however thin the part: the middle of each part, pushed apart.
    if let (Some(b), Some(h)) = (bars.last(), drawn.last()) {
        let mut labels: Vec<(i32, String, usize)> = Vec::new();
        let mut base = 0.0;
        for (i, part) in h.iter().enumerate() {
            let mid = base + part / 2.0;
            base += part;
            if b.parts[i].is_none() {
                continue;
            }
            let (_, y) = plot.backend_coord(&(SegmentValue::Exact(b.year + 1), mid));
            labels.push((y, b.part_labels[i].clone(), i));
        }
        // Bottom part first: each label at least a line above the one below it.
        for k in 1..labels.len() {
            let below = labels[k - 1].0;
            if labels[k].0 > below - LABEL as i32 {
                labels[k].0 = below - LABEL as i32;
            }
        }
        let (centre, _) = plot.backend_coord(&(SegmentValue::CenterOf(b.year), 0.0));
        let half_bar = i32::try_from(segment / 2).unwrap_or(0) - margin as i32;
        let x = centre + half_bar + 12;
        for (y, text, i) in labels {
            root.draw(&Text::new(
                text,
                (x - 6, y),
                font(LABEL)
                    .color(&PARTS[i % PARTS.len()].mix(1.0))
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|e| e.to_string())?;
        }
    }
    root.present().map_err(|e| e.to_string())?;
    Ok(true)
}

#[cfg(test)]
mod tests;
