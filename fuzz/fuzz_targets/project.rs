//! Fuzz target: a whole project made of arbitrary text must load, check, compute and
//! render without a panic, and every diagnostic must render. The input is split at
//! NUL bytes into the project's files, in the order of `FILES`; a file left out is
//! taken from a small valid project, or left absent when optional.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use nianbao::pipeline::{self, Depth, Years};
use nianbao::{diag, output};

/// The files, in the order the input gives them, with the text used when the input
/// has fewer parts (`None`: the file is left out).
const FILES: [(&str, Option<&str>); 7] = [
    (
        "data/metrics.toml",
        Some(
            "[metrics.share]\nzh = \"占比\"\nen = \"Share\"\nformula = \"c.part / c.whole * 100\"\nunit = \"%\"\ndecimals = 1\n",
        ),
    ),
    (
        "data/2020/figures.toml",
        Some("[period]\nstart = 2020-01-01\nend = 2020-12-31\n[c]\npart = 57\nwhole = 200\n"),
    ),
    ("data/2020/summary.toml", None),
    (
        "nianbao.toml",
        Some("[organisation]\nzh = \"测试机构\"\nen = \"Test Office\"\n"),
    ),
    ("data/2020/targets.toml", None),
    ("data/2020/plan.toml", None),
    ("templates/partials/summary.md", None),
];

fn dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir_all(dir.path().join("data/2020")).expect("data/2020");
        std::fs::create_dir_all(dir.path().join("templates/partials")).expect("templates");
        dir
    })
    .path()
}

fuzz_target!(|data: &[u8]| {
    let root = dir();
    let mut parts = data.split(|b| *b == 0);
    for (name, default) in FILES {
        let path = root.join(name);
        match (parts.next(), default) {
            (Some(bytes), _) => std::fs::write(&path, bytes).expect("write"),
            (None, Some(text)) => std::fs::write(&path, text).expect("write"),
            (None, None) => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    // The whole pipeline, every output backend included.
    let Ok(run) = pipeline::run(root, &Years::All, Depth::Render) else {
        return;
    };
    for d in &run.diags.items {
        let _ = diag::render(d, &run.sources, false);
    }
    let _ = diag::summary_line(&run.diags, &run.sources);
    if let Some(project) = &run.project {
        for (year, state) in &run.years {
            if let (Some(data), Some(values)) = (project.years.get(year), state.values()) {
                let json = output::data::metrics_json(project, data, values);
                let _ = output::data::to_json_text(&json);
                let _ = output::data::metrics_csv(project, data, values);
            }
        }
    }
});
