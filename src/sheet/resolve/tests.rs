//! Unit tests of finding each mapped figure in a spreadsheet (the parent module).

use super::labels::FindError;
use super::paths::is_header;
use super::*;

#[test]
fn number_formats_say_what_they_show() {
    assert_eq!(shown_places("0.00\"‰\""), Some((2, false)));
    assert_eq!(shown_places("#,##0"), Some((0, false)));
    assert_eq!(shown_places("0.0%"), Some((1, true)));
    assert_eq!(shown_places("0\"人\""), Some((0, false)));
    assert_eq!(shown_places("0.00;[Red]-0.00"), Some((2, false)));
    assert_eq!(shown_places("[$-804]0.0"), Some((1, false)));
    assert_eq!(shown_places("\"0.00\"0"), Some((0, false)));
    assert_eq!(shown_places("0.00E+00"), None);
    assert_eq!(shown_places("@"), None);
    assert_eq!(shown_places("General"), None);
}

fn sheet(cells: &[(&str, &str)]) -> Sheet {
    let mut s = Sheet {
        name: "表1".into(),
        ..Sheet::default()
    };
    for (at, text) in cells {
        s.cells
            .insert(CellRef::parse(at).unwrap(), Cell::Text(text.to_string()));
    }
    s
}

#[test]
fn label_paths_go_down_and_right() {
    let s = sheet(&[
        ("D3", "本期"),
        ("F3", "上年同期"),
        ("D4", "数量"),
        ("E4", "比重"),
        ("F4", "数量"),
        ("A8", "出生人数"),
        ("B8", "一孩"),
        ("B9", "二孩"),
        ("A12", "政策外出生"),
        ("B12", "一 孩"),
        ("B13", "二孩"),
        ("A15", "男婴"),
    ]);
    let idx = LabelIndex::new(&s);
    let find = |p: &[&str]| {
        idx.find(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .map(|c| c.to_string())
    };
    assert_eq!(find(&["出生人数", "一孩"]).ok().as_deref(), Some("B8"));
    assert_eq!(find(&["政策外出生", "一孩"]).ok().as_deref(), Some("B12"));
    assert_eq!(find(&["政策外出生", "二孩"]).ok().as_deref(), Some("B13"));
    assert_eq!(find(&["本期", "数量"]).ok().as_deref(), Some("D4"));
    assert_eq!(find(&["上年同期", "数量"]).ok().as_deref(), Some("F4"));
    assert!(matches!(find(&["一孩"]), Err(FindError::Twice(_, ref c)) if c.len() == 2));
    assert!(
        matches!(find(&["出生人口"]), Err(FindError::Missing(_, Some((ref n, _)))) if n == "出生人数")
    );
    assert!(matches!(
        find(&["政策外出生", "本期"]),
        Err(FindError::NotAfter { .. })
    ));
}

/// Audit R1: a first row was skipped as a header whenever its B cell was a word, so
/// `t.a,约5万` as row 1 was swallowed with exit 0.
#[test]
fn a_first_row_is_a_header_only_when_its_a_cell_is_not_a_figure_path() {
    let text = |t: &str| Cell::Text(t.into());
    assert!(is_header(&text("figure"), Some(&text("value"))));
    assert!(is_header(&text("指标"), Some(&text("数值"))));
    assert!(is_header(&text("路径"), None));
    assert!(!is_header(&text("t.a"), Some(&text("约5万"))));
    assert!(!is_header(&text("births.total"), Some(&text("value"))));
    assert!(!is_header(&text("figure"), Some(&text("12"))));
    assert!(!is_header(&Cell::Integer(3), Some(&text("value"))));

    let mut book_sheet = sheet(&[("A1", "t.a"), ("B1", "约5万"), ("A2", "t.b"), ("B2", "6")]);
    book_sheet.name = "f".into();
    let book = Book {
        display: "f.csv".into(),
        kind: Kind::Csv,
        sheets: vec![book_sheet],
        note: None,
    };
    let known = Known {
        any: true,
        ..Known::default()
    };
    let mut diags = Diagnostics::default();
    let values = by_paths(&book, None, &known, &mut diags);
    assert_eq!(values.len(), 1);
    assert_eq!(diags.errors(), 1);
    let message = &diags.items[0].message;
    assert!(
        message.contains("f!B1") && message.contains("约5万"),
        "{message}"
    );
}

/// Audit: the marker of a label written in two cells said "not found on the sheet".
#[test]
fn a_label_in_two_cells_is_marked_as_such() {
    assert_eq!(
        FindError::Twice("一孩".into(), vec![CellRef { row: 0, col: 0 }]).marker(),
        "written in more than one cell"
    );
    assert_eq!(
        FindError::Missing("x".into(), None).marker(),
        "not found on the sheet"
    );
}

/// Audit: a row with a value but no path (`,7`) was skipped silently.
#[test]
fn a_value_without_a_path_is_a_warning_at_its_cell() {
    let mut s = sheet(&[("A1", "t.a"), ("B1", "5"), ("B2", "7"), ("C3", "note")]);
    s.name = "f".into();
    let book = Book {
        display: "f.csv".into(),
        kind: Kind::Csv,
        sheets: vec![s],
        note: None,
    };
    let known = Known {
        any: true,
        ..Known::default()
    };
    let mut diags = Diagnostics::default();
    let values = by_paths(&book, None, &known, &mut diags);
    assert_eq!(values.len(), 1);
    assert_eq!(
        (diags.errors(), diags.warnings()),
        (0, 1),
        "{:?}",
        diags.items
    );
    assert!(
        diags.items[0]
            .message
            .starts_with("f!B2: the row has a value but no figure path in f!A2"),
        "{}",
        diags.items[0].message
    );
}
