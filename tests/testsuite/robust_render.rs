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

/// The text of one part of a built Word document of `p`.
fn docx_part(p: &Project, docx: &str, name: &str) -> String {
    use std::io::Read;
    let bytes = std::fs::read(p.path().join(docx)).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut file = zip.by_name(name).unwrap();
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

/// Notes audit, items 1 and 2: a note referred to (or defined) inside a
/// footnote's text gave the HTML a link to nothing and was lost in Word; a
/// table in a note went into the Word document's body. Both are located
/// errors, in check and build.
#[test]
fn a_note_or_a_table_inside_a_footnote_is_a_located_error() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        "[shortcomings]\nzh = \"不足。\"\nen = \"\"\"\n    Short[^t][^n].\n\n    [^t]: Table:\n\n        | a | b |\n        | --- | --- |\n        | 1 | 2 |\n\n    [^n]: Outer[^m].\n\n        [^m]: Inner.\n\"\"\"\n",
    );
    for cmd in ["check", "build"] {
        let stderr = exits_saying(
            &p,
            &[cmd],
            1,
            &[
                "the shortcomings text (English) has a table inside a footnote",
                "data/2020/summary.toml:8:9",
                "the shortcomings text (English) has a footnote inside a footnote's text",
                "data/2020/summary.toml:12:16",
            ],
        );
        // In the order of the text.
        assert!(
            stderr.find(":8:9").unwrap() < stderr.find(":12:16").unwrap(),
            "{stderr}"
        );
    }
    assert!(!p.path().join("output/2020/report.html").exists());
    // A note of its own, referred to from the body, builds.
    p.write(
        "data/2020/summary.toml",
        "[shortcomings]\nzh = \"不足。\"\nen = \"Short[^n][^m].\\n\\n[^n]: Outer.\\n\\n[^m]: Inner.\"\n",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("footnote"), "{stderr}");
}

/// Notes audit, item 3: a reference to a note no text defines was shown as
/// written with no word; a located warning, in check and build. A reference to
/// a note another text defines is no warning.
#[test]
fn a_reference_to_a_missing_footnote_is_a_located_warning() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        "[opening]\nzh = \"开头[^a]。\\n\\n[^a]: 注。\"\nen = \"Opening[^a].\\n\\n[^a]: Note.\"\n\n[shortcomings]\nzh = \"不足[^a]。\"\nen = \"Short[^a], missing[^9].\"\n",
    );
    for cmd in ["check", "build"] {
        let stderr = exits_saying(
            &p,
            &[cmd],
            0,
            &[
                "the shortcomings text (English) refers to footnote `[^9]`, which no text defines",
                "data/2020/summary.toml:7:25",
            ],
        );
        assert_eq!(
            stderr.matches("which no text defines").count(),
            1,
            "{stderr}"
        );
    }
}

/// A note that no text refers to was written into the Markdown and left out of
/// the HTML page and the Word document without a word: a located warning. One
/// referred to from another text, or from a template, is none.
#[test]
fn a_footnote_no_text_refers_to_is_a_located_warning() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        "[opening]\nzh = \"开头[^a]。\"\nen = \"Opening[^a].\"\n\n[shortcomings]\nzh = \"不足。\\n\\n[^a]: 注。\"\nen = \"Short.\\n\\n[^a]: Note.\\n\\n[^lost]: Never cited.\"\n",
    );
    for cmd in ["check", "build"] {
        let stderr = exits_saying(
            &p,
            &[cmd],
            0,
            &[
                "the shortcomings text (English) defines footnote `[^lost]`, which no text refers to",
                "data/2020/summary.toml:7:",
                "the HTML page and the Word document leave the note out",
            ],
        );
        assert_eq!(
            stderr.matches("which no text refers to").count(),
            1,
            "{stderr}"
        );
    }
    // Referred to from a template of the project: no warning.
    p.write(
        "templates/partials/shortcomings.md",
        &format!(
            "{}\nSee[^lost].\n",
            include_str!("../../templates/partials/shortcomings.md")
        ),
    );
    let (code, _, stderr) = run(&mut p.cmd(&["check"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("which no text refers to"), "{stderr}");
}

/// Notes audit, item 4: a section title's `[^1]` kept its label while its
/// text's note was renamed (another text has a `[^1]`), so the title showed
/// the other text's note.
#[test]
fn a_title_refers_to_its_texts_note_after_a_rename() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        "[[sections]]\ntitle = { zh = \"一\", en = \"One\" }\ntext = { zh = \"甲[^1]。\\n\\n[^1]: 甲注。\", en = \"A[^1].\\n\\n[^1]: Note A.\" }\n\n[[sections]]\ntitle = { zh = \"二[^1]\", en = \"Two[^1]\" }\ntext = { zh = \"乙[^1]。\\n\\n[^1]: 乙注。\", en = \"B[^1].\\n\\n[^1]: Note B.\" }\n",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    let md = p.read("output/2020/report.en.md");
    assert!(md.contains("Two[^1-2]") && md.contains("B[^1-2]."), "{md}");
    let html = p.read("output/2020/report.html");
    assert!(
        html.contains(
            "Two<sup class=\"footnote-ref\"><a href=\"#en-fn-2\" id=\"en-fnref-2\">2</a></sup></h3>"
        ),
        "{html}"
    );
    assert!(
        html.contains("B<sup class=\"footnote-ref\"><a href=\"#en-fn-2\">2</a></sup>"),
        "{html}"
    );
    // Word: the title has note 2's reference, its text the number 2.
    let doc = docx_part(&p, "output/2020/report.en.docx", "word/document.xml");
    let two = doc.find(">2. Two<").unwrap();
    let next = &doc[two..];
    let reference = next.find("w:footnoteReference w:id=\"2\"").unwrap();
    assert!(reference < next.find(">B<").unwrap(), "{next}");
}

/// Notes audit, items 5 and 6: a `%` that starts no escape was `%25` in Word
/// but left in the HTML (no valid URL); an autolink behind raw HTML came out
/// as escaped text; an email autolink was no link in Word.
#[test]
fn link_addresses_agree_and_autolinks_are_links_everywhere() {
    let p = Project::from_fixture("minimal");
    p.write(
        "data/2020/summary.toml",
        "[opening]\nzh = \"开头。\"\nen = \"<div>See <https://a.org/x></div> and [pct](https://e.x/100%/a%20b), <a@b.org>.\"\n",
    );
    let (code, _, stderr) = run(&mut p.cmd(&["build"]));
    assert_eq!(code, 0, "{stderr}");
    let md = p.read("output/2020/report.en.md");
    assert!(
        md.contains("&lt;div>See <https://a.org/x>&lt;/div>"),
        "{md}"
    );
    let html = p.read("output/2020/report.html");
    assert!(
        html.contains("See <a href=\"https://a.org/x\">https://a.org/x</a>"),
        "{html}"
    );
    assert!(html.contains("href=\"https://e.x/100%25/a%20b\""), "{html}");
    assert!(html.contains("href=\"mailto:a@b.org\""), "{html}");
    let rels = docx_part(
        &p,
        "output/2020/report.en.docx",
        "word/_rels/document.xml.rels",
    );
    for target in [
        "https://a.org/x",
        "https://e.x/100%25/a%20b",
        "mailto:a@b.org",
    ] {
        assert!(rels.contains(&format!("Target=\"{target}\"")), "{rels}");
    }
}
