//! CSV: the bytes of a `.csv` (UTF-8, UTF-16 with its mark, or GB18030 as Excel
//! on a Chinese Windows saves it), split at commas or at semicolons when the
//! rows' shape says so, into one sheet of text cells.

use std::collections::HashMap;

use super::{Cell, CellRef, Sheet};

/// The number of fields most rows have, the fewest among equally common ones.
fn usual_count(fields: &HashMap<u32, u32>) -> Option<u32> {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for n in fields.values() {
        *counts.entry(*n).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(n, k)| (k, std::cmp::Reverse(n)))
        .map(|(n, _)| n)
}

/// The number of fields of every record of `text` split at `delimiter`, when
/// every record has as many; `None` when they differ (or there is none).
fn fields_per_record(text: &str, delimiter: u8) -> Option<usize> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut shape = None;
    for record in reader.records() {
        let n = record.ok()?.len();
        if *shape.get_or_insert(n) != n {
            return None;
        }
    }
    shape
}

/// Whether a text that holds commas is still `;`-separated: every record has the
/// same number (two or more) of `;`-separated fields, while split at commas the
/// records are one field each or differ in length. An audit's export with a
/// decimal comma (`0,5`) was read as comma-separated, every row an error. A comma
/// CSV whose label holds a `;` (quoted, or in every row alike) stays one.
fn semicolon_separated(text: &str) -> bool {
    matches!(fields_per_record(text, b';'), Some(n) if n >= 2)
        && fields_per_record(text, b',').is_none_or(|n| n == 1)
}

/// Reads CSV bytes as one sheet of text cells: UTF-8 (a byte-order mark is
/// skipped), or, when the bytes are not UTF-8, GB18030 — what Excel on a Chinese
/// Windows saves as "CSV" — which the note then says. Records are rows (a quoted
/// field may hold a line break), fields are columns; rows may differ in length.
pub fn read_csv(bytes: &[u8], sheet_name: &str) -> (Sheet, Option<String>) {
    let mut notes: Vec<String> = Vec::new();
    let utf16 = if bytes.starts_with(b"\xff\xfe") {
        Some(encoding_rs::UTF_16LE)
    } else if bytes.starts_with(b"\xfe\xff") {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    };
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let (text, note) = match (utf16, std::str::from_utf8(bytes)) {
        // Excel's "Unicode text" and some exports: UTF-16 with its byte-order mark.
        (Some(encoding), _) => {
            let (decoded, _, had_errors) = encoding.decode(bytes);
            let decoded =
                std::borrow::Cow::Owned(decoded.trim_start_matches('\u{feff}').to_string());
            let note = if had_errors {
                "the file is UTF-16 text with unreadable bytes, which were replaced by �"
            } else {
                "the file is UTF-16 text (it starts with UTF-16's byte-order mark): it was read so"
            };
            (decoded, Some(note.to_string()))
        }
        (None, Ok(t)) => (std::borrow::Cow::Borrowed(t), None),
        (None, Err(_)) => {
            let (decoded, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            let note = if had_errors {
                "the file is neither UTF-8 nor GB18030 text; unreadable bytes were replaced by �"
            } else {
                "the file is not UTF-8: it was read as GB18030 (GBK), as Excel on a Chinese Windows saves CSV"
            };
            (decoded, Some(note.to_string()))
        }
    };
    notes.extend(note);
    let mut sheet = Sheet {
        name: sheet_name.to_string(),
        ..Sheet::default()
    };
    // Excel where the decimal sign is a comma saves "CSV" with `;` between the
    // fields; a text export has tabs. Without a comma anywhere, such a file is read
    // with its own separator; with one (a decimal comma, a comma in a label), by
    // the shape of its rows: see `semicolon_separated`.
    let delimiter = if text.contains(',') {
        if semicolon_separated(&text) {
            b';'
        } else {
            b','
        }
    } else if text.contains(';') {
        b';'
    } else if text.contains('\t') {
        b'\t'
    } else {
        b','
    };
    match delimiter {
        b';' => notes.push("the fields are separated by `;`, not `,`: the file was read so".into()),
        b'\t' => {
            notes.push("the fields are separated by tabs, not `,`: the file was read so".into())
        }
        _ => {}
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut last_start: Option<(usize, u64)> = None;
    // The csv reader skips blank lines, which a spreadsheet program shows as empty
    // rows: a record's row is the number of line breaks before it, less those inside
    // quoted fields of the records before it. (A record's position is where the
    // reader started, before the blank lines it skipped.)
    let mut breaks_before: u64 = 0;
    // Line breaks counted so far, up to `counted_to`: records come in order, so
    // each stretch is counted once (counting from the start each time made an
    // import of 100,000 rows run for minutes, found by an audit).
    let (mut breaks, mut counted_to) = (0u64, 0usize);
    for record in reader.records() {
        // The csv reader only fails on bad UTF-8, which was dealt with above.
        let Ok(record) = record else { continue };
        let mut start = record.position().map_or(0, |p| p.byte() as usize);
        while let Some(rest) = text.get(start..) {
            if rest.starts_with("\r\n") {
                start += 2;
            } else if rest.starts_with('\n') || rest.starts_with('\r') {
                start += 1;
            } else {
                break;
            }
        }
        if start > counted_to {
            breaks += text
                .get(counted_to..start)
                .map_or(0, |t| t.matches('\n').count() as u64);
            counted_to = start;
        }
        let row = breaks.saturating_sub(breaks_before);
        last_start = Some((start, row));
        breaks_before += record
            .iter()
            .map(|f| f.matches('\n').count() as u64)
            .sum::<u64>();
        sheet.fields.insert(row as u32, record.len() as u32);
        for (col, field) in record.iter().enumerate() {
            if !field.is_empty() {
                sheet.cells.insert(
                    CellRef {
                        row: row as u32,
                        col: col as u32,
                    },
                    Cell::Text(field.to_string()),
                );
            }
        }
    }
    sheet.usual_fields = usual_count(&sheet.fields);
    // A quote that is never closed makes the rest of the file one field of the
    // last record: its quotes do not pair up.
    if let Some((start, row)) = last_start
        && text
            .get(start..)
            .is_some_and(|rest| rest.matches('"').count() % 2 == 1)
    {
        notes.push(format!(
            "a quote `\"` opened in row {} is never closed: the rest of the file was read as one field; close the quote or remove it",
            row + 1
        ));
    }
    let note = (!notes.is_empty()).then(|| notes.join("; and "));
    (sheet, note)
}
