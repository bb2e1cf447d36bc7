//! Native Word charts: `word/charts/chartN.xml` (DrawingML chart) from a
//! [`ChartData`], and the inline drawing in the body that shows it.
//!
//! The values are written as cached values (`c:strCache`, `c:numCache`) and no
//! workbook is embedded: Word, WPS and LibreOffice draw a chart from its cache,
//! and there is nothing to get out of step with it. A line chart has markers
//! and a data label on every point; a stacked column chart has a legend, and
//! its totals are shown as the labels of an invisible line series laid over
//! the columns (the usual way to label a stack's total), whose legend entry is
//! hidden.

mod axes;
use axes::axes;

use super::styles::Faces;
use super::xml::Xml;
use super::{ChartData, ChartKind, DocxError};

const NS_C: &str = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const NS_A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Line colour, then the colours of a stack's parts (Okabe–Ito, as the SVG charts).
const LINE: &str = "1F60A0";
const PARTS: [&str; 6] = ["0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00"];
const CAT_AX: &str = "50010001";
const VAL_AX: &str = "50010002";

/// Whether `s` is a plain decimal as `metrics.json` writes them: `-12.50`, `4655`.
fn is_plain_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// The Excel number format of `decimals` places: `0`, `0.00` (at most 15,
/// the precision of a spreadsheet number; the totals are rounded likewise), with
/// thousands separators when `grouping` (English: `#,##0`, as its text writes 1,335;
/// Chinese text writes 1335).
fn number_format(decimals: u32, grouping: bool) -> String {
    let int = if grouping { "#,##0" } else { "0" };
    if decimals == 0 {
        int.into()
    } else {
        format!("{int}.{}", "0".repeat(decimals.min(15) as usize))
    }
}

/// Checks a chart's values before anything is written, so that a bad value is
/// an error naming the chart rather than a part Word cannot read.
pub(crate) fn validate(chart: &ChartData) -> Result<(), DocxError> {
    for s in &chart.series {
        if s.values.len() > chart.categories.len() {
            return Err(DocxError::ChartShape {
                file: chart.file.clone(),
                detail: format!(
                    "series “{}” has {} values for {} categories",
                    s.name,
                    s.values.len(),
                    chart.categories.len()
                ),
            });
        }
        for v in s.values.iter().flatten() {
            if !is_plain_decimal(v) {
                return Err(DocxError::ChartValue {
                    file: chart.file.clone(),
                    value: v.clone(),
                });
            }
        }
    }
    Ok(())
}

/// The totals of a stack, column by column: `None` where every part is a gap.
fn totals(chart: &ChartData) -> Vec<Option<String>> {
    use crate::exact::{Exact, Rounding};
    (0..chart.categories.len())
        .map(|i| {
            let mut sum = Exact::zero();
            let mut any = false;
            for s in &chart.series {
                if let Some(Some(v)) = s.values.get(i)
                    && is_plain_decimal(v)
                    && let Some(r) = Exact::parse_decimal(v)
                {
                    sum = &sum + &r;
                    any = true;
                }
            }
            any.then(|| sum.to_fixed(chart.decimals.min(15), Rounding::default()))
        })
        .collect()
}

/// The name of a stack's totals series.
pub(crate) fn total_name(faces: &Faces) -> &'static str {
    if faces.zh { "合计" } else { "Total" }
}

/// The chart's figures as a sheet has them: the series names (row 1, from
/// column B) and each series' values, a stack's totals last.
pub(crate) fn table(
    chart: &ChartData,
    total_name: &str,
) -> (Vec<String>, Vec<Vec<Option<String>>>) {
    let mut names: Vec<String> = chart.series.iter().map(|s| s.name.clone()).collect();
    let mut columns: Vec<Vec<Option<String>>> =
        chart.series.iter().map(|s| s.values.clone()).collect();
    if matches!(chart.kind, ChartKind::StackedBar) {
        names.push(total_name.to_string());
        columns.push(totals(chart));
    }
    (names, columns)
}

/// Text properties: size in hundredths of a point, the document's fonts.
fn text_props(
    x: &mut Xml,
    faces: &Faces,
    size: u32,
    bold: bool,
    east_asia: &str,
    tag: &'static str,
) {
    x.open(tag, &[])
        .empty("a:bodyPr", &[])
        .empty("a:lstStyle", &[])
        .open("a:p", &[]);
    x.open("a:pPr", &[]);
    def_rpr(x, faces, size, bold, east_asia, "a:defRPr");
    x.close();
    x.empty(
        "a:endParaRPr",
        &[("lang", if faces.zh { "zh-CN" } else { "en-US" })],
    );
    x.close().close();
}

fn def_rpr(x: &mut Xml, faces: &Faces, size: u32, bold: bool, east_asia: &str, tag: &'static str) {
    let sz = size.to_string();
    let mut attrs = vec![("sz", sz.as_str()), ("b", if bold { "1" } else { "0" })];
    if tag == "a:rPr" {
        attrs.insert(0, ("lang", if faces.zh { "zh-CN" } else { "en-US" }));
    }
    x.open(tag, &attrs);
    x.open("a:solidFill", &[])
        .empty("a:srgbClr", &[("val", "000000")])
        .close();
    x.empty("a:latin", &[("typeface", &faces.latin)]);
    x.empty("a:ea", &[("typeface", east_asia)]);
    x.empty("a:cs", &[("typeface", &faces.latin)]);
    x.close();
}

fn line_props(x: &mut Xml, width: &str, colour: Option<&str>) {
    x.open("a:ln", &[("w", width)]);
    match colour {
        Some(c) => x
            .open("a:solidFill", &[])
            .empty("a:srgbClr", &[("val", c)])
            .close(),
        None => x.empty("a:noFill", &[]),
    };
    x.close();
}

/// The series name (`c:tx`) with its cache.
/// `col` is the spreadsheet column the series would have (B = 2).
fn series_name(x: &mut Xml, col: usize, name: &str) {
    let letter = column_letter(col);
    x.open("c:tx", &[])
        .open("c:strRef", &[])
        .leaf("c:f", &[], &format!("Sheet1!${letter}$1"));
    x.open("c:strCache", &[])
        .empty("c:ptCount", &[("val", "1")]);
    x.open("c:pt", &[("idx", "0")])
        .leaf("c:v", &[], name)
        .close();
    x.close().close().close();
}

/// `c:cat` and `c:val` with their caches.
fn categories_and_values(
    x: &mut Xml,
    chart: &ChartData,
    col: usize,
    values: &[Option<String>],
    fmt: &str,
) {
    let letter = column_letter(col);
    let n = chart.categories.len();
    let last = n + 1;
    x.open("c:cat", &[])
        .open("c:strRef", &[])
        .leaf("c:f", &[], &format!("Sheet1!$A$2:$A${last}"));
    x.open("c:strCache", &[])
        .empty("c:ptCount", &[("val", &n.to_string())]);
    for (i, c) in chart.categories.iter().enumerate() {
        x.open("c:pt", &[("idx", &i.to_string())])
            .leaf("c:v", &[], c)
            .close();
    }
    x.close().close().close();
    x.open("c:val", &[]).open("c:numRef", &[]).leaf(
        "c:f",
        &[],
        &format!("Sheet1!${letter}$2:${letter}${last}"),
    );
    x.open("c:numCache", &[])
        .leaf("c:formatCode", &[], fmt)
        .empty("c:ptCount", &[("val", &n.to_string())]);
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            x.open("c:pt", &[("idx", &i.to_string())])
                .leaf("c:v", &[], v)
                .close();
        }
    }
    x.close().close().close();
}

/// A spreadsheet column name: 1 → A, 27 → AA.
pub(crate) fn column_letter(mut n: usize) -> String {
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Data labels of every `every`-th point counting back from the last (the
/// report's year), the others deleted: ten years' labels of 2,134,567.89 ran
/// into each other.
fn data_labels(
    x: &mut Xml,
    faces: &Faces,
    size: u32,
    fmt: &str,
    pos: &str,
    points: usize,
    every: u32,
) {
    x.open("c:dLbls", &[]);
    let every = usize::try_from(every.max(1)).unwrap_or(1);
    for i in 0..points {
        if !(points - 1 - i).is_multiple_of(every) {
            x.open("c:dLbl", &[])
                .empty("c:idx", &[("val", &i.to_string())])
                .empty("c:delete", &[("val", "1")])
                .close();
        }
    }
    label_look(x, faces, size, fmt, pos);
    x.close();
}

/// How data labels look: number format, no box, the body font, placed at
/// `pos`, showing the value alone.
fn label_look(x: &mut Xml, faces: &Faces, size: u32, fmt: &str, pos: &str) {
    x.empty("c:numFmt", &[("formatCode", fmt), ("sourceLinked", "0")]);
    x.open("c:spPr", &[])
        .empty("a:noFill", &[])
        .open("a:ln", &[])
        .empty("a:noFill", &[])
        .close()
        .close();
    text_props(x, faces, size, false, &faces.body, "c:txPr");
    x.empty("c:dLblPos", &[("val", pos)]);
    for (tag, on) in [
        ("c:showLegendKey", "0"),
        ("c:showVal", "1"),
        ("c:showCatName", "0"),
        ("c:showSerName", "0"),
        ("c:showPercent", "0"),
        ("c:showBubbleSize", "0"),
    ] {
        x.empty(tag, &[("val", on)]);
    }
}

/// Data labels of one point only, `idx`, centred in its column.
fn last_label(x: &mut Xml, faces: &Faces, size: u32, fmt: &str, idx: usize) {
    x.open("c:dLbls", &[]);
    x.open("c:dLbl", &[])
        .empty("c:idx", &[("val", &idx.to_string())]);
    label_look(x, faces, size, fmt, "ctr");
    x.close();
    for tag in [
        "c:showLegendKey",
        "c:showVal",
        "c:showCatName",
        "c:showSerName",
        "c:showPercent",
        "c:showBubbleSize",
    ] {
        x.empty(tag, &[("val", "0")]);
    }
    x.close();
}

/// `word/charts/chartN.xml` for `chart`.
pub(crate) fn chart_part(
    chart: &ChartData,
    faces: &Faces,
    title_size: u32,
    text_size: u32,
) -> String {
    let grouping = !faces.zh;
    let fmt = number_format(chart.decimals, grouping);
    let text = text_size.saturating_mul(50); // half-points to hundredths of a point
    let title = title_size.saturating_mul(50);
    let mut x = Xml::new();
    x.open(
        "c:chartSpace",
        &[("xmlns:c", NS_C), ("xmlns:a", NS_A), ("xmlns:r", NS_R)],
    );
    x.empty("c:date1904", &[("val", "0")]);
    x.empty(
        "c:lang",
        &[("val", if faces.zh { "zh-CN" } else { "en-US" })],
    );
    x.empty("c:roundedCorners", &[("val", "0")]);
    x.open("c:chart", &[]);
    // Title.
    x.open("c:title", &[]).open("c:tx", &[]).open("c:rich", &[]);
    x.empty("a:bodyPr", &[])
        .empty("a:lstStyle", &[])
        .open("a:p", &[])
        .open("a:pPr", &[]);
    def_rpr(&mut x, faces, title, !faces.zh, &faces.hei, "a:defRPr");
    x.close().open("a:r", &[]);
    def_rpr(&mut x, faces, title, !faces.zh, &faces.hei, "a:rPr");
    x.leaf("a:t", &[], &chart.title)
        .close()
        .close()
        .close()
        .close();
    x.empty("c:overlay", &[("val", "0")]).close();
    x.empty("c:autoTitleDeleted", &[("val", "0")]);
    x.open("c:plotArea", &[]).empty("c:layout", &[]);
    let stacked = matches!(chart.kind, ChartKind::StackedBar);
    if stacked {
        x.open("c:barChart", &[]);
        x.empty("c:barDir", &[("val", "col")])
            .empty("c:grouping", &[("val", "stacked")])
            .empty("c:varyColors", &[("val", "0")]);
        for (i, s) in chart.series.iter().enumerate() {
            let idx = i.to_string();
            x.open("c:ser", &[])
                .empty("c:idx", &[("val", &idx)])
                .empty("c:order", &[("val", &idx)]);
            series_name(&mut x, i + 2, &s.name);
            let colour = PARTS[i % PARTS.len()];
            x.open("c:spPr", &[])
                .open("a:solidFill", &[])
                .empty("a:srgbClr", &[("val", colour)])
                .close();
            line_props(&mut x, "6350", Some("FFFFFF"));
            x.close();
            x.empty("c:invertIfNegative", &[("val", "0")]);
            // The parts of the last column (the report's year) are labelled, as
            // in the SVG chart: without, a small part is not seen at all.
            let last = chart.categories.len().checked_sub(1);
            if let Some(last) = last.filter(|l| matches!(s.values.get(*l), Some(Some(_)))) {
                last_label(&mut x, faces, text, &fmt, last);
            }
            categories_and_values(&mut x, chart, i + 2, &s.values, &fmt);
            x.close();
        }
        x.empty("c:gapWidth", &[("val", "80")])
            .empty("c:overlap", &[("val", "100")]);
        x.empty("c:axId", &[("val", CAT_AX)])
            .empty("c:axId", &[("val", VAL_AX)]);
        x.close();
        // The totals, as the labels of a line drawn with no line and no marker.
        let totals = totals(chart);
        let n = chart.series.len();
        let idx = n.to_string();
        x.open("c:lineChart", &[])
            .empty("c:grouping", &[("val", "standard")])
            .empty("c:varyColors", &[("val", "0")]);
        x.open("c:ser", &[])
            .empty("c:idx", &[("val", &idx)])
            .empty("c:order", &[("val", &idx)]);
        series_name(&mut x, n + 2, total_name(faces));
        x.open("c:spPr", &[]);
        line_props(&mut x, "12700", None);
        x.close();
        x.open("c:marker", &[])
            .empty("c:symbol", &[("val", "none")])
            .close();
        data_labels(
            &mut x,
            faces,
            text,
            &fmt,
            "t",
            chart.categories.len(),
            chart.label_every,
        );
        categories_and_values(&mut x, chart, n + 2, &totals, &fmt);
        x.empty("c:smooth", &[("val", "0")]).close();
        x.empty("c:marker", &[("val", "1")]);
        x.empty("c:axId", &[("val", CAT_AX)])
            .empty("c:axId", &[("val", VAL_AX)]);
        x.close();
    } else {
        x.open("c:lineChart", &[])
            .empty("c:grouping", &[("val", "standard")])
            .empty("c:varyColors", &[("val", "0")]);
        for (i, s) in chart.series.iter().enumerate() {
            let idx = i.to_string();
            let colour = if i == 0 { LINE } else { PARTS[i % PARTS.len()] };
            x.open("c:ser", &[])
                .empty("c:idx", &[("val", &idx)])
                .empty("c:order", &[("val", &idx)]);
            series_name(&mut x, i + 2, &s.name);
            x.open("c:spPr", &[]);
            line_props(&mut x, "28575", Some(colour));
            x.close();
            x.open("c:marker", &[])
                .empty("c:symbol", &[("val", "circle")])
                .empty("c:size", &[("val", "7")]);
            x.open("c:spPr", &[])
                .open("a:solidFill", &[])
                .empty("a:srgbClr", &[("val", colour)])
                .close();
            line_props(&mut x, "9525", Some(colour));
            x.close().close();
            data_labels(
                &mut x,
                faces,
                text,
                &fmt,
                "t",
                chart.categories.len(),
                chart.label_every,
            );
            categories_and_values(&mut x, chart, i + 2, &s.values, &fmt);
            x.empty("c:smooth", &[("val", "0")]).close();
        }
        x.empty("c:marker", &[("val", "1")]);
        x.empty("c:axId", &[("val", CAT_AX)])
            .empty("c:axId", &[("val", VAL_AX)]);
        x.close();
    }
    axes(&mut x, faces, text, chart, grouping);
    x.close(); // plotArea
    if stacked {
        x.open("c:legend", &[])
            .empty("c:legendPos", &[("val", "b")]);
        x.open("c:legendEntry", &[])
            .empty("c:idx", &[("val", &chart.series.len().to_string())]);
        x.empty("c:delete", &[("val", "1")]).close();
        x.empty("c:overlay", &[("val", "0")]);
        text_props(&mut x, faces, text, false, &faces.body, "c:txPr");
        x.close();
    }
    x.empty("c:plotVisOnly", &[("val", "1")])
        .empty("c:dispBlanksAs", &[("val", "gap")]);
    x.close(); // chart
    x.open("c:spPr", &[])
        .open("a:solidFill", &[])
        .empty("a:srgbClr", &[("val", "FFFFFF")])
        .close();
    line_props(&mut x, "9525", None);
    x.close();
    text_props(&mut x, faces, text, false, &faces.body, "c:txPr");
    // The embedded workbook (workbook.rs), for "Edit Data"; not refreshed on open.
    x.open("c:externalData", &[("r:id", "rId1")])
        .empty("c:autoUpdate", &[("val", "0")])
        .close();
    x.finish()
}

/// The body's run holding chart `n` (1-based), related as `rel_id`, `cx` × `cy` EMU.
pub(crate) fn inline(x: &mut Xml, n: usize, rel_id: &str, alt: &str, cx: i64, cy: i64) {
    let (cx, cy) = (cx.to_string(), cy.to_string());
    let id = n.to_string();
    let name = format!("Chart {n}");
    x.open("w:r", &[]).open("w:drawing", &[]);
    x.open(
        "wp:inline",
        &[
            ("distT", "0"),
            ("distB", "0"),
            ("distL", "0"),
            ("distR", "0"),
        ],
    );
    x.empty("wp:extent", &[("cx", &cx), ("cy", &cy)]);
    x.empty(
        "wp:effectExtent",
        &[("l", "0"), ("t", "0"), ("r", "0"), ("b", "0")],
    );
    x.empty("wp:docPr", &[("id", &id), ("name", &name), ("descr", alt)]);
    x.empty("wp:cNvGraphicFramePr", &[]);
    x.open("a:graphic", &[("xmlns:a", NS_A)])
        .open("a:graphicData", &[("uri", NS_C)]);
    x.empty(
        "c:chart",
        &[("xmlns:c", NS_C), ("xmlns:r", NS_R), ("r:id", rel_id)],
    );
    x.close().close().close().close().close();
}

#[cfg(test)]
mod tests;
