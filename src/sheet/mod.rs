//! Spreadsheets in and out. In: `nianbao import` reads a form (`.xlsx`, `.xls`,
//! `.ods`, `.csv`), finds each figure by `data/import.toml` ([`mapping`]), reads
//! its cell as an exact decimal ([`number`]) and changes only those values in
//! `figures.toml` ([`apply`]). Out: the bytes of `metrics.xlsx` ([`xlsx`]) and the
//! field escaping and byte-order mark of `metrics.csv` ([`csv_out`]).
//!
//! Nothing here prints or writes files: `cmd/import.rs` does, and the build writes
//! the outputs. See docs/spreadsheets.md for the user's side.

pub mod apply;
pub mod csv_out;
pub mod mapping;
pub mod number;
pub mod read;
pub mod resolve;
pub mod xlsx;

use std::borrow::Cow;
use std::collections::BTreeSet;

pub use csv_out::{UTF8_BOM, csv_text};
pub use resolve::PathError;
pub use xlsx::{ChangeKind, MetricRow, MetricsSheet, metrics_xlsx};

/// The most characters of a cell's text that a message quotes: an audit's 1 MB
/// cell was echoed whole, a megabyte of terminal for one wrong value.
pub const QUOTED_CHARS: usize = 64;

/// A cell's text as a message shows it: whole up to [`QUOTED_CHARS`] characters,
/// else its beginning (cut at a character) and `…`.
pub fn clip(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// A cell's text quoted in a message: `` `text` ``, or, when [`clip`] cuts it,
/// `` `beginning…` (N characters) `` so that the reader knows how much is missing.
pub fn quote(text: &str) -> String {
    match clip(text) {
        Cow::Borrowed(t) => format!("`{t}`"),
        Cow::Owned(t) => format!("`{t}` ({} characters)", text.chars().count()),
    }
}

/// One figure read from the spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The figure path (`births.by_order.first`).
    pub path: String,
    /// Its value as exact decimal text (`929`, `12.35`).
    pub decimal: String,
    /// The cell it came from (`表1!D9`).
    pub cell: String,
}

/// The figure paths a project knows, so that a mistyped path in a mapping is an
/// error rather than a junk figure: every figure of every year, every figure a
/// formula, a check or a breakdown names, and the tables `sum(…)` adds up.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Figure paths (numbers, not tables).
    pub figures: BTreeSet<String>,
    /// Tables named by `sum(…)`.
    pub summed: BTreeSet<String>,
    /// Accept every path: the project's files could not be read to know better (the
    /// check after the import reports why).
    pub any: bool,
}

impl Known {
    /// Whether `path` may be imported. A path under a table that `sum(…)` adds up is
    /// accepted while no year has a figure in that table (a first year has nothing
    /// else to go by); once one has, the figures of the years are the known ones.
    pub fn check(&self, path: &str) -> Result<(), PathError> {
        if self.any || self.figures.contains(path) {
            return Ok(());
        }
        let prefix = format!("{path}.");
        if self.figures.iter().any(|f| f.starts_with(&prefix)) {
            return Err(PathError::Table);
        }
        let new_part = self.summed.iter().any(|t| {
            let inside = format!("{t}.");
            path.starts_with(&inside) && !self.figures.iter().any(|f| f.starts_with(&inside))
        });
        if new_part {
            return Ok(());
        }
        let near = crate::suggest::nearest(path, self.figures.iter().map(String::as_str));
        Err(PathError::Unknown(near.map(str::to_string)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_cell_texts_are_quoted_clipped_with_their_length() {
        assert_eq!(quote("约5万"), "`约5万`");
        let exact = "x".repeat(QUOTED_CHARS);
        assert_eq!(quote(&exact), format!("`{exact}`"));
        // Cut at a character, never inside one: 年 is three bytes.
        let long = "年".repeat(1_000_000);
        let q = quote(&long);
        assert_eq!(
            q,
            format!("`{}…` (1000000 characters)", "年".repeat(QUOTED_CHARS))
        );
        assert_eq!(clip(&long).chars().count(), QUOTED_CHARS + 1);
    }

    #[test]
    fn known_paths_and_their_neighbours() {
        let known = Known {
            figures: [
                "population.total",
                "births.by_order.first",
                "births.by_order.second",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            summed: ["births.by_order", "operations"]
                .into_iter()
                .map(String::from)
                .collect(),
            any: false,
        };
        assert_eq!(known.check("population.total"), Ok(()));
        assert_eq!(known.check("births.by_order"), Err(PathError::Table));
        assert_eq!(
            known.check("births.by_order.frist"),
            Err(PathError::Unknown(Some("births.by_order.first".into())))
        );
        assert_eq!(
            known.check("population.totl"),
            Err(PathError::Unknown(Some("population.total".into())))
        );
        // No year has a figure in `operations`: its parts are new, and accepted.
        assert_eq!(known.check("operations.iud"), Ok(()));
        assert_eq!(known.check("zzz.qqq"), Err(PathError::Unknown(None)));
    }
}
