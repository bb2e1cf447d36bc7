//! Targets in the report, and trend charts: present in every output, labelled
//! from the exact values, and byte-for-byte the same on every build.

use crate::support::{Project, nianbao, run};

/// The `width` of every `<rect>` of an SVG.
fn rect_widths(svg: &str) -> Vec<i32> {
    svg.lines()
        .filter(|l| l.starts_with("<rect "))
        .filter_map(|l| {
            let w = l.split(" width=\"").nth(1)?;
            w[..w.find('"')?].parse().ok()
        })
        .collect()
}

#[test]
fn targets_met_and_not_met_in_both_languages() {
    let p = Project::from_fixture("years");
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    let en = p.read("output/2021/report.en.md");
    assert!(
        en.contains("| Rate | at least 10% | 10.02% | ✓ met |"),
        "{en}"
    );
    assert!(
        en.contains("| People | at most 2,100 persons | 2,150 persons | ✗ not met |"),
        "{en}"
    );
    let zh = p.read("output/2021/report.zh.md");
    assert!(
        zh.contains("| 比率 | 不低于10% | 10.02% | ✓ 完成 |"),
        "{zh}"
    );
    assert!(
        zh.contains("| 人数 | 不高于2100人 | 2150人 | ✗ 未完成 |"),
        "{zh}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&p.read("output/2021/metrics.json")).unwrap();
    assert_eq!(json["metrics"]["rate"]["target"]["met"], true);
    assert_eq!(json["metrics"]["people"]["target"]["met"], false);
}

#[test]
fn charts_are_written_linked_and_inlined() {
    let p = Project::from_fixture("years");
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    // A line for each `chart = true` metric and a breakdown for `parts`, per language.
    for name in ["rate", "people", "total"] {
        for lang in ["zh", "en"] {
            let file = format!("output/2021/chart-{name}.{lang}.svg");
            let svg = p.read(&file);
            assert!(svg.starts_with("<svg "), "{file}");
            assert!(svg.contains("Noto Sans CJK SC"), "{file}: no CJK fallback");
            assert!(!svg.contains("<script"), "{file}");
        }
    }
    assert!(!p.path().join("output/2021/chart-ratio.en.svg").exists());
    // Labels come from the exact values, formatted as in the tables.
    let rate = p.read("output/2021/chart-rate.en.svg");
    assert!(
        rate.contains(">\n10.00\n</text>") && rate.contains(">\n10.02\n</text>"),
        "{rate}"
    );
    let people = p.read("output/2021/chart-people.en.svg");
    assert!(people.contains(">\n2,150\n</text>"), "{people}");
    let total = p.read("output/2021/chart-total.zh.svg");
    assert!(total.contains(">\n甲类\n</text>"), "{total}");
    assert!(
        total.contains(">\nb\n</text>"),
        "a part without a label shows its name"
    );
    assert!(total.contains(">\n105\n</text>"), "{total}");
    // A report charts the years up to its own: 2021's shows both, 2020's only 2020.
    assert!(rate.contains(">\n2020\n</text>") && rate.contains(">\n2021\n</text>"));
    // One year is no trend: 2020's report has no line chart, but its breakdown.
    assert!(!p.path().join("output/2020/chart-rate.en.svg").exists());
    let earlier = p.read("output/2020/chart-total.en.svg");
    assert!(
        earlier.contains(">\n2020\n</text>") && !earlier.contains("2021"),
        "{earlier}"
    );
    // Its bars are drawn: a year alone once gave each bar a negative width.
    let widths = rect_widths(&earlier);
    assert!(widths.iter().all(|w| *w >= 0), "{earlier}");
    assert!(
        widths.iter().filter(|w| (20..=60).contains(*w)).count() >= 2,
        "{earlier}"
    );
    // Markdown embeds the files, with alt text; HTML inlines the same charts.
    let md = p.read("output/2021/report.en.md");
    assert!(
        md.contains("![Rate (%), 2020–2021](chart-rate.en.svg)"),
        "{md}"
    );
    let html = p.read("output/2021/report.html");
    assert!(!html.contains("<img"), "the page needs no other file");
    assert_eq!(
        html.matches("<svg role=\"img\"").count(),
        6,
        "3 charts × 2 editions"
    );
    assert!(html.contains("aria-label=\"比率（%），2020—2021年\""));
}

/// PRODUCT.md: "a non-final status shows as a banner on every output of that
/// year". The charts (a file that is often copied out on its own) and
/// `metrics.csv` carried no sign of it.
#[test]
fn a_draft_year_says_so_in_its_charts_and_its_csv() {
    let p = Project::example();
    let (code, _, stderr) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{stderr}");
    // 2007 is a draft, 2006 final.
    let draft_zh = p.read("output/2007/chart-population.zh.svg");
    let draft_en = p.read("output/2007/chart-population.en.svg");
    assert!(draft_zh.contains("\n总人口（草稿）\n</text>"), "{draft_zh}");
    assert!(
        draft_en.contains("\nTotal population (DRAFT)\n</text>"),
        "{draft_en}"
    );
    assert!(
        draft_en.contains("(DRAFT), 2006–2007\""),
        "the alternative text: {draft_en}"
    );
    let html = p.read("output/2007/report.html");
    assert!(
        html.contains("\n总人口（草稿）\n</text>"),
        "the inlined chart too"
    );
    let fin = p.read("output/2006/chart-births.en.svg");
    assert!(
        !fin.contains("DRAFT") && !fin.contains("Preliminary"),
        "{fin}"
    );
    for (year, status) in [(2006, "final"), (2007, "draft")] {
        let csv = p.read(&format!("output/{year}/metrics.csv"));
        let mut lines = csv.trim_start_matches('\u{feff}').lines();
        assert!(
            lines.next().unwrap().ends_with(",target_met,status"),
            "{csv}"
        );
        for line in lines {
            assert!(line.ends_with(&format!(",{status}")), "{year}: {line}");
        }
    }
}

#[test]
fn charts_are_byte_identical_across_builds() {
    let p = Project::from_fixture("years");
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for out in [a.path(), b.path()] {
        let (code, _, err) = run(nianbao()
            .arg("--root")
            .arg(p.path())
            .args(["build", "--all", "--out"])
            .arg(out));
        assert_eq!(code, 0, "{err}");
    }
    let mut compared = 0;
    for year in ["2020", "2021"] {
        for entry in std::fs::read_dir(a.path().join(year)).unwrap() {
            let entry = entry.unwrap();
            let other = b.path().join(year).join(entry.file_name());
            assert_eq!(
                std::fs::read(entry.path()).unwrap(),
                std::fs::read(&other).unwrap(),
                "{} differs between two builds",
                entry.file_name().to_string_lossy()
            );
            compared += 1;
        }
    }
    assert!(compared >= 2 * (5 + 6), "only {compared} files");
}

#[test]
fn a_report_template_without_charts_still_gets_them_in_the_page() {
    let p = Project::from_fixture("years");
    // An older project template: no trends partial.
    p.write(
        "templates/report.md",
        "{% extends \"base.md\" %}\n{% block indicators %}{% include \"partials/indicators.md\" %}{% endblock indicators %}\n",
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    assert!(!p.read("output/2021/report.en.md").contains("chart-"));
    let html = p.read("output/2021/report.html");
    assert!(html.contains("<section class=\"charts\">"), "{html}");
    assert_eq!(html.matches("<svg role=\"img\"").count(), 6);
}

#[test]
fn turning_a_chart_off_removes_its_files_and_nothing_else() {
    let p = Project::from_fixture("years");
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    assert!(p.path().join("output/2021/chart-rate.zh.svg").exists());
    // A file of the user's own in the output folder, named nothing like an output.
    p.write("output/2021/notes.txt", "mine");
    p.write("output/2021/chart-notes.txt", "mine too");
    p.replace("data/metrics.toml", "chart = true\n", "chart = false\n");
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    for year in ["2020", "2021"] {
        for lang in ["zh", "en"] {
            let gone = p
                .path()
                .join(format!("output/{year}/chart-rate.{lang}.svg"));
            assert!(!gone.exists(), "{} was left behind", gone.display());
        }
        // The other charts and the reports are still there.
        assert!(
            p.path()
                .join(format!("output/{year}/chart-total.en.svg"))
                .exists()
        );
        assert!(p.path().join(format!("output/{year}/report.html")).exists());
    }
    assert!(!p.read("output/2021/report.en.md").contains("chart-rate"));
    assert_eq!(p.read("output/2021/notes.txt"), "mine");
    assert_eq!(p.read("output/2021/chart-notes.txt"), "mine too");
}

#[test]
fn a_chart_shows_the_years_of_its_window_only() {
    let p = Project::from_fixture("years");
    let config = p.read("nianbao.toml");
    p.write(
        "nianbao.toml",
        &format!("{config}\n[options]\nchart_years = 1\n"),
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    // One year in the window is no trend, and the breakdown shows that year alone.
    assert!(!p.path().join("output/2021/chart-rate.en.svg").exists());
    let total = p.read("output/2021/chart-total.en.svg");
    assert!(
        total.contains(">\n2021\n</text>") && !total.contains("2020"),
        "{total}"
    );
    p.write(
        "nianbao.toml",
        &format!("{config}\n[options]\nchart_years = 0\n"),
    );
    let (code, _, err) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`chart_years` must be at least 1"), "{err}");
}

/// The `word/charts/chartN.xml` parts of a Word document.
fn docx_charts(bytes: &[u8]) -> Vec<String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .filter(|n| n.starts_with("word/charts/chart"))
        .collect();
    names
        .iter()
        .map(|n| {
            let mut text = String::new();
            zip.by_name(n).unwrap().read_to_string(&mut text).unwrap();
            text
        })
        .collect()
}

/// 2019 has no data: the line of 2017–2021 breaks there, in the SVG and in Word,
/// rather than join 2018 to 2020 as if 2019 had a value between them.
#[test]
fn a_missing_year_breaks_the_line_in_every_chart() {
    let p = Project::from_fixture("years");
    for year in ["2017", "2018"] {
        p.write(
            &format!("data/{year}/figures.toml"),
            &p.read("data/2020/figures.toml").replace("2020", year),
        );
    }
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    let svg = p.read("output/2021/chart-rate.en.svg");
    let lines = svg
        .lines()
        .filter(|l| l.starts_with("<polyline") && l.contains("#1F60A0"))
        .count();
    assert_eq!(lines, 2, "{svg}");
    // The missing year's place is labelled, so the reader sees which it is.
    assert!(svg.contains(">\n2019\n</text>"), "{svg}");
    let docx = std::fs::read(p.path().join("output/2021/report.en.docx")).unwrap();
    let charts = docx_charts(&docx);
    let rate = charts
        .iter()
        .find(|c| c.contains("<a:t>Rate</a:t>"))
        .expect("the rate chart");
    // Five categories, 2017 to 2021, and four values: 2019 is a gap.
    assert!(rate.contains("<c:v>2019</c:v>"), "{rate}");
    let values = rate.split("<c:val>").nth(1).unwrap();
    assert_eq!(values.matches("<c:pt ").count(), 4, "{values}");
    assert!(!values.contains("<c:pt idx=\"2\">"), "{values}");
}

/// Parts that do not add up to their total: a bar of the parts alone was 30 tall
/// and labelled 100. Short parts warn and the rest is drawn as “other”; parts
/// over the total are an error, since no bar can show both.
#[test]
fn a_breakdown_bar_is_as_tall_as_its_total() {
    let p = Project::from_fixture("years");
    p.replace(
        "data/metrics.toml",
        "formula = \"sum(parts)\"",
        "formula = \"sum(parts) + 5\"",
    );
    let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("the parts of `total` add up to 105, less than its value 110 in 2021"),
        "{err}"
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    let en = p.read("output/2021/chart-total.en.svg");
    assert!(
        en.contains(">\nOther\n</text>") && en.contains(">\n5\n</text>"),
        "{en}"
    );
    assert!(
        p.read("output/2021/chart-total.zh.svg")
            .contains(">\n其他\n</text>")
    );
    // The parts as they are: no “other” when they add up.
    p.replace(
        "data/metrics.toml",
        "formula = \"sum(parts) + 5\"",
        "formula = \"sum(parts)\"",
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("the parts of"), "{err}");
    assert!(!p.read("output/2021/chart-total.en.svg").contains("Other"));
    p.replace(
        "data/metrics.toml",
        "formula = \"sum(parts)\"",
        "formula = \"sum(parts) - 5\"",
    );
    let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2021"]));
    assert_ne!(code, 0, "{err}");
    assert!(
        err.contains("the parts of `total` add up to 105, more than its value 100 in 2021"),
        "{err}"
    );
}

/// A first year has only breakdowns, each of one year: they sat under 历年趋势 /
/// Trends, which they do not show.
#[test]
fn charts_of_one_year_are_not_headed_trends() {
    let p = Project::from_fixture("years");
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    let en = p.read("output/2020/report.en.md");
    assert!(en.contains("Breakdown\n") && !en.contains("Trends"), "{en}");
    let zh = p.read("output/2020/report.zh.md");
    assert!(
        zh.contains("构成情况\n") && !zh.contains("历年趋势"),
        "{zh}"
    );
    // Two years: a trend.
    assert!(p.read("output/2021/report.en.md").contains("Trends\n"));
    assert!(p.read("output/2021/report.zh.md").contains("历年趋势\n"));
}

/// Found by an audit: a breakdown's legend was one row, and long names ran past
/// the chart's edge, leaving a coloured part without its name.
#[test]
fn a_long_legend_wraps_inside_the_chart() {
    let p = Project::from_fixture("years");
    p.replace(
        "data/metrics.toml",
        "en = \"Kind A\"",
        "en = \"Residents enrolled in basic medical insurance for urban and rural residents\"",
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    let svg = p.read("output/2021/chart-total.en.svg");
    let width: f64 = svg
        .split("width=\"")
        .nth(1)
        .and_then(|w| w.split('"').next())
        .and_then(|w| w.parse().ok())
        .unwrap();
    // The second name starts a row of its own, at the first name's x.
    let xs: Vec<f64> = svg
        .lines()
        .filter(|l| {
            l.starts_with("<rect") && l.contains("height=\"12\"") && l.contains("width=\"12\"")
        })
        .filter_map(|l| l.split(" x=\"").nth(1)?.split('"').next()?.parse().ok())
        .collect();
    assert_eq!(xs.len(), 2, "{svg}");
    assert_eq!(xs[0], xs[1], "{svg}");
    assert!(xs[0] < width, "{svg}");
}
