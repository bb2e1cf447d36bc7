//! Column widths of a Word table, and value cells broken by hand where they
//! wrap: each number kept whole where the table has the room (see
//! [`column_widths`]).

use super::super::markdown::{Inline, Span, Table};
use super::super::measure;

/// Left and right cell margins of `ThreeLineTable` together, in twips.
pub(super) const CELL_MARGINS: i64 = 216;

/// Left and right cell margins together of a table too crowded for
/// [`CELL_MARGINS`], in twips: 0.75 mm a side. A 12-column table's margins
/// took 29% of its width, and its numbers broke at 小五.
pub(super) const NARROW_MARGINS: i64 = 86;

/// Smaller sizes a crowded table falls back on, in half-points: 小四, 五号, 小五.
pub(super) const SMALLER_SIZES: [u32; 3] = [24, 21, 18];

/// A cell's text as [`plain`](super::super::markdown::plain) gives it, and the byte ranges of it that are
/// bold: measured with bold metrics there.
pub(super) type Styled = (String, Vec<std::ops::Range<usize>>);

/// A cell's [`Styled`] text; all of it bold when `bold` (a header).
pub(super) fn styled(cell: &[Inline], bold: bool) -> Styled {
    let mut text = String::new();
    let mut ranges = Vec::new();
    for inline in cell {
        let start = text.len();
        match inline {
            Inline::Span(s) => {
                text.push_str(&s.text);
                if bold || s.bold {
                    ranges.push(start..text.len());
                }
            }
            // As `plain` has it.
            Inline::Break => text.push(' '),
            Inline::Note(_) => {}
        }
    }
    (text, ranges)
}

/// How a table's text is set: its size in half-points, and its cells' left
/// and right margins together in twips (written into the table, so that
/// readers use the margins it was measured with).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fit {
    pub(super) size: u32,
    pub(super) margins: i64,
}

/// Twips of text `milli_em` wide in a cell set as `fit`: with its margins
/// and 5% to spare, as Word and LibreOffice do not set Latin text quite
/// alike.
pub(super) fn cell_twips(milli_em: i64, fit: Fit) -> i64 {
    (milli_em * i64::from(fit.size) * 10 * 21 + 19_999) / 20_000 + fit.margins
}

/// Column widths in twips summing to `total`, and how the table's text is
/// set: at `size` with the style's margins or, when the table cannot be set
/// so without breaking a number, with narrower margins, then at smaller
/// sizes (narrow margins cost less than a smaller size).
///
/// Each column wants its widest cell on one line (at most 20 ems, so that a
/// long label does not crowd the others out). When the table is narrower
/// than that, every column first gets its longest piece that must not break
/// (see [`measure::longest_piece`]): found by an audit, `2134567.89万元` broke
/// as `2134567.8` / `9万元` when all columns were shrunk alike. Labels give
/// way, as they wrap between words. The room left goes first to the columns
/// that need least to fit whole, so `152604人` stays on one line and the
/// long columns share the rest. When not even the smallest size fits, the
/// labels give up their five characters, and then the widest columns are
/// cut down, so that a number breaks only where it must.
pub(super) fn column_widths(t: &Table, cols: usize, total: i64, size: u32) -> (Vec<i64>, Fit) {
    // The header is set bold (see `table`).
    let texts: Vec<Vec<Styled>> = std::iter::once(&t.header)
        .chain(t.rows.iter())
        .enumerate()
        .map(|(r, row)| row.iter().take(cols).map(|c| styled(c, r == 0)).collect())
        .collect();
    let mut want = vec![0i64; cols];
    let mut min = vec![0i64; cols];
    for row in &texts {
        for (i, (text, bold)) in row.iter().enumerate() {
            want[i] = want[i].max(measure::styled_width(text, 0, bold));
            // The first column is the labels, words that may wrap.
            min[i] = min[i].max(measure::longest_piece(text, i == 0, bold));
        }
    }
    for i in 0..cols {
        want[i] = want[i].min(20_000).max(min[i]);
    }
    // Five characters of a label at least, when it has as many: narrower,
    // labels ran to a column of three or four characters a line.
    let label_min = min.first().copied().unwrap_or(0);
    if let (Some(m), Some(w)) = (min.first_mut(), want.first()) {
        *m = (*m).max((*w).min(5000));
    }
    let twips =
        |v: &[i64], fit: Fit| -> Vec<i64> { v.iter().map(|w| cell_twips(*w, fit)).collect() };
    let fits = |fit: Fit| twips(&min, fit).iter().sum::<i64>() <= total;
    // At each size the style's margins, then narrow ones: a smaller size
    // only when narrow margins are not enough.
    let sizes = std::iter::once(size).chain(SMALLER_SIZES.into_iter().filter(|s| *s < size));
    let fits_tried =
        sizes.flat_map(|size| [CELL_MARGINS, NARROW_MARGINS].map(|margins| Fit { size, margins }));
    let last = fits_tried.clone().last().unwrap_or(Fit {
        size,
        margins: NARROW_MARGINS,
    });
    let fit = fits_tried.clone().find(|f| fits(*f)).unwrap_or(last);
    let want = twips(&want, fit);
    if !fits(fit)
        && let Some(m) = min.first_mut()
    {
        *m = label_min;
    }
    let min = twips(&min, fit);
    let (want_sum, min_sum) = (want.iter().sum::<i64>(), min.iter().sum::<i64>());
    let mut widths = if want_sum <= total {
        want.iter().map(|w| total * w / want_sum.max(1)).collect()
    } else if min_sum > total {
        // Not even then: the widest columns are cut to what is left.
        cut_widest(&min, total)
    } else {
        spread(&texts, min, &want, total, fit)
    };
    let rest = total - widths.iter().sum::<i64>();
    if let Some(last) = widths.last_mut() {
        *last += rest;
    }
    (widths, fit)
}

/// The widths `min` with the widest cut down alike to the one width at
/// which they sum to `total` at most: the columns narrower than that keep
/// theirs, and their numbers stay whole. Dividing every column alike broke
/// `98.76%` as `98.7` / `6%` in a 12-column table.
pub(super) fn cut_widest(min: &[i64], total: i64) -> Vec<i64> {
    let sum_at = |cap: i64| min.iter().map(|m| (*m).min(cap)).sum::<i64>();
    // The largest cap that fits, by bisection: `sum_at` grows with it.
    let (mut lo, mut hi) = (0, min.iter().copied().max().unwrap_or(0));
    while lo < hi {
        let mid = (lo + hi + 1) / 2;
        if sum_at(mid) <= total {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    min.iter().map(|m| (*m).min(lo)).collect()
}

/// Twips added to a column at a time when sharing out a crowded table's room.
pub(super) const STEP: i64 = 35;

/// Widths for a table that cannot set every cell on one line: from each
/// column's least width (`min`), the room left goes step by step to the
/// column where it saves the most lines of the table (a row is as tall as its
/// tallest cell) for its width, the labels first where it saves as much;
/// what saves nothing goes to the labels. Shrinking the labels alone left
/// `↑ +0.48个百分点，向好` on two lines beside a label with room to spare.
pub(super) fn spread(
    texts: &[Vec<Styled>],
    mut widths: Vec<i64>,
    want: &[i64],
    total: i64,
    fit: Fit,
) -> Vec<i64> {
    let cols = widths.len();
    let mut room = total - widths.iter().sum::<i64>();
    // Each cell measured once: the same cells are tried at every step, and
    // measuring them afresh was most of a 50-year build's time. The first
    // column is the labels, words that may wrap.
    let measured: Vec<Vec<measure::Measured>> = texts
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, (t, bold))| measure::Measured::new(t, i == 0, bold))
                .collect()
        })
        .collect();
    let lines_at = |r: usize, i: usize, col_w: i64| -> i64 {
        measured[r]
            .get(i)
            .map_or(1, |m| m.lines(|w| cell_twips(w, fit) <= col_w))
    };
    // Column `i`'s lines at `col_w`, and the least column width at which
    // one of its cells would be set otherwise.
    let column_at = |i: usize, col_w: i64| -> (Vec<i64>, Option<i64>) {
        let mut next: Option<i64> = None;
        let lines = measured
            .iter()
            .map(|row| {
                let Some(m) = row.get(i) else { return 1 };
                let (n, wider) = m.lines_and_next(|w| cell_twips(w, fit) <= col_w);
                if let Some(w) = wider {
                    let twips = cell_twips(w, fit);
                    next = Some(next.map_or(twips, |t| t.min(twips)));
                }
                n
            })
            .collect();
        (lines, next)
    };
    let mut lines: Vec<Vec<i64>> = (0..texts.len())
        .map(|r| (0..cols).map(|i| lines_at(r, i, widths[i])).collect())
        .collect();
    let height = |lines: &[Vec<i64>]| -> i64 {
        lines
            .iter()
            .map(|r| r.iter().copied().max().unwrap_or(1))
            .sum()
    };
    loop {
        let now = height(&lines);
        // The best step by the table's lines saved per twip, and, when no step
        // saves any (each row as tall as another of its cells), by the cells'
        // lines saved: in the 2007 English targets table, widening Target or
        // Actual alone saved no row a line, and both stayed on three lines
        // beside labels with room to spare.
        // (lines saved, twips, column, its new lines)
        let mut best: Option<(i64, i64, usize, Vec<i64>)> = None;
        let mut best_cells: Option<(i64, i64, usize, Vec<i64>)> = None;
        let better = |best: &Option<(i64, i64, usize, Vec<i64>)>, saved: i64, d: i64| {
            best.as_ref().is_none_or(|(s, w, _, _)| saved * w > s * d)
        };
        for i in 0..cols {
            let cells_now: i64 = lines.iter().map(|r| r[i]).sum();
            let mut d = STEP;
            let mut found_cells = false;
            while d <= room && widths[i] + d <= want[i] + STEP {
                let (col, next) = column_at(i, widths[i] + d);
                // The table's height with column `i` so wide.
                let trial: i64 = lines
                    .iter()
                    .zip(&col)
                    .map(|(r, n)| {
                        r.iter()
                            .enumerate()
                            .map(|(j, l)| if j == i { *n } else { *l })
                            .max()
                            .unwrap_or(1)
                    })
                    .sum();
                let saved = now - trial;
                if saved > 0 {
                    if better(&best, saved, d) {
                        best = Some((saved, d, i, col));
                    }
                    break;
                }
                let saved_cells = cells_now - col.iter().sum::<i64>();
                if !found_cells && saved_cells > 0 {
                    found_cells = true;
                    if better(&best_cells, saved_cells, d) {
                        best_cells = Some((saved_cells, d, i, col));
                    }
                }
                // No cell of the column is set otherwise before `next`: the
                // steps up to it would find the same (trying each was most of
                // a one-year build's table widths).
                let Some(next) = next else { break };
                d = (d + STEP).max((next - widths[i] + STEP - 1) / STEP * STEP);
            }
        }
        let best = best.or(best_cells);
        let Some((_, d, i, col)) = best else { break };
        widths[i] += d;
        room -= d;
        for (r, n) in lines.iter_mut().zip(col) {
            r[i] = n;
        }
    }
    if let Some(first) = widths.first_mut() {
        *first += room.max(0);
    }
    widths
}

/// A value cell as it is set in a column `col_w` twips wide: when it does
/// not fit on one line, broken by hand between its pieces (see
/// [`measure::value_pieces`]), so that readers do not break it elsewhere:
/// left to themselves, they broke `↑ +0.3个百分点，向好` inside `向好`.
/// `bold` says the whole cell is (a header).
pub(super) fn wrap_value(cell: &[Inline], col_w: i64, fit: Fit, bold: bool) -> Vec<Inline> {
    let (text, bolds) = styled(cell, bold);
    let fits = |w: i64| cell_twips(w, fit) <= col_w;
    if fits(measure::styled_width(text.trim_end(), 0, &bolds))
        || cell.iter().any(|i| matches!(i, Inline::Break))
    {
        return cell.to_vec();
    }
    // Where each line after the first starts, in bytes of `text`.
    let cuts: Vec<usize> = measure::Measured::new(&text, false, &bolds)
        .line_starts(fits)
        .into_iter()
        .skip(1)
        .collect();
    let mut out = Vec::new();
    let mut offset = 0;
    for inline in cell {
        let Inline::Span(span) = inline else {
            out.push(inline.clone());
            continue;
        };
        let end = offset + span.text.len();
        let mut from = offset;
        for &cut in cuts.iter().filter(|c| **c > offset && **c < end) {
            let part = span.text[from - offset..cut - offset].trim_end();
            out.push(Inline::Span(Span {
                text: part.to_string(),
                ..span.clone()
            }));
            out.push(Inline::Break);
            from = cut;
        }
        if cuts.contains(&offset) && offset > 0 {
            // A line starts with this span: drop the space that ended the one before.
            if let Some(Inline::Span(prev)) = out.last_mut() {
                prev.text.truncate(prev.text.trim_end().len());
            }
            out.push(Inline::Break);
        }
        out.push(Inline::Span(Span {
            text: span.text[from - offset..].to_string(),
            ..span.clone()
        }));
        offset = end;
    }
    out
}
