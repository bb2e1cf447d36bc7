//! The robustness audit of rendering: one regression test (at least) per item,
//! each failing on the code before its fix.

use crate::support::{Project, run};

/// Runs `nianbao ARGS` in `p`, asserts its exit status and that stderr says each
/// of `says`; returns stderr for further checks.
fn exits_saying(p: &Project, args: &[&str], status: i32, says: &[&str]) -> String {
    let (code, _, stderr) = run(&mut p.cmd(args));
    assert_eq!(code, status, "{stderr}");
    for phrase in says {
        assert!(stderr.contains(phrase), "expected {phrase:?} in:\n{stderr}");
    }
    stderr
}

/// Item 1: a code fence left open in one text took in the rest of the report
/// (exit 0, no word); it is an error at the fence, in check and build.
#[test]
fn an_unclosed_code_fence_in_a_text_is_a_located_error() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        "[shortcomings]\nzh = \"不足\"\nen = \"Text.\\n\\n```\\nunclosed\"\n",
    );
    for cmd in ["check", "build"] {
        let stderr = exits_saying(
            &p,
            &[cmd],
            1,
            &[
                "the shortcomings text (English) opens a code block that it does not close",
                "data/2020/summary.toml:3:",
            ],
        );
        assert!(stderr.contains("```"), "{stderr}");
    }
    assert!(!p.path().join("output/2020/report.html").exists());
    // Closed, it builds.
    p.write(
        "data/2020/summary.toml",
        "[shortcomings]\nzh = \"不足\"\nen = \"Text.\\n\\n```\\nclosed\\n```\"\n",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    // A fence inside a condition is judged by what renders (a regression
    // audit: this balanced block was an error); one a condition leaves open
    // is closed, so the next text is no code.
    p.write(
        "data/2020/summary.toml",
        "[shortcomings]\nzh = \"不足\"\nen = \"{% if year > 2000 %}\\n```text\\n{% else %}\\n```\\n{% endif %}\\ncode\\n```\\n\"\n",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 0, "{stderr}");
    p.write(
        "data/2020/summary.toml",
        "[shortcomings]\nzh = \"不足\"\nen = \"Text.\\n\\n{% if year > 2000 %}```{% endif %}\\nopen\"\n",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    let md = p.read("output/2020/report.en.md");
    let at = md.find("open").unwrap();
    assert!(md[at..].starts_with("open\n```"), "{md}");
}

/// Item 2: `check` passed a misspelt name in `templates/diff.html`, and `diff
/// --format html` then said "`titel`, `titel` not defined (byte 197 …)": both now
/// give one located error per place, with the nearest name.
#[test]
fn a_misspelt_name_in_the_diff_page_is_found_by_check_and_located() {
    let p = Project::from_fixture("minimal");
    let page = include_str!("../../templates/diff.html").replace(
        "<h1>{{ title }}</h1>",
        "<h1>{{ titel }}</h1>{% for m in metrics %}{{ m.lable }}{% endfor %}",
    );
    p.write("templates/diff.html", &page);
    let line = page.lines().position(|l| l.contains("titel")).unwrap() + 1;
    let at = format!("templates/diff.html:{line}:8");
    let says = [
        "`titel` is not defined",
        at.as_str(),
        "did you mean `title`?",
        "`m.lable` is not defined",
        "The diff page",
    ];
    exits_saying(&p, &["check"], 1, &says);
    let stderr = exits_saying(&p, &["diff", "2020", "2020", "--format", "html"], 1, &says);
    assert!(!stderr.contains("byte "), "{stderr}");
    // The built-in page passes.
    let p = Project::from_fixture("minimal");
    exits_saying(&p, &["check"], 0, &[]);
}

/// Item 3: `[title] en = ""` was warned of as shown in the other language, but
/// the English edition had an empty `# ` heading and `<h1></h1>`.
#[test]
fn an_empty_english_title_shows_the_chinese_one_marked_untranslated() {
    let p = Project::from_fixture("minimal");
    let config = p.read("nianbao.toml");
    p.write(
        "nianbao.toml",
        &format!("{config}[title]\nzh = \"{{year}}年报告\"\nen = \"\"\n"),
    );
    exits_saying(&p, &["check"], 0, &["the title has no English text yet"]);
    exits_saying(&p, &["build"], 0, &[]);
    let en = p.read("output/2020/report.en.md");
    assert!(en.starts_with("# (untranslated) 2020年报告\n"), "{en}");
    let html = p.read("output/2020/report.html");
    assert!(!html.contains("<h1></h1>"), "{html}");
    // Empty in both: the placeholder the warning names.
    p.write(
        "nianbao.toml",
        &format!("{config}[title]\nzh = \" \"\nen = \"\"\n"),
    );
    exits_saying(&p, &["build"], 0, &["the title is not written yet"]);
    let en = p.read("output/2020/report.en.md");
    assert!(en.starts_with("# (to be written)\n"), "{en}");
}

/// Item 3: a line break in the title split the heading, without a word.
#[test]
fn a_line_break_in_the_title_is_an_error_at_its_line() {
    let p = Project::from_fixture("minimal");
    let config = p.read("nianbao.toml");
    p.write(
        "nianbao.toml",
        &format!("{config}[title]\nzh = \"{{year}}年\\n# 工作总结\"\nen = \"{{year}} report\"\n"),
    );
    for cmd in ["check", "build"] {
        exits_saying(
            &p,
            &[cmd],
            1,
            &["the title holds a line break", "nianbao.toml:5:"],
        );
    }
}

/// Item 4: a template printing a whole record built, with a JSON-like dump and
/// blanks for its nulls: an error at the line, in check and build.
#[test]
fn a_record_printed_whole_by_a_template_is_a_located_error() {
    let p = Project::from_fixture("minimal");
    p.write(
        "templates/report.md",
        "# {{ title }}\n\n{{ metrics | first }}\n\n{% for m in metrics %}{{ m }}{% endfor %}\n",
    );
    for cmd in ["check", "build"] {
        exits_saying(
            &p,
            &[cmd],
            1,
            &[
                "`metrics | first` is a table or a record of several values",
                "templates/report.md:3:4",
                "`m` is a table or a record",
                "templates/report.md:5:",
                "`{{ m.label }}`",
            ],
        );
    }
    // A list of values prints as one: not an error.
    p.write("templates/report.md", "# {{ title }}\n\n{{ years }}\n");
    exits_saying(&p, &["build"], 0, &[]);
}

/// Item 6: a label past Excel's cell limit failed the build when metrics.xlsx
/// was written, unlocated and with its prefix twice.
#[test]
fn a_label_longer_than_an_excel_cell_is_an_error_in_metrics_toml() {
    let p = Project::from_fixture("minimal");
    let catalogue = p.read("data/metrics.toml");
    p.write(
        "data/metrics.toml",
        &format!(
            "{catalogue}\n[metrics.long]\nzh = \"长\"\nen = \"{}\"\nformula = \"counts.part\"\n",
            "L".repeat(40_000)
        ),
    );
    for cmd in ["check", "build"] {
        let stderr = exits_saying(
            &p,
            &[cmd],
            1,
            &[
                "the label of metric `long` is longer than a spreadsheet cell can hold",
                "data/metrics.toml:",
                "32767 characters",
            ],
        );
        assert!(!stderr.contains("cannot make metrics.xlsx"), "{stderr}");
    }
}
