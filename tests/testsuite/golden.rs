//! The committed `output/` is exactly what the committed data produces: every file a
//! fresh build writes is committed with the same bytes, and every committed file is
//! one a fresh build writes.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{nianbao, repo_root, run};

/// Every file under `dir`, as paths relative to it.
fn files(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for year in std::fs::read_dir(dir).unwrap().flatten() {
        if !year.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(year.path()).unwrap().flatten() {
            out.insert(format!(
                "{}/{}",
                year.file_name().to_string_lossy(),
                file.file_name().to_string_lossy()
            ));
        }
    }
    out
}

/// A readable account of how two versions of a file differ: a unified diff of text,
/// the sizes of anything else.
fn describe(rel: &str, old: &[u8], new: &[u8]) -> String {
    match (std::str::from_utf8(old), std::str::from_utf8(new)) {
        (Ok(a), Ok(b)) => similar::TextDiff::from_lines(a, b)
            .unified_diff()
            .context_radius(2)
            .header(&format!("output/{rel} (committed)"), "fresh build")
            .to_string()
            .lines()
            .take(60)
            .collect::<Vec<_>>()
            .join("\n"),
        _ => format!(
            "output/{rel}: {} bytes committed, {} bytes built",
            old.len(),
            new.len()
        ),
    }
}

#[test]
fn committed_output_is_what_the_data_produces() {
    let out = tempfile::tempdir().unwrap();
    let root = repo_root();
    let (code, _, stderr) = run(nianbao()
        .arg("--root")
        .arg(&root)
        .args(["build", "--all", "--out"])
        .arg(out.path()));
    assert_eq!(code, 0, "{stderr}");
    let committed = root.join("output");
    let (fresh, old) = (files(out.path()), files(&committed));
    let missing: Vec<&String> = fresh.difference(&old).collect();
    assert!(
        missing.is_empty(),
        "a fresh build writes files that are not committed: {missing:?}; run `cargo run -- build --all` and commit output/"
    );
    let extra: Vec<&String> = old.difference(&fresh).collect();
    assert!(
        extra.is_empty(),
        "output/ holds files a fresh build does not write: {extra:?}; run `cargo run -- build --all` (it removes them) and commit output/"
    );
    for rel in &fresh {
        let new = std::fs::read(out.path().join(rel)).unwrap();
        let old = std::fs::read(committed.join(rel)).unwrap();
        assert!(
            new == old,
            "output/{rel} differs from a fresh build; run `cargo run -- build --all` and commit output/\n{}",
            describe(rel, &old, &new)
        );
    }
    assert!(fresh.len() >= 5, "only {} files were built", fresh.len());
}
