//! The spreadsheets the import tests and the example read, made here so that what
//! each one holds is written down in code. The files are committed (they are what a
//! user's spreadsheet program would hand over); `committed_spreadsheets_are_current`
//! fails when one differs from what these functions make, and
//! `FIXTURES=overwrite cargo test committed_spreadsheets` writes them again.

use std::path::PathBuf;

use nianbao::sheet::read::CellRef;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Formula, Workbook, Worksheet,
};

use crate::support::repo_root;

/// A value to put in a cell.
#[derive(Clone, Copy)]
pub enum V<'a> {
    /// Text.
    T(&'a str),
    /// A number, with General format.
    N(f64),
    /// A number with a number format.
    F(f64, &'a str),
    /// A formula and the value it last computed.
    Sum(&'a str, f64),
    /// A formula that failed, with its error value.
    Err(&'a str, &'a str),
}

fn at(a1: &str) -> (u32, u16) {
    let c = CellRef::parse(a1).unwrap_or_else(|| panic!("bad cell {a1}"));
    (c.row, c.col as u16)
}

fn put(ws: &mut Worksheet, cells: &[(&str, V)]) {
    for (a1, v) in cells {
        let (r, c) = at(a1);
        match *v {
            V::T(t) => {
                ws.write_string(r, c, t).unwrap();
            }
            V::N(n) => {
                ws.write_number(r, c, n).unwrap();
            }
            V::F(n, code) => {
                ws.write_number_with_format(r, c, n, &Format::new().set_num_format(code))
                    .unwrap();
            }
            V::Sum(f, n) => {
                ws.write_formula(r, c, Formula::new(f).set_result(n.to_string()))
                    .unwrap();
            }
            V::Err(f, e) => {
                ws.write_formula(r, c, Formula::new(f).set_result(e))
                    .unwrap();
            }
        }
    }
}

/// A workbook whose bytes do not depend on the day it is made.
fn workbook() -> Workbook {
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_ymd(2006, 10, 20).unwrap();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&date));
    wb
}

fn sheet<'w>(wb: &'w mut Workbook, name: &str, title: Option<(&str, u16)>) -> &'w mut Worksheet {
    let ws = wb.add_worksheet();
    ws.set_name(name).unwrap();
    if let Some((text, last_col)) = title {
        let bold = Format::new().set_bold().set_align(FormatAlign::Center);
        ws.merge_range(0, 0, 0, last_col, text, &bold).unwrap();
    }
    ws
}

/// The fixture form of `import_form`: 表1 by row labels under 本期, 表2 with the
/// survey share as the float 0.1 + 0.2. `moved` inserts a row, as a form revised
/// one year might.
pub fn form_xlsx(moved: bool) -> Vec<u8> {
    let mut wb = workbook();
    let ws = sheet(&mut wb, "表1", Some(("表1 人口基本情况", 3)));
    let shift = |r: u32| -> String {
        if moved && r >= 5 {
            (r + 1).to_string()
        } else {
            r.to_string()
        }
    };
    let rows: Vec<(String, V)> = vec![
        ("A2".into(), V::T("计量单位：人")),
        ("A3".into(), V::T("指标名称")),
        ("B3".into(), V::T("代码")),
        ("C3".into(), V::T("本期")),
        ("D3".into(), V::T("上年同期")),
        ("A4".into(), V::T("总人口")),
        ("B4".into(), V::T("01")),
        ("C4".into(), V::F(10010.0, "#,##0")),
        ("D4".into(), V::F(10000.0, "#,##0")),
        (format!("A{}", shift(5)), V::T("出生人数")),
        (
            format!("C{}", shift(5)),
            V::Sum(if moved { "=SUM(C7:C8)" } else { "=SUM(C6:C7)" }, 101.0),
        ),
        (format!("A{}", shift(6)), V::T("　一孩")),
        (format!("C{}", shift(6)), V::N(61.0)),
        (format!("A{}", shift(7)), V::T("　二孩")),
        (format!("C{}", shift(7)), V::N(40.0)),
        (format!("A{}", shift(8)), V::T("男婴")),
        (format!("C{}", shift(8)), V::N(53.0)),
        (format!("A{}", shift(9)), V::T("女婴")),
        (format!("C{}", shift(9)), V::N(48.0)),
        (format!("A{}", shift(10)), V::T("政策外出生")),
        (format!("A{}", shift(11)), V::T("　一孩")),
        (format!("C{}", shift(11)), V::N(3.0)),
    ];
    let mut cells: Vec<(&str, V)> = rows.iter().map(|(a, v)| (a.as_str(), *v)).collect();
    if moved {
        cells.push(("A5", V::T("户数")));
        cells.push(("C5", V::N(3300.0)));
    }
    put(ws, &cells);
    let ws = sheet(&mut wb, "表2", None);
    put(
        ws,
        &[
            ("A1", V::T("项目")),
            ("B1", V::T("数值")),
            ("A2", V::T("比例")),
            ("B2", V::N(0.1 + 0.2)),
        ],
    );
    wb.save_to_buffer().unwrap()
}

/// `form_xlsx` with a problem in every mapped cell but one.
pub fn broken_xlsx() -> Vec<u8> {
    let mut wb = workbook();
    let ws = sheet(&mut wb, "表1", Some(("表1 人口基本情况", 3)));
    put(
        ws,
        &[
            ("A3", V::T("指标名称")),
            ("C3", V::T("本期")),
            ("A4", V::T("总人口")),
            // C4 left empty.
            ("A5", V::T("出生人数")),
            ("C5", V::Sum("=SUM(C6:C7)", 101.0)),
            ("A6", V::T("一孩")),
            ("C6", V::T("约60")),
            ("A7", V::T("二孩")),
            ("C7", V::T("４０")),
            ("A8", V::T("男婴")),
            ("C8", V::Err("=C5/0", "#DIV/0!")),
            ("A9", V::T("女婴")),
            ("C9", V::T("48%")),
        ],
    );
    let ws = sheet(&mut wb, "表二", None);
    put(
        ws,
        &[
            ("A1", V::T("项目")),
            ("B1", V::T("数值")),
            ("A2", V::T("比例")),
            ("B2", V::N(0.3)),
        ],
    );
    wb.save_to_buffer().unwrap()
}

/// Rows of figure path and value, for an import without a mapping: the exact
/// decimal rule on floats, text and number formats.
pub fn floats_xlsx() -> Vec<u8> {
    let mut wb = workbook();
    let ws = sheet(&mut wb, "figures", None);
    put(
        ws,
        &[
            ("A1", V::T("figure")),
            ("B1", V::T("value")),
            ("A2", V::T("population.total")),
            ("B2", V::F(10010.0, "0.0")),
            ("A3", V::T("survey.share")),
            ("B3", V::N(0.1 + 0.2)),
            ("A4", V::T("births.by_order.first")),
            ("B4", V::T("６１")),
            ("A5", V::T("births.by_sex.boys")),
            ("B5", V::F(52.6, "0")),
            ("A6", V::T("training.days")),
            ("B6", V::N(12.35)),
        ],
    );
    wb.save_to_buffer().unwrap()
}

/// The 2006 statistical forms of the example district: every count of
/// data/2006/figures.toml, on three sheets as a county office files them.
pub fn forms_2006_xlsx() -> Vec<u8> {
    let mut wb = workbook();
    let count = "#,##0";
    let ws = sheet(&mut wb, "表1", Some(("表1　人口与计划生育基本情况", 4)));
    ws.set_column_width(0, 24).unwrap();
    ws.set_column_width(4, 12).unwrap();
    let c = |n: f64| V::F(n, count);
    put(
        ws,
        &[
            ("A2", V::T("填报单位：区人口和计划生育委员会")),
            ("D2", V::T("2005年10月1日—2006年9月30日")),
            ("E3", V::T("计量单位：人、户、例")),
            ("A4", V::T("指标名称")),
            ("B4", V::T("代码")),
            ("C4", V::T("计量单位")),
            ("D4", V::T("本期")),
            ("E4", V::T("上年同期")),
            ("A5", V::T("总人口（期末）")),
            ("B5", V::T("01")),
            ("C5", V::T("人")),
            ("D5", c(151837.0)),
            ("A6", V::T("育龄妇女")),
            ("B6", V::T("02")),
            ("C6", V::T("人")),
            ("D6", c(42791.0)),
            ("A7", V::T("其中：已婚育龄妇女")),
            ("B7", V::T("03")),
            ("C7", V::T("人")),
            ("D7", c(33124.0)),
            ("A8", V::T("采取节育措施人数")),
            ("B8", V::T("04")),
            ("C8", V::T("人")),
            ("D8", c(30401.0)),
            ("A9", V::T("独生子女领证户数")),
            ("B9", V::T("05")),
            ("C9", V::T("户")),
            ("D9", c(10011.0)),
            ("A10", V::T("一孩户数")),
            ("B10", V::T("06")),
            ("C10", V::T("户")),
            ("D10", c(20410.0)),
            ("A11", V::T("出生人数")),
            ("B11", V::T("07")),
            ("C11", V::T("人")),
            ("D11", V::Sum("=SUM(D12:D14)", 1335.0)),
            ("A12", V::T("　一孩")),
            ("B12", V::T("08")),
            ("C12", V::T("人")),
            ("D12", c(929.0)),
            ("A13", V::T("　二孩")),
            ("B13", V::T("09")),
            ("C13", V::T("人")),
            ("D13", c(400.0)),
            ("A14", V::T("　多孩")),
            ("B14", V::T("10")),
            ("C14", V::T("人")),
            ("D14", c(6.0)),
            ("A15", V::T("其中：男婴")),
            ("B15", V::T("11")),
            ("C15", V::T("人")),
            ("D15", c(708.0)),
            ("A16", V::T("　　　女婴")),
            ("B16", V::T("12")),
            ("C16", V::T("人")),
            ("D16", c(627.0)),
            ("A17", V::T("政策外出生")),
            ("B17", V::T("13")),
            ("C17", V::T("人")),
            ("D17", V::Sum("=SUM(D18:D20)", 49.0)),
            ("A18", V::T("　一孩")),
            ("B18", V::T("14")),
            ("C18", V::T("人")),
            ("D18", c(18.0)),
            ("A19", V::T("　二孩")),
            ("B19", V::T("15")),
            ("C19", V::T("人")),
            ("D19", c(25.0)),
            ("A20", V::T("　多孩")),
            ("B20", V::T("16")),
            ("C20", V::T("人")),
            ("D20", c(6.0)),
            ("A21", V::T("死亡人数")),
            ("B21", V::T("17")),
            ("C21", V::T("人")),
            ("D21", c(738.0)),
            ("A22", V::T("四项手术")),
            ("B22", V::T("18")),
            ("C22", V::T("例")),
            ("D22", V::Sum("=SUM(D23:D25)", 1800.0)),
            ("A23", V::T("　结扎")),
            ("B23", V::T("19")),
            ("C23", V::T("例")),
            ("D23", c(398.0)),
            ("A24", V::T("　放环")),
            ("B24", V::T("20")),
            ("C24", V::T("例")),
            ("D24", c(1185.0)),
            ("A25", V::T("　补救手术")),
            ("B25", V::T("21")),
            ("C25", V::T("例")),
            ("D25", c(217.0)),
            (
                "A27",
                V::T(
                    "单位负责人：　　　　统计负责人：　　　　填表人：　　　　报出日期：2006年10月20日",
                ),
            ),
        ],
    );

    let ws = sheet(&mut wb, "表2", Some(("表2　流动人口计划生育管理情况", 4)));
    ws.set_column_width(0, 16).unwrap();
    let head = Format::new().set_align(FormatAlign::Center);
    ws.merge_range(3, 1, 3, 2, "流出人口", &head).unwrap();
    ws.merge_range(3, 3, 3, 4, "流入人口", &head).unwrap();
    put(
        ws,
        &[
            ("E3", V::T("计量单位：人")),
            ("A4", V::T("项目")),
            ("B5", V::T("人数")),
            ("C5", V::T("持证人数")),
            ("D5", V::T("人数")),
            ("E5", V::T("持证人数")),
            ("A6", V::T("合计")),
            ("B6", c(27442.0)),
            ("C6", c(27426.0)),
            ("D6", c(851.0)),
            ("E6", c(840.0)),
            ("A7", V::T("注：流出人口不含迁入市区人员。")),
        ],
    );

    let ws = sheet(&mut wb, "表3", Some(("表3　宣传教育及其他工作情况", 3)));
    ws.set_column_width(1, 30).unwrap();
    let rows: [(&str, &str, f64); 17] = [
        ("培训班天数", "天", 5.0),
        ("参训人数", "人", 110.0),
        ("印发宣传折页", "份", 50000.0),
        ("悬挂横幅标语", "条", 80.0),
        ("张贴各类公告", "份", 3000.0),
        ("计划生育知识入户率（不低于）", "%", 95.0),
        ("村（居）数", "个", 72.0),
        ("达到“二室一校”要求的村（居）数", "个", 72.0),
        ("实行宽带上网的乡镇办数", "个", 6.0),
        ("首批奖励扶助对象", "人", 191.0),
        ("奖扶金首发月份", "月", 9.0),
        ("奖扶金首发日期", "日", 25.0),
        ("奖扶宣传标语", "条", 100.0),
        ("省统一印制宣传折页", "份", 20000.0),
        ("性别比案件立案", "起", 4.0),
        ("性别比案件结案", "起", 1.0),
        ("取消二孩生育指标", "例", 2.0),
    ];
    let mut cells: Vec<(String, V)> = vec![
        ("A2".into(), V::T("序号")),
        ("B2".into(), V::T("项目")),
        ("C2".into(), V::T("计量单位")),
        ("D2".into(), V::T("数量")),
    ];
    for (i, (label, unit, n)) in rows.iter().enumerate() {
        let r = i + 3;
        cells.push((format!("A{r}"), V::N((i + 1) as f64)));
        cells.push((format!("B{r}"), V::T(label)));
        cells.push((format!("C{r}"), V::T(unit)));
        cells.push((format!("D{r}"), c(*n)));
    }
    let r = rows.len() + 3;
    cells.push((format!("A{r}"), V::N((rows.len() + 1) as f64)));
    cells.push((format!("B{r}"), V::T("性别比有奖举报公告")));
    cells.push((format!("C{r}"), V::T("份")));
    cells.push((format!("D{r}"), c(2000.0)));
    let cells: Vec<(&str, V)> = cells.iter().map(|(a, v)| (a.as_str(), *v)).collect();
    put(ws, &cells);
    wb.save_to_buffer().unwrap()
}

/// `form_xlsx(false)` as an OpenDocument spreadsheet, written as LibreOffice would
/// (the parts calamine reads: mimetype first and stored, content.xml).
pub fn form_ods() -> Vec<u8> {
    fn row(cells: &[Option<(&str, &str)>]) -> String {
        let mut out = String::from("<table:table-row>");
        for cell in cells {
            match cell {
                None => out.push_str("<table:table-cell/>"),
                Some(("s", t)) => out.push_str(&format!(
                    "<table:table-cell office:value-type=\"string\"><text:p>{t}</text:p></table:table-cell>"
                )),
                Some((v, shown)) => out.push_str(&format!(
                    "<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{shown}</text:p></table:table-cell>"
                )),
            }
        }
        out.push_str("</table:table-row>");
        out
    }
    let s = |t| Some(("s", t));
    let n = |v, shown| Some((v, shown));
    let sheet1 = [
        row(&[s("表1 人口基本情况")]),
        row(&[s("计量单位：人")]),
        row(&[s("指标名称"), s("代码"), s("本期"), s("上年同期")]),
        row(&[
            s("总人口"),
            s("01"),
            n("10010", "10,010"),
            n("10000", "10,000"),
        ]),
        row(&[s("出生人数"), None, n("101", "101")]),
        row(&[s("　一孩"), None, n("61", "61")]),
        row(&[s("　二孩"), None, n("40", "40")]),
        row(&[s("男婴"), None, n("53", "53")]),
        row(&[s("女婴"), None, n("48", "48")]),
    ]
    .concat();
    let sheet2 = [
        row(&[s("项目"), s("数值")]),
        row(&[s("比例"), n("0.30000000000000004", "0.3")]),
    ]
    .concat();
    ods(&format!(
        "<table:table table:name=\"表1\">{sheet1}</table:table><table:table table:name=\"表2\">{sheet2}</table:table>"
    ))
}

/// An OpenDocument spreadsheet of `tables` (`<table:table>` elements, and before
/// them any `<office:automatic-styles>` they use), written as LibreOffice would (the
/// parts calamine reads: mimetype first and stored, content.xml).
pub fn ods(tables: &str) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let (styles, tables) = match tables.find("</office:automatic-styles>") {
        Some(at) => tables.split_at(at + "</office:automatic-styles>".len()),
        None => ("", tables),
    };
    let calcext = if tables.contains("calcext:") {
        " xmlns:calcext=\"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0\""
    } else {
        ""
    };
    let style_ns = if styles.is_empty() {
        ""
    } else {
        " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""
    };
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"{calcext}{style_ns} office:version=\"1.2\">{styles}<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>\n"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>\n";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default();
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// Every committed spreadsheet and the function that makes it.
fn committed() -> Vec<(PathBuf, Vec<u8>)> {
    let fixture = |name: &str| {
        repo_root()
            .join("tests/testsuite/fixtures/import_form")
            .join(name)
    };
    vec![
        (repo_root().join("data/forms-2006.xlsx"), forms_2006_xlsx()),
        (fixture("form.xlsx"), form_xlsx(false)),
        (fixture("form-moved.xlsx"), form_xlsx(true)),
        (fixture("broken.xlsx"), broken_xlsx()),
        (fixture("floats.xlsx"), floats_xlsx()),
        (fixture("form.ods"), form_ods()),
    ]
}

#[test]
fn committed_spreadsheets_are_current() {
    let overwrite = std::env::var_os("FIXTURES").is_some_and(|v| v == "overwrite");
    for (path, bytes) in committed() {
        if overwrite {
            std::fs::write(&path, &bytes).unwrap();
            continue;
        }
        let on_disk = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run FIXTURES=overwrite cargo test committed_spreadsheets",
                path.display()
            )
        });
        assert!(
            on_disk == bytes,
            "{} is not what tests/testsuite/sheets.rs makes; run FIXTURES=overwrite cargo test committed_spreadsheets",
            path.display()
        );
    }
}
