//! Every claim computed (issue 9): last year's values and the changes in every report,
//! target verdicts in the text, and the truth guards that refuse to publish what the
//! data does not support.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{Project, nianbao, run};

/// Every file under `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        out.insert(
            entry.file_name().to_string_lossy().into_owned(),
            std::fs::read(entry.path()).unwrap(),
        );
    }
    out
}

#[test]
fn a_report_shows_nothing_of_a_later_year() {
    let p = Project::example();
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    let before = files(&p.path().join("output/2006"));
    // The 2006 charts end at 2006: not the illustrative 2007 births. (One year is no
    // trend: 2006 has only the breakdowns.)
    assert!(!before.contains_key("chart-population.zh.svg"));
    let chart = String::from_utf8(before["chart-births.zh.svg"].clone()).unwrap();
    assert!(
        !chart.contains("1290") && !chart.contains("2007"),
        "{chart}"
    );
    assert!(chart.contains("1335"));
    let html = String::from_utf8(before["report.html"].clone()).unwrap();
    assert!(!html.contains("2006—2007") && !html.contains("152604"));
    // Editing a later year changes no byte of an earlier year's output.
    p.replace("data/2007/figures.toml", "total = 152604", "total = 160000");
    p.replace(
        "data/2007/figures.toml",
        "participants = 126",
        "participants = 130",
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(files(&p.path().join("output/2006")), before);
    assert!(
        p.read("output/2007/chart-population.en.svg")
            .contains("160,000")
    );
}

#[test]
fn last_year_and_the_change_are_in_every_report() {
    let p = Project::from_fixture("compare");
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    let zh = p.read("output/2021/report.zh.md");
    // From the exact values, rounded once: 28.5 % → 70 % is 42 points (29 → 70 shown).
    for phrase in [
        "占比70%，比上年提高42个百分点",
        "千分率比上年提高0.72个千分点",
        "人口比上年增加768人，增长0.5%",
        "出生比上年减少55人，下降4.1%",
        "不变持平",
        "比值下降1.79",
        "未定—",
        "| 指标 | 本年 | 上年 | 增减 |",
        "| 占比 | 70% | 29% | ↑ +42个百分点，向好 |",
        "| 人口 | 151837人 | 151069人 | ↑ +768人（+0.5%） |",
        "| 未定 | 17.5 | — | — |",
    ] {
        assert!(zh.contains(phrase), "{phrase:?} not in\n{zh}");
    }
    let en = p.read("output/2021/report.en.md");
    for phrase in [
        "Share up 42 points",
        "per mille up 0.72 points per thousand",
        "people up 768 (0.5%)",
        "births down 55 (4.1%)",
        "flat unchanged",
        "ratio down 1.79",
        "undefined —",
        "last year 151,069 persons",
        "| Indicator | This year | Last year | Change |",
        "| Per mille | 8.79‰ | 8.07‰ | ↑ +0.72 ‰ pts, worse |",
        "| Share | 70% | 29% | ↑ +42 pp, better |",
    ] {
        assert!(en.contains(phrase), "{phrase:?} not in\n{en}");
    }
    // The first year has no previous one: "—", and the table keeps one column.
    let first = p.read("output/2020/report.en.md");
    assert!(first.contains("Last year —, change —."), "{first}");
    assert!(first.contains("| Indicator | Value |"), "{first}");
}

/// Found by an audit: from -10 to 10 read 增加20人，增长200.0% (against the
/// base's absolute value). A relative change of a negative amount says nothing.
#[test]
fn a_count_from_a_negative_base_has_no_relative_change() {
    let p = Project::from_fixture("compare");
    p.replace("data/2020/figures.toml", "people = 151069", "people = -10");
    p.replace("data/2021/figures.toml", "people = 151837", "people = 10");
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    let zh = p.read("output/2021/report.zh.md");
    assert!(zh.contains("人口比上年增加20人"), "{zh}");
    assert!(!zh.contains("增加20人，增长"), "{zh}");
    let en = p.read("output/2021/report.en.md");
    assert!(en.contains("people up 20"), "{en}");
    assert!(!en.contains("up 20 ("), "{en}");
    let (code, out, err) = run(&mut p.cmd(&["diff", "2020", "2021", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let people = v["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "people")
        .unwrap();
    assert_eq!(people["change"]["value"], "20", "{people}");
    assert!(people["change"]["relative_percent"].is_null(), "{people}");
}

/// Audit: `better` was to drive arrows and colours, but only `diff` had them. The
/// change column has the arrow and, by `better`, the verdict in words; the page
/// colours the verdict's cell; the Word table is the same text.
#[test]
fn the_change_column_has_arrows_and_a_verdict_the_page_colours() {
    let p = Project::from_fixture("compare");
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    let zh = p.read("output/2021/report.zh.md");
    for row in [
        // higher is better, up: better; lower is better, up: worse.
        "| 占比 | 70% | 29% | ↑ +42个百分点，向好 |",
        "| 千分率 | 8.79‰ | 8.07‰ | ↑ +0.72个千分点，变差 |",
        // lower is better, down: better; no `better`: an arrow alone.
        "| 出生 | 1280人 | 1335人 | ↓ -55人（-4.1%），向好 |",
        "| 人口 | 151837人 | 151069人 | ↑ +768人（+0.5%） |",
        // Unchanged at the shown decimals; undefined last year.
        "| 不变 | 5 | 5 | → 0（0.0%） |",
        "| 未定 | 17.5 | — | — |",
    ] {
        assert!(zh.contains(row), "{row:?} not in\n{zh}");
    }
    let en = p.read("output/2021/report.en.md");
    assert!(
        en.contains("| Births | 1,280 births | 1,335 births | ↓ -55 births (-4.1%), better |"),
        "{en}"
    );
    let html = p.read("output/2021/report.html");
    for cell in [
        "<span class=\"good\">↑ +42个百分点，向好</span>",
        "<span class=\"bad\">↑ +0.72个千分点，变差</span>",
        "<span class=\"good\">↓ -55 births (-4.1%), better</span>",
        "<span class=\"bad\">↑ +0.72 ‰ pts, worse</span>",
        ">↑ +768人（+0.5%）</td>",
        ">→ 0（0.0%）</td>",
    ] {
        assert!(html.contains(cell), "{cell:?} not in the page");
    }
    assert!(
        html.contains(".good { color: var(--good); }"),
        "the page's style"
    );
    let docx = std::fs::read(p.path().join("output/2021/report.zh.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(
        xml.contains("↑ ") && xml.contains("个千分点，变差"),
        "{xml}"
    );
}

/// A count's change has both parts even when the relative one rounds to 0.0 %,
/// as `diff` and the workbook give it (the report gave the difference alone:
/// found by an audit against "counts get both the difference and the relative
/// change" and "diff and the report … always agree").
#[test]
fn a_relative_change_that_rounds_to_zero_is_still_said() {
    let p = Project::from_fixture("compare");
    p.replace(
        "data/2021/figures.toml",
        "people = 151837",
        "people = 151079",
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    let zh = p.read("output/2021/report.zh.md");
    assert!(zh.contains("人口比上年增加10人，增长0.0%"), "{zh}");
    let en = p.read("output/2021/report.en.md");
    assert!(en.contains("people up 10 (0.0%)"), "{en}");
    let (code, out, err) = run(&mut p.cmd(&["diff", "2020", "2021", "--lang", "zh"]));
    assert_eq!(code, 0, "{err}");
    // Written as the report's 增减 column writes it.
    assert!(out.contains("↑ +10人（0.0%）"), "{out}");
    assert!(
        zh.contains("| 人口 | 151079人 | 151069人 | ↑ +10人（0.0%） |"),
        "{zh}"
    );
}

/// PRODUCT.md: "where … either value is undefined, both read —". A value
/// undefined this year (a division by zero) showed last year's value beside it,
/// inviting a comparison the report cannot make (found by an audit).
#[test]
fn last_years_value_is_not_shown_beside_an_undefined_one() {
    let p = Project::from_fixture("compare");
    p.replace("data/2021/figures.toml", "zero = 4", "zero = 0");
    p.replace("data/2020/figures.toml", "zero = 0", "zero = 4");
    let (code, out, err) = run(&mut p.cmd(&["vars", "--year", "2021", "--lang", "zh"]));
    assert_eq!(code, 0, "{err}");
    let ctx: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(ctx["m"]["undef"], "—");
    assert_eq!(ctx["prev"]["undef"], "—");
    assert_eq!(ctx["chg"]["undef"], "—");
    assert_eq!(ctx["metric"]["undef"]["previous"], "—");
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    let zh = p.read("output/2021/report.zh.md");
    assert!(zh.contains("| 未定 | — | — | — |"), "{zh}");
}

#[test]
fn vars_shows_the_comparison_and_diff_agrees_with_the_report() {
    let p = Project::from_fixture("compare");
    let (code, out, err) = run(&mut p.cmd(&["vars", "--year", "2021", "--lang", "zh"]));
    assert_eq!(code, 0, "{err}");
    let ctx: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(ctx["prev_year"], 2020);
    let share = &ctx["metric"]["share"];
    assert_eq!(share["previous"], "29%");
    assert_eq!(share["change"], "+42个百分点");
    assert_eq!(share["change_text"], "提高42个百分点");
    assert_eq!(share["direction"], "up");
    assert_eq!(share["improved"], true);
    assert_eq!(
        ctx["metric"]["births"]["improved"], true,
        "fewer births, better = lower"
    );
    assert_eq!(ctx["metric"]["flat"]["direction"], "same");
    assert!(ctx["metric"]["flat"]["improved"].is_null());
    assert!(ctx["metric"]["undef"]["direction"].is_null());
    assert_eq!(ctx["prev"]["people"], "151069人");
    assert_eq!(ctx["chg"]["ratio"], "下降1.79");
    // One computation: the diff gives the same rounded changes.
    let (code, out, err) = run(&mut p.cmd(&["diff", "2020", "2021", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let diff: serde_json::Value = serde_json::from_str(&out).unwrap();
    let change = |name: &str| {
        diff["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .map(|m| m["change"]["value"].clone())
            .unwrap()
    };
    assert_eq!(change("share"), "42");
    assert_eq!(change("perm"), "0.72");
    assert_eq!(change("people"), "768");
    assert_eq!(change("ratio"), "-1.79");
    assert!(change("undef").is_null());
}

/// The example with the 2006 policy compliance target failed: 73 births outside the
/// policy of 1335 is 94.53 %, under the target of 95 %.
fn example_with_a_failed_target() -> Project {
    let p = Project::example();
    let figures = "data/2006/figures.toml";
    p.replace(
        figures,
        "[births.outside_policy]\nfirst = 18\nsecond = 25",
        "[births.outside_policy]\nfirst = 30\nsecond = 37",
    );
    p
}

#[test]
fn the_opening_says_a_target_was_missed_when_one_was() {
    let p = Project::example();
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2006"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        p.read("output/2006/report.zh.md")
            .contains("全面完成了市里下达的各项人口与计划生育目标任务")
    );
    assert!(
        p.read("output/2006/report.en.md")
            .contains("met every population and family-planning target")
    );

    let p = example_with_a_failed_target();
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2006"]));
    assert_eq!(code, 0, "{err}");
    let zh = p.read("output/2006/report.zh.md");
    assert!(
        zh.contains("| 政策符合率 | 不低于95% | 94.53% | ✗ 未完成 |"),
        "{zh}"
    );
    assert!(!zh.contains("全面完成"), "{zh}");
    assert!(zh.contains("除政策符合率一项外"), "{zh}");
    let en = p.read("output/2006/report.en.md");
    assert!(!en.contains("met every"), "{en}");
    assert!(en.contains("except for the policy compliance rate"), "{en}");
    let (_, out, _) = run(&mut p.cmd(&["vars", "--year", "2006", "--lang", "en"]));
    let ctx: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(ctx["targets_all_met"], false);
    assert_eq!(ctx["targets_unmet"][0]["name"], "policy_compliance_rate");
}

#[test]
fn no_targets_is_not_all_targets_met() {
    let p = Project::from_fixture("compare");
    let (_, out, _) = run(&mut p.cmd(&["vars", "--year", "2021"]));
    let ctx: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(ctx["targets_all_met"], false);
    assert_eq!(ctx["targets_unmet"], serde_json::json!([]));
}

#[test]
fn an_undefined_name_through_a_filter_is_a_located_error() {
    let p = Project::example();
    let partial = include_str!("../../templates/partials/indicators.md");
    p.write(
        "templates/partials/indicators.md",
        &partial.replace("{{ m.display | cell }}", "{{ m.displya | cell }}"),
    );
    let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2006", "--strict"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: template error: `m.displya` is not defined"),
        "{err}"
    );
    assert!(
        err.contains("--> templates/partials/indicators.md:"),
        "{err}"
    );
    assert!(err.contains("did you mean `m.display`?"), "{err}");
    let (code, _, _) = run(&mut p.cmd(&["build", "--year", "2006"]));
    assert_eq!(code, 1);

    // In a narrative text, and through Tera's own `str` and `safe`.
    let p = Project::example();
    p.replace(
        "data/2006/summary.toml",
        "人口出生率{{ m.birth_rate }}，政策符合率",
        "人口出生率{{ m.birth_rat | cell }}，政策符合率",
    );
    let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2006"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`m.birth_rat` is not defined"), "{err}");
    assert!(err.contains("--> data/2006/summary.toml:27:9"), "{err}");
    assert!(err.contains("did you mean `m.birth_rate`?"), "{err}");
    for filter in ["str", "safe", "upper"] {
        let p = Project::example();
        p.replace(
            "data/2006/summary.toml",
            "人口出生率{{ m.birth_rate }}，政策符合率",
            &format!("人口出生率{{{{ nosuch | {filter} }}}}，政策符合率"),
        );
        let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2006"]));
        assert_eq!(code, 1, "{filter}: {err}");
        assert!(err.contains("`nosuch` is not defined"), "{filter}: {err}");
    }
}

#[test]
fn placeholders_of_new_year_cannot_reach_a_final_report() {
    let p = Project::example();
    let (code, _, err) = run(&mut p.cmd(&["new-year", "2008"]));
    assert_eq!(code, 0, "{err}");
    // As a draft, placeholders are fine.
    let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2008"]));
    assert_eq!(code, 0, "{err}");
    let figures = "data/2008/figures.toml";
    let text = p.read(figures);
    p.write(
        figures,
        &text.replace("status = \"draft\"", "status = \"final\""),
    );
    let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2008"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("the figure `population.total` is still the placeholder `new-year` made from 2007, but the status of 2008 is final"),
        "{err}"
    );
    assert!(err.contains("--> data/2008/figures.toml:"), "{err}");
    let count = err.matches("is still the placeholder").count();
    // A value changed by hand is no longer a placeholder, whatever its comment says.
    let text = p.read(figures);
    let edited = text.replacen("total = 152604", "total = 153000", 1);
    assert_ne!(edited, text);
    p.write(figures, &edited);
    let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2008"]));
    assert_eq!(code, 1);
    assert!(!err.contains("`population.total` is still"), "{err}");
    assert_eq!(err.matches("is still the placeholder").count(), count - 1);
    let (code, _, _) = run(&mut p.cmd(&["build", "--year", "2008"]));
    assert_eq!(code, 1, "a final year with placeholders does not build");
}

/// Found by an audit: a placeholder was one still equal to last year's value, so
/// revising last year's 快报 figure (the yearbook's) made the untouched copy in
/// the new year look typed in, and a final report published it.
#[test]
fn a_placeholder_stays_one_when_last_years_figure_is_revised() {
    let p = Project::example();
    let (code, _, err) = run(&mut p.cmd(&["new-year", "2008"]));
    assert_eq!(code, 0, "{err}");
    let figures = "data/2008/figures.toml";
    let text = p.read(figures);
    assert!(
        text.contains("total = 152604    # placeholder: 152604, the 2007 value"),
        "{text}"
    );
    p.write(
        figures,
        &text.replace("status = \"draft\"", "status = \"final\""),
    );
    p.replace("data/2007/figures.toml", "total = 152604", "total = 152611");
    let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2008"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("the figure `population.total` is still the placeholder"),
        "{err}"
    );
    // A mark that records no value (as earlier versions wrote it) is compared
    // with last year's figure as it is now.
    let text = p.read(figures);
    p.write(
        figures,
        &text.replace(
            "# placeholder: 152604, the 2007 value",
            "# placeholder: the 2007 value",
        ),
    );
    let (_, _, err) = run(&mut p.cmd(&["check", "--year", "2008"]));
    assert!(
        !err.contains("the figure `population.total` is still the placeholder"),
        "{err}"
    );
    p.replace("data/2007/figures.toml", "total = 152611", "total = 152604");
    let (_, _, err) = run(&mut p.cmd(&["check", "--year", "2008"]));
    assert!(
        err.contains("the figure `population.total` is still the placeholder"),
        "{err}"
    );
}

#[test]
fn a_period_of_another_year_is_a_warning() {
    let p = Project::from_fixture("compare");
    p.replace(
        "data/2021/figures.toml",
        "start = 2021-01-01\nend = 2021-12-31",
        "start = 2020-01-01\nend = 2020-12-31",
    );
    let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: the period 2020-01-01 to 2020-12-31 does not overlap the year 2021 of its folder"),
        "{err}"
    );
    assert!(err.contains("--> data/2021/figures.toml:1:1"), "{err}");
}

#[test]
fn charts_have_a_value_axis_small_parts_and_no_doubled_unit() {
    let p = Project::example();
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2007"]));
    assert_eq!(code, 0, "{err}");
    let births = p.read("output/2007/chart-births.en.svg");
    // The title does not repeat the unit; the unit labels the value axis.
    assert!(!births.contains("Births (births)"), "{births}");
    assert!(births.contains(">\nbirths\n</text>"), "{births}");
    // The value axis has labels, from zero.
    for tick in [">\n0\n</text>", ">\n500\n</text>", ">\n1,000\n</text>"] {
        assert!(births.contains(tick), "{tick} not in {births}");
    }
    // The 4 higher-order births of 2007 are drawn and labelled.
    assert!(births.contains(">\n4\n</text>"), "{births}");
    // Rates far from zero say that their axis does not start there.
    let rate = p.read("output/2007/chart-birth_rate.zh.svg");
    assert!(rate.contains(">\n‰\n</text>"), "{rate}");
    assert!(
        rate.contains("<polyline") || rate.contains("<path"),
        "{rate}"
    );
    // Readable on a 390-pixel phone, where a chart is drawn about 325 pixels wide: 520
    // wide with no text under 17.6 pixels (11 on the phone), and no indent on charts.
    assert!(births.contains("width=\"520\""), "{births}");
    let sizes: Vec<f64> = births
        .split("font-size=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect();
    assert!(!sizes.is_empty());
    assert!(sizes.iter().all(|s| s * 325.0 / 520.0 >= 11.0), "{sizes:?}");
    let html = p.read("output/2007/report.html");
    assert!(
        html.contains(".edition p > svg { display: block; max-width: 100%;"),
        "{html}"
    );
}

#[test]
fn a_chart_value_too_large_to_place_is_an_error_not_a_hang() {
    let p = Project::from_fixture("compare");
    p.replace(
        "data/metrics.toml",
        "decimals = 0\nbetter = \"higher\"",
        "decimals = 0\nbetter = \"higher\"\nchart = true",
    );
    p.replace("data/2021/figures.toml", "part = 70", "part = 1.3e308");
    let (code, _, err) = run(nianbao().arg("--root").arg(p.path()).args(["check"]));
    // 1.3e308 / 100 * 100 is still finite: the chart draws.
    assert_eq!(code, 0, "{err}");
    p.replace("data/2021/figures.toml", "part = 1.3e308", "part = 1e400");
    let (code, _, err) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("the chart of `share` cannot be drawn"),
        "{err}"
    );
    assert!(err.contains("--> data/metrics.toml:5:10"), "{err}");
}

/// PRODUCT.md: a report compares with last year "when data/<Y-1> exists and
/// computes". Last year failing a rule was compared with all the same, and last
/// year missing a figure dropped every comparison without a word (found by an
/// audit): now neither is compared with, charted, or passed over in silence.
#[test]
fn a_last_year_with_data_errors_is_not_compared_with_and_the_report_says_why() {
    let p = Project::from_fixture("compare");
    p.replace("data/2020/figures.toml", "part = ", "prat = ");
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: data/2020/figures.toml: 2021 is not compared with 2020: the data of 2020 has errors"),
        "{err}"
    );
    let en = p.read("output/2021/report.en.md");
    assert!(en.contains("| Indicator | Value |"), "{en}");
    // A rule that fails in 2020, its figures otherwise whole.
    let p = Project::from_fixture("compare");
    p.write(
        "data/metrics.toml",
        &format!("{}\n[[checks]]\nrule = \"c.part < 55\"\nzh = \"部分应小于55\"\nen = \"Part under 55\"\n", p.read("data/metrics.toml")),
    );
    p.replace("data/2021/figures.toml", "part = 70", "part = 50");
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("2021 is not compared with 2020"), "{err}");
    let zh = p.read("output/2021/report.zh.md");
    assert!(zh.contains("人口比上年—；"), "{zh}");
    assert!(!zh.contains("| 上年 |"), "{zh}");
}

/// Found by an audit: a final year compared itself with a draft year whose
/// figures were still `new-year`'s copies (比上年提高2.00个百分点, and the 上年
/// column showing the year before the draft), with no word in any output.
#[test]
fn a_report_that_is_not_a_draft_is_not_compared_with_a_draft() {
    let p = Project::from_fixture("compare");
    p.replace(
        "data/2020/figures.toml",
        "[period]",
        "[source]\nstatus = \"draft\"\n\n[period]",
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "warning: data/2020/figures.toml: 2021 is not compared with 2020: 2020 is a draft"
        ),
        "{err}"
    );
    let zh = p.read("output/2021/report.zh.md");
    assert!(zh.contains("人口比上年—；"), "{zh}");
    assert!(!zh.contains("| 上年 |"), "{zh}");
    // Nor the workbook's last-year column.
    use calamine::Reader as _;
    let bytes = std::fs::read(p.path().join("output/2021/metrics.xlsx")).unwrap();
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    assert!(
        !sheet
            .rows()
            .flatten()
            .any(|c| *c == calamine::Data::Float(151069.0)),
        "{sheet:?}"
    );
    // A draft may be compared with a draft.
    p.replace(
        "data/2021/figures.toml",
        "[period]",
        "[source]\nstatus = \"draft\"\n\n[period]",
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("is not compared"), "{err}");
    assert!(p.read("output/2021/report.zh.md").contains("| 上年 |"));
}

/// Found by an audit: a `base.md` without the banner built a preliminary year's
/// report with no word of 快报 in its Markdown, HTML or Word document.
#[test]
fn a_report_that_is_not_final_must_show_its_banner() {
    let p = Project::from_fixture("minimal");
    p.replace(
        "data/2020/figures.toml",
        "[period]",
        "[source]\nstatus = \"preliminary\"\n\n[period]",
    );
    let base =
        std::fs::read_to_string(crate::support::repo_root().join("templates/base.md")).unwrap();
    let without = base.replace("> **{{ banner_title }}** {{ banner }}", "");
    assert_ne!(without, base);
    p.write("templates/base.md", &without);
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: templates/base.md: the zh report of 2020 shows no “快报” banner, but its status is preliminary"),
        "{err}"
    );
    assert!(
        err.contains("the en report of 2020 shows no “Preliminary” banner"),
        "{err}"
    );
    // Final: no banner is needed.
    p.replace(
        "data/2020/figures.toml",
        "status = \"preliminary\"",
        "status = \"final\"",
    );
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{err}");
}

/// Audit: `is_rate` followed the unit while the change followed `kind`: a
/// `kind = "rate"` without a unit read is_rate=false though its change is in
/// 个百分点, and a `kind = "ratio"` in `%` read is_rate=true though its change
/// is `-2.1%`. `is_rate` now says whether the change is in points.
#[test]
fn is_rate_says_whether_the_change_is_in_points() {
    let p = Project::from_fixture("compare");
    p.write(
        "data/metrics.toml",
        &format!(
            "{}\n[metrics.bare_rate]\nzh = \"甲\"\nen = \"A\"\nformula = \"c.part / c.whole * 100\"\nkind = \"rate\"\ndecimals = 0\n\n[metrics.pct_ratio]\nzh = \"乙\"\nen = \"B\"\nformula = \"c.part / c.whole * 100\"\nunit = \"%\"\nkind = \"ratio\"\ndecimals = 0\n",
            p.read("data/metrics.toml")
        ),
    );
    let (code, out, err) = run(&mut p.cmd(&["vars", "--year", "2021", "--lang", "zh"]));
    assert_eq!(code, 0, "{err}");
    let ctx: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (rate, ratio) = (&ctx["metric"]["bare_rate"], &ctx["metric"]["pct_ratio"]);
    assert_eq!(rate["is_rate"], true, "{rate}");
    assert!(
        rate["change"].as_str().unwrap().ends_with("个百分点"),
        "{rate}"
    );
    // Stop-21 audit: `提高4.0%` for a ratio in % read as a relative rise; a
    // difference of two percentages is in points, whatever the kind.
    assert_eq!(ratio["is_rate"], true, "{ratio}");
    assert!(
        ratio["change"].as_str().unwrap().ends_with("个百分点"),
        "{ratio}"
    );
    assert_eq!(ctx["metric"]["share"]["is_rate"], true);
    assert_eq!(ctx["metric"]["people"]["is_rate"], false);
}

/// Found by an audit: the 2006 plan set `sex_ratio_at_birth` at most 110; a
/// 2007 targets.toml raised it (or dropped it) without a word, and the report
/// then said the targets were met.
#[test]
fn a_target_easier_than_the_plans_or_dropped_is_a_warning() {
    let p = Project::example();
    p.replace("data/2007/targets.toml", "max = 110", "max = 112");
    p.replace("data/2007/targets.toml", "[birth_rate]\nmax = 9.5\n", "");
    let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2007"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: the target for `sex_ratio_at_birth` is easier than the 2006 plan set: at most 112 against at most 110"),
        "{err}"
    );
    assert!(err.contains("--> data/2007/targets.toml:"), "{err}");
    assert!(
        err.contains("the plan's is [targets.sex_ratio_at_birth] of data/2006/plan.toml"),
        "{err}"
    );
    assert!(
        err.contains(
            "warning: the 2006 plan set a target for `birth_rate` (at most 9.5), but 2007 has none"
        ),
        "{err}"
    );
    // Stricter than planned is fine.
    p.replace("data/2007/targets.toml", "max = 112", "max = 108");
    p.replace(
        "data/2006/plan.toml",
        "[targets.birth_rate]\nmax = 9.5\n",
        "",
    );
    let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2007"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 errors, 0 warnings"), "{err}");
}

/// Found by an audit: a target with min == max read 70%至70% / 70% to 70%.
#[test]
fn a_target_of_one_value_reads_exactly() {
    let p = Project::from_fixture("compare");
    p.write("data/2021/targets.toml", "[share]\nmin = 70\nmax = 70\n");
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    let zh = p.read("output/2021/report.zh.md");
    assert!(zh.contains("| 占比 | 等于70% | 70% |"), "{zh}");
    let en = p.read("output/2021/report.en.md");
    assert!(en.contains("| Share | exactly 70% | 70% |"), "{en}");
}

/// Stop-21 audit: a `kind = "rate"` per 10,000 changed "1.25个百分点" in every
/// output (the report's sentences and table, the workbook, `diff`): a false
/// statement of the unit. Its change is in its own unit.
#[test]
fn a_rate_in_another_unit_changes_in_that_unit_not_in_percentage_points() {
    let p = Project::from_fixture("compare");
    p.write(
        "data/metrics.toml",
        &format!(
            "{}\n[metrics.per_10k]\nzh = \"万人率\"\nen = \"Per 10k\"\nformula = \"c.part / c.whole * 10000\"\nunit = {{ zh = \"人/万人\", en = \"per 10,000\" }}\nkind = \"rate\"\ndecimals = 1\n",
            p.read("data/metrics.toml")
        ),
    );
    let (code, out, err) = run(&mut p.cmd(&["vars", "--year", "2021", "--lang", "zh"]));
    assert_eq!(code, 0, "{err}");
    let ctx: serde_json::Value = serde_json::from_str(&out).unwrap();
    let m = &ctx["metric"]["per_10k"];
    assert_eq!(m["is_rate"], false, "{m}");
    let change = m["change"].as_str().unwrap();
    assert!(change.ends_with("人/万人"), "{m}");
    assert!(
        m["change_text"].as_str().unwrap().ends_with("人/万人"),
        "{m}"
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    for file in ["report.zh.md", "report.en.md"] {
        let report = p.read(&format!("output/2021/{file}"));
        let row = report
            .lines()
            .find(|l| l.contains("万人率") || l.contains("Per 10k"))
            .unwrap_or_else(|| panic!("no row in {file}:\n{report}"));
        assert!(!row.contains("百分点") && !row.contains("pp"), "{row}");
    }
    let (code, out, err) = run(&mut p.cmd(&["diff", "2020", "2021", "--format", "md"]));
    assert_eq!(code, 0, "{err}");
    let row = out
        .lines()
        .find(|l| l.contains("Per 10k") || l.contains("万人率"));
    assert!(
        row.is_some_and(|r| !r.contains(" pp") && !r.contains("百分点")),
        "{out}"
    );
}

/// Found by an audit: a half-year 2020 (July to December) was set against a whole
/// 2021, and the report said the counts rose by about half as much again, with no
/// word: periods of different lengths are not compared.
#[test]
fn a_last_year_of_another_period_length_is_not_compared_with() {
    let p = Project::from_fixture("compare");
    p.replace(
        "data/2020/figures.toml",
        "start = 2020-01-01",
        "start = 2020-07-01",
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("2021 is not compared with 2020: its period is 365 days long, 2020's 184"),
        "{err}"
    );
    let zh = p.read("output/2021/report.zh.md");
    assert!(!zh.contains("| 上年 |"), "{zh}");
}

/// A verdict is the exact value's, and a report that prints "29%" and "✓ met"
/// beside a maximum of 28.5% reads as wrong: a warning says so and which
/// decimals agree, in both directions. The verdict itself does not change.
#[test]
fn a_verdict_the_shown_value_contradicts_is_a_warning() {
    let p = Project::from_fixture("minimal");
    // 57 of 200 is 28.5 %, shown at 0 decimals as 29 %.
    p.write("data/2020/targets.toml", "[share]\nmin = 20\nmax = 28.5\n");
    let (code, _, err) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 0, "{err}");
    for want in [
        "warning: the target of `share` (20 to 28.5) is met in 2020 by its exact value 28.5, but the report shows 29",
        "--> data/2020/targets.toml:1:2",
        "help: at `decimals = 1` the metric shows 28.5",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        p.read("output/2020/report.zh.md")
            .contains("| 占比 | 20%至28.5% | 29% | ✓ 完成 |")
    );
    // Not met by 28.5 against at most 28, though 29 would not be either: no warning.
    p.write("data/2020/targets.toml", "[share]\nmax = 28\n");
    let (_, _, err) = run(&mut p.cmd(&["check"]));
    assert!(err.contains("0 errors, 0 warnings"), "{err}");
    // The other way: 28.4 is not at most 28, though 28 is.
    p.replace("data/2020/figures.toml", "part = 57", "part = 56.8");
    let (code, _, err) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("is not met in 2020 by its exact value 28.4, but the report shows 28"),
        "{err}"
    );
    // At the precision that agrees, nothing is said.
    p.replace(
        "data/metrics.toml",
        "unit = \"%\"\ndecimals = 0",
        "unit = \"%\"\ndecimals = 1",
    );
    let (_, _, err) = run(&mut p.cmd(&["check"]));
    assert!(err.contains("0 errors, 0 warnings"), "{err}");
}
