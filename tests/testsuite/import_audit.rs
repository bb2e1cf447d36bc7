//! `nianbao import`: the defects an audit of the spreadsheet import found, one test
//! each (the audit's reproduction is named in each test's comment). They run on the
//! `import_form` fixture, mostly without its mapping (a sheet of figure paths and
//! values), with the spreadsheets made here.

use crate::sheets;
use crate::support::{Project, run};

/// Diagnostics with miette's line wrapping undone, every run of blanks one space.
fn flat(text: &str) -> String {
    text.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Asserts that the diagnostics `err` say `message`.
fn says(err: &str, message: &str) {
    assert!(
        flat(err).contains(&flat(message)),
        "{message:?} not in\n{err}"
    );
}

/// The fixture without its mapping.
fn no_mapping() -> Project {
    let p = Project::from_fixture("import_form");
    std::fs::remove_file(p.path().join("data/import.toml")).unwrap();
    p
}

fn import(p: &Project, file: &str, extra: &[&str]) -> (i32, String, String) {
    let path = p.path().join(file);
    let mut args = vec!["import", path.to_str().unwrap(), "--year", "2020"];
    args.extend_from_slice(extra);
    run(&mut p.cmd(&args))
}

fn write_bytes(p: &Project, rel: &str, bytes: &[u8]) {
    std::fs::write(p.path().join(rel), bytes).unwrap();
}

/// R1: `t.a,约5万` as the first row was skipped as a header, exit 0.
#[test]
fn a_bad_value_in_the_first_row_is_an_error_not_a_header() {
    let p = no_mapping();
    p.write(
        "first.csv",
        "births.by_order.first,约60\nbirths.by_order.second,41\n",
    );
    let (code, _, err) = import(&p, "first.csv", &["--dry-run"]);
    assert_eq!(code, 1, "{err}");
    says(&err, "`约60` is not a number for `births.by_order.first`");
    // A real header still is one.
    p.write("header.csv", "figure,value\ntraining.days,4\n");
    let (code, out, err) = import(&p, "header.csv", &["--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 figure read"), "{out}");
}

/// R3: an .ods error cell was "not a number … holds words", without its formula.
#[test]
fn an_ods_error_cell_is_an_error_value_with_its_formula() {
    let p = no_mapping();
    let ods = sheets::ods(
        "<table:table table:name=\"表1\"><table:table-row><table:table-cell office:value-type=\"string\"><text:p>births.by_order.first</text:p></table:table-cell><table:table-cell table:formula=\"of:=[.C1]/0\" office:value-type=\"string\" office:string-value=\"\" calcext:value-type=\"error\"><text:p>#DIV/0!</text:p></table:table-cell><table:table-cell office:value-type=\"float\" office:value=\"3\"><text:p>3</text:p></table:table-cell></table:table-row></table:table>",
    );
    write_bytes(&p, "err.ods", &ods);
    let (code, _, err) = import(&p, "err.ods", &["--dry-run"]);
    assert_eq!(code, 1, "{err}");
    says(
        &err,
        "the cell holds the error #DIV/0!, not a number for `births.by_order.first`",
    );
    says(&err, "its formula =C1/0 fails");
    assert!(!err.contains("holds words"), "{err}");
}

/// R5: `-q` ("print only errors") printed the change list and its summary.
#[test]
fn quiet_prints_only_errors() {
    let p = no_mapping();
    p.write("days.csv", "training.days,4\n");
    let path = p.path().join("days.csv");
    let (code, out, err) =
        run(&mut p.cmd(&["-q", "import", path.to_str().unwrap(), "--year", "2020"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "");
    assert_eq!(err, "");
    assert!(p.read("data/2020/figures.toml").contains("days = 4"));
}

/// R4: a whole number beyond 64 bits was written to figures.toml as `….0`.
#[test]
fn a_whole_number_beyond_64_bits_is_written_as_an_integer() {
    let p = no_mapping();
    p.write("big.csv", "training.days,123456789012345678901234567890\n");
    let (code, out, err) = import(&p, "big.csv", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("3 → 123456789012345678901234567890"), "{out}");
    let figures = p.read("data/2020/figures.toml");
    assert!(
        figures.contains("days = 123456789012345678901234567890\n"),
        "{figures}"
    );
    // The file, holding it, is imported into again.
    p.write("small.csv", "training.days,4\n");
    let (code, out, err) = import(&p, "small.csv", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("123456789012345678901234567890 → 4"), "{out}");
    assert!(p.read("data/2020/figures.toml").contains("days = 4\n"));
}

/// R11: a figures.toml that is not TOML was "not valid TOML (… line 29, column
/// 10)" with no line shown and a help about a mapping there was none of; and a
/// figure known only from that file was an "unknown figure".
#[test]
fn a_broken_figures_toml_is_shown_at_its_line_before_anything_else() {
    let p = no_mapping();
    p.replace("data/2020/figures.toml", "days = 3", "days = ");
    p.write("days.csv", "training.days,4\n");
    let (code, _, err) = import(&p, "days.csv", &[]);
    assert_eq!(code, 1, "{err}");
    says(&err, "TOML syntax error");
    says(&err, "--> data/2020/figures.toml:");
    says(&err, "days =");
    says(&err, "correct data/2020/figures.toml");
    assert!(!err.contains("unknown figure"), "{err}");
    assert!(!err.contains("mapping"), "{err}");
    says(&err, "nothing was written");
}

/// R12: without a mapping, a hidden first sheet was read, silently.
#[test]
fn without_a_mapping_the_first_visible_sheet_is_read_and_a_hidden_one_named() {
    let p = no_mapping();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let old = wb.add_worksheet().set_name("old").unwrap();
    old.write_string(0, 0, "training.days").unwrap();
    old.write_number(0, 1, 9).unwrap();
    old.set_hidden(true);
    let new = wb.add_worksheet().set_name("new").unwrap();
    new.write_string(0, 0, "training.days").unwrap();
    new.write_number(0, 1, 4).unwrap();
    new.set_active(true);
    write_bytes(&p, "hid.xlsx", &wb.save_to_buffer().unwrap());
    let (code, out, err) = import(&p, "hid.xlsx", &["--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("3 → 4  new!B1"), "{out}");
    says(
        &err,
        "the first sheet, old, is hidden: the first visible sheet, new, is read",
    );
    let (code, out, err) = import(&p, "hid.xlsx", &["--dry-run", "--sheet", "old"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("3 → 9  old!B1"), "{out}");
    // A misspelt --sheet gets the nearest name.
    let (code, _, err) = import(&p, "hid.xlsx", &["--dry-run", "--sheet", "neww"]);
    assert_eq!(code, 1, "{err}");
    says(&err, "there is no sheet `neww`");
    says(&err, "did you mean `new`? The sheets are old, new");
}

/// Audit: `--start`/`--end` for a year that has its figures.toml were ignored silently.
#[test]
fn start_and_end_for_an_existing_year_are_a_warning() {
    let p = no_mapping();
    p.write("days.csv", "training.days,4\n");
    let (code, _, err) = import(
        &p,
        "days.csv",
        &["--start", "2020-03-01", "--end", "2021-02-28"],
    );
    assert_eq!(code, 0, "{err}");
    says(
        &err,
        "--start and --end are not used: data/2020/figures.toml exists, and its [period] stays as it is",
    );
    assert!(
        p.read("data/2020/figures.toml")
            .contains("start = 2020-01-01")
    );
}

/// A stop-20 audit: `population.total,153,012` (a grouped number without quotes)
/// imported 153, exit 0, without a word.
#[test]
fn a_number_split_at_unquoted_commas_is_an_error_or_a_warning() {
    let p = no_mapping();
    // The row has a field more than the others: surely a split number.
    p.write(
        "split.csv",
        "figure,value\ntraining.days,1,234,567\nbirths.by_order.second,41\n",
    );
    let (code, _, err) = import(&p, "split.csv", &["--dry-run"]);
    assert_eq!(code, 1, "{err}");
    says(
        &err,
        "split!B2: `1` and the next fields, `234`, `567` (to split!D2), look like one number, 1,234,567",
    );
    says(
        &err,
        "quote the number (\"1,234,567\") or write it without separators (1234567)",
    );
    // Every row as long: the next field may be a figure of its own (this year's
    // 910 beside last year's 905), so it is read, with a warning.
    p.write("columns.csv", "figure,value,last\ntraining.days,910,905\n");
    let (code, out, err) = import(&p, "columns.csv", &["--dry-run"]);
    assert_eq!(code, 0, "{err}");
    says(&err, "warning: ");
    says(
        &err,
        "columns!B2: `910` is read as 910, but the next fields, `905` (to columns!C2), may be the rest of it: 910,905",
    );
    assert!(out.contains("→ 910"), "{out}");
    // A value of four digits, or with a leading zero, or a next field of
    // other than three, is no split.
    for row in ["training.days,1910,905", "training.days,010,123,456"] {
        p.write("plain.csv", &format!("figure,value,last\n{row}\n"));
        let (code, _, err) = import(&p, "plain.csv", &["--dry-run"]);
        assert_eq!(code, 0, "{row}: {err}");
        assert!(!err.contains("split"), "{row}: {err}");
    }
}

/// A one-sheet .xlsx of `path`, `value` in A1:B1 and the number 1 at `far`,
/// written by hand as a damaged or hostile file would be.
fn xlsx_with_cell_at(far: &str) -> Vec<u8> {
    xlsx_of(&[("Sheet1", far)])
}

/// An .xlsx of sheets named as given, each with `training.days`, 5 in A1:B1
/// and the number 1 at its far cell.
fn xlsx_of(sheets: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let ns = "http://schemas.openxmlformats.org";
    let mut overrides = String::new();
    let (mut entries, mut rels) = (String::new(), String::new());
    let mut parts: Vec<(String, String)> = Vec::new();
    for (i, (name, far)) in sheets.iter().enumerate() {
        let n = i + 1;
        overrides.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        entries.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        parts.push((format!("xl/worksheets/sheet{n}.xml"), format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>training.days</t></is></c><c r="B1"><v>5</v></c></row><row><c r="{far}"><v>1</v></c></row></sheetData></worksheet>"#)));
    }
    parts.push(("[Content_Types].xml".into(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>"#)));
    parts.push(("_rels/.rels".into(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#)));
    parts.push(("xl/workbook.xml".into(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>{entries}</sheets></workbook>"#)));
    parts.push(("xl/_rels/workbook.xml.rels".into(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">{rels}</Relationships>"#)));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A stop-20 audit: a 1.5 kB workbook with one cell at XFD1048576 made the
/// import grow past 18 GB; one at `ZZZZZZZZZZZZ99999999999999` made it panic
/// (capacity overflow, exit 101).
#[test]
fn a_sheet_too_wide_to_read_is_refused_in_words() {
    let p = no_mapping();
    write_bytes(&p, "far.xlsx", &xlsx_with_cell_at("XFD1048576"));
    let (code, _, err) = crate::support::run_bounded(&mut p.spawnable(&[
        "import",
        p.path().join("far.xlsx").to_str().unwrap(),
        "--year",
        "2020",
        "--dry-run",
    ]));
    assert_eq!(code, 1, "{err}");
    says(
        &err,
        "far.xlsx: the cells of sheet Sheet1 span A1 to XFD1048576 (1048576 rows by 16384 columns)",
    );
    write_bytes(
        &p,
        "overflow.xlsx",
        &xlsx_with_cell_at("ZZZZZZZZZZZZ99999999999999"),
    );
    let (code, _, err) = import(&p, "overflow.xlsx", &["--dry-run"]);
    assert_eq!(code, 1, "{err}");
    says(
        &err,
        "a cell of sheet Sheet1 stands beyond Excel's last cell XFD1048576",
    );
    assert!(!err.contains("panicked"), "{err}");
    // A far cell within reason is read.
    write_bytes(&p, "near.xlsx", &xlsx_with_cell_at("D3000"));
    let (code, out, err) = import(&p, "near.xlsx", &["--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 figure read"), "{out}");
}

/// A regression audit: the check above refused a form because a sheet beside
/// it (a data dump of 4 million cells) was large.
#[test]
fn only_the_sheet_read_must_be_small_enough() {
    let p = no_mapping();
    write_bytes(
        &p,
        "two.xlsx",
        &xlsx_of(&[("form", "D30"), ("raw", "XFD1048576")]),
    );
    let (code, out, err) = import(&p, "two.xlsx", &["--sheet", "form", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 figure read"), "{out}");
    let (code, _, err) = import(&p, "two.xlsx", &["--sheet", "raw", "--dry-run"]);
    assert_eq!(code, 1, "{err}");
    says(&err, "the cells of sheet raw span A1 to XFD1048576");
}

/// Left-items audit, item 1: a 1 MB cell that is not a number was echoed whole in
/// its error, a megabyte of terminal; every message quoting a cell's text shows
/// its first 64 characters, `…` and its length.
#[test]
fn a_huge_cell_is_quoted_clipped_with_its_length() {
    let p = no_mapping();
    let huge = "约".repeat(1_000_000);
    let path = format!("births.{}", "a".repeat(100_000));
    let split = format!("1,234.{}", "5".repeat(100_000));
    p.write(
        "huge.csv",
        &format!(
            "figure,value\nbirths.by_order.first,{huge}\n{path},5\nbirths.by_order.second,{split}\n"
        ),
    );
    let (code, _, err) = import(&p, "huge.csv", &["--dry-run"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.len() < 4_000, "{} bytes of messages", err.len());
    says(
        &err,
        &format!(
            "huge!B2: `{}…` (1000000 characters) is not a number for `births.by_order.first`",
            "约".repeat(64)
        ),
    );
    says(
        &err,
        &format!(
            "huge!A3: unknown figure `births.{}…` (100007 characters)",
            "a".repeat(57)
        ),
    );
    says(
        &err,
        &format!("`234.{}…` (100004 characters) (to huge!C4)", "5".repeat(60)),
    );
    // A workbook's text cell, as long as Excel allows one (32,767 characters).
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "births.by_order.first").unwrap();
    ws.write_string(0, 1, "x".repeat(32_767)).unwrap();
    write_bytes(&p, "huge.xlsx", &wb.save_to_buffer().unwrap());
    let (code, _, err) = import(&p, "huge.xlsx", &["--dry-run"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.len() < 2_000, "{} bytes of messages", err.len());
    says(
        &err,
        &format!(
            "Sheet1!B1: `{}…` (32767 characters) is not a number",
            "x".repeat(64)
        ),
    );
}
