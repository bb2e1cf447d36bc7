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
use crate::render::charts::{Bar, Chart, ChartBody, Ticks};
use writer::{Attrs, SvgWriter};

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

/// Where a chart's parts go, from what it holds: its width (more years, wider),
/// its title's lines (a long title wraps instead of running off both edges), and
/// how many years apart labels are written (every one when there is room).
#[derive(Debug, Clone, PartialEq)]
struct Layout {
    width: u32,
    /// The title, one line each.
    title: Vec<String>,
    /// Years apart of the year labels and of the value labels: 1 labels every one.
    year_every: i32,
    value_every: i32,
    /// Year labels as `'17` rather than `2017`.
    short_years: bool,
}

impl Layout {
    fn of(chart: &Chart) -> Layout {
        let (first, last) = match (chart.years.first(), chart.years.last()) {
            (Some(f), Some(l)) => (i64::from(*f), i64::from(*l)),
            _ => (0, 0),
        };
        let years = u32::try_from((last - first + 1).clamp(1, 1000)).unwrap_or(1);
        // A trend leaves an empty year each side; a breakdown a column for the
        // labels of its last bar's parts.
        let (slots, fixed) = match &chart.body {
            ChartBody::Trend { .. } => (years + 2, Y_AXIS + 24),
            ChartBody::Breakdown { .. } => (years.max(3), Y_AXIS + 8 + PART_LABELS),
        };
        let values: Vec<&str> = match &chart.body {
            ChartBody::Trend { points } => {
                points.iter().flatten().map(|(_, t)| t.as_str()).collect()
            }
            ChartBody::Breakdown { bars, .. } => bars.iter().map(|b| b.total.as_str()).collect(),
        };
        let widest = values
            .iter()
            .map(|t| text_width(t, LABEL))
            .max()
            .unwrap_or(0);
        let year_w = text_width("2000", LABEL);
        let wanted = (widest + 6).max(year_w + 10);
        let width = (fixed + slots * wanted).clamp(WIDTH, MAX_WIDTH);
        let slot = (width - fixed) / slots.max(1);
        let every = |w: u32| i32::try_from(w.div_ceil(slot.max(1))).unwrap_or(1).max(1);
        let short_years = slot < year_w + 8;
        let year_every = if short_years {
            every(text_width("'00", LABEL) + 8)
        } else {
            1
        };
        Layout {
            width,
            title: wrap(&chart.title, width.saturating_sub(24)),
            year_every,
            value_every: every(widest + 4),
            short_years,
        }
    }

    /// The title's height beyond one line.
    fn extra_top(&self) -> u32 {
        TITLE_LINE * u32::try_from(self.title.len().saturating_sub(1)).unwrap_or(0)
    }

    fn size(&self) -> (u32, u32) {
        (self.width, HEIGHT + self.extra_top())
    }

    /// Whether year `y` is labelled (on the axis, or its value), counting back from
    /// the chart's last year, which always is.
    fn labelled(every: i32, y: i32, last: i32) -> bool {
        (i64::from(last) - i64::from(y)).rem_euclid(i64::from(every.max(1))) == 0
    }

    fn year_text(&self, y: i32) -> String {
        if self.short_years {
            format!("'{:02}", y.rem_euclid(100))
        } else {
            y.to_string()
        }
    }
}

/// `text` in lines of at most `width` pixels at the title's size: breaks at
/// spaces or between CJK characters, never before a closing mark nor after an
/// opening one (a piece wider than a line gets a line of its own).
fn wrap(text: &str, width: u32) -> Vec<String> {
    if text_width(text, TITLE) <= width {
        return vec![text.to_string()];
    }
    let closing = |c: char| "，。、；：）)】」』》,.;:!?！？%‰".contains(c);
    let opening = |c: char| "（(【「『《".contains(c);
    // Pieces that are kept together: a word, or a CJK character with its marks.
    let mut pieces: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let joins = match (pieces.last(), prev) {
            (Some(_), Some(p)) => {
                closing(c)
                    || opening(p)
                    || (c.is_ascii()
                        && !c.is_ascii_whitespace()
                        && p.is_ascii()
                        && !p.is_ascii_whitespace())
            }
            _ => false,
        };
        match pieces.last_mut() {
            Some(last) if joins => last.push(c),
            _ => pieces.push(c.to_string()),
        }
        prev = Some(c);
    }
    let mut lines: Vec<String> = vec![String::new()];
    for piece in pieces {
        let Some(line) = lines.last_mut() else { break };
        let candidate = format!("{line}{piece}");
        if line.trim().is_empty() || text_width(candidate.trim_end(), TITLE) <= width {
            *line = candidate;
        } else {
            lines.push(piece.trim_start().to_string());
        }
    }
    lines
        .iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
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

/// The axes and grid of every chart: the value axis with a grid line and a label
/// at each of its ticks, and `x_labels` places for labels under the years.
fn axes<DB: DrawingBackend, X: Ranged + ValueFormatter<X::ValueType>>(
    root: &DrawingArea<DB, Shift>,
    plot: &mut ChartContext<'_, DB, Cartesian2d<X, RangedCoordf64>>,
    axis: &Axis,
    grouping: bool,
    x_labels: usize,
    x_label: &dyn Fn(&X::ValueType) -> String,
) -> Result<(), String> {
    // The value axis's ticks are drawn here, not by plotters: its own choice of
    // ticks knows nothing of the metric's decimals.
    plot.configure_mesh()
        .disable_x_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(INK)
        .x_labels(x_labels)
        .x_label_formatter(x_label)
        .label_style(font(LABEL))
        .draw()
        .map_err(|e| e.to_string())?;
    // On the whole chart: an area moves what falls outside it to its edge.
    let (xs, ys) = plot.plotting_area().get_pixel_range();
    let (rx, ry) = root.get_pixel_range();
    let to_px = |v: f64| {
        let span = axis.hi - axis.lo;
        let f = if span > 0.0 {
            (v - axis.lo) / span
        } else {
            0.0
        };
        let bottom = f64::from(ys.end - 1);
        let top = f64::from(ys.start);
        (bottom - f * (bottom - top)).round() as i32
    };
    let x = xs.start - rx.start;
    for (at, text) in axis.ticks(grouping) {
        let y = to_px(at) - ry.start;
        root.draw(&PathElement::new(
            vec![(x, y), (xs.end - rx.start, y)],
            GRID,
        ))
        .map_err(|e| e.to_string())?;
        root.draw(&PathElement::new(vec![(x - 5, y), (x, y)], INK))
            .map_err(|e| e.to_string())?;
        root.draw(&Text::new(
            text,
            (x - 9, y),
            font(LABEL).pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Room for the value axis: its widest tick label, and at least [`Y_AXIS`].
/// Found by an audit: at a fixed 84 px, "13,500,000" lost its first digit to
/// the chart's edge and read 3,500,000.
fn y_axis_room(axis: &Axis, grouping: bool) -> u32 {
    let widest = axis
        .ticks(grouping)
        .iter()
        .map(|(_, text)| text_width(text, LABEL))
        .max()
        .unwrap_or(0);
    // The tick (5 px), the gap before the label (4 px) and a margin.
    Y_AXIS.max(widest + 9 + 8)
}

/// The label under year `y`: none for a year outside the chart's, nor for one
/// the layout skips to keep labels apart.
fn year_label<'a>(years: &'a [i32], layout: &'a Layout) -> impl Fn(&i32) -> String + 'a {
    let first = years.first().copied().unwrap_or(0);
    let last = years.last().copied().unwrap_or(0);
    // A year without data between two with is labelled too: its empty place
    // says which year is missing (found by an audit).
    move |y: &i32| {
        if (first..=last).contains(y) && Layout::labelled(layout.year_every, *y, last) {
            layout.year_text(*y)
        } else {
            String::new()
        }
    }
}

/// The value axis of a chart: what is drawn, in units of `scale` so that any finite
/// value keeps the arithmetic of the plot finite, whether it starts at zero, and
/// its ticks.
#[derive(Debug, Clone, PartialEq)]
struct Axis {
    /// Bottom and top of the plot, in units of `scale`: the first and last tick.
    lo: f64,
    hi: f64,
    /// What one unit of the plot is worth: `10^scale_exp`.
    scale: f64,
    scale_exp: i32,
    /// The axis does not start at zero: a break is drawn at its foot.
    broken: bool,
    ticks: Ticks,
}

impl Axis {
    /// The axis for values `values` of a metric of `decimals` places: from zero
    /// when zero is near enough that the rise is drawn to scale, else around the
    /// values with a visible break, so that a rise of half a percent never looks
    /// like a climb without saying so.
    fn new(values: &[f64], decimals: u32) -> Axis {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
        if !lo.is_finite() || !hi.is_finite() {
            (lo, hi) = (0.0, 0.0);
        }
        // A power of ten, so that the plot's round numbers are round in the
        // metric's unit too.
        let largest = lo.abs().max(hi.abs());
        let scale_exp = if largest > 0.0 && largest.is_finite() {
            (largest.log10().floor() as i32).clamp(-300, 300)
        } else {
            0
        };
        let scale = 10f64.powi(scale_exp);
        let (lo, hi) = (lo / scale, hi / scale);
        // All values on one side of zero, and the nearest within half the farthest:
        // start at zero.
        let (lo, hi, broken) = if lo >= 0.0 && lo <= hi * 0.5 {
            (0.0, hi * 1.25, false)
        } else if hi <= 0.0 && hi >= lo * 0.5 {
            (lo * 1.25, 0.0, false)
        } else if lo < 0.0 && hi > 0.0 {
            let span = hi - lo;
            (lo - span * 0.1, hi + span * 0.3, false)
        } else {
            let span = if hi > lo {
                hi - lo
            } else {
                hi.abs().max(lo.abs()) * 0.1
            };
            (lo - span * 0.4, hi + span * 0.5, true)
        };
        // Nothing to place (no values, or all zero): a band of one.
        let (lo, hi) = if hi > lo { (lo, hi) } else { (0.0, 1.0) };
        let ticks = Ticks::new(lo * scale, hi * scale, decimals);
        let (bottom, hi) = (
            ticks.at(ticks.first, scale_exp),
            ticks.at(ticks.last, scale_exp),
        );
        let broken = broken && bottom != 0.0;
        // A broken axis keeps half a step under its lowest tick for the break.
        let lo = if broken {
            bottom - (ticks.at(1, scale_exp) - ticks.at(0, scale_exp)) / 2.0
        } else {
            bottom
        };
        Axis {
            lo,
            hi,
            scale,
            scale_exp,
            broken,
            ticks,
        }
    }

    /// The ticks: where each is (in units of `scale`) and its label, the value in
    /// the metric's unit with the places of the step (grouped in English).
    fn ticks(&self, lang_grouping: bool) -> Vec<(f64, String)> {
        self.ticks
            .multiples()
            .map(|k| {
                let text = self.ticks.label(k);
                let text = if lang_grouping {
                    crate::exact::group_thousands(&text)
                } else {
                    text
                };
                (self.ticks.at(k, self.scale_exp), text)
            })
            .collect()
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
    // From the left edge, so that a long unit ("boys per 100 girls") is not cut
    // off; clear above the top tick's label, which sits at the top of the axis.
    let _ = at.0;
    root.draw(&Text::new(
        unit.to_string(),
        (8, at.1 - 12),
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
    let axis = Axis::new(
        &defined.iter().map(|p| p.1).collect::<Vec<_>>(),
        chart.decimals,
    );
    let grouping = chart.lang == crate::i18n::Lang::En;
    let layout = Layout::of(chart);
    frame(root, &layout)?;
    let (Some(first), Some(last)) = (years.first().copied(), years.last().copied()) else {
        return Ok(false);
    };
    let mut plot = ChartBuilder::on(root)
        .margin_top(64 + layout.extra_top())
        .margin_left(8)
        .margin_right(16)
        .margin_bottom(6)
        .x_label_area_size(30)
        .y_label_area_size(y_axis_room(&axis, grouping))
        .build_cartesian_2d((first - 1)..(last + 1), axis.lo..axis.hi)
        .map_err(|e| e.to_string())?;
    let years_fmt = year_label(years, &layout);
    let span = usize::try_from(i64::from(last) - i64::from(first) + 3).unwrap_or(3);
    axes(root, &mut plot, &axis, grouping, span, &years_fmt)?;
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
    // Every point is drawn; its value is written where the layout has room (the
    // report's year always).
    plot.draw_series(defined.iter().map(|(y, v, text)| {
        let shown = Layout::labelled(layout.value_every, *y, last);
        EmptyElement::at((*y, *v / axis.scale))
            + Circle::new((0, 0), 4, LINE.filled())
            + Text::new(
                if shown {
                    text.to_string()
                } else {
                    String::new()
                },
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
    let axis = Axis::new(&[0.0, tallest], chart.decimals);
    let grouping = chart.lang == crate::i18n::Lang::En;
    let layout = Layout::of(chart);
    let extra = layout.extra_top();
    let dy = i32::try_from(extra).unwrap_or(0);
    frame(root, &layout)?;
    // The legend: a swatch and a name per part under the title, in as many rows
    // as the names need (found by an audit: one row ran past the chart's edge,
    // leaving a coloured part without its name).
    let right = i32::try_from(root.dim_in_pixel().0).unwrap_or(i32::MAX) - 8;
    let start = Y_AXIS as i32;
    let (mut x, mut row) = (start, 0i32);
    for (i, name) in names.iter().enumerate() {
        let width = i32::try_from(text_width(name, LABEL)).unwrap_or(0);
        if x > start && x + 17 + width > right {
            x = start;
            row += 1;
        }
        let y = 36 + dy + row * LEGEND_ROW;
        let colour = PARTS[i % PARTS.len()];
        root.draw(&Rectangle::new([(x, y), (x + 12, y + 12)], colour.filled()))
            .map_err(|e| e.to_string())?;
        root.draw(&Text::new(
            name.clone(),
            (x + 17, y + 6),
            font(LABEL).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
        x += 17 + width + 18;
    }
    let legend_rows = u32::try_from(row).unwrap_or(0);
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
        .margin_top(BAR_TOP + extra + legend_rows * LEGEND_ROW as u32)
        .margin_left(8)
        .margin_right(PART_LABELS)
        .margin_bottom(6)
        .x_label_area_size(30)
        .y_label_area_size(y_axis_room(&axis, grouping))
        .build_cartesian_2d((x_first..x_last).into_segmented(), axis.lo..axis.hi)
        .map_err(|e| e.to_string())?;
    let year_fmt = year_label(years, &layout);
    let seg_label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(y) | SegmentValue::Exact(y) => year_fmt(y),
        _ => String::new(),
    };
    let span = usize::try_from(i64::from(x_last) - i64::from(x_first) + 3).unwrap_or(3);
    axes(root, &mut plot, &axis, grouping, span, &seg_label)?;
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
    // Each bar's total on top, where the layout has room (the report's year always).
    plot.draw_series(bars.iter().zip(&drawn).map(|(b, h)| {
        let shown = Layout::labelled(layout.value_every, b.year, last);
        EmptyElement::at((SegmentValue::CenterOf(b.year), h.iter().sum::<f64>()))
            + Text::new(
                if shown {
                    b.total.clone()
                } else {
                    String::new()
                },
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
