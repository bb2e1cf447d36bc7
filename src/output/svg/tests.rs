//! The chart backend's tests: the writer against plotters' own SVG backend, and
//! the charts it draws.

use super::*;

#[test]
fn axes_start_at_zero_or_say_they_do_not() {
    // Births per mille, 8.45 to 8.79: close together, far from zero: a broken axis.
    let a = Axis::new(&[8.79, 8.45]);
    assert!(a.broken);
    assert!(a.lo * a.scale < 8.45 && a.hi * a.scale > 8.79);
    // Counts near zero: from zero.
    let a = Axis::new(&[6.0, 25.0]);
    assert!(!a.broken && a.lo == 0.0 && a.hi * a.scale > 25.0);
    // A single value keeps a band around it.
    let a = Axis::new(&[5.0]);
    assert!(a.hi > a.lo);
    assert_eq!(
        Axis::new(&[]),
        Axis {
            lo: 0.0,
            hi: 1.0,
            scale: 1.0,
            broken: false
        }
    );
    // Huge finite values keep the plot's arithmetic finite.
    let a = Axis::new(&[1.0, 1.3e308]);
    assert!(a.lo.is_finite() && a.hi.is_finite());
    assert!(a.tick(a.hi, false).len() > 300);
}

fn chart(lang: crate::i18n::Lang, body: ChartBody, years: Vec<i32>) -> Chart {
    Chart {
        metric: "m".into(),
        lang,
        file: "chart-m.svg".into(),
        title: "Births <per> \"1,000\" & 'women' 出生率".into(),
        unit: "‰ & <unit>".into(),
        alt: "a \"b\" <c> & d".into(),
        years,
        body,
        svg: Default::default(),
    }
}

fn point(text: &str) -> Option<(Exact, String)> {
    Some((Exact::parse_decimal(text).unwrap(), format!("{text} <&>")))
}

/// What plotters' own SVG backend draws for `chart`, labelled.
fn by_plotters(chart: &Chart) -> Vec<u8> {
    let mut svg = String::new();
    let drawn = draw(
        &SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area(),
        chart,
    )
    .unwrap();
    if !drawn {
        svg.clear();
    }
    with_label(svg, &chart.alt).into_bytes()
}

#[test]
fn the_writer_writes_the_bytes_plotters_writes() {
    use crate::i18n::Lang;
    use crate::render::charts::Bar;
    let part = |t: &str| Exact::parse_decimal(t);
    let bars = vec![
        Bar {
            year: 2004,
            parts: vec![part("10"), part("0.02"), None],
            part_labels: vec!["10".into(), "0.02".into(), "—".into()],
            total: "10.02".into(),
        },
        Bar {
            year: 2005,
            parts: vec![part("12"), part("3"), part("1")],
            part_labels: vec!["12 <a>".into(), "3 & 'b'".into(), "1".into()],
            total: "16 \"t\"".into(),
        },
        Bar {
            year: 2006,
            parts: vec![part("0"), part("5.5"), part("7")],
            part_labels: vec!["0".into(), "5.5".into(), "7".into()],
            total: "12.5".into(),
        },
    ];
    let names = vec!["一 <one>".to_string(), "two & 'b'".into(), "three".into()];
    let mut charts = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        // Far from zero (a broken axis), with a gap.
        charts.push(chart(
            lang,
            ChartBody::Trend {
                points: vec![point("8.79"), None, point("8.45"), point("8.6")],
            },
            vec![2003, 2004, 2005, 2006],
        ));
        // Across zero, large and negative, one year alone.
        charts.push(chart(
            lang,
            ChartBody::Trend {
                points: vec![point("-1234567.5"), point("2500000"), point("-3")],
            },
            vec![2004, 2005, 2006],
        ));
        charts.push(chart(
            lang,
            ChartBody::Trend {
                points: vec![point("6")],
            },
            vec![2006],
        ));
        // No years: an empty file.
        charts.push(chart(lang, ChartBody::Trend { points: vec![] }, vec![]));
        charts.push(chart(
            lang,
            ChartBody::Breakdown {
                parts: names.clone(),
                bars: bars.clone(),
            },
            vec![2004, 2005, 2006],
        ));
    }
    for c in &charts {
        let as_plotters = written(c, Attrs::AsPlotters).unwrap();
        assert_eq!(
            as_plotters,
            String::from_utf8_lossy(&by_plotters(c)),
            "{:?}",
            c.body
        );
        // Lean: the same without `opacity="1"`, the font list once on <svg>.
        let font = format!(" font-family=\"{FONT_FAMILY}\"");
        let mut lean = as_plotters.replace(" opacity=\"1\"", "").replace(&font, "");
        if let Some(end) = lean.find(">\n") {
            lean.insert_str(end, &font);
        }
        let shipped = svg(c).unwrap();
        assert_eq!(String::from_utf8_lossy(&shipped), lean);
        if !lean.is_empty() {
            assert!(lean.len() * 10 < as_plotters.len() * 7, "{}", lean.len());
        }
    }
    // The cases drew something, and the empty one nothing.
    assert!(charts.iter().filter(|c| svg(c).unwrap().is_empty()).count() == 2);
}

#[test]
fn a_breakdown_of_one_year_draws_its_bars() {
    let bars = vec![Bar {
        year: 2006,
        parts: vec![Exact::parse_decimal("929"), Exact::parse_decimal("400")],
        part_labels: vec!["929".into(), "400".into()],
        total: "1329".into(),
    }];
    let c = chart(
        crate::i18n::Lang::Zh,
        ChartBody::Breakdown {
            parts: vec!["a".into(), "b".into()],
            bars,
        },
        vec![2006],
    );
    let svg = String::from_utf8(svg(&c).unwrap().to_vec()).unwrap();
    // Each part's colour: its legend swatch (12 high) and its bar, taller.
    for colour in ["#0072B2", "#E69F00"] {
        let attr = |line: &str, key: &str| -> i32 {
            let v = line.split(&format!(" {key}=\"")).nth(1).unwrap();
            v[..v.find('"').unwrap()].parse().unwrap()
        };
        let rects: Vec<(i32, i32)> = svg
            .lines()
            .filter(|l| l.starts_with("<rect") && l.contains(&format!("fill=\"{colour}\"")))
            .map(|l| (attr(l, "width"), attr(l, "height")))
            .collect();
        assert_eq!(rects.len(), 2, "{colour}: {svg}");
        // (A range of one year once gave the bar a width of -302.)
        let (w, h) = rects[1];
        assert!((20..=60).contains(&w) && h > 20, "{colour}: {rects:?}");
    }
}

#[test]
fn labels_are_escaped_into_the_svg_tag() {
    let svg = with_label("<svg width=\"1\"></svg>".into(), "a \"b\" <c> & d");
    assert_eq!(
        svg,
        "<svg role=\"img\" aria-label=\"a &quot;b&quot; &lt;c&gt; &amp; d\" width=\"1\"></svg>"
    );
}

/// Labels an SVG of plotters' own backend as [`SvgWriter`] labels its own (the
/// tests compare the two).
fn with_label(svg: String, alt: &str) -> String {
    let escaped = crate::escape::html(alt);
    svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{escaped}\" "),
        1,
    )
}

/// The lines of a trend: each drawn `<polyline>` of the line colour.
fn lines_of(svg: &str) -> Vec<&str> {
    svg.lines()
        .filter(|l| l.starts_with("<polyline") && l.contains("#1F60A0"))
        .collect()
}

#[test]
fn a_missing_year_breaks_the_line() {
    // 2023 has no data: its place stays on the axis and no segment crosses it.
    let c = chart(
        crate::i18n::Lang::En,
        ChartBody::Trend {
            points: vec![point("1"), point("2"), point("3"), point("4")],
        },
        vec![2021, 2022, 2024, 2025],
    );
    let drawn = String::from_utf8(svg(&c).unwrap().to_vec()).unwrap();
    assert_eq!(lines_of(&drawn).len(), 2, "{drawn}");
    // Consecutive years are one line.
    let c = chart(
        crate::i18n::Lang::En,
        ChartBody::Trend {
            points: vec![point("1"), point("2"), point("3")],
        },
        vec![2021, 2022, 2023],
    );
    let drawn = String::from_utf8(svg(&c).unwrap().to_vec()).unwrap();
    assert_eq!(lines_of(&drawn).len(), 1, "{drawn}");
}
