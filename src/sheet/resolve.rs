//! From a read spreadsheet to the figures it gives: each mapping entry (or, without
//! a mapping, each row of figure path and value) is found, its cell read by the rule
//! of [`super::number`], and every problem becomes a diagnostic that names the file,
//! the sheet and the cell. Nothing is written here.

use std::collections::HashMap;

use super::mapping::{Entry, Mapping, Place};
use super::number::{self, TextProblem};
use super::read::{Book, Cell, CellRef, Kind, Sheet, cell_name, quote_sheet};
use super::{Imported, Known, clip, quote};
use crate::diag::{Diagnostic, Diagnostics, Loc};
use crate::suggest;

mod labels;
mod numbers;
mod paths;
use labels::LabelIndex;
pub use numbers::shown_places;
use numbers::split_number;
pub use paths::by_paths;

/// Where a diagnostic about a cell points: at the mapping line that led to the cell,
/// or (without a mapping) at the spreadsheet file alone.
#[derive(Debug, Clone)]
enum Origin {
    Mapping(Loc),
    File,
}

/// A diagnostic's origin, sheet and cell.
struct Spot<'x>(&'x Origin, &'x str, Option<CellRef>);

struct Ctx<'a> {
    book: &'a Book,
    known: &'a Known,
    diags: &'a mut Diagnostics,
    /// Missing sheets named once for the whole mapping (by `--sheet` or in
    /// [defaults]) and already reported: said once, not once per entry.
    missing: std::collections::BTreeSet<String>,
}

impl Ctx<'_> {
    /// A diagnostic about `sheet` (and `cell`), from `origin`.
    fn diag(
        &mut self,
        error: bool,
        Spot(origin, sheet, cell): Spot,
        what: String,
        label: &str,
        help: Option<String>,
    ) {
        // A cell as the change list and a spreadsheet's Go To write it (`表1!D12`),
        // so that one search finds it in every message.
        let place = match cell {
            Some(c) => cell_name(sheet, c),
            None => format!("sheet {}", quote_sheet(sheet)),
        };
        let d = match origin {
            Origin::Mapping(loc) => {
                let d = Diagnostic::error(format!("{}, {place}: {what}", self.book.display));
                d.at(loc.clone(), label)
            }
            Origin::File => {
                Diagnostic::error(format!("{place}: {what}")).in_file(self.book.display.clone())
            }
        };
        let d = if error {
            d
        } else {
            Diagnostic {
                severity: crate::diag::Severity::Warning,
                ..d
            }
        };
        self.diags.push(d.help_opt(help));
    }

    /// The figure of one cell, or `None` after reporting why there is none.
    /// The cell's value as the decimal it is, within what nianbao computes with:
    /// a 50-million-digit cell was written into figures.toml, which no build
    /// could then read (found by an audit).
    fn value(&mut self, origin: &Origin, sheet: &Sheet, at: CellRef, path: &str) -> Option<String> {
        let decimal = self.cell_value(origin, sheet, at, path)?;
        if matches!(
            crate::exact::Exact::read_decimal(&decimal),
            Err(crate::exact::NumberError::TooLarge)
        ) {
            self.diag(
                true,
                Spot(origin, sheet.name.as_str(), Some(at)),
                format!("the value for `{path}` has too many digits to compute with"),
                "too large, or too fine a fraction",
                Some(crate::exact::LIMIT_HELP.to_string()),
            );
            return None;
        }
        Some(decimal)
    }

    fn cell_value(
        &mut self,
        origin: &Origin,
        sheet: &Sheet,
        at: CellRef,
        path: &str,
    ) -> Option<String> {
        let name = sheet.name.as_str();
        let formula = sheet.formulas.get(&at);
        match sheet.get(at) {
            None => {
                let help = match formula {
                    Some(f) => format!(
                        "the cell holds the formula ={}, whose value was never stored: open the file in Excel, WPS or LibreOffice and save it",
                        clip(f)
                    ),
                    None => format!(
                        "enter the figure (0 if there is none), or map `{path}` to another cell"
                    ),
                };
                self.diag(
                    true,
                    Spot(origin, name, Some(at)),
                    format!("the cell is empty, where `{path}` belongs"),
                    "empty cell",
                    Some(help),
                );
                None
            }
            Some(Cell::Integer(i)) => Some(i.to_string()),
            Some(Cell::Number(f)) => {
                let Some(decimal) = number::from_float(*f) else {
                    self.diag(
                        true,
                        Spot(origin, name, Some(at)),
                        format!("the cell holds {f}, which is not a number"),
                        "not a number",
                        None,
                    );
                    return None;
                };
                if let Some(code) = sheet.formats.get(&at) {
                    self.format_note(origin, sheet, at, code, &decimal);
                }
                Some(decimal)
            }
            Some(Cell::Text(text)) => match number::from_text(text) {
                Ok(n) => {
                    let csv = self.book.kind == Kind::Csv;
                    if csv && let Some(split) = split_number(sheet, at) {
                        // A field's decimals may be of any length: each part is
                        // clipped as any quoted cell text is.
                        let whole = split.cells.join(",");
                        let (whole, joined) = (clip(&whole), split.cells.concat());
                        let joined = clip(&joined);
                        let last = cell_name(name, split.last);
                        let fields = split.cells[1..]
                            .iter()
                            .map(|c| quote(c))
                            .collect::<Vec<_>>()
                            .join(", ");
                        if split.certain {
                            self.diag(
                                true,
                                Spot(origin, name, Some(at)),
                                format!(
                                    "{} and the next fields, {fields} (to {last}), look like one number, {whole}, split at its thousands separators: the row has more fields than the file's other rows",
                                    quote(text.trim())
                                ),
                                "a number split at its commas",
                                Some(format!("in a CSV file, quote the number (\"{whole}\") or write it without separators ({joined})")),
                            );
                            return None;
                        }
                        self.diag(
                            false,
                            Spot(origin, name, Some(at)),
                            format!(
                                "{} is read as {}, but the next fields, {fields} (to {last}), may be the rest of it: {whole}, split at its thousands separators",
                                quote(text.trim()),
                                clip(&n.decimal)
                            ),
                            "a number split at its commas?",
                            Some(format!("if the form says {whole}, quote it in the CSV file (\"{whole}\") or write it without separators; if the next field is a figure of its own, nothing is wrong")),
                        );
                    }
                    if n.normalised || !csv {
                        let what = if csv {
                            format!("{} is read as {}", quote(text.trim()), clip(&n.decimal))
                        } else {
                            format!(
                                "the number is stored as text ({}); it is read as {}",
                                quote(text.trim()),
                                clip(&n.decimal)
                            )
                        };
                        let help = (!csv).then(|| "format the cell as a number so that the spreadsheet can add it up too".to_string());
                        self.diag(
                            false,
                            Spot(origin, name, Some(at)),
                            what,
                            "read from text",
                            help,
                        );
                    }
                    Some(n.decimal)
                }
                Err(problem) => {
                    let what = match problem {
                        TextProblem::Blank => format!("the cell is blank, where `{path}` belongs"),
                        _ => format!(
                            "{} is not a number for `{path}`: {}",
                            quote(text.trim()),
                            problem.explain()
                        ),
                    };
                    self.diag(
                        true,
                        Spot(origin, name, Some(at)),
                        what,
                        "not a number",
                        Some(problem.help().to_string()),
                    );
                    None
                }
            },
            Some(Cell::Bool(b)) => {
                let v = if *b { "TRUE" } else { "FALSE" };
                self.diag(
                    true,
                    Spot(origin, name, Some(at)),
                    format!("the cell holds {v}, not a number for `{path}`"),
                    "not a number",
                    None,
                );
                None
            }
            Some(Cell::Date(d)) => {
                self.diag(true, Spot(origin, name, Some(at)), format!("the cell holds a date or time ({}), not a number for `{path}`", clip(d)), "a date",
                    Some("if the figure is a number, format the cell as a number (a count formatted as a date shows as one)".into()));
                None
            }
            Some(Cell::Error(e)) => {
                let help = match formula {
                    Some(f) => {
                        format!(
                            "its formula ={} fails: fix it in the spreadsheet and save",
                            clip(f)
                        )
                    }
                    None => "enter the figure in the spreadsheet and save".to_string(),
                };
                self.diag(
                    true,
                    Spot(origin, name, Some(at)),
                    format!(
                        "the cell holds the error {}, not a number for `{path}`",
                        clip(e)
                    ),
                    "an error value",
                    Some(help),
                );
                None
            }
        }
    }

    /// Warns when the cell's number format shows the value otherwise than imported:
    /// fewer places than it holds, or as a percentage.
    fn format_note(
        &mut self,
        origin: &Origin,
        sheet: &Sheet,
        at: CellRef,
        code: &str,
        decimal: &str,
    ) {
        let Some((places, percent)) = shown_places(code) else {
            return;
        };
        let held = decimal.split_once('.').map_or(0, |(_, f)| f.len() as u32);
        if percent {
            self.diag(false, Spot(origin, &sheet.name, Some(at)),
                format!("the cell is formatted as a percentage (`{code}`) and holds {decimal}, which is imported"),
                "a percentage",
                Some("figures are the counts rates are computed from: map the count, and let data/metrics.toml compute the rate".into()));
        } else if held > places {
            let shown = crate::exact::Exact::parse_decimal(decimal)
                .map(|e| e.to_fixed(places, crate::exact::Rounding::HalfAwayFromZero))
                .unwrap_or_default();
            self.diag(false, Spot(origin, &sheet.name, Some(at)),
                format!("the cell shows {shown} (format `{code}`) but holds {decimal}; {decimal} is imported"),
                "shows fewer places",
                Some("nianbao rounds once, when it shows a metric; if the rounded figure is the one meant, type it or use ROUND in the sheet".into()));
        }
    }

    /// Reports a figure path that is not a figure the project knows.
    fn check_path(
        &mut self,
        path: &str,
        report: impl FnOnce(&mut Self, String, Option<String>),
    ) -> bool {
        match self.known.check(path) {
            Ok(()) => true,
            Err(problem) => {
                let (what, help) = match problem {
                    PathError::Table => (
                        format!("`{path}` is a table of figures, not one figure"),
                        Some(format!("map each figure in it, such as `{path}.…`")),
                    ),
                    PathError::Unknown(near) => (
                        format!("unknown figure {}", quote(path)),
                        Some(match near {
                            Some(n) => format!("did you mean `{n}`? (a new figure is added to figures.toml by hand first, with any value; then the import fills it)"),
                            None => "no year's figures.toml nor data/metrics.toml names it: add it to figures.toml by hand first (any value), then import".to_string(),
                        }),
                    ),
                };
                report(self, what, help);
                false
            }
        }
    }
}

/// Why a figure path is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// Not a figure of any year nor of a formula; the nearest known one.
    Unknown(Option<String>),
    /// A table of figures.
    Table,
}

/// The figures `book` gives by `mapping`.
pub fn by_mapping(
    book: &Book,
    mapping: &Mapping,
    known: &Known,
    diags: &mut Diagnostics,
) -> Vec<Imported> {
    let mut cx = Ctx {
        book,
        known,
        diags,
        missing: Default::default(),
    };
    let mut indexes: HashMap<String, LabelIndex> = HashMap::new();
    let mut out = Vec::new();
    for entry in &mapping.entries {
        let path_ok = cx.check_path(&entry.path, |cx, what, help| {
            cx.diags.push(
                Diagnostic::error(what)
                    .at(entry.key_loc.clone(), "no such figure")
                    .help_opt(help),
            );
        });
        let Some(sheet) = sheet_of(&mut cx, mapping, entry) else {
            continue;
        };
        let origin = Origin::Mapping(entry.loc.clone());
        let at = match &entry.place {
            Place::Cell(c) => *c,
            Place::Labels { row, column } => {
                let index = indexes
                    .entry(sheet.name.clone())
                    .or_insert_with(|| LabelIndex::new(sheet));
                let r = index.find(row);
                let c = index.find(column);
                let mut failed = false;
                for (found, kind) in [(&r, "row"), (&c, "column")] {
                    if let Err(e) = found {
                        failed = true;
                        let (what, help) = e.explain(kind, &entry.path);
                        cx.diag(
                            true,
                            Spot(&origin, &sheet.name, None),
                            what,
                            e.marker(),
                            help,
                        );
                    }
                }
                match (r, c) {
                    (Ok(r), Ok(c)) if !failed => CellRef {
                        row: r.row,
                        col: c.col,
                    },
                    _ => continue,
                }
            }
        };
        if let Some(decimal) = cx.value(&origin, sheet, at, &entry.path)
            && path_ok
        {
            out.push(Imported {
                path: entry.path.clone(),
                decimal,
                cell: cell_name(&sheet.name, at),
            });
        }
    }
    out
}

fn sheet_of<'b>(cx: &mut Ctx<'b>, mapping: &Mapping, entry: &Entry) -> Option<&'b Sheet> {
    let book = cx.book;
    let Some(name) = entry.sheet.as_ref().or(mapping.sheet.as_ref()) else {
        return book.sheets.first().or_else(|| {
            cx.diags.push(
                Diagnostic::error(format!("{} has no sheet", book.display))
                    .at(entry.loc.clone(), ""),
            );
            None
        });
    };
    if let Some(s) = book.sheet(name) {
        return readable(cx, s, Some(entry.loc.clone()));
    }
    let names = book.sheet_names();
    let help = match (book.kind, suggest::nearest(name, names.iter().copied())) {
        (Kind::Csv, _) => format!(
            "a CSV file holds one sheet, which answers to the name of `sheet` in [defaults] ({}); map its figures to that sheet",
            names.first().copied().unwrap_or("")
        ),
        (_, Some(n)) => format!("did you mean `{n}`? The sheets are {}", names.join(", ")),
        (_, None) => format!("the sheets are {}", names.join(", ")),
    };
    // Point at the sheet's name where it is written: the entry, else [defaults];
    // a name given by `--sheet` is written nowhere in the files. One written for
    // the whole mapping is one mistake, said once however many entries use it.
    let diag = match (&entry.sheet, &mapping.sheet_loc) {
        (Some(_), _) => Diagnostic::error(format!("{} has no sheet `{name}`", book.display))
            .at(entry.loc.clone(), "no such sheet"),
        _ if !cx.missing.insert(name.clone()) => return None,
        (None, Some(at)) => Diagnostic::error(format!("{} has no sheet `{name}`", book.display))
            .at(at.clone(), "no such sheet"),
        (None, None) => Diagnostic::error(format!("there is no sheet `{name}` (named by --sheet)"))
            .in_file(book.display.clone()),
    };
    cx.diags.push(diag.help(help));
    None
}

/// The sheet, or `None` after saying why its cells could not be read (at the
/// mapping line that names it, when one does).
fn readable<'b>(cx: &mut Ctx<'_>, sheet: &'b Sheet, at: Option<Loc>) -> Option<&'b Sheet> {
    let Some(problem) = &sheet.unread else {
        return Some(sheet);
    };
    cx.diags.push(match at {
        Some(loc) => {
            Diagnostic::error(format!("{}: {problem}", cx.book.display)).at(loc, "this sheet")
        }
        None => Diagnostic::error(problem.clone()).in_file(cx.book.display.clone()),
    });
    None
}

#[cfg(test)]
mod tests;
