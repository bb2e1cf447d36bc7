//! `nianbao build` on small fixture projects.

use crate::support::{Project, run};

fn metric_value(json: &serde_json::Value, name: &str) -> serde_json::Value {
    json["metrics"][name]["value"].clone()
}

#[test]
fn a_minimal_project_builds_the_indicator_section_alone() {
    let p = Project::from_fixture("minimal");
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    for file in [
        "report.zh.md",
        "report.en.md",
        "report.html",
        "metrics.json",
        "metrics.csv",
    ] {
        assert!(
            p.path().join("output/2020").join(file).is_file(),
            "{file} missing"
        );
    }
    let zh = p.read("output/2020/report.zh.md");
    assert!(zh.contains("| 人数 | 200000人 |"), "{zh}");
    assert!(
        !zh.contains("工作总结\n"),
        "no summary section without summary.toml"
    );
    let en = p.read("output/2020/report.en.md");
    assert!(en.contains("| People | 200,000 persons |"), "{en}");
}

#[test]
fn rounding_is_half_away_from_zero_by_default() {
    let p = Project::from_fixture("minimal");
    assert_eq!(run(&mut p.cmd(&["build"])).0, 0);
    let json: serde_json::Value =
        serde_json::from_str(&p.read("output/2020/metrics.json")).unwrap();
    assert_eq!(metric_value(&json, "share"), "29");
    assert_eq!(metric_value(&json, "tie"), "-0.13");
    assert_eq!(metric_value(&json, "exact_half"), "1");
    assert_eq!(json["metrics"]["share"]["exact"], "28.5");
    assert_eq!(json["period"]["start"], "2020-01-01");
}

#[test]
fn half_even_rounding_on_request() {
    let p = Project::from_fixture("minimal");
    p.write(
        "nianbao.toml",
        "rounding = \"half-even\"\n[organisation]\nzh = \"测试机构\"\nen = \"Test Office\"\n",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&p.read("output/2020/metrics.json")).unwrap();
    assert_eq!(metric_value(&json, "share"), "28");
    assert_eq!(metric_value(&json, "tie"), "-0.12");
    assert_eq!(metric_value(&json, "exact_half"), "0");
}

#[test]
fn division_by_zero_is_undefined_and_the_build_succeeds() {
    let p = Project::from_fixture("minimal");
    p.replace("data/2020/figures.toml", "whole = 200", "whole = 0");
    p.replace(
        "data/metrics.toml",
        "rule = \"counts.part <= counts.whole\"",
        "rule = \"counts.part >= 0\"",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("`share` is undefined"), "{stderr}");
    assert!(stderr.contains("counts.whole"), "{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&p.read("output/2020/metrics.json")).unwrap();
    assert!(json["metrics"]["share"]["value"].is_null());
    assert!(json["metrics"]["share"]["exact"].is_null());
    assert!(p.read("output/2020/report.en.md").contains("| Share | — |"));
}

#[test]
fn a_failing_check_fails_the_build_and_writes_nothing() {
    let p = Project::from_fixture("minimal");
    p.replace("data/2020/figures.toml", "part = 57", "part = 570");
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("The part cannot exceed the whole"),
        "{stderr}"
    );
    assert!(
        stderr.contains("= 570"),
        "the values of both sides are shown: {stderr}"
    );
    assert!(!p.path().join("output").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let p = Project::from_fixture("minimal");
    assert_eq!(run(&mut p.cmd(&["build"])).0, 0);
    let before: Vec<Vec<u8>> = ["report.zh.md", "report.html", "metrics.json"]
        .iter()
        .map(|f| std::fs::read(p.path().join("output/2020").join(f)).unwrap())
        .collect();
    p.replace(
        "data/metrics.toml",
        "counts.part / counts.whole",
        "counts.part / counts.hole",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 1, "{stderr}");
    let after: Vec<Vec<u8>> = ["report.zh.md", "report.html", "metrics.json"]
        .iter()
        .map(|f| std::fs::read(p.path().join("output/2020").join(f)).unwrap())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn unknown_names_and_cycles_are_located_errors() {
    let p = Project::from_fixture("minimal");
    p.replace(
        "data/metrics.toml",
        "counts.part / counts.whole",
        "counts.prat / counts.whole",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown figure `counts.prat`"), "{stderr}");
    assert!(stderr.contains("did you mean `counts.part`?"), "{stderr}");
    assert!(
        stderr.contains("metrics.toml:4:"),
        "line and column: {stderr}"
    );

    let p = Project::from_fixture("minimal");
    p.replace(
        "data/metrics.toml",
        "formula = \"counts.whole * 1000\"",
        "formula = \"share * exact_half\"",
    );
    p.replace(
        "data/metrics.toml",
        "formula = \"1 / 7 * counts.three_and_a_half\"",
        "formula = \"people + 1\"",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("people → exact_half → people"), "{stderr}");
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let p = Project::example();
    let q = Project::example();
    assert_eq!(run(&mut p.cmd(&["build", "--all"])).0, 0);
    assert_eq!(run(&mut q.cmd(&["build", "--all"])).0, 0);
    for f in [
        "report.zh.md",
        "report.en.md",
        "report.html",
        "metrics.json",
        "metrics.csv",
    ] {
        assert_eq!(
            p.read(&format!("output/2006/{f}")),
            q.read(&format!("output/2006/{f}")),
            "{f}"
        );
    }
}

/// Audit: Tera's `group_by` gathers its groups in a randomly seeded hash map, so a
/// loop over them listed the groups in another order on each build.
#[test]
fn group_by_lists_groups_in_the_same_order_on_every_build() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        r#"opening = { zh = "{% for kind, ms in metrics | group_by(attribute='kind') %}{{ kind }}：{% for m in ms %}{{ m.name }}，{% endfor %}{% endfor %}{% for name, ms in metrics | group_by(attribute='name') %}{{ name }}；{% endfor %}", en = "Groups." }
"#,
    );
    let mut builds = Vec::new();
    for _ in 0..2 {
        let (code, _, err) = run(&mut p.cmd(&["build"]));
        assert_eq!(code, 0, "{err}");
        builds.push(p.read("output/2020/report.zh.md"));
    }
    assert_eq!(builds[0], builds[1]);
    // The groups in the order their keys first appear: the catalogue's.
    assert!(
        builds[0].contains(
            "rate：share，ratio：tie，count：people，exact_half，share；tie；people；exact_half；"
        ),
        "{}",
        builds[0]
    );
}

/// Tera's `__tera_context` (the whole context) is gathered in a hash map too: in a
/// text or a Markdown template it is refused, at its place, rather than listed in
/// another order on each build.
#[test]
fn the_context_dump_is_refused_where_it_is_written() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        "opening = { zh = \"{% for k, v in __tera_context %}{{ k }}{% endfor %}\", en = \"x\" }\n",
    );
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`__tera_context` is not defined"), "{err}");
    assert!(err.contains("data/2020/summary.toml:1:"), "{err}");
    assert!(err.contains("another order on each build"), "{err}");
    assert!(err.contains("nianbao vars"), "{err}");
}

/// Audit: docs/templates.md said `figures.<path>` was "for sorting or comparing",
/// but every figure was text and `{% if figures.counts.whole > 100 %}` failed with
/// "Cannot compare string with i64". A whole number is a number now; a decimal
/// stays its exact text.
#[test]
fn a_whole_figure_compares_as_a_number_and_a_decimal_stays_exact() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        r#"opening = { zh = "{% if figures.counts.whole > 100 %}多于一百{% endif %}{% if figures.counts.part < 100 %}，少于一百{% endif %}：{{ figures.counts.whole }}、{{ figures.counts.eighth }}、{{ figures.counts.three_and_a_half }}。", en = "x" }
"#,
    );
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{err}");
    let zh = p.read("output/2020/report.zh.md");
    assert!(zh.contains("多于一百，少于一百：200、0.125、3.5。"), "{zh}");
    let (code, out, err) = run(&mut p.cmd(&["vars", "--lang", "en"]));
    assert_eq!(code, 0, "{err}");
    let ctx: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(ctx["figures"]["counts"]["whole"], serde_json::json!(200));
    assert_eq!(
        ctx["figures"]["counts"]["eighth"],
        serde_json::json!("0.125")
    );
    assert_eq!(ctx["f"]["counts"]["whole"], serde_json::json!("200"));
}

#[test]
fn html_from_data_is_escaped() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        "opening = { zh = \"开头<script>alert(1)</script>\", en = \"Hi [x](javascript:alert(1)) <b>bold</b>\" }\n",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    let html = p.read("output/2020/report.html");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains("javascript:"));
    assert!(!html.contains("<b>"));
}

/// A narrative text is Markdown: its lists, tables and code keep their lines in
/// every output (they were joined into one line with the paragraphs' lines).
#[test]
fn markdown_lists_and_tables_in_a_text_stay_lists_and_tables() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        r#"
[[sections]]
title = { zh = "要点", en = "Points" }
text.zh = """
    做了三件事：

    - 第一件
    - 第二件，
      分两步
    - 第三件

    | 项目 | 数量 |
    | --- | ---: |
    | 甲 | 1 |
    """
text.en = """
Three things were done:

1. first
2. second,
   in two steps

| Item | Count |
| --- | ---: |
| A | 1 |
"""
"#,
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    let zh = p.read("output/2020/report.zh.md");
    assert!(
        zh.contains("做了三件事：\n\n- 第一件\n- 第二件，分两步\n- 第三件\n"),
        "{zh}"
    );
    assert!(
        zh.contains("| 项目 | 数量 |\n| --- | ---: |\n| 甲 | 1 |"),
        "{zh}"
    );
    let en = p.read("output/2020/report.en.md");
    assert!(en.contains("1. first\n2. second, in two steps\n"), "{en}");
    let html = p.read("output/2020/report.html");
    for item in [
        "<li>第一件</li>",
        "<li>第二件，分两步</li>",
        "<li>second, in two steps</li>",
    ] {
        assert!(html.contains(item), "{item} in {html}");
    }
    assert!(html.contains("<th>项目</th>"), "{html}");
    assert_eq!(html.matches("<td>甲</td>").count(), 1, "{html}");
}

/// A unit written once is both editions' unit: a Chinese one would follow every
/// English number of its metric, so it is a warning (a symbol such as ‰ is not).
#[test]
fn a_chinese_unit_for_both_editions_is_a_warning() {
    let p = Project::from_fixture("minimal");
    p.replace(
        "data/metrics.toml",
        "unit = { zh = \"人\", en = \"persons\" }",
        "unit = \"万人\"",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 0, "{stderr}");
    for want in [
        "warning: the `unit` of metric `people` is Chinese and the English edition would show it",
        "--> data/metrics.toml:18:8",
        "help: give each edition its own: unit = { zh = \"万人\", en = \"…\" }",
        "0 errors, 1 warning",
    ] {
        assert!(stderr.contains(want), "{want}: {stderr}");
    }
    // The fixture's other units (%, none) say nothing; nor does ‰ or ㎡.
    p.replace("data/metrics.toml", "unit = \"万人\"", "unit = \"‰㎡\"");
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");
}

/// A label or a name written in one language shows in the other edition marked
/// untranslated, in every output that shows it; a unit in one language stands in
/// for the other (a number without its unit reads as another quantity), with a
/// warning. Both showed as if translated, or the unit not at all.
#[test]
fn a_label_in_one_language_is_marked_untranslated_everywhere() {
    let p = Project::from_fixture("minimal");
    p.replace("data/metrics.toml", "en = \"People\"\n", "");
    p.replace(
        "data/metrics.toml",
        "unit = { zh = \"人\", en = \"persons\" }",
        "unit = { zh = \"人\" }",
    );
    p.replace("nianbao.toml", "en = \"Test Office\"", "");
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("the `unit` of metric `people` has no English text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the English edition shows \"人\""),
        "{stderr}"
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    let en = p.read("output/2020/report.en.md");
    assert!(en.contains("(untranslated) 人数"), "{en}");
    assert!(en.contains("(untranslated) 测试机构"), "{en}");
    assert!(!en.contains("| 人数"), "{en}");
    assert!(en.contains(" 人 |"), "the unit stands in: {en}");
    let zh = p.read("output/2020/report.zh.md");
    assert!(zh.contains("| 人数 |"), "{zh}");
    assert!(!zh.contains("未翻译"), "{zh}");
    let html = p.read("output/2020/report.html");
    assert!(html.contains("(untranslated) 人数"), "{html}");
}

#[test]
fn a_change_in_a_count_moves_every_dependent_number_in_both_languages() {
    let p = Project::example();
    p.replace("data/2006/figures.toml", "total = 151837", "total = 160000");
    let (code, _, stderr) = run(&mut p.cmd(&["build", "--year", "2006"]));
    assert_eq!(code, 0, "{stderr}");
    let zh = p.read("output/2006/report.zh.md");
    let en = p.read("output/2006/report.en.md");
    // 1335 / 160000 * 1000 = 8.34375 → 8.34
    assert!(zh.contains("期末全区总人口160000人"), "{zh}");
    assert!(zh.contains("人口出生率8.34‰"), "{zh}");
    assert!(en.contains("160,000 persons"), "{en}");
    assert!(en.contains("crude birth rate of 8.34‰"), "{en}");
}

#[test]
fn year_arguments_are_checked() {
    let p = Project::from_fixture("minimal");
    let (code, _, stderr) = run(&mut p.cmd(&["build", "--year", "1999"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("2020"),
        "lists the years there are: {stderr}"
    );
    let (code, _, _) = run(&mut p.cmd(&["build", "--year", "../x"]));
    assert_eq!(code, 2);
    let empty = Project::empty();
    let (code, _, stderr) = run(&mut empty.cmd(&["build"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("nianbao.toml"), "{stderr}");
}

#[test]
fn a_missing_english_text_shows_the_chinese_marked_untranslated() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        "opening = { zh = \"全年占比{{ m.share }}。\" }\n\n[[sections]]\ntitle = { zh = \"第一部分\", en = \"Part one\" }\ntext = { zh = \"正文\", en = \"Body with {{ n.people }} people\" }\n",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("has no English text"), "{stderr}");
    let en = p.read("output/2020/report.en.md");
    assert!(en.contains("*(untranslated)* 全年占比29%。"), "{en}");
    assert!(en.contains("### 1. Part one"), "{en}");
    assert!(en.contains("## II. Work in 2020"), "{en}");
    assert!(en.contains("Body with 200,000 people"), "{en}");
    let zh = p.read("output/2020/report.zh.md");
    assert!(zh.contains("全年占比29%。"), "{zh}");
    assert!(zh.contains("### （一）第一部分"), "{zh}");
    assert!(zh.contains("## 二、2020年工作总结"), "{zh}");
}

#[test]
fn building_the_latest_year_mentions_an_earlier_year_whose_data_changed() {
    let p = Project::example();
    assert_eq!(run(&mut p.cmd(&["build", "--all"])).0, 0);
    let (_, _, stderr) = run(&mut p.cmd(&["build"]));
    assert!(!stderr.contains("note:"), "nothing changed: {stderr}");
    // An edit to 2006 after its output was built: `build` (the latest year, 2007)
    // says that 2006 is out of date.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    let figures = std::fs::File::options()
        .append(true)
        .open(p.path().join("data/2006/figures.toml"))
        .unwrap();
    figures.set_modified(later).unwrap();
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("built 2007"), "{stderr}");
    assert!(
        stderr.contains("note: the output of 2006 is older than its data"),
        "{stderr}"
    );
    assert!(stderr.contains("nianbao build --all"), "{stderr}");
}

/// Found by an audit: a Chinese text standing in for a missing English one was
/// rendered with the English edition's numbers, "出生49 births": it is now
/// rendered in its own language's context, marked untranslated.
#[test]
fn an_untranslated_text_keeps_its_own_languages_numbers() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        "opening = { zh = \"人数{{ m.people }}，占比{{ m.share }}\" }\n",
    );
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{err}");
    let zh = p.read("output/2020/report.zh.md");
    let en = p.read("output/2020/report.en.md");
    let sentence = zh
        .lines()
        .find(|l| l.starts_with("人数"))
        .unwrap_or_else(|| panic!("{zh}"));
    assert!(
        en.contains(&format!("(untranslated)* {sentence}")),
        "{sentence:?} in\n{en}"
    );
    assert!(!en.contains("persons，"), "{en}");
}

/// Found by an audit: an organisation named by an empty string left " · 统计时段"
/// in the reports and an empty line in the 落款, though `check` said "(to be
/// written)" would show.
#[test]
fn an_organisation_without_a_name_shows_the_placeholder() {
    let p = Project::from_fixture("minimal");
    let toml = p.read("nianbao.toml");
    let blanked: String = toml
        .lines()
        .map(|l| {
            if l.starts_with("zh =") {
                "zh = \"\"".to_string()
            } else if l.starts_with("en =") {
                "en = \" \"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    p.write("nianbao.toml", &blanked);
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{err}");
    let zh = p.read("output/2020/report.zh.md");
    assert!(zh.contains("（待撰写） · "), "{zh}");
    let en = p.read("output/2020/report.en.md");
    assert!(en.contains("(to be written) · "), "{en}");
}

/// Found by an audit: numbers broke before their units (2134567.89万 / 元) and on
/// a phone the indicator table ran past its card.
#[test]
fn the_page_keeps_numbers_with_their_units_and_tables_inside_their_card() {
    let p = Project::from_fixture("minimal");
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    let html = p.read("output/2020/report.html");
    assert!(
        html.contains("<div class=\"table-wrap\">\n<table>"),
        "{html}"
    );
    assert!(html.contains(".table-wrap { overflow-x: auto;"));
    assert!(html.contains("td[style=\"text-align: right\"] { white-space: nowrap; }"));
}

/// Found by an audit: printing moved the whole indicator table to page 2 and
/// left two thirds of page 1 blank.
#[test]
fn printing_splits_a_long_table_after_its_first_rows() {
    let p = Project::from_fixture("minimal");
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    let html = p.read("output/2020/report.html");
    let print = &html[html.find("@media print").expect("print")..];
    let print = &print[..print.find("\n}").expect("end")];
    assert!(!print.contains("table, figure"), "{print}");
    assert!(
        print.contains("tr, figure, blockquote { break-inside: avoid; }"),
        "{print}"
    );
    assert!(print.contains("thead, tbody tr:nth-child(-n+2) { break-after: avoid; }"));
}

/// Found by an audit: opening the page at `#show-en` drew a red focus line
/// under the switch.
#[test]
fn opening_the_page_at_an_edition_draws_no_focus_line() {
    let p = Project::from_fixture("minimal");
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    let html = p.read("output/2020/report.html");
    assert!(html.contains(".switch-input:focus-visible:not(:target) ~ .switch"));
    assert!(!html.contains(".switch-input:focus-visible ~"));
}

/// Found by an audit: Chinese text standing in for a missing translation had
/// the English article's language.
#[test]
fn untranslated_text_in_the_page_has_its_own_language() {
    let p = Project::from_fixture("minimal");
    p.write("data/2020/summary.toml", "opening = { zh = \"开头。\" }\n");
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    let html = p.read("output/2020/report.html");
    let en = &html[html
        .find("<article class=\"edition edition-en\"")
        .expect("en")..];
    assert!(
        en.contains("<em>(untranslated)</em><span lang=\"zh-CN\"> 开头。</span>"),
        "{en}"
    );
}
