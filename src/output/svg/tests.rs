//! The chart backend's tests: the writer against plotters' own SVG backend, and
//! the charts it draws.

use super::layout::wrap;
use super::*;
use crate::render::charts::Bar;

#[test]
fn axes_start_at_zero_or_say_they_do_not() {
    // Births per mille, 8.45 to 8.79: close together, far from zero: a broken axis.
    let a = Axis::new(&[8.79, 8.45], 2);
    assert!(a.broken);
    assert!(a.lo * a.scale < 8.45 && a.hi * a.scale > 8.79);
    // Counts near zero: from zero.
    let a = Axis::new(&[6.0, 25.0], 0);
    assert!(!a.broken && a.lo == 0.0 && a.hi * a.scale > 25.0);
    // A single value keeps a band around it.
    let a = Axis::new(&[5.0], 0);
    assert!(a.hi > a.lo);
    let a = Axis::new(&[], 0);
    assert!(!a.broken && a.lo == 0.0 && a.hi > 0.0);
    // Huge finite values keep the plot's arithmetic finite.
    let a = Axis::new(&[1.0, 1.3e308], 0);
    assert!(a.lo.is_finite() && a.hi.is_finite());
    assert!(a.ticks(false).last().unwrap().1.len() > 300);
}

/// The labels of the value axis of values `values` of `decimals` places.
fn tick_labels(values: &[f64], decimals: u32) -> Vec<String> {
    Axis::new(values, decimals)
        .ticks(false)
        .into_iter()
        .map(|(_, t)| t)
        .collect()
}

/// A 1-decimal metric's axis read 33.40, 33.30 (its points all "33.3"), a
/// 2-decimal metric's 113.0: ticks now have at most the metric's places, and no
/// two read alike.
#[test]
fn axis_labels_have_no_more_places_than_the_metric() {
    for (values, decimals) in [
        (&[33.33, 33.27, 33.12, 33.31][..], 1),
        (&[112.92, 111.13][..], 2),
        (&[0.81, 2.14][..], 2),
        (&[0.126, 0.172][..], 3),
        (&[8.79, 8.45][..], 2),
        (&[1_234_567.89, 2_134_567.89][..], 2),
        (&[33.3, 33.3][..], 0),
        (&[-120.0, 564.0][..], 0),
    ] {
        let labels = tick_labels(values, decimals);
        assert!(labels.len() >= 2, "{values:?}: {labels:?}");
        for l in &labels {
            let places = l.split('.').nth(1).map_or(0, str::len);
            assert!(places <= decimals as usize, "{values:?}: {labels:?}");
        }
        let mut distinct = labels.clone();
        distinct.dedup();
        assert_eq!(distinct, labels, "{values:?}");
    }
    assert_eq!(
        tick_labels(&[33.33, 33.27, 33.12], 1),
        ["33.0", "33.1", "33.2", "33.3", "33.4", "33.5"]
    );
    // Grouped in English.
    assert!(
        Axis::new(&[1_234_567.89, 2_134_567.89], 2)
            .ticks(true)
            .iter()
            .any(|(_, t)| t == "2,000,000")
    );
}

fn chart(lang: crate::i18n::Lang, body: ChartBody, years: Vec<i32>) -> Chart {
    Chart {
        metric: "m".into(),
        lang,
        file: "chart-m.svg".into(),
        title: "Births <per> \"1,000\" & 'women' 出生率".into(),
        unit: "‰ & <unit>".into(),
        decimals: 2,
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
        &SVGBackend::with_string(&mut svg, Layout::of(chart).size()).into_drawing_area(),
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

/// The `<text>` elements of an SVG: (x, text), in order.
fn texts(svg: &str) -> Vec<(i32, String)> {
    let lines: Vec<&str> = svg.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("<text "))
        .filter_map(|(i, l)| {
            let x = l.split(" x=\"").nth(1)?;
            let x = x[..x.find('"')?].parse().ok()?;
            Some((x, lines.get(i + 1)?.replace("&apos;", "'")))
        })
        .collect()
}

fn ten_years(title: &str, years: std::ops::RangeInclusive<i32>, value: &str) -> Chart {
    let years: Vec<i32> = years.collect();
    let mut c = chart(
        crate::i18n::Lang::En,
        ChartBody::Trend {
            points: years
                .iter()
                .map(|_| Some((Exact::parse_decimal(value).unwrap(), value.to_string())))
                .collect(),
        },
        years,
    );
    c.title = title.into();
    c
}

/// Ten years in 520 pixels ran together ("20162017…"), and their values piled up:
/// the chart is wider with more years, and past its widest, labels are shortened
/// ('17) and thinned, the report's year always labelled.
#[test]
fn many_years_keep_their_labels_apart() {
    for (years, value) in [
        (2016..=2025, "1335"),
        (2016..=2025, "2134567.89"),
        (1996..=2025, "33.3"),
    ] {
        let c = ten_years("T", years.clone(), value);
        let layout = Layout::of(&c);
        assert!(
            layout.width > WIDTH && layout.width <= MAX_WIDTH,
            "{layout:?}"
        );
        let drawn = String::from_utf8(svg(&c).unwrap().to_vec()).unwrap();
        let t = texts(&drawn);
        // Year labels, and value labels, each at least their width apart.
        let years_shown: Vec<&(i32, String)> = t
            .iter()
            .filter(|(_, s)| {
                s.len() <= 4 && (s.starts_with("19") || s.starts_with("20") || s.starts_with('\''))
            })
            .collect();
        let values_shown: Vec<&(i32, String)> =
            t.iter().filter(|(_, s)| s.starts_with(value)).collect();
        for shown in [&years_shown, &values_shown] {
            assert!(shown.len() >= 2, "{drawn}");
            for w in shown.windows(2) {
                let gap = w[1].0 - w[0].0;
                let room = i32::try_from(text_width(&w[0].1, LABEL)).unwrap();
                assert!(gap >= room, "{value}: {w:?} overlap");
            }
        }
        // The report's year and its value are labelled.
        let last = layout.year_text(*years.end());
        assert!(years_shown.iter().any(|(_, s)| *s == last), "{drawn}");
        assert!(values_shown.len() >= 2);
    }
}

/// A long label ran off both edges of the title: it wraps, and the chart grows.
#[test]
fn a_long_title_wraps() {
    let long = "年度经费支出（含专项资金、转移支付及社会捐赠等各类来源的合计数以及其他各项收入的总和）（快报）";
    let c = ten_years(long, 2024..=2025, "1");
    let layout = Layout::of(&c);
    assert!(layout.title.len() >= 2, "{layout:?}");
    assert_eq!(layout.title.concat(), long);
    for line in &layout.title {
        assert!(text_width(line, TITLE) <= layout.width - 24, "{line}");
        assert!(!line.starts_with('）') && !line.ends_with('（'), "{line}");
    }
    assert!(layout.size().1 > HEIGHT);
    let english = wrap(
        "Annual expenditure including special funds, transfers and donations from every source",
        400,
    );
    assert!(
        english.len() >= 2
            && english
                .iter()
                .all(|l| !l.starts_with(' ') && !l.contains("  "))
    );
    assert_eq!(
        english.join(" "),
        "Annual expenditure including special funds, transfers and donations from every source"
    );
}

#[test]
fn the_value_axis_has_room_for_its_widest_label() {
    // Found by an audit: "13,500,000" lost its first digit at a fixed width.
    let axis = super::Axis::new(&[12_900_000.0, 13_500_000.0], 0);
    let room = super::y_axis_room(&axis, true);
    for (_, text) in axis.ticks(true) {
        assert!(
            super::text_width(&text, super::LABEL) + 9 <= room,
            "{text} in {room}"
        );
    }
    assert_eq!(
        super::y_axis_room(&super::Axis::new(&[1.0, 9.0], 0), true),
        super::Y_AXIS
    );
}
