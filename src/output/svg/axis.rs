//! A chart's axes: the value axis's scale and ticks, the grid, the year labels
//! under the plot, the unit and the break at the axis's foot.

use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::layout::Layout;
use super::{GRID, INK, LABEL, Y_AXIS, font, text_width};
use crate::render::charts::Ticks;

/// The axes and grid of every chart: the value axis with a grid line and a label
/// at each of its ticks, and `x_labels` places for labels under the years.
pub(super) fn axes<DB: DrawingBackend, X: Ranged + ValueFormatter<X::ValueType>>(
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
pub(super) fn y_axis_room(axis: &Axis, grouping: bool) -> u32 {
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
pub(super) fn year_label<'a>(years: &'a [i32], layout: &'a Layout) -> impl Fn(&i32) -> String + 'a {
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
pub(super) struct Axis {
    /// Bottom and top of the plot, in units of `scale`: the first and last tick.
    pub(super) lo: f64,
    pub(super) hi: f64,
    /// What one unit of the plot is worth: `10^scale_exp`.
    pub(super) scale: f64,
    pub(super) scale_exp: i32,
    /// The axis does not start at zero: a break is drawn at its foot.
    pub(super) broken: bool,
    pub(super) ticks: Ticks,
}

impl Axis {
    /// The axis for values `values` of a metric of `decimals` places: from zero
    /// when zero is near enough that the rise is drawn to scale, else around the
    /// values with a visible break, so that a rise of half a percent never looks
    /// like a climb without saying so.
    pub(super) fn new(values: &[f64], decimals: u32) -> Axis {
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
    pub(super) fn ticks(&self, lang_grouping: bool) -> Vec<(f64, String)> {
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
pub(super) fn axis_top<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
) -> (i32, i32) {
    let (x, y) = area.get_pixel_range();
    (x.start, y.start)
}

/// The unit of the values, written at the top of the value axis.
pub(super) fn unit_label<DB: DrawingBackend>(
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
pub(super) fn draw_break<DB: DrawingBackend>(
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
