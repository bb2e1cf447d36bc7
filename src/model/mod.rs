//! The domain model: plain types for a report project, read by every stage and owned
//! by none. `load` fills them from disk, `check` and `compute` read them, `render` and
//! the output backends turn them into reports. Nothing here does I/O.

mod catalogue;
mod narrative;
mod text;
mod year;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

pub use catalogue::{Better, Catalogue, CheckDef, MetricDef, MetricKind};
pub use narrative::{Plan, Section, Summary};
pub use text::{LocStr, Positions, RunsBuilder, Text, Unit};
pub use year::{Figure, Placeholder, Status, TargetDef, YearData};

use crate::diag::FileId;
use crate::exact::Rounding;

/// `nianbao.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// The organisation that publishes the report.
    pub organisation: Text,
    /// Title pattern with `{year}` and `{next}`.
    pub title: Option<Text>,
    /// How displayed values are rounded.
    pub rounding: Rounding,
    /// How many years a trend chart shows, ending at the report's own.
    pub chart_years: u32,
    /// `[docx]`: changes to the official document's layout.
    pub docx: DocxConfig,
}

/// The years a trend chart shows when `nianbao.toml` does not say.
pub const CHART_YEARS: u32 = 10;

/// `[docx]` in `nianbao.toml`: what a project changes of the official document's
/// layout (GB/T 9704 by default); every entry is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocxConfig {
    /// Font names by role: `title`, `body`, `heading1`, `heading2`, `page_number`,
    /// `latin`.
    pub fonts: Vec<(String, String)>,
    /// Sizes in half-points by role: `title`, `body`, `table`, `page_number`.
    pub sizes: Vec<(String, u32)>,
    /// Margins in mm by side: `top`, `bottom`, `left`, `right`.
    pub margins: Vec<(String, u32)>,
    /// Lines of body text on a page.
    pub lines_per_page: Option<u32>,
    /// Characters of body text on a line.
    pub chars_per_line: Option<u32>,
    /// Whether the document grid fixes the characters of a line too.
    pub char_grid: Option<bool>,
}

/// A template file of the project that overrides a built-in one.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Its name relative to `templates/` (`partials/summary.md`).
    pub name: String,
    /// Its text.
    pub text: Arc<str>,
    /// Its source id.
    pub file: FileId,
}

/// A whole report project.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project folder.
    pub root: PathBuf,
    /// `nianbao.toml`.
    pub config: Config,
    /// `data/metrics.toml`.
    pub catalogue: Catalogue,
    /// Every year in `data/`, oldest first.
    pub years: BTreeMap<i32, YearData>,
    /// Template overrides from `templates/`.
    pub templates: Vec<TemplateFile>,
}
