//! The metric catalogue (`data/metrics.toml`): metrics with their formulas, and the
//! consistency checks, shared by every year.

use indexmap::IndexMap;

use super::{LocStr, Text, Unit};
use crate::diag::{FileId, Loc};
use crate::formula::Expr;

/// Which way is good for a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Up is good.
    Higher,
    /// Down is good.
    Lower,
}

/// What a metric measures, which decides how its change from last year is worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricKind {
    /// A count of people, events or things: a change is a difference (增加/减少) and
    /// a relative change.
    Count,
    /// A rate in `%` or `‰`: a change is in points (个百分点 / 个千分点), never a
    /// relative percentage.
    Rate,
    /// A ratio or level in its own unit (the sex ratio at birth): a change is a
    /// difference (提高/下降), with no relative change.
    Ratio,
}

/// A metric of the catalogue.
#[derive(Debug, Clone)]
pub struct MetricDef {
    /// Its name (the key in `[metrics.NAME]`).
    pub name: String,
    /// Where the name is written.
    pub name_loc: Loc,
    /// Chinese and English labels.
    pub label: Text,
    /// The formula text.
    pub formula_src: LocStr,
    /// The parsed formula, when it parsed.
    pub formula: Option<Expr>,
    /// The unit.
    pub unit: Unit,
    /// Displayed decimal places.
    pub decimals: u32,
    /// The good direction.
    pub better: Option<Better>,
    /// What it measures, as written (`kind = "count"`); see [`MetricDef::kind`].
    pub kind: Option<MetricKind>,
    /// Whether the trend chart shows it.
    pub chart: bool,
    /// Figure paths that make up this total (for breakdown charts).
    pub parts: Vec<(String, Loc)>,
    /// The label of each part, when the catalogue gives one
    /// (`parts = [{ figure = "births.by_order.first", zh = "一孩", en = "First births" }]`).
    pub part_labels: Vec<Option<Text>>,
}

impl MetricDef {
    /// True when the unit is a rate (`%` or `‰`): year-over-year changes are in points.
    pub fn is_rate(&self) -> bool {
        matches!(self.unit.zh.as_str(), "%" | "‰" | "％")
    }

    /// True when the unit is per mille: its points are 千分点.
    pub fn is_permille(&self) -> bool {
        self.unit.zh == "‰"
    }

    /// What the metric measures: as the catalogue says, else a rate when its unit is
    /// `%` or `‰`, a count when it has no decimals, and a ratio otherwise.
    pub fn kind(&self) -> MetricKind {
        match self.kind {
            Some(kind) => kind,
            None if self.is_rate() => MetricKind::Rate,
            None if self.decimals == 0 => MetricKind::Count,
            None => MetricKind::Ratio,
        }
    }
}

/// A consistency check of the catalogue.
#[derive(Debug, Clone)]
pub struct CheckDef {
    /// The rule text.
    pub rule_src: LocStr,
    /// The parsed rule.
    pub rule: Option<Expr>,
    /// The message shown when the rule fails.
    pub message: Option<Text>,
}

/// `data/metrics.toml`.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Metrics in the order written.
    pub metrics: IndexMap<String, MetricDef>,
    /// Checks in the order written.
    pub checks: Vec<CheckDef>,
    /// The file, when it was read.
    pub file: Option<FileId>,
}
