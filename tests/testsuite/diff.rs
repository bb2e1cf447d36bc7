//! `nianbao diff` on the `years` fixture, whose answers are worked out in its
//! data/metrics.toml: every format, point changes from exact values, exit codes.

use crate::support::{Project, run};

fn diff(p: &Project, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["diff", "2020", "2021"];
    all.extend_from_slice(args);
    run(&mut p.cmd(&all))
}

#[test]
fn rate_changes_are_points_from_the_exact_values() {
    let p = Project::from_fixture("years");
    let (code, out, err) = diff(&p, &[]);
    assert_eq!(code, 0, "{err}");
    // 10.004 % → 10.016 %: shown 10.00 and 10.02; the exact change 0.012 rounds
    // to 0.01. Subtracting the rounded values would say 0.02.
    let rate = out.lines().find(|l| l.contains("Rate ")).unwrap();
    assert!(rate.contains("10.00%") && rate.contains("10.02%"), "{rate}");
    assert!(rate.contains("↑ +0.01 pp, better"), "{rate}");
    assert!(!rate.contains("0.02 pp"), "{rate}");
    // 100.04 ‰ → 100.16 ‰: +0.1 per-mille points (not 0.2); lower is better here.
    let permille = out.lines().find(|l| l.contains("Per mille")).unwrap();
    assert!(permille.contains("↑ +0.1 ‰ pts, worse"), "{permille}");
    // Counts get the difference and the relative change.
    let people = out.lines().find(|l| l.contains("People ")).unwrap();
    assert!(people.contains("↑ +150 persons (+7.5%), worse"), "{people}");
    // Undefined in one year: "—", and the row is still there.
    let ratio = out.lines().find(|l| l.contains("Ratio")).unwrap();
    assert!(ratio.contains('—') && ratio.contains("2,504"), "{ratio}");
    // Piped and NO_COLOR: no escape codes.
    assert!(!out.contains('\u{1b}'), "{out}");
}

/// Audit: the diff worded a change unlike the report's 增减 / Change column
/// (`+0.54 per-mille points` beside `+0.54 ‰ pts`, `→ no change` beside
/// `→ 0.0 pp`, a count's relative change in the diff alone, the arrow last in
/// the text format). Every cell of the report's change column is, word for word,
/// the cell of that metric in every format of the diff, in both languages.
#[test]
fn the_diff_writes_each_change_as_the_report_does() {
    let p = Project::from_fixture("years");
    // A metric that does not move: its cell must agree too.
    p.write(
        "data/metrics.toml",
        &format!(
            "{}\n[metrics.still]\nzh = \"不变\"\nen = \"Still\"\nformula = \"counts.whole / counts.whole * 100\"\nunit = \"%\"\ndecimals = 1\n",
            p.read("data/metrics.toml")
        ),
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2021"]));
    assert_eq!(code, 0, "{err}");
    for lang in ["en", "zh"] {
        let report = p.read(&format!("output/2021/report.{lang}.md"));
        // The indicator table's rows: label | this year | last year | change.
        let cells: Vec<String> = report
            .lines()
            .filter(|l| l.starts_with("| ") && l.matches(" | ").count() == 3)
            .filter_map(|l| l.trim_end_matches(" |").rsplit(" | ").next())
            .map(|c| c.replace("\\|", "|"))
            .filter(|c| ["↑ ", "↓ ", "→ "].iter().any(|a| c.starts_with(a)))
            .collect();
        assert!(cells.len() >= 5, "{report}");
        assert!(cells.iter().any(|c| c.starts_with("→ ")), "{cells:?}");
        for format in ["text", "md", "html", "json"] {
            let (code, out, err) = diff(&p, &["--format", format, "--lang", lang]);
            assert_eq!(code, 0, "{err}");
            for cell in &cells {
                let cell = match format {
                    "html" => cell.replace('&', "&amp;"),
                    _ => cell.clone(),
                };
                assert!(
                    out.contains(&cell),
                    "{format} {lang}: `{cell}` not in\n{out}"
                );
            }
        }
    }
    // The count has both the difference and the relative change, in the report too.
    let zh = p.read("output/2021/report.zh.md");
    assert!(zh.contains("↑ +150人（+7.5%），变差"), "{zh}");
    let en = p.read("output/2021/report.en.md");
    assert!(en.contains("↑ +150 persons (+7.5%), worse"), "{en}");
    assert!(en.contains("→ 0.0 pp"), "{en}");
}

/// Audit: `diff --format json` said `"direction": "flat"` where the templates'
/// `metric.<name>.direction` says `same`.
#[test]
fn the_json_diff_says_same_as_the_templates_do() {
    let p = Project::from_fixture("years");
    p.write(
        "data/metrics.toml",
        &format!(
            "{}\n[metrics.still]\nzh = \"不变\"\nen = \"Still\"\nformula = \"counts.whole\"\ndecimals = 0\n",
            p.read("data/metrics.toml")
        ),
    );
    let (code, out, err) = diff(&p, &["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let still = doc["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "still")
        .unwrap();
    assert_eq!(still["change"]["direction"], "same", "{still}");
    assert!(!out.contains("\"flat\""), "{out}");
}

#[test]
fn chinese_says_points_in_words() {
    let p = Project::from_fixture("years");
    let (code, out, err) = diff(&p, &["--lang", "zh"]);
    assert_eq!(code, 0, "{err}");
    // As the report's 增减 column writes them.
    assert!(out.contains("↑ +0.01个百分点，向好"), "{out}");
    assert!(out.contains("↑ +0.1个千分点，变差"), "{out}");
    assert!(out.contains("↑ +150人（+7.5%），变差"), "{out}");
    assert!(out.contains("✗ 未完成"), "{out}");
    // The change column is headed as the report's is.
    assert!(out.contains("增减"), "{out}");
    assert!(!out.contains("变化"), "{out}");
    // Chinese is diffed by character.
    assert!(out.contains("[-加强-]{+深化+}宣传教育"), "{out}");
}

#[test]
fn text_lists_targets_figures_and_narrative() {
    let p = Project::from_fixture("years");
    let (_, out, _) = diff(&p, &[]);
    assert!(out.contains("at least 10%"), "{out}");
    assert!(out.contains("✓ met"), "{out}");
    assert!(out.contains("✗ not met"), "{out}");
    assert!(out.contains("counts.part   10,004 → 10,016"), "{out}");
    assert!(out.contains("gone.old      1 → —"), "{out}");
    assert!(out.contains("fresh.new     — → 2"), "{out}");
    // The narrative is compared as the report reads: numbers filled in.
    assert!(
        out.contains("we kept the [-birth-]{+death+} rate low, at [-10.00%-]{+10.02%"),
        "{out}"
    );
    assert!(out.contains("~ Alpha (reworded)"), "{out}");
    assert!(out.contains("+ Beta (added)"), "{out}");
    assert!(out.contains("- Gamma (removed)"), "{out}");
}

#[test]
fn markdown_has_tables_and_marked_words() {
    let p = Project::from_fixture("years");
    let (code, out, err) = diff(&p, &["--format", "md"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("# Changes from 2020 to 2021\n"), "{out}");
    assert!(
        out.contains("| Indicator | 2020 | 2021 | Change |\n| --- | ---: | ---: | ---: |"),
        "{out}"
    );
    assert!(
        out.contains("| Rate | 10.00% | 10.02% | ↑ +0.01 pp, better |"),
        "{out}"
    );
    assert!(out.contains("| Ratio | — | 2,504 | — |"), "{out}");
    assert!(out.contains("| `counts.part` | 10,004 | 10,016 |"), "{out}");
    assert!(
        out.contains("we kept the ~~birth~~**death** rate low"),
        "{out}"
    );
    // Raw HTML from data is escaped, not passed through.
    assert!(!out.contains("<script>"), "{out}");
    assert!(out.contains("\\<script\\>"), "{out}");
    // Clean Markdown: no empty cells, no trailing spaces, one final newline.
    assert!(!out.contains("|  |"), "{out}");
    assert!(out.lines().all(|l| l == l.trim_end()), "{out}");
    assert!(
        out.ends_with(".\n") || out.ends_with("**\n") || out.ends_with("~~\n"),
        "{out}"
    );
    assert!(!out.contains("\n\n\n"), "{out}");
}

#[test]
fn html_is_a_self_contained_page_with_charts() {
    let p = Project::from_fixture("years");
    let (code, out, err) = diff(&p, &["--format", "html", "--lang", "zh"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("<!DOCTYPE html>"), "{out}");
    assert!(out.contains("<html lang=\"zh-CN\">"), "{out}");
    assert!(out.contains("<style>"), "{out}");
    assert!(!out.contains("<script"), "{out}");
    assert!(!out.contains("<link"), "{out}");
    assert!(
        out.contains("<del>加强</del><ins>深化</ins>宣传教育"),
        "{out}"
    );
    assert!(out.contains("↑ +0.01个百分点，向好"), "{out}");
    // Charts over the compared years, inline, labelled in Chinese.
    assert!(
        out.contains("<svg role=\"img\" aria-label=\"比率（%），2020—2021年\""),
        "{out}"
    );
    assert!(out.contains("历年趋势"), "{out}");
    // Text from data is escaped.
    let (_, en, _) = diff(&p, &["--format", "html"]);
    assert!(en.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{en}");
    assert!(!en.contains("<script"), "{en}");
}

#[test]
fn json_carries_decimal_strings() {
    let p = Project::from_fixture("years");
    let (code, out, err) = diff(&p, &["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rate = doc["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "rate")
        .unwrap();
    assert_eq!(rate["from"]["value"], "10.00");
    assert_eq!(rate["to"]["value"], "10.02");
    assert_eq!(rate["change"]["value"], "0.01");
    assert_eq!(rate["change"]["exact"], "0.012");
    assert_eq!(rate["change"]["unit"], "percentage points");
    assert_eq!(rate["change"]["good"], true);
    let people = &doc["metrics"][2];
    assert_eq!(people["change"]["value"], "150");
    assert_eq!(people["change"]["relative_percent"], "7.5");
    let ratio = &doc["metrics"][3];
    assert!(ratio["from"]["value"].is_null() && ratio["change"].is_null());
    assert_eq!(doc["targets"][1]["met"], false);
    assert_eq!(doc["targets"][1]["max"], "2100");
    assert_eq!(doc["figures"][0]["path"], "counts.part");
    assert_eq!(doc["figures"][0]["to"], "10016");
    // No binary float anywhere.
    fn no_floats(v: &serde_json::Value) {
        match v {
            serde_json::Value::Number(n) => assert!(n.is_i64() || n.is_u64(), "float {n}"),
            serde_json::Value::Array(a) => a.iter().for_each(no_floats),
            serde_json::Value::Object(o) => o.values().for_each(no_floats),
            _ => {}
        }
    }
    no_floats(&doc);
}

#[test]
fn out_writes_the_file_and_nothing_to_stdout() {
    let p = Project::from_fixture("years");
    let target = p.path().join("d.md");
    let (code, out, _) = run(p
        .cmd(&["diff", "2020", "2021", "--format", "md", "--out"])
        .arg(&target));
    assert_eq!(code, 0);
    assert!(out.is_empty(), "{out}");
    assert!(p.read("d.md").starts_with("# Changes from 2020 to 2021"));
}

#[test]
fn a_missing_year_is_a_usage_error_naming_the_years() {
    let p = Project::from_fixture("years");
    let (code, out, err) = run(&mut p.cmd(&["diff", "2019", "2021"]));
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("no year 2019"), "{err}");
    assert!(err.contains("the years are 2020, 2021"), "{err}");
}

#[test]
fn identical_years_exit_zero() {
    let p = Project::from_fixture("years");
    let (code, out, err) = run(&mut p.cmd(&["diff", "2021", "2021"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("No changes."), "{out}");
    assert!(!err.contains("note:"), "{err}");
}

/// Years the other way round are a diff read backwards, allowed; the note says
/// so, since every change then has its sign turned round.
#[test]
fn years_the_other_way_round_are_noted() {
    let p = Project::from_fixture("years");
    let (code, backwards, err) = run(&mut p.cmd(&["diff", "2021", "2020"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("note: 2021 is after 2020: the changes read from 2021 back to 2020 (`nianbao diff 2020 2021` shows 2021's changes)"),
        "{err}"
    );
    let (_, forwards, err) = diff(&p, &[]);
    assert!(!err.contains("note:"), "{err}");
    assert_ne!(backwards, forwards);
    let (_, _, err) = run(&mut p.cmd(&["--quiet", "diff", "2021", "2020"]));
    assert!(err.is_empty(), "{err}");
}

#[test]
fn the_example_diff_shows_something_real() {
    let p = Project::example();
    let (code, out, err) = run(&mut p.cmd(&["diff", "2006", "2007"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Crude birth rate"), "{out}");
    assert!(out.contains("‰ pts"), "{out}");
    assert!(out.contains("✗ not met"), "{out}");
}

#[test]
fn the_example_compares_its_indicators_paragraph_with_numbers_filled_in() {
    let p = Project::example();
    let (code, out, err) = run(&mut p.cmd(&["diff", "2006", "2007", "--format", "md"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("### Indicators paragraph (reworded)"), "{out}");
    // The narrative is compared as the reports read it, not as template source.
    assert!(out.contains("152,604 persons"), "{out}");
    assert!(!out.contains("{{"), "{out}");
}

/// Audit: an undefined change rendered as " —" in the HTML diff, the space meant
/// to follow the arrow left in front of the dash.
#[test]
fn an_undefined_change_in_the_html_diff_has_no_leading_space() {
    let p = Project::from_fixture("compare");
    let (code, out, err) = diff(&p, &["--format", "html"]);
    assert_eq!(code, 0, "{err}");
    let row = out
        .lines()
        .find(|l| l.contains("<td>Undefined</td>"))
        .unwrap_or_else(|| panic!("no row of `undef` in\n{out}"));
    assert!(row.contains("<td class=\"num neutral\">—</td>"), "{row}");
    assert!(!row.contains("> —"), "{row}");
    // With a change, the arrow and one space before it.
    assert!(out.contains(">↑ +768 persons (+0.5%)</td>"), "{out}");
}

/// Found by an audit: no diff format said that 2007 is a draft, though its
/// figures may still change; every other output of the year says so.
#[test]
fn a_diff_title_says_which_year_is_not_final() {
    let p = Project::example();
    for (args, title) in [
        (
            &["diff", "2006", "2007"][..],
            "Changes from 2006 to 2007 (2007: DRAFT)",
        ),
        (
            &["diff", "2006", "2007", "--lang", "zh", "--format", "md"][..],
            "# 2006年与2007年对比（2007年为草稿）",
        ),
        (
            &["diff", "2006", "2007", "--format", "html"][..],
            "Changes from 2006 to 2007 (2007: DRAFT)",
        ),
    ] {
        let (code, out, err) = run(&mut p.cmd(args));
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(title), "{title:?} not in\n{out}");
    }
}

/// Found by an audit: an added paragraph was cut off after about 170
/// characters, before its sentence on the targets missed.
#[test]
fn an_added_text_is_shown_whole() {
    let p = Project::from_fixture("years");
    let long = "The centre extended its opening hours and trained every nurse in the new triage rules, \
        which took most of the spring; by the autumn the waiting times had fallen by a third, \
        and only the target for beds was missed.";
    let summary = p.read("data/2021/summary.toml");
    p.write(
        "data/2021/summary.toml",
        &format!("shortcomings = {{ zh = \"床位目标未完成。\", en = \"{long}\" }}\n{summary}"),
    );
    let (code, out, err) = diff(&p, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("only the target for beds was missed."),
        "{out}"
    );
}
