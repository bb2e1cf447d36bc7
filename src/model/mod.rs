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
pub use text::{LocStr, Text, Unit};
pub use year::{Figure, Status, TargetDef, YearData};

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
