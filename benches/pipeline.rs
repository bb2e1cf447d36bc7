//! Criterion benchmarks of the pipeline without process start-up: load + check +
//! compute + render of the example year, and of a synthetic 50-year project.

#[path = "support/mod.rs"]
mod support;

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::pipeline::{self, Depth, Years};

fn example_year(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    c.bench_function("example 2006: load+check+compute+render", |b| {
        b.iter(|| {
            let run = pipeline::run(root, &Years::One(2006), Depth::Render).expect("example loads");
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
    group.bench_function("load+check+compute+render all", |b| {
        b.iter(|| {
            let run = pipeline::run(dir.path(), &Years::All, Depth::Render).expect("project loads");
            assert!(run.all_rendered());
            run
        })
    });
    group.finish();
}

criterion_group!(benches, example_year, fifty_years);
criterion_main!(benches);
