//! The breakdown chart: stacked bars of a metric's parts over the years.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{Axis, axes, axis_top, unit_label, y_axis_room, year_label};
use super::layout::Layout;
use super::{
    BAR_TOP, HEIGHT, LABEL, LEGEND_ROW, PART_LABELS, PARTS, Y_AXIS, font, frame, geometry,
    text_width,
};
use crate::render::charts::{Bar, Chart};

/// Stacked bars: each year's total split into its parts, the total on top, and the
/// parts of the report's own year labelled beside its bar. A part too small to see
/// at the chart's scale is drawn a few pixels high (its label gives its value).
pub(super) fn breakdown<DB: DrawingBackend>(
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
