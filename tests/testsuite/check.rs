//! `nianbao check` and the diagnostics of every kind of bad input (issue 3): each
//! case runs on a fixture project (tests/testsuite/fixtures/check_*) or a copy of
//! `minimal` broken on purpose, and asserts on the exit status, the message, the
//! `--> file:line:col` header and the help line. Also: a failed `build` leaves the
//! previous output byte for byte, and writes nothing outside `--out`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{Project, run};

/// Runs `check ARGS…` and returns (status, stderr).
fn check(p: &Project, args: &[&str]) -> (i32, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let (code, _, stderr) = run(&mut p.cmd(&all));
    (code, stderr)
}

fn append(p: &Project, rel: &str, text: &str) {
    let before = p.read(rel);
    p.write(rel, &format!("{before}{text}"));
}

/// Asserts that every needle is in the output.
#[track_caller]
fn has(out: &str, needles: &[&str]) {
    for n in needles {
        assert!(out.contains(n), "missing {n:?} in:\n{out}");
    }
}

/// Asserts that Tera's own report drawing and Rust debug output never reach the user:
/// every `-->` is ours, naming a file of the project (Tera's name templates alone).
#[track_caller]
fn clean(out: &str) {
    for bad in ["__tera_one_off", "Error {", "kind:", "panicked"] {
        assert!(!out.contains(bad), "{bad:?} in:\n{out}");
    }
    for line in out.lines().filter(|l| l.contains("-->")) {
        let path = line.trim_start().trim_start_matches("--> ");
        assert!(
            ["data/", "templates/", "nianbao.toml", "<built-in>/"]
                .iter()
                .any(|p| path.starts_with(p)),
            "a drawing that is not ours: {line:?} in:\n{out}"
        );
    }
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, (Vec<u8>, std::time::SystemTime)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let meta = std::fs::metadata(&path).unwrap();
                out.insert(
                    rel,
                    (std::fs::read(&path).unwrap(), meta.modified().unwrap()),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn a_clean_project_checks_with_status_0() {
    let p = Project::from_fixture("minimal");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 0, "{err}");
    has(&err, &["0 errors, 0 warnings; checked 2020"]);
    assert!(!p.path().join("output").exists(), "check writes nothing");
}

#[test]
fn toml_syntax_errors_are_located() {
    let p = Project::from_fixture("check_syntax");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: TOML syntax error:",
            "--> data/2020/figures.toml:9:20",
            "three_and_a_half = 3.5 3.6",
            "1 error, 0 warnings in 1 file",
        ],
    );
}

#[test]
fn unknown_keys_wrong_types_and_missing_keys() {
    let p = Project::from_fixture("check_keys");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            // Unknown keys: warnings with the nearest known key.
            "warning: unknown key `formul` in metric `share`; it is ignored",
            "--> data/metrics.toml:4:1",
            "help: did you mean `formula`?",
            "warning: unknown key `titel` in nianbao.toml",
            "--> nianbao.toml:2:1",
            "help: did you mean `title`?",
            // Missing required keys.
            "error: metric `share` has no `formula`",
            "--> data/metrics.toml:1:10",
            "`formula` is required here",
            "error: [[checks]] has no `rule`",
            "--> data/metrics.toml:27:1",
            "help: add `rule = \"a <= b\"`",
            // Wrong types.
            "error: `decimals` of metric `tie` must be a whole number, found a string",
            "--> data/metrics.toml:12:12",
            "error: `formula` of metric `exact_half` must be a string, found an integer",
            "--> data/metrics.toml:24:11",
            "4 errors, 2 warnings in 2 files",
        ],
    );
    // The metric without a formula still exists: nothing reports it as unknown.
    assert!(!err.contains("unknown metric"), "{err}");
}

#[test]
fn every_broken_formula_is_reported_at_its_column_in_the_toml_file() {
    let p = Project::from_fixture("check_formulas");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            // Three syntax errors in one file: all reported, each at the column of the
            // offending character inside the formula string.
            "error: formula syntax error: expected a number, a name or `(`, found `*`",
            "--> data/metrics.toml:4:26",
            "error: formula syntax error: unexpected character `×`",
            "--> data/metrics.toml:11:26",
            "help: write `*` for multiplication",
            "error: formula syntax error: unclosed `(`",
            "--> data/metrics.toml:17:12",
            "help: add the missing `)`",
            // Unknown names, with the nearest known one.
            "error: unknown figure `counts.three_and_a_hlf` in data/2020/figures.toml",
            "--> data/metrics.toml:24:20",
            "help: did you mean `counts.three_and_a_half`?",
            "error: unknown metric `exact_haf`",
            "--> data/metrics.toml:30:12",
            "help: did you mean the metric `exact_half`?",
            // The whole loop.
            "error: metrics depend on each other in a loop: a → b → a",
            "--> data/metrics.toml:35:12",
            "`a` uses `b`",
            "6 errors, 0 warnings in 1 file",
        ],
    );
}

#[test]
fn a_formula_column_survives_escapes_before_it() {
    let p = Project::from_fixture("minimal");
    p.replace(
        "data/metrics.toml",
        "formula = \"counts.whole * 1000\"",
        "formula = \"\\u0063ounts.whole * 1000 )\"",
    );
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    // `\u0063` is six characters in the file for one in the formula: the caret is at
    // the `)` all the same (line 17, column 37 of the file).
    has(
        &err,
        &[
            "error: formula syntax error: unmatched `)`",
            "--> data/metrics.toml:17:37",
        ],
    );
}

#[test]
fn failing_rules_show_their_own_message_and_both_sides() {
    let p = Project::from_fixture("check_rules");
    let (code, err) = check(&p, &["--year", "2020"]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: check failed in 2020: The part cannot exceed the whole (部分不能大于整体)",
            "--> data/metrics.toml:15:9",
            "help: left side `counts.part` = 300, right side `counts.whole` = 200",
            "error: check failed in 2020: A share lies between 0 and 100 (占比应在0到100之间)",
            "help: left side `share` = 150.0 (exactly 150), right side 100",
            // Division by zero: a warning naming the metric and the zero figure.
            "warning: metric `per_empty` is undefined in 2020: the figure `counts.empty` is zero",
            "--> data/metrics.toml:11:26",
            "2 errors, 2 warnings in 1 file",
        ],
    );
}

#[test]
fn nan_and_inf_are_not_figures() {
    let p = Project::from_fixture("check_rules");
    let (code, err) = check(&p, &["--year", "2021"]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: the figure `counts.whole` is `nan`, which is not a number",
            "--> data/2021/figures.toml:7:9",
            "error: the figure `counts.empty` is `-inf`, which is not a number",
            "--> data/2021/figures.toml:8:9",
            "help: TOML accepts nan and inf, but a figure must be a finite number",
        ],
    );
    // Reported once, where written; not again in every formula that uses them.
    assert!(!err.contains("unknown figure"), "{err}");
}

#[test]
fn a_broken_year_does_not_hide_the_others() {
    let p = Project::from_fixture("check_rules");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "is `nan`, which is not a number",
            "check failed in 2020: The part cannot exceed the whole",
            "4 errors, 2 warnings in 2 files",
        ],
    );
}

#[test]
fn missing_translations_are_warnings_counted_in_the_summary() {
    let p = Project::from_fixture("check_translations");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 0, "{err}");
    has(
        &err,
        &[
            "warning: the opening has no English text",
            "--> data/2020/summary.toml:1:11",
            "no `en`",
            "warning: point 2 of summary section 1 has no Chinese text",
            "--> data/2020/summary.toml:7:3",
            "help: add zh = \"…\"; until then the English text is shown in the Chinese edition",
            "0 errors, 2 warnings in 1 file (2 untranslated texts shown in the other language); checked 2020",
        ],
    );
    // --strict turns the warnings into a failure.
    let (code, err) = check(&p, &["--strict"]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "0 errors, 2 warnings in 1 file (2 untranslated texts shown in the other language); --strict counts warnings as errors",
        ],
    );
    // The build goes on, showing the other language marked untranslated.
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{err}");
    assert!(p.read("output/2020/report.en.md").contains("本年占比"));
}

#[test]
fn template_errors_in_narrative_text_point_into_the_toml_file() {
    let p = Project::from_fixture("check_narrative");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            // Unknown filter, in a `"""` string made of line continuations: the span is on
            // the file's line 9, where `nosuch` is written, at column 18 counted in
            // characters as an editor does (24 would be bytes).
            "error: template error: Unknown filter `nosuch`",
            "--> data/2020/summary.toml:9:18",
            "no such filter",
            // Unknown variable, the whole path marked, with the nearest known name.
            "error: template error: `m.shar` is not defined",
            "--> data/2020/summary.toml:1:73",
            "help: did you mean `m.share`? `nianbao vars` shows every variable a template can use",
            // Syntax error, on line 14 of the file.
            "error: template syntax error: Found `%}` but expected one of",
            "--> data/2020/summary.toml:14:16",
            // Translations are counted too.
            "3 errors, 3 warnings in 1 file (3 untranslated texts shown in the other language)",
        ],
    );
    clean(&err);
    // Both languages render the same text: still one report per problem.
    assert_eq!(err.matches("Unknown filter `nosuch`").count(), 1, "{err}");
}

#[test]
fn template_errors_in_the_projects_templates_are_all_reported() {
    let p = Project::from_fixture("check_templates");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: template syntax error: Unknown tag `endfr`",
            "--> templates/partials/summary.md:14:4",
            "{% endfr %}",
            "error: template error: `report.html` extends `page.html`, which does not exist",
            "--> templates/report.html:1:12",
            "no template of this name",
            "error: template error: Unknown filter `upperr`",
            "--> templates/partials/plan.md:1:16",
            "help: did you mean `upper`?",
            "3 errors, 0 warnings in 3 files",
        ],
    );
    clean(&err);
    // report.md includes the broken partials/summary.md: not reported a second time.
    assert!(!err.contains("Unknown template"), "{err}");
}

#[test]
fn an_unknown_variable_in_a_template_is_located() {
    let p = Project::from_fixture("minimal");
    let base = std::fs::read_to_string(crate::support::repo_root().join("templates/base.md"))
        .unwrap()
        .replace("{{ title }}", "{{ titel }}");
    p.write("templates/base.md", &base);
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: template error: `titel` is not defined",
            "--> templates/base.md:2:6",
            "not defined",
            "help: did you mean `title`? `nianbao vars` shows every variable",
            "1 error, 0 warnings in 1 file",
        ],
    );
    clean(&err);
}

#[test]
fn a_broken_base_template_gives_one_error_not_a_cascade() {
    let p = Project::from_fixture("check_broken_base");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: template syntax error: Unknown tag `endblock`",
            "--> templates/base.md:10:38",
            "1 error, 0 warnings in 1 file",
        ],
    );
    assert!(!err.contains("extends"), "{err}");
}

#[test]
fn a_file_that_is_not_utf8_is_located_at_the_bad_byte() {
    let p = Project::from_fixture("minimal");
    // 国家 in GBK.
    std::fs::write(
        p.path().join("data/2020/summary.toml"),
        b"opening = { zh = \"\xb9\xfa\xbc\xd2\", en = \"x\" }\n",
    )
    .unwrap();
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: the file is not UTF-8 text: byte 0xB9 at offset 18 cannot be read",
            "--> data/2020/summary.toml:1:19",
            "not UTF-8",
            "GB18030",
        ],
    );
}

#[test]
fn a_folder_where_a_file_belongs() {
    let p = Project::from_fixture("minimal");
    std::fs::create_dir(p.path().join("data/2020/summary.toml")).unwrap();
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: data/2020/summary.toml: a folder stands where a file belongs",
            "1 error, 0 warnings in 1 file",
        ],
    );
    let p = Project::from_fixture("minimal");
    std::fs::remove_file(p.path().join("nianbao.toml")).unwrap();
    std::fs::create_dir(p.path().join("nianbao.toml")).unwrap();
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &["error: nianbao.toml: a folder stands where a file belongs"],
    );
    // And the other way round: a file named like a year, or `templates` as a file.
    let p = Project::from_fixture("minimal");
    p.write("data/2021", "");
    p.write("templates", "");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: data/2021: a file stands where a folder belongs",
            "help: a year is a folder: data/2021/figures.toml",
            "error: templates: a file stands where a folder belongs",
        ],
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_an_io_error() {
    use std::os::unix::fs::PermissionsExt;
    let p = Project::from_fixture("minimal");
    let path = p.path().join("data/2020/figures.toml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root, which reads the file anyway: the case below stands in.
        eprintln!("note: chmod 000 does not stop this user from reading; skipped");
    } else {
        let (code, err) = check(&p, &[]);
        assert_eq!(code, 2, "{err}");
        has(
            &err,
            &["error: data/2020/figures.toml: cannot read the file: Permission denied"],
        );
    }
}

/// Found by an audit: a `targets.toml` linked to nothing was taken for no
/// targets (exit 0, the targets gone), a dangling `figures.toml` for a year
/// without one.
#[cfg(unix)]
#[test]
fn a_link_to_nothing_is_an_io_error_naming_the_link() {
    let p = Project::from_fixture("minimal");
    std::os::unix::fs::symlink(
        "/nonexistent/t.toml",
        p.path().join("data/2020/targets.toml"),
    )
    .unwrap();
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 2, "{err}");
    has(
        &err,
        &[
            "error: data/2020/targets.toml: cannot read the file: it is a link to /nonexistent/t.toml, which does not exist",
        ],
    );
    std::fs::remove_file(p.path().join("data/2020/figures.toml")).unwrap();
    std::os::unix::fs::symlink("gone.toml", p.path().join("data/2020/figures.toml")).unwrap();
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 2, "{err}");
    has(
        &err,
        &["data/2020/figures.toml: cannot read the file: it is a link to gone.toml"],
    );
    assert!(!err.contains("has no figures.toml"), "{err}");
    // A year folder linked to nothing is no year left out without a word.
    std::os::unix::fs::symlink("/nonexistent/y", p.path().join("data/2023")).unwrap();
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 2, "{err}");
    has(
        &err,
        &[
            "error: data/2023: cannot read the year folder: it is a link to /nonexistent/y, which does not exist",
        ],
    );
}

/// Found by an audit: an unreadable `templates/` gave the built-in templates
/// without a word, and an unreadable `data/` read "has no year folder".
#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_an_io_error() {
    use std::os::unix::fs::PermissionsExt;
    let p = Project::from_fixture("minimal");
    std::fs::create_dir_all(p.path().join("templates/partials")).unwrap();
    p.write("templates/partials/extra.md", "x");
    let folder = p.path().join("templates/partials");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&folder).is_ok() {
        eprintln!("note: chmod 000 does not stop this user from listing; skipped");
    } else {
        let (code, err) = check(&p, &[]);
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(code, 2, "{err}");
        has(
            &err,
            &["error: templates/partials: cannot read the folder: Permission denied"],
        );
        let data = p.path().join("data");
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o000)).unwrap();
        let (code, err) = check(&p, &[]);
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(code, 2, "{err}");
        has(
            &err,
            &[
                "data has no year folder",
                "it cannot be listed (Permission denied",
            ],
        );
    }
}

#[test]
fn years_written_as_files_are_named_when_there_is_no_year_folder() {
    let p = Project::from_fixture("minimal");
    std::fs::remove_dir_all(p.path().join("data/2020")).unwrap();
    p.write("data/2020", "[period]\n");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 2, "{err}");
    has(
        &err,
        &[
            "data has no year folder",
            ": data/2020 is a file, not a folder",
        ],
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_that_fails_to_read_even_for_root_is_an_io_error() {
    // Reading /proc/self/mem from its start fails with EIO for every user.
    let p = Project::from_fixture("minimal");
    std::os::unix::fs::symlink("/proc/self/mem", p.path().join("data/2020/summary.toml")).unwrap();
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 2, "{err}");
    has(
        &err,
        &[
            "error: data/2020/summary.toml: cannot read the file: Input/output error",
            "help: check the file's permissions",
        ],
    );
}

#[test]
fn a_year_folder_without_figures() {
    let p = Project::from_fixture("minimal");
    std::fs::create_dir(p.path().join("data/2021")).unwrap();
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: data/2021: the year 2021 has no figures.toml",
            "help: add data/2021/figures.toml, or run `nianbao new-year 2021`",
        ],
    );
    // The other year is fine on its own.
    let (code, err) = check(&p, &["--year", "2020"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn year_that_does_not_exist_lists_the_ones_that_do() {
    let p = Project::from_fixture("check_rules");
    let (code, err) = check(&p, &["--year", "2019"]);
    assert_eq!(code, 2, "{err}");
    has(
        &err,
        &["there is no year 2019 in", "the years are 2020, 2021"],
    );
}

#[test]
fn a_year_that_is_a_path_is_refused_and_nothing_is_touched() {
    let p = Project::from_fixture("minimal");
    let before = snapshot(p.path());
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("out");
    for args in [
        vec!["check", "--year", "../x"],
        vec![
            "build",
            "--year",
            "../x",
            "--out",
            out_dir.to_str().unwrap(),
        ],
        vec![
            "build",
            "--year",
            "../../etc",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    ] {
        let (code, _, err) = run(&mut p.cmd(&args));
        assert_eq!(code, 2, "{err}");
        has(
            &err,
            &["is not a year: give a four-digit year such as 2006"],
        );
    }
    assert_eq!(snapshot(p.path()), before);
    assert!(!out_dir.exists());
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn plain_text_without_a_terminal_even_without_no_color() {
    let p = Project::from_fixture("check_formulas");
    let mut cmd = p.cmd(&["check"]);
    cmd.env_remove("NO_COLOR");
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 1);
    assert!(!err.contains('\u{1b}'), "escape codes in:\n{err}");
    has(&err, &["--> data/metrics.toml:4:26"]);
}

// ---- Nothing lost: a failed build leaves the previous output as it was. ----

/// Builds `p` once (it must succeed) and returns the output folder's snapshot.
fn good_build(p: &Project) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
    let snap = snapshot(&p.path().join("output"));
    assert_eq!(snap.len(), 8, "{:?}", snap.keys());
    snap
}

#[test]
fn a_build_that_fails_on_data_leaves_the_previous_output_byte_for_byte() {
    let p = Project::from_fixture("minimal");
    let before = good_build(&p);
    // A changed figure that would change every file, and a broken formula.
    p.replace("data/2020/figures.toml", "part = 57", "part = 58");
    p.replace(
        "data/metrics.toml",
        "formula = \"counts.whole * 1000\"",
        "formula = \"counts.whole * \"",
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "formula syntax error",
            "error: build failed with 1 error",
            "nothing was written",
        ],
    );
    assert_eq!(snapshot(&p.path().join("output")), before);
    // A failing check rule stops the build too.
    p.replace(
        "data/metrics.toml",
        "formula = \"counts.whole * \"",
        "formula = \"counts.whole * 1000\"",
    );
    p.replace("data/2020/figures.toml", "part = 58", "part = 500");
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 1, "{err}");
    has(&err, &["check failed in 2020", "nothing was written"]);
    assert_eq!(snapshot(&p.path().join("output")), before);
}

#[test]
fn a_build_that_fails_on_a_template_leaves_the_previous_output_byte_for_byte() {
    let p = Project::from_fixture("minimal");
    let before = good_build(&p);
    p.replace("data/2020/figures.toml", "part = 57", "part = 58");
    p.write(
        "templates/partials/indicators.md",
        "{{ metrics | nosuch }}\n",
    );
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "Unknown filter `nosuch`",
            "--> templates/partials/indicators.md:1:14",
            "nothing was written",
        ],
    );
    assert_eq!(snapshot(&p.path().join("output")), before);
    // A render-time error (unknown variable) as well.
    p.write("templates/partials/indicators.md", "{{ nothing_here }}\n");
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &["`nothing_here` is not defined", "nothing was written"],
    );
    assert_eq!(snapshot(&p.path().join("output")), before);
}

#[test]
fn a_year_with_errors_stops_the_whole_build() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2021/figures.toml",
        "[period]\nstart = 2021-01-01\nend = 2021-12-31\n[counts]\npart = 1\nwhole = nan\n",
    );
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 1, "{err}");
    has(&err, &["is `nan`", "nothing was written"]);
    assert!(!p.path().join("output").exists());
    // The good year alone builds.
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "2020"]));
    assert_eq!(code, 0, "{err}");
    assert!(p.path().join("output/2020/report.html").is_file());
    assert!(!p.path().join("output/2021").exists());
}

#[test]
fn build_writes_nothing_outside_out_and_leaves_no_temporary_files() {
    let p = Project::from_fixture("minimal");
    let before = snapshot(p.path());
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("site");
    let (code, _, err) = run(&mut p.cmd(&["build", "--out", out_dir.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(snapshot(p.path()), before, "the project was changed");
    let written: Vec<String> = snapshot(out.path()).into_keys().collect();
    assert_eq!(
        written,
        [
            "site/2020/metrics.csv",
            "site/2020/metrics.json",
            "site/2020/metrics.xlsx",
            "site/2020/report.en.docx",
            "site/2020/report.en.md",
            "site/2020/report.html",
            "site/2020/report.zh.docx",
            "site/2020/report.zh.md",
        ]
    );
}

#[test]
fn a_build_that_cannot_write_one_file_changes_none() {
    let p = Project::from_fixture("minimal");
    good_build(&p);
    // A folder where one output file belongs: discovered before anything is replaced.
    std::fs::remove_file(p.path().join("output/2020/metrics.csv")).unwrap();
    std::fs::create_dir(p.path().join("output/2020/metrics.csv")).unwrap();
    let before = snapshot(&p.path().join("output"));
    p.replace("data/2020/figures.toml", "part = 57", "part = 58");
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 2, "{err}");
    has(
        &err,
        &["metrics.csv is a folder, where nianbao writes a file"],
    );
    assert_eq!(snapshot(&p.path().join("output")), before);
    let names: Vec<String> = std::fs::read_dir(p.path().join("output/2020"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn a_broken_formula_does_not_hide_template_errors() {
    let p = Project::from_fixture("minimal");
    p.replace(
        "data/metrics.toml",
        "counts.part / counts.whole * 100",
        "counts.part / * 100",
    );
    let base = std::fs::read_to_string(crate::support::repo_root().join("templates/base.md"))
        .unwrap()
        .replace("{{ title }}", "{{ titel }}");
    p.write("templates/base.md", &base);
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: formula syntax error",
            "error: template error: `titel` is not defined",
            "2 errors, 0 warnings in 2 files",
        ],
    );
}

#[test]
fn a_narrative_text_cannot_extend_a_template() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        "opening = { zh = \"{% extends 'base.md' %}\", en = \"{% include 'nope.md' %}\" }\n",
    );
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: template error: a narrative text cannot use `extends`",
            "--> data/2020/summary.toml:1:22",
            "help: a text is one paragraph of the report",
            "error: template error: a narrative text cannot use `include`",
            "--> data/2020/summary.toml:1:54",
            "2 errors, 0 warnings in 1 file",
        ],
    );
    clean(&err);
}

/// Runs `nianbao --root DIR check` on a pseudo-terminal through util-linux `script`,
/// or `None` when `script` is not there.
fn check_on_a_terminal(p: &Project, no_color: bool) -> Option<String> {
    let bin = assert_cmd::cargo::cargo_bin("nianbao");
    let line = format!("{} --root {} check", bin.display(), p.path().display());
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .env_remove("NO_COLOR");
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd.output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn colour_on_a_terminal_unless_no_color() {
    let p = Project::from_fixture("check_formulas");
    let Some(coloured) = check_on_a_terminal(&p, false) else {
        eprintln!("note: no `script` command to make a terminal; skipped");
        return;
    };
    assert!(
        coloured.contains('\u{1b}'),
        "no colour on a terminal:\n{coloured}"
    );
    assert!(coloured.contains("data/metrics.toml:4:26"), "{coloured}");
    let plain = check_on_a_terminal(&p, true).unwrap();
    assert!(
        !plain.contains('\u{1b}'),
        "colour despite NO_COLOR:\n{plain}"
    );
    assert!(plain.contains("--> data/metrics.toml:4:26"), "{plain}");
}

#[test]
fn a_control_character_in_a_text_is_an_error_at_it() {
    // A pasted invisible character or a stray `\u` escape would make the SVG charts
    // and the documents ill-formed XML and the page invalid HTML: it is refused
    // where it is written, in a label, a unit or a narrative.
    let p = Project::from_fixture("years");
    p.replace("data/metrics.toml", "en = \"Rate\"", "en = \"Rate\\u0001\"");
    p.replace("data/metrics.toml", "unit = \"%\"", "unit = \"%\\uFFFF\"");
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: `en` of metric `rate` holds U+0001, a character no report can show",
            "error: `unit` of metric `rate` holds U+FFFF, a character no report can show",
            "--> data/metrics.toml:",
            "help: remove it: a control character or a noncharacter",
        ],
    );
    assert!(!p.path().join("output/2021/report.html").exists());
    // Tabs and line breaks are text.
    p.replace(
        "data/metrics.toml",
        "en = \"Rate\\u0001\"",
        "en = \"Rate\\t\"",
    );
    p.replace("data/metrics.toml", "unit = \"%\\uFFFF\"", "unit = \"%\"");
    let (code, _, err) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{err}");
}

/// PRODUCT.md: "An undefined name is an error wherever it appears, through any
/// filter … it never renders as a blank." A misspelt name in a condition picked
/// the other branch without a word (`{% if targets_all_mett %}` always said the
/// targets were missed), one after `~` or under `default` printed nothing, and one
/// in a branch not taken or a partial the year does not render passed `check`.
/// Every such name is now an error at it, all of them at once.
#[test]
fn an_unknown_name_is_an_error_in_a_condition_a_branch_not_taken_and_a_partial() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        r#"opening = { zh = "A{% if targets_all_mett %}全面完成{% else %}未完成{% endif %}B", en = "C{{ m.share ~ m.shaer }}D" }
indicators = { zh = "{% if year > 1 %}ok{% else %}{{ m.peple }}{% endif %}", en = "{{ m.tiee | default(value='x') }}" }
"#,
    );
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 1, "{stderr}");
    for (name, at, near) in [
        ("targets_all_mett", "summary.toml:1:26", "targets_all_met"),
        ("m.shaer", "summary.toml:1:97", "m.share"),
        ("m.peple", "summary.toml:2:54", "m.people"),
        ("m.tiee", "summary.toml:2:87", "m.tie"),
    ] {
        assert!(
            stderr.contains(&format!("`{name}` is not defined")),
            "{name}: {stderr}"
        );
        assert!(stderr.contains(at), "{name} at {at}: {stderr}");
        assert!(
            stderr.contains(&format!("did you mean `{near}`?")),
            "{name}: {stderr}"
        );
    }
    assert!(stderr.contains("4 errors"), "{stderr}");
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(!p.path().join("output/2020").exists(), "nothing is written");

    // A partial the year does not render (this year has no plan.toml).
    let p = Project::from_fixture("minimal");
    let (code, _, stderr) = run(&mut p.cmd(&["templates", "eject", "partials/plan.md"]));
    assert_eq!(code, 0, "{stderr}");
    let plan = p.read("templates/partials/plan.md");
    p.write(
        "templates/partials/plan.md",
        &format!("{plan}{{{{ titel }}}}\n"),
    );
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("`titel` is not defined"), "{stderr}");
    assert!(stderr.contains("templates/partials/plan.md:"), "{stderr}");
    assert!(stderr.contains("did you mean `title`?"), "{stderr}");
}

/// What a template may read stays readable: a loop's own names, a set value, a
/// metric's target asked after in a year without one, `source` notes.
#[test]
fn names_a_text_binds_or_may_ask_after_are_not_errors() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        r#"opening = { zh = "{% for t in targets_unmet %}{{ t.label }}{{ loop.index }}{% endfor %}{% set x = m.share %}{{ x }}", en = "{% if target.people %}has{% else %}none{% endif %}{{ source.note | default(value='') }}{% raw %}{{ nothing }}{% endraw %}" }
"#,
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    let en = p.read("output/2020/report.en.md");
    assert!(en.contains("none{{ nothing }}"), "{en}");
}

/// A Chinese name or a full-width `｜` in an expression (an input method makes
/// them) is Tera's located syntax error; the name check panicked on it (it cut the
/// text inside a character).
#[test]
fn chinese_inside_an_expression_is_a_syntax_error_not_a_panic() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        "opening = { zh = \"{{ 人口 }}\", en = \"{{ year ｜ upper }}\" }\n",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("data/2020/summary.toml:1:"), "{stderr}");
    assert!(stderr.contains("template syntax error"), "{stderr}");
    assert!(!stderr.contains("`upper` is not defined"), "{stderr}");
}

/// Two templates extending each other: the loop is printed as it is, back to
/// where it starts (it printed `report.md → base.md → base.md`).
#[test]
fn templates_that_extend_each_other_are_named_in_their_loop() {
    let p = Project::from_fixture("minimal");
    p.write("templates/base.md", "{% extends \"report.md\" %}\n");
    let report =
        std::fs::read_to_string(crate::support::repo_root().join("templates/report.md")).unwrap();
    p.write("templates/report.md", &report);
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("extend each other in a loop: report.md → base.md → report.md"),
        "{stderr}"
    );
}

/// PRODUCT.md: `check` prints every diagnostic. A year with a data error (here a
/// target for a metric that does not exist) does not render, and the misspelt
/// names of its narrative showed only once the data was fixed: three runs for
/// three errors. They are now listed in the same run.
#[test]
fn a_data_error_does_not_hide_the_narratives_unknown_names() {
    let p = Project::from_fixture("minimal");
    p.write("data/2020/targets.toml", "[shaer]\nmin = 95\n");
    p.write(
        "data/2020/summary.toml",
        "opening = { zh = \"{{ m.shar }}和{{ f.counts.prt }}\", en = \"{{ m.share }}\" }\n",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 1, "{stderr}");
    for said in [
        "target for unknown metric `shaer`",
        "`m.shar` is not defined",
        "`f.counts.prt` is not defined",
        "3 errors",
    ] {
        assert!(stderr.contains(said), "{said}: {stderr}");
    }
}

/// An editor's swap file (`.plan.md.swp`, written by Vim while the partial is
/// open) or a picture in `templates/` is no template: it failed the build as "not
/// UTF-8" and broke `serve` while the user edited. A folder named as a template
/// was passed over silently, the built-in used instead (found by an audit).
#[test]
fn only_template_files_in_templates_are_read_and_a_folder_in_their_place_is_an_error() {
    let p = Project::from_fixture("minimal");
    let dir = p.path().join("templates/partials");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(".plan.md.swp"), [0xff, 0xfe, 0x00, b'{', b'{']).unwrap();
    std::fs::write(dir.join("plan.md~"), "{{ broken").unwrap();
    std::fs::write(
        p.path().join("templates/logo.png"),
        [0x89, b'P', b'N', b'G', 0xff],
    )
    .unwrap();
    std::fs::write(p.path().join("templates/README.txt"), "{{ not a template").unwrap();
    let (code, out) = check(&p, &[]);
    assert_eq!(code, 0, "{out}");
    has(
        &out,
        &[
            "warning: templates/README.txt: this file is not a template and is passed over",
            "warning: templates/logo.png: this file is not a template",
        ],
    );
    assert!(!out.contains(".swp") && !out.contains("plan.md~"), "{out}");
    std::fs::create_dir_all(p.path().join("templates/partials/summary.md")).unwrap();
    let (code, out) = check(&p, &[]);
    assert_eq!(code, 1, "{out}");
    has(
        &out,
        &["error: templates/partials/summary.md: a folder stands where a template file belongs"],
    );
    clean(&out);
}

/// Found by audits: a misspelt field of a loop variable rendered as nothing in
/// a year whose list was empty (`t.lable` with every target met, `s.txet` in a
/// year without a summary); the fields of a partial's includer's loop variable
/// were called undefined, though Tera shares them; `report.html` let an unknown
/// name through `default` or an `if`.
#[test]
fn loop_variables_includes_and_the_html_page_have_their_names_checked() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        r#"opening = { zh = "{% for t in targets_unmet %}{{ t.lable }}{% endfor %}", en = "{% for t in targets_unmet %}{{ t.label }}{% endfor %}" }
"#,
    );
    p.write(
        "templates/partials/summary.md",
        "{% for s in summary.sections %}{% include \"partials/section.md\" %}{% endfor %}\n",
    );
    p.write(
        "templates/partials/section.md",
        "### {{ s.title }}\n\n{{ s.txet }}\n",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 1, "{stderr}");
    has(
        &stderr,
        &[
            "`t.lable` is not defined",
            "data/2020/summary.toml:1:",
            "`s.txet` is not defined",
            "templates/partials/section.md:3:4",
        ],
    );
    assert!(
        !stderr.contains("`s.title`") && !stderr.contains("`s` is"),
        "{stderr}"
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
    clean(&stderr);
    // Mended, the year renders, and the page's own names are looked up.
    p.replace("data/2020/summary.toml", "t.lable", "t.label");
    p.replace("templates/partials/section.md", "s.txet", "s.text");
    let html = nianbao_builtin("report.html");
    p.write(
        "templates/report.html",
        &html.replacen("<body", "{{ nosuch | default(value='') }}<body", 1),
    );
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 1, "{stderr}");
    has(
        &stderr,
        &["`nosuch` is not defined", "templates/report.html:"],
    );
    clean(&stderr);
}

/// `check` printed one kind of problem at a time: an unknown filter hid every
/// unknown name, and a data error hid the templates' (found by an audit).
#[test]
fn one_check_lists_template_names_beside_a_broken_template_and_a_data_error() {
    let p = Project::from_fixture("minimal");
    p.write(
        "templates/partials/shortcomings.md",
        "{{ year | nofilter }}\n",
    );
    p.write("templates/partials/plan.md", "{{ titel }}\n");
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 1, "{stderr}");
    has(
        &stderr,
        &[
            "Unknown filter `nofilter`",
            "templates/partials/shortcomings.md:1:",
            "`titel` is not defined",
            "templates/partials/plan.md:1:4",
        ],
    );
    // A data error: the year does not compute, its templates are still checked.
    p.write("templates/partials/shortcomings.md", "\n");
    p.replace(
        "data/metrics.toml",
        "counts.part / counts.whole",
        "counts.prat / counts.whole",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 1, "{stderr}");
    has(&stderr, &["counts.prat", "`titel` is not defined"]);
    clean(&stderr);
}

fn nianbao_builtin(name: &str) -> String {
    std::fs::read_to_string(crate::support::repo_root().join("templates").join(name)).unwrap()
}

#[test]
fn a_period_without_an_end_suggests_a_year_after_its_start() {
    let p = Project::from_fixture("minimal");
    p.replace(
        "data/2020/figures.toml",
        "start = 2020-01-01\nend = 2020-12-31\n",
        "start = 2019-10-01\n",
    );
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "[period] has no `end`",
            "--> data/2020/figures.toml:1:1",
            "help: add `end = 2020-09-30`",
        ],
    );
    assert!(!err.contains("end = 2019-10-01"), "{err}");
}

/// The error is at the end's date, with the start beside it, not at the
/// `[period]` header, which says neither which date is wrong nor where.
#[test]
fn a_period_that_ends_before_it_starts_points_at_both_dates() {
    let p = Project::from_fixture("minimal");
    p.replace(
        "data/2020/figures.toml",
        "end = 2020-12-31",
        "end = 2019-12-31",
    );
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: the period ends before it starts",
            "--> data/2020/figures.toml:3:7",
            "ends on 2019-12-31, before the start",
            "starts on 2020-01-01",
            "help: a year from its start ends on 2020-12-31: `end = 2020-12-31`",
        ],
    );
}

#[test]
fn a_date_in_source_is_a_note() {
    let p = Project::from_fixture("minimal");
    p.replace(
        "data/2020/figures.toml",
        "[counts]",
        "[source]\ndate = 2021-01-10\ndocument = \"台账\"\n\n[counts]",
    );
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&mut p.cmd(&["vars"]));
    assert_eq!(code, 0, "{err}");
    has(
        &out,
        &["\"date\": \"2021-01-10\"", "\"document\": \"台账\""],
    );
}

#[test]
fn a_report_dated_before_its_period_is_a_warning_at_the_date() {
    let p = Project::from_fixture("minimal");
    p.write("data/2020/summary.toml", "# 落款\ndate = 2019-12-20\n");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 0, "{err}");
    has(
        &err,
        &[
            "warning: the report's date 2019-12-20 is before its period starts (2020-01-01)",
            "--> data/2020/summary.toml:2:8",
            "0 errors, 1 warning",
        ],
    );
    // A date in the period or after it says nothing.
    p.write("data/2020/summary.toml", "date = 2021-01-05\n");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 0, "{err}");
    has(&err, &["0 errors, 0 warnings"]);
}

/// Small things an audit found: `--year 25` was "there is no year 25" (it is no
/// year at all), `check --strict -q` failed on warnings it did not show, and
/// `--out` onto a file said "cannot create …: File exists".
#[test]
fn short_years_strict_quiet_checks_and_an_output_that_is_a_file_are_said_plainly() {
    let p = Project::from_fixture("minimal");
    let (code, _, err) = run(&mut p.cmd(&["build", "--year", "25"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`25` is not a year"), "{err}");
    p.replace(
        "data/2020/figures.toml",
        "start = 2020-01-01",
        "start = 2018-01-01",
    );
    p.replace(
        "data/2020/figures.toml",
        "end = 2020-12-31",
        "end = 2018-12-31",
    );
    let (code, _, err) = run(&mut p.cmd(&["-q", "check", "--strict"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("warning:"),
        "the warning that failed the check: {err}"
    );
    let file = p.path().join("afile");
    std::fs::write(&file, "x").unwrap();
    let (code, _, err) = run(&mut p.cmd(&["build", "--out", file.to_str().unwrap()]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is a file, not a folder"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

/// A text that quoted the narrative (`{{ summary.opening }}`) passed the check
/// and failed to render as "Field `opening` is not defined"; "did you mean"
/// offered keys of other records (`m.nope` → `m.name`). Found by an audit.
#[test]
fn a_text_cannot_quote_the_narrative_and_did_you_mean_looks_where_the_name_was() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        r#"opening = { zh = "{{ summary.opening }}{% for s in plan.items %}{% endfor %}", en = "{{ m.shaer }}{{ m.nope }}" }
"#,
    );
    let (code, out) = check(&p, &[]);
    assert_eq!(code, 1, "{out}");
    has(
        &out,
        &[
            "a narrative text cannot use `summary`",
            "a narrative text cannot use `plan`",
            "`m.shaer` is not defined",
            "did you mean `m.share`?",
            "`m.nope` is not defined",
        ],
    );
    assert!(!out.contains("did you mean `m.name`"), "{out}");
    clean(&out);
    // Nor include a template into a paragraph (found by an audit).
    p.write(
        "data/2020/summary.toml",
        r#"opening = { zh = '甲{% include "partials/plan.md" %}', en = "x" }
"#,
    );
    let (code, out) = check(&p, &[]);
    assert_eq!(code, 1, "{out}");
    has(
        &out,
        &["a narrative text cannot use `include`", "summary.toml:1:23"],
    );
    // Nor print a table of figures whole: Tera wrote `{"part": "57", …}`.
    p.write(
        "data/2020/summary.toml",
        "opening = { zh = \"甲{{ f.counts }}乙{{ f.counts.part }}\", en = \"x\" }\n",
    );
    let (code, out) = check(&p, &[]);
    assert_eq!(code, 1, "{out}");
    has(
        &out,
        &[
            "`f.counts` is a table or a record of several values, not one value",
            "summary.toml:1:23",
            "`{{ f.counts.part }}`",
        ],
    );
    assert!(out.contains("1 error"), "{out}");
}

/// Found by an audit: an unknown or unclosed placeholder of the title built,
/// and every heading read `# {year` or `# {foo} report`.
#[test]
fn a_title_pattern_uses_only_its_placeholders() {
    let p = Project::from_fixture("minimal");
    append(
        &p,
        "nianbao.toml",
        "\n[title]\nzh = \"{year}年{yaer}报告\"\nen = \"Report {year\"\n",
    );
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "error: `{yaer}` is not a placeholder of the title",
            "--> nianbao.toml:6:14",
            "error: an unclosed `{` in the title",
            "help: the title may use {year} (the report's year) and {next} (the year after)",
        ],
    );
    p.replace("nianbao.toml", "{yaer}", "{next}");
    p.replace("nianbao.toml", "Report {year\"", "Report {year}\"");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 0, "{err}");
}

/// Found by an audit: `[metrics.""]` built, as a metric named "".
#[test]
fn an_empty_metric_name_is_refused() {
    let p = Project::from_fixture("minimal");
    append(
        &p,
        "data/metrics.toml",
        "\n[metrics.\"\"]\nzh = \"空\"\nen = \"Empty\"\nformula = \"1\"\n",
    );
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(&err, &["error: `` cannot be a metric name"]);
}

/// Found by an audit: a `{% for %}` without its `{% endfor %}` was reported at a
/// later `{% endif %}` as an unknown tag, the `for` never named.
#[test]
fn a_block_left_open_is_named_where_it_opens() {
    let p = Project::from_fixture("minimal");
    p.write(
        "templates/partials/shortcomings.md",
        "{% if summary %}\n{% for s in summary.sections %}\n{{ s.title }}\n{% endif %}\n",
    );
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "Unknown tag `endif`",
            "2 | {% for s in summary.sections %}",
            "this {% for %} is not closed",
        ],
    );
}

/// Found by an audit: a misspelt block got the help on variables.
#[test]
fn a_block_the_parent_lacks_suggests_the_parents_blocks() {
    let p = Project::from_fixture("minimal");
    let report =
        std::fs::read_to_string(crate::support::repo_root().join("templates/report.md")).unwrap();
    p.write(
        "templates/report.md",
        &report
            .replace("{% block plan %}", "{% block plann %}")
            .replace("{% endblock plan %}", "{% endblock plann %}"),
    );
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 1, "{err}");
    has(
        &err,
        &[
            "Block `plann` is not defined in any parent template",
            "help: did you mean `plan`? The blocks of its parent are opening, indicators, summary, plan",
        ],
    );
}

/// Found by an audit: a 0-byte templates/report.md built empty reports without
/// a word. An empty partial leaves its part out, as it may.
#[test]
fn an_empty_report_template_is_a_warning() {
    let p = Project::from_fixture("minimal");
    std::fs::create_dir_all(p.path().join("templates/partials")).unwrap();
    p.write("templates/report.md", "");
    p.write("templates/partials/charts.md", "");
    let (code, err) = check(&p, &[]);
    assert_eq!(code, 0, "{err}");
    has(
        &err,
        &[
            "warning: templates/report.md: the template is empty: every report made from it is empty",
        ],
    );
    assert_eq!(err.matches("the template is empty").count(), 1, "{err}");
}
