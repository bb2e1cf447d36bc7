//! Unit tests of reading `data/import.toml` (the parent module).

use super::*;
use crate::diag::Sources;
use std::sync::Arc;

fn read(src: &str) -> (Option<Mapping>, Diagnostics) {
    let mut sources = Sources::default();
    let file = sources.add(
        std::path::Path::new("import.toml"),
        "data/import.toml".into(),
        Arc::from(src),
    );
    let mut diags = Diagnostics::default();
    let m = parse(src, file, &mut diags);
    (m, diags)
}

#[test]
fn every_way_of_naming_a_place() {
    let (m, diags) = read(
        r#"
[defaults]
sheet = "表1"
column = "本期"

[figures]
"population.total" = "表1!D5"
"a.cell" = "C7"
"a.quoted" = "'Sheet 1'!B2"
"women.childbearing_age" = { row = "育龄妇女" }
"births.by_order.first" = { row = ["出生人数", "一孩"], column = ["本期", "数量"] }
"training.days" = { sheet = "表2", row = "培训天数", column = "数量" }
"x.by_cell" = { sheet = "表2", cell = "$B$3" }
deaths.total = { row = "死亡人数" }

[figures.migrants.out]
total = { row = "流出人口" }

[period]
start = "10-01"
end = "09-30"
"#,
    );
    assert!(diags.items.is_empty(), "{diags:?}");
    let m = m.unwrap();
    assert_eq!(m.sheet.as_deref(), Some("表1"));
    let got: Vec<(String, Option<String>, Place)> = m
        .entries
        .iter()
        .map(|e| (e.path.clone(), e.sheet.clone(), e.place.clone()))
        .collect();
    let cell = |s: &str| Place::Cell(CellRef::parse(s).unwrap());
    let labels = |r: &[&str], c: &[&str]| Place::Labels {
        row: r.iter().map(|s| s.to_string()).collect(),
        column: c.iter().map(|s| s.to_string()).collect(),
    };
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        got,
        vec![
            ("population.total".into(), s("表1"), cell("D5")),
            ("a.cell".into(), None, cell("C7")),
            ("a.quoted".into(), s("Sheet 1"), cell("B2")),
            (
                "women.childbearing_age".into(),
                None,
                labels(&["育龄妇女"], &["本期"])
            ),
            (
                "births.by_order.first".into(),
                None,
                labels(&["出生人数", "一孩"], &["本期", "数量"])
            ),
            (
                "training.days".into(),
                s("表2"),
                labels(&["培训天数"], &["数量"])
            ),
            ("x.by_cell".into(), s("表2"), cell("B3")),
            (
                "deaths.total".into(),
                None,
                labels(&["死亡人数"], &["本期"])
            ),
            (
                "migrants.out.total".into(),
                None,
                labels(&["流出人口"], &["本期"])
            ),
        ]
    );
    let period = m.period.unwrap();
    let (start, end) = period.dates(2006).unwrap();
    assert_eq!(
        (start.to_string(), end.to_string()),
        ("2005-10-01".into(), "2006-09-30".into())
    );
    let calendar = PeriodRule {
        start: (1, 1),
        end: (12, 31),
    };
    let (start, end) = calendar.dates(2006).unwrap();
    assert_eq!(
        (start.to_string(), end.to_string()),
        ("2006-01-01".into(), "2006-12-31".into())
    );
}

#[test]
fn mistakes_are_located() {
    let (_, diags) = read(
        r#"
[figures]
"a.b" = "nowhere"
"a.c" = { row = "x" }
"a.d" = { cell = "D5", row = "x" }
"period.start" = "D5"
"a..e" = "D5"
"a.f" = 5
a.b = "D6"
"a.g" = { row = [] , column = "y" }

[period]
start = 2005-10-01
end = "13-01"
"#,
    );
    let messages: Vec<&str> = diags.items.iter().map(|d| d.message.as_str()).collect();
    let expected = [
        "the place of `a.b` is not a cell: `nowhere`",
        "the entry of `a.c` names no column",
        "the entry of `a.d` has both `cell` and `row`",
        "`period.start` cannot be a figure path: [period] and [source] are not figures",
        "`a..e` cannot be a figure path: it has an empty part",
        "the place of `a.f` must be a cell (\"表1!D5\") or a table { row = \"…\", column = \"…\" }, found an integer",
        "`a.b` is mapped twice",
        "`row` of `a.g` is an empty list",
        "`start` of [period] is a date; one mapping serves every year",
        "`end` of [period] is not a month and day: `13-01`",
    ];
    assert_eq!(messages, expected);
    assert!(diags.items.iter().all(|d| d.primary.is_some()));
}

#[test]
fn labels_compare_without_width_or_blanks() {
    assert_eq!(label_key(" 总　人　口 "), "总人口");
    assert_eq!(label_key("总人口（期末）"), "总人口(期末)");
    assert_eq!(label_key("其中：一孩"), "其中:一孩");
    assert_eq!(label_key("Ｔｏｔａｌ Births"), "totalbirths");
}

#[test]
fn cells_with_and_without_a_sheet() {
    assert_eq!(
        parse_cell("表1!D5"),
        Some((Some("表1".into()), CellRef::parse("D5").unwrap()))
    );
    assert_eq!(
        parse_cell("'It''s'!A1").map(|c| c.0),
        Some(Some("It's".into()))
    );
    assert_eq!(
        parse_cell("D5"),
        Some((None, CellRef::parse("D5").unwrap()))
    );
    assert_eq!(parse_cell("!D5"), None);
    assert_eq!(parse_cell("表1!5D"), None);
}

/// Audit: `"t.c" = { }` was taken as an empty group of figures and ignored.
#[test]
fn an_empty_entry_is_an_error_at_its_line() {
    let src = "[figures]\n\"t.a\" = \"B2\"\n\"t.c\" = { }\n";
    let (_, diags) = read(src);
    assert_eq!(diags.errors(), 1, "{:?}", diags.items);
    let d = &diags.items[0];
    assert!(
        d.message.contains("the entry of `t.c` is empty"),
        "{}",
        d.message
    );
    let (loc, _) = d.primary.as_ref().unwrap();
    assert_eq!(&src[loc.span.clone()], "{ }");
}
