//! The diagnostics of a run's years, kept by stage and put together in one order.

use std::collections::BTreeMap;

use crate::diag::{Diagnostics, FileId};

/// The diagnostics of the years, by stage.
#[derive(Default)]
pub(super) struct Found {
    /// Reading each year's files.
    pub(super) loading: BTreeMap<i32, Diagnostics>,
    /// Checking each selected year, its figures and then its narrative.
    pub(super) checks: BTreeMap<i32, Diagnostics>,
    /// Computing each selected year.
    pub(super) computing: BTreeMap<i32, Diagnostics>,
    /// Compiling the templates.
    pub(super) engine: Diagnostics,
    /// Rendering each selected year.
    pub(super) rendering: BTreeMap<i32, Diagnostics>,
}

impl Found {
    /// True when a diagnostic of `year` shows a span of `file`.
    pub(super) fn points_into(&self, year: i32, file: FileId) -> bool {
        [
            &self.loading,
            &self.checks,
            &self.computing,
            &self.rendering,
        ]
        .iter()
        .any(|stage| stage.get(&year).is_some_and(|d| d.points_into(file)))
    }

    /// Appends everything to `diags`: the files of the selected years, then the
    /// checks (and, when the shared files are sound, the computing) of each year
    /// in `years` that is selected, then the templates, then the rendering.
    pub(super) fn append_to(
        mut self,
        diags: &mut Diagnostics,
        selected: &[i32],
        years: &[i32],
        shared_ok: bool,
    ) {
        for y in selected {
            if let Some(d) = self.loading.remove(y) {
                diags.extend(d);
            }
        }
        for y in years.iter().filter(|y| selected.contains(y)) {
            if let Some(d) = self.checks.remove(y) {
                diags.extend(d);
            }
            if let Some(d) = self.computing.remove(y).filter(|_| shared_ok) {
                diags.extend(d);
            }
        }
        diags.extend(self.engine);
        for (_, d) in self.rendering {
            diags.extend(d);
        }
    }
}
