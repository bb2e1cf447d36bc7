//! What every presentation of a diff shares: the metric and target rows formatted
//! for the language, the headings of changed texts, and the shortening of long
//! unchanged stretches.

use similar::ChangeTag;

use super::compare::{Diff, TextChange, TextChangeKind};
use super::words::Segment;
use crate::compute::change::Direction;
use crate::exact::Exact;
use crate::i18n::{Lang, Words};
use crate::model::Project;
use crate::render::context::TargetRecord;
use crate::render::format;

/// A metric row, formatted.
pub(super) struct MetricRow {
    pub name: String,
    pub label: String,
    pub from: String,
    pub to: String,
    /// The signed change with its unit, as the report's `metric.<name>.change`.
    pub change: String,
    /// The change column, as the report's indicator table writes it
    /// ([`format::change_cell`]).
    pub trend: String,
    pub arrow: &'static str,
    pub good: Option<bool>,
}

pub(super) fn arrow(d: Option<Direction>) -> &'static str {
    format::arrow(d)
}

pub(super) fn metric_rows(project: &Project, d: &Diff) -> Vec<MetricRow> {
    let mode = project.config.rounding;
    d.metrics
        .iter()
        .filter_map(|m| {
            let def = project.catalogue.metrics.get(&m.name)?;
            let show = |v: Option<&Exact>| {
                format::with_unit(
                    &format::value(v, def.decimals, mode, d.lang),
                    &def.unit,
                    d.lang,
                )
            };
            Some(MetricRow {
                name: m.name.clone(),
                label: def.label.get_or_fallback(d.lang).0.to_string(),
                from: show(m.from.as_ref()),
                to: show(m.to.as_ref()),
                change: format::change_signed(def, m.change.as_ref(), mode, d.lang),
                trend: format::change_cell(def, m.change.as_ref(), mode, d.lang),
                arrow: arrow(m.change.as_ref().map(|c| c.direction)),
                good: m.change.as_ref().and_then(|c| c.good),
            })
        })
        .collect()
}

pub(super) fn target_rows(project: &Project, d: &Diff) -> Vec<TargetRecord> {
    d.targets
        .iter()
        .filter_map(|t| {
            let value = d
                .metrics
                .iter()
                .find(|m| m.name == t.metric)
                .and_then(|m| m.to.as_ref());
            TargetRecord::new(project, t, value, d.lang)
        })
        .collect()
}

pub(super) fn figure_value(v: Option<&Exact>, lang: Lang) -> String {
    v.map(|v| format::number(&v.to_exact_string(), lang))
        .unwrap_or_else(|| format::UNDEFINED.to_string())
}

pub(super) fn text_heading(t: &TextChange, w: &Words) -> String {
    let name = match t.part {
        "opening" => w.opening.to_string(),
        "indicators" => w.indicators_text.to_string(),
        "shortcomings" => w.shortcomings.to_string(),
        "guiding_principle" => w.guiding_principle.to_string(),
        _ => t.title.clone(),
    };
    let kind = match t.kind {
        TextChangeKind::Added => w.added,
        TextChangeKind::Removed => w.removed,
        TextChangeKind::Reworded => w.reworded,
    };
    w.with_remark(&name, kind)
}

/// Shortens the unchanged stretches of a diff to a little context around each
/// change. What was added or struck out is shown whole: it is what the reader of
/// a diff has come for (an audit found an added paragraph cut off before its
/// sentence on the targets missed).
pub(super) fn elide(t: &TextChange, lang: Lang) -> Vec<Segment> {
    let keep = match lang {
        Lang::Zh => 24,
        Lang::En => 60,
    };
    if t.kind != TextChangeKind::Reworded {
        return t.segments.clone();
    }
    let n = t.segments.len();
    t.segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if s.tag != ChangeTag::Equal || s.text.chars().count() <= keep * 2 + 5 {
                return s.clone();
            }
            let text = match (i == 0, i + 1 == n) {
                (true, true) => head(&s.text, keep * 2),
                (true, false) => format!("…{}", tail(&s.text, keep)),
                (false, true) => head(&s.text, keep),
                (false, false) => format!("{} … {}", head_raw(&s.text, keep), tail(&s.text, keep)),
            };
            Segment {
                tag: ChangeTag::Equal,
                text,
            }
        })
        .collect()
}

fn head_raw(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn head(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let cut = head_raw(s, n);
    // English is cut between words, not inside one.
    let cut = match cut.rfind(' ') {
        Some(at) if cut.is_ascii() && at > n / 2 => cut[..at].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    s.chars().skip(count.saturating_sub(n)).collect()
}
