//! Issue 11, "Never crash, never hang, never leave a mixed output": one regression
//! test (at least) per item, each failing on the code before the fix. A test of a
//! hang runs the binary through `run_bounded`, which kills it after a generous
//! minute and fails, rather than timing anything.

use crate::support::{Project, run, run_bounded};

/// `[metrics.NAME]` with the formula `terms` joined by `op`.
fn long_metric(name: &str, term: &str, op: &str, count: usize) -> String {
    let formula = vec![term; count].join(op);
    format!("\n[metrics.{name}]\nzh = \"长\"\nen = \"Long\"\nformula = \"{formula}\"\n")
}

/// Runs `nianbao ARGS` in `p` (bounded), asserts its exit status and that stderr
/// says each of `says`; returns stderr for further checks.
fn exits_saying(p: &Project, args: &[&str], status: i32, says: &[&str]) -> String {
    let (code, _, stderr) = run_bounded(&mut p.spawnable(args));
    assert_eq!(code, status, "{stderr}");
    for phrase in says {
        assert!(stderr.contains(phrase), "expected {phrase:?} in:\n{stderr}");
    }
    stderr
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

/// Item 4: a chain of squarings doubled the size of a value at each step, and
/// each step cost more than the last (over five minutes at eight steps). Each
/// step is checked against the limit now: the first over it is a located error
/// naming the metric, and the metrics built on it say nothing more.
#[test]
fn issue11_a_runaway_value_stops_at_the_first_step_over_the_limit() {
    let p = Project::from_fixture("minimal");
    let mut text = String::from(
        "\n[metrics.s0]\nzh = \"平方\"\nen = \"Square\"\nformula = \"1e300 + 1 / 3\"\n",
    );
    for i in 1..=12 {
        text.push_str(&format!(
            "[metrics.s{i}]\nzh = \"平方\"\nen = \"Square\"\nformula = \"s{0} * s{0}\"\n",
            i - 1
        ));
    }
    append(&p, "data/metrics.toml", &text);
    let stderr = exits_saying(
        &p,
        &["build"],
        1,
        &[
            "error: metric `s3` is too large to compute in 2020",
            "s2 * s2",
            "4,096 bits",
        ],
    );
    assert!(!stderr.contains("`s4`"), "{stderr}");
    assert!(!p.path().join("output").exists());
}

/// Item 4: a number written with more digits than the limit is refused where it
/// is written, in a formula or in a figures file, before any arithmetic.
#[test]
fn issue11_numbers_over_the_limit_are_refused_where_they_are_written() {
    let p = Project::from_fixture("minimal");
    append(
        &p,
        "data/metrics.toml",
        "\n[metrics.big]\nzh = \"大\"\nen = \"Big\"\nformula = \"1e4096 * 2\"\n",
    );
    append(
        &p,
        "data/2020/figures.toml",
        &format!("huge = {}\ntiny = 1e-2000\n", "9".repeat(100_000)),
    );
    exits_saying(
        &p,
        &["check"],
        1,
        &[
            "this number has too many digits to compute with",
            "the figure `counts.huge` has too many digits",
            "the figure `counts.tiny` has too many digits",
        ],
    );
}

/// Item 4: nested `range` loops in a narrative text aborted on memory (and took
/// `serve` with them). A render is bounded now: the loops stop at the budget of
/// `range`, a text at 10 MiB of output, and either is a located error at the text.
#[test]
fn issue11_runaway_loops_in_a_narrative_stop_with_a_located_error() {
    let p = Project::from_fixture("minimal");
    let nested =
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}";
    p.write(
        "data/2020/summary.toml",
        &format!("[opening]\nzh = \"开头\"\nen = \"{nested}\"\n"),
    );
    exits_saying(
        &p,
        &["build"],
        1,
        &["nested loops multiply", "--> data/2020/summary.toml:3:"],
    );

    let long = format!(
        "{{% for i in range(end=500000) %}}{}{{% endfor %}}",
        "x".repeat(100)
    );
    p.write(
        "data/2020/summary.toml",
        &format!("[opening]\nzh = \"开头\"\nen = \"{long}\"\n"),
    );
    exits_saying(
        &p,
        &["build"],
        1,
        &[
            "error: this text renders to more than 10 MiB",
            "--> data/2020/summary.toml:3:6",
        ],
    );

    // A template is bounded the same way.
    p.write(
        "data/2020/summary.toml",
        "[opening]\nzh = \"开头\"\nen = \"Opening\"\n",
    );
    p.write(
        "templates/report.md",
        &format!(
            "{{% for i in range(end=900000) %}}{}{{% endfor %}}\n",
            "y".repeat(20)
        ),
    );
    exits_saying(
        &p,
        &["build"],
        1,
        &["report renders to more than 10 MiB", "templates/report.md"],
    );
    assert!(!p.path().join("output").exists());
}

/// Item 5: each unknown name was scored against every figure for "did you mean"
/// (4,000 unknown names against 100,000 figures: 51 s in a release build, far
/// longer here). Each is scored against a bounded set now, and still finds the
/// typo.
#[test]
fn issue11_did_you_mean_among_many_figures_is_not_quadratic() {
    let p = Project::from_fixture("minimal");
    let mut figures = String::from("\n[many]\n");
    for i in 0..100_000 {
        figures.push_str(&format!("f{i} = {i}\n"));
    }
    append(&p, "data/2020/figures.toml", &figures);
    let mut text =
        String::from("\n[metrics.typo]\nzh = \"错\"\nen = \"Typo\"\nformula = \"counts.prat\"\n");
    for i in 0..1_000 {
        text.push_str(&format!(
            "[metrics.t{i}]\nzh = \"错\"\nen = \"Typo\"\nformula = \"many.g{i}x\"\n"
        ));
    }
    append(&p, "data/metrics.toml", &text);
    exits_saying(
        &p,
        &["check"],
        1,
        &["did you mean `counts.part`?", "unknown figure `many.g999x`"],
    );
}

/// Item 3: two links `a -> .` and `b -> .` in `templates/` or in a year folder
/// sent the walk of that folder round for ever (`build` never returned). Each
/// folder is walked once now, and a link into a folder that contains it is a
/// warning, not a hang.
#[cfg(unix)]
#[test]
fn issue11_symlink_loops_do_not_hang_the_build() {
    use std::os::unix::fs::symlink;
    let p = Project::from_fixture("years");
    let (code, _, stderr) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{stderr}");
    std::fs::create_dir_all(p.path().join("templates")).unwrap();
    for dir in ["templates", "data/2020"] {
        for name in ["a", "b"] {
            symlink(".", p.path().join(dir).join(name)).unwrap();
        }
    }
    // `build` builds 2021; the note on stale years walks data/2020 and templates/.
    exits_saying(
        &p,
        &["build"],
        0,
        &[
            "warning: templates/a: a link to a folder that contains it is not followed",
            "built 2021",
        ],
    );
}

/// Item 3: a FIFO where an input belongs blocked the build on `open`, and a link
/// to /dev/zero filled the memory. Only regular files are read, up to 16 MiB,
/// and anything else is an I/O error (exit 2) naming the file.
#[cfg(unix)]
#[test]
fn issue11_only_regular_files_of_a_sane_size_are_read() {
    let p = Project::from_fixture("minimal");
    let summary = p.path().join("data/2020/summary.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&summary)
        .status()
        .unwrap();
    assert!(made.success());
    exits_saying(
        &p,
        &["build"],
        2,
        &[
            "error: data/2020/summary.toml: cannot read the file: it is a named pipe (FIFO), not a regular file",
        ],
    );

    std::fs::remove_file(&summary).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &summary).unwrap();
    exits_saying(&p, &["check"], 2, &["it is a device, not a regular file"]);

    std::fs::remove_file(&summary).unwrap();
    std::fs::write(&summary, "# padding\n".repeat(1_700_000)).unwrap();
    exits_saying(&p, &["check"], 2, &["it is larger than 16 MiB"]);
}

/// Item 8: `diff --out data/metrics.toml` replaced the catalogue with HTML and
/// exited 0; `build --out data` wrote year folders among the inputs. An output
/// inside data/ or templates/, or onto nianbao.toml, however it is spelt, is a
/// usage error now, and nothing is written.
#[test]
fn issue11_output_over_the_inputs_is_refused() {
    let p = Project::from_fixture("years");
    let catalogue = p.read("data/metrics.toml");
    let config = p.read("nianbao.toml");
    let data = p.path().join("data");
    let cases: Vec<Vec<String>> = vec![
        vec![
            "diff".into(),
            "2020".into(),
            "2021".into(),
            "--format".into(),
            "html".into(),
            "--out".into(),
            data.join("metrics.toml").display().to_string(),
        ],
        vec![
            "diff".into(),
            "2020".into(),
            "2021".into(),
            "--out".into(),
            p.path().join("nianbao.toml").display().to_string(),
        ],
        vec![
            "diff".into(),
            "2020".into(),
            "2021".into(),
            "--out".into(),
            p.path()
                .join("output/../templates/new/x.md")
                .display()
                .to_string(),
        ],
        vec![
            "build".into(),
            "--all".into(),
            "--out".into(),
            data.display().to_string(),
        ],
        vec![
            "build".into(),
            "--out".into(),
            data.join("2020/./../new").display().to_string(),
        ],
    ];
    for args in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, _, stderr) = run(&mut p.cmd(&args));
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains("where nianbao reads its inputs")
                || stderr.contains("is the project's nianbao.toml"),
            "{stderr}"
        );
    }
    assert_eq!(p.read("data/metrics.toml"), catalogue);
    assert_eq!(p.read("nianbao.toml"), config);
    assert!(!data.join("2021").join("report.html").exists());
    assert!(!p.path().join("templates").exists());
    // A relative path counts from the working folder, as the shell sees it.
    let (code, _, stderr) = run(p.cmd(&["build", "--out", "data"]).current_dir(p.path()));
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = run(p
        .cmd(&["build", "--out", "elsewhere"])
        .current_dir(p.path()));
    assert_eq!(code, 0, "{stderr}");
    assert!(p.path().join("elsewhere/2021/report.html").is_file());
}

/// The files of every year folder under `out`: year → file name → bytes.
type Tree = std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<u8>>>;

fn tree(out: &std::path::Path) -> Tree {
    let mut years = Tree::new();
    let Ok(entries) = std::fs::read_dir(out) else {
        return years;
    };
    for entry in entries {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let mut files = std::collections::BTreeMap::new();
        if entry.file_type().unwrap().is_dir() {
            for f in std::fs::read_dir(entry.path()).unwrap() {
                let f = f.unwrap();
                files.insert(
                    f.file_name().to_string_lossy().into_owned(),
                    std::fs::read(f.path()).unwrap_or_default(),
                );
            }
        }
        years.insert(name, files);
    }
    years
}

/// Every path under `dir` whose name starts with `.nianbao-`.
fn temporaries(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(".nianbao-") {
                found.push(e.path());
            } else if e.file_type().is_ok_and(|t| t.is_dir()) {
                pending.push(e.path());
            }
        }
    }
    found
}

/// A project of 16 years, each a copy of the minimal fixture's 2020; `state`
/// sets a figure that changes every file of every year.
fn many_years(state: u32) -> Project {
    let p = Project::from_fixture("minimal");
    set_state(&p, state);
    p
}

fn set_state(p: &Project, state: u32) {
    let figures =
        std::fs::read_to_string(crate::support::fixture("minimal").join("data/2020/figures.toml"))
            .unwrap()
            .replace("part = 57", &format!("part = {}", 50 + state));
    for year in 2005..=2020 {
        let text = figures.replace("2020-", &format!("{year}-"));
        // Replaced whole (written aside, then renamed), so that a build running
        // meanwhile reads the old file or the new, never half of one.
        let path = p.path().join(format!("data/{year}/figures.toml"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let aside = path.with_extension("toml.new");
        std::fs::write(&aside, &text).unwrap();
        std::fs::rename(&aside, &path).unwrap();
    }
}

/// A small pseudo-random sequence (the seed is printed, to replay a failure).
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

fn seed() -> u64 {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("seed {seed}");
    seed
}

/// Items 6 and 7: killed while writing, a build left `.nianbao-*` files for ever
/// and year folders of two states (1957 new, 2006 old). Each year is switched as
/// a unit now: killed at random moments, 25 times, between two states of the
/// data, every year folder is entirely one of the two reference builds, and the
/// next build leaves no temporary behind.
#[test]
fn issue11_a_build_killed_at_any_moment_leaves_each_year_old_or_new() {
    let p = many_years(0);
    let reference = |state: u32| {
        set_state(&p, state);
        let out = p.path().join(format!("ref-{state}"));
        let started = std::time::Instant::now();
        let (code, _, stderr) =
            run(&mut p.cmd(&["build", "--all", "--out", out.to_str().unwrap()]));
        assert_eq!(code, 0, "{stderr}");
        (tree(&out), started.elapsed())
    };
    let (old, took) = reference(0);
    let (new, _) = reference(1);
    assert_eq!(old.len(), 16);
    assert!(
        old.iter().all(|(y, files)| new[y] != *files),
        "every year must change"
    );
    let out = p.path().join("output");
    let mut rng = Lcg(seed());
    let mut state = 0;
    set_state(&p, 0);
    assert_eq!(run(&mut p.cmd(&["build", "--all"])).0, 0);
    let span = (took.as_millis() as u64).max(20) * 3 / 2;
    for round in 0..25 {
        state = 1 - state;
        set_state(&p, state);
        let mut child = p
            .spawnable(&["--quiet", "build", "--all"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(rng.below(span)));
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&out);
        for year in old.keys() {
            let files = now
                .get(year)
                .unwrap_or_else(|| panic!("round {round}: {year} is missing"));
            assert!(
                *files == old[year] || *files == new[year],
                "round {round}: {year} holds files of two states: {:?}",
                files.keys().collect::<Vec<_>>()
            );
        }
    }
    let (code, _, stderr) = run(&mut p.cmd(&["build", "--all"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(temporaries(&out), Vec::<std::path::PathBuf>::new());
    let expected = if state == 0 { &old } else { &new };
    assert_eq!(&tree(&out), expected);
}

/// Item 6: SIGTERM (or Ctrl-C) during a build removes what the write stage was
/// making and exits with 143 (130); it used to leave some 200 temporary files.
#[cfg(unix)]
#[test]
fn issue11_sigterm_during_a_build_leaves_no_temporaries() {
    let p = many_years(0);
    let started = std::time::Instant::now();
    assert_eq!(run(&mut p.cmd(&["build", "--all"])).0, 0);
    let span = (started.elapsed().as_millis() as u64).max(20) * 3 / 2;
    let out = p.path().join("output");
    let mut rng = Lcg(seed());
    for round in 0..20 {
        set_state(&p, 1 + round % 2);
        let mut child = p
            .spawnable(&["--quiet", "build", "--all"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(rng.below(span)));
        let signal = if round % 4 == 3 {
            libc::SIGINT
        } else {
            libc::SIGTERM
        };
        // SAFETY: a plain kill(2) of our own child.
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        let expected = 128 + signal;
        assert!(
            status.code() == Some(0)
                || status.code() == Some(expected)
                || status.signal() == Some(signal),
            "round {round}: {status:?}"
        );
        assert_eq!(
            temporaries(&out),
            Vec::<std::path::PathBuf>::new(),
            "round {round}: {status:?}"
        );
    }
}

/// Item 7: two builds of one output folder at once (or a build beside serve)
/// take turns on the folder's lock: each year is entirely one state, and the
/// last to write wins. The two builds read two projects, one in each state, so
/// that what is tested is the writing: a project edited while a build reads it
/// could give a year of mixed inputs (this test did so once, on a loaded
/// machine, when the states were switched under a running build).
#[test]
fn issue11_concurrent_builds_of_one_folder_take_turns() {
    let projects = [many_years(0), many_years(1)];
    let trees: Vec<_> = projects
        .iter()
        .map(|p| {
            let out = p.path().join("ref");
            let (code, _, err) =
                run(&mut p.cmd(&["build", "--all", "--out", out.to_str().unwrap()]));
            assert_eq!(code, 0, "{err}");
            tree(&out)
        })
        .collect();
    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("output");
    for round in 0..6 {
        let spawn = |p: &Project| {
            p.spawnable(&["--quiet", "build", "--all", "--out", out.to_str().unwrap()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let first = spawn(&projects[round % 2]);
        std::thread::sleep(std::time::Duration::from_millis(10));
        let second = spawn(&projects[(round + 1) % 2]);
        for child in [first, second] {
            let done = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&done.stderr);
            assert!(done.status.success(), "round {round}: {stderr}");
        }
        let now = tree(&out);
        for (year, files) in &now {
            assert!(
                *files == trees[0][year] || *files == trees[1][year],
                "round {round}: {year} holds files of two states"
            );
        }
        assert_eq!(temporaries(&out), Vec::<std::path::PathBuf>::new());
    }
}

/// The lock itself, which the test above cannot tell from luck: while another
/// process holds the output folder's lock, a build says it waits, writes nothing
/// and does not finish; once the lock is let go it builds. Without the lock the
/// build would finish at once, with no note, while the folder is held.
#[cfg(unix)]
#[test]
fn issue11_a_build_waits_for_the_writer_that_holds_the_output_folder() {
    use std::io::BufRead as _;
    let p = Project::from_fixture("minimal");
    let out = p.path().join("output");
    std::fs::create_dir_all(&out).unwrap();
    // What nianbao locks on Unix: the folder itself, with flock.
    let held = std::fs::File::open(&out).unwrap();
    held.lock().unwrap();
    let mut child = p
        .spawnable(&["build"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines_tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            if lines_tx.send(line.unwrap_or_default()).is_err() {
                return;
            }
        }
    });
    let minute = std::time::Duration::from_secs(60);
    let mut said = Vec::new();
    loop {
        match lines.recv_timeout(minute) {
            Ok(line) if line.contains("waiting for another nianbao") => break,
            Ok(line) => said.push(line),
            Err(e) => {
                let _ = child.kill();
                panic!("no note of waiting ({e}); it said: {said:?}");
            }
        }
    }
    // It waits: still running, nothing switched in, however long it is given.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "it did not wait: {said:?}"
    );
    let inside: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        !inside.iter().any(|n| n == "2020"),
        "a year was switched in under another writer's lock: {inside:?}"
    );
    drop(held);
    let status = child.wait().unwrap();
    let rest: Vec<String> = lines.iter().collect();
    assert!(status.success(), "{said:?} {rest:?}");
    assert!(out.join("2020/report.html").is_file(), "{rest:?}");
}

/// Item 10: a folder `0999` was read as year 999 and blocked every command with
/// advice (`new-year 999`) that was itself refused, while `99999`, `2006a`,
/// `" 2006"` and `２０２１` were ignored without a word. A year is exactly four
/// ASCII digits from 1000 to 9999; anything that looks like one and is not is a
/// warning naming the folder.
#[test]
fn issue11_folders_that_look_like_years_are_named_not_misread() {
    let p = Project::from_fixture("minimal");
    let figures = p.read("data/2020/figures.toml");
    for name in ["0999", "99999", "2006a", " 2006", "２０２１", "notes"] {
        p.write(&format!("data/{name}/figures.toml"), &figures);
    }
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("built 2020"), "{stderr}");
    for (name, why) in [
        ("0999", "a year is from 1000 to 9999"),
        ("99999", "exactly four digits"),
        ("2006a", "four digits and nothing else"),
        (" 2006", "its name has spaces"),
        ("２０２１", "not ASCII digits"),
    ] {
        let line =
            format!("warning: data/{name}: this folder looks like a year but is not read as one");
        assert!(stderr.contains(&line), "{line}\n{stderr}");
        assert!(stderr.contains(why), "{why}\n{stderr}");
    }
    assert!(!stderr.contains("data/notes"), "{stderr}");
    assert!(!stderr.contains("999 has no figures.toml"), "{stderr}");
    let (code, _, stderr) = run(&mut p.cmd(&["new-year", "2021"]));
    assert_eq!(code, 0, "{stderr}");
}

/// Item 11: `diff` exited 0 for a year whose checks fail, and showed unrendered
/// `{{ … }}` source when a narrative failed to render. Such a year is an error
/// (exit 1) with the diagnostics `build` gives, and nothing on standard output.
#[test]
fn issue11_diff_refuses_a_year_that_does_not_build() {
    let p = Project::from_fixture("years");
    append(
        &p,
        "data/metrics.toml",
        "\n[[checks]]\nrule = \"counts.part < 10010\"\nzh = \"部分过大\"\nen = \"Part too large\"\n",
    );
    let (code, stdout, stderr) = run(&mut p.cmd(&["diff", "2020", "2021"]));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("error: check failed in 2021: Part too large"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: cannot compare 2020 and 2021"),
        "{stderr}"
    );
    assert!(stdout.is_empty(), "{stdout}");

    let p = Project::from_fixture("years");
    p.replace("data/2021/summary.toml", "{{ m.rate }}", "{{ m.rat }}");
    for format in ["text", "html", "json"] {
        let (code, stdout, stderr) = run(&mut p.cmd(&["diff", "2020", "2021", "--format", format]));
        assert_eq!(code, 1, "{format}: {stderr}");
        assert!(stderr.contains("template error"), "{stderr}");
        assert!(stderr.contains("--> data/2021/summary.toml"), "{stderr}");
        assert!(!stdout.contains("{{"), "{stdout}");
    }
}

/// Item 12: metrics named `and`, `or`, `not` (or `sum`, `min`, `max`, `abs`,
/// `true`, `false`) were accepted but could never be referenced. They are refused
/// where they are defined, with a located error.
#[test]
fn issue11_reserved_words_cannot_name_a_metric() {
    for name in [
        "and", "or", "not", "sum", "min", "max", "abs", "true", "false",
    ] {
        let p = Project::from_fixture("minimal");
        append(
            &p,
            "data/metrics.toml",
            &format!("\n[metrics.{name}]\nzh = \"保留\"\nen = \"Reserved\"\nformula = \"1\"\n"),
        );
        let (code, _, stderr) = run(&mut p.cmd(&["check"]));
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("error: `{name}` cannot be a metric name")),
            "{stderr}"
        );
        assert!(stderr.contains("--> data/metrics.toml:32:10"), "{stderr}");
        assert!(stderr.contains("a reserved word"), "{stderr}");
    }
}

/// Found on the way: `nianbao check 2>&1 | head -1` on a project with many
/// errors aborted (status 134) once `head` closed the pipe, since `eprintln!`
/// panics on a closed stream and the panic message could not be printed either.
#[test]
fn issue11_a_closed_pipe_is_no_crash() {
    use std::io::Read;
    let p = Project::from_fixture("minimal");
    let mut text = String::new();
    for i in 0..2_000 {
        text.push_str(&format!(
            "\n[metrics.t{i}]\nzh = \"错\"\nen = \"Typo\"\nformula = \"counts.g{i}x\"\n"
        ));
    }
    append(&p, "data/metrics.toml", &text);
    let mut child = p
        .spawnable(&["check"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stderr.take().unwrap().read_exact(&mut first).unwrap();
    // The reading end is closed here, as `head` closes it.
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "{status:?}");
}

/// Item 13: labels, units, the organisation and the title went into the Markdown
/// unescaped, and a `javascript:` link of a narrative text survived there.
#[test]
fn issue11_the_markdown_carries_no_raw_html_and_no_script_link() {
    let p = Project::from_fixture("minimal");
    p.replace(
        "data/metrics.toml",
        "en = \"Share\"",
        "en = \"<img src=x onerror=alert(1)> [a](javascript:alert(2))\"",
    );
    p.replace(
        "nianbao.toml",
        "en = \"Test Office\"",
        "en = \"<b>Office</b> *one*\"",
    );
    p.write(
        "data/2020/summary.toml",
        "opening = { zh = \"见[规则](javascript:alert(3))。\", en = \"See [the rules](javascript:alert(3)) and [the site](https://example.org).\" }\n",
    );
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{err}");
    let en = p.read("output/2020/report.en.md");
    let unescaped = en.replace("\\<", "");
    assert!(
        !unescaped.contains("<img") && !unescaped.contains("<b>"),
        "{en}"
    );
    // The label's brackets are escaped: no link is made of them.
    assert!(!en.replace("\\](", "").contains("](javascript:"), "{en}");
    assert!(
        en.contains("\\<img src=x onerror=alert(1)\\> \\[a\\]"),
        "{en}"
    );
    assert!(en.contains("\\<b\\>Office\\</b\\> \\*one\\*"), "{en}");
    assert!(
        en.contains("See the rules and [the site](https://example.org)."),
        "{en}"
    );
    let zh = p.read("output/2020/report.zh.md");
    assert!(
        zh.contains("见规则。") && !zh.contains("javascript"),
        "{zh}"
    );
    // Every other renderer shows what the data says: pulldown-cmark here.
    let html = p.read("output/2020/report.html");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    assert!(!html.contains("<img"));
}

/// Found by a robustness audit: `completions bash > /dev/full` panicked (exit
/// 101), and `vars` or `templates list` into a full disk lost what they printed
/// and exited 0.
#[cfg(target_os = "linux")]
#[test]
fn a_command_that_cannot_print_says_so_and_exits_2() {
    let p = Project::from_fixture("minimal");
    for args in [
        &["completions", "bash"][..],
        &["templates", "list"],
        &["vars"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let done = p.spawnable(args).stdout(full).output().unwrap();
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// `diff --out` onto a FIFO (or a device) replaced it with a regular file; a
/// file nianbao writes never takes the place of something that is not a file.
#[cfg(unix)]
#[test]
fn writing_a_file_never_replaces_a_fifo_or_a_device() {
    use std::os::unix::fs::FileTypeExt as _;
    let p = Project::example();
    let fifo = p.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (code, _, stderr) =
        run(&mut p.cmd(&["diff", "2006", "2007", "--out", fifo.to_str().unwrap()]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not a regular file"), "{stderr}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

/// Found by a robustness audit: `{% set a = a ~ a %}` forty times in a narrative
/// text grew one string past any memory (no output limit sees a value being
/// built) and the process aborted. Joining text onto a set value is refused
/// before the text renders.
#[test]
fn a_text_that_doubles_a_string_is_refused_before_it_renders() {
    let p = Project::from_fixture("minimal");
    let doubling = "{% set a = a ~ a %}".repeat(40);
    p.write(
        "data/2020/summary.toml",
        &format!(
            "opening = {{ zh = \"{{% set a = 'xxxxxxxx' %}}{doubling}{{{{ a }}}}\", en = \"x\" }}\n"
        ),
    );
    let stderr = exits_saying(
        &p,
        &["check"],
        1,
        &[
            "`a` is set from itself joined twice, doubling it each time it runs",
            "data/2020/summary.toml:1:",
        ],
    );
    assert_eq!(
        stderr.matches("is set from itself joined twice").count(),
        1,
        "{stderr}"
    );
}

/// The same growth through a chain of `replace` filters, with no `set`: each
/// result is measured before it is made.
#[test]
fn a_chain_of_replacements_that_doubles_a_text_is_stopped() {
    let p = Project::from_fixture("minimal");
    let chain = " | replace(from='x', to='xx')".repeat(40);
    p.write(
        "data/2020/summary.toml",
        &format!(
            "opening = {{ zh = \"{{{{ 'xxxxxxxx'{chain} }}}}\", en = \"{{{{ 'a-b' | replace(from='-', to='–') }}}}\" }}\n"
        ),
    );
    exits_saying(
        &p,
        &["check"],
        1,
        &[
            "`replace` would make a text of",
            "data/2020/summary.toml:1:",
        ],
    );
    // An ordinary replacement still works.
    p.write(
        "data/2020/summary.toml",
        "opening = { zh = \"{{ 'a-b' | replace(from='-', to='至') }}\", en = \"{{ 'a-b' | replace(from='-', to='–') }}\" }\n",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(p.read("output/2020/report.zh.md").contains("a至b"));
    assert!(p.read("output/2020/report.en.md").contains("a–b"));
}

/// Found by an audit: a chain of 200 includes (each partial including the next)
/// overflowed the render's stack and aborted the process (exit 134, no word).
#[test]
fn a_chain_of_includes_too_deep_to_render_is_a_located_error() {
    let p = Project::from_fixture("minimal");
    p.write(
        "templates/partials/shortcomings.md",
        "{% include \"partials/c0.md\" %}\n",
    );
    for i in 0..200 {
        p.write(
            &format!("templates/partials/c{i}.md"),
            &format!(
                "{{% for q{i} in [1] %}}{{% include \"partials/c{}.md\" %}}{{% endfor %}}\n",
                i + 1
            ),
        );
    }
    p.write("templates/partials/c200.md", "end\n");
    for args in [&["check"][..], &["build"][..]] {
        let (code, _, err) = run(&mut p.cmd(args));
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("includes nest more than 40 templates deep"),
            "{err}"
        );
        assert!(err.contains("--> templates/partials/c"), "{err}");
    }
}

/// Found by an audit: `nianbao import … 2>&1 | head -1` panicked (status 101)
/// and wrote nothing, since import printed with `eprintln!`.
#[test]
fn import_survives_a_closed_standard_error() {
    let p = Project::example();
    let mut child = p
        .spawnable(&["import", "data/forms-2006.xlsx", "--year", "1990"])
        .current_dir(p.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Closed before import prints anything.
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(p.read("data/1990/figures.toml").contains("[population]"));
}

/// Found by an audit: a template doubling a set value in a loop (26 times) took
/// 11 s and 3.4 GB, and a few more doublings would have exhausted the memory.
#[test]
fn a_template_that_doubles_a_value_is_refused_before_it_runs() {
    let p = Project::from_fixture("minimal");
    p.write(
        "templates/partials/shortcomings.md",
        "{% set_global s = \"x\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}\n",
    );
    let (code, _, err) = run_bounded(&mut p.spawnable(&["build"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("a `set` joins a value onto itself twice, doubling it each time it runs"),
        "{err}"
    );
    assert!(
        err.contains("--> templates/partials/shortcomings.md:1:67"),
        "{err}"
    );
    // Growing a text a piece at a time is fine.
    p.write(
        "templates/partials/shortcomings.md",
        "{% set_global s = \"\" %}{% for i in range(end=3) %}{% set_global s = s ~ i ~ \",\" %}{% endfor %}{{ s }}\n",
    );
    let (code, _, err) = run_bounded(&mut p.spawnable(&["build"]));
    assert_eq!(code, 0, "{err}");
}

/// Found by an audit: a NUL and an escape sequence in a template went into the
/// Markdown and the HTML as they were.
#[test]
fn a_template_holding_a_control_character_is_an_error_at_it() {
    let p = Project::from_fixture("minimal");
    p.write(
        "templates/partials/shortcomings.md",
        "ab\u{0}cd\u{1b}[31m\n",
    );
    let (code, _, err) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error: the template holds U+0000, a character no report can show"),
        "{err}"
    );
    assert!(
        err.contains("--> templates/partials/shortcomings.md:1:3"),
        "{err}"
    );
    assert!(!p.path().join("output").exists());
}

/// Found by an audit: components calling each other in a circle stopped at
/// Tera's recursion limit with a message that named no place.
#[test]
fn components_calling_each_other_in_a_circle_are_located() {
    let p = Project::from_fixture("minimal");
    let base =
        std::fs::read_to_string(crate::support::repo_root().join("templates/base.md")).unwrap();
    let circle = "{% component a() %}{{ <b /> }}{% endcomponent a %}\n{% component b() %}{{ <a /> }}{% endcomponent b %}\n{{ <a /> }}\n";
    p.write("templates/base.md", &format!("{circle}{base}"));
    let (code, _, err) = run_bounded(&mut p.spawnable(&["check"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--> templates/base.md:2:23"), "{err}");
    assert!(err.contains("(a → b → a)"), "{err}");
}
