//! What a cell's number looks like beyond its value: the decimal places its
//! format shows, and a CSV number split at its thousands separators.

use crate::sheet::read::{Cell, CellRef, Sheet};

/// Decimal places a number format shows, and whether it shows a percentage;
/// `None` for General, text and scientific formats. Reads the first section, outside
/// quotes, escapes and brackets: `0.00"‰"` → 2, `#,##0` → 0, `0.0%` → 1, percent.
pub fn shown_places(code: &str) -> Option<(u32, bool)> {
    let mut chars = code.chars().peekable();
    let (mut places, mut percent, mut after_point, mut digits_seen) = (0u32, false, false, false);
    while let Some(c) = chars.next() {
        match c {
            ';' => break,
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            '.' => after_point = true,
            '0' | '#' | '?' => {
                digits_seen = true;
                if after_point {
                    places += 1;
                }
            }
            '%' => percent = true,
            'e' | 'E' | '@' => return None,
            _ => {}
        }
    }
    digits_seen.then_some((places, percent))
}

/// A number in a CSV row that may have been split at its unquoted thousands
/// separators (`153,012` read as the fields `153` and `012`).
pub(super) struct SplitNumber {
    /// The fields that would make up the number, from the value's own.
    pub cells: Vec<String>,
    /// The last of them.
    pub last: CellRef,
    /// The row has more fields than most rows of the file, as a split makes it.
    pub certain: bool,
}

/// Whether the field at `at` (one to three digits) is followed by fields of
/// exactly three digits (the last may have decimals), as a number written
/// with thousands separators becomes in a CSV file without quotes: an audit
/// found `153,012` imported as 153, without a word.
pub(super) fn split_number(sheet: &Sheet, at: CellRef) -> Option<SplitNumber> {
    let field = |col: u32| match sheet.get(CellRef { row: at.row, col }) {
        Some(Cell::Text(t)) => Some(t.trim()),
        _ => None,
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let head = field(at.col)?;
    let unsigned = head.strip_prefix(['-', '+']).unwrap_or(head);
    // A leading zero (`010`, a telephone code) is no grouped number's head.
    if !(digits(unsigned) && unsigned.len() <= 3) || unsigned.starts_with('0') {
        return None;
    }
    let mut cells = vec![head.to_string()];
    let mut col = at.col + 1;
    while let Some(next) = field(col) {
        let (whole, fraction) = next.split_once('.').unwrap_or((next, ""));
        if !(whole.len() == 3 && digits(whole) && (fraction.is_empty() || digits(fraction))) {
            break;
        }
        cells.push(next.to_string());
        col += 1;
        if !fraction.is_empty() {
            break;
        }
    }
    if cells.len() < 2 {
        return None;
    }
    let extra = (cells.len() - 1) as u32;
    let certain = sheet
        .fields
        .get(&at.row)
        .zip(sheet.usual_fields)
        .is_some_and(|(n, usual)| *n >= usual + extra);
    Some(SplitNumber {
        cells,
        last: CellRef {
            row: at.row,
            col: col - 1,
        },
        certain,
    })
}
