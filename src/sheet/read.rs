//! Reading a spreadsheet into cells: `.xlsx`, `.xlsm`, `.xlsb`, `.xls` and `.ods`
//! through calamine, `.csv` through the csv crate. Nothing is converted to a figure
//! here: number cells keep their float, text cells their text, and
//! [`super::number`] decides what a cell's figure is. A formula cell is read as the
//! value the spreadsheet program last computed and stored; its formula is kept so
//! that a formula whose value was never stored can be named.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Ods, Reader, Sheets, Xls, Xlsb, Xlsx};

/// A cell position, zero-based (`row` 0 is row 1, `col` 0 is column A).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    /// Row, from 0.
    pub row: u32,
    /// Column, from 0.
    pub col: u32,
}

impl CellRef {
    /// Reads A1 notation (`C5`, `$C$5`, `aa10`).
    pub fn parse(text: &str) -> Option<CellRef> {
        let t = text.trim();
        let t = t.strip_prefix('$').unwrap_or(t);
        let letters_end = t
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(t.len());
        let (letters, digits) = t.split_at(letters_end);
        let digits = digits.strip_prefix('$').unwrap_or(digits);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let col = parse_column(letters)?;
        let row: u32 = digits.parse().ok()?;
        // Excel's limits: 1,048,576 rows and 16,384 columns (XFD).
        (1..=1_048_576).contains(&row).then_some(())?;
        (col < 16_384).then_some(CellRef { row: row - 1, col })
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", column_name(self.col), self.row + 1)
    }
}

/// The letters of a column (`0` → `A`, `27` → `AB`).
pub fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// The column of letters (`A` → `0`), case-insensitive.
pub fn parse_column(letters: &str) -> Option<u32> {
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n: u32 = 0;
    for b in letters.bytes() {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        n = n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    Some(n - 1)
}

/// A sheet name as a cell reference writes it: bare when it is letters and digits
/// (`表1`), else quoted (`'Sheet 1'`, with `'` doubled).
pub fn quote_sheet(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// `表1!D5`.
pub fn cell_name(sheet: &str, cell: CellRef) -> String {
    format!("{}!{cell}", quote_sheet(sheet))
}

/// What a non-empty cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number, as the binary float the file stores.
    Number(f64),
    /// A whole number the reader gave as an integer.
    Integer(i64),
    /// Text (every CSV field is text).
    Text(String),
    /// TRUE or FALSE.
    Bool(bool),
    /// A date, a time or a duration, as text.
    Date(String),
    /// An error value such as `#DIV/0!`.
    Error(String),
}

/// One sheet: its non-empty cells, and for a workbook the formulas and the number
/// formats of its cells.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The sheet's name (for a CSV file, the name it answers to).
    pub name: String,
    /// Hidden (or very hidden) in the workbook.
    pub hidden: bool,
    /// Non-empty cells, in row-major order.
    pub cells: BTreeMap<CellRef, Cell>,
    /// Formulas, by cell (without the leading `=`).
    pub formulas: HashMap<CellRef, String>,
    /// Number format codes of cells that have one other than General. Only .xlsx and
    /// .xlsm give them: calamine reads no number format from .ods, .xls or .xlsb
    /// (docs/spreadsheets.md says so), so their cells get no format warning.
    pub formats: HashMap<CellRef, String>,
    /// For a CSV file, how many fields each row (by index) has: a number
    /// split at an unquoted thousands separator gives its row one field more.
    pub fields: HashMap<u32, u32>,
    /// For a CSV file, the number of fields most rows have (the fewest among
    /// equally common): counted once when the file is read, not for each cell
    /// that looks like part of a split number.
    pub usual_fields: Option<u32>,
    /// Why the sheet's cells were not read (they span too far: see
    /// `xlsx_too_wide`); an error only where the import reads this sheet.
    pub unread: Option<String>,
}

impl Sheet {
    /// The cell at `at`, or `None` when it is empty.
    pub fn get(&self, at: CellRef) -> Option<&Cell> {
        self.cells.get(&at)
    }

    /// Every text cell, in row-major order.
    pub fn texts(&self) -> impl Iterator<Item = (CellRef, &str)> {
        self.cells.iter().filter_map(|(at, c)| match c {
            Cell::Text(t) => Some((*at, t.as_str())),
            _ => None,
        })
    }
}

/// The kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A workbook of one or more sheets.
    Workbook,
    /// A CSV file: one sheet of text fields.
    Csv,
}

/// A spreadsheet file, read.
#[derive(Debug, Clone)]
pub struct Book {
    /// The file as named to the user.
    pub display: String,
    /// Workbook or CSV.
    pub kind: Kind,
    /// Its sheets, in the file's order.
    pub sheets: Vec<Sheet>,
    /// Something worth saying about how it was read (a CSV decoded from GB18030).
    pub note: Option<String>,
}

impl Book {
    /// The sheet of that name (exact, then ignoring case and surrounding blanks).
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name).or_else(|| {
            let want = name.trim().to_lowercase();
            self.sheets
                .iter()
                .find(|s| s.name.trim().to_lowercase() == want)
        })
    }

    /// The sheet read when none is named: the first visible one (a hidden first
    /// sheet is usually a lookup table or an old copy), else the first. The second
    /// value is the hidden sheet passed over, for a warning.
    pub fn default_sheet(&self) -> Option<(&Sheet, Option<&Sheet>)> {
        let first = self.sheets.first()?;
        if !first.hidden {
            return Some((first, None));
        }
        Some(match self.sheets.iter().find(|s| !s.hidden) {
            Some(visible) => (visible, Some(first)),
            None => (first, None),
        })
    }

    /// The names of the sheets.
    pub fn sheet_names(&self) -> Vec<&str> {
        self.sheets.iter().map(|s| s.name.as_str()).collect()
    }
}

/// A file that cannot be read as a spreadsheet.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file cannot be read at all.
    #[error("cannot read {file}: {message}")]
    Io {
        /// The file.
        file: String,
        /// The system's message.
        message: String,
    },
    /// Not a kind of file nianbao reads.
    #[error("{file}: nianbao imports .xlsx, .xlsm, .xlsb, .xls, .ods and .csv files, not {what}")]
    Unsupported {
        /// The file.
        file: String,
        /// `.docx files`, `files without an extension`.
        what: String,
    },
    /// The file is damaged or is not what its name says.
    #[error("{file} cannot be read as {kind}: {message}")]
    Damaged {
        /// The file.
        file: String,
        /// `an .xlsx workbook`.
        kind: String,
        /// The reader's message.
        message: String,
    },
}

/// Reads a spreadsheet file. `csv_sheet` is the name a CSV file's one sheet answers to.
pub fn read(path: &Path, display: &str, csv_sheet: &str) -> Result<Book, ReadError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !matches!(
        ext.as_str(),
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" | "csv"
    ) {
        return Err(ReadError::Unsupported {
            file: display.to_string(),
            what: if ext.is_empty() {
                "a file without an extension".to_string()
            } else {
                format!(".{ext} files")
            },
        });
    }
    if path.is_dir() {
        return Err(ReadError::Io {
            file: display.to_string(),
            message: "it is a folder".to_string(),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io {
        file: display.to_string(),
        message: e.to_string(),
    })?;
    if ext == "csv" {
        // A workbook saved under a .csv name: its bytes as text give only noise.
        let workbook = if bytes.starts_with(b"PK\x03\x04") {
            Some("a zip file (an .xlsx or .ods workbook)")
        } else if bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
            Some("an .xls workbook")
        } else {
            None
        };
        if let Some(what) = workbook {
            return Err(ReadError::Damaged {
                file: display.to_string(),
                kind: "CSV text".to_string(),
                message: format!(
                    "it is {what}, named .csv: give it its own extension (.xlsx, .ods, .xls), or save it as CSV"
                ),
            });
        }
        let (sheet, note) = read_csv(&bytes, csv_sheet);
        return Ok(Book {
            display: display.to_string(),
            kind: Kind::Csv,
            sheets: vec![sheet],
            note,
        });
    }
    let damaged = |kind: &str, message: String| ReadError::Damaged {
        file: display.to_string(),
        kind: kind.to_string(),
        message,
    };
    // A file that does not even start as its kind does (renamed, or saved as
    // something else) gets words, not the reader's internals (an audit saw
    // `Cfb error: … signature \x6e\x6f… invalid`).
    let (magic, kind): (&[u8], &str) = match ext.as_str() {
        "xls" => (&[0xD0, 0xCF, 0x11, 0xE0], "an .xls workbook"),
        "ods" => (b"PK", "an .ods spreadsheet"),
        "xlsb" => (b"PK", "an .xlsb workbook"),
        _ => (
            b"PK",
            if ext == "xlsm" {
                "an .xlsm workbook"
            } else {
                "an .xlsx workbook"
            },
        ),
    };
    if !bytes.starts_with(magic) {
        return Err(damaged(
            kind,
            format!(
                "it is not a .{ext} file (it does not begin as one does): perhaps it was renamed, or saved in another format; open it and save it as .{ext} or .csv"
            ),
        ));
    }
    let cursor = Cursor::new(bytes);
    let mut sheets = match ext.as_str() {
        "xls" => Xls::new(cursor)
            .map(Sheets::Xls)
            .map_err(|e| damaged("an .xls workbook", e.to_string()))?,
        "xlsb" => Xlsb::new(cursor)
            .map(Sheets::Xlsb)
            .map_err(|e| damaged("an .xlsb workbook", e.to_string()))?,
        "ods" => Ods::new(cursor).map(Sheets::Ods).map_err(|e| {
            // calamine prints the zip error of an .ods with `{:?}`; the
            // .xlsx reader words the same failure plainly.
            let message = match &e {
                calamine::OdsError::Zip(z) => format!("Zip error: {z}"),
                other => other.to_string(),
            };
            damaged("an .ods spreadsheet", message)
        })?,
        _ => Xlsx::new(cursor)
            .map(Sheets::Xlsx)
            .map_err(|e| damaged(&format!("an .{ext} workbook"), e.to_string()))?,
    };
    let hidden: Vec<String> = sheets
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible != calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let mut out = Vec::new();
    for name in sheets.sheet_names() {
        if let Sheets::Xlsx(xlsx) = &mut sheets
            && let Some(problem) = xlsx_too_wide(xlsx, &name)
        {
            // Another sheet of the workbook (a data dump beside the form) may
            // be what is imported: an audit's form was refused for its neighbour.
            out.push(Sheet {
                name: name.clone(),
                hidden: hidden.contains(&name),
                unread: Some(problem),
                ..Sheet::default()
            });
            continue;
        }
        let range = sheets
            .worksheet_range(&name)
            .map_err(|e| damaged("a spreadsheet", format!("sheet {name}: {e}")))?;
        let mut sheet = Sheet {
            name: name.clone(),
            hidden: hidden.contains(&name),
            ..Sheet::default()
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, data) in range.used_cells() {
            let at = CellRef {
                row: r0 + r as u32,
                col: c0 + c as u32,
            };
            if let Some(cell) = from_data(data) {
                sheet.cells.insert(at, cell);
            }
        }
        // Formulas and formats only help the messages: a reader that cannot give
        // them (an old .xls) still imports.
        if let Ok(formulas) = sheets.worksheet_formula(&name) {
            let (r0, c0) = formulas.start().unwrap_or((0, 0));
            for (r, c, f) in formulas.used_cells() {
                if !f.is_empty() {
                    let at = CellRef {
                        row: r0 + r as u32,
                        col: c0 + c as u32,
                    };
                    let f = if ext == "ods" {
                        ods_formula(f)
                    } else {
                        f.clone()
                    };
                    sheet.formulas.insert(at, f);
                }
            }
        }
        if ext == "ods" {
            ods_errors(&mut sheet);
        }
        if let Ok(styles) = sheets.worksheet_style(&name) {
            for (at, cell) in &sheet.cells {
                if !matches!(cell, Cell::Number(_) | Cell::Integer(_)) {
                    continue;
                }
                if let Some(code) = styles
                    .get((at.row, at.col))
                    .and_then(|s| s.number_format.as_ref())
                    .map(|f| f.format_code.clone())
                    .filter(|c| !c.is_empty() && !c.eq_ignore_ascii_case("general"))
                {
                    sheet.formats.insert(*at, code);
                }
            }
        }
        out.push(sheet);
    }
    Ok(Book {
        display: display.to_string(),
        kind: Kind::Workbook,
        sheets: out,
        note: None,
    })
}

/// The most cells a sheet's area (from its first used cell to its last) may
/// span: calamine reads a sheet into a grid that big, and a form is a few
/// thousand.
const MOST_CELLS: u64 = 4_000_000;

/// Why an .xlsx sheet cannot be read, when its cells span too large an area
/// or stand beyond Excel's last cell: an audit's 1.5 kB workbook with one cell
/// at XFD1048576 made the import grow past 18 GB, and one at
/// `ZZZZZZZZZZZZ99999999999999` made it panic. The cells are streamed, so
/// this costs no grid.
fn xlsx_too_wide<RS: std::io::Read + std::io::Seek>(
    xlsx: &mut Xlsx<RS>,
    name: &str,
) -> Option<String> {
    // Excel's last row and column, 0-based.
    const LAST_ROW: u32 = 1_048_575;
    const LAST_COL: u32 = 16_383;
    let mut reader = xlsx.worksheet_cells_reader(name).ok()?;
    let (mut low, mut high): (Option<(u32, u32)>, (u32, u32)) = (None, (0, 0));
    let mut far: Option<(u32, u32)> = None;
    while let Ok(Some(cell)) = reader.next_cell() {
        let (row, col) = cell.get_position();
        if row > LAST_ROW || col > LAST_COL {
            return Some(format!(
                "a cell of sheet {name} stands beyond Excel's last cell XFD1048576 (row {}, column {}): the file is damaged or was not written by a spreadsheet program; open it and save it again",
                u64::from(row) + 1,
                u64::from(col) + 1
            ));
        }
        let (lr, lc) = low.unwrap_or((row, col));
        low = Some((lr.min(row), lc.min(col)));
        if row > high.0 || col > high.1 {
            far = Some((row, col));
        }
        high = (high.0.max(row), high.1.max(col));
    }
    let (lr, lc) = low?;
    let area = u64::from(high.0 - lr + 1) * u64::from(high.1 - lc + 1);
    if area <= MOST_CELLS {
        return None;
    }
    let (fr, fc) = far.unwrap_or(high);
    Some(format!(
        "the cells of sheet {name} span {} to {} ({} rows by {} columns), more than the {MOST_CELLS} cells nianbao reads a sheet of; if the form is smaller, the farthest cell, {}, may be a stray entry: clear the rows and columns beyond the form and save",
        CellRef { row: lr, col: lc },
        CellRef {
            row: high.0,
            col: high.1
        },
        high.0 - lr + 1,
        high.1 - lc + 1,
        CellRef { row: fr, col: fc },
    ))
}

/// A date cell of a workbook as the spreadsheet shows it (`2025-01-02`, with the
/// time when there is one), as an .ods date is; a duration, or a serial number
/// beyond Excel's dates, as the number it is.
fn excel_date(d: &calamine::ExcelDateTime) -> String {
    let serial = d.as_f64();
    // Excel's dates run from 1900-01-01 (serial 1) to 9999-12-31 (2958465).
    if !d.is_datetime() || !(1.0..2_958_466.0).contains(&serial) {
        return d.to_string();
    }
    let (y, mo, day, h, mi, sec, _) = d.to_ymd_hms_milli();
    if (h, mi, sec) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{day:02}")
    } else {
        format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{sec:02}")
    }
}

/// An .ods formula as Excel writes it: `of:=[.B2]*2` is `B2*2`, `of:=SUM([.A1:.A3])`
/// is `SUM(A1:A3)` (for the messages only).
fn ods_formula(f: &str) -> String {
    let f = f.strip_prefix("of:").unwrap_or(f);
    let f = f.strip_prefix('=').unwrap_or(f);
    f.replace("[.", "").replace(":.", ":").replace(']', "")
}

/// The error values a spreadsheet program shows for a formula that fails: Excel's,
/// and LibreOffice's own `Err:502`.
fn is_error_text(text: &str) -> bool {
    matches!(
        text,
        "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!"
    ) || text
        .strip_prefix("Err:")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// calamine reads the error value of an .ods formula cell as its text (`#DIV/0!`):
/// a formula cell showing an error value is an error cell, as in an .xlsx file.
fn ods_errors(sheet: &mut Sheet) {
    for (at, cell) in &mut sheet.cells {
        if let Cell::Text(t) = cell
            && sheet.formulas.contains_key(at)
            && is_error_text(t.trim())
        {
            *cell = Cell::Error(t.trim().to_string());
        }
    }
}

fn from_data(data: &Data) -> Option<Cell> {
    Some(match data {
        Data::Empty => return None,
        Data::Int(i) => Cell::Integer(*i),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) if s.is_empty() => return None,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => Cell::Date(excel_date(d)),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Date(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    })
}

mod delimited;
pub use delimited::read_csv;

#[cfg(test)]
mod tests;
