use super::*;
use crate::docx::{Layout, Series};
use crate::i18n::Lang;

fn births() -> ChartData {
    ChartData {
        file: "chart-births.zh.svg".into(),
        kind: ChartKind::StackedBar,
        title: "出生人数（人）".into(),
        alt: "出生人数".into(),
        categories: vec!["2006".into(), "2007".into()],
        series: vec![
            Series {
                name: "一孩".into(),
                values: vec![Some("929".into()), Some("902".into())],
            },
            Series {
                name: "二孩".into(),
                values: vec![Some("400".into()), None],
            },
        ],
        decimals: 0,
        unit: String::new(),
        axis: None,
        label_every: 1,
    }
}

#[test]
fn stacked_chart_holds_values_and_totals() {
    let faces = Faces::new(Lang::Zh, &Layout::default());
    let s = chart_part(&births(), &faces, 28, 24);
    assert!(s.contains("<c:grouping val=\"stacked\"/>"));
    assert!(s.contains("<c:v>929</c:v>") && s.contains("<c:v>400</c:v>"));
    // 929 + 400 and 902 (the gap counts as nothing).
    assert!(
        s.contains("<c:v>1329</c:v>") && s.contains("<c:v>902</c:v>"),
        "{s}"
    );
    assert!(s.contains("<c:formatCode>0</c:formatCode>"));
    assert!(s.contains("<a:t>出生人数（人）</a:t>"));
}

/// Word's charts had no unit, Word's own axis (2500000.00, overlapping), no
/// thousands separators in English, and no label on a part (a small one was
/// not seen at all).
#[test]
fn a_chart_says_its_unit_and_writes_numbers_as_the_text_does() {
    let mut c = births();
    c.unit = "人".into();
    c.axis = Some(crate::docx::ValueAxis {
        min: "0".into(),
        max: "1500".into(),
        major: "500".into(),
        decimals: 0,
    });
    let zh = chart_part(&c, &Faces::new(Lang::Zh, &Layout::default()), 28, 24);
    // The unit, across the value axis's title.
    let title = zh.split("<c:valAx>").nth(1).unwrap();
    assert!(
        title.contains("<c:title>") && title.contains("<a:t>人</a:t>"),
        "{zh}"
    );
    // The ticks as the SVG chart has them.
    assert!(
        title.contains("<c:max val=\"1500\"/><c:min val=\"0\"/>"),
        "{title}"
    );
    assert!(title.contains("<c:majorUnit val=\"500\"/>"), "{title}");
    assert!(title.contains("formatCode=\"0\""), "{title}");
    // Chinese text writes 1335, English 1,335.
    assert!(!zh.contains("#,##0"));
    c.unit = "births".into();
    let en = chart_part(&c, &Faces::new(Lang::En, &Layout::default()), 28, 24);
    assert!(
        en.contains("formatCode=\"#,##0\"") && en.contains("<a:t>births</a:t>"),
        "{en}"
    );
    // Each part is labelled in the last column (idx 1), centred.
    let parts = en.split("<c:lineChart>").next().unwrap();
    assert_eq!(
        parts.matches("<c:dLbl><c:idx val=\"1\"/>").count(),
        1,
        "{parts}"
    );
    // (the second part has no value in 2007: no label.)
    assert!(parts.contains("<c:dLblPos val=\"ctr\"/>"));
    // No unit: no axis title.
    c.unit.clear();
    let none = chart_part(&c, &Faces::new(Lang::En, &Layout::default()), 28, 24);
    assert!(
        !none
            .split("<c:valAx>")
            .nth(1)
            .unwrap()
            .contains("<c:title>")
    );
}

#[test]
fn wide_labels_of_many_years_are_thinned() {
    let mut c = births();
    c.kind = ChartKind::Line;
    c.series.truncate(1);
    c.categories = (2016..=2025).map(|y| y.to_string()).collect();
    c.series[0].values = vec![Some("2134567.89".into()); 10];
    c.label_every = 3;
    let s = chart_part(&c, &Faces::new(Lang::En, &Layout::default()), 28, 24);
    // 2025, 2022, 2019 and 2016 labelled; the six others deleted.
    assert_eq!(
        s.matches("<c:delete val=\"1\"/></c:dLbl>").count(),
        6,
        "{s}"
    );
    assert!(!s.contains("<c:dLbl><c:idx val=\"9\"/><c:delete"));
    assert!(s.contains("<c:dLbl><c:idx val=\"8\"/><c:delete"));
}

#[test]
fn bad_values_are_errors_not_parts() {
    let mut c = births();
    c.series[0].values[0] = Some("1e5".into());
    assert!(matches!(validate(&c), Err(DocxError::ChartValue { .. })));
    let mut c = births();
    c.series[0].values.push(Some("1".into()));
    assert!(matches!(validate(&c), Err(DocxError::ChartShape { .. })));
    assert!(validate(&births()).is_ok());
}

#[test]
fn number_formats_and_columns() {
    assert_eq!(number_format(0, false), "0");
    assert_eq!(number_format(2, false), "0.00");
    assert_eq!(number_format(0, true), "#,##0");
    assert_eq!(number_format(2, true), "#,##0.00");
    assert_eq!(column_letter(1), "A");
    assert_eq!(column_letter(27), "AA");
    assert!(is_plain_decimal("-0.13") && is_plain_decimal("1335"));
    assert!(
        !is_plain_decimal("1.")
            && !is_plain_decimal("")
            && !is_plain_decimal("-")
            && !is_plain_decimal("1,335")
    );
}
