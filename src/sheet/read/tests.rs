use super::*;

/// Rows as a spreadsheet program numbers them: blank lines count, a line
/// break inside a quoted field does not start a row (kept when the line
/// breaks came to be counted once, not from the start for each record).
#[test]
fn csv_rows_count_blank_lines_and_not_breaks_in_quotes() {
    let (sheet, _) = read_csv(b"t.a,1\n\nt.b,\"2\nx\"\nt.c,3\r\n\r\nt.d,4\n", "s");
    let row_of = |path: &str| {
        sheet
            .cells
            .iter()
            .find(|(_, c)| matches!(c, Cell::Text(t) if t == path))
            .map(|(at, _)| at.row)
    };
    assert_eq!(row_of("t.a"), Some(0));
    assert_eq!(row_of("t.b"), Some(2));
    assert_eq!(row_of("t.c"), Some(3));
    assert_eq!(row_of("t.d"), Some(5));
}

#[test]
fn a1_notation_both_ways() {
    assert_eq!(CellRef::parse("A1"), Some(CellRef { row: 0, col: 0 }));
    assert_eq!(CellRef::parse("c5"), Some(CellRef { row: 4, col: 2 }));
    assert_eq!(CellRef::parse("$D$12"), Some(CellRef { row: 11, col: 3 }));
    assert_eq!(CellRef::parse("AA10"), Some(CellRef { row: 9, col: 26 }));
    assert_eq!(CellRef::parse("XFD1048576").map(|c| c.col), Some(16_383));
    for bad in ["", "5", "C", "C0", "C5x", "XFE1", "A1048577", "C$$5", "表1"] {
        assert_eq!(CellRef::parse(bad), None, "{bad}");
    }
    for col in [0, 25, 26, 27, 701, 702, 16_383] {
        assert_eq!(parse_column(&column_name(col)), Some(col));
    }
    assert_eq!(column_name(27), "AB");
    assert_eq!(CellRef { row: 4, col: 3 }.to_string(), "D5");
    assert_eq!(cell_name("表1", CellRef { row: 4, col: 3 }), "表1!D5");
    assert_eq!(
        cell_name("Sheet 1", CellRef { row: 0, col: 0 }),
        "'Sheet 1'!A1"
    );
    assert_eq!(cell_name("It's", CellRef { row: 0, col: 0 }), "'It''s'!A1");
}

/// Audit: an .xlsx date cell was reported as its serial number (45659).
#[test]
fn xlsx_dates_show_as_dates() {
    use calamine::{ExcelDateTime, ExcelDateTimeType};
    let date = |v: f64| excel_date(&ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
    assert_eq!(date(45659.0), "2025-01-02");
    assert_eq!(date(45659.5), "2025-01-02 12:00:00");
    assert_eq!(date(-5.0), "-5");
    assert_eq!(date(3e6), "3000000");
    let duration = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
    assert_eq!(excel_date(&duration), "1.5");
}

/// Audit R3: an .ods error cell was read as the text `#DIV/0!` ("holds words"),
/// without its formula.
#[test]
fn ods_error_values_are_error_cells_with_their_formula() {
    assert_eq!(ods_formula("of:=1/0"), "1/0");
    assert_eq!(ods_formula("of:=[.B2]*2"), "B2*2");
    assert_eq!(ods_formula("of:=SUM([.A1:.A3])"), "SUM(A1:A3)");
    let mut sheet = Sheet::default();
    let (b4, b5, b6) = (
        CellRef { row: 3, col: 1 },
        CellRef { row: 4, col: 1 },
        CellRef { row: 5, col: 1 },
    );
    sheet.cells.insert(b4, Cell::Text("#DIV/0!".into()));
    sheet.cells.insert(b5, Cell::Text("#N/A".into()));
    sheet.cells.insert(b6, Cell::Text("Err:502".into()));
    sheet.formulas.insert(b4, "1/0".into());
    sheet.formulas.insert(b6, "SQRT(-1)".into());
    ods_errors(&mut sheet);
    assert_eq!(sheet.get(b4), Some(&Cell::Error("#DIV/0!".into())));
    // Typed text, not a formula's value, stays text.
    assert_eq!(sheet.get(b5), Some(&Cell::Text("#N/A".into())));
    assert_eq!(sheet.get(b6), Some(&Cell::Error("Err:502".into())));
}

/// Audit: a UTF-16 file was "read as GB18030", a `;`-separated one gave an error
/// per row, an unterminated quote only "no figure was found".
#[test]
fn csv_in_utf16_with_semicolons_or_an_open_quote() {
    let mut utf16 = vec![0xff, 0xfe];
    for u in "t.a,5\n总人口,6\n".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    let (sheet, note) = read_csv(&utf16, "s");
    assert!(note.is_some_and(|n| n.contains("UTF-16")));
    assert_eq!(
        sheet.get(CellRef { row: 1, col: 0 }),
        Some(&Cell::Text("总人口".into()))
    );
    assert_eq!(
        sheet.get(CellRef { row: 0, col: 1 }),
        Some(&Cell::Text("5".into()))
    );
    let (sheet, note) = read_csv(b"t.a;1.50\nt.b;2\n", "s");
    assert!(note.is_some_and(|n| n.contains("separated by `;`")));
    assert_eq!(
        sheet.get(CellRef { row: 1, col: 1 }),
        Some(&Cell::Text("2".into()))
    );
    // A comma in the file (a decimal comma, a comma in a label) does not hide
    // the `;` between the fields.
    for text in [
        &b"figure;value\nt.a;60\nt.b;0,5\n"[..],
        b"\"births, first\";60\nt.b;41\n",
        b"t.a;1,5\r\n\r\nt.b;2\r\nt.c;3\r\n",
    ] {
        let (sheet, note) = read_csv(text, "s");
        let shown = String::from_utf8_lossy(text);
        assert!(
            note.is_some_and(|n| n.contains("separated by `;`")),
            "{shown}"
        );
        assert_eq!(sheet.fields.values().max(), Some(&2), "{shown}");
    }
    // A comma CSV with a `;` in a label, quoted or in every row alike, or with
    // a row longer than the others, stays one.
    for text in [
        &b"figure,value\n\"a;b\",5\nt.c,6\n"[..],
        b"a;b,5\nc;d,6\n",
        b"figure,value\nx;y,1,234\n",
    ] {
        let (_, note) = read_csv(text, "s");
        let shown = String::from_utf8_lossy(text);
        assert!(note.is_none(), "{shown}: {note:?}");
    }
    let (sheet, note) = read_csv(b"t.a,5\nt.b,\"6\nt.c,7\n", "s");
    assert!(note.is_some_and(|n| n.contains("opened in row 2 is never closed")));
    assert_eq!(
        sheet.get(CellRef { row: 0, col: 1 }),
        Some(&Cell::Text("5".into()))
    );
    let (_, note) = read_csv(b"t.a,\"1,335\"\n", "s");
    assert_eq!(note, None);
}

#[test]
fn a_workbook_named_csv_is_refused_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.csv");
    std::fs::write(&path, b"PK\x03\x04rest").unwrap();
    let err = read(&path, "f.csv", "f").unwrap_err().to_string();
    assert!(
        err.contains("it is a zip file (an .xlsx or .ods workbook), named .csv"),
        "{err}"
    );
}

#[test]
fn csv_is_utf8_or_gb18030() {
    let (sheet, note) = read_csv("\u{feff}总人口,\"1,335\"\n\n,x\n".as_bytes(), "表1");
    assert_eq!(note, None);
    assert_eq!(
        sheet.get(CellRef { row: 0, col: 0 }),
        Some(&Cell::Text("总人口".into()))
    );
    assert_eq!(
        sheet.get(CellRef { row: 0, col: 1 }),
        Some(&Cell::Text("1,335".into()))
    );
    assert_eq!(sheet.get(CellRef { row: 2, col: 0 }), None);
    assert_eq!(
        sheet.get(CellRef { row: 2, col: 1 }),
        Some(&Cell::Text("x".into()))
    );
    // 总人口 in GBK.
    let gbk = [0xd7, 0xdc, 0xc8, 0xcb, 0xbf, 0xda, b',', b'5', b'\n'];
    let (sheet, note) = read_csv(&gbk, "s");
    assert!(note.is_some_and(|n| n.contains("GB18030")));
    assert_eq!(
        sheet.get(CellRef { row: 0, col: 0 }),
        Some(&Cell::Text("总人口".into()))
    );
}

/// The usual row length, which tells a number split at its commas (its row one
/// field longer), is counted when the file is read: the most common length, and
/// of two as common the shorter.
#[test]
fn csv_usual_row_length_is_the_most_common_and_then_the_shortest() {
    let (sheet, _) = read_csv(b"t.a,1\nt.b,2\nt.c,153,012\n", "s");
    assert_eq!(sheet.usual_fields, Some(2));
    let (sheet, _) = read_csv(b"t.a,1,x\nt.b,2\n", "s");
    assert_eq!(sheet.usual_fields, Some(2));
    let (sheet, _) = read_csv(b"", "s");
    assert_eq!(sheet.usual_fields, None);
}
