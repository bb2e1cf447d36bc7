//! Tables as Word writes them: the three-line table (三线表) of GB/T 9704,
//! its columns as wide as [`column_widths`] makes them.

use super::super::layout::Measures;
use super::super::markdown::{Align, Table};
use super::super::props::{Jc, Line, PPr};
use super::super::styles::{Faces, Para};
use super::super::xml::Xml;
use super::widths::*;
use super::{Links, runs};

pub(super) fn rule(x: &mut Xml, side: &'static str, sz: &str) {
    x.empty(
        side,
        &[
            ("w:val", "single"),
            ("w:sz", sz),
            ("w:space", "0"),
            ("w:color", "000000"),
        ],
    );
}

/// A three-line table (三线表): a heavy rule above the header, a light one
/// under it, a heavy one under the last row; the header repeats on each page.
pub(super) fn table(
    x: &mut Xml,
    faces: &Faces,
    links: &mut Links,
    m: &Measures,
    t: &Table,
    size: u32,
    keep_with_next: bool,
) {
    let cols = t
        .aligns
        .len()
        .max(t.header.len())
        .max(t.rows.iter().map(Vec::len).max().unwrap_or(0));
    if cols == 0 {
        return;
    }
    let (widths, fit) = column_widths(t, cols, m.text_w, size);
    // A smaller size than the style's is set on the table's paragraphs and runs.
    let smaller = (fit.size != size).then_some(fit.size);
    x.open("w:tbl", &[]).open("w:tblPr", &[]);
    x.empty("w:tblStyle", &[("w:val", "ThreeLineTable")]);
    x.empty(
        "w:tblW",
        &[("w:w", &m.text_w.to_string()), ("w:type", "dxa")],
    );
    x.empty("w:jc", &[("w:val", "center")]);
    x.empty("w:tblLayout", &[("w:type", "fixed")]);
    if fit.margins != CELL_MARGINS {
        // Narrower than the style's: what the widths were measured with.
        let side = (fit.margins / 2).to_string();
        x.open("w:tblCellMar", &[]);
        x.empty("w:top", &[("w:w", "0"), ("w:type", "dxa")]);
        x.empty("w:left", &[("w:w", &side), ("w:type", "dxa")]);
        x.empty("w:bottom", &[("w:w", "0"), ("w:type", "dxa")]);
        x.empty("w:right", &[("w:w", &side), ("w:type", "dxa")]);
        x.close();
    }
    x.empty(
        "w:tblLook",
        &[
            ("w:val", "04A0"),
            ("w:firstRow", "1"),
            ("w:lastRow", "0"),
            ("w:firstColumn", "0"),
            ("w:lastColumn", "0"),
            ("w:noHBand", "1"),
            ("w:noVBand", "1"),
        ],
    );
    x.close();
    x.open("w:tblGrid", &[]);
    for w in &widths {
        x.empty("w:gridCol", &[("w:w", &w.to_string())]);
    }
    x.close();
    let empty = Vec::new();
    let n_rows = t.rows.len();
    let all = std::iter::once(&t.header).chain(t.rows.iter());
    for (r, row) in all.enumerate() {
        let header = r == 0;
        let last = r == n_rows;
        x.open("w:tr", &[])
            .open("w:trPr", &[])
            .empty("w:cantSplit", &[]);
        if header {
            x.empty("w:tblHeader", &[]);
        }
        x.close();
        for (c, width) in widths.iter().enumerate() {
            let cell = row.get(c).unwrap_or(&empty);
            x.open("w:tc", &[]).open("w:tcPr", &[]);
            x.empty("w:tcW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
            if header || last {
                x.open("w:tcBorders", &[]);
                if header {
                    rule(x, "w:top", "12");
                }
                rule(x, "w:bottom", if last { "12" } else { "6" });
                x.close();
            }
            x.empty("w:vAlign", &[("w:val", "center")]);
            x.close();
            let jc = match t.aligns.get(c) {
                Some(Align::Right) => Some(Jc::Right),
                Some(Align::Center) => Some(Jc::Center),
                _ => None,
            };
            x.open("w:p", &[]);
            PPr {
                style: Some(Para::TableText.style_id()),
                // The header keeps with the first row, and the last two rows
                // with each other (and with what follows when that must not
                // stand alone); between them a table may break across pages,
                // its header repeated, rather than leave most of a page blank
                // (an audit found page 2 of the 2007 English document so).
                keep_next: header || r + 1 == n_rows || (last && keep_with_next),
                jc,
                line: smaller.map(|s| Line::Exact(i64::from(s) * 15)),
                ..PPr::default()
            }
            .write(x);
            // The labels wrap as words; values only between their pieces.
            let cell = if c == 0 {
                cell.clone()
            } else {
                wrap_value(cell, *width, fit, header)
            };
            runs(x, faces, links, Para::TableText, &cell, header, smaller);
            x.close().close();
        }
        x.close();
    }
    x.close();
}
