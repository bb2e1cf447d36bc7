use super::*;

#[test]
fn formats_show_the_decimals_and_the_unit() {
    assert_eq!(number_format(2, "‰"), "0.00\"‰\"");
    assert_eq!(number_format(2, "%"), "0.00\"%\"");
    assert_eq!(number_format(0, "人"), "0\"人\"");
    assert_eq!(number_format(1, ""), "0.0");
    // Audit: a `"` in a unit was dropped from the format.
    assert_eq!(number_format(0, "\"人\""), "0\\\"\"人\"\\\"");
    assert_eq!(shown_text("5", &number_format(0, "\"人\"")), "5\"人\"");
    assert_eq!(shown_text("-5", &signed_format(0, "a;b")), "-5a;b");
    assert_eq!(
        signed_format(2, " pp"),
        "+0.00\" pp\";-0.00\" pp\";0.00\" pp\""
    );
    assert_eq!(shown_text("0.72", &signed_format(2, " pp")), "+0.72 pp");
    assert_eq!(shown_text("151837", &number_format(0, "人")), "151837人");
    assert_eq!(sheet_name(2007, "draft"), "2007 草稿");
    assert!(fits_a_double("123456789012345"));
    assert!(fits_a_double("-0.000123456789012345"));
    assert!(fits_a_double("100000000000000000000000.00"));
    assert!(!fits_a_double("1234567890123456"));
    assert!(!fits_a_double("987654321098765432109876543210.9877"));
}

/// Review: a unit ending in `"` gave an empty quoted text (`0"人"\"""`), and a
/// unit long enough made a format past Excel's 255 characters, which Excel
/// refuses as a damaged workbook.
#[test]
fn every_unit_gives_a_format_excel_accepts() {
    assert_eq!(number_format(1, "人\""), "0.0\"人\"\\\"");
    assert_eq!(number_format(0, "\""), "0\\\"");
    assert_eq!(number_format(0, "\"\""), "0\\\"\\\"");
    assert_eq!(shown_text("5", &number_format(0, "人\"")), "5人\"");
    assert_eq!(shown_text("5", &number_format(0, "\"\"")), "5\"\"");
    // Characters special in a format are inside the quotes, shown as themselves.
    for unit in [
        "a\\b", "[Red]", "@", "*x", "_x", "a;b", "E+0", "#,0", "?/?", "\\",
    ] {
        let code = number_format(1, unit);
        assert_eq!(code, format!("0.0\"{unit}\""));
        assert_eq!(shown_text("2.5", &code), format!("2.5{unit}"));
        assert_eq!(
            shown_text("2.5", &signed_format(1, unit)),
            format!("+2.5{unit}")
        );
    }
    // A line break cannot be in a format: the number is shown bare.
    assert_eq!(number_format(2, "a\nb"), "0.00");
    // At Excel's limit the unit is kept; past it, left out.
    let fits = "单".repeat(MOST_FORMAT - 5);
    assert_eq!(number_format(1, &fits).encode_utf16().count(), MOST_FORMAT);
    assert_eq!(number_format(1, &format!("{fits}单")), "0.0");
    // A signed format holds the unit three times: its limit comes sooner.
    let unit = "单".repeat(78);
    assert_eq!(number_format(2, &unit), format!("0.00\"{unit}\""));
    assert_eq!(signed_format(2, &unit), "+0.00;-0.00;0.00");
    let unit = "单".repeat(77);
    assert!(signed_format(2, &unit).encode_utf16().count() <= MOST_FORMAT);
    assert!(signed_format(2, &unit).contains(&unit));
    // A character beyond the BMP counts two, as in Excel.
    assert_eq!(number_format(0, &"𠀀".repeat(127)), "0");
}

/// The workbook of a metric whose unit is too long for a format holds the
/// number, formatted without the unit, and the unit in its columns.
#[test]
fn a_unit_too_long_for_a_format_stays_in_the_unit_column() {
    use calamine::{Data, Reader, Xlsx};
    let s = |t: &str| Some(t.to_string());
    let unit = "单".repeat(300);
    let sheet = MetricsSheet {
        year: 2007,
        status: "final".into(),
        rows: vec![MetricRow {
            value: s("12.5"),
            previous: s("10.0"),
            has_previous: true,
            change: s("2.5"),
            ..row("long", &unit, 1)
        }],
    };
    let bytes = metrics_xlsx(&sheet).unwrap();
    let styles = part(&bytes, "xl/styles.xml");
    for code in styles.split("formatCode=\"").skip(1) {
        let code = code.split('"').next().unwrap_or_default();
        assert!(code.chars().count() <= MOST_FORMAT, "{code}");
    }
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("2007").unwrap();
    let cell = |c: u16| range.get_value((1, u32::from(c))).cloned();
    assert_eq!(cell(col::VALUE), Some(Data::Float(12.5)));
    assert_eq!(cell(col::CHANGE), Some(Data::Float(2.5)));
    assert_eq!(cell(col::UNIT_ZH), Some(Data::String(unit.clone())));
    let formats = book.worksheet_style("2007").unwrap();
    let format = |c: u16| {
        formats
            .get((1, u32::from(c)))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
    };
    assert_eq!(format(col::VALUE).as_deref(), Some("0.0"));
    assert_eq!(format(col::CHANGE).as_deref(), Some("+0.0;-0.0;0.0"));
}

/// Audit: x.big = 987654321098765432109876543210.98765 at 4 decimals showed
/// 987654321098765400000000000000 in the workbook, the report the digits.
#[test]
fn a_value_a_double_cannot_hold_is_written_as_its_text() {
    use calamine::{Data, Reader, Xlsx};
    let s = |t: &str| Some(t.to_string());
    let sheet = MetricsSheet {
        year: 2007,
        status: "final".into(),
        rows: vec![MetricRow {
            value: s("987654321098765432109876543210.9877"),
            previous: s("987654321098765432109876543209.9877"),
            has_previous: true,
            change: s("1.0000"),
            ..row("big", "元", 4)
        }],
    };
    let bytes = metrics_xlsx(&sheet).unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("2007").unwrap();
    let cell = |c: u16| range.get_value((1, u32::from(c))).cloned();
    assert_eq!(
        cell(col::VALUE),
        Some(Data::String("987654321098765432109876543210.9877元".into()))
    );
    assert_eq!(
        cell(col::PREVIOUS),
        Some(Data::String("987654321098765432109876543209.9877元".into()))
    );
    // A change a double holds stays a number.
    assert_eq!(cell(col::CHANGE), Some(Data::Float(1.0)));
    let styles = book.worksheet_style("2007").unwrap();
    let align = styles
        .get((1, u32::from(col::VALUE)))
        .and_then(|s| s.alignment.as_ref())
        .map(|a| a.horizontal);
    assert_eq!(align, Some(calamine::HorizontalAlignment::Right));
}

fn row(name: &str, unit: &str, decimals: u32) -> MetricRow {
    MetricRow {
        name: name.into(),
        label_zh: String::new(),
        label_en: String::new(),
        unit_zh: unit.into(),
        unit_en: unit.into(),
        decimals,
        value: None,
        exact: None,
        previous: None,
        has_previous: false,
        change: None,
        change_kind: ChangeKind::Amount,
        relative_change: None,
        target_min: None,
        target_max: None,
        met: None,
    }
}

fn example() -> MetricsSheet {
    let s = |t: &str| Some(t.to_string());
    MetricsSheet {
        year: 2007,
        status: "draft".into(),
        rows: vec![
            MetricRow {
                label_zh: "总人口".into(),
                label_en: "Total population".into(),
                unit_en: "persons".into(),
                value: s("152604"),
                exact: s("152604"),
                previous: s("151837"),
                change: s("767"),
                relative_change: s("0.5"),
                ..row("population", "人", 0)
            },
            MetricRow {
                label_zh: "人口出生率".into(),
                label_en: "Crude birth rate".into(),
                value: s("8.45"),
                exact: s("8.4532..."),
                previous: s("8.79"),
                change: s("-0.34"),
                change_kind: ChangeKind::Points,
                target_max: s("9.5"),
                met: Some(true),
                ..row("birth_rate", "‰", 2)
            },
            MetricRow {
                label_zh: "政策符合率".into(),
                label_en: "Policy compliance rate".into(),
                value: s("91.78"),
                previous: s("91.78"),
                change: s("0.00"),
                change_kind: ChangeKind::Points,
                target_min: s("95"),
                met: Some(false),
                ..row("policy_compliance_rate", "%", 2)
            },
            MetricRow {
                label_zh: "=HYPERLINK(\"x\")".into(),
                ..row("undefined", "", 1)
            },
            // Defined this year, undefined last year (a zero denominator).
            MetricRow {
                value: s("12.5"),
                has_previous: true,
                ..row("undefined_last_year", "%", 1)
            },
        ],
    }
}

/// A part of the xlsx package, as text.
fn part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn metrics_xlsx_reads_back_with_values_formats_and_a_frozen_header() {
    use calamine::{Data, Reader, Xlsx};
    let bytes = metrics_xlsx(&example()).unwrap();
    // The same metrics give the same bytes.
    assert_eq!(bytes, metrics_xlsx(&example()).unwrap());

    let mut book = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    assert_eq!(book.sheet_names(), ["2007 草稿"]);
    let range = book.worksheet_range("2007 草稿").unwrap();
    let cell = |r: u32, c: u16| {
        range
            .get_value((r, u32::from(c)))
            .cloned()
            .unwrap_or(Data::Empty)
    };
    assert_eq!(
        cell(0, col::LABEL_ZH),
        Data::String("指标 Indicator".into())
    );
    assert_eq!(cell(0, col::VALUE), Data::String("本年 This year".into()));
    assert_eq!(cell(1, col::KEY), Data::String("population".into()));
    assert_eq!(
        cell(1, col::LABEL_EN),
        Data::String("Total population".into())
    );
    assert_eq!(cell(1, col::VALUE), Data::Float(152604.0));
    assert_eq!(cell(1, col::UNIT_EN), Data::String("persons".into()));
    assert_eq!(cell(1, col::PREVIOUS), Data::Float(151837.0));
    assert_eq!(cell(1, col::CHANGE), Data::Float(767.0));
    assert_eq!(cell(1, col::RELATIVE), Data::Float(0.5));
    assert_eq!(cell(2, col::VALUE), Data::Float(8.45));
    assert_eq!(cell(2, col::CHANGE), Data::Float(-0.34));
    assert_eq!(cell(2, col::TARGET_MAX), Data::Float(9.5));
    // The report's words (audit: the workbook said 未达到 where the report
    // says 未完成).
    assert_eq!(cell(2, col::MET), Data::String("✓ 完成 met".into()));
    assert_eq!(cell(2, col::EXACT), Data::String("8.4532...".into()));
    // A rate is stored as the number shown, 91.78, not 0.9178.
    assert_eq!(cell(3, col::VALUE), Data::Float(91.78));
    assert_eq!(cell(3, col::MET), Data::String("✗ 未完成 not met".into()));
    assert_eq!(cell(4, col::VALUE), Data::String("—".into()));
    // No last year: blank. Audit R6: an undefined last year was blank too.
    assert_eq!(cell(4, col::PREVIOUS), Data::Empty);
    assert_eq!(cell(4, col::CHANGE), Data::Empty);
    assert_eq!(cell(5, col::PREVIOUS), Data::String("—".into()));
    assert_eq!(cell(5, col::CHANGE), Data::String("—".into()));
    assert_eq!(cell(5, col::CHANGE_EN), Data::String("—".into()));
    // Text is text in a workbook: nothing is run.
    assert_eq!(
        cell(4, col::LABEL_ZH),
        Data::String("=HYPERLINK(\"x\")".into())
    );

    let styles = book.worksheet_style("2007 草稿").unwrap();
    let format = |r: u32, c: u16| {
        styles
            .get((r, u32::from(c)))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
            .unwrap_or_default()
    };
    assert_eq!(format(1, col::VALUE), "0\"人\"");
    assert_eq!(format(1, col::CHANGE), "+0\"人\";-0\"人\";0\"人\"");
    // One language a change column (audit: `+767人` beside `+0.48 pp`).
    assert_eq!(
        format(1, col::CHANGE_EN),
        "+0\" persons\";-0\" persons\";0\" persons\""
    );
    assert_eq!(cell(1, col::CHANGE_EN), Data::Float(767.0));
    assert_eq!(format(1, col::RELATIVE), "+0.0\"%\";-0.0\"%\";0.0\"%\"");
    assert_eq!(format(2, col::VALUE), "0.00\"‰\"");
    assert_eq!(format(2, col::PREVIOUS), "0.00\"‰\"");
    assert_eq!(
        format(2, col::CHANGE),
        "+0.00\"个千分点\";-0.00\"个千分点\";0.00\"个千分点\""
    );
    assert_eq!(
        format(2, col::CHANGE_EN),
        "+0.00\" ‰ pts\";-0.00\" ‰ pts\";0.00\" ‰ pts\""
    );
    assert_eq!(format(2, col::TARGET_MAX), "0.0\"‰\"");
    assert_eq!(format(3, col::VALUE), "0.00\"%\"");
    assert_eq!(
        format(3, col::CHANGE),
        "+0.00\"个百分点\";-0.00\"个百分点\";0.00\"个百分点\""
    );
    assert_eq!(
        format(3, col::CHANGE_EN),
        "+0.00\" pp\";-0.00\" pp\";0.00\" pp\""
    );
    assert!(
        styles
            .get((0, 0))
            .and_then(|s| s.font.as_ref())
            .is_some_and(|f| f.is_bold())
    );

    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(
            "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        ),
        "{sheet}"
    );
    assert!(sheet.contains("<autoFilter ref=\"A1:N6\"/>"), "{sheet}");
    // Audit: no print setup. A4 landscape, one page wide, the header repeated.
    assert!(
        sheet.contains("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\""),
        "{sheet}"
    );
    assert!(sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"), "{sheet}");
    let book_xml = part(&bytes, "xl/workbook.xml");
    assert!(
        book_xml.contains("_xlnm.Print_Titles") && book_xml.contains("$1:$1"),
        "{book_xml}"
    );
    // Widths fit the content: the longest key is 22 characters wide, and a CJK
    // character counts two (the header 英文名称 Indicator (English) is 28).
    assert!(
        sheet.contains("<col min=\"1\" max=\"1\" width=\"24.7"),
        "{sheet}"
    );
    assert!(
        sheet.contains("<col min=\"3\" max=\"3\" width=\"30.7"),
        "{sheet}"
    );
    let core = part(&bytes, "docProps/core.xml");
    assert!(core.contains("1980-01-01T00:00:00Z"), "{core}");
    assert!(core.contains("2007 指标 Metrics 草稿 draft"), "{core}");
}
