//! Tests of the batched run: what it lets go of, and that batches change nothing said.
use std::path::Path;
use std::sync::Mutex;

use super::{Depth, YearState, Years, run, run_inner};
use crate::diag::Severity;
use crate::output::OutputFile;

/// The `years` fixture, its 2020 copied to 2000…2019 as well.
fn history(dir: &Path) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/fixtures/years");
    let copy = |from: &Path, to: &Path, year: i32| {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let text = text.replace("2020-", &format!("{year}-"));
            std::fs::write(to.join(path.file_name().unwrap()), text).unwrap();
        }
    };
    std::fs::copy(fixture.join("nianbao.toml"), dir.join("nianbao.toml")).unwrap();
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::copy(
        fixture.join("data/metrics.toml"),
        dir.join("data/metrics.toml"),
    )
    .unwrap();
    copy(&fixture.join("data/2021"), &dir.join("data/2021"), 2021);
    for year in 2000..=2020 {
        copy(
            &fixture.join("data/2020"),
            &dir.join(format!("data/{year}")),
            year,
        );
    }
    // The targets each plan set for the year after, kept: a dropped one is a
    // warning, which would keep the plan's text to show.
    for year in 2001..=2021 {
        std::fs::write(
            dir.join(format!("data/{year}/targets.toml")),
            "[rate]\nmin = 10\n\n[people]\nmax = 2100\n",
        )
        .unwrap();
    }
}

/// `build`'s run of every year of `root`, `batch` years at a time: the run, and
/// each year's delivered files, in year order.
fn build_in_batches(root: &Path, batch: usize) -> (super::Run, Vec<(i32, Vec<OutputFile>)>) {
    let delivered = Mutex::new(Vec::new());
    let deliver = |year: i32, set: crate::output::OutputSet| {
        delivered.lock().unwrap().push((year, set.files));
    };
    let done = run_inner(
        root,
        &Years::All,
        Depth::Render,
        &|_| {},
        Some(&deliver),
        batch,
    )
    .unwrap();
    let mut delivered = delivered.into_inner().unwrap();
    delivered.sort_by_key(|(y, _)| *y);
    (done, delivered)
}

#[test]
fn a_build_in_batches_lets_go_of_each_narrative_it_has_written() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    // A warning in the first year's summary: its file must still be there to
    // show when the run ends.
    let summary = dir.path().join("data/2000/summary.toml");
    let text = std::fs::read_to_string(&summary).unwrap();
    std::fs::write(
        &summary,
        format!("shortcomings = {{ zh = \"只有中文\" }}\n{text}"),
    )
    .unwrap();
    let (done, delivered) = build_in_batches(dir.path(), 3);
    let delivered: Vec<i32> = delivered.iter().map(|(y, _)| *y).collect();
    assert_eq!(delivered, (2000..=2021).collect::<Vec<_>>());
    assert!(
        done.years
            .values()
            .all(|s| matches!(s, YearState::Delivered(_)))
    );
    assert!(!done.diags.has_errors(), "{:?}", done.diags);
    let warning = done
        .diags
        .items
        .iter()
        .find(|d| d.severity == Severity::Warning && d.message.contains("no English text"))
        .expect("the warning of 2000's summary");
    let file = warning.primary.as_ref().unwrap().0.file;
    assert_eq!(Some(file), done.sources.find("data/2000/summary.toml"));
    assert!(done.sources.get(file).text.contains("只有中文"));
    let rendered = crate::diag::render(warning, &done.sources, false);
    assert!(rendered.contains("只有中文"), "{rendered}");
    // Every other narrative was let go once its year was written…
    for year in 2001..=2021 {
        for name in ["summary", "plan"] {
            let id = done
                .sources
                .find(&format!("data/{year}/{name}.toml"))
                .unwrap();
            assert!(done.sources.get(id).text.is_empty(), "{year} {name}");
        }
    }
    // … and nothing of it is kept in the project either.
    let project = done.project.as_ref().unwrap();
    assert!(
        project
            .years
            .values()
            .all(|y| y.summary.is_none() && y.plan.is_none())
    );
}

#[test]
fn batches_find_what_one_run_finds() {
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    // Broken narratives in the first and in a late batch, a broken figure in
    // between: every one is reported, in year order, whatever the batches.
    let break_at = |rel: &str, from: &str, to: &str| {
        let path = dir.path().join(rel);
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replacen(from, to, 1);
        std::fs::write(&path, text).unwrap();
    };
    break_at("data/2001/summary.toml", "m.rate", "m.rat");
    break_at("data/2010/figures.toml", "total = 2000", "total = \"x\"");
    break_at("data/2019/plan.toml", "[", "[[[");
    let messages = |batch: usize| {
        let (done, _) = build_in_batches(dir.path(), batch);
        let broken: Vec<i32> = done
            .years
            .iter()
            .filter(|(_, s)| matches!(s, YearState::Broken))
            .map(|(y, _)| *y)
            .collect();
        let shown: Vec<String> = done
            .diags
            .items
            .iter()
            .map(|d| crate::diag::render(d, &done.sources, false))
            .collect();
        (broken, shown)
    };
    let (broken, shown) = messages(2);
    assert_eq!(broken, vec![2010, 2019], "{shown:#?}");
    assert!(
        shown
            .iter()
            .any(|m| m.contains("data/2001/summary.toml") && m.contains("m.rat")),
        "{shown:#?}"
    );
    assert!(
        shown.iter().any(|m| m.contains("data/2019/plan.toml")),
        "{shown:#?}"
    );
    assert_eq!((broken.clone(), shown.clone()), messages(usize::MAX));
    // `check` (one batch, nothing delivered) says the same.
    let checked = run(dir.path(), &Years::All, Depth::Render).unwrap();
    let said: Vec<String> = checked
        .diags
        .items
        .iter()
        .map(|d| crate::diag::render(d, &checked.sources, false))
        .collect();
    assert_eq!(said, shown);
}

#[test]
fn a_year_built_alone_is_the_year_built_with_the_others() {
    // Alone, a year spreads its editions and outputs over the cores; with the
    // others, each year has one thread. The bytes must not care.
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    let outputs = |years: &Years, year: i32| {
        let done = run(dir.path(), years, Depth::Render).unwrap();
        assert!(!done.diags.has_errors(), "{:?}", done.diags);
        done.report(year).expect("rendered").outputs.files.clone()
    };
    for year in [2000, 2020, 2021] {
        let alone = outputs(&Years::One(year), year);
        assert!(alone.len() > 5, "{} files", alone.len());
        assert_eq!(alone, outputs(&Years::All, year), "{year}");
    }
}

#[test]
fn a_build_in_batches_makes_the_bytes_of_one_batch() {
    // What a batch reads, releases and renders must change no byte of any year.
    let dir = tempfile::tempdir().unwrap();
    history(dir.path());
    let (done, delivered) = build_in_batches(dir.path(), 2);
    assert!(!done.diags.has_errors(), "{:?}", done.diags);
    assert_eq!(delivered.len(), 22);
    assert!(
        delivered[21].1.iter().any(|f| f.name.contains("chart")),
        "the fixture's years have charts"
    );
    let whole = run(dir.path(), &Years::All, Depth::Render).unwrap();
    for (year, files) in &delivered {
        let kept = &whole.report(*year).expect("rendered").outputs.files;
        assert_eq!(files, kept, "{year}");
    }
}
