//! The workbook embedded beside each chart (`word/embeddings/…xlsx`), so that
//! Word's and WPS's "Edit Data" opens the chart's figures in a spreadsheet.
//!
//! The chart draws from its own cached values (`chart.rs`); the workbook only
//! holds the same numbers in the cells its formulas name: categories in column
//! A from row 2, one series per column from B, names in row 1 (for stacked
//! columns, the totals last). It is the smallest package Excel and
//! LibreOffice Calc open: a workbook, one sheet, inline strings, no styles.

use super::chart::table;
use super::package::zip;
use super::xml::Xml;
use super::{ChartData, DocxError};

const NS_S: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_PR: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// A cell reference: column 1 = A.
fn cell(col: usize, row: usize) -> String {
    format!("{}{row}", super::chart::column_letter(col))
}

fn text_cell(x: &mut Xml, r: &str, text: &str) {
    x.open("c", &[("r", r), ("t", "inlineStr")]).open("is", &[]);
    x.leaf("t", &[("xml:space", "preserve")], text);
    x.close().close();
}

/// `xl/worksheets/sheet1.xml`.
fn sheet(chart: &ChartData, total_name: &str) -> String {
    let (names, columns) = table(chart, total_name);
    let mut x = Xml::new();
    x.open("worksheet", &[("xmlns", NS_S), ("xmlns:r", NS_R)])
        .open("sheetData", &[]);
    x.open("row", &[("r", "1")]);
    for (i, name) in names.iter().enumerate() {
        text_cell(&mut x, &cell(i + 2, 1), name);
    }
    x.close();
    for (j, category) in chart.categories.iter().enumerate() {
        let row = j + 2;
        x.open("row", &[("r", &row.to_string())]);
        text_cell(&mut x, &cell(1, row), category);
        for (i, values) in columns.iter().enumerate() {
            if let Some(Some(v)) = values.get(j) {
                x.open("c", &[("r", &cell(i + 2, row))])
                    .leaf("v", &[], v)
                    .close();
            }
        }
        x.close();
    }
    x.finish()
}

/// The `.xlsx` holding `chart`'s figures.
pub(crate) fn workbook(chart: &ChartData, total_name: &str) -> Result<Vec<u8>, DocxError> {
    let mut types = Xml::new();
    types.open(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    );
    types.empty(
        "Default",
        &[
            ("Extension", "rels"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
        ],
    );
    types.empty(
        "Default",
        &[("Extension", "xml"), ("ContentType", "application/xml")],
    );
    types.empty(
        "Override",
        &[
            ("PartName", "/xl/workbook.xml"),
            (
                "ContentType",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            ),
        ],
    );
    types.empty(
        "Override",
        &[
            ("PartName", "/xl/worksheets/sheet1.xml"),
            (
                "ContentType",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
            ),
        ],
    );
    let mut root = Xml::new();
    root.open("Relationships", &[("xmlns", NS_PR)]);
    root.empty(
        "Relationship",
        &[
            ("Id", "rId1"),
            ("Type", &format!("{NS_R}/officeDocument")),
            ("Target", "xl/workbook.xml"),
        ],
    );
    let mut book = Xml::new();
    book.open("workbook", &[("xmlns", NS_S), ("xmlns:r", NS_R)])
        .open("sheets", &[]);
    book.empty(
        "sheet",
        &[("name", "Sheet1"), ("sheetId", "1"), ("r:id", "rId1")],
    );
    let mut book_rels = Xml::new();
    book_rels.open("Relationships", &[("xmlns", NS_PR)]);
    book_rels.empty(
        "Relationship",
        &[
            ("Id", "rId1"),
            ("Type", &format!("{NS_R}/worksheet")),
            ("Target", "worksheets/sheet1.xml"),
        ],
    );
    zip(&[
        ("[Content_Types].xml".into(), types.finish()),
        ("_rels/.rels".into(), root.finish()),
        ("xl/workbook.xml".into(), book.finish()),
        ("xl/_rels/workbook.xml.rels".into(), book_rels.finish()),
        ("xl/worksheets/sheet1.xml".into(), sheet(chart, total_name)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::{ChartKind, Series};

    #[test]
    fn the_sheet_holds_what_the_chart_formulas_name() {
        let c = ChartData {
            file: "f".into(),
            kind: ChartKind::StackedBar,
            title: "t".into(),
            alt: String::new(),
            categories: vec!["2006".into(), "2007".into()],
            series: vec![
                Series {
                    name: "一孩 <1>".into(),
                    values: vec![Some("929".into()), None],
                },
                Series {
                    name: "二孩".into(),
                    values: vec![Some("400".into()), Some("384".into())],
                },
            ],
            decimals: 0,
            unit: String::new(),
            axis: None,
            label_every: 1,
        };
        let s = sheet(&c, "合计");
        assert!(s.contains(
            "<c r=\"B1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">一孩 &lt;1&gt;</t></is></c>"
        ));
        assert!(s.contains("<c r=\"A2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">2006</t></is></c><c r=\"B2\"><v>929</v></c>"));
        // The gap is an empty cell; the totals are column D.
        assert!(
            !s.contains("r=\"B3\"")
                && s.contains("<c r=\"D2\"><v>1329</v></c>")
                && s.contains("<c r=\"D3\"><v>384</v></c>")
        );
        assert!(workbook(&c, "合计").expect("xlsx").starts_with(b"PK"));
    }
}
