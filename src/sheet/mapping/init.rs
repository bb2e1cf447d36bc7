//! `nianbao import --init`: a starting `import.toml` written from a form, one
//! entry per row that has a label and a number.

use std::collections::BTreeMap;

use super::label_key;
use crate::sheet::read::{Cell, CellRef, Sheet};

/// Names the figure of a form's row from its label and value: the path, and how it
/// was guessed (empty when the label says it).
pub type FigureFor<'a> = dyn Fn(&str, &str) -> Option<(String, String)> + 'a;

/// A starting `import.toml` for `sheets`: one entry per row that has a label and a
/// number — the row's first text that is not a number, and the first number right
/// of it — found by its label under the header of the number's column (or by its
/// cell, when the label or the header is not unique on its sheet). `figure_for`
/// names the figure of a row from its label and value when it can be guessed, with
/// a note on how (empty when the label says it); other rows are written as
/// commented lines to complete.
pub fn starting_mapping(source: &str, sheets: &[&Sheet], figure_for: &FigureFor) -> String {
    let quote = |s: &str| toml_edit::Value::from(s).to_string().trim().to_string();
    let rows: Vec<Vec<InitRow>> = sheets.iter().map(|s| init_rows(s)).collect();
    let first = sheets.first();
    let main_header = first.zip(rows.first()).and_then(|(s, r)| {
        let col = r.iter().map(|row| row.value.col).min()?;
        header(s, r, col)
    });
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    let mut out = format!(
        "# Where each figure of data/<year>/figures.toml is in the spreadsheet, written by\n\
         # `nianbao import --init` from {source} ({} {}). One mapping serves every year:\n\
         # a figure found by its row label and column header still maps when rows move.\n\
         # Lines starting with `# \"?\"` are rows whose figure could not be guessed: write\n\
         # the figure's path in place of ? and remove the `#`. See docs/data-format.md.\n\n\
         [defaults]\n",
        if names.len() == 1 { "sheet" } else { "sheets" },
        names.join(", ")
    );
    if let Some(s) = first {
        out.push_str(&format!("sheet = {}\n", quote(&s.name)));
    }
    if let Some(h) = &main_header {
        out.push_str(&format!("column = {}\n", quote(h)));
    }
    out.push_str("\n[figures]\n");
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut used: Vec<String> = Vec::new();
    for (i, (sheet, rows)) in sheets.iter().zip(&rows).enumerate() {
        let sheet_key = (i > 0).then(|| format!("sheet = {}, ", quote(&sheet.name)));
        for row in rows {
            let value = match sheet.get(row.value) {
                Some(Cell::Number(f)) => crate::sheet::number::from_float(*f).unwrap_or_default(),
                Some(Cell::Integer(n)) => n.to_string(),
                Some(Cell::Text(t)) => crate::sheet::number::from_text(t)
                    .map(|n| n.decimal)
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let col_header = header(sheet, rows, row.value.col);
            let label_unique = unique(sheet, &row.label);
            let place = match (&col_header, label_unique) {
                (Some(h), true) => {
                    let column = if i == 0 && Some(h) == main_header.as_ref() {
                        String::new()
                    } else {
                        format!(", column = {}", quote(h))
                    };
                    format!(
                        "{{ {}row = {}{column} }}",
                        sheet_key.as_deref().unwrap_or(""),
                        quote(&row.label)
                    )
                }
                _ => quote(&crate::sheet::read::cell_name(&sheet.name, row.value)),
            };
            let mut note = if label_unique {
                format!("# {} = {value}", row.value)
            } else {
                format!(
                    "# {} = {value}; the label {} is not unique ({})",
                    row.value, row.label, row.label_at
                )
            };
            let guess = figure_for(&row.label, &value).filter(|(g, _)| !used.contains(g));
            let line = match guess {
                Some((path, how)) => {
                    if !how.is_empty() {
                        note.push_str(&format!("; {how}"));
                    }
                    let line = format!("{} = {place}", quote(&path));
                    used.push(path);
                    line
                }
                None => format!("# \"?\" = {place}"),
            };
            lines.push((line, note));
        }
    }
    let width = lines
        .iter()
        .map(|(l, _)| unicode_width::UnicodeWidthStr::width(l.as_str()))
        .max()
        .unwrap_or(0);
    for (line, note) in lines {
        let pad = width - unicode_width::UnicodeWidthStr::width(line.as_str()) + 3;
        out.push_str(&format!("{line}{}{note}\n", " ".repeat(pad)));
    }
    out.push_str(
        "\n# When data/<year>/figures.toml does not exist yet, the import writes its [period]:\n\
         # [period]\n# start = \"01-01\"\n# end = \"12-31\"\n",
    );
    out
}

/// A row of a form, for `--init`.
struct InitRow {
    label: String,
    label_at: CellRef,
    value: CellRef,
}

fn init_rows(sheet: &Sheet) -> Vec<InitRow> {
    let mut by_row: BTreeMap<u32, Vec<(CellRef, &Cell)>> = BTreeMap::new();
    for (at, cell) in &sheet.cells {
        by_row.entry(at.row).or_default().push((*at, cell));
    }
    let all_text = !sheet
        .cells
        .values()
        .any(|c| matches!(c, Cell::Number(_) | Cell::Integer(_)));
    let is_label = |c: &Cell| matches!(c, Cell::Text(t) if !label_key(t).is_empty() && crate::sheet::number::from_text(t).is_err());
    let mut out = Vec::new();
    for cells in by_row.values() {
        let Some((label_at, Cell::Text(label))) = cells.iter().find(|(_, c)| is_label(c)) else {
            continue;
        };
        // A CSV field is text even when it is a number (`53102`): found by an
        // audit, `--init` of a CSV named no row at all. In a workbook, whose
        // numbers are number cells, a text such as a row's code `01` is no value.
        let value = cells.iter().find(|(at, c)| {
            at.col > label_at.col
                && match c {
                    Cell::Number(_) | Cell::Integer(_) => true,
                    Cell::Text(t) => all_text && crate::sheet::number::from_text(t).is_ok(),
                    _ => false,
                }
        });
        if let Some((value, _)) = value {
            out.push(InitRow {
                label: label.trim().to_string(),
                label_at: *label_at,
                value: *value,
            });
        }
    }
    out
}

/// True when exactly one cell of the sheet reads `label`.
fn unique(sheet: &Sheet, label: &str) -> bool {
    let key = label_key(label);
    sheet.texts().filter(|(_, t)| label_key(t) == key).count() == 1
}

/// The header of a value column: the nearest text above the column's first value,
/// when no other cell of the sheet reads the same.
fn header(sheet: &Sheet, rows: &[InitRow], col: u32) -> Option<String> {
    let first = rows
        .iter()
        .filter(|r| r.value.col == col)
        .map(|r| r.value.row)
        .min()?;
    let text = sheet
        .texts()
        .filter(|(at, _)| at.col == col && at.row < first)
        .last()
        .map(|(_, t)| t.trim().to_string())?;
    unique(sheet, &text).then_some(text)
}
