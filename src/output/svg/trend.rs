//! The trend chart: a metric's line over the years.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{Axis, axes, axis_top, draw_break, unit_label, y_axis_room, year_label};
use super::layout::Layout;
use super::{LABEL, LINE, font, frame, geometry};
use crate::exact::Exact;
use crate::render::charts::Chart;

/// A line over the years, each point labelled with its displayed value, on a
/// labelled value axis.
pub(super) fn trend<DB: DrawingBackend>(
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
