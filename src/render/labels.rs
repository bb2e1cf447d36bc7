//! The fixed wording of a report (`t.*` in templates): the headings, column names
//! and banners of `i18n`'s wording table, for one language and year, as a record
//! templates can read.

use serde::Serialize;

use crate::i18n::Lang;

/// The fixed wording of the report (`t.*`).
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    /// Heading of the indicators.
    pub indicators: &'static str,
    /// Heading of the targets.
    pub targets: &'static str,
    /// Heading of the summary.
    pub summary: String,
    /// Heading of the shortcomings.
    pub shortcomings: &'static str,
    /// Heading of the plan.
    pub plan: String,
    /// Heading of the guiding principle.
    pub guiding_principle: &'static str,
    /// Heading of the key items.
    pub key_items: &'static str,
    /// Heading of next year's targets.
    pub plan_targets: String,
    /// Column: indicator.
    pub metric: &'static str,
    /// Column: value.
    pub value: &'static str,
    /// Column: target.
    pub target: &'static str,
    /// Column: actual.
    pub actual: &'static str,
    /// Column: result.
    pub result: &'static str,
    /// Met.
    pub met: &'static str,
    /// Not met.
    pub not_met: &'static str,
    /// Undetermined.
    pub unknown: &'static str,
    /// The period, as a label.
    pub period: &'static str,
    /// At least.
    pub at_least: &'static str,
    /// At most.
    pub at_most: &'static str,
    /// To.
    pub between: &'static str,
    /// Untranslated.
    pub untranslated: &'static str,
    /// Heading of the charts.
    pub trends: &'static str,
    /// Column: this year's value.
    pub this_year: &'static str,
    /// Column: last year's value.
    pub last_year: &'static str,
    /// Column: the change from last year.
    pub change: &'static str,
    /// The language switch.
    pub language: &'static str,
    /// Both editions.
    pub both: &'static str,
    /// Banner of a preliminary year.
    pub banner_preliminary: &'static str,
    /// Banner of a draft year.
    pub banner_draft: &'static str,
    /// Banner title of a preliminary year.
    pub banner_title_preliminary: &'static str,
    /// Banner title of a draft year.
    pub banner_title_draft: &'static str,
}

impl Labels {
    /// The labels of the report of `year` in `lang`.
    pub fn new(lang: Lang, year: i32) -> Labels {
        let w = lang.words();
        Labels {
            indicators: w.indicators,
            targets: w.targets,
            summary: w.summary_heading(year),
            shortcomings: w.shortcomings,
            plan: w.plan_heading(year),
            guiding_principle: w.guiding_principle,
            key_items: w.key_items,
            plan_targets: w.plan_targets_heading(year),
            metric: w.metric,
            value: w.value,
            target: w.target,
            actual: w.actual,
            result: w.result,
            met: w.met,
            not_met: w.not_met,
            unknown: w.unknown,
            period: w.period,
            at_least: w.at_least,
            at_most: w.at_most,
            between: w.between,
            untranslated: w.untranslated,
            trends: w.trends,
            this_year: w.this_year,
            last_year: w.last_year,
            change: w.year_change,
            language: w.language,
            both: w.both,
            banner_preliminary: w.banner_preliminary,
            banner_draft: w.banner_draft,
            banner_title_preliminary: w.banner_title_preliminary,
            banner_title_draft: w.banner_title_draft,
        }
    }
}
