//! The output backends: the files a year's report is written as, one backend per
//! format. Each turns the rendered year into named files, with no I/O of its own;
//! together they make the year's complete [`OutputSet`], which the write stage puts
//! on disk (and which tells it which files of an earlier build are no longer made).
//!
//! To add a format: a file here with a `files` function, a [`Backend`] variant, its
//! entry in [`Backend::ALL`] and the names it owns in [`Backend::owns`].

pub mod data;
pub mod docx;
pub mod html;
pub mod markdown;
pub mod svg;

use std::sync::Arc;

use crate::compute::YearValues;
use crate::diag::{Diagnostic, Diagnostics, Sources};
use crate::model::{Project, YearData};
use crate::render::{RenderedYear, Renderer};

/// One file of a year's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Its name in the year's folder (`report.zh.md`).
    pub name: String,
    /// Its content (shared: years may write the same chart bytes).
    pub bytes: Arc<[u8]>,
}

impl OutputFile {
    /// A file from text.
    pub fn text(name: impl Into<String>, text: &str) -> OutputFile {
        OutputFile {
            name: name.into(),
            bytes: Arc::from(text.as_bytes()),
        }
    }
}

/// Every file of one year's output, in the order the backends made them.
#[derive(Debug, Clone, Default)]
pub struct OutputSet {
    /// The files.
    pub files: Vec<OutputFile>,
}

impl OutputSet {
    /// The file called `name`.
    pub fn get(&self, name: &str) -> Option<&OutputFile> {
        self.files.iter().find(|f| f.name == name)
    }
}

/// What a backend makes its files from.
#[derive(Clone, Copy)]
pub struct YearInput<'a> {
    /// The project.
    pub project: &'a Project,
    /// The year's data.
    pub data: &'a YearData,
    /// The year's computed values.
    pub values: &'a YearValues,
    /// Last year's computed values, when that year is there and computes.
    pub previous: Option<&'a YearValues>,
    /// The year's rendered editions and charts.
    pub report: &'a RenderedYear,
    /// The template engine (for templates of a format, such as the HTML page).
    pub renderer: &'a Renderer,
    /// Every source file, for located errors.
    pub sources: &'a Sources,
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `report.zh.md`, `report.en.md`.
    Markdown,
    /// `chart-<metric>.<lang>.svg`.
    Svg,
    /// `report.html`, which inlines the charts the SVG backend draws.
    Html,
    /// `metrics.json`, `metrics.csv`, `metrics.xlsx`.
    Data,
    /// `report.zh.docx`, `report.en.docx`: the official document.
    Docx,
}

impl Backend {
    /// Every backend, in the order their files are listed.
    pub const ALL: [Backend; 5] = [
        Backend::Markdown,
        Backend::Svg,
        Backend::Html,
        Backend::Data,
        Backend::Docx,
    ];

    /// The files of this format for one year.
    pub fn files(self, input: &YearInput) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        match self {
            Backend::Markdown => Ok(markdown::files(input)),
            Backend::Svg => svg::files(input),
            Backend::Html => html::files(input).map(|f| vec![f]),
            Backend::Data => data::files(input),
            Backend::Docx => docx::files(input),
        }
    }

    /// Whether a file of this name is one this backend writes (so that one an
    /// earlier build wrote, and this build does not, can be removed).
    pub fn owns(self, name: &str) -> bool {
        match self {
            Backend::Markdown => name.starts_with("report.") && name.ends_with(".md"),
            Backend::Svg => name.starts_with("chart-") && name.ends_with(".svg"),
            Backend::Html => name == "report.html",
            Backend::Data => matches!(name, "metrics.json" | "metrics.csv" | "metrics.xlsx"),
            Backend::Docx => name.starts_with("report.") && name.ends_with(".docx"),
        }
    }
}

/// Whether some backend writes files of this name.
pub fn is_output(name: &str) -> bool {
    Backend::ALL.iter().any(|b| b.owns(name))
}

/// The year's complete output set, from every backend, listed in the order of
/// [`Backend::ALL`]. On `threads` > 1 the backends make their files side by side
/// (a chart is drawn once, by whichever needs it first); a panic in one is raised
/// again here.
pub fn produce(input: &YearInput, threads: usize) -> Result<OutputSet, Diagnostics> {
    // The costliest first, so that two threads finish together: the two Word
    // documents are about half of a year's work.
    const BY_COST: [Backend; 5] = [
        Backend::Docx,
        Backend::Html,
        Backend::Data,
        Backend::Svg,
        Backend::Markdown,
    ];
    let mut made: Vec<(Backend, _)> =
        crate::par::par_map_on(threads, &BY_COST, |b| (*b, b.files(input)));
    made.sort_by_key(|(b, _)| Backend::ALL.iter().position(|a| a == b));
    let made = made.into_iter().map(|(_, files)| files);
    let mut set = OutputSet::default();
    let mut diags = Diagnostics::default();
    for files in made {
        match files {
            Ok(files) => set.files.extend(files),
            Err(d) => diags.extend_items(d),
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(set)
    }
}
