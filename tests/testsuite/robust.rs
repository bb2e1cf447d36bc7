//! Issue 11, "Never crash, never hang, never leave a mixed output": one regression
//! test (at least) per item, each failing on the code before the fix. A test of a
//! hang runs the binary through `run_bounded`, which kills it after a generous
//! minute and fails, rather than timing anything.

use crate::support::{Project, run_bounded};

/// `[metrics.NAME]` with the formula `terms` joined by `op`.
fn long_metric(name: &str, term: &str, op: &str, count: usize) -> String {
    let formula = vec![term; count].join(op);
    format!("\n[metrics.{name}]\nzh = \"长\"\nen = \"Long\"\nformula = \"{formula}\"\n")
}

fn append(p: &Project, rel: &str, text: &str) {
    let old = p.read(rel);
    p.write(rel, &format!("{old}{text}"));
}

/// Item 1: 7,000 terms overflowed the stack of every command (exit 134); a
/// 100,000-term sum now builds, with the exact value.
#[test]
fn issue11_a_long_flat_formula_does_not_overflow_the_stack() {
    let p = Project::from_fixture("minimal");
    append(&p, "data/metrics.toml", &long_metric("x", "1", "+", 7_000));
    let (code, _, stderr) = run_bounded(&mut p.spawnable(&["check"]));
    assert_eq!(code, 0, "{stderr}");

    let p = Project::from_fixture("minimal");
    append(
        &p,
        "data/metrics.toml",
        &long_metric("x", "counts.part", " + ", 100_000),
    );
    append(
        &p,
        "data/metrics.toml",
        &long_metric("y", "counts.whole", " * ", 30),
    );
    append(
        &p,
        "data/metrics.toml",
        &format!(
            "\n[[checks]]\nrule = \"{}\"\nzh = \"长\"\nen = \"long\"\n",
            vec!["counts.part < counts.whole"; 20_000].join(" and ")
        ),
    );
    let (code, _, stderr) = run_bounded(&mut p.spawnable(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&p.read("output/2020/metrics.json")).unwrap();
    assert_eq!(json["metrics"]["x"]["exact"], "5700000");
    assert_eq!(
        json["metrics"]["y"]["exact"],
        format!("1073741824{}", "0".repeat(60))
    );
}
