//! `data/import.toml`: where each figure is in the spreadsheet. One mapping serves
//! every year, so figures are best found by their row label and column header, which
//! stay when a form gains or loses a row.
//!
//! ```toml
//! [defaults]
//! sheet = "表1"                 # the sheet of entries that name none (default: the first)
//! column = "本期"               # the column header of entries that name none
//!
//! [figures]
//! "population.total" = "表1!D5"                                   # a cell
//! "women.childbearing_age" = { row = "育龄妇女" }                 # row label, default column
//! "births.by_order.first" = { row = ["出生人数", "一孩"], column = "本期" }
//! "training.days" = { sheet = "表2", row = "培训天数", column = "数量" }
//!
//! [period]                      # used only when data/<year>/figures.toml is new
//! start = "10-01"               # month-day; the period ends in the import's year
//! end = "09-30"
//! ```
//!
//! A label is a cell's whole text, compared after trimming, folding full-width
//! letters, digits and signs to their ASCII forms and dropping every blank, so that
//! `总　人　口` is `总人口` and `（期末）` is `(期末)`. A label written as a list is a
//! path: the first must be the only cell of that text on the sheet; each next one is
//! the first cell of that text at or below and at or right of the one before (so
//! `["出生人数", "一孩"]` is the 一孩 row of the 出生人数 block, and
//! `["本期", "数量"]` the 数量 column under 本期).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use toml::de::DeValue;

use super::read::CellRef;
use crate::diag::{Diagnostic, Diagnostics, FileId, Loc};
use crate::load::toml_read::{Reader, Val, get};

mod init;
pub use init::{FigureFor, starting_mapping};

/// Where one figure is.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// A cell in A1 notation.
    Cell(CellRef),
    /// Row label × column header.
    Labels {
        /// The row label path.
        row: Vec<String>,
        /// The column header path.
        column: Vec<String>,
    },
}

/// One line of `[figures]`.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The figure's dotted path.
    pub path: String,
    /// Where the path is written.
    pub key_loc: Loc,
    /// Where the place is written.
    pub loc: Loc,
    /// The sheet, when the entry names one (else `[defaults]`, else the first).
    pub sheet: Option<String>,
    /// The cell or labels.
    pub place: Place,
}

/// `[period]`: the month and day the reporting period starts and ends; it ends in
/// the import's year and starts the day after the same date a year before when the
/// start comes later in the calendar than the end (`10-01` to `09-30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodRule {
    /// (month, day) of the first day.
    pub start: (u32, u32),
    /// (month, day) of the last day.
    pub end: (u32, u32),
}

impl PeriodRule {
    /// The period of `year`; `None` when a date does not exist that year (a
    /// 29 February in a common year).
    pub fn dates(&self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        let end = NaiveDate::from_ymd_opt(year, self.end.0, self.end.1)?;
        let start_year = if self.start > self.end {
            year - 1
        } else {
            year
        };
        let start = NaiveDate::from_ymd_opt(start_year, self.start.0, self.start.1)?;
        Some((start, end))
    }
}

/// `data/import.toml`, read.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// `[defaults] sheet`.
    pub sheet: Option<String>,
    /// Where `[defaults] sheet` is written.
    pub sheet_loc: Option<Loc>,
    /// The entries, in the order written.
    pub entries: Vec<Entry>,
    /// `[period]`.
    pub period: Option<PeriodRule>,
}

/// Keys of an entry written as a table.
const ENTRY_KEYS: [&str; 4] = ["sheet", "cell", "row", "column"];

/// Reads `import.toml` (already registered as `file`); every problem becomes a
/// diagnostic. `None` when the file cannot be read as TOML at all.
pub fn parse(src: &str, file: FileId, diags: &mut Diagnostics) -> Option<Mapping> {
    let mut r = Reader {
        file,
        src,
        diags: &mut *diags,
    };
    let doc = r.parse()?;
    let top = doc.get_ref();
    r.unknown_keys(top, &["defaults", "figures", "period"], "data/import.toml");
    let mut mapping = Mapping::default();
    let mut default_column: Option<Vec<String>> = None;
    if let Some(v) = get(top, "defaults")
        && let Some(t) = r.table("`defaults`", v)
    {
        r.unknown_keys(t, &["sheet", "column"], "[defaults]");
        if let Some(s) = get(t, "sheet").and_then(|s| r.string("`sheet` of [defaults]", s)) {
            mapping.sheet = Some(s.text);
            mapping.sheet_loc = Some(s.loc);
        }
        if let Some(c) = get(t, "column") {
            default_column = labels(&mut r, "`column` of [defaults]", c);
        }
    }
    match get(top, "figures") {
        Some(v) => {
            if let Some(t) = r.table("`figures`", v) {
                let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
                for (key, value) in t.iter() {
                    let key_loc = r.loc(key.span());
                    entries(
                        &mut r,
                        key.get_ref().as_ref(),
                        key_loc,
                        value,
                        &default_column,
                        &mut seen,
                        &mut mapping.entries,
                    );
                }
            }
        }
        None => r.diags.push(
            Diagnostic::error("data/import.toml has no [figures]")
                .at(r.loc(0..0), "")
                .help("add [figures] with one line per figure: \"population.total\" = { row = \"总人口\", column = \"本期\" }"),
        ),
    }
    if let Some(v) = get(top, "period")
        && let Some(t) = r.table("`period`", v)
    {
        r.unknown_keys(t, &["start", "end"], "[period]");
        let start = month_day(&mut r, t, "start", v);
        let end = month_day(&mut r, t, "end", v);
        if let (Some(start), Some(end)) = (start, end) {
            mapping.period = Some(PeriodRule { start, end });
        }
    }
    Some(mapping)
}

/// One key of `[figures]`: an entry, or (for an unquoted dotted key or a
/// `[figures.births]` table) a table of entries under a longer path.
fn entries(
    r: &mut Reader,
    key: &str,
    key_loc: Loc,
    value: &Val,
    default_column: &Option<Vec<String>>,
    seen: &mut BTreeMap<String, Loc>,
    out: &mut Vec<Entry>,
) {
    if let DeValue::Table(t) = value.get_ref()
        && t.is_empty()
    {
        r.diags.push(
            Diagnostic::error(format!("the entry of `{key}` is empty: it names no place"))
                .at(r.loc(value.span()), "no cell, no row and column")
                .help("write its cell (\"表1!D5\") or its labels ({ row = \"…\", column = \"…\" }), or remove the line"),
        );
        return;
    }
    if let DeValue::Table(t) = value.get_ref()
        && !t
            .iter()
            .any(|(k, _)| ENTRY_KEYS.contains(&k.get_ref().as_ref()))
    {
        for (k, v) in t.iter() {
            let path = format!("{key}.{}", k.get_ref());
            let key_loc = r.loc(k.span());
            entries(r, &path, key_loc, v, default_column, seen, out);
        }
        return;
    }
    let path = key.to_string();
    let loc = r.loc(value.span());
    if let Some(problem) = path_problem(&path) {
        r.diags.push(
            Diagnostic::error(format!("`{path}` cannot be a figure path: {problem}"))
                .at(key_loc.clone(), "not a figure path")
                .help("a figure path is the dotted name formulas use, such as \"births.by_order.first\""),
        );
        return;
    }
    if let Some(first) = seen.get(&path) {
        r.diags.push(
            Diagnostic::error(format!("`{path}` is mapped twice"))
                .at(key_loc.clone(), "mapped again here")
                .also(first.clone(), "first mapped here")
                .help("keep one of the two lines"),
        );
        return;
    }
    seen.insert(path.clone(), key_loc.clone());
    let what = format!("the place of `{path}`");
    let (sheet, place) = match value.get_ref() {
        DeValue::String(s) => match parse_cell(s) {
            Some((sheet, cell)) => (sheet, Place::Cell(cell)),
            None => {
                r.diags.push(
                    Diagnostic::error(format!("{what} is not a cell: `{s}`"))
                        .at(loc, "expected a cell such as \"表1!D5\" or \"D5\"")
                        .help("a string is a cell in A1 notation; to find the figure by its labels write { row = \"…\", column = \"…\" }"),
                );
                return;
            }
        },
        DeValue::Table(t) => {
            r.unknown_keys(t, &ENTRY_KEYS, &format!("the entry of `{path}`"));
            let sheet = get(t, "sheet")
                .and_then(|s| r.string(&format!("`sheet` of `{path}`"), s))
                .map(|s| s.text);
            let cell = get(t, "cell");
            let row = get(t, "row");
            let column = get(t, "column");
            match (cell, row) {
                (Some(c), None) => {
                    if column.is_some() {
                        r.diags.push(
                            Diagnostic::error(format!(
                                "the entry of `{path}` has both `cell` and `column`"
                            ))
                            .at(loc, "a cell, or a row and a column")
                            .help("keep `cell`, or replace it with `row`"),
                        );
                        return;
                    }
                    let Some(s) = r.string(&format!("`cell` of `{path}`"), c) else {
                        return;
                    };
                    match CellRef::parse(&s.text) {
                        Some(cell) => (sheet, Place::Cell(cell)),
                        None => {
                            r.diags.push(
                                Diagnostic::error(format!("`{}` is not a cell", s.text))
                                    .at(s.loc, "expected a cell such as D5")
                                    .help("name the sheet with `sheet = \"…\"` beside `cell`"),
                            );
                            return;
                        }
                    }
                }
                (Some(_), Some(_)) => {
                    r.diags.push(
                        Diagnostic::error(format!(
                            "the entry of `{path}` has both `cell` and `row`"
                        ))
                        .at(loc, "a cell, or a row and a column")
                        .help("keep one: `cell = \"D5\"`, or `row = \"…\"` with `column = \"…\"`"),
                    );
                    return;
                }
                (None, Some(row)) => {
                    let Some(row) = labels(r, &format!("`row` of `{path}`"), row) else {
                        return;
                    };
                    let column = match column {
                        Some(c) => match labels(r, &format!("`column` of `{path}`"), c) {
                            Some(c) => c,
                            None => return,
                        },
                        None => match default_column {
                            Some(c) => c.clone(),
                            None => {
                                r.diags.push(
                                    Diagnostic::error(format!("the entry of `{path}` names no column"))
                                        .at(loc, "`column` is needed here")
                                        .help("add `column = \"本期\"`, or set `column` once in [defaults]"),
                                );
                                return;
                            }
                        },
                    };
                    (sheet, Place::Labels { row, column })
                }
                (None, None) => {
                    r.diags.push(
                        Diagnostic::error(format!(
                            "the entry of `{path}` names no cell and no row"
                        ))
                        .at(loc, "where is the figure?")
                        .help("write { row = \"…\", column = \"…\" } or { cell = \"D5\" }"),
                    );
                    return;
                }
            }
        }
        _ => {
            r.type_error(
                &what,
                "a cell (\"表1!D5\") or a table { row = \"…\", column = \"…\" }",
                value,
            );
            return;
        }
    };
    out.push(Entry {
        path,
        key_loc,
        loc,
        sheet,
        place,
    });
}

/// A label or a list of labels (a path); each must have some text.
fn labels(r: &mut Reader, what: &str, v: &Val) -> Option<Vec<String>> {
    let list: Vec<&Val> = match v.get_ref() {
        DeValue::String(_) => vec![v],
        DeValue::Array(items) => items.iter().collect(),
        _ => {
            r.type_error(what, "a label or a list of labels", v);
            return None;
        }
    };
    let mut out = Vec::new();
    for item in list {
        let s = r.string(what, item)?;
        if label_key(&s.text).is_empty() {
            r.diags.push(
                Diagnostic::error(format!("{what} is blank"))
                    .at(s.loc, "no text to look for")
                    .help("write the label as the form shows it"),
            );
            return None;
        }
        out.push(s.text);
    }
    if out.is_empty() {
        r.diags.push(
            Diagnostic::error(format!("{what} is an empty list"))
                .at(r.loc(v.span()), "no label")
                .help("write the label as the form shows it"),
        );
        return None;
    }
    Some(out)
}

fn month_day(r: &mut Reader, t: &toml::de::DeTable, key: &str, table: &Val) -> Option<(u32, u32)> {
    let Some(v) = get(t, key) else {
        r.missing(
            key,
            "[period]",
            table.span(),
            Some(format!("add `{key} = \"10-01\"` (month-day)")),
        );
        return None;
    };
    if let DeValue::Datetime(_) = v.get_ref() {
        r.diags.push(
            Diagnostic::error(format!("`{key}` of [period] is a date; one mapping serves every year"))
                .at(r.loc(v.span()), "a whole date")
                .help(format!("write the month and day alone: `{key} = \"10-01\"`; the period ends in the year imported")),
        );
        return None;
    }
    let s = r.string(&format!("`{key}` of [period]"), v)?;
    let parsed = s.text.trim().split_once('-').and_then(|(m, d)| {
        let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
        // 2000 is a leap year, so 02-29 is accepted here.
        NaiveDate::from_ymd_opt(2000, m, d).map(|_| (m, d))
    });
    if parsed.is_none() {
        r.diags.push(
            Diagnostic::error(format!(
                "`{key}` of [period] is not a month and day: `{}`",
                s.text
            ))
            .at(s.loc, "expected \"MM-DD\"")
            .help("for a period from October to September: start = \"10-01\", end = \"09-30\""),
        );
    }
    parsed
}

/// What is wrong with a figure path, if anything.
pub fn path_problem(path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Some("it has an empty part");
    }
    if segments
        .iter()
        .any(|s| !s.chars().all(|c| c == '_' || c.is_alphanumeric()))
    {
        return Some("its parts are letters, digits and `_`, joined by `.`");
    }
    if matches!(segments[0], "period" | "source") {
        return Some("[period] and [source] are not figures");
    }
    None
}

/// Reads `表1!D5`, `'Sheet 1'!D5` or `D5` (the sheet then comes from elsewhere).
pub fn parse_cell(text: &str) -> Option<(Option<String>, CellRef)> {
    let t = text.trim();
    match t.rfind('!') {
        Some(at) => {
            let (sheet, cell) = (&t[..at], &t[at + 1..]);
            let sheet = match sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                Some(quoted) => quoted.replace("''", "'"),
                None => sheet.to_string(),
            };
            if sheet.trim().is_empty() {
                return None;
            }
            Some((Some(sheet), CellRef::parse(cell)?))
        }
        None => Some((None, CellRef::parse(t)?)),
    }
}

/// A label as it is compared: trimmed, full-width letters, digits and signs folded
/// to ASCII, every blank dropped, ASCII letters in lower case.
pub fn label_key(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
                _ => c,
            };
            (!c.is_whitespace()).then(|| c.to_ascii_lowercase())
        })
        .collect()
}

#[cfg(test)]
mod tests;
