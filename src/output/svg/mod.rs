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
//!
//! This file holds the entry points, the shared sizes and colours and the common
//! frame; [`layout`] places a chart's parts, [`axis`] draws its axes, and
//! [`trend`] and [`breakdown`] draw the two kinds of chart.

use std::sync::Arc;

use num_traits::ToPrimitive;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{OutputFile, YearInput};
use crate::diag::Diagnostic;
use crate::exact::Exact;
use crate::render::charts::{Chart, ChartBody};
use axis::Axis;
#[cfg(test)]
use axis::y_axis_room;
use breakdown::breakdown;
use layout::Layout;
use trend::trend;
use writer::{Attrs, SvgWriter};

mod axis;
mod breakdown;
mod layout;
mod trend;
mod writer;

/// The font list of every text in a chart: Latin first, then CJK fallbacks.
pub const FONT_FAMILY: &str = "Helvetica Neue, Arial, Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Hiragino Sans GB, Microsoft YaHei, WenQuanYi Micro Hei, sans-serif";

// At least 520 wide with labels of 22 (which plotters writes as 17.7 pixels): on a
// 390-pixel phone, where the chart is drawn about 325 pixels wide, a label is still
// 11 pixels. Wider with many years, up to MAX_WIDTH, so that ten years' labels do
// not run together; past that, labels are thinned (see [`Layout`]).
const WIDTH: u32 = 520;
const MAX_WIDTH: u32 = 760;
const HEIGHT: u32 = 300;
/// A title line's height, for a title wrapped onto more lines.
const TITLE_LINE: u32 = 26;
/// Label and title sizes, as plotters takes them.
const LABEL: u32 = 22;
const TITLE: u32 = 24;
/// Room for the value axis and its labels.
const Y_AXIS: u32 = 84;
/// The height of a row of a breakdown's legend.
const LEGEND_ROW: i32 = 22;
/// The top of a breakdown's plot, below the title and the legend.
const BAR_TOP: u32 = 86;
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
    let size = Layout::of(chart).size();
    let drawn = draw(
        &SvgWriter::new(&mut svg, size, &label, attrs).into_drawing_area(),
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

/// The ticks of `chart`'s value axis, for Word's chart to have the SVG's: the
/// first and last tick and the step as plain decimals, and the labels' places;
/// `None` when a value is beyond placing.
pub fn axis_ticks(chart: &Chart) -> Option<crate::docx::ValueAxis> {
    let values: Vec<f64> = match &chart.body {
        ChartBody::Trend { points } => points
            .iter()
            .flatten()
            .map(|(v, _)| geometry(v, chart).ok())
            .collect::<Option<_>>()?,
        ChartBody::Breakdown { bars, .. } => {
            let mut tallest = 0.0_f64;
            for b in bars {
                let mut sum = 0.0;
                for v in b.parts.iter().flatten() {
                    sum += geometry(v, chart).ok()?.max(0.0);
                }
                tallest = tallest.max(sum);
            }
            vec![0.0, tallest]
        }
    };
    let t = Axis::new(&values, chart.decimals).ticks;
    Some(crate::docx::ValueAxis {
        min: t.label(t.first),
        max: t.label(t.last),
        major: t.step(),
        decimals: t.decimals(),
    })
}

/// Every how many years `chart`'s values are labelled (1: every year), for
/// Word's chart, whose text is about as wide for its width as the SVG's.
pub fn label_every(chart: &Chart) -> u32 {
    u32::try_from(Layout::of(chart).value_every).unwrap_or(1)
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

/// How wide a text of `size` (as plotters takes sizes) is drawn, about: a CJK
/// character is a square, a digit or Latin letter a little over half of one.
fn text_width(text: &str, size: u32) -> u32 {
    let em = f64::from(size) / 1.24;
    let w: f64 = text
        .chars()
        .map(|c| match c {
            '.' | ',' | ' ' | '\'' | ':' | ';' | '!' | '|' | 'i' | 'l' | 'j' => 0.3,
            'm' | 'w' | 'M' | 'W' | '%' | '‰' => 0.85,
            c if c.is_ascii() => 0.58,
            _ => 1.0,
        })
        .sum();
    (w * em).ceil() as u32
}

/// Draws the common frame (the title, a line or more).
fn frame<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, layout: &Layout) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    for (i, line) in layout.title.iter().enumerate() {
        let y = 8 + TITLE_LINE as i32 * i32::try_from(i).unwrap_or(0);
        root.draw(&Text::new(
            line.clone(),
            ((layout.width / 2) as i32, y),
            font(TITLE).pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
