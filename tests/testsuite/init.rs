//! `nianbao init`, `templates`, `vars`, `completions`, `--version`.

use crate::support::{Project, nianbao, run};

/// Every file under `dir`, relative, sorted.
fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn init_makes_a_project_that_builds_and_passes_check() {
    let tmp = Project::empty();
    let dir = tmp.path().join("my report");
    let (code, _, stderr) = run(nianbao().arg("init").arg(&dir));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("nianbao build"),
        "says what to do next: {stderr}"
    );
    let files = listing(&dir);
    for f in [
        "nianbao.toml",
        ".gitignore",
        "data/metrics.toml",
        "data/2025/figures.toml",
        "data/2025/summary.toml",
        "data/2025/plan.toml",
        "templates/report.md",
        "templates/report.html",
        "templates/partials/plan.md",
        "templates/style.css",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing from {files:?}");
    }
    assert!(
        std::fs::read_to_string(dir.join(".gitignore"))
            .unwrap()
            .contains("output/")
    );

    let root = dir.to_str().unwrap();
    let (code, _, stderr) = run(nianbao().args(["--root", root, "build"]));
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(nianbao().args(["--root", root, "check", "--strict"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");

    // Numbers in the narrative come from the figures, formatted per language.
    let zh = std::fs::read_to_string(dir.join("output/2025/report.zh.md")).unwrap();
    let en = std::fs::read_to_string(dir.join("output/2025/report.en.md")).unwrap();
    assert!(zh.contains("受理服务事项2418件"), "{zh}");
    assert!(en.contains("took in 2,418 requests"), "{en}");
    assert!(!zh.contains("{{") && !en.contains("{{"));

    // Every built-in template is now the project's own.
    let (code, out, _) = run(nianbao().args(["--root", root, "templates", "list"]));
    assert_eq!(code, 0);
    assert!(out.lines().count() >= 9, "{out}");
    assert!(
        out.lines().all(|l| l.contains("in templates/, unchanged")),
        "{out}"
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_writes_nothing() {
    let p = Project::from_fixture("minimal");
    let before = listing(p.path());
    let (code, _, stderr) = run(nianbao().arg("init").arg(p.path()));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(listing(p.path()), before);

    // An empty folder is fine.
    let empty = Project::empty();
    let (code, _, stderr) = run(nianbao().arg("init").arg(empty.path()).arg("--quiet"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.is_empty(), "--quiet: {stderr}");
    assert!(empty.path().join("nianbao.toml").is_file());
}

#[test]
fn templates_list_and_eject() {
    let p = Project::from_fixture("minimal");
    let (code, out, _) = run(&mut p.cmd(&["templates", "list"]));
    assert_eq!(code, 0);
    assert!(out.contains("partials/plan.md"), "{out}");
    assert!(!out.contains("in templates/"), "{out}");

    let (code, _, stderr) = run(&mut p.cmd(&["templates", "eject", "partials/plan.md"]));
    assert_eq!(code, 0, "{stderr}");
    let ejected = p.read("templates/partials/plan.md");
    assert!(ejected.contains("{{ t.plan }}"), "{ejected}");
    let (_, out, _) = run(&mut p.cmd(&["templates", "list"]));
    assert!(
        out.lines()
            .any(|l| l.starts_with("partials/plan.md") && l.contains("unchanged")),
        "{out}"
    );

    // An edited template is never overwritten.
    p.write("templates/partials/plan.md", "my own plan\n");
    let (code, _, stderr) = run(&mut p.cmd(&["templates", "eject", "partials/plan.md"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("exists already"), "{stderr}");
    assert_eq!(p.read("templates/partials/plan.md"), "my own plan\n");
    let (_, out, _) = run(&mut p.cmd(&["templates", "list"]));
    assert!(out.contains("edited"), "{out}");

    let (code, _, stderr) = run(&mut p.cmd(&["templates", "eject", "plan.md"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("partials/plan.md"),
        "lists the names: {stderr}"
    );
}

#[test]
fn vars_prints_the_context_a_template_sees() {
    let p = Project::from_fixture("minimal");
    let (code, out, stderr) = run(&mut p.cmd(&["vars", "--year", "2020", "--lang", "en"]));
    assert_eq!(code, 0, "{stderr}");
    let ctx: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(ctx["lang"], "en");
    assert_eq!(ctx["year"], 2020);
    assert_eq!(ctx["next_year"], 2021);
    assert_eq!(ctx["m"]["people"], "200,000 persons");
    assert_eq!(ctx["n"]["share"], "29");
    assert_eq!(ctx["f"]["counts"]["whole"], "200");
    assert_eq!(ctx["metric"]["share"]["exact"], "28.5");
    assert_eq!(ctx["t"]["indicators"], "Key indicators");
    assert!(ctx["metrics"].is_array());

    // Chinese is the default; the latest year is the default.
    let (code, out, _) = run(&mut p.cmd(&["vars"]));
    assert_eq!(code, 0);
    let ctx: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(ctx["lang"], "zh");
    assert_eq!(ctx["m"]["people"], "200000人");

    let (code, _, stderr) = run(&mut p.cmd(&["vars", "--year", "1999"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("there is no year 1999"), "{stderr}");
}

#[test]
fn vars_still_shows_the_context_when_a_template_is_broken() {
    let p = Project::from_fixture("minimal");
    p.write("templates/report.md", "{{ nope.nothing }}\n");
    let (code, out, stderr) = run(&mut p.cmd(&["vars", "--lang", "en"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("report.md"), "the error is shown: {stderr}");
    let ctx: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(ctx["m"]["people"], "200,000 persons");
}

#[test]
fn completions_and_version() {
    let (code, out, _) = run(nianbao().args(["completions", "bash"]));
    assert_eq!(code, 0);
    assert!(out.contains("_nianbao()"), "{out}");
    assert!(out.contains("serve"));
    let (code, out, _) = run(nianbao().arg("--version"));
    assert_eq!(code, 0);
    assert_eq!(out.trim(), format!("nianbao {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn the_template_guide_documents_every_variable_and_filter() {
    let guide =
        std::fs::read_to_string(crate::support::repo_root().join("docs/templates.md")).unwrap();
    let documented = |name: &str| {
        guide.contains(&format!("`{name}`"))
            || guide.contains(&format!("`{name}."))
            || guide.contains(&format!(", `{name}`"))
            || guide.contains(&format!("`{name}("))
    };
    let p = Project::example();
    let (code, out, stderr) = run(&mut p.cmd(&["vars", "--lang", "en"]));
    assert_eq!(code, 0, "{stderr}");
    let ctx: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut missing = Vec::new();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    for key in keys(&ctx) {
        if !documented(&key) {
            missing.push(key);
        }
    }
    for key in keys(&ctx["metrics"][0])
        .into_iter()
        .chain(keys(&ctx["targets"][0]))
    {
        if !documented(&key) {
            missing.push(key);
        }
    }
    // Every field of `parts`, as the built-in partials use them.
    for key in keys(&ctx["parts"]) {
        if !guide.contains(&format!("`parts.{key}`")) {
            missing.push(format!("parts.{key}"));
        }
    }
    for key in keys(&ctx["t"]) {
        if !guide.contains(&format!("`{key}`")) && !guide.contains(&format!("`{key}`,")) {
            missing.push(format!("t.{key}"));
        }
    }
    for filter in ["cn_num", "numeral", "cell", "outline", "group_by"] {
        if !documented(filter) {
            missing.push(filter.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "docs/templates.md does not document {missing:?}"
    );
}

/// Found by an audit: `nianbao --root X init sub` made ./sub, not X/sub.
#[test]
fn init_puts_the_new_folder_under_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(nianbao()
        .current_dir(dir.path())
        .args(["--root", "parent", "init", "sub"]));
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("parent/sub/nianbao.toml").exists(), "{err}");
    assert!(!dir.path().join("sub").exists());
}
