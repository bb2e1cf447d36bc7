//! `nianbao import` (issue 13): figures from a spreadsheet into figures.toml, by
//! cell or by label, from .xlsx, .ods and .csv; only the values named change; every
//! problem is located by file, sheet and cell, and nothing is written when there is
//! one; the year is checked afterwards. The spreadsheets are made by `sheets.rs`.

use crate::support::{Project, run};

/// `data/2020/figures.toml` of `import_form` after importing `form.xlsx`: four
/// values changed, comments, order, blank lines and the comment column kept, the
/// figure the form does not name (`training.days`) untouched.
const IMPORTED: &str = "# Figures of 2020. Comments like this one stay through an import.

[period]
start = 2020-01-01
end = 2020-12-31

[population]
total = 10010          # end of year

[births.by_order]
first = 61
second = 40   # second children

[births.by_sex]
boys = 53
girls = 48

[survey]
share = 0.3            # a decimal figure

# Not in the form: an import never touches it.
[training]
days = 3
";

/// Diagnostics with miette's line wrapping undone (a long temporary path wraps a
/// message anywhere), and every run of blanks as one space.
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

fn import(p: &Project, file: &str, extra: &[&str]) -> (i32, String, String) {
    let path = p.path().join(file);
    let mut args = vec!["import", path.to_str().unwrap(), "--year", "2020"];
    args.extend_from_slice(extra);
    run(&mut p.cmd(&args))
}

#[test]
fn a_form_imports_by_cell_and_label_and_changes_only_those_values() {
    let p = Project::from_fixture("import_form");
    let (code, out, err) = import(&p, "form.xlsx", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(p.read("data/2020/figures.toml"), IMPORTED);
    // What changed, old → new, with the cell it came from.
    assert!(out.contains("data/2020/figures.toml, from "), "{out}");
    for line in [
        "~ population.total       10000 → 10010  表1!C4",
        "~ births.by_order.first  60 → 61        表1!C6",
        "~ births.by_sex.boys     52 → 53        表1!C8",
        "~ survey.share           0.25 → 0.3     表2!B2",
        "6 figures read: 4 changed, 0 added, 2 unchanged",
    ] {
        assert!(out.contains(line), "{line:?} not in\n{out}");
    }
    assert!(
        !out.contains("second"),
        "an unchanged figure is not listed:\n{out}"
    );
    says(&err, "check of 2020: 0 errors, 0 warnings");
    says(
        &err,
        "imported into data/2020/figures.toml; the check of 2020 found no errors",
    );
    // Again: nothing changes, and the file is not rewritten.
    let (code, out, _) = import(&p, "form.xlsx", &[]);
    assert_eq!(code, 0);
    assert!(
        out.contains("6 figures read: 0 changed, 0 added, 6 unchanged"),
        "{out}"
    );
}

#[test]
fn a_form_whose_rows_moved_still_maps_by_label() {
    let p = Project::from_fixture("import_form");
    let (code, _, err) = import(&p, "form-moved.xlsx", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(p.read("data/2020/figures.toml"), IMPORTED);
}

#[test]
fn ods_and_xls_import_as_xlsx_does() {
    // form.xls is made by fixtures/import_form/make-form-xls.py (xlwt).
    for file in ["form.ods", "form.xls"] {
        let p = Project::from_fixture("import_form");
        let (code, _, err) = import(&p, file, &[]);
        assert_eq!(code, 0, "{file}: {err}");
        assert_eq!(p.read("data/2020/figures.toml"), IMPORTED, "{file}");
    }
}

#[test]
fn a_dry_run_shows_and_checks_but_writes_nothing() {
    let p = Project::from_fixture("import_form");
    let before = p.read("data/2020/figures.toml");
    let (code, out, err) = import(&p, "form.xlsx", &["--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("data/2020/figures.toml, from ") && out.contains("form.xlsx (dry run):"),
        "{out}"
    );
    assert!(out.contains("10000 → 10010"), "{out}");
    says(
        &err,
        "dry run: nothing was written; the check of 2020 found no errors",
    );
    assert_eq!(p.read("data/2020/figures.toml"), before);
    // A dry run checks the would-be figures: a count that does not add up is caught.
    p.replace(
        "data/import.toml",
        "\"births.by_sex.boys\" = { row = \"男婴\" }",
        "\"births.by_sex.boys\" = { row = \"女婴\" }",
    );
    let (code, out, err) = import(&p, "form.xlsx", &["--dry-run"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("52 → 48"), "{out}");
    says(&err, "Births must equal boys plus girls");
    says(
        &err,
        "right side `births.by_sex.boys + births.by_sex.girls` = 96",
    );
    says(
        &err,
        "dry run: nothing was written, but the check of 2020 found 1 error",
    );
    assert_eq!(p.read("data/2020/figures.toml"), before);
    assert!(!p.path().join("data/2021").exists());
}

#[test]
fn every_problem_in_the_spreadsheet_is_listed_and_nothing_is_written() {
    let p = Project::from_fixture("import_form");
    let before = p.read("data/2020/figures.toml");
    let (code, out, err) = import(&p, "broken.xlsx", &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, "");
    for message in [
        "broken.xlsx, 表1!C4: the cell is empty, where `population.total` belongs",
        "broken.xlsx, 表1!C6: `约60` is not a number for `births.by_order.first`",
        "broken.xlsx, 表1!C8: the cell holds the error #DIV/0!, not a number for",
        "its formula =C5/0 fails",
        "broken.xlsx, 表1!C9: `48%` is not a number for `births.by_sex.girls`: a",
        "broken.xlsx has no sheet `表2`",
        "The sheets are 表1, 表二",
        // A number written as text (full-width here) is read, and said.
        "broken.xlsx, 表1!C7: the number is stored as text (`４０`); it is read as 40",
        // Each error points at the mapping line that led to the cell.
        "--> data/import.toml:8:22",
        "import failed with 5 errors; nothing was written",
    ] {
        says(&err, message);
    }
    assert!(
        err.contains("warning: "),
        "the number read from text is a warning:\n{err}"
    );
    assert_eq!(p.read("data/2020/figures.toml"), before);

    // A wrong entry in the mapping is listed with them, in the same run.
    p.replace(
        "data/import.toml",
        "[figures]\n",
        "[figures]\n\"training.days\" = \"nowhere\"\n",
    );
    let (code, _, err) = import(&p, "broken.xlsx", &[]);
    assert_eq!(code, 1);
    says(
        &err,
        "the place of `training.days` is not a cell: `nowhere`",
    );
    says(&err, "表1!C4: the cell is empty");
    says(&err, "import failed with 6 errors; nothing was written");
    assert_eq!(p.read("data/2020/figures.toml"), before);
}

#[test]
fn mapping_mistakes_are_located_in_the_mapping_with_the_nearest_name() {
    let p = Project::from_fixture("import_form");
    let before = p.read("data/2020/figures.toml");
    let mapping = p.path().join("broken.toml");
    let (code, _, err) = import(&p, "form.xlsx", &["--mapping", mapping.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    for message in [
        // A typo in a figure path would add a junk figure: it is an error.
        "unknown figure `population.totl`",
        "did you mean `population.total`?",
        "broken.toml:6:1\n",
        // A label written twice names both cells.
        "form.xlsx, sheet 表1: `一孩` is written in 2 cells, A6 and A11 (the row label of",
        "name the block it is in too, as row = [\"…\", \"一孩\"]",
        // A label not found suggests the nearest.
        "no cell reads `本其` (the column header of `births.by_order.second`)",
        "the nearest label is `本期` (C3)",
        "no cell reads `男孩` (the row label of `births.by_sex.boys`)",
        "the nearest label is `男婴` (A8)",
        "form.xlsx has no sheet `表3`",
        "import failed with 5 errors; nothing was written",
    ] {
        says(&err, message);
    }
    assert_eq!(p.read("data/2020/figures.toml"), before);

    // A TOML error in the mapping is located too.
    p.write("data/import.toml", "[figures]\n\"a.b\" = \n");
    let (code, _, err) = import(&p, "form.xlsx", &[]);
    assert_eq!(code, 1);
    says(&err, "TOML syntax error");
    says(&err, "data/import.toml:2:");
}

#[test]
fn csv_imports_by_its_mapping_with_grouped_numbers_read_and_said() {
    let p = Project::from_fixture("import_form");
    let mapping = p.path().join("csv.toml");
    let (code, out, err) = import(&p, "form.csv", &["--mapping", mapping.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("10000 → 10010  表1!C4"), "{out}");
    assert!(
        out.contains("5 figures read: 3 changed, 0 added, 2 unchanged"),
        "{out}"
    );
    says(&err, "form.csv, 表1!C4: `10,010` is read as 10010");
    let figures = p.read("data/2020/figures.toml");
    assert!(
        figures.contains("total = 10010          # end of year"),
        "{figures}"
    );
    assert!(figures.contains("share = 0.25"), "{figures}");
}

#[test]
fn without_a_mapping_a_sheet_of_paths_and_values_imports_as_it_is() {
    let p = Project::from_fixture("import_form");
    std::fs::remove_file(p.path().join("data/import.toml")).unwrap();
    let (code, out, err) = import(&p, "paths.csv", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("~ survey.share           0.25 → 0.30    paths!B5"),
        "{out}"
    );
    says(&err, "paths.csv: paths!B2: `10 010` is read as 10010");
    let figures = p.read("data/2020/figures.toml");
    // A CSV field is taken exactly as written.
    assert!(
        figures.contains("share = 0.30           # a decimal figure"),
        "{figures}"
    );
    assert!(figures.contains("total = 10010"), "{figures}");

    // A mistyped path is located at its cell, with the nearest known figure.
    p.write(
        "typo.csv",
        "births.by_order.frist,5\nbirths.by_sex.boys,x\n",
    );
    let (code, _, err) = import(&p, "typo.csv", &[]);
    assert_eq!(code, 1);
    says(
        &err,
        "typo.csv: typo!A1: unknown figure `births.by_order.frist`",
    );
    says(&err, "did you mean `births.by_order.first`?");
    says(&err, "typo!B2: `x` is not a number");
}

#[test]
fn cells_give_the_decimals_they_show_never_a_binary_float() {
    let p = Project::from_fixture("import_form");
    std::fs::remove_file(p.path().join("data/import.toml")).unwrap();
    let (code, out, err) = import(&p, "floats.xlsx", &[]);
    // 52.6 boys is not a count that adds up: the check after the import says so.
    assert_eq!(code, 1, "{err}");
    let figures = p.read("data/2020/figures.toml");
    // 0.1 + 0.2 is stored as 0.30000000000000004 and shown as 0.3: it gives 0.3.
    assert!(
        figures.contains("share = 0.3            # a decimal figure"),
        "{figures}"
    );
    assert!(figures.contains("days = 12.35\n"), "{figures}");
    // Full-width digits in a text cell.
    assert!(figures.contains("first = 61\n"), "{figures}");
    // A format showing more places than the cell holds changes nothing.
    assert!(figures.contains("total = 10010 "), "{figures}");
    // A format showing fewer places: the value held is imported, and the cell named.
    assert!(figures.contains("boys = 52.6\n"), "{figures}");
    says(
        &err,
        "figures!B5: the cell shows 53 (format `0`) but holds 52.6; 52.6 is imported",
    );
    says(&err, "figures!B4: the number is stored as text (`６１`)");
    assert!(out.contains("3 → 12.35"), "{out}");
    says(
        &err,
        "imported into data/2020/figures.toml, but the check of 2020 found 1 error",
    );
}

#[test]
fn a_new_year_gets_its_figures_file_and_period() {
    let p = Project::from_fixture("import_form");
    let path = p.path().join("form.xlsx");
    let args = ["import", path.to_str().unwrap(), "--year", "2021"];
    let (code, out, err) = run(&mut p.cmd(&args));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("data/2021/figures.toml (new file), from "),
        "{out}"
    );
    assert!(out.contains("+ population.total"), "{out}");
    says(&err, "[period] 2021-01-01 to 2021-12-31 (the calendar year");
    let figures = p.read("data/2021/figures.toml");
    assert!(
        figures.starts_with("# Figures of 2021, imported by `nianbao import` from form.xlsx."),
        "{figures}"
    );
    assert!(
        figures.contains(
            "[period]\nstart = 2021-01-01\nend = 2021-12-31\n\n[population]\ntotal = 10010\n"
        ),
        "{figures}"
    );

    // --start and --end give another period.
    let mut args = vec!["import", path.to_str().unwrap(), "--year", "2022"];
    args.extend(["--start", "2021-10-01", "--end", "2022-09-30"]);
    let (code, _, err) = run(&mut p.cmd(&args));
    assert_eq!(code, 0, "{err}");
    assert!(
        p.read("data/2022/figures.toml")
            .contains("start = 2021-10-01\nend = 2022-09-30\n")
    );
}

#[test]
fn the_example_forms_give_back_the_committed_figures() {
    let p = Project::example();
    let committed = p.read("data/2006/figures.toml");
    let args = [
        "import",
        "data/forms-2006.xlsx",
        "--year",
        "2006",
        "--dry-run",
    ];
    let mut cmd = p.cmd(&args);
    cmd.current_dir(p.path());
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("40 figures read: 0 changed, 0 added, 40 unchanged"),
        "{out}"
    );

    // Into a fresh year: every figure of the committed file comes back, exactly.
    std::fs::remove_file(p.path().join("data/2006/figures.toml")).unwrap();
    let mut cmd = p.cmd(&args[..4]);
    cmd.current_dir(p.path());
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    let imported: toml::Table = p.read("data/2006/figures.toml").parse().unwrap();
    let committed: toml::Table = committed.parse().unwrap();
    let mut expected = committed.clone();
    expected.remove("source");
    assert_eq!(imported, expected);
}

#[test]
fn init_writes_a_starting_mapping_that_imports() {
    let p = Project::example();
    std::fs::remove_file(p.path().join("data/import.toml")).unwrap();
    let mut cmd = p.cmd(&["import", "--init", "data/forms-2006.xlsx"]);
    cmd.current_dir(p.path());
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    says(&err, "wrote data/import.toml from data/forms-2006.xlsx:");
    let mapping = p.read("data/import.toml");
    for line in [
        "[defaults]\nsheet = \"表1\"\ncolumn = \"本期\"\n",
        // Guessed from the catalogue's labels: metric 总人口 is population.total.
        "\"population.total\" = { row = \"总人口（期末）\" }",
        "\"women.childbearing_age\" = { row = \"育龄妇女\" }",
        // A label written twice is mapped by its cell.
        "\"births.by_order.first\" = \"表1!D12\"",
        "the label 一孩 is not unique (A12)",
        // The form is of a year the project has: a value only one figure of that
        // year has names the figure too.
        "\"deaths.total\" = { row = \"死亡人数\" }",
        "# D21 = 738; guessed: the only figure of 2006 with this value",
        "\"training.days\" = { sheet = \"表3\", row = \"培训班天数\", column = \"数量\" }",
        // Rows whose figure is not guessed (a subtotal, a value two figures have)
        // are left to name.
        "# \"?\" = { row = \"出生人数\" }",
        "# \"?\" = { sheet = \"表3\", row = \"村（居）数\", column = \"数量\" }",
    ] {
        assert!(mapping.contains(line), "{line:?} not in\n{mapping}");
    }
    let mut cmd = p.cmd(&[
        "import",
        "data/forms-2006.xlsx",
        "--year",
        "2006",
        "--dry-run",
    ]);
    cmd.current_dir(p.path());
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("0 changed, 0 added"), "{out}");
    // A misspelt --sheet is answered with the nearest sheet's name.
    let mut cmd = p.cmd(&[
        "import",
        "--init",
        "data/forms-2006.xlsx",
        "--sheet",
        "表 3",
        "--mapping",
        "other.toml",
    ]);
    cmd.current_dir(p.path());
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 2, "{err}");
    says(
        &err,
        "data/forms-2006.xlsx has no sheet `表 3`; did you mean `表3`? the sheets are 表1, ",
    );
    // It never overwrites a mapping.
    let mut cmd = p.cmd(&["import", "--init", "data/forms-2006.xlsx"]);
    cmd.current_dir(p.path());
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 2);
    says(
        &err,
        "data/import.toml exists; --init never overwrites a mapping",
    );
}

#[test]
fn files_that_cannot_be_read_and_bad_flags_are_usage_errors() {
    let p = Project::from_fixture("import_form");
    let before = p.read("data/2020/figures.toml");
    let (code, _, err) = import(&p, "nosuch.xlsx", &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("error: cannot read ") && err.contains("nosuch.xlsx"),
        "{err}"
    );
    p.write("notes.docx", "x");
    let (code, _, err) = import(&p, "notes.docx", &[]);
    assert_eq!(code, 2);
    says(
        &err,
        "nianbao imports .xlsx, .xlsm, .xlsb, .xls, .ods and .csv files, not .docx files",
    );
    p.write("fake.xlsx", "not a zip");
    let (code, _, err) = import(&p, "fake.xlsx", &[]);
    assert_eq!(code, 2);
    says(
        &err,
        "fake.xlsx cannot be read as an .xlsx workbook: it is not a .xlsx file (it does not begin as one does)",
    );
    // An .ods too, in words: calamine's own message carried a Debug dump.
    p.write("fake.ods", "not a zip");
    let (code, _, err) = import(&p, "fake.ods", &[]);
    assert_eq!(code, 2);
    says(
        &err,
        "fake.ods cannot be read as an .ods spreadsheet: it is not a .ods file",
    );
    assert!(!err.contains("InvalidArchive("), "{err}");
    // An .xls likewise: calamine's message showed the first bytes as \x escapes.
    p.write("fake.xls", "not a spreadsheet");
    let (code, _, err) = import(&p, "fake.xls", &[]);
    assert_eq!(code, 2);
    says(
        &err,
        "fake.xls cannot be read as an .xls workbook: it is not a .xls file",
    );
    assert!(!err.contains("\\x"), "{err}");
    // A zip that is no workbook still gets the reader's words.
    p.write("zip.ods", "PK\u{3}\u{4}not really");
    let (code, _, err) = import(&p, "zip.ods", &[]);
    assert_eq!(code, 2);
    says(
        &err,
        "zip.ods cannot be read as an .ods spreadsheet: Zip error",
    );
    let (code, _, err) = import(
        &p,
        "form.xlsx",
        &["--start", "2020-02-30", "--end", "2020-12-31"],
    );
    assert_eq!(code, 2);
    says(&err, "`2020-02-30` is not a date");
    let path = p.path().join("form.xlsx");
    let (code, _, err) = run(&mut p.cmd(&["import", path.to_str().unwrap(), "--year", "20x6"]));
    assert_eq!(code, 2);
    says(&err, "`20x6` is not a year");
    let (code, _, _) = run(&mut p.cmd(&["import", path.to_str().unwrap()]));
    assert_eq!(code, 2, "--year is required");
    assert_eq!(p.read("data/2020/figures.toml"), before);
}

/// Found by an audit: after `new-year 2008` and an import of the forms, the
/// values the forms gave kept `# placeholder: the 2007 value`, and the four the
/// forms gave unchanged from 2007 stayed placeholders, so a final 2008 failed
/// with four errors although every value came from the forms.
#[test]
fn an_imported_value_is_no_placeholder() {
    let p = Project::example();
    let (code, _, err) = run(&mut p.cmd(&["new-year", "2008"]));
    assert_eq!(code, 0, "{err}");
    let mut cmd = p.cmd(&["import", "data/forms-2006.xlsx", "--year", "2008"]);
    cmd.current_dir(p.path());
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    let figures = p.read("data/2008/figures.toml");
    assert!(!figures.contains("# placeholder:"), "{figures}");
    // Nor does new-year's note say the numbers are still 2007's; where the file
    // came from is still said.
    assert!(
        !figures.contains("Every number below is still"),
        "{figures}"
    );
    assert!(!figures.contains("DRAFT / 草稿 banner"), "{figures}");
    assert!(
        figures.starts_with("# Figures for 2008, scaffolded by"),
        "{figures}"
    );
    p.replace(
        "data/2008/figures.toml",
        "status = \"draft\"",
        "status = \"final\"",
    );
    let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2008"]));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("placeholder"), "{err}");
}

/// Found by an audit: a cell of 50 million digits was written into
/// figures.toml, after which no build could read the file.
#[test]
fn a_value_too_large_to_compute_with_is_an_error_at_its_cell() {
    let p = Project::from_fixture("minimal");
    let before = p.read("data/2020/figures.toml");
    p.write("in.csv", &format!("counts.whole,{}\n", "9".repeat(2000)));
    let mut cmd = p.cmd(&["import", "in.csv", "--year", "2020"]);
    cmd.current_dir(p.path());
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("in!B1: the value for `counts.whole` has too many digits to compute with"),
        "{err}"
    );
    assert_eq!(p.read("data/2020/figures.toml"), before);
}

/// Found by an audit: `--init` of a CSV named no row, since every CSV field is
/// text and only number cells were taken for values.
#[test]
fn init_reads_the_numbers_of_a_csv() {
    let p = Project::from_fixture("minimal");
    p.write("forms.csv", "指标,本期\n部分,57\n整体,\"1,200\"\n");
    let mut cmd = p.cmd(&["import", "--init", "forms.csv", "--mapping", "m.toml"]);
    cmd.current_dir(p.path());
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    let mapping = p.read("m.toml");
    assert!(mapping.contains("(sheet forms)"), "{mapping}");
    assert!(mapping.contains("{ row = \"部分\" }"), "{mapping}");
    assert!(mapping.contains("# B2 = 57"), "{mapping}");
    assert!(mapping.contains("# B3 = 1200"), "{mapping}");
}

/// Found by an audit: in a table written inline (`by_order = { first = 910,
/// … }`), which new-year marks as a whole, a figure the import set kept the
/// table's mark, so a final year held it for a placeholder.
#[test]
fn an_imported_value_in_an_inline_table_is_no_placeholder() {
    let p = Project::example();
    p.replace(
        "data/2007/figures.toml",
        "[births.by_order]\nfirst = 902\nsecond = 384\nmultiple = 4\n",
        "[births]\nby_order = { first = 902, second = 384, multiple = 4 }\n",
    );
    let (code, _, err) = run(&mut p.cmd(&["new-year", "2008"]));
    assert_eq!(code, 0, "{err}");
    let line = |p: &Project| {
        p.read("data/2008/figures.toml")
            .lines()
            .find(|l| l.starts_with("by_order"))
            .map(str::to_string)
            .unwrap()
    };
    assert!(
        line(&p).ends_with("# placeholders: the 2007 values"),
        "{}",
        line(&p)
    );
    // One member set (to last year's value, which the form gives again): the
    // mark names the two still unset, which check holds.
    p.write("first.csv", "births.by_order.first,902\n");
    std::fs::remove_file(p.path().join("data/import.toml")).unwrap();
    let mut cmd = p.cmd(&["import", "first.csv", "--year", "2008"]);
    cmd.current_dir(p.path());
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        line(&p),
        "by_order = { first = 902, second = 384, multiple = 4 } # placeholders: second, multiple (the 2007 values)"
    );
    p.replace(
        "data/2008/figures.toml",
        "status = \"draft\"",
        "status = \"final\"",
    );
    let (_, _, err) = run(&mut p.cmd(&["check", "--year", "2008"]));
    assert!(!err.contains("`births.by_order.first` is still"), "{err}");
    assert!(err.contains("`births.by_order.second` is still"), "{err}");
    // The rest set, the same as last year: the mark goes.
    p.write(
        "rest.csv",
        "births.by_order.second,384\nbirths.by_order.multiple,4\n",
    );
    let mut cmd = p.cmd(&["import", "rest.csv", "--year", "2008"]);
    cmd.current_dir(p.path());
    let (code, _, err) = run(&mut cmd);
    // (The year's other figures are still placeholders, which check names.)
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        line(&p),
        "by_order = { first = 902, second = 384, multiple = 4 }"
    );
    let (_, _, err) = run(&mut p.cmd(&["check", "--year", "2008"]));
    assert!(!err.contains("by_order"), "{err}");
}

/// Stop-21 review: a `--sheet` that names no sheet was said once per mapping
/// entry (six times for this form), each pointing at an entry that names no
/// sheet; and a wrong sheet in [defaults] the same. Now once each.
#[test]
fn a_wrong_sheet_for_the_whole_mapping_is_said_once() {
    let p = Project::from_fixture("import_form");
    let before = p.read("data/2020/figures.toml");
    let (code, out, err) = import(&p, "form.xlsx", &["--sheet", "表9"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, "");
    assert_eq!(err.matches("no sheet `表9`").count(), 1, "{err}");
    says(&err, "there is no sheet `表9` (named by --sheet)");
    assert!(!err.contains("-->"), "--sheet is in no file:\n{err}");
    assert_eq!(p.read("data/2020/figures.toml"), before);

    p.replace("data/import.toml", "sheet = \"表1\"", "sheet = \"表9\"");
    let (code, _, err) = import(&p, "form.xlsx", &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("no sheet `表9`").count(), 1, "{err}");
    says(&err, "--> data/import.toml:4:9");
    assert_eq!(p.read("data/2020/figures.toml"), before);
}
