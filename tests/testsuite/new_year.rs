//! `nianbao new-year`: scaffolding a year from the one before, and refusing to
//! touch a year that exists.

use crate::support::{Project, run};

#[test]
fn new_year_scaffolds_a_draft_that_builds() {
    let p = Project::from_fixture("years");
    let (code, _, err) = run(&mut p.cmd(&["new-year", "2022"]));
    assert_eq!(code, 0, "{err}");
    let figures = p.read("data/2022/figures.toml");
    assert!(figures.contains("start = 2022-01-01"), "{figures}");
    assert!(figures.contains("end = 2022-12-31"), "{figures}");
    assert!(figures.contains("status = \"draft\""), "{figures}");
    assert!(
        figures.contains("part = 10016    # placeholder: 10016, the 2021 value"),
        "{figures}"
    );
    // Targets come from last year's plan, as written.
    let targets = p.read("data/2022/targets.toml");
    assert!(targets.contains("[rate]\nmin = 10.5\n"), "{targets}");
    assert!(targets.contains("[people]\nmax = 2200\n"), "{targets}");
    // One section per plan item, titles carried over.
    let summary = p.read("data/2022/summary.toml");
    assert!(
        summary.contains("title = { zh = \"甲\", en = \"Alpha\" }"),
        "{summary}"
    );
    assert!(
        summary.contains("title = { zh = \"乙\", en = \"Beta\" }"),
        "{summary}"
    );
    assert!(p.path().join("data/2022/plan.toml").is_file());

    // It builds, with the DRAFT banner and "(to be written)" for empty texts.
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2022"]));
    assert_eq!(code, 0, "{err}");
    let en = p.read("output/2022/report.en.md");
    assert!(en.contains("> **DRAFT**"), "{en}");
    // Plain text: a paragraph that is only emphasis fails markdownlint (MD036).
    assert!(en.contains("### 1. Alpha\n\n(to be written)\n"), "{en}");
    let zh = p.read("output/2022/report.zh.md");
    assert!(zh.contains("> **草稿**"), "{zh}");
    assert!(zh.contains("\n\n（待撰写）\n"), "{zh}");
    assert!(!zh.contains("*（待撰写）*") && !en.contains("*(to be written)*"));
    // The placeholders reproduce last year's values; the targets are judged.
    let json: serde_json::Value =
        serde_json::from_str(&p.read("output/2022/metrics.json")).unwrap();
    assert_eq!(json["status"], "draft");
    assert_eq!(json["metrics"]["rate"]["value"], "10.02");
    assert_eq!(json["metrics"]["rate"]["target"]["met"], false);
    assert_eq!(json["metrics"]["people"]["target"]["met"], true);

    // check warns about every unwritten text, and fails with --strict.
    let (code, _, err) = run(&mut p.cmd(&["check", "--year", "2022"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("the text of summary section 1 is not written yet"),
        "{err}"
    );
    assert!(
        err.contains("the guiding principle is not written yet"),
        "{err}"
    );
    let (code, _, _) = run(&mut p.cmd(&["check", "--year", "2022", "--strict"]));
    assert_eq!(code, 1);
}

#[test]
fn new_year_refuses_an_existing_year_and_writes_nothing() {
    let p = Project::from_fixture("years");
    let before = p.read("data/2021/figures.toml");
    let (code, _, err) = run(&mut p.cmd(&["new-year", "2021"]));
    assert_eq!(code, 2);
    assert!(err.contains("data/2021 already exists"), "{err}");
    assert_eq!(p.read("data/2021/figures.toml"), before);
    assert!(!p.path().join("data/2021/summary.toml.tmp").exists());
    let names: Vec<_> = std::fs::read_dir(p.path().join("data/2021"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
}

#[test]
fn new_year_needs_the_year_before() {
    let p = Project::from_fixture("years");
    let (code, _, err) = run(&mut p.cmd(&["new-year", "2030"]));
    assert_eq!(code, 2);
    assert!(err.contains("data/2029/figures.toml"), "{err}");
    assert!(err.contains("the years are 2020, 2021"), "{err}");
    assert!(!p.path().join("data/2030").exists());
}
