//! Where a chart's parts go: its size, its title's lines, and which years are
//! labelled.

use super::{HEIGHT, LABEL, MAX_WIDTH, PART_LABELS, TITLE, TITLE_LINE, WIDTH, Y_AXIS, text_width};
use crate::render::charts::{Chart, ChartBody};

/// Where a chart's parts go, from what it holds: its width (more years, wider),
/// its title's lines (a long title wraps instead of running off both edges), and
/// how many years apart labels are written (every one when there is room).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Layout {
    pub(super) width: u32,
    /// The title, one line each.
    pub(super) title: Vec<String>,
    /// Years apart of the year labels and of the value labels: 1 labels every one.
    pub(super) year_every: i32,
    pub(super) value_every: i32,
    /// Year labels as `'17` rather than `2017`.
    pub(super) short_years: bool,
}

impl Layout {
    pub(super) fn of(chart: &Chart) -> Layout {
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
    pub(super) fn extra_top(&self) -> u32 {
        TITLE_LINE * u32::try_from(self.title.len().saturating_sub(1)).unwrap_or(0)
    }

    pub(super) fn size(&self) -> (u32, u32) {
        (self.width, HEIGHT + self.extra_top())
    }

    /// Whether year `y` is labelled (on the axis, or its value), counting back from
    /// the chart's last year, which always is.
    pub(super) fn labelled(every: i32, y: i32, last: i32) -> bool {
        (i64::from(last) - i64::from(y)).rem_euclid(i64::from(every.max(1))) == 0
    }

    pub(super) fn year_text(&self, y: i32) -> String {
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
pub(super) fn wrap(text: &str, width: u32) -> Vec<String> {
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
