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
}
