//! The Markdown backend: each edition's rendered `report.md`, as
//! `report.<lang>.md`. CommonMark with GFM tables, clean under markdownlint.

use super::{OutputFile, YearInput};

/// `report.zh.md` and `report.en.md`.
pub fn files(input: &YearInput) -> Vec<OutputFile> {
    input
        .report
        .editions
        .iter()
        .map(|e| OutputFile::text(format!("report.{}.md", e.lang.code()), &e.markdown))
        .collect()
}
