//! Criterion benchmarks of the pipeline without process start-up: each stage on
//! its own (load, check, compute, render, output, write) for the example's 2006
//! report, then whole runs of the example year and of a synthetic 50-year project.
//!
//!     cargo bench --bench pipeline
//!     cargo bench --bench pipeline -- stage   # the stages only

#[path = "support/mod.rs"]
mod support;

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::compute::YearValues;
use nianbao::diag::Diagnostics;
use nianbao::load::{self, Wanted};
use nianbao::output::{self, YearInput};
use nianbao::pipeline::{self, Depth, Years};
use nianbao::render::{Renderer, RunView};
use nianbao::{check, compute, write};

const YEAR: i32 = 2006;

/// The example, loaded whole.
fn load_example(root: &Path) -> load::Loaded {
    load::load(root, |_| Wanted::all(root)).expect("the example loads")
}

fn stages(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut group = c.benchmark_group("stage (example 2006)");
    group.bench_function("load", |b| b.iter(|| load_example(root)));

    let loaded = load_example(root);
    let mut sources = loaded.sources;
    let project = loaded.project.expect("nianbao.toml reads");
    let data = &project.years[&YEAR];
    group.bench_function("check", |b| {
        b.iter(|| {
            let mut d = Diagnostics::default();
            let checked = check::check_catalogue(&project, &mut d);
            check::check_year(&project, data, &mut d);
            check::check_narrative(&project, data.summary.as_ref(), data.plan.as_ref(), &mut d);
            checked
        })
    });

    let order = check::check_catalogue(&project, &mut Diagnostics::default()).order;
    group.bench_function("compute", |b| {
        b.iter(|| compute::compute_year(&project, &order, data, &mut Diagnostics::default()))
    });

    let all: Vec<YearValues> = project
        .years
        .values()
        .map(|y| compute::compute_year(&project, &order, y, &mut Diagnostics::default()))
        .collect();
    let all_refs: Vec<&YearValues> = all.iter().collect();
    let values = all.iter().find(|v| v.year == YEAR).expect("2006 computes");
    let previous = all.iter().find(|v| v.year == YEAR - 1);
    let engine = Renderer::new(&project, &mut sources, &mut Diagnostics::default())
        .expect("the templates compile");
    let view = RunView {
        project: &project,
        all_values: &all_refs,
        sources: &sources,
        threads: nianbao::par::workers(),
    };
    group.bench_function("render (templates and narrative)", |b| {
        b.iter(|| engine.render_year(&view, data, values, &mut Diagnostics::default()))
    });

    let rendered = engine
        .render_year(&view, data, values, &mut Diagnostics::default())
        .expect("2006 renders");
    let input = YearInput {
        project: &project,
        data,
        values,
        previous,
        report: &rendered,
        renderer: &engine,
        sources: &sources,
    };
    group.bench_function("output (every backend)", |b| {
        b.iter(|| output::produce(&input, nianbao::par::workers()).expect("the outputs are made"))
    });

    let set = output::produce(&input, nianbao::par::workers()).expect("the outputs are made");
    let out = tempfile::tempdir().expect("temp dir");
    let mut n = 0u32;
    group.bench_function("write (into an empty folder)", |b| {
        b.iter(|| {
            // A new folder each time, as a first build writes.
            n += 1;
            let dir = out.path().join(n.to_string());
            write::write_years(&dir, &[(YEAR, &set)], &|| {}).expect("written")
        })
    });
    group.finish();
}

fn example_year(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    c.bench_function("example 2006: load+check+compute+render", |b| {
        b.iter(|| {
            let run = pipeline::run(root, &Years::One(YEAR), Depth::Render).expect("example loads");
            assert!(run.all_rendered());
            run
        })
    });
}

fn fifty_years(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    support::make_project(repo, dir.path(), 50).expect("synthetic project");
    let mut group = c.benchmark_group("50 years");
    group.sample_size(20);
    group.bench_function("load+check+compute+render the last year", |b| {
        b.iter(|| {
            let run =
                pipeline::run(dir.path(), &Years::Latest, Depth::Render).expect("project loads");
            assert!(run.all_rendered());
            run
        })
    });
    group.bench_function("load+check+compute+render all", |b| {
        b.iter(|| {
            let run = pipeline::run(dir.path(), &Years::All, Depth::Render).expect("project loads");
            assert!(run.all_rendered());
            run
        })
    });
    group.finish();
}

criterion_group!(benches, stages, example_year, fifty_years);
criterion_main!(benches);
