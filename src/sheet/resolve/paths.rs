//! Importing without a mapping: a sheet of rows of figure path and value.

use std::collections::HashMap;

use super::{Ctx, Origin, Spot, readable};
use crate::diag::{Diagnostic, Diagnostics};
use crate::sheet::mapping::path_problem;
use crate::sheet::number;
use crate::sheet::read::{Book, Cell, CellRef, cell_name, quote_sheet};
use crate::sheet::{Imported, Known, clip, quote};
use crate::suggest;

/// Whether the first row of a sheet of paths and values is a header: its A cell is
/// a word that is not a figure path (`figure`, `指标`) and its B cell is not a number
/// (`value`, or nothing). A first row that starts with a figure path is a figure,
/// whatever its value: a bad value there is an error, never a skipped "header".
pub(super) fn is_header(a: &Cell, b: Option<&Cell>) -> bool {
    let Cell::Text(a) = a else {
        return false;
    };
    let a = a.trim();
    let a_is_path = a.contains('.') && path_problem(a).is_none();
    let b_is_number = match b {
        None => false,
        Some(Cell::Text(t)) => number::from_text(t).is_ok(),
        Some(_) => true,
    };
    !a_is_path && !b_is_number
}

/// What a sheet read without a mapping must hold, and how to read one that does not.
const NO_MAPPING: &str = "without data/import.toml a sheet is read as rows of figure path and value; write a mapping for a form (`nianbao import --init FILE`)";

/// Without a mapping: the rows of `sheet` (default: the first) whose first column
/// is a figure path and whose second is its value. A first row whose A cell is a word
/// and not a figure path (a header: `figure`, `value`) is skipped, and so are rows
/// whose first cell is empty.
pub fn by_paths(
    book: &Book,
    sheet: Option<&str>,
    known: &Known,
    diags: &mut Diagnostics,
) -> Vec<Imported> {
    let mut cx = Ctx {
        book,
        known,
        diags,
        missing: Default::default(),
    };
    let found = match sheet {
        Some(name) => book.sheet(name),
        None => book.default_sheet().map(|(s, skipped)| {
            if let Some(h) = skipped {
                cx.diags.push(
                    Diagnostic::warning(format!(
                        "the first sheet, {}, is hidden: the first visible sheet, {}, is read",
                        quote_sheet(&h.name),
                        quote_sheet(&s.name)
                    ))
                    .in_file(book.display.clone())
                    .help(format!(
                        "to read the hidden sheet, give --sheet '{}'",
                        h.name
                    )),
                );
            }
            s
        }),
    };
    let unread = found.is_some_and(|s| s.unread.is_some());
    let found = found.and_then(|s| readable(&mut cx, s, None));
    let Some(sheet) = found else {
        if unread {
            return Vec::new();
        }
        let names = book.sheet_names();
        cx.diags.push(
            Diagnostic::error(match sheet {
                Some(n) => format!("there is no sheet `{n}`"),
                None => "the file has no sheet".to_string(),
            })
            .in_file(book.display.clone())
            .help(
                match sheet.and_then(|n| suggest::nearest(n, names.iter().copied())) {
                    Some(n) => format!("did you mean `{n}`? The sheets are {}", names.join(", ")),
                    None => format!("the sheets are {}", names.join(", ")),
                },
            ),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut first = true;
    let mut seen: HashMap<String, CellRef> = HashMap::new();
    let last_row = sheet.cells.keys().map(|c| c.row).max().unwrap_or(0);
    for row in 0..=last_row {
        let a = CellRef { row, col: 0 };
        let b = CellRef { row, col: 1 };
        let Some(cell) = sheet.get(a) else {
            // A value without its path is a figure the sheet meant to give.
            let value = match sheet.get(b) {
                Some(Cell::Text(t)) => number::from_text(t).is_ok(),
                Some(Cell::Number(_) | Cell::Integer(_)) => true,
                _ => false,
            };
            if value {
                cx.diag(
                    false,
                    Spot(&Origin::File, &sheet.name, Some(b)),
                    format!(
                        "the row has a value but no figure path in {}: it is not imported",
                        cell_name(&sheet.name, a)
                    ),
                    "",
                    Some("write the figure path in column A, or clear the value".into()),
                );
            }
            continue;
        };
        if std::mem::take(&mut first) && is_header(cell, sheet.get(b)) {
            continue;
        }
        let path = match cell {
            Cell::Text(t) => t.trim().to_string(),
            _ => {
                cx.diag(
                    true,
                    Spot(&Origin::File, &sheet.name, Some(a)),
                    "the first column holds figure paths (such as births.total), not numbers"
                        .into(),
                    "",
                    Some(NO_MAPPING.into()),
                );
                continue;
            }
        };
        if let Some(problem) = path_problem(&path) {
            cx.diag(
                true,
                Spot(&Origin::File, &sheet.name, Some(a)),
                format!("{} is not a figure path: {problem}", quote(&path)),
                "",
                Some(NO_MAPPING.into()),
            );
            continue;
        }
        if let Some(before) = seen.get(&path) {
            cx.diag(
                true,
                Spot(&Origin::File, &sheet.name, Some(a)),
                format!(
                    "{} is given twice (first in {})",
                    quote(&path),
                    cell_name(&sheet.name, *before)
                ),
                "",
                Some("keep one of the two rows".into()),
            );
            continue;
        }
        seen.insert(path.clone(), a);
        let sheet_name = sheet.name.clone();
        let path_ok = cx.check_path(&path, |cx, what, help| {
            cx.diag(
                true,
                Spot(&Origin::File, &sheet_name, Some(a)),
                what,
                "",
                help,
            );
        });
        // The path is a cell's text too: the value's messages name it clipped.
        if let Some(decimal) = cx.value(&Origin::File, sheet, b, &clip(&path))
            && path_ok
        {
            out.push(Imported {
                path,
                decimal,
                cell: cell_name(&sheet.name, b),
            });
        }
    }
    out
}
