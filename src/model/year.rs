//! One year of data: its period and status, the figure tree, its targets, and its
//! narrative (`data/<year>/*.toml`).

use chrono::NaiveDate;
use indexmap::IndexMap;

use super::{Plan, Summary};
use crate::diag::{FileId, Loc};
use crate::exact::Exact;

/// A node of the figure tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// A number, exactly as written.
    Number(Exact, Loc),
    /// A nested table.
    Table(IndexMap<String, Figure>, Loc),
}

impl Figure {
    /// Follows a dotted path from a table of figures.
    pub fn lookup<'a>(root: &'a IndexMap<String, Figure>, path: &[String]) -> Option<&'a Figure> {
        let (first, rest) = path.split_first()?;
        let mut node = root.get(first)?;
        for seg in rest {
            match node {
                Figure::Table(t, _) => node = t.get(seg)?,
                Figure::Number(..) => return None,
            }
        }
        Some(node)
    }

    /// The number at a dotted path written as text (`births.by_order.first`).
    pub fn number_at<'a>(root: &'a IndexMap<String, Figure>, dotted: &str) -> Option<&'a Exact> {
        let path: Vec<String> = dotted.split('.').map(str::to_string).collect();
        match Figure::lookup(root, &path) {
            Some(Figure::Number(n, _)) => Some(n),
            _ => None,
        }
    }

    /// Every dotted path to a number under `root`, in the order written.
    pub fn paths(root: &IndexMap<String, Figure>) -> Vec<String> {
        let mut out = Vec::new();
        walk_paths("", root, &mut |path, node| {
            if matches!(node, Figure::Number(..)) {
                out.push(path.to_string());
            }
        });
        out
    }

    /// Every dotted path to a table under `root`, in the order written.
    pub fn table_paths(root: &IndexMap<String, Figure>) -> Vec<String> {
        let mut out = Vec::new();
        walk_paths("", root, &mut |path, node| {
            if matches!(node, Figure::Table(..)) {
                out.push(path.to_string());
            }
        });
        out
    }
}

/// Calls `visit` on every node under `table` with its dotted path, parents first.
fn walk_paths(
    prefix: &str,
    table: &IndexMap<String, Figure>,
    visit: &mut dyn FnMut(&str, &Figure),
) {
    for (k, v) in table {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        visit(&path, v);
        if let Figure::Table(t, _) = v {
            walk_paths(&path, t, visit);
        }
    }
}

/// The status of a year's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Published figures.
    #[default]
    Final,
    /// 快报: may be revised by the yearbook.
    Preliminary,
    /// A year still being written.
    Draft,
}

/// A target for one metric.
#[derive(Debug, Clone)]
pub struct TargetDef {
    /// The metric.
    pub metric: String,
    /// Where the target is written.
    pub loc: Loc,
    /// Lower bound.
    pub min: Option<Exact>,
    /// Upper bound.
    pub max: Option<Exact>,
}

/// One year of data.
#[derive(Debug, Clone)]
pub struct YearData {
    /// The year (the folder name).
    pub year: i32,
    /// First day of the reporting period.
    pub start: NaiveDate,
    /// Last day of the reporting period.
    pub end: NaiveDate,
    /// Status of the figures.
    pub status: Status,
    /// Free-text notes of `[source]` (document, publisher, note …).
    pub source_notes: Vec<(String, String)>,
    /// The raw figures.
    pub figures: IndexMap<String, Figure>,
    /// Dotted paths of figures that are written but unusable (`nan`, a string …):
    /// already reported, so formulas naming them are not reported again as unknown.
    pub bad_figures: Vec<String>,
    /// Figures still marked as placeholders by `new-year` (`# placeholder: 151837,
    /// the 2006 value`).
    pub placeholders: Vec<Placeholder>,
    /// The `figures.toml` file.
    pub figures_file: FileId,
    /// `targets.toml`.
    pub targets: Vec<TargetDef>,
    /// `summary.toml`.
    pub summary: Option<Summary>,
    /// `plan.toml`.
    pub plan: Option<Plan>,
}

/// A figure `new-year` marked as last year's value.
#[derive(Debug, Clone)]
pub struct Placeholder {
    /// Its dotted path.
    pub path: String,
    /// Where it is written.
    pub loc: Loc,
    /// The value the mark records (`new-year` writes it since the mark was
    /// found to be defeated by a revision of last year's figures); `None` for a
    /// mark without one, or an inline table's mark.
    pub was: Option<Exact>,
}

impl YearData {
    /// Whether `self`'s reporting period is as long as `other`'s, a leap day
    /// aside: a half year's counts set against a whole year's would read as a
    /// change the data does not show (`增长101.5%`).
    pub fn period_as_long_as(&self, other: &YearData) -> bool {
        (self.period_days() - other.period_days()).abs() <= 1
    }

    /// The days of the reporting period, both ends counted.
    pub fn period_days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }
}
