//! A chart's two axes: the years along the bottom, the values up the side with
//! the unit as the axis title.

use super::{CAT_AX, VAL_AX, def_rpr, line_props, number_format, text_props};
use crate::docx::ChartData;
use crate::docx::styles::Faces;
use crate::docx::xml::Xml;

/// The category axis (the years) and the value axis, with its unit as its title.
pub(super) fn axes(x: &mut Xml, faces: &Faces, text: u32, chart: &ChartData, grouping: bool) {
    x.open("c:catAx", &[]).empty("c:axId", &[("val", CAT_AX)]);
    x.open("c:scaling", &[])
        .empty("c:orientation", &[("val", "minMax")])
        .close();
    x.empty("c:delete", &[("val", "0")])
        .empty("c:axPos", &[("val", "b")]);
    x.empty(
        "c:numFmt",
        &[("formatCode", "General"), ("sourceLinked", "0")],
    );
    x.empty("c:majorTickMark", &[("val", "out")])
        .empty("c:minorTickMark", &[("val", "none")]);
    x.empty("c:tickLblPos", &[("val", "low")]);
    x.open("c:spPr", &[]);
    line_props(x, "9525", Some("595959"));
    x.close();
    text_props(x, faces, text, false, &faces.body, "c:txPr");
    x.empty("c:crossAx", &[("val", VAL_AX)])
        .empty("c:crosses", &[("val", "autoZero")]);
    x.empty("c:auto", &[("val", "1")])
        .empty("c:lblAlgn", &[("val", "ctr")])
        .empty("c:lblOffset", &[("val", "100")]);
    x.empty("c:noMultiLvlLbl", &[("val", "0")]).close();

    x.open("c:valAx", &[]).empty("c:axId", &[("val", VAL_AX)]);
    x.open("c:scaling", &[])
        .empty("c:orientation", &[("val", "minMax")]);
    // The SVG chart's ticks: labels with no more places than the metric's, where
    // Word's own read 2500000.00 and overlapped.
    if let Some(a) = &chart.axis {
        x.empty("c:max", &[("val", &a.max)])
            .empty("c:min", &[("val", &a.min)]);
    }
    x.close();
    x.empty("c:delete", &[("val", "0")])
        .empty("c:axPos", &[("val", "l")]);
    x.open("c:majorGridlines", &[]).open("c:spPr", &[]);
    line_props(x, "6350", Some("D9D9D9"));
    x.close().close();
    if !chart.unit.is_empty() {
        axis_title(x, faces, text, &chart.unit);
    }
    let axis_fmt = number_format(
        chart.axis.as_ref().map_or(chart.decimals, |a| a.decimals),
        grouping,
    );
    x.empty(
        "c:numFmt",
        &[("formatCode", &axis_fmt), ("sourceLinked", "0")],
    );
    x.empty("c:majorTickMark", &[("val", "out")])
        .empty("c:minorTickMark", &[("val", "none")]);
    x.empty("c:tickLblPos", &[("val", "nextTo")]);
    x.open("c:spPr", &[]);
    line_props(x, "9525", Some("595959"));
    x.close();
    text_props(x, faces, text, false, &faces.body, "c:txPr");
    x.empty("c:crossAx", &[("val", CAT_AX)])
        .empty("c:crosses", &[("val", "autoZero")]);
    x.empty("c:crossBetween", &[("val", "between")]);
    if let Some(a) = &chart.axis {
        x.empty("c:majorUnit", &[("val", &a.major)]);
    }
    x.close();
}

/// The unit beside the value axis (`万元`): across in Chinese, along the axis in
/// English.
fn axis_title(x: &mut Xml, faces: &Faces, text: u32, unit: &str) {
    x.open("c:title", &[]).open("c:tx", &[]).open("c:rich", &[]);
    // Chinese across (LibreOffice turns an upright `eaVert` title on its side).
    if faces.zh {
        x.empty("a:bodyPr", &[("rot", "0"), ("vert", "horz")]);
    } else {
        x.empty("a:bodyPr", &[("rot", "-5400000"), ("vert", "horz")]);
    }
    x.empty("a:lstStyle", &[])
        .open("a:p", &[])
        .open("a:pPr", &[]);
    def_rpr(x, faces, text, false, &faces.body, "a:defRPr");
    x.close().open("a:r", &[]);
    def_rpr(x, faces, text, false, &faces.body, "a:rPr");
    x.leaf("a:t", &[], unit).close().close().close().close();
    x.empty("c:overlay", &[("val", "0")]).close();
}
