//! The committed `output/` is exactly what the committed data produces.

use crate::support::{nianbao, repo_root, run};

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
    let mut compared = 0;
    for year in std::fs::read_dir(out.path()).unwrap() {
        let year = year.unwrap();
        for file in std::fs::read_dir(year.path()).unwrap() {
            let file = file.unwrap();
            let rel = format!(
                "{}/{}",
                year.file_name().to_string_lossy(),
                file.file_name().to_string_lossy()
            );
            let fresh = std::fs::read(file.path()).unwrap();
            let old = std::fs::read(committed.join(&rel)).unwrap_or_else(|_| {
                panic!("output/{rel} is not committed; run `cargo run -- build --all`")
            });
            assert!(
                fresh == old,
                "output/{rel} differs from a fresh build; run `cargo run -- build --all` and commit output/"
            );
            compared += 1;
        }
    }
    assert!(compared >= 5, "only {compared} files were built");
}
