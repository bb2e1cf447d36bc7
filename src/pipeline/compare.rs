//! Why a selected year is not compared with the year before, when that year is
//! there: PRODUCT.md compares "when data/<Y-1> exists and computes", and one that
//! exists and cannot be compared with is said, not passed over.

use std::collections::{BTreeMap, BTreeSet};

use crate::compute::YearValues;
use crate::diag::Diagnostic;
use crate::model::{Project, Status};

/// A warning for each selected year that has a last year it is not compared
/// with: a draft beside a report that is not one, a period of another length,
/// or data with errors.
pub(super) fn why_not_compared(
    project: &Project,
    selected: &[i32],
    available: &[i32],
    computed: &BTreeMap<i32, Option<YearValues>>,
    unusable: &BTreeSet<i32>,
) -> Vec<(i32, Diagnostic)> {
    let mut out = Vec::new();
    // PRODUCT.md: a report compares with last year "when data/<Y-1> exists and
    // computes". One that exists and does not is said, not passed over.
    for y in selected {
        let before = y - 1;
        let usable = computed.get(y).is_some_and(Option::is_some) && !unusable.contains(y);
        let last_year_bad = available.contains(&before)
            && (unusable.contains(&before) || !computed.get(&before).is_some_and(Option::is_some));
        let draft = |y: i32| {
            project
                .years
                .get(&y)
                .is_some_and(|d| d.status == Status::Draft)
        };
        if usable && !last_year_bad && available.contains(&before) && draft(before) && !draft(*y) {
            let d = Diagnostic::warning(format!(
                "{y} is not compared with {before}: {before} is a draft"
            ))
            .in_file(format!("data/{before}/figures.toml"))
            .help(format!(
                "a report that is not a draft does not quote a draft's figures: {y}'s report has no last-year values (its table no 上年 and 增减 columns, prev and chg read —) and its charts leave {before} out, until the status of {before} in [source] is \"preliminary\" or \"final\""
            ));
            out.push((*y, d));
        }
        let lengths = project
            .years
            .get(y)
            .zip(project.years.get(&before))
            .filter(|(a, b)| !a.period_as_long_as(b));
        if usable
            && !last_year_bad
            && let Some((a, b)) = lengths
        {
            let d = Diagnostic::warning(format!(
                "{y} is not compared with {before}: its period is {} days long, {before}'s {}",
                a.period_days(),
                b.period_days()
            ))
            .in_file(format!("data/{before}/figures.toml"))
            .help(format!(
                "counts of periods of different lengths do not compare: {y}'s last-year values and changes read —, until the two [period]s are as long"
            ));
            out.push((*y, d));
        }
        if usable && last_year_bad {
            let d = Diagnostic::warning(format!(
                "{y} is not compared with {before}: the data of {before} has errors"
            ))
            .in_file(format!("data/{before}/figures.toml"))
            .help(format!(
                "`nianbao check --year {before}` lists them; until they are mended, {y}'s last-year values and changes read —, and its charts leave {before} out"
            ));
            out.push((*y, d));
        }
    }
    out
}
